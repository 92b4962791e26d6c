"""Seeded, vectorised Monte Carlo over a scenario's distributions, and the quantiles we report.

Parameters are drawn independently (docs/model.md, "Uncertainty") in the fixed order of
core.vocabulary.PARAMETERS from one numpy Generator seeded with (`seed`, the scenario's name), so the same
scenario, draws and seed always give the same numbers, and two scenarios' draws are independent.
Recipients tables are fixed per scenario.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_SEED, QUANTILE_LEVELS, REPORTED_QUANTILES
from ..core.split import arrays_to_frame, split
from ..core.vocabulary import ACTORS, PARAMETERS
from ..inputs.scenarios import Scenario


def stream(seed: int, *names: str) -> np.random.Generator:
    """A random generator for (seed, names...): independent streams per scenario (and per lever change),
    each reproducible on its own."""
    keys = [int.from_bytes(hashlib.sha256(n.encode()).digest()[:4], "little") for n in names]
    return np.random.default_rng(np.random.SeedSequence([int(seed), *keys]))


def draw_parameters(scenario: Scenario, draws: int, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray | float]:
    """`draws` independent draws of every uncertain parameter; fixed ones stay scalars. Each scenario
    has its own stream for a given seed, so different scenarios' draws are independent."""
    if not isinstance(draws, (int, np.integer)) or isinstance(draws, bool) or draws < 1:
        raise ValueError(f"draws must be a whole number of at least 1, not {draws!r}")
    rng = stream(seed, scenario.name)
    out: dict[str, np.ndarray | float] = {}
    for key in PARAMETERS:
        if key in scenario.parameters:
            d = scenario.parameters[key].distribution
            out[key] = d.sample(rng, int(draws)) if d.uncertain else float(d.point)
    return out


def monte_carlo(scenario: Scenario, draws: int, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One row per draw: gross and realised value, the unrealised parts, every actor's flow (USD/yr)
    and, where the scenario has miner_count, the implied income per miner (USD/month)."""
    frame = arrays_to_frame(split(draw_parameters(scenario, draws, seed), scenario.recipients))
    if len(frame) != draws:  # every parameter fixed: the model returns one row
        frame = pd.DataFrame(np.repeat(frame.to_numpy(), draws, axis=0), columns=frame.columns)
    return frame


def quantiles(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """P5 / P50 / P95 of each column (rows: columns of `frame`; columns: p5, p50, p95)."""
    columns = columns or [c for c in frame.columns if c in ACTORS]
    values = np.quantile(frame[columns].to_numpy(), QUANTILE_LEVELS, axis=0)
    return pd.DataFrame(values.T, index=columns, columns=list(REPORTED_QUANTILES))
