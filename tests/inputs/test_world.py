"""The World: the data folder loaded once into one immutable value, handed to what computes."""
from __future__ import annotations

import dataclasses

import pytest

from mogok_econ import paths
from mogok_econ.errors import InputError
from mogok_econ.inputs.world import load_world


def test_the_shipped_world_is_the_shipped_data():
    world = load_world()
    assert world.folder == paths.SHIPPED_DATA and world.is_shipped
    assert "junta_informal" in world.scenario_names and world.scenario("junta_informal").data == paths.SHIPPED_DATA


def test_the_digest_is_the_same_across_loads_and_changes_with_a_scenario_file(data_dir):
    path = data_dir.scenario("base")
    first, again = load_world(data_dir.root), load_world(data_dir.root)
    assert first.digest == again.digest and len(first.digest) == 64
    assert first == again  # compared by folder and content
    path.write_text(path.read_text().replace("Base scenario for tests", "Base scenario for tests, edited"))
    assert load_world(data_dir.root).digest != first.digest


def test_a_world_cannot_be_changed():
    world = load_world()
    with pytest.raises(dataclasses.FrozenInstanceError):
        world.folder = paths.SHIPPED_DATA / "elsewhere"
    with pytest.raises(TypeError):
        world.scenarios["junta_informal"] = None  # a read-only mapping


def test_two_worlds_in_one_process_keep_their_own_scenarios(tmp_path):
    """What the process-wide data folder broke: two folders in one process, each with a scenario of the
    same name, each world sees its own (and neither sees the other's other scenarios)."""
    from tests.conftest import DataDir

    first, second = DataDir(tmp_path / "first"), DataDir(tmp_path / "second")
    first.scenario("base", title="The first folder's view")
    second.scenario("base", title="The second folder's view")
    second.scenario("only_here", title="Only in the second folder")
    one, two = load_world(first.root), load_world(second.root)
    assert one.scenario("base").title == "The first folder's view"
    assert two.scenario("base").title == "The second folder's view"
    assert one.scenario_names == ["base"] and two.scenario_names == ["base", "only_here"]
    assert one.scenario("base").title == "The first folder's view"  # still: loading the second changed nothing
    assert load_world().scenario_names != one.scenario_names  # and the shipped data is untouched


def test_a_user_scenario_extends_a_shipped_one(data_dir):
    data_dir.write_yaml("scenarios/mine.yaml", {"name": "mine", "extends": "junta_informal", "title": "Mine",
                                                "summary": "A colleague's variant.", "period": {"start": "2021-02"}})
    world = load_world(data_dir.root)
    mine = world.scenario("mine")
    assert mine.lineage[-2:] == ("junta_informal", "mine") and mine.data == data_dir.root.resolve()
    assert set(world.shared) == set(load_world().shared)  # no shared.yaml of its own: the shipped one


def test_a_folder_that_is_not_there_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such data folder"):
        load_world(tmp_path / "nowhere")
