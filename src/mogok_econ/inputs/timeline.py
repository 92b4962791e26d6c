"""The timeline (data/timeline.yaml): periods of control mapped to scenarios, and dated events, loaded
and checked (no gaps or overlaps, real dates, known scenarios and sources). The month-by-month flows
they imply are computed in analysis/monthly_flows.py.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import Field, ValidationError

from .. import limits, paths
from ..core.vocabulary import PARAMETERS, RECIPIENTS
from ..errors import InputError, Problem
from .scenarios import available_scenarios
from .schema import Sources, StrictModel, problems_from, unknown_sources
from .sources import load_bibliography
from .yaml_loader import load_yaml

_DAY = r"^\d{4}-\d{2}-\d{2}$"
#: The military coup: the default start of "since the coup" totals.
COUP = dt.date(2021, 2, 1)


class _OtherDate(StrictModel):
    date: str = Field(pattern=_DAY)
    source: Sources = Field(default_factory=list)
    note: str | None = None


class _Event(StrictModel):
    date: str = Field(pattern=_DAY)
    title: str = Field(min_length=1)
    description: str | None = None
    source: Sources = Field(default_factory=list)
    other_dates: list[_OtherDate] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)  # parameters or recipients tables the event changes


class _Period(StrictModel):
    scenario: str
    start: str = Field(pattern=_DAY)
    end: str = Field(pattern=_DAY)
    source: Sources = Field(default_factory=list)
    note: str | None = None


class _TimelineFile(StrictModel):
    periods: list[_Period] = Field(min_length=1)
    events: list[_Event] = Field(default_factory=list)


@dataclass(frozen=True)
class Period:
    scenario: str
    start: dt.date
    end: dt.date          # exclusive
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class Event:
    date: dt.date
    title: str
    description: str
    sources: tuple[str, ...]
    other_dates: tuple[tuple[dt.date, tuple[str, ...], str], ...]
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timeline:
    periods: tuple[Period, ...]
    events: tuple[Event, ...]
    file: str

    @property
    def start(self) -> dt.date:
        return self.periods[0].start

    @property
    def end(self) -> dt.date:
        return self.periods[-1].end

    @property
    def months(self) -> pd.PeriodIndex:
        """Every month with data: from the first period's month to the month before the end date."""
        last = self.end - dt.timedelta(days=1)
        return pd.period_range(self.start, last, freq="M")

    @property
    def current_scenario(self) -> str:
        """The scenario in force in the latest month of the data."""
        return self.periods[-1].scenario

    def scenarios(self) -> list[str]:
        return list(dict.fromkeys(p.scenario for p in self.periods))


#: The first and last days a timeline may cover (limits.py says why; `end` is exclusive, hence the next year's
#: first day).
FIRST_DAY = dt.date(limits.TIMELINE_FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(limits.TIMELINE_LAST_YEAR + 1, 1, 1)


def _date(text: str, file: str, field: str) -> tuple[dt.date | None, Problem | None]:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, Problem(file, field, text, "is not a real calendar date (YYYY-MM-DD).")
    if not FIRST_DAY <= day <= LAST_DAY:
        return None, Problem(file, field, text, f"is outside the years a timeline may cover, {limits.TIMELINE_RANGE_WHY}.")
    return day, None


def load_timeline(path: Path | None = None, data: Path | None = None) -> Timeline:
    """Load and check data/timeline.yaml: no gaps or overlaps between periods, real dates, known scenarios
    and sources. Raises InputError naming every problem."""
    data = paths.chosen(data)
    path = Path(path) if path else paths.timeline_file(data)
    shown = paths.display(path)
    raw = load_yaml(path, "timeline file")
    try:
        parsed = _TimelineFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown)) from None
    problems: list[Problem] = []
    bibliography = load_bibliography(data=data)
    known = set(available_scenarios(data))

    def check_sources(ids, field):
        problems.extend(unknown_sources(ids, bibliography, shown, field))

    periods = []
    for i, p in enumerate(parsed.periods):
        start, e1 = _date(p.start, shown, f"periods[{i}].start")
        end, e2 = _date(p.end, shown, f"periods[{i}].end")
        problems += [e for e in (e1, e2) if e]
        if p.scenario not in known:
            problems.append(Problem(shown, f"periods[{i}].scenario", p.scenario,
                                    f"there is no such scenario in {paths.display(paths.scenarios_dir(data))} "
                                    f"(known: {', '.join(sorted(known))})."))
        check_sources(p.source, f"periods[{i}].source")
        if start and end:
            if end <= start:
                problems.append(Problem(shown, f"periods[{i}]", f"{p.start} to {p.end}",
                                        "a period must end after it starts (end is exclusive)."))
            periods.append(Period(p.scenario, start, end, tuple(p.source), " ".join((p.note or "").split())))
    if not problems:
        for i, (a, b) in enumerate(zip(periods, periods[1:])):
            if b.start > a.end:
                problems.append(Problem(shown, f"periods[{i + 1}].start", str(b.start),
                                        f"leaves a gap: the period before ends on {a.end} (exclusive), so "
                                        f"{a.end} to {b.start - dt.timedelta(days=1)} has no scenario; each "
                                        "period must start on the day the one before ends."))
            elif b.start < a.end:
                problems.append(Problem(shown, f"periods[{i + 1}].start", str(b.start),
                                        f"overlaps the period before, which runs to {a.end} (exclusive); each "
                                        "period must start on the day the one before ends."))
    events = []
    for i, e in enumerate(parsed.events):
        day, err = _date(e.date, shown, f"events[{i}].date")
        if err:
            problems.append(err)
            continue
        check_sources(e.source, f"events[{i}].source")
        others = []
        for j, o in enumerate(e.other_dates):
            other, err = _date(o.date, shown, f"events[{i}].other_dates[{j}].date")
            if err:
                problems.append(err)
                continue
            check_sources(o.source, f"events[{i}].other_dates[{j}].source")
            others.append((other, tuple(o.source), " ".join((o.note or "").split())))
        for name in e.changes:
            if name not in PARAMETERS and name not in RECIPIENTS:
                problems.append(Problem(shown, f"events[{i}].changes", name, "is neither a parameter nor a recipients "
                                        "table (see data/README.md)."))
        starts = {p.start for p in periods}
        if e.changes and day not in starts:
            problems.append(Problem(shown, f"events[{i}].date", e.date, f"the event changes {', '.join(e.changes)}, so "
                                    "a period must start on its date (split the period there, with a scenario that "
                                    "carries the change)."))
        events.append(Event(day, e.title.strip(), " ".join((e.description or "").split()), tuple(e.source),
                            tuple(others), tuple(e.changes)))
    if problems:
        raise InputError(problems)
    return Timeline(tuple(periods), tuple(sorted(events, key=lambda e: e.date)), shown)


def resolve_scenario(reference: str, data: Path | None = None) -> str:
    """A scenario name, with `current` meaning the one in force in the latest month of the timeline
    (unless a scenario file is itself called `current`)."""
    if reference == "current" and not (paths.scenarios_dir(paths.chosen(data)) / "current.yaml").exists():
        return load_timeline(data=data).current_scenario
    return reference


__all__ = ["COUP", "Event", "Period", "Timeline", "load_timeline", "resolve_scenario"]
