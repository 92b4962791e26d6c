"""Parts of the workbook (downloads.py) that stand alone: the sources sheet, the headline numbers' sheet
(read from the summary's results, results/summary.py), and the zip rewritten without the clock."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pandas as pd

from ..inputs.world import World

#: The headline numbers' sheet: the summary's headline table as it is (reports/results/headlines.csv).
HEADLINES = "headlines"


def sources_sheet(book, world: World, write_table) -> None:
    """Every source the data cites: id, title, author, publisher, date, address (linked)."""
    sheet = book.create_sheet("sources")
    entries = sorted(world.bibliography.sources.items())
    header = ["id", "title", "author", "publisher", "date", "url", "accessed"]
    columns = [[i for i, _ in entries], [s.title.strip() for _, s in entries], [s.author for _, s in entries],
               [s.publisher for _, s in entries], [s.date for _, s in entries], [s.url for _, s in entries],
               [s.accessed for _, s in entries]]
    write_table(sheet, header, columns)
    for row, (_, s) in enumerate(entries, 2):
        if s.url and re.match(r"https?://", s.url):
            sheet.cell(row=row, column=6).hyperlink = s.url



def headlines_sheet(book, headlines: pd.DataFrame, write_table) -> None:
    """Every headline number once, as every report quotes it: the summary's headline table, a row per quantity."""
    sheet = book.create_sheet(HEADLINES)
    frame = headlines.reset_index()
    write_table(sheet, [str(c) for c in frame.columns], [frame[c].tolist() for c in frame.columns])


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
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
