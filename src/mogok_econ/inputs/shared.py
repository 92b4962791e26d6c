"""The parameters every scenario shares (data/shared.yaml): properties of the deposits and the calendar,
not of who holds Mogok. They are drawn once per Monte Carlo draw and used by every scenario, so
differences between scenarios and sums over months carry their uncertainty draw by draw."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from .. import paths
from ..core.distributions import Fixed
from ..core.vocabulary import OBSERVATION_PARAMETERS, PARAMETERS, SHARED_PARAMETERS
from ..errors import InputError, Problem
from ..fingerprint import ABSENT
from .concentrations import Concentration, ConcentrationFile, check_concentration, check_shape, concentration
from .parameters import PARAMETER_TAGS, TAG_PARENTS, Parameter, ParameterName, ParameterSpecFile, check_parameter, parameter
from .schema import StrictModel, problems_from
from .sources import load_bibliography
from .yaml_loader import content_key, load_yaml

ObservationName = Literal[tuple(OBSERVATION_PARAMETERS)]  # type: ignore[valid-type]


class _SharedFile(StrictModel):
    parameters: dict[ParameterName, ParameterSpecFile] = Field(default_factory=dict)  # type: ignore[valid-type]
    # parameters of the observation model only (docs/model.md, "Calibration"): never in the split
    observation: dict[ObservationName, ParameterSpecFile] = Field(default_factory=dict)  # type: ignore[valid-type]
    # how well a recipients table's split is known, where its scenario does not say (docs/model.md, "Who is paid, drawn")
    recipient_concentration: ConcentrationFile | None = None


def load_shared(path: Path | None = None, data: Path | None = None) -> dict[str, Parameter]:
    """The shared parameters: data/shared.yaml's values, and the documented defaults of the rest. A data
    folder without the file has only the defaults (its scenarios must then set G themselves)."""
    return _both(path, data)[0]


def load_observation_parameters(path: Path | None = None, data: Path | None = None) -> dict[str, Parameter]:
    """The observation model's parameters (data/shared.yaml, `observation:`): v, θ and ξ, shared by every
    scenario. A data folder without them has none (observables that need them are then refused)."""
    return _both(path, data)[1]


def load_default_concentration(path: Path | None = None, data: Path | None = None) -> Concentration | None:
    """The concentration of every drawn recipients table whose scenario gives none (data/shared.yaml,
    `recipient_concentration:`); None where the file gives none: such tables are not drawn."""
    return _both(path, data)[2]


def _both(path: Path | None, data: Path | None) -> tuple[dict[str, Parameter], dict[str, Parameter], Concentration | None]:
    path = Path(path) if path else paths.shared_file(paths.chosen(data))
    return _load(path.resolve(), content_key(path), paths.chosen(data))  # or ABSENT


@cache
def _load(path: Path, content: str, data: Path) -> tuple[dict[str, Parameter], dict[str, Parameter], Concentration | None]:
    out = {k: Parameter(Fixed(PARAMETERS[k].default), (), "Documented default (docs/model.md).", None, "default")
           for k in SHARED_PARAMETERS if PARAMETERS[k].default is not None}
    observation: dict[str, Parameter] = {}
    if content == ABSENT:
        return out, observation, None
    shown = paths.display(path)
    try:
        parsed = _SharedFile.model_validate(load_yaml(path, "shared parameters file"))
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown, hidden_tags=PARAMETER_TAGS, tag_parents=TAG_PARENTS)) from None
    bibliography = load_bibliography(data=data)  # the folder's sources may back its shared values
    problems: list[Problem] = []
    for key, spec in parsed.parameters.items():
        if key not in SHARED_PARAMETERS:
            problems.append(Problem(shown, f"parameters.{key}", None, "is not a shared parameter; shared: "
                                    f"{', '.join(SHARED_PARAMETERS)} (set the others in each scenario)."))
            continue
        out[key] = parameter(spec, shown)
        problems += check_parameter(key, out[key], shown, bibliography)
    for key, spec in parsed.observation.items():
        observation[key] = parameter(spec, shown)
        problems += check_parameter(key, observation[key], shown, bibliography, OBSERVATION_PARAMETERS[key], "observation")
    default = None
    if parsed.recipient_concentration is not None:
        problems += check_shape(parsed.recipient_concentration, shown, "recipient_concentration")
        if not problems:
            default = concentration(parsed.recipient_concentration, shown)
            problems += check_concentration(default, shown, "recipient_concentration", bibliography)
    if problems:
        raise InputError(problems)
    return out, observation, default
