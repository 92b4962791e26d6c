"""What was observed (data/observables.yaml): values that the reports set the model's results beside,
each with its quantity, period, interval, unit, sources and the grade of its evidence.

The quantities an observable may name are a fixed list (QUANTITIES): each is something the model
implies and that someone could measure.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .. import paths
from ..errors import InputError, Problem
from .schema import Sources, StrictModel, problems_from, unknown_sources
from .sources import load_bibliography
from .yaml_loader import load_yaml

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"

#: The quantities the model implies that an observable may name, with their meaning.
QUANTITIES: dict[str, str] = {
    "wage_usd_per_month": "a company wage worker's wage with commission (USD a month)",
    "hand_miner_income_usd_per_month": "a hand-miner's mean income (USD a month)",
    "miner_income_usd_per_month": "the miners' flow per miner (USD a month)",
    "wage_workers_employed": "wage workers employed on company sites (people)",
    "realised_value_usd": "all sales in a year, every channel (USD a year)",
    "recorded_value_usd": "formal sales, as official series record them (USD a year)",
    "state_tax_revenue_usd": "taxes and fees on formal sales (USD a year)",
    "miner_count": "people mining (people)",
}

#: Grades of evidence, strongest first.
GRADES = ("official record or audit", "investigation with figures", "press report or interview", "assumption")


class _Period(StrictModel):
    start: str = Field(pattern=_MONTH)
    end: str = Field(pattern=_MONTH)


class _Interval(StrictModel):
    low: float | None = None
    high: float | None = None


class _Observable(StrictModel):
    title: str = Field(min_length=1)
    quantity: Literal[tuple(QUANTITIES)]  # type: ignore[valid-type]
    period: _Period
    observed: _Interval
    unit: str = Field(min_length=1)
    source: Sources = Field(min_length=1)
    grade: Literal[GRADES]  # type: ignore[valid-type]
    note: str | None = None


class _ObservablesFile(StrictModel):
    observables: dict[str, _Observable]


@dataclass(frozen=True)
class Observable:
    """One observed value, as an interval (an open end is None)."""

    id: str
    title: str
    quantity: str
    period: tuple[str, str]
    low: float | None
    high: float | None
    unit: str
    sources: tuple[str, ...]
    grade: str
    note: str


def load_observables(path: Path | None = None) -> dict[str, Observable]:
    """Load and check data/observables.yaml; raises InputError naming every problem. A data folder
    without the file has no observables (it is optional)."""
    path = Path(path) if path else paths.observables_file()
    if not path.exists():
        return {}
    return _load(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


@cache
def _load(path: Path, _mtime: int) -> dict[str, Observable]:
    shown = paths.display(path)
    try:
        parsed = _ObservablesFile.model_validate(load_yaml(path, "observables file"))
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown)) from None
    bibliography = load_bibliography()
    problems: list[Problem] = []
    out = {}
    for key, o in parsed.observables.items():
        problems += unknown_sources(o.source, bibliography, shown, f"observables.{key}.source")
        low, high = o.observed.low, o.observed.high
        if low is None and high is None:
            problems.append(Problem(shown, f"observables.{key}.observed", {}, "give low, high or both."))
        elif low is not None and high is not None and low > high:
            problems.append(Problem(shown, f"observables.{key}.observed", {"low": low, "high": high},
                                    "low must be at most high."))
        if o.period.end < o.period.start:
            problems.append(Problem(shown, f"observables.{key}.period", o.period.model_dump(),
                                    "the period must end no earlier than it starts."))
        out[key] = Observable(key, o.title.strip(), o.quantity, (o.period.start, o.period.end), low, high,
                              o.unit, tuple(o.source), o.grade, " ".join((o.note or "").split()))
    if problems:
        raise InputError(problems)
    return out
