"""mogok-econ: who keeps the money from Mogok's ruby trade, under each control scenario.

The public API (money in USD per year unless a name says otherwise):

- `load_scenario(name_or_path)` -> Scenario: load, resolve `extends`, validate (InputError if not).
- `point_estimate(scenario)` -> Split: flows by actor, realised and unrealised value, income per miner.
- `monte_carlo(scenario, draws, seed)` -> DataFrame, one row per draw; `quantiles(frame)` -> P5/P50/P95.
- `tornado(scenario, output)` and `sobol(scenario, output)` -> DataFrames of sensitivity.
- `load_bibliography()` -> Bibliography: every source, with `cite(id)`.
"""
from .analysis import Split, point_estimate
from .constants import ACTORS, ACTOR_LABELS, PARAMETERS
from .errors import InputError, Problem
from .scenarios import Scenario, available_scenarios, load_scenario, scenario_table
from .sensitivity import sobol, tornado
from .sources import load_bibliography
from .uncertainty import monte_carlo, quantiles

from importlib.metadata import version as _version

__version__ = _version("mogok-econ")

__all__ = [
    "ACTORS", "ACTOR_LABELS", "PARAMETERS", "InputError", "Problem", "Scenario", "Split",
    "available_scenarios", "load_bibliography", "load_scenario", "monte_carlo", "point_estimate",
    "quantiles", "scenario_table", "sobol", "tornado", "__version__",
]
