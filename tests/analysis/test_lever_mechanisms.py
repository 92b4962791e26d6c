"""Lever mechanisms and the junta's levy substitution (core/lever_mechanisms.py, inputs/lever_mechanisms.py):
hand-worked factors, the recovery by other levies, their checks, and their use in the lever effects."""
from __future__ import annotations

import numpy as np
import pytest

from mogok_econ import ACTORS, InputError, load_scenario
from mogok_econ.analysis.lever_effects import apply_to_draws, effects
from mogok_econ.analysis.monte_carlo import draw_parameters
from mogok_econ.core.distributions import Triangular
from mogok_econ.core.lever_mechanisms import Mechanism, origin_discount_factors, recover_through_other_levies
from mogok_econ.inputs.levers import load_lever

J = ACTORS.index("junta")
MARKET = {"sanctioning_market_share": {"value": 0.2, "source": "test-source", "note": "s for a test"},
          "origin_discount": {"value": 0.3, "source": "test-source", "note": "d for a test"},
          "discount_pass_through": {"value": 1.0, "source": "test-source", "note": "t for a test"}}
CAUGHT = {"laundering_caught": {"value": 0.5, "source": "test-source", "note": "q for a test"}}


def _files(data_dir, substitution=0.0, caught=None, market=None, **mechanism):
    data_dir.scenario("base")
    data_dir.write_yaml("lever_mechanisms.yaml", {
        "market": market or MARKET,
        "levy_substitution": {"value": substitution, "source": "test-source", "note": "r for a test"}})
    doc = {"name": "enforce", "title": "Enforce", "summary": "A mechanism lever for a test.", "source": "test-source",
           "mechanism": {"kind": "origin_discount", "moves": ["price_factor", "formal_share"],
                         "parameters": caught or CAUGHT, **mechanism}, "feasible_under": []}
    data_dir.write_yaml("levers/enforce.yaml", doc)
    data_dir.write_yaml("levers/by_hand.yaml", {
        "name": "by_hand", "title": "By hand", "summary": "The same changes, worked out by hand.", "source": "test-source",
        "changes": [{"parameter": "price_factor", "op": "scale", "value": 0.97},
                    {"parameter": "formal_share", "op": "scale", "value": 0.9}], "feasible_under": []})


def test_origin_discount_factors_by_hand():
    """s = 0.2 of value to sanctioning markets, q = 0.5 caught: 0.1 of value refused; at a discount d = 0.3
    passed back t = 0.8 the price falls by 0.1 * 0.3 * 0.8 = 2.4%; the formal share by the 0.1 refused."""
    out = origin_discount_factors(0.2, 0.5, 0.3, 0.8)
    assert out["price_factor"] == pytest.approx(0.976) and out["formal_share"] == pytest.approx(0.9)
    assert origin_discount_factors(0.0, 0.5, 0.3, 0.8) == {"price_factor": 1.0, "formal_share": 1.0}  # no such market


def test_mechanism_range_from_the_parameters_ends():
    """Each factor falls as each parameter rises, so its range is the factors at all-high and all-low ends."""
    params = {"laundering_caught": Triangular(0.1, 0.2, 0.5), "sanctioning_market_share": Triangular(0.1, 0.2, 0.4),
              "origin_discount": Triangular(0.2, 0.3, 0.5), "discount_pass_through": Triangular(0.5, 0.8, 1.0)}
    mechanism = Mechanism("origin_discount", params, ("price_factor", "formal_share"))
    assert mechanism.bounds("price_factor") == pytest.approx((1 - 0.5 * 0.4 * 0.5 * 1.0, 1 - 0.1 * 0.1 * 0.2 * 0.5))
    assert mechanism.bounds("formal_share") == pytest.approx((1 - 0.5 * 0.4, 1 - 0.1 * 0.1))
    assert mechanism.point_factors()["formal_share"] == pytest.approx(1 - 0.2 * 0.2)
    draws = mechanism.drawn_factors(lambda name: np.random.default_rng(len(name)), 10_000)
    low, high = mechanism.bounds("price_factor")
    assert low <= draws["price_factor"].min() and draws["price_factor"].max() <= high


def test_recovery_through_other_levies_by_hand():
    """The junta's take falls from 10 to 4 (a loss of 6); it recovers half, 3, from the others paid at the
    mine gate (miners 20, owners 10: two thirds and one third), never from itself."""
    flows = np.zeros((2, len(ACTORS)))
    pit = np.zeros((2, len(ACTORS)))
    m, o = ACTORS.index("miners"), ACTORS.index("mine_owners")
    flows[:, J], flows[:, m], flows[:, o] = 4.0, 20.0, 10.0
    pit[:, J], pit[:, m], pit[:, o] = 5.0, 20.0, 10.0
    out = recover_through_other_levies(np.array([10.0, 3.0]), flows, pit, J, 0.5)
    assert out[0, J] == pytest.approx(7.0) and out[0, m] == pytest.approx(18.0) and out[0, o] == pytest.approx(9.0)
    np.testing.assert_array_equal(out[1], flows[1])  # the junta gained in draw 2: nothing to recover
    assert out.sum() == pytest.approx(flows.sum())  # a transfer
    capped = recover_through_other_levies(np.array([100.0, 3.0]), flows, pit, J, 1.0)
    assert capped[0, J] == pytest.approx(4.0 + 30.0) and capped[0, m] == pytest.approx(0.0)  # no more than they are paid


def test_a_mechanism_lever_equals_its_changes_worked_out_by_hand(data_dir):
    """q = 0.5, s = 0.2, d = 0.3, t = 1: price x 0.97 and formal share x 0.9, the by_hand lever's changes."""
    _files(data_dir)
    scenario = load_scenario("base", data=data_dir.root)
    levers = [load_lever("enforce", data=data_dir.root), load_lever("by_hand", data=data_dir.root)]
    table = effects(scenario, levers, draws=2000, pairs=False, all_together=False)
    for actor in ACTORS:
        assert table.loc["enforce", actor] == pytest.approx(table.loc["by_hand", actor])
        assert table.loc["enforce", f"{actor}_p50"] == pytest.approx(table.loc["by_hand", f"{actor}_p50"])
    assert table.loc["enforce", "junta_denied"] > 0


def test_a_mechanism_draws_its_changes_jointly(data_dir):
    """With an uncertain q, price and formal share move together draw by draw: 1 - price = (1 - formal)·d·t."""
    _files(data_dir, caught={"laundering_caught": {"dist": "uniform", "low": 0.1, "high": 0.9, "source": "assumption",
                                                   "note": "q for a test"}})
    scenario, lever = load_scenario("base", data=data_dir.root), load_lever("enforce", data=data_dir.root)
    base = draw_parameters(scenario, 3000, 1)
    changed = apply_to_draws(base, [lever], 3000, 1, scenario.name)
    price, formal = changed["price_factor"] / base["price_factor"], changed["formal_share"] / base["formal_share"]
    np.testing.assert_allclose(1 - price, (1 - formal) * 0.3 * 1.0)
    assert np.ptp(formal) > 0.1  # q is drawn, not fixed


def test_substitution_returns_a_share_of_the_loss(data_dir):
    """With the junta recovering half of each loss, it loses half as much, and the others pay the rest: the
    sum over actors does not change (a transfer)."""
    _files(data_dir, substitution=0.0)
    scenario = load_scenario("base", data=data_dir.root)
    static = effects(scenario, [load_lever("by_hand", data=data_dir.root)], draws=2000).loc["by_hand"]
    _files(data_dir, substitution=0.5)
    responding = effects(scenario, [load_lever("by_hand", data=data_dir.root)], draws=2000).loc["by_hand"]
    assert responding["junta_denied"] == pytest.approx(0.5 * static["junta_denied"])
    assert sum(responding[a] for a in ACTORS) == pytest.approx(sum(static[a] for a in ACTORS))


@pytest.mark.parametrize("change, fragment", [
    ({"caught": {"laundering_caught": {"value": 0.5, "source": "assumption", "note": "x"}}}, "an assumption needs a range"),
    ({"caught": {"laundering_caught": {"value": 1.5, "source": "test-source", "note": "x"}}}, "between 0 and 1"),
    ({"caught": {"laundering_caught": {"value": 0.5, "source": "test-source"}}}, "say what the value is"),
    ({"caught": {"laundering_caught": 0.5}}, "give its sources"),
    ({"caught": {"caught_often": {"value": 0.5, "source": "test-source", "note": "x"}}}, "gives exactly laundering_caught"),
    ({"kind": "moral_suasion"}, "not a known mechanism"),
    ({"moves": ["price_factor", "price_factor"]}, "at most once"),
    ({"moves": ["checkpoint_rate"]}, "at most once"),
])
def test_malformed_mechanisms_are_refused(data_dir, change, fragment):
    caught = change.pop("caught", None)
    _files(data_dir, caught=caught, **change)
    with pytest.raises(InputError) as info:
        load_lever("enforce", data=data_dir.root)
    assert fragment in str(info.value) and "enforce.yaml" in str(info.value)


def test_market_file_is_checked(data_dir):
    _files(data_dir, market={**MARKET, "origin_discount": {"value": 0.3, "source": "assumption", "note": "d"}})
    with pytest.raises(InputError) as info:
        load_lever("enforce", data=data_dir.root)
    assert "lever_mechanisms.yaml" in str(info.value) and "an assumption needs a range" in str(info.value)
    _files(data_dir, market={k: v for k, v in MARKET.items() if k != "origin_discount"})
    with pytest.raises(InputError) as info:
        load_lever("enforce", data=data_dir.root)
    assert "needs origin_discount" in str(info.value)
    (data_dir.root / "lever_mechanisms.yaml").unlink()
    with pytest.raises(InputError) as info:
        load_lever("enforce", data=data_dir.root)
    assert "needs the market's parameters" in str(info.value)


def test_a_parameter_is_moved_in_one_place_only(data_dir):
    _files(data_dir)
    path = data_dir.root / "levers/enforce.yaml"
    path.write_text(path.read_text() + "changes:\n- parameter: price_factor\n  op: scale\n  value: 0.9\n")
    with pytest.raises(InputError) as info:
        load_lever("enforce", data=data_dir.root)
    assert "give it in one place only" in str(info.value)
