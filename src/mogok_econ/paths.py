"""Every project path, defined once.

Two ways to run, told apart by where this file is:

- **From a checkout** (the repository, with the package installed editable): the repository's `data/`
  and `notebooks/` are read where they are, reports go to `reports/` and the Monte Carlo cache to
  `.cache/`, all in the checkout. The checkout is two levels above this file (src/mogok_econ/paths.py)
  and is recognised by its pyproject.toml, data/ and notebooks/.
- **Installed** (a wheel, `pip install .`): the data and notebooks are read from the copies the build
  put in the package (`mogok_econ/_shipped/`, made by setup.py from the repository's data/ and
  notebooks/). Nothing is ever written inside the package: reports go where the user says
  (`render --output`, default ./mogok-reports in the current folder) and the cache to the user's cache
  folder ($XDG_CACHE_HOME/mogok-econ, else ~/.cache/mogok-econ).

Either way, a user's own folder laid out like data/ may be the data folder; the shipped scenarios stay
reachable through `extends`. Nothing here reads which folder that is: the command line turns `--data DIR`
(or $MOGOK_ECON_DATA) into a World (inputs/world.py), and the helpers below take the folder as an argument.
"""
from __future__ import annotations

import os
from pathlib import Path

#: The environment variable naming a user's data folder: read by the command line only (cli/).
DATA_ENV = "MOGOK_ECON_DATA"
#: The environment variable that moves the Monte Carlo cache.
CACHE_ENV = "MOGOK_ECON_CACHE"

PACKAGE = Path(__file__).resolve().parent
#: The folder inside the installed package holding the shipped data/ and notebooks/ (built, never committed).
SHIPPED = PACKAGE / "_shipped"


def _checkout() -> Path | None:
    root = PACKAGE.parents[1]
    markers = (root / "pyproject.toml", root / "data" / "scenarios", root / "notebooks")
    return root if PACKAGE.parent.name == "src" and all(m.exists() for m in markers) else None


#: The repository this package runs from, or None when it runs installed.
CHECKOUT: Path | None = _checkout()
#: Where the shipped data/ and notebooks/ are: the checkout, or the package's _shipped/ copy.
ROOT = CHECKOUT or SHIPPED

SHIPPED_DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
#: The reports folder of the checkout (None when installed: then `render` needs an output folder of the user's).
REPORTS: Path | None = CHECKOUT / "reports" if CHECKOUT else None
#: The pinned environment (only a checkout has it).
LOCK_FILE: Path | None = CHECKOUT / "requirements.lock" if CHECKOUT else None
#: Where `render` writes when installed and given no --output (relative: the current folder at run time).
INSTALLED_REPORTS_NAME = "mogok-reports"


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mogok-econ"


#: The Monte Carlo cache's parent folder ($MOGOK_ECON_CACHE, read by analysis.cache, overrides it).
CACHE = CHECKOUT / ".cache" if CHECKOUT else _user_cache()


def chosen(data: Path | None) -> Path:
    """The data folder a loader was given, or the shipped data where it was given none."""
    return Path(data).resolve() if data else SHIPPED_DATA


def scenarios_dir(data: Path) -> Path:
    return Path(data) / "scenarios"


def shipped_scenarios_dir() -> Path:
    """The scenarios that ship with the package (the checkout's data/scenarios), whatever the data folder."""
    return SHIPPED_DATA / "scenarios"


def levers_dir(data: Path) -> Path:
    return Path(data) / "levers"


def shipped_sources_file() -> Path:
    return SHIPPED_DATA / "sources.yaml"


def sources_files(data: Path) -> list[Path]:
    """The files the bibliography is read from: the shipped sources.yaml, then the data folder's own (which
    adds to it; an id in both takes the data folder's entry), so a user's scenario can cite, and extend
    a scenario that cites, any shipped source."""
    own, shipped = Path(data) / "sources.yaml", shipped_sources_file()
    if own.resolve() == shipped.resolve():
        return [shipped]
    return [shipped] + ([own] if own.exists() or not shipped.exists() else [])


def timeline_file(data: Path) -> Path:
    return Path(data) / "timeline.yaml"


def sanctions_targets_file(data: Path) -> Path:
    """data/sanctions_targets.yaml: the data folder's own, else the shipped one (a user's folder need not have it)."""
    return own_or_shipped(data, "sanctions_targets.yaml")


def own_or_shipped(data: Path, name: str) -> Path:
    """The data folder's own file, or the shipped one where the folder has none (a user's folder may hold
    only scenarios: they still share G, the exchange rates and the observations of the shipped data)."""
    own = Path(data) / name
    return own if own.exists() else SHIPPED_DATA / name


def observables_file(data: Path) -> Path:
    return own_or_shipped(data, "observables.yaml")


def reports_dir() -> Path:
    """Where `render` writes by default: the checkout's reports/, or ./mogok-reports when installed."""
    return REPORTS if REPORTS is not None else Path.cwd() / INSTALLED_REPORTS_NAME


def inside_package(path: Path) -> bool:
    """Whether `path` is inside the installed package (where nothing may be written)."""
    return CHECKOUT is None and Path(path).resolve().is_relative_to(PACKAGE)


def shared_file(data: Path) -> Path:
    return own_or_shipped(data, "shared.yaml")


def exchange_rates_file(data: Path) -> Path:
    return own_or_shipped(data, "exchange_rates.yaml")


def display(path: Path) -> str:
    """A path as users should read it: relative to the project root when inside it (the shipped files read
    data/... and notebooks/... whether they come from the checkout or from the installed package)."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
