"""Safe YAML loading for data files.

PyYAML's SafeLoader (no object construction, so nothing in a data file can run code) with three
changes that data files need:
- `400e6` and `1.5E+9` load as numbers (YAML 1.1 reads a float without a dot as text);
- dates stay text (`2024-07`, `2024-07-24`): the loaders parse and validate them themselves;
- a key given twice in one mapping is an error rather than silently keeping the last.

A data folder may come from a stranger, so what a file may hold is bounded before anything is built from it
(limits.py): its size in bytes (read no further than the limit), then, on the parsed document (whose aliases
are still shared, not copied), the values it stands for with every alias expanded (an "alias bomb" of a few
hundred bytes stands for billions), its nesting, the length of each text and each number, and control
characters in text (a terminal would act on them when a title is printed). Each refusal names the file, the
field and the line.

It parses with libyaml (PyYAML's C parser, 10-20 times faster than the pure-Python one) where PyYAML was
built with it, as the wheels on PyPI are; the resolvers and constructors above are the same either way, so
the data loads the same. A report loads the same few files dozens of times (every scenario a comparison or
a policy matrix names, and what it extends), so each file's parsed content is kept by its text: the
same text is parsed once a process, and an edited file (new bytes) is parsed again.
"""
from __future__ import annotations

import copy
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import limits
from ..errors import problem
from ..fingerprint import file_state
from ..paths import display

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
                None, None, f"the key {repr(key)[:60]} appears twice in one mapping (line {line})", key_node.start_mark
            )
        seen[key] = loader.construct_object(value_node, deep=deep)
    return seen


DataLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def content_key(path: Path) -> str:
    """The digest of a data file's bytes (fingerprint.ABSENT where there is none): the key under which a loader
    keeps the file's parsed content in memory, so that what it returns is always what the file holds now."""
    return file_state(path, limits.MAX_FILE_BYTES)


def load_yaml(path: Path, kind: str = "YAML file") -> Any:
    """Read one data file; a missing, unreadable, empty, too large or malformed file raises InputError."""
    path = Path(path)
    try:
        shown = display(path)
    except (OSError, RuntimeError):  # a loop of links cannot be resolved
        shown = str(path)
    try:
        is_file = path.is_file()
    except OSError as exc:  # a name too long, a loop of links
        raise problem(shown, "", f"the {kind} cannot be read ({exc.strerror or exc}).") from None
    if not is_file:
        raise problem(shown, "", f"the {kind} does not exist (or is not a file).")
    try:
        with path.open("rb") as f:
            data = f.read(limits.MAX_FILE_BYTES + 1)
        if len(data) > limits.MAX_FILE_BYTES:
            size = max(path.stat().st_size, len(data))
            raise problem(shown, "", f"the {kind} is {limits.human_bytes(size)}; a data file may be at most "
                          f"{limits.human_bytes(limits.MAX_FILE_BYTES)} (ten times the largest shipped one).")
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise problem(shown, "", f"the {kind} cannot be read as UTF-8 text ({exc}).") from None
    if not text.strip():
        raise problem(shown, "", f"the {kind} is empty; it must hold a YAML mapping.")
    # A copy: callers may change what they are given; the parsed original stays as the file says.
    return copy.deepcopy(_parse(text, shown, kind))


def _where(text: str, exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The line (1-based, None if unknown) and "line L, column C" of a YAML error (a reader error has only a
    position in the text)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1, f"line {mark.line + 1}, column {mark.column + 1}"
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        return line, f"line {line}, column {position - (text.rfind(chr(10), 0, position) + 1) + 1}"
    return None, "an unknown place"


_KEY_LINE = re.compile(r"^( *)(?:- +)?([A-Za-z_][\w-]*) *:(?: |$)")


def _field_at(text: str, line: int | None) -> str:
    """The field a line of a block-style file is in, read from the keys above it by their indentation (the file
    could not be parsed: a best guess, "" when there is none)."""
    if line is None:
        return ""
    keys: list[str] = []
    indent = None
    for row in reversed(text.split("\n")[:line]):
        match = _KEY_LINE.match(row)
        if match and (indent is None or match.start(2) < indent):  # a key's column: its indentation
            keys.append(match.group(2))
            indent = match.start(2)
            if indent == 0:
                break
    return ".".join(reversed(keys))


def _reason(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return f"the character {_describe(char)} is not allowed in YAML ({exc.reason})"
    return getattr(exc, "problem", None) or str(exc).split("\n")[0]


@lru_cache(maxsize=1024)
def _parse(text: str, shown: str, kind: str) -> Any:
    """The content of one file's text (cached by the text itself: the same text gives the same data)."""
    content = load_text(text, shown)
    if content is None:
        raise problem(shown, "", f"the {kind} holds no data (only comments or blank lines); it must hold a YAML mapping.")
    return content


def load_text(text: str, shown: str) -> Any:
    """The value YAML `text` stands for (None if nothing), within every bound of a data file; InputError naming
    `shown` (a file, or where on the command line) if not."""
    if len(text) > limits.MAX_FILE_BYTES:
        raise problem(shown, "", f"is {len(text):,} characters; at most {limits.MAX_FILE_BYTES:,}.")
    loader = DataLoader(text)
    try:
        _count_values(text, shown)
        node = loader.get_single_node()
        if node is not None:
            _check_document(node, shown, text)
        content = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        line, where = _where(text, exc)
        raise problem(shown, _field_at(text, line), f"is not valid YAML at {where}: {_reason(exc)}.") from None
    except RecursionError:
        raise problem(shown, "", f"is nested too deeply to read; at most {limits.MAX_DEPTH} levels.") from None
    finally:
        loader.dispose()
    return content


# --- what one document may hold, checked on its nodes before anything is built from them --------------------

#: Characters refused in text: control characters (but tab, line feed and carriage return) and the
#: bidirectional overrides, which make a printed title read other than it is.
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _describe(char: str) -> str:
    name = unicodedata.name(char, "a control character")
    return f"U+{ord(char):04X} ({name})"


def _field(chain) -> str:
    """The dotted path of a node from its chain of (label, parent chain) links."""
    parts = []
    while chain is not None:
        label, chain = chain
        parts.append(label)
    out = ""
    for part in reversed(parts):
        out += part if part.startswith("[") or not out else "." + part
    return out


def _label(key: yaml.Node) -> str:
    if isinstance(key, yaml.ScalarNode):
        text = key.value
        return text if len(text) <= 40 else text[:37] + "..."
    return "(a key that is not text)"


def _snippet(node: yaml.Node, lines: list[str]) -> str:
    """The node as written, from where it starts to the end of that line (cut), for a message."""
    mark = node.start_mark
    line = lines[mark.line][mark.column:] if mark.line < len(lines) else ""
    return line if len(line) <= 60 else line[:57] + "..."


def _check_scalar(node: yaml.ScalarNode, chain, shown: str) -> None:
    value = node.value
    at = f"(line {node.start_mark.line + 1}, column {node.start_mark.column + 1})"
    if node.tag in _NUMBER_TAGS and len(value) > limits.MAX_NUMBER_CHARS:
        raise problem(shown, _field(chain), f"{at} is a number of {len(value):,} characters; at most "
                      f"{limits.MAX_NUMBER_CHARS} (write a large number as 1.5e9).", value[:20] + "...")
    if len(value) > limits.MAX_TEXT_CHARS:
        raise problem(shown, _field(chain), f"{at} is a text of {len(value):,} characters; at most "
                      f"{limits.MAX_TEXT_CHARS:,} (five times the longest shipped note).", value[:40] + "...")
    bad = _REFUSED.search(value)
    if bad:
        raise problem(shown, _field(chain), f"{at} holds the character {_describe(bad.group())} at character "
                      f"{bad.start() + 1}; control characters (but tab and line breaks) and bidirectional overrides "
                      "are not allowed in the data.", value[:40])


def _count_values(text: str, shown: str) -> None:
    """Refuse a file that holds more than MAX_VALUES values as written, from the parser's events (fast: stops at
    the first value over the limit, before any node is built)."""
    events = DataLoader(text)
    frames: list[list] = []  # per open mapping: ["map", expecting a key, the key]; per list: ["seq", index]
    count = 0
    try:
        while events.check_event():
            event = events.get_event()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frames.pop()
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.MappingStartEvent,
                                      yaml.SequenceStartEvent)):
                continue
            count += 1
            if count > limits.MAX_VALUES:
                field = "".join(f"[{f[1]}]" if f[0] == "seq" else f".{f[2]}" for f in frames).lstrip(".")
                raise problem(shown, field or "(the whole file)", f"(line {event.start_mark.line + 1}) is where the "
                              f"file passes {limits.MAX_VALUES:,} values (mappings, lists and scalars); a data file may "
                              f"hold at most {limits.MAX_VALUES:,}, twenty times the largest shipped one.")
            if frames and frames[-1][0] == "seq":
                frames[-1][1] += 1
            elif frames:
                parent = frames[-1]
                if parent[1]:  # this node is a key
                    value = getattr(event, "value", None)
                    parent[2] = value if isinstance(value, str) and len(value) <= 40 else "(a key)"
                parent[1] = not parent[1]
            if isinstance(event, yaml.MappingStartEvent):
                frames.append(["map", True, ""])
            elif isinstance(event, yaml.SequenceStartEvent):
                frames.append(["seq", -1])
    finally:
        events.dispose()


def _check_document(root: yaml.Node, shown: str, text: str) -> None:
    """Refuse a document that stands for too many values (aliases expanded), nests too deeply, refers to
    itself, or holds a text or number too long or a control character. Iterative, and each node shared by
    aliases is walked once: the cost is that of the file as written."""
    lines = text.split("\n")
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values it stands for, its depth)
    open_nodes: set[int] = set()  # the nodes being walked: the ancestors of the current one
    stack: list[tuple[yaml.Node, Any, bool]] = [(root, None, False)]
    while stack:
        node, chain, done = stack.pop()
        key = id(node)
        if isinstance(node, yaml.MappingNode):
            children = [(child, (_label(k), chain)) for k, v in node.value for child in (k, v)]
        elif isinstance(node, yaml.SequenceNode):
            children = [(child, (f"[{i}]", chain)) for i, child in enumerate(node.value)]
        else:
            children = []
        if done:
            open_nodes.discard(key)
            count = 1 + sum(sizes[id(c)][0] for c, _ in children)
            depth = 1 + max((sizes[id(c)][1] for c, _ in children), default=0)
            sizes[key] = (count, depth)
            if count > limits.MAX_VALUES:
                aliased = "once its aliases (*name) are expanded " if len(sizes) < count else ""
                raise problem(shown, _field(chain) or "(the whole file)",
                              f"(line {node.start_mark.line + 1}) stands for more than {limits.MAX_VALUES:,} values "
                              f"{aliased}(mappings, lists and scalars); a data file may hold at most "
                              f"{limits.MAX_VALUES:,}, twenty times the largest shipped one.", _snippet(node, lines))
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise problem(shown, _field(chain), f"(line {node.start_mark.line + 1}) is an alias of a mapping or list "
                          "that holds it: the data would be infinite; an alias may only repeat a complete value.",
                          _snippet(node, lines))
        depth = 0
        link = chain
        while link is not None:
            depth, link = depth + 1, link[1]
        if depth >= limits.MAX_DEPTH:
            raise problem(shown, _field(chain), f"(line {node.start_mark.line + 1}) is nested {depth + 1} levels "
                          f"deep; at most {limits.MAX_DEPTH} (the shipped files go 9 deep).", _snippet(node, lines))
        if isinstance(node, yaml.ScalarNode):
            _check_scalar(node, chain, shown)
            sizes[key] = (1, 1)
            continue
        open_nodes.add(key)
        stack.append((node, chain, True))
        stack.extend((child, link, False) for child, link in reversed(children))
