"""Which data a computation read: the dependencies of a cached result (analysis/cache.py).

While `recording()` is active, every data file a loader reads (through `load_yaml`, or through a loader
that keeps its parsed file in memory and notes it on every call) is noted with the SHA-256 of its bytes,
and every folder listing that decides which files exist (the scenarios, the levers) with the names it
listed. A cached result stores what it read; it is reused only while every one of those still hashes
the same (`unchanged`), so an edit to any file a result read, and to no other, recomputes it. Files that
were looked for and missing are noted as absent, so that adding one recomputes too. A value worked out
from many files (the calibrated posterior, the scenarios' titles) may be noted instead of its files, by
its digest (`note_value`): what uses it then changes only when it does.

Records are data read back from files a stranger may have written (a manifest, a cache folder), so a
recorded value names a computation only by a short name, which the caller of `unchanged` maps to a
function of its own (`values`); a name it does not know is a change, and nothing a record says is imported
or called.

The same records say which data each report read (reports/kernels.py notes them as its notebook runs), so
that a build rebuilds a report when anything it read has changed (reports/build.py).
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .. import limits

ABSENT = "absent"
_active: list[dict[str, str]] = []


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: The only folder listings recorded (a record of any other pattern, e.g. a recursive one, is a change).
LISTING_PATTERNS = ("*.yaml",)


def _file_state(path: Path) -> str:
    if not path.is_file():  # a regular file only: a record naming a device or a fifo (never a data file) is not read
        return ABSENT
    try:
        with path.open("rb") as f:  # at most what a data file may hold: a larger one is refused by its loader
            data = f.read(limits.MAX_FILE_BYTES + 1)
    except OSError:  # missing or unreadable: a change from a readable file all the same
        return ABSENT
    if len(data) > limits.MAX_FILE_BYTES:
        return _digest(f"(over the data file limit: {path.stat().st_size} bytes)".encode())
    return _digest(data)


def _listing_state(folder: Path, pattern: str) -> str:
    if pattern not in LISTING_PATTERNS:
        return ABSENT
    return _digest("\0".join(sorted(p.name for p in folder.glob(pattern))).encode())


def note(entries: dict[str, str]) -> None:
    """Add already-known entries (a cached result's own reads) to every active recording."""
    for reads in _active:
        reads.update(entries)


def note_file(path: Path, data: bytes | None = None) -> None:
    """A data file was read (its bytes, if the caller has them; else they are read here)."""
    if _active:
        path = Path(path).resolve()
        note({f"file:{path}": _file_state(path) if data is None else _digest(data)})


def content_key(path: Path) -> str:
    """The SHA-256 of a data file's bytes (ABSENT if there is none), noted as read: the key under which a
    loader keeps the file's parsed content in memory, so that what it returns is always what the file holds
    now (a file's modification time can stay the same through a quick edit)."""
    path = Path(path).resolve()
    state = _file_state(path)
    note({f"file:{path}": state})
    return state


def note_listing(folder: Path, pattern: str = LISTING_PATTERNS[0]) -> None:
    """A folder was listed to find which files exist (e.g. every scenario)."""
    if _active:
        folder = Path(folder).resolve()
        note({f"listing:{pattern}:{folder}": _listing_state(folder, pattern)})


def begin() -> dict[str, str]:
    """Start noting every read into the dict returned, until `end` (a recording over several calls: a
    notebook's cells, in a build's kernel)."""
    reads: dict[str, str] = {}
    _active.append(reads)
    return reads


def end(reads: dict[str, str]) -> None:
    _active[:] = [r for r in _active if r is not reads]  # by identity: two recordings may hold the same reads


@contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Note every read inside the block into the dict it yields (key: what was read; value: its hash)."""
    reads = begin()
    try:
        yield reads
    finally:
        end(reads)


#: What a recorded value's arguments may be: a few whole numbers or short names (draws, a seed).
_MAX_VALUE_ARGS, _MAX_ARG_TEXT = 4, 64

#: Functions that work a recorded value out again, by the value's name: given to `unchanged`.
ValueFunctions = Mapping[str, Callable[..., str]]


def note_value(name: str, digest: str, *args: int | str) -> None:
    """A value worked out from data files was used, rather than the files themselves: noted as its digest,
    under `name` and the arguments it was worked out with (`unchanged` works it out again with the
    function its caller maps `name` to), so that what depends on it changes only when the value does (an
    edit to a file it reads that leaves it the same changes nothing downstream). The files behind it are
    read inside `hidden()`."""
    if _active:
        note({"value:" + json.dumps([name, *args]): digest})


@contextmanager
def hidden() -> Iterator[None]:
    """Reads inside the block are not noted in the recordings already running (their value is, by
    `note_value`); recordings started inside it note theirs as usual."""
    running = _active[:]
    _active.clear()
    try:
        yield
    finally:
        _active[:] = running + _active


def _plain_argument(arg: object) -> bool:
    if isinstance(arg, bool):
        return False
    if isinstance(arg, int):
        return 0 <= arg < 2**63
    return isinstance(arg, str) and len(arg) <= _MAX_ARG_TEXT


def _value_state(spec: str, values: ValueFunctions) -> str:
    try:
        name, *args = json.loads(spec)
    except (ValueError, TypeError):
        return ABSENT
    function = values.get(name) if isinstance(name, str) else None
    if function is None or len(args) > _MAX_VALUE_ARGS or not all(_plain_argument(a) for a in args):
        return ABSENT  # not a value this program records: a change, and nothing is called
    try:
        with hidden():
            return function(*args)
    except Exception:  # the data no longer gives a value (a file is broken): a change, which the
        return ABSENT  # computation that reads the file then reports in full


def current_state(key: str, values: ValueFunctions) -> str:
    """What a recorded read would hash to now (`values`: the functions of the values this caller knows)."""
    kind, _, rest = key.partition(":")
    if kind == "file":
        return _file_state(Path(rest))
    if kind == "listing":
        pattern, _, folder = rest.partition(":")
        return _listing_state(Path(folder), pattern)
    if kind == "value":
        return _value_state(rest, values)
    return ABSENT  # not a record this program writes: a change


def _with_paths(key: str, change) -> str:
    kind, _, rest = key.partition(":")
    if kind == "file":
        return f"file:{change(rest)}"
    if kind == "listing":
        pattern, _, folder = rest.partition(":")
        return f"listing:{pattern}:{change(folder)}"
    return key


def relative(reads: dict[str, str], root: Path) -> dict[str, str]:
    """The records with the paths inside `root` written relative to it (a manifest that stays true when
    the checkout moves); `absolute` reverses it."""
    def change(path: str) -> str:
        return Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path
    return {_with_paths(key, change): state for key, state in sorted(reads.items())}


def absolute(reads: dict[str, str], root: Path) -> dict[str, str]:
    return {_with_paths(key, lambda path: str(root / path)): state for key, state in reads.items()}


def unchanged(reads: dict[str, str], values: ValueFunctions) -> bool:
    """Whether every recorded read still hashes the same (a value by the function `values` maps its name to;
    a value of any other name counts as changed)."""
    return all(current_state(key, values) == state for key, state in reads.items())
