"""How well each recipients table's split is known (docs/model.md, "Who is paid, drawn"): the concentration
α of the Dirichlet a table is drawn from, as a scenario file (`recipient_concentration:`, per table) or
data/shared.yaml (`recipient_concentration:`, the default for every table) gives it, and its checks.

A concentration is a number with a source, or a distribution (triangular, PERT, uniform) with a source or
`assumption` and a note (then drawn once per draw with the table); a single number labelled an assumption
is refused, as everywhere in the data. `fixed: true`, with a source or a note, declares a table whose split
is documented: it is not drawn.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from ..core.distributions import Distribution, Fixed, Pert, Triangular, Uniform
from ..errors import Problem
from .schema import ASSUMPTION, Sources, StrictModel, unknown_sources

#: Above this a table's shares move by less than about a thousandth of their size: declare it fixed instead.
MAX_CONCENTRATION = 1e6

ALLOWED = (f"a number above 0 and at most {MAX_CONCENTRATION:g} with a source, {{dist: triangular|pert, low, mode, "
           "high}} or {dist: uniform, low, high} with 0 < low, a source or `assumption` with a note, or "
           "{fixed: true} with a source or a note")


class ConcentrationFile(StrictModel):
    """A concentration as a file gives it (all forms in one model; `check_shape` says which mix is allowed)."""

    fixed: bool | None = None
    value: float | None = None
    dist: Literal["triangular", "pert", "uniform"] | None = None
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    source: Sources = Field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True)
class Concentration:
    """A table's concentration: `distribution` None where the table is declared fixed."""

    distribution: Distribution | None
    sources: tuple[str, ...] = ()
    note: str | None = None
    defined_in: str = ""

    @property
    def fixed(self) -> bool:
        return self.distribution is None

    def describe(self) -> str:
        return "fixed (documented)" if self.fixed else self.distribution.describe()


def check_shape(spec: ConcentrationFile, file: str, field: str) -> list[Problem]:
    """The fields that go together: `fixed` alone, a `value`, or a distribution's."""
    given = {k for k in ("value", "dist", "low", "mode", "high") if getattr(spec, k) is not None}
    shown = spec.model_dump(exclude_none=True, exclude_defaults=True)
    if spec.fixed:
        return [Problem(file, field, shown, f"`fixed: true` takes no {', '.join(sorted(given))}; allowed: {ALLOWED}.")
                ] if given else []
    if spec.fixed is False and not given:
        return [Problem(file, field, shown, f"`fixed: false` needs a concentration; allowed: {ALLOWED}.")]
    if spec.value is not None and given != {"value"}:
        return [Problem(file, field, shown, f"a value or a distribution, not both; allowed: {ALLOWED}.")]
    if spec.value is None:
        needed = {"dist", "low", "high"} | ({"mode"} if spec.dist in ("triangular", "pert") else set())
        if given != needed:
            return [Problem(file, field, shown, f"needs {', '.join(sorted(needed))} and nothing else of value, "
                            f"dist, low, mode, high; allowed: {ALLOWED}.")]
    return []


def concentration(spec: ConcentrationFile, defined_in: str) -> Concentration:
    """The Concentration a file's (shape-checked) form describes."""
    if spec.fixed:
        dist = None
    elif spec.value is not None:
        dist = Fixed(spec.value)
    elif spec.dist == "uniform":
        dist = Uniform(spec.low, spec.high)
    else:
        dist = (Triangular if spec.dist == "triangular" else Pert)(spec.low, spec.mode, spec.high)
    return Concentration(dist, tuple(spec.source), spec.note, defined_in)


def check_concentration(c: Concentration, file: str, field: str, bibliography=None) -> list[Problem]:
    """Its values (above 0, at most MAX_CONCENTRATION, ordered), its sources, and the note and range an
    assumption needs."""
    problems: list[Problem] = []
    d = c.distribution
    if d is not None:
        points = {"value": d.point} if isinstance(d, Fixed) else {"low": d.low, "high": d.high}
        if isinstance(d, (Triangular, Pert)):
            points["mode"] = d.mode
        for part, value in points.items():
            where = field if part == "value" else f"{field}.{part}"
            if not (math.isfinite(value) and 0.0 < value <= MAX_CONCENTRATION):
                problems.append(Problem(file, where, value, "a concentration must be a number above 0 and at most "
                                        f"{MAX_CONCENTRATION:g} (a larger one leaves the table as good as fixed: "
                                        "declare it `fixed: true` with a source); allowed: " + ALLOWED + "."))
        if isinstance(d, (Triangular, Pert)) and not d.low <= d.mode <= d.high:
            problems.append(Problem(file, field, {"low": d.low, "mode": d.mode, "high": d.high},
                                    "a distribution needs low <= mode <= high."))
        if isinstance(d, Uniform) and not d.low <= d.high:
            problems.append(Problem(file, field, {"low": d.low, "high": d.high}, "a uniform distribution needs low <= high."))
    if not c.sources and not (c.fixed and (c.note or "").strip()):
        problems.append(Problem(file, f"{field}.source", None, "a concentration needs a source, or `assumption` with a "
                                "note and a range (a fixed table: a source or a note saying where its split is documented)."))
    if ASSUMPTION in c.sources and not (c.note or "").strip():
        problems.append(Problem(file, f"{field}.note", None, "a value marked 'assumption' must say why in a note."))
    if isinstance(d, Fixed) and set(c.sources) == {ASSUMPTION}:
        problems.append(Problem(file, field, d.point, "a single number labelled an assumption: give the assumption its "
                                "range, as a distribution (e.g. {dist: triangular, low, mode, high})."))
    if bibliography is not None:
        problems += unknown_sources(c.sources, bibliography, file, f"{field}.source")
    return problems


def tables_to_draw(recipients: dict[str, dict[str, float]], concentrations: dict[str, Concentration]
                   ) -> dict[str, Concentration]:
    """The tables drawn per draw and their concentrations: those with a concentration, not declared fixed,
    that pay two actors or more (a table paying one actor stays as it is)."""
    return {t: c for t, c in concentrations.items()
            if not c.fixed and t in recipients and sum(v > 0 for v in recipients[t].values()) >= 2}


def check_tables(concentrations: dict[str, Concentration], recipients: dict[str, dict[str, float]],
                 default: Concentration | None, file: str, bibliography=None) -> list[Problem]:
    """A scenario's own concentrations (data/shared.yaml's `default` is checked where it is loaded): each
    value, its sources, and a table of the scenario's to draw."""
    problems: list[Problem] = []
    for table, c in concentrations.items():
        if c == default:
            continue
        where, field = c.defined_in or file, f"recipient_concentration.{table}"
        if table not in recipients:
            problems.append(Problem(where, field, c.describe(), f"this scenario has no recipients table {table} to "
                                    f"draw (its tables: {', '.join(recipients) or 'none'})."))
            continue
        problems += check_concentration(c, where, field, bibliography)
    return problems


__all__ = ["ALLOWED", "MAX_CONCENTRATION", "Concentration", "ConcentrationFile", "check_concentration", "check_shape",
           "check_tables", "concentration", "tables_to_draw"]
