"""Scenarios in time order, as the timeline puts them in force (the landing page, the brief, the chart).
Reads only the inputs, so the index can order its reports without running the model."""
from __future__ import annotations

import datetime as dt

from ..inputs.scenarios import Scenario
from ..inputs.timeline import Timeline


def time_order(scenarios: list[Scenario], timeline: Timeline) -> list[Scenario]:
    """Scenarios in the order the timeline first puts them in force; the ones it never uses (hypothetical)
    after them, by the start of the period their file gives."""
    first: dict[str, dt.date] = {}
    for period in timeline.periods:
        first.setdefault(period.scenario, period.start)
    return sorted(scenarios, key=lambda s: (s.name not in first, first.get(s.name, dt.date.max), s.period_start, s.name))


def periods_of(name: str, timeline: Timeline) -> list[tuple[dt.date, dt.date]]:
    """The (start, end exclusive) of every period in which the timeline puts `name` in force."""
    return [(p.start, p.end) for p in timeline.periods if p.scenario == name]


def junta_return_date(timeline: Timeline) -> dt.date:
    """When the junta last took Mogok back: the start of the trailing run of junta periods (the brief's
    "since the junta's return")."""
    periods = list(timeline.periods)
    start = periods[-1].start
    for p in reversed(periods):
        if not p.scenario.startswith("junta"):
            break
        start = p.start
    return start
