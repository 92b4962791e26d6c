"""Calibration against what was observed (docs/model.md, "Calibration").

`calibrate()` weights the prior draws of every scenario by the likelihood of each observable with
`use: likelihood` (shared parameters such as G, and v, θ, ξ, are drawn once per draw for every scenario,
so evidence from one period reaches all), reports the effective sample size and Pareto-smoothed
importance sampling's k-hat (ArviZ), and, where k-hat > 0.7 or the ESS is below `ess_needed`, moves to
tempered sequential Monte Carlo (analysis/smc.py) instead of presenting a collapsed posterior.

What the reports call (each given the World whose observables and scenarios it fits):
- `calibration(draws, seed, world)`: the (cached) Calibration of the world's observables;
- `Calibration.calibrated_draws(scenario, draws, seed)`: like monte_carlo()'s, from the posterior, equal
  weights, seeded; `calibrated_parameters(...)` the draws of the parameters;
- `Calibration.to_dict()`: observables (observed, prior and posterior P5/P50/P95 of the implied value,
  holds or not), parameters (prior and posterior P5/P50/P95, reached, moved), ESS, k-hat, method.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, QUANTILE_LEVELS, REPORTED_QUANTILES
from ..core.recipient_draws import without_table_keys
from ..core.split import arrays_to_frame, split
from ..errors import InputError, Problem
from ..inputs import dependencies
from ..inputs.observables import Observable, load_observables, load_unobserved, reached_parameters
from ..inputs.scenarios import Scenario
from ..inputs.world import World, shipped_world
from .conversion import model_inputs
from .fit_rows import observable_rows
from .loo import LOO_FLAG, LOO_KHAT_LIMIT, loo_rows
from .monte_carlo import prior_parameters, stream
from .observation import (
    Population,
    check_reach,
    implied,
    log_likelihoods,
    out_of_reach_together,
    prior_population,
    scenarios_reached,
    weighted_quantiles,
)
from .readings import reading_weights, structural_rows
from .smc import OBSERVATION, SHARED, SMC_PARTICLES, LatentSpace, ess, psis_khat, systematic_resample, tempered_smc

#: Importance sampling is trusted where PSIS k-hat is at most this (Vehtari et al., 2024).
KHAT_LIMIT = 0.7
#: ... and the effective sample size is at least this many draws (or a tenth of the draws, for small
#: runs): enough for a posterior 90% interval whose ends move by about 1% of the prior's width between
#: seeds. Below it, tempered SMC.
MIN_ESS = 1_000
MIN_ESS_SHARE = 0.1
#: A parameter "moved" where its posterior 90% interval is more than 10% narrower than the prior's, or
#: its median moved by more than 10% of the prior's 90% width.
MOVED_SHARE = 0.10


LOO_CRITERION = (f"leave-one-out: loo_score is exp(elpd_loo), how well the posterior fitted to the other observations "
                 f"predicts this one (1: perfectly); flagged below {LOO_FLAG} or where Pareto k exceeds {LOO_KHAT_LIMIT}")


def ess_needed(draws: int) -> float:
    return min(MIN_ESS, MIN_ESS_SHARE * draws)


@dataclass
class Calibration:
    observables: dict[str, Observable]
    scenarios: dict[str, Scenario]          # every scenario some observable reaches
    draws: int                              # prior draws
    seed: int
    method: str                             # "prior", "importance sampling" or "tempered SMC"
    ess: float
    khat: float | None
    weights: np.ndarray | None = None       # importance sampling: normalised, one per prior draw
    particles: Population | None = None     # tempered SMC: the posterior's particles (equal weight)
    particle_weights: np.ndarray | None = None  # SMC given one reading (readings.given_reading): else equal
    space: LatentSpace | None = None
    stages: list[dict] = field(default_factory=list)
    observable_rows: list[dict] = field(default_factory=list)
    readings: list[dict] = field(default_factory=list)  # each reading's prior and posterior weight (readings.py)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reasons: dict[str, str] = field(default_factory=dict)  # scenario -> why no observation reaches it (data)
    loo: list[dict] = field(default_factory=list)          # leave-one-out checks (analysis/loo.py)
    _central: dict = field(default_factory=dict, repr=False)  # central_values, per scenario
    world: World | None = None              # the data it was fitted to (None: the shipped data)

    @property
    def data_world(self) -> World:
        return self.world or shipped_world()

    # --- the posterior draws ----------------------------------------------------------------------
    def _index(self, draws: int, seed: int) -> np.ndarray:
        rng = stream(seed, "<calibrated>")
        if self.method == "tempered SMC":
            w = self.particle_weights if self.particle_weights is not None else np.ones(self.particles.n)
            index = systematic_resample(rng, w, draws)
        else:
            w = self.weights if self.weights is not None else np.ones(self.draws)
            index = systematic_resample(rng, w, draws)
        return rng.permutation(index)

    def calibrated_parameters(self, scenario: str | Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
                              ) -> dict[str, np.ndarray | float]:
        """`draws` equal-weight posterior draws of the scenario's parameters (draw_parameters' form).
        Draw i of every scenario shares G, the days, the rates' quantile and v, θ, ξ. A scenario changed
        from the one calibrated (a report's override, a lever) is drawn from its own prior for its own
        parameters, reweighted (importance sampling) or paired (SMC) with the posterior's shared draws."""
        s = self.data_world.scenario(scenario) if isinstance(scenario, str) else scenario
        index = self._index(draws, seed)
        if self.method != "tempered SMC":
            base = prior_parameters(s, self.draws, self.seed)
            return {k: v[index] if isinstance(v, np.ndarray) else v for k, v in base.items()}
        if s.name in self.particles.values and s == self.scenarios.get(s.name):
            return {k: v[index] if isinstance(v, np.ndarray) else v for k, v in self.particles.values[s.name].items()}
        base = prior_parameters(s, draws, self.seed)  # no observable reaches its own parameters: their prior
        for c in self.space.coords:
            if c.owner == SHARED and (c.key == "market_rate_quantile" or c.key in s.shared):
                base[c.key] = self.space._read(self.particles, c)[index]
        return base

    def calibrated_draws(self, scenario: str | Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
                         ) -> pd.DataFrame:
        """Like monte_carlo(scenario, draws, seed), from the posterior: one row per draw."""
        s = self.data_world.scenario(scenario) if isinstance(scenario, str) else scenario
        values = self.calibrated_parameters(s, draws, seed)
        frame = arrays_to_frame(split(model_inputs(s, values, values.pop("market_rate_quantile")), s.recipients,
                                      pit=False))
        if len(frame) != draws:
            frame = pd.DataFrame(np.repeat(frame.to_numpy(), draws, axis=0), columns=frame.columns)
        return frame

    def central_values(self, scenario: Scenario) -> dict[str, float]:
        """Each parameter of the scenario at its posterior median (fixed ones as they are): the central
        estimate of a calibrated report is the model at these values. Drawn recipients tables are left out:
        the central estimate takes their stated shares."""
        key = (scenario.name, repr(sorted((k, p.distribution) for k, p in scenario.parameters.items())),
               repr(sorted(scenario.recipients.items())), repr(sorted(scenario.recipient_concentration.items())))
        if key not in self._central:
            values = without_table_keys(self.calibrated_parameters(scenario, self.draws, self.seed))
            values.pop("market_rate_quantile", None)
            # the drawn recipients tables stay at their stated shares (medians of shares need not add up to 1)
            self._central[key] = {k: float(np.median(v)) if isinstance(v, np.ndarray) else v for k, v in values.items()}
        return dict(self._central[key])

    @property
    def fingerprint(self) -> str:
        """What identifies this posterior (for caches): its method, draws, seed and weights or particles."""
        import hashlib
        h = hashlib.sha256(repr((self.method, self.draws, self.seed)).encode())
        if self.weights is not None:
            h.update(np.ascontiguousarray(self.weights).tobytes())
        if self.particle_weights is not None:
            h.update(np.ascontiguousarray(self.particle_weights).tobytes())
        if self.particles is not None:
            for name in sorted(self.particles.values):
                h.update(repr(sorted((k, np.asarray(v).tobytes()) for k, v in self.particles.values[name].items())).encode())
        return h.hexdigest()[:32]

    @cached_property
    def digest(self) -> str:
        """What a report drawn from this calibration depends on, hashed: the posterior (fingerprint), the
        observables, what the fit says of them, its diagnostics and warnings (not the time it took)."""
        import hashlib
        content = repr((self.fingerprint, sorted(self.observables.items()), self.ess, self.khat, self.stages,
                        self.observable_rows, self.readings, self.warnings, self.loo, self.reasons))
        return hashlib.sha256(content.encode()).hexdigest()[:32]

    def observation_draws(self, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> dict[str, np.ndarray | float]:
        """The posterior draws of v, θ and ξ, aligned with calibrated_parameters'."""
        index = self._index(draws, seed)
        if self.method == "tempered SMC":
            source = self.particles.observation
        else:
            from .observation import observation_draws
            source = observation_draws(self.draws, self.seed, self.data_world.folder)
        return {k: v[index] if isinstance(v, np.ndarray) else v for k, v in source.items()}

    # --- summaries --------------------------------------------------------------------------------
    def parameter_table(self, scenarios: list[str] | None = None) -> pd.DataFrame:
        """One row per uncertain parameter (shared, observation, then each scenario's own): prior and
        posterior P5/P50/P95, whether an observable in the likelihood reaches it, whether it moved."""
        world = self.data_world
        names = scenarios or list(dict.fromkeys([*_timeline_scenarios(world), *self.scenarios]))
        reached = reached_parameters(self.observables.values())
        rows = []
        coords = [(SHARED, k, p.distribution) for k, p in world.shared.items() if p.distribution.uncertain]
        coords += [(OBSERVATION, k, p.distribution) for k, p in world.observation_parameters.items()
                   if p.distribution.uncertain]
        for name in names:
            s = self.scenarios.get(name) or world.scenario(name)
            coords += [(name, k, s.parameters[k].distribution) for k in s.uncertain_parameters() if k not in s.shared]
        posterior_cache: dict[str, dict] = {}
        for owner, key, dist in coords:
            prior = dict(zip(REPORTED_QUANTILES, map(float, dist.ppf(np.array(QUANTILE_LEVELS)))))
            is_reached = self.method != "prior" and (
                key in reached.get(owner, set())
                or (owner == OBSERVATION and any(key in r for r in reached.values()))
                or (owner == SHARED and any(key in r and key in self.scenarios[n].shared for n, r in reached.items())))
            post = self._posterior_quantiles(owner, key, posterior_cache) if is_reached else prior
            width = prior["p95"] - prior["p5"]
            moved = is_reached and width > 0 and (
                (post["p95"] - post["p5"]) < (1 - MOVED_SHARE) * width or abs(post["p50"] - prior["p50"]) > MOVED_SHARE * width)
            rows.append({"owner": owner.strip("<>"), "parameter": key, **{f"prior_{k}": v for k, v in prior.items()},
                         **{f"posterior_{k}": v for k, v in post.items()}, "reached": bool(is_reached), "moved": bool(moved)})
        return pd.DataFrame(rows)

    def _posterior_quantiles(self, owner: str, key: str, cache_: dict) -> dict[str, float]:
        if self.method == "tempered SMC":
            if owner == OBSERVATION:
                values = self.particles.observation[key]
            elif owner == SHARED:
                values = next(self.space._read(self.particles, c) for c in self.space.coords
                              if c.owner == SHARED and c.key == key)
            else:
                values = self.particles.values[owner][key]
            return weighted_quantiles(np.broadcast_to(values, (self.particles.n,)))
        if owner not in cache_:
            if owner == OBSERVATION:
                from .observation import observation_draws
                cache_[owner] = observation_draws(self.draws, self.seed, self.data_world.folder)
            else:
                name = owner if owner != SHARED else next(n for n, s in self.scenarios.items() if key in s.shared)
                s = self.scenarios.get(name) or self.data_world.scenario(name)
                cache_[owner] = prior_parameters(s, self.draws, self.seed)
        keep = self.weights > self.weights.max() * 1e-12  # draws that carry weight: fewer to sort
        values = np.broadcast_to(cache_[owner][key], (self.draws,))
        return weighted_quantiles(values[keep], self.weights[keep])

    def observable_table(self) -> pd.DataFrame:
        """One row per observable (index: its id): title, use, sources, grade, observed, the implied value's
        prior and posterior P5/P50/P95, and whether the observed interval meets each 90% interval."""
        rows = [{"id": r["id"], "title": r["title"], "use": r["use"], "source": ", ".join(r["source"]),
                 "grade": r["grade"], "observed": r["observed"]["text"], "unit": r["unit"],
                 **{f"prior_{k}": v for k, v in r["prior"].items()}, **{f"posterior_{k}": v for k, v in r["posterior"].items()},
                 "holds_prior": r["holds_prior"], "holds_posterior": r["holds_posterior"]} for r in self.observable_rows]
        return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()

    def unreached_scenarios(self, scenarios: list[str] | None = None) -> list[str]:
        """The scenarios (default: the timeline's and those observed) none of whose own parameters an
        observable in the likelihood reaches: their posterior is their prior, but for the shared draws."""
        reached = reached_parameters(self.observables.values()) if self.method != "prior" else {}
        names = scenarios or list(dict.fromkeys([*_timeline_scenarios(self.data_world), *self.scenarios]))
        return [n for n in names if not reached.get(n)]

    def to_dict(self, scenarios: list[str] | None = None) -> dict:
        """The JSON of `mogok-econ calibrate --json`."""
        table = self.parameter_table(scenarios)
        return {
            "draws": self.draws, "seed": self.seed, "method": self.method, "ess": self.ess,
            "khat": self.khat if self.khat is not None and np.isfinite(self.khat) else None,
            "ess_needed": ess_needed(self.draws), "khat_limit": KHAT_LIMIT, "seconds": self.seconds,
            "smc_stages": self.stages, "warnings": self.warnings,
            "observables": self.observable_rows,
            "readings": self.readings + structural_rows(self),
            "parameters": table.to_dict(orient="records"),
            "moved": [f"{r['owner']}.{r['parameter']}" for r in table.to_dict(orient="records") if r["moved"]],
            "unreached_scenarios": self.unreached_scenarios(scenarios),
            "unreached_reasons": {n: self.reasons[n] for n in self.unreached_scenarios(scenarios) if n in self.reasons},
            "loo": self.loo,
            "criteria": {"holds": "the observed interval meets the model's 90% interval of the implied value",
                         "moved": f"the posterior 90% interval is more than {MOVED_SHARE:.0%} narrower than the prior's, "
                                  f"or its median moved by more than {MOVED_SHARE:.0%} of the prior's 90% width",
                         "loo": LOO_CRITERION},
        }


def _timeline_scenarios(world: World) -> list[str]:
    """The timeline's scenarios (none where the data folder has no timeline)."""
    return world.timeline.scenarios() if world.has_timeline else []


def calibrate(observables: dict[str, Observable] | None = None, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
              path: Path | None = None, world: World | None = None) -> Calibration:
    """The posterior given the observables (default: the observables.yaml of `world`'s data folder, or
    `path`; world None: the shipped data). Raises InputError where an observable is out of the prior's
    reach on its own (no draw comes near it: ESS 0); observations that no draw meets together go to
    tempered SMC, with a warning."""
    started = time.perf_counter()
    world = world or shipped_world()
    reasons = load_unobserved(path, world.folder) if observables is None else {}
    observables = observables if observables is not None else load_observables(path, world.folder)
    scenarios = {name: world.scenario(name) for name in scenarios_reached(observables.values())}
    in_likelihood = [o for o in observables.values() if o.use == "likelihood"]
    population = prior_population(scenarios, draws, seed, world.folder)
    prior_implied = implied(list(observables.values()), scenarios, population)
    del population
    each = log_likelihoods(in_likelihood, prior_implied)
    check_reach(in_likelihood, each, prior_implied, draws)
    total = sum(each.values()) if each else np.zeros(draws)
    calib = Calibration(observables, scenarios, draws, seed, "prior", ess(total), None, reasons=reasons, world=world)
    needed = ess_needed(draws)
    if in_likelihood:
        smoothed, calib.khat = psis_khat(total)
        if calib.khat <= KHAT_LIMIT and calib.ess >= needed:
            calib.method = "importance sampling"
            w = np.exp(smoothed - smoothed.max())
            calib.weights = w / w.sum()
        else:
            _run_smc(calib, in_likelihood, seed)
    for o in in_likelihood:
        alone = ess(each[o.id])
        if alone < needed:
            calib.warnings.append(f"{o.id}: the observation lies in the tail of the prior: on its own it leaves an "
                                  f"effective sample of {alone:,.0f} of {draws:,} prior draws (needed: {needed:,.0f}).")
    if out_of_reach_together(each):
        calib.warnings.append(f"none of the {draws:,} prior draws comes near all the observations together (each is "
                              "within reach alone): tempered SMC reached them; the leave-one-out checks show whether "
                              "one contradicts the others.")
    if in_likelihood and calib.ess < needed:
        calib.warnings.append(f"importance sampling's effective sample is {calib.ess:,.0f} of {draws:,} draws "
                              f"(k-hat {calib.khat:.2f}); the posterior comes from tempered SMC instead.")
    calib.observable_rows = observable_rows(calib, prior_implied, each)
    calib.readings = reading_weights(calib, in_likelihood, prior_implied)
    calib.loo = loo_rows(calib, each)
    calib.seconds = time.perf_counter() - started
    return calib


def _run_smc(calib: Calibration, in_likelihood: list[Observable], seed: int) -> None:
    touched = {name: calib.scenarios[name] for name in scenarios_reached(in_likelihood)}
    n = min(calib.draws, SMC_PARTICLES)
    space = LatentSpace(touched, calib.data_world.folder)
    start = prior_population(touched, n, seed, calib.data_world.folder)

    def loglik(pop: Population) -> np.ndarray:
        values = implied(in_likelihood, touched, pop)
        return sum(log_likelihoods(in_likelihood, values).values())

    try:
        calib.particles, calib.stages = tempered_smc(space, start, loglik, stream(seed, "<smc>"))
    except RuntimeError as exc:  # the observations pull too far from the prior for the tempering to reach them
        first = in_likelihood[0]
        raise InputError(Problem(first.file, "observables", [o.id for o in in_likelihood],
                                 f"{exc}: the observations lie too far from the prior together; check their values "
                                 "and units, or widen the priors they depend on (with sources).")) from None
    calib.space = space
    calib.method = "tempered SMC"


@cache
def _cached(draws: int, seed: int, world: World, inputs_digest: str) -> Calibration:
    # kept in this process, and on disk for the other reports of a build (drawn from the priors, whatever
    # posterior is in use)
    from .cache import cached_result

    return cached_result("calibration", (draws, seed), lambda: calibrate(draws=draws, seed=seed, world=world),
                         inputs=dependencies.calibration(world), world=world)


def calibration(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, world: World | None = None) -> Calibration:
    """The calibration of the data folder's observables, cached per draws, seed and the content of the files
    it reads (inputs/dependencies.py: the observables, the timeline, the scenarios they name): an edit to a
    scenario no observation names leaves it, and what was drawn from it, the same."""
    world = world or shipped_world()
    return _cached(draws, seed, world, dependencies.digest(dependencies.calibration(world), world))


def calibrated_draws(scenario: str | Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
                     world: World | None = None) -> pd.DataFrame:
    """Shorthand for the reports: calibration(draws, seed, world).calibrated_draws(scenario, draws, seed)."""
    return calibration(draws, seed, world).calibrated_draws(scenario, draws, seed)


def posterior_for(calibrated: bool = True, seed: int = DEFAULT_SEED, world: World | None = None) -> Calibration | None:
    """The posterior an analysis draws from: the calibration of the observables of `world`'s data folder (its
    prior draws: DEFAULT_DRAWS with `seed`) if `calibrated`, else None (the priors). Hand it to the analysis."""
    return calibration(DEFAULT_DRAWS, seed, world) if calibrated else None


__all__ = ["KHAT_LIMIT", "MIN_ESS", "Calibration", "calibrate", "calibrated_draws", "calibration", "ess_needed",
           "posterior_for"]
