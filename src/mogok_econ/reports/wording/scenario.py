"""The wording of a scenario report: its title, headline, income per miner, what is not realised and
what drives the junta's take, from a ScenarioResults bundle."""
from __future__ import annotations

import pandas as pd

from ...core.vocabulary import ACTOR_INFO, ACTOR_LABELS, ACTORS, CHANNEL_WORDS, PARAMETERS
from ..bundles import ScenarioResults
from ..formatting import interval, money
from .common import methods as _methods


def title_markdown(r: ScenarioResults) -> str:
    s = r.scenario
    lines = [f"# Who keeps the money from Mogok's rubies: {s.title}",
             f"*Scenario `{s.name}`, {s.period_label}.*", "", s.summary]
    if r.overridden:
        lines += ["", "**Note:** this run overrides the scenario's data: "
                  + ", ".join(f"{k} = {money(v)}" for k, v in r.overridden.items()) + "."]
    return "\n".join(lines)


def headline_markdown(r: ScenarioResults) -> str:
    """The executive summary: who gets what, in dollars and shares, with 90% intervals."""
    sp, q = r.split, r.quantiles
    realised = sp.realised_value_usd
    junta = sp.flows_usd["junta"]
    lines = [
        f"**About {money(realised)} of rubies a year are sold** in this scenario (90% interval "
        f"{interval(q.loc['realised_value_usd', 'p5'], q.loc['realised_value_usd', 'p95'])}), out of "
        f"{money(sp.gross_value_usd)} that a year's output would fetch at undisrupted production and "
        f"normal prices; **the junta keeps {money(junta)} a year** ({sp.shares['junta']:.0%} of sales; 90% "
        f"interval {interval(q.loc['junta', 'p5'], q.loc['junta', 'p95'])}).", "",
    ]
    order = sp.flows_usd.sort_values(ascending=False).index
    for actor in order:
        share = sp.shares[actor]
        lines.append(f"- **{ACTOR_INFO[actor].keeps}** {money(sp.flows_usd[actor])} a year "
                     f"({share:.0%} of sales; 90% interval {interval(q.loc[actor, 'p5'], q.loc[actor, 'p95'])}).")
    lines += ["", f"The junta's take comes through these channels: {_junta_channels(r)}"]
    income = income_markdown(r)
    if income:
        lines += ["", income]
    return "\n".join(lines)


def _junta_channels(r: ScenarioResults) -> str:
    """Through which channels the junta's money comes (point estimate)."""
    if r.split.realised_value_usd == 0:
        return "nothing is sold, so no one is paid."
    parts = r.split.channels_usd["junta"]
    total = parts.sum()
    if total <= 0:
        return "none: in this scenario the junta receives no share of any levy and owns no mines."
    ranked = parts[parts > 0].sort_values(ascending=False)
    return ", ".join(f"{CHANNEL_WORDS[name]} {value / total:.0%}" for name, value in ranked.items()) + "."


def income_markdown(r: ScenarioResults) -> str:
    """The implied monthly income per miner, beside the wage reported for company miners (an observable)."""
    income = r.split.miner_income_usd_per_month
    wage = r.reported_wage
    if income is None:
        return ""
    q = r.quantiles.loc["miner_income_usd_per_month"]
    n = r.scenario.parameters["miner_count"].point
    text = (f"Spread over about {n:,.0f} people mining, the miners' share is **{money(income)} per miner a "
            f"month** (90% interval {money(q['p5'])} to {money(q['p95'])})")
    if wage is None or wage.high is None:
        return text + "."
    compare = "below" if income < wage.high else "above"
    start, end = wage.period
    return (text + f", {compare} the wages of under {money(wage.high)} a month plus commission reported for "
            f"company miners in {start[:4]}-{end[2:4]} ({', '.join(wage.sources)}). "
            "Where it is far below, either the official value of output understates the real trade (much "
            "of it is smuggled) or many of those counted mine part-time.")


def key_numbers(r: ScenarioResults) -> pd.DataFrame:
    """The headline table: each actor's take (US$ million a year), share and 90% interval."""
    sp, q = r.split, r.quantiles
    rows = []
    for actor in ACTORS:
        rows.append({"Actor": ACTOR_LABELS[actor], "Central estimate (US$ M/yr)": sp.flows_usd[actor] / 1e6,
                     "Share of sales": sp.shares[actor], "P5": q.loc[actor, "p5"] / 1e6,
                     "Median": q.loc[actor, "p50"] / 1e6, "P95": q.loc[actor, "p95"] / 1e6})
    rows.append({"Actor": "All sales (realised revenue)", "Central estimate (US$ M/yr)": sp.realised_value_usd / 1e6,
                 "Share of sales": 1.0 if sp.realised_value_usd else 0.0,
                 "P5": q.loc["realised_value_usd", "p5"] / 1e6, "Median": q.loc["realised_value_usd", "p50"] / 1e6,
                 "P95": q.loc["realised_value_usd", "p95"] / 1e6})
    return pd.DataFrame(rows).set_index("Actor")


def unrealised_markdown(r: ScenarioResults) -> str:
    sp = r.split
    g = sp.gross_value_usd
    u = sp.unrealised_usd
    v = r.scenario.point_values()
    return "\n".join([
        f"Of the {money(g)} that a year's output would fetch in normal times, {money(g - sp.realised_value_usd)} "
        f"({(g - sp.realised_value_usd) / g:.0%}) is not realised this year:", "",
        f"- **{money(u['production_shortfall'])} is never mined**: only {v['production_factor']:.0%} of normal output "
        "is dug (fighting, airstrikes, people fleeing, bans on machinery).",
        f"- **{money(u['stockpiled'])} is mined but not sold within the year**: only {v['market_access']:.0%} of "
        "what is mined reaches buyers (closed checkpoints, blocked routes); the rest is stockpiled or hidden.",
        f"- **{money(u['price_effect'])} is lost to lower prices**: stones sell at {v['price_factor']:.0%} of their "
        "normal price (hesitant buyers, distress sales, sanctions).",
        "", "Stockpiled stones are not lost for good: they may be sold later, under whoever then holds the roads.",
    ])


def sensitivity_markdown(r: ScenarioResults) -> str:
    t, s = r.tornado, r.sobol
    if t.empty or s.attrs.get("constant_output"):
        return "The junta's take does not depend on any uncertain parameter in this scenario."
    top = t.index[0]
    row = t.iloc[0]
    lo, hi = sorted((row["output_at_low"], row["output_at_high"]))
    leaders = s.index[:3]
    shares = ", ".join(f"{PARAMETERS[k].label.lower()} ({s.loc[k, 'ST']:.0%})" for k in leaders)
    return (f"Moving one assumption at a time across its 90% range, **{PARAMETERS[top].label.lower()}** "
            f"moves the junta's take most: from {money(lo)} to {money(hi)} a year. Taking all uncertainties "
            f"together (Sobol total-effect indices, the share of the variance each parameter accounts for, "
            f"including its interactions), the largest are {shares}. Better evidence on these would narrow "
            "the estimate most.")


def methods(r: ScenarioResults) -> str:
    return _methods(f"This report: {r.n_draws:,} draws, seed {r.seed}; Sobol indices from "
                    f"{r.sobol.attrs.get('model_runs', 0):,} model runs.")
