"""A user's own data folder (`--data DIR`, MOGOK_ECON_DATA), the version, and where the package reads and
writes when it runs from this checkout."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

import mogok_econ
from mogok_econ import cli, paths
from mogok_econ.inputs.world import load_world

from .conftest import BIBLIOGRAPHY, PRODUCT_CACHE, run_command

#: A scenario of a user's: the shipped junta_informal with one parameter changed.
MINE = {
    "name": "mine",
    "extends": "junta_informal",
    "title": "My variant",
    "period": {"start": "2025-11", "end": None},
    "summary": "The junta's informal control, with a larger share of miners on wages.",
    "parameters": {"wage_share": {"value": 0.4, "source": "assumption", "note": "my own guess"}},
}


@pytest.fixture
def my_data(tmp_path, monkeypatch) -> Path:
    """A user's folder with only scenarios/ (no bibliography, levers or timeline of its own)."""
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    folder = tmp_path / "my-data"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "scenarios" / "mine.yaml").write_text(yaml.safe_dump(MINE, sort_keys=False))
    return folder


def test_checkout_paths_are_those_of_the_repository():
    root = Path(__file__).resolve().parents[1]
    assert paths.CHECKOUT == root and paths.ROOT == root
    assert paths.SHIPPED_DATA == root / "data" and paths.NOTEBOOKS == root / "notebooks"
    assert paths.REPORTS == root / "reports" and paths.reports_dir() == root / "reports"
    assert PRODUCT_CACHE == root / ".cache" and paths.LOCK_FILE == root / "requirements.lock"
    assert not paths.inside_package(root / "reports")


@pytest.mark.parametrize("where", ["before", "after"])
def test_data_option_reads_a_users_folder_whose_scenarios_extend_the_shipped_ones(my_data, run_cli, where):
    args = ["split", "mine", "--json"]
    args = ["--data", str(my_data), *args] if where == "before" else [*args, "--data", str(my_data)]
    code, out, err = run_cli(*args)
    assert code == 0, err
    mine = json.loads(out)
    # from the priors: a data folder without observables.yaml has nothing observed (the shipped observables
    # describe the shipped scenarios), so its default "posterior" is not the shipped scenarios' one
    code, shipped, _ = run_cli("split", "junta_informal", "--json", "--priors")
    code, out, err = run_cli(*args, "--priors")
    mine = json.loads(out)
    assert mine["scenario"] == "mine" and mine["gross_value_usd"] == json.loads(shipped)["gross_value_usd"]
    assert mine["flows_usd"] != json.loads(shipped)["flows_usd"]  # the share of miners on wages changed
    assert mine["data_hash"] != json.loads(shipped)["data_hash"]
    assert os.environ.get(paths.DATA_ENV) is None  # the command line sets nothing in the environment


def test_the_data_option_lists_the_users_scenarios(my_data, run_cli):
    code, out, _ = run_cli("--data", str(my_data), "scenarios")
    assert code == 0 and out.split()[0] == "mine" and "junta_informal" not in out


def test_a_users_bibliography_adds_to_the_shipped_one(my_data, run_cli):
    (my_data / "sources.yaml").write_text(yaml.safe_dump(BIBLIOGRAPHY))
    doc = dict(MINE, parameters={"wage_share": {"value": 0.4, "source": "test-source"}})
    (my_data / "scenarios" / "mine.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    code, _, err = run_cli("--data", str(my_data), "split", "mine")
    assert code == 0, err  # cites test-source (theirs) and inherits parameters citing shipped sources


def test_extends_that_finds_nothing_names_every_place_it_looked(my_data, run_cli):
    (my_data / "scenarios" / "mine.yaml").write_text(yaml.safe_dump(dict(MINE, extends="atlantis"), sort_keys=False))
    code, _, err = run_cli("--data", str(my_data), "split", "mine")
    assert code == 2
    assert "atlantis" in err and str(my_data / "scenarios" / "atlantis.yaml") in err
    assert "data/scenarios/atlantis.yaml" in err  # the shipped scenarios


@pytest.mark.parametrize(("make", "fragment"), [
    (lambda p: None, "there is no such folder"),
    (lambda p: p.write_text("not a folder"), "not a folder"),
    (lambda p: p.mkdir(), "there is no scenarios/ folder in it"),
])
def test_a_data_folder_that_cannot_be_one_is_refused_with_what_is_expected(tmp_path, run_cli, make, fragment):
    folder = tmp_path / "wrong"
    make(folder)
    code, out, err = run_cli("--data", str(folder), "split", "junta_informal")
    assert code == 2 and out == ""
    assert f"--data {folder}: {fragment}" in err and "laid out like the shipped data/" in err
    assert len(err.strip().splitlines()) == 1


def test_a_bad_data_environment_variable_is_refused_the_same_way(tmp_path):
    env = {**os.environ, paths.DATA_ENV: str(tmp_path / "nowhere")}
    result = run_command("scenarios", env=env)
    assert result.returncode == 2 and f"{paths.DATA_ENV} {tmp_path / 'nowhere'}: there is no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_is_the_packages():
    result = run_command("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"mogok-econ {mogok_econ.__version__}"


def test_split_json_says_which_version_commit_and_data_made_it(run_cli):
    code, out, _ = run_cli("split", "junta_informal", "--json")
    result = json.loads(out)
    assert code == 0 and result["version"] == mogok_econ.__version__
    assert result["commit"] is None or len(result["commit"]) == 40
    assert len(result["data_hash"]) == 64 and result["data_hash"] == cli.data_hash(load_world())


def test_render_output_inside_the_installed_package_is_refused(monkeypatch, run_cli):
    monkeypatch.setattr(paths, "CHECKOUT", None)
    code, _, err = run_cli("render", "junta_informal", "--output", str(paths.PACKAGE / "out"))
    assert code == 2 and "inside the installed package" in err
    assert not (paths.PACKAGE / "out").exists()


def test_two_data_folders_in_one_process_each_see_their_own_scenarios(tmp_path, run_cli, monkeypatch):
    """Each run of the command line makes its own World: a folder given to one run is not seen by the next."""
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    folders = {}
    for name in ("first", "second"):
        folder = folders[name] = tmp_path / name
        (folder / "scenarios").mkdir(parents=True)
        doc = {**MINE, "name": f"{name}_case", "title": f"The {name} folder's case"}
        (folder / "scenarios" / f"{name}_case.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    for name, folder in folders.items():
        code, out, err = run_cli("--data", str(folder), "scenarios", "--json")
        assert code == 0, err
        assert [row["scenario"] for row in json.loads(out)] == [f"{name}_case"]
    code, out, _ = run_cli("scenarios", "--json")  # and then the shipped data, as if neither had run
    assert code == 0 and "junta_informal" in out and "first_case" not in out and "second_case" not in out
