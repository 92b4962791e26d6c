"""The declared inputs (inputs/dependencies.py, reports/catalogue.py) are complete: each computation,
run on a fresh copy of the data with every file it opens and every folder it lists recorded (Python's audit
events), reads nothing it does not declare. A file missing from a list would leave a saved result or a report
stale when that file changes; this is what catches it."""
from __future__ import annotations

import shutil
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from mogok_econ import paths
from mogok_econ.inputs import dependencies
from mogok_econ.inputs.world import load_world
from mogok_econ.store import Store

_recording: list[list[str]] = []


def _audit(event: str, args: tuple) -> None:
    if _recording and event in {"open", "os.scandir", "os.listdir"} and args and isinstance(args[0], (str, Path)):
        _recording[-1].append(str(args[0]))


sys.addaudithook(_audit)  # for the whole process (a hook cannot be removed); it notes nothing outside `opened`


@contextmanager
def opened(roots: list[Path]):
    """The files and folders under `roots` that the block opens or lists, resolved."""
    found: list[str] = []
    seen: set[Path] = set()
    _recording.append(found)
    try:
        yield seen
    finally:
        _recording.pop()
        for name in found:
            path = Path(name).resolve()
            if any(path.is_relative_to(root) for root in roots):
                seen.add(path)


@pytest.fixture
def world(tmp_path):
    """A copy of the shipped data as a user's folder, in a new place: no loader has it in memory yet, and
    nothing is kept (every result is computed, so every read happens)."""
    folder = tmp_path / "data"
    shutil.copytree(paths.SHIPPED_DATA, folder)
    return load_world(folder, Store.nothing())


def _undeclared(read: set[Path], declared: tuple[Path, ...]) -> list[str]:
    declared_set = {Path(p).resolve() for p in declared}
    return sorted(str(p) for p in read if p not in declared_set)


def _roots(world) -> list[Path]:
    return [world.folder, world.shipped]


@pytest.mark.slow
def test_the_calibration_reads_only_what_it_declares(world):
    from mogok_econ.analysis.calibration import calibrate

    with opened(_roots(world)) as read:
        calibrate(draws=2_000, seed=3, world=world)
    assert read, "the audit hook saw nothing: the test would pass whatever was declared"
    assert _undeclared(read, dependencies.calibration(world)) == []


def test_the_timeline_reads_only_what_it_declares(world):
    from mogok_econ.analysis.monthly_flows import timeline_results

    with opened(_roots(world)) as read:
        timeline_results(draws=500, seed=3, world=world)
    assert world.timeline_file.resolve() in read
    assert _undeclared(read, dependencies.timeline(world)) == []


def test_a_levers_effects_read_only_their_scenario_and_the_levers(world):
    from mogok_econ.analysis.lever_effects import effects
    from mogok_econ.inputs.levers import applicable

    with opened(_roots(world)) as read:
        s = world.scenario("junta_reopened")
        usable, _ = applicable(s, world.levers())
        effects(s, usable, draws=500, seed=3)
    assert _undeclared(read, dependencies.scenarios(world, ["junta_reopened"]) + dependencies.levers(world)) == []


def test_the_counterfactual_reads_only_the_timeline_and_the_levers(world):
    from mogok_econ.analysis.counterfactual import counterfactual

    with opened(_roots(world)) as read:
        counterfactual(world.levers(["abolish_checkpoint_levies"]), draws=500, seed=3, world=world)
    assert _undeclared(read, dependencies.timeline(world) + dependencies.levers(world)) == []


def test_an_edit_to_an_undeclared_file_changes_no_digest_and_a_declared_one_does(world):
    """The digest follows the content of what is declared: a scenario no timeline period uses leaves the
    timeline's inputs as they were; one it uses changes them; so does adding a lever."""
    before = dependencies.digest(dependencies.timeline(world), world)
    unused = world.scenarios_dir / "equitable_governance.yaml"
    assert unused.resolve() not in dependencies.timeline(world)
    unused.write_text(unused.read_text() + "\n# an edit\n")
    assert dependencies.digest(dependencies.timeline(world), world) == before
    used = world.scenario_file(world.timeline.scenarios()[0])
    used.write_text(used.read_text() + "\n# an edit\n")
    assert dependencies.digest(dependencies.timeline(world), world) != before
    levers = dependencies.digest(dependencies.levers(world), world)
    shutil.copy(world.levers_dir / "reopen_routes.yaml", world.levers_dir / "another.yaml")
    assert dependencies.digest(dependencies.levers(world), world) != levers


def test_adding_a_scenario_that_a_users_scenario_would_extend_first_changes_its_inputs(tmp_path):
    """A user's scenario extends the shipped junta_informal; a junta_informal.yaml added to the user's folder
    would be extended instead, so adding it changes the scenario's inputs."""
    import yaml

    from tests.test_data_folder import MINE

    folder = tmp_path / "mine"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "scenarios" / "mine.yaml").write_text(yaml.safe_dump(MINE, sort_keys=False))
    world = load_world(folder, Store.nothing())
    assert world.scenario("mine").lineage[-2:] == ("junta_informal", "mine")
    before = dependencies.digest(dependencies.scenarios(world, ["mine"]), world)
    shutil.copy(paths.SHIPPED_DATA / "scenarios" / "junta_informal.yaml", folder / "scenarios" / "junta_informal.yaml")
    assert dependencies.digest(dependencies.scenarios(world, ["mine"]), world) != before


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["scenario", "comparison", "timeline", "policy", "calibration", "brief"])
def test_each_report_reads_only_the_files_its_input_hash_covers(world, kind):
    """What each notebook computes, through the same functions (results/bundles.py) at few draws, reads only
    files its job declares (reports/catalogue.py): so a report is rebuilt whenever anything it shows may change."""
    from mogok_econ.reports import calibration_results
    from mogok_econ.reports.catalogue import report_files
    from mogok_econ.results import bundles, summary

    few = {"draws": 1_000, "seed": 5, "world": world}
    compute = {
        "scenario": lambda: bundles.scenario_results("tnla_control", sobol_samples=256, **few),
        "comparison": lambda: bundles.research_agenda(bundles.comparison_results(**few).posterior, seed=5, draws=1_000),
        "timeline": lambda: bundles.timeline_report_results(**few),
        "policy": lambda: bundles.policy_results(**few),
        "calibration": lambda: calibration_results.calibration_results(**few),
        "brief": lambda: summary.summary_results(**few),
    }[kind]
    with opened(_roots(world)) as read:
        compute()
    scenario = "tnla_control" if kind == "scenario" else None
    assert _undeclared(read, report_files(kind, world, scenario)) == []
