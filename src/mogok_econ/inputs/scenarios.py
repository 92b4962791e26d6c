"""The scenario format (docs/model.md, "Scenario files"): load, resolve `extends`, validate, explain problems.

A scenario file is checked in two passes. First its shape (pydantic: unknown keys, types, missing
fields, NaN); then, after `extends` has been resolved, the economics: every parameter present and in
range, distributions ordered, sources known, recipients tables adding up to one, and levies that can
never leave a negative mine-gate remainder. Every problem found is reported, each naming the file, the
field, the value and what is allowed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import Discriminator, Field, Tag, ValidationError

from .. import paths
from ..core.distributions import Distribution, Fixed, Pert, Triangular, Uniform
from ..core.levies import levy_ranges, worst_case_levies
from ..core.vocabulary import ACTORS, PARAMETERS, RECIPIENT_TABLES, SHARE_TOLERANCE
from ..errors import InputError, Problem
from .schema import ASSUMPTION, NAME, Sources, StrictModel, find_data_file, problems_from, unknown_sources
from .sources import Bibliography, load_bibliography
from .yaml_loader import load_yaml

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


# --- pass 1: the shape of one file -----------------------------------------------------------------


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
TAG_PARENTS = frozenset(PARAMETERS) | {"value"}  # fields that hold a parameter union
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
TableName = Literal[tuple(RECIPIENT_TABLES)]  # type: ignore[valid-type]
ActorName = Literal[ACTORS]  # type: ignore[valid-type]


class Period(StrictModel):
    start: str = Field(pattern=_MONTH)
    end: str | None = Field(default=None, pattern=_MONTH)


class ScenarioFile(StrictModel):
    """The keys a scenario file may have (docs/model.md, "Scenario files")."""

    name: str
    title: str = Field(min_length=1)
    period: Period
    extends: str | None = None
    summary: str = Field(min_length=1)
    parameters: dict[ParameterName, ParameterSpecFile] = Field(default_factory=dict)
    recipients: dict[TableName, dict[ActorName, float]] = Field(default_factory=dict)


# --- the loaded scenario ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Parameter:
    """A parameter's value (fixed or a distribution) with its provenance."""

    distribution: Distribution
    sources: tuple[str, ...] = ()
    note: str | None = None
    unit: str | None = None
    defined_in: str = ""

    @property
    def point(self) -> float:
        return self.distribution.point


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: every parameter present and in range, recipients tables adding up to one."""

    name: str
    title: str
    period_start: str
    period_end: str | None
    summary: str
    parameters: dict[str, Parameter]
    recipients: dict[str, dict[str, float]]
    file: str
    lineage: tuple[str, ...] = field(default=())
    #: The files of the lineage, in the same order (the shipped ones where a user's scenario extends them).
    lineage_files: tuple[Path, ...] = field(default=())

    def point_values(self) -> dict[str, float]:
        """Each parameter at its point estimate (the mode; uniform: the mid-point)."""
        return {k: p.point for k, p in self.parameters.items()}

    def bounds(self) -> dict[str, tuple[float, float]]:
        """Each parameter's range, (low, high)."""
        return {k: (p.distribution.low, p.distribution.high) for k, p in self.parameters.items()}

    def uncertain_parameters(self) -> list[str]:
        return [k for k, p in self.parameters.items() if p.distribution.uncertain]

    def with_parameters(self, changes: dict[str, Parameter], name: str | None = None) -> Scenario:
        """A copy with some parameters replaced (used by overrides and levers); validated again."""
        updated = replace(self, parameters={**self.parameters, **changes}, name=name or self.name)
        problems = check_economics(updated, None)
        if problems:
            raise InputError(problems)
        return updated

    @property
    def period_label(self) -> str:
        return f"{self.period_start} to {self.period_end or 'open-ended'}"

    def parameter_table(self, bibliography: Bibliography | None = None) -> pd.DataFrame:
        """One row per parameter: symbol, point value, range, distribution, unit, sources, note."""
        rows = []
        for key, spec in PARAMETERS.items():
            if key not in self.parameters:
                continue
            p = self.parameters[key]
            rows.append({
                "parameter": key,
                "symbol": spec.symbol,
                "meaning": spec.meaning,
                "point": p.point,
                "low": p.distribution.low,
                "high": p.distribution.high,
                "distribution": p.distribution.describe(),
                "unit": p.unit or spec.unit,
                "sources": ", ".join(p.sources),
                "note": (p.note or "").strip(),
            })
        return pd.DataFrame(rows).set_index("parameter")


# --- loading ---------------------------------------------------------------------------------------

def scenario_path(name_or_path: str | Path) -> Path:
    """A scenario name (a file in the data folder's scenarios/) or a path to a YAML file."""
    return find_data_file(name_or_path, paths.scenarios_dir(), "scenario")


def available_scenarios() -> list[str]:
    """Names of the scenario files in the data folder's scenarios/, sorted."""
    return sorted(p.stem for p in paths.scenarios_dir().glob("*.yaml"))


def load_scenario(name_or_path: str | Path, bibliography: Bibliography | None = None) -> Scenario:
    """Load, resolve `extends`, validate. Raises InputError listing every problem found."""
    path = scenario_path(name_or_path)
    bibliography = bibliography or load_bibliography()
    merged, lineage, problems = _resolve(path.resolve(), [])
    if problems:
        raise InputError(problems)
    scenario = _build(merged, lineage, paths.display(path))
    problems = check_economics(scenario, bibliography)
    if problems:
        raise InputError(problems)
    return scenario


def _read_file(path: Path) -> tuple[ScenarioFile | None, list[Problem]]:
    shown = paths.display(path)
    try:
        raw = load_yaml(path, "scenario file")
    except InputError as exc:
        return None, exc.problems
    if not isinstance(raw, dict):
        return None, [Problem(shown, "", type(raw).__name__, "a scenario file must be a YAML mapping (name, title, "
                              "period, summary, parameters, recipients).")]
    try:
        parsed = ScenarioFile.model_validate(raw)
    except ValidationError as exc:
        return None, problems_from(exc, shown, hidden_tags=PARAMETER_TAGS, tag_parents=TAG_PARENTS)
    problems = []
    if not NAME.match(parsed.name):
        problems.append(Problem(shown, "name", parsed.name, "a scenario name is lower case letters, digits and underscores."))
    elif parsed.name != path.stem:
        problems.append(Problem(shown, "name", parsed.name, f"the name must equal the file's stem, {path.stem!r}."))
    return parsed, problems


def _resolve(path: Path, chain: list[Path]) -> tuple[dict, tuple[Path, ...], list[Problem]]:
    """The merged contents of a file and its ancestors: child values override parent values."""
    parsed, problems = _read_file(path)
    if parsed is None or problems:
        return {}, (), problems
    shown = paths.display(path)
    own = {
        "name": parsed.name, "title": parsed.title, "summary": parsed.summary, "period": parsed.period,
        "parameters": {k: (v, shown) for k, v in parsed.parameters.items()},
        "recipients": {k: (v, shown) for k, v in parsed.recipients.items()},
    }
    if parsed.extends is None:
        return own, (path,), []
    if not NAME.match(parsed.extends):
        return {}, (), [Problem(shown, "extends", parsed.extends, "must name another scenario (a file's stem).")]
    parent, looked = parent_file(path, parsed.extends)
    if parent is None:
        return {}, (), [Problem(shown, "extends", parsed.extends, f"there is no scenario {parsed.extends!r} to extend; "
                                f"looked beside the file and among the shipped scenarios ({', '.join(looked)}).")]
    if parent.resolve() in chain + [path]:
        cycle = " -> ".join(p.stem for p in chain + [path, parent.resolve()])
        return {}, (), [Problem(shown, "extends", parsed.extends, f"`extends` forms a cycle ({cycle}).")]
    base, lineage, problems = _resolve(parent.resolve(), chain + [path])
    if problems:
        return {}, (), problems
    merged = {**base, **{k: own[k] for k in ("name", "title", "summary", "period")}}
    merged["parameters"] = {**base["parameters"], **own["parameters"]}
    merged["recipients"] = {**base["recipients"], **own["recipients"]}
    return merged, lineage + (path,), []


def parent_file(path: Path, name: str) -> tuple[Path | None, list[str]]:
    """The scenario `name` that the file at `path` extends: beside the file first, then in the data
    folder's scenarios/, then among the shipped scenarios (those of the package, even when a user's data
    folder is in use). Also the places looked in, for the error when none has it."""
    places = list(dict.fromkeys([path.parent.resolve(), paths.scenarios_dir().resolve(),
                                 paths.shipped_scenarios_dir().resolve()]))
    for folder in places:
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate, []
    return None, [paths.display(folder / f"{name}.yaml") for folder in places]


def _distribution(spec: Any) -> Distribution:
    if isinstance(spec, (int, float)):
        return Fixed(float(spec))
    if isinstance(spec, FixedSpec):
        return Fixed(spec.value)
    if isinstance(spec, UniformSpec):
        return Uniform(spec.low, spec.high)
    cls = Triangular if spec.dist == "triangular" else Pert
    return cls(spec.low, spec.mode, spec.high)


def _build(merged: dict, lineage: tuple[Path, ...], file: str) -> Scenario:
    parameters = {}
    for key, (spec, origin) in merged["parameters"].items():
        documented = isinstance(spec, _Documented)
        parameters[key] = Parameter(
            distribution=_distribution(spec),
            sources=tuple(spec.source) if documented else (),
            note=spec.note if documented else None,
            unit=spec.unit if documented else None,
            defined_in=origin,
        )
    return Scenario(
        name=merged["name"], title=merged["title"].strip(), period_start=merged["period"].start,
        period_end=merged["period"].end, summary=" ".join(merged["summary"].split()),
        parameters=parameters, recipients={k: dict(v) for k, (v, _) in merged["recipients"].items()},
        file=file, lineage=tuple(p.stem for p in lineage), lineage_files=lineage,
    )


# --- pass 2: the economics -------------------------------------------------------------------------

def check_economics(scenario: Scenario, bibliography: Bibliography | None) -> list[Problem]:
    """Every rule of docs/model.md that the shape alone cannot check. An empty list means valid."""
    problems: list[Problem] = []
    file = scenario.file

    for key, spec in PARAMETERS.items():
        if key not in scenario.parameters:
            if spec.required:
                problems.append(Problem(file, f"parameters.{key}", None,
                                        f"is required ({spec.meaning}; {spec.allowed()}) and is set neither here "
                                        f"nor in a scenario this one extends."))
            continue
        p = scenario.parameters[key]
        where = p.defined_in if p.defined_in and p.defined_in != file else file
        d = p.distribution
        points = {"value": d.point} if isinstance(d, Fixed) else {"low": d.low, "high": d.high}
        if isinstance(d, (Triangular, Pert)):
            points["mode"] = d.mode
        for part, value in points.items():
            if not spec.contains(value):
                problems.append(Problem(where, f"parameters.{key}.{part}" if part != "value" else f"parameters.{key}",
                                        value, f"{key} ({spec.symbol}) must be {spec.allowed()}."))
        if isinstance(d, (Triangular, Pert)) and not d.low <= d.mode <= d.high:
            problems.append(Problem(where, f"parameters.{key}", {"low": d.low, "mode": d.mode, "high": d.high},
                                    "a distribution needs low <= mode <= high."))
        if isinstance(d, Uniform) and not d.low <= d.high:
            problems.append(Problem(where, f"parameters.{key}", {"low": d.low, "high": d.high},
                                    "a uniform distribution needs low <= high."))
        if bibliography is not None:
            problems += unknown_sources(p.sources, bibliography, where, f"parameters.{key}.source")
            if ASSUMPTION in p.sources and not (p.note or "").strip():
                problems.append(Problem(where, f"parameters.{key}.note", None,
                                        "a value marked 'assumption' must say why in a note."))

    for table, allowed in RECIPIENT_TABLES.items():
        if table not in scenario.recipients:
            problems.append(Problem(file, f"recipients.{table}", None,
                                    f"is required: a table of actor -> share, shares adding up to 1 "
                                    f"(actors: {', '.join(allowed)})."))
            continue
        shares = scenario.recipients[table]
        for actor, share in shares.items():
            if actor not in allowed:
                problems.append(Problem(file, f"recipients.{table}.{actor}", share,
                                        f"{actor} cannot receive {table}; allowed: {', '.join(allowed)}."))
            if not 0.0 <= share <= 1.0:
                problems.append(Problem(file, f"recipients.{table}.{actor}", share, "a share must lie in [0, 1]."))
        total = sum(shares.values())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append(Problem(file, f"recipients.{table}", shares,
                                    f"the shares add up to {total:.12g}; they must add up to 1 (within {SHARE_TOLERANCE:g})."))

    if not problems:
        bounds = scenario.bounds()
        worst = worst_case_levies(bounds)
        if worst > 1.0 + 1e-12:
            problems.append(Problem(file, "parameters", levy_ranges(bounds),
                                    f"the levies can take {worst:.3f} of sales within their ranges "
                                    "(f·t + (1-f)·x + c + m at the worst corner), leaving a negative mine-gate "
                                    "remainder M; the total must be at most 1 everywhere."))
    return problems


def validate_files(files: list[Path], bibliography: Bibliography | None = None) -> list[Problem]:
    """Every problem in every file (an empty list: all valid)."""
    problems: list[Problem] = []
    try:
        bibliography = bibliography or load_bibliography()
    except InputError as exc:
        return exc.problems
    for file in files:
        try:
            load_scenario(Path(file), bibliography)
        except InputError as exc:
            problems.extend(exc.problems)
    return problems


def scenario_table() -> pd.DataFrame:
    """The scenarios in data/scenarios: name, title, period, lineage, and the problems of invalid ones."""
    rows = []
    for name in available_scenarios():
        try:
            s = load_scenario(name)
        except InputError as exc:
            rows.append({"scenario": name, "title": "", "start": "", "end": "", "extends": "",
                         "problems": len(exc.problems)})
            continue
        rows.append({"scenario": name, "title": s.title, "start": s.period_start, "end": s.period_end or "",
                     "extends": " > ".join(s.lineage[:-1]), "problems": 0})
    return pd.DataFrame(rows).set_index("scenario") if rows else pd.DataFrame()
