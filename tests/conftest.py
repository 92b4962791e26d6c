"""Shared fixtures: a throw-away data folder (bibliography + scenarios) and a CLI runner."""
from __future__ import annotations

import copy
import io
import os
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from mogok_econ import cli, paths
from mogok_econ.inputs.world import World, load_world

# The tests' Monte Carlo and result caches live outside the checkout (a test run wrote 465 MB into .cache/),
# in one folder per user that every test process, kernel and subprocess shares (entries are keyed by their
# content, so a run never reads another's stale results): the default Store of this process (store.py), and
# through the environment that of the command lines and kernels the tests start (environment.py).
PRODUCT_CACHE = paths.CACHE  # what the package itself chooses (tests/test_data_folder.py checks it)
paths.CACHE = Path(tempfile.gettempdir()) / f"mogok-econ-tests-{os.getuid()}"
os.environ.setdefault(paths.CACHE_ENV, str(paths.CACHE / "monte_carlo"))

BIBLIOGRAPHY = {
    "sources": {
        "test-source": {
            "title": "A test source", "publisher": "Tests", "date": "2024-07-25",
            "seen": "primary", "used_for": "fixtures",
        }
    }
}

BASE_SCENARIO = {
    "name": "base",
    "title": "Base scenario for tests",
    "period": {"start": "2020-01", "end": "2024-07"},
    "summary": "A scenario used by the tests.",
    "parameters": {
        "gross_value_usd": {"dist": "triangular", "low": 150e6, "mode": 300e6, "high": 400e6, "source": "test-source",
                            "note": "Tests set their own G, not the shipped one, so hand-worked numbers stay simple."},
        "production_factor": {"value": 0.8, "source": "assumption", "note": "a test value"},
        "market_access": {"dist": "pert", "low": 0.5, "mode": 0.8, "high": 1.0},
        "price_factor": {"dist": "uniform", "low": 0.7, "high": 1.0},
        "formal_share": 0.3,
        "state_tax_rate": 0.1,
        "extortion_rate": {"dist": "triangular", "low": 0.05, "mode": 0.1, "high": 0.2},
        "checkpoint_rate": 0.05,
        "trader_margin": 0.1,
        "company_share": 0.4,
        "miner_count": 40000,
        "wage_share": 0.3,
        "wage_usd_per_month": 100,
        "commission_rate": 0.1,
        "pit_rent_rate": 0.2,
        "extortion_per_head_share": {"value": 0.0, "note": "Tests set their own reading of extortion (by value), not "
                                     "the shipped mix, so hand-worked numbers stay simple."},
        "concessions_leased_share": {"value": 0.0, "note": "Tests set their own reading of concessions (operated)."},
        "concession_rent_share": {"value": 1.0, "note": "Read only where concessions are leased (not in tests)."},
        "open_access_share": {"value": 0.0, "note": "Tests set their own reading of who digs (a fixed count), not the "
                              "shipped mix, so hand-worked numbers stay simple."},
        "finds_dispersion": {"value": 1.0, "note": "Tests fix the spread of finds, so the median stays simple."},
        "digging_returns": {"value": 0.5, "note": "Tests fix the returns to digging (open access is off)."},
        "digging_premium": {"value": 1.5, "note": "Tests fix the digging premium (open access is off)."},
    },
    "recipients": {
        "state_tax_to": {"junta": 1.0},
        "extortion_to": {"junta": 0.2, "tnla": 0.6, "pdf": 0.2},
        "checkpoint_to": {"junta": 0.7, "other_armed": 0.3},
        "owner_stakes": {"junta": 0.0, "tnla": 0.3, "mine_owners": 0.7},
    },
}


class DataDir:
    """A data folder under tmp_path: handed to the package as `root` or `world`, and to the command line as
    $MOGOK_ECON_DATA (set by the fixture)."""

    def __init__(self, root: Path):
        self.root = root
        (root / "scenarios").mkdir(parents=True)
        (root / "levers").mkdir()
        self.write_yaml("sources.yaml", BIBLIOGRAPHY)

    @property
    def world(self) -> World:
        """The folder as a World, loaded now (with what the test has written so far)."""
        return load_world(self.root)

    def write_yaml(self, relative: str, content) -> Path:
        path = self.root / relative
        path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False))
        return path

    def scenario(self, stem: str = "base", content=None, **changes) -> Path:
        """Write scenarios/<stem>.yaml: BASE_SCENARIO (or `content`) named `stem`, top-level keys replaced by `changes`."""
        doc = copy.deepcopy(BASE_SCENARIO if content is None else content)
        doc["name"] = changes.pop("name", stem)
        doc.update(changes)
        return self.write_yaml(f"scenarios/{stem}.yaml", doc)


# The property tests' inputs: `make test` (what CI runs) tries the same ones on every run (derandomized: CI fails
# only for a property that fails, never for a lucky draw); `make test-fast`, run all day, tries new ones each run
# and keeps what fails in .hypothesis/ to try first next time (it found the model's -1e256 employed).
settings.register_profile("derandomized", derandomize=True)
settings.load_profile(os.environ.get("MOGOK_ECON_HYPOTHESIS_PROFILE", "default"))


def examples(full: int) -> int:
    """Examples per property (hypothesis) test: all of them in `make test`; a fifth in `make test-fast`
    (MOGOK_ECON_EXAMPLES_SCALE=0.2), the tier a developer runs all day: the same properties, fewer inputs."""
    return max(10, round(full * float(os.environ.get("MOGOK_ECON_EXAMPLES_SCALE", "1"))))


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> DataDir:
    d = DataDir(tmp_path / "data")
    monkeypatch.setenv("MOGOK_ECON_DATA", str(d.root))
    return d


@pytest.fixture
def run_cli(capsys):
    """Run `mogok-econ ARGS` in-process; returns (exit code, stdout, stderr)."""
    def run(*args: str):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse's own exits
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err
    return run


def run_in_process(*args: str) -> subprocess.CompletedProcess:
    """Run `mogok-econ ARGS` in this process, as `run_command` runs it in another (no start-up of its own:
    the tier a developer runs all day). An exception the command line let through fails the test, as a
    traceback on its stderr would."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exc:  # argparse's own exits
            code = exc.code
    return subprocess.CompletedProcess(["mogok-econ", *args], code or 0, out.getvalue(), err.getvalue())


def run_command(*args: str, env=None) -> subprocess.CompletedProcess:
    """Run the installed `mogok-econ` as a separate process (for exit codes and tracebacks)."""
    exe = Path(sys.executable).with_name("mogok-econ")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=300)


#: The longest scopes of `make test` (pytest-xdist's unit of work under --dist loadscope: a module, a class, a
#: notebook under nbval), longest first, as measured on a cold cache on 2 cores (seconds of one worker, under
#: load). They are handed out first, and the many short modules fill in after them: a long scope that started
#: last would keep one worker busy alone at the end (the calibration notebook under nbval, last in collection
#: order, ran alone for three minutes). The Makefile passes --no-loadscope-reorder, so that xdist keeps this order rather
#: than ordering scopes by how many tests they hold.
LONGEST_FIRST = (
    "tests/analysis/test_recovery.py::TestEachObservationType",  # 130
    "tests/analysis/test_recovery.py::TestStructureOfExtortion",  # 110
    "tests/test_installed.py",  # 90: a fresh environment, pip-installed
    "tests/reports/test_build.py",  # 60
    "tests/reports/test_faults.py",  # 60
    "tests/reports/test_pages.py",  # 50
    "tests/reports/test_brief.py",  # 40
    "tests/reports/test_calibration_report.py",  # 40
    "tests/analysis/test_calibration.py",  # 40
    "tests/test_fuzz.py",
    "tests/reports/test_browser.py",
    "tests/reports/test_hostile.py",
    "tests/analysis/test_readings.py",
)


def pytest_collection_modifyitems(config, items):
    """The LONGEST_FIRST scopes first, in that order; the rest as collected (a scope's own tests, and a
    notebook's cells, keep their order: the sort is stable)."""
    rank = {scope: n for n, scope in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.rsplit("::", 1)[0], len(rank)))
