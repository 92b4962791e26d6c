"""The wording of the policy report: the ranked table of levers, the headline, each lever described,
and the report's own methods and caveats, from a PolicyResults bundle."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...analysis.estimates import point_estimate
from ..bundles import PolicyResults
from ..display import styled
from ..formatting import interval, money
from .common import caveats as _caveats
from .common import methods as _methods


def lever_table(r: PolicyResults) -> pd.DataFrame:
    """Ranked levers for readers: the change in each side's take and the ratio, US$ M a year."""
    table = r.table

    def ratio(row):
        if row["junta_denied"] <= 1e-6:
            return "does not reduce the junta's take"
        if row["miners_lost"] <= 1e-6:
            return "miners do not lose"
        text = f"{row['ratio']:.1f}"
        if np.isfinite(row.get("ratio_p5", np.nan)):
            text += f" ({row['ratio_p5']:.1f} to {row['ratio_p95']:.1f})"
        return text

    out = pd.DataFrame({
        "Rank": table["rank"].astype(int).to_numpy(),
        "Junta: change (US$ M/yr)": (table["junta"] / 1e6).to_numpy(),
        "Junta P5": (table["junta_p5"] / 1e6).to_numpy(), "Junta P95": (table["junta_p95"] / 1e6).to_numpy(),
        "Miners: change (US$ M/yr)": (table["miners"] / 1e6).to_numpy(),
        "Armed groups: change (US$ M/yr)": (table["armed_groups"] / 1e6).to_numpy(),
        "Junta $ denied per miners' $ lost": [ratio(row) for _, row in table.iterrows()],
    }, index=[i.replace("_", " ") for i in table.index])
    out.index.name = "Lever(s)"
    return out


def lever_table_formatted(r: PolicyResults):
    """The lever table, money to one decimal (display it in a notebook)."""
    table = lever_table(r)
    money_columns = [c for c in table.columns if ("US$" in c and "per" not in c) or c.startswith("Junta P")]
    return styled(table, {c: "{:,.1f}" for c in money_columns}, uuid="levers")


def policy_headline(r: PolicyResults) -> str:
    """The junta's take under the scenario, the best-ranked option, and a verdict on each single lever."""
    scenario, table, skipped = r.scenario, r.table, r.skipped
    singles = table[table["levers"] == 1]
    best = table.iloc[0]
    lines = [f"Under **{scenario.title}** the junta keeps {money(point_estimate(scenario).flows_usd['junta'])} a year at the "
             f"central estimate; the best-ranked option, **{table.index[0].replace('_', ' ')}**, would deny it "
             f"{money(best['junta_denied'])} a year (90% interval {interval(-best['junta_p95'], -best['junta_p5'])}).",
             "", "Of the single levers:", ""]
    for label, row in singles.iterrows():
        j, m = row["junta_denied"], row["miners_lost"]
        if j < -1e-6:
            verdict = (f"raises the junta's take by {money(-j)} a year (90% interval "
                       f"{interval(row['junta_p5'], row['junta_p95'])})")
        elif j <= 1e-6:
            verdict = "does not change the junta's take"
        elif m <= 1e-6:
            verdict = (f"denies the junta {money(j)} a year (90% interval {interval(-row['junta_p95'], -row['junta_p5'])}) "
                       f"while miners gain {money(-m)}")
        else:
            verdict = (f"denies the junta {money(j)} a year (90% interval {interval(-row['junta_p95'], -row['junta_p5'])}) "
                       f"at a cost to miners of {money(m)}: {row['ratio']:.1f} dollars denied per dollar miners lose")
        lines.append(f"- **{label.replace('_', ' ')}** {verdict}.")
    if skipped:
        lines += ["", "Not applied to this scenario: " + "; ".join(f"{k.replace('_', ' ')} ({v})" for k, v in skipped.items())]
    return "\n".join(lines)


def lever_descriptions(r: PolicyResults) -> str:
    """Every lever the report names: what it is, what it changes, its sources."""
    parts = []
    for lever in r.described:
        changes = "; ".join(c.describe() for c in lever.changes)
        parts.append(f"**{lever.title}** (`{lever.name}`). {lever.summary} *Changes:* {changes}. "
                     f"*Sources:* {', '.join(lever.sources)}.")
    return "\n\n".join(parts)


def methods(r: PolicyResults) -> str:
    return _methods("**Levers.** Each lever changes named parameters of the scenario (set, scale, shift, cap or floor), "
                    "applied to every Monte Carlo draw; the levered and the base scenario share the same draws, so "
                    "each change is measured draw by draw. Before anything is computed each change is checked "
                    "against the parameter's allowed range and the rule that levies leave a non-negative remainder. "
                    f"This report: {r.n_draws:,} draws, seed {r.seed}.")


def caveats() -> str:
    return _caveats("- **Levers move parameters, not behaviour.** The model does not predict how the junta, armed "
                    "groups or traders would respond (for example by raising other levies); where a response is "
                    "likely, the lever includes it explicitly and says so.\n- **Reopening routes can raise the "
                    "junta's take** where the junta holds the roads: more trade passes its checkpoints and its "
                    "concessions.\n")
