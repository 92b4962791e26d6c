"""What the calibration says of each observable: the implied value's quantiles before and after the fit,
and whether the observed range meets them (one row per observable, for `calibrate --json` and the
calibration report)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..inputs.observables import Observable
from .observation import Population, holds, implied, reading_key, reading_responsibilities
from .smc import ess

if TYPE_CHECKING:  # calibration imports this module
    from .calibration import Calibration


def _posterior_implied(calib: Calibration) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    if calib.method != "tempered SMC":
        return {}, calib.weights
    n = calib.particles.n
    values = {name: calib.calibrated_parameters(s, n, calib.seed) for name, s in calib.scenarios.items()}
    population = Population(n, values, calib.observation_draws(n, calib.seed))
    return implied(list(calib.observables.values()), calib.scenarios, population), None


def _predictive(o: Observable, values: dict, weights: np.ndarray | None, posterior: bool
                ) -> tuple[np.ndarray, np.ndarray | None]:
    """The implied values of `o` and their weights. An observable with readings implies one value per
    reading: the predictive is their mixture, each reading weighted by its prior weight (before the fit) or,
    draw by draw, by its probability given the observation (after it), so that the table tests what the
    model predicts under the readings as weighed, not under the first reading alone."""
    if not o.readings:
        return values[o.id], weights
    base = np.full(len(values[o.id]), 1.0 / len(values[o.id])) if weights is None else weights
    found = reading_responsibilities(o, values) if posterior else {r.name: np.full(len(base), r.weight) for r in o.readings}
    return (np.concatenate([values[reading_key(o, r.name)] for r in o.readings]),
            np.concatenate([base * found[r.name] for r in o.readings]))


def observable_rows(calib: Calibration, prior_implied: dict, each: dict) -> list[dict]:
    posterior, weights = _posterior_implied(calib)
    rows = []
    for o in calib.observables.values():
        prior_q, prior_holds = holds(o, *_predictive(o, prior_implied, None, posterior=False))
        post_q, post_holds = holds(o, *_predictive(o, posterior or prior_implied, weights, posterior=True))
        low, high = o.interval
        rows.append({"id": o.id, "title": o.title, "quantity": o.quantity, "use": o.use, "unit": o.unit,
                     "scenarios": o.scenarios, "period": list(o.period),
                     "observed": {"low": low, "high": high, "median": o.median, "dist": o.dist, "text": o.describe()},
                     "source": list(o.sources), "grade": o.grade,
                     "prior": prior_q, "posterior": post_q, "holds_prior": prior_holds, "holds_posterior": post_holds,
                     "ess_alone": ess(each[o.id]) if o.id in each else None})
    return rows


__all__ = ["observable_rows"]
