"""The wording of a scenario report: its title, headline, income per miner, what is not realised and
what drives the junta's take, from a ScenarioResults bundle."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...analysis.sensitivity import input_axis_label, input_label
from ...core.vocabulary import ACTOR_INFO, ACTORS, CHANNEL_WORDS, GROUP_INFO, GROUPS, UNREALISED_LABELS
from ...core.vocabulary import TAKE_LABELS as LABELS
from ...results.bundles import ScenarioResults
from ..display import code, ref, text
from ..formatting import interval, money, people
from .common import junta_words, readable
from .common import methods as _methods


def data_file_words(s) -> str:
    """Where the scenario's file is, as the reader should be told: a shipped file by its path in the
    repository; a file of the user's own data folder by its name and that fact (never a path of their machine)."""
    if s.file == f"data/scenarios/{s.name}.yaml":
        return f"data file {code(s.file)}"
    return f"data file {code(Path(s.file).name)}, from a data folder of the user's own, not the shipped data"


def title_markdown(r: ScenarioResults) -> str:
    s = r.scenario
    lines = [f"# Who keeps the money from Mogok's rubies: {text(s.title)}",
             f"*Scenario for {text(s.period_label)} ({data_file_words(s)}).*", "", text(readable(s.summary, s.data))]
    if r.overridden:
        lines += ["", "**Note:** this run overrides the scenario's data: "
                  + ", ".join(f"{k} = {money(v)}" for k, v in r.overridden.items()) + "."]
    return "\n".join(lines)


def headline_markdown(r: ScenarioResults) -> str:
    """The executive summary: what is sold and recorded, who gets what in dollars and shares, with 90%
    intervals; the armed groups together; the junta's channels; the miners' incomes."""
    sp, q = r.split, r.quantiles
    junta = sp.flows_usd["junta"]
    lines = [
        f"**About {money(sp.realised_value_usd)} of gems a year are sold** in this scenario (90% interval "
        f"{_interval(q, 'realised_value_usd')}), of which **{money(sp.recorded_value_usd)} is recorded** "
        f"through the formal channel (90% interval {_interval(q, 'recorded_value_usd')}): {_recorded_by(r)} "
        f"A year's output would fetch {money(sp.gross_value_usd)} at undisrupted production and "
        f"reference prices. **{junta_words(r.scenario).keeps} {money(junta)} a year** ({sp.shares['junta']:.0%} of sales; 90% "
        f"interval {_interval(q, 'junta')}; {ref('key-numbers', 'table')} gives every actor's take).", "",
    ]
    for actor in sp.flows_usd.sort_values(ascending=False).index:
        if sp.flows_usd[actor] <= 0 and q.loc[actor, "p95"] <= 0:
            continue
        lines.append(f"- **{_words(r, actor).keeps}** {money(sp.flows_usd[actor])} a year "
                     f"({sp.shares[actor]:.0%} of sales; 90% interval {_interval(q, actor)}).")
    for group, members in GROUPS.items():
        names = ", ".join(ACTOR_INFO[m].in_text for m in members)
        lines.append(f"- **{GROUP_INFO[group].keeps}** together ({names}) {money(sp.groups_usd[group])} a year "
                     f"({sp.shares[group]:.0%} of sales; 90% interval {_interval(q, group)}).")
    nothing = [_words(r, a).in_text for a in ACTORS if sp.flows_usd[a] <= 0 and q.loc[a, "p95"] <= 0]
    if nothing:
        lines.append(f"- Nothing goes to {' or '.join(nothing)} in this scenario.")
    lines += ["", f"{_take(r, True)} comes through these channels: {_junta_channels(r)}", "", income_markdown(r)]
    return "\n".join(lines)


def _words(r: ScenarioResults, actor: str):
    """An actor's words in this scenario's period (the `junta` actor's name changes with it)."""
    return junta_words(r.scenario) if actor == "junta" else ACTOR_INFO[actor]


def _take(r: ScenarioResults, capital: bool = False) -> str:
    """'the junta's take', or before the coup 'the take of the military and its conglomerates'."""
    who = junta_words(r.scenario).in_text
    text = "the junta's take" if who == "the junta" else f"the take of {who}"
    return text[0].upper() + text[1:] if capital else text


def _recorded_by(r: ScenarioResults) -> str:
    """Who records the formal channel: Myanmar's official series, or, where the TNLA takes the taxes on formal
    sales, the TNLA's administration (data/scenarios/tnla_control.yaml, formal_share)."""
    taxes = r.scenario.recipients.get("state_tax_to", {})
    if taxes and max(taxes, key=taxes.get) == "tnla":
        return ("here the recorded channel is the TNLA administration's (its licensed companies and named buyers), "
                "not Myanmar's official statistics, which see none of it.")
    return "official series see only that part."


def _interval(q: pd.DataFrame, row: str) -> str:
    return interval(q.loc[row, "p5"], q.loc[row, "p95"])


def _junta_channels(r: ScenarioResults) -> str:
    """Through which channels the junta's money comes (point estimate)."""
    if r.split.realised_value_usd == 0:
        return "nothing is sold, so no one is paid."
    parts = r.split.channels_usd["junta"]
    total = parts.sum()
    if total <= 0:
        who = junta_words(r.scenario).in_text
        return f"none: in this scenario {who} {'receive' if ' and ' in who else 'receives'} no share of any levy and " \
               "owns no mines."
    ranked = parts[parts > 0].sort_values(ascending=False)
    return ", ".join(f"{CHANNEL_WORDS[name]} {value / total:.0%}" for name, value in ranked.items()) + "."


def income_markdown(r: ScenarioResults) -> str:
    """The miners' incomes: wage workers employed and their wage, lay-offs, a hand-miner's mean income
    (heavy-tailed), and the mean per miner."""
    sp, q = r.split, r.quantiles
    n = r.scenario.parameters["miner_count"].point
    text = [f"**Miners.** Of about {people(n)} people mining, about {people(sp.wage_workers_employed)} are employed for "
            f"wages on company sites, at {money(sp.wage_usd_per_month)} a month with commission (90% interval "
            f"{money(q.loc['wage_usd_per_month', 'p5'])} to {money(q.loc['wage_usd_per_month', 'p95'])})."]
    if sp.wage_workers_laid_off >= 1:
        text.append(f"The sites cannot pay for about {people(sp.wage_workers_laid_off)} more wage positions the "
                    "scenario's share of wage work implies: those workers are laid off and counted among the "
                    "hand-miners.")
    text.append(f"A hand-miner keeps {money(sp.hand_miner_income_usd_per_month)} a month on average (90% interval "
                f"{money(q.loc['hand_miner_income_usd_per_month', 'p5'])} to "
                f"{money(q.loc['hand_miner_income_usd_per_month', 'p95'])}) after the levy, the landholder's share "
                "and fees: a mean over a heavy tail (most dig little, a few find a valuable stone), so it is not "
                "a wage and most earn less.")
    text.append(f"The median hand-miner keeps {money(sp.hand_miner_median_income_usd_per_month)} a month (90% interval "
                f"{money(q.loc['hand_miner_median_income_usd_per_month', 'p5'])} to "
                f"{money(q.loc['hand_miner_median_income_usd_per_month', 'p95'])}), with one miner's finds in a year "
                "taken as lognormal around that mean (an assumed spread).")
    text.append(f"Across all miners the mean is {money(sp.miner_income_usd_per_month)} a month. The section \"The miners\" "
                f"below sets these beside what was reported ({ref('miners-observed', 'table')}).")
    return " ".join(text)


def observed_table(r: ScenarioResults) -> pd.DataFrame:
    """The miners' incomes as the model implies them, beside what was observed (data/observables.yaml)."""
    q = r.quantiles
    rows = []
    for o in r.observables:
        if o.quantity not in q.index:
            continue
        observed = (f"{_value(o.low)} to {_value(o.high)}" if o.low is not None and o.high is not None
                    else f"under {_value(o.high)}" if o.high is not None else f"over {_value(o.low)}")
        central = float(getattr(r.split, o.quantity))
        holds = (o.low is None or q.loc[o.quantity, "p95"] >= o.low) and (o.high is None or q.loc[o.quantity, "p5"] <= o.high)
        rows.append({"Observed": o.title, "Period": f"{o.period[0]} to {o.period[1]}", "Reported": observed,
                     "Unit": o.unit, "This scenario (central)": _value(central),
                     "90% interval": f"{_value(q.loc[o.quantity, 'p5'])} to {_value(q.loc[o.quantity, 'p95'])}",
                     "Overlaps": "yes" if holds else "no", "Source": ", ".join(o.sources), "Evidence": o.grade})
    return pd.DataFrame(rows).set_index("Observed") if rows else pd.DataFrame()


def _value(x: float) -> str:
    return f"{x:,.0f}"


def key_numbers(r: ScenarioResults) -> pd.DataFrame:
    """The headline table: each actor's take (US$ million a year), share and 90% interval."""
    sp, q = r.split, r.quantiles
    takes = {**sp.flows_usd, **sp.groups_usd}
    rows = []
    for actor in (*ACTORS, *GROUPS):
        rows.append({"Actor": LABELS[actor] + (" (all)" if actor in GROUPS else ""),
                     "Central estimate (US$ M/yr)": takes[actor] / 1e6,
                     "Share of sales": sp.shares[actor], "P5": q.loc[actor, "p5"] / 1e6,
                     "P95": q.loc[actor, "p95"] / 1e6})
    rows.append({"Actor": "All sales (realised revenue)", "Central estimate (US$ M/yr)": sp.realised_value_usd / 1e6,
                 "Share of sales": 1.0 if sp.realised_value_usd else 0.0,
                 "P5": q.loc["realised_value_usd", "p5"] / 1e6,
                 "P95": q.loc["realised_value_usd", "p95"] / 1e6})
    rows.append({"Actor": "of which recorded (formal sales)", "Central estimate (US$ M/yr)": sp.recorded_value_usd / 1e6,
                 "Share of sales": sp.recorded_value_usd / sp.realised_value_usd if sp.realised_value_usd else 0.0,
                 "P5": q.loc["recorded_value_usd", "p5"] / 1e6,
                 "P95": q.loc["recorded_value_usd", "p95"] / 1e6})
    return pd.DataFrame(rows).set_index("Actor")


def unrealised_markdown(r: ScenarioResults) -> str:
    sp = r.split
    g = sp.gross_value_usd
    u = sp.unrealised_usd
    v = r.scenario.point_values()
    return "\n".join([
        f"Of the {money(g)} that a year's output would fetch in normal times, {money(g - sp.realised_value_usd)} "
        f"({(g - sp.realised_value_usd) / g:.0%}) is not realised this year ({ref('waterfall')}):", "",
        f"- **{money(u['production_shortfall'])} is never mined**: only {v['production_factor']:.0%} of normal output "
        "is dug (fighting, airstrikes, people fleeing, bans on machinery).",
        f"- **{money(u['stockpiled'])} is mined but not sold within the year**: only {v['market_access']:.0%} of "
        "what is mined reaches buyers (closed checkpoints, blocked routes); the rest is stockpiled or hidden, "
        "and the timeline report follows it until it is sold, seized or lost.",
        f"- **{money(u['price_effect'])} is lost to lower prices**: stones sell at {v['price_factor']:.0%} of their "
        "normal price (hesitant buyers, distress sales, sanctions).",
    ])


def sensitivity_markdown(r: ScenarioResults) -> str:
    t, s = r.tornado, r.sobol
    if t.empty or s.attrs.get("constant_output"):
        return f"{_take(r, True)} does not depend on any uncertain parameter in this scenario."
    top = t.index[0]
    row = t.iloc[0]
    lo, hi = sorted((row["output_at_low"], row["output_at_high"]))
    leaders = s.index[:3]
    shares = ", ".join(f"{input_label(k).lower()} ({s.loc[k, 'ST']:.0%})" for k in leaders)
    return (f"Moving one assumption at a time across its 90% range ({ref('tornado')}), "
            f"**{input_label(top).lower()}** moves {_take(r)} most: from {money(lo)} to {money(hi)} a year. "
            f"Taking all uncertainties together ({ref('sobol')}: Sobol total-effect indices, the share of the variance "
            "each parameter accounts for, "
            f"including its interactions), the largest are {shares}. Better evidence on these would narrow "
            "the estimate most.")


def methods(r: ScenarioResults) -> str:
    return _methods(f"This report: {r.n_draws:,} draws, seed {r.seed}; Sobol indices from "
                    f"{r.sobol.attrs.get('model_runs', 0):,} model runs.")


# --- numbered figures and tables: caption, alt text worded from the numbers, data --------------------------

MONEY_UNITS = "US$ million a year"


def _m(value: float) -> str:
    return money(value).replace(" million", "M")


def waterfall_figure(r: ScenarioResults) -> dict:
    sp = r.split
    u = sp.unrealised_usd
    kept = "; ".join(f"{_words(r, a).in_text} {_m(sp.flows_usd[a])}" for a in ACTORS)
    rows = {"Gross value at normal output and prices": sp.gross_value_usd,
            **{UNREALISED_LABELS[k]: -v for k, v in u.items()},
            "Realised revenue (sold this year)": sp.realised_value_usd,
            **{f"Kept by {_words(r, a).in_text}": sp.flows_usd[a] for a in ACTORS}}
    data = pd.DataFrame({"US$ million a year": pd.Series(rows) / 1e6})
    data.index.name = "Step"
    return {"name": "waterfall", "units": MONEY_UNITS + ", central estimates",
            "caption": "From the gross value of a year's output to each actor's take: what is never sold this year, "
                       "then who keeps what is sold.",
            "alt": (f"Waterfall bar chart, central estimates: of a gross value of {_m(sp.gross_value_usd)} a year, "
                    f"{_m(u['production_shortfall'])} is never mined, {_m(u['stockpiled'])} is mined but not sold, "
                    f"{_m(u['price_effect'])} is lost to lower prices, leaving {_m(sp.realised_value_usd)} of sales. "
                    f"Of these, kept by {kept}."),
            "data": data}


def key_numbers_table(r: ScenarioResults) -> dict:
    return {"name": "key-numbers", "units": MONEY_UNITS + "; shares of sales",
            "caption": "Each actor's take: the central estimate (every input at its central value: "
                       + ("its posterior median, after calibration" if r.calibrated else "its most likely value under "
                          "its prior") + "; the one number the text and charts give), its share of sales, and the 90% "
                       "interval (P5 and P95: the 5th and 95th percentiles of the Monte Carlo draws)."}


def uncertainty_figure(r: ScenarioResults) -> dict:
    q, sp = r.quantiles, r.split
    takes = {**sp.flows_usd, **sp.groups_usd}
    parts = "; ".join(f"{LABELS[a].lower()} {_m(takes[a])} ({_m(q.loc[a, 'p5'])} to {_m(q.loc[a, 'p95'])})"
                      for a in (*ACTORS, *GROUPS))
    data = pd.DataFrame({"Central estimate": [takes[a] / 1e6 for a in (*ACTORS, *GROUPS)],
                         **{c.upper(): [q.loc[a, c] / 1e6 for a in (*ACTORS, *GROUPS)] for c in ("p5", "p95")}},
                        index=[LABELS[a] for a in (*ACTORS, *GROUPS)])
    data.index.name = "Actor"
    return {"name": "uncertainty", "units": MONEY_UNITS,
            "caption": f"Each actor's take across {r.n_draws:,} Monte Carlo draws: the 90% interval, the middle half "
                       "and the central estimate.",
            "alt": f"Interval chart, one row per actor, central estimate and 90% interval in US dollars a year: {parts}.",
            "data": data}


def tornado_figure(r: ScenarioResults) -> dict:
    t = r.tornado
    if t.empty:
        alt = f"Tornado chart: {_take(r)} does not depend on any uncertain input in this scenario."
    else:
        moves = "; ".join(f"{input_label(k).lower()} from {_m(row['output_at_low'])} to {_m(row['output_at_high'])}"
                          for k, row in t.head(3).iterrows())
        alt = (f"Tornado chart of {_take(r)} (central estimate {_m(t.attrs['base'])} a year), one input at a time "
               f"at its 5th and 95th percentile; the three that move it most: {moves}.")
    data = pd.DataFrame({"Junta's take, input at P5": t["output_at_low"] / 1e6,
                         "Junta's take, input at P95": t["output_at_high"] / 1e6})
    data.index = [input_axis_label(k) for k in t.index]
    data.index.name = "Input"
    return {"name": "tornado", "units": MONEY_UNITS, "data": data, "alt": alt,
            "caption": f"{_take(r, True)} with one input at its 5th or 95th percentile, the others at their most "
                       "likely values (the eight that matter most; the data has every input)."}


def sobol_figure(r: ScenarioResults) -> dict:
    s = r.sobol
    if s.empty or s.attrs.get("constant_output"):
        alt = (f"Bar chart of Sobol indices: {_take(r)} does not vary in this scenario, so no input accounts for any "
               "of it.")
    else:
        top = "; ".join(f"{input_label(k).lower()} {s.loc[k, 'ST']:.0%} in total, {s.loc[k, 'S1']:.0%} alone"
                        for k in s.index[:3])
        alt = f"Bar chart of Sobol indices, the share of the variance of {_take(r)} due to each input: {top}."
    data = s[[c for c in ("S1", "S1_conf", "ST", "ST_conf") if c in s.columns]].copy()
    data.index = [input_axis_label(k) for k in data.index]
    data.index.name = "Input"
    return {"name": "sobol", "units": f"share of the variance of {_take(r)}, 0 to 1", "data": data, "alt": alt,
            "caption": f"Share of the uncertainty in {_take(r)} due to each input: first-order (alone) and total "
                       "(with its interactions) Sobol indices, with 95% confidence half-widths; the eight largest (the data "
                       "has every input)."}


def observed_numbers(r: ScenarioResults) -> pd.DataFrame:
    """The miners' incomes table as numbers, for the CSV and the workbook: the reported bounds (empty where
    a report gives only one), the scenario's central value and its 90% interval, each in its own column."""
    q = r.quantiles
    rows = []
    for o in r.observables:
        if o.quantity not in q.index:
            continue
        holds = (o.low is None or q.loc[o.quantity, "p95"] >= o.low) and (o.high is None or q.loc[o.quantity, "p5"] <= o.high)
        rows.append({"Observed": o.title, "Period from": str(o.period[0]), "Period to": str(o.period[1]),
                     "Reported low": o.low, "Reported high": o.high, "Unit": o.unit,
                     "This scenario (central)": float(getattr(r.split, o.quantity)),
                     "P5": float(q.loc[o.quantity, "p5"]), "P95": float(q.loc[o.quantity, "p95"]),
                     "Overlaps": bool(holds), "Source": ", ".join(o.sources), "Evidence": o.grade})
    return pd.DataFrame(rows).set_index("Observed") if rows else pd.DataFrame()


def observed_table_meta(r: ScenarioResults) -> dict:
    return {"name": "miners-observed", "units": "as the Unit column says; P5 and P95 the 90% interval",
            "data": observed_numbers(r),
            "caption": "The miners' incomes as this scenario implies them, beside what was reported."}


def recipients_table_meta(r: ScenarioResults) -> dict:
    return {"name": "recipients", "units": "shares of each levy or of the mines' ownership, 0 to 1",
            "caption": "Who receives each levy, and who owns the mines, in this scenario."}


def parameters_table_meta(r: ScenarioResults) -> dict:
    from .common import parameter_numbers

    return {"name": "parameters", "units": "as the Unit column says (shares and rates from 0 to 1)",
            "data": parameter_numbers(r.scenario),
            "caption": "Every input of this scenario: the value used, its range and its sources."}
