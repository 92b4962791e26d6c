"""The wording of the policy report: the ranked table of levers, the headline, each lever described,
and the report's own methods and caveats, from a PolicyResults bundle."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...analysis.estimates import point_estimate
from ..bundles import PolicyResults
from ..display import ref, styled
from ..formatting import interval, money
from .common import caveats as _caveats
from .common import methods as _methods
from .common import readable


def lever_titles(r: PolicyResults) -> dict[str, str]:
    """Each lever and combination in the table, as readers see it: the levers' titles (without their
    parenthesis), joined by ' + '."""
    short = {lever.name: lever.title.split(" (")[0].strip() for lever in r.described}
    return {key: " + ".join(short.get(k, k) for k in key.split(" + ")) for key in r.table.index}


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
    }, index=[lever_titles(r)[i] for i in table.index])
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
    titles = lever_titles(r)
    lines = [f"Under **{scenario.title}** the junta keeps {money(point_estimate(scenario).flows_usd['junta'])} a year at the "
             f"central estimate; the best-ranked option, **{titles[table.index[0]]}**, would deny it "
             f"{money(best['junta_denied'])} a year (90% interval {interval(-best['junta_p95'], -best['junta_p5'])}). "
             f"{ref('levers', 'table')} ranks them all; {ref('tradeoff')} sets the change in the junta's take against "
             "the change in the miners'.",
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
        lines.append(f"- **{titles[label]}** {verdict}.")
    if skipped:
        named = {lever.name: lever.title for lever in r.described}
        why = {k: v.replace(repr(scenario.name), scenario.title) for k, v in skipped.items()}  # no ids in prose
        lines += ["", "Not applied to this scenario: " + "; ".join(f"{named.get(k, k)} ({v})" for k, v in why.items())]
    return "\n".join(lines)


def lever_descriptions(r: PolicyResults) -> str:
    """Every lever the report names: what it is, what it changes, its sources."""
    parts = []
    for lever in r.described:
        changes = "; ".join(c.describe() for c in lever.changes)
        parts.append(f"**{lever.title}.** {readable(lever.summary)} *Changes:* {readable(changes)}. "
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


# --- numbered figures and tables ---------------------------------------------------------------------------

def _m(value: float) -> str:
    return money(value).replace(" million", "M")


def tradeoff_figure(r: PolicyResults) -> dict:
    table, titles = r.table, lever_titles(r)
    singles = table[table["levers"] == 1]
    parts = "; ".join(f"{titles[k]}: junta {'+' if row['junta'] >= 0 else '-'}{_m(abs(row['junta']))}, miners "
                      f"{'+' if row['miners'] >= 0 else '-'}{_m(abs(row['miners']))}" for k, row in singles.iterrows())
    data = pd.DataFrame({"Levers": table["levers"].astype(int).to_numpy(),
                         "Junta: change": (table["junta"] / 1e6).to_numpy(),
                         "Junta P5": (table["junta_p5"] / 1e6).to_numpy(), "Junta P95": (table["junta_p95"] / 1e6).to_numpy(),
                         "Miners: change": (table["miners"] / 1e6).to_numpy()},
                        index=[titles[k] for k in table.index])
    data.index.name = "Lever(s)"
    return {"name": "tradeoff", "units": "change in US$ million a year, central estimates; the junta's 90% interval",
            "data": data,
            "caption": f"Every lever and pair under {r.scenario.title}: the change in the junta's take against the "
                       "change in the miners' (negative: that side loses, as in the table). Below the horizontal line "
                       "the junta loses; left of the vertical line the miners lose: the best levers sit low and to the "
                       "right. Bars: the junta's 90% interval.",
            "alt": (f"Scatter chart of {len(table)} levers and combinations, change in the junta's take (vertical) against "
                    f"the change in the miners' take (horizontal), US dollars a year at central estimates. Single levers: "
                    f"{parts}.")}


def lever_table_meta(r: PolicyResults) -> dict:
    return {"name": "levers", "units": "change in US$ million a year (negative: that side loses); ratio in dollars",
            "caption": "The levers and their combinations, ranked: the change in each side's take (central estimates), "
                       "the junta's 90% interval, and the junta's dollars denied per dollar miners lose."}
