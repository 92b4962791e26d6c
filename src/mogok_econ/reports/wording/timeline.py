"""The wording of the timeline report: totals since 2016 and since the coup, the numbered events, the
periods, and the dates that sources disagree on, from a TimelineReportResults bundle."""
from __future__ import annotations

import pandas as pd

from ...core.vocabulary import ACTOR_INFO, ACTOR_LABELS, ACTORS
from ...inputs.timeline import COUP
from ..bundles import TimelineReportResults
from ..display import styled
from ..formatting import interval, money
from .common import caveats as _caveats
from .common import methods as _methods


def timeline_headline(r: TimelineReportResults) -> str:
    """The timeline report's summary: totals by side since 2016 and the junta's take since the coup."""
    t = r.flows
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
        lines.append(f"- **{ACTOR_INFO[actor].keeps}** {money(total[actor])} ({total[actor] / total['realised_value_usd']:.0%}).")
    return "\n".join(lines)


def events_for_chart(r: TimelineReportResults, since: str = "2016-01-01") -> list[tuple[int, object, str]]:
    """The events since `since`, numbered as the chart shows them: (number, date, title)."""
    t = r.flows
    events = [e for e in t.timeline.events if str(e.date) >= since]
    return [(i, e.date, e.title) for i, e in enumerate(events, 1)]


def events_table(r: TimelineReportResults) -> pd.DataFrame:
    """The numbered events of the chart, with their sources and any other dates reported."""
    t = r.flows
    rows = []
    for number, date, _ in events_for_chart(r):
        event = next(e for e in t.timeline.events if e.date == date and e.title == _)
        others = "; ".join(f"{d} ({', '.join(s)})" for d, s, _n in event.other_dates)
        rows.append({"No.": number, "Date": str(date), "Event": event.title, "Sources": ", ".join(event.sources),
                     "Other dates reported": others})
    return pd.DataFrame(rows).set_index("No.")


def periods_table(r: TimelineReportResults) -> pd.DataFrame:
    """Each period of control with each actor's total take over it (US$ million, central estimates)."""
    t = r.flows
    totals = t.totals_by_period()
    out = pd.DataFrame({
        "From": totals["from"].astype(str), "To (exclusive)": totals["to"].astype(str),
        "Scenario": totals["scenario"], "Years": totals["years"],
        **{ACTOR_LABELS[a] + " (US$ M)": totals[a] / 1e6 for a in ACTORS},
    })
    return out


def periods_table_formatted(r: TimelineReportResults):
    """The periods table, years to two decimals and money to one (display it in a notebook)."""
    table = periods_table(r)
    return styled(table, {"Years": "{:.2f}", **{c: "{:,.1f}" for c in table.columns if "US$" in c}}, uuid="periods")


def capture_date_markdown(r: TimelineReportResults) -> str:
    """Where sources disagree on the date of the TNLA capture, and which date the model uses."""
    t = r.flows
    capture = [e for e in t.timeline.events if e.other_dates and "captur" in e.title.lower()]
    if not capture:
        return ""
    e = capture[0]
    others = "; ".join(f"{d} ({', '.join(s)}){': ' + n if n else ''}" for d, s, n in e.other_dates)
    return (f"**Dates that sources disagree on.** {e.title}: the model uses **{e.date}** "
            f"({', '.join(e.sources)}). Also reported: {others}")


def methods(r: TimelineReportResults) -> str:
    t = r.flows
    return _methods("**Months.** A month's flow is each scenario's annual flow times the days it was in force in the "
                    "month over the days in that year, so a calendar year under one scenario adds up exactly to "
                    "that scenario's annual flows. Each scenario's uncertainty carries through all the months it is "
                    "in force; scenarios are drawn independently of each other. This report: "
                    f"{t.n_draws:,} draws per scenario, seed {t.seed}.")


def caveats() -> str:
    return _caveats("- **Within a period nothing changes.** The model holds each period's parameters constant; "
                    "real output and levies varied month to month.\n")
