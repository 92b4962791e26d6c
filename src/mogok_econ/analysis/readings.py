"""Readings: where the evidence cannot settle what an observation measures, each alternative is carried as
a named reading with a prior weight, and the calibration weighs them by how well each predicts the
observations (docs/model.md, "Readings").

The reading is a discrete unknown beside the parameters: the likelihood of an observable with readings is
the mixture of its readings' likelihoods (observation.log_likelihoods), so a posterior draw's probability
of reading k is its responsibility π_k L_k / Σ_j π_j L_j, and the reading's posterior weight is the
posterior mean of that responsibility. Its ratio to the prior weight is the ratio of the reading's marginal
likelihood to the average's (Bayesian model averaging). `given_reading` is the posterior under one reading
alone: the same draws, weighted by the responsibility, so every headline can be shown per reading beside
the weighted one.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..inputs import dependencies
from ..inputs.observables import Observable
from .observation import implied, prior_population, reading_responsibilities

if TYPE_CHECKING:  # calibration imports this module
    from ..inputs.world import World
    from .calibration import Calibration


def _responsibilities(calib: Calibration, o: Observable, prior_implied: dict | None = None) -> dict[str, np.ndarray]:
    """Each reading's probability for every posterior draw: per SMC particle, or per prior draw (importance
    sampling: `prior_implied`, the calibration's implied values, or where not given the same prior draws
    drawn again)."""
    touched = {name: calib.scenarios[name] for name in o.scenarios}
    if calib.method == "tempered SMC":
        return reading_responsibilities(o, implied([o], touched, calib.particles))
    if prior_implied is None:
        prior_implied = implied([o], touched, prior_population(touched, calib.draws, calib.seed, calib.data_world.folder))
    return reading_responsibilities(o, prior_implied)


def _posterior_mean(calib: Calibration, values: np.ndarray) -> float:
    if calib.method == "tempered SMC":
        return float(np.mean(values))
    weights = calib.weights if calib.weights is not None else np.full(calib.draws, 1 / calib.draws)
    return float(np.sum(weights * values))


def reading_weights(calib: Calibration, in_likelihood: list[Observable], prior_implied: dict) -> list[dict]:
    """One row per reading of every observable in the likelihood that has readings: its quantity, prior
    weight and posterior weight (the data's verdict), and the Bayes factor against the other readings."""
    rows = []
    for o in in_likelihood:
        if not o.readings:
            continue
        found = _responsibilities(calib, o, prior_implied)
        posterior = {r.name: _posterior_mean(calib, found[r.name]) for r in o.readings}
        for r in o.readings:
            rest_prior, rest_posterior = 1 - r.weight, 1 - posterior[r.name]
            odds = (posterior[r.name] / rest_posterior) / (r.weight / rest_prior) if rest_posterior > 0 else float("inf")
            rows.append({"observable": o.id, "reading": r.name, "quantity": r.quantity, "prior_weight": r.weight,
                         "posterior_weight": posterior[r.name], "bayes_factor": odds, "note": r.note})
    return rows


def given_reading(calib: Calibration, observable: str, reading: str) -> Calibration:
    """The posterior had `observable` been read only as `reading`: the same draws, each weighted by the
    reading's probability given it. A separate Calibration (its own fingerprint), for the headline under
    that reading."""
    o = calib.observables[observable]
    if reading not in [r.name for r in o.readings]:
        raise ValueError(f"{observable} has no reading {reading!r} (it has: {', '.join(r.name for r in o.readings)})")
    found = _responsibilities(calib, o)
    warnings = [*calib.warnings, f"given the reading {observable}: {reading}"]
    if calib.method == "tempered SMC":
        return replace(calib, particle_weights=found[reading] / found[reading].sum(), _central={}, readings=[],
                       observable_rows=[], warnings=warnings)
    base = calib.weights if calib.weights is not None else np.full(calib.draws, 1 / calib.draws)
    weights = base * found[reading]
    return replace(calib, weights=weights / weights.sum(), _central={}, readings=[], observable_rows=[],
                   warnings=warnings)


def readings_of(calib: Calibration) -> list[tuple[str, str]]:
    """(observable, reading) for every reading the calibration weighed, in order."""
    return [(row["observable"], row["reading"]) for row in calib.readings]


#: The headline quantities shown under each reading (docs/model.md, "Readings").
HEADLINE_COLUMNS = ("junta_since_coup", "junta_since_coup_p5", "junta_since_coup_p95", "junta_now",
                    "tnla_under_tnla", "hand_miner_income_now")
#: The scenario in which the TNLA's take is shown (it held Mogok then).
TNLA_SCENARIO = "tnla_control"
#: Structural readings carried as a shared parameter in the model (data/shared.yaml): its name, and the
#: value that is each reading alone. The weighted results draw it from its posterior.
STRUCTURAL_READINGS: dict[str, dict[str, float]] = {
    "extortion_per_head_share": {"extortion by value": 0.0, "extortion per head": 1.0},
    "open_access_share": {"a fixed count of hand-miners": 0.0, "open access to hand-mining": 1.0},
    "concessions_leased_share": {"concessions operated": 0.0, "concessions leased": 1.0},
}


#: The draws behind each reading's interval (the junta's take since the coup, P5-P95) in the readings table:
#: each reading alone is a whole month-by-month run, and a table of a dozen at the reports' 100,000 draws
#: cost about three minutes. A point estimate does not depend on the draws; an interval's ends moved by at
#: most 0.6% between 20,000 and 100,000 draws (docs/model.md, "Readings"). The weighted row is the reports'
#: own run, at their draws.
READING_DRAWS = 20_000


def _headline(world: World, posterior: Calibration | None, draws: int, seed: int,
              overrides: dict | None = None, flows=None) -> dict[str, float]:
    """The headlines under `posterior` with `overrides` fixed; the running totals from `flows` where given
    (the reports' month-by-month run), else from a run of `draws` draws."""
    from ..inputs.timeline import COUP
    from .estimates import estimate_at
    from .monte_carlo import central_values
    from .monthly_flows import timeline_results

    fixed = overrides or {}
    flows = flows or timeline_results(draws, seed, posterior=posterior, world=world, overrides=fixed)
    since = flows.cumulative("junta", COUP).iloc[-1]

    def at_centre(name: str):
        s = world.scenario(name)
        return estimate_at(s, {**central_values(s, posterior), **fixed})

    now, tnla = at_centre(world.timeline.current_scenario), at_centre(TNLA_SCENARIO)
    return {"junta_since_coup": float(since["point"]), "junta_since_coup_p5": float(since["p5"]),
            "junta_since_coup_p95": float(since["p95"]), "junta_now": float(now.flows_usd["junta"]),
            "tnla_under_tnla": float(tnla.flows_usd["tnla"]),
            "hand_miner_income_now": float(now.hand_miner_income_usd_per_month)}


def structural_weights(world: World, calib: Calibration | None, draws: int, seed: int) -> dict[str, dict[str, float]]:
    """Each structural reading's weight: the mean of its parameter (prior: `calib` None; else posterior)
    for the reading at 1, one minus it for the reading at 0 (the share of the way from one structure to the
    other; docs/model.md, "Readings")."""
    from .monte_carlo import draw_parameters

    scenario = world.scenario(world.timeline.current_scenario)
    out = {}
    for parameter, readings in STRUCTURAL_READINGS.items():
        mean = float(np.mean(draw_parameters(scenario, draws, seed, calib)[parameter]))
        out[parameter] = {name: mean if at == 1.0 else 1 - mean for name, at in readings.items()}
    return out


def structural_rows(calib: Calibration) -> list[dict]:
    """The structural readings as rows like reading_weights' (for `calibrate --json`): each reading's value
    of its parameter and its prior and posterior weight, from the calibration's own draws and seed."""
    world = calib.data_world
    if not world.has_timeline:
        return []
    prior = structural_weights(world, None, calib.draws, calib.seed)
    posterior = structural_weights(world, calib, calib.draws, calib.seed)
    return [{"parameter": parameter, "reading": name, "value": at, "prior_weight": prior[parameter][name],
             "posterior_weight": posterior[parameter][name]}
            for parameter, readings in STRUCTURAL_READINGS.items() for name, at in readings.items()]


def reading_headlines(calib: Calibration, draws: int, seed: int) -> pd.DataFrame:
    """The headlines (HEADLINE_COLUMNS, USD; incomes USD a month) from the priors, under each reading alone
    (of an observation, or of the model's structure) and weighted by the data (the calibration as it is:
    what every report shows), with each one's prior and posterior weight. Rows: "prior", "observable:
    reading" for each observation's reading, "parameter: reading" for each structural one, "weighted".
    The world is the calibration's (its data folder)."""
    from .cache import cached_result
    from .monthly_flows import cached_timeline_results

    world = calib.data_world

    def compute() -> pd.DataFrame:
        few = min(draws, READING_DRAWS)
        rows = {"prior": {**_headline(world, None, few, seed), "prior_weight": np.nan, "posterior_weight": np.nan}}
        for row in calib.readings:
            given = given_reading(calib, row["observable"], row["reading"])
            rows[f"{row['observable']}: {row['reading']}"] = {
                **_headline(world, given, few, seed), "prior_weight": row["prior_weight"],
                "posterior_weight": row["posterior_weight"]}
        prior, posterior = structural_weights(world, None, draws, seed), structural_weights(world, calib, draws, seed)
        for parameter, readings in STRUCTURAL_READINGS.items():
            for name, at in readings.items():
                rows[f"{parameter}: {name}"] = {**_headline(world, calib, few, seed, {parameter: at}),
                                                "prior_weight": prior[parameter][name],
                                                "posterior_weight": posterior[parameter][name]}
        reports = cached_timeline_results(draws, seed, calib, world)  # what every report shows
        rows["weighted"] = {**_headline(world, calib, draws, seed, flows=reports), "prior_weight": 1.0,
                            "posterior_weight": 1.0}
        return pd.DataFrame.from_dict(rows, orient="index")

    return cached_result("reading_headlines", (draws, seed, calib.digest), compute,
                         inputs=dependencies.calibration(world) + dependencies.timeline(world), posterior=calib,
                         world=world)


__all__ = ["HEADLINE_COLUMNS", "STRUCTURAL_READINGS", "given_reading", "reading_headlines", "reading_weights",
           "readings_of", "structural_rows", "structural_weights"]
