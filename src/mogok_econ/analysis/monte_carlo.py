"""Seeded, vectorised Monte Carlo over a scenario's distributions, and the quantiles we report.

Shared parameters (data/shared.yaml: G, working days) and the quantile of the market exchange rates are
drawn from one stream per seed, the same for every scenario, so draw i of one scenario and draw i of
another share them and differences between scenarios are computed draw by draw. A scenario's own
(regime) parameters come from a stream of its own (seed, the scenario's name), in the fixed order of
core.vocabulary.PARAMETERS; those named in its `correlations` are drawn together through a Gaussian
copula. Each drawn recipients table comes from a stream of its own (seed, the scenario's name,
"recipients:<table>"), after them, so drawing the tables changes no parameter's draws. The same scenario,
draws and seed always give the same numbers (docs/model.md, "Uncertainty").
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd
from scipy import special

from ..core.defaults import DEFAULT_SEED, QUANTILE_LEVELS, REPORTED_QUANTILES
from ..core.recipient_draws import concentration_key, draw_table, named, share_key
from ..core.split import arrays_to_frame, split
from ..core.vocabulary import ACTORS, GROUPS, PARAMETERS, SHARED_PARAMETERS
from ..inputs.correlations import correlation_matrix
from ..inputs.scenarios import Scenario
from ..inputs.shared import load_shared
from .conversion import model_inputs


def stream(seed: int, *names: str) -> np.random.Generator:
    """A random generator for (seed, names...): independent streams per scenario (and per lever change),
    each reproducible on its own."""
    keys = [int.from_bytes(hashlib.sha256(n.encode()).digest()[:4], "little") for n in names]
    return np.random.default_rng(np.random.SeedSequence([int(seed), *keys]))


#: The stream name of the draws every scenario shares (not a valid scenario name, so it never collides).
SHARED_STREAM = "<shared>"


def shared_draws(draws: int, seed: int, data: Path | None) -> tuple[dict[str, np.ndarray | float], np.ndarray]:
    """The shared parameters' draws (the shared.yaml of the data folder `data`) and the market-rate
    quantile, the same for every scenario whatever it overrides."""
    shared = load_shared(data=data)
    rng = stream(seed, SHARED_STREAM)
    out = {}
    for key in SHARED_PARAMETERS:
        if key not in shared:  # a data folder without data/shared.yaml: each scenario sets it itself
            continue
        d = shared[key].distribution
        out[key] = d.sample(rng, draws) if d.uncertain else float(d.point)
    return out, rng.uniform(size=draws)


class Posterior(Protocol):
    """A calibrated posterior (analysis.calibration.Calibration), handed to every analysis that draws:
    None draws from the priors. Nothing in the process remembers which one is in use."""

    fingerprint: str

    def calibrated_parameters(self, scenario: Scenario, draws: int, seed: int) -> dict[str, np.ndarray | float]: ...

    def central_values(self, scenario: Scenario) -> dict[str, float]: ...


def draw_parameters(scenario: Scenario, draws: int, seed: int = DEFAULT_SEED,
                    posterior: Posterior | None = None) -> dict[str, np.ndarray | float]:
    """`draws` draws of every parameter of the scenario: from `posterior` if given, else from the priors
    (prior_parameters)."""
    if posterior is not None:
        return posterior.calibrated_parameters(scenario, draws, seed)
    return prior_parameters(scenario, draws, seed)


def central_values(scenario: Scenario, posterior: Posterior | None = None) -> dict[str, float]:
    """The central value of every parameter: the posterior's median if a posterior is given, else the
    prior's point value (mode; uniform: mid-point). The central estimate is the model at these values."""
    if posterior is not None:
        return posterior.central_values(scenario)
    return scenario.point_values()


def prior_parameters(scenario: Scenario, draws: int, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray | float]:
    """`draws` draws of every parameter of the scenario from its priors (fixed ones stay scalars), in the
    parameters' own units, plus `market_rate_quantile` (shared). See the module docstring for the streams."""
    if not isinstance(draws, (int, np.integer)) or isinstance(draws, bool) or draws < 1:
        raise ValueError(f"draws must be a whole number of at least 1, not {draws!r}")
    draws = int(draws)
    shared, quantile = shared_draws(draws, seed, scenario.data)
    rng = stream(seed, scenario.name)
    names, matrix = correlation_matrix(scenario)
    out: dict[str, np.ndarray | float] = {}
    for key in PARAMETERS:
        if key in scenario.shared:
            out[key] = shared[key]
        elif key not in names:
            d = scenario.parameters[key].distribution
            out[key] = d.sample(rng, draws) if d.uncertain else float(d.point)
    if names:  # a Gaussian copula: Spearman's rho -> the normals' Pearson correlation 2·sin(π·rho/6)
        pearson = 2 * np.sin(np.pi * matrix / 6)
        vals, vecs = np.linalg.eigh(pearson)
        root = vecs * np.sqrt(np.clip(vals, 0, None))
        u = special.ndtr(rng.standard_normal((draws, len(names))) @ root.T)
        for i, key in enumerate(names):
            out[key] = scenario.parameters[key].distribution.ppf(u[:, i])
    out["market_rate_quantile"] = quantile
    out |= recipient_draws(scenario, draws, seed)
    return out


def recipient_stream(seed: int, scenario: str, table: str) -> np.random.Generator:
    """The stream of one drawn recipients table: its own, so that drawing it changes no other draw."""
    return stream(seed, scenario, f"recipients:{table}")


def recipient_draws(scenario: Scenario, draws: int, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray]:
    """`draws` draws of each of the scenario's drawn recipients tables (docs/model.md, "Who is paid, drawn"):
    a Dirichlet centred on the stated shares, by stick-breaking, with the concentration drawn first where it
    is uncertain; one array per actor named (`share_key`) and the concentration (`concentration_key`)."""
    out: dict[str, np.ndarray] = {}
    for table, c in scenario.drawn_recipients().items():
        rng = recipient_stream(seed, scenario.name, table)
        actors = named(scenario.recipients[table])
        alpha = c.distribution.sample(rng, draws) if c.distribution.uncertain else float(c.distribution.point)
        if c.distribution.uncertain:
            out[concentration_key(table)] = alpha
        means = [scenario.recipients[table][a] for a in actors]
        out |= {share_key(table, a): v for a, v in zip(actors, draw_table(rng, means, alpha, draws))}
    return out


def model_draws(scenario: Scenario, draws: int, seed: int = DEFAULT_SEED, posterior: Posterior | None = None) -> dict:
    """The model's inputs (USD) for `draws` draws of the scenario (from `posterior`, or the priors)."""
    values = draw_parameters(scenario, draws, seed, posterior)
    return model_inputs(scenario, values, values.pop("market_rate_quantile"))


def monte_carlo(scenario: Scenario, draws: int, seed: int = DEFAULT_SEED, posterior: Posterior | None = None
                ) -> pd.DataFrame:
    """One row per draw (from `posterior`, or the priors): gross, realised and recorded value, the
    unrealised parts, every actor's and group's flow (USD/yr), employment, and the incomes per month (USD)."""
    frame = arrays_to_frame(split(model_draws(scenario, draws, seed, posterior), scenario.recipients, pit=False))
    if len(frame) != draws:  # every parameter fixed: the model returns one row
        frame = pd.DataFrame(np.repeat(frame.to_numpy(), draws, axis=0), columns=frame.columns)
    return frame


def quantiles(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """P5 / P50 / P95 of each column (rows: columns of `frame`; columns: p5, p50, p95)."""
    columns = columns or [c for c in frame.columns if c in ACTORS or c in GROUPS]
    values = np.quantile(frame[columns].to_numpy(), QUANTILE_LEVELS, axis=0)
    return pd.DataFrame(values.T, index=columns, columns=list(REPORTED_QUANTILES))
