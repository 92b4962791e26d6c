"""Builds that are killed, fail or hang: afterwards the previous reports are intact and complete, the
error names what failed, and the next build recovers without any manual clean-up."""
from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from mogok_econ import paths
from mogok_econ.reports.build import RenderError, build
from mogok_econ.reports.catalogue import plan
from mogok_econ.reports.index_page import read_manifest

pytestmark = pytest.mark.slow

SCENARIOS = ["tnla_control", "contested", "junta_recapture"]


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def reports(tmp_path) -> Path:
    """A copy of the committed reports: the 'last good build' each fault must leave untouched."""
    out = tmp_path / "reports"
    shutil.copytree(paths.REPORTS, out)
    return out


def start_render(output: Path, *extra: str) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("mogok-econ")
    return subprocess.Popen([str(exe), "render", *SCENARIOS, "--force", "--jobs", "2", "--output", str(output),
                             "-p", "draws=2000", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_kernels(proc: subprocess.Popen, timeout: float = 90) -> list[psutil.Process]:
    """The running kernels started by `proc` (descendants running ipykernel), once there is one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            kernels = [p for p in psutil.Process(proc.pid).children(recursive=True)
                       if "ipykernel_launcher" in " ".join(p.cmdline())]
        except psutil.Error:
            kernels = []
        if kernels:
            time.sleep(1.0)  # let it get into a cell
            return kernels
        assert proc.poll() is None, "the build ended before any kernel started"
        time.sleep(0.1)
    raise AssertionError("no kernel started in time")


def assert_gone(processes: list[psutil.Process], timeout: float = 20) -> None:
    _, alive = psutil.wait_procs(processes, timeout=timeout)
    assert not alive, f"left running: {[p.pid for p in alive]}"


def assert_recovers(output: Path) -> None:
    """The next, ordinary build finishes without help and leaves a complete set."""
    result = start_render(output)
    _out, err = result.communicate(timeout=600)
    assert result.returncode == 0, err
    assert not list(output.glob(".staging-*"))
    manifest = read_manifest(output)["reports"]
    for name in [f"scenario-{s}" for s in SCENARIOS]:
        for rel in manifest[name]["outputs"]:
            assert (output / rel).stat().st_size > 0


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_renderer(reports, sig):
    before = snapshot(reports)
    proc = start_render(reports)
    kernels = wait_for_kernels(proc)
    family = psutil.Process(proc.pid).children(recursive=True)
    os.kill(proc.pid, sig)
    proc.communicate(timeout=60)
    assert proc.returncode in (130, -signal.SIGKILL)
    if sig == signal.SIGTERM:  # cleaned up at once; after SIGKILL the next build cleans up
        assert not list(reports.glob(".staging-*"))
    assert_gone(family + kernels, timeout=60)
    after = {k: v for k, v in snapshot(reports).items() if not str(k).startswith(".staging-")}
    assert after == before
    assert_recovers(reports)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_a_kernel(reports, sig):
    before = snapshot(reports)
    proc = start_render(reports)
    kernel = wait_for_kernels(proc)[0]
    kernel.send_signal(sig)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    assert "notebooks/scenario_report.ipynb" in err and ("kernel died" in err or "Dead" in err or "failed" in err), err
    assert "no report was changed" in err
    assert snapshot(reports) == before
    assert_recovers(reports)


def test_a_failing_notebook_stops_the_build(reports, tmp_path):
    before = snapshot(reports)
    broken = nbformat.read(paths.NOTEBOOKS / "scenario_report.ipynb", as_version=4)
    broken.cells.insert(4, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(broken, tmp_path / "broken.ipynb")
    jobs = plan(SCENARIOS, {"draws": 1000}, include_comparison=False)
    jobs[1] = dataclasses.replace(jobs[1], notebook_override=tmp_path / "broken.ipynb")
    with pytest.raises(RenderError, match=r"broken.ipynb failed in cell 5.*ZeroDivisionError"):
        build(jobs, workers=2, reports=reports, force=True)
    assert snapshot(reports) == before
    assert_recovers(reports)


def test_a_cell_that_never_ends_times_out(reports, tmp_path):
    before = snapshot(reports)
    hanging = nbformat.read(paths.NOTEBOOKS / "scenario_report.ipynb", as_version=4)
    hanging.cells.insert(3, nbformat.v4.new_code_cell("while True:\n    pass"))
    nbformat.write(hanging, tmp_path / "hanging.ipynb")
    job = dataclasses.replace(plan(["tnla_control"], {"draws": 1000, "sobol_samples": 256}, include_comparison=False)[0],
                              notebook_override=tmp_path / "hanging.ipynb")
    start = time.monotonic()
    with pytest.raises(RenderError) as info:  # long enough for the set-up cell on a busy machine, not for the loop
        build([job], workers=1, reports=reports, force=True, cell_timeout=20)
    assert time.monotonic() - start < 120
    message = str(info.value)
    assert "hanging.ipynb" in message and "timed out" in message.lower() and "cell 4" in message, message
    assert snapshot(reports) == before
    assert_recovers(reports)


def test_an_unwritable_output_leaves_every_report_as_it_was(reports):
    target = reports / "scenario-contested.pdf"
    target.unlink()
    target.mkdir()  # root can write anywhere, so a folder stands in for a file that cannot be replaced
    (target / "keep").write_text("in the way")
    before = snapshot(reports)
    proc = start_render(reports)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 1, err
    assert "scenario-contested.pdf" in err and "No report was changed" in err
    assert snapshot(reports) == before
    assert not list(reports.glob(".staging-*"))
    shutil.rmtree(target)
    assert_recovers(reports)
