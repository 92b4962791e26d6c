"""The parameters every scenario shares (data/shared.yaml): properties of the deposits and the calendar,
not of who holds Mogok. They are drawn once per Monte Carlo draw and used by every scenario, so
differences between scenarios and sums over months carry their uncertainty draw by draw."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field, ValidationError

from .. import paths
from ..core.distributions import Fixed
from ..core.vocabulary import PARAMETERS, SHARED_PARAMETERS
from ..errors import InputError, Problem
from .parameters import PARAMETER_TAGS, TAG_PARENTS, Parameter, ParameterName, ParameterSpecFile, check_parameter, parameter
from .schema import StrictModel, problems_from
from .sources import load_bibliography
from .yaml_loader import load_yaml


class _SharedFile(StrictModel):
    parameters: dict[ParameterName, ParameterSpecFile] = Field(default_factory=dict)  # type: ignore[valid-type]


def load_shared(path: Path | None = None) -> dict[str, Parameter]:
    """The shared parameters: data/shared.yaml's values, and the documented defaults of the rest. A data
    folder without the file has only the defaults (its scenarios must then set G themselves)."""
    path = Path(path) if path else paths.shared_file()
    return _load(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


@cache
def _load(path: Path, mtime: int) -> dict[str, Parameter]:
    out = {k: Parameter(Fixed(PARAMETERS[k].default), (), "Documented default (docs/model.md).", None, "default")
           for k in SHARED_PARAMETERS if PARAMETERS[k].default is not None}
    if not mtime:
        return out
    shown = paths.display(path)
    try:
        parsed = _SharedFile.model_validate(load_yaml(path, "shared parameters file"))
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown, hidden_tags=PARAMETER_TAGS, tag_parents=TAG_PARENTS)) from None
    bibliography = load_bibliography()
    problems: list[Problem] = []
    for key, spec in parsed.parameters.items():
        if key not in SHARED_PARAMETERS:
            problems.append(Problem(shown, f"parameters.{key}", None, "is not a shared parameter; shared: "
                                    f"{', '.join(SHARED_PARAMETERS)} (set the others in each scenario)."))
            continue
        out[key] = parameter(spec, shown)
        problems += check_parameter(key, out[key], shown, bibliography)
    if problems:
        raise InputError(problems)
    return out
