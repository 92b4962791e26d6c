"""Policy levers: refused when malformed or out of range, neutral when they change nothing, and
their effects as the model says."""
from __future__ import annotations

import json

import numpy as np
import pytest

from mogok_econ import ACTORS, InputError, load_scenario, point_estimate
from mogok_econ.analysis.lever_effects import apply_to_draws, effects
from mogok_econ.analysis.monte_carlo import draw_parameters
from mogok_econ.inputs.levers import available_levers, check_on, load_lever, load_levers
from tests.conftest import run_in_process


def _lever(data_dir, name="test_lever", changes=None, **extra):
    doc = {"name": extra.pop("name_in_file", name), "title": "A test lever", "summary": "Changes something for a test.",
           "source": "test-source", "changes": changes or [{"parameter": "checkpoint_rate", "op": "set", "value": 0.0}],
           "feasible_under": []}
    doc.update(extra)
    return data_dir.write_yaml(f"levers/{name}.yaml", doc)


def test_shipped_levers_load_and_cover_the_issue():
    names = set(available_levers())
    assert {"enforce_gem_sanctions", "reopen_routes", "abolish_checkpoint_levies", "armed_group_tax_cap",
            "eiti_transparency", "certification_traceability"} <= names
    for lever in load_levers():
        assert lever.sources and lever.summary and all(c.note for c in lever.changes)


@pytest.mark.parametrize("changes", [
    [{"parameter": "checkpoint_rate", "op": "scale", "value": 1.0}],
    [{"parameter": "price_factor", "op": "shift", "value": 0.0}],
    [{"parameter": "extortion_rate", "op": "cap", "value": 1.0}],
    [{"parameter": "market_access", "op": "floor", "value": 0.0}],
])
def test_a_lever_that_changes_nothing_changes_nothing(data_dir, changes):
    data_dir.scenario("base")
    _lever(data_dir, changes=changes)
    table = effects(load_scenario("base", data=data_dir.root), [load_lever("test_lever", data=data_dir.root)], draws=5000)
    row = table.iloc[0]
    for actor in ACTORS:
        assert row[actor] == 0.0 and row[f"{actor}_p5"] == 0.0 and row[f"{actor}_p95"] == 0.0
    assert row["junta_denied"] == 0 and row["miners_lose_share"] == 0.0


def test_abolishing_checkpoints_by_hand(data_dir):
    """c from 0.05 to 0: the junta loses R·c·0.7 directly but gains nothing at the mine gate (no stake);
    the mine-gate value grows by R·c: every wage position is already paid, so company sites' part (0.4)
    adds commission (0.1) for miners and profit (0.9) for owners; of hand-mining's part (0.6), rent (0.2)
    goes to owners and the rest to hand-miners. Owners: tnla 0.3, mine_owners 0.7."""
    data_dir.scenario("base")
    _lever(data_dir)
    s = load_scenario("base", data=data_dir.root)
    row = effects(s, [load_lever("test_lever", data=data_dir.root)], draws=2000).iloc[0]
    R = 300e6 * 0.8 * 0.8 * 0.85
    assert row["junta"] == pytest.approx(-R * 0.05 * 0.7)
    gain = R * 0.05
    owners = 0.4 * 0.9 * gain + 0.6 * 0.2 * gain
    assert row["miners"] == pytest.approx(0.4 * 0.1 * gain + 0.6 * 0.8 * gain)
    assert row["other_armed"] == pytest.approx(-R * 0.05 * 0.3)
    assert row["tnla"] == pytest.approx(0.3 * owners)
    assert row["armed_groups"] == pytest.approx(-R * 0.05 * 0.3 + 0.3 * owners)
    assert row["junta_denied"] == pytest.approx(R * 0.05 * 0.7) and row["miners_lost"] < 0
    assert np.isinf(row["ratio"])  # miners do not lose


def test_cap_and_floor_apply_per_draw(data_dir):
    data_dir.scenario("base")
    _lever(data_dir, changes=[{"parameter": "extortion_rate", "op": "cap", "value": 0.08},
                              {"parameter": "market_access", "op": "floor", "value": 0.9}])
    s = load_scenario("base", data=data_dir.root)
    base = draw_parameters(s, 5000, 1)
    changed = apply_to_draws(base, [load_lever("test_lever", data=data_dir.root)], 5000, 1, s.name)
    assert changed["extortion_rate"].max() <= 0.08 and changed["market_access"].min() >= 0.9
    np.testing.assert_array_equal(changed["extortion_rate"], np.minimum(base["extortion_rate"], 0.08))
    np.testing.assert_array_equal(changed["gross_value_usd"], base["gross_value_usd"])


def test_lever_values_drawn_from_their_own_stream(data_dir):
    data_dir.scenario("base")
    _lever(data_dir, changes=[{"parameter": "price_factor", "op": "set",
                               "value": {"dist": "uniform", "low": 0.5, "high": 0.6}}])
    s = load_scenario("base", data=data_dir.root)
    base = draw_parameters(s, 1000, 3)
    changed = apply_to_draws(base, [load_lever("test_lever", data=data_dir.root)], 1000, 3, s.name)
    assert 0.5 <= changed["price_factor"].min() and changed["price_factor"].max() <= 0.6
    again = apply_to_draws(draw_parameters(s, 1000, 3), [load_lever("test_lever", data=data_dir.root)], 1000, 3, s.name)
    np.testing.assert_array_equal(changed["price_factor"], again["price_factor"])


@pytest.mark.parametrize("changes, extra, fragment", [
    ([{"parameter": "prodution_factor", "op": "set", "value": 0.5}], {}, "changes[0].parameter = 'prodution_factor'"),
    ([{"parameter": "production_factor", "op": "multiply", "value": 0.5}], {}, "changes[0].op"),
    ([{"parameter": "production_factor", "op": "set", "value": 1.5}], {}, "[0, 1]"),
    ([{"parameter": "production_factor", "op": "scale", "value": -1}], {}, "scale factor must be 0 or more"),
    ([{"parameter": "production_factor", "op": "set", "value": ".nan"}], {}, "a parameter must be"),
    ([{"parameter": "production_factor", "op": "set"}], {}, "changes[0].value"),
    ([{"parameter": "production_factor", "op": "set", "value": 0.5, "why": "x"}], {}, "not a known field"),
    ([], {}, "changes"),
    (None, {"colour": "red"}, "not a known field"),
    (None, {"title": "x", "name_in_file": "other"}, "must equal the file's stem"),
    (None, {"source": "nowhere"}, "not an id"),
])
def test_malformed_levers_are_refused(data_dir, changes, extra, fragment):
    path = _lever(data_dir, changes=changes, **extra)
    if changes == []:
        path.write_text(path.read_text().replace("changes:\n- parameter: checkpoint_rate\n  op: set\n  value: 0.0\n",
                                                 "changes: []\n"))
    with pytest.raises(InputError) as info:
        load_lever("test_lever", data=data_dir.root)
    assert fragment in str(info.value) and "test_lever.yaml" in str(info.value)


@pytest.mark.parametrize("changes, fragment", [
    ([{"parameter": "production_factor", "op": "scale", "value": 1.5}], "outside the allowed range"),
    ([{"parameter": "market_access", "op": "shift", "value": 0.3}], "outside the allowed range"),
    ([{"parameter": "trader_margin", "op": "set", "value": 0.8}], "negative mine-gate remainder"),
])
def test_levers_that_break_a_scenario_are_refused(data_dir, changes, fragment):
    data_dir.scenario("base")
    _lever(data_dir, changes=changes)
    problems = check_on(load_scenario("base", data=data_dir.root), [load_lever("test_lever", data=data_dir.root)])
    assert problems and fragment in str(problems[0])
    with pytest.raises(InputError):
        effects(load_scenario("base", data=data_dir.root), [load_lever("test_lever", data=data_dir.root)], draws=1000)


def test_applies_to_limits_the_scenarios(data_dir):
    data_dir.scenario("base")
    _lever(data_dir, applies_to=["elsewhere"])
    base, lever = load_scenario("base", data=data_dir.root), load_lever("test_lever", data=data_dir.root)
    assert "not meant for scenario 'base'" in str(check_on(base, [lever])[0])


def test_pairs_and_ranking(data_dir):
    data_dir.scenario("base")
    _lever(data_dir, "no_checkpoints")
    _lever(data_dir, "low_prices", changes=[{"parameter": "price_factor", "op": "scale", "value": 0.8}])
    _lever(data_dir, "more_trade", changes=[{"parameter": "market_access", "op": "set", "value": 1.0}])
    table = effects(load_scenario("base", data=data_dir.root), load_levers(data=data_dir.root), draws=2000)
    assert len(table) == 3 + 3 + 1
    assert list(table["rank"]) == list(range(1, 8))
    # one criterion (analysis/lever_ranking.py): single policies first, then pairs, then all three (all
    # feasible here), each kind by mean pairwise win probability over paired draws
    assert list(table["levers"]) == [1, 1, 1, 2, 2, 2, 3]
    for n in (1, 2):
        assert table[table["levers"] == n]["p_wins"].is_monotonic_decreasing
    assert table[table["levers"] == 1]["p_best"].sum() == pytest.approx(1.0)
    # the chance of beating the next option of its kind (single or combination), over paired draws: a share,
    # none for the last of each kind
    singles = table[table["levers"] == 1]["p_beats_next"]
    assert singles.iloc[:-1].between(0, 1).all() and np.isnan(singles.iloc[-1])
    assert np.isnan(table[table["levers"] > 1]["p_beats_next"].iloc[-1])
    low = table.loc["low_prices"]
    assert low["ratio"] == pytest.approx(low["junta_denied"] / low["miners_lost"])


def test_levers_command_json(data_dir):
    data_dir.scenario("base")
    _lever(data_dir)
    result = run_in_process("levers", "base", "--json", "--draws", "2000")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["scenario"] == "base" and len(out["results"]) == 1
    row = out["results"][0]
    assert set(row["change_usd"]) == set(ACTORS) | {"armed_groups"}
    assert row["junta_denied_per_miner_dollar_lost"]["miners_do_not_lose"] is True


def test_levers_command_refuses_bad_lever_without_traceback(data_dir):
    data_dir.scenario("base")
    _lever(data_dir, changes=[{"parameter": "production_factor", "op": "set", "value": 7}])
    result = run_in_process("levers", "base", "test_lever")
    assert result.returncode == 2 and "test_lever.yaml" in result.stderr and "Traceback" not in result.stderr
    result = run_in_process("levers", "base", "no_such_lever")
    assert result.returncode == 2 and "no such lever" in result.stderr


def test_current_scenario_levers_on_shipped_data():
    result = run_in_process("levers", "current", "--json", "--draws", "5000", "--no-pairs", "--priors")  # vs the priors' point
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["scenario"] == "junta_reopened"
    assert "armed_group_tax_cap" in out["not_applicable"]
    assert out["baseline_flows_usd"]["junta"] == pytest.approx(point_estimate(load_scenario("junta_reopened")).flows_usd["junta"])
