"""Safe YAML loading for data files.

PyYAML's SafeLoader (no object construction, so nothing in a data file can run code) with three
changes that data files need:
- `400e6` and `1.5E+9` load as numbers (YAML 1.1 reads a float without a dot as text);
- dates stay text (`2024-07`, `2024-07-24`): the loaders parse and validate them themselves;
- a key given twice in one mapping is an error rather than silently keeping the last.

It parses with libyaml (PyYAML's C parser, 10-20 times faster than the pure-Python one) where PyYAML was
built with it, as the wheels on PyPI are; the resolvers and constructors above are the same either way, so
the data loads the same. A report loads the same few files dozens of times (every scenario a comparison or
a policy matrix names, and what it extends), so each file's parsed content is kept by its text: the
same text is parsed once a process, and an edited file (new bytes) is parsed again.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import problem
from ..paths import display
from .reads import note_file

_BASE = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


class DataLoader(_BASE):
    """SafeLoader for data files (see the module docstring)."""


# Drop the implicit timestamp resolver: dates stay strings.
DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |\.[0-9_]+(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
DataLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def _mapping_without_duplicates(loader: DataLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in one mapping (line {line})", key_node.start_mark
            )
        seen[key] = loader.construct_object(value_node, deep=deep)
    return seen


DataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def load_yaml(path: Path, kind: str = "YAML file") -> Any:
    """Read one data file; a missing, unreadable, empty or malformed file raises InputError."""
    path = Path(path)
    shown = display(path)
    if not path.is_file():
        raise problem(shown, "", f"the {kind} does not exist (or is not a file).")
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise problem(shown, "", f"the {kind} cannot be read as UTF-8 text ({exc}).") from None
    note_file(path, data)  # a cached result that read this file depends on these bytes (inputs/reads.py)
    if not text.strip():
        raise problem(shown, "", f"the {kind} is empty; it must hold a YAML mapping.")
    # A copy: callers may change what they are given; the parsed original stays as the file says.
    return copy.deepcopy(_parse(text, shown, kind))


@lru_cache(maxsize=1024)
def _parse(text: str, shown: str, kind: str) -> Any:
    """The content of one file's text (cached by the text itself: the same text gives the same data)."""
    try:
        content = yaml.load(text, Loader=DataLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        reason = getattr(exc, "problem", None) or str(exc)
        raise problem(shown, "", f"is not valid YAML at {where}: {reason}.") from None
    if content is None:
        raise problem(shown, "", f"the {kind} holds no data (only comments or blank lines); it must hold a YAML mapping.")
    return content
