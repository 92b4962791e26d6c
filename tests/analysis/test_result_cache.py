"""The shared result cache (analysis/cache.cached_result): reused while the files it declares it reads
(inputs/dependencies.py) hold what they held, computed again when any of them changes; and the parse cache of
the YAML loader."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest
import yaml

from mogok_econ import paths
from mogok_econ.analysis.cache import cached_result
from mogok_econ.inputs import dependencies
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


def _base_title(data_dir):
    return Counter(lambda: load_scenario("base", data=data_dir.root).title)


def _declared(data_dir, *names):
    world = data_dir.world
    return dependencies.scenarios(world, list(names))


def test_reused_until_a_file_it_declares_changes(data_dir, cache):
    data_dir.scenario("base")
    data_dir.scenario("other", title="Another scenario")
    compute = _base_title(data_dir)

    def title():
        return cached_result("title", ("base",), compute, inputs=_declared(data_dir, "base"), world=data_dir.world)

    assert title() == "Base scenario for tests"
    assert title() == "Base scenario for tests"
    assert compute.runs == 1
    data_dir.scenario("other", title="Another scenario, edited")  # not declared: still reused
    assert title() == "Base scenario for tests"
    assert compute.runs == 1
    data_dir.scenario("base", title="Base, edited")  # declared: computed again, with the new value
    assert title() == "Base, edited"
    assert compute.runs == 2


def test_a_new_file_in_a_declared_folder_recomputes(data_dir, cache):
    data_dir.scenario("base")
    compute = Counter(lambda: available_scenarios(data_dir.root))

    def names():
        return cached_result("names", (), compute, inputs=(data_dir.world.scenarios_dir,), world=data_dir.world)

    assert names() == ["base"]
    data_dir.scenario("later")
    assert names() == ["base", "later"]
    assert compute.runs == 2


def test_an_edit_undone_finds_the_earlier_result(data_dir, cache):
    data_dir.scenario("base")
    compute = _base_title(data_dir)

    def title():
        return cached_result("title", (), compute, inputs=_declared(data_dir, "base"), world=data_dir.world)

    title()
    data_dir.scenario("base", title="Edited")
    title()
    data_dir.scenario("base")  # back as it was
    assert title() == "Base scenario for tests"
    assert compute.runs == 2


def test_the_key_parts_and_kind_separate_results(data_dir, cache):
    data_dir.scenario("base")
    world = data_dir.world
    assert cached_result("a", (1,), lambda: 1, inputs=(), world=world) == 1
    assert cached_result("a", (2,), lambda: 2, inputs=(), world=world) == 2
    assert cached_result("b", (1,), lambda: 3, inputs=(), world=world) == 3
    assert cached_result("a", (1,), lambda: pytest.fail("computed again"), inputs=(), world=world) == 1


def test_a_damaged_entry_is_computed_again(data_dir, cache):
    data_dir.scenario("base")
    compute = _base_title(data_dir)
    cached_result("title", (), compute, inputs=_declared(data_dir, "base"), world=data_dir.world)
    [saved] = (cache / "results").glob("*.pickle")
    saved.write_bytes(b"not a pickle")
    assert cached_result("title", (), compute, inputs=_declared(data_dir, "base"),
                         world=data_dir.world) == "Base scenario for tests"
    assert compute.runs == 2


def test_a_key_without_a_content_repr_is_refused(cache):
    with pytest.raises(ValueError, match="no content repr"):
        cached_result("x", (object(),), lambda: 1, inputs=())
    with pytest.raises(ValueError, match="order that changes"):
        cached_result("x", (frozenset({"a", "b"}),), lambda: 1, inputs=())


_KEY_PARTS = """
import hashlib
from mogok_econ.inputs.levers import applicable
from mogok_econ.inputs.world import shipped_world
world = shipped_world()
for name in sorted(world.scenarios):
    s = world.scenario(name)
    print(name, hashlib.sha256(repr((s, applicable(s, world.levers())[0])).encode()).hexdigest())
"""


def test_the_key_parts_of_a_scenario_and_its_levers_are_the_same_in_every_process():
    """Regression: a Scenario's repr showed its shared parameters (a frozenset) in the order of their string
    hashes, which Python draws afresh per process; each kernel of a build then missed the lever effects and
    lever-matrix columns another kernel had saved, so editing one scenario computed every column again.
    Two processes with different hash seeds must give every shipped scenario's key parts the same repr."""
    import os
    import subprocess
    import sys

    runs = [subprocess.Popen([sys.executable, "-c", _KEY_PARTS], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("1", "2")]
    first, second = (run.communicate(timeout=120)[0] for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert first.count("\n") >= 9 and first == second


def test_a_store_that_keeps_nothing_computes_every_time(data_dir, cache):
    world = replace(data_dir.world, store=Store.nothing())
    compute = Counter(lambda: 1)
    cached_result("x", (), compute, inputs=(), world=world)
    cached_result("x", (), compute, inputs=(), world=world)
    assert compute.runs == 2
    assert not cache.exists()


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
    world = data_dir.world
    for kind in ("a", "b", "c"):
        cached_result(kind, (), lambda: bytes(100_000), inputs=(), world=world)
        time.sleep(0.05)  # file times tick in milliseconds: keep the order of use apart
    cached_result("a", (), lambda: pytest.fail("a was saved"), inputs=(), world=world)  # used again: now the most recent
    time.sleep(0.05)
    cached_result("d", (), lambda: bytes(100_000), inputs=(), world=world)  # over the limit: the least recently used (b) goes
    kept = sorted(f.name.split("-")[0] for f in (cache / "results").glob("*.pickle"))
    assert kept == ["a", "c", "d"]


class _Planted:
    """Unpickled, it would run a shell command (the marker file proves it ran)."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import os

        return (os.system, (f"touch {self.marker}",))


def test_a_planted_result_never_runs_code(data_dir, cache, tmp_path):
    """A stranger who can write the cache folder (a shared CI cache) plants an entry that would run code when
    read: a pickle whose __reduce__ calls os.system, under a saved result's own name. It does not run: the
    entry is not signed with this user's key, so it is recomputed and replaced."""
    import pickle

    data_dir.scenario("base")
    world = data_dir.world
    assert cached_result("planted", (), lambda: "genuine", inputs=(), world=world) == "genuine"
    marker = tmp_path / "pickle-ran"
    [entry] = (cache / "results").glob("*.pickle")
    for forged in (b"0" * 64 + pickle.dumps(_Planted(marker)), pickle.dumps(_Planted(marker))):
        entry.write_bytes(forged)
        assert cached_result("planted", (), lambda: "recomputed", inputs=(), world=world) == "recomputed"
        assert not marker.exists()
    reused = cached_result("planted", (), lambda: pytest.fail("the re-saved entry was not reused"), inputs=(), world=world)
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
