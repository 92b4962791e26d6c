"""Notebooks to reports: papermill runs them, nbconvert writes HTML, WeasyPrint prints the PDF.

Knows files, not economics (it never imports the model). A build:
1. decides which reports are out of date: a report is up to date when the content hash of its inputs
   (notebook, parameters, the data files it reads, the package's code, the pinned environment) equals
   the one in reports/manifest.json and its files are there;
2. renders those in parallel, each in its own process and kernel, into a staging folder inside reports/;
3. only if every one succeeded, moves the new files into reports/ (os.replace, atomic per file), then
   writes the manifest and reports/index.html. A failed build leaves the last good reports in place.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any, Callable

from . import paths
from .report_catalog import KINDS, ReportJob

TEMPLATES = Path(__file__).parent / "templates"
MANIFEST = "manifest.json"
STAGING_PREFIX = ".staging-"


class RenderError(Exception):
    """A build failed: the message names the report, the notebook and the cell."""


@dataclass
class BuildSummary:
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- hashing ---------------------------------------------------------------------------------------

def _sha256(chunks) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk if isinstance(chunk, bytes) else str(chunk).encode())
        h.update(b"\0")
    return h.hexdigest()


def code_files() -> list[Path]:
    """The package's code and templates, and the pinned environment: a change here can change any report."""
    src = Path(__file__).parent
    files = sorted(p for p in src.rglob("*") if p.is_file() and p.suffix in {".py", ".j2", ".css", ".json"})
    lock = paths.ROOT / "requirements.lock"
    return files + ([lock] if lock.exists() else [])


def data_hash(files: tuple[Path, ...]) -> str:
    return _sha256(x for f in files for x in (paths.display(f), f.read_bytes()))


def input_hash(job: ReportJob) -> str:
    """Everything a report depends on, hashed: notebook, parameters, data files, code, environment."""
    code = code_files()
    return _sha256([job.notebook.read_bytes(), json.dumps(job.parameters, sort_keys=True), data_hash(job.data_files)]
                   + [x for f in code for x in (f.relative_to(paths.ROOT) if f.is_relative_to(paths.ROOT) else f.name,
                                                f.read_bytes())])


def outputs(name: str) -> list[str]:
    return [f"{name}.html", f"{name}.pdf", f"notebooks/{name}.ipynb"]


def read_manifest(reports: Path) -> dict[str, Any]:
    try:
        return json.loads((reports / MANIFEST).read_text())
    except (OSError, ValueError):
        return {"reports": {}}


def _git_commit() -> str:
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=paths.ROOT, capture_output=True,
                                text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "data", "notebooks"], cwd=paths.ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (commit or "unknown") + (" (with uncommitted changes)" if dirty else "")


# --- one report ------------------------------------------------------------------------------------

def _source_cell_number(executed: Path, index: int | None) -> int | None:
    """1-based position in the source notebook of executed cell `index` (papermill injects a cell)."""
    if index is None:
        return None
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells[:index]
    except Exception:  # noqa: BLE001 - the plain index is still useful
        return index + 1
    return sum("injected-parameters" not in c.get("metadata", {}).get("tags", []) for c in cells) + 1


def _running_cell(executed: Path) -> int | None:
    """The source-notebook number of the last cell that started executing (the one that timed out)."""
    try:
        import nbformat

        cells = nbformat.read(executed, as_version=4).cells
    except Exception:  # noqa: BLE001
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
    if type(exc).__name__ == "DeadKernelError":
        return f"report {job.name}: notebook {notebook}: its kernel died ({exc})"
    return f"report {job.name}: notebook {notebook}: {type(exc).__name__}: {exc}"


def render_one(job: ReportJob, staging: Path, provenance: dict[str, Any], cell_timeout: int) -> dict[str, Any]:
    """Execute, export HTML and PDF into `staging`. Runs in a worker process; never raises."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter
    from weasyprint import HTML

    start = time.perf_counter()
    executed = staging / "notebooks" / f"{job.name}.ipynb"
    try:
        papermill.execute_notebook(
            str(job.notebook), str(executed), parameters=job.parameters, kernel_name="python3",
            progress_bar=False, log_output=False, cwd=str(paths.NOTEBOOKS), execution_timeout=cell_timeout,
            report_mode=False, extra_arguments=["--IPKernelApp.log_level=ERROR"])  # no TCP-warning noise
    except BaseException as exc:  # noqa: BLE001 - reported as a message, not raised across processes
        return {"ok": False, "name": job.name, "error": _describe_failure(job, exc, executed)}
    try:
        nb = nbformat.read(executed, as_version=4)
        headline = headline_of(nb)
        nb.metadata["title"] = f"{job.title} | mogok-econ"
        exporter = HTMLExporter(template_name="mogok_report", extra_template_basedirs=[str(TEMPLATES)],
                                exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                                anchor_link_text="")
        resources = {"mogok": {**provenance, "name": job.name, "notebook": paths.display(job.notebook),
                               "parameters": job.parameters,
                               "data_files": [paths.display(f) for f in job.data_files],
                               "data_hash": data_hash(job.data_files),
                               "css": (TEMPLATES / "mogok_report" / "report.css").read_text()}}
        body, _ = exporter.from_notebook_node(nb, resources=resources)
        html_path = staging / f"{job.name}.html"
        html_path.write_text(body, encoding="utf-8")
        HTML(filename=str(html_path), base_url=str(staging)).write_pdf(str(staging / f"{job.name}.pdf"))
    except BaseException as exc:  # noqa: BLE001
        return {"ok": False, "name": job.name,
                "error": f"report {job.name}: writing HTML/PDF failed: {type(exc).__name__}: {exc}"}
    return {"ok": True, "name": job.name, "seconds": time.perf_counter() - start, "headline": headline}


def headline_of(nb) -> str:
    """The first paragraph of the Markdown shown by the cell tagged `headline` (plain text), for the index."""
    for cell in nb.cells:
        if "headline" in cell.get("metadata", {}).get("tags", []):
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/markdown")
                if text:
                    first = "".join(text).strip().split("\n\n")[0]
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
             or not all((reports / f).exists() for f in outputs(job.name))]
    return stale, hashes


def build(jobs: list[ReportJob], workers: int = 2, force: bool = False, cell_timeout: int = 600,
          reports: Path | None = None, progress: Callable[[str], None] = lambda _: None) -> BuildSummary:
    """Render the out-of-date reports among `jobs`; publish only if all succeed (RenderError if not)."""
    reports = reports or paths.REPORTS
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
            headlines = _render_all(todo, staging, workers, cell_timeout, progress)
            _publish(todo, staging, reports, hashes, headlines)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        summary.built = [j.name for j in todo]
    write_index(jobs, reports)
    summary.seconds = time.perf_counter() - start
    return summary


def _render_star(args) -> dict[str, Any]:
    return render_one(*args)


def _worker_init() -> None:
    """Workers die at once on SIGTERM (the parent's clean-up handler is not theirs) and leave Ctrl-C to
    the parent, which then terminates them."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _render_all(todo: list[ReportJob], staging: Path, workers: int, cell_timeout: int,
                progress: Callable[[str], None]) -> dict[str, str]:
    """Render every job into `staging`; stop at the first failure (RenderError). On any interruption
    the worker processes are terminated (their kernels exit when their parent does)."""
    provenance = {"version": package_version("mogok-econ"), "commit": _git_commit(),
                  "built": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    workers = max(1, min(workers, len(todo)))
    progress(f"rendering {len(todo)} report(s) with {workers} worker(s)...")
    pool = multiprocessing.Pool(processes=workers, initializer=_worker_init)
    headlines = {}
    try:
        args = [(job, staging, provenance, cell_timeout) for job in todo]
        for done, result in enumerate(pool.imap_unordered(_render_star, args), 1):
            if not result["ok"]:
                raise RenderError(result["error"] + "\nThe build stopped; no report was changed: the reports "
                                  "of the last good build are still in place.")
            headlines[result["name"]] = result["headline"]
            progress(f"[{done}/{len(todo)}] {result['name']} ({result['seconds']:.1f} s); {len(todo) - done} left")
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return headlines


def _publish(todo: list[ReportJob], staging: Path, reports: Path, hashes: dict[str, str],
             headlines: dict[str, str]) -> None:
    """Move the new files in as one set: check every destination first, move the old files aside, move
    the new ones in; if anything fails, put the old ones back. Then the manifest (atomic)."""
    (reports / "notebooks").mkdir(exist_ok=True)
    moves = [(staging / rel, reports / rel) for job in todo for rel in outputs(job.name)]
    for _, dest in moves:
        if dest.exists() and not dest.is_file() or dest.is_symlink():
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
            "outputs": outputs(job.name), "headline": headlines.get(job.name, ""),
        }
    write_atomic(reports / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_index(jobs: list[ReportJob], reports: Path) -> None:
    """reports/index.html: every report in the manifest, with links to its HTML and PDF (offline)."""
    manifest = read_manifest(reports)["reports"]
    order = {"comparison": 0, "timeline": 1, "policy": 2, "scenario": 3}
    entries = sorted(manifest.items(), key=lambda kv: (order.get(kv[1]["kind"], 9), kv[0]))
    items = []
    for name, entry in entries:
        if not (reports / f"{name}.html").exists():
            continue
        desc = KINDS[entry["kind"]].description if entry["kind"] in KINDS else ""
        headline = entry.get("headline", "")
        headline_html = f'<span class="headline">{html.escape(headline)}</span> ' if headline else ""
        items.append(f'<li><a href="{html.escape(name)}.html"><strong>{html.escape(entry["title"])}</strong></a> '
                     f'<span class="desc">{html.escape(desc)}</span> {headline_html}'
                     f'<span class="links">(<a href="{html.escape(name)}.html">HTML</a> &middot; '
                     f'<a href="{html.escape(name)}.pdf">PDF</a>)</span></li>')
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mogok-econ reports</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; line-height: 1.5; }}
h1 {{ font-size: 1.7em; }} li {{ margin: 0.9em 0; }} .desc {{ display: block; color: #555; font-size: 0.9em; }}
.headline {{ display: block; font-size: 0.95em; margin: 0.2em 0; }}
.links {{ font-size: 0.85em; }} a {{ color: #0072B2; }} footer {{ margin-top: 2rem; font-size: 0.8em; color: #666; }}
@page {{ size: A4; margin: 16mm 14mm; }}
</style></head>
<body>
<h1>Who keeps the money from Mogok's rubies</h1>
<p>Reports of <strong>mogok-econ</strong>, an open, reproducible model of the ruby trade of Mogok, Myanmar: who keeps
the revenue (the junta, the armed groups, the miners, the mine owners, the traders) under each control scenario,
with its uncertainty, its caveats and every source. Each report opens in a browser without a network connection;
the PDFs print on A4.</p>
<ul>
{chr(10).join(items)}
</ul>
<footer>Built by mogok-econ {html.escape(package_version("mogok-econ"))}. Each report ends with its provenance
(package version, git commit, data hash, parameters).</footer>
</body></html>
"""
    write_atomic(reports / "index.html", page)
