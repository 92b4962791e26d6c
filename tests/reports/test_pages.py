"""The printed pages: no section heading is the last line of a PDF page (its content alone on the next), no page
more than a third empty unless the next opens a new section, and
every report carries its front and back matter (data date, authors, how to cite, licence, what changed,
glossary). Checked on one report built now and on the committed reports."""
from __future__ import annotations

import functools
import html as html_lib
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from mogok_econ import paths

BOTTOM_MARGIN = 40  # points: the footer (page number, "mogok-econ") sits below this
FOOTER = re.compile(r"^(mogok-econ)?\s*(Page \d+ of \d+)?\s*(mogok-econ)?$")  # the running footer, in any order
COMMITTED = sorted(p for p in paths.REPORTS.glob("*.pdf") if p.with_suffix(".html").exists())


def headings(html_path: Path) -> list[str]:
    """The section headings (h1-h3) of a report, as text."""
    found = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html_path.read_text(encoding="utf-8"), flags=re.S)
    return [re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", "", h))).strip() for h in found]


@dataclass(frozen=True)
class Page:
    """What the checks read of one printed page, in one pass over its text (pypdf's text extraction is most of
    these tests' time: each page is read once, however many checks look at it)."""
    lines: list[str]  # its lines of text from top to bottom, without the running footer
    lowest: float | None  # the height of its lowest text above the bottom margin (None: no text)


def read_page(page) -> Page:
    """A page's lines of text from top to bottom, by their position on the page (pypdf's text order follows
    the content stream, not the eye), without the running footer in the bottom margin; and how low its text
    goes. pypdf reads some of WeasyPrint's font subsets with NULs: dropped from the lines."""
    pieces: dict[float, list[tuple[float, str]]] = {}
    heights: list[float] = []

    def visit(text, cm, tm, _font, _size):
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > BOTTOM_MARGIN:
            heights.append(y)
        text = text.replace("\x00", "").strip()
        if text and y > BOTTOM_MARGIN:
            pieces.setdefault(round(y), []).append((x, text))

    page.extract_text(visitor_text=visit)
    lines = [" ".join(t for _, t in sorted(pieces[y])) for y in sorted(pieces, reverse=True)]
    return Page([line for line in lines if not FOOTER.match(line)], min(heights) if heights else None)


@functools.cache
def _read_pdf(pdf: Path, _version: tuple[int, int]) -> tuple[float, tuple[Page, ...]]:
    pages = PdfReader(pdf).pages
    return float(pages[0].mediabox.height), tuple(read_page(page) for page in pages)


def read_pdf(pdf: Path) -> tuple[float, tuple[Page, ...]]:
    """(the first page's height, every page read): once a process for a given file and version of it."""
    stat = pdf.stat()
    return _read_pdf(pdf, (stat.st_mtime_ns, stat.st_size))


def headings_ending_pages(pdf: Path) -> list[tuple[int, str]]:
    """(page, heading) for each page whose last line(s) of text are a section heading."""
    titles = [h for h in headings(pdf.with_suffix(".html")) if h]
    found = []
    _height, pages = read_pdf(pdf)
    for number, page in enumerate(pages[:-1], 1):  # the last page may end anywhere
        tail = re.sub(r"\s+", " ", " ".join(page.lines[-3:]))
        for title in titles:
            if tail.endswith(title) and len(title) > 3:
                found.append((number, title))
    return found


def test_the_check_sees_a_heading_at_the_end_of_a_page(tmp_path):
    """The check can fail: a page that ends on a heading is found."""
    from weasyprint import HTML

    page = tmp_path / "r.html"
    page.write_text("<html><body><p style='height: 215mm'>Text</p><h2 style='break-after: auto'>Where the money goes</h2>"
                    "<p style='height: 200mm'>Content</p></body></html>")
    HTML(filename=str(page)).write_pdf(str(tmp_path / "r.pdf"))
    assert headings_ending_pages(tmp_path / "r.pdf") == [(1, "Where the money goes")]


@pytest.mark.slow
def test_no_heading_ends_a_page_of_a_report_built_now(rendered):
    assert headings_ending_pages(rendered / "scenario-tnla_control.pdf") == []


@pytest.mark.slow
@pytest.mark.parametrize("pdf", COMMITTED, ids=[p.name for p in COMMITTED])
def test_no_heading_ends_a_page_of_the_committed_reports(pdf):
    assert headings_ending_pages(pdf) == []


@pytest.mark.slow
def test_front_and_back_matter(rendered):
    text = (rendered / "scenario-tnla_control.html").read_text(encoding="utf-8")
    from mogok_econ.inputs.world import load_world
    from mogok_econ.reports.downloads import data_date

    for needle in (f"Data current to {data_date(load_world())}", "How to cite", "The mogok-econ team", "CC BY 4.0", "MIT",
                   "What changed", "Glossary", 'id="term-interval"', "Version 0.1.0"):
        assert needle in text, needle
    # machine names only as the data files the provenance table lists (what the report's hash covers)
    prose = re.sub(r"data/scenarios/\w+\.yaml", "", text)
    assert "junta_recapture" not in prose and "tnla_control`" not in prose


def underfilled_pages(pdf: Path) -> list[tuple[int, float]]:
    """(page, empty share) for each page, but the last, more than a third empty below its last line of text
    whose next page does not open a new section (a heading at its top)."""
    titles = [h for h in headings(pdf.with_suffix(".html")) if h]
    height, pages = read_pdf(pdf)
    top = height - 16 * 72 / 25.4  # the top margin: 16 mm
    found = []
    for number, (page, following) in enumerate(zip(pages, pages[1:]), 1):
        empty = (page.lowest - BOTTOM_MARGIN) / (top - BOTTOM_MARGIN) if page.lowest is not None else 1.0
        opens = " ".join(following.lines[:2])
        if empty > 1 / 3 and not any(opens.startswith(t) for t in titles):
            found.append((number, round(empty, 2)))
    return found


def test_the_check_sees_a_page_left_mostly_empty(tmp_path):
    """That check can fail too: a page with one line, whose next page opens with no heading, is found; the
    same page is fine when the next opens a section."""
    from weasyprint import HTML

    for opening, expected in (("<p>More text</p>", [1]), ("<h2>A new section</h2>", [])):
        page = tmp_path / "r.html"
        page.write_text(f"<html><body><p>Text</p><div style='break-before: page'>{opening}</div></body></html>")
        HTML(filename=str(page)).write_pdf(str(tmp_path / "r.pdf"))
        assert [number for number, _empty in underfilled_pages(tmp_path / "r.pdf")] == expected, opening


@pytest.mark.slow
def test_no_page_is_more_than_a_third_empty_unless_it_ends_a_section(rendered):
    assert underfilled_pages(rendered / "scenario-tnla_control.pdf") == []


@pytest.mark.slow
@pytest.mark.parametrize("pdf", COMMITTED, ids=[p.name for p in COMMITTED])
def test_no_committed_page_is_more_than_a_third_empty_unless_it_ends_a_section(pdf):
    assert underfilled_pages(pdf) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["scenario-tnla_control", "brief-my"])
def test_printing_with_the_head_stylesheets_parsed_once_gives_the_same_pdf(name, tmp_path, monkeypatch):
    """build.print_pdf (the head's stylesheets parsed once a process) prints the same bytes as WeasyPrint given
    the page as it is, twice in a row (the second time from the parsed stylesheets)."""
    from weasyprint import HTML

    from mogok_econ.reports.build import print_pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the embedded fonts' dates: fixed, as the build does
    page = (paths.REPORTS / f"{name}.html").read_text(encoding="utf-8")
    HTML(string=page, base_url=str(tmp_path)).write_pdf(str(tmp_path / "plain.pdf"))
    for attempt in ("first.pdf", "second.pdf"):
        print_pdf(page, tmp_path / attempt, base_url=tmp_path)
        assert (tmp_path / attempt).read_bytes() == (tmp_path / "plain.pdf").read_bytes(), attempt
