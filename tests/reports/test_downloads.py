"""What a reader can take away: a CSV beside every table and chart, and one workbook with a sheet per table
and a README sheet, the same bytes on every build from the same inputs."""
from __future__ import annotations

import io
import zipfile

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

from mogok_econ.reports.downloads import TIDY_COLUMNS, WORKBOOK, items, sheet_name, workbook_bytes
from mogok_econ.reports.safe_text import safe_csv


def _item(label: str, number: int, name: str, csv: str) -> dict:
    return {"kind": label.lower(), "label": label, "number": number, "name": name, "caption": f"{label} {name}",
            "units": "US$ million a year", "csv": csv}


def test_workbook_has_a_readme_and_a_sheet_per_table_and_no_clock():
    sheets = [("scenario-a", _item("Table", 1, "takes", "Actor,Central\nJunta,1.5\nMiners,2\n")),
              ("scenario-a", _item("Figure", 1, "waterfall", "Step,Value\nGross,10\n")),
              ("comparison", _item("Table", 1, "takes", "Scenario,Junta\nLicensing era,159.3\n"))]
    data = workbook_bytes(sheets, "2026-02-02")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["README", "tidy", "sources", "a T1", "a F1", "comparison T1"]
    assert book["a T1"]["A2"].value == "Junta" and book["a T1"]["B2"].value == 1.5
    readme = [row for row in book["README"].iter_rows(values_only=True) if row and row[0]]
    assert any("Licence" in str(row[0]) for row in readme)
    assert any(str(row[0]).startswith("How to cite: The mogok-econ team (2026)") for row in readme)
    assert [row[0] for row in readme[-3:]] == ["a T1", "a F1", "comparison T1"]
    assert book.properties.created.year == 2026 and book.properties.modified.date().isoformat() == "2026-02-02"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time[:3] for info in z.infolist()} == {(2026, 2, 2)}
    assert workbook_bytes(sheets, "2026-02-02") == data


def test_sheet_names_fit_excel_and_stay_unique():
    taken: set[str] = set()
    long = "scenario-" + "x" * 40
    names = [sheet_name(long, {"label": "Table", "number": 1}, taken) for _ in range(3)]
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


@pytest.mark.slow
def test_build_writes_a_csv_per_item_and_the_workbook(rendered):
    nb = nbformat.read(rendered / "notebooks" / "scenario-tnla_control.ipynb", as_version=4)
    found = items(nb)
    assert {i["label"] for i in found} == {"Figure", "Table"}
    book = load_workbook(rendered / WORKBOOK)
    assert book.sheetnames[:3] == ["README", "tidy", "sources"] and len(book.sheetnames) == len(found) + 3
    for item in found:
        csv = rendered / "data" / "scenario-tnla_control" / f"{item['name']}.csv"
        frame = pd.read_csv(csv, index_col=0)
        assert len(frame) > 0
        sheet = book[f"tnla_control {item['label'][0]}{item['number']}"]
        assert sheet["A1"].comment.text.startswith(f"{item['label']} {item['number']} of the report ")
        assert sheet.freeze_panes == "A2" and sheet.max_row == len(frame) + 1  # header, rows
    for sheet in _data_sheets(book):  # every table as numbers: intervals in their own columns, none as words
        assert sheet.freeze_panes == "A2" and all(c.value not in (None, "") for c in sheet[1]), sheet.title
        assert not _numeric_columns_hold_only_numbers(sheet), sheet.title
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    parameters = pd.read_csv(rendered / "data" / "scenario-tnla_control" / "parameters.csv", index_col=0)
    assert {"Value used", "Low", "High", "Unit"} <= set(parameters.columns)
    assert pd.api.types.is_float_dtype(parameters["Value used"])
    tidy = book["tidy"]
    assert [c.value for c in tidy[1]] == TIDY_COLUMNS
    key = pd.read_csv(rendered / "data" / "scenario-tnla_control" / "key-numbers.csv", index_col=0)
    assert tidy.max_row - 1 == len(key) * 4  # central, P5, P95 and share for each row of the key numbers


# A rebuild removes the CSV of a dropped table: test_build.py, test_rebuilding_from_the_same_inputs_gives_the_same_bytes
# (the forced rebuild it makes anyway).


# --- a workbook a journalist opens without help, and no formula anywhere (issues 20 and 22) -------------

HOSTILE = '=HYPERLINK("http://example.invalid/x","Click")'


def _workbook_of(sheets) -> object:
    return load_workbook(io.BytesIO(workbook_bytes(sheets, "2026-02-02")))


def _data_sheets(book):
    return [book[name] for name in book.sheetnames if name != "README"]


def _numeric_columns_hold_only_numbers(sheet) -> list[str]:
    """The columns with a number in them that also hold text (a mixed column: '-8.6 (-18.3 to -3.0)')."""
    mixed = []
    for column in sheet.iter_cols(min_row=2):
        kinds = {type(c.value) for c in column if c.value is not None}
        if kinds & {int, float} and str in kinds:
            mixed.append(f"{sheet.title}!{column[0].column_letter}")
    return mixed


def test_every_data_sheet_has_its_header_in_row_one_frozen_and_typed_cells():
    csv = ("Month,Junta,Public treasury,Note\n2021-02,1.5,7e-36,fine\n2021-03,2.25,0.5,\n")
    events = "Date,Event\n2021-02-01,Coup\n2024-07-25,TNLA takes Mogok\n"
    book = _workbook_of([("timeline", _item("Table", 1, "monthly", csv)),
                         ("timeline", _item("Table", 2, "events", events))])
    for sheet in _data_sheets(book):
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(c.value not in (None, "") for c in sheet[1]), sheet.title
        assert not _numeric_columns_hold_only_numbers(sheet)
    monthly = book["timeline T1"]
    assert [c.value for c in monthly[1]] == ["Month", "Junta", "Public treasury", "Note"]
    assert monthly["C2"].value == 0 and monthly["C3"].value == 0.5  # float dust is a real zero
    assert monthly["A2"].is_date and monthly["A2"].number_format == "yyyy-mm"
    assert book["timeline T2"]["A3"].is_date and book["timeline T2"]["A3"].value.day == 25
    spans = _workbook_of([("x", _item("Table", 1, "spans", "Season,Value\n2024-25,1\n2023-24,2\n"))])["x T1"]
    assert spans["A2"].value == "2024-25"  # a span of years is not a month
    assert monthly["B3"].value == 2.25 and monthly["B3"].number_format == "#,##0.00"  # full value, shown rounded
    readme = book["README"]
    links = {c.value: c.hyperlink.location for row in readme.iter_rows() for c in row if c.hyperlink}
    assert links["timeline T1"] == "'timeline T1'!A1" and links["tidy"] == "'tidy'!A1"
    sources = book["sources"]
    assert [c.value for c in sources[1]][:6] == ["id", "title", "author", "publisher", "date", "url"]
    assert any(c.hyperlink and c.value.startswith("http") for c in sources["F"][1:])


def test_the_tidy_table_holds_every_scenario_actor_and_statistic():
    key = ("Actor,Central estimate (US$ M/yr),Share of sales,P5,P95\nJunta,223.9,0.37,127.9,350.4\n"
           "Miners,170.5,0.28,100,250\n")
    book = _workbook_of([("scenario-junta_informal", _item("Table", 1, "key-numbers", key))])
    rows = list(book["tidy"].iter_rows(values_only=True))
    assert list(rows[0]) == TIDY_COLUMNS and len(rows) == 1 + 2 * 4
    assert ("Junta rule after the coup", "2021-02 to 2024-06", "Junta", "P95 (95th percentile)", 350.4,
            "US$ million a year") in rows
    assert all(isinstance(row[4], (int, float)) for row in rows[1:])


def test_text_that_looks_like_a_formula_is_text_in_the_workbook_and_quoted_in_the_csv():
    from mogok_econ.reports.display import csv_text

    frame = pd.DataFrame({"Value": [1.5, -2.0, 3.0], "Note": [HOSTILE, "+1 555", "@SUM(A1)"]},
                         index=pd.Index(["-a row", "b", "\tc"], name="Name"))
    text = csv_text(frame)
    rows = pd.read_csv(io.StringIO(text), index_col=0, dtype=str)
    assert rows["Note"].tolist() == ["'" + HOSTILE, "'+1 555", "'@SUM(A1)"]
    assert rows.index.tolist()[:2] == ["'-a row", "b"]
    assert rows["Value"].tolist() == ["1.5", "-2", "3"]  # numbers stay numbers
    raw = "Name,Note\nx,=1+2\ny,-3\n"
    assert safe_csv(raw) == "Name,Note\nx,'=1+2\ny,-3\n" and safe_csv(text) == text
    book = _workbook_of([("scenario-x", _item("Table", 1, "notes", text))])
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    note = book["x T1"]["C2"]
    assert note.value == HOSTILE and note.data_type == "s" and note.quotePrefix
    assert book["x T1"]["B3"].value == -2


@pytest.fixture()
def hostile_data(tmp_path):
    """A data folder with one scenario whose parameter note is a spreadsheet formula."""
    import shutil

    from mogok_econ import paths

    data = tmp_path / "data"
    shutil.copytree(paths.SHIPPED_DATA, data)
    (data / "scenarios" / "hostile.yaml").write_text(
        "name: hostile\ntitle: A hostile scenario (for a test)\nperiod: {start: \"2021-02\", end: \"2024-06\"}\n"
        "extends: junta_informal\nsummary: A copy of junta_informal with a formula in a note.\nparameters:\n"
        "  production_factor:\n    dist: triangular\n    low: 0.5\n    mode: 0.75\n    high: 1.0\n"
        "    source: [assumption]\n    note: '" + HOSTILE.replace("'", "''") + "'\n", encoding="utf-8")
    return data


def test_a_hostile_note_never_becomes_a_formula(hostile_data):
    from mogok_econ.inputs.scenarios import load_scenario
    from mogok_econ.reports.display import csv_text
    from mogok_econ.reports.wording.common import parameter_numbers, parameter_table

    s = load_scenario("hostile", data=hostile_data)
    assert HOSTILE in s.parameter_table()["note"].tolist()
    sheets = [("scenario-hostile", {**_item("Table", n, name, csv_text(frame))})
              for n, (name, frame) in enumerate([("parameters", parameter_numbers(s)),
                                                 ("parameters-printed", parameter_table(s))], 1)]
    for _, item in sheets:
        assert f"'{HOSTILE}" in pd.read_csv(io.StringIO(item["csv"]), dtype=str)["Note"].tolist()
    book = _workbook_of(sheets)
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    notes = [c.value for c in book["hostile T1"]["J"]]
    assert HOSTILE in notes
    assert not _numeric_columns_hold_only_numbers(book["hostile T1"])


# A hostile note in a report built now: test_hostile.py, test_a_formula_in_a_note_stays_text_in_the_downloads
# (its stranger's data folder carries one; that report is rendered there anyway).
