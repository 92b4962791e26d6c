"""The wording of the comparison report: each scenario's takes, shares and the junta's interval, the
shifts between consecutive scenarios and what drives them, from a ComparisonResults bundle."""
from __future__ import annotations

import pandas as pd

from ...analysis.comparison import shift
from ...core.vocabulary import ACTORS, GROUPS, TAKE_LABELS
from ..bundles import ComparisonResults
from ..formatting import interval, money
from .common import methods as _methods


def comparison_table(c: ComparisonResults) -> pd.DataFrame:
    """Each actor's take per scenario, US$ million a year (point estimate), plus the junta's interval."""
    t = c.point[[*ACTORS, *GROUPS, "realised_value_usd", "recorded_value_usd"]] / 1e6
    t.columns = [TAKE_LABELS[a] for a in (*ACTORS, *GROUPS)] + ["All sales", "Recorded sales"]
    t["Junta P5"] = c.junta["p5"] / 1e6
    t["Junta P95"] = c.junta["p95"] / 1e6
    t.index = [f"{s.name} ({s.period_start} to {s.period_end or 'open'})" for s in c.scenarios]
    return t


def comparison_shares(c: ComparisonResults) -> pd.DataFrame:
    columns = [*ACTORS, *GROUPS]
    shares = c.point[columns].div(c.point["realised_value_usd"].where(c.point["realised_value_usd"] > 0), axis=0)
    shares.columns = [TAKE_LABELS[a] for a in columns]
    return shares.fillna(0.0)


def comparison_headline(c: ComparisonResults) -> str:
    j = c.point["junta"]
    hi, lo = j.idxmax(), j.idxmin()
    title = {s.name: s.title for s in c.scenarios}
    lines = [f"Across {len(c.scenarios)} scenarios, the junta's take ranges from **{money(j[lo])} a year** "
             f"({title[lo]}) to **{money(j[hi])} a year** ({title[hi]}), at central estimates.", ""]
    for s in c.scenarios:
        row = c.point.loc[s.name]
        junta_share = row["junta"] / row["realised_value_usd"] if row["realised_value_usd"] else 0
        q = c.junta.loc[s.name]
        lines.append(f"- **{s.title}** ({s.period_label}): sales {money(row['realised_value_usd'])} a year; "
                     f"the junta keeps {money(row['junta'])} ({junta_share:.0%}; 90% interval "
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
        rows[f"{a} \u2192 {b}"] = {"Central change (US$ M/yr)": (c.point.loc[b, 'junta'] - c.point.loc[a, 'junta']) / 1e6,
                                   "P5": q["p5"] / 1e6, "Median": q["p50"] / 1e6, "P95": q["p95"] / 1e6}
    return pd.DataFrame.from_dict(rows, orient="index")


def drivers_markdown(c: ComparisonResults) -> str:
    lines = []
    for transition, row in c.drivers.iterrows():
        total = row.sum()
        main = row.abs().sort_values(ascending=False).index[:2]
        parts = " and ".join(f"{g} ({money(row[g])})" for g in main)
        direction = "rises" if total > 0 else "falls"
        lines.append(f"- **{transition}**: the junta's take {direction} by {money(abs(total))}; mostly {parts}.")
    return "\n".join(lines)


def methods(c: ComparisonResults) -> str:
    return _methods(f"This report: {c.n_draws:,} draws per scenario, seed {c.seed}.")
