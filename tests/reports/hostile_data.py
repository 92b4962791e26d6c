"""A stranger's data folder whose every text field attacks the page (tests/reports/test_hostile.py)."""
from __future__ import annotations

from pathlib import Path

import yaml

from mogok_econ import paths

NAME = "hostile"
#: A parameter's note that a spreadsheet would run as a formula (issues 20 and 22): it must stay text in the
#: report's CSV (quoted) and workbook (a string cell).
FORMULA = '=HYPERLINK("http://example.invalid/x","Click")'


def attacks(port: int) -> dict[str, str]:
    """Each attack by name: what a data file may carry to run script, fetch, embed or navigate."""
    loop = f"http://127.0.0.1:{port}"
    return {
        "script": "<script>alert(1)</script>",
        "onerror": "<img src=x onerror=alert(1)>",
        "javascript": "[click](javascript:alert(1))",
        "file_link": "[passwd](file:///etc/passwd)",
        "attachment": '<a rel="attachment" href="file:///etc/passwd">attached</a>',
        "remote_image": f'<img src="{loop}/img.png">',
        "markdown_image": f"![chart]({loop}/md.png)",
        "css": f"<style>@import url({loop}/import.css); body {{ background: url({loop}/bg.png) }}</style>",
        "refresh": f'<meta http-equiv="refresh" content="0; url={loop}/refresh">',
        "link_attachment": '<link rel="attachment" href="file:///etc/passwd">',
        "svg": "<svg onload=alert(1)></svg>",
        "plain": "Output < 50% & more",
    }


def hostile_text(port: int) -> str:
    return " ".join(attacks(port).values())


def make_folder(folder: Path, port: int) -> Path:
    """A data folder: a scenario extending junta_informal, its own bibliography, observables (the shipped ones
    with hostile titles and notes) and sanctions targets' note, every text field hostile; and one parameter's
    note a spreadsheet formula (FORMULA)."""
    text = hostile_text(port)
    source = "hostile-2024"
    (folder / "scenarios").mkdir(parents=True)
    for shipped in sorted(paths.shipped_scenarios_dir().glob("*.yaml")):  # the timeline's, titled by the stranger
        data = yaml.safe_load(shipped.read_text(encoding="utf-8"))
        data["title"] = f"{data['title']} {text}"
        (folder / "scenarios" / shipped.name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    scenario = {
        "name": NAME, "extends": "junta_informal", "title": text, "period": {"start": "2025-11", "end": None},
        "summary": text + " As in `junta_informal`.\n\n# heading\n\n- item `code` *emphasis*",
        "parameters": {"wage_share": {"value": 0.4, "source": source, "note": text},
                       "production_factor": {"dist": "triangular", "low": 0.5, "mode": 0.75, "high": 1.0,
                                             "source": ["assumption"], "note": FORMULA}},
    }
    (folder / "scenarios" / f"{NAME}.yaml").write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    url = f"http://127.0.0.1:{port}/x`y<script>alert(1)</script>"
    bibliography = {"sources": {source: {
        "title": text, "author": text, "publisher": text, "date": "2024-01", "url": url, "accessed": "2024-02",
        "seen": "primary", "used_for": text, "note": text}}}
    (folder / "sources.yaml").write_text(yaml.safe_dump(bibliography, sort_keys=False), encoding="utf-8")
    observables = yaml.safe_load(paths.observables_file(paths.SHIPPED_DATA).read_text(encoding="utf-8"))
    for entry in observables["observables"].values():
        entry["title"] = text
        entry["note"] = text
    (folder / "observables.yaml").write_text(yaml.safe_dump(observables, sort_keys=False), encoding="utf-8")
    timeline = yaml.safe_load(paths.timeline_file(paths.SHIPPED_DATA).read_text(encoding="utf-8"))
    for event in timeline.get("events", []):
        event["title"] = text
    (folder / "timeline.yaml").write_text(yaml.safe_dump(timeline, sort_keys=False), encoding="utf-8")
    return folder
