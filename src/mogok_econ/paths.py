"""Every project path, defined once.

The project root is found from this file (src/mogok_econ/paths.py -> two levels up). Set
MOGOK_ECON_DATA to read the data from another folder (tests use it for throw-away scenario sets).
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The data folder: $MOGOK_ECON_DATA if set, else <root>/data."""
    override = os.environ.get("MOGOK_ECON_DATA")
    return Path(override).resolve() if override else ROOT / "data"


def scenarios_dir() -> Path:
    return data_dir() / "scenarios"


def levers_dir() -> Path:
    return data_dir() / "levers"


def sources_file() -> Path:
    return data_dir() / "sources.yaml"


def timeline_file() -> Path:
    return data_dir() / "timeline.yaml"


def observables_file() -> Path:
    return data_dir() / "observables.yaml"


NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
CACHE = ROOT / ".cache"


def display(path: Path) -> str:
    """A path as users should read it: relative to the project root when inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
