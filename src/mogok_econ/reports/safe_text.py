"""Text a spreadsheet will not run (issue 20, item 4): a table's text cell that starts with =, +, -, @, a tab
or a carriage return would be a live formula in Excel or LibreOffice (a scenario note such as
=HYPERLINK("http://...","Click")). In a CSV such a cell gets a leading single quote, as OWASP's guidance
on CSV injection says; in the workbook it is written as a string with Excel's quote prefix (downloads.py).
Numbers stay numbers: '-8.6' is a number, not a formula."""
from __future__ import annotations

import csv
import io

import pandas as pd

#: What a spreadsheet reads as the start of a formula (OWASP, CSV injection): text starting so is defused.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """A text cell as a CSV cell that no spreadsheet runs as a formula (OWASP's CSV-injection guidance):
    text that starts with =, +, -, @, a tab or a carriage return gets a leading single quote. Numbers
    (a negative one starts with -) are left alone: only text is defused."""
    return "'" + text if text[:1] in FORMULA_STARTS and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def defused(frame: pd.DataFrame) -> pd.DataFrame:
    """A table with every text cell, row name and column name defused (`defuse`); numbers unchanged."""
    def fix(value):
        return defuse(value) if isinstance(value, str) else value

    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):  # text (object or string dtype)
            out[column] = out[column].map(fix)
    out.index = out.index.map(fix)
    out.index.name = fix(frame.index.name)
    out.columns = [fix(c) for c in frame.columns]
    return out


def safe_csv(text: str) -> str:
    """A CSV (a table's, from a notebook) with its formula-looking text cells defused; the same text where
    there is none (so a CSV made by `display.csv_text`, which defuses already, passes unchanged)."""
    rows = list(csv.reader(io.StringIO(text)))
    fixed = [[defuse(cell) for cell in row] for row in rows]
    if fixed == rows:
        return text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(fixed)
    return out.getvalue()
