"""The scenarios of the data folder, listed: a table of their names, titles, periods and lineage (invalid
ones too, with how many problems they have), their titles alone, for text that calls scenarios by them,
and every problem of a list of scenario files (`validate`)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from . import reads
from .scenarios import available_scenarios, load_scenario
from .schema import printable
from .sources import Bibliography, load_bibliography


def scenario_titles(data: Path | None = None) -> dict[str, str]:
    """Every scenario's title by name (an invalid scenario's: ""), noted as one value (reads.py): text that
    calls scenarios by their titles changes when a title does, not with every edit to a scenario."""
    with reads.hidden():
        table = scenario_table(data)
    titles = {str(name): str(title) for name, title in table["title"].items()} if not table.empty else {}
    reads.note_value("scenario_titles", _titles_digest(titles))
    return titles


def _titles_digest(titles: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(titles, sort_keys=True).encode()).hexdigest()


def titles_digest(data: Path | None = None) -> str:
    """The digest scenario_titles notes, as a recorded read's current state (reads.py)."""
    return _titles_digest(scenario_titles(data))


def scenario_table(data: Path | None = None) -> pd.DataFrame:
    """The scenarios in the data folder's scenarios/: name, title, period, lineage, and the problems of invalid ones."""
    rows = []
    for name in available_scenarios(data):
        try:
            s = load_scenario(name, data=data)
        except InputError as exc:
            rows.append({"scenario": printable(name), "title": "", "start": "", "end": "", "extends": "",
                         "problems": len(exc.problems)})
            continue
        rows.append({"scenario": name, "title": s.title, "start": s.period_start, "end": s.period_end or "",
                     "extends": " > ".join(s.lineage[:-1]), "problems": 0})
    return pd.DataFrame(rows).set_index("scenario") if rows else pd.DataFrame()


def validate_files(files: list[Path], bibliography: Bibliography | None = None,
                   data: Path | None = None) -> list[Problem]:
    """Every problem in every file (an empty list: all valid), `extends` reaching into the data folder `data`."""
    problems: list[Problem] = []
    try:
        bibliography = bibliography or load_bibliography(data=data)
    except InputError as exc:
        return exc.problems
    for file in files:
        try:
            load_scenario(Path(file), bibliography, data)
        except InputError as exc:
            problems.extend(exc.problems)
    return problems


__all__ = ["scenario_table", "scenario_titles", "titles_digest", "validate_files"]
