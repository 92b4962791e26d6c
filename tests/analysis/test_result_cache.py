"""The shared result cache (analysis/cache.cached_result): reused while what it read is unchanged, computed
again when any file it read, or a listing it made, changes; and the parse cache of the YAML loader."""
from __future__ import annotations

import json
import time
from dataclasses import replace

import pytest
import yaml

from mogok_econ import paths
from mogok_econ.analysis.cache import KEPT_RESULTS, cached_result, recorded_values
from mogok_econ.inputs import reads
from mogok_econ.inputs.scenarios import available_scenarios, load_scenario
from mogok_econ.inputs.yaml_loader import DataLoader, load_yaml
from mogok_econ.store import Store


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh folder for the default Store (store.py) of the worlds the test loads."""
    monkeypatch.setattr(paths, "CACHE", tmp_path / "cache")
    return tmp_path / "cache" / "monte_carlo"


class Counter:
    """A computation that counts its runs and reads what it is told to."""

    def __init__(self, read):
        self.runs, self.read = 0, read

    def __call__(self):
        self.runs += 1
        return self.read()


def test_reused_until_a_file_it_read_changes(data_dir, cache):
    data_dir.scenario("base")
    data_dir.scenario("other", title="Another scenario")
    compute = Counter(lambda: load_scenario("base", data=data_dir.root).title)
    assert cached_result("title", ("base",), compute, world=data_dir.world) == "Base scenario for tests"
    assert cached_result("title", ("base",), compute, world=data_dir.world) == "Base scenario for tests"
    assert compute.runs == 1
    data_dir.scenario("other", title="Another scenario, edited")  # not read: still reused
    assert cached_result("title", ("base",), compute, world=data_dir.world) == "Base scenario for tests"
    assert compute.runs == 1
    data_dir.scenario("base", title="Base, edited")  # read: computed again, with the new value
    assert cached_result("title", ("base",), compute, world=data_dir.world) == "Base, edited"
    assert compute.runs == 2


def test_a_new_file_in_a_listing_it_made_recomputes(data_dir, cache):
    data_dir.scenario("base")
    compute = Counter(lambda: available_scenarios(data_dir.root))
    assert cached_result("names", (), compute, world=data_dir.world) == ["base"]
    data_dir.scenario("later")
    assert cached_result("names", (), compute, world=data_dir.world) == ["base", "later"]
    assert compute.runs == 2


def test_an_edit_undone_finds_the_earlier_result(data_dir, cache):
    data_dir.scenario("base")
    compute = Counter(lambda: load_scenario("base", data=data_dir.root).title)
    cached_result("title", (), compute, world=data_dir.world)
    data_dir.scenario("base", title="Edited")
    cached_result("title", (), compute, world=data_dir.world)
    data_dir.scenario("base")  # back as it was
    assert cached_result("title", (), compute, world=data_dir.world) == "Base scenario for tests"
    assert compute.runs == 2


def test_at_most_the_newest_results_are_kept(data_dir, cache):
    data_dir.scenario("base")
    compute = Counter(lambda: load_scenario("base", data=data_dir.root).title)
    for i in range(KEPT_RESULTS + 3):
        data_dir.scenario("base", title=f"Version {i}")
        assert cached_result("title", (), compute, world=data_dir.world) == f"Version {i}"
    [folder] = (cache / "results").iterdir()
    assert len(list(folder.glob("*.json"))) == KEPT_RESULTS
    assert len(list(folder.glob("*.pickle"))) == KEPT_RESULTS


def test_the_key_parts_and_kind_separate_results(data_dir, cache):
    data_dir.scenario("base")
    assert cached_result("a", (1,), lambda: 1, world=data_dir.world) == 1
    assert cached_result("a", (2,), lambda: 2, world=data_dir.world) == 2
    assert cached_result("b", (1,), lambda: 3, world=data_dir.world) == 3
    assert cached_result("a", (1,), lambda: pytest.fail("computed again"), world=data_dir.world) == 1


def test_a_result_around_a_cached_one_depends_on_what_that_one_read(data_dir, cache):
    data_dir.scenario("base")
    inner = Counter(lambda: load_scenario("base", data=data_dir.root).title)
    cached_result("inner", (), inner, world=data_dir.world)  # saved, so the outer call below finds it without reading the file
    outer = Counter(lambda: cached_result("inner", (), inner, world=data_dir.world) + "!")
    assert cached_result("outer", (), outer, world=data_dir.world) == "Base scenario for tests!"
    data_dir.scenario("base", title="Edited")
    assert cached_result("outer", (), outer, world=data_dir.world) == "Edited!"
    assert (inner.runs, outer.runs) == (2, 2)


def test_a_damaged_entry_is_computed_again(data_dir, cache):
    data_dir.scenario("base")
    compute = Counter(lambda: load_scenario("base", data=data_dir.root).title)
    cached_result("title", (), compute, world=data_dir.world)
    [saved] = (cache / "results").glob("*/*.pickle")
    saved.write_bytes(b"not a pickle")
    assert cached_result("title", (), compute, world=data_dir.world) == "Base scenario for tests"
    assert compute.runs == 2


def test_a_key_without_a_content_repr_is_refused(cache):
    with pytest.raises(ValueError, match="no content repr"):
        cached_result("x", (object(),), lambda: 1)


def test_a_store_that_keeps_nothing_computes_every_time(data_dir, cache):
    world = replace(data_dir.world, store=Store.nothing())
    compute = Counter(lambda: 1)
    cached_result("x", (), compute, world=world)
    cached_result("x", (), compute, world=world)
    assert compute.runs == 2
    assert not cache.exists()


def test_reads_record_files_absent_files_and_listings(data_dir):
    data_dir.scenario("base")
    with reads.recording() as recorded:
        load_scenario("base", data=data_dir.root)
        available_scenarios(data=data_dir.root)
    files = {k for k in recorded if k.startswith("file:")}
    assert any(k.endswith("scenarios/base.yaml") for k in files)
    assert any(k.endswith("sources.yaml") for k in files)
    assert any(k.startswith("listing:") for k in recorded)
    assert reads.unchanged(recorded, recorded_values(data_dir.world))
    data_dir.scenario("base", title="Edited")
    assert not reads.unchanged(recorded, recorded_values(data_dir.world))


def test_loader_parses_as_the_pure_python_loader_does(data_dir):
    """libyaml (the C parser) and PyYAML's own parser, with the same resolvers, give the same data for every
    shipped data file."""
    from mogok_econ import paths

    class PurePython(yaml.SafeLoader):
        pass

    PurePython.yaml_implicit_resolvers = DataLoader.yaml_implicit_resolvers
    PurePython.yaml_constructors = DataLoader.yaml_constructors
    files = sorted(paths.SHIPPED_DATA.rglob("*.yaml"))
    assert len(files) > 10
    for f in files:
        assert load_yaml(f) == yaml.load(f.read_text(encoding="utf-8"), Loader=PurePython), f


def test_loader_gives_a_copy_and_sees_edits(data_dir):
    path = data_dir.write_yaml("x.yaml", {"a": [1, 2]})
    first = load_yaml(path)
    first["a"].append(3)  # a caller changing what it was given changes nothing for the next
    assert load_yaml(path) == {"a": [1, 2]}
    data_dir.write_yaml("x.yaml", {"a": [1, 2, 4]})
    assert load_yaml(path) == {"a": [1, 2, 4]}


def test_saved_results_are_kept_under_the_limit_least_recently_used_first(data_dir, cache, monkeypatch):
    import mogok_econ.analysis.cache as cache_module

    monkeypatch.setattr(cache_module, "RESULTS_LIMIT_BYTES", 3 * 120_000)
    for kind in ("a", "b", "c"):
        cached_result(kind, (), lambda: bytes(100_000), world=data_dir.world)
        time.sleep(0.05)  # file times tick in milliseconds: keep the order of use apart
    cached_result("a", (), lambda: pytest.fail("a was saved"), world=data_dir.world)  # used again: now the most recent
    time.sleep(0.05)
    cached_result("d", (), lambda: bytes(100_000), world=data_dir.world)  # over the limit: the least recently used (b) goes
    kept = sorted(f.name.split("-")[0] for f in (cache / "results").iterdir() if list(f.glob("*.json")))
    assert kept == ["a", "c", "d"]


def test_a_value_is_noted_by_its_digest_and_checked_by_working_it_out_again(data_dir):
    """Scenario titles are noted as one value: an edit that keeps every title leaves the value unchanged,
    a new title changes it; the files behind it are not noted."""
    from mogok_econ.inputs.scenario_list import scenario_titles

    data_dir.scenario("base")
    data_dir.scenario("other", title="Another scenario")
    with reads.recording() as recorded:
        assert scenario_titles(data=data_dir.root) == {"base": "Base scenario for tests", "other": "Another scenario"}
    assert [k.split(":")[0] for k in recorded] == ["value"]
    data_dir.scenario("other", title="Another scenario", summary="Edited, title kept.")
    assert reads.unchanged(recorded, recorded_values(data_dir.world))
    data_dir.scenario("other", title="Another scenario, renamed")
    assert not reads.unchanged(recorded, recorded_values(data_dir.world))


def test_reads_inside_hidden_are_not_noted_outside_but_a_recording_inside_notes_them(data_dir):
    data_dir.scenario("base")
    with reads.recording() as outside:
        with reads.hidden():
            load_scenario("base", data=data_dir.root)
            with reads.recording() as inside:
                load_scenario("base", data=data_dir.root)
        available_scenarios(data=data_dir.root)
    assert not any(k.startswith("file:") for k in outside) and any(k.startswith("listing:") for k in outside)
    assert any(k.endswith("scenarios/base.yaml") for k in inside)


def test_a_value_that_can_no_longer_be_worked_out_counts_as_changed(data_dir):
    data_dir.scenario("base")
    recorded = {'value:["no_such_value"]': "x"}
    assert not reads.unchanged(recorded, recorded_values(data_dir.world))


def test_no_record_names_code_to_run(data_dir, tmp_path):
    """Records come back from files anyone could write (a manifest, a cache folder): a record naming a
    module and function, or bad arguments to a known value, is a change, and nothing it names is called."""
    marker = tmp_path / "ran"
    planted = [
        "value:" + json.dumps(["os:system", f"touch {marker}"]),
        "value:" + json.dumps(["subprocess:getoutput", f"touch {marker}"]),
        "value:" + json.dumps(["calibration", 10**15, 1]),  # a known value with arguments no report uses
        "value:" + json.dumps(["calibration", "1000", 1]),
        "value:" + "not json",
        "exec:" + f"touch {marker}",
    ]
    for key in planted:
        assert not reads.unchanged({key: "0"}, recorded_values(data_dir.world)), key
    assert not marker.exists()


def test_records_written_relative_to_the_checkout_read_back_the_same(tmp_path):
    recorded = {f"file:{tmp_path}/data/a.yaml": "1", f"listing:*.yaml:{tmp_path}/data/scenarios": "2",
                "file:/elsewhere/b.yaml": "3", 'value:["m:f", 1]': "4"}
    portable = reads.relative(recorded, tmp_path)
    assert set(portable) == {"file:data/a.yaml", "listing:*.yaml:data/scenarios", "file:/elsewhere/b.yaml",
                             'value:["m:f", 1]'}
    assert reads.absolute(portable, tmp_path) == recorded


class _Planted:
    """Unpickled, it would run a shell command (the marker file proves it ran)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_a_planted_result_never_runs_code(data_dir, cache, tmp_path):
    """A stranger who can write the cache folder (a shared CI cache) plants an entry that would run code when
    read: a pickle whose __reduce__ calls os.system, and a record of reads naming os.system as a value to work
    out. Neither runs: the entry is not signed with this user's key, so it is recomputed and replaced."""
    import json
    import pickle

    data_dir.scenario("base")
    assert cached_result("planted", (), lambda: "genuine", world=data_dir.world) == "genuine"
    [folder] = (cache / "results").iterdir()
    marker, marker2 = tmp_path / "pickle-ran", tmp_path / "reads-ran"
    for entry in folder.glob("*.json"):  # the genuine entry, replaced by a planted one under the same name
        entry.write_text(json.dumps({"mac": "0" * 64, "reads": {}}))
        entry.with_suffix(".pickle").write_bytes(b"0" * 64 + pickle.dumps(_Planted(marker)))
    (folder / "0000.json").write_text(json.dumps({"mac": "0" * 64,
                                                  "reads": {f'value:["os:system", "touch {marker2}"]': "0"}}))
    (folder / "0000.pickle").write_bytes(pickle.dumps(_Planted(marker)))
    assert cached_result("planted", (), lambda: "recomputed", world=data_dir.world) == "recomputed"
    assert not marker.exists() and not marker2.exists()
    assert not (folder / "0000.json").exists()  # removed, and the entry saved again, signed
    reused = cached_result("planted", (), lambda: pytest.fail("the re-saved entry was not reused"), world=data_dir.world)
    assert reused == "recomputed"


@pytest.mark.parametrize("damage", ["truncated", "bit-flipped", "not a zip"])
def test_a_damaged_monte_carlo_entry_is_computed_again_and_replaced(data_dir, cache, damage):
    """A damaged draws file (.npz) raises nothing: the draws are computed again, the same, and saved anew."""
    from mogok_econ.analysis.cache import cached_monte_carlo

    data_dir.scenario("base")
    scenario = load_scenario("base", data=data_dir.root)
    first = cached_monte_carlo(scenario, 1000, 1, None, data_dir.world.store)
    [path] = cache.glob("*.npz")
    good = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "bit-flipped":
        flipped = bytearray(good)
        flipped[len(good) // 2] ^= 0x10  # inside the data: the zip's CRC-32 no longer matches
        path.write_bytes(bytes(flipped))
    else:
        path.write_bytes(b"garbage")
    again = cached_monte_carlo(scenario, 1000, 1, None, data_dir.world.store)
    assert again.equals(first)
    assert path.read_bytes() == good  # replaced by a whole entry
