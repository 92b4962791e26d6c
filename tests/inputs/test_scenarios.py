"""Every kind of bad scenario input gets a clear error naming file, field and value; the CLI exits 2
without a traceback. Valid files (including `extends` and `400e6`) load."""
from __future__ import annotations

import copy

import pytest
import yaml

from mogok_econ import InputError, load_scenario
from mogok_econ.core.levies import worst_case_levies
from tests.conftest import BASE_SCENARIO, run_in_process


def _params(**changes):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["parameters"].update(changes)
    return doc


def _error(data_dir, name="bad", file=None) -> str:
    with pytest.raises(InputError) as info:
        load_scenario(name, data=data_dir.root)
    text = str(info.value)
    assert f"{file or name}.yaml" in text, text  # names the file
    assert "Traceback" not in text
    return text


def test_valid_scenario_loads_and_reads_scientific_notation(data_dir):
    path = data_dir.scenario("base")
    path.write_text(path.read_text().replace("150000000.0", "150e6"))
    assert "150e6" in path.read_text()
    s = load_scenario("base", data=data_dir.root)
    assert s.parameters["gross_value_usd"].distribution.low == 150e6
    assert s.parameters["production_factor"].sources == ("assumption",)


def test_extends_overrides_only_what_differs(data_dir):
    data_dir.scenario("base")
    data_dir.write_yaml("scenarios/child.yaml", {
        "name": "child", "title": "Child", "period": {"start": "2024-07", "end": None}, "extends": "base",
        "summary": "Overrides one value and one table.",
        "parameters": {"wage_share": {"value": 0.5, "source": "assumption", "note": "test"}},
        "recipients": {"state_tax_to": {"tnla": 1.0}},
    })
    child = load_scenario("child", data=data_dir.root)
    assert child.parameters["wage_share"].point == 0.5
    assert child.parameters["formal_share"].point == 0.3      # inherited
    assert child.recipients["state_tax_to"] == {"tnla": 1.0}
    assert child.recipients["extortion_to"] == {"junta": 0.2, "tnla": 0.6, "pdf": 0.2}
    assert child.lineage == ("base", "child")


@pytest.mark.parametrize("changes, field, fragment", [
    ({"production_factor": 1.3}, "parameters.production_factor", "[0, 1]"),
    ({"wage_share": -0.1}, "parameters.wage_share", "[0, 1]"),
    ({"wage_usd_per_month": -5}, "parameters.wage_usd_per_month", "[0, infinity)"),
    ({"miner_count": 0}, "parameters.miner_count", "(0, infinity)"),
    ({"wage_usd_per_month": {"value": 4800, "unit": "MMK/fortnight", "source": "test-source"}},
     "parameters.wage_usd_per_month.unit", "not a unit the converter knows"),
    ({"wage_usd_per_month": {"value": -4800, "unit": "MMK/day", "source": "test-source"}},
     "parameters.wage_usd_per_month", "must be 0 or more"),
    ({"trader_margin": {"value": 0.1, "unit": "MMK/day", "source": "test-source"}},
     "parameters.trader_margin.unit", "no kyat unit"),
    ({"gross_value_usd": 0}, "parameters.gross_value_usd", "(0, infinity)"),
    ({"market_access": {"dist": "triangular", "low": 0.9, "mode": 0.5, "high": 1.0}},
     "parameters.market_access", "low <= mode <= high"),
    ({"market_access": {"dist": "uniform", "low": 0.9, "high": 0.5}}, "parameters.market_access", "low <= high"),
    ({"price_factor": {"dist": "lognormal", "low": 0.5, "high": 1}}, "parameters.price_factor", "a parameter must be"),
    ({"price_factor": {"dist": "pert", "low": 0.5, "high": 1}}, "parameters.price_factor.mode", "required"),
    ({"production_factor": {"value": 0.5, "sorce": "assumption"}}, "parameters.production_factor.sorce", "not a known field"),
    ({"production_factor": "high"}, "parameters.production_factor", "a parameter must be"),
    ({"production_factor": True}, "parameters.production_factor", "a parameter must be"),
    ({"production_factor": {"value": 0.5, "source": "no-such-source"}}, "parameters.production_factor.source", "not an id"),
    ({"production_factor": {"value": 0.5, "source": "assumption"}}, "parameters.production_factor.note", "must say why"),
    ({"prodution_factor": 0.5}, "parameters.prodution_factor", "not a known name"),
])
def test_bad_parameter_is_named(data_dir, changes, field, fragment):
    data_dir.scenario("bad", _params(**changes))
    text = _error(data_dir)
    assert field in text and fragment in text, text


@pytest.mark.parametrize("literal", [".nan", ".inf", "-.inf", ".NaN"])
def test_nan_and_infinity_refused(data_dir, literal):
    path = data_dir.scenario("bad", _params(checkpoint_rate=0.123456))
    path.write_text(path.read_text().replace("0.123456", literal))
    text = _error(data_dir)
    assert "parameters.checkpoint_rate" in text and "finite" in text


def test_missing_parameter(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    del doc["parameters"]["trader_margin"]
    data_dir.scenario("bad", doc)
    assert "parameters.trader_margin" in _error(data_dir)


def test_miner_count_is_required(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    del doc["parameters"]["miner_count"]
    data_dir.scenario("base", doc)
    with pytest.raises(InputError) as exc:
        load_scenario("base", data=data_dir.root)
    assert "parameters.miner_count" in str(exc.value) and "is required" in str(exc.value)


@pytest.mark.parametrize("table, shares, fragment", [
    ("state_tax_to", {"junta": 0.5, "tnla": 0.4}, "add up to 0.9"),
    ("extortion_to", {"junta": 0.5, "pdf": 0.5 + 2e-9}, "must add up to 1"),
    ("owner_stakes", {"miners": 1.0}, "cannot receive owner_stakes"),
    ("checkpoint_to", {"police": 1.0}, "police cannot receive checkpoint_to"),
    ("checkpoint_to", {"junta": 1.5, "tnla": -0.5}, "a share must lie in [0, 1]"),
    ("extortion_to", {"armed_groups": 1.0}, "is a group, not an actor: name its members instead (tnla, pdf, other_armed)"),
    ("owner_stakes", {"traders": 1.0}, "traders cannot receive owner_stakes"),
])
def test_bad_recipients(data_dir, table, shares, fragment):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["recipients"][table] = shares
    data_dir.scenario("bad", doc)
    text = _error(data_dir)
    assert f"recipients.{table}" in text and fragment in text, text


def test_recipients_sum_within_tolerance_is_accepted(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["recipients"]["extortion_to"] = {"junta": 0.1, "tnla": 0.2, "mine_owners": 0.7}  # 0.1+0.2 != 0.3 in floats
    data_dir.scenario("base", doc)
    load_scenario("base", data=data_dir.root)


def test_missing_recipients_table(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    del doc["recipients"]["checkpoint_to"]
    data_dir.scenario("bad", doc)
    assert "recipients.checkpoint_to" in _error(data_dir)


def test_levies_that_can_leave_negative_remainder(data_dir):
    doc = _params(extortion_rate={"dist": "triangular", "low": 0.1, "mode": 0.3, "high": 0.8},
                  trader_margin=0.2, formal_share={"dist": "uniform", "low": 0.0, "high": 0.5})
    data_dir.scenario("bad", doc)
    text = _error(data_dir)
    # worst corner: f = 0, x = 0.8, c = 0.05, m = 0.2 -> 1.05
    assert "1.050" in text and "negative mine-gate" in text


def test_levies_exactly_one_are_allowed(data_dir):
    doc = _params(extortion_rate=0.85, trader_margin=0.1, formal_share=0.0, checkpoint_rate=0.05)
    data_dir.scenario("base", doc)
    assert worst_case_levies(load_scenario("base", data=data_dir.root).bounds()) == pytest.approx(1.0)


def test_company_costs_and_the_state_share_above_the_sites_value_are_refused(data_dir):
    doc = _params(company_cost_share={"dist": "uniform", "low": 0.2, "high": 0.6}, state_production_share=0.5)
    data_dir.scenario("bad", doc)
    text = _error(data_dir)
    assert "1.100" in text and "company_cost_share" in text and "state_production_share" in text


def test_a_scenario_without_the_new_structure_loads_with_its_defaults(data_dir):
    data_dir.scenario("base", _params())
    s = load_scenario("base", data=data_dir.root)
    for key in ("company_cost_share", "state_production_share"):  # no costs, no state share: as before
        assert s.parameters[key].distribution.point == 0.0 and s.parameters[key].defined_in == "default"


def test_extends_cycle(data_dir):
    for a, b in (("one", "two"), ("two", "three"), ("three", "one")):
        doc = {"name": a, "title": a, "period": {"start": "2020-01"}, "summary": "x", "extends": b}
        data_dir.write_yaml(f"scenarios/{a}.yaml", doc)
    text = _error(data_dir, "one", file="three")  # the file whose `extends` closes the cycle
    assert "extends = 'one'" in text and "cycle" in text and "one -> two -> three -> one" in text


def test_extends_unknown(data_dir):
    data_dir.scenario("bad", extends="nowhere")
    assert "extends" in _error(data_dir) and "nowhere" in _error(data_dir)


@pytest.mark.parametrize("content, fragment", [
    ("", "is empty"),
    ("   \n# only a comment\n", "holds no data"),
    ("name: [unclosed\n", "not valid YAML at line"),
    ("- a\n- list\n", "must be a YAML mapping"),
    ("name: bad\nname: again\n", "appears twice"),
    ("!!python/object/apply:os.system ['echo pwned']\n", "not valid YAML"),
])
def test_malformed_files(data_dir, content, fragment):
    data_dir.write_yaml("scenarios/bad.yaml", content)
    text = _error(data_dir)
    assert fragment in text, text


def test_unknown_top_level_key_and_wrong_name(data_dir):
    data_dir.scenario("bad", name="other", colour="red")
    text = _error(data_dir)
    assert "colour" in text and "not a known field" in text


def test_name_must_equal_file_stem(data_dir):
    data_dir.scenario("bad", name="other")
    assert "must equal the file's stem" in _error(data_dir)


def test_missing_file_and_unknown_name(data_dir, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load_scenario(tmp_path / "nope.yaml", data=data_dir.root)
    with pytest.raises(InputError, match="no such scenario"):
        load_scenario("nope", data=data_dir.root)


@pytest.mark.parametrize("name", ["../sources", "..", "Base", "a b", "base;rm"])
def test_names_cannot_escape_the_scenarios_folder(data_dir, name):
    data_dir.scenario("base")
    with pytest.raises(InputError, match="scenario"):
        load_scenario(name, data=data_dir.root)


def test_python_tags_cannot_run_code(data_dir, tmp_path):
    marker = tmp_path / "ran"
    data_dir.write_yaml("scenarios/bad.yaml", f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(InputError):
        load_scenario("bad", data=data_dir.root)
    assert not marker.exists()


def test_cli_reports_every_problem_without_traceback(data_dir):
    data_dir.scenario("base")
    data_dir.scenario("bad", _params(production_factor=1.3, wage_share=2.0))
    empty = data_dir.write_yaml("scenarios/empty.yaml", "")
    result = run_in_process("validate", str(data_dir.root / "scenarios" / "bad.yaml"), str(empty))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "parameters.production_factor = 1.3" in result.stderr
    assert "parameters.wage_share = 2.0" in result.stderr
    assert "empty.yaml" in result.stderr and "is empty" in result.stderr
    ok = run_in_process("validate", str(data_dir.root / "scenarios" / "base.yaml"))
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("args", [
    ["split", "nope"], ["split", "../etc/passwd"], ["split", "base", "--draws", "-5"],
    ["split", "base", "--draws", "many"], ["split", "base", "--seed", "-1"], ["split", "/no/such/file.yaml"],
])
def test_cli_bad_arguments_exit_2_without_traceback(data_dir, args):
    data_dir.scenario("base")
    result = run_in_process(*args)
    assert result.returncode == 2, result
    assert ("Traceback" not in result.stderr and "error" in result.stderr.lower()) or "mogok-econ:" in result.stderr


def test_extends_from_a_file_outside_the_scenarios_folder_finds_the_shipped_scenario(data_dir, tmp_path):
    data_dir.scenario("base")
    elsewhere = tmp_path / "my-work" / "variant.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(yaml.safe_dump({"name": "variant", "title": "A variant", "extends": "base",
                                         "period": {"start": "2021-01"}, "summary": "Lives outside data/.",
                                         "parameters": {"trader_margin": 0.05}}))
    s = load_scenario(elsewhere, data=data_dir.root)
    assert s.lineage == ("base", "variant") and s.parameters["trader_margin"].point == 0.05


def test_extends_prefers_the_scenario_beside_the_file(data_dir, tmp_path):
    data_dir.scenario("base")
    folder = tmp_path / "my-work"
    folder.mkdir()
    local = copy.deepcopy(BASE_SCENARIO)
    local["parameters"]["trader_margin"] = 0.02
    (folder / "base.yaml").write_text(yaml.safe_dump(local))
    (folder / "child.yaml").write_text(yaml.safe_dump({"name": "child", "title": "Child", "extends": "base",
                                                       "period": {"start": "2021-01"}, "summary": "s"}))
    assert load_scenario(folder / "child.yaml", data=data_dir.root).parameters["trader_margin"].point == 0.02


def test_extends_names_every_place_it_looked(data_dir, tmp_path):
    path = tmp_path / "orphan.yaml"
    path.write_text(yaml.safe_dump({"name": "orphan", "title": "Orphan", "extends": "nowhere",
                                    "period": {"start": "2021-01"}, "summary": "s"}))
    with pytest.raises(InputError) as exc:
        load_scenario(path, data=data_dir.root)
    message = str(exc.value)
    assert "extends" in message and "'nowhere'" in message
    assert str(tmp_path / "nowhere.yaml") in message and "scenarios/nowhere.yaml" in message


@pytest.mark.parametrize(("correlations", "fragment"), [
    ([{"between": ["market_access", "extortion_rate"], "rho": 1.5, "source": "test-source"}],
     "a rank correlation must lie in [-1, 1]"),
    ([{"between": ["market_access", "extortion_rate"], "rho": 0.9, "source": "test-source"},
      {"between": ["market_access", "price_factor"], "rho": 0.9, "source": "test-source"},
      {"between": ["extortion_rate", "price_factor"], "rho": -0.9, "source": "test-source"}],
     "not form a positive semi-definite matrix"),
    ([{"between": ["market_access", "state_tax_rate"], "rho": 0.5, "source": "test-source"}],
     "state_tax_rate is not an uncertain parameter"),
    ([{"between": ["market_access", "price_factor"], "rho": 0.5, "source": "assumption"}],
     "needs a source, or `assumption` with a note"),
])
def test_bad_correlations_are_refused(data_dir, correlations, fragment):
    data_dir.scenario("bad", correlations=correlations)
    text = _error(data_dir)
    assert "correlations" in text and fragment in text, text


def test_a_correlation_moves_the_draws_together(data_dir):
    from mogok_econ.analysis.monte_carlo import draw_parameters

    data_dir.scenario("base", correlations=[{"between": ["market_access", "price_factor"], "rho": 0.8,
                                             "source": "assumption", "note": "a test"}])
    values = draw_parameters(load_scenario("base", data=data_dir.root), 20_000, seed=3)
    from scipy.stats import spearmanr

    assert spearmanr(values["market_access"], values["price_factor"]).statistic == pytest.approx(0.8, abs=0.03)


def test_a_shared_parameter_set_by_a_scenario_needs_a_note(data_dir):
    params = copy.deepcopy(BASE_SCENARIO["parameters"])
    params["working_days_per_month"] = 22
    data_dir.scenario("bad", parameters=params)
    assert "working_days_per_month" in _error(data_dir) and "must say why in a note" in _error(data_dir)


def test_a_recipients_table_may_be_left_out_where_its_rate_is_zero(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["parameters"]["pit_levy_rate"] = 0.4
    data_dir.scenario("bad", doc)
    text = _error(data_dir)
    assert "recipients.pit_levy_to" in text and "is required where pit_levy_rate" in text
    data_dir.scenario("base")  # no pit levy, no fee, no seizures: no table needed for them
    assert "pit_levy_to" not in load_scenario("base", data=data_dir.root).recipients
