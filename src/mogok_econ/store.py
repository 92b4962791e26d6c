"""Where computed results are kept between runs: a Store, handed down with the World (`world.store`).

Its folder holds the Monte Carlo draws and the other costly results, each under a hash of what it was computed
from (analysis/cache.py), and the headline summaries (results/summary.py). A Store with no folder keeps
nothing: every result is computed afresh. The results it keeps are signed with the bytes of its key file,
which lives outside the folder (the folder may be shared; the key is its user's alone).

The entry points make the Store: the command line and each notebook's first cell from the environment
(`environment.store_from_environment`), a caller of the library by default (`Store.default()`, the user's
cache folder) or by hand. Nothing below them reads the environment: they use the Store they were handed.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import paths


@dataclass(frozen=True)
class Store:
    #: The folder results are kept in; None keeps nothing (every result is computed).
    folder: Path | None
    #: The file whose bytes sign the kept results (readable by its user only; created when first needed).
    key_file: Path | None = None

    @classmethod
    def default(cls) -> Store:
        """The user's cache folder (the checkout's .cache/ in a development checkout), signed with the key in
        ~/.config/mogok-econ/."""
        return cls(paths.CACHE / "monte_carlo", Path.home() / ".config" / "mogok-econ" / "cache.key")

    @classmethod
    def nothing(cls) -> Store:
        """A store that keeps nothing: every result computed afresh (benchmarks of the computation itself)."""
        return cls(None, None)

    @property
    def keeps(self) -> bool:
        return self.folder is not None


__all__ = ["Store"]
