"""Every kind of bad scenario input gets a clear error naming file, field and value; the CLI exits 2
without a traceback. Valid files (including `extends` and `400e6`) load."""
from __future__ import annotations

import copy

import pytest
import yaml

from mogok_econ import InputError, load_scenario
from mogok_econ.core.levies import worst_case_levies
from tests.conftest import BASE_SCENARIO, run_command


def _params(**changes):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["parameters"].update(changes)
    return doc


def _error(data_dir, name="bad", file=None) -> str:
    with pytest.raises(InputError) as info:
        load_scenario(name)
    text = str(info.value)
    assert f"{file or name}.yaml" in text, text  # names the file
    assert "Traceback" not in text
    return text


def test_valid_scenario_loads_and_reads_scientific_notation(data_dir):
    path = data_dir.scenario("base")
    path.write_text(path.read_text().replace("150000000.0", "150e6"))
    assert "150e6" in path.read_text()
    s = load_scenario("base")
    assert s.parameters["gross_value_usd"].distribution.low == 150e6
    assert s.parameters["production_factor"].sources == ("assumption",)


def test_extends_overrides_only_what_differs(data_dir):
    data_dir.scenario("base")
    data_dir.write_yaml("scenarios/child.yaml", {
        "name": "child", "title": "Child", "period": {"start": "2024-07", "end": None}, "extends": "base",
        "summary": "Overrides one value and one table.",
        "parameters": {"labour_share": {"value": 0.5, "source": "assumption", "note": "test"}},
        "recipients": {"state_tax_to": {"armed_groups": 1.0}},
    })
    child = load_scenario("child")
    assert child.parameters["labour_share"].point == 0.5
    assert child.parameters["formal_share"].point == 0.3      # inherited
    assert child.recipients["state_tax_to"] == {"armed_groups": 1.0}
    assert child.recipients["extortion_to"] == {"junta": 0.2, "armed_groups": 0.8}
    assert child.lineage == ("base", "child")


@pytest.mark.parametrize("changes, field, fragment", [
    ({"production_factor": 1.3}, "parameters.production_factor", "[0, 1]"),
    ({"labour_share": -0.1}, "parameters.labour_share", "[0, 1]"),
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


def test_miner_count_is_optional(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    del doc["parameters"]["miner_count"]
    data_dir.scenario("base", doc)
    assert "miner_count" not in load_scenario("base").parameters


@pytest.mark.parametrize("table, shares, fragment", [
    ("state_tax_to", {"junta": 0.5, "armed_groups": 0.4}, "add up to 0.9"),
    ("extortion_to", {"junta": 0.5, "armed_groups": 0.5 + 2e-9}, "must add up to 1"),
    ("owner_stakes", {"miners": 1.0}, "cannot receive owner_stakes"),
    ("checkpoint_to", {"police": 1.0}, "not a known name"),
    ("checkpoint_to", {"junta": 1.5, "armed_groups": -0.5}, "a share must lie in [0, 1]"),
])
def test_bad_recipients(data_dir, table, shares, fragment):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["recipients"][table] = shares
    data_dir.scenario("bad", doc)
    text = _error(data_dir)
    assert f"recipients.{table}" in text and fragment in text, text


def test_recipients_sum_within_tolerance_is_accepted(data_dir):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["recipients"]["extortion_to"] = {"junta": 0.1, "armed_groups": 0.2, "mine_owners": 0.7}  # 0.1+0.2 != 0.3 in floats
    data_dir.scenario("base", doc)
    load_scenario("base")


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
    assert worst_case_levies(load_scenario("base").bounds()) == pytest.approx(1.0)


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
        load_scenario(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="no such scenario"):
        load_scenario("nope")


@pytest.mark.parametrize("name", ["../sources", "..", "Base", "a b", "base;rm"])
def test_names_cannot_escape_the_scenarios_folder(data_dir, name):
    data_dir.scenario("base")
    with pytest.raises(InputError, match="scenario"):
        load_scenario(name)


def test_python_tags_cannot_run_code(data_dir, tmp_path):
    marker = tmp_path / "ran"
    data_dir.write_yaml("scenarios/bad.yaml", f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(InputError):
        load_scenario("bad")
    assert not marker.exists()


def test_cli_reports_every_problem_without_traceback(data_dir):
    data_dir.scenario("base")
    data_dir.scenario("bad", _params(production_factor=1.3, labour_share=2.0))
    empty = data_dir.write_yaml("scenarios/empty.yaml", "")
    result = run_command("validate", str(data_dir.root / "scenarios" / "bad.yaml"), str(empty))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "parameters.production_factor = 1.3" in result.stderr
    assert "parameters.labour_share = 2.0" in result.stderr
    assert "empty.yaml" in result.stderr and "is empty" in result.stderr
    ok = run_command("validate", str(data_dir.root / "scenarios" / "base.yaml"))
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize("args", [
    ["split", "nope"], ["split", "../etc/passwd"], ["split", "base", "--draws", "-5"],
    ["split", "base", "--draws", "many"], ["split", "base", "--seed", "-1"], ["split", "/no/such/file.yaml"],
])
def test_cli_bad_arguments_exit_2_without_traceback(data_dir, args):
    data_dir.scenario("base")
    result = run_command(*args)
    assert result.returncode == 2, result
    assert ("Traceback" not in result.stderr and "error" in result.stderr.lower()) or "mogok-econ:" in result.stderr


def test_extends_from_a_file_outside_the_scenarios_folder_finds_the_shipped_scenario(data_dir, tmp_path):
    data_dir.scenario("base")
    elsewhere = tmp_path / "my-work" / "variant.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(yaml.safe_dump({"name": "variant", "title": "A variant", "extends": "base",
                                         "period": {"start": "2021-01"}, "summary": "Lives outside data/.",
                                         "parameters": {"trader_margin": 0.05}}))
    s = load_scenario(elsewhere)
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
    assert load_scenario(folder / "child.yaml").parameters["trader_margin"].point == 0.02


def test_extends_names_every_place_it_looked(data_dir, tmp_path):
    path = tmp_path / "orphan.yaml"
    path.write_text(yaml.safe_dump({"name": "orphan", "title": "Orphan", "extends": "nowhere",
                                    "period": {"start": "2021-01"}, "summary": "s"}))
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    message = str(exc.value)
    assert "extends" in message and "'nowhere'" in message
    assert str(tmp_path / "nowhere.yaml") in message and "scenarios/nowhere.yaml" in message
