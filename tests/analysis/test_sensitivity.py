"""Tornado and Sobol indices behave as the mathematics says they must."""
from __future__ import annotations

import copy

import pytest

from mogok_econ import load_scenario, sobol, tornado
from tests.conftest import BASE_SCENARIO


def _only_uncertain(data_dir, keep: set[str]):
    """BASE_SCENARIO with every distribution but those in `keep` fixed at its mode."""
    doc = copy.deepcopy(BASE_SCENARIO)
    for key, spec in doc["parameters"].items():
        if isinstance(spec, dict) and "dist" in spec and key not in keep:
            point = spec.get("mode", (spec["low"] + spec["high"]) / 2)
            doc["parameters"][key] = {"value": point, "source": spec.get("source", []) or "test-source",
                                      "note": "fixed for the test"}
    doc["parameters"]["working_days_per_month"] = {"value": 26, "note": "fixed for the test (shared otherwise)"}
    doc["recipient_concentration"] = {t: {"fixed": True, "note": "fixed for the test"} for t in doc["recipients"]}
    data_dir.scenario("base", doc)
    return load_scenario("base", data=data_dir.root)


def test_tornado_sorted_and_brackets_the_base(data_dir):
    data_dir.scenario("base")
    t = tornado(load_scenario("base", data=data_dir.root), "junta")
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    assert set(t.index) == {"gross_value_usd", "market_access", "price_factor", "extortion_rate",
                            "working_days_per_month",  # shared (data/shared.yaml); moves nothing without kyat
                            # who is paid (drawn with data/shared.yaml's default); owner_stakes gives the junta 0
                            "recipients:extortion_to", "recipients:checkpoint_to"}
    assert t.loc["working_days_per_month", "swing"] == 0.0
    base = t.attrs["base"]
    for _, row in t.iterrows():
        assert min(row.output_at_low, row.output_at_high) <= base + 1e-6
        assert max(row.output_at_low, row.output_at_high) >= base - 1e-6


def test_a_parameter_that_cannot_move_the_output_has_no_swing(data_dir):
    # traders get R·m: the extortion rate cannot change it
    data_dir.scenario("base")
    t = tornado(load_scenario("base", data=data_dir.root), "traders")
    assert t.loc["extortion_rate", "swing"] == pytest.approx(0.0, abs=1e-6)


def test_sobol_single_uncertain_parameter_explains_everything(data_dir):
    s = _only_uncertain(data_dir, {"gross_value_usd"})
    indices = sobol(s, "junta", base_samples=2**10)
    assert list(indices.index) == ["gross_value_usd"]
    assert indices.loc["gross_value_usd", "S1"] == pytest.approx(1.0, abs=0.05)
    assert indices.loc["gross_value_usd", "ST"] == pytest.approx(1.0, abs=0.05)


def test_sobol_indices_are_sane_and_seeded(data_dir):
    data_dir.scenario("base")
    s = load_scenario("base", data=data_dir.root)
    a = sobol(s, "junta", base_samples=2**11, seed=5)
    b = sobol(s, "junta", base_samples=2**11, seed=5)
    assert a.equals(b)
    assert (a["ST"] >= a["S1"] - 0.05).all()         # total effect >= first order (up to sampling error)
    assert a["ST"].sum() >= 0.9                         # the uncertain inputs explain the variance
    assert a.attrs["model_runs"] == 2**11 * (len(a) + 2)


def test_sobol_of_an_output_that_never_varies_is_zero_not_nan(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    for table in ("state_tax_to", "extortion_to", "checkpoint_to"):
        doc["recipients"][table] = {"tnla": 1.0}
    doc["recipients"]["owner_stakes"] = {"mine_owners": 1.0}
    data_dir.scenario("base", doc)
    indices = sobol(load_scenario("base", data=data_dir.root), "junta", base_samples=2**8)
    assert indices.attrs["constant_output"] and not indices[["S1", "ST"]].isna().any().any()
    assert (indices["ST"] == 0).all()


def test_unknown_output_refused(data_dir):
    data_dir.scenario("base")
    with pytest.raises(ValueError, match="output"):
        tornado(load_scenario("base", data=data_dir.root), "police")
