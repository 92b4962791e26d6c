"""The scenarios of the data folder, listed: a table of their names, titles, periods and lineage (invalid
ones too, with how many problems they have), and their titles alone, for text that calls scenarios by them."""
from __future__ import annotations

import hashlib
import json

import pandas as pd

from ..errors import InputError
from . import reads
from .scenarios import available_scenarios, load_scenario
from .schema import printable


def scenario_titles() -> dict[str, str]:
    """Every scenario's title by name (an invalid scenario's: ""), noted as one value (reads.py): text that
    calls scenarios by their titles changes when a title does, not with every edit to a scenario."""
    with reads.hidden():
        table = scenario_table()
    titles = {str(name): str(title) for name, title in table["title"].items()} if not table.empty else {}
    reads.note_value("scenario_titles", _titles_digest(titles))
    return titles


def _titles_digest(titles: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(titles, sort_keys=True).encode()).hexdigest()


def titles_digest() -> str:
    """The digest scenario_titles notes, as a recorded read's current state (reads.py)."""
    return _titles_digest(scenario_titles())


def scenario_table() -> pd.DataFrame:
    """The scenarios in data/scenarios: name, title, period, lineage, and the problems of invalid ones."""
    rows = []
    for name in available_scenarios():
        try:
            s = load_scenario(name)
        except InputError as exc:
            rows.append({"scenario": printable(name), "title": "", "start": "", "end": "", "extends": "",
                         "problems": len(exc.problems)})
            continue
        rows.append({"scenario": name, "title": s.title, "start": s.period_start, "end": s.period_end or "",
                     "extends": " > ".join(s.lineage[:-1]), "problems": 0})
    return pd.DataFrame(rows).set_index("scenario") if rows else pd.DataFrame()


__all__ = ["scenario_table", "scenario_titles", "titles_digest"]
