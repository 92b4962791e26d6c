"""A content-addressed disk cache for Monte Carlo results, shared by every report of a build.

The key hashes everything the draws depend on: the scenario as loaded (every parameter's distribution
and the recipients tables), the number of draws, the seed, and the code that draws and computes them.
Workers that need the same result at the same time wait on a file lock, so each is computed once.
Set MOGOK_ECON_NO_CACHE=1 to bypass it.
"""
from __future__ import annotations

import fcntl
import os
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..fingerprint import code_hash, sha256
from ..inputs.scenarios import Scenario
from ..inputs.shared import load_shared
from .monte_carlo import active_posterior, monte_carlo

#: The code a Monte Carlo result depends on: the model, its inputs' types, and the analysis.
CODE_PARTS = ("core", "inputs", "analysis")


@cache
def _code_hash() -> str:
    return code_hash(*CODE_PARTS)


def key(scenario: Scenario, draws: int, seed: int) -> str:
    """Everything the draws depend on: every parameter's distribution and unit, the recipients tables, the
    correlations, the period (its exchange rates), the shared parameters, the exchange-rate file, and the
    calibrated posterior the draws come from (if any)."""
    rates = paths.exchange_rates_file()
    posterior = active_posterior()
    content = repr((sorted((k, p.distribution, p.unit) for k, p in scenario.parameters.items()),
                    sorted((t, sorted(v.items())) for t, v in scenario.recipients.items()),
                    scenario.correlations, scenario.period_start, scenario.period_end, sorted(scenario.shared),
                    sorted((k, p.distribution) for k, p in load_shared().items()),
                    rates.read_bytes() if rates.exists() else b"", scenario.name, int(draws), int(seed),
                    posterior.fingerprint if posterior is not None else "prior"))
    return sha256([content, _code_hash()])[:32]


def cache_dir() -> Path:
    return Path(os.environ.get(paths.CACHE_ENV, paths.CACHE / "monte_carlo"))


def cached_monte_carlo(scenario: Scenario, draws: int, seed: int) -> pd.DataFrame:
    """`monte_carlo(scenario, draws, seed)`, read from the cache when an identical run was saved."""
    if os.environ.get("MOGOK_ECON_NO_CACHE"):
        return monte_carlo(scenario, draws, seed)
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = key(scenario, draws, seed)
    path = folder / f"{name}.npz"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker computing the same result: wait for it
        if path.exists():
            try:
                with np.load(path, allow_pickle=False) as saved:
                    return pd.DataFrame({c: saved[c] for c in saved.files})
            except (OSError, ValueError, KeyError):
                path.unlink(missing_ok=True)  # a damaged entry: compute it again
        frame = monte_carlo(scenario, draws, seed)
        tmp = folder / f".{name}.{os.getpid()}.tmp.npz"
        np.savez(tmp, **{c: frame[c].to_numpy() for c in frame.columns})
        os.replace(tmp, path)
        return frame
