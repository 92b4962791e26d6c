"""The month-by-month flows implied by the timeline.

A month's flow for an actor is the annual flow of each scenario in force during the month, prorated
by the days it was in force over the days in that year: a calendar year under one scenario adds up
exactly to that scenario's annual flows, and a transition inside a month is split by days, not rounded.
Uncertainty: each scenario's Monte Carlo draws carry through every month it is in force (the same
structural uncertainty applies throughout); scenarios are independent of each other.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, QUANTILE_LEVELS, REPORTED_QUANTILES
from ..core.vocabulary import ACTORS
from ..inputs.scenarios import Scenario, load_scenario
from ..inputs.timeline import Timeline, load_timeline
from .cache import cached_monte_carlo
from .estimates import point_estimate


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
        q = np.quantile(self.monthly_draws(column), QUANTILE_LEVELS, axis=1).T
        return pd.DataFrame(q, index=self.weights.index, columns=list(REPORTED_QUANTILES))

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
        q = np.quantile(running, QUANTILE_LEVELS, axis=1).T
        out = pd.DataFrame(q, index=self.weights.index, columns=list(REPORTED_QUANTILES))
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


def timeline_results(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, timeline: Timeline | None = None) -> TimelineResults:
    timeline = timeline or load_timeline()
    weights = month_weights(timeline)
    scenarios: dict[str, Scenario] = {name: load_scenario(name) for name in weights.columns}
    annual = {}
    for name, s in scenarios.items():
        est = point_estimate(s)
        annual[name] = {**est.flows_usd.to_dict(), "realised_value_usd": est.realised_value_usd}
    frames = {name: cached_monte_carlo(s, draws, seed) for name, s in scenarios.items()}
    return TimelineResults(timeline, weights, pd.DataFrame.from_dict(annual, orient="index"), frames, draws, seed)


__all__ = ["TimelineResults", "month_weights", "timeline_results"]
