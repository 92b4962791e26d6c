"""Content-addressed disk caches shared by every report of a build (and by the next build).

- `cached_monte_carlo`: a scenario's draws. The key hashes everything the draws depend on: the scenario
  as loaded (every parameter's distribution, the recipients tables and their concentrations), the number of draws, the seed,
  the posterior in use and the code that draws and computes them.
- `cached_result`: any other costly result that several reports show (the calibration, the month-by-month
  timeline, the levers' effects, the research agenda). Its key is what the caller names (the function and
  its arguments), the posterior in use, the data folder and the code; and it is reused only while every
  data file it read, and every folder listing it made, hashes as it did (inputs/reads.py records them
  while the result is computed). Editing one scenario recomputes just the results that read it.

Both keep their results in the Store handed down with the World (`world.store`, store.py): a Store with no
folder keeps nothing. Workers that need the same result at the same time wait on a file lock, so each is
computed once. A damaged entry (truncated, bit-flipped, unreadable) is computed again and replaced.

What is read back can run no code a stranger planted, even where the store's folder is shared (a CI cache,
a shared disk): the draws are plain arrays (npz, read with allow_pickle=False); the other results, which
need pickle, are signed when saved (HMAC-SHA256, with a key kept outside the folder: 32 random bytes in the
store's key file, which only its user can read) and unpickled only when the signature checks, so a planted
or altered file is never unpickled, only recomputed.
"""
from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import pickle
import secrets
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from .. import paths
from ..fingerprint import code_hash, sha256
from ..inputs import reads
from ..inputs.scenarios import Scenario
from ..inputs.shared import load_shared
from ..inputs.world import World, shipped_world
from ..store import Store
from .monte_carlo import Posterior, monte_carlo

#: The code a Monte Carlo result depends on: the model, its inputs' types, and the analysis.
CODE_PARTS = ("core", "inputs", "analysis")


@cache
def _code_hash() -> str:
    return code_hash(*CODE_PARTS)


def _drawn_from(posterior: Posterior | None) -> str:
    return posterior.fingerprint if posterior is not None else "prior"


def key(scenario: Scenario, draws: int, seed: int, posterior: Posterior | None = None) -> str:
    """Everything the draws depend on: every parameter's distribution and unit, the recipients tables and
    how each is drawn (its concentration, or none: fixed), the correlations, the period (its exchange rates),
    the shared parameters, the exchange-rate file, and the calibrated posterior the draws come from (if any)."""
    rates = paths.exchange_rates_file(paths.chosen(scenario.data))
    content = repr((sorted((k, p.distribution, p.unit) for k, p in scenario.parameters.items()),
                    sorted((t, sorted(v.items())) for t, v in scenario.recipients.items()),
                    sorted((t, c.distribution) for t, c in scenario.drawn_recipients().items()),
                    scenario.correlations, scenario.period_start, scenario.period_end, sorted(scenario.shared),
                    sorted((k, p.distribution) for k, p in load_shared(data=scenario.data).items()),
                    rates.read_bytes() if rates.exists() else b"", scenario.name, int(draws), int(seed),
                    _drawn_from(posterior)))
    return sha256([content, _code_hash()])[:32]


def cached_monte_carlo(scenario: Scenario, draws: int, seed: int, posterior: Posterior | None,
                       store: Store) -> pd.DataFrame:
    """`monte_carlo(scenario, draws, seed, posterior)`, read from `store` when an identical run was kept there."""
    if not store.keeps:
        return monte_carlo(scenario, draws, seed, posterior)
    folder = store.folder
    folder.mkdir(parents=True, exist_ok=True)
    name = key(scenario, draws, seed, posterior)
    path = folder / f"{name}.npz"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker computing the same result: wait for it
        if path.exists():
            frame = _read_draws(path)
            if frame is not None:
                return frame
            path.unlink(missing_ok=True)  # a damaged entry: compute it again (and replace it, below)
        frame = monte_carlo(scenario, draws, seed, posterior)
        tmp = folder / f".{name}.{os.getpid()}.tmp.npz"
        np.savez(tmp, **{c: frame[c].to_numpy() for c in frame.columns})
        os.replace(tmp, path)
        return frame


def recorded_values(world: World) -> reads.ValueFunctions:
    """The values a recording may note by their digest (inputs/reads.py, note_value), by name: the
    functions that work each out again, from the data of `world`. Only these are ever called to check a record."""
    from ..inputs.scenario_list import titles_digest
    from .calibration import calibration_digest

    def calibration(draws: int, seed: int) -> str:  # within what a report may ask for (reports/catalogue.py)
        if not (isinstance(draws, int) and isinstance(seed, int) and 1_000 <= draws <= 1_000_000 and 0 <= seed < 2**32):
            return reads.ABSENT
        return calibration_digest(draws, seed, world)

    return {"calibration": calibration, "scenario_titles": lambda: titles_digest(world.folder)}


def _read_draws(path: Path) -> pd.DataFrame | None:
    """The saved draws, or None if the file is damaged in any way: truncated or bit-flipped (zipfile's
    BadZipFile, a CRC error, EOFError), not columns of one length, or holding objects (no pickle is read)."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            columns = {c: saved[c] for c in saved.files}
    except Exception:  # zipfile.BadZipFile, EOFError, zlib.error, OSError, ValueError...: damaged
        return None
    lengths = {a.shape for a in columns.values()}
    if len(lengths) != 1 or len(next(iter(lengths))) != 1 or any(a.dtype.kind == "O" for a in columns.values()):
        return None  # columns of one length each, as saved
    return pd.DataFrame(columns)


# --- signing the pickled results -------------------------------------------------------------------

MAC_HEX = 64  # an HMAC-SHA256 in hex, before the pickle's bytes


@cache
def _signing_key(path: Path | None) -> bytes:
    """The bytes of the key file `path` (created with 32 random bytes, readable by its user only). A key
    file that others could have written or read is not trusted: this process then signs with a key of its
    own, so its saved results are reused by it alone (never unsafely)."""
    if path is None:
        return secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        info = path.stat()
        if info.st_uid == os.getuid() and not info.st_mode & 0o077 and info.st_size >= 32:
            return path.read_bytes()
    except OSError:
        pass
    return secrets.token_bytes(32)


def _mac(store: Store, folder: Path, name: str, part: str, data: bytes) -> str:
    message = b"\0".join([folder.name.encode(), name.encode(), part.encode(), hashlib.sha256(data).digest()])
    return hmac.new(_signing_key(store.key_file), message, hashlib.sha256).hexdigest()


def _signed_reads(store: Store, entry: Path) -> dict[str, str]:
    """An entry's record of what it read, if this user's key signed it (else ValueError): checked before the
    record is used, so a planted record is never even read as a list of files to hash."""
    saved = json.loads(entry.read_text())
    listed = json.dumps(saved["reads"], sort_keys=True).encode()
    if not hmac.compare_digest(str(saved["mac"]), _mac(store, entry.parent, entry.stem, "reads", listed)):
        raise ValueError(f"{entry}: not signed with this user's cache key")
    return saved["reads"]


def _signed_value(store: Store, entry: Path) -> object:
    """An entry's saved value, unpickled only if this user's key signed its bytes (else ValueError)."""
    data = entry.with_suffix(".pickle").read_bytes()
    mac, payload = data[:MAC_HEX].decode("ascii", "replace"), data[MAC_HEX:]
    if not hmac.compare_digest(mac, _mac(store, entry.parent, entry.stem, "value", payload)):
        raise ValueError(f"{entry.with_suffix('.pickle')}: not signed with this user's cache key")
    return pickle.loads(payload)  # signed by this user's key: written by cached_result


T = TypeVar("T")
#: Saved results kept per kind and key: the data as it is now, and a few earlier versions of it (an edit
#: undone is then no recomputation).
KEPT_RESULTS = 4
#: At most this much of saved results on disk (a month-by-month timeline at 100,000 draws is 315 MB).
RESULTS_LIMIT_BYTES = 3 * 2**30


def cached_result(kind: str, key_parts: tuple, compute: Callable[[], T], posterior: Posterior | None = None,
                  world: World | None = None) -> T:
    """`compute()`, or the result an identical call saved: the same `kind` and `key_parts` (their repr: plain
    values, or objects whose repr shows their whole content, never a memory address), the same posterior
    (`posterior`, the one `compute` draws from; None: the priors), data folder (`world`'s, the one `compute`
    reads; None: the shipped data) and code, and every data file and listing the saved call read unchanged.
    Kept in `world.store`. At most KEPT_RESULTS saved calls are kept of each kind and key (the newest)."""
    world = world or shipped_world()
    store = world.store
    if not store.keeps:
        return compute()
    described = repr(key_parts)
    if " at 0x" in described:
        raise ValueError(f"cached_result({kind!r}): a key part has no content repr: {described[:200]}")
    base = sha256([kind, described, _code_hash(), str(world.folder), str(world.shipped),
                   _drawn_from(posterior)])[:32]
    folder = store.folder / "results" / f"{kind}-{base}"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker computing the same result: wait for it
        for entry in sorted(folder.glob("*.json")):
            try:
                recorded = _signed_reads(store, entry)  # ValueError unless this user's key signed it
                if not isinstance(recorded, dict) or not reads.unchanged(recorded, recorded_values(world)):
                    continue
                value = _signed_value(store, entry)
            except Exception:  # damaged, unsigned, or from code that no longer loads it: compute again
                _remove(entry)
                continue
            reads.note(recorded)  # a result cached around this one depends on what this one read
            with suppress(OSError):
                os.utime(entry)  # recently used: the last to be pruned
            return value
        with reads.recording() as recorded:
            value = compute()
        name = sha256(sorted(recorded.items()))[:16]
        listed = json.dumps(recorded, sort_keys=True).encode()
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        entry = {"mac": _mac(store, folder, name, "reads", listed), "reads": recorded}
        for suffix, data in ((".pickle", _mac(store, folder, name, "value", payload).encode() + payload),
                             (".json", json.dumps(entry, sort_keys=True, indent=0).encode())):
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, folder / f"{name}{suffix}")  # the .json last: an entry is whole once it is listed
        for old in sorted(folder.glob("*.json"), key=lambda f: f.stat().st_mtime_ns)[:-KEPT_RESULTS]:
            _remove(old)  # an earlier version of the data: keep the newest few only
    _prune(store.folder / "results", keep=folder / f"{name}.json")
    return value


def _remove(entry: Path) -> None:
    entry.unlink(missing_ok=True)  # first: a reader that finds no .json does not look for the .pickle
    entry.with_suffix(".pickle").unlink(missing_ok=True)


def _prune(results: Path, keep: Path) -> None:
    """Keep the saved results under RESULTS_LIMIT_BYTES, removing the least recently used first (results of
    code or data that no longer exist are never used again)."""
    entries = []
    for entry in results.glob("*/*.json"):
        try:
            entries.append((entry.stat().st_mtime_ns, entry.with_suffix(".pickle").stat().st_size, entry))
        except OSError:  # removed meanwhile by another worker
            continue
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries):
        if total <= RESULTS_LIMIT_BYTES:
            break
        if entry != keep:
            _remove(entry)
            total -= size
