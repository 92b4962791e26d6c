"""Content-addressed disk caches shared by every report of a build (and by the next build).

- `cached_monte_carlo`: a scenario's draws. The key hashes everything the draws depend on: the scenario
  as loaded (every parameter's distribution, the recipients tables and their concentrations), the number of draws, the seed,
  the posterior in use and the code that draws and computes them.
- `cached_result`: any other costly result that several reports show (the calibration, the month-by-month
  timeline, the levers' effects, the research agenda). Its key is what the caller names (the function and
  its arguments), the content of the data files it declares it reads (inputs/dependencies.py), the
  posterior in use, the data folder and the code. Editing one scenario recomputes just the results that
  declare it.

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
from ..inputs import dependencies
from ..inputs.dependencies import Inputs
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


def _signed_value(store: Store, entry: Path) -> object:
    """An entry's saved value, unpickled only if this user's key signed its bytes (else ValueError)."""
    data = entry.read_bytes()
    mac, payload = data[:MAC_HEX].decode("ascii", "replace"), data[MAC_HEX:]
    if not hmac.compare_digest(mac, _mac(store, entry.parent, entry.stem, "value", payload)):
        raise ValueError(f"{entry}: not signed with this user's cache key")
    return pickle.loads(payload)  # signed by this user's key: written by cached_result


T = TypeVar("T")
#: At most this much of saved results on disk (a month-by-month timeline at 100,000 draws is 315 MB).
RESULTS_LIMIT_BYTES = 3 * 2**30


def cached_result(kind: str, key_parts: tuple, compute: Callable[[], T], *, inputs: Inputs,
                  posterior: Posterior | None = None, world: World | None = None) -> T:
    """`compute()`, or the result an identical call saved: the same `kind` and `key_parts` (their repr: plain
    values, or objects whose repr shows their whole content, never a memory address), the same declared
    `inputs` (the data files `compute` reads: inputs/dependencies.py; their content is hashed), the same
    posterior (`posterior`, the one `compute` draws from; None: the priors), data folder (`world`'s; None:
    the shipped data) and code. Kept in `world.store`, the least recently used removed first over
    RESULTS_LIMIT_BYTES."""
    world = world or shipped_world()
    store = world.store
    if not store.keeps:
        return compute()
    described = repr(key_parts)
    if " at 0x" in described:
        raise ValueError(f"cached_result({kind!r}): a key part has no content repr: {described[:200]}")
    if "frozenset({" in described:  # its order follows string hashing, drawn afresh per process (scenarios.Names)
        raise ValueError(f"cached_result({kind!r}): a key part shows a frozenset, in an order that changes from "
                         f"process to process: {described[:200]}")
    name = sha256([kind, described, _code_hash(), str(world.folder), str(world.shipped), _drawn_from(posterior),
                   dependencies.digest(inputs, world)])[:32]
    results = store.folder / "results"
    results.mkdir(parents=True, exist_ok=True)
    entry = results / f"{kind}-{name}.pickle"
    with open(results / f"{kind}-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker computing the same result: wait for it
        if entry.exists():
            try:
                value = _signed_value(store, entry)  # ValueError unless this user's key signed it
            except Exception:  # damaged, unsigned, or from code that no longer loads it: compute again
                entry.unlink(missing_ok=True)
            else:
                with suppress(OSError):
                    os.utime(entry)  # recently used: the last to be pruned
                return value
        value = compute()
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        tmp = results / f".{entry.name}.{os.getpid()}.tmp"
        tmp.write_bytes(_mac(store, results, entry.stem, "value", payload).encode() + payload)
        os.replace(tmp, entry)
    _prune(results, keep=entry)
    return value


def _prune(results: Path, keep: Path) -> None:
    """Keep the saved results under RESULTS_LIMIT_BYTES, removing the least recently used first (results of
    code or data that no longer exist are never used again)."""
    entries = []
    for entry in results.glob("*.pickle"):
        try:
            info = entry.stat()
        except OSError:  # removed meanwhile by another worker
            continue
        entries.append((info.st_mtime_ns, info.st_size, entry))
    total = sum(size for _, size, _ in entries)
    for _, size, entry in sorted(entries):
        if total <= RESULTS_LIMIT_BYTES:
            break
        if entry != keep:
            entry.unlink(missing_ok=True)
            entry.with_suffix(".lock").unlink(missing_ok=True)
            total -= size
