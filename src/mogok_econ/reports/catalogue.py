"""The reports a build makes: which notebook, which parameters (checked before any kernel starts).

Each notebook's parameters have a schema here (pydantic, unknown names refused); a test checks that the
schema and the notebook's `parameters` cell declare the same names and defaults. Every notebook has a
`data` parameter: the data folder its kernel loads as its World (inputs/world.py; empty: the shipped
data), set by the build from the World it was given, never by `-p`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from .. import paths
from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, DEFAULT_SOBOL_SAMPLES
from ..errors import InputError, Problem
from ..inputs import dependencies
from ..inputs.schema import StrictModel, problems_from
from ..inputs.world import World

#: The `data` parameter of every notebook: a data folder laid out like data/ (empty: the shipped data).
DATA_FIELD = Field("", max_length=4096)


class ScenarioReportParameters(StrictModel):
    data: str = DATA_FIELD
    scenario: str
    draws: int = Field(DEFAULT_DRAWS, ge=1_000, le=10_000_000)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    gross_value_usd: float | None = Field(None, gt=0)
    sobol_samples: int = Field(DEFAULT_SOBOL_SAMPLES, ge=256, le=2**16)
    calibrated: bool = True  # headline numbers from the calibrated draws (False: from the priors)

    @field_validator("sobol_samples")
    @classmethod
    def _power_of_two(cls, value: int) -> int:
        if value & (value - 1):
            raise ValueError("must be a power of two (Sobol sequences need one), e.g. 1024, 4096 or 16384")
        return value


class ComparisonReportParameters(StrictModel):
    data: str = DATA_FIELD
    scenarios: list[str] = Field(default_factory=list)
    draws: int = Field(DEFAULT_DRAWS, ge=1_000, le=10_000_000)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    calibrated: bool = True  # headline numbers from the calibrated draws (False: from the priors)


class TimelineReportParameters(StrictModel):
    data: str = DATA_FIELD
    draws: int = Field(DEFAULT_DRAWS, ge=1_000, le=1_000_000)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    calibrated: bool = True  # headline numbers from the calibrated draws (False: from the priors)


class PolicyReportParameters(StrictModel):
    data: str = DATA_FIELD
    scenario: str = "current"
    levers: list[str] = Field(default_factory=list)
    draws: int = Field(DEFAULT_DRAWS, ge=1_000, le=1_000_000)  # the counterfactual runs the timeline twice
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    counterfactual_levers: list[str] = Field(default_factory=list)
    calibrated: bool = True  # headline numbers from the calibrated draws (False: from the priors)


class BriefReportParameters(StrictModel):
    data: str = DATA_FIELD
    language: Literal["en", "my"] = "en"
    draws: int = Field(DEFAULT_DRAWS, ge=1_000, le=1_000_000)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    calibrated: bool = True  # headline numbers from the calibrated draws (False: from the priors)


class CalibrationReportParameters(StrictModel):
    # the prior draws the calibration weights (its memory is limits.BYTES_PER_DRAW["calibration"] a draw)
    data: str = DATA_FIELD
    draws: int = Field(DEFAULT_DRAWS, ge=1_000, le=1_000_000)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)


@dataclass(frozen=True)
class ReportKind:
    notebook: str
    schema: type[StrictModel]
    description: str
    template: str = "mogok_report"  # the nbconvert template (reports/templates/) that makes its page


KINDS: dict[str, ReportKind] = {
    "scenario": ReportKind("scenario_report.ipynb", ScenarioReportParameters,
                           "one scenario: who gets what, the uncertainty, what drives it, the sources"),
    "comparison": ReportKind("comparison_report.ipynb", ComparisonReportParameters,
                             "every scenario side by side, and what drives the differences"),
    "timeline": ReportKind("timeline_report.ipynb", TimelineReportParameters,
                           "month by month since January 2016: each side's take, the events, the totals"),
    "policy": ReportKind("policy_report.ipynb", PolicyReportParameters,
                         "which policy levers cut the junta's take, and at what cost to miners"),
    "calibration": ReportKind("calibration_report.ipynb", CalibrationReportParameters,
                              "what the observations tell us: the model fitted to what was observed, what no "
                              "observation reaches, and which evidence would most change the answer"),
    "brief": ReportKind("brief.ipynb", BriefReportParameters,
                        "two pages for policymakers: the answer with its uncertainty, what would change it, the caveats",
                        template="mogok_brief"),
}

CALIBRATION_TITLE = "What the observations tell us: the calibration"
#: The brief's wording in both languages: data the brief reads (so an edit rebuilds it), beside the code.
BRIEF_TRANSLATIONS = Path(__file__).resolve().parent / "translations" / "brief.yaml"
#: The brief's editions: output name, language and title (the Burmese one is translated from the English).
BRIEF_EDITIONS: tuple[tuple[str, str, str], ...] = (
    ("brief", "en", "Brief: who keeps the money from Mogok's rubies (two pages)"),
    ("brief-my", "my", "Brief in Burmese (မြန်မာဘာသာ): the same two pages, the same numbers"),
)


@dataclass(frozen=True)
class ReportJob:
    """One report to build: its output name, notebook and (validated) parameters."""

    name: str
    kind: str
    parameters: dict[str, Any]
    title: str
    data_files: tuple[Path, ...] = field(default=())
    notebook_override: Path | None = None  # tests run other notebooks through the same pipeline

    @property
    def notebook(self) -> Path:
        return self.notebook_override or paths.NOTEBOOKS / KINDS[self.kind].notebook


def check_parameters(kind: str, parameters: dict[str, Any], where: str, world: World) -> dict[str, Any]:
    """Validate a notebook's parameters (names, types, ranges; scenarios exist in `world` and are valid)."""
    try:
        checked = KINDS[kind].schema.model_validate(parameters).model_dump()
    except ValidationError as exc:
        problems = problems_from(exc, where, prefix=("parameter",))
        known = ", ".join(KINDS[kind].schema.model_fields)
        raise InputError([Problem(p.file, p.field, p.value, p.message + (f" Parameters of the {kind} report: {known}."
                                  if "not a known field" in p.message else "")) for p in problems]) from None
    names = {"scenario": [checked.get("scenario")], "comparison": checked.get("scenarios", []),
             "policy": [checked.get("scenario")] if checked.get("scenario") != "current" else []}.get(kind, [])
    known = world.scenario_names
    for name in names:
        if name not in known:
            raise InputError(Problem(where, "parameter.scenario", name,
                                     f"there is no such scenario; known: {', '.join(known)}."))
        world.scenario(name)  # raises InputError naming every problem in the file
    if kind == "policy":
        for name in [*checked["levers"], *checked["counterfactual_levers"]]:
            if name not in world.lever_names:
                raise InputError(Problem(where, "parameter.levers", name,
                                         f"there is no such lever; known: {', '.join(world.lever_names)}."))
            world.lever(name)
    if kind == "timeline":
        _ = world.timeline  # loaded: raises InputError naming every problem in the file
    return checked


def _changelog() -> tuple[Path, ...]:
    """The changelog every report quotes (so a new entry rebuilds them), where there is one."""
    return (paths.ROOT / "CHANGELOG.md",) if (paths.ROOT / "CHANGELOG.md").exists() else ()


def report_files(kind: str, world: World, scenario: str | None = None) -> tuple[Path, ...]:
    """The data files a report of `kind` shows results of (inputs/dependencies.py), and the changelog: what
    its input hash covers. Every report draws from the calibrated posterior, so each has the calibration's."""
    calibrated = dependencies.calibration(world)
    files = {
        "scenario": lambda: dependencies.scenarios(world, [scenario]) + calibrated,
        # the research agenda (comparison, calibration) quotes the timeline's total since the coup
        "comparison": lambda: dependencies.every_scenario(world) + dependencies.timeline(world) + calibrated,
        "timeline": lambda: dependencies.timeline(world) + calibrated,
        "policy": lambda: (dependencies.every_scenario(world) + dependencies.timeline(world) + calibrated
                           + dependencies.levers(world) + (BRIEF_TRANSLATIONS,)),  # the channels figure's labels
        # the fit, the scenarios it names and the timeline's (their parameters' priors), the agenda
        "calibration": lambda: dependencies.timeline(world) + calibrated,
        "brief": lambda: (dependencies.every_scenario(world) + dependencies.timeline(world) + calibrated
                          + dependencies.levers(world) + (BRIEF_TRANSLATIONS,)),
    }[kind]()
    return tuple(sorted(set(files))) + _changelog()


def plan(scenarios: list[str] | None = None, overrides: dict[str, Any] | None = None,
         include_comparison: bool = True, world: World | None = None) -> list[ReportJob]:
    """The jobs of a build from the data of `world` (None: the shipped data): a scenario report per
    scenario (all if `scenarios` is None) and the comparison.

    `overrides` apply to every report that has a parameter of that name (e.g. draws, seed), and are
    validated like the rest.
    """
    from ..inputs.world import shipped_world

    world = world or shipped_world()
    overrides = dict(overrides or {})
    if "data" in overrides:
        raise InputError(Problem("command line", "parameter.data", overrides["data"],
                                 "give the data folder with --data DIR, not as a parameter."))
    overrides["data"] = "" if world.is_shipped else str(world.folder)
    names = world.scenario_names if scenarios is None else list(scenarios)
    unknown = set(overrides) - set().union(*(KINDS[k].schema.model_fields for k in KINDS))
    if unknown:
        name = sorted(unknown)[0]
        allowed = sorted(set().union(*(KINDS[k].schema.model_fields for k in KINDS)) - {"scenario"})
        raise InputError(Problem("command line", f"parameter.{name}", overrides[name],
                                 f"is not a parameter of any report; allowed: {', '.join(allowed)}."))
    if "language" in overrides:
        raise InputError(Problem("command line", "parameter.language", overrides["language"],
                                 "the brief is built in every language (brief, brief-my); do not set it."))
    if "scenario" in overrides or "scenarios" in overrides:
        raise InputError(Problem("command line", "parameter.scenario", overrides.get("scenario"),
                                 "name scenarios as arguments of `render`, not as a parameter."))
    jobs = []
    for name in names:
        params = {"scenario": name, **{k: v for k, v in overrides.items()
                                       if k in ScenarioReportParameters.model_fields}}
        checked = check_parameters("scenario", params, "command line", world)
        jobs.append(ReportJob(f"scenario-{name}", "scenario", checked, world.scenario(name).title,
                              report_files("scenario", world, name)))
    if include_comparison:
        titles = {"comparison": "Every scenario compared", "timeline": "Month by month since 2016",
                  "policy": "Policy levers ranked", "calibration": CALIBRATION_TITLE}
        for kind, title in titles.items():
            fields = KINDS[kind].schema.model_fields
            checked = check_parameters(kind, {k: v for k, v in overrides.items() if k in fields}, "command line", world)
            jobs.append(ReportJob(kind, kind, checked, title, report_files(kind, world)))
        fields = BriefReportParameters.model_fields
        for name, language, title in BRIEF_EDITIONS:
            params = {**{k: v for k, v in overrides.items() if k in fields}, "language": language}
            checked = check_parameters("brief", params, "command line", world)
            jobs.append(ReportJob(name, "brief", checked, title, report_files("brief", world)))
    return jobs
