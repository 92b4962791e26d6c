"""The wording of the comparison report: each scenario's takes, shares and the junta's interval, the
shifts between consecutive scenarios and what drives them, from a ComparisonResults bundle."""
from __future__ import annotations

import pandas as pd

from ...analysis.comparison import shift
from ...core.vocabulary import ACTORS, GROUPS, TAKE_LABELS, junta_in_text
from ...results.bundles import ComparisonResults
from ..display import ref, text
from ..formatting import interval, money, money_short
from .common import junta_words, period_title, scenario_span, short_title
from .common import methods as _methods

MONEY_UNITS = "US$ million a year"


def titles(c: ComparisonResults) -> dict[str, str]:
    """Each scenario as readers see it in charts and tables: its short title and period."""
    return {s.name: period_title(s) for s in c.scenarios}


def _transition(c: ComparisonResults, key: str) -> str:
    """'junta_licensed → licence_lapse' as readers see it: 'Licensing era → Licences lapsed under ...'."""
    short = {s.name: short_title(s) for s in c.scenarios}
    a, _, b = key.partition(" \u2192 ")
    return f"{short.get(a, a)} \u2192 {short.get(b, b)}"


def comparison_table(c: ComparisonResults) -> pd.DataFrame:
    """Each actor's take per scenario, US$ million a year (point estimate), plus the junta's interval."""
    t = c.point[[*ACTORS, *GROUPS, "realised_value_usd", "recorded_value_usd"]] / 1e6
    t.columns = [TAKE_LABELS[a] for a in (*ACTORS, *GROUPS)] + ["All sales", "Recorded sales"]
    t["Junta P5"] = c.junta["p5"] / 1e6
    t["Junta P95"] = c.junta["p95"] / 1e6
    t.index = [period_title(s) for s in c.scenarios]
    t.index.name = "Scenario"
    return t


def comparison_table_printed(c: ComparisonResults) -> pd.DataFrame:
    """The comparison table as printed: the armed groups together (each member is in the CSV)."""
    return comparison_table(c).drop(columns=[TAKE_LABELS[m] for group in GROUPS.values() for m in group])


def comparison_shares(c: ComparisonResults) -> pd.DataFrame:
    columns = [*ACTORS, *GROUPS]
    shares = c.point[columns].div(c.point["realised_value_usd"].where(c.point["realised_value_usd"] > 0), axis=0)
    shares.columns = [TAKE_LABELS[a] for a in columns]
    shares.index = [titles(c)[n] for n in shares.index]
    shares.index.name = "Scenario"
    return shares.fillna(0.0)


def comparison_headline(c: ComparisonResults) -> str:
    j = c.point["junta"]
    hi, lo = j.idxmax(), j.idxmin()
    title = {s.name: text(s.title) for s in c.scenarios}
    lines = [f"Across {len(c.scenarios)} scenarios, the military's take (the column Junta: its conglomerates' before "
             f"the coup of 1 February 2021, the junta's after it) ranges from **{money(j[lo])} a year** "
             f"({title[lo]}) to **{money(j[hi])} a year** ({title[hi]}), at central estimates "
             f"({ref('takes-by-scenario')} and {ref('takes', 'table')}).", ""]
    for s in c.scenarios:
        row = c.point.loc[s.name]
        junta_share = row["junta"] / row["realised_value_usd"] if row["realised_value_usd"] else 0
        q, keeps = c.junta.loc[s.name], junta_words(s).keeps
        lines.append(f"- **{text(s.title)}** ({text(s.period_label)}): sales {money(row['realised_value_usd'])} a year; "
                     f"{keeps[0].lower()}{keeps[1:]} {money(row['junta'])} ({junta_share:.0%}; 90% interval "
                     f"{interval(q['p5'], q['p95'])}), the public treasury {money(row['public_treasury'])}, the "
                     f"armed groups {money(row['armed_groups'])} (the TNLA {money(row['tnla'])}), the miners "
                     f"{money(row['miners'])}; {money(row['recorded_value_usd'])} of sales is recorded.")
    return "\n".join(lines)


def shifts_table(c: ComparisonResults) -> pd.DataFrame:
    """The change in the junta's take between consecutive scenarios, with a 90% interval."""
    rows = {}
    names = [s.name for s in c.scenarios]
    for a, b in zip(names, names[1:]):
        q = shift(c.frames, a, b, "junta")
        rows[_transition(c, f"{a} \u2192 {b}")] = {
            "Central change (US$ M/yr)": (c.point.loc[b, 'junta'] - c.point.loc[a, 'junta']) / 1e6,
            "P5": q["p5"] / 1e6, "P95": q["p95"] / 1e6}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "From one scenario to the next"
    return out


def _junta_across(c: ComparisonResults, key: str) -> str:
    """Who the `junta` actor is across a transition 'a → b' ('the junta'; 'the military and its conglomerates,
    then the junta')."""
    spans = {s.name: scenario_span(s) for s in c.scenarios}
    a, _, b = key.partition(" \u2192 ")
    if a not in spans or b not in spans:
        return "the junta"
    return junta_in_text(min(spans[a][0], spans[b][0]), max(spans[a][1], spans[b][1]))


def drivers_markdown(c: ComparisonResults) -> str:
    lines = []
    for transition, row in c.drivers.iterrows():
        total = row.sum()
        main = row.abs().sort_values(ascending=False).index[:2]
        parts = " and ".join(f"{g} ({money(row[g])})" for g in main)
        direction = "rises" if total > 0 else "falls"
        lines.append(f"- **{_transition(c, transition)}**: the take of {_junta_across(c, transition)} {direction} by "
                     f"{money(abs(total))}; "
                     f"mostly {parts}.")
    return "\n".join(lines)


def methods(c: ComparisonResults) -> str:
    return _methods(f"This report: {c.n_draws:,} draws per scenario, seed {c.seed}.")


# --- numbered figures and tables ---------------------------------------------------------------------------

def takes_frame(c: ComparisonResults) -> pd.DataFrame:
    """Each actor's take per scenario (central estimates, USD), rows labelled for readers, in time order."""
    frame = c.point[list(ACTORS)].copy()
    frame.index = [titles(c)[n] for n in frame.index]
    return frame


def takes_figure(c: ComparisonResults) -> dict:
    parts = "; ".join(f"{period_title(s)}: sales {money_short(c.point.loc[s.name, 'realised_value_usd'])}, "
                      f"{junta_words(s).in_text} {money_short(c.point.loc[s.name, 'junta'])}, "
                      f"the miners {money_short(c.point.loc[s.name, 'miners'])}"
                      for s in c.scenarios)
    data = takes_frame(c) / 1e6
    data.columns = [TAKE_LABELS[a] for a in ACTORS]
    data.index.name = "Scenario"
    return {"name": "takes-by-scenario", "units": MONEY_UNITS + ", central estimates", "data": data,
            "caption": "Who keeps what in each scenario, in time order (central estimates).",
            "alt": f"Stacked bar chart, one bar per scenario in time order, each actor's take at central estimates: {parts}."}


def junta_frame(c: ComparisonResults) -> pd.DataFrame:
    """The junta's take per scenario: p5, central, p95 (USD), rows labelled for readers."""
    frame = pd.DataFrame({"p5": c.junta["p5"], "central": c.point["junta"], "p95": c.junta["p95"]})
    frame.index = [titles(c)[n] for n in frame.index]
    return frame


def junta_figure(c: ComparisonResults) -> dict:
    frame = junta_frame(c)
    parts = "; ".join(f"{name}: {money_short(row['central'])} ({money_short(row['p5'])} to {money_short(row['p95'])})"
                      for name, row in frame.iterrows())
    data = frame[["central", "p5", "p95"]] / 1e6
    data.columns = ["Central estimate", "P5", "P95"]
    data.index.name = "Scenario"
    return {"name": "junta-by-scenario", "units": MONEY_UNITS, "data": data,
            "caption": "The military's take in each scenario (its conglomerates' before the coup of 1 February 2021, "
                       "the junta's after it): the central estimate and the 90% interval.",
            "alt": f"Interval chart of the military's take per scenario (the junta's since the coup), central estimate "
                   f"and 90% interval a year: {parts}."}


def drivers_frame(c: ComparisonResults) -> pd.DataFrame:
    frame = c.drivers.copy()
    frame.index = [_transition(c, k) for k in frame.index]
    return frame


def drivers_figure(c: ComparisonResults) -> dict:
    frame = drivers_frame(c)
    parts = "; ".join(f"{k}: {'+' if row.sum() >= 0 else '-'}{money_short(abs(row.sum()))}, mostly "
                      f"{row.abs().idxmax()} ({money_short(row[row.abs().idxmax()])})" for k, row in frame.iterrows())
    data = frame / 1e6
    data["Net change"] = data.sum(axis=1)
    data.index.name = "From one scenario to the next"
    return {"name": "drivers", "units": "change in US$ million a year", "data": data,
            "caption": "What moves the military's take (the junta's since the coup) between consecutive scenarios: "
                       "each group of inputs' part of the "
                       "change (Shapley values), and the net change.",
            "alt": f"Stacked bar chart of the change in the junta's take between consecutive scenarios, split by cause: {parts}."}


def takes_table(c: ComparisonResults) -> dict:
    return {"name": "takes", "units": MONEY_UNITS,
            "caption": "Each actor's take per scenario (central estimates), all sales, recorded sales, and the "
                       "junta's 90% interval (P5 to P95)."}


def shares_table(c: ComparisonResults) -> dict:
    return {"name": "shares", "units": "shares of sales, 0 to 1",
            "caption": "Each actor's share of sales per scenario (central estimates)."}


def shifts_table_meta(c: ComparisonResults) -> dict:
    return {"name": "shifts", "units": "change in US$ million a year",
            "caption": "The change in the military's take (the junta's since the coup of 1 February 2021) from one "
                       "scenario to the next: central estimate and 90% interval (the uncertainty of both scenarios "
                       "combined, draw by draw)."}
