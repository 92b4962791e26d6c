"""The policy analysis: conflicting levers never combined, infeasible options never ranked above feasible
ones, ownership levers that move money without destroying it, the volume-and-price flag, the matrix
(its shape and its paired draws), and the counterfactual history (no lever: the actual history)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from mogok_econ import InputError, load_scenario, paths
from mogok_econ.analysis.counterfactual import counterfactual, parse_month
from mogok_econ.analysis.lever_effects import effects
from mogok_econ.analysis.lever_matrix import lever_matrix
from mogok_econ.analysis.monthly_flows import timeline_results
from mogok_econ.inputs.levers import load_lever, load_levers
from mogok_econ.inputs.timeline import load_timeline


def _lever(data_dir, name, changes=None, feasible=("base",), **extra):
    doc = {"name": name, "title": f"Lever {name}", "summary": "For a test.", "source": "test-source",
           "changes": changes if changes is not None else [{"parameter": "checkpoint_rate", "op": "set", "value": 0.0}],
           "feasible_under": [{"scenario": s, "rationale": "for a test"} for s in feasible]}
    doc.update(extra)
    return data_dir.write_yaml(f"levers/{name}.yaml", doc)


HELD = {"state_tax_to": {"junta": 1.0}, "extortion_to": {"junta": 1.0}, "checkpoint_to": {"junta": 1.0},
        "owner_stakes": {"junta": 0.6, "mine_owners": 0.4}}


def test_a_conflicting_pair_is_never_combined(data_dir):
    data_dir.scenario("base")
    _lever(data_dir, "a", conflicts_with=[{"lever": "b", "why": "they undo each other"}])
    _lever(data_dir, "b", changes=[{"parameter": "formal_share", "op": "scale", "value": 0.5}])
    _lever(data_dir, "c", changes=[{"parameter": "price_factor", "op": "scale", "value": 0.9}])
    table = effects(load_scenario("base", data=data_dir.root), load_levers(data=data_dir.root), draws=1000)
    combos = [set(label.split(" + ")) for label in table.index]
    assert not any({"a", "b"} <= combo for combo in combos)  # neither the pair nor all three together
    assert {"a", "c"} in combos and {"b", "c"} in combos


def test_shipped_conflicts_are_not_combined_and_eiti_is_not_a_top_pair_under_the_junta():
    s = load_scenario("junta_informal")
    levers = [load_lever(n) for n in ("eiti_transparency", "enforce_gem_sanctions", "certification_traceability")]
    table = effects(s, levers, draws=2000)
    assert "eiti_transparency + enforce_gem_sanctions" not in table.index
    assert "certification_traceability + eiti_transparency" not in table.index
    feasible = table[table["feasible"].astype(bool)]
    assert not any("eiti_transparency" in label for label in feasible.index)
    assert table.loc["eiti_transparency", "rank"] > feasible["rank"].max()


def test_an_infeasible_lever_never_outranks_a_feasible_one(data_dir):
    data_dir.scenario("base")
    data_dir.scenario("other")
    # denies the junta much more, miners gain: would rank first if feasibility were ignored
    _lever(data_dir, "big", changes=[{"parameter": "checkpoint_rate", "op": "set", "value": 0.0},
                                     {"parameter": "state_tax_rate", "op": "set", "value": 0.0}], feasible=("other",))
    _lever(data_dir, "small", changes=[{"parameter": "price_factor", "op": "scale", "value": 0.95}])
    table = effects(load_scenario("base", data=data_dir.root), load_levers(data=data_dir.root), draws=1000)
    assert table.loc["big", "junta_denied"] > table.loc["small", "junta_denied"]
    ranks = table.set_index(table["feasible"].astype(bool), append=True)["rank"]
    assert ranks.xs(True, level=1).max() < ranks.xs(False, level=1).min()
    assert table.index[0] == "small" and not table.loc["big + small", "feasible"]


def test_an_ownership_lever_moves_the_junta_s_stakes_and_destroys_nothing(data_dir):
    data_dir.scenario("held", recipients=HELD)
    _lever(data_dir, "divest", changes=[], feasible=("held",),
           recipients=[{"table": "owner_stakes", "from": "junta", "to": "mine_owners", "share": 0.5}])
    table = effects(load_scenario("held", data=data_dir.root), [load_lever("divest", data=data_dir.root)], draws=2000)
    row = table.loc["divest"]
    assert row["junta_denied"] > 0 and row["mine_owners"] == pytest.approx(row["junta_denied"])
    assert row["value_destroyed"] == 0 and row["cost_per_denied"] == 0 and not row["volume_price_only"]
    assert row["junta_p95"] < 0  # the junta loses in (nearly) every draw


def test_a_price_cut_is_flagged_and_its_ratio_is_the_uniform_cut_s(data_dir):
    data_dir.scenario("held", recipients=HELD)
    _lever(data_dir, "cut", changes=[{"parameter": "price_factor", "op": "scale", "value": 0.9}], feasible=("held",))
    row = effects(load_scenario("held", data=data_dir.root), [load_lever("cut", data=data_dir.root)], draws=2000).loc["cut"]
    assert row["volume_price_only"] and row["volume_price_share"] == pytest.approx(1.0)
    assert row["ratio"] == pytest.approx(row["price_cut_ratio"])
    assert row["cost_per_denied"] == pytest.approx(row["value_destroyed"] / row["junta_denied"]) and row["cost_per_denied"] > 1


def test_the_matrix_has_every_lever_under_every_scenario_with_paired_draws(data_dir):
    data_dir.scenario("base")
    data_dir.scenario("held", recipients=HELD)
    _lever(data_dir, "cut", changes=[{"parameter": "price_factor", "op": "scale", "value": 0.9}])
    _lever(data_dir, "nothing", changes=[{"parameter": "price_factor", "op": "scale", "value": 1.0}])
    _lever(data_dir, "only_there", applies_to=["held"])
    world = data_dir.world
    scenarios, levers = [world.scenario("base"), world.scenario("held")], world.levers()
    frame = lever_matrix(scenarios, levers, draws=2000, seed=7, world=data_dir.world)
    assert len(frame) == len(levers) * len(scenarios)
    assert not frame.loc[("only_there", "base"), "applicable"] and frame.loc[("only_there", "held"), "applicable"]
    assert frame.loc[("cut", "held"), "feasible"] == False  # noqa: E712 (numpy bool)
    # paired: a lever that changes nothing changes nothing in any draw
    nothing = frame.loc[("nothing", "base")]
    assert nothing["junta_denied_p5"] == nothing["junta_denied_p95"] == 0
    # the same numbers as the lever's own run under that scenario, same draws and seed
    alone = effects(scenarios[1], [load_lever("cut", data=data_dir.root)], draws=2000, seed=7).loc["cut"]
    assert frame.loc[("cut", "held"), "junta_denied_p5"] == pytest.approx(-alone["junta_p95"])


def test_a_counterfactual_with_no_lever_is_the_actual_history():
    draws = 1500
    r = counterfactual([], draws=draws, seed=11)
    for take in ("junta", "armed_groups", "miners"):
        np.testing.assert_allclose(r.counterfactual[take], r.actual[take], rtol=1e-9, atol=1e-3)
        change = r.cumulative(take, "change").iloc[-1]
        assert abs(change["point"]) < 1 and abs(change["p5"]) < 1 and abs(change["p95"]) < 1
    actual = timeline_results(draws=draws, seed=11, keep=("junta",)).cumulative("junta", dt.date(2021, 2, 1))
    np.testing.assert_allclose(r.cumulative("junta").to_numpy(), actual.to_numpy(), rtol=1e-6)


def test_a_counterfactual_leaves_the_months_before_its_start_alone_and_flags_what_ifs():
    levers = [load_lever("sanction_military_concessions")]
    r = counterfactual(levers, since=dt.date(2024, 8, 1), draws=1000, seed=3)
    before = np.array([m < pd.Period("2024-08", freq="M") for m in r.months])
    np.testing.assert_allclose(r.counterfactual["junta"][before], r.actual["junta"][before], rtol=1e-9)
    assert r.totals().loc["junta", "change_point"] < 0
    flagged = {t.scenario for t in r.treatments if t.infeasible}
    assert "tnla_control" in flagged and "junta_reopened" not in flagged
    only = counterfactual(levers, since=dt.date(2024, 8, 1), draws=1000, seed=3, feasible_only=True)
    assert all(not t.infeasible for t in only.treatments)


def test_conflicting_levers_cannot_make_a_counterfactual():
    with pytest.raises(InputError, match="must not be combined"):
        counterfactual(load_levers(["eiti_transparency", "enforce_gem_sanctions"]), draws=1000)


@pytest.mark.parametrize("text", ["2030-01", "2015-12", "2021-13", "2021", "soon"])
def test_a_start_month_outside_the_timeline_is_refused(text):
    with pytest.raises(InputError) as info:
        parse_month(text, load_timeline())
    assert "--from" in str(info.value) and text in str(info.value)


def test_a_start_month_inside_the_timeline_is_its_first_day():
    assert parse_month("2021-02", load_timeline()) == dt.date(2021, 2, 1)


def test_a_lever_that_raises_a_rate_nobody_receives_is_refused(data_dir):
    data_dir.scenario("base")  # no pit_levy_to table: a pit levy would go to no one
    _lever(data_dir, "levy", changes=[{"parameter": "pit_levy_rate", "op": "set", "value": 0.1}])
    with pytest.raises(InputError, match="no pit_levy_to table"):
        effects(load_scenario("base", data=data_dir.root), [load_lever("levy", data=data_dir.root)], draws=500)


def test_a_counterfactual_given_the_timeline_as_its_actual_history_is_the_same_to_the_bit():
    """The policy report passes the timeline's results (the same draws) instead of running the history again:
    every array is the same; results of other draws are not taken for the actual history."""
    levers = [load_lever("sanction_military_concessions")]
    alone = counterfactual(levers, draws=1200, seed=5)
    given = counterfactual(levers, draws=1200, seed=5, actual=timeline_results(draws=1200, seed=5))
    for name in ("actual", "counterfactual", "actual_point", "counterfactual_point"):
        for take, values in getattr(alone, name).items():
            np.testing.assert_array_equal(getattr(given, name)[take], values, err_msg=f"{name} {take}")
    pd.testing.assert_frame_equal(given.totals(), alone.totals())
    other = counterfactual(levers, draws=1200, seed=5, actual=timeline_results(draws=1200, seed=6))
    np.testing.assert_array_equal(other.actual["junta"], alone.actual["junta"])


def test_a_counterfactuals_total_is_the_last_month_of_its_running_total():
    r = counterfactual([load_lever("sanction_military_concessions")], draws=1000, seed=2)
    for which in ("actual", "counterfactual", "change"):
        pd.testing.assert_series_equal(r.total("miners", which), r.cumulative("miners", which).iloc[-1],
                                       check_names=False)


def test_a_summarised_counterfactual_gives_the_same_numbers_without_its_draws():
    """What a build keeps of the history (bundles.add_history): every running total, not the draws."""
    levers = [load_lever("sanction_military_concessions")]
    full = counterfactual(levers, draws=1000, seed=2)
    kept = counterfactual(levers, draws=1000, seed=2).summarised()
    assert kept.actual == {} and kept.counterfactual == {}
    pd.testing.assert_frame_equal(kept.totals(), full.totals())
    for which in ("actual", "counterfactual", "change"):
        pd.testing.assert_frame_equal(kept.cumulative("junta", which), full.cumulative("junta", which))


def test_the_matrix_computes_again_only_the_column_of_an_edited_scenario(data_dir, tmp_path, monkeypatch):
    import mogok_econ.analysis.lever_matrix as module

    monkeypatch.setattr(paths, "CACHE", tmp_path / "cache")  # a fresh folder for the worlds' default Store
    data_dir.scenario("base")
    data_dir.scenario("held", recipients=HELD)
    _lever(data_dir, "cut", changes=[{"parameter": "price_factor", "op": "scale", "value": 0.9}])
    computed, real = [], module.effects
    monkeypatch.setattr(module, "effects", lambda s, *a, **k: computed.append(s.name) or real(s, *a, **k))

    def matrix():
        world = data_dir.world
        return lever_matrix([world.scenario("base"), world.scenario("held")], world.levers(), draws=2000, seed=7,
                            world=world)

    first = matrix()
    assert computed == ["base", "held"]
    pd.testing.assert_frame_equal(matrix(), first)
    assert computed == ["base", "held"]
    data_dir.scenario("held", recipients=HELD, title="Held, renamed")
    again = matrix()
    assert computed == ["base", "held", "held"]
    assert again.loc[("cut", "held"), "scenario_title"] == "Held, renamed"
    pd.testing.assert_frame_equal(again.drop(columns="scenario_title"), first.drop(columns="scenario_title"))
