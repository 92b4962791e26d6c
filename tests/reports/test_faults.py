"""Builds that are killed, fail, hang, run out of disk or meet another build: afterwards the last good reports
are intact and complete, the manifest describes exactly the files present, the error says what happened and
what state the reports are in, and the next build recovers without any manual clean-up.

Cheap by design: the pipeline (workers, kernels, papermill, nbconvert, WeasyPrint, downloads, publishing,
manifest, index) runs on tiny notebooks; faults are injected where they strike (a move that fails or is
interrupted, a full disk on the manifest, a killed worker or kernel); real processes and real signals only
where a signal is the point. Faults in publishing reuse reports rendered once (`newer`) instead of rendering
again: publishing does not depend on how the files were made."""
from __future__ import annotations

import dataclasses
import errno
import fcntl
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from mogok_econ.cli.common import Terminated
from mogok_econ.reports import index_page, worker_pool
from mogok_econ.reports.build import build
from mogok_econ.reports.catalogue import plan
from mogok_econ.reports.index_page import MANIFEST, read_manifest
from mogok_econ.reports.publish import LOCK_FILE, PUBLISHED_STATE, ROLLED_BACK, RenderError, clean_stale_staging, outputs

pytestmark = pytest.mark.slow

SCENARIOS = ["tnla_control", "contested"]
NAMES = [f"scenario-{s}" for s in SCENARIOS]


# --- tiny notebooks and jobs -----------------------------------------------------------------------

def write_notebook(path: Path, *extra: str) -> Path:
    """A report notebook in miniature: parameters, a headline read from the data (so the kernel notes what
    it read), then `extra` cells (cell 3 onwards)."""
    params = nbformat.v4.new_code_cell('scenario = "tnla_control"\ndraws = 1000\nseed = 0\nsobol_samples = 1024')
    params.metadata["tags"] = ["parameters"]
    headline = nbformat.v4.new_code_cell(
        "from IPython.display import Markdown\nimport mogok_econ as me\n"
        'Markdown(f"**{me.load_scenario(scenario).title}**: seed {seed}.")')
    headline.metadata["tags"] = ["headline"]
    nb = nbformat.v4.new_notebook(cells=[params, headline, *map(nbformat.v4.new_code_cell, extra)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def jobs(notebook: Path, seed: int = 1, scenarios: list[str] = SCENARIOS):
    return [dataclasses.replace(job, notebook_override=notebook)
            for job in plan(scenarios, {"draws": 1000, "seed": seed}, include_comparison=False)]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file (the lock file aside: it names the last build's pid)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != LOCK_FILE}


def assert_manifest_true(folder: Path) -> None:
    """The manifest lists exactly the reports whose files are there, and each entry's headline is its HTML's."""
    manifest = read_manifest(folder)["reports"]
    assert sorted(manifest) == sorted(NAMES)
    for name, entry in manifest.items():
        for rel in entry["outputs"]:
            assert (folder / rel).stat().st_size > 0
        seed = entry["parameters"]["seed"]
        assert f"seed {seed}." in entry["headline"]
        assert f"seed {seed}." in (folder / f"{name}.html").read_text()
    assert not list(folder.glob(".staging-*"))
    assert not list(folder.rglob("*.tmp"))


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    write_notebook(folder / "ok.ipynb")
    write_notebook(folder / "broken.ipynb", "1 / 0")
    write_notebook(folder / "hanging.ipynb", "while True:\n    pass")
    return folder


def sleepy(folder: Path, marker: Path) -> Path:
    """A notebook that says (the marker file) when it is in its long cell, and sleeps there."""
    return write_notebook(folder / "sleepy.ipynb", f"import pathlib, time\npathlib.Path({str(marker)!r}).touch()\n"
                                                   "time.sleep(120)")


@pytest.fixture(scope="module")
def good(notebooks, tmp_path_factory) -> Path:
    """The last good build (seed 1): what every fault must leave as it was."""
    out = tmp_path_factory.mktemp("good")
    assert build(jobs(notebooks / "ok.ipynb", seed=1), workers=2, reports=out).built == NAMES
    return out


@pytest.fixture(scope="module")
def newer(notebooks, tmp_path_factory) -> Path:
    """The same reports from other inputs (seed 2): what a build that gets through publishes."""
    out = tmp_path_factory.mktemp("newer")
    assert build(jobs(notebooks / "ok.ipynb", seed=2), workers=2, reports=out).built == NAMES
    return out


@pytest.fixture
def reports(good, tmp_path) -> Path:
    out = tmp_path / "reports"
    shutil.copytree(good, out)
    return out


@pytest.fixture
def from_newer(newer, monkeypatch):
    """Rendering replaced by copying `newer`'s files into the staging folder (the rest of the build is real)."""
    manifest = read_manifest(newer)["reports"]

    def render_all(todo, staging, workers, cell_timeout, progress, hashes, world):
        rendered = {}
        for job in todo:
            for rel in outputs(job.name):
                shutil.copyfile(newer / rel, staging / rel)
            rendered[job.name] = {"ok": True, "name": job.name, "seconds": 0.0,
                                  "headline": manifest[job.name]["headline"]}
        return rendered

    monkeypatch.setattr(worker_pool, "render_all", render_all)
    return newer


def fail_on_move(monkeypatch, reports: Path, after: int, action) -> None:
    """os.replace does `action()` instead of publishing's move number `after` + 1 (once). Of 16 moves (8 files:
    2 reports' HTML, PDF and notebook, the workbook, the manifest), 1-8 move the old files aside, 9-16 the new
    ones in."""
    real, moves = os.replace, []

    def replace(src, dst, *args, **kwargs):
        inside = [str(reports) in str(p) and ".staging-" not in str(p) for p in (src, dst)]
        if any(inside) and not all(inside):  # between the reports and the staging folder
            moves.append(dst)
            if len(moves) == after + 1:
                action()
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def raise_(exc):
    def action():
        raise exc
    return action


# --- publishing --------------------------------------------------------------------------------------

@pytest.mark.parametrize("exc", [OSError(errno.EIO, "Input/output error"), KeyboardInterrupt(), Terminated()],
                         ids=["OSError", "Ctrl-C", "Terminated"])
@pytest.mark.parametrize("after", [2, 9], ids=["old-files-moving-aside", "new-files-moving-in"])
def test_a_failure_inside_publishing_puts_the_previous_reports_back(reports, notebooks, from_newer, monkeypatch,
                                                                     exc, after):
    before = snapshot(reports)
    fail_on_move(monkeypatch, reports, after, raise_(exc))
    with pytest.raises(type(exc)) if not isinstance(exc, OSError) else pytest.raises(RenderError) as info:
        build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports, force=True)
    message = str(info.value) if isinstance(exc, OSError) else info.value.reports_state
    assert ROLLED_BACK in message, message
    assert snapshot(reports) == before
    assert_manifest_true(reports)
    monkeypatch.undo()


def test_a_signal_while_publishing_waits_until_the_set_has_moved(reports, notebooks, from_newer, monkeypatch):
    """SIGTERM (the CLI turns it into Terminated) in the middle of the moves: held until the set has moved,
    then raised, saying the new reports were published; and they were, with their manifest."""
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(Terminated()))
    try:
        fail_on_move(monkeypatch, reports, 5, lambda: os.kill(os.getpid(), signal.SIGTERM))
        with pytest.raises(Terminated) as info:
            build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports, force=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert info.value.reports_state == PUBLISHED_STATE
    assert snapshot(reports) == snapshot(from_newer)
    assert_manifest_true(reports)


def _publish_then_die(reports: Path, notebook: Path, after: int) -> None:
    """In a forked child: a build killed with SIGKILL just before move number `after` + 1."""
    import _pytest.monkeypatch

    fail_on_move(_pytest.monkeypatch.MonkeyPatch(), reports, after, lambda: os.kill(os.getpid(), signal.SIGKILL))
    build(jobs(notebook, seed=2), reports=reports, force=True)
    os._exit(0)


@pytest.mark.parametrize("after", [3, 9, 15], ids=["old-files-moving-aside", "new-files-moving-in", "last-move"])
def test_kill_9_while_publishing_is_rolled_back_by_the_next_build(reports, notebooks, from_newer, after):
    before = snapshot(reports)
    child = multiprocessing.get_context("fork").Process(target=_publish_then_die,
                                                        args=(reports, notebooks / "ok.ipynb", after))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == -signal.SIGKILL
    [staging] = reports.glob(".staging-*")
    assert (staging / "publish.json").exists() and (staging / "previous").is_dir()
    assert snapshot(reports) != before  # half published: the last good files are only in previous/
    said = []
    summary = build(jobs(notebooks / "ok.ipynb", seed=1), reports=reports, progress=said.append)
    assert any("rolled back" in line for line in said), said
    assert summary.built == [] and summary.skipped == NAMES  # up to date, truly: the files are the old ones
    assert snapshot(reports) == before
    assert_manifest_true(reports)


def test_a_full_disk_while_writing_the_manifest_changes_nothing(reports, notebooks, from_newer, monkeypatch):
    before = snapshot(reports)
    real_open = open

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, text):
            self.f.write(text[:10])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def full_disk(path, *args, **kwargs):
        f = real_open(path, *args, **kwargs)
        return Full(f) if MANIFEST in str(path) and "w" in (args[0] if args else kwargs.get("mode", "r")) else f

    monkeypatch.setattr(index_page, "open", full_disk, raising=False)
    with pytest.raises(RenderError) as info:
        build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports, force=True)
    message = str(info.value)
    assert "manifest" in message and "No space left on device" in message and "no report was changed" in message
    assert snapshot(reports) == before
    assert_manifest_true(reports)
    monkeypatch.undo()
    # the next build with the old inputs is rightly up to date; with the new ones it publishes them
    assert build(jobs(notebooks / "ok.ipynb", seed=1), reports=reports).skipped == NAMES


def test_a_file_that_cannot_be_replaced_changes_nothing(reports, notebooks, from_newer):
    target = reports / "scenario-contested.pdf"
    target.unlink()
    target.mkdir()  # root can write anywhere, so a folder stands in for a file that cannot be replaced
    (target / "keep").write_text("in the way")
    before = snapshot(reports)
    with pytest.raises(RenderError, match=r"scenario-contested.pdf.*No report was changed"):
        build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports, force=True)
    assert snapshot(reports) == before
    assert not list(reports.glob(".staging-*"))
    shutil.rmtree(target)
    build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports)
    assert snapshot(reports) == snapshot(from_newer)


def test_two_builds_into_one_folder_take_turns_or_the_second_refuses(reports, notebooks, from_newer):
    before = snapshot(reports)
    with open(reports / LOCK_FILE, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.truncate(0)
        held.write("4242\n")
        held.flush()
        start = time.monotonic()
        with pytest.raises(RenderError, match=r"another build \(process 4242\) is writing.*Nothing was changed"):
            build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports, force=True, lock_wait=0.5)
        assert time.monotonic() - start < 5
        assert snapshot(reports) == before
        threading.Timer(0.5, held.close).start()  # the first build ends: the second goes ahead
        said = []
        build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports, force=True, lock_wait=30, progress=said.append)
    assert any("waiting" in line for line in said), said
    assert snapshot(reports) == snapshot(from_newer)


def test_the_manifest_is_the_same_bytes_build_after_build(reports, newer, notebooks):
    """Two forced builds of the same inputs, in any order of the workers, write the same manifest."""
    build(jobs(notebooks / "ok.ipynb", seed=2), reports=reports, force=True, workers=1)
    assert (reports / MANIFEST).read_bytes() == (newer / MANIFEST).read_bytes()


# --- rendering: notebooks, kernels, workers --------------------------------------------------------------

def test_a_failing_notebook_stops_the_build(reports, notebooks):
    before = snapshot(reports)
    failing = jobs(notebooks / "ok.ipynb", seed=2)
    failing[1] = dataclasses.replace(failing[1], notebook_override=notebooks / "broken.ipynb")
    with pytest.raises(RenderError, match=r"broken.ipynb failed in cell 3.*ZeroDivisionError(.|\n)*no report was "
                                          r"changed"):
        build(failing, workers=2, reports=reports, force=True)
    assert snapshot(reports) == before


def test_a_cell_that_never_ends_times_out(reports, notebooks):
    before = snapshot(reports)
    start = time.monotonic()
    with pytest.raises(RenderError) as info:  # long enough to start the kernel on a busy machine
        build(jobs(notebooks / "hanging.ipynb", scenarios=["contested"]), workers=1, reports=reports, force=True,
              cell_timeout=8)
    assert time.monotonic() - start < 60
    message = str(info.value)
    assert "hanging.ipynb" in message and "timed out" in message.lower() and "cell 3" in message, message
    assert snapshot(reports) == before


def kill_when_running(marker: Path, pick, sig=signal.SIGKILL) -> threading.Thread:
    """A thread that waits until a notebook is in its long cell, then kills the process `pick(kernel)` returns."""
    killed = []

    def run():
        deadline = time.monotonic() + 90
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        kernels = [p for p in psutil.Process().children(recursive=True)
                   if "ipykernel_launcher" in " ".join(p.cmdline())]
        victim = pick(kernels[0])
        killed.extend([victim, *kernels])
        victim.send_signal(sig)

    thread = threading.Thread(target=run, daemon=True)
    thread.killed = killed
    thread.start()
    return thread


@pytest.mark.parametrize("victim", ["kernel", "worker"])
def test_a_killed_kernel_or_worker_fails_the_build_promptly(reports, tmp_path, victim):
    """The kernel killed: the worker says so. The worker process killed (from outside, or by the OOM killer):
    the build notices at once (the pool breaks), says so, and no process is left behind."""
    before = snapshot(reports)
    marker = tmp_path / "running"
    killer = kill_when_running(marker, (lambda k: k) if victim == "kernel" else (lambda k: k.parent()))
    start = time.monotonic()
    with pytest.raises(RenderError) as info:
        build(jobs(sleepy(tmp_path, marker), scenarios=["contested"]), workers=1, reports=reports, force=True)
    killer.join(timeout=10)
    assert time.monotonic() - start < 60  # not the notebook's 120 s, and never forever
    message = str(info.value)
    expected = "kernel died" if victim == "kernel" else "worker process died"  # which and how: when known
    assert expected in message and "no report was changed" in message, message
    assert snapshot(reports) == before
    _, alive = psutil.wait_procs(killer.killed, timeout=10)
    assert not alive, f"left running: {alive}"


CHILD = textwrap.dedent("""
    import dataclasses, sys
    from pathlib import Path
    import mogok_econ.reports.catalogue as catalogue
    from mogok_econ.cli import main

    notebook, output = Path(sys.argv[1]), sys.argv[2]
    original = catalogue.plan
    catalogue.plan = lambda *a, **k: [dataclasses.replace(j, notebook_override=notebook)
                                      for j in original(["contested"], {"draws": 1000}, include_comparison=False)]
    sys.exit(main(["render", "contested", "--force", "--jobs", "1", "--output", output]))
""")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killing_the_renderer(reports, tmp_path, sig):
    """`mogok-econ render` killed while a notebook runs: SIGTERM cleans up at once and says the reports are
    as they were; after SIGKILL the workers and kernels end within seconds (they write nothing into a dead
    build's folder), and the next build cleans up."""
    before = snapshot(reports)
    marker = tmp_path / "running"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(sleepy(tmp_path, marker)), str(reports)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not marker.exists():
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "slow"
        time.sleep(0.05)
    family = psutil.Process(proc.pid).children(recursive=True)
    assert any("ipykernel_launcher" in " ".join(p.cmdline()) for p in family)
    os.kill(proc.pid, sig)
    _out, err = proc.communicate(timeout=60)
    _, alive = psutil.wait_procs(family, timeout=5)
    assert not alive, f"left running: {[p.pid for p in alive]}"
    if sig == signal.SIGTERM:
        assert proc.returncode == 130, err
        assert "interrupted; no report was changed" in err, err
        assert not list(reports.glob(".staging-*"))
    else:
        assert proc.returncode == -signal.SIGKILL
    assert {k: v for k, v in snapshot(reports).items() if not k.startswith(".staging-")} == before
    clean_stale_staging(reports)
    assert snapshot(reports) == before
