"""The two-page brief as an HTML page (English or Burmese), and the landing page's summary, both from one
Summary: the wording (wording/brief.py) fills a Jinja template (templates/brief/) with the chart inlined,
so the page fetches nothing. The build prints the page to PDF with WeasyPrint like every report."""
from __future__ import annotations

import base64
import html
import io
from functools import cache
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .downloads import csv_path
from .summary import Summary
from .summary_chart import png_data_uri, shares_chart
from .wording.brief import Brief, key_findings

TEMPLATES = Path(__file__).resolve().parent / "templates" / "brief"
#: Where the build writes each edition (reports/<name>.html), for the link from one to the other.
EDITIONS = {"en": "brief", "my": "brief-my"}
#: The build puts the brief's input hash here (templates/mogok_brief); it is not known inside the notebook.
INPUT_HASH_SLOT = "<!--mogok:input-hash-->"
#: The whole page, as the brief's notebook output carries it for the build (templates/mogok_brief reads it).
PAGE_MIMETYPE = "text/vnd.mogok-econ.page+html"


#: The Burmese edition's embedded font: Noto Sans Myanmar, cut to the Myanmar script (its shaping rules
#: kept), in the page as a data: URL, so the page shapes Burmese on a device without a Myanmar font. Its
#: own family name, listed after the installed font's: a device (or WeasyPrint) that has Noto Sans Myanmar
#: uses it, so the PDF is printed as before.
EMBEDDED_FONT = "Noto Sans Myanmar (embedded)"
#: What the embedded font keeps: the Myanmar blocks, the joiners and the dotted circle shaping may show.
MYANMAR_CODEPOINTS = (*range(0x1000, 0x10A0), *range(0xA9E0, 0xAA00), *range(0xAA60, 0xAA80),
                      0x20, 0xA0, 0x200B, 0x200C, 0x200D, 0x25CC)


@cache
def myanmar_font_face() -> str:
    """@font-face rules for the Burmese edition (regular and bold), each a WOFF2 subset of the installed
    Noto Sans Myanmar as a data: URL. The same bytes for the same font file: no timestamp is written, and
    the subset depends on the script, not on the page's text."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .summary_chart import MYANMAR_FONT, font_family

    font_family("my")  # the same check as the chart's: the font is installed, or how to install it
    from matplotlib import font_manager

    rules = []
    for weight, style in (("normal", "Regular"), ("bold", "Bold")):
        found = sorted(f for f in font_manager.findSystemFonts() if Path(f).name == f"NotoSansMyanmar-{style}.ttf")
        if not found:
            raise RuntimeError(f"the Burmese brief needs the {MYANMAR_FONT} font ({style}): on Debian or Ubuntu "
                               "run `make system-deps` (it installs fonts-noto-core)")
        font = TTFont(found[0], recalcTimestamp=False)
        options = subset.Options()
        options.layout_features, options.name_IDs, options.hinting = ["*"], ["*"], False
        options.flavor = "woff2"
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=MYANMAR_CODEPOINTS)
        subsetter.subset(font)
        font.flavor = "woff2"
        raw = io.BytesIO()
        font.save(raw, reorderTables=True)
        data = base64.b64encode(raw.getvalue()).decode("ascii")
        rules.append(f'@font-face {{ font-family: "{EMBEDDED_FONT}"; font-weight: {weight}; font-style: normal; '
                     f'src: url("data:font/woff2;base64,{data}") format("woff2"); }}')
    return "\n".join(rules) + "\n"


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       keep_trailing_newline=True)


def chart(b: Brief) -> str:
    """The summary chart in the brief's language, as a PNG data URI."""
    fig = shares_chart(b.s.shares(), b.chart_rows(), b.legend(), b.chart_totals(), b.n.share, b.language)
    return png_data_uri(fig)


#: The names of the brief's data downloads (reports/data/<edition>/<name>.csv: downloads.csv_path).
TABLE_DATA, CHART_DATA = "takes-now", "shares-by-scenario"


def csv_href(language: str, name: str) -> str:
    """Where the build writes an edition's CSV (the same place as every report's)."""
    return csv_path(EDITIONS[language], name)


def table_data(s: Summary) -> pd.DataFrame:
    """Table 1's numbers (English labels): each side's take now, central estimate and interval, US$ million a
    year, and its share of the year's sales."""
    b = Brief(s, "en")
    t = s.current_takes.loc[b.table_rows()]
    frame = pd.DataFrame({"Central estimate": t["point"] / 1e6, "P5": t["p5"] / 1e6, "P95": t["p95"] / 1e6,
                          "Share of sales": t["share"]})
    frame.index = [b.actor(a) for a in frame.index]
    frame.index.name = "Who"
    return frame


def chart_data(s: Summary) -> pd.DataFrame:
    """Figure 1's numbers (English labels): each side's share of a year's sales in every scenario, in time
    order, and the year's sales (US$ million)."""
    b = Brief(s, "en")
    frame = s.shares().rename(columns={a: b.actor(a) for a in s.shares().columns})
    frame["Sales (US$ million a year)"] = s.sales() / 1e6
    frame.index = [b.scenario(n) for n in frame.index]
    frame.index.name = "Scenario"
    return frame


def publish_data(s: Summary) -> None:
    """Table 1's and Figure 1's data, for the build's CSVs (linked under them on the page) and the workbook."""
    from . import display

    display.data("table", name=TABLE_DATA, caption=f"Who keeps what now ({s.current.title})", data=table_data(s),
                 units="US$ million a year; share of the year's sales from 0 to 1")
    display.data("figure", name=CHART_DATA, caption="Each side's share of a year's sales, scenario by scenario, "
                 "in the order they held Mogok (central estimates)", data=chart_data(s),
                 units="shares from 0 to 1; sales in US$ million a year")


def brief_html(s: Summary, language: str, provenance: dict) -> str:
    """The whole brief page. `provenance`: version and data_current_to (reports.build.provenance(world))."""
    b = Brief(s, language)
    other = "my" if language == "en" else "en"
    phrases = {key: value[language] for key, value in b.data["phrases"].items() if not b.placeholders_in(key)}
    context = {
        "lang": language, "other_lang": other, "other_href": f"{EDITIONS[other]}.html", "version": provenance["version"],
        "css": (TEMPLATES / "brief.css").read_text(encoding="utf-8"), "p": phrases,
        "font_face": myanmar_font_face() if language == "my" else "",
        "kicker": b.kicker(provenance), "question": b.phrase("question", coup=b.n.day(s.since)),
        "since_coup": b.since_coup(), "current": b.current(),
        "table_caption": b.phrase("table_caption", current=b.scenario(s.current.name)),
        "col_interval": b.phrase("col_interval", level=b.level), "table": b.table(),
        "chart": chart(b), "chart_alt": b.chart_alt(), "chart_caption": b.chart_caption(),
        "control": b.control(), "best_lever": b.best_lever(),
        "levers_intro": b.phrase("levers_intro", current=b.scenario(s.current.name)), "levers": b.levers(),
        "caveats": b.caveats(), "about": b.about(provenance), "cite": b.cite(provenance),
        "table_csv": csv_href(language, TABLE_DATA), "chart_csv": csv_href(language, CHART_DATA),
        "download_table": b.phrase("download_table", href=csv_href(language, TABLE_DATA)),
        "download_chart": b.phrase("download_chart", href=csv_href(language, CHART_DATA)),
    }
    return _environment().get_template("brief.html.j2").render(**context)


def landing_html(s: Summary) -> str:
    """The landing page's summary (English): the chart and the key findings, as an HTML fragment."""
    b = Brief(s, "en")
    findings = "\n".join(f"<li>{html.escape(text)}</li>" for text in key_findings(s))
    return (f'<figure class="summary-chart"><img src="{chart(b)}" alt="{html.escape(b.chart_alt())}">'
            f"<figcaption>{html.escape(b.chart_caption())}</figcaption></figure>\n"
            f'<h2>Key findings</h2>\n<ol class="findings">\n{findings}\n</ol>')


def show(page: str, height: int = 1100) -> None:
    """Display a whole page in a notebook: framed for a reader (its styles stay inside the frame), and whole
    under PAGE_MIMETYPE for the build, which publishes it as it is."""
    from IPython.display import display

    framed = (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="brief" '
              f'style="width: 100%; height: {height}px; border: 1px solid #ddd;"></iframe>')
    display({"text/html": framed, PAGE_MIMETYPE: page}, raw=True)
