"""`mogok-econ calibrate` and `mogok-econ agenda`: JSON as documented, bad input exits 2 naming file, field and value."""
from __future__ import annotations

import json

import pytest

from tests.calibration_fixtures import GOOD, calibration_data


def test_calibrate_json_has_the_documented_keys(data_dir, run_cli):
    calibration_data(data_dir, {"sales": GOOD})
    code, out, err = run_cli("calibrate", "--json", "--draws", "3000", "--seed", "4")
    assert code == 0, err
    result = json.loads(out)
    assert {"method", "ess", "khat", "observables", "parameters", "moved", "warnings", "criteria"} <= set(result)
    row = result["observables"][0]
    assert row["id"] == "sales" and {"p5", "p50", "p95"} == set(row["prior"]) == set(row["posterior"])
    assert row["holds_posterior"] in (True, False)
    assert any(p["parameter"] == "gross_value_usd" and p["owner"] == "base" for p in result["parameters"])
    assert run_cli("calibrate", "--json", "--draws", "3000", "--seed", "4")[1] == out  # the same bytes
    assert "seconds" not in result


def test_calibrate_reads_another_observables_file_and_prints_a_table(data_dir, run_cli, tmp_path):
    calibration_data(data_dir)
    other = data_dir.write_yaml("elsewhere.yaml", {"observables": {"sales": GOOD}})
    code, out, err = run_cli("calibrate", "--observables", str(other), "--draws", "2000")
    assert code == 0, err
    assert "sales" in out and "ESS" in out and "k-hat" in out


@pytest.mark.parametrize(("change", "field", "value"), [
    ({"quantity": "happiness"}, "observables.sales.quantity", "happiness"),
    ({"scenario": "no_such"}, "observables.sales.scenario", "no_such"),
    ({"scenario": None, "period": {"start": "1999-01", "end": "1999-12"}}, "observables.sales.period", "1999-01"),
    ({"source": "nobody"}, "observables.sales.source", "nobody"),
    ({"observed": {"low": 3e8, "high": 2e8}}, "observables.sales.observed", "300000000"),
    ({"observed": {"low": 1e15, "high": 2e15}}, "observables.sales.observed", "1e+15"),  # ESS 0
])
def test_bad_observables_exit_2_naming_file_field_and_value(data_dir, run_cli, change, field, value):
    entry = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    calibration_data(data_dir, {"sales": entry})
    code, out, err = run_cli("calibrate", "--draws", "2000")
    assert code == 2 and not out
    assert "observables.yaml" in err and field in err and value in err and "Traceback" not in err, err


def test_a_missing_observables_file_exits_2(data_dir, run_cli):
    calibration_data(data_dir)
    code, _, err = run_cli("calibrate", "--observables", "nowhere.yaml")
    assert code == 2 and "nowhere.yaml" in err and "no such observables file" in err


def test_agenda_json_ranks_parameters_and_says_indices_are_not_additive(data_dir, run_cli):
    calibration_data(data_dir, {"sales": GOOD})
    code, out, err = run_cli("agenda", "--json", "--draws", "2000")
    assert code == 0, err
    result = json.loads(out)
    assert "not additive" in result["caveat"]
    ranks = [r["rank"] for r in result["parameters"]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    first = result["parameters"][0]
    assert first["grade"] in ("official record or audit", "investigation with figures", "press report or interview",
                              "assumption")
    assert all(0 <= r["first_order"] <= 1 for r in result["parameters"])
    g = next(r for r in result["parameters"] if r["parameter"] == "gross_value_usd")
    assert g["first_order"] > 0.2  # Y is proportional to G in the base scenario: G must explain much of it


def test_a_parameter_is_graded_by_its_weakest_source():
    from mogok_econ.analysis.agenda import parameter_grade, source_grade

    assert source_grade("us-treasury-2021-04-08") == "official record or audit"
    assert source_grade("global-witness-2021-12") == "investigation with figures"
    assert source_grade("irrawaddy-2024-11-tnla-mining") == "press report or interview"
    sources = ("us-treasury-2021-04-08", "myanmar-now-2021-12-conflict-rubies")
    assert parameter_grade(sources) == "press report or interview"
    assert parameter_grade(sources, weakest=False) == "official record or audit"
    assert parameter_grade(()) == parameter_grade(("assumption",)) == "assumption"
