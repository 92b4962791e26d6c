"""Policy levers as data (data/levers/*.yaml): named changes to a scenario's parameters, and what they
do to each actor's take.

A lever's change is applied to every Monte Carlo draw of the scenario (`set` replaces the draw,
`scale` multiplies it, `shift` adds to it, `cap` takes the smaller of the two, `floor` the larger). The
levered and the base scenario share the same base draws (common random numbers), so a lever that
changes nothing changes nothing, draw for draw, and the changes it does make are measured precisely.
Before any computation, each change is checked against the parameter's allowed range and the
mine-gate condition (levies <= 1) using interval arithmetic over the scenario's ranges.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, Field, ValidationError

from . import paths
from .constants import ACTORS, DEFAULT_SEED, PARAMETERS
from .distributions import Distribution, Fixed
from .errors import InputError, Problem, problem
from .model import split
from .scenarios import (NAME, PARAMETER_TAGS, TAG_PARENTS, ParameterName, ParameterSpecFile, Scenario, _distribution,
                        _as_list)
from .sources import ASSUMPTION, Bibliography, load_bibliography
from .uncertainty import draw_parameters, stream
from .validation import StrictModel, problems_from
from .yamlio import load_yaml

OPS = ("set", "scale", "shift", "cap", "floor")
#: The ratio's interval is reported only when miners lose in at least this share of draws.
RATIO_INTERVAL_MIN_SHARE = 0.95


class _ChangeFile(StrictModel):
    parameter: ParameterName
    op: Literal[OPS]  # type: ignore[valid-type]
    value: ParameterSpecFile
    note: str | None = None


class _LeverFile(StrictModel):
    name: str
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    source: Annotated[list[str], BeforeValidator(_as_list)] = Field(default_factory=list)
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
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text:
        return Path(text)
    if not NAME.match(text):
        raise problem("command line", "lever", "a lever name is lower case letters, digits and underscores "
                      "(a file in data/levers without .yaml).", text)
    path = paths.levers_dir() / f"{text}.yaml"
    if not path.is_file():
        raise problem("command line", "lever", f"there is no such lever in {paths.display(paths.levers_dir())} "
                      f"(known: {', '.join(available_levers()) or 'none'}).", text)
    return path


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
    for source_id in parsed.source:
        if source_id != ASSUMPTION and source_id not in bibliography:
            problems.append(Problem(shown, "source", source_id, f"is not an id in {bibliography.file}."))
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
    bounds = {k: (p.distribution.low, p.distribution.high) for k, p in scenario.parameters.items()}
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
        f_lo, f_hi = bounds["formal_share"]
        t, x = bounds["state_tax_rate"][1], bounds["extortion_rate"][1]
        worst = max(f * t + (1 - f) * x for f in (f_lo, f_hi)) + bounds["checkpoint_rate"][1] + bounds["trader_margin"][1]
        if worst > 1 + 1e-12:
            names = " + ".join(lever.name for lever in levers)
            problems.append(Problem(levers[-1].file, "changes", names,
                                    f"applied to {scenario.name!r}, the levies can take {worst:.3f} of sales, "
                                    "leaving a negative mine-gate remainder; they must be at most 1."))
    return problems


def apply_to_draws(params: dict, levers: list[Lever], draws: int, seed: int, scenario_name: str) -> dict:
    """The parameter draws with every change applied, in order. Each change's own value is drawn from
    a stream of its own, so the base draws are untouched."""
    out = dict(params)
    for lever in levers:
        for i, change in enumerate(lever.changes):
            rng = stream(seed, scenario_name, f"lever:{lever.name}:{i}")
            value = change.value.sample(rng, draws) if change.value.uncertain else change.value.point
            current = out[change.parameter]
            out[change.parameter] = change.apply(current, value)
    return out


def apply_to_point(values: dict[str, float], levers: list[Lever]) -> dict[str, float]:
    out = dict(values)
    for lever in levers:
        for change in lever.changes:
            out[change.parameter] = float(change.apply(out[change.parameter], change.value.point))
    return out


def _flows(params: dict, scenario: Scenario) -> np.ndarray:
    return split(params, scenario.recipients).flows


def effects(scenario: Scenario, levers: list[Lever], draws: int = 100_000, seed: int = DEFAULT_SEED,
            pairs: bool = True, all_together: bool = True) -> pd.DataFrame:
    """What each lever, each pair of levers and all of them together do to every actor's take.

    One row per combination (index: the lever names joined by ' + '). Columns: for each actor,
    `<actor>` (change at the point estimate, USD/yr) and `<actor>_p5`, `_p50`, `_p95` (of the per-draw
    change); `junta_denied` and `miners_lost` (point, positive = a loss); `ratio` (dollars denied to the
    junta per dollar lost by miners, at the point estimate; inf where miners do not lose) with `ratio_p5`,
    `ratio_p50`, `ratio_p95` of the per-draw ratio when miners lose in at least 95% of draws (else NaN),
    and `miners_lose_share` (the share of draws in which they lose). Rows are ranked: first the combinations that deny the junta money while
    miners lose nothing (by dollars denied), then by ratio; those that do not reduce the junta's take last.
    """
    problems = [p for lever in levers for p in check_on(scenario, [lever])]
    if problems:
        raise InputError(problems)
    combos: list[tuple[Lever, ...]] = [(lever,) for lever in levers]
    if pairs:
        combos += list(combinations(levers, 2))
    if all_together and len(levers) > 2:
        combos.append(tuple(levers))
    base_params = draw_parameters(scenario, draws, seed)
    base_flows = _flows(base_params, scenario)
    base_point = split(scenario.point_values(), scenario.recipients).flows[0]
    rows = {}
    for combo in combos:
        combo_problems = check_on(scenario, list(combo))
        if combo_problems:
            raise InputError(combo_problems)
        label = " + ".join(lever.name for lever in combo)
        flows = _flows(apply_to_draws(base_params, list(combo), draws, seed, scenario.name), scenario)
        change = np.broadcast_to(flows, (draws, len(ACTORS))) - np.broadcast_to(base_flows, (draws, len(ACTORS)))
        point = split(apply_to_point(scenario.point_values(), list(combo)), scenario.recipients).flows[0] - base_point
        row: dict[str, float] = {"levers": len(combo)}
        for i, actor in enumerate(ACTORS):
            row[actor] = float(point[i])
            q = np.quantile(change[:, i], [0.05, 0.5, 0.95])
            row.update({f"{actor}_p5": q[0], f"{actor}_p50": q[1], f"{actor}_p95": q[2]})
        j, m = ACTORS.index("junta"), ACTORS.index("miners")
        denied, lost = -float(point[j]), -float(point[m])
        row["junta_denied"], row["miners_lost"] = denied, lost
        row["ratio"] = denied / lost if lost > 1e-6 else (np.inf if denied > 1e-6 else np.nan)
        lose = -change[:, m] > 1e-6
        row["miners_lose_share"] = float(lose.mean())
        if lose.mean() >= RATIO_INTERVAL_MIN_SHARE:  # the ratio is well defined in (nearly) every draw
            ratios = -change[lose, j] / -change[lose, m]
            row.update(dict(zip(("ratio_p5", "ratio_p50", "ratio_p95"), np.quantile(ratios, [0.05, 0.5, 0.95]))))
        else:
            row.update(ratio_p5=np.nan, ratio_p50=np.nan, ratio_p95=np.nan)
        rows[label] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "levers_applied"
    return rank(frame)


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


def rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Order: deny the junta with no loss to miners (most denied first), then by ratio, then the rest."""
    denies = frame["junta_denied"] > 1e-6
    free = denies & ~(frame["miners_lost"] > 1e-6)
    group = np.where(free, 0, np.where(denies, 1, 2))
    key = np.where(free, -frame["junta_denied"], np.where(denies, -frame["ratio"].replace(np.inf, 0), 0))
    order = np.lexsort((key, group))
    ranked = frame.iloc[order].copy()
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked


def effects_json(scenario: Scenario, table: pd.DataFrame, draws: int, seed: int,
                 skipped: dict[str, str] | None = None) -> dict:
    """The object `mogok-econ levers --json` prints (USD per year; null where a value is undefined)."""
    def num(v):
        return None if v is None or not np.isfinite(v) else float(v)

    base = split(scenario.point_values(), scenario.recipients).flows[0]
    rows = []
    for label, row in table.iterrows():
        rows.append({
            "rank": int(row["rank"]), "levers": label.split(" + "),
            "change_usd": {a: {"point": num(row[a]), "p5": num(row[f"{a}_p5"]), "p50": num(row[f"{a}_p50"]),
                               "p95": num(row[f"{a}_p95"])} for a in ACTORS},
            "junta_denied_usd": num(row["junta_denied"]), "miners_lost_usd": num(row["miners_lost"]),
            "junta_denied_per_miner_dollar_lost": {
                "point": num(row["ratio"]), "p5": num(row["ratio_p5"]), "p50": num(row["ratio_p50"]),
                "p95": num(row["ratio_p95"]), "miners_lose_in_share_of_draws": num(row["miners_lose_share"]),
                "miners_do_not_lose": bool(row["miners_lost"] <= 1e-6)},
        })
    return {"scenario": scenario.name, "draws": draws, "seed": seed,
            "baseline_flows_usd": {a: float(base[i]) for i, a in enumerate(ACTORS)}, "results": rows,
            "not_applicable": skipped or {}}


__all__ = ["Change", "Lever", "OPS", "apply_to_draws", "apply_to_point", "available_levers", "check_on",
           "applicable", "effects", "effects_json", "load_lever", "load_levers", "rank"]
