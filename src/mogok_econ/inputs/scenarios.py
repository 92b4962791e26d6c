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
from typing import Literal

import pandas as pd
from pydantic import Field, ValidationError

from .. import limits, paths
from ..core.distributions import Fixed
from ..core.levies import levy_ranges, worst_case_levies
from ..core.vocabulary import GROUPS, PARAMETERS, RECIPIENTS, SHARE_TOLERANCE
from ..errors import InputError, Problem
from .concentrations import Concentration, ConcentrationFile, check_shape, check_tables, concentration, tables_to_draw
from .correlations import check_correlations
from .exchange_rates import load_exchange_rates
from .parameters import PARAMETER_TAGS, TAG_PARENTS, Parameter, ParameterName, ParameterSpecFile, check_parameter, parameter
from .schema import NAME, Sources, StrictModel, find_data_file, listed, problems_from
from .shared import load_default_concentration, load_shared
from .sources import Bibliography, load_bibliography
from .yaml_loader import load_yaml

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


# --- pass 1: the shape of one file -----------------------------------------------------------------

TableName = Literal[tuple(RECIPIENTS)]  # type: ignore[valid-type]


class CorrelationFile(StrictModel):
    between: list[ParameterName] = Field(min_length=2, max_length=2)  # type: ignore[valid-type]
    rho: float
    source: Sources = Field(default_factory=list)
    note: str | None = None


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
    parameters: dict[ParameterName, ParameterSpecFile] = Field(default_factory=dict)  # type: ignore[valid-type]
    recipients: dict[TableName, dict[str, float]] = Field(default_factory=dict)
    recipient_concentration: dict[TableName, ConcentrationFile] = Field(default_factory=dict)
    correlations: list[CorrelationFile] = Field(default_factory=list)


# --- the loaded scenario ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Correlation:
    """A Spearman rank correlation between two of a scenario's uncertain parameters (Gaussian copula)."""

    between: tuple[str, str]
    rho: float
    sources: tuple[str, ...] = ()
    note: str | None = None


class Names(frozenset):
    """A frozenset of names, shown sorted. A Scenario's repr keys the results computed from it
    (analysis/cache.cached_result); a plain frozenset shows its names in the order of their string hashes,
    which Python draws afresh in every process, so each kernel of a build missed the results another had
    saved (the policy report computed every scenario's column of the lever matrix again after any edit)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Names({sorted(self)!r})"


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
    correlations: tuple[Correlation, ...] = ()
    shared: Names = field(default_factory=Names)  # parameters taken from data/shared.yaml (drawn once for every scenario)
    #: The parameters the data folder's shared.yaml sets (one a scenario sets too needs a note saying why).
    shared_in_file: Names = field(default_factory=Names)
    #: The data folder it was loaded from (None: the shipped data): whose shared draws and exchange rates it uses.
    data: Path | None = None
    #: How well each recipients table's split is known (docs/model.md, "Who is paid, drawn"): the table's own
    #: concentration (its file's, or inherited with the table), else data/shared.yaml's default; a table with
    #: neither, or declared `fixed`, is not drawn.
    recipient_concentration: dict[str, Concentration] = field(default_factory=dict)

    def drawn_recipients(self) -> dict[str, Concentration]:
        """The tables drawn per draw, with their concentrations (inputs/concentrations.py, tables_to_draw)."""
        return tables_to_draw(self.recipients, self.recipient_concentration)

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

def scenario_path(name_or_path: str | Path, data: Path | None = None) -> Path:
    """A scenario name (a file in the scenarios/ of the data folder `data`, None: the shipped data) or a
    path to a YAML file."""
    return find_data_file(name_or_path, paths.scenarios_dir(paths.chosen(data)), "scenario")


def available_scenarios(data: Path | None = None) -> list[str]:
    """Names of the scenario files in the data folder's scenarios/, sorted."""
    folder = paths.scenarios_dir(paths.chosen(data))
    return listed(folder, "scenario")


def load_scenario(name_or_path: str | Path, bibliography: Bibliography | None = None,
                  data: Path | None = None) -> Scenario:
    """Load, resolve `extends`, validate. Raises InputError listing every problem found."""
    path = scenario_path(name_or_path, data)
    bibliography = bibliography or load_bibliography(data=data)
    merged, lineage, problems = _resolve(path.resolve(), [], paths.chosen(data))
    if problems:
        raise InputError(problems)
    scenario = _build(merged, lineage, paths.display(path), paths.chosen(data))
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
    problems = _period_problems(parsed.period, shown)
    for table, spec in parsed.recipient_concentration.items():
        problems += check_shape(spec, shown, f"recipient_concentration.{table}")
    if not NAME.match(parsed.name):
        problems.append(Problem(shown, "name", parsed.name, "a scenario name is lower case letters, digits and underscores."))
    elif parsed.name != path.stem:
        problems.append(Problem(shown, "name", parsed.name, f"the name must equal the file's stem, {path.stem!r}."))
    return parsed, problems


def _period_problems(period: Period, shown: str) -> list[Problem]:
    """A period's months within the years a date may fall in, and its end not before its start."""
    problems = []
    for key in ("start", "end"):
        month = getattr(period, key)
        if month is not None and not limits.FIRST_YEAR <= int(month[:4]) <= limits.LAST_YEAR:
            problems.append(Problem(shown, f"period.{key}", month, f"the year must be {limits.DATE_RANGE_WHY}."))
    if not problems and period.end is not None and period.end < period.start:
        problems.append(Problem(shown, "period", {"start": period.start, "end": period.end},
                                "the period ends before it starts; `end` (a month, inclusive) must be the same as "
                                "`start` or later, or null for an open end."))
    return problems


def _resolve(path: Path, chain: list[Path], data: Path) -> tuple[dict, tuple[Path, ...], list[Problem]]:
    """The merged contents of a file and its ancestors: child values override parent values."""
    parsed, problems = _read_file(path)
    if parsed is None or problems:
        return {}, (), problems
    shown = paths.display(path)
    own = {
        "name": parsed.name, "title": parsed.title, "summary": parsed.summary, "period": parsed.period,
        "parameters": {k: (v, shown) for k, v in parsed.parameters.items()},
        "recipients": {k: (v, shown) for k, v in parsed.recipients.items()},
        "recipient_concentration": {k: (v, shown) for k, v in parsed.recipient_concentration.items()},
        "correlations": [(c, shown) for c in parsed.correlations],
    }
    if parsed.extends is None:
        return own, (path,), []
    if not NAME.match(parsed.extends):
        return {}, (), [Problem(shown, "extends", parsed.extends, "must name another scenario (a file's stem).")]
    parent, looked = parent_file(path, parsed.extends, data)
    if parent is None:
        return {}, (), [Problem(shown, "extends", parsed.extends, f"there is no scenario {parsed.extends!r} to extend; "
                                f"looked beside the file and among the shipped scenarios ({', '.join(looked)}).")]
    if parent.resolve() in chain + [path]:
        cycle = " -> ".join(p.stem for p in chain + [path, parent.resolve()])
        return {}, (), [Problem(shown, "extends", parsed.extends, f"`extends` forms a cycle ({cycle}).")]
    if len(chain) + 2 > limits.MAX_EXTENDS:
        return {}, (), [Problem(shown, "extends", parsed.extends, f"is scenario {len(chain) + 2} of a chain of `extends`; "
                                f"at most {limits.MAX_EXTENDS} (the shipped scenarios chain at most 4).")]
    base, lineage, problems = _resolve(parent.resolve(), chain + [path], data)
    if problems:
        return {}, (), problems
    merged = {**base, **{k: own[k] for k in ("name", "title", "summary", "period")}}
    merged["parameters"] = {**base["parameters"], **own["parameters"]}
    merged["recipients"] = {**base["recipients"], **own["recipients"]}
    # a concentration goes with its table: a table the child sets anew does not keep its parent's
    merged["recipient_concentration"] = {**{k: v for k, v in base["recipient_concentration"].items()
                                            if k not in own["recipients"]}, **own["recipient_concentration"]}
    pairs = {frozenset(c.between): (c, where) for c, where in base["correlations"] + own["correlations"]}
    merged["correlations"] = list(pairs.values())  # a child's correlation of the same pair replaces its parent's
    return merged, lineage + (path,), []


def extends_places(path: Path, data: Path) -> list[Path]:
    """Where the scenario that the file at `path` extends is looked for, in order (parent_file)."""
    return list(dict.fromkeys([path.parent.resolve(), paths.scenarios_dir(data).resolve(),
                               paths.shipped_scenarios_dir().resolve()]))


def parent_file(path: Path, name: str, data: Path) -> tuple[Path | None, list[str]]:
    """The scenario `name` that the file at `path` extends: beside the file first, then in the data
    folder's scenarios/, then among the shipped scenarios (those of the package, even when a user's data
    folder is in use). Also the places looked in, for the error when none has it."""
    places = extends_places(path, data)
    for folder in places:
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate, []
    return None, [paths.display(folder / f"{name}.yaml") for folder in places]


def _build(merged: dict, lineage: tuple[Path, ...], file: str, data: Path) -> Scenario:
    """The scenario: documented defaults, then the shared parameters, then the file's own (a file may
    override a shared parameter such as G, with a note saying why: checked in pass 2)."""
    shared = load_shared(data=data)
    parameters = {k: Parameter(Fixed(spec.default), (), "Documented default (docs/model.md).", None, "default")
                  for k, spec in PARAMETERS.items() if spec.default is not None and not spec.shared}
    parameters |= shared
    own = {key: parameter(spec, origin) for key, (spec, origin) in merged["parameters"].items()}
    parameters |= own
    correlations = tuple(Correlation(tuple(c.between), c.rho, tuple(c.source), c.note)
                         for c, _ in merged["correlations"])
    default = load_default_concentration(data=data)
    own_concentration = {t: concentration(spec, origin) for t, (spec, origin) in merged["recipient_concentration"].items()}
    concentrations = {t: own_concentration.get(t, default) for t in merged["recipients"]} | own_concentration
    return Scenario(
        name=merged["name"], title=merged["title"].strip(), period_start=merged["period"].start,
        period_end=merged["period"].end, summary=" ".join(merged["summary"].split()),
        parameters=parameters, recipients={k: dict(v) for k, (v, _) in merged["recipients"].items()},
        file=file, lineage=tuple(p.stem for p in lineage), lineage_files=lineage, correlations=correlations,
        shared=Names(k for k in shared if k not in own),
        shared_in_file=Names(k for k, p in shared.items() if p.defined_in != "default"), data=data,
        recipient_concentration={t: c for t, c in concentrations.items() if c is not None},
    )


# --- pass 2: the economics -------------------------------------------------------------------------

def check_economics(scenario: Scenario, bibliography: Bibliography | None) -> list[Problem]:
    """Every rule of docs/model.md that the shape alone cannot check. An empty list means valid."""
    problems: list[Problem] = []
    file = scenario.file
    shared_file = scenario.shared_in_file
    for key, spec in PARAMETERS.items():
        if key not in scenario.parameters:
            problems.append(Problem(file, f"parameters.{key}", None,
                                    f"is required ({spec.meaning}; {spec.allowed()}) and is set neither here, nor in "
                                    "a scenario this one extends, nor in data/shared.yaml."))
            continue
        p = scenario.parameters[key]
        where = p.defined_in if p.defined_in and p.defined_in not in (file, "default") else file
        problems += check_parameter(key, p, where, bibliography)
        if key in shared_file and key not in scenario.shared and not (p.note or "").strip():
            problems.append(Problem(where, f"parameters.{key}.note", None, f"{key} is shared by every scenario "
                                    "(data/shared.yaml); a scenario that sets its own must say why in a note."))
    rates = load_exchange_rates(data=scenario.data)
    if rates is None and any(p.in_kyat for p in scenario.parameters.values()):
        problems.append(Problem(file, "parameters", [k for k, p in scenario.parameters.items() if p.in_kyat],
                                "kyat values need data/exchange_rates.yaml to convert them, and there is none."))
    problems += _check_recipients(scenario)
    problems += check_tables(scenario.recipient_concentration, scenario.recipients,
                             load_default_concentration(data=scenario.data), scenario.file, bibliography)
    problems += check_correlations(scenario, bibliography)
    if not problems:
        bounds = scenario.bounds()
        fx = 0.0
        if rates is not None:
            steps = list(rates.weights(scenario.period_start, scenario.period_end))
            fx = bounds["conversion_applies"][1] * max(s.conversion_share * max(0.0, 1 - s.official / s.market.high)
                                                       for s in steps)
        worst = worst_case_levies(bounds, fx)
        if worst > 1.0 + 1e-12:
            problems.append(Problem(file, "parameters", levy_ranges(bounds),
                                    f"the levies can take {worst:.3f} of sales within their ranges "
                                    "(f·(t + X) + (1-f)·x + c + m at the worst corner, X the exchange-rate levy), "
                                    "leaving a negative mine-gate value M; the total must be at most 1 everywhere."))
        stock = bounds["stock_release_rate"][1] * bounds["market_access"][1] + bounds["stock_seizure_rate"][1] \
            + bounds["stock_destroyed_rate"][1]
        if stock > 1.0 + 1e-12:
            problems.append(Problem(file, "parameters", {k: list(bounds[k]) for k in (
                "stock_release_rate", "market_access", "stock_seizure_rate", "stock_destroyed_rate")},
                f"a month can take {stock:.3f} of the stock (r·a + z + d at the worst corner); at most 1."))
        if (taken := bounds["company_cost_share"][1] + bounds["state_production_share"][1]) > 1.0 + 1e-12:
            problems.append(Problem(file, "parameters", {k: list(bounds[k]) for k in ("company_cost_share",
                                    "state_production_share")}, f"costs and the state's share can take {taken:.3f} of "
                                    "company sites' value (γ + ψ at their high ends); at most 1."))
    return problems


def _check_recipients(scenario: Scenario) -> list[Problem]:
    problems: list[Problem] = []
    file = scenario.file
    for table, rules in RECIPIENTS.items():
        if table not in scenario.recipients:
            if any(scenario.parameters[k].distribution.high > 0 for k in rules.needed_by if k in scenario.parameters):
                problems.append(Problem(file, f"recipients.{table}", None,
                                        f"is required where {' or '.join(rules.needed_by)} can be above 0: a table of "
                                        f"actor -> share, adding up to 1 (actors: {', '.join(rules.allowed)})."))
            continue
        shares = scenario.recipients[table]
        for actor, share in shares.items():
            if actor in GROUPS:
                problems.append(Problem(file, f"recipients.{table}.{actor}", share,
                                        f"{actor} is a group, not an actor: name its members instead "
                                        f"({', '.join(GROUPS[actor])})."))
            elif actor not in rules.allowed:
                problems.append(Problem(file, f"recipients.{table}.{actor}", share,
                                        f"{actor} cannot receive {table}; allowed: {', '.join(rules.allowed)}."))
            if not 0.0 <= share <= 1.0:
                problems.append(Problem(file, f"recipients.{table}.{actor}", share, "a share must lie in [0, 1]."))
        total = sum(shares.values())
        if abs(total - 1.0) > SHARE_TOLERANCE:
            problems.append(Problem(file, f"recipients.{table}", shares,
                                    f"the shares add up to {total:.12g}; they must add up to 1 (within {SHARE_TOLERANCE:g})."))
    return problems
