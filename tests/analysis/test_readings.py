"""Readings (docs/model.md, "Readings"): an observable carried under more than one reading has the mixture
of their likelihoods; the data weigh the readings as Bayes' rule says (the weights recover the reading
that generated the data at the rate they advertise); the posterior is the weighted mixture of the
posteriors under each reading alone."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from mogok_econ.analysis.calibration import calibrate
from mogok_econ.analysis.monte_carlo import draw_parameters
from mogok_econ.analysis.observation import (
    Population,
    implied,
    log_likelihood,
    log_likelihoods,
    model_error,
    observation_draws,
    reading_key,
    reading_responsibilities,
    weighted_quantiles,
)
from mogok_econ.analysis.readings import given_reading
from mogok_econ.inputs.observables import Observable, Reading
from mogok_econ.inputs.scenarios import load_scenario
from tests.calibration_fixtures import FREE_SOURCE, calibration_data

Z90 = 1.6448536269514722
READINGS = (Reading("declared_sales", "national_gem_sales_usd", 0.5, "sales"),
            Reading("declared_production", "national_gem_production_usd", 0.5, "production"))


def _lognormal(id_: str, quantity: str, median: float, spread: float, readings=()) -> Observable:
    p5, p95 = median * np.exp(-Z90 * spread), median * np.exp(Z90 * spread)
    return Observable(id_, id_, quantity, {"base": 1.0}, ("2020-01", "2024-07"), float(p5), float(p95), "lognormal",
                      float(median), float(p5), float(p95), "USD per year", (FREE_SOURCE,),
                      "investigation with figures", "likelihood", "", "test", readings=tuple(readings))


def test_the_likelihood_of_an_observable_with_readings_is_the_weighted_sum_of_theirs():
    o = _lognormal("official", "national_gem_sales_usd", 3e8, 0.1, READINGS)
    values = {reading_key(o, "declared_sales"): np.array([1e8, 3e8, 6e8]),
              reading_key(o, "declared_production"): np.array([3e8, 2e8, 6e8])}
    single = {r.name: np.exp(log_likelihood(replace(o, readings=()), values[reading_key(o, r.name)])) for r in READINGS}
    mixed = np.exp(log_likelihoods([o], values)["official"])
    assert np.allclose(mixed, 0.5 * single["declared_sales"] + 0.5 * single["declared_production"])
    found = reading_responsibilities(o, values)
    assert np.allclose(found["declared_sales"] + found["declared_production"], 1.0)
    assert found["declared_sales"][0] < 0.01 < 0.99 < found["declared_production"][0]  # only production fits draw 0
    assert np.isclose(found["declared_sales"][2], 0.5)  # both fit draw 2 alike: the prior weights stand


def test_the_posterior_is_the_mixture_of_the_posteriors_under_each_reading(data_dir):
    """E[G] = Σ_k P(k | data) E[G | k, data]: the weighted posterior and the per-reading ones agree."""
    calibration_data(data_dir)
    calib = calibrate({"official": _lognormal("official", "national_gem_sales_usd", 1e8, 0.6, READINGS)},
                      draws=20_000, seed=3, world=data_dir.world)
    assert calib.method == "importance sampling"
    weights = {row["reading"]: row["posterior_weight"] for row in calib.readings}
    assert np.isclose(sum(weights.values()), 1.0)
    prior = draw_parameters(load_scenario("base", data=data_dir.root), calib.draws, calib.seed)["gross_value_usd"]
    mean = float(np.sum(calib.weights * prior))
    parts = {k: float(np.sum(given_reading(calib, "official", k).weights * prior)) for k in weights}
    assert np.isclose(mean, sum(weights[k] * parts[k] for k in weights), rtol=1e-9)
    assert parts["declared_sales"] != parts["declared_production"]


@pytest.mark.slow
def test_the_data_recover_the_reading_that_generated_them_at_the_advertised_rate(data_dir):
    """Simulation-based: a truth drawn from the prior, the reading drawn from its prior weights, an official
    figure simulated under that reading (and realised sales, which pin G·p·a·q as other observations do).
    The posterior weight of the true reading averages above its prior (the data inform), and the weights
    are calibrated: over the repetitions, the mean weight a reading gets is close to how often it was true."""
    calibration_data(data_dir)
    scenario = load_scenario("base", data=data_dir.root)
    rng = np.random.default_rng(11)
    true_weight, given_to_sales, sales_true, reps = [], [], 0, 60
    for rep in range(reps):
        values = draw_parameters(scenario, 1, 5000 + rep)
        truth = Population(1, {"base": values}, observation_draws(1, 5000 + rep, data_dir.root))
        template = _lognormal("official", "national_gem_sales_usd", 1.0, 0.05, READINGS)
        realised = _lognormal("realised", "realised_value_usd", 1.0, 0.05)
        true_values = implied([template, realised], {"base": scenario}, truth)
        reading = READINGS[int(rng.random() < 0.5)]
        sales_true += reading.name == "declared_sales"
        sd = np.hypot(0.05, model_error(template))
        official = float(true_values[reading_key(template, reading.name)][0]) * np.exp(sd * rng.standard_normal())
        sd_r = np.hypot(0.05, model_error(realised))
        observed_r = float(true_values["realised"][0]) * np.exp(sd_r * rng.standard_normal())
        calib = calibrate({"official": _lognormal("official", "national_gem_sales_usd", official, 0.05, READINGS),
                           "realised": _lognormal("realised", "realised_value_usd", observed_r, 0.05)},
                          draws=4000, seed=rep, world=data_dir.world)
        weights = {row["reading"]: row["posterior_weight"] for row in calib.readings}
        true_weight.append(weights[reading.name])
        given_to_sales.append(weights["declared_sales"])
    assert np.mean(true_weight) > 0.6, f"the true reading got {np.mean(true_weight):.0%} on average"
    # calibrated: the weight given to declared sales matches how often it was true (binomial sd about 6 points)
    assert abs(np.mean(given_to_sales) - sales_true / reps) < 0.15


def test_the_mixture_identity_holds_for_tempered_smc_too(data_dir):
    calibration_data(data_dir)
    calib = calibrate({"official": _lognormal("official", "national_gem_sales_usd", 2.5e8, 0.1, READINGS)},
                      draws=20_000, seed=3, world=data_dir.world)
    assert calib.method == "tempered SMC"
    g = np.asarray(calib.particles.values["base"]["gross_value_usd"])
    weights = {row["reading"]: row["posterior_weight"] for row in calib.readings}
    parts = {k: float(np.sum(given_reading(calib, "official", k).particle_weights * g)) for k in weights}
    assert np.isclose(float(np.mean(g)), sum(weights[k] * parts[k] for k in weights), rtol=1e-9)
    drawn = given_reading(calib, "official", "declared_production").calibrated_parameters("base", 2000, seed=1)
    assert len(drawn["gross_value_usd"]) == 2000


def test_calibrate_json_lists_every_reading_with_its_prior_and_posterior_weight():
    """The shipped data: the official figure's two readings and the structural readings of extortion (by value,
    per head), of who digs (a fixed count, open access) and of the junta's concessions (operated, leased), each
    pair's weights adding up to 1, before and
    after the fit. An identity, checked on the calibration every report uses (cached, computed once a run)."""
    from mogok_econ.analysis.calibration import calibration

    rows = calibration().to_dict()["readings"]
    by_what = {}
    for r in rows:
        by_what.setdefault(r.get("observable") or r["parameter"], []).append(r)
    assert set(by_what) == {"gw_official_gem_sector_2014_17", "extortion_per_head_share", "open_access_share",
                            "concessions_leased_share"}
    for pair in by_what.values():
        assert len(pair) == 2
        assert np.isclose(sum(r["prior_weight"] for r in pair), 1.0)
        assert np.isclose(sum(r["posterior_weight"] for r in pair), 1.0)
    assert {r["reading"] for r in by_what["extortion_per_head_share"]} == {"extortion by value", "extortion per head"}
    assert {r["reading"] for r in by_what["concessions_leased_share"]} == {"concessions operated", "concessions leased"}


def test_the_observables_table_tests_the_readings_mixture_not_the_first_reading_alone():
    """Sales imply 1e8 in every draw, production 3e8; observed 2.9e8-3.1e8. Before the fit the predictive is
    half each (P5 1e8, P95 3e8); after it, draw by draw, almost all weight is on production (P5 3e8)."""
    from mogok_econ.analysis.fit_rows import _predictive

    o = _lognormal("official", "national_gem_sales_usd", 3e8, 0.02, READINGS)
    n = 1000
    values = {"official": np.full(n, 1e8), reading_key(o, "declared_sales"): np.full(n, 1e8),
              reading_key(o, "declared_production"): np.full(n, 3e8)}
    before = weighted_quantiles(*_predictive(o, values, None, posterior=False))
    after = weighted_quantiles(*_predictive(o, values, None, posterior=True))
    assert before["p5"] == 1e8 and before["p95"] == 3e8
    assert after["p5"] == 3e8 and after["p95"] == 3e8
