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

from ..results.summary import Summary
from .brief_charts import channels_chart, months_chart
from .downloads import csv_path
from .summary_chart import png_data_uri, shares_chart
from .wording import brief_action as act
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
    """The landing page's chart (each side's share, scenario by scenario), as a PNG data URI."""
    fig = shares_chart(b.s.shares(), b.chart_rows(), b.legend(), b.chart_totals(), b.n.share, b.language)
    return png_data_uri(fig)


def months_figure(b: Brief) -> str:
    """Figure 1 of the brief: the junta's take month by month since the coup, as a PNG data URI."""
    return png_data_uri(months_chart(**act.months_chart_inputs(b)))


def channels_figure(b: Brief) -> str:
    """Figure 2 of the brief: the channels of the junta's take now and the policies that reach each."""
    return png_data_uri(channels_chart(**act.channels_chart_inputs(b)))


#: The names of the brief's data downloads (reports/data/<edition>/<name>.csv: downloads.csv_path).
TABLE_DATA, MONTHS_DATA, CHANNELS_DATA = "takes-now", "junta-by-month", "channels-now"


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


def months_data(s: Summary) -> pd.DataFrame:
    """Figure 1's numbers: the junta's take in each month since the coup (US$ million in the month), central
    estimate and interval, and whether the month is observed (to the newest evidence) or projected."""
    point, band = act.monthly(Brief(s, "en"))
    evidence = pd.Period(s.evidence_to, freq="M")
    frame = pd.DataFrame({"Central estimate": point / 1e6, "P5": band["p5"] / 1e6, "P95": band["p95"] / 1e6,
                          "Projected": [m > evidence for m in point.index]}, index=point.index.astype(str))
    frame.index.name = "Month"
    return frame


def publish_data(s: Summary) -> None:
    """Table 1's and the figures' data, for the build's CSVs (linked under them on the page) and the workbook."""
    from . import display

    display.data("table", name=TABLE_DATA, caption=f"Who keeps what now ({s.current.title})", data=table_data(s),
                 units="US$ million a year; share of the year's sales from 0 to 1")
    display.data("figure", name=MONTHS_DATA, caption="The junta's take month by month since the coup; months after "
                 "the newest evidence are projected", data=months_data(s), units="US$ million in the month")
    display.data("figure", name=CHANNELS_DATA, caption=f"The channels of the junta's take now ({s.current.title}) "
                 "and the policies that reach each (* feasible now)", data=act.channels_data(Brief(s, "en")),
                 units="share of the junta's take from 0 to 1; US$ million a year")


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
        "since_return": act.since_return(b),
        "table_caption": b.phrase("table_caption", current=b.scenario(s.current.name)),
        "col_interval": b.phrase("col_interval", level=b.level), "table": b.table(),
        "months": months_figure(b), "months_alt": act.months_alt(b), "months_caption": act.months_caption(b),
        "channels": channels_figure(b), "channels_alt": act.channels_alt(b), "channels_caption": act.channels_caption(b),
        "targets_intro": act.targets_intro(b), "jurisdictions": act.jurisdictions(b), "targets": act.targets(b),
        "chokepoints": act.chokepoints(b), "confidence": act.confidence(b),
        "control": b.control(), "best_lever": b.best_lever(),
        "levers": b.levers(),
        "about": b.about(provenance), "cite": b.cite(provenance),
        "table_csv": csv_href(language, TABLE_DATA), "months_csv": csv_href(language, MONTHS_DATA),
        "channels_csv": csv_href(language, CHANNELS_DATA),
        "download_table": b.phrase("download_table", href=csv_href(language, TABLE_DATA)),
        "download_months": b.phrase("download_months", href=csv_href(language, MONTHS_DATA)),
        "download_channels": b.phrase("download_channels", href=csv_href(language, CHANNELS_DATA)),
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
