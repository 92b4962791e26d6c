"""What a reader can take away from the reports: a CSV beside every table and every chart's data
(reports/data/<report>/<name>.csv, linked under each), and one workbook with a sheet per table and a README
sheet (reports/mogok-econ-data.xlsx).

And the summary's results (reports/results/: the headline numbers and the brief's tables, typed, with their
schema in datapackage.json), as the English brief read them (results/summary.py): the landing page and
`mogok-econ headlines` read the same.

The CSVs and the workbook come from the executed notebooks: display.figure and display.table keep each item's number, caption,
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
from pathlib import Path

import pandas as pd

from ..inputs.world import World, shipped_world
from .catalogue import ReportJob
from .safe_text import FORMULA_STARTS, safe_csv
from .workbook_parts import HEADLINES, fixed_zip, headlines_sheet, sources_sheet

WORKBOOK = "mogok-econ-data.xlsx"
DATA = "data"
RESULTS = "results"
SHEET_CHARS = 31  # Excel's limit on a sheet's name
#: Float dust: a value below this share of its column's largest (and below this in size: a column may mix
#: units, people and shares) is written as 0 (7e-36 where the model's 0 is meant).
DUST = 1e-9
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


def prepare(todo: list[ReportJob], staging: Path, reports: Path, world: World | None = None) -> list[str]:
    """Write the CSVs of the reports in `todo` and the workbook of every published report into `staging`
    (its scenarios' titles and sources from `world`, None: the shipped data); return the files written
    (relative to the reports folder), for the build to publish with the reports."""
    world = world or shipped_world()
    written: list[str] = []
    fresh = {job.name for job in todo}
    for job in todo:
        for item in items(_read(staging / "notebooks" / f"{job.name}.ipynb")):
            if "csv" not in item:
                continue
            rel = csv_path(job.name, item["name"])
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(safe_csv(item["csv"]), encoding="utf-8", newline="")
            written.append(rel)
    names = sorted(fresh | set(_published(reports)))
    sources = {name: (staging if name in fresh else reports) / "notebooks" / f"{name}.ipynb" for name in names}
    sheets = [(name, item) for name, path in sources.items() if path.exists() for item in items(_read(path))
              if "csv" in item]
    results = _results(todo, staging, world)
    headlines = _headlines(staging / RESULTS if results else reports / RESULTS)
    (staging / WORKBOOK).write_bytes(workbook_bytes(sheets, data_date(world), world, headlines))
    return [*written, *results, WORKBOOK]


def _headlines(folder: Path) -> pd.DataFrame | None:
    """The headline table of a results folder (None where there is none yet)."""
    from ..results.summary_tables import SUMMARY_TABLES
    from ..results.tables import ResultsError, read_table

    try:
        return read_table(folder, SUMMARY_TABLES["headlines"])
    except ResultsError:
        return None


def _results(todo: list[ReportJob], staging: Path, world: World) -> list[str]:
    """The summary's results folder that the English brief in `todo` read (none if it was not rebuilt), copied
    into staging/results/ to be published as reports/results/."""
    from ..results.summary import results_folder
    from .catalogue import BriefReportParameters

    brief = next((j for j in todo if j.kind == "brief" and j.parameters.get("language", "en") == "en"), None)
    if brief is None:
        return []
    p = BriefReportParameters(**brief.parameters)
    folder = results_folder(p.draws, p.seed, p.calibrated, world)
    (staging / RESULTS).mkdir(exist_ok=True)
    written = []
    for source in sorted(folder.iterdir()):
        (staging / RESULTS / source.name).write_bytes(source.read_bytes())
        written.append(f"{RESULTS}/{source.name}")
    return written


def remove_stale(todo: list[ReportJob], reports: Path, published: list[str] = ()) -> None:
    """After publishing: remove the CSVs of the rebuilt reports that they no longer link (a table renamed or
    dropped), so reports/data/ holds exactly what the reports offer; and, when `published` has a new results
    folder, the results files it no longer has."""
    if any(rel.startswith(f"{RESULTS}/") for rel in published):
        for path in (reports / RESULTS).glob("*"):
            if f"{RESULTS}/{path.name}" not in published:
                path.unlink(missing_ok=True)
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


def data_date(world: World) -> str:
    """The date the data is current to: the newest source's (what the reports print)."""
    return max(s.date for s in world.bibliography.sources.values())


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


# --- the workbook ----------------------------------------------------------------------------------

def _text_cell(cell, value: str) -> None:
    """Write text as text: a value starting with =, +, -, @ (or a tab, a carriage return) is stored as a
    string with Excel's quote prefix, never as a formula. A CSV's defusing quote is taken off first."""
    if value[:1] == "'" and value[1:2] in FORMULA_STARTS:
        value = value[1:]
    cell.value = value
    if value[:1] in FORMULA_STARTS or cell.data_type == "f":
        cell.data_type = "s"
        cell.quotePrefix = True


def _put(sheet, row: int, column: int, value, number_format: str | None = None):
    """One cell: None empty, text as text (`_text_cell`), numbers and dates as themselves."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        _text_cell(cell, value)
    else:
        cell.value = value
        if number_format and value is not None and not isinstance(value, bool):
            cell.number_format = number_format
    return cell


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")


def _as_dates(values: list) -> tuple[list, list] | None:
    """A column of ISO dates ('2021-02-01') or months ('2021-02') as dates, each with its number format;
    None where any non-empty cell is something else."""
    present = [v for v in values if v is not None]
    if not present or not all(isinstance(v, str) and (_DAY.fullmatch(v) or _MONTH.fullmatch(v)) for v in present):
        return None
    try:
        dates = [None if v is None else dt.date.fromisoformat(v if _DAY.fullmatch(v) else v + "-01") for v in values]
    except ValueError:  # '2024-25' (a span of years), '2021-13': text, not dates
        return None
    formats = [None if v is None else "yyyy-mm-dd" if _DAY.fullmatch(v) else "yyyy-mm" for v in values]
    return dates, formats


def _numbers(values: list) -> tuple[list, list] | None:
    """A column of numbers with the float dust (7e-36 where the model's 0 is meant) set to a real 0 and a
    display format for its scale (the cell keeps full precision); None where any cell is not a number."""
    present = [v for v in values if v is not None]
    if not present or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return None
    scale = max(abs(v) for v in present)
    dust = DUST * min(scale, 1.0)
    cleaned = [None if v is None else (0 if abs(v) <= dust and isinstance(v, float) else v) for v in values]
    if all(float(v).is_integer() for v in present):
        fmt = "#,##0"
    else:
        fmt = "#,##0.0" if scale >= 10 else "#,##0.00" if scale >= 1 else "0.000"
    return cleaned, [fmt] * len(values)


def _column(values: list) -> tuple[list, list]:
    """A column's cells typed for the workbook, and each one's number format (None: text, as it is)."""
    return _as_dates(values) or _numbers(values) or (values, [None] * len(values))


def _value(value):
    if isinstance(value, float) and value != value:  # NaN: an empty cell
        return None
    return value.item() if hasattr(value, "item") else value


#: The header of a first column whose table gives its row names no name.
ROW_NAMES = "Row"


def frame_of(item: dict) -> pd.DataFrame:
    """An item's data as a table (its CSV, the row names as the first column, named)."""
    frame = pd.read_csv(io.StringIO(item["csv"]), index_col=0)
    name = frame.index.name if frame.index.name and not str(frame.index.name).startswith("Unnamed") else ROW_NAMES
    frame.index.name = name
    return frame.reset_index()


def _write_table(sheet, header: list[str], columns: list[list], widths: bool = True) -> None:
    """A data sheet: the header in row 1 (bold, frozen, filterable), then the rows; each column typed
    (dates as dates, numbers as numbers with a display format, text as text)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    for j, name in enumerate(header, 1):
        _put(sheet, 1, j, str(name)).font = bold
    for j, values in enumerate(columns, 1):
        typed, formats = _column([_value(v) for v in values])
        for i, (value, fmt) in enumerate(zip(typed, formats), 2):
            _put(sheet, i, j, value, fmt)
        if widths:
            longest = max([len(str(header[j - 1]))] + [len(str(v)) for v in typed[:200] if v is not None])
            sheet.column_dimensions[get_column_letter(j)].width = min(60, max(10, longest + 2))
    sheet.freeze_panes = "A2"
    if columns and columns[0]:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(columns[0]) + 1}"


def _scenario_words(name: str, world: World) -> tuple[str, str]:
    """A scenario's short title and period ('2021-02 to 2024-06'), for the tidy table; its name if it
    cannot be read."""
    try:
        s = world.scenario(name)
    except Exception:  # a scenario gone since its report was built (or unreadable): keep its name
        return name, ""
    return s.title.split(" (")[0].strip(), f"{s.period_start} to {s.period_end or 'open'}"


TIDY = "tidy"
TIDY_COLUMNS = ["scenario", "period", "actor", "statistic", "value", "unit"]
_KEY_NUMBERS = {"Central estimate (US$ M/yr)": ("central estimate", "US$ million a year"),
                "P5": ("P5 (5th percentile)", "US$ million a year"),
                "P95": ("P95 (95th percentile)", "US$ million a year"),
                "Share of sales": ("share of sales", "share, 0 to 1")}


def tidy_rows(sheets: list[tuple[str, dict]], world: World | None = None) -> list[list]:
    """One long table of every scenario x actor x statistic: each scenario report's key numbers (central
    estimate, P5, P95, share of sales) and the timeline's totals over each period of control; the same
    numbers as those tables' CSVs."""
    world = world or shipped_world()
    rows = []
    for report, item in sheets:
        if report.startswith("scenario-") and item["name"] == "key-numbers":
            scenario, period = _scenario_words(report.removeprefix("scenario-"), world)
            frame = pd.read_csv(io.StringIO(item["csv"]), index_col=0)
            for actor, row in frame.iterrows():
                for column, (statistic, unit) in _KEY_NUMBERS.items():
                    if column in frame.columns:
                        rows.append([scenario, period, actor, statistic, _value(row[column]), unit])
        elif report == "timeline" and item["name"] == "periods":
            frame = pd.read_csv(io.StringIO(item["csv"]), index_col=0)
            for start, row in frame.iterrows():
                period = f"{start} to {row.get('To (exclusive)', '')} (exclusive)"
                for column in frame.columns:
                    if column.endswith(" (US$ M)"):
                        rows.append([row.get("Scenario", ""), period, column.removesuffix(" (US$ M)"),
                                     "total over the period (central estimate)", _value(row[column]), "US$ million"])
    return rows


def workbook_bytes(sheets: list[tuple[str, dict]], date: str, world: World | None = None,
                   headlines: pd.DataFrame | None = None) -> bytes:
    """The workbook: a README sheet (what it holds, licence, how to cite, and a link to every sheet), the
    tidy table (every scenario x actor x statistic), the sources, then one sheet per table or chart's data
    in the reports' order, each with its header in row 1, frozen. Dated `date` (YYYY-MM-DD), never the clock."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    from .wording.citation import how_to_cite_workbook

    when = dt.datetime.fromisoformat(date[:10] if len(date) >= 10 else f"{date[:7]}-01")
    book = Workbook()
    readme = book.active
    readme.title = "README"
    bold = Font(bold=True)
    intro = ["mogok-econ: the data of the reports' tables and charts",
             f"Data current to {date} (the newest source's date). Money in US$ million a year unless a sheet's "
             "units say otherwise; shares from 0 to 1. Numbers are stored in full; the sheets show them rounded.",
             f"Start with the sheet '{TIDY}': one row per scenario, actor and statistic, ready to sort, filter or chart.",
             "Sources: the sheet 'sources' (id, title, author, date, address); every number in the project's data/ "
             "names its source or is marked an assumption with a range.",
             f"Licence: {LICENCE} Code: MIT.",
             f"How to cite: {how_to_cite_workbook(date)}",
             "Each other sheet is one table or one chart's data; the same data is a CSV file beside the report "
             "(column CSV). Click a sheet's name to open it."]
    for i, text in enumerate(intro, 1):
        _put(readme, i, 1, text)
    readme["A1"].font = Font(bold=True, size=13)
    top = len(intro) + 2
    for j, name in enumerate(["Sheet", "Report", "Item", "Caption", "Units", "CSV"], 1):
        _put(readme, top, j, name).font = bold
    taken = {"README", TIDY, "sources", HEADLINES}
    named = [(sheet_name(report, item, taken), report, item) for report, item in sheets]
    listing = [(TIDY, "all", "", "Every scenario x actor x statistic in one long table: " + ", ".join(TIDY_COLUMNS),
                "as the unit column says", ""),
               ("sources", "all", "", "Every source the data cites: id, title, author, publisher, date, address",
                "", "")]
    if headlines is not None:
        listing.insert(1, (HEADLINES, "all", "", "Every headline number once, as every report quotes it (the central "
                           "estimate and its 90% interval where one was computed)", "as the unit column says",
                           f"{RESULTS}/headlines.csv"))
    listing += [(name, report, f"{item['label']} {item['number']}", item["caption"], item.get("units", ""),
                 csv_path(report, item["name"])) for name, report, item in named]
    for i, row in enumerate(listing, top + 1):
        for j, value in enumerate(row, 1):
            _put(readme, i, j, value)
        link = readme.cell(row=i, column=1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{row[0]}'!A1")
        link.style = "Hyperlink"
    readme.freeze_panes = f"A{top + 1}"
    for column, width in zip("ABCDEF", (26, 30, 10, 70, 28, 50)):
        readme.column_dimensions[column].width = width

    world = world or shipped_world()
    tidy = tidy_rows(sheets, world)
    _write_table(book.create_sheet(TIDY), TIDY_COLUMNS, [[row[j] for row in tidy] for j in range(len(TIDY_COLUMNS))])
    sources_sheet(book, world, _write_table)
    if headlines is not None:
        headlines_sheet(book, headlines, _write_table)
    for name, report, item in named:
        sheet = book.create_sheet(name)
        frame = frame_of(item)
        _write_table(sheet, [str(c) for c in frame.columns], [frame[c].tolist() for c in frame.columns])
        note = f"{item['label']} {item['number']} of the report {report}: {item['caption']}"
        if item.get("units"):
            note += f" Units: {item['units']}."
        sheet["A1"].comment = Comment(note, "mogok-econ", width=400, height=120)
    book.properties.creator = "mogok-econ"
    book.properties.created = book.properties.modified = when
    raw = io.BytesIO()
    book.save(raw)
    return fixed_zip(raw.getvalue(), when)
