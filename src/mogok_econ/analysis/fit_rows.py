"""What the calibration says of each observable: the implied value's quantiles before and after the fit,
and whether the observed range meets them (one row per observable, for `calibrate --json` and the
calibration report)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .observation import Population, holds, implied
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


def observable_rows(calib: Calibration, prior_implied: dict, each: dict) -> list[dict]:
    posterior, weights = _posterior_implied(calib)
    rows = []
    for o in calib.observables.values():
        prior_q, prior_holds = holds(o, prior_implied[o.id])
        post_q, post_holds = holds(o, posterior.get(o.id, prior_implied[o.id]), weights)
        low, high = o.interval
        rows.append({"id": o.id, "title": o.title, "quantity": o.quantity, "use": o.use, "unit": o.unit,
                     "scenarios": o.scenarios, "period": list(o.period),
                     "observed": {"low": low, "high": high, "median": o.median, "dist": o.dist, "text": o.describe()},
                     "source": list(o.sources), "grade": o.grade,
                     "prior": prior_q, "posterior": post_q, "holds_prior": prior_holds, "holds_posterior": post_holds,
                     "ess_alone": ess(each[o.id]) if o.id in each else None})
    return rows


__all__ = ["observable_rows"]
