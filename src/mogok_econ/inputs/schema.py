"""What every data file's loader shares: the strict pydantic base, pydantic's errors as our Problems
(file, field, value, what is allowed), source ids and their check, and finding a file by name or path."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from .. import limits, paths
from ..errors import NO_VALUE, Problem, problem

#: The reserved source id of a judgement of ours (always with a note saying why).
ASSUMPTION = "assumption"

#: A name of a scenario or lever: lower case letters, digits and underscores (the file's stem).
NAME = re.compile(r"^[a-z][a-z0-9_]*\Z")


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


#: `source: an-id` or `source: [an-id, another]`.
Sources = Annotated[list[str], BeforeValidator(_as_list)]


class StrictModel(BaseModel):
    """Base of every data-file schema: unknown keys are errors, numbers are numbers, no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


def dotted(loc: tuple[Any, ...]) -> str:
    """('parameters', 'p', 'low') -> 'parameters.p.low'; list indices as [i]; a long key cut to 40 characters."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            text = str(part)
            out += ("." if out else "") + (text if len(text) <= 40 else text[:37] + "...")
    return out


#: The most problems reported for one file's shape: the first ones show what is wrong; a thousand more say nothing.
MAX_PROBLEMS = 20


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
        if len(problems) == MAX_PROBLEMS and error.error_count() > MAX_PROBLEMS:
            problems.append(Problem(file, "", NO_VALUE, f"and {error.error_count() - MAX_PROBLEMS:,} more problem(s) "
                                    "of its shape, not listed; fix those above first."))
            break
    return problems


def date_problem(text: str, file: str, field: str) -> Problem | None:
    """Why `text` (YYYY, YYYY-MM or YYYY-MM-DD) is not a real calendar date within the years a date in the data
    may fall in (limits.FIRST_YEAR to LAST_YEAR), or None."""
    parts = text.split("-")
    wrong = Problem(file, field, text, "is not a real calendar date (YYYY, YYYY-MM or YYYY-MM-DD: a month from 01 to 12, "
                    "a day that month has).")
    if len(parts) > 3 or not all(p.isascii() and p.isdigit() for p in parts) \
            or [len(p) for p in parts] != [4, 2, 2][:len(parts)]:
        return wrong
    if not limits.FIRST_YEAR <= int(parts[0]) <= limits.LAST_YEAR:
        return Problem(file, field, text, f"the year must be {limits.DATE_RANGE_WHY}.")
    try:
        dt.date(int(parts[0]), *(int(p) for p in parts[1:]), *([1] * (3 - len(parts))))
    except ValueError:
        return wrong
    return None


def unknown_sources(ids: Iterable[str], bibliography, file: str, field: str) -> list[Problem]:
    """A Problem for each id that is neither in the bibliography nor `assumption`."""
    return [Problem(file, field, i, f"is not an id in {bibliography.file} (or 'assumption').")
            for i in ids if i != ASSUMPTION and i not in bibliography]


def is_path(name_or_path: str | Path) -> bool:
    """Whether a command-line reference names a file (a path or *.yaml) rather than a shipped name."""
    text = str(name_or_path)
    return isinstance(name_or_path, Path) or text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text


def listed(folder: Path, kind: str) -> list[str]:
    """The names of the *.yaml files in `folder`, sorted; InputError if there are more than limits.MAX_FILES (each
    may be read many times: to list them, to resolve what extends them)."""
    names = sorted(p.stem for p in folder.glob("*.yaml"))
    if len(names) > limits.MAX_FILES:
        raise problem(shown(folder), "", f"holds {len(names):,} {kind} files; at most {limits.MAX_FILES} (over twenty "
                      "times the shipped ones).", len(names))
    return names


def printable(name: str) -> str:
    """A file's name as it may be printed: itself, or escaped (repr) where it holds a control character, which a
    terminal would act on."""
    return name if name.isprintable() else repr(name)


def shown(path: Path) -> str:
    """paths.display(path), or the path as given where it cannot be resolved (a loop of links)."""
    try:
        return paths.display(path)
    except (OSError, RuntimeError):
        return str(path)


def looped_links(folder: Path) -> list[str]:
    """The data files of `folder` (its *.yaml, scenarios/*.yaml, levers/*.yaml) that are loops of symbolic links:
    nothing can read them, and resolving them fails (Python 3.11: RuntimeError) wherever a path is shown."""
    import errno
    import os

    loops = []
    for pattern in ("*.yaml", "scenarios/*.yaml", "levers/*.yaml"):
        for path in sorted(folder.glob(pattern)):
            try:
                os.stat(path)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    loops.append(str(path.relative_to(folder)))
    return loops


def _readable_or_absent(path: Path, kind: str) -> Path:
    """`path`, unless something is there that is not a file to read: a link to nothing or to a device, a loop of
    links, a folder (InputError naming it)."""
    try:
        path.resolve()  # a loop of links: RuntimeError (Python 3.11) or OSError
        broken = None if path.is_file() or not (path.is_symlink() or path.exists()) else \
            "a link to nothing, a folder or a device, not a file"
    except RuntimeError:
        broken = "a loop of links"
    except OSError as exc:
        broken = exc.strerror or str(exc)
    if broken:
        raise problem(shown(path), "", f"the {kind} file cannot be read ({broken}); a {kind} is a YAML file.")
    return path


def find_data_file(name_or_path: str | Path, folder: Path, kind: str) -> Path:
    """A `kind` ("scenario", "lever") given by name (a file `<name>.yaml` in `folder`) or by path.

    A path is returned as it is (its loader reports a missing file); a name must be well formed and
    exist, or the error lists the names known in `folder`."""
    if is_path(name_or_path):
        return _readable_or_absent(Path(name_or_path), kind)
    text = str(name_or_path)
    if not NAME.match(text) or len(text) > limits.MAX_NAME_CHARS:
        raise problem("command line", kind, f"a {kind} name is lower case letters, digits and underscores, at most "
                      f"{limits.MAX_NAME_CHARS} characters (a file in {paths.display(folder)} without .yaml); to load "
                      "another file, give its path ending in .yaml.", text)
    path = _readable_or_absent(folder / f"{text}.yaml", kind)
    if not path.is_file():
        known = ", ".join(sorted(printable(p.stem) for p in folder.glob("*.yaml"))) or "none"
        raise problem("command line", kind, f"there is no such {kind} in {paths.display(folder)} (known: {known}).",
                      text)
    return path
