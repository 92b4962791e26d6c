"""Which data files each result is computed from: its declared inputs, in one place.

A saved result (analysis/cache.py) is keyed by the digest of its declared inputs, and a report
(reports/catalogue.py) is out of date when the digest of its own changes: so an edit to one scenario
recomputes the results, and rebuilds the reports, that read it, and nothing else. Declared, not discovered:
nothing here watches what a computation reads. tests/inputs/test_dependencies.py runs each computation with
every file it opens and every folder it lists recorded, and checks each is declared here, so a list that
misses a file fails a test rather than leaving a report stale.

An input is a path: a file (its bytes are hashed), a folder (the names of its YAML files: which scenarios or
levers exist), or a path where nothing is (hashed as absent: adding a file there is a change, e.g. a
scenario that a user's scenario would extend in preference to the shipped one).
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .. import limits
from ..errors import InputError
from ..fingerprint import file_state, sha256
from .lever_mechanisms import mechanisms_path
from .scenarios import extends_places
from .world import World

Inputs = tuple[Path, ...]


def digest(inputs: Iterable[Path], world: World) -> str:
    """The digest of declared inputs: each path (relative to the data folder where inside it) and its state."""
    def name(path: Path) -> str:
        for root in (world.folder, world.shipped):
            if path.is_relative_to(root):
                return f"{'data' if root == world.folder else 'shipped'}/{path.relative_to(root).as_posix()}"
        return str(path)
    return sha256(x for path in sorted(set(inputs)) for x in (name(path), file_state(path, limits.MAX_FILE_BYTES)))


def _resolved(files: Iterable[Path]) -> Inputs:
    return tuple(sorted({Path(f).resolve() for f in files}))


def common(world: World) -> Inputs:
    """What every scenario is read with: the shared parameters (and observation and concentration values),
    the exchange rates, and the bibliography its sources are checked against."""
    return _resolved([world.shared_file, world.exchange_rates_file, *world.sources_files])


def scenarios(world: World, names: Iterable[str]) -> Inputs:
    """The named scenarios: each file of their lineage (what they extend), and the places where a scenario
    they extend would be found first if it were added there (absent now), with `common`."""
    files: list[Path] = []
    for name in names:
        try:
            s = world.scenario(name)
        except InputError:  # invalid: its own file is what decides (the error names it)
            files.append(world.scenario_file(name))
            continue
        files += s.lineage_files
        for parent, child in zip(s.lineage, s.lineage_files[1:]):
            for place in extends_places(child, world.folder):
                candidate = place / f"{parent}.yaml"
                files.append(candidate)
                if candidate.is_file():
                    break
    return _resolved([*files, *common(world)])


def every_scenario(world: World) -> Inputs:
    """Every scenario of the folder (which ones exist, too), with `common`."""
    return _resolved([world.scenarios_dir, *scenarios(world, world.scenario_names)])


def calibration(world: World) -> Inputs:
    """The calibration: the observables, the timeline (whose periods they observe), and the scenarios the
    observables name, in the likelihood or not (the listing too: their names are checked against it)."""
    try:
        named = {s for o in world.observables.values() for s in o.scenarios}
    except InputError:
        named = set()
    return _resolved([world.observables_file, world.timeline_file, world.scenarios_dir, *timeline(world),
                      *scenarios(world, sorted(named))])


def timeline(world: World) -> Inputs:
    """The month-by-month flows: the timeline and the scenarios it puts in force."""
    try:
        names = world.timeline.scenarios() if world.has_timeline else []
    except InputError:
        names = []
    return _resolved([world.timeline_file, world.scenarios_dir, *scenarios(world, names)])


def levers(world: World) -> Inputs:
    """The policy levers: every lever file (and which exist), the market parameters their mechanisms share,
    the sanctions targets, and which scenarios exist (a lever's feasibility names scenarios)."""
    files = [world.levers_dir, *world.levers_dir.glob("*.yaml"), mechanisms_path(world.folder),
             world.sanctions_targets_file, world.scenarios_dir]
    return _resolved(files)


__all__ = ["Inputs", "calibration", "common", "digest", "every_scenario", "levers", "scenarios", "timeline"]
