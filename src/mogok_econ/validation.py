"""Turning pydantic's validation errors into our Problems (file, field, value, what is allowed)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import NO_VALUE, Problem


class StrictModel(BaseModel):
    """Base of every data-file schema: unknown keys are errors, numbers are numbers, no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


def dotted(loc: tuple[Any, ...]) -> str:
    """('parameters', 'p', 'low') -> 'parameters.p.low'; list indices as [i]."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_READABLE = {
    "extra_forbidden": "is not a known field here (check the spelling; see data/README.md for the format)",
    "missing": "is required but missing",
    "finite_number": "must be a finite number (not NaN or infinity)",
}


def problems_from(error: ValidationError, file: str, prefix: tuple[Any, ...] = (),
                  hidden_tags: tuple[str, ...] = (), tag_parents: frozenset = frozenset()) -> list[Problem]:
    """One Problem per pydantic error. Pydantic puts the tag of a tagged union into the path after the
    field that holds the union: a path element in `hidden_tags` right after one in `tag_parents` is
    that tag, and is dropped."""
    problems = []
    for item in error.errors(include_url=False):
        # Drop the union tags pydantic puts in the path (parameters.<name>.<tag>.field).
        raw = item["loc"]
        loc = tuple(p for i, p in enumerate(raw)
                    if not (p in hidden_tags and i > 0 and raw[i - 1] in tag_parents))
        message = _READABLE.get(item["type"], item["msg"][:1].lower() + item["msg"][1:])
        value = NO_VALUE if item["type"] == "missing" else item.get("input", NO_VALUE)
        if loc and loc[-1] == "[key]":  # a mapping key that is not allowed
            loc, message = loc[:-1], "is not a known name here; " + message
            value = NO_VALUE
        if item["type"] == "extra_forbidden":
            value = NO_VALUE
        problems.append(Problem(file, dotted(prefix + loc), value, message.rstrip(".") + "."))
    return problems
