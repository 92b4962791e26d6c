"""Policy levers as data (data/levers/*.yaml): named changes to a scenario's parameters (`set` replaces
a value, `scale` multiplies it, `shift` adds to it, `cap` takes the smaller of the two, `floor` the
larger) and to its recipients tables (`recipients:` moves a share of one actor's part of a table to
another, e.g. the junta's stakes in mines to local owners), loaded and checked. What they do to each
actor's take is computed in analysis/lever_effects.py.

A sanctions lever may instead derive its changes from a `mechanism:` (named parameters with sourced
ranges: inputs/lever_mechanisms.py, core/lever_mechanisms.py); those changes are `scale`s marked `derived`.

Each lever also says under which scenarios it is politically feasible (`feasible_under`, each with a
rationale and sources; a scenario not listed is one where it is not) and which levers it must never be
combined with (`conflicts_with`, each with why). Both name only known scenarios and levers.

Before any computation, each change is checked against the parameter's allowed range and the
mine-gate condition (levies <= 1) using interval arithmetic over the scenario's ranges (`check_on`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field, ValidationError

from .. import paths
from ..core.distributions import Distribution, Fixed
from ..core.lever_mechanisms import Mechanism, MechanismFactor
from ..core.levies import worst_case_levies
from ..core.recipient_draws import drawn_tables, share_key
from ..core.vocabulary import PARAMETERS, RECIPIENT_TABLES, RECIPIENTS
from ..errors import InputError, Problem, problem
from .lever_mechanisms import MechanismFile, parse_mechanism
from .parameters import PARAMETER_TAGS, TAG_PARENTS, ParameterName, ParameterSpecFile
from .parameters import distribution as _distribution
from .scenarios import Scenario, available_scenarios
from .schema import Sources, StrictModel, find_data_file, listed, problems_from, unknown_sources
from .sources import Bibliography, load_bibliography
from .yaml_loader import load_yaml

OPS = ("set", "scale", "shift", "cap", "floor")


class _ChangeFile(StrictModel):
    parameter: ParameterName
    op: Literal[OPS]  # type: ignore[valid-type]
    value: ParameterSpecFile
    note: str | None = None


class _MoveFile(StrictModel):
    """Move `share` of the `from` actor's part of a recipients table to the `to` actor."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True, populate_by_name=True)
    table: str
    from_actor: str = Field(alias="from")
    to_actor: str = Field(alias="to")
    share: float = Field(ge=0, le=1)
    note: str | None = None


class _FeasibleFile(StrictModel):
    scenario: str
    rationale: str = Field(min_length=1)
    source: Sources = Field(default_factory=list)


class _ConflictFile(StrictModel):
    lever: str
    why: str = Field(min_length=1)


class _LeverFile(StrictModel):
    name: str
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    source: Sources = Field(default_factory=list)
    applies_to: list[str] | None = None
    changes: list[_ChangeFile] = Field(default_factory=list)
    mechanism: MechanismFile | None = None
    recipients: list[_MoveFile] = Field(default_factory=list)
    feasible_under: list[_FeasibleFile]
    conflicts_with: list[_ConflictFile] = Field(default_factory=list)


@dataclass(frozen=True)
class Change:
    parameter: str
    op: str
    value: Distribution | MechanismFactor
    note: str | None = None
    derived: bool = False  # its value comes from the lever's mechanism, drawn jointly with its other derived changes

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
class Move:
    """A change of ownership or of who receives a levy: `share` of `from_actor`'s part of `table` goes to
    `to_actor`. The table still adds up to 1; a table the scenario does not have is left alone."""

    table: str
    from_actor: str
    to_actor: str
    share: float
    note: str | None = None

    def apply(self, recipients: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        if self.table not in recipients:
            return recipients
        table = dict(recipients[self.table])
        moved = table.get(self.from_actor, 0.0) * self.share  # a number, or one per draw (a drawn table)
        if not np.any(moved):
            return recipients
        table[self.from_actor] = table.get(self.from_actor, 0.0) - moved
        table[self.to_actor] = table.get(self.to_actor, 0.0) + moved
        return {**recipients, self.table: {a: v for a, v in table.items() if np.any(np.asarray(v) > 0)}}

    def describe(self) -> str:
        return f"{self.share:.0%} of the {self.from_actor}'s part of {self.table} moved to {self.to_actor}"


@dataclass(frozen=True)
class Feasibility:
    rationale: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Lever:
    name: str
    title: str
    summary: str
    sources: tuple[str, ...]
    applies_to: tuple[str, ...] | None
    changes: tuple[Change, ...]
    file: str
    moves: tuple[Move, ...] = ()
    feasible_under: dict[str, Feasibility] | None = None  # scenario -> why it is feasible there
    conflicts_with: dict[str, str] | None = None          # lever -> why the two must not be combined
    mechanism: Mechanism | None = None                    # where its derived changes come from

    def feasible(self, scenario: Scenario | str) -> bool:
        """Whether the lever is feasible under `scenario` (a user's scenario: under the nearest shipped
        scenario it extends)."""
        return feasibility_key(scenario) in (self.feasible_under or {})

    def all_sources(self) -> list[str]:
        ids = list(self.sources) + [i for f in (self.feasible_under or {}).values() for i in f.sources]
        return list(dict.fromkeys(i for i in ids if i != "assumption"))


def feasibility_key(scenario: Scenario | str) -> str:
    """The scenario name feasibility is read for: the scenario's own, or (for a scenario of a user's that
    no lever file can name) the first scenario of its `extends` chain that is known."""
    if isinstance(scenario, str):
        return scenario
    known = set(available_scenarios(scenario.data))
    return next((name for name in reversed(scenario.lineage) if name in known), scenario.name)


def apply_moves(recipients: dict[str, dict[str, float]], levers: list[Lever]) -> dict[str, dict[str, float]]:
    """The recipients tables after every lever's moves, in order (a drawn table's shares: per draw)."""
    for lever in levers:
        for move in lever.moves:
            recipients = move.apply(recipients)
    return recipients


def apply_moves_to_draws(values: dict, levers: list[Lever] | tuple) -> dict:
    """Parameter draws with their drawn recipients tables (`share:<table>:<actor>`, core/recipient_draws.py)
    after every lever's moves, draw by draw; tables not drawn are moved by `apply_moves` on the stated tables."""
    drawn = drawn_tables({}, values)
    if not drawn or not any(lever.moves for lever in levers):
        return values
    out = {k: v for k, v in values.items() if not k.startswith("share:")}
    for table, shares in apply_moves(drawn, list(levers)).items():
        out |= {share_key(table, a): v for a, v in shares.items()}
    return out


def conflicts(levers: list[Lever]) -> dict[tuple[str, str], str]:
    """Every pair among `levers` that must not be combined, and why (declared by either lever)."""
    out = {}
    for i, a in enumerate(levers):
        for b in levers[i + 1:]:
            why = (a.conflicts_with or {}).get(b.name) or (b.conflicts_with or {}).get(a.name)
            if why:
                out[(a.name, b.name)] = why
    return out


def available_levers(data: Path | None = None) -> list[str]:
    folder = paths.levers_dir(paths.chosen(data))
    return listed(folder, "lever")


def lever_path(name_or_path: str | Path, data: Path | None = None) -> Path:
    """A lever name (a file in the data folder's levers/) or a path to a YAML file."""
    return find_data_file(name_or_path, paths.levers_dir(paths.chosen(data)), "lever")


def load_lever(name_or_path: str | Path, bibliography: Bibliography | None = None, data: Path | None = None) -> Lever:
    """Load and check one lever file (shape, names, sources, value ranges). InputError if not valid."""
    path = lever_path(name_or_path, data)
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
    bibliography = bibliography or load_bibliography(data=data)
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
    mechanism = None
    if parsed.mechanism is not None:
        mechanism, mechanism_problems = parse_mechanism(parsed.mechanism, shown, bibliography, data)
        problems += mechanism_problems
        for moved in parsed.mechanism.moves:
            if any(c.parameter == moved for c in parsed.changes):
                problems.append(Problem(shown, "changes", moved, "is moved by the mechanism: give it in one place only."))
        if mechanism is not None:
            changes += [Change(p, "scale", MechanismFactor(mechanism, p), f"derived from the {mechanism.kind} mechanism",
                               derived=True) for p in mechanism.moves]
    moves = []
    for i, m in enumerate(parsed.recipients):
        where = f"recipients[{i}]"
        if m.table not in RECIPIENT_TABLES:
            problems.append(Problem(shown, f"{where}.table", m.table,
                                    f"is not a recipients table (known: {', '.join(RECIPIENT_TABLES)})."))
            continue
        allowed = RECIPIENT_TABLES[m.table]
        for key, actor in (("from", m.from_actor), ("to", m.to_actor)):
            if actor not in allowed:
                problems.append(Problem(shown, f"{where}.{key}", actor,
                                        f"is not an actor allowed in {m.table} (allowed: {', '.join(allowed)})."))
        if m.from_actor == m.to_actor:
            problems.append(Problem(shown, f"{where}.to", m.to_actor, "must differ from `from`."))
        moves.append(Move(m.table, m.from_actor, m.to_actor, float(m.share), m.note))
    if not changes and not moves:
        problems.append(Problem(shown, "changes", [], "a lever needs at least one change or one recipients move."))
    problems += _feasibility_problems(parsed, shown, bibliography, data)
    if problems:
        raise InputError(problems)
    feasible = {f.scenario: Feasibility(" ".join(f.rationale.split()), tuple(f.source)) for f in parsed.feasible_under}
    conflicting = {c.lever: " ".join(c.why.split()) for c in parsed.conflicts_with}
    return Lever(parsed.name, parsed.title.strip(), " ".join(parsed.summary.split()), tuple(parsed.source),
                 tuple(parsed.applies_to) if parsed.applies_to is not None else None, tuple(changes), shown,
                 tuple(moves), feasible, conflicting, mechanism)


def _feasibility_problems(parsed: _LeverFile, shown: str, bibliography: Bibliography,
                          data: Path | None) -> list[Problem]:
    """Unknown, repeated or self-referring names in feasible_under and conflicts_with (of the data folder
    `data`); unknown sources."""
    problems: list[Problem] = []
    scenarios, levers = available_scenarios(data), available_levers(data)
    seen: set[str] = set()
    for i, f in enumerate(parsed.feasible_under):
        if f.scenario not in scenarios:
            problems.append(Problem(shown, f"feasible_under[{i}].scenario", f.scenario,
                                    f"there is no such scenario (known: {', '.join(scenarios)})."))
        elif f.scenario in seen:
            problems.append(Problem(shown, f"feasible_under[{i}].scenario", f.scenario, "is listed twice."))
        seen.add(f.scenario)
        problems += unknown_sources(f.source, bibliography, shown, f"feasible_under[{i}].source")
    seen = set()
    for i, c in enumerate(parsed.conflicts_with):
        if c.lever == parsed.name:
            problems.append(Problem(shown, f"conflicts_with[{i}].lever", c.lever, "a lever cannot conflict with itself."))
        elif c.lever not in levers:
            problems.append(Problem(shown, f"conflicts_with[{i}].lever", c.lever,
                                    f"there is no such lever (known: {', '.join(levers)})."))
        elif c.lever in seen:
            problems.append(Problem(shown, f"conflicts_with[{i}].lever", c.lever, "is listed twice."))
        seen.add(c.lever)
    return problems


def load_levers(names: list[str] | None = None, data: Path | None = None) -> list[Lever]:
    bibliography = load_bibliography(data=data)
    return [load_lever(n, bibliography, data) for n in (names if names else available_levers(data))]


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
    if not problems:  # a rate the levers make positive needs someone to receive it
        for table, spec in RECIPIENTS.items():
            raised = [k for k in spec.needed_by if bounds.get(k, (0, 0))[1] > 0]
            if raised and table not in scenario.recipients:
                problems.append(Problem(levers[-1].file, "changes", ", ".join(raised),
                                        f"applied to {scenario.name!r}, the levers make {', '.join(raised)} positive, "
                                        f"but the scenario has no {table} table to say who receives it."))
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


__all__ = ["OPS", "Change", "Feasibility", "Lever", "Move", "applicable", "apply_moves", "available_levers", "check_on",
           "conflicts", "feasibility_key", "load_lever", "load_levers"]
