"""The scenarios of the data folder, listed: a table of their names, titles, periods and lineage (invalid
ones too, with how many problems they have), their titles alone, for text that calls scenarios by them,
and every problem of a list of scenario files (`validate`)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from .scenarios import available_scenarios, load_scenario
from .schema import printable
from .sources import Bibliography, load_bibliography


def scenario_titles(data: Path | None = None) -> dict[str, str]:
    """Every scenario's title by name (an invalid scenario's: "")."""
    table = scenario_table(data)
    return {str(name): str(title) for name, title in table["title"].items()} if not table.empty else {}


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


__all__ = ["scenario_table", "scenario_titles", "validate_files"]
