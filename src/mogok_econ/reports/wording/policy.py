"""The wording of the policy report: the ranked table of levers, the headline, each lever described,
and the report's own methods and caveats, from a PolicyResults bundle."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...analysis.estimates import point_estimate
from ...analysis.lever_effects import RANKING_CRITERION
from ...core.vocabulary import ACTOR_LABELS, PARAMETERS, RECIPIENT_TABLE_LABELS
from ...results.bundles import PolicyResults
from ..display import ref, styled, text
from ..formatting import interval, money, money_short
from .common import caveats as _caveats
from .common import methods as _methods
from .common import readable


def lever_titles(r: PolicyResults) -> dict[str, str]:
    """Each lever and combination in the table, as readers see it: the levers' titles (without their
    parenthesis), joined by ' + '."""
    short = {lever.name: lever.title.split(" (")[0].strip() for lever in r.described}
    return {key: " + ".join(short.get(k, k) for k in key.split(" + ")) for key in r.table.index}


def change_words(change) -> str:
    """A lever's change to a parameter, in readers' words (the parameter's label, not its key)."""
    verb = {"set": "set to", "scale": "multiplied by", "shift": "plus", "cap": "capped at",
            "floor": "raised to at least"}[change.op]
    return f"{PARAMETERS[change.parameter].label.lower()} {verb} {change.value.describe()}"


def move_words(move) -> str:
    """A lever's move in a recipients table, in readers' words."""
    return (f"{move.share:.0%} of the {ACTOR_LABELS[move.from_actor].lower()}'s part of "
            f"{RECIPIENT_TABLE_LABELS[move.table].lower()} moved to {ACTOR_LABELS[move.to_actor].lower()}")


def basis_words(lever) -> str:
    """What a lever's effect rests on: its mechanism's sourced ranges, or judgements in its file (named)."""
    judged = ([PARAMETERS[c.parameter].label.lower() for c in lever.changes if not c.derived]
              + [f"the share of {RECIPIENT_TABLE_LABELS[m.table].lower()} moved" for m in lever.moves])
    if not judged:
        return ("Its effect follows from a mechanism (our judgement of how refused stones are sold), whose parameters "
                "are each an assumption with a sourced range.")
    where = f"{', '.join(judged)}: ranges in its lever file"
    if lever.mechanism is not None:
        return f"Its effect rests partly on its mechanism and partly on judgement ({where})."
    return f"Its effect rests on judgement ({where}), not on a measured mechanism."


def combo_title(label: str, titles: dict[str, str]) -> str:
    """The readers' name of a combination of levers (their titles, joined)."""
    names = label.split(" + ")
    if len(names) > 2:
        return f"{len(names)} levers together: " + "; ".join(titles.get(n, n) for n in names)
    return " + ".join(titles.get(n, n) for n in names)


def shown_rows(r: PolicyResults) -> pd.DataFrame:
    """The rows the report's ranked table shows: every feasible combination, and each infeasible lever
    alone (infeasible combinations are in `mogok-econ levers --json`)."""
    t = r.table
    return t[t["feasible"].astype(bool) | (t["levers"] == 1)]


def _span(low: float, high: float) -> str:
    """An interval in a table cell, "(1.0 to 3.3)", joined by no-break spaces: a narrow column breaks the cell
    before the interval, never inside it (two lines, not four)."""
    return f"({low:,.1f}\u00a0to\u00a0{high:,.1f})"


def lever_table(r: PolicyResults) -> pd.DataFrame:
    """Ranked levers for readers: the change in each side's take, the ratio, the share of the junta's loss
    that comes through volume and price, the value destroyed per junta dollar denied, and feasibility."""
    table = shown_rows(r)
    titles = {lever.name: lever.title for lever in r.described}

    def band(point, low, high):
        return f"{point / 1e6:,.1f} {_span(low / 1e6, high / 1e6)}"

    def ratio(row):
        if row["junta_denied"] <= 1e-6:
            return "-"
        if row["miners_lost"] <= 1e-6:
            return "miners do not lose"
        text = f"{row['ratio']:.1f}"
        if np.isfinite(row.get("ratio_p5", np.nan)):
            text += f" {_span(row['ratio_p5'], row['ratio_p95'])}"
        return text

    def cost(row):
        if row["junta_denied"] <= 1e-6 or not np.isfinite(row["cost_per_denied"]):
            return "-"
        text = f"{row['cost_per_denied']:.1f}"
        if np.isfinite(row["cost_per_denied_p5"]):
            text += f" {_span(row['cost_per_denied_p5'], row['cost_per_denied_p95'])}"
        return text

    def through(row):
        share = row["volume_price_share"]
        if row["junta_denied"] <= 1e-6 or not np.isfinite(share):
            return "-"
        return f"{share:.0%}" + (" (like a price cut)" if row["volume_price_only"] else "")

    out = pd.DataFrame({
        "Rank": table["rank"].astype(int).to_numpy(),
        "Beats others of its kind": [f"{p:.0%}" if np.isfinite(p) else "-" for p in table["p_wins"]],
        "Junta: change, US$ M/yr (90% interval)": [band(r_["junta"], r_["junta_p5"], r_["junta_p95"])
                                                   for _, r_ in table.iterrows()],
        "Miners: change (US$ M/yr)": (table["miners"] / 1e6).to_numpy(),
        "Armed groups: change (US$ M/yr)": (table["armed_groups"] / 1e6).to_numpy(),
        "Junta $ denied per miners' $ lost": [ratio(row) for _, row in table.iterrows()],
        "Junta's loss through volume and price": [through(row) for _, row in table.iterrows()],
        "Value destroyed per junta $ denied": [cost(row) for _, row in table.iterrows()],
        "Feasible here": ["yes" if f else "no" for f in table["feasible"]],
    }, index=[combo_title(i, titles) for i in table.index])
    out.index.name = "Lever(s)"
    return out


def lever_numbers(r: PolicyResults) -> pd.DataFrame:
    """The lever table's numbers, for the CSV and the workbook: each interval in its own columns, shares
    from 0 to 1, yes/no as true/false; empty where the printed table says '-' (the junta loses nothing)
    or 'miners do not lose' (no ratio)."""
    table = shown_rows(r)
    titles = {lever.name: lever.title for lever in r.described}
    denied = table["junta_denied"] > 1e-6

    def where(mask, column):
        values = table[column] if column in table.columns else pd.Series(np.nan, index=table.index)
        return values.where(mask).to_numpy(dtype=float)

    has_ratio = denied & (table["miners_lost"] > 1e-6)
    out = pd.DataFrame({
        "Rank": table["rank"].astype(int).to_numpy(),
        "Mean chance of beating each other option of its kind": table["p_wins"].to_numpy(dtype=float),
        "Chance of being the best of its kind": table["p_best"].to_numpy(dtype=float),
        "Junta: change (US$ M/yr)": (table["junta"] / 1e6).to_numpy(),
        "Junta: change P5": (table["junta_p5"] / 1e6).to_numpy(),
        "Junta: change P95": (table["junta_p95"] / 1e6).to_numpy(),
        "Miners: change (US$ M/yr)": (table["miners"] / 1e6).to_numpy(),
        "Armed groups: change (US$ M/yr)": (table["armed_groups"] / 1e6).to_numpy(),
        "Junta $ denied per miners' $ lost": where(has_ratio, "ratio"),
        "Junta $ denied per miners' $ lost P5": where(has_ratio, "ratio_p5"),
        "Junta $ denied per miners' $ lost P95": where(has_ratio, "ratio_p95"),
        "Miners lose": (table["miners_lost"] > 1e-6).to_numpy(),
        "Junta's loss through volume and price (share)": where(denied, "volume_price_share"),
        "Like a price cut": table["volume_price_only"].astype(bool).to_numpy(),
        "Value destroyed per junta $ denied": where(denied, "cost_per_denied"),
        "Value destroyed per junta $ denied P5": where(denied, "cost_per_denied_p5"),
        "Value destroyed per junta $ denied P95": where(denied, "cost_per_denied_p95"),
        "Feasible here": table["feasible"].astype(bool).to_numpy(),
    }, index=[combo_title(i, titles) for i in table.index])
    out.index.name = "Lever(s)"
    return out


def lever_table_formatted(r: PolicyResults):
    """The lever table, money to one decimal (display it in a notebook)."""
    table = lever_table(r)
    money_columns = [c for c in table.columns if c.endswith("(US$ M/yr)")]
    return styled(table, {c: "{:,.1f}" for c in money_columns}, uuid="levers")


def lever_table_caption(r: PolicyResults) -> str:
    """One line under the ranked table's title: what it shows and leaves out."""
    hidden = len(r.table) - len(shown_rows(r))
    text = (f"*Every feasible option under {r.scenario.title} and each lever that is not feasible here, alone: "
            f"{RANKING_CRITERION}. Changes in US$ million a year (negative: that side loses).")
    if hidden:
        text += f" {hidden} combinations that include an infeasible lever are left out (see `mogok-econ levers --json`)."
    return text + "*"


def policy_headline(r: PolicyResults) -> str:
    """The junta's take under the scenario, the best-ranked feasible option, and a verdict on each single lever."""
    scenario, table, skipped = r.scenario, r.table, r.skipped
    titles = {lever.name: lever.title for lever in r.described}
    singles = table[table["levers"] == 1]
    feasible = table[table["feasible"].astype(bool) & (table["junta_denied"] > 1e-6)]
    junta = point_estimate(scenario, r.posterior).flows_usd["junta"]
    lines = [f"Under **{text(scenario.title)}** the junta keeps {money(junta)} a year at the central estimate."]
    single = feasible[feasible["levers"] == 1]
    if len(single):  # the brief and the landing page name the same one, by the same criterion
        best = single.iloc[0]
        lines[0] += (f" Options are {RANKING_CRITERION}. The feasible single policy ranked first, "
                     f"**{text(combo_title(single.index[0], titles))}**, would deny it {money(best['junta_denied'])} a year "
                     f"(90% interval {interval(-best['junta_p95'], -best['junta_p5'])})")
        beats, runner_up = best.get("p_beats_next", np.nan), single.index[1] if len(single) > 1 else None
        lines[0] += (f"; it denies more than the next single policy, {text(combo_title(runner_up, titles))}, in {beats:.0%} of "
                     f"paired draws, and is the best single policy in {best['p_best']:.0%} of them."
                     if runner_up is not None and np.isfinite(beats) else ".")
        chosen = next((lever for lever in r.described if lever.name == single.index[0]), None)
        if chosen is not None:
            lines[0] += " " + basis_words(chosen)
        combined = feasible[feasible["levers"] > 1]
        if len(combined):
            top = combined.iloc[0]
            lines[0] += (f" Combined, **{text(combo_title(combined.index[0], titles))}** would deny it "
                         f"{money(top['junta_denied'])} a year (90% interval {interval(-top['junta_p95'], -top['junta_p5'])}).")
    else:
        lines[0] += " No lever that is feasible under this scenario reduces the junta's take."
    lines[0] += (f" {ref('levers', 'table')} ranks them all; {ref('tradeoff')} sets the change in the junta's take "
                 "against the change in the miners'.")
    lines += ["", "Of the single levers (levers not feasible under this scenario are marked and never ranked above "
              "a feasible option):", ""]
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
            if row["volume_price_only"]:
                verdict += (f"; but {row['volume_price_share']:.0%} of the junta's loss comes through volume and price, "
                            f"so this ratio is close to a uniform 10% price cut's ({row['price_cut_ratio']:.1f}) and says "
                            "little about the lever")
        if j > 1e-6 and np.isfinite(row["cost_per_denied"]):
            verdict += (f"; it destroys {money(row['value_destroyed'])} of realised value a year, "
                        f"{row['cost_per_denied']:.1f} dollars per junta dollar denied" if row["value_destroyed"] > 1e-6
                        else "; it destroys no value (a transfer)")
        mark = "" if row["feasible"] else " *(not feasible under this scenario)*"
        lines.append(f"- **{text(titles.get(label, label))}**{mark} {verdict}.")
    if skipped:
        lines += ["", "Not applied to this scenario: " + "; ".join(
            f"{text(titles.get(k, k))} ({text(v.replace(repr(scenario.name), 'this scenario'))})" for k, v in skipped.items())]
    if r.not_combined:
        lines += ["", "Never combined, because they conflict: " + "; ".join(
            f"**{text(c['titles'][0])}** with **{text(c['titles'][1])}** ({text(c['why'])})" for c in r.not_combined)]
    return "\n".join(lines)


def lever_descriptions(r: PolicyResults) -> str:
    """Every lever the report names: what it is, what it changes, where it is feasible and why, what it
    must not be combined with, its sources."""
    parts = []
    scenario_titles = {s.name: s.title for s in r.matrix_scenarios}
    titles = {lever.name: lever.title for lever in r.described}
    for lever in r.described:
        changes = "; ".join([change_words(c) for c in lever.changes] + [move_words(m) for m in lever.moves])
        feasible = " ".join(f"*{text(scenario_titles.get(k, k))}*: {text(f.rationale)}"
                            for k, f in (lever.feasible_under or {}).items())
        words = (f"**{text(lever.title)}**. {text(readable(lever.summary, r.scenario.data))} *Changes:* {text(changes)}. "
                 f"**Feasible under:** {feasible or 'no scenario of the model.'}")
        if lever.mechanism is not None:
            words += " *Mechanism parameters:* " + "; ".join(
                f"{name.replace('_', ' ')} {value.describe()}" for name, value in lever.mechanism.parameters.items()) + "."
        if lever.conflicts_with:
            words += " *Never combined with:* " + "; ".join(
                f"{text(titles.get(k, k))} ({text(why)})" for k, why in lever.conflicts_with.items()) + "."
        parts.append(words + f" *Sources:* {text(', '.join(lever.sources))}.")
    return "\n\n".join(parts)


def methods(r: PolicyResults) -> str:
    return _methods("**Levers.** Each lever changes named parameters of the scenario (set, scale, shift, cap or floor), "
                    "applied to every Monte Carlo draw; the levered and the base scenario share the same draws, so "
                    "each change is measured draw by draw. Before anything is computed each change is checked "
                    "against the parameter's allowed range and the rule that levies leave a non-negative remainder. "
                    "Ownership levers move a share of one actor's part of a recipients table (the junta's stakes in the "
                    "mines) to another. Each lever file says under which scenarios it is feasible and why, and which "
                    "levers it must never be combined with; infeasible options are computed but ranked after every "
                    "feasible one, and conflicting pairs are not formed. The value destroyed per junta dollar denied "
                    "is the realised value lost (all actors' losses together) over the junta's loss. "
                    "The sanctions levers (enforcing the gem sanctions, certification, and the price effect of "
                    "screening the conglomerates' concessions) derive their changes from a mechanism: the share of "
                    "Mogok's value sold into sanctioning markets, the chance that origin "
                    "laundering through Thailand, India or Hong Kong is caught, the discount on a refused stone and "
                    "how much of it reaches the mine gate, each a share with a sourced range or an assumption with "
                    "one (data/lever_mechanisms.yaml and the lever files). Where a lever cuts the junta's take, the junta "
                    "recovers an uncertain share of the loss (an assumption with a range) by raising its other levies "
                    "on sales, paid by those paid out of the mine-gate value; every option meets the same draws of the "
                    f"market and of this response, so they are compared on the same world. Options are {RANKING_CRITERION}. "
                    f"This report: {r.n_draws:,} draws, seed {r.seed}.")


def caveats() -> str:
    return _caveats("- **Most lever effects are judgements.** Only the sanctions levers' changes come from a "
                    "mechanism with named parameters, and no source gives a figure for any of those parameters: each "
                    "is an assumption whose range the sources bound. Every other lever's change (the price effect of "
                    "screening concessions, the ownership shares, the caps, the routes) is a judgement with a range "
                    "in its lever file.\n- **One response is modelled, crudely.** The junta recovers a share of any "
                    "loss through its other levies (an assumption with a range, data/lever_mechanisms.yaml); armed groups' "
                    "and traders' responses "
                    "are not modelled.\n- **Reopening routes can raise the "
                    "junta's take** where the junta holds the roads: more trade passes its checkpoints and its "
                    "concessions.\n- **A ratio is not a property of a lever when the lever works only through volume "
                    "and price.** A uniform price cut cuts every actor's flow in proportion, so its junta dollars "
                    "denied per miners' dollar lost is just the junta's flow over the miners' (flagged in the table).\n"
                    "- **Ownership shares are judgements.** How much of the conglomerates' stakes sanctions or "
                    "disclosure would move is not measured anywhere; each lever file gives its range.\n")


# --- numbered figures and tables ---------------------------------------------------------------------------

def tradeoff_figure(r: PolicyResults) -> dict:
    table, titles = r.table, lever_titles(r)
    singles = table[table["levers"] == 1]
    parts = "; ".join(f"{titles[k]}: junta {'+' if row['junta'] >= 0 else '-'}{money_short(abs(row['junta']))}, miners "
                      f"{'+' if row['miners'] >= 0 else '-'}{money_short(abs(row['miners']))}" for k, row in singles.iterrows())
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
    return {"name": "levers", "data": lever_numbers(r),
            "units": "change in US$ million a year (negative: that side loses), P5 and P95 its 90% interval; ratios "
                     "in dollars (empty where the junta loses nothing, or miners do not lose); share from 0 to 1",
            "caption": lever_table_caption(r).strip("*")}
