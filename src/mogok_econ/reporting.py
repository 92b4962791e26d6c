"""What the report notebooks show, computed and worded once (so notebooks stay thin and the wording is
tested): the results behind a report, and the plain-language sentences and tables built from them."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .analysis import Split, point_estimate
from .comparison import chronological, intervals, point_flows, shift, simulate_all, transitions
from .constants import ACTOR_LABELS, ACTORS, DEFAULT_SEED, PARAMETERS
from .distributions import Fixed
from .scenarios import Parameter, Scenario, available_scenarios, load_scenario  # noqa: F401 - used by notebooks
from .sensitivity import sobol, tornado
from .sources import ASSUMPTION, Bibliography, load_bibliography
from .cache import cached_monte_carlo
from .uncertainty import quantiles

#: Reported wages to set the implied income beside (AFP, 2017: company miners).
REPORTED_WAGE_USD_PER_MONTH = 200
REPORTED_WAGE_SOURCE = "afp-2017-01-05-land-of-rubies"


def money(value: float, digits: int = 1) -> str:
    """$12.3 million, $394,000 (under a million: to the nearest thousand), $85, -$2.1 million."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value >= 1e6 - 5e4 * 10 ** -digits:
        return f"{sign}${value / 1e6:,.{digits}f} million"
    if value >= 1e4:
        return f"{sign}${round(value, -3):,.0f}"
    return f"{sign}${value:,.0f}"


KEEP = {"junta": "The junta keeps", "armed_groups": "The armed groups keep", "miners": "Miners keep",
        "mine_owners": "Mine owners keep", "traders": "Traders keep"}


def md(text: str) -> str:
    """Markdown for the reports: dollar signs escaped, or Jupyter and nbconvert read them as LaTeX maths."""
    return re.sub(r"(?<!\\)\$", r"\\$", text)


def show(markdown: str) -> None:
    """Display Markdown in a notebook (dollar signs escaped)."""
    from IPython.display import Markdown, display

    display(Markdown(md(markdown)))


def show_figure(fig) -> None:
    """Display a figure once and close it (so no backend shows it a second time)."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


def interval(p5: float, p95: float) -> str:
    return f"{money(p5)} to {money(p95)}"


@dataclass
class ScenarioResults:
    """Everything a scenario report shows, computed once."""

    scenario: Scenario
    split: Split
    draws: pd.DataFrame
    quantiles: pd.DataFrame
    tornado: pd.DataFrame
    sobol: pd.DataFrame
    n_draws: int
    seed: int
    overridden: dict


def scenario_results(scenario: str, draws: int = 100_000, seed: int = DEFAULT_SEED,
                     gross_value_usd: float | None = None, sobol_samples: int = 4096) -> ScenarioResults:
    """Load a scenario (optionally with gross value fixed at `gross_value_usd`) and run every analysis."""
    s = load_scenario(scenario)
    overridden = {}
    if gross_value_usd is not None:
        s = s.with_parameters({"gross_value_usd": Parameter(
            Fixed(float(gross_value_usd)), (ASSUMPTION,), "Set by the report's gross_value_usd parameter.",
            "USD per year", "report parameter")})
        overridden["gross_value_usd"] = float(gross_value_usd)
    frame = cached_monte_carlo(s, draws, seed)
    columns = list(ACTORS) + ["realised_value_usd"] + (["miner_income_usd_per_month"]
                                                       if "miner_income_usd_per_month" in frame else [])
    return ScenarioResults(s, point_estimate(s), frame, quantiles(frame, columns), tornado(s, "junta"),
                           sobol(s, "junta", base_samples=sobol_samples, seed=seed), draws, seed, overridden)


# --- words -----------------------------------------------------------------------------------------

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
        lines.append(f"- **{KEEP[actor]}** {money(sp.flows_usd[actor])} a year "
                     f"({share:.0%} of sales; 90% interval {interval(q.loc[actor, 'p5'], q.loc[actor, 'p95'])}).")
    lines += ["", f"The junta's take comes through these channels: {_junta_channels(r)}"]
    income = income_markdown(r)
    if income:
        lines += ["", income]
    return "\n".join(lines)


CHANNEL_WORDS = {"state_tax": "taxes and fees on formal sales", "extortion": "extortion on informal sales",
                 "checkpoints": "checkpoint levies", "trader_margin": "trading margins", "wages": "wages",
                 "owner_stakes": "stakes in mines"}


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
    """The implied monthly income per miner, beside reported wages."""
    income = r.split.miner_income_usd_per_month
    if income is None:
        return ""
    q = r.quantiles.loc["miner_income_usd_per_month"]
    n = r.scenario.parameters["miner_count"].point
    compare = ("below" if income < REPORTED_WAGE_USD_PER_MONTH else "above")
    return (f"Spread over about {n:,.0f} people mining, the miners' share is **{money(income)} per miner a "
            f"month** (90% interval {money(q['p5'])} to {money(q['p95'])}), {compare} the wages of under "
            f"${REPORTED_WAGE_USD_PER_MONTH} a month plus commission reported for company miners in 2016-17. "
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


def styled(frame: pd.DataFrame, formats, uuid: str):
    """A pandas Styler with fixed element ids (`uuid`), so executed notebooks are reproducible."""
    text = [c for c in frame.columns if frame[c].dtype == object]
    styler = frame.style.format(formats).set_uuid(uuid)
    return styler.set_properties(subset=text, **{"text-align": "left"}) if text else styler


def format_money_table(frame: pd.DataFrame, share_columns: tuple[str, ...] = ("Share of sales",), uuid: str = "money"):
    """Millions to one decimal and shares as percentages (for the reports)."""
    return styled(frame, {c: ("{:.0%}" if c in share_columns else "{:,.1f}") for c in frame.columns}, uuid)


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
    from .plots import parameter_label
    top = t.index[0]
    row = t.iloc[0]
    lo, hi = sorted((row["output_at_low"], row["output_at_high"]))
    leaders = s.index[:3]
    shares = ", ".join(f"{parameter_label(k).split(' (')[0].lower()} ({s.loc[k, 'ST']:.0%})" for k in leaders)
    return (f"Moving one assumption at a time across its 90% range, **{parameter_label(top).split(' (')[0].lower()}** "
            f"moves the junta's take most: from {money(lo)} to {money(hi)} a year. Taking all uncertainties "
            f"together (Sobol total-effect indices, the share of the variance each parameter accounts for, "
            f"including its interactions), the largest are {shares}. Better evidence on these would narrow "
            "the estimate most.")


def parameter_table(s: Scenario) -> pd.DataFrame:
    """The assumptions: point value, range and sources, in words for readers (display with `styled`)."""
    table = s.parameter_table()
    out = pd.DataFrame({
        "Meaning": table["meaning"],
        "Value used": [_fmt_value(k, v) for k, v in table["point"].items()],
        "Range": [("fixed" if lo == hi else f"{_fmt_value(k, lo)} to {_fmt_value(k, hi)}")
                  for k, lo, hi in zip(table.index, table["low"], table["high"])],
        "Source": [src.replace(ASSUMPTION, "assumption") for src in table["sources"]],
        "Note": table["note"],
    })
    out.index = [f"{k} ({PARAMETERS[k].symbol})" for k in table.index]
    return out


def _fmt_value(key: str, value: float) -> str:
    if key == "gross_value_usd":
        return money(value, 0)
    if key == "miner_count":
        return f"{value:,.0f}"
    if key == "price_factor":
        return f"{value:.2f}"
    return f"{value:.0%}" if value * 100 == round(value * 100) else f"{value:.1%}"


def recipients_table(s: Scenario) -> pd.DataFrame:
    """Who receives each levy and who owns the mines (shares of each)."""
    labels = {"state_tax_to": "Taxes and fees on formal sales", "extortion_to": "Extortion on informal sales",
              "checkpoint_to": "Checkpoint levies", "owner_stakes": "Ownership of the mines"}
    frame = pd.DataFrame({labels[t]: {ACTOR_LABELS[a]: s.recipients[t].get(a, 0.0) for a in ACTORS}
                          for t in labels}).T
    return frame


def cited_ids(scenarios: list[Scenario]) -> list[str]:
    ids: list[str] = []
    for s in scenarios:
        for p in s.parameters.values():
            ids += [i for i in p.sources if i != ASSUMPTION and i not in ids]
    return ids


def references_markdown(ids: list[str], bibliography: Bibliography | None = None) -> str:
    bib = bibliography or load_bibliography()
    lines = []
    for n, i in enumerate(sorted(ids), 1):
        citation = bib.cite(i)
        url = bib[i].url
        if url:  # shown as text, not a link: the reports make no reference to the network
            citation = citation.replace(url, f"`{url}`")
        lines.append(f"{n}. **{i}**: {citation}")
    return "\n".join(lines) + ("\n\nValues marked *assumption* are judgements of the mogok-econ authors; "
                               "the note beside each says why, and its range says how unsure it is.")


METHODS_MARKDOWN = """\
The model follows every dollar of a year's ruby output from the mine to the actor who keeps it
(specification: MODEL.md in the project). **Stage 1**: realised revenue R = G · p · a · q, where G is the
value of a year's output at undisrupted production and normal prices, p the share actually mined, a the
share reaching buyers within the year and q the realised price relative to normal. **Stage 2**: taxes on
formal sales (rate t on the formal share f), extortion on informal sales (rate x), checkpoint levies
(rate c) and traders' margins (m) are taken from sales; each levy goes to its recipients; the remainder
at the mine gate is split between the miners (share w) and the mines' owners. The books always balance:
the flows add up to R, and R plus what is not realised adds up to G; automated tests check this.

**Uncertainty**: every uncertain input is a distribution (triangular, PERT or uniform) with an honest
range. The Monte Carlo draws all of them independently from a seeded random generator, so the same
inputs always give the same numbers; intervals are the 5th to 95th percentiles of the draws (a 90%
interval). **Sensitivity**: the tornado moves one input at a time across its 5th-95th percentile range;
Sobol indices (SALib) apportion the variance of the junta's take among all inputs together.
"""

GENERAL_CAVEATS = """\
- **The size of the trade is uncertain by design.** G is bounded by the "up to $400 million a year"
  figure, which traces to official data; smuggling means the real trade may be several times larger
  (Global Witness's estimate for the whole coloured-gem sector, illicit trade included, is $1.7-2.1
  billion). All flows scale with G: read the shares as firmer than the dollar amounts.
- **Few rates are reported; many are judgements.** Extortion, checkpoint levies, traders' margins and
  miners' shares are rarely documented. Each such value is marked *assumption* with a note and a wide
  range; the intervals carry that uncertainty, but cannot carry errors in the structure of the model.
- **"Junta" includes the state in 2016-21.** Before the coup of February 2021 the state's taxes went to a
  civilian-led government, while the military held the security ministries and its conglomerates held
  mines. The model has no separate treasury actor; the licensing-era scenario books state taxes to the
  junta row, which overstates the military's own take in that period.
- **Inputs are drawn independently.** In reality they move together (fighting lowers production, access
  and prices at once), so the true intervals may be wider than shown.
- **One year at a time.** Stockpiled stones are reported but not carried forward into later years.
- **Reporting is thin since November 2025.** No reporting on fiscal terms after the junta's return was
  found; that scenario rests on assumptions with wide ranges.
"""


# --- comparison ------------------------------------------------------------------------------------

@dataclass
class ComparisonResults:
    scenarios: list[Scenario]
    point: pd.DataFrame
    frames: dict[str, pd.DataFrame]
    junta: pd.DataFrame
    drivers: pd.DataFrame
    n_draws: int
    seed: int


def comparison_results(scenarios: list[str] | None = None, draws: int = 100_000,
                       seed: int = DEFAULT_SEED) -> ComparisonResults:
    names = scenarios or available_scenarios()
    loaded = chronological([load_scenario(n) for n in names])
    frames = simulate_all(loaded, draws, seed)
    return ComparisonResults(loaded, point_flows(loaded), frames, intervals(frames, "junta"),
                             transitions(loaded, "junta"), draws, seed)


def comparison_table(c: ComparisonResults) -> pd.DataFrame:
    """Each actor's take per scenario, US$ million a year (point estimate), plus the junta's interval."""
    t = c.point[list(ACTORS) + ["realised_value_usd"]] / 1e6
    t.columns = [ACTOR_LABELS[a] for a in ACTORS] + ["All sales"]
    t["Junta P5"] = c.junta["p5"] / 1e6
    t["Junta P95"] = c.junta["p95"] / 1e6
    t.index = [f"{s.name} ({s.period_start} to {s.period_end or 'open'})" for s in c.scenarios]
    return t


def comparison_shares(c: ComparisonResults) -> pd.DataFrame:
    shares = c.point[list(ACTORS)].div(c.point["realised_value_usd"].where(c.point["realised_value_usd"] > 0), axis=0)
    shares.columns = [ACTOR_LABELS[a] for a in ACTORS]
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
                     f"{interval(q['p5'], q['p95'])}), the armed groups {money(row['armed_groups'])}, the miners "
                     f"{money(row['miners'])}.")
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


# --- timeline --------------------------------------------------------------------------------------

def timeline_headline(t) -> str:
    """The timeline report's summary: totals by side since 2016 and the junta's take since the coup."""
    from .timeline import COUP

    first, last = t.weights.index[0], t.weights.index[-1]
    total = t.monthly_point.sum()
    since = t.cumulative("junta", COUP).iloc[-1]
    current = t.timeline.current_scenario
    lines = [f"**Since the coup of 1 February 2021 the junta has taken about {money(since['point'])}** from "
             f"Mogok's rubies (90% interval {interval(since['p5'], since['p95'])}, to {last.strftime('%B %Y')}); "
             f"under the scenario in force now (`{current}`) it takes "
             f"{money(t.annual_point.loc[current, 'junta'])} a year at the central estimate.", "",
             f"From {first.strftime('%B %Y')} to {last.strftime('%B %Y')}, Mogok's ruby sales came to about "
             f"**{money(total['realised_value_usd'])}** at central estimates. Of that:", ""]
    for actor in total[list(ACTORS)].sort_values(ascending=False).index:
        lines.append(f"- **{KEEP[actor]}** {money(total[actor])} ({total[actor] / total['realised_value_usd']:.0%}).")
    return "\n".join(lines)


def events_for_chart(t, since: str = "2016-01-01") -> list[tuple[int, object, str]]:
    events = [e for e in t.timeline.events if str(e.date) >= since]
    return [(i, e.date, e.title) for i, e in enumerate(events, 1)]


def events_table(t) -> pd.DataFrame:
    """The numbered events of the chart, with their sources and any other dates reported."""
    rows = []
    for number, date, _ in events_for_chart(t):
        event = next(e for e in t.timeline.events if e.date == date and e.title == _)
        others = "; ".join(f"{d} ({', '.join(s)})" for d, s, _n in event.other_dates)
        rows.append({"No.": number, "Date": str(date), "Event": event.title, "Sources": ", ".join(event.sources),
                     "Other dates reported": others})
    return pd.DataFrame(rows).set_index("No.")


def periods_table(t) -> pd.DataFrame:
    totals = t.totals_by_period()
    out = pd.DataFrame({
        "From": totals["from"].astype(str), "To (exclusive)": totals["to"].astype(str),
        "Scenario": totals["scenario"], "Years": totals["years"],
        **{ACTOR_LABELS[a] + " (US$ M)": totals[a] / 1e6 for a in ACTORS},
    })
    return out


def capture_date_markdown(t) -> str:
    """Where sources disagree on the date of the TNLA capture, and which date the model uses."""
    capture = [e for e in t.timeline.events if e.other_dates and "captur" in e.title.lower()]
    if not capture:
        return ""
    e = capture[0]
    others = "; ".join(f"{d} ({', '.join(s)}){': ' + n if n else ''}" for d, s, n in e.other_dates)
    return (f"**Dates that sources disagree on.** {e.title}: the model uses **{e.date}** "
            f"({', '.join(e.sources)}). Also reported: {others}")


# --- policy levers ---------------------------------------------------------------------------------

def lever_table(table: pd.DataFrame) -> pd.DataFrame:
    """Ranked levers for readers: the change in each side's take and the ratio, US$ M a year."""
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
        "Junta $ denied per miners' $ lost": [ratio(r) for _, r in table.iterrows()],
    }, index=[i.replace("_", " ") for i in table.index])
    out.index.name = "Lever(s)"
    return out


def policy_headline(scenario: Scenario, table: pd.DataFrame, skipped: dict[str, str]) -> str:
    singles = table[table["levers"] == 1]
    best = table.iloc[0]
    lines = [f"Under **{scenario.title}** the junta keeps {money(split_point(scenario)['junta'])} a year at the "
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


def split_point(scenario: Scenario) -> pd.Series:
    return point_estimate(scenario).flows_usd


def lever_descriptions(levers) -> str:
    parts = []
    for lever in levers:
        changes = "; ".join(c.describe() for c in lever.changes)
        parts.append(f"**{lever.title}** (`{lever.name}`). {lever.summary} *Changes:* {changes}. "
                     f"*Sources:* {', '.join(lever.sources)}.")
    return "\n\n".join(parts)

