"""The timeline (data/timeline.yaml): periods of control mapped to scenarios, dated events, and the
month-by-month flows they imply.

A month's flow for an actor is the annual flow of each scenario in force during the month, prorated
by the days it was in force over the days in that year: a calendar year under one scenario adds up
exactly to that scenario's annual flows, and a transition inside a month is split by days, not rounded.
Uncertainty: each scenario's Monte Carlo draws carry through every month it is in force (the same
structural uncertainty applies throughout), scenarios are independent of each other.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, Field, ValidationError

from . import paths
from .constants import ACTORS, DEFAULT_SEED
from .errors import InputError, Problem
from .scenarios import Scenario, _as_list, available_scenarios, load_scenario
from .sources import ASSUMPTION, load_bibliography
from .cache import cached_monte_carlo
from .validation import StrictModel, problems_from
from .yamlio import load_yaml

_DAY = r"^\d{4}-\d{2}-\d{2}$"
Sources = Annotated[list[str], BeforeValidator(_as_list)]
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

    def scenario_on(self, day: dt.date) -> str:
        for p in self.periods:
            if p.start <= day < p.end:
                return p.scenario
        raise ValueError(f"{day} is outside the timeline ({self.start} to {self.end})")

    @property
    def current_scenario(self) -> str:
        """The scenario in force in the latest month of the data."""
        return self.periods[-1].scenario

    def scenarios(self) -> list[str]:
        return list(dict.fromkeys(p.scenario for p in self.periods))

    def events_table(self) -> pd.DataFrame:
        rows = [{"date": e.date, "event": e.title, "sources": ", ".join(e.sources),
                 "other dates reported": "; ".join(f"{d} ({', '.join(s)})" for d, s, _ in e.other_dates)}
                for e in self.events]
        return pd.DataFrame(rows)

    def periods_table(self) -> pd.DataFrame:
        rows = [{"from": p.start, "to (exclusive)": p.end, "scenario": p.scenario, "why": p.note} for p in self.periods]
        return pd.DataFrame(rows)


def _date(text: str, file: str, field: str) -> tuple[dt.date | None, Problem | None]:
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, Problem(file, field, text, "is not a real calendar date (YYYY-MM-DD).")


def load_timeline(path: Path | None = None) -> Timeline:
    """Load and check data/timeline.yaml: no gaps or overlaps between periods, real dates, known scenarios
    and sources. Raises InputError naming every problem."""
    path = Path(path) if path else paths.timeline_file()
    shown = paths.display(path)
    raw = load_yaml(path, "timeline file")
    try:
        parsed = _TimelineFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown)) from None
    problems: list[Problem] = []
    bibliography = load_bibliography()
    known = set(available_scenarios())

    def check_sources(ids, field):
        for i in ids:
            if i != ASSUMPTION and i not in bibliography:
                problems.append(Problem(shown, field, i, f"is not an id in {bibliography.file}."))

    periods = []
    for i, p in enumerate(parsed.periods):
        start, e1 = _date(p.start, shown, f"periods[{i}].start")
        end, e2 = _date(p.end, shown, f"periods[{i}].end")
        problems += [e for e in (e1, e2) if e]
        if p.scenario not in known:
            problems.append(Problem(shown, f"periods[{i}].scenario", p.scenario,
                                    f"there is no such scenario in data/scenarios (known: {', '.join(sorted(known))})."))
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
        events.append(Event(day, e.title.strip(), " ".join((e.description or "").split()), tuple(e.source), tuple(others)))
    if problems:
        raise InputError(problems)
    return Timeline(tuple(periods), tuple(sorted(events, key=lambda e: e.date)), shown)


def month_weights(timeline: Timeline) -> pd.DataFrame:
    """Rows: months; columns: scenarios; value: days of the month the scenario was in force, over the
    days in that year. A month's flow = sum over scenarios of weight x annual flow."""
    months = timeline.months
    frame = pd.DataFrame(0.0, index=months, columns=timeline.scenarios())
    for p in timeline.periods:
        for month in pd.period_range(p.start, p.end - dt.timedelta(days=1), freq="M"):
            first = month.start_time.date()
            after = (month + 1).start_time.date()
            days = (min(p.end, after) - max(p.start, first)).days
            year_days = 366 if month.start_time.is_leap_year else 365
            if month in frame.index:
                frame.loc[month, p.scenario] += days / year_days
    return frame


@dataclass
class TimelineResults:
    timeline: Timeline
    weights: pd.DataFrame
    annual_point: pd.DataFrame          # scenarios x ACTORS (+ realised), USD/yr
    draws: dict[str, pd.DataFrame]      # per scenario Monte Carlo frames
    n_draws: int
    seed: int

    @cached_property
    def monthly_point(self) -> pd.DataFrame:
        """Months x (ACTORS + realised_value_usd), USD in the month, at point estimates."""
        columns = list(ACTORS) + ["realised_value_usd"]
        return self.weights @ self.annual_point.loc[self.weights.columns, columns]

    def monthly_draws(self, column: str) -> np.ndarray:
        """Months x draws of one column (an actor or realised_value_usd), USD in the month."""
        stacked = np.vstack([self.draws[s][column].to_numpy() for s in self.weights.columns])
        return self.weights.to_numpy() @ stacked

    def monthly_band(self, column: str) -> pd.DataFrame:
        q = np.quantile(self.monthly_draws(column), [0.05, 0.5, 0.95], axis=1).T
        return pd.DataFrame(q, index=self.weights.index, columns=["p5", "p50", "p95"])

    def cumulative(self, column: str, since: dt.date | None = None) -> pd.DataFrame:
        """Running total from `since` (default: the start), point estimate and P5/P50/P95, USD."""
        since = since or self.timeline.start
        monthly = self.monthly_draws(column)
        point = self.monthly_point[column].to_numpy().copy()
        first = pd.Period(since, freq="M")
        # the month of `since` counts from that day: prorate it
        mask = np.array([m >= first for m in self.weights.index], dtype=float)
        if first in self.weights.index:
            i = self.weights.index.get_loc(first)
            month_days = first.days_in_month
            mask[i] = (month_days - (since.day - 1)) / month_days
        running = np.cumsum(monthly * mask[:, None], axis=0)
        q = np.quantile(running, [0.05, 0.5, 0.95], axis=1).T
        out = pd.DataFrame(q, index=self.weights.index, columns=["p5", "p50", "p95"])
        out.insert(0, "point", np.cumsum(point * mask))
        return out

    def totals_by_period(self) -> pd.DataFrame:
        """Each actor's total take over each period of the timeline (point estimate), USD."""
        rows = []
        for p in self.timeline.periods:
            years = (p.end - p.start).days
            # prorate by days over the days of each calendar year covered
            share = 0.0
            day = p.start
            while day < p.end:
                year_end = dt.date(day.year + 1, 1, 1)
                stop = min(year_end, p.end)
                share += (stop - day).days / (366 if pd.Timestamp(day).is_leap_year else 365)
                day = stop
            row = {"from": p.start, "to": p.end, "scenario": p.scenario, "years": share, "days": years}
            for column in list(ACTORS) + ["realised_value_usd"]:
                row[column] = self.annual_point.loc[p.scenario, column] * share
            rows.append(row)
        return pd.DataFrame(rows)


def timeline_results(draws: int = 100_000, seed: int = DEFAULT_SEED, timeline: Timeline | None = None) -> TimelineResults:
    timeline = timeline or load_timeline()
    weights = month_weights(timeline)
    scenarios: dict[str, Scenario] = {name: load_scenario(name) for name in weights.columns}
    from .analysis import point_estimate

    annual = {}
    for name, s in scenarios.items():
        est = point_estimate(s)
        annual[name] = {**est.flows_usd.to_dict(), "realised_value_usd": est.realised_value_usd}
    frames = {name: cached_monte_carlo(s, draws, seed) for name, s in scenarios.items()}
    return TimelineResults(timeline, weights, pd.DataFrame.from_dict(annual, orient="index"), frames, draws, seed)


__all__ = ["COUP", "Event", "Period", "Timeline", "TimelineResults", "load_timeline", "month_weights",
           "timeline_results"]
