"""Publishing a build's reports as one set, and what keeps the last good reports safe meanwhile.

- One build at a time writes a reports folder: `output_lock` (an flock on `.build.lock` in it).
- The new manifest is written into the staging folder (`stage_manifest`), so a full disk fails before any
  report has moved; it then moves in with the reports.
- `publish` writes a journal (`publish.json` in the staging folder) before its first move, moves the old
  files aside (staging/previous/) and the new ones in, and renames the journal when every file has moved.
  Anything that stops it in the middle (an error, KeyboardInterrupt) rolls it back at once; a `kill -9` or a
  crash is rolled back by the next build (`clean_stale_staging`), from the journal. SIGTERM and SIGINT wait
  while the files move (`signals_held`).
- Every failure says what state the reports are in (KEPT, ROLLED_BACK, PUBLISHED_STATE).
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths
from .catalogue import ReportJob
from .index_page import MANIFEST, read_manifest, write_atomic, write_index

if TYPE_CHECKING:
    from ..inputs.world import World

STAGING_PREFIX = ".staging-"
#: One build at a time writes a reports folder: it holds an flock on this file (which names its pid).
LOCK_FILE = ".build.lock"
#: How long a build waits for another one writing the same folder before it gives up (seconds).
LOCK_WAIT = 60.0
#: In a staging folder: the publish journal (written before the first move) and, once every file has moved,
#: the same journal renamed (nothing is left to roll back).
JOURNAL, PUBLISHED = "publish.json", "published.json"
PREVIOUS = "previous"

#: What a failed or interrupted build says about the reports, by how far it got.
KEPT = "no report was changed: the reports of the last good build are still in place."
ROLLED_BACK = "the files already moved were put back: the reports of the last good build are in place, unchanged."
PUBLISHED_STATE = "the new reports were published (files and manifest, as one set) before it stopped."


class RenderError(Exception):
    """A build failed: the message names the report, the notebook and the cell, and says what state the
    reports are in."""


def outputs(name: str) -> list[str]:
    return [f"{name}.html", f"{name}.pdf", f"notebooks/{name}.ipynb"]


@contextlib.contextmanager
def output_lock(reports: Path, wait: float = LOCK_WAIT,
                progress: Callable[[str], None] = lambda _: None) -> Iterator[None]:
    """Hold the reports folder's build lock (an flock on `.build.lock`): two builds into one folder would
    read, change and write the same manifest. Waits up to `wait` seconds for a build holding it, then
    refuses (RenderError)."""
    lock = open(reports / LOCK_FILE, "a+")
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                lock.seek(0)
                holder = lock.read().strip() or "?"
                if time.monotonic() >= deadline:
                    raise RenderError(
                        f"another build (process {holder}) is writing the reports in {paths.display(reports)}; "
                        f"waited {wait:.0f} s for it to finish. Nothing was changed: build again once it has "
                        "ended.") from None
                if not told:
                    progress(f"another build (process {holder}) is writing the reports in "
                             f"{paths.display(reports)}: waiting up to {wait:.0f} s for it to finish...")
                    told = True
                time.sleep(0.2)
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        yield
    finally:
        lock.close()  # releases the flock


def clean_stale_staging(reports: Path, progress: Callable[[str], None] = lambda _: None) -> None:
    """Under the build lock, every staging folder is a dead build's. One that was publishing when it died
    (its journal is there) is rolled back first: its `previous/` holds the last good reports' files."""
    for folder in sorted(reports.glob(f"{STAGING_PREFIX}*")):
        journal = folder / JOURNAL
        if journal.exists():
            try:
                plan = json.loads(journal.read_text())
                with signals_held():  # a roll-back is whole too
                    roll_back(folder, reports, plan)
            except (OSError, ValueError, KeyError) as exc:
                raise RenderError(
                    f"a build that was stopped while publishing left {paths.display(folder)}, and putting the "
                    f"previous reports back from it failed ({exc}). Its {PREVIOUS}/ folder holds the files of the "
                    "last good build: move them back into the reports folder, then delete it and build "
                    "again.") from None
            progress(f"a build stopped while publishing (process {folder.name[len(STAGING_PREFIX):].split('-')[0]}) "
                     "was rolled back: the reports of the build before it are in place.")
        shutil.rmtree(folder, ignore_errors=True)


def write_index_or_say(jobs: list[ReportJob], reports: Path, state: str, world: World | None = None) -> None:
    try:
        write_index(jobs, reports, world)
    except OSError as exc:
        raise RenderError(state_message(f"writing {paths.display(reports / 'index.html')} failed ({exc}); "
                                         "build again to write it", state)) from None


def state_message(what: str, state: str) -> str:
    return f"{what}. The build stopped; {state}"


def stage_manifest(todo: list[ReportJob], staging: Path, reports: Path, hashes: dict[str, str],
                    rendered: dict[str, dict]) -> None:
    """The new manifest, written into the staging folder: it moves in with the reports, as one set (a full
    disk fails here, before any report has moved). Its bytes depend on the inputs only."""
    manifest = read_manifest(reports)
    for job in todo:
        manifest["reports"][job.name] = {
            "title": job.title, "kind": job.kind, "notebook": paths.display(job.notebook),
            "parameters": job.parameters, "input_hash": hashes[job.name],
            "data_files": [paths.display(f) for f in job.data_files],
            "outputs": outputs(job.name), "headline": rendered[job.name]["headline"],
        }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    try:
        write_atomic(staging / MANIFEST, text)
    except OSError as exc:
        raise RenderError(state_message(f"writing the new manifest failed ({exc})", KEPT)) from None


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait while the files move (milliseconds): the set is then whole, old or new.

    In the main thread their Python handlers are swapped for one that notes the signal, which is sent
    again once the files have moved (blocking the signal in this thread alone is not enough: the process
    may have other threads, and the kernel hands a signal to any thread that does not block it, whose
    handler Python then runs here). Elsewhere the signals are blocked in this thread."""
    held = (signal.SIGTERM, signal.SIGINT)
    if threading.current_thread() is threading.main_thread():
        pending: list[int] = []
        before = {number: signal.signal(number, lambda number, _frame: pending.append(number)) for number in held}
        try:
            yield
        finally:
            for number, handler in before.items():
                signal.signal(number, handler)
            for number in dict.fromkeys(pending):  # each once, now that the set is whole
                signal.raise_signal(number)
        return
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, set(held))
    except (AttributeError, ValueError, OSError):
        blocked = None
    try:
        yield
    finally:
        if blocked is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a signal that came meanwhile is handled now


def publish(todo: list[ReportJob], staging: Path, reports: Path, extra: list[str] = ()) -> str:
    """Move the new files in as one set: check every destination first, write the journal, move the old files
    aside (into staging/previous/), move the new ones in; if anything stops it, put the old ones back (here,
    or in the next build from the journal). Returns the state of the reports (PUBLISHED_STATE)."""
    (reports / "notebooks").mkdir(exist_ok=True)
    rels = [rel for job in todo for rel in outputs(job.name)] + list(extra)
    for rel in rels:
        dest = reports / rel
        if (dest.exists() and not dest.is_file()) or dest.is_symlink():
            raise RenderError(f"cannot write {paths.display(dest)}: something other than a file is in its place; "
                              "remove it and build again. No report was changed.")
    plan = {"moves": rels, "existed": [rel for rel in rels if (reports / rel).exists()]}
    try:
        write_atomic(staging / JOURNAL, json.dumps(plan, indent=1) + "\n", durable=True)
    except OSError as exc:
        (staging / JOURNAL).unlink(missing_ok=True)
        raise RenderError(state_message(f"writing the publish journal failed ({exc})", KEPT)) from None
    try:
        for rel in plan["existed"]:
            aside = staging / PREVIOUS / rel
            aside.parent.mkdir(parents=True, exist_ok=True)
            os.replace(reports / rel, aside)
        for rel in rels:
            (reports / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, reports / rel)
    except BaseException as exc:
        try:
            roll_back(staging, reports, plan)
        except OSError as again:
            raise RenderError(
                f"publishing the reports failed ({exc}), and putting the previous ones back failed too "
                f"({again}): the next build puts them back from {paths.display(staging / PREVIOUS)} "
                "(keep that folder until then).") from None
        (staging / JOURNAL).unlink(missing_ok=True)
        if isinstance(exc, Exception):
            raise RenderError(state_message(f"publishing the reports failed ({exc})", ROLLED_BACK)) from None
        exc.reports_state = ROLLED_BACK
        raise
    os.replace(staging / JOURNAL, staging / PUBLISHED)  # every file moved: nothing to roll back
    return PUBLISHED_STATE


def roll_back(staging: Path, reports: Path, plan: dict) -> None:
    """Put the reports back as they were before the publish that `plan` (its journal) describes: each old
    file from staging/previous/; a file that did not exist before, removed."""
    existed = set(plan["existed"])
    for rel in plan["moves"]:
        aside, dest = staging / PREVIOUS / rel, reports / rel
        if aside.exists():
            os.replace(aside, dest)
        elif rel not in existed:
            dest.unlink(missing_ok=True)
