"""reports/index.html, the landing page: the summary chart and key findings, the brief in both languages,
every report (in time order, by human title) and every download, all linked offline.

The chart and the findings are worded from the brief's own numbers (reports/results/, published with the
brief), so writing the index runs no model and can never disagree with the brief."""
from __future__ import annotations

import html
import json
import os
import re
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import KINDS, ReportJob

if TYPE_CHECKING:
    from ..inputs.world import World

MANIFEST = "manifest.json"
#: The downloads, at the paths every report links them by.
WORKBOOK = "mogok-econ-data.xlsx"
DATA_FOLDER = "data"
#: Reports in the order a reader meets them: the brief, the overviews, then each scenario in time order.
NO_SUMMARY = ("<p>The summary chart and key findings appear here once the brief is built "
              "(<code>mogok-econ render --all</code>).</p>")
#: No script, nothing fetched but the page's own data: images and inline styles (every report page says the same).
CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
       'style-src \'unsafe-inline\'; font-src data:; base-uri \'none\'; form-action \'none\'">')
KIND_ORDER = {"brief": 0, "comparison": 1, "timeline": 2, "policy": 3, "calibration": 4, "scenario": 5}


def read_manifest(reports: Path) -> dict:
    """The output folder's manifest; one of any other shape (damaged, or planted) counts as no manifest, so
    every report is out of date."""
    try:
        manifest = json.loads((reports / MANIFEST).read_text())
    except (OSError, ValueError):
        return {"reports": {}}
    entries = manifest.get("reports") if isinstance(manifest, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(e, dict) and isinstance(e.get("input_hash", ""), str)
                                                for e in entries.values()):
        return {"reports": {}}
    return manifest


def write_atomic(path: Path, text: str, durable: bool = False) -> None:
    """Write `path` whole or not at all (a temporary file renamed over it; removed if writing fails, e.g. on
    a full disk). `durable`: on disk (fsync) before the rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def landing_summary(reports: Path, world: World) -> str | None:
    """The chart and key findings, from the published results (reports/results/: the numbers the brief
    shows, results/summary.py), worded as the brief words them; None before a brief is built."""
    from ..results.summary import load_summary
    from ..results.tables import ResultsError
    from .brief_page import landing_html
    from .downloads import RESULTS

    try:
        summary = load_summary(reports / RESULTS, world, same_data=False)
    except ResultsError:
        return None
    return landing_html(summary)


def _names(world: World) -> tuple[dict[str, str], list[str]]:
    """Human titles of the levers and scenarios (to replace ids in headlines), and the scenarios in time
    order. Empty if the data cannot be read: the index must be written even then."""
    from ..errors import InputError
    from ..results.ordering import time_order

    try:
        scenarios = list(world.scenarios.values())
        ordered = [s.name for s in time_order(scenarios, world.timeline)]
        titles = {s.name: s.title for s in scenarios} | {lever.name: lever.title for lever in world.levers()}
    except (InputError, OSError):
        return {}, []
    return titles, ordered


def unescaped(text: str) -> str:
    """A headline as the text it shows: the escapes of Markdown (a backslash before punctuation) and HTML's
    entities (reports/display.text writes both) undone; the index escapes it again as HTML."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text))


def plain_words(text: str, titles: dict[str, str]) -> str:
    """A headline with every lever or scenario id (`eiti_transparency`, eiti transparency) replaced by its title.
    An id that is also a plain word (contested) is replaced only where it is marked as code (`contested`)."""
    for name in sorted(titles, key=len, reverse=True):
        word = re.escape(name).replace("_", "[_ ]")
        pattern = rf"`?\b{word}\b`?" if "_" in name else rf"`{word}`"
        text = re.sub(pattern, lambda _m, n=name: titles[n], text)
    return text


def _sort_key(name: str, entry: dict, ordered: list[str]) -> tuple:
    scenario = entry.get("parameters", {}).get("scenario")
    position = ordered.index(scenario) if entry["kind"] == "scenario" and scenario in ordered else len(ordered)
    return KIND_ORDER.get(entry["kind"], 9), position, name


def _links(name: str, reports: Path) -> str:
    pdf = (f' &middot; <a href="{html.escape(name)}.pdf">PDF</a>') if (reports / f"{name}.pdf").exists() else ""
    return f'<span class="links">(<a href="{html.escape(name)}.html">HTML</a>{pdf})</span>'


def _report_items(manifest: dict, reports: Path, titles: dict[str, str], ordered: list[str]) -> list[str]:
    """Every report once: the overviews each with what it is and its headline; the scenario reports together,
    what they are said once, then each scenario's title and links in time order (their headlines are the
    comparison's). The briefs are linked above the summary, so not again here."""
    items, scenarios = [], []
    for name, entry in sorted(manifest.items(), key=lambda kv: _sort_key(kv[0], kv[1], ordered)):
        if not (reports / f"{name}.html").exists() or entry["kind"] == "brief":
            continue
        if entry["kind"] == "scenario":
            scenarios.append(f'<li><a href="{html.escape(name)}.html">{html.escape(entry["title"])}</a> '
                             f'{_links(name, reports)}</li>')
            continue
        desc = KINDS[entry["kind"]].description if entry["kind"] in KINDS else ""
        headline = plain_words(unescaped(entry.get("headline", "")), titles)
        headline_html = f'<span class="headline">{html.escape(headline)}</span> ' if headline else ""
        items.append(f'<li><a href="{html.escape(name)}.html"><strong>{html.escape(entry["title"])}</strong></a> '
                     f'<span class="desc">{html.escape(desc)}</span> {headline_html}{_links(name, reports)}</li>')
    if scenarios:
        items.append(f'<li><strong>Each scenario on its own</strong> <span class="desc">{len(scenarios)} reports, in the '
                     f'order the scenarios held Mogok; each: {html.escape(KINDS["scenario"].description)}</span>'
                     f'<ul class="compact">{"".join(scenarios)}</ul></li>')
    return items


def _downloads(reports: Path, manifest: dict) -> list[str]:
    """Every download that exists: the workbook, the CSVs of each overview report, and those of the scenario
    reports as one table (a row per scenario, a column per file: every scenario report writes the same files)."""
    items = []
    if (reports / WORKBOOK).is_file():
        items.append(f'<li><a href="{WORKBOOK}"><strong>The data workbook</strong></a> (Excel): a sheet per table, '
                     "and a README sheet with units and sources</li>")
    if (reports / "results" / "headlines.csv").is_file():
        items.append('<li><a href="results/headlines.csv"><strong>The headline numbers</strong></a> (CSV): each once, '
                     'as every report quotes them; with the brief\'s other tables in <a href="results/datapackage.json">'
                     'results/</a> (every column\'s type, unit and meaning in datapackage.json)</li>')
    folder = reports / DATA_FOLDER
    csvs = sorted(p.relative_to(reports) for p in folder.rglob("*.csv")) if folder.is_dir() else []
    groups: dict[str, list[Path]] = {}
    for path in csvs:
        groups.setdefault(path.parent.name if path.parent != Path(DATA_FOLDER) else "", []).append(path)
    per_scenario = {g: paths for g, paths in groups.items() if manifest.get(g, {}).get("kind") == "scenario"}
    for group, paths in groups.items():
        if group in per_scenario:
            continue
        label = manifest.get(group, {}).get("title", group) if group else "All reports"
        links = ", ".join(f'<a href="{html.escape(p.as_posix())}">{html.escape(p.name)}</a>' for p in paths)
        items.append(f"<li><strong>{html.escape(label)}</strong> (CSV): {links}</li>")
    if per_scenario:
        files = sorted({p.name for paths in per_scenario.values() for p in paths})
        head = "".join(f"<th>{html.escape(f.removesuffix('.csv'))}</th>" for f in files)
        rows = []
        for group, paths in per_scenario.items():
            have = {p.name: p for p in paths}
            cells = "".join(f'<td><a href="{html.escape(have[f].as_posix())}">CSV</a></td>' if f in have else "<td></td>"
                            for f in files)
            rows.append(f"<tr><th>{html.escape(manifest[group].get('title', group))}</th>{cells}</tr>")
        items.append(f'<li><strong>Each scenario</strong> (CSV, the same files for every scenario):'
                     f'<table class="csvs"><thead><tr><th></th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
                     "</table></li>")
    return items


def write_index(jobs: list[ReportJob], reports: Path, world: World | None = None) -> None:
    from .downloads import data_date
    from .wording.citation import how_to_cite_project

    """reports/index.html: the landing page, from the manifest, the brief's summary and the files present."""
    from ..inputs.world import shipped_world

    world = world or shipped_world()
    manifest = read_manifest(reports)["reports"]
    titles, ordered = _names(world)
    summary = landing_summary(reports, world)
    pdf = ' (<a href="{0}.pdf">PDF</a>)'
    briefs = [f'<span class="edition"><a href="{n}.html"{lang}>{label}</a>'
              + (pdf.format(n) if (reports / f"{n}.pdf").exists() else "") + "</span>"
              for n, lang, label in (("brief", "", "Read the two-page brief"),
                                     ("brief-my", ' lang="my"', "မြန်မာဘာသာဖြင့် ဖတ်ရန် (in Burmese)"))
              if (reports / f"{n}.html").exists()]
    downloads = _downloads(reports, manifest)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{CSP}
<title>Who keeps the money from Mogok's rubies | mogok-econ</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }}
h1 {{ font-size: 1.7em; margin-bottom: 0.2em; }} h2 {{ font-size: 1.25em; margin-top: 1.6em; }}
li {{ margin: 0.7em 0; }} .desc {{ display: block; color: #555; font-size: 0.9em; }}
.headline {{ display: block; font-size: 0.92em; margin: 0.2em 0; }}
.links {{ font-size: 0.85em; }} a {{ color: #0072B2; }} footer {{ margin-top: 2rem; font-size: 0.8em; color: #666; }}
.briefs {{ font-size: 1.05em; background: #fdf2ea; border-left: 4px solid #D55E00; padding: 0.6em 1em; }}
.briefs a {{ font-weight: bold; }} .briefs .edition {{ margin-right: 1.5em; white-space: nowrap; }}
[lang="my"] {{ font-family: "Noto Sans Myanmar", "DejaVu Sans", sans-serif; }}
figure {{ margin: 1em 0; }} figure img {{ width: 100%; height: auto; }} figcaption {{ font-size: 0.85em; color: #444; }}
ol.findings li {{ margin: 0.6em 0; }}
ul.compact li {{ margin: 0.2em 0; }}
table.csvs {{ border-collapse: collapse; font-size: 0.8em; margin-top: 0.4em; }}
table.csvs th, table.csvs td {{ padding: 0.15em 0.4em; border-bottom: 1px solid #ddd; text-align: left; }}
table.csvs thead th {{ font-weight: normal; color: #555; }}
@page {{ size: A4; margin: 16mm 14mm; }}
</style></head>
<body>
<h1>Who keeps the money from Mogok's rubies</h1>
<p>An open, reproducible economic model of the ruby trade of Mogok, Myanmar: who keeps the revenue (the junta,
the armed groups, the miners, the mine owners, the traders) in each period of control since 2016, with its
uncertainty, its caveats and every source. Every page opens in a browser without a network connection; the PDFs
print on A4.</p>
{f'<p class="briefs">{" ".join(briefs)}</p>' if briefs else ""}
{summary or NO_SUMMARY}
<h2>Every report</h2>
<ul>
{chr(10).join(_report_items(manifest, reports, titles, ordered))}
</ul>
<h2>Downloads</h2>
{f'<ul>{chr(10).join(downloads)}</ul>' if downloads else '<p>No data file has been built yet.</p>'}
<footer>Built by mogok-econ {html.escape(package_version("mogok-econ"))}. Each report ends with its provenance
(package version, data hash, input hash, parameters) and how to cite it. How to cite the project:
{html.escape(how_to_cite_project(data_date(world)))}</footer>
</body></html>
"""
    write_atomic(reports / "index.html", page)
