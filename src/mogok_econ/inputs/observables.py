"""What was observed (data/observables.yaml): values the model implies and someone measured, each with its
quantity, the scenario or period it belongs to, the observed interval or distribution, unit, sources,
the grade of its evidence and its use (docs/model.md, "Calibration"; the format: data/README.md).

The quantities an observable may name are a fixed list (QUANTITIES). Each source enters either a prior
or the likelihood, never both: an observable with `use: likelihood` may not cite a source that the prior
of any parameter its quantity depends on (QUANTITY_INPUTS) already cites, and one with `use: prior` must
cite such a source.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .. import paths
from ..core.vocabulary import ACTORS, GROUPS, OBSERVATION_PARAMETERS, PARAMETERS
from ..errors import NO_VALUE, InputError, Problem
from .scenarios import available_scenarios, load_scenario
from .schema import Sources, StrictModel, problems_from, unknown_sources
from .shared import load_observation_parameters
from .source_rule import source_rule
from .sources import load_bibliography
from .timeline import Timeline, load_timeline
from .yaml_loader import content_key, load_yaml

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"

#: The quantities the model implies that an observable may name, with their meaning (docs/model.md,
#: "Calibration", gives each one's formula).
QUANTITIES: dict[str, str] = {
    "wage_usd_per_month": "a company wage worker's wage with commission (USD a month)",
    "hand_miner_income_usd_per_month": "a hand-miner's mean income (USD a month)",
    "miner_income_usd_per_month": "the miners' flow per miner (USD a month)",
    "wage_workers_employed": "wage workers employed on company sites (people)",
    "miner_count": "people mining (people)",
    "realised_value_usd": "all sales in a year, every channel (USD a year)",
    "recorded_value_usd": "formal sales at true value, f·R (USD a year)",
    "state_tax_revenue_usd": "the state tax on Mogok's formal sales, f·t·R (USD a year)",
    "actor_flow_usd": "a named actor's or group's take (USD a year)",
    "parameter_value": "a parameter observed directly (in its own unit)",
    "national_gem_sales_usd": "the official national non-jade gem figure, v·f·R/θ (USD a year)",
    "national_gem_production_usd": "the official national non-jade gem figure read as licensed production declared "
                                   "at the mine, v·σ·p·G/θ (USD a year)",
    "mirror_trade_gap_usd": "partners' recorded imports of HS 7103.91 stones from Myanmar minus Myanmar's recorded "
                            "exports, ξ·(1-f)·R/θ (USD a year)",
}

#: Grades of evidence, strongest first.
GRADES = ("official record or audit", "investigation with figures", "press report or interview", "assumption")
#: What an observable is for: the likelihood, shown beside a prior that already uses its source, or a check.
USES = ("likelihood", "prior", "check")

_SALES = frozenset({"gross_value_usd", "production_factor", "market_access", "price_factor"})
_GATE = _SALES | {"formal_share", "state_tax_rate", "extortion_rate", "checkpoint_rate", "trader_margin",
                  "conversion_applies", "extortion_per_head_share"}
_PIT = _GATE | {"company_share", "miner_count", "wage_share", "wage_usd_per_month", "working_days_per_month",
                "company_cost_share", "state_production_share"}
_HAND = frozenset({"pit_levy_rate", "pit_rent_rate", "fee_per_miner", "extortion_per_head"})
#: Under open access who digs, and so how much is mined, answers to everything a digger earns and could earn
#: instead (docs/model.md, Stage 3): sales and headcounts read the whole pit.
_ENTRY = _PIT | _HAND | {"open_access_share", "digging_returns", "digging_premium"}
_R = _ENTRY
#: The parameters each quantity's formula reads (parameter_value: the parameter itself).
QUANTITY_INPUTS: dict[str, frozenset[str]] = {
    "wage_usd_per_month": _PIT | {"commission_rate"},
    "hand_miner_income_usd_per_month": _ENTRY | {"commission_rate"},
    "miner_income_usd_per_month": _ENTRY | {"commission_rate"},
    "wage_workers_employed": _PIT,
    # under open access a headcount also moves with what digging pays (the whole pit); the rule that a source
    # enters a prior or the likelihood counts only what it reads directly (docs/model.md, section 11)
    "miner_count": frozenset({"miner_count", "wage_usd_per_month", "open_access_share", "digging_returns",
                              "digging_premium"}),
    "realised_value_usd": _R,
    "recorded_value_usd": _R | {"formal_share"},
    "state_tax_revenue_usd": _R | {"formal_share", "state_tax_rate"},
    "actor_flow_usd": frozenset(PARAMETERS),
    "parameter_value": frozenset(),
    "national_gem_sales_usd": _R | {"formal_share", "declared_value_ratio", "mogok_national_share"},
    "national_gem_production_usd": frozenset({"gross_value_usd", "production_factor", "company_share",
                                              "declared_value_ratio", "mogok_national_share"}),
    "mirror_trade_gap_usd": _R | {"formal_share", "mirror_capture", "mogok_national_share"},
}


class _Period(StrictModel):
    start: str = Field(pattern=_MONTH)
    end: str = Field(pattern=_MONTH)


class _Observed(StrictModel):
    low: float | None = None
    high: float | None = None
    dist: Literal["normal", "lognormal"] | None = None
    median: float | None = None
    p5: float | None = None
    p95: float | None = None


class _Reading(StrictModel):
    quantity: Literal[tuple(QUANTITIES)]  # type: ignore[valid-type]
    weight: float = Field(gt=0, le=1)
    note: str = Field(min_length=1)


class _Observable(StrictModel):
    title: str = Field(min_length=1)
    quantity: Literal[tuple(QUANTITIES)] | None = None  # type: ignore[valid-type]
    readings: dict[str, _Reading] | None = Field(default=None, min_length=2, max_length=4)
    actor: str | None = None
    parameter: str | None = None
    scenario: str | None = None
    period: _Period | None = None
    observed: _Observed
    unit: str = Field(min_length=1)
    source: Sources = Field(min_length=1)
    grade: Literal[GRADES]  # type: ignore[valid-type]
    use: Literal[USES]  # type: ignore[valid-type]
    note: str | None = None


class _ObservablesFile(StrictModel):
    observables: dict[str, _Observable]
    unobserved: dict[str, str] = Field(default_factory=dict)  # scenario -> why no observation reaches it


@dataclass(frozen=True)
class Reading:
    """One way to read what an observation measures: the quantity it observes under that reading, and the
    reading's prior weight (docs/model.md, "Readings")."""

    name: str
    quantity: str
    weight: float
    note: str


@dataclass(frozen=True)
class Observable:
    """One observed value: an interval (an open end is None) or a distribution (`dist`, median, p5, p95;
    its low and high are then its P5 and P95). `scenarios` maps each scenario it observes to its weight
    (a period: the share of its days each scenario was in force; a scenario: itself with weight 1);
    `period` is the period given, or the observed scenario's own (its end "open-ended" where it has none)."""

    id: str
    title: str
    quantity: str
    scenarios: dict[str, float]
    period: tuple[str, str]
    low: float | None
    high: float | None
    dist: str | None
    median: float | None
    p5: float | None
    p95: float | None
    unit: str
    sources: tuple[str, ...]
    grade: str
    use: str
    note: str
    file: str
    actor: str | None = None
    parameter: str | None = None
    readings: tuple[Reading, ...] = ()  # alternatives for what it measures (quantity: the first one's)

    @property
    def quantities(self) -> tuple[str, ...]:
        """The quantity it observes, or one per reading."""
        return tuple(r.quantity for r in self.readings) or (self.quantity,)

    def inputs(self) -> frozenset[str]:
        """The parameters its implied value reads, under any of its readings."""
        return frozenset().union(*(QUANTITY_INPUTS[q] for q in self.quantities)) | (
            {self.parameter} if self.parameter else set())

    @property
    def interval(self) -> tuple[float | None, float | None]:
        """The observed interval: low and high, or a distribution's P5 and P95."""
        return (self.p5, self.p95) if self.dist else (self.low, self.high)

    def describe(self) -> str:
        """The observed value in words, for tables."""
        if self.dist:
            return f"{self.median:,.4g} ({self.p5:,.4g} to {self.p95:,.4g}, {self.dist})"
        if self.low is not None and self.high is not None:
            return f"{self.low:,.4g} to {self.high:,.4g}"
        return f"at least {self.low:,.4g}" if self.low is not None else f"at most {self.high:,.4g}"


def load_unobserved(path: Path | None = None, data: Path | None = None) -> dict[str, str]:
    """The data folder's observables.yaml (or `path`) `unobserved:` section: for a scenario that no
    observation in the likelihood reaches, why none does ({} where the file has none)."""
    path = Path(path) if path is not None else paths.chosen(data) / "observables.yaml"
    if not path.is_file():
        return {}
    return dict(_unobserved(path.resolve(), content_key(path), paths.chosen(data)))


@cache
def _unobserved(path: Path, _content: str, data: Path) -> tuple[tuple[str, str], ...]:
    shown = paths.display(path)
    try:
        parsed = _ObservablesFile.model_validate(load_yaml(path, "observables file"))
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown)) from None
    known = available_scenarios(data)  # the folder's own scenarios, which its observables describe
    problems = [Problem(shown, f"unobserved.{name}", name, f"there is no such scenario (known: {', '.join(known)}).")
                for name in parsed.unobserved if name not in known]
    problems += [Problem(shown, f"unobserved.{name}", text, "say why no observation reaches this scenario.")
                 for name, text in parsed.unobserved.items() if not text.strip()]
    if problems:
        raise InputError(problems)
    return tuple((name, " ".join(text.split())) for name, text in parsed.unobserved.items())


def reached_parameters(observables) -> dict[str, set[str]]:
    """Scenario -> the parameters that an observable in the likelihood depends on (docs/model.md)."""
    out: dict[str, set[str]] = {}
    for o in observables:
        if o.use != "likelihood":
            continue
        for s in o.scenarios:
            out.setdefault(s, set()).update(o.inputs())
    return out


def period_scenarios(timeline: Timeline, start: str, end: str) -> dict[str, float]:
    """The scenarios in force from the first day of month `start` to the last day of month `end`, each
    with its share of those days."""
    first = dt.date.fromisoformat(f"{start}-01")
    year, month = map(int, end.split("-"))
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    days: dict[str, int] = {}
    for p in timeline.periods:
        overlap = (min(p.end, after) - max(p.start, first)).days
        if overlap > 0:
            days[p.scenario] = days.get(p.scenario, 0) + overlap
    total = sum(days.values())
    return {k: v / total for k, v in days.items()} if total else {}


def load_observables(path: Path | None = None, data: Path | None = None) -> dict[str, Observable]:
    """Load and check the data folder's observables.yaml (or `path`); raises InputError naming every
    problem. A data folder without its own file has no observables (the shipped ones observe the
    shipped scenarios)."""
    if path is None:  # the data folder's own: the shipped observables describe the shipped scenarios only
        path = paths.chosen(data) / "observables.yaml"
        if not path.exists():
            return {}
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(paths.display(path), "", NO_VALUE, "there is no such observables file."))
    return _load(path.resolve(), content_key(path), paths.chosen(data))


@cache
def _load(path: Path, _content: str, data: Path) -> dict[str, Observable]:
    """The checked observables, kept in memory by the file's content (and the folder whose timeline and
    scenarios they are checked against)."""
    return _parse(path, data)


def _observed_problems(key: str, o: _Observed, shown: str) -> list[Problem]:
    field = f"observables.{key}.observed"
    given = o.model_dump(exclude_none=True)
    if o.dist is None:
        if {"median", "p5", "p95"} & set(given):
            return [Problem(shown, field, given, "median, p5 and p95 need `dist: normal` or `dist: lognormal`; an "
                            "interval is {low, high}.")]
        if o.low is None and o.high is None:
            return [Problem(shown, field, given, "give low, high or both (an interval), or {dist, median, p5, p95}.")]
        if o.low is not None and o.high is not None and o.low > o.high:
            return [Problem(shown, field, {"low": o.low, "high": o.high}, "low must be at most high.")]
        return []
    if o.low is not None or o.high is not None or None in (o.median, o.p5, o.p95):
        return [Problem(shown, field, given, "a distribution is {dist, median, p5, p95}, all four and no low or high.")]
    if not o.p5 < o.median < o.p95:
        return [Problem(shown, field, given, "a distribution needs p5 < median < p95.")]
    if o.dist == "lognormal" and o.p5 <= 0:
        return [Problem(shown, field, given, "a lognormal distribution needs p5 > 0.")]
    return []


def _parse(path: Path, data: Path) -> dict[str, Observable]:
    shown = paths.display(path)
    try:
        parsed = _ObservablesFile.model_validate(load_yaml(path, "observables file"))
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown)) from None
    bibliography = load_bibliography(data=data)
    known = available_scenarios(data)
    timeline = load_timeline(data=data) if any(o.period for o in parsed.observables.values()) else None
    first, last = (str(timeline.months[0]), str(timeline.months[-1])) if timeline else ("", "")
    observation = load_observation_parameters(data=data)
    problems: list[Problem] = []
    out = {}
    loaded: dict = {}  # scenarios by name, each loaded once
    for key, o in parsed.observables.items():
        at = f"observables.{key}"
        before = len(problems)
        found = unknown_sources(o.source, bibliography, shown, f"{at}.source")
        problems += found
        problems += _observed_problems(key, o.observed, shown)
        problems += _target_problems(key, o, shown, observation)
        if (o.scenario is None) == (o.period is None):
            problems.append(Problem(shown, at, {"scenario": o.scenario, "period": o.period and o.period.model_dump()},
                                    "give exactly one of `scenario` (a scenario's name) or `period` ({start, end}: "
                                    "the scenarios in force then, per data/timeline.yaml)."))
            continue
        if o.scenario is not None:
            if o.scenario not in known:
                problems.append(Problem(shown, f"{at}.scenario", o.scenario,
                                        f"there is no such scenario (known: {', '.join(known)})."))
                continue
            weights = {o.scenario: 1.0}
            own = loaded.get(o.scenario) or loaded.setdefault(o.scenario, load_scenario(o.scenario, data=data))
            span = (own.period_start, own.period_end or "open-ended")
        else:
            start, end = o.period.start, o.period.end
            if end < start or start < first or end > last:
                problems.append(Problem(shown, f"{at}.period", o.period.model_dump(),
                                        f"a period runs from a month to the same or a later one, inside the timeline "
                                        f"({first} to {last}, {timeline.file})."))
                continue
            weights = period_scenarios(timeline, start, end)
            span = (start, end)
        dist = o.observed.dist is not None
        readings = tuple(Reading(name, r.quantity, r.weight, " ".join(r.note.split()))
                         for name, r in (o.readings or {}).items())
        quantity = readings[0].quantity if readings else o.quantity
        item = Observable(
            key, o.title.strip(), quantity, weights, span, o.observed.p5 if dist else o.observed.low,
            o.observed.p95 if dist else o.observed.high, o.observed.dist, o.observed.median, o.observed.p5, o.observed.p95,
            o.unit, tuple(o.source), o.grade, o.use, " ".join((o.note or "").split()), shown, o.actor, o.parameter,
            readings)
        if len(problems) == before:
            problems += source_rule(item, loaded, data)
        out[key] = item
    if problems:
        raise InputError(problems)
    return out


def _target_problems(key: str, o: _Observable, shown: str, observation: dict) -> list[Problem]:
    """The actor of actor_flow_usd and the parameter of parameter_value: present there, absent elsewhere."""
    at = f"observables.{key}"
    out = []
    if (o.quantity is None) == (o.readings is None):
        return [Problem(shown, at, {"quantity": o.quantity, "readings": o.readings and list(o.readings)},
                        "give exactly one of `quantity` or `readings` (two to four named alternatives, each "
                        "{quantity, weight, note}, their weights adding up to 1).")]
    if o.readings is not None:
        total = sum(r.weight for r in o.readings.values())
        if abs(total - 1) > 1e-9:
            out.append(Problem(shown, f"{at}.readings", {k: r.weight for k, r in o.readings.items()},
                               "the readings' weights must add up to 1."))
        quantities = [r.quantity for r in o.readings.values()]
        if {"actor_flow_usd", "parameter_value"} & set(quantities):
            return out + [Problem(shown, f"{at}.readings", quantities,
                                  "a reading may not be actor_flow_usd or parameter_value (they need their own target).")]
    quantities = [r.quantity for r in o.readings.values()] if o.readings else [o.quantity]
    actors = (*ACTORS, *GROUPS)
    if o.quantity == "actor_flow_usd":
        if o.actor not in actors:
            out.append(Problem(shown, f"{at}.actor", o.actor, f"actor_flow_usd needs an actor: one of {', '.join(actors)}."))
    elif o.actor is not None:
        out.append(Problem(shown, f"{at}.actor", o.actor, "`actor` goes only with quantity actor_flow_usd."))
    names = (*PARAMETERS, *OBSERVATION_PARAMETERS)
    if o.quantity == "parameter_value":
        if o.parameter not in names:
            out.append(Problem(shown, f"{at}.parameter", o.parameter,
                               f"parameter_value needs a parameter: one of {', '.join(names)}."))
    elif o.parameter is not None:
        out.append(Problem(shown, f"{at}.parameter", o.parameter, "`parameter` goes only with quantity parameter_value."))
    needs = frozenset().union(*(QUANTITY_INPUTS[q] for q in quantities)) | ({o.parameter} if o.parameter else set())
    missing = sorted(k for k in needs & set(OBSERVATION_PARAMETERS) if k not in observation)
    if missing:
        out.append(Problem(shown, f"{at}.quantity", quantities, f"needs the observation parameter(s) {', '.join(missing)} "
                           "in data/shared.yaml (`observation:`), and there are none."))
    return out
