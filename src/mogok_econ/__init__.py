"""mogok-econ: who keeps the money from Mogok's ruby trade, under each control scenario.

The model is specified in docs/model.md. The package's layers, each importing only those before it:
`core` (vocabulary, distributions, the split: no I/O) -> `inputs` (data files -> validated objects) ->
`analysis` (Monte Carlo, sensitivity, comparison, monthly flows, lever effects: numbers only) ->
`reports` (results bundles, wording, charts, the build).

The public API (money in USD per year unless a name says otherwise):

- `load_scenario(name_or_path)` -> Scenario: load, resolve `extends`, validate (InputError if not).
- `point_estimate(scenario)` -> Split: flows by actor, realised and unrealised value, income per miner.
- `monte_carlo(scenario, draws, seed)` -> DataFrame, one row per draw; `quantiles(frame)` -> P5/P50/P95.
- `tornado(scenario, output)` and `sobol(scenario, output)` -> DataFrames of sensitivity.
- `load_bibliography()` -> Bibliography: every source, with `cite(id)`.
"""
from importlib.metadata import version as _version

from .analysis.estimates import point_estimate
from .analysis.monte_carlo import monte_carlo, quantiles
from .analysis.sensitivity import sobol, tornado
from .core.split import Split
from .core.vocabulary import ACTOR_LABELS, ACTORS, PARAMETERS
from .errors import InputError, Problem
from .inputs.scenario_list import scenario_table
from .inputs.scenarios import Scenario, available_scenarios, load_scenario
from .inputs.sources import load_bibliography

__version__ = _version("mogok-econ")

__all__ = [
    "ACTORS",
    "ACTOR_LABELS",
    "PARAMETERS",
    "InputError",
    "Problem",
    "Scenario",
    "Split",
    "__version__",
    "available_scenarios",
    "load_bibliography",
    "load_scenario",
    "monte_carlo",
    "point_estimate",
    "quantiles",
    "scenario_table",
    "sobol",
    "tornado",
]
