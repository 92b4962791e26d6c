"""One parameter's value as data files give it (a number, `{value: x}` or a distribution, with source,
note and unit), loaded into a `Parameter` and checked against the vocabulary: its range, the order of
its distribution, its sources, and its unit (the kyat units a parameter may be given in)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from ..core.distributions import Distribution, Fixed, Pert, Triangular, Uniform
from ..core.vocabulary import PARAMETERS
from ..errors import Problem
from .schema import ASSUMPTION, Sources, StrictModel, unknown_sources


class _Documented(StrictModel):
    source: Sources = Field(default_factory=list)
    note: str | None = None
    unit: str | None = None


class FixedSpec(_Documented):
    value: float


class ThreePointSpec(_Documented):
    dist: Literal["triangular", "pert"]
    low: float
    mode: float
    high: float


class UniformSpec(_Documented):
    dist: Literal["uniform"]
    low: float
    high: float


def _parameter_form(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "number"
    if isinstance(value, dict):
        kind = value.get("dist", "value")
        return {"value": "value", "triangular": "three_point", "pert": "three_point", "uniform": "uniform"}.get(kind)
    return None


PARAMETER_TAGS = ("number", "value", "three_point", "uniform")
TAG_PARENTS = frozenset(PARAMETERS) | {"value", "market_mmk_per_usd"}  # fields that hold a parameter union
PARAMETER_FORMS = ("a number, {value: number}, {dist: triangular, low, mode, high}, "
                   "{dist: pert, low, mode, high} or {dist: uniform, low, high}")

ParameterSpecFile = Annotated[
    Annotated[float, Tag("number")]
    | Annotated[FixedSpec, Tag("value")]
    | Annotated[ThreePointSpec, Tag("three_point")]
    | Annotated[UniformSpec, Tag("uniform")],
    Discriminator(_parameter_form, custom_error_type="parameter_form",
                  custom_error_message=f"a parameter must be {PARAMETER_FORMS}"),
]

ParameterName = Literal[tuple(PARAMETERS)]  # type: ignore[valid-type]


@dataclass(frozen=True)
class Parameter:
    """A parameter's value (fixed or a distribution) with its provenance. `unit` is the unit its value
    is given in when that is a kyat unit the model converts (e.g. MMK/day), else a label or None."""

    distribution: Distribution
    sources: tuple[str, ...] = ()
    note: str | None = None
    unit: str | None = None
    defined_in: str = ""

    @property
    def point(self) -> float:
        return self.distribution.point

    @property
    def in_kyat(self) -> bool:
        return bool(self.unit) and self.unit.startswith("MMK/")


def distribution(spec: Any) -> Distribution:
    """The distribution a parameter's file form describes."""
    if isinstance(spec, (int, float)):
        return Fixed(float(spec))
    if isinstance(spec, FixedSpec):
        return Fixed(spec.value)
    if isinstance(spec, UniformSpec):
        return Uniform(spec.low, spec.high)
    cls = Triangular if spec.dist == "triangular" else Pert
    return cls(spec.low, spec.mode, spec.high)


def parameter(spec: Any, defined_in: str) -> Parameter:
    """A Parameter from its file form (a bare number has no provenance)."""
    documented = isinstance(spec, _Documented)
    return Parameter(distribution(spec), tuple(spec.source) if documented else (),
                     spec.note if documented else None, spec.unit if documented else None, defined_in)


def check_parameter(key: str, p: Parameter, file: str, bibliography=None, spec=None, section: str = "parameters"
                    ) -> list[Problem]:
    """Every problem with one parameter's value: range (in its own unit: kyat values are checked for
    sign only), distribution order, unit, sources and the note an assumption needs. `spec` defaults to
    the model parameter's (an observation parameter passes its own, with its `section` of the file)."""
    spec = spec or PARAMETERS[key]
    problems: list[Problem] = []
    d = p.distribution
    points = {"value": d.point} if isinstance(d, Fixed) else {"low": d.low, "high": d.high}
    if isinstance(d, (Triangular, Pert)):
        points["mode"] = d.mode
    if p.unit and (p.unit.startswith("MMK") or spec.kyat_units) and p.unit not in spec.kyat_units + (spec.unit,):
        known = ", ".join(spec.kyat_units + (spec.unit,)) if spec.kyat_units else f"{spec.unit} (no kyat unit)"
        problems.append(Problem(file, f"{section}.{key}.unit", p.unit,
                                f"is not a unit the converter knows for {key}; allowed: {known}."))
    for part, value in points.items():
        field = f"{section}.{key}.{part}" if part != "value" else f"{section}.{key}"
        if p.in_kyat:
            if value < 0:
                problems.append(Problem(file, field, value, f"{key} in {p.unit} must be 0 or more."))
        elif not spec.contains(value):
            problems.append(Problem(file, field, value, f"{key} ({spec.symbol}) must be {spec.allowed()}."))
    if isinstance(d, (Triangular, Pert)) and not d.low <= d.mode <= d.high:
        problems.append(Problem(file, f"{section}.{key}", {"low": d.low, "mode": d.mode, "high": d.high},
                                "a distribution needs low <= mode <= high."))
    if isinstance(d, Uniform) and not d.low <= d.high:
        problems.append(Problem(file, f"{section}.{key}", {"low": d.low, "high": d.high},
                                "a uniform distribution needs low <= high."))
    if bibliography is not None:
        problems += unknown_sources(p.sources, bibliography, file, f"{section}.{key}.source")
        if ASSUMPTION in p.sources and not (p.note or "").strip():
            problems.append(Problem(file, f"{section}.{key}.note", None,
                                    "a value marked 'assumption' must say why in a note."))
    return problems
