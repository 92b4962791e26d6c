"""The observation model (docs/model.md, "Calibration"): what each observable implies, draw by draw, and
how likely the observed value is given it.

A *population* is a set of draws of everything the model reads: every scenario's parameters (as
monte_carlo.draw_parameters gives them, with the shared G, working days and market-rate quantile) and
the observation parameters (v, θ, ξ: data/shared.yaml, `observation:`), drawn once per draw for every
scenario. An observable of a scenario implies the scenario's quantity; one of a period implies the
mean of the quantities of the scenarios in force, weighted by their days (its money quantities are
annual averages over the period). Stock carried between months is not in the observation model.

Likelihoods are soft: an interval is a box whose edges are normal distribution functions (a smoothed
box), so that a draw just outside it is less likely, not impossible; a distribution is normal or
lognormal with the model's error added to the observation's spread.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import special

from ..core.defaults import QUANTILE_LEVELS, REPORTED_QUANTILES
from ..core.split import split
from ..core.vocabulary import ACTORS, GROUPS, OBSERVATION_PARAMETERS, PARAMETERS
from ..errors import InputError, Problem
from ..inputs.observables import Observable
from ..inputs.scenarios import Scenario
from ..inputs.shared import load_observation_parameters
from .conversion import model_inputs
from .monte_carlo import prior_parameters, stream

#: The model's error on a log scale (a 10% relative error, one standard deviation): the model is an
#: accounting identity with averaged parameters; a measured wage or sales figure is a noisy point of a
#: distribution the model only summarises. It widens every likelihood (docs/model.md, "Calibration").
LOG_MODEL_ERROR = 0.10
#: The model's error for a share or a rate observed directly (parameter_value of a parameter in [0, 10]).
ABSOLUTE_MODEL_ERROR = 0.02
#: Larger errors, on the log scale, for series that observe Mogok only through what they cover: a
#: national figure (its years need not match the scenario's period; what "official data" counts, e.g.
#: emporium re-sales, need not be Mogok's first sales) and partners' mirror statistics (their years,
#: re-exports through Hong Kong, customs classifications).
QUANTITY_MODEL_ERROR: dict[str, float] = {"national_gem_sales_usd": 0.20, "national_gem_production_usd": 0.20,
                                          "mirror_trade_gap_usd": 0.30}
#: An observable whose likelihood, at its best prior draw, is below this (relative to its largest
#: possible value) is out of the prior's reach: no prior draw comes within about 5 model errors.
LOG_OUT_OF_REACH = float(np.log(1e-6))
#: The stream name of the observation parameters' draws (not a scenario name, so it never collides).
OBSERVATION_STREAM = "<observation>"
#: Draws split at a time (memory: the split's intermediate arrays are made per chunk).
CHUNK = 250_000
_Z90 = float(special.ndtri(0.95))


@dataclass
class Population:
    """`n` draws: each scenario's parameter values (draw_parameters' form) and the observation parameters."""

    n: int
    values: dict[str, dict[str, np.ndarray | float]]
    observation: dict[str, np.ndarray | float]

    def take(self, index: np.ndarray) -> Population:
        """The draws at `index` (a resample)."""
        def pick(v):
            return v[index] if isinstance(v, np.ndarray) else v
        return Population(len(index), {s: {k: pick(v) for k, v in d.items()} for s, d in self.values.items()},
                          {k: pick(v) for k, v in self.observation.items()})


def observation_draws(n: int, seed: int, data: Path | None) -> dict[str, np.ndarray | float]:
    """The observation parameters' draws (the data folder `data`'s), from a stream of their own (seed, "<observation>")."""
    rng = stream(seed, OBSERVATION_STREAM)
    out = {}
    for key, p in load_observation_parameters(data=data).items():
        d = p.distribution
        out[key] = d.sample(rng, n) if d.uncertain else float(d.point)
    return out


def prior_population(scenarios: dict[str, Scenario], n: int, seed: int, data: Path | None) -> Population:
    """`n` prior draws of the scenarios named (draw i shares G, the days, the rates' quantile and v, θ, ξ),
    with the observation parameters of the data folder `data`."""
    return Population(n, {name: prior_parameters(s, n, seed) for name, s in scenarios.items()},
                      observation_draws(n, seed, data))


def scenarios_reached(observables: Iterable[Observable]) -> list[str]:
    """Every scenario some observable observes, in first-seen order."""
    return list(dict.fromkeys(s for o in observables for s in o.scenarios))


def _needs(observables: Iterable[Observable]) -> dict[str, set[str]]:
    needs: dict[str, set[str]] = {}
    for o in observables:
        for s in o.scenarios:
            needs.setdefault(s, set()).update(_column(o, q) for q in o.quantities)
    return needs


def _column(o: Observable, quantity: str | None = None) -> str:
    quantity = quantity or o.quantity
    if quantity == "actor_flow_usd":
        return f"actor:{o.actor}"
    if quantity == "parameter_value":
        return f"parameter:{o.parameter}"
    return quantity


def reading_key(o: Observable, reading: str) -> str:
    """Where `implied` keeps an observable's values under one of its readings."""
    return f"{o.id}@{reading}"


def scenario_columns(scenario: Scenario, values: dict, observation: dict, n: int, columns: set[str]) -> dict[str, np.ndarray]:
    """The quantities `columns` (see _column) of one scenario for `n` draws, computed in chunks."""
    out = {c: np.empty(n) for c in columns}
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        part = {k: v[lo:hi] if isinstance(v, np.ndarray) else v for k, v in values.items()}
        quantile = part.pop("market_rate_quantile")
        inputs = model_inputs(scenario, part, quantile)
        result = None
        obs = {k: v[lo:hi] if isinstance(v, np.ndarray) else v for k, v in observation.items()}
        for c in columns:
            kind, _, name = c.partition(":")
            if kind == "parameter":
                value = obs[name] if name in OBSERVATION_PARAMETERS else inputs[name]
                out[c][lo:hi] = np.broadcast_to(np.asarray(value, dtype=float), (hi - lo,))
                continue
            result = result or split(inputs, scenario.recipients, pit=False)
            out[c][lo:hi] = _from_split(kind, name, result, inputs, obs)
    return out


def _from_split(kind: str, name: str, r, inputs: dict, obs: dict) -> np.ndarray:
    if kind == "actor":
        members = GROUPS.get(name, (name,))
        return sum(r.flows[:, ACTORS.index(a)] for a in members)
    simple = {"miner_count": r.miners, "wage_usd_per_month": r.wage, "hand_miner_income_usd_per_month": r.hand_miner_income,
              "miner_income_usd_per_month": r.miner_income, "wage_workers_employed": r.employed,
              "realised_value_usd": r.realised, "recorded_value_usd": r.recorded}
    if kind in simple:
        return simple[kind]
    if kind == "state_tax_revenue_usd":
        return r.recorded * np.asarray(inputs["state_tax_rate"], dtype=float)
    if kind == "national_gem_sales_usd":
        return obs["declared_value_ratio"] * r.recorded / obs["mogok_national_share"]
    if kind == "national_gem_production_usd":  # licensed sites' output, declared at the mine: σ of what was mined
        company = np.asarray(inputs["company_share"], dtype=float) * np.asarray(inputs["production_factor"], dtype=float)
        return obs["declared_value_ratio"] * company * r.gross / obs["mogok_national_share"]
    if kind == "mirror_trade_gap_usd":
        return obs["mirror_capture"] * (r.realised - r.recorded) / obs["mogok_national_share"]
    raise ValueError(f"no observation model for {kind!r}")


def implied(observables: list[Observable], scenarios: dict[str, Scenario], population: Population) -> dict[str, np.ndarray]:
    """Each observable's implied value, one per draw of the population (an observable with readings: under
    its first reading, and under each at `reading_key`)."""
    needs = _needs(observables)
    columns = {s: scenario_columns(scenarios[s], population.values[s], population.observation, population.n, cols)
               for s, cols in needs.items()}
    out = {}
    for o in observables:
        for r in o.readings:
            out[reading_key(o, r.name)] = sum(w * columns[s][_column(o, r.quantity)] for s, w in o.scenarios.items())
        out[o.id] = out[reading_key(o, o.readings[0].name)] if o.readings else sum(
            w * columns[s][_column(o)] for s, w in o.scenarios.items())
    return out


def _reading_terms(o: Observable, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """log(prior weight) + log-likelihood of each of `o`'s readings, per draw."""
    return {r.name: np.log(r.weight) + log_likelihood(o, values[reading_key(o, r.name)]) for r in o.readings}


def log_likelihoods(observables: Iterable[Observable], values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each observable's log-likelihood per draw. One with readings is a mixture: the likelihood is the
    readings' likelihoods weighted by their prior weights (the reading, a discrete unknown, summed out),
    so the data weigh the readings as they weigh any parameter (docs/model.md, "Readings")."""
    return {o.id: special.logsumexp(np.vstack(list(_reading_terms(o, values).values())), axis=0) if o.readings
            else log_likelihood(o, values[o.id]) for o in observables}


def reading_responsibilities(o: Observable, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """For each draw, the probability of each of `o`'s readings given the draw and the observation."""
    terms = _reading_terms(o, values)
    total = special.logsumexp(np.vstack(list(terms.values())), axis=0)
    return {name: np.exp(t - total) for name, t in terms.items()}


def linear_scale(o: Observable) -> bool:
    """A share, rate or ratio observed directly is compared on its own scale; everything else (money,
    people, incomes) on a log scale, with a relative error."""
    if o.quantity != "parameter_value":
        return False
    spec = PARAMETERS.get(o.parameter) or OBSERVATION_PARAMETERS[o.parameter]
    return spec.high <= 10


def model_error(o: Observable) -> float:
    """The model's error for the observable: absolute for a share or rate, else on the log scale."""
    if linear_scale(o):
        return ABSOLUTE_MODEL_ERROR
    return QUANTITY_MODEL_ERROR.get(o.quantity, LOG_MODEL_ERROR)


def _log_box(y: np.ndarray, low: float | None, high: float | None, sd: float) -> np.ndarray:
    """log of Φ((y - low)/sd) - Φ((y - high)/sd), computed stably (an open end drops its term)."""
    a = (y - low) / sd if low is not None else np.full_like(y, np.inf)
    b = (y - high) / sd if high is not None else np.full_like(y, -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        below = special.log_ndtr(a) + np.log1p(-np.exp(special.log_ndtr(b) - special.log_ndtr(a)))
        above = special.log_ndtr(-b) + np.log1p(-np.exp(special.log_ndtr(-a) - special.log_ndtr(-b)))
    out = np.where(b > 0, above, below)
    return np.where(np.isnan(out), -np.inf, out)


def _to_scale(o: Observable, x):
    if x is None:
        return None
    if linear_scale(o):
        return np.asarray(x, dtype=float)
    with np.errstate(divide="ignore"):
        return np.log(np.maximum(np.asarray(x, dtype=float), 1e-300))


def log_likelihood(o: Observable, y: np.ndarray) -> np.ndarray:
    """The log-likelihood of the observation given the implied values `y` (up to a constant; its
    largest possible value is 0)."""
    linear = linear_scale(o)
    err = model_error(o)
    if o.dist is None:
        low, high = _to_scale(o, o.low), _to_scale(o, o.high)
        return _log_box(_to_scale(o, y), low, high, err)
    if o.dist == "lognormal":
        centre, spread = np.log(o.median), (np.log(o.p95) - np.log(o.p5)) / (2 * _Z90)
        sd = np.hypot(spread, err)
        with np.errstate(divide="ignore"):
            z = (np.log(np.maximum(y, 1e-300)) - centre) / sd
    else:  # normal: the model's error is relative (10% of the median) unless the quantity is a share or rate
        spread = (o.p95 - o.p5) / (2 * _Z90)
        sd = np.hypot(spread, err if linear else err * abs(o.median))
        z = (y - o.median) / sd
    return -0.5 * z * z


def holds(o: Observable, values: np.ndarray, weights: np.ndarray | None = None) -> tuple[dict, bool]:
    """P5/P50/P95 of the implied values (weighted) and whether their 90% interval meets the observed one."""
    q = weighted_quantiles(values, weights)
    low, high = o.interval
    meets = (low is None or q["p95"] >= low) and (high is None or q["p5"] <= high)
    return q, bool(meets)


def weighted_quantiles(values: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    """P5/P50/P95 of draws with weights (None: equal)."""
    levels = QUANTILE_LEVELS
    values = np.asarray(values, dtype=float)
    if weights is None:
        q = np.quantile(values, levels)
    else:
        order = np.argsort(values)
        cum = np.cumsum(weights[order])
        cum /= cum[-1]
        q = values[order][np.minimum(np.searchsorted(cum, levels), len(values) - 1)]
    return {name: float(v) for name, v in zip(REPORTED_QUANTILES, q)}


def check_reach(in_likelihood: list[Observable], each: dict, prior_implied: dict, draws: int) -> None:
    """InputError where no prior draw comes near an observation in the likelihood on its own (ESS 0):
    `each` is each one's log-likelihood by draw, `prior_implied` what the prior draws imply. Observations
    each within reach that no prior draw meets together are not refused: data simulated from the model do
    that (a truth in a corner of the prior, e.g. wholly per-head extortion with a small per-head amount),
    and tempered SMC reaches them (calibration.py warns; the leave-one-out checks show any contradiction)."""
    problems = []
    for o in in_likelihood:
        if not np.isfinite(each[o.id]).any() or each[o.id].max() < LOG_OUT_OF_REACH:
            q = weighted_quantiles(prior_implied[o.id])
            problems.append(Problem(o.file, f"observables.{o.id}.observed", o.describe(),
                                    f"no prior draw comes near this observation (ESS 0): over {draws:,} draws the model "
                                    f"implies {q['p5']:,.4g} to {q['p95']:,.4g} (P5 to P95) for {o.quantity}; check the "
                                    "value and its unit, or widen the priors it depends on (with sources)."))
    if problems:
        raise InputError(problems)


def out_of_reach_together(each: dict) -> bool:
    """Whether no prior draw comes near all the observations together (each log-likelihood by draw)."""
    return len(each) > 1 and float(sum(each.values()).max()) < LOG_OUT_OF_REACH


__all__ = [
    "ABSOLUTE_MODEL_ERROR",
    "LOG_MODEL_ERROR",
    "Population",
    "check_reach",
    "holds",
    "implied",
    "log_likelihood",
    "log_likelihoods",
    "model_error",
    "observation_draws",
    "out_of_reach_together",
    "prior_population",
    "reading_key",
    "reading_responsibilities",
    "scenarios_reached",
    "weighted_quantiles",
]
