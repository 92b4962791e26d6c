"""Which data a computation read: the dependencies of a cached result (analysis/cache.py).

While `recording()` is active, every data file a loader reads (through `load_yaml`, or through a loader
that keeps its parsed file in memory and notes it on every call) is noted with the SHA-256 of its bytes,
and every folder listing that decides which files exist (the scenarios, the levers) with the names it
listed. A cached result stores what it read; it is reused only while every one of those still hashes
the same (`unchanged`), so an edit to any file a result read, and to no other, recomputes it. Files that
were looked for and missing are noted as absent, so that adding one recomputes too.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ABSENT = "absent"
_active: list[dict[str, str]] = []


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_state(path: Path) -> str:
    try:
        return _digest(path.read_bytes())
    except OSError:  # missing or unreadable: a change from a readable file all the same
        return ABSENT


def _listing_state(folder: Path, pattern: str) -> str:
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


def note_listing(folder: Path, pattern: str = "*.yaml") -> None:
    """A folder was listed to find which files exist (e.g. every scenario)."""
    if _active:
        folder = Path(folder).resolve()
        note({f"listing:{pattern}:{folder}": _listing_state(folder, pattern)})


@contextmanager
def recording() -> Iterator[dict[str, str]]:
    """Note every read inside the block into the dict it yields (key: what was read; value: its hash)."""
    reads: dict[str, str] = {}
    _active.append(reads)
    try:
        yield reads
    finally:
        _active.remove(reads)


def current_state(key: str) -> str:
    """What a recorded read would hash to now."""
    kind, _, rest = key.partition(":")
    if kind == "file":
        return _file_state(Path(rest))
    if kind == "listing":
        pattern, _, folder = rest.partition(":")
        return _listing_state(Path(folder), pattern)
    raise ValueError(f"not a recorded read: {key!r}")


def unchanged(reads: dict[str, str]) -> bool:
    """Whether every recorded read still hashes the same."""
    return all(current_state(key) == state for key, state in reads.items())
