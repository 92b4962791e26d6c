"""Notebooks to reports: papermill runs them, nbconvert writes HTML, WeasyPrint prints the PDF.

Knows files, not economics: it imports no model code, except that checking a value a report recorded
(the calibration's digest) works the value out again (inputs/reads.py). A build:
1. decides which reports are out of date: a report is up to date when the content hash of its inputs
   (notebook, parameters, the data files planned for it, the package's code, the pinned environment)
   equals the one in reports/manifest.json, its files are there, and nothing its notebook read when it
   was last built (every data file, folder listing and value, as its kernel noted them: inputs/reads.py)
   has changed since;
2. renders those in parallel, each in its own process and kernel, into a staging folder inside reports/,
   and writes the new manifest there too;
3. only if every one succeeded, moves the new files and the manifest into reports/ as one set (publish),
   then writes reports/index.html. A failed build leaves the last good reports in place.

One build at a time writes a reports folder (a lock, `.build.lock` in it). Publishing writes a journal
(`publish.json` in the staging folder) before its first move, and SIGTERM and Ctrl-C wait until the moves
are done; if anything else stops it (an error: rolled back at once; `kill -9`, a crash: the next build
rolls it back from the journal), the reports are put back as they were. Workers end when the build's
process does (Linux: PR_SET_PDEATHSIG), and their kernels when they do; a worker that dies fails the build.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_for
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from .. import paths
from ..fingerprint import code_files, files_hash, sha256
from ..inputs import reads
from .catalogue import KINDS, ReportJob
from .downloads import prepare as prepare_downloads
from .downloads import remove_stale as remove_stale_downloads
from .index_page import MANIFEST, read_manifest, write_atomic, write_index
from .kernels import WarmKernel, kernel_environment
from .notebook_files import strip_run_metadata

# nbformat checks notebooks with jsonschema, whose format checkers import rfc3987_syntax where it is installed
# (jupyter-events brings it); that import compiles 39 grammars, about 4 s in every process that reads a
# notebook, for an "iri" format that no notebook schema uses. The build's processes go without it (jsonschema
# then checks no "iri" format: it treats the package as absent).
sys.modules.setdefault("rfc3987_syntax", None)

TEMPLATES = Path(__file__).parent / "templates"
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


@dataclass
class BuildSummary:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- hashing ---------------------------------------------------------------------------------------

def environment_files() -> list[Path]:
    """The pinned environment: a change here can change any report."""
    lock = paths.LOCK_FILE
    return [lock] if lock is not None and lock.exists() else []


def data_hash(files: tuple[Path, ...]) -> str:
    return sha256(x for f in files for x in (paths.display(f), f.read_bytes()))


def input_hash(job: ReportJob) -> str:
    """Everything a report depends on, hashed: notebook, parameters, data files, code, environment."""
    return sha256([job.notebook.read_bytes(), json.dumps(job.parameters, sort_keys=True), data_hash(job.data_files),
                   files_hash(code_files() + environment_files())])


def outputs(name: str) -> list[str]:
    return [f"{name}.html", f"{name}.pdf", f"notebooks/{name}.ipynb"]


def provenance() -> dict[str, Any]:
    """What every report says about how it was made. Nothing here depends on the clock or the checkout,
    so the same inputs give the same bytes: the date shown is the newest source's date (what the data
    is current to), or SOURCE_DATE_EPOCH's date when a packager sets it."""
    from ..inputs.sources import load_bibliography

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built = (dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")
             if epoch and epoch.isdigit() else None)
    newest = max(s.date for s in load_bibliography().sources.values())
    return {"version": package_version("mogok-econ"), "data_current_to": newest, "built": built}


# --- one report ------------------------------------------------------------------------------------

def _source_cell_number(executed: Path, index: int | None) -> int | None:
    """1-based position in the source notebook of executed cell `index` (papermill injects a cell)."""
    if index is None:
        return None
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells[:index]
    except Exception:
        return index + 1
    return sum("injected-parameters" not in c.get("metadata", {}).get("tags", []) for c in cells) + 1


def _running_cell(executed: Path) -> int | None:
    """The source-notebook number of the last cell that started executing (the one that timed out)."""
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells
    except Exception:
        return None
    started = [i for i, c in enumerate(cells) if c.cell_type == "code" and c.get("execution_count")]
    return _source_cell_number(executed, started[-1]) if started else None


def _describe_failure(job: ReportJob, exc: BaseException, executed: Path) -> str:
    notebook = paths.display(job.notebook)
    cell = getattr(exc, "exec_count", None)
    index = _source_cell_number(executed, getattr(exc, "cell_index", None))
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename is not None:
        where = f"cell {index if index is not None else '?'}" + (f" (execution count {cell})" if cell else "")
        source = (getattr(exc, "source", "") or "").strip().splitlines()
        first = f"; the cell begins: {source[0][:100]!r}" if source else ""
        return f"report {job.name}: notebook {notebook} failed in {where}{first}: {ename}: {evalue}"
    if type(exc).__name__ in {"CellTimeoutError", "TimeoutError"}:
        running = _running_cell(executed)
        where = f" in cell {running}" if running else ""
        lines = str(exc).splitlines()
        preview = lines[lines.index("-------------------") + 1] if "-------------------" in lines else ""
        begins = f"; the cell begins: {preview[:100]!r}" if preview else ""
        return (f"report {job.name}: notebook {notebook} timed out{where}{begins}: "
                f"{lines[0] if lines else ''} (raise --cell-timeout if the cell is just slow)")
    if type(exc).__name__ in {"DeadKernelError", "KernelGone"}:
        return f"report {job.name}: notebook {notebook}: its kernel died ({exc})"
    return f"report {job.name}: notebook {notebook}: {type(exc).__name__}: {exc}"


def _epoch(date: str) -> int:
    """Seconds since 1970 at midnight UTC of a YYYY[-MM[-DD]] date."""
    parts = [int(p) for p in date.split("-")] + [1, 1]
    return int(dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC).timestamp())


KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]  # no TCP-warning noise


def render_one(job: ReportJob, staging: Path, provenance: dict[str, Any], cell_timeout: int,
               inputs: str = "", kernel: WarmKernel | None = None) -> dict[str, Any]:
    """Execute, export HTML and PDF into `staging`. Runs in a worker process; never raises. `inputs` is the
    report's input hash, printed in it so a reader can check a report against its inputs. With `kernel`,
    the notebook runs in that (reused) kernel; without, in a kernel of its own, started and shut down."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    start = time.perf_counter()
    executed = staging / "notebooks" / f"{job.name}.ipynb"
    try:
        reuse, read = ({"km": kernel.before_notebook()} if kernel is not None else {}), None
        papermill.execute_notebook(
            str(job.notebook), str(executed), parameters=job.parameters, kernel_name="python3",
            progress_bar=False, log_output=False, cwd=str(paths.NOTEBOOKS), execution_timeout=cell_timeout,
            report_mode=False, extra_arguments=KERNEL_ARGUMENTS, **reuse)
        if kernel is not None:
            read = kernel.after_notebook(staging / "notebooks" / f".{job.name}.reads.json")
    except BaseException as exc:
        if kernel is not None:
            kernel.discard()  # stopped mid-notebook: its state is no use to the next one
        return {"ok": False, "name": job.name, "error": _describe_failure(job, exc, executed)}
    try:
        nb = nbformat.read(executed, as_version=4)
        strip_run_metadata(nb)
        nbformat.write(nb, executed)
        headline = headline_of(nb)
        nb.metadata["title"] = f"{job.title} | mogok-econ"
        template = KINDS[job.kind].template if job.kind in KINDS else "mogok_report"
        exporter = HTMLExporter(template_name=template, extra_template_basedirs=[str(TEMPLATES)],
                                exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                                anchor_link_text="")
        resources = {"mogok": {**provenance, "name": job.name, "notebook": paths.display(job.notebook),
                               "parameters": job.parameters,
                               "data_files": [paths.display(f) for f in job.data_files],
                               "data_hash": data_hash(job.data_files), "input_hash": inputs,
                               "css": (TEMPLATES / "mogok_report" / "report.css").read_text()}}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        html_path = staging / f"{job.name}.html"
        html_path.write_text(body, encoding="utf-8")
        # fontTools stamps the subset fonts' creation time unless SOURCE_DATE_EPOCH is set: fix it to the
        # data's date so the PDF is the same bytes run after run (this process is a worker; env is its own).
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(_epoch(provenance["data_current_to"])))
        print_pdf(body, staging / f"{job.name}.pdf", base_url=staging)
    except BaseException as exc:
        return {"ok": False, "name": job.name,
                "error": f"report {job.name}: writing HTML/PDF failed: {type(exc).__name__}: {exc}"}
    return {"ok": True, "name": job.name, "seconds": time.perf_counter() - start, "headline": headline, "reads": read}


#: The stylesheets of the pages' heads, parsed once a process (WeasyPrint CSS objects by their text).
_PARSED_CSS: dict[str, Any] = {}
_HEAD_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def print_pdf(page: str, pdf: Path, base_url: Path) -> None:
    """Print an HTML page to PDF with WeasyPrint, as `HTML(string=page).write_pdf(pdf)` would, with the
    stylesheets of its head parsed once a process rather than once a page: every report carries the same
    240 KB of JupyterLab's stylesheet, whose parsing was a sixth of a report's PDF time. They are given to
    WeasyPrint in their order, and the rest of the page as it is, so the PDF is the same bytes
    (tests/reports/test_pages.py checks it)."""
    from weasyprint import CSS, HTML

    head_end = page.find("</head>")
    head = page[:head_end] if head_end >= 0 else ""
    texts = _HEAD_STYLE.findall(head)
    if not texts:
        HTML(string=page, base_url=str(base_url)).write_pdf(str(pdf))
        return
    for text in texts:
        if text not in _PARSED_CSS:
            _PARSED_CSS[text] = CSS(string=text, base_url=str(base_url))
    bare = _HEAD_STYLE.sub("", head) + page[head_end:]
    HTML(string=bare, base_url=str(base_url)).write_pdf(str(pdf), stylesheets=[_PARSED_CSS[t] for t in texts])


def headline_of(nb) -> str:
    """The first paragraph of the Markdown shown by the cell tagged `headline` (plain text), for the index."""
    for cell in nb.cells:
        if "headline" in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/markdown")
                if text:
                    first = "".join(text).strip().split("\n\n")[0]
                    first = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", first)  # links (glossary, figures): their text
                    return re.sub(r"[*`]", "", first).replace("\\$", "$").strip()
    return ""


# --- a build ---------------------------------------------------------------------------------------

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
                _roll_back(folder, reports, plan)
            except (OSError, ValueError, KeyError) as exc:
                raise RenderError(
                    f"a build that was stopped while publishing left {paths.display(folder)}, and putting the "
                    f"previous reports back from it failed ({exc}). Its {PREVIOUS}/ folder holds the files of the "
                    "last good build: move them back into the reports folder, then delete it and build "
                    "again.") from None
            progress(f"a build stopped while publishing (process {folder.name[len(STAGING_PREFIX):].split('-')[0]}) "
                     "was rolled back: the reports of the build before it are in place.")
        shutil.rmtree(folder, ignore_errors=True)


def out_of_date(jobs: list[ReportJob], reports: Path, force: bool) -> tuple[list[ReportJob], dict[str, str]]:
    manifest = read_manifest(reports)["reports"]
    hashes = {job.name: input_hash(job) for job in jobs}
    if force:
        return list(jobs), hashes
    stale = [job for job in jobs
             if manifest.get(job.name, {}).get("input_hash") != hashes[job.name]
             or not all((reports / f).exists() for f in outputs(job.name))
             or not reads.unchanged(reads.absolute(manifest[job.name].get("reads", {}), paths.ROOT))]
    return stale, hashes


def build(jobs: list[ReportJob], workers: int = 2, force: bool = False, cell_timeout: int = 600,
          reports: Path | None = None, progress: Callable[[str], None] = lambda _: None,
          lock_wait: float = LOCK_WAIT) -> BuildSummary:
    """Render the out-of-date reports among `jobs`; publish only if all succeed (RenderError if not). An
    interruption (KeyboardInterrupt, or the CLI's Terminated) propagates with `reports_state`: a sentence
    saying what state the reports are in."""
    reports = reports or paths.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with output_lock(reports, lock_wait, progress):
        clean_stale_staging(reports, progress)
        todo, hashes = out_of_date(jobs, reports, force)
        summary = BuildSummary(skipped=[j.name for j in jobs if j not in todo])
        for name in summary.skipped:
            progress(f"up to date, skipped: {name}")
        state = KEPT
        if todo:
            staging = reports / f"{STAGING_PREFIX}{os.getpid()}-{int(time.time())}"
            (staging / "notebooks").mkdir(parents=True)
            try:
                rendered = _render_all(todo, staging, workers, cell_timeout, progress, hashes)
                # The CSV beside every table and chart, and the workbook: published with the reports, as one set.
                downloads = prepare_downloads(todo, staging, reports)
                _stage_manifest(todo, staging, reports, hashes, rendered)
                with _signals_held():  # SIGTERM, Ctrl-C: handled once the set has moved (and `state` says so)
                    state = _publish(todo, staging, reports, [*downloads, MANIFEST])
                    remove_stale_downloads(todo, reports)
                    _write_index(jobs, reports, state)
            except OSError as exc:
                raise RenderError(_state_message(f"writing the reports failed ({exc})", state)) from None
            except BaseException as exc:
                if not isinstance(exc, Exception) and not hasattr(exc, "reports_state"):
                    exc.reports_state = state  # KeyboardInterrupt, Terminated: the CLI says what state they are in
                raise
            finally:
                if not (staging / JOURNAL).exists():  # else a roll-back failed: the next build finishes it
                    shutil.rmtree(staging, ignore_errors=True)
            summary.built = [j.name for j in todo]
        else:
            _write_index(jobs, reports, state)
    summary.seconds = time.perf_counter() - start
    return summary


def _write_index(jobs: list[ReportJob], reports: Path, state: str) -> None:
    try:
        write_index(jobs, reports)
    except OSError as exc:
        raise RenderError(_state_message(f"writing {paths.display(reports / 'index.html')} failed ({exc}); "
                                         "build again to write it", state)) from None


def _state_message(what: str, state: str) -> str:
    return f"{what}. The build stopped; {state}"


#: The worker's kernel, reused by every notebook the worker runs (kernels.py says why and how).
_KERNEL: WarmKernel | None = None


def _render_star(args) -> dict[str, Any]:
    return render_one(*args, kernel=_KERNEL)


def end_with_parent(parent: int) -> None:
    """Linux: this process gets SIGKILL when the process that started it ends (PR_SET_PDEATHSIG), so that a
    worker never outlives its build (its kernel then ends too: ipykernel watches its parent). If the parent
    is already gone, end now. Elsewhere, nothing (the kernel's own watch remains)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


def _worker_init(threads: int | None = None, parent: int | None = None) -> None:
    """Workers die with their build (end_with_parent), at once on SIGTERM (the parent's clean-up handler is
    not theirs; their kernel, left without its parent, ends itself within a second) and leave Ctrl-C to the
    parent, which then terminates them. A worker that ends normally shuts its kernel down. Its kernel starts
    with the worker's environment and `kernel_environment(threads)` (kernels.py says why)."""
    global _KERNEL
    if parent is not None:
        end_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for variable, value in kernel_environment(threads).items():
        os.environ.setdefault(variable, value)  # a variable the user set is left as it is
    _KERNEL = WarmKernel(paths.NOTEBOOKS, KERNEL_ARGUMENTS)
    multiprocessing.util.Finalize(None, _KERNEL.discard, exitpriority=10)


#: Reports that take longer than a scenario report (they run every scenario, or every month): started first,
#: so that no worker is left with a long report at the end while the others wait.
LONG_KINDS = ("timeline", "policy", "comparison")


def longest_first(todo: list[ReportJob]) -> list[ReportJob]:
    return sorted(todo, key=lambda job: LONG_KINDS.index(job.kind) if job.kind in LONG_KINDS else len(LONG_KINDS))


def _render_all(todo: list[ReportJob], staging: Path, workers: int, cell_timeout: int,
                progress: Callable[[str], None], hashes: dict[str, str]) -> dict[str, dict]:
    """Render every job into `staging`; stop at the first failure (RenderError), or as soon as a worker
    process dies (killed, or out of memory: the pool breaks). On any interruption the worker processes are
    terminated (their kernels exit when their parent does)."""
    made = provenance()
    workers = max(1, min(workers, len(todo)))
    progress(f"rendering {len(todo)} report(s) with {workers} worker(s)...")
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_init, initargs=(threads, os.getpid()))
    rendered: dict[str, dict] = {}
    try:
        pending = {pool.submit(_render_star, (job, staging, made, cell_timeout, hashes[job.name])): job.name
                   for job in longest_first(todo)}
        processes = list((getattr(pool, "_processes", None) or {}).values())  # started by now (fork)
        while pending:
            finished, _ = wait_for(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    for process in processes:
                        process.join(timeout=2)  # its exit status, for the message
                    unfinished = [job.name for job in todo if job.name not in rendered]
                    raise RenderError(_state_message(_dead_worker(processes, unfinished), KEPT)) from None
                if not result["ok"]:
                    raise RenderError(f"{result['error']}\nThe build stopped; {KEPT}")
                rendered[result["name"]] = result
                progress(f"[{len(rendered)}/{len(todo)}] {result['name']} ({result['seconds']:.1f} s); "
                         f"{len(todo) - len(rendered)} left")
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return rendered


def _dead_worker(processes: list, unfinished: list[str]) -> str:
    """What to say when a worker process died: which, how, and which reports were not finished."""
    how = ""
    for process in processes:
        code = process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            how = (f" (process {process.pid}, {name}"
                   + (": killed from outside, or by the out-of-memory killer)" if name == "SIGKILL" else ")"))
            break
        if code:
            how = f" (process {process.pid}, exit status {code})"
    return f"a build worker process died{how} before its report was done; unfinished: {', '.join(unfinished)}"


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now (SIGTERM: they die at once, and their kernels with them)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=10)


def _stage_manifest(todo: list[ReportJob], staging: Path, reports: Path, hashes: dict[str, str],
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
            "reads": reads.relative(rendered[job.name]["reads"] or {}, paths.ROOT),
        }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    try:
        write_atomic(staging / MANIFEST, text)
    except OSError as exc:
        raise RenderError(_state_message(f"writing the new manifest failed ({exc})", KEPT)) from None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGTERM and SIGINT wait while the files move (milliseconds): the set is then whole, old or new."""
    held = {signal.SIGTERM, signal.SIGINT}
    try:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        before = None
    try:
        yield
    finally:
        if before is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a signal that came meanwhile is handled now


def _publish(todo: list[ReportJob], staging: Path, reports: Path, extra: list[str] = ()) -> str:
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
        raise RenderError(_state_message(f"writing the publish journal failed ({exc})", KEPT)) from None
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
            _roll_back(staging, reports, plan)
        except OSError as again:
            raise RenderError(
                f"publishing the reports failed ({exc}), and putting the previous ones back failed too "
                f"({again}): the next build puts them back from {paths.display(staging / PREVIOUS)} "
                "(keep that folder until then).") from None
        (staging / JOURNAL).unlink(missing_ok=True)
        if isinstance(exc, Exception):
            raise RenderError(_state_message(f"publishing the reports failed ({exc})", ROLLED_BACK)) from None
        exc.reports_state = ROLLED_BACK
        raise
    os.replace(staging / JOURNAL, staging / PUBLISHED)  # every file moved: nothing to roll back
    return PUBLISHED_STATE


def _roll_back(staging: Path, reports: Path, plan: dict) -> None:
    """Put the reports back as they were before the publish that `plan` (its journal) describes: each old
    file from staging/previous/; a file that did not exist before, removed."""
    existed = set(plan["existed"])
    for rel in plan["moves"]:
        aside, dest = staging / PREVIOUS / rel, reports / rel
        if aside.exists():
            os.replace(aside, dest)
        elif rel not in existed:
            dest.unlink(missing_ok=True)
