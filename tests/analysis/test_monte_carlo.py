"""Distributions, the seeded Monte Carlo and its quantiles."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mogok_econ import ACTORS, load_scenario, monte_carlo, point_estimate, quantiles
from mogok_econ.core.distributions import Pert, Triangular, Uniform


@pytest.mark.parametrize("dist, mean", [
    (Triangular(1.0, 2.0, 6.0), 3.0),                 # (a + c + b) / 3
    (Pert(0.0, 0.2, 1.0), (0 + 4 * 0.2 + 1) / 6),       # (a + 4c + b) / 6
    (Uniform(2.0, 4.0), 3.0),
])
def test_samples_have_the_textbook_mean_and_stay_in_bounds(dist, mean):
    x = dist.sample(np.random.default_rng(0), 400_000)
    assert x.mean() == pytest.approx(mean, rel=5e-3)
    assert x.min() >= dist.low and x.max() <= dist.high


@settings(max_examples=50, deadline=None)
@given(st.floats(0, 10), st.floats(0, 1), st.floats(0.01, 10), st.sampled_from([Triangular, Pert]))
def test_quantile_function_matches_sampling(low, where, width, cls):
    dist = cls(low, low + where * width, low + width)
    u = np.array([0.05, 0.5, 0.95])
    sampled = np.quantile(dist.sample(np.random.default_rng(1), 200_000), u)
    np.testing.assert_allclose(dist.ppf(u), sampled, atol=0.01 * width)
    assert dist.ppf(np.array([0.0]))[0] == pytest.approx(dist.low)
    assert dist.ppf(np.array([1.0]))[0] == pytest.approx(dist.high)


def test_point_estimate_uses_modes_and_uniform_midpoints(data_dir):
    data_dir.scenario("base")
    s = load_scenario("base", data=data_dir.root)
    values = s.point_values()
    assert values["gross_value_usd"] == 300e6 and values["market_access"] == 0.8
    assert values["price_factor"] == pytest.approx(0.85)
    assert point_estimate(s).realised_value_usd == pytest.approx(300e6 * 0.8 * 0.8 * 0.85)


def test_same_seed_same_numbers_other_seed_other_numbers(data_dir):
    data_dir.scenario("base")
    s = load_scenario("base", data=data_dir.root)
    a, b = monte_carlo(s, 10_000, seed=7), monte_carlo(s, 10_000, seed=7)
    assert a.equals(b)
    assert not a.equals(monte_carlo(s, 10_000, seed=8))


def test_every_draw_satisfies_the_identities(data_dir):
    data_dir.scenario("base")
    frame = monte_carlo(load_scenario("base", data=data_dir.root), 100_000, seed=3)
    flows = frame[list(ACTORS)].to_numpy()
    np.testing.assert_allclose(flows.sum(axis=1), frame["realised_value_usd"], rtol=1e-9)
    unrealised = frame[["production_shortfall", "stockpiled", "price_effect"]].sum(axis=1)
    np.testing.assert_allclose(frame["realised_value_usd"] + unrealised, frame["gross_value_usd"], rtol=1e-9)
    assert (flows >= 0).all()


@pytest.mark.slow
def test_million_draws_are_practical(data_dir):
    """10^6 draws run in one vectorised pass (speed itself is measured in benchmarks/)."""
    data_dir.scenario("base")
    frame = monte_carlo(load_scenario("base", data=data_dir.root), 1_000_000, seed=1)
    assert len(frame) == 1_000_000 and not frame.isna().any().any()


def test_quantiles_are_ordered_and_bracket_the_median(data_dir):
    data_dir.scenario("base")
    q = quantiles(monte_carlo(load_scenario("base", data=data_dir.root), 50_000))
    assert list(q.columns) == ["p5", "p50", "p95"] and list(q.index) == [*ACTORS, "armed_groups"]
    assert (q["p5"] <= q["p50"]).all() and (q["p50"] <= q["p95"]).all()


def test_fixed_scenario_has_no_spread(data_dir):
    doc = {k: v for k, v in __import__("tests.conftest", fromlist=["BASE_SCENARIO"]).BASE_SCENARIO.items()}
    params = {k: (v if isinstance(v, (int, float)) else {"value": v.get("mode", v.get("value", v.get("low")))})
              for k, v in doc["parameters"].items()}
    params["production_factor"] = {"value": 0.8, "source": "assumption", "note": "fixed"}
    params["gross_value_usd"] = {"value": 300e6, "note": "fixed: the test's own G"}
    for shared in ("extortion_per_head_share", "open_access_share", "finds_dispersion", "digging_returns",
                   "digging_premium", "concessions_leased_share", "concession_rent_share"):  # shared: fixed, with its note
        params[shared] = doc["parameters"][shared]
    fixed_tables = {t: {"fixed": True, "note": "the test's own split, fixed"} for t in doc["recipients"]}
    data_dir.scenario("fixed", {**doc, "parameters": params, "recipient_concentration": fixed_tables})
    s = load_scenario("fixed", data=data_dir.root)
    frame = monte_carlo(s, 1000)
    assert len(frame) == 1000
    q = quantiles(frame)
    np.testing.assert_allclose(q["p5"], q["p95"])
    np.testing.assert_allclose(q.loc[list(ACTORS), "p50"], point_estimate(s).flows_usd[list(ACTORS)])


@pytest.mark.parametrize("draws", [0, -1, 1.5, True])
def test_bad_draws_refused(data_dir, draws):
    data_dir.scenario("base")
    with pytest.raises(ValueError, match="draws"):
        monte_carlo(load_scenario("base", data=data_dir.root), draws)
