"""Tempered sequential Monte Carlo (docs/model.md, "Calibration"), used where importance sampling over
the prior draws would collapse (PSIS k-hat above 0.7 or too small an effective sample).

The draws live in a latent space where the prior is a standard normal: each uncertain parameter x is
mapped to z = Φ⁻¹(F(x)) with F its prior distribution function (a copula's parameters to their
correlated normals; a drawn recipients table's K-1 stick-breaking Betas, given its concentration, to theirs),
so a move in z always lands inside the prior's support. The likelihood is raised to
a power φ that goes from 0 (the prior) to 1 (the posterior); each step picks the largest increase of φ
that keeps the effective sample size at half the particles (bisection), reweights, resamples
(systematic) and moves every particle a few times with Metropolis steps whose proposal is the
preconditioned Crank-Nicolson random walk z' = √(1-β²)·z + β·L·ε (L: the prior's covariance root), which
leaves the prior unchanged, so the acceptance ratio is the tempered likelihood ratio alone. β adapts to
keep the acceptance rate between 20% and 40%.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import special

from ..core.distributions import Distribution, Uniform
from ..core.recipient_draws import concentration_key, named, share_key, table_from_uniforms, uniforms_from_table
from ..core.vocabulary import SHARED_PARAMETERS
from ..inputs.correlations import correlation_matrix
from ..inputs.scenarios import Scenario
from ..inputs.shared import load_observation_parameters, load_shared
from .observation import Population

#: Particles of the tempered SMC (a resample of them gives the calibrated draws).
SMC_PARTICLES = 4_000
#: Metropolis moves after each resampling.
SMC_MOVES = 5
#: The effective sample size each tempering step keeps, as a share of the particles.
SMC_TARGET_ESS = 0.5
#: At most this many tempering steps (each at least halves the ESS lost to the rest of the likelihood).
SMC_MAX_STAGES = 80
SHARED, OBSERVATION = "<shared>", "<observation>"
_EPS = 1e-12


@dataclass(frozen=True)
class Coordinate:
    owner: str            # a scenario's name, SHARED or OBSERVATION
    key: str
    distribution: Distribution | None  # None: a stick of a drawn recipients table (see LatentSpace.tables)


@dataclass(frozen=True)
class TableBlock:
    """A drawn recipients table's coordinates: the normal scores of its K-1 sticks (core/recipient_draws.py),
    each Beta given the table's concentration (drawn first, a coordinate of its own, where uncertain)."""

    owner: str
    table: str
    actors: tuple[str, ...]
    means: tuple[float, ...]
    alpha: float | None      # None: drawn (its value is the draw's concentration_key(table))
    index: tuple[int, ...]   # the coordinates of its sticks

    def concentration(self, values: dict) -> np.ndarray | float:
        return self.alpha if self.alpha is not None else np.asarray(values[concentration_key(self.table)], dtype=float)


class LatentSpace:
    """The uncertain parameters of the scenarios named, the shared ones and the observation parameters,
    as standard normal coordinates."""

    def __init__(self, scenarios: dict[str, Scenario], data: Path | None):
        self.scenarios = scenarios
        shared = load_shared(data=data)
        coords = [Coordinate(SHARED, k, shared[k].distribution) for k in SHARED_PARAMETERS
                  if k in shared and shared[k].distribution.uncertain and any(k in s.shared for s in scenarios.values())]
        coords.append(Coordinate(SHARED, "market_rate_quantile", Uniform(0.0, 1.0)))
        coords += [Coordinate(OBSERVATION, k, p.distribution) for k, p in load_observation_parameters(data=data).items()
                   if p.distribution.uncertain]
        blocks = []
        tables: list[TableBlock] = []
        for name, s in scenarios.items():
            copula, matrix = correlation_matrix(s)
            own = [k for k in s.uncertain_parameters() if k not in s.shared]
            start = len(coords)
            coords += [Coordinate(name, k, s.parameters[k].distribution) for k in own]
            if copula:
                index = [start + own.index(k) for k in copula]
                blocks.append((index, 2 * np.sin(np.pi * matrix / 6)))
            for table, c in s.drawn_recipients().items():  # who is paid: the concentration, then the sticks
                if c.distribution.uncertain:
                    coords.append(Coordinate(name, concentration_key(table), c.distribution))
                actors = tuple(named(s.recipients[table]))
                first = len(coords)
                coords += [Coordinate(name, f"stick:{table}:{k}", None) for k in range(len(actors) - 1)]
                tables.append(TableBlock(name, table, actors, tuple(s.recipients[table][a] for a in actors),
                                         None if c.distribution.uncertain else float(c.distribution.point),
                                         tuple(range(first, len(coords)))))
        self.coords = coords
        self.tables = tables
        root = np.eye(len(coords))
        for index, pearson in blocks:
            vals, vecs = np.linalg.eigh(pearson)
            root[np.ix_(index, index)] = vecs * np.sqrt(np.clip(vals, 0, None))
        self.root = root

    def latent(self, population: Population) -> np.ndarray:
        """(n, d): each draw's normal scores."""
        z = np.empty((population.n, len(self.coords)))
        for j, c in enumerate(self.coords):
            if c.distribution is None:
                continue
            x = self._read(population, c)
            z[:, j] = special.ndtri(np.clip(c.distribution.cdf(x), _EPS, 1 - _EPS))
        for t in self.tables:
            values = population.values[t.owner]
            shares = [np.broadcast_to(np.asarray(values[share_key(t.table, a)], dtype=float), (population.n,))
                      for a in t.actors]
            u = uniforms_from_table(shares, t.means, t.concentration(values))
            z[:, list(t.index)] = special.ndtri(np.clip(u, _EPS, 1 - _EPS))
        return z

    def population(self, z: np.ndarray, template: Population) -> Population:
        """The draws whose normal scores are `z`, other values (fixed parameters) as in `template`."""
        n = len(z)
        values = {s: dict(d) for s, d in template.values.items()}
        observation = dict(template.observation)
        for j, c in enumerate(self.coords):
            if c.distribution is None:
                continue
            x = c.distribution.ppf(special.ndtr(z[:, j]))
            if c.owner == OBSERVATION:
                observation[c.key] = x
            elif c.owner == SHARED:
                for name, d in values.items():
                    if c.key == "market_rate_quantile" or c.key in self.scenarios[name].shared:
                        d[c.key] = x
            else:
                values[c.owner][c.key] = x
        for t in self.tables:  # after the concentrations, which the sticks' distributions depend on
            shares = table_from_uniforms(special.ndtr(z[:, list(t.index)]), t.means, t.concentration(values[t.owner]))
            values[t.owner] |= {share_key(t.table, a): v for a, v in zip(t.actors, shares)}
        return Population(n, values, observation)

    def _read(self, population: Population, c: Coordinate) -> np.ndarray:
        if c.owner == OBSERVATION:
            return np.asarray(population.observation[c.key], dtype=float)
        if c.owner == SHARED:
            for name, d in population.values.items():
                if c.key == "market_rate_quantile" or c.key in self.scenarios[name].shared:
                    return np.asarray(d[c.key], dtype=float)
            raise KeyError(c.key)
        return np.asarray(population.values[c.owner][c.key], dtype=float)


def psis_khat(log_weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Pareto-smoothed log weights and their k-hat (ArviZ): importance sampling is trusted where k-hat is small."""
    with warnings.catch_warnings():  # arviz warns about its own future API on import and on small tails
        warnings.simplefilter("ignore")
        import arviz

        smoothed, khat = arviz.psislw(np.asarray(log_weights, dtype=float).copy())
    return np.asarray(smoothed), float(khat)


def ess(log_weights: np.ndarray) -> float:
    """Kish's effective sample size of the weights exp(log_weights)."""
    finite = np.isfinite(log_weights)
    if not finite.any():
        return 0.0
    w = np.exp(log_weights - log_weights[finite].max())
    w[~finite] = 0.0
    return float(w.sum() ** 2 / (w * w).sum())


def systematic_resample(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """n indices drawn in proportion to `weights` by systematic resampling (one uniform number)."""
    cum = np.cumsum(weights)
    cum /= cum[-1]
    return np.minimum(np.searchsorted(cum, (rng.uniform() + np.arange(n)) / n), len(weights) - 1)


def _next_temperature(ll: np.ndarray, phi: float, target: float) -> float:
    if ess((1 - phi) * ll) >= target:
        return 1.0
    lo, hi = 0.0, 1 - phi
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if ess(mid * ll) >= target else (lo, mid)
    return phi + max(lo, 1e-12)


def tempered_smc(space: LatentSpace, start: Population, log_likelihood: Callable[[Population], np.ndarray],
                 rng: np.random.Generator) -> tuple[Population, list[dict]]:
    """Particles of the posterior (equal weights) from prior draws `start`, and each step's record."""
    n = start.n
    z = space.latent(start)
    ll = np.nan_to_num(log_likelihood(start), nan=-1e12, neginf=-1e12)
    phi, beta, stages = 0.0, 0.5, []
    while phi < 1.0:
        if len(stages) >= SMC_MAX_STAGES:
            raise RuntimeError(f"tempered SMC did not reach the posterior in {SMC_MAX_STAGES} steps (φ = {phi:.3g})")
        nxt = _next_temperature(ll, phi, SMC_TARGET_ESS * n)
        lw = (nxt - phi) * ll
        w = np.exp(lw - lw.max())
        step_ess = float(w.sum() ** 2 / (w * w).sum())
        index = systematic_resample(rng, w, n)
        z, ll, phi = z[index], ll[index], nxt
        accepted = []
        for _ in range(SMC_MOVES):
            proposal = np.sqrt(1 - beta * beta) * z + beta * rng.standard_normal(z.shape) @ space.root.T
            llp = np.nan_to_num(log_likelihood(space.population(proposal, start)), nan=-1e12, neginf=-1e12)
            accept = np.log(rng.uniform(size=n)) < phi * (llp - ll)
            z[accept], ll[accept] = proposal[accept], llp[accept]
            rate = float(accept.mean())
            accepted.append(rate)
            beta = float(np.clip(beta * (0.7 if rate < 0.2 else 1.3 if rate > 0.4 else 1.0), 0.01, 1.0))
        stages.append({"temperature": phi, "ess_before_resampling": step_ess,
                       "acceptance": float(np.mean(accepted)), "step_size": beta,
                       "unique_particles": len(np.unique(z[:, 0]))})
    return space.population(z, start), stages


__all__ = ["SMC_PARTICLES", "Coordinate", "LatentSpace", "ess", "psis_khat", "systematic_resample", "tempered_smc"]
