"""The `mechanism:` of a lever file, and data/lever_mechanisms.yaml (the market parameters every
mechanism shares, and the junta's levy substitution), loaded and checked. What they compute is in core/lever_mechanisms.py;
docs/model.md, "Lever mechanisms".

A mechanism parameter is a share in [0, 1] with its sources and a note. One whose sources include
`assumption` must carry a range (a distribution, not a number): an assumption without a range would hide
its uncertainty.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from .. import paths
from ..core.distributions import Distribution, Fixed
from ..core.lever_mechanisms import MECHANISM_KINDS, Mechanism
from ..errors import InputError, Problem
from .parameters import PARAMETER_TAGS, TAG_PARENTS, ParameterSpecFile
from .parameters import distribution as _distribution
from .schema import ASSUMPTION, StrictModel, problems_from, unknown_sources
from .sources import Bibliography
from .yaml_loader import load_yaml

#: The market parameters of the mechanisms and the junta's response to a cut (optional in a user's folder:
#: without it no lever may have a mechanism, and no substitution is applied).
MECHANISMS_FILE = "lever_mechanisms.yaml"


class MechanismFile(StrictModel):
    kind: str
    moves: list[str] = Field(min_length=1)
    parameters: dict[str, ParameterSpecFile]


class _MechanismsFile(StrictModel):
    market: dict[str, ParameterSpecFile]
    levy_substitution: ParameterSpecFile


def share_problems(spec, value: Distribution, shown: str, where: str, bibliography: Bibliography) -> list[Problem]:
    """Problems with one documented share: its range, its sources, its note, an assumption without a range."""
    problems = []
    sources = list(getattr(spec, "source", None) or [])
    if not isinstance(value, Fixed) and not value.low <= getattr(value, "mode", value.low) <= value.high:
        problems.append(Problem(shown, where, value.describe(), "a distribution needs low <= mode <= high."))
    for end in (value.low, value.high):
        if not 0 <= end <= 1:
            problems.append(Problem(shown, where, end, "a mechanism parameter is a share: it must be between 0 and 1."))
            break
    if not sources:
        problems.append(Problem(shown, f"{where}.source", [], "give its sources, or `assumption` with a range."))
    if ASSUMPTION in sources and not value.uncertain:
        problems.append(Problem(shown, where, value.describe(),
                                "an assumption needs a range: give a distribution (low, mode, high), not one number."))
    if not (getattr(spec, "note", None) or "").strip():
        problems.append(Problem(shown, f"{where}.note", None, "say what the value is and where it comes from."))
    problems += unknown_sources(sources, bibliography, shown, f"{where}.source")
    return problems


def parse_mechanism(raw: MechanismFile, shown: str, bibliography: Bibliography,
                    data: Path | None) -> tuple[Mechanism | None, list[Problem]]:
    """The lever's mechanism (its own parameters and the data folder's market ones), or None with the
    problems that stop it."""
    if raw.kind not in MECHANISM_KINDS:
        return None, [Problem(shown, "mechanism.kind", raw.kind,
                              f"is not a known mechanism (known: {', '.join(MECHANISM_KINDS)}).")]
    kind = MECHANISM_KINDS[raw.kind]
    problems = []
    if sorted(raw.parameters) != sorted(kind.lever):
        problems.append(Problem(shown, "mechanism.parameters", sorted(raw.parameters),
                                f"a lever's {raw.kind} mechanism gives exactly {', '.join(kind.lever)} "
                                f"(the market's {', '.join(kind.market)} are in {MECHANISMS_FILE})."))
    for i, moved in enumerate(raw.moves):
        if moved not in kind.moves or moved in raw.moves[:i]:
            problems.append(Problem(shown, f"mechanism.moves[{i}]", moved, f"each of {', '.join(kind.moves)} at most once."))
    values = {}
    for name in kind.lever:
        if name in raw.parameters:
            spec = raw.parameters[name]
            values[name] = _distribution(spec)
            problems += share_problems(spec, values[name], shown, f"mechanism.parameters.{name}", bibliography)
    market = load_mechanism_market(data, bibliography)
    if market is None:
        problems.append(Problem(shown, "mechanism", raw.kind,
                                f"a mechanism needs the market's parameters in the data folder's {MECHANISMS_FILE}."))
    else:
        for name in kind.market:
            if name not in market:
                problems.append(Problem(paths.display(mechanisms_path(data)), "market", sorted(market),
                                        f"the {raw.kind} mechanism needs {name}."))
            else:
                values[name] = market[name]
    if problems:
        return None, problems
    return Mechanism(raw.kind, values, tuple(raw.moves)), []


def mechanisms_path(data: Path | None = None) -> Path:
    return paths.chosen(data) / MECHANISMS_FILE


def _load_mechanisms(data: Path | None, bibliography: Bibliography | None) -> dict[str, Distribution] | None:
    """Every distribution in lever_mechanisms.yaml (market parameters by name, and `levy_substitution`),
    checked; None where the data folder has no such file. InputError if it is malformed."""
    path = mechanisms_path(data)
    if not path.is_file():
        return None
    shown = paths.display(path)
    raw = load_yaml(path, "lever mechanisms file")
    if not isinstance(raw, dict):
        raise InputError([Problem(shown, "", type(raw).__name__, "must be a YAML mapping with market and levy_substitution.")])
    try:
        parsed = _MechanismsFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown, hidden_tags=PARAMETER_TAGS, tag_parents=TAG_PARENTS)) from None
    if bibliography is None:
        from .sources import load_bibliography
        bibliography = load_bibliography(data=data)
    known = {n for kind in MECHANISM_KINDS.values() for n in kind.market}
    specs = {**{f"market.{n}": spec for n, spec in parsed.market.items()}, "levy_substitution": parsed.levy_substitution}
    problems, values = [], {}
    for where, spec in specs.items():
        name = where.removeprefix("market.")
        if where.startswith("market.") and name not in known:
            problems.append(Problem(shown, where, name, f"is not a market parameter (known: {', '.join(sorted(known))})."))
            continue
        values[name] = _distribution(spec)
        problems += share_problems(spec, values[name], shown, where, bibliography)
    if problems:
        raise InputError(problems)
    return values


def load_mechanism_market(data: Path | None = None, bibliography: Bibliography | None = None) -> dict[str, Distribution] | None:
    """The market parameters the mechanisms share, or None where the data folder has no lever_mechanisms.yaml."""
    values = _load_mechanisms(data, bibliography)
    return None if values is None else {n: v for n, v in values.items() if n != "levy_substitution"}


def load_levy_substitution(data: Path | None = None, bibliography: Bibliography | None = None) -> Distribution | None:
    """The share of a loss the junta recovers through its other levies (a distribution over draws), or None
    where the data folder has no lever_mechanisms.yaml (then no substitution is applied)."""
    values = _load_mechanisms(data, bibliography)
    return None if values is None else values["levy_substitution"]


__all__ = ["MECHANISMS_FILE", "MechanismFile", "load_levy_substitution", "load_mechanism_market", "mechanisms_path",
           "parse_mechanism"]
