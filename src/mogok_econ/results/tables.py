"""Typed tables: how a result is written once and read back, with its schema beside it.

A result is a set of tables (pandas frames). Each table has a schema here: its index and its columns, each
with a type, a unit and a description. A folder of results holds one CSV file per table and a
`datapackage.json` (the Frictionless Data Package standard: https://specs.frictionlessdata.io/) that gives
every table's schema, so that an economist opens it with pandas or R and a journalist with a spreadsheet,
and both know what each column is and in what unit.

Numbers are written in full precision (Python's shortest repr that reads back to the same float), so a
table read back is the table written, bit for bit; and the same tables give the same bytes. Reading checks
the header against the schema and refuses a table that does not match (ResultsError): a folder written by
other code, or altered, is never read as if it were ours.
"""
from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import limits

#: The column types of the Frictionless Table Schema that results use, and how each is read back.
TYPES = ("number", "integer", "string", "date", "month", "boolean")
PACKAGE_FILE = "datapackage.json"


class ResultsError(Exception):
    """A results folder that cannot be read as the schemas say (missing, altered, written by other code)."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    unit: str
    description: str

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} is not one of {TYPES}")


@dataclass(frozen=True)
class TableSchema:
    """A table: its index (one column, the row key) and its columns, in order."""

    name: str
    title: str
    description: str
    index: Column
    columns: tuple[Column, ...]

    @property
    def fields(self) -> tuple[Column, ...]:
        return (self.index, *self.columns)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def descriptor(self) -> dict:
        """The table as a Data Package resource (its path, title, description and Table Schema)."""
        return {"name": self.name, "path": f"{self.name}.csv", "format": "csv", "title": self.title,
                "description": self.description,
                "schema": {"fields": [{"name": c.name, "type": "string" if c.type == "month" else c.type,
                                       **({"format": "%Y-%m"} if c.type == "month" else {}),
                                       "unit": c.unit, "description": c.description} for c in self.fields],
                           "primaryKey": [self.index.name]}}


def _checked(frame: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    """The frame with its columns in the schema's order; ValueError if they are not the schema's."""
    names = [c.name for c in schema.columns]
    if sorted(map(str, frame.columns)) != sorted(names):
        raise ValueError(f"table {schema.name}: columns {list(frame.columns)} are not the schema's {names}")
    return frame[names]


def _text(value, column: Column) -> str:
    if value is None or (isinstance(value, float) and value != value):  # missing, or NaN
        return ""
    if column.type == "number":
        return repr(float(value))
    if column.type == "integer":
        return str(int(value))
    if column.type == "boolean":
        return "true" if value else "false"
    return str(value)  # a string, a date (ISO), a month (YYYY-MM: a pandas Period's str)


def table_csv(frame: pd.DataFrame, schema: TableSchema) -> str:
    """The table as CSV text: header, then one row per index value, every number in full precision."""
    frame = _checked(frame, schema)
    out = io.StringIO()
    rows = [[c.name for c in schema.fields]]
    for key, row in frame.iterrows():
        rows.append([_text(key, schema.index), *(_text(row[c.name], c) for c in schema.columns)])
    pd.DataFrame(rows).to_csv(out, header=False, index=False, lineterminator="\n")
    return out.getvalue()


def write_tables(folder: Path, tables: Mapping[str, pd.DataFrame], schemas: Mapping[str, TableSchema],
                 about: Mapping[str, object]) -> None:
    """Write every table of `schemas` (CSV) and the folder's datapackage.json (`about`: what the results are
    of, e.g. the data's digest, draws and seed) into `folder`, which must exist."""
    for name, schema in schemas.items():
        (folder / f"{name}.csv").write_text(table_csv(tables[name], schema), encoding="utf-8")
    package = {"name": "mogok-econ-results", "profile": "tabular-data-package", "about": dict(about),
               "resources": [schemas[name].descriptor() for name in schemas]}
    (folder / PACKAGE_FILE).write_text(json.dumps(package, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _parse(values: pd.Series, column: Column) -> pd.Series:
    if column.type == "number":
        return values.map(lambda v: float(v) if v else float("nan")).astype(float)  # float() reads what repr wrote
    if column.type == "integer":
        return values.astype(int)
    if column.type == "boolean":
        return values.map({"true": True, "false": False})
    if column.type == "date":
        return pd.to_datetime(values).dt.date
    if column.type == "month":
        return pd.PeriodIndex(values, freq="M").to_series(index=values.index)
    return values


def read_table(folder: Path, schema: TableSchema) -> pd.DataFrame:
    """One table of a results folder, typed as its schema says (ResultsError if it is not as written)."""
    path = folder / f"{schema.name}.csv"
    try:
        if path.stat().st_size > limits.MAX_RESULT_BYTES:
            raise ResultsError(f"{path}: larger than a result table may be ({limits.MAX_RESULT_BYTES} bytes)")
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ResultsError(f"{path}: cannot be read as a result table ({type(exc).__name__}: {exc})") from None
    expected = [c.name for c in schema.fields]
    if list(raw.columns) != expected:
        raise ResultsError(f"{path}: its columns {list(raw.columns)[:20]} are not the schema's {expected}")
    try:
        typed = {c.name: _parse(raw[c.name], c) for c in schema.fields}
    except (ValueError, TypeError) as exc:
        raise ResultsError(f"{path}: a value is not of its column's type ({exc})") from None
    index = typed[schema.index.name]
    index = pd.PeriodIndex(index, freq="M") if schema.index.type == "month" else pd.Index(index.to_list())
    frame = pd.DataFrame({c.name: typed[c.name].to_numpy() for c in schema.columns}, index=index)
    frame.index.name = schema.index.name
    return frame


def read_tables(folder: Path, schemas: Mapping[str, TableSchema]) -> dict[str, pd.DataFrame]:
    return {name: read_table(folder, schema) for name, schema in schemas.items()}


def read_about(folder: Path) -> dict:
    """What a results folder says it is of (its datapackage.json's `about`); ResultsError if unreadable."""
    try:
        about = json.loads((folder / PACKAGE_FILE).read_text(encoding="utf-8"))["about"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResultsError(f"{folder / PACKAGE_FILE}: not a results package ({type(exc).__name__})") from None
    if not isinstance(about, dict):
        raise ResultsError(f"{folder / PACKAGE_FILE}: not a results package")
    return about
