"""Showing results in a notebook: Markdown, numbered figures and tables (pandas Stylers with fixed ids, so that
executed notebooks are reproducible byte for byte).

Figures and tables are numbered in the order a report first names or shows them (`ref`, `figure`, `table`):
"Figure 3" in the text and under the chart are the same number. Each carries, in its output's metadata
(`mogok`), its number, caption, alt text, units and its data as CSV; the report template renders the caption
and a link to the CSV, and the build writes the CSV files and the workbook from that metadata (downloads.py).
"""
from __future__ import annotations

import base64
import io
import re
from urllib.parse import quote, urlsplit

import pandas as pd
from markupsafe import escape

from .formatting import md
from .wording.glossary import link_first_uses

KIND_LABELS = {"figure": "Figure", "table": "Table"}
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
#: What never counts as the alt text of a chart: it must say what the chart shows.
EMPTY_ALT = {"", "chart", "figure", "image", "plot", "graph"}

_numbers: dict[tuple[str, str], int] = {}
_linked: set[str] = set()


# --- text from data files, made safe for the page ------------------------------------------------------
#
# Every string that comes from a data file (a scenario's title and summary, notes, levers, timeline events,
# sources, observables, sanctions targets: anything under data/ or a user's --data folder) reaches a page
# through one of these: `text` (Markdown), `code` (a Markdown code span), `link` (a Markdown link, http(s)
# only), `html` (HTML) or a table made by `styled` (its cells and labels escaped). Nothing in such a string is
# then read as HTML or Markdown: it shows as the text it is.

#: Markdown's inline syntax (backslash-escaped: CommonMark shows any escaped ASCII punctuation as itself), and
#: the colon of a URL's "://" (or the Markdown renderer would make a link of it, taking in what follows).
_MARKDOWN_INLINE = re.compile(r"([`*_\[\]~|!]|:(?=//))")
#: What opens a block at the start of a line: a heading, list item or rule (a quote's > is escaped as HTML);
#: the dot or parenthesis of a numbered list item.
_MARKDOWN_BLOCK = re.compile(r"^([#+\-=])|^(\d+)([.)])")
SAFE_SCHEMES = ("http", "https")


def html(value) -> str:
    """Text from the data as HTML text: &, <, >, quotes escaped (markupsafe)."""
    return str(escape("" if value is None else str(value)))


def text(value) -> str:
    """Text from the data as Markdown that shows exactly that text: on one line (line breaks become spaces, so it
    cannot start a heading or list inside the surrounding Markdown), HTML's specials escaped (no tag, comment
    or entity survives) and Markdown's syntax backslash-escaped (no link, image, code span, emphasis, table or
    block). Dollar signs are left to `show`, which escapes them all."""
    s = " ".join(("" if value is None else str(value)).replace("\x00", "").split())
    s = s.replace("\\", "\x00")  # a backslash of the text: shown as an entity, after the escapes below
    s = _MARKDOWN_INLINE.sub(r"\\\1", s)
    s = _MARKDOWN_BLOCK.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), s)
    s = str(escape(s)).replace("&#34;", '"').replace("&#39;", "'")
    return s.replace("\x00", "&#92;")


def code(value) -> str:
    """Text from the data as a Markdown code span (shown in monospace, as it is): fenced by more backticks than
    any run of them inside it, so a backtick in the text cannot close the span."""
    s = " ".join(("" if value is None else str(value)).split())
    longest = max((len(run) for run in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s.strip() else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def safe_url(url) -> str | None:
    """`url` if it is an absolute http(s) URL (percent-encoded where Markdown or HTML would read it), else None."""
    url = "" if url is None else str(url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc or any(ch in url for ch in "\r\n\t"):
        return None
    return quote(url, safe="/:?#@!$&'*+,;=%~-._[]")


def link(label, url) -> str:
    """A Markdown link to `url` showing `label` (both from the data), if the URL is http(s); anything else
    (javascript:, file:, data:, a relative path) is shown as plain text, linking nowhere."""
    target = safe_url(url)
    if target is None:
        return text(label) if label else text(url)
    return f"[{text(label or url)}]({target})"


def reset() -> None:
    """Start a new report: numbers from 1, and glossary terms linked again at their first use."""
    _numbers.clear()
    _linked.clear()


def number(kind: str, name: str) -> int:
    """The number of figure or table `name`, given the first time it is named or shown (stable on re-runs)."""
    if kind not in KIND_LABELS:
        raise ValueError(f"kind must be one of {sorted(KIND_LABELS)}, not {kind!r}")
    if not NAME.fullmatch(name):
        raise ValueError(f"a figure or table name is lower-case letters, digits and hyphens: {name!r}")
    key = (kind, name)
    if key not in _numbers:
        _numbers[key] = 1 + sum(k == kind for k, _ in _numbers)
    return _numbers[key]


def label(name: str, kind: str = "figure") -> str:
    """'Figure 3' (plain text, for captions and alt text)."""
    return f"{KIND_LABELS[kind]} {number(kind, name)}"


def ref(name: str, kind: str = "figure") -> str:
    """'Figure 3' as a Markdown link to the figure (for the text)."""
    return f"[{label(name, kind)}](#{kind}-{name})"


def show(markdown: str, glossary: bool = True) -> None:
    """Display Markdown in a notebook (dollar signs escaped; unless `glossary` is False, e.g. for a page with
    no glossary or text in another language, the first use of each glossary term linked to it)."""
    from IPython.display import Markdown, display

    display(Markdown(md(link_first_uses(markdown, _linked) if glossary else markdown)))


def show_html(html: str) -> None:
    from IPython.display import HTML, display

    display(HTML(html))


def csv_text(data: pd.DataFrame) -> str:
    """A table's data as CSV: the index kept (it names the rows), ten significant digits, Unix line ends;
    text that a spreadsheet would run as a formula (=, +, -, @ first) defused with a leading quote."""
    from .safe_text import defused

    return defused(data).to_csv(float_format="%.10g", lineterminator="\n")


def _publish(kind: str, name: str, caption: str, data: dict, data_frame: pd.DataFrame | None, units: str,
             alt: str = "") -> None:
    from IPython.display import publish_display_data

    n = number(kind, name)
    meta = {"kind": kind, "label": KIND_LABELS[kind], "number": n, "name": name, "caption": caption,
            "units": units}
    if alt:
        meta["alt"] = alt
    if data_frame is not None:
        meta["csv"] = csv_text(data_frame)
    publish_display_data(data={**data, "text/plain": f"{KIND_LABELS[kind]} {n}: {caption}"},
                         metadata={"mogok": meta})


def figure(fig, *, name: str, caption: str, alt: str, data: pd.DataFrame | None = None, units: str = "") -> None:
    """Show a chart as a numbered figure with its caption, its alt text (what it shows, in numbers) and its data
    (a CSV download); then close it (so no backend shows it a second time)."""
    import matplotlib.pyplot as plt

    if alt.strip().lower().rstrip(".") in EMPTY_ALT:
        raise ValueError(f"figure {name}: the alt text must say what the chart shows, in numbers, not {alt!r}")
    buffer = io.BytesIO()
    # No Software/date chunks: the same figure is the same bytes whatever matplotlib version drew it.
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    _publish("figure", name, caption, {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii")},
             data, units, alt)


def show_figure(fig) -> None:
    """Display a figure once and close it (for notebooks of one's own; the reports use `figure`)."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


class Table:
    """A styled table as a notebook shows it: the Styler's HTML, and a plain-text form without the memory
    address that a Styler's own repr carries (so executed notebooks are the same bytes run after run)."""

    def __init__(self, styler):
        self.styler = styler

    @property
    def data(self) -> pd.DataFrame:
        return self.styler.data

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return f"<table {self.styler.uuid}>"


def table(shown, *, name: str, caption: str, data: pd.DataFrame | None = None, units: str = "") -> None:
    """Show a table (a Table, a Styler or a DataFrame) as a numbered table with its caption and its data
    (a CSV download: `data` if given, else the table's own unformatted values)."""
    if isinstance(shown, pd.DataFrame):
        shown = styled(shown, {}, name)
    styler = shown.styler if isinstance(shown, Table) else shown
    frame = styler.data if data is None else data
    _publish("table", name, caption, {"text/html": styler.to_html()}, frame, units)


def data(kind: str, *, name: str, caption: str, data: pd.DataFrame, units: str = "") -> None:
    """The data of a numbered figure or table that a page draws itself (the brief's): numbered like the
    others, its CSV written by the build, nothing shown in the report."""
    _publish(kind, name, caption, {}, data, units)


#: A DataFrame's attrs key: the columns (and the row labels' name) whose cells are HTML already (see `styled`).
HTML_COLUMNS = "mogok_html_columns"


def styled(frame: pd.DataFrame, formats, uuid: str, html: tuple | None = None) -> Table:
    """A styled table with fixed element ids (`uuid`), so executed notebooks are reproducible. Its cells, row
    and column labels are HTML-escaped (they may come from the data files; every table of the reports is made
    here), but for the columns named in `html` (default: the frame's attrs[HTML_COLUMNS]; and the row labels,
    if their name is in it), whose cells are HTML already, made with `display.html` and the package's markup."""
    html = tuple(frame.attrs.get(HTML_COLUMNS, ())) if html is None else tuple(html)
    left = [c for c in frame.columns if frame[c].dtype == object]

    def given(c):
        return formats.get(c) if isinstance(formats, dict) else (formats or None)

    # One call per kind of column: Styler.format resets every column of its subset that its dict leaves out.
    styler = frame.style
    escaped = [c for c in frame.columns if c not in html]
    raw = [c for c in frame.columns if c in html]
    if escaped:
        styler = styler.format({c: given(c) for c in escaped}, escape="html", subset=escaped)
    if raw:
        styler = styler.format({c: given(c) for c in raw}, subset=raw)
    if frame.index.name not in html or frame.index.name is None:
        styler = styler.format_index(escape="html", axis=0)
    styler = styler.format_index(escape="html", axis=1).set_uuid(uuid)
    return Table(styler.set_properties(subset=left, **{"text-align": "left"}) if left else styler)


def format_money_table(frame: pd.DataFrame, share_columns: tuple[str, ...] = ("Share of sales",), uuid: str = "money"):
    """Millions to one decimal and shares as percentages (for the reports)."""
    return styled(frame, {c: ("{:.0%}" if c in share_columns else "{:,.1f}") for c in frame.columns}, uuid)


def glossary() -> None:
    """The glossary section's list (every term, with the anchor its first use links to)."""
    from .wording.glossary import glossary_html

    show_html(glossary_html())
