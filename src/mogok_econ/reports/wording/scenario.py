"""The wording of a scenario report: its title, headline, income per miner, what is not realised and
what drives the junta's take, from a ScenarioResults bundle."""
from __future__ import annotations

import pandas as pd

from ...core.vocabulary import ACTOR_INFO, ACTORS, CHANNEL_WORDS, GROUP_INFO, GROUPS, PARAMETERS
from ...core.vocabulary import TAKE_LABELS as LABELS
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
    """The executive summary: what is sold and recorded, who gets what in dollars and shares, with 90%
    intervals; the armed groups together; the junta's channels; the miners' incomes."""
    sp, q = r.split, r.quantiles
    junta = sp.flows_usd["junta"]
    lines = [
        f"**About {money(sp.realised_value_usd)} of gems a year are sold** in this scenario (90% interval "
        f"{_interval(q, 'realised_value_usd')}), of which **{money(sp.recorded_value_usd)} is recorded** "
        f"through the formal channel (90% interval {_interval(q, 'recorded_value_usd')}): official series see only "
        f"that part. A year's output would fetch {money(sp.gross_value_usd)} at undisrupted production and "
        f"reference prices. **The junta keeps {money(junta)} a year** ({sp.shares['junta']:.0%} of sales; 90% "
        f"interval {_interval(q, 'junta')}).", "",
    ]
    for actor in sp.flows_usd.sort_values(ascending=False).index:
        if sp.flows_usd[actor] <= 0 and q.loc[actor, "p95"] <= 0:
            continue
        lines.append(f"- **{ACTOR_INFO[actor].keeps}** {money(sp.flows_usd[actor])} a year "
                     f"({sp.shares[actor]:.0%} of sales; 90% interval {_interval(q, actor)}).")
    for group, members in GROUPS.items():
        names = ", ".join(ACTOR_INFO[m].in_text for m in members)
        lines.append(f"- **{GROUP_INFO[group].keeps}** together ({names}) {money(sp.groups_usd[group])} a year "
                     f"({sp.shares[group]:.0%} of sales; 90% interval {_interval(q, group)}).")
    nothing = [ACTOR_INFO[a].in_text for a in ACTORS if sp.flows_usd[a] <= 0 and q.loc[a, "p95"] <= 0]
    if nothing:
        lines.append(f"- Nothing goes to {' or '.join(nothing)} in this scenario.")
    lines += ["", f"The junta's take comes through these channels: {_junta_channels(r)}", "", income_markdown(r)]
    return "\n".join(lines)


def _interval(q: pd.DataFrame, row: str) -> str:
    return interval(q.loc[row, "p5"], q.loc[row, "p95"])


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
    """The miners' incomes: wage workers employed and their wage, lay-offs, a hand-miner's mean income
    (heavy-tailed), and the mean per miner."""
    sp, q = r.split, r.quantiles
    n = r.scenario.parameters["miner_count"].point
    text = [f"**Miners.** Of about {n:,.0f} people mining, about {sp.wage_workers_employed:,.0f} are employed for "
            f"wages on company sites, at {money(sp.wage_usd_per_month)} a month with commission (90% interval "
            f"{money(q.loc['wage_usd_per_month', 'p5'])} to {money(q.loc['wage_usd_per_month', 'p95'])})."]
    if sp.wage_workers_laid_off >= 1:
        text.append(f"The sites cannot pay for about {sp.wage_workers_laid_off:,.0f} more wage positions the "
                    "scenario's share of wage work implies: those workers are laid off and counted among the "
                    "hand-miners.")
    text.append(f"A hand-miner keeps {money(sp.hand_miner_income_usd_per_month)} a month on average (90% interval "
                f"{money(q.loc['hand_miner_income_usd_per_month', 'p5'])} to "
                f"{money(q.loc['hand_miner_income_usd_per_month', 'p95'])}) after the levy, the landholder's share "
                "and fees: a mean over a heavy tail (most dig little, a few find a valuable stone), so it is not "
                "a wage and most earn less.")
    text.append(f"Across all miners the mean is {money(sp.miner_income_usd_per_month)} a month. The section \"The miners\" "
                "below sets these beside what was reported.")
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
                     "Median": q.loc[actor, "p50"] / 1e6, "P95": q.loc[actor, "p95"] / 1e6})
    rows.append({"Actor": "All sales (realised revenue)", "Central estimate (US$ M/yr)": sp.realised_value_usd / 1e6,
                 "Share of sales": 1.0 if sp.realised_value_usd else 0.0,
                 "P5": q.loc["realised_value_usd", "p5"] / 1e6, "Median": q.loc["realised_value_usd", "p50"] / 1e6,
                 "P95": q.loc["realised_value_usd", "p95"] / 1e6})
    rows.append({"Actor": "of which recorded (formal sales)", "Central estimate (US$ M/yr)": sp.recorded_value_usd / 1e6,
                 "Share of sales": sp.recorded_value_usd / sp.realised_value_usd if sp.realised_value_usd else 0.0,
                 "P5": q.loc["recorded_value_usd", "p5"] / 1e6, "Median": q.loc["recorded_value_usd", "p50"] / 1e6,
                 "P95": q.loc["recorded_value_usd", "p95"] / 1e6})
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
        "what is mined reaches buyers (closed checkpoints, blocked routes); the rest is stockpiled or hidden, "
        "and the timeline report follows it until it is sold, seized or lost.",
        f"- **{money(u['price_effect'])} is lost to lower prices**: stones sell at {v['price_factor']:.0%} of their "
        "normal price (hesitant buyers, distress sales, sanctions).",
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
