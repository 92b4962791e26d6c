"""How to cite mogok-econ: one wording, used by every report's "About" table, the brief, the workbook's
README sheet, and the same as the project's CITATION.cff (a test checks the two agree: authors, title,
licences, version)."""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

#: The authors, as an entity (CITATION.cff's `authors: - name:`).
TEAM = "The mogok-econ team"
#: The work's title (CITATION.cff's `title`).
TITLE = "mogok-econ: an open, reproducible economic model of Mogok's ruby trade"
#: The licences, as SPDX ids (CITATION.cff's `license`): code, then text, figures, tables and data.
LICENCES = ("MIT", "CC-BY-4.0")
#: CITATION.cff's `message`.
MESSAGE = ("If you use these reports, their data or this software, please cite them as below: the report, "
           "its version and the date its data is current to.")


def version() -> str:
    try:
        return package_version("mogok-econ")
    except PackageNotFoundError:  # pragma: no cover - a checkout without the package installed
        return "unknown"


def how_to_cite(title: str, name: str, version: str, data_current_to: str, input_hash: str = "",
                kind: str = "report") -> str:
    """'The mogok-econ team (2026). Title. mogok-econ report NAME, version V, data current to D[, inputs
    SHA-256 H].' (plain text; the report's title in italics is the template's)."""
    text = (f"{TEAM} ({data_current_to[:4]}). {title}. mogok-econ {kind} {name}, version {version}, "
            f"data current to {data_current_to}")
    return text + (f", inputs SHA-256 {input_hash[:12]}." if input_hash else ".")


def cite_parts(title: str, name: str, version: str, data_current_to: str, input_hash: str = "") -> dict:
    """The citation in three parts, for a template that sets the title in italics: before, title, after."""
    whole = how_to_cite(title, name, version, data_current_to, input_hash)
    before, _, after = whole.partition(f" {title}.")
    return {"before": before + " ", "title": title, "after": "." + after}


def how_to_cite_workbook(data_current_to: str) -> str:
    """The citation of the data workbook (mogok-econ-data.xlsx)."""
    return how_to_cite("The data of the mogok-econ reports", "mogok-econ-data.xlsx", version(), data_current_to,
                       kind="workbook")


def how_to_cite_project(data_current_to: str) -> str:
    """The citation of the whole project (the landing page; CITATION.cff's title and authors)."""
    return f"{TEAM} ({data_current_to[:4]}). {TITLE}. Version {version()}, data current to {data_current_to}."
