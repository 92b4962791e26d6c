"""mogok-econ: who keeps the money from Mogok's ruby trade, under each control scenario.

The model is specified in docs/model.md. The package's layers, each importing only those before it:
`core` (vocabulary, distributions, the split: no I/O) -> `inputs` (data files -> validated objects) ->
`analysis` (Monte Carlo, sensitivity, comparison, monthly flows, lever effects: numbers only) ->
`reports` (results bundles, wording, charts, the build).

The public API (money in USD per year unless a name says otherwise):

- `load_world(folder)` -> World: a data folder laid out like data/ (None: the shipped data), loaded once;
  `world.scenario(name)`, `world.scenarios`, `world.levers()`, `world.timeline`, `world.digest`... Hand
  it to whatever reads data (the reports' bundles, `calibration(..., world)`): nothing reads a folder
  from the environment.
- `load_scenario(name_or_path, data=folder)` -> Scenario: load, resolve `extends`, validate (InputError if not).
- `point_estimate(scenario)` -> Split: flows by actor, realised and unrealised value, income per miner.
- `monte_carlo(scenario, draws, seed)` -> DataFrame, one row per draw; `quantiles(frame)` -> P5/P50/P95.
- `tornado(scenario, output)` and `sobol(scenario, output)` -> DataFrames of sensitivity.
- `load_bibliography()` -> Bibliography: every source, with `cite(id)`.

Importing the package is cheap: each name above is imported when first used (PEP 562, `__getattr__`),
so that `mogok-econ --help` does not wait for pandas, SciPy and SALib.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: Each public name, and the module (relative to this package) that defines it.
_PUBLIC = {
    "point_estimate": ".analysis.estimates",
    "monte_carlo": ".analysis.monte_carlo",
    "quantiles": ".analysis.monte_carlo",
    "sobol": ".analysis.sensitivity",
    "tornado": ".analysis.sensitivity",
    "Split": ".core.split",
    "ACTOR_LABELS": ".core.vocabulary",
    "ACTORS": ".core.vocabulary",
    "PARAMETERS": ".core.vocabulary",
    "InputError": ".errors",
    "Problem": ".errors",
    "scenario_table": ".inputs.scenario_list",
    "Scenario": ".inputs.scenarios",
    "available_scenarios": ".inputs.scenarios",
    "load_scenario": ".inputs.scenarios",
    "load_bibliography": ".inputs.sources",
    "World": ".inputs.world",
    "load_world": ".inputs.world",
}
#: The subpackages and modules, reachable as attributes (`mogok_econ.analysis`) without importing them first.
_SUBMODULES = {"analysis", "cli", "core", "errors", "fingerprint", "inputs", "limits", "paths", "reports"}

__all__ = [  # _PUBLIC's names and the version (tests/test_cli.py checks they agree)
    "ACTORS",
    "ACTOR_LABELS",
    "PARAMETERS",
    "InputError",
    "Problem",
    "Scenario",
    "Split",
    "World",
    "__version__",
    "available_scenarios",
    "load_bibliography",
    "load_scenario",
    "load_world",
    "monte_carlo",
    "point_estimate",
    "quantiles",
    "scenario_table",
    "sobol",
    "tornado",
]


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    elif name == "__version__":
        from importlib.metadata import version

        value = version("mogok-econ")
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once: the next access does not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBMODULES})


if TYPE_CHECKING:  # for type checkers and editors: the names, as if imported here
    from .analysis.estimates import point_estimate
    from .analysis.monte_carlo import monte_carlo, quantiles
    from .analysis.sensitivity import sobol, tornado
    from .core.split import Split
    from .core.vocabulary import ACTOR_LABELS, ACTORS, PARAMETERS
    from .errors import InputError, Problem
    from .inputs.scenario_list import scenario_table
    from .inputs.scenarios import Scenario, available_scenarios, load_scenario
    from .inputs.sources import load_bibliography
    from .inputs.world import World, load_world

    __version__: str
