"""The data folder, as one value handed to whatever computes: a World.

PolicyEngine's reform object, handed to a simulation, is the model: nothing in core/, inputs/ or analysis/
asks the process which data folder is in use; the command line (cli/) or a notebook's `data` parameter
turns a folder into `load_world(folder)` and passes the world on. Two worlds in one process (a user's
folder and the shipped data) never see each other's scenarios.

A World holds the folder (and the shipped one its scenarios may `extends`, and whose shared values,
exchange rates and observations it falls back to: paths.own_or_shipped), and the digest of every file it
may read. Its contents (scenarios, levers, timeline...) come through the loaders of this package, which
validate (InputError, exit 2) and keep each file's parsed content by its hash. Which files each result is
computed from is declared in dependencies.py.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .. import limits, paths
from ..errors import InputError, Problem
from ..fingerprint import sha256
from ..store import Store
from .exchange_rates import ExchangeRates, load_exchange_rates
from .levers import Lever, available_levers, load_lever, load_levers
from .observables import Observable, load_observables
from .parameters import Parameter
from .sanctions_targets import SanctionsTargets, load_sanctions_targets
from .scenarios import Scenario, available_scenarios, load_scenario, scenario_path
from .schema import NO_VALUE
from .shared import load_observation_parameters, load_shared
from .sources import Bibliography, as_day, data_current_to, load_bibliography
from .timeline import Timeline, load_timeline, resolve_scenario


@dataclass(frozen=True)
class World:
    """A data folder, loaded: immutable (assigning to it raises), and compared by folder and content."""

    #: The data folder (resolved): the shipped data/, or a user's folder laid out like it.
    folder: Path
    #: The shipped data, which a user's folder adds to (bibliography, `extends`) and falls back to.
    shipped: Path
    #: SHA-256 of the names (relative to the folder) and bytes of every file of the folder, and of the
    #: shipped folder when a user's folder adds to it: equal digests, equal inputs.
    digest: str
    #: Where results computed from this world are kept between runs (store.py): not part of its content.
    store: Store = field(default_factory=Store.default, compare=False, repr=False)

    @property
    def is_shipped(self) -> bool:
        return self.folder == self.shipped

    # --- scenarios ---
    @property
    def scenario_names(self) -> list[str]:
        return available_scenarios(self.folder)

    def scenario(self, name_or_path: str | Path, bibliography: Bibliography | None = None) -> Scenario:
        """A scenario by name (in this folder's scenarios/) or path."""
        return load_scenario(name_or_path, bibliography, self.folder)

    def scenario_file(self, name_or_path: str | Path) -> Path:
        return scenario_path(name_or_path, self.folder)

    @property
    def scenarios(self) -> Mapping[str, Scenario]:
        """Every scenario of the folder by name (InputError if any is not valid)."""
        bibliography = self.bibliography
        return MappingProxyType({n: self.scenario(n, bibliography) for n in self.scenario_names})

    def resolve_scenario(self, reference: str) -> str:
        return resolve_scenario(reference, self.folder)

    # --- the rest of the folder ---
    @property
    def bibliography(self) -> Bibliography:
        return load_bibliography(data=self.folder)

    @property
    def newest_evidence(self) -> dt.date:
        """The day of the newest evidence (what the data is current to; a month's first day if the source gives
        a month): totals after it are projections."""
        return as_day(data_current_to(self.bibliography))

    @property
    def shared(self) -> dict[str, Parameter]:
        return load_shared(data=self.folder)

    @property
    def observation_parameters(self) -> dict[str, Parameter]:
        return load_observation_parameters(data=self.folder)

    @property
    def exchange_rates(self) -> ExchangeRates | None:
        return load_exchange_rates(data=self.folder)

    @property
    def lever_names(self) -> list[str]:
        return available_levers(self.folder)

    def lever(self, name_or_path: str | Path) -> Lever:
        return load_lever(name_or_path, data=self.folder)

    def levers(self, names: list[str] | None = None) -> list[Lever]:
        """The named levers, or every lever of the folder."""
        return load_levers(names, self.folder)

    @property
    def has_timeline(self) -> bool:
        return self.timeline_file.is_file()

    @property
    def timeline(self) -> Timeline:
        return load_timeline(data=self.folder)

    @property
    def observables(self) -> dict[str, Observable]:
        """The folder's own observables (none where it has no observables.yaml: see load_observables)."""
        return load_observables(data=self.folder)

    @property
    def sanctions_targets(self) -> SanctionsTargets:
        return load_sanctions_targets(data=self.folder)

    # --- the files, for what lists them (report staleness, reports/catalogue.py) ---
    @property
    def scenarios_dir(self) -> Path:
        return paths.scenarios_dir(self.folder)

    @property
    def levers_dir(self) -> Path:
        return paths.levers_dir(self.folder)

    @property
    def timeline_file(self) -> Path:
        return paths.timeline_file(self.folder)

    @property
    def sources_files(self) -> list[Path]:
        return paths.sources_files(self.folder)

    @property
    def shared_file(self) -> Path:
        return paths.shared_file(self.folder)

    @property
    def exchange_rates_file(self) -> Path:
        return paths.exchange_rates_file(self.folder)

    @property
    def observables_file(self) -> Path:
        return paths.observables_file(self.folder)

    @property
    def sanctions_targets_file(self) -> Path:
        return paths.sanctions_targets_file(self.folder)


def load_world(folder: Path | str | None = None, store: Store | None = None) -> World:
    """The data folder `folder` (None or "": the shipped data) as a World, whose results are kept in `store`
    (None: Store.default(), the user's cache folder). InputError if it is not a folder."""
    chosen = Path(folder).expanduser().resolve() if folder else paths.SHIPPED_DATA
    if not chosen.is_dir():
        raise InputError(Problem(paths.display(chosen), "", NO_VALUE, "there is no such data folder (a folder laid "
                                 "out like the shipped data/: scenarios/, and optionally levers/, sources.yaml...)."))
    return World(chosen, paths.SHIPPED_DATA, folder_digest(chosen), store or Store.default())


def folder_files(folder: Path) -> list[Path]:
    """Every file of the data folder, and of the shipped folder when a user's folder adds to it (sorted, so the
    same files come in the same order whatever order the file system lists them in)."""
    folders = [folder] if folder == paths.SHIPPED_DATA else [paths.SHIPPED_DATA, folder]
    return [f for f_ in folders for f in sorted(f_.rglob("*")) if f.is_file()]


def folder_digest(folder: Path) -> str:
    """The hash of every file of the data folder (names relative to it, and contents), plus the shipped
    bibliography and scenarios when a user's folder adds to them."""
    return sha256(x for f in folder_files(folder) for x in (_name(f, folder), _bounded(f)))


def _name(f: Path, root: Path) -> str:
    return str(f.relative_to(root)) if f.is_relative_to(root) else f.name  # as fingerprint.files_hash names it


def _bounded(f: Path) -> bytes:
    """A file's bytes, or for one larger than a data file may be (which no loader reads) its size alone."""
    try:
        size = f.stat().st_size
        if size > limits.MAX_FILE_BYTES:
            return f"(a file of {size} bytes, over the data file limit: not read)".encode()
        return f.read_bytes()
    except OSError as exc:  # unreadable (permissions, gone meanwhile): its loader says so if it is ever read
        return f"(unreadable: {exc.strerror})".encode()


def shipped_world() -> World:
    """The shipped data: the default of entry points' `world` argument, for tests and callers outside the
    package (code inside it always passes its world on)."""
    return load_world(None)


__all__ = ["World", "folder_digest", "folder_files", "load_world", "shipped_world"]
