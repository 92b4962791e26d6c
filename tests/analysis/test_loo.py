"""Leave-one-out checks (analysis/loo.py): worked by hand, and an observation that conflicts with the
others is the one flagged."""
from __future__ import annotations

import numpy as np
import pytest

from mogok_econ.analysis.calibration import calibrate
from mogok_econ.analysis.loo import LOO_FLAG, loo_from_posterior, loo_from_prior, worst
from mogok_econ.inputs.observables import Observable
from tests.calibration_fixtures import FREE_SOURCE, calibration_data

Z90 = 1.6448536269514722


def test_loo_from_the_prior_by_hand():
    """Draws where observation a's likelihood is 1 or 0.5 (half each) and b's is 1 everywhere: without a,
    the posterior is the prior, so a's predictive is the mean, 0.75; without b it is a's posterior, under
    which b's likelihood is still 1."""
    la = np.log(np.tile([1.0, 0.5], 500))
    lb = np.zeros(1000)
    out = loo_from_prior({"a": la, "b": lb})
    assert out["a"]["loo_score"] == pytest.approx(0.75) and out["a"]["elpd_loo"] == pytest.approx(np.log(0.75))
    assert out["a"]["pareto_k"] is None  # equal weights: nothing to smooth
    assert out["b"]["loo_score"] == pytest.approx(1.0)


def test_loo_from_posterior_draws_by_hand():
    """Equally weighted posterior draws, likelihood 1 or 0.5: reweighting by 1/L gives the draws at 0.5
    twice the weight, so the predictive is (1 + 2 x 0.5) / 3 = 2/3 (the harmonic mean of L)."""
    ll = np.log(np.tile([1.0, 0.5], 2000))
    out = loo_from_posterior({"a": ll})
    assert out["a"]["loo_score"] == pytest.approx(2 / 3, rel=1e-3)
    rng = np.random.default_rng(1)  # a smooth spread of likelihoods: a tail to fit, and a light one
    smooth = loo_from_posterior({"a": np.log(rng.uniform(0.5, 1.0, 4000))})["a"]
    assert smooth["pareto_k"] is not None and smooth["pareto_k"] < 0.7
    assert smooth["loo_score"] == pytest.approx(0.5 / np.log(2), rel=0.02)  # the harmonic mean of U(0.5, 1)


def _sales(id_: str, median: float, spread: float = 0.05) -> Observable:
    p5, p95 = median * np.exp(-Z90 * spread), median * np.exp(Z90 * spread)
    return Observable(id_, id_, "realised_value_usd", {"base": 1.0}, ("2020-01", "2024-07"), p5, p95, "lognormal",
                      median, p5, p95, "USD per year", (FREE_SOURCE,), "investigation with figures", "likelihood",
                      "", "test")


def test_the_observation_that_conflicts_with_the_others_is_flagged(data_dir):
    """Three observations of the same sales: two agree, the third says 60% more. Fitted to the
    two that agree, the model cannot predict the third; each of the two is still predicted by the other."""
    calibration_data(data_dir)
    prior = calibrate({"x": _sales("x", 2e8)}, draws=20_000, seed=2, world=data_dir.world)
    centre = prior.to_dict()["observables"][0]["prior"]["p50"]  # the prior's own central sales
    observables = {"a": _sales("a", centre), "b": _sales("b", centre * 1.05), "odd": _sales("odd", centre * 1.6)}
    calib = calibrate(observables, draws=20_000, seed=2, world=data_dir.world)
    rows = {r["id"]: r for r in calib.to_dict()["loo"]}
    assert worst(calib.loo)["id"] == "odd"
    assert rows["odd"]["flagged"] and rows["odd"]["loo_score"] < LOO_FLAG
    assert not rows["a"]["flagged"] and not rows["b"]["flagged"]
    assert rows["a"]["loo_score"] > 10 * rows["odd"]["loo_score"]
    # the others make it worse predicted than the priors alone did: it is the evidence that disagrees
    assert rows["odd"]["loo_score"] < rows["odd"]["prior_score"]
