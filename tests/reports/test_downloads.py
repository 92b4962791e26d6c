"""What a reader can take away: a CSV beside every table and chart, and one workbook with a sheet per table
and a README sheet, the same bytes on every build from the same inputs."""
from __future__ import annotations

import io
import zipfile

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

from mogok_econ.reports.downloads import WORKBOOK, items, sheet_name, workbook_bytes


def _item(label: str, number: int, name: str, csv: str) -> dict:
    return {"kind": label.lower(), "label": label, "number": number, "name": name, "caption": f"{label} {name}",
            "units": "US$ million a year", "csv": csv}


def test_workbook_has_a_readme_and_a_sheet_per_table_and_no_clock():
    sheets = [("scenario-a", _item("Table", 1, "takes", "Actor,Central\nJunta,1.5\nMiners,2\n")),
              ("scenario-a", _item("Figure", 1, "waterfall", "Step,Value\nGross,10\n")),
              ("comparison", _item("Table", 1, "takes", "Scenario,Junta\nLicensing era,159.3\n"))]
    data = workbook_bytes(sheets, "2026-02-02")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["README", "a T1", "a F1", "comparison T1"]
    assert book["a T1"]["A3"].value == "Junta" and book["a T1"]["B3"].value == 1.5
    readme = [row for row in book["README"].iter_rows(values_only=True) if row and row[0]]
    assert any("Licence" in str(row[0]) for row in readme)
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
    assert book.sheetnames[0] == "README" and len(book.sheetnames) == len(found) + 1
    for item in found:
        csv = rendered / "data" / "scenario-tnla_control" / f"{item['name']}.csv"
        frame = pd.read_csv(csv, index_col=0)
        assert len(frame) > 0
        sheet = book[f"tnla_control {item['label'][0]}{item['number']}"]
        assert sheet["A1"].value.startswith(f"{item['label']} {item['number']}: ")
        assert sheet.max_row == len(frame) + 2  # title, header, rows


@pytest.mark.slow
def test_a_rebuild_removes_the_csv_of_a_dropped_table(rendered, tmp_path):
    import shutil

    from mogok_econ.reports.build import build
    from tests.reports.conftest import scenario_jobs

    reports = tmp_path / "reports"
    shutil.copytree(rendered, reports)
    stale = reports / "data" / "scenario-tnla_control" / "old-table.csv"
    stale.write_text("a,b\n1,2\n")
    build(scenario_jobs(), workers=1, reports=reports, force=True)
    assert not stale.exists()
    assert (reports / "data" / "scenario-tnla_control" / "key-numbers.csv").exists()
