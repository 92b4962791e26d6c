"""Typed tables (results/tables.py): what is written is what is read back, bit for bit and typed as the schema
says; the same tables give the same bytes; a folder that is not as its schema says is refused, never guessed."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from mogok_econ.results.tables import (
    Column,
    ResultsError,
    TableSchema,
    read_about,
    read_table,
    table_csv,
    write_tables,
)

SCHEMA = TableSchema("example", "An example", "Every column type.", Column("month", "month", "", "month"), (
    Column("usd", "number", "USD", "money"), Column("count", "integer", "people", "a count"),
    Column("label", "string", "", "words"), Column("day", "date", "", "a day"), Column("flag", "boolean", "", "yes/no")))


def _frame() -> pd.DataFrame:
    index = pd.PeriodIndex(["2021-02", "2021-03", "2021-04", "2021-05"], freq="M", name="month")
    return pd.DataFrame({"usd": [0.1 + 0.2, 1e-300, np.nan, -np.inf], "count": [0, 25_000, -3, 7],
                         "label": ['a "quoted", comma', "=1+1", "line\nbreak", "ကျပ်"],
                         "day": [dt.date(2021, 2, 1), dt.date(2025, 11, 28), dt.date(2026, 1, 21), dt.date(2000, 1, 1)],
                         "flag": [True, False, True, False]}, index=index)


def test_a_table_reads_back_exactly_as_written_and_typed(tmp_path):
    write_tables(tmp_path, {"example": _frame()}, {"example": SCHEMA}, {"draws": 10})
    back = read_table(tmp_path, SCHEMA)
    pd.testing.assert_frame_equal(back, _frame(), check_dtype=False)
    assert isinstance(back.index, pd.PeriodIndex)
    assert back["usd"].iloc[0] == 0.1 + 0.2 and back["usd"].iloc[1] == 1e-300  # full precision, no rounding
    assert np.isnan(back["usd"].iloc[2]) and back["usd"].iloc[3] == -np.inf
    assert back["day"].iloc[1] == dt.date(2025, 11, 28) and back["flag"].tolist() == [True, False, True, False]
    assert read_about(tmp_path) == {"draws": 10}


def test_the_same_table_gives_the_same_bytes_and_columns_in_the_schemas_order(tmp_path):
    shuffled = _frame()[["flag", "label", "usd", "day", "count"]]
    assert table_csv(shuffled, SCHEMA) == table_csv(_frame(), SCHEMA)
    assert table_csv(_frame(), SCHEMA).splitlines()[0] == "month,usd,count,label,day,flag"


def test_the_datapackage_gives_each_columns_type_and_unit(tmp_path):
    write_tables(tmp_path, {"example": _frame()}, {"example": SCHEMA}, {})
    package = json.loads((tmp_path / "datapackage.json").read_text())
    (resource,) = package["resources"]
    fields = {f["name"]: f for f in resource["schema"]["fields"]}
    assert resource["path"] == "example.csv" and resource["schema"]["primaryKey"] == ["month"]
    assert fields["usd"]["unit"] == "USD" and fields["usd"]["type"] == "number"
    assert fields["month"]["type"] == "string" and fields["month"]["format"] == "%Y-%m"  # Table Schema has no month type


def test_a_frame_with_other_columns_than_the_schema_is_not_written(tmp_path):
    with pytest.raises(ValueError, match="not the schema's"):
        write_tables(tmp_path, {"example": _frame().drop(columns="flag")}, {"example": SCHEMA}, {})


@pytest.mark.parametrize("damage", [
    lambda text: text.replace("month,usd", "month,dollars"),   # a renamed column
    lambda text: text.replace("25000", "twenty-five thousand"),  # a value not of its type
    lambda text: "",                                            # emptied
])
def test_a_table_not_as_its_schema_says_is_refused(tmp_path, damage):
    write_tables(tmp_path, {"example": _frame()}, {"example": SCHEMA}, {})
    path = tmp_path / "example.csv"
    path.write_text(damage(path.read_text()))
    with pytest.raises(ResultsError, match=r"example\.csv"):
        read_table(tmp_path, SCHEMA)


def test_a_missing_table_or_package_is_refused(tmp_path):
    with pytest.raises(ResultsError):
        read_table(tmp_path, SCHEMA)
    with pytest.raises(ResultsError, match=r"datapackage\.json"):
        read_about(tmp_path)
