"""Counterfactual history: what the junta, the armed groups and the miners would have kept since a
date (default: the coup) had some levers been in force, month by month, against what the timeline says
they kept.

Both histories are run with the same draws of every scenario (paired draws), the same exchange rates
and the same stock rules; before the date they are identical, so the difference is the levers' alone,
draw by draw. From the date on, each period's scenario is replaced by the scenario with the levers
applied. In a period whose scenario a lever cannot be applied to (its `applies_to`, or ranges it would
leave), the lever is left out there; in a period where it can be applied but is not feasible
(`feasible_under`), it is applied anyway, as a "what if", and flagged. Levers that conflict are never
combined: asking for both is an error.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, QUANTILE_LEVELS, REPORTED_QUANTILES
from ..errors import InputError, Problem
from ..inputs.levers import Lever, apply_moves, apply_moves_to_draws, check_on, conflicts
from ..inputs.scenarios import Scenario
from ..inputs.timeline import COUP, Period, Timeline
from ..inputs.world import World, shipped_world
from .lever_effects import apply_to_draws, apply_to_point
from .monte_carlo import Posterior, central_values, draw_parameters
from .monthly_flows import TimelineResults, month_weights, run_months

#: The takes a counterfactual reports.
COUNTERFACTUAL_TAKES = ("junta", "armed_groups", "miners", "realised_value_usd")
#: Marks the levered copy of a scenario in the month weights.
_LEVERED = "|levered"


@dataclass
class Treatment:
    """How the levers were treated in one scenario of the timeline (from the start date on)."""

    scenario: str
    title: str
    applied: tuple[str, ...]                 # lever names applied
    infeasible: tuple[str, ...]              # applied although not feasible there ("what if")
    left_out: dict[str, str] = field(default_factory=dict)  # lever -> why it could not be applied


@dataclass
class CounterfactualResults:
    levers: list[Lever]
    since: dt.date
    months: pd.PeriodIndex
    actual: dict[str, np.ndarray]            # take -> (months, draws) USD in the month
    counterfactual: dict[str, np.ndarray]
    actual_point: dict[str, np.ndarray]      # take -> (months,)
    counterfactual_point: dict[str, np.ndarray]
    treatments: list[Treatment]
    n_draws: int
    seed: int
    feasible_only: bool = False
    _cumulative: dict = field(default_factory=dict, repr=False, compare=False)  # (take, which) -> cumulative()

    def _mask(self) -> np.ndarray:
        """Each month's part counted since the start date (its first month prorated by days)."""
        first = pd.Period(self.since, freq="M")
        mask = np.array([m >= first for m in self.months], dtype=float)
        if first in self.months:
            i = self.months.get_loc(first)
            mask[i] = (first.days_in_month - (self.since.day - 1)) / first.days_in_month
        return mask

    def _monthly(self, take: str, which: str) -> tuple[np.ndarray, np.ndarray]:
        """Each month's part counted since the start date: (months, draws) and the point's (months,)."""
        mask = self._mask()
        if which == "change":
            monthly = self.counterfactual[take] - self.actual[take]
            point = self.counterfactual_point[take] - self.actual_point[take]
        else:
            monthly, point = getattr(self, which)[take], getattr(self, f"{which}_point")[take]
        return monthly * mask[:, None], point * mask

    def cumulative(self, take: str, which: str = "actual") -> pd.DataFrame:
        """Running total since the start date: point and P5/P50/P95 over draws, USD; `which` is
        "actual", "counterfactual" or "change" (counterfactual minus actual, draw by draw)."""
        if (take, which) not in self._cumulative:
            monthly, point = self._monthly(take, which)
            q = np.quantile(np.cumsum(monthly, axis=0), QUANTILE_LEVELS, axis=1).T
            out = pd.DataFrame(q, index=self.months, columns=list(REPORTED_QUANTILES))
            out.insert(0, "point", np.cumsum(point))
            self._cumulative[(take, which)] = out
        return self._cumulative[(take, which)]

    def total(self, take: str, which: str = "actual") -> pd.Series:
        """The running total at the last month (`cumulative(take, which).iloc[-1]`, the same numbers),
        without the quantiles of every earlier month."""
        if (take, which) in self._cumulative:
            return self._cumulative[(take, which)].iloc[-1]
        monthly, point = self._monthly(take, which)
        q = np.quantile(np.cumsum(monthly, axis=0)[-1], QUANTILE_LEVELS)
        return pd.Series([np.cumsum(point)[-1], *q], index=["point", *REPORTED_QUANTILES], name=self.months[-1])

    def summarised(self) -> CounterfactualResults:
        """The same results with every running total worked out and the draws left out (months x draws of
        each take, twice: 840 MB at 100,000 draws), for keeping: `cumulative`, `total` and `totals` give
        the same numbers; the draws are no longer there."""
        for take in COUNTERFACTUAL_TAKES:
            for which in ("actual", "counterfactual", "change"):
                self.cumulative(take, which)
        return replace(self, actual={}, counterfactual={}, _cumulative=dict(self._cumulative))

    def totals(self) -> pd.DataFrame:
        """Rows: takes; columns: actual, counterfactual and change since the start date, each point and
        P5/P50/P95 (USD)."""
        rows = {}
        for take in COUNTERFACTUAL_TAKES:
            row = {}
            for which in ("actual", "counterfactual", "change"):
                row |= {f"{which}_{k}": float(v) for k, v in self.total(take, which).items()}
            rows[take] = row
        return pd.DataFrame.from_dict(rows, orient="index")


def parse_month(text: str, timeline: Timeline, field_name: str = "--from") -> dt.date:
    """The first day of month `text` (YYYY-MM), which must lie within the timeline; InputError if not."""
    allowed = (f"a month YYYY-MM from {timeline.start:%Y-%m} to {(timeline.end - dt.timedelta(days=1)):%Y-%m} "
               f"(the months of {timeline.file})")
    try:
        day = dt.date.fromisoformat(f"{text}-01") if len(text) == 7 else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(Problem("command line", field_name, text, f"is not a month; give {allowed}."))
    first = max(day, timeline.start)
    if not timeline.start.replace(day=1) <= day < timeline.end:
        raise InputError(Problem("command line", field_name, text, f"is outside the timeline; give {allowed}."))
    return first


def _split_at(timeline: Timeline, since: dt.date) -> Timeline:
    """The timeline with every period from `since` on renamed to its levered copy (a period that
    straddles `since` is cut there)."""
    periods = []
    for p in timeline.periods:
        if p.end <= since:
            periods.append(p)
        elif p.start >= since:
            periods.append(replace(p, scenario=p.scenario + _LEVERED))
        else:
            periods += [replace(p, end=since), Period(p.scenario + _LEVERED, since, p.end, p.sources, p.note)]
    return replace(timeline, periods=tuple(periods))


def treatment(scenario: Scenario, levers: list[Lever], feasible_only: bool = False) -> Treatment:
    """Which levers are applied in `scenario`: those that can be (and, with `feasible_only`, are feasible)."""
    usable, left_out = [], {}
    for lever in levers:
        problems = check_on(scenario, [lever])
        if feasible_only and not lever.feasible(scenario):
            left_out[lever.name] = "not feasible under this scenario (left out: feasible levers only)"
        elif problems:
            left_out[lever.name] = "; ".join(p.message for p in problems)
        else:
            usable.append(lever)
    if usable and check_on(scenario, usable):  # together they break a range: apply none there
        reason = "; ".join(p.message for p in check_on(scenario, usable))
        left_out |= {lever.name: reason for lever in usable}
        usable = []
    return Treatment(scenario.name, scenario.title, tuple(lever.name for lever in usable),
                     tuple(lever.name for lever in usable if not lever.feasible(scenario)), left_out)


def counterfactual(levers: list[Lever], since: dt.date | None = None, draws: int = DEFAULT_DRAWS,
                   seed: int = DEFAULT_SEED, timeline: Timeline | None = None,
                   feasible_only: bool = False, actual: TimelineResults | None = None,
                   posterior: Posterior | None = None, world: World | None = None) -> CounterfactualResults:
    """The actual and the counterfactual history, month by month, with paired draws. With
    `feasible_only`, a lever is left out of the periods whose scenario it is not feasible under. `actual`:
    the timeline's results with the same draws, seed and timeline (timeline_results), whose months are the
    actual history, so that it is not run a second time. `world`: the data (None: the shipped data)."""
    clash = conflicts(levers)
    if clash:
        raise InputError([Problem(next(lv.file for lv in levers if lv.name == a), "conflicts_with", b,
                                  f"{a} and {b} must not be combined: {why}") for (a, b), why in clash.items()])
    world = world or shipped_world()
    timeline = timeline or world.timeline
    since = since or COUP
    if not timeline.start <= since < timeline.end:
        raise InputError(Problem(timeline.file, "--from", str(since), f"must fall within the timeline, "
                                 f"{timeline.start} to {timeline.end} (exclusive)."))
    weights = month_weights(timeline)
    names = list(weights.columns)
    scenarios = {n: world.scenario(n) for n in names}
    by_lever = {lever.name: lever for lever in levers}
    split_weights = month_weights(_split_at(timeline, since)).reindex(weights.index, fill_value=0.0)
    treatments, levered, chosen = [], {}, {}
    for n in names:
        t = treatment(scenarios[n], levers, feasible_only)
        chosen[n] = [by_lever[x] for x in t.applied]
        levered[n + _LEVERED] = replace(scenarios[n], recipients=apply_moves(scenarios[n].recipients, chosen[n]))
        if n + _LEVERED in split_weights and split_weights[n + _LEVERED].sum() > 0:
            treatments.append(t)
    all_scenarios = {**scenarios, **levered}
    drawn = {n: draw_parameters(s, draws, seed, posterior) for n, s in scenarios.items()}
    quantile = next(iter(drawn.values()))["market_rate_quantile"]
    point = {n: central_values(s, posterior) for n, s in scenarios.items()}
    # a drawn recipients table is moved draw by draw (the stated tables above, for the central estimate)
    drawn_cf = {**drawn, **{n + _LEVERED: apply_moves_to_draws(apply_to_draws(drawn[n], chosen[n], draws, seed, n), chosen[n])
                            for n in names}}
    point_cf = {**point, **{n + _LEVERED: apply_to_point(point[n], chosen[n]) for n in names}}
    keep = COUNTERFACTUAL_TAKES
    drawn_from = posterior.fingerprint if posterior is not None else "prior"
    if actual is not None and (actual.n_draws, actual.seed, actual.timeline, actual.drawn_from) == (
            draws, seed, timeline, drawn_from) \
            and set(keep) <= set(actual.drawn) and actual.weights.equals(weights):
        # the same simulation, run by timeline_results with these draws: its months, not a second run
        history = {k: actual.drawn[k] for k in keep}
        history_point = {k: actual.monthly_point[k].to_numpy()[:, None] for k in keep}
    else:
        history = run_months(timeline, scenarios, weights, drawn, quantile, draws, keep)
        history_point = run_months(timeline, scenarios, weights, point, None, 1, keep)
    cf = run_months(timeline, all_scenarios, split_weights, drawn_cf, quantile, draws, keep)
    cf_point = run_months(timeline, all_scenarios, split_weights, point_cf, None, 1, keep)
    return CounterfactualResults(
        levers, since, weights.index, {k: v.astype(float) for k, v in history.items()},
        {k: v.astype(float) for k, v in cf.items()}, {k: v[:, 0] for k, v in history_point.items()},
        {k: v[:, 0] for k, v in cf_point.items()}, treatments, draws, seed, feasible_only)


def counterfactual_json(r: CounterfactualResults) -> dict:
    """The object `mogok-econ counterfactual --json` prints (USD; running totals since the start date)."""
    def band(frame_row) -> dict:
        return {"point": float(frame_row["point"]), **{k.lower(): float(frame_row[k]) for k in REPORTED_QUANTILES}}

    totals = {}
    for take in COUNTERFACTUAL_TAKES:
        totals[take] = {which: band(r.total(take, which)) for which in ("actual", "counterfactual", "change")}
    cum = {take: {which: r.cumulative(take, which) for which in ("actual", "counterfactual", "change")}
           for take in COUNTERFACTUAL_TAKES}
    first = pd.Period(r.since, freq="M")
    monthly = [{"month": str(m), **{f"{take}_{which}": band(cum[take][which].loc[m])
                                    for take in COUNTERFACTUAL_TAKES for which in ("actual", "counterfactual")}}
               for m in r.months if m >= first]
    return {"levers": [{"name": lv.name, "title": lv.title} for lv in r.levers], "from": str(r.since),
            "to": str(r.months[-1]), "draws": r.n_draws, "seed": r.seed,
            "infeasible_periods": "left out" if r.feasible_only else "applied anyway, as a what if (flagged)",
            "treatment": [{"scenario": t.scenario, "scenario_title": t.title, "applied": list(t.applied),
                           "applied_although_infeasible": list(t.infeasible), "left_out": t.left_out}
                          for t in r.treatments],
            "totals_since_usd": totals, "monthly_running_totals_usd": monthly}


__all__ = ["COUNTERFACTUAL_TAKES", "CounterfactualResults", "Treatment", "counterfactual", "counterfactual_json",
           "parse_month", "treatment"]
