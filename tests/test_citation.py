"""How to cite the project: CITATION.cff (Citation File Format 1.2.0) at the top of the project, and the
same authors, title, licences and version in the reports' wording (issue 22, item 7)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from mogok_econ.reports.wording import citation

ROOT = Path(__file__).resolve().parents[1]


def test_citation_cff_is_valid_and_matches_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert {"cff-version", "message", "title", "authors", "version", "license"} <= set(cff)
    assert cff["cff-version"] == "1.2.0"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert str(cff["version"]) == version
    assert cff["authors"] == [{"name": citation.TEAM}]
    assert cff["title"] == citation.TITLE and " ".join(cff["message"].split()) == citation.MESSAGE
    assert tuple(cff["license"]) == citation.LICENCES
    # a repository address only where the project names one (it names none: none is invented)
    named = re.search(r"https://(github|gitlab)\.com/\S+", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert ("repository-code" in cff) == bool(named)


def test_every_report_cites_from_one_wording():
    text = citation.how_to_cite("Policy report", "policy", "0.1.0", "2026-02-02", "ab" * 32)
    assert text == ("The mogok-econ team (2026). Policy report. mogok-econ report policy, version 0.1.0, data "
                    "current to 2026-02-02, inputs SHA-256 abababababab.")
    parts = citation.cite_parts("Policy report", "policy", "0.1.0", "2026-02-02")
    assert parts["before"] + parts["title"] + parts["after"] == citation.how_to_cite("Policy report", "policy",
                                                                                       "0.1.0", "2026-02-02")
    template = (ROOT / "src/mogok_econ/reports/templates/mogok_report/index.html.j2").read_text(encoding="utf-8")
    assert "resources.mogok.citation" in template and "The mogok-econ team (" not in template
