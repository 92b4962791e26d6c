"""The policy commands: `levers --matrix`, `counterfactual`, and their refusals (exit 2, a sentence
naming the file or option, the field and the value; never a traceback)."""
from __future__ import annotations

import json

import pytest

from mogok_econ.inputs.levers import available_levers
from mogok_econ.inputs.scenarios import available_scenarios


def test_levers_matrix_json_has_every_lever_under_every_scenario(run_cli):
    code, out, err = run_cli("levers", "--matrix", "--json", "--draws", "1000")
    assert code == 0, err
    result = json.loads(out)
    assert len(result["cells"]) == len(available_levers()) * len(available_scenarios())
    assert sorted(s["name"] for s in result["scenarios"]) == sorted(available_scenarios())
    assert all(s["title"] and s["title"] != s["name"] for s in result["scenarios"])
    cell = next(c for c in result["cells"] if c["lever"] == "enforce_gem_sanctions" and c["scenario"] == "junta_informal")
    assert cell["feasible"] and cell["applicable"]
    band = cell["junta_denied_usd"]
    assert band["p5"] <= band["p50"] <= band["p95"] and band["point"] > 0
    # enforcement now moves the formal share as much as its mechanism says, beside the price; the flag is a
    # property of each cell, and a lever that moves mainly volume and price (reopening routes) still has it
    assert isinstance(cell["works_through_volume_and_price"], bool)
    routes = next(c for c in result["cells"] if c["lever"] == "reopen_routes" and c["scenario"] == "junta_informal")
    assert routes["applicable"] and routes["works_through_volume_and_price"] is True
    skipped = next(c for c in result["cells"] if c["lever"] == "armed_group_tax_cap" and c["scenario"] == "junta_informal")
    assert not skipped["applicable"] and skipped["not_applicable_because"]


def test_levers_json_flags_feasibility_and_never_pairs_conflicts(run_cli):
    code, out, err = run_cli("levers", "junta_informal", "--json", "--draws", "1000")
    assert code == 0, err
    result = json.loads(out)
    pairs = [set(r["levers"]) for r in result["results"]]
    assert {"eiti_transparency", "enforce_gem_sanctions"} not in pairs
    assert any(set(p["levers"]) == {"eiti_transparency", "enforce_gem_sanctions"} for p in result["not_combined"])
    feasible = [r["feasible"] for r in result["results"]]
    assert feasible == sorted(feasible, reverse=True)  # every feasible option before every infeasible one
    assert all("value_destroyed_per_junta_dollar_denied" in r for r in result["results"])


def test_levers_without_a_scenario_or_matrix_is_refused(run_cli):
    code, _, err = run_cli("levers")
    assert code == 2 and "scenario" in err and "Traceback" not in err


def test_counterfactual_json(run_cli):
    code, out, err = run_cli("counterfactual", "sanction_military_concessions", "--json", "--draws", "1000")
    assert code == 0, err
    result = json.loads(out)
    assert result["from"] == "2021-02-01" and result["levers"][0]["title"]
    junta = result["totals_since_usd"]["junta"]
    assert junta["change"]["point"] < 0 and junta["change"]["p95"] < 0
    assert junta["counterfactual"]["point"] == pytest.approx(junta["actual"]["point"] + junta["change"]["point"])
    assert result["monthly_running_totals_usd"][0]["month"] == "2021-02"
    assert any(t["applied_although_infeasible"] for t in result["treatment"])


@pytest.mark.parametrize("args, fragment", [
    (("sanction_military_concessions", "--from", "2030-01"), "--from = '2030-01'"),
    (("sanction_military_concessions", "--from", "2021-13"), "--from = '2021-13'"),
    (("sanction_military_concessions", "--from", "1999-01"), "outside the timeline"),
    (("no_such_lever",), "no such lever"),
    (("eiti_transparency", "enforce_gem_sanctions"), "must not be combined"),
])
def test_counterfactual_bad_input_exits_2(run_cli, args, fragment):
    code, _, err = run_cli("counterfactual", *args, "--draws", "1000")
    assert code == 2 and fragment in err and "Traceback" not in err


@pytest.mark.parametrize("extra, fragment", [
    ({"conflicts_with": [{"lever": "ghost", "why": "x"}]}, "conflicts_with[0].lever = 'ghost'"),
    ({"feasible_under": [{"scenario": "atlantis", "rationale": "x"}]}, "feasible_under[0].scenario = 'atlantis'"),
])
def test_a_lever_naming_an_unknown_lever_or_scenario_exits_2(data_dir, run_cli, extra, fragment):
    data_dir.scenario("base")
    doc = {"name": "bad", "title": "Bad", "summary": "For a test.", "source": "test-source",
           "changes": [{"parameter": "checkpoint_rate", "op": "set", "value": 0.0}], "feasible_under": []}
    doc.update(extra)
    data_dir.write_yaml("levers/bad.yaml", doc)
    code, _, err = run_cli("levers", "base", "bad", "--draws", "1000")
    assert code == 2 and "levers/bad.yaml" in err and fragment in err
