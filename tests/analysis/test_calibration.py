"""The calibration finds the truth (simulation-based calibration), says when an observation is in the
prior's tail, refuses one out of reach, and gives posterior draws shaped like monte_carlo's."""
from __future__ import annotations

import os

import numpy as np
import pytest

from mogok_econ import InputError
from mogok_econ.analysis.calibration import calibrate
from mogok_econ.analysis.monte_carlo import draw_parameters, monte_carlo
from mogok_econ.analysis.observation import Population, implied, model_error, observation_draws
from mogok_econ.inputs.observables import Observable
from mogok_econ.inputs.scenarios import load_scenario
from tests.calibration_fixtures import FREE_SOURCE, calibration_data

Z90 = 1.6448536269514722


def _observable(id_, quantity, median, spread, dist="lognormal", **extra) -> Observable:
    if dist == "lognormal":
        p5, p95 = median * np.exp(-Z90 * spread), median * np.exp(Z90 * spread)
    else:
        p5, p95 = median - Z90 * spread, median + Z90 * spread
    return Observable(id_, id_, quantity, {"base": 1.0}, ("2020-01", "2024-07"), float(p5), float(p95), dist,
                      float(median), float(p5), float(p95),
                      "unit", (FREE_SOURCE,), "investigation with figures", "likelihood", "", "test", **extra)


def _truth(data, seed: int):
    scenario = load_scenario("base", data=data)
    values = draw_parameters(scenario, 1, seed)
    return scenario, Population(1, {"base": values}, observation_draws(1, seed, data))


CHECKED = ("gross_value_usd", "market_access", "price_factor", "extortion_rate")


@pytest.mark.slow
def test_the_posterior_covers_the_truth_at_its_advertised_rate(data_dir):
    """Simulation-based calibration: truths drawn from the prior, observations simulated from the same
    observation model the likelihood assumes, 90% central posterior intervals that must cover the truth
    about 90% of the time (binomial: 50 repetitions x 4 parameters, sd about 2 points), and be narrower
    than the prior's (which would cover at the same rate)."""
    calibration_data(data_dir)
    covered, total, narrowing = 0, 0, []
    rng = np.random.default_rng(7)
    prior = draw_parameters(load_scenario("base", data=data_dir.root), 20_000, 99)
    prior_width = {k: np.subtract(*np.quantile(prior[k], [0.95, 0.05])) for k in CHECKED}
    for rep in range(50):
        scenario, truth = _truth(data_dir.root, 1000 + rep)
        spread = {"realised": 0.05, "recorded": 0.05, "extortion": 0.01}
        templates = [_observable("realised", "realised_value_usd", 1.0, spread["realised"]),
                     _observable("national", "national_gem_sales_usd", 1.0, spread["recorded"]),
                     _observable("extortion", "parameter_value", 0.5, spread["extortion"], dist="normal",
                                 parameter="extortion_rate")]
        true_values = implied(templates, {"base": scenario}, truth)
        observables = {}
        for o in templates:
            y = float(true_values[o.id][0])
            if o.dist == "lognormal":
                sd = np.hypot(spread[o.id if o.id != "national" else "recorded"], model_error(o))
                median = y * np.exp(sd * rng.standard_normal())
                observables[o.id] = _observable(o.id, o.quantity, median, spread[o.id if o.id != "national" else "recorded"])
            else:
                sd = np.hypot(spread["extortion"], model_error(o))
                observables[o.id] = _observable(o.id, o.quantity, y + sd * rng.standard_normal(), spread["extortion"],
                                                dist="normal", parameter="extortion_rate")
        calib = calibrate(observables, draws=3000, seed=rep, world=data_dir.world)
        post = calib.calibrated_parameters("base", 3000, seed=rep)
        for key in CHECKED:
            lo, hi = np.quantile(post[key], [0.05, 0.95])
            covered += lo <= truth.values["base"][key][0] <= hi
            total += 1
            if key in ("gross_value_usd", "extortion_rate"):  # a and q are confounded with G in R
                narrowing.append((hi - lo) / prior_width[key])
    rate = covered / total
    assert 0.83 <= rate <= 0.96, f"90% intervals covered the truth {rate:.1%} of the time"
    # and the data taught something: prior intervals would cover at the same rate, but are wider
    assert np.mean(narrowing) < 0.7, f"posterior intervals were {np.mean(narrowing):.0%} of the prior's width"


def test_an_observation_far_outside_the_prior_lowers_the_ess_and_says_so(data_dir):
    calibration_data(data_dir)
    prior = monte_carlo(load_scenario("base", data=data_dir.root), 4000, 1)["realised_value_usd"]
    near = calibrate({"r": _observable("r", "realised_value_usd", float(prior.median()), 0.2)}, draws=4000, seed=1,
                     world=data_dir.world)
    far = calibrate({"r": _observable("r", "realised_value_usd", float(prior.quantile(0.999)) * 1.6, 0.05)},
                    draws=4000, seed=1, world=data_dir.world)
    assert near.method == "importance sampling" and not near.warnings
    assert far.ess < near.ess / 10
    assert far.method == "tempered SMC"
    assert any("tail of the prior" in w for w in far.warnings)
    posterior = far.calibrated_draws("base", 2000, seed=3)["realised_value_usd"]
    assert posterior.median() > prior.quantile(0.99)  # SMC reached the observation's side of the prior


def test_an_observation_out_of_reach_is_an_error_naming_it(data_dir):
    calibration_data(data_dir)
    with pytest.raises(InputError) as exc:
        calibrate({"r": _observable("r", "realised_value_usd", 1e15, 0.05)}, draws=2000, seed=1, world=data_dir.world)
    text = str(exc.value)
    assert "observables.r.observed" in text and "ESS 0" in text and "realised_value_usd" in text


def test_calibrated_draws_are_seeded_and_shaped_like_monte_carlo(data_dir):
    calibration_data(data_dir)
    calib = calibrate({"r": _observable("r", "realised_value_usd", 2e8, 0.2)}, draws=4000, seed=2, world=data_dir.world)
    a = calib.calibrated_draws("base", 1000, seed=5)
    b = calib.calibrated_draws("base", 1000, seed=5)
    assert list(a.columns) == list(monte_carlo(load_scenario("base", data=data_dir.root), 10, 1).columns) and len(a) == 1000
    assert a.equals(b)
    assert not a.equals(calib.calibrated_draws("base", 1000, seed=6))
    table = calib.parameter_table(["base"])
    g = table[(table.owner == "base") & (table.parameter == "gross_value_usd")].iloc[0]
    assert g.reached and g.posterior_p95 - g.posterior_p5 < g.prior_p95 - g.prior_p5
    rows = calib.observable_table()
    assert list(rows.index) == ["r"] and {"prior_p50", "posterior_p50", "holds_posterior"} <= set(rows.columns)
    assert calib.unreached_scenarios(["base"]) == []


def test_without_a_likelihood_the_posterior_is_the_prior(data_dir):
    calibration_data(data_dir)
    o = _observable("r", "realised_value_usd", 2e8, 0.2)
    shown = Observable(**{**o.__dict__, "use": "check"})
    calib = calibrate({"r": shown}, draws=2000, seed=2, world=data_dir.world)
    assert calib.method == "prior" and calib.khat is None and calib.unreached_scenarios(["base"]) == ["base"]
    assert not calib.parameter_table(["base"]).moved.any()
    row = calib.observable_rows[0]
    assert row["prior"] == row["posterior"]


def test_the_reports_api_is_cached_until_the_data_change(data_dir):
    from mogok_econ.analysis.calibration import calibrated_draws, calibration
    from tests.calibration_fixtures import GOOD

    calibration_data(data_dir, {"sales": GOOD})
    first = calibration(2000, 3, world=data_dir.world)
    assert calibration(2000, 3, world=data_dir.world) is first and first.method != "prior"
    assert calibrated_draws("base", 500, 3, world=data_dir.world).shape[0] == 500
    path = data_dir.root / "observables.yaml"
    data_dir.write_yaml("observables.yaml", {"observables": {"sales": {**GOOD, "use": "check"}}})
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert calibration(2000, 3, world=data_dir.world).method == "prior"


def test_tempering_that_cannot_reach_the_observations_is_an_error_not_a_traceback(data_dir, monkeypatch):
    from mogok_econ.analysis import smc

    calibration_data(data_dir)
    monkeypatch.setattr(smc, "SMC_MAX_STAGES", 1)
    prior = monte_carlo(load_scenario("base", data=data_dir.root), 4000, 1)["realised_value_usd"]
    far = _observable("r", "realised_value_usd", float(prior.quantile(0.999)) * 1.6, 0.05)
    with pytest.raises(InputError) as exc:
        calibrate({"r": far}, draws=3000, seed=1, world=data_dir.world)
    assert "did not reach the posterior" in str(exc.value) and "observables" in str(exc.value)


def test_the_calibration_is_kept_until_a_file_it_declares_changes(data_dir, monkeypatch):
    """calibration() is kept by the content of its declared inputs (inputs/dependencies.py): an edit to a
    scenario no observable names leaves it (not fitted again); an edit to the observables fits it again."""
    from mogok_econ.analysis import calibration as module
    from tests.calibration_fixtures import GOOD

    fitted = []
    real = module.calibrate
    monkeypatch.setattr(module, "calibrate", lambda **kwargs: fitted.append(kwargs) or real(**kwargs))
    calibration_data(data_dir, {"sales": GOOD})
    data_dir.scenario("unreached", title="Reached by no observation")
    first = module.calibration(2000, 3, world=data_dir.world)
    assert first.method != "prior" and len(fitted) == 1
    data_dir.scenario("unreached", title="Reached by no observation", summary="Edited.")
    assert module.calibration(2000, 3, world=data_dir.world).digest == first.digest and len(fitted) == 1
    data_dir.write_yaml("observables.yaml", {"observables": {"sales": {**GOOD, "use": "check"}}})
    assert module.calibration(2000, 3, world=data_dir.world).method == "prior" and len(fitted) == 2
