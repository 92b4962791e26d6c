"""Which assumptions move an actor's take: a one-at-a-time tornado and global Sobol indices (SALib).

Both look only at the scenario's uncertain parameters (the market exchange rates stay at their mode;
the inputs are treated as independent, correlations or not). The tornado moves one parameter at a time
from its 5th to its 95th percentile with the others at their point estimates. Sobol indices come from
SALib's Saltelli/Sobol sampler on the unit hypercube, mapped through each parameter's own quantile
function, so they are computed under the scenario's actual distributions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

from ..core.defaults import DEFAULT_SEED
from ..core.split import arrays_to_frame, split
from ..core.vocabulary import ACTORS, GROUPS, PARAMETERS
from ..inputs.scenarios import Scenario
from .conversion import model_inputs
from .monte_carlo import Posterior, central_values

OUTPUTS = (*ACTORS, *GROUPS, "realised_value_usd")


def _evaluate(scenario: Scenario, values: dict[str, np.ndarray | float], output: str,
              posterior: Posterior | None = None) -> np.ndarray:
    """The output with `values` and every other parameter at its central value (market rates: their mode)."""
    params = model_inputs(scenario, {**central_values(scenario, posterior), **values})
    return arrays_to_frame(split(params, scenario.recipients, pit=False))[output].to_numpy()


def _check_output(output: str) -> None:
    if output not in OUTPUTS:
        raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")


def tornado(scenario: Scenario, output: str = "junta", low_q: float = 0.05, high_q: float = 0.95,
            posterior: Posterior | None = None) -> pd.DataFrame:
    """For each uncertain parameter, `output` (USD/yr) with that parameter at its prior's `low_q` and
    `high_q` quantiles and the rest at their central values (under `posterior`, or the priors). Sorted by
    swing, largest first."""
    _check_output(output)
    base = float(_evaluate(scenario, {}, output, posterior)[0])
    rows = []
    for key in scenario.uncertain_parameters():
        d = scenario.parameters[key].distribution
        lo, hi = (float(v) for v in d.ppf(np.array([low_q, high_q])))
        at_lo = float(_evaluate(scenario, {key: lo}, output, posterior)[0])
        at_hi = float(_evaluate(scenario, {key: hi}, output, posterior)[0])
        rows.append({"parameter": key, "symbol": PARAMETERS[key].symbol, "low_value": lo, "high_value": hi,
                     "output_at_low": at_lo, "output_at_high": at_hi, "swing": abs(at_hi - at_lo)})
    frame = pd.DataFrame(rows, columns=["parameter", "symbol", "low_value", "high_value", "output_at_low",
                                        "output_at_high", "swing"]).set_index("parameter")
    frame = frame.sort_values("swing", ascending=False)
    frame.attrs.update(output=output, base=base, low_q=low_q, high_q=high_q)
    return frame


def sobol(scenario: Scenario, output: str = "junta", base_samples: int = 2**13,
          seed: int = DEFAULT_SEED, posterior: Posterior | None = None) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices of `output`, with 95% confidence half-widths.

    base_samples is SALib's N (a power of two); the model runs N·(k+2) times for k uncertain
    parameters. If `output` does not vary at all (e.g. an actor with no share), every index is 0.
    """
    _check_output(output)
    names = scenario.uncertain_parameters()
    columns = ["symbol", "S1", "S1_conf", "ST", "ST_conf"]
    if not names:
        frame = pd.DataFrame(columns=columns)
        frame.attrs.update(output=output, constant_output=True)
        return frame
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    unit = sobol_sample.sample(problem, base_samples, calc_second_order=False, scramble=True, seed=seed)
    values = {k: scenario.parameters[k].distribution.ppf(unit[:, i]) for i, k in enumerate(names)}
    y = _evaluate(scenario, values, output, posterior)
    constant = bool(np.ptp(y) <= 1e-9 * max(1.0, float(np.abs(y).max())))
    if constant:
        zeros = np.zeros(len(names))
        indices = {"S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros}
    else:
        indices = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed, print_to_console=False)
    frame = pd.DataFrame({"symbol": [PARAMETERS[k].symbol for k in names],
                          **{c: np.asarray(indices[c], dtype=float) for c in columns[1:]}}, index=names)
    frame.index.name = "parameter"
    frame = frame.sort_values("ST", ascending=False)
    frame.attrs.update(output=output, constant_output=constant, base_samples=base_samples,
                       model_runs=len(y))
    return frame
