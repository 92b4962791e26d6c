"""Lever files' feasibility, conflicts and ownership moves, and the sanctions targets: the shipped data
loads, and each kind of bad input is refused naming the file, the field and the value."""
from __future__ import annotations

import datetime as dt

import pytest

from mogok_econ import InputError
from mogok_econ.inputs.levers import Move, available_levers, conflicts, load_lever, load_levers
from mogok_econ.inputs.sanctions_targets import load_sanctions_targets
from mogok_econ.inputs.scenarios import available_scenarios


def _lever(data_dir, name="test_lever", **extra):
    doc = {"name": name, "title": "A test lever", "summary": "Changes something for a test.", "source": "test-source",
           "changes": [{"parameter": "checkpoint_rate", "op": "set", "value": 0.0}],
           "feasible_under": [{"scenario": "base", "rationale": "for a test", "source": "test-source"}]}
    doc.update(extra)
    return data_dir.write_yaml(f"levers/{name}.yaml", doc)


def test_every_shipped_lever_says_where_it_is_feasible_and_the_issue_pair_conflicts():
    levers = load_levers()
    scenarios = set(available_scenarios())
    for lever in levers:
        assert lever.feasible_under is not None and set(lever.feasible_under) <= scenarios
        assert all(f.rationale and f.sources for f in lever.feasible_under.values()), lever.name
    clash = conflicts(levers)
    assert ("eiti_transparency", "enforce_gem_sanctions") in clash
    eiti = load_lever("eiti_transparency")
    assert not any(eiti.feasible(s) for s in ("junta_informal", "junta_recapture", "junta_reopened"))
    owners = [lever for lever in levers if any(m.table == "owner_stakes" for m in lever.moves)]
    assert len(owners) >= 3  # the junta's stakes in mines can be touched


@pytest.mark.parametrize("extra, field, value", [
    ({"conflicts_with": [{"lever": "no_such_lever", "why": "x"}]}, "conflicts_with[0].lever", "no_such_lever"),
    ({"conflicts_with": [{"lever": "test_lever", "why": "x"}]}, "conflicts_with[0].lever", "test_lever"),
    ({"feasible_under": [{"scenario": "atlantis", "rationale": "x"}]}, "feasible_under[0].scenario", "atlantis"),
    ({"feasible_under": [{"scenario": "base", "rationale": "x", "source": "nowhere"}]}, "feasible_under[0].source",
     "nowhere"),
    ({"recipients": [{"table": "owner_stakes", "from": "junta", "to": "miners", "share": 0.5}]}, "recipients[0].to",
     "miners"),
    ({"recipients": [{"table": "owners", "from": "junta", "to": "mine_owners", "share": 0.5}]}, "recipients[0].table",
     "owners"),
    ({"recipients": [{"table": "owner_stakes", "from": "junta", "to": "mine_owners", "share": 1.5}]},
     "recipients[0].share", "1.5"),
])
def test_bad_feasibility_conflicts_and_moves_are_refused(data_dir, extra, field, value):
    data_dir.scenario("base")
    _lever(data_dir, **extra)
    with pytest.raises(InputError) as info:
        load_lever("test_lever", data=data_dir.root)
    text = str(info.value)
    assert "test_lever.yaml" in text and field in text and value in text


def test_feasible_under_is_required(data_dir):
    data_dir.scenario("base")
    path = _lever(data_dir)
    path.write_text(path.read_text().split("feasible_under:")[0])
    with pytest.raises(InputError, match="feasible_under: is required"):
        load_lever("test_lever", data=data_dir.root)


def test_a_known_conflict_loads_and_is_symmetric(data_dir):
    data_dir.scenario("base")
    _lever(data_dir, "first", conflicts_with=[{"lever": "second", "why": "they undo each other"}])
    _lever(data_dir, "second")
    first, second = load_lever("first", data=data_dir.root), load_lever("second", data=data_dir.root)
    assert conflicts([second, first]) == {("second", "first"): "they undo each other"}
    assert first.feasible("base") and not first.feasible("elsewhere")


def test_a_move_keeps_the_table_whole():
    move = Move("owner_stakes", "junta", "mine_owners", 0.3)
    after = move.apply({"owner_stakes": {"junta": 0.6, "mine_owners": 0.4}, "fee_to": {"tnla": 1.0}})
    assert after["owner_stakes"] == pytest.approx({"junta": 0.42, "mine_owners": 0.58})
    assert sum(after["owner_stakes"].values()) == pytest.approx(1.0) and after["fee_to"] == {"tnla": 1.0}
    assert move.apply({"fee_to": {"tnla": 1.0}}) == {"fee_to": {"tnla": 1.0}}  # no such table: left alone


def test_shipped_sanctions_targets_carry_sourced_dates():
    targets = {t.short: t for t in load_sanctions_targets().targets}
    assert {"MEHL", "MEC", "MGE"} <= set(targets)
    by = {(t, s.by): s for t, target in targets.items() for s in target.sanctions}
    assert by[("MEHL", "US")].date == dt.date(2021, 3, 25) and by[("MEC", "US")].date == dt.date(2021, 3, 25)
    assert by[("MGE", "US")].date == dt.date(2021, 4, 8) and by[("MGE", "EU")].date == dt.date(2021, 6, 21)
    assert by[("MEHL", "EU")].date == dt.date(2021, 4, 19)
    # Switzerland follows the EU's rounds (SECO): the conglomerates on 30 April 2021, MGE on 1 July 2021
    assert by[("MEHL", "Switzerland")].date == by[("MEC", "Switzerland")].date == dt.date(2021, 4, 30)
    assert by[("MGE", "Switzerland")].date == dt.date(2021, 7, 1)
    assert any(o[0] == dt.date(2021, 6, 21) for o in by[("MGE", "UK")].other_dates)  # disagreement kept
    assert all(s.sources for t in targets.values() for s in t.sanctions)
    assert "vnnewsonline" not in " ".join(i for s in by.values() if s.status == "listed" for i in s.sources)


@pytest.mark.parametrize("change, field, value", [
    ({"by": "Mars"}, "targets[0].sanctions[0].by", "Mars"),
    ({"date": "2021-02-30"}, "targets[0].sanctions[0].date", "2021-02-30"),
    ({"date": None}, "targets[0].sanctions[0].date", "needs the date"),
    ({"source": ["nowhere"]}, "targets[0].sanctions[0].source", "nowhere"),
])
def test_bad_sanctions_targets_are_refused(data_dir, change, field, value):
    sanction = {"by": "US", "status": "listed", "date": "2021-03-25", "measure": "blocking", "source": ["test-source"]}
    sanction.update(change)
    data_dir.write_yaml("sanctions_targets.yaml", {"targets": [{
        "name": "A firm", "short": "AF", "kind": "crony firm", "holds": "a block", "model_actor": "junta",
        "source": ["test-source"], "sanctions": [sanction]}]})
    with pytest.raises(InputError) as info:
        load_sanctions_targets(data=data_dir.root)
    text = str(info.value)
    assert "sanctions_targets.yaml" in text and field in text and value in text


def test_available_levers_include_the_ownership_levers():
    assert {"sanction_military_concessions", "reassign_concessions_local",
            "beneficial_ownership_disclosure"} <= set(available_levers())
