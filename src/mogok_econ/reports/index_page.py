"""reports/index.html: the page that lists every report of the build, with its headline and links."""
from __future__ import annotations

import html
import json
import os
from importlib.metadata import version as package_version
from pathlib import Path

from .catalogue import KINDS, ReportJob

MANIFEST = "manifest.json"


def read_manifest(reports: Path) -> dict:
    try:
        return json.loads((reports / MANIFEST).read_text())
    except (OSError, ValueError):
        return {"reports": {}}


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_index(jobs: list[ReportJob], reports: Path) -> None:
    """reports/index.html: every report in the manifest, with links to its HTML and PDF (offline)."""
    manifest = read_manifest(reports)["reports"]
    order = {"comparison": 0, "timeline": 1, "policy": 2, "scenario": 3}
    entries = sorted(manifest.items(), key=lambda kv: (order.get(kv[1]["kind"], 9), kv[0]))
    items = []
    for name, entry in entries:
        if not (reports / f"{name}.html").exists():
            continue
        desc = KINDS[entry["kind"]].description if entry["kind"] in KINDS else ""
        headline = entry.get("headline", "")
        headline_html = f'<span class="headline">{html.escape(headline)}</span> ' if headline else ""
        items.append(f'<li><a href="{html.escape(name)}.html"><strong>{html.escape(entry["title"])}</strong></a> '
                     f'<span class="desc">{html.escape(desc)}</span> {headline_html}'
                     f'<span class="links">(<a href="{html.escape(name)}.html">HTML</a> &middot; '
                     f'<a href="{html.escape(name)}.pdf">PDF</a>)</span></li>')
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mogok-econ reports</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #1a1a1a; line-height: 1.5; }}
h1 {{ font-size: 1.7em; }} li {{ margin: 0.9em 0; }} .desc {{ display: block; color: #555; font-size: 0.9em; }}
.headline {{ display: block; font-size: 0.95em; margin: 0.2em 0; }}
.links {{ font-size: 0.85em; }} a {{ color: #0072B2; }} footer {{ margin-top: 2rem; font-size: 0.8em; color: #666; }}
@page {{ size: A4; margin: 16mm 14mm; }}
</style></head>
<body>
<h1>Who keeps the money from Mogok's rubies</h1>
<p>Reports of <strong>mogok-econ</strong>, an open, reproducible model of the ruby trade of Mogok, Myanmar: who keeps
the revenue (the junta, the armed groups, the miners, the mine owners, the traders) under each control scenario,
with its uncertainty, its caveats and every source. Each report opens in a browser without a network connection;
the PDFs print on A4.</p>
<ul>
{chr(10).join(items)}
</ul>
<footer>Built by mogok-econ {html.escape(package_version("mogok-econ"))}. Each report ends with its provenance
(package version, git commit, data hash, parameters).</footer>
</body></html>
"""
    write_atomic(reports / "index.html", page)
