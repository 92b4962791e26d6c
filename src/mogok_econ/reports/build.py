"""Notebooks to reports: papermill runs them, nbconvert writes HTML, WeasyPrint prints the PDF.

Knows files, not economics: it imports no model code. A build:
1. decides which reports are out of date: a report is up to date when the content hash of its inputs
   (notebook, parameters, the data files it declares: catalogue.py and inputs/dependencies.py, the
   package's code and wording, the pinned environment) equals the one in reports/manifest.json and its
   files are there; nothing else is consulted (a manifest is data, never code);
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

import datetime as dt
import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

from .. import limits, paths
from ..fingerprint import code_files, file_state, files_hash, sha256
from ..inputs.sources import as_day, data_current_to
from ..inputs.world import World, shipped_world
from . import worker_pool
from .catalogue import KINDS, ReportJob
from .downloads import prepare as prepare_downloads
from .downloads import remove_stale as remove_stale_downloads
from .fetcher import url_fetcher
from .index_page import MANIFEST, read_manifest
from .kernels import WarmKernel
from .notebook_files import strip_run_metadata
from .publish import (
    JOURNAL,
    KEPT,
    LOCK_WAIT,
    STAGING_PREFIX,
    RenderError,
    clean_stale_staging,
    output_lock,
    outputs,
    publish,
    signals_held,
    stage_manifest,
    state_message,
    write_index_or_say,
)
from .wording.citation import cite_parts

# nbformat checks notebooks with jsonschema, whose format checkers import rfc3987_syntax where it is installed
# (jupyter-events brings it); that import compiles 39 grammars, about 4 s in every process that reads a
# notebook, for an "iri" format that no notebook schema uses. The build's processes go without it (jsonschema
# then checks no "iri" format: it treats the package as absent).
sys.modules.setdefault("rfc3987_syntax", None)

TEMPLATES = Path(__file__).parent / "templates"
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
    """The declared data files' names and contents (a folder: which YAML files it holds; a path where
    nothing is: absent, so that adding a file there is a change)."""
    return sha256(x for f in files for x in (paths.display(f), file_state(f, limits.MAX_FILE_BYTES)))


def input_hash(job: ReportJob) -> str:
    """Everything a report depends on, hashed: notebook, parameters, data files, code, environment."""
    return sha256([job.notebook.read_bytes(), json.dumps(job.parameters, sort_keys=True), data_hash(job.data_files),
                   files_hash(code_files() + environment_files())])


def provenance(world: World) -> dict[str, Any]:
    """What every report says about how it was made. Nothing here depends on the clock or the checkout,
    so the same inputs give the same bytes: the date shown is the newest source's date (what the data
    is current to), or SOURCE_DATE_EPOCH's date when a packager sets it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    built = (dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("%Y-%m-%d")
             if epoch and epoch.isdigit() else None)
    return {"version": package_version("mogok-econ"), "data_current_to": data_current_to(world.bibliography),
            "built": built}


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
        reuse = {"km": kernel.before_notebook()} if kernel is not None else {}
        papermill.execute_notebook(
            str(job.notebook), str(executed), parameters=job.parameters, kernel_name="python3",
            progress_bar=False, log_output=False, cwd=str(paths.NOTEBOOKS), execution_timeout=cell_timeout,
            report_mode=False, extra_arguments=KERNEL_ARGUMENTS, **reuse)
        if kernel is not None:
            kernel.after_notebook()
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
    return {"ok": True, "name": job.name, "seconds": time.perf_counter() - start, "headline": headline}


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

def out_of_date(jobs: list[ReportJob], reports: Path, force: bool) -> tuple[list[ReportJob], dict[str, str]]:
    manifest = read_manifest(reports)["reports"]
    hashes = {job.name: input_hash(job) for job in jobs}
    if force:
        return list(jobs), hashes
    stale = [job for job in jobs
             if manifest.get(job.name, {}).get("input_hash") != hashes[job.name]
             or not all((reports / f).exists() for f in outputs(job.name))]
    return stale, hashes


def build(jobs: list[ReportJob], workers: int = 2, force: bool = False, cell_timeout: int = 600,
          reports: Path | None = None, progress: Callable[[str], None] = lambda _: None,
          lock_wait: float = LOCK_WAIT, world: World | None = None) -> BuildSummary:
    """Render the out-of-date reports among `jobs` (planned from `world`, None: the shipped data; each
    notebook gets its folder as its `data` parameter); publish only if all succeed (RenderError if not). An
    interruption (KeyboardInterrupt, or the CLI's Terminated) propagates with `reports_state`: a sentence
    saying what state the reports are in."""
    world = world or shipped_world()
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
                rendered = worker_pool.render_all(todo, staging, workers, cell_timeout, progress, hashes, world)
                # The CSV beside every table and chart, and the workbook: published with the reports, as one set.
                downloads = prepare_downloads(todo, staging, reports, world)
                stage_manifest(todo, staging, reports, hashes, rendered)
                with signals_held():  # SIGTERM, Ctrl-C: handled once the set has moved (and `state` says so)
                    state = publish(todo, staging, reports, [*downloads, MANIFEST])
                    remove_stale_downloads(todo, reports, downloads)
                    write_index_or_say(jobs, reports, state, world)
            except OSError as exc:
                raise RenderError(state_message(f"writing the reports failed ({exc})", state)) from None
            except BaseException as exc:
                if not isinstance(exc, Exception) and not hasattr(exc, "reports_state"):
                    exc.reports_state = state  # KeyboardInterrupt, Terminated: the CLI says what state they are in
                raise
            finally:
                if not (staging / JOURNAL).exists():  # else a roll-back failed: the next build finishes it
                    shutil.rmtree(staging, ignore_errors=True)
            summary.built = [j.name for j in todo]
        else:
            write_index_or_say(jobs, reports, state, world)
    summary.seconds = time.perf_counter() - start
    return summary
