"""The wording of the timeline report: totals since 2016 and since the coup, the numbered events, the
periods, and the dates that sources disagree on, from a TimelineReportResults bundle."""
from __future__ import annotations

import pandas as pd

from ...core.vocabulary import (
    ACTOR_INFO,
    ACTORS,
    GROUP_INFO,
    GROUPS,
    TAKE_LABELS,
    actor_info,
    junta_in_text,
    junta_label,
    junta_verb,
)
from ...inputs.timeline import COUP
from ...inputs.world import World, shipped_world
from ...results.bundles import TimelineReportResults
from ..charts import event_clusters
from ..display import label, ref, styled, text
from ..formatting import interval, money
from .common import caveats as _caveats
from .common import methods as _methods
from .common import short_title

MONEY_UNITS = "US$ million"


def _m(value: float) -> str:
    return money(value).replace(" million", "M")


def _titles(r: TimelineReportResults) -> dict[str, str]:
    return {s.name: short_title(s) for s in r.scenarios}


def timeline_headline(r: TimelineReportResults) -> str:
    """The timeline report's summary: the junta's take since the coup, observed and projected (each side's
    totals since 2016 are in the month-by-month section: timeline_totals)."""
    t = r.flows
    last = t.weights.index[-1]
    since = t.cumulative("junta", COUP).iloc[-1]
    current = t.timeline.current_scenario
    evidence_to = (r.world or shipped_world()).newest_evidence
    parts = t.observed_and_projected("junta", COUP, evidence_to)
    end = t.timeline.periods[-1].end
    lines = [f"**Since the coup of 1 February 2021 {junta_in_text(COUP, end)} {junta_verb(COUP, end)} taken "
             f"about {money(since['point'])}** from "
             f"Mogok's rubies (90% interval {interval(since['p5'], since['p95'])}, to {last.strftime('%B %Y')}; "
             f"{ref('since-coup')}); "
             f"under the scenario in force now ({text(_titles(r).get(current, current))}) it takes "
             f"{money(t.annual_point.loc[current, 'junta'])} a year at the central estimate."]
    if parts.loc["projected", "point"] > 0:
        lines[0] += (f" Of the total since the coup, {money(parts.loc['observed', 'point'])} (90% interval "
                     f"{interval(parts.loc['observed', 'p5'], parts.loc['observed', 'p95'])}) runs to the end of "
                     f"{evidence_to.strftime('%B %Y')}, the month of the newest evidence; the other "
                     f"{money(parts.loc['projected', 'point'])} is a **projection**, which assumes that the situation "
                     "then has gone on.")
    return "\n".join(lines)


def timeline_totals(r: TimelineReportResults) -> str:
    """Each side's total since the first month, in the month-by-month section (the headline above is the
    junta's since the coup: page 1 then holds the headline and its chart)."""
    t = r.flows
    first, last = t.weights.index[0], t.weights.index[-1]
    total = t.monthly_point.sum()
    end = t.timeline.periods[-1].end
    lines = [f"From {first.strftime('%B %Y')} to {last.strftime('%B %Y')}, Mogok's ruby sales came to about "
             f"**{money(total['realised_value_usd'])}** at central estimates ({ref('monthly')}). Of that:", ""]
    for actor in total[list(ACTORS)].sort_values(ascending=False).index:
        if total[actor] > 0:
            lines.append(f"- **{actor_info(actor, t.timeline.periods[0].start, end).keeps}** {money(total[actor])} "
                         f"({total[actor] / total['realised_value_usd']:.0%}).")
    for group, members in GROUPS.items():
        lines.append(f"- **{GROUP_INFO[group].keeps}** together ({', '.join(ACTOR_INFO[m].in_text for m in members)}) "
                     f"{money(total[group])} ({total[group] / total['realised_value_usd']:.0%}).")
    lines += ["", f"These totals include {money(total['sales_from_stock_usd'])} of stones sold from stock, months "
              "after they were mined (see the stock below)."]
    return "\n".join(lines)


def stock_markdown(r: TimelineReportResults) -> str:
    """The stock of unsold stones: its peak, what the TNLA period left, and its fate after the junta's return."""
    t = r.flows
    m = t.monthly_point
    peak_month = m["stock_usd"].idxmax()
    lines = [f"Stones mined but not sold wait in a stock that remembers whose they are. It peaked at about "
             f"**{money(m.loc[peak_month, 'stock_usd'])}** in {peak_month.strftime('%B %Y')} (central estimate)."]
    tnla = [p for p in t.timeline.periods if p.scenario.startswith("tnla")]
    if tnla:
        end = tnla[-1].end
        before = pd.Period(end, "M") - 1
        after = m.loc[pd.Period(end, "M"):]
        lines.append(f"The TNLA's period ended on {end:%d %B %Y}; at the end of {before.strftime('%B %Y')}, the last "
                     f"month's end before it, about {money(m.loc[before, 'stock_usd'])} of stones were held. From "
                     f"{after.index[0].strftime('%B %Y')} on, {money(after['sales_from_stock_usd'].sum())} has been "
                     f"sold from stock, {money(after['seizures_usd'].sum())} seized and "
                     f"{money(after['destroyed_usd'].sum())} lost; {money(m['stock_usd'].iloc[-1])} is still held at "
                     f"the end of {m.index[-1].strftime('%B %Y')}.")
    lines.append("**Caution:** how fast stones held back under the TNLA are released, seized or lost after the "
                 "junta's return rests on little evidence (the release, seizure and loss rates are marked "
                 "assumptions with wide ranges), and it moves the junta's take since November 2025.")
    return " ".join(lines)


def events_for_chart(r: TimelineReportResults, since: str = "2016-01-01") -> list[tuple[int, object, str]]:
    """The events since `since`, numbered as the chart shows them: (number, date, title)."""
    t = r.flows
    events = [e for e in t.timeline.events if str(e.date) >= since]
    return [(i, e.date, e.title) for i, e in enumerate(events, 1)]


#: After an event's number in the events table: the chart marks it (it changed control of Mogok or its rules).
ON_CHART = " ▲"


def control_events_for_chart(r: TimelineReportResults) -> list[tuple[int, object, str]]:
    """The events the chart marks: those that change the model (control of Mogok, or its rules: an event's
    `changes` in data/timeline.yaml), numbered as in the events table, which lists every event."""
    changing = {(e.date, e.title) for e in r.flows.timeline.events if e.changes}
    return [(n, date, title) for n, date, title in events_for_chart(r) if (date, title) in changing]


def events_table(r: TimelineReportResults) -> pd.DataFrame:
    """The numbered events of the chart, with their sources and any other dates reported."""
    t = r.flows
    rows = []
    for number, date, _ in events_for_chart(r):
        event = next(e for e in t.timeline.events if e.date == date and e.title == _)
        others = "; ".join(f"{d} ({', '.join(s)})" for d, s, _n in event.other_dates)
        rows.append({"No.": f"{number}{ON_CHART if event.changes else ''}", "Date": str(date),
                     "Event": event.title, "Sources": ", ".join(event.sources),
                     "Other dates reported": others})
    return pd.DataFrame(rows).set_index("No.")


def periods_table(r: TimelineReportResults) -> pd.DataFrame:
    """Each period of control with each actor's total take over it (US$ million, central estimates)."""
    t = r.flows
    totals = t.totals_by_period()
    out = pd.DataFrame({
        "From": totals["from"].astype(str), "To (exclusive)": totals["to"].astype(str),
        "Scenario": [_titles(r).get(n, n) for n in totals["scenario"]],
        "Who the junta column is": [junta_label(a, b) for a, b in zip(totals["from"], totals["to"])],
        "Years": totals["years"],
        **{TAKE_LABELS[a] + " (US$ M)": totals[a] / 1e6 for a in (*ACTORS, *GROUPS)},
        "Of which from stock (US$ M)": totals["sales_from_stock_usd"] / 1e6,
    })
    return out.set_index("From")


def periods_table_formatted(r: TimelineReportResults):
    """The periods table as printed: the armed groups together (each group's members are in the CSV), years to
    two decimals and money to one (display it in a notebook)."""
    full = periods_table(r)
    members = [TAKE_LABELS[m] + " (US$ M)" for group in GROUPS.values() for m in group]
    table = full.drop(columns=members)
    table.index = [f"{start} to {end}" for start, end in zip(full.index, full["To (exclusive)"])]
    table.index.name = "Period (to the day before)"
    table = table.drop(columns=["To (exclusive)"])
    return styled(table, {"Years": "{:.2f}", **{c: "{:,.1f}" for c in table.columns if "US$" in c}}, uuid="periods")


def capture_date_markdown(r: TimelineReportResults) -> str:
    """Where sources disagree on the date of the TNLA capture, and which date the model uses."""
    t = r.flows
    capture = [e for e in t.timeline.events if e.other_dates and "captur" in e.title.lower()]
    if not capture:
        return ""
    e = capture[0]
    others = "; ".join(f"{text(d)} ({text(', '.join(s))}){': ' + text(n) if n else ''}" for d, s, n in e.other_dates)
    return (f"**Dates that sources disagree on.** {text(e.title)}: the model uses **{text(e.date)}** "
            f"({text(', '.join(e.sources))}). Also reported: {others}")


def methods(r: TimelineReportResults) -> str:
    t = r.flows
    return _methods("**Months.** A month's new sales are each scenario's annual split times the days it was in force "
                    "in the month over the days in that year, valued at that month's exchange rates. Stones mined "
                    "but not sold enter a stock that remembers each actor's share of their mine-gate value; each "
                    "month releases a share of it (the release rate times market access), sold at that month's "
                    "price and levies, and a share is seized or lost. The draws share the gross value of output "
                    "and the exchange rates across scenarios and months; each scenario's own parameters hold "
                    f"through every month it is in force. This report: {t.n_draws:,} draws per scenario, seed {t.seed}.")


def caveats() -> str:
    return _caveats("- **Within a period nothing changes.** The model holds each period's parameters constant; "
                    "real output and levies varied month to month.\n")


# --- numbered figures and tables ---------------------------------------------------------------------------

def _month_index(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.index = [str(p) for p in frame.index]
    frame.index.name = "Month"
    return frame


def monthly_figure(r: TimelineReportResults) -> dict:
    t = r.flows
    m = t.monthly_point
    total = m.sum()
    first, last = t.weights.index[0].strftime("%B %Y"), t.weights.index[-1].strftime("%B %Y")
    sides = "; ".join(f"{TAKE_LABELS[a].lower()} {_m(total[a])}" for a in total[list(ACTORS)].sort_values(ascending=False).index
                      if total[a] > 0)
    events = control_events_for_chart(r)
    shared = "; ".join(", ".join(str(n) for n in numbers) for numbers, _ in event_clusters(events) if len(numbers) > 1)
    band = t.monthly_band("junta")
    data = _month_index(pd.concat([m[list(ACTORS)] / 1e6, (band[["p5", "p95"]] / 1e6).add_prefix("Junta ")], axis=1))
    data.columns = [TAKE_LABELS.get(c, c) for c in data.columns]
    return {"name": "monthly", "units": "US$ million a month, central estimates; the junta's 90% interval", "data": data,
            "caption": "Who kept Mogok's ruby money, month by month: each side's take (top, stacked, central estimates) "
                       "and the military's (the junta's since the coup) with its 90% interval (bottom); the numbers "
                       "mark the events that changed control of Mogok or its rules, numbered as in "
                       f"{label('events', 'table')}, which lists every event.",
            "alt": (f"Stacked area chart of each side's take month by month from {first} to {last}, central estimates. "
                    f"Sales over the whole period: {_m(total['realised_value_usd'])}; kept by {sides}. Below, the junta's "
                    f"monthly take with its 90% band. {len(events)} events that changed control or the rules are marked by number"
                    + (f" (events close together share a marker: {shared})" if shared else "") + ".")}


def evidence_month(world: World) -> pd.Period:
    """The month of the newest evidence in `world`: totals after it are projections."""
    return pd.Period(world.newest_evidence, freq="M")


def since_coup_figure(r: TimelineReportResults, cumulative: pd.DataFrame) -> dict:
    end = cumulative.iloc[-1]
    data = _month_index(cumulative[["point", "p5", "p95"]] / 1e6)
    data.columns = ["Central estimate", "P5", "P95"]
    return {"name": "since-coup", "units": MONEY_UNITS + ", running total", "data": data,
            "caption": "The junta's running total since the coup of 1 February 2021: central estimate and 90% interval; "
                       "the months after the newest evidence are a projection (shaded, dashed).",
            "alt": (f"Line chart with a band: the junta's running total from Mogok's rubies since February 2021 reaches "
                    f"{_m(end['point'])} by {cumulative.index[-1].strftime('%B %Y')} (90% interval {_m(end['p5'])} to "
                    f"{_m(end['p95'])}).")}


def stock_figure(r: TimelineReportResults) -> dict:
    m = r.flows.monthly_point
    peak = m["stock_usd"].idxmax()
    columns = {"stock_usd": "Held unsold (month's end)", "sales_from_stock_usd": "Sold from stock",
               "seizures_usd": "Seized", "destroyed_usd": "Lost"}
    data = _month_index(m[list(columns)].rename(columns=columns) / 1e6)
    return {"name": "stock", "units": "US$ million at reference prices, central estimates", "data": data,
            "caption": "Stones held unsold at each month's end, and the sales, seizures and losses from that stock.",
            "alt": (f"Area and line chart of the stock of unsold stones, month by month: it peaks at "
                    f"{_m(m.loc[peak, 'stock_usd'])} in {peak.strftime('%B %Y')}; {_m(m['sales_from_stock_usd'].sum())} "
                    f"is sold from stock over the whole period, {_m(m['seizures_usd'].sum())} seized and "
                    f"{_m(m['destroyed_usd'].sum())} lost.")}


def events_table_meta(r: TimelineReportResults) -> dict:
    return {"name": "events", "units": "dates",
            "caption": f"Every event, numbered, with its sources and any other dates reported;{ON_CHART}: marked on "
                       "the chart (the events that changed control of Mogok or its rules)."}


def periods_table_meta(r: TimelineReportResults) -> dict:
    return {"name": "periods", "units": MONEY_UNITS + " over each period, central estimates",
            "caption": "Each period of control, the scenario it maps to, who the junta column is then (the military "
                       "and its conglomerates before the coup), and each side's total take over it."}
