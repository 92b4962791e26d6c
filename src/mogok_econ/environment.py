"""The one module that reads the environment for the package, imported only by the entry points: the
command line (cli/) and the first cell of each notebook (through `store_from_environment`). Everything below
them takes what it needs as arguments (tests/test_layout.py checks both).

- MOGOK_ECON_CACHE: the folder computed results are kept in (default: the user's cache, store.Store.default).
- MOGOK_ECON_NO_CACHE=1: keep nothing; compute every result afresh.
- XDG_CONFIG_HOME: where the key that signs the kept results lives (default ~/.config), in mogok-econ/cache.key.
The data folder (MOGOK_ECON_DATA) is the command line's to read (cli/__init__.py), beside its --data option.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import paths
from .store import Store

NO_CACHE_ENV = "MOGOK_ECON_NO_CACHE"


def store_from_environment() -> Store:
    """The Store the environment asks for: MOGOK_ECON_NO_CACHE, else MOGOK_ECON_CACHE, else the default."""
    if os.environ.get(NO_CACHE_ENV):
        return Store.nothing()
    default = Store.default()
    folder = Path(os.environ[paths.CACHE_ENV]) if os.environ.get(paths.CACHE_ENV) else default.folder
    config = os.environ.get("XDG_CONFIG_HOME")
    key_file = Path(config) / "mogok-econ" / "cache.key" if config else default.key_file
    return Store(folder, key_file)


__all__ = ["NO_CACHE_ENV", "store_from_environment"]
