"""The wording of the calibration: what was observed, what the fit moved, what no observation reaches
(docs/model.md, "Calibration"). Used by the calibration report and by the scenario report (its own
observables, and whether its headline rests on priors); the research agenda's wording is in agenda.py."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ...analysis.calibration import KHAT_LIMIT, MOVED_SHARE, Calibration, ess_needed
from ...analysis.loo import LOO_FLAG, LOO_KHAT_LIMIT, worst
from ...core.vocabulary import OBSERVATION_PARAMETERS, PARAMETERS
from ...inputs.world import shipped_world
from ..display import HTML_COLUMNS, html, ref, text
from ..formatting import money, parameter_value
from .common import caveats as _caveats
from .common import methods as _methods
from .common import short_title

USE_WORDS = {"likelihood": "fitted", "prior": "already in a prior", "check": "shown only"}


# --- values in the units of each observable --------------------------------------------------------

def value(x: float | None, unit: str) -> str:
    """An observed or implied value in its unit: '$185 a month', '$321.1 million a year', '38%', '77,589'."""
    if x is None or not np.isfinite(x):
        return "n/a"
    if unit.startswith("USD"):
        per = {"USD per month": " a month", "USD per year": " a year"}.get(unit, "")
        return (money(x) if abs(x) >= 100 else f"${x:,.1f}".replace("$-", "-$")) + per
    if unit.startswith(("share", "rate")):
        return f"{x:.0%}" if abs(x) >= 0.1 or x == 0 else f"{x:.1%}"
    return f"{x:,.0f}"


PER = {"USD per month": " a month", "USD per year": " a year"}


def short(x: float | None, unit: str) -> str:
    """A value without its period, millions abbreviated, for the printed tables: '$185', '$321M', '38%'."""
    text = value(x, unit)
    return text.removesuffix(PER.get(unit, "")).replace(" million", "M")


def observed_words(o, unit: str, fmt=None) -> str:
    """What was observed, in words: an interval, an open end, or a distribution's median and 90% interval."""
    fmt = fmt or value
    if o.dist:
        return f"{fmt(o.median, unit)} ({fmt(o.p5, unit)} to {fmt(o.p95, unit)})"
    if o.low is not None and o.high is not None:
        return f"{fmt(o.low, unit)} to {fmt(o.high, unit)}"
    return f"at least {fmt(o.low, unit)}" if o.low is not None else f"at most {fmt(o.high, unit)}"


def implied_words(row: pd.Series, which: str, fmt=None) -> str:
    """'$185 a month ($125 a month to $274 a month)': the central (P50) value and the 90% interval."""
    u, fmt = row["unit"], fmt or value
    return f"{fmt(row[f'{which}_p50'], u)} ({fmt(row[f'{which}_p5'], u)} to {fmt(row[f'{which}_p95'], u)})"


def meaning(o, row: pd.Series) -> str:
    """One sentence: what the observation does in the fit, and whether the model agrees with it."""
    u, high = row["unit"], o.interval[1]
    post = (row["posterior_p5"], row["posterior_p95"])
    if row["holds_posterior"]:
        agree = "the model agrees with it"
    elif high is not None and post[0] > high:
        agree = f"the model implies more (even its P5 is {value(post[0], u)})"
    else:
        agree = f"the model implies less (even its P95 is {value(post[1], u)})"
    if o.use == "likelihood":
        return (f"Fitted: it moved the model's central value from {value(row['prior_p50'], u)} to "
                f"{value(row['posterior_p50'], u)}; {agree}.")
    if o.use == "prior":
        return f"Already sets a parameter's prior, so it cannot move the fit; {agree}."
    return f"A check, not fitted (data/observables.yaml says why); {agree}."


# --- the observables --------------------------------------------------------------------------------

def observables_table(calib: Calibration, scenario: str | None = None) -> pd.DataFrame:
    """Every observable (or those of one scenario): what was observed, its source, grade and use, the
    implied value before and after calibration (central and 90% interval), whether it holds, and why."""
    table = calib.observable_table()
    rows = []
    for oid, row in table.iterrows():
        o = calib.observables[oid]
        if scenario is not None and scenario not in o.scenarios:
            continue
        rows.append({"Observed": o.title, "Source": row["source"], "Evidence": o.grade, "Use": USE_WORDS[o.use],
                     "Reported": observed_words(o, row["unit"]),
                     "Model before calibration: P50 (P5 to P95)": implied_words(row, "prior"),
                     "After calibration": implied_words(row, "posterior"),
                     "Holds": "yes" if row["holds_posterior"] else "no", "What it means": meaning(o, row)})
    return pd.DataFrame(rows).set_index("Observed") if rows else pd.DataFrame()


def observables_table_printed(calib: Calibration, scenario: str | None = None) -> pd.DataFrame:
    """The table as printed (A4): the source, evidence and use under each observation's title, values
    without repeating their unit, which the Reported column gives."""
    table = calib.observable_table()
    rows = []
    for oid, row in table.iterrows():
        o = calib.observables[oid]
        if scenario is not None and scenario not in o.scenarios:
            continue
        note = " · ".join([", ".join(o.sources), o.grade] + ([USE_WORDS[o.use]] if scenario is None else []))
        rows.append({"Observed": f"{html(o.title)}<br><small style='font-weight: normal'>{html(note)}</small>",
                     "Reported": observed_words(o, row["unit"], short) + PER.get(row["unit"], ""),
                     "Before calibration: P50 (P5-P95)": implied_words(row, "prior", short).replace(" (", "<br>("),
                     "After calibration": implied_words(row, "posterior", short).replace(" (", "<br>("),
                     "Holds": "yes" if row["holds_posterior"] else "no", "What it means": meaning(o, row)})
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows).set_index("Observed")
    # The title and the two model columns are HTML (line breaks; the title escaped): display.styled keeps them.
    frame.attrs[HTML_COLUMNS] = ("Observed", "Before calibration: P50 (P5-P95)", "After calibration")
    return frame


def observables_data(calib: Calibration) -> pd.DataFrame:
    """The observables' numbers, for the CSV download."""
    t = calib.observable_table().copy()
    low_high = [calib.observables[i].interval for i in t.index]
    t.insert(5, "observed_low", [lh[0] for lh in low_high])
    t.insert(6, "observed_high", [lh[1] for lh in low_high])
    return t


def observables_table_meta(calib: Calibration) -> dict:
    return {"name": "observables", "units": "as given in each row", "data": observables_data(calib),
            "caption": "Every observation, beside what the model implies of it before and after calibration: the "
                       "central value (P50) and the 90% interval. It holds where the observed range meets the "
                       "model's 90% interval."}


def scenario_table(scenario: str, calib: Calibration) -> dict | None:
    """The scenario report's calibration table (the arguments of display.table), or None where no
    observable belongs to the scenario."""
    from ..display import styled

    t = observables_table_printed(calib, scenario)
    if t.empty:
        return None
    data = observables_data(calib)
    data = data[[scenario in calib.observables[i].scenarios for i in data.index]]
    return {"shown": styled(t, {}, "calibration"), "data": data,
            "name": "calibration", "units": "as given in each row",
            "caption": f"What was observed of {short_title(calib.data_world.scenario(scenario))}, beside what the model implies "
                       "before and after calibration (P50, and P5 to P95 in brackets)."}


def scenario_calibration_markdown(scenario: str, calib: Calibration) -> str:
    """The scenario report's words before its calibration table: how many observations belong to it, which
    are fitted, and whether its headline rests on priors."""
    mine = [o for o in calib.observables.values() if scenario in o.scenarios]
    fitted = [o for o in mine if o.use == "likelihood"]
    if not mine:
        text = "No observation in data/observables.yaml belongs to this scenario's period."
    else:
        fit = (f"{len(fitted)} {'is' if len(fitted) == 1 else 'are'} fitted" if fitted else "none of them is fitted")
        table = ref("calibration", "table")  # numbered only where the table is shown
        text = (f"{len(mine)} observation{'s' if len(mine) > 1 else ''} belong{'s' if len(mine) == 1 else ''} to this "
                f"scenario ({table}); {fit}, the others are already in a prior or shown as checks.")
    rests = rests_on_priors_sentence(scenario, calib)
    return text + (f" {rests}" if rests else "")


# --- leave-one-out: which observation the rest of the evidence fails to predict ----------------------

def loo_table(calib: Calibration) -> pd.DataFrame:
    """One row per fitted observation: how well the calibration fitted to the others predicts it
    (exp(elpd_loo): the chance of landing in its observed range), the same from the priors alone, Pareto k."""
    rows = [{"Observation": calib.observables[r["id"]].title, "Reported": observed_words(
                calib.observables[r["id"]], calib.observables[r["id"]].unit),
             "Predicted by the others": f"{r['loo_score']:.0%}", "By the priors alone": f"{r['prior_score']:.0%}",
             "Pareto k": "-" if r["pareto_k"] is None else f"{r['pareto_k']:.2f}",
             "Flag": "poorly predicted" if r["loo_score"] < LOO_FLAG else ("unstable" if r["flagged"] else "")}
            for r in sorted(calib.loo, key=lambda r: r["loo_score"])]
    return pd.DataFrame(rows).set_index("Observation") if rows else pd.DataFrame()


def loo_table_meta(calib: Calibration) -> dict:
    data = pd.DataFrame(calib.loo).set_index("id") if calib.loo else pd.DataFrame()
    return {"name": "leave-one-out", "units": "scores are probabilities (0 to 1)", "data": data,
            "caption": "Each fitted observation left out in turn: how likely the calibration fitted to the others "
                       "makes its observed range (exp of its elpd_loo), beside the same from the priors alone, and "
                       f"the Pareto k of the estimate (above {LOO_KHAT_LIMIT}: not to be trusted)."}


def loo_markdown(calib: Calibration) -> str:
    """One plain sentence: which observation the rest of the evidence predicts worst."""
    w = worst(calib.loo)
    if w is None:
        return "No observation is fitted, so none can be left out."
    o = calib.observables[w["id"]]
    return (f"Left out in turn, the observation the rest of the evidence predicts worst is **{text(o.title)}**: "
            f"fitted to the others, the model gives its observed range a {w['loo_score']:.0%} chance "
            f"({w['prior_score']:.0%} from the priors alone; {ref('leave-one-out', 'table')}).")


# --- the parameters ---------------------------------------------------------------------------------

def lower_first(label: str) -> str:
    """'Gross value of output (G)' -> 'gross value of output (G)' (symbols and names keep their case)."""
    return label[:1].lower() + label[1:]


def parameter_label(owner: str, key: str, titles: Mapping[str, str] | None = None) -> str:
    """A parameter as readers see it, with whose it is: `titles` gives a scenario owner's title by name (None:
    the shipped data's)."""
    spec = PARAMETERS.get(key) or OBSERVATION_PARAMETERS.get(key)
    label = spec.axis_label if spec else key
    if owner == "shared":
        return f"{label}, every scenario"
    if owner == "observation":
        return f"{label}, observation model"
    title = titles[owner] if titles is not None else shipped_world().scenario(owner).title
    return f"{label}, {title.split(' (')[0].strip()}"  # as short_title shows it


def moved_frame(calib: Calibration) -> pd.DataFrame:
    """The parameters the data moved: prior and posterior P5/P50/P95, rows labelled for readers."""
    t = calib.parameter_table()
    t = t[t["moved"]]
    frame = t[[c for c in t.columns if c.startswith(("prior_", "posterior_"))]].copy()
    titles = {n: calib.data_world.scenario(n).title for n in set(t["owner"]) - {"shared", "observation"}}
    frame.index = [parameter_label(o, k, titles) for o, k in zip(t["owner"], t["parameter"])]
    frame.index.name = "Parameter"
    frame.attrs["keys"] = list(t["parameter"])
    return frame


def _range(key: str, row: pd.Series, which: str) -> str:
    return (f"{parameter_value(key, row[f'{which}_p50'])} ({parameter_value(key, row[f'{which}_p5'])} to "
            f"{parameter_value(key, row[f'{which}_p95'])})")


def moved_markdown(calib: Calibration) -> str:
    frame = moved_frame(calib)
    if frame.empty:
        return "No observation moved any parameter: every posterior is its prior."
    lines = [f"The observations moved {len(frame)} parameter{'s' if len(frame) > 1 else ''} ({ref('prior-posterior')}: "
             f"a parameter moved where its posterior 90% interval is more than {MOVED_SHARE:.0%} narrower than its "
             f"prior's, or its median moved by more than {MOVED_SHARE:.0%} of the prior's width):", ""]
    for (label, row), key in zip(frame.iterrows(), frame.attrs["keys"]):
        lines.append(f"- **{text(label)}**: prior {_range(key, row, 'prior')}, posterior {_range(key, row, 'posterior')}.")
    return "\n".join(lines)


def moved_figure(calib: Calibration) -> dict:
    frame = moved_frame(calib)
    parts = "; ".join(f"{lower_first(label)}: prior {_range(k, row, 'prior')}, posterior {_range(k, row, 'posterior')}"
                      for (label, row), k in zip(frame.iterrows(), frame.attrs.get("keys", [])))
    return {"name": "prior-posterior", "units": "each parameter in its own unit (see its row)", "data": frame,
            "caption": "Each parameter the observations moved: its prior (before calibration) and posterior (after) "
                       "90% interval and median.",
            "alt": (f"Interval chart, one panel per parameter the data moved, prior above posterior, median and 90% "
                    f"interval: {parts}." if parts else "Interval chart: no parameter moved.")}


def unreached_markdown(calib: Calibration) -> str:
    """Which scenarios' own parameters no observation reaches, and what that means for their numbers."""
    names = calib.unreached_scenarios()
    if calib.method == "prior":
        return ("No observation is fitted (none is marked `use: likelihood`): every number in the reports rests on "
                "the priors.")
    if not names:
        return "Every scenario of the timeline has at least one of its own parameters reached by an observation."
    table = calib.parameter_table(names)
    own = table[table["owner"].isin(names)]
    keys = list(dict.fromkeys(own["parameter"]))
    labels = ", ".join(PARAMETERS[k].label.lower() if k in PARAMETERS else k for k in keys[:8])
    titles = ", ".join(text(short_title(calib.data_world.scenario(n))) for n in names)
    why = "".join(f"\n- **{text(short_title(calib.data_world.scenario(n)))}**: {text(calib.reasons[n])}" for n in names
                  if n in calib.reasons)
    return (f"**No observation reaches the own parameters of {len(names)} scenario{'s' if len(names) > 1 else ''}**: "
            f"{titles}. Their {len(own)} uncertain parameters ({labels}{', ...' if len(keys) > 8 else ''}) keep their "
            "priors: the posterior of each is its prior, and only the parameters shared by every scenario, such as the "
            "gross value of a year's output, carry the evidence to them. **A headline of these scenarios rests on "
            "priors**, and their reports say so in its sentence. What would change this: an observation of any of these "
            "periods (a recorded sale, a tax receipt, a count of miners or a fee collected)."
            + (f" Why none was found (data/observables.yaml, `unobserved`):\n{why}" if why else ""))


def rests_on_priors_sentence(scenario_name: str, calib: Calibration | None, calibrated: bool = True) -> str:
    """For a scenario none of whose own parameters an observation reaches: its headline rests on its
    priors, but for the shared gross value of a year's output. Empty where observations reach it. A run
    from the priors (calibrated false, or no calibration) says that instead."""
    if not calibrated or calib is None:
        return ("This run draws every parameter from its prior (the report's `calibrated` parameter is false): its "
                "headline rests on the priors, not on what was observed.")
    if calib.method == "prior":
        return "No observation is fitted: this headline rests on the priors of every parameter."
    if calib.unreached_scenarios([scenario_name]) != [scenario_name]:
        return ""
    table = calib.parameter_table([scenario_name])
    shared = table[(table["owner"] == "shared") & table["reached"]]
    if shared.empty:
        return "No observation reaches this scenario's parameters: this headline rests on their priors."
    names = " and ".join(PARAMETERS[k].label.lower() if k in PARAMETERS else k for k in shared["parameter"])
    return (f"No observation reaches this scenario's own parameters (production, access, price, levies): this "
            f"headline rests on their priors, except the {names}, which every scenario shares and the "
            "calibration fits.")


# --- the headline, methods and caveats of the calibration report ----------------------------------------

def _diagnostics(calib: Calibration) -> str:
    share = calib.ess / calib.draws
    if calib.method == "tempered SMC":
        return (f"Weighting the prior draws alone was not enough (k-hat {calib.khat:.2f}, effective sample size "
                f"{calib.ess:,.0f}; trusted where k-hat is at most {KHAT_LIMIT} and at least {ess_needed(calib.draws):,.0f} "
                "draws remain): the posterior comes from tempered sequential Monte Carlo instead, which moves the "
                "draws towards the observations step by step.")
    if calib.method == "prior":
        return "No observation is fitted, so the posterior is the prior."
    return (f"The weights leave an **effective sample size of {calib.ess:,.0f}** of the {calib.draws:,} draws "
            f"({share:.0%}): the fitted result is as precise as that many equally weighted draws, more than the "
            f"{ess_needed(calib.draws):,.0f} needed. The **k-hat of {calib.khat:.2f}** (Pareto-smoothed importance "
            f"sampling) is below {KHAT_LIMIT}, so no handful of draws dominates the weights and the result can be "
            "trusted.")


def _unreached_short(calib: Calibration) -> str:
    names = calib.unreached_scenarios()
    if calib.method == "prior" or not names:
        return unreached_markdown(calib)
    titles = ", ".join(text(short_title(calib.data_world.scenario(n))) for n in names)
    return (f"**No observation reaches the own parameters of {len(names)} of the timeline's scenarios** (production, "
            f"market access, price and levies of {titles}): their "
            "headlines rest on priors, but for the parameters every scenario shares, and say so.")


def headline_markdown(r) -> str:
    """The calibration report's headline (r: CalibrationResults)."""
    calib = r.calib
    uses = {u: [o for o in calib.observables.values() if o.use == u] for u in USE_WORDS}
    fitted = "; ".join(text(o.title) for o in uses["likelihood"]) or "none"
    table = calib.observable_table()
    missed = [text(calib.observables[i].title) for i in table.index[~table["holds_posterior"].astype(bool)]]
    moved = moved_frame(calib)
    lines = [
        f"**{len(table)} observations** of Mogok's ruby trade (wages, fees, headcounts, official figures) are set "
        f"beside what the model implies ({ref('observables', 'table')}). **{len(uses['likelihood'])} "
        f"{'is' if len(uses['likelihood']) == 1 else 'are'} fitted** (enter the likelihood): {fitted}. "
        f"{len(uses['prior'])} already set the range of a parameter (its prior), so fitting them again would count "
        f"them twice; {len(uses['check'])} are shown only, as checks.", "",
        f"The calibration weights {calib.draws:,} draws of the model's uncertain inputs by how well each reproduces "
        f"the fitted observations ({calib.method}). {_diagnostics(calib)}", "",
        f"After calibration, **{len(table) - len(missed)} of {len(table)} observations hold** (the observed range meets "
        "the model's 90% interval)"
        + (f"; {len(missed)} {'does' if len(missed) == 1 else 'do'} not: {'; '.join(missed)}." if missed else "."),
        f"The observations moved {len(moved)} parameter{'s' if len(moved) != 1 else ''} ({ref('prior-posterior')})"
        + (f", most of all {text(lower_first(moved.index[0]))}." if len(moved) else "."), "",
        _unreached_short(calib),
    ]
    return "\n".join(lines)


def methods(r) -> str:
    return _methods(
        "**Calibration** (docs/model.md, section 10): each observation names a quantity the model implies for a "
        "scenario or a period; the prior draws of every scenario an observation reaches are weighted by the "
        "likelihood of the observations marked as fitted, on a log scale with a model error of about 10% "
        "(20% for national figures, 30% for partner countries' statistics), interval observations with a smoothed "
        "box (flat inside, falling off like a normal tail outside). A source enters either a prior or the "
        f"likelihood, never both. Importance sampling is trusted where k-hat is at most {KHAT_LIMIT} and the "
        f"effective sample size at least {ess_needed(r.calib.draws):,.0f}; otherwise tempered sequential Monte Carlo. "
        "**Leave-one-out**: each fitted observation is predicted from the posterior fitted to the others "
        "(Pareto-smoothed importance sampling; its score is exp(elpd_loo)). "
        "**Research agenda**: the first-order index of each parameter on the junta's take since the coup, under the "
        f"posterior ({r.agenda['draws']:,} calibrated draws run through the timeline month by month).\n\n"
        f"This report: {r.draws:,} prior draws, seed {r.seed}.")


def caveats(r=None) -> str:
    return _caveats(
        "- **Few observations, and weak ones after the coup.** The one fitted value of the trade is of 2014-17; after "
        "2021 the fit has headcounts, a fee, cuts of finds and a halt of mining, from press reports and interviews, "
        "most of them bounds. The junta's return (from November 2025) has no observation at all.\n"
        "- **Holding is not proof.** An observation that holds is consistent with the model within its uncertainty; "
        "wide priors make many observations hold.\n"
        "- **The model errors are judgements.** How far an observation may stray from the model (10% to 30%) sets "
        "how hard it pulls; `analysis/observation.py` keeps them.\n")
