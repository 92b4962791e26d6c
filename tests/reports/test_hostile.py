"""Rendering a stranger's data folder is safe for whoever opens the report (issue 20, items 2 and 3).

Every text field of a data folder (a scenario's title, summary and notes, a source's title, author and URL,
observables, timeline events) carries script, event handlers, javascript: and file: links, attachments,
remote and Markdown images, CSS @import and url(), a meta refresh and a harmless "Output < 50% & more".
One scenario report is rendered from it through the real command line (`mogok-econ --data DIR render`),
then: headless Chromium, its network cut off, sees no dialog and sends no request; the attacks show as
text; the PDF embeds no file; the loopback server the attacks point at is never called.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from pypdf import PdfReader

from mogok_econ import paths
from mogok_econ.reports import display, fetcher
from mogok_econ.reports.build import print_pdf

from .hostile_data import FORMULA, NAME, attacks, make_folder

REPORT = f"scenario-{NAME}"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions"]


class Loopback:
    """An HTTP server on 127.0.0.1 that counts the requests it is sent (every attack points at it)."""

    def __init__(self):
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(b"secret from the network")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def loopback():
    server = Loopback()
    yield server
    server.close()


@pytest.fixture(scope="module")
def rendered(loopback, tmp_path_factory) -> Path:
    """The hostile scenario's report, rendered once by the command line (small draws) into a temporary folder."""
    work = tmp_path_factory.mktemp("hostile")
    data = make_folder(work / "data", loopback.port)
    out = work / "out"
    env = {k: v for k, v in os.environ.items() if k != paths.DATA_ENV}
    command = [str(Path(sys.executable).with_name("mogok-econ")), "--data", str(data), "render", NAME, "--output", str(out),
               "-p", "draws=2000", "-p", "sobol_samples=256", "--jobs", "1"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (out / f"{REPORT}.html").exists() and (out / f"{REPORT}.pdf").exists()
    return out


# --- the PDF ---------------------------------------------------------------------------------------

@pytest.mark.slow
def test_the_pdf_embeds_no_file_and_the_printer_calls_no_one(rendered, loopback):
    reader = PdfReader(rendered / f"{REPORT}.pdf")
    names = reader.trailer["/Root"].get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    annotations = [a.get_object() for page in reader.pages for a in (page.get("/Annots") or [])]
    assert not [a for a in annotations if a.get("/Subtype") == "/FileAttachment"]
    assert not [a for a in annotations if str(a.get("/A", {}).get("/URI", "")).startswith(("javascript:", "file:"))]
    assert loopback.requests == []


class _Tags(HTMLParser):
    """Every element of a page with its attributes (what a browser would build, text left out)."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


@pytest.mark.slow
@pytest.mark.parametrize("name", [REPORT, "index"])
def test_the_page_carries_no_markup_from_the_data(rendered, name):
    page = (rendered / f"{name}.html").read_text(encoding="utf-8")
    tags = _Tags(page).tags
    names = {t for t, _ in tags}
    assert not names & {"script", "svg", "link", "iframe", "object", "embed", "base", "form"}, names
    assert [a for t, a in tags if t == "meta" and "refresh" in a.get("http-equiv", "").lower()] == []
    assert [a for _, a in tags if "attachment" in a.get("rel", "").lower()] == []
    assert [(t, a) for t, a in tags if any(k.startswith("on") for k in a)] == []
    urls = [a[k] for _, a in tags for k in ("href", "src") if k in a]
    assert [u for u in urls if urlsplit(u).scheme.lower() not in ("", "data", "http", "https")] == []
    assert [u for _, a in tags for k in ("src",) if (u := a.get(k)) and not u.startswith("data:")] == []
    assert "Output &lt; 50% &amp; more" in page or name == "index"
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]


@pytest.mark.slow
def test_a_formula_in_a_note_stays_text_in_the_downloads(rendered):
    """A parameter's note that a spreadsheet would run (FORMULA) is quoted in the report's CSV and a string
    cell in its workbook: no cell of any sheet is a formula. (The workbook's and CSV's own escaping is
    tested without a build in test_downloads.py.)"""
    from openpyxl import load_workbook

    from mogok_econ.reports.downloads import WORKBOOK

    rows = pd.read_csv(rendered / "data" / REPORT / "parameters.csv", dtype=str)
    assert f"'{FORMULA}" in rows["Note"].tolist()
    book = load_workbook(rendered / WORKBOOK)
    assert not [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    notes = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert notes and all(c.data_type == "s" and c.quotePrefix for c in notes)


# --- the page in a browser, offline ------------------------------------------------------------------

@pytest.fixture(scope="module")
def browsed(rendered):
    """What headless Chromium saw of the page: dialogs, requests that tried to leave, the text, links, URL."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    seen = {"dialogs": [], "left": [], "errors": []}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()

            def only_local(route):
                if urlsplit(route.request.url).scheme in ("file", "data"):
                    route.continue_()
                else:
                    seen["left"].append(route.request.url)
                    route.abort("internetdisconnected")

            context.route("**/*", only_local)
            page = context.new_page()
            page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))
            page.on("pageerror", lambda error: seen["errors"].append(str(error)))
            page.on("console", lambda message: seen["errors"].append(message.text) if message.type == "error" else None)
            url = (rendered / f"{REPORT}.html").resolve().as_uri()
            page.goto(url, wait_until="load")
            page.wait_for_timeout(1500)  # a meta refresh of 0 s would have navigated by now
            seen["url"] = page.url
            seen["text"] = page.inner_text("body")
            seen["title"] = page.title()
            seen["h1"] = page.inner_text("h1")
            seen["hrefs"] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
            seen["elements"] = page.evaluate("""() => ({
                scripts: document.querySelectorAll('script').length,
                refresh: document.querySelectorAll('meta[http-equiv="refresh" i]').length,
                attachments: document.querySelectorAll('[rel~="attachment" i]').length,
                handlers: [...document.querySelectorAll('*')]
                    .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                images: [...document.images].map(i => i.getAttribute('src')).filter(s => !s.startsWith('data:')),
            })""")
            context.close()
        finally:
            browser.close()
    return seen


@pytest.mark.slow
def test_no_dialog_fires_and_no_request_leaves(browsed, rendered, loopback):
    assert browsed["dialogs"] == []
    assert browsed["left"] == []
    assert browsed["errors"] == []  # no script error, nothing the Content-Security-Policy had to refuse
    assert browsed["url"] == (rendered / f"{REPORT}.html").resolve().as_uri()  # no refresh navigated away
    assert loopback.requests == []


@pytest.mark.slow
def test_no_script_handler_refresh_attachment_or_remote_image_in_the_page(browsed):
    assert browsed["elements"] == {"scripts": 0, "refresh": 0, "attachments": 0, "handlers": 0, "images": []}
    bad = [h for h in browsed["hrefs"] if urlsplit(h).scheme.lower() not in ("", "http", "https")]
    assert bad == []


@pytest.mark.slow
def test_the_attacks_show_as_text(browsed, loopback):
    text = browsed["text"]
    for name, attack in attacks(loopback.port).items():
        assert attack in text, name
    assert "Output < 50% & more" in browsed["h1"] and "<script>alert(1)</script>" in browsed["h1"]
    assert "Output < 50% & more" in browsed["title"]
    assert f"http://127.0.0.1:{loopback.port}/x`y<script>alert(1)</script>" in text  # the source's URL, whole


# --- the escaping helpers ----------------------------------------------------------------------------

def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from mogok_econ.reports.formatting import md

    return markdown2html_mistune(md(text))


@pytest.mark.parametrize("raw", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "![i](http://h/x.png)",
    "Output < 50% & more", "a `b` c", "# heading", "1. one", "- item", "*em* _em_ ~~s~~ | a | b |", "<!-- c -->",
    "&lt;b&gt; &amp;", "\\[x\\] \\(y\\) $x$ $$y$$", "<http://h/x> http://h/y", "[a]: javascript:alert(1)",
])
def test_text_shows_exactly_the_text(raw):
    from html import unescape

    rendered = _markdown(display.text(raw))
    assert rendered.startswith("<p>") and rendered.count("<") == 2, rendered  # <p> and </p>, nothing else
    assert unescape(rendered[3:-5]) == raw


def test_text_keeps_to_one_line():
    assert "\n" not in display.text("a\n\n# b\n- c")
    assert _markdown("# T " + display.text("x\n\n<script>")).count("<h1") == 1


def test_code_span_cannot_be_closed_from_inside():
    rendered = _markdown(display.code("http://h/x`y<b>"))
    assert rendered == "<p><code>http://h/x`y&lt;b&gt;</code></p>\n"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<script>", "/etc/passwd",
                                 "JAVASCRIPT:alert(1)", "  javascript:alert(1)", "http:evil", "//h/x"])
def test_link_shows_an_unsafe_url_as_text(url):
    rendered = _markdown(display.link("click", url))
    assert "<a" not in rendered and "click" in rendered


def test_link_to_http():
    rendered = _markdown(display.link("a <b>", "https://h/p?q=1&r=(2)`"))
    assert rendered == '<p><a href="https://h/p?q=1&amp;r=%282%29%60">a &lt;b&gt;</a></p>\n'


def test_tables_escape_cells_and_labels():
    frame = pd.DataFrame({"<b>col</b>": ["<script>alert(1)</script>"], "n": [0.5]}, index=pd.Index(["<i>row</i>"], name="r"))
    html = display.styled(frame, {"n": "{:.0%}"}, uuid="t").styler.to_html()
    assert "<script>" not in html and "<b>col" not in html and "<i>row" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;col&lt;/b&gt;" in html and "&lt;i&gt;row&lt;/i&gt;" in html
    assert "50%" in html
    frame.attrs[display.HTML_COLUMNS] = ("<b>col</b>",)  # a column the package wrote as HTML is kept
    assert "<script>alert(1)</script>" in display.styled(frame, {}, uuid="t").styler.to_html()


# --- the PDF printer's fetcher ------------------------------------------------------------------------

def test_the_fetcher_allows_only_the_package_and_data_urls(tmp_path):
    css = (fetcher.ALLOWED_FOLDERS[0] / "mogok_report" / "report.css").resolve()
    assert fetcher.allowed(css.as_uri())
    assert fetcher.allowed("data:image/png;base64,iVBORw0KGgo=")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in ("file:///etc/passwd", outside.as_uri(), (css.parent / ".." / ".." / "build.py").as_uri(),
                "http://127.0.0.1:1/x.png", "https://example.org/x.css", "ftp://h/x", "file://host/etc/passwd",
                f"{fetcher.ALLOWED_FOLDERS[0].as_uri()}/../build.py"):
        assert not fetcher.allowed(url), url
        with pytest.raises(fetcher.RefusedURL):
            fetcher.url_fetcher().fetch(url)
    assert fetcher.url_fetcher().fetch(css.as_uri()).read() == css.read_bytes()


def test_print_pdf_reads_nothing_outside(tmp_path, loopback):
    loop = f"http://127.0.0.1:{loopback.port}"
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    page = (f'<html><head><style>@import url({loop}/a.css); body {{ background: url({loop}/bg.png) }}</style>'
            f'<link rel="stylesheet" href="{loop}/b.css"><link rel="attachment" href="{secret.as_uri()}"></head><body>'
            f'<a rel="attachment" href="{secret.as_uri()}">a</a><a rel="attachment" href="{loop}/meta-data">m</a>'
            f'<img src="{loop}/x.png"><img src="{secret.as_uri()}"><p>text</p></body></html>')
    before = list(loopback.requests)
    pdf = tmp_path / "out.pdf"
    print_pdf(page, pdf, base_url=tmp_path)
    reader = PdfReader(pdf)
    names = reader.trailer["/Root"].get("/Names")
    assert names is None or "/EmbeddedFiles" not in names.get_object()
    assert not [a for p in reader.pages for a in (p.get("/Annots") or []) if a.get_object().get("/Subtype") == "/FileAttachment"]
    assert b"the secret" not in pdf.read_bytes()
    assert loopback.requests == before
