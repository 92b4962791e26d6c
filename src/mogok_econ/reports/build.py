"""Notebooks to reports: papermill runs them, nbconvert writes HTML, WeasyPrint prints the PDF.

Knows files, not economics: it imports no model code, except that checking a value a report recorded
(the calibration's digest) works the value out again (analysis/cache.py, recorded_values: the only
functions a manifest's records can lead to). A build:
1. decides which reports are out of date: a report is up to date when the content hash of its inputs
   (notebook, parameters, the data files planned for it, the package's code, the pinned environment)
   equals the one in reports/manifest.json, its files are there, and nothing its notebook read when it
   was last built (every data file, folder listing and value, as its kernel noted them: inputs/reads.py)
   has changed since;
2. renders those in parallel, each in its own process and kernel, into a staging folder inside reports/;
3. only if every one succeeded, moves the new files into reports/ (os.replace, atomic per file), then
   writes the manifest and reports/index.html. A failed build leaves the last good reports in place.
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from .. import paths
from ..analysis.cache import recorded_values
from ..fingerprint import code_files, files_hash, sha256
from ..inputs import reads
from .catalogue import KINDS, ReportJob
from .citations import as_day, data_current_to
from .downloads import prepare as prepare_downloads
from .downloads import remove_stale as remove_stale_downloads
from .fetcher import url_fetcher
from .index_page import MANIFEST, read_manifest, write_atomic, write_index
from .kernels import WarmKernel, kernel_environment
from .notebook_files import strip_run_metadata
from .wording.citation import cite_parts

# nbformat checks notebooks with jsonschema, whose format checkers import rfc3987_syntax where it is installed
# (jupyter-events brings it); that import compiles 39 grammars, about 4 s in every process that reads a
# notebook, for an "iri" format that no notebook schema uses. The build's processes go without it (jsonschema
# then checks no "iri" format: it treats the package as absent).
sys.modules.setdefault("rfc3987_syntax", None)

TEMPLATES = Path(__file__).parent / "templates"
STAGING_PREFIX = ".staging-"


class RenderError(Exception):
    """A build failed: the message names the report, the notebook and the cell."""


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
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built = (dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")
             if epoch and epoch.isdigit() else None)
    return {"version": package_version("mogok-econ"), "data_current_to": data_current_to(), "built": built}


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
    return int(dt.datetime.combine(as_day(date), dt.time(), dt.UTC).timestamp())


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
                               "citation": cite_parts(job.title, job.name, provenance["version"],
                                                      provenance["data_current_to"], inputs),
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
    (tests/reports/test_pages.py checks it). WeasyPrint reads only the package's files and data: URLs (fetcher.py)."""
    from weasyprint import CSS, HTML

    safe = {"base_url": str(base_url), "url_fetcher": url_fetcher()}  # nothing local, nothing on the network
    head_end = page.find("</head>")
    head = page[:head_end] if head_end >= 0 else ""
    texts = _HEAD_STYLE.findall(head)
    if not texts:
        HTML(string=page, **safe).write_pdf(str(pdf))
        return
    for text in texts:
        if text not in _PARSED_CSS:
            _PARSED_CSS[text] = CSS(string=text, **safe)
    bare = _HEAD_STYLE.sub("", head) + page[head_end:]
    HTML(string=bare, **safe).write_pdf(str(pdf), stylesheets=[_PARSED_CSS[t] for t in texts])


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

def clean_stale_staging(reports: Path) -> None:
    """Remove staging folders left by builds that were killed (their process is gone)."""
    for folder in reports.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name[len(STAGING_PREFIX):].split("-")[0]
        alive = pid.isdigit() and Path(f"/proc/{pid}").exists() and int(pid) != os.getpid()
        if not alive:
            shutil.rmtree(folder, ignore_errors=True)


def out_of_date(jobs: list[ReportJob], reports: Path, force: bool) -> tuple[list[ReportJob], dict[str, str]]:
    manifest = read_manifest(reports)["reports"]
    hashes = {job.name: input_hash(job) for job in jobs}
    if force:
        return list(jobs), hashes
    stale = [job for job in jobs
             if manifest.get(job.name, {}).get("input_hash") != hashes[job.name]
             or not all((reports / f).exists() for f in outputs(job.name))
             or not reads.unchanged(reads.absolute(manifest[job.name].get("reads", {}), paths.ROOT), recorded_values())]
    return stale, hashes


def build(jobs: list[ReportJob], workers: int = 2, force: bool = False, cell_timeout: int = 600,
          reports: Path | None = None, progress: Callable[[str], None] = lambda _: None) -> BuildSummary:
    """Render the out-of-date reports among `jobs`; publish only if all succeed (RenderError if not)."""
    reports = reports or paths.reports_dir()
    reports.mkdir(parents=True, exist_ok=True)
    clean_stale_staging(reports)
    start = time.perf_counter()
    todo, hashes = out_of_date(jobs, reports, force)
    summary = BuildSummary(skipped=[j.name for j in jobs if j not in todo])
    for name in summary.skipped:
        progress(f"up to date, skipped: {name}")
    if todo:
        staging = reports / f"{STAGING_PREFIX}{os.getpid()}-{int(time.time())}"
        (staging / "notebooks").mkdir(parents=True)
        try:
            rendered = _render_all(todo, staging, workers, cell_timeout, progress, hashes)
            # The CSV beside every table and chart, and the workbook: published with the reports, as one set.
            downloads = prepare_downloads(todo, staging, reports)
            _publish(todo, staging, reports, hashes, rendered, downloads)
            remove_stale_downloads(todo, reports)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        summary.built = [j.name for j in todo]
    write_index(jobs, reports)
    summary.seconds = time.perf_counter() - start
    return summary


#: The worker's kernel, reused by every notebook the worker runs (kernels.py says why and how).
_KERNEL: WarmKernel | None = None


def _render_star(args) -> dict[str, Any]:
    return render_one(*args, kernel=_KERNEL)


def _worker_init(threads: int | None = None) -> None:
    """Workers die at once on SIGTERM (the parent's clean-up handler is not theirs; their kernel, left
    without its parent, ends itself within a second) and leave Ctrl-C to the parent, which then terminates
    them. A worker that ends normally shuts its kernel down. Its kernel starts with the worker's
    environment and `kernel_environment(threads)` (kernels.py says why)."""
    global _KERNEL
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
    """Render every job into `staging`; stop at the first failure (RenderError). On any interruption
    the worker processes are terminated (their kernels exit when their parent does)."""
    made = provenance()
    workers = max(1, min(workers, len(todo)))
    progress(f"rendering {len(todo)} report(s) with {workers} worker(s)...")
    threads = max(1, (os.cpu_count() or 1) // workers) if workers > 1 else None
    pool = multiprocessing.Pool(processes=workers, initializer=_worker_init, initargs=(threads,))
    rendered = {}
    try:
        args = [(job, staging, made, cell_timeout, hashes[job.name]) for job in longest_first(todo)]
        for done, result in enumerate(pool.imap_unordered(_render_star, args), 1):
            if not result["ok"]:
                raise RenderError(result["error"] + "\nThe build stopped; no report was changed: the reports "
                                  "of the last good build are still in place.")
            rendered[result["name"]] = result
            progress(f"[{done}/{len(todo)}] {result['name']} ({result['seconds']:.1f} s); {len(todo) - done} left")
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return rendered


def _publish(todo: list[ReportJob], staging: Path, reports: Path, hashes: dict[str, str],
             rendered: dict[str, dict], extra: list[str] = ()) -> None:
    """Move the new files in as one set: check every destination first, move the old files aside, move
    the new ones in; if anything fails, put the old ones back. Then the manifest (atomic)."""
    (reports / "notebooks").mkdir(exist_ok=True)
    moves = [(staging / rel, reports / rel) for job in todo for rel in outputs(job.name)]
    moves += [(staging / rel, reports / rel) for rel in extra]
    for _, dest in moves:
        if (dest.exists() and not dest.is_file()) or dest.is_symlink():
            raise RenderError(f"cannot write {paths.display(dest)}: something other than a file is in its place; "
                              "remove it and build again. No report was changed.")
    backup = staging / "previous"
    saved: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for _, dest in moves:
            if dest.exists():
                aside = backup / dest.relative_to(reports)
                aside.parent.mkdir(parents=True, exist_ok=True)
                os.replace(dest, aside)
                saved.append((aside, dest))
        for new, dest in moves:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(new, dest)
            placed.append(dest)
    except OSError as exc:
        for dest in placed:
            dest.unlink(missing_ok=True)
        for aside, dest in saved:
            os.replace(aside, dest)
        raise RenderError(f"publishing the reports failed ({exc}); the previous reports were put back.") from None
    manifest = read_manifest(reports)
    for job in todo:
        manifest["reports"][job.name] = {
            "title": job.title, "kind": job.kind, "notebook": paths.display(job.notebook),
            "parameters": job.parameters, "input_hash": hashes[job.name],
            "data_files": [paths.display(f) for f in job.data_files],
            "outputs": outputs(job.name), "headline": rendered[job.name]["headline"],
            "reads": reads.relative(rendered[job.name]["reads"] or {}, paths.ROOT),
        }
    write_atomic(reports / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
