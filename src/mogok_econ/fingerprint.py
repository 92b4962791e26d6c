"""Content hashes, one scheme for everything that asks "did this change?": the Monte Carlo cache key
and the reports' manifest hash the same files of the package the same way."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).parent
CODE_SUFFIXES = frozenset({".py", ".j2", ".css", ".json"})
SHIPPED = "_shipped"  # an installed package's copy of the data and notebooks (paths.SHIPPED): data, not code


def sha256(chunks: Iterable[bytes | str]) -> str:
    """SHA-256 of the chunks, each followed by a separator (so ("ab", "c") and ("a", "bc") differ)."""
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk if isinstance(chunk, bytes) else str(chunk).encode())
        h.update(b"\0")
    return h.hexdigest()


#: The state of a path that is not there (or is not a regular file): a change from any file.
ABSENT = "absent"


def file_state(path: Path, limit: int | None = None) -> str:
    """What a data file holds, as a digest: SHA-256 of its bytes (of at most `limit` + 1 of them: a larger
    file, which its loader refuses, hashes as its size); the names of the YAML files of a folder; ABSENT
    for anything else. The key under which loaders keep a parsed file in memory (a quick edit can leave a
    file's modification time as it was), and what a result's declared inputs hash to
    (inputs/dependencies.py)."""
    path = Path(path)
    if path.is_dir():
        return sha256(["folder", *sorted(p.name for p in path.glob("*.yaml"))])
    if not path.is_file():  # a regular file only: never a device or a fifo
        return ABSENT
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1) if limit is not None else f.read()
    except OSError:  # unreadable: a change from a readable file all the same
        return ABSENT
    if limit is not None and len(data) > limit:
        return sha256([f"(over the data file limit: {path.stat().st_size} bytes)"])
    return hashlib.sha256(data).hexdigest()


def code_files(*parts: str) -> list[Path]:
    """The package's code and templates: all of it, or only the named subpackages (e.g. "core")."""
    roots = [PACKAGE / part for part in parts] if parts else [PACKAGE]
    return sorted(p for root in roots for p in root.rglob("*")
                  if p.is_file() and p.suffix in CODE_SUFFIXES and SHIPPED not in p.relative_to(PACKAGE).parts)


def files_hash(files: Iterable[Path], root: Path = PACKAGE) -> str:
    """The hash of files' names (relative to `root` where inside it) and contents."""
    def name(f: Path) -> str:
        return str(f.relative_to(root)) if f.is_relative_to(root) else f.name
    return sha256(x for f in files for x in (name(f), f.read_bytes()))


def code_hash(*parts: str) -> str:
    """The hash of the package's code (or of the named subpackages)."""
    return files_hash(code_files(*parts))
