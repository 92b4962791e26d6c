"""The `mogok-econ` command: listing, splitting (JSON and table), validation exit codes."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import mogok_econ
from mogok_econ import ACTORS, load_scenario, point_estimate

from .conftest import run_command

#: What every `split --json` says about how it was made (what it drew from, the package's version, the commit,
#: the data's hash).
PROVENANCE = ("draws_from", "version", "commit", "data_hash")
#: The documented keys of `split --json` (docs/model.md and the README).
DOCUMENTED = ("scenario", "gross_value_usd", "realised_value_usd", "recorded_value_usd", "miner_income_usd_per_month",
              "hand_miner_income_usd_per_month", "hand_miner_median_income_usd_per_month", "miner_headcount",
              "wage_workers_employed", "wage_workers_laid_off", "unrealised_usd", "flows_usd", "groups_usd")


def test_split_json_is_exactly_the_documented_object(data_dir, run_cli):
    data_dir.scenario("base")
    code, out, err = run_cli("split", "base", "--json", "--priors")  # the numbers below are worked out from the priors
    assert code == 0, err
    result = json.loads(out)
    assert set(result) == {*DOCUMENTED, *PROVENANCE} and result["draws_from"] == "priors"
    assert set(result["unrealised_usd"]) == {"production_shortfall", "stockpiled", "price_effect"}
    assert list(result["flows_usd"]) == list(ACTORS) and list(result["groups_usd"]) == ["armed_groups"]
    assert result["realised_value_usd"] == pytest.approx(163.2e6)
    assert result["recorded_value_usd"] == pytest.approx(0.3 * 163.2e6)
    assert sum(result["flows_usd"].values()) == pytest.approx(result["realised_value_usd"])
    groups = result["groups_usd"]["armed_groups"]
    assert groups == pytest.approx(sum(result["flows_usd"][a] for a in ("tnla", "pdf", "other_armed")))
    # the same numbers as the package's point estimate
    expected = point_estimate(load_scenario("base", data=data_dir.root))
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
    code, out, _ = run_cli("split", "base", "--draws", "1000", "--priors")
    assert code == 0
    assert "Junta" in out and "Armed groups (all)" in out and "P95" in out
    assert "Wage workers employed: 12,000" in out and "Mean per miner: $160 a month" in out
    assert "Drawn from the priors" in out


def test_scenarios_lists_titles_and_periods(data_dir, run_cli):
    data_dir.scenario("base")
    code, out, _ = run_cli("scenarios")
    assert code == 0 and "base" in out and "Base scenario for tests" in out and "2020-01 to 2024-07" in out


def test_scenarios_flags_invalid_files(data_dir, run_cli):
    data_dir.scenario("base")
    data_dir.write_yaml("scenarios/broken.yaml", "name: [")
    code, out, _ = run_cli("scenarios")
    assert code == 2 and "broken" in out and "INVALID" in out


def test_installed_command_runs_on_the_shipped_data_and_gives_the_reports_central_estimate():
    """By default the command draws from the calibrated posterior, as the reports do: its central estimate is
    the model at the posterior's medians (what the reports print), not at the priors' values."""
    from mogok_econ.analysis.calibration import posterior_for

    result = run_command("split", "junta_informal", "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["draws_from"] == "posterior"
    expected = point_estimate(load_scenario("junta_informal"), posterior_for(True)).to_dict()  # as the reports
    assert printed["flows_usd"] == pytest.approx(expected["flows_usd"], rel=1e-12)
    assert printed["realised_value_usd"] == pytest.approx(expected["realised_value_usd"], rel=1e-12)


def test_the_posterior_is_the_default_calibrated_is_accepted_and_priors_asks_for_the_priors(run_cli):
    def split(*flags):
        code, out, err = run_cli("split", "junta_reopened", "--json", "--draws", "2000", *flags)
        assert code == 0, err
        return json.loads(out)

    default, calibrated, priors = split(), split("--calibrated"), split("--priors")
    assert default == calibrated and default["draws_from"] == "posterior" and priors["draws_from"] == "priors"
    # the posterior raises the value of output G by about 40% (how much of it is sold also moves with who digs:
    # the posterior weighs open access down, docs/model.md "Readings")
    assert default["gross_value_usd"] > 1.3 * priors["gross_value_usd"]
    assert default["quantiles"]["junta"]["p50"] > priors["quantiles"]["junta"]["p50"]
    assert (priors["realised_value_usd"] ==
            pytest.approx(point_estimate(load_scenario("junta_reopened")).realised_value_usd, rel=1e-12))
    code, _, err = run_cli("split", "junta_reopened", "--priors", "--calibrated")
    assert code == 2 and "not allowed" in err


@pytest.mark.parametrize("command", ["split", "timeline", "levers", "counterfactual", "export"])
def test_every_command_that_draws_offers_priors_and_says_the_posterior_is_the_default(run_cli, command):
    code, out, _ = run_cli(command, "--help")
    assert code == 0 and "--priors" in out and "--calibrated" in out and "calibrated posterior" in out


HEAVY = ("numpy", "pandas", "scipy", "SALib", "matplotlib", "pydantic", "yaml", "arviz", "nbformat", "weasyprint")


@pytest.mark.parametrize("code", [
    "import mogok_econ, mogok_econ.cli",
    "import mogok_econ.cli as c; c.build_parser()",
    *(f"import mogok_econ.cli as c\ntry: c.main({argv!r})\nexcept SystemExit: pass"
      for argv in (["--help"], ["--version"], ["split", "--help"], ["render", "--help"], ["export", "--help"])),
])
def test_the_command_line_answers_help_without_importing_the_model(code):
    """`import mogok_econ.cli`, `--help`, `--version` and `CMD --help` import none of the scientific stack
    (which took about 2 s of every command): each command imports what it needs when it runs."""
    check = f"{code}\nimport sys, json\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_the_packages_public_names_are_all_reachable_lazily():
    from mogok_econ import _PUBLIC

    assert set(mogok_econ.__all__) == {*_PUBLIC, "__version__"}
    for name in mogok_econ.__all__:
        assert getattr(mogok_econ, name) is not None
    assert mogok_econ.load_scenario is load_scenario and "load_scenario" in dir(mogok_econ)
    assert mogok_econ.analysis.monte_carlo.monte_carlo is mogok_econ.monte_carlo
    with pytest.raises(AttributeError):
        mogok_econ.no_such_name  # noqa: B018
