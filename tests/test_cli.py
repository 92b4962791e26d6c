"""The `mogok-econ` command: listing, splitting (JSON and table), validation exit codes."""
from __future__ import annotations

import json

import pytest

from mogok_econ import ACTORS, load_scenario, point_estimate

from .conftest import run_command

#: What every `split --json` says about how it was made (the package's version, the commit, the data's hash).
PROVENANCE = ("version", "commit", "data_hash")
#: The documented keys of `split --json` (docs/model.md and the README).
DOCUMENTED = ("scenario", "gross_value_usd", "realised_value_usd", "recorded_value_usd", "miner_income_usd_per_month",
              "hand_miner_income_usd_per_month", "wage_workers_employed", "wage_workers_laid_off", "unrealised_usd",
              "flows_usd", "groups_usd")


def test_split_json_is_exactly_the_documented_object(data_dir, run_cli):
    data_dir.scenario("base")
    code, out, err = run_cli("split", "base", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {*DOCUMENTED, *PROVENANCE}
    assert set(result["unrealised_usd"]) == {"production_shortfall", "stockpiled", "price_effect"}
    assert list(result["flows_usd"]) == list(ACTORS) and list(result["groups_usd"]) == ["armed_groups"]
    assert result["realised_value_usd"] == pytest.approx(163.2e6)
    assert result["recorded_value_usd"] == pytest.approx(0.3 * 163.2e6)
    assert sum(result["flows_usd"].values()) == pytest.approx(result["realised_value_usd"])
    groups = result["groups_usd"]["armed_groups"]
    assert groups == pytest.approx(sum(result["flows_usd"][a] for a in ("tnla", "pdf", "other_armed")))
    # the same numbers as the package's point estimate
    expected = point_estimate(load_scenario("base"))
    assert result["miner_income_usd_per_month"] == pytest.approx(expected.miner_income_usd_per_month)
    assert result["wage_workers_employed"] == pytest.approx(12_000)


def test_split_json_with_draws_adds_quantiles_and_is_reproducible(data_dir, run_cli):
    data_dir.scenario("base")
    _, first, _ = run_cli("split", "base", "--json", "--draws", "20000", "--seed", "11")
    _, second, _ = run_cli("split", "base", "--json", "--draws", "20000", "--seed", "11")
    assert first == second
    result = json.loads(first)
    assert set(result) == {*DOCUMENTED, "quantiles", *PROVENANCE}
    assert set(result["quantiles"]) == {*ACTORS, "armed_groups"}
    for q in result["quantiles"].values():
        assert set(q) == {"p5", "p50", "p95"} and q["p5"] <= q["p50"] <= q["p95"]


def test_split_without_miner_count_is_refused(data_dir, run_cli):
    path = data_dir.scenario("base")
    path.write_text("\n".join(line for line in path.read_text().splitlines() if "miner_count" not in line))
    code, _, err = run_cli("split", "base", "--json")
    assert code == 2 and "parameters.miner_count" in err and "is required" in err


def test_split_accepts_a_path(data_dir, run_cli, tmp_path):
    path = data_dir.scenario("base")
    code, out, _ = run_cli("split", str(path), "--json")
    assert code == 0 and json.loads(out)["scenario"] == "base"


def test_split_table_is_readable(data_dir, run_cli):
    data_dir.scenario("base")
    code, out, _ = run_cli("split", "base", "--draws", "1000")
    assert code == 0
    assert "Junta" in out and "Armed groups (all)" in out and "P95" in out
    assert "Wage workers employed: 12,000" in out and "Mean per miner: $160 a month" in out


def test_scenarios_lists_titles_and_periods(data_dir, run_cli):
    data_dir.scenario("base")
    code, out, _ = run_cli("scenarios")
    assert code == 0 and "base" in out and "Base scenario for tests" in out and "2020-01 to 2024-07" in out


def test_scenarios_flags_invalid_files(data_dir, run_cli):
    data_dir.scenario("base")
    data_dir.write_yaml("scenarios/broken.yaml", "name: [")
    code, out, _ = run_cli("scenarios")
    assert code == 2 and "broken" in out and "INVALID" in out


def test_installed_command_runs_on_the_shipped_data():
    result = run_command("split", "junta_informal", "--json")
    assert result.returncode == 0, result.stderr
    expected = point_estimate(load_scenario("junta_informal")).to_dict()
    printed = json.loads(result.stdout)
    assert printed["flows_usd"] == pytest.approx(expected["flows_usd"], rel=1e-12)
    assert printed["realised_value_usd"] == pytest.approx(expected["realised_value_usd"], rel=1e-12)
