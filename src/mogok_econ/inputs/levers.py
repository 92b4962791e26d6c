"""Policy levers as data (data/levers/*.yaml): named changes to a scenario's parameters (`set` replaces
a value, `scale` multiplies it, `shift` adds to it, `cap` takes the smaller of the two, `floor` the
larger), loaded and checked. What they do to each actor's take is computed in analysis/lever_effects.py.

Before any computation, each change is checked against the parameter's allowed range and the
mine-gate condition (levies <= 1) using interval arithmetic over the scenario's ranges (`check_on`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field, ValidationError

from .. import paths
from ..core.distributions import Distribution, Fixed
from ..core.levies import worst_case_levies
from ..core.vocabulary import PARAMETERS
from ..errors import InputError, Problem, problem
from .parameters import PARAMETER_TAGS, TAG_PARENTS, ParameterName, ParameterSpecFile
from .parameters import distribution as _distribution
from .scenarios import Scenario
from .schema import Sources, StrictModel, find_data_file, problems_from, unknown_sources
from .sources import Bibliography, load_bibliography
from .yaml_loader import load_yaml

OPS = ("set", "scale", "shift", "cap", "floor")


class _ChangeFile(StrictModel):
    parameter: ParameterName
    op: Literal[OPS]  # type: ignore[valid-type]
    value: ParameterSpecFile
    note: str | None = None


class _LeverFile(StrictModel):
    name: str
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    source: Sources = Field(default_factory=list)
    applies_to: list[str] | None = None
    changes: list[_ChangeFile] = Field(min_length=1)


@dataclass(frozen=True)
class Change:
    parameter: str
    op: str
    value: Distribution
    note: str | None = None

    def bounds(self, low: float, high: float) -> tuple[float, float]:
        """The parameter's range after the change, from its range before (interval arithmetic)."""
        v = self.value
        if self.op == "set":
            return v.low, v.high
        if self.op == "scale":
            return low * v.low, high * v.high
        if self.op == "shift":
            return low + v.low, high + v.high
        if self.op == "cap":
            return min(low, v.low), min(high, v.high)
        return max(low, v.low), max(high, v.high)  # floor

    def apply(self, current, value):
        """The changed parameter, given its current value(s) and this change's value(s)."""
        if self.op == "set":
            return value
        if self.op == "scale":
            return current * value
        if self.op == "shift":
            return current + value
        if self.op == "cap":
            return np.minimum(current, value)
        return np.maximum(current, value)

    def describe(self) -> str:
        verb = {"set": "set to", "scale": "multiplied by", "shift": "plus", "cap": "capped at",
                "floor": "raised to at least"}[self.op]
        return f"{self.parameter} {verb} {self.value.describe()}"


@dataclass(frozen=True)
class Lever:
    name: str
    title: str
    summary: str
    sources: tuple[str, ...]
    applies_to: tuple[str, ...] | None
    changes: tuple[Change, ...]
    file: str


def available_levers() -> list[str]:
    return sorted(p.stem for p in paths.levers_dir().glob("*.yaml"))


def lever_path(name_or_path: str | Path) -> Path:
    """A lever name (a file in the data folder's levers/) or a path to a YAML file."""
    return find_data_file(name_or_path, paths.levers_dir(), "lever")


def load_lever(name_or_path: str | Path, bibliography: Bibliography | None = None) -> Lever:
    """Load and check one lever file (shape, names, sources, value ranges). InputError if not valid."""
    path = lever_path(name_or_path)
    shown = paths.display(path)
    raw = load_yaml(path, "lever file")
    if not isinstance(raw, dict):
        raise problem(shown, "", "a lever file must be a YAML mapping (name, title, summary, source, changes).",
                      type(raw).__name__)
    try:
        parsed = _LeverFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown, hidden_tags=PARAMETER_TAGS, tag_parents=TAG_PARENTS)) from None
    problems: list[Problem] = []
    if parsed.name != path.stem:
        problems.append(Problem(shown, "name", parsed.name, f"the name must equal the file's stem, {path.stem!r}."))
    bibliography = bibliography or load_bibliography()
    problems += unknown_sources(parsed.source, bibliography, shown, "source")
    changes = []
    for i, c in enumerate(parsed.changes):
        value = _distribution(c.value)
        where = f"changes[{i}].value"
        if isinstance(value, Fixed) is False and not value.low <= getattr(value, "mode", value.low) <= value.high:
            problems.append(Problem(shown, where, c.value, "a distribution needs low <= mode <= high."))
        if c.op == "scale" and value.low < 0:
            problems.append(Problem(shown, where, value.low, "a scale factor must be 0 or more."))
        if c.op in ("set", "cap", "floor"):
            spec = PARAMETERS[c.parameter]
            for end in {value.low, value.high}:
                if not spec.contains(end):
                    problems.append(Problem(shown, where, end, f"{c.parameter} must be {spec.allowed()}."))
        changes.append(Change(c.parameter, c.op, value, c.note))
    if problems:
        raise InputError(problems)
    return Lever(parsed.name, parsed.title.strip(), " ".join(parsed.summary.split()), tuple(parsed.source),
                 tuple(parsed.applies_to) if parsed.applies_to is not None else None, tuple(changes), shown)


def load_levers(names: list[str] | None = None) -> list[Lever]:
    bibliography = load_bibliography()
    return [load_lever(n, bibliography) for n in (names if names else available_levers())]


def check_on(scenario: Scenario, levers: list[Lever]) -> list[Problem]:
    """Problems with applying `levers` (in order) to `scenario`: ranges left, or levies that can exceed 1."""
    bounds = scenario.bounds()
    problems = []
    for lever in levers:
        if lever.applies_to is not None and scenario.name not in lever.applies_to:
            problems.append(Problem(lever.file, "applies_to", list(lever.applies_to),
                                    f"the lever is not meant for scenario {scenario.name!r}."))
            continue
        for i, change in enumerate(lever.changes):
            if change.parameter not in bounds:
                problems.append(Problem(lever.file, f"changes[{i}].parameter", change.parameter,
                                        f"scenario {scenario.name!r} has no such parameter to change."))
                continue
            low, high = change.bounds(*bounds[change.parameter])
            spec = PARAMETERS[change.parameter]
            for end in (low, high):
                if not spec.contains(end):
                    problems.append(Problem(lever.file, f"changes[{i}]", change.describe(),
                                            f"applied to {scenario.name!r} it takes {change.parameter} to {end:g}, "
                                            f"outside the allowed range ({spec.allowed()})."))
                    break
            bounds[change.parameter] = (low, high)
    if not problems:
        worst = worst_case_levies(bounds)
        if worst > 1 + 1e-12:
            names = " + ".join(lever.name for lever in levers)
            problems.append(Problem(levers[-1].file, "changes", names,
                                    f"applied to {scenario.name!r}, the levies can take {worst:.3f} of sales, "
                                    "leaving a negative mine-gate remainder; they must be at most 1."))
    return problems


def applicable(scenario: Scenario, levers: list[Lever]) -> tuple[list[Lever], dict[str, str]]:
    """The levers that can be applied to `scenario`, and for the others the reason why not."""
    ok, skipped = [], {}
    for lever in levers:
        problems = check_on(scenario, [lever])
        if problems:
            skipped[lever.name] = "; ".join(p.message for p in problems)
        else:
            ok.append(lever)
    return ok, skipped


__all__ = ["OPS", "Change", "Lever", "applicable", "available_levers", "check_on", "load_lever", "load_levers"]
