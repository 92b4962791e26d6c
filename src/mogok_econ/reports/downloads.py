"""What a reader can take away from the reports: a CSV beside every table and every chart's data
(reports/data/<report>/<name>.csv, linked under each), and one workbook with a sheet per table and a README
sheet (reports/mogok-econ-data.xlsx).

Both come from the executed notebooks: display.figure and display.table keep each item's number, caption,
units and data (CSV) in the output's metadata. The build calls `prepare` after rendering, into its staging
folder; the files are then published with the reports, as one set (a failed build changes none of them).
Everything is the same bytes for the same inputs: no clock in the workbook (its dates are the data's date,
its zip entries dated the same), sheets and rows in a fixed order.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd

from .catalogue import ReportJob

WORKBOOK = "mogok-econ-data.xlsx"
DATA = "data"
SHEET_CHARS = 31  # Excel's limit on a sheet's name
LICENCE = "CC BY 4.0 (Creative Commons Attribution 4.0 International): cite the mogok-econ team, the report and its version."


def items(nb) -> list[dict]:
    """The numbered figures and tables of an executed notebook, in order, as their metadata (dicts)."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("mogok")
            if meta:
                found.append(dict(meta))
    return found


def csv_path(report: str, name: str) -> str:
    """Where an item's CSV lives, relative to the reports folder (the link the report carries)."""
    return f"{DATA}/{report}/{name}.csv"


def _read(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def prepare(todo: list[ReportJob], staging: Path, reports: Path) -> list[str]:
    """Write the CSVs of the reports in `todo` and the workbook of every published report into `staging`;
    return the files written (relative to the reports folder), for the build to publish with the reports."""
    written: list[str] = []
    fresh = {job.name for job in todo}
    for job in todo:
        for item in items(_read(staging / "notebooks" / f"{job.name}.ipynb")):
            if "csv" not in item:
                continue
            rel = csv_path(job.name, item["name"])
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(item["csv"], encoding="utf-8", newline="")
            written.append(rel)
    names = sorted(fresh | set(_published(reports)))
    sources = {name: (staging if name in fresh else reports) / "notebooks" / f"{name}.ipynb" for name in names}
    sheets = [(name, item) for name, path in sources.items() if path.exists() for item in items(_read(path))
              if "csv" in item]
    (staging / WORKBOOK).write_bytes(workbook_bytes(sheets, data_date()))
    return [*written, WORKBOOK]


def remove_stale(todo: list[ReportJob], reports: Path) -> None:
    """After publishing: remove the CSVs of the rebuilt reports that they no longer link (a table renamed or
    dropped), so reports/data/ holds exactly what the reports offer."""
    for job in todo:
        folder = reports / DATA / job.name
        notebook = reports / "notebooks" / f"{job.name}.ipynb"
        if not folder.is_dir() or not notebook.exists():
            continue
        linked = {f"{item['name']}.csv" for item in items(_read(notebook)) if "csv" in item}
        for path in folder.glob("*.csv"):
            if path.name not in linked:
                path.unlink(missing_ok=True)


def _published(reports: Path) -> list[str]:
    try:
        return list(json.loads((reports / "manifest.json").read_text())["reports"])
    except (OSError, ValueError, KeyError):
        return []


def data_date() -> str:
    """The date the data is current to: the newest source's (what the reports print)."""
    from ..inputs.sources import load_bibliography

    return max(s.date for s in load_bibliography().sources.values())


def sheet_name(report: str, item: dict, taken: set[str]) -> str:
    """'tnla_control T2', 'comparison F1': the report (without 'scenario-'), T or F and the number; unique."""
    short = report.removeprefix("scenario-")
    suffix = f" {item['label'][0]}{item['number']}"
    name = re.sub(r"[\[\]:*?/\\]", "_", short)[:SHEET_CHARS - len(suffix)] + suffix
    base, n = name, 2
    while name in taken:
        name = f"{base[:SHEET_CHARS - 3]}~{n}"
        n += 1
    taken.add(name)
    return name


def _cell(value):
    if isinstance(value, float) and value != value:  # NaN: an empty cell
        return None
    return value.item() if hasattr(value, "item") else value


def workbook_bytes(sheets: list[tuple[str, dict]], date: str) -> bytes:
    """The workbook: a README sheet (what each sheet is, its units, licence and sources), then one sheet per
    table or chart's data, in the reports' order. Dated `date` (YYYY-MM-DD), never the clock."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    when = dt.datetime.fromisoformat(date[:10] if len(date) >= 10 else f"{date[:7]}-01")
    book = Workbook()
    readme = book.active
    readme.title = "README"
    bold = Font(bold=True)
    for row in (["mogok-econ: the data of the reports' tables and charts"],
                [f"Data current to {date} (the newest source's date). Money in US$ million a year unless a sheet's "
                 "units say otherwise; shares from 0 to 1."],
                ["Sources: each report's Sources section, and data/sources.yaml in the project (every number in "
                 "data/ names its source or is marked an assumption with a range)."],
                [f"Licence: {LICENCE} Code: MIT."],
                ["Each sheet is one table or one chart's data; the same data is a CSV file beside the report "
                 "(column CSV)."], [],
                ["Sheet", "Report", "Item", "Caption", "Units", "CSV"]):
        readme.append(row)
    for cell in readme[readme.max_row]:
        cell.font = bold
    readme["A1"].font = Font(bold=True, size=13)
    taken = {"README"}
    for report, item in sheets:
        name = sheet_name(report, item, taken)
        readme.append([name, report, f"{item['label']} {item['number']}", item["caption"], item.get("units", ""),
                       csv_path(report, item["name"])])
        sheet = book.create_sheet(name)
        frame = pd.read_csv(io.StringIO(item["csv"]), index_col=0)
        sheet.append([f"{item['label']} {item['number']}: {item['caption']}"])
        sheet.append([frame.index.name or "", *map(str, frame.columns)])
        for cell in sheet[2]:
            cell.font = bold
        for key, row in frame.iterrows():
            sheet.append([_cell(key), *(_cell(v) for v in row.tolist())])
    for column, width in zip("ABCDEF", (26, 30, 10, 70, 28, 50)):
        readme.column_dimensions[column].width = width
    book.properties.creator = "mogok-econ"
    book.properties.created = book.properties.modified = when
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue(), when)


def _fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """The same workbook with no trace of the clock: openpyxl stamps docProps/core.xml's `modified` and each
    zip entry with the time of saving; both become `when`."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()
