"""Who holds the junta's stakes in Mogok's gem mines, and the sanctions already on each
(data/sanctions_targets.yaml), loaded and checked: every target and every sanction names known sources,
every date is a real date, a listing has a date, and where sources disagree the other dates are kept
(with their sources) beside the one the data uses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .. import paths
from ..core.vocabulary import ACTORS
from ..errors import InputError, Problem
from .schema import Sources, StrictModel, date_problem, problems_from, unknown_sources
from .sources import load_bibliography
from .yaml_loader import load_yaml

_DAY = r"^\d{4}-\d{2}-\d{2}$"
#: Who sanctions; the order the report shows them in.
SANCTIONERS = ("US", "UK", "EU", "Canada", "Australia", "Switzerland")
#: listed: designated by name; covered: owned or controlled by a listed entity; not_confirmed: no listing found.
STATUSES = ("listed", "covered", "not_confirmed")
#: What a place does with Mogok's stones: buys the rough, or cuts (and treats) it.
ROLES = ("buy", "cut")


class _OtherDate(StrictModel):
    date: str = Field(pattern=_DAY)
    source: Sources = Field(min_length=1)
    note: str = Field(min_length=1)


class _Sanction(StrictModel):
    by: Literal[SANCTIONERS]  # type: ignore[valid-type]
    status: Literal[STATUSES]  # type: ignore[valid-type]
    date: str | None = Field(default=None, pattern=_DAY)
    measure: str = Field(min_length=1)
    source: Sources = Field(min_length=1)
    note: str | None = None
    other_dates: list[_OtherDate] = Field(default_factory=list)


class _Target(StrictModel):
    name: str = Field(min_length=1)
    short: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    holds: str = Field(min_length=1)
    model_actor: str
    source: Sources = Field(min_length=1)
    sanctions: list[_Sanction] = Field(default_factory=list)


class _Chokepoint(StrictModel):
    place: str = Field(min_length=1)
    role: Literal[ROLES]  # type: ignore[valid-type]
    detail: str = Field(min_length=1)
    source: Sources = Field(min_length=1)


class _TargetsFile(StrictModel):
    note: str | None = None
    targets: list[_Target] = Field(min_length=1)
    chokepoints: list[_Chokepoint] = Field(default_factory=list)


@dataclass(frozen=True)
class Sanction:
    by: str
    status: str
    date: dt.date | None
    measure: str
    sources: tuple[str, ...]
    note: str
    other_dates: tuple[tuple[dt.date, tuple[str, ...], str], ...] = ()


@dataclass(frozen=True)
class Target:
    name: str
    short: str
    kind: str
    holds: str
    model_actor: str
    sources: tuple[str, ...]
    sanctions: tuple[Sanction, ...]


@dataclass(frozen=True)
class Chokepoint:
    """A place Mogok's stones pass through on their way out, as a source says: who buys or cuts them."""

    place: str
    role: str
    detail: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SanctionsTargets:
    targets: tuple[Target, ...]
    note: str
    file: str
    chokepoints: tuple[Chokepoint, ...] = ()

    def source_ids(self) -> list[str]:
        ids = [i for t in self.targets for i in t.sources] + [i for c in self.chokepoints for i in c.sources]
        ids += [i for t in self.targets for s in t.sanctions for i in (*s.sources, *(j for o in s.other_dates for j in o[1]))]
        return list(dict.fromkeys(ids))


def _day(text: str, file: str, field: str, problems: list[Problem]) -> dt.date | None:
    wrong = date_problem(text, file, field)
    if wrong is not None:
        problems.append(wrong)
        return None
    return dt.date.fromisoformat(text)


def load_sanctions_targets(path: Path | None = None, data: Path | None = None) -> SanctionsTargets:
    """Load and check the sanctions targets. Raises InputError naming every problem (file, field, value)."""
    path = Path(path) if path else paths.sanctions_targets_file(paths.chosen(data))
    shown = paths.display(path)
    raw = load_yaml(path, "sanctions targets file")
    try:
        parsed = _TargetsFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown)) from None
    bibliography = load_bibliography(data=data)
    problems: list[Problem] = []
    targets = []
    for i, t in enumerate(parsed.targets):
        where = f"targets[{i}]"
        if t.model_actor not in ACTORS:
            problems.append(Problem(shown, f"{where}.model_actor", t.model_actor,
                                    f"is not an actor of the model (known: {', '.join(ACTORS)})."))
        problems += unknown_sources(t.source, bibliography, shown, f"{where}.source")
        sanctions, seen = [], set()
        for j, s in enumerate(t.sanctions):
            at = f"{where}.sanctions[{j}]"
            if s.by in seen:
                problems.append(Problem(shown, f"{at}.by", s.by, "is listed twice for this target."))
            seen.add(s.by)
            problems += unknown_sources(s.source, bibliography, shown, f"{at}.source")
            day = _day(s.date, shown, f"{at}.date", problems) if s.date else None
            if s.status in ("listed", "covered") and s.date is None:
                problems.append(Problem(shown, f"{at}.date", None,
                                        f"a sanction with status {s.status!r} needs the date it took effect."))
            others = []
            for k, o in enumerate(s.other_dates):
                problems += unknown_sources(o.source, bibliography, shown, f"{at}.other_dates[{k}].source")
                other = _day(o.date, shown, f"{at}.other_dates[{k}].date", problems)
                if other:
                    others.append((other, tuple(o.source), " ".join(o.note.split())))
            sanctions.append(Sanction(s.by, s.status, day, " ".join(s.measure.split()), tuple(s.source),
                                      " ".join((s.note or "").split()), tuple(others)))
        targets.append(Target(t.name.strip(), t.short.strip(), t.kind.strip(), " ".join(t.holds.split()), t.model_actor,
                              tuple(t.source), tuple(sanctions)))
    chokepoints = []
    for i, c in enumerate(parsed.chokepoints):
        problems += unknown_sources(c.source, bibliography, shown, f"chokepoints[{i}].source")
        chokepoints.append(Chokepoint(c.place.strip(), c.role, " ".join(c.detail.split()), tuple(c.source)))
    if problems:
        raise InputError(problems)
    return SanctionsTargets(tuple(targets), " ".join((parsed.note or "").split()), shown, tuple(chokepoints))


__all__ = ["ROLES", "SANCTIONERS", "STATUSES", "Chokepoint", "Sanction", "SanctionsTargets", "Target", "load_sanctions_targets"]
