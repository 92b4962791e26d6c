"""Which assumptions move an actor's take: a one-at-a-time tornado and global Sobol indices (SALib).

Both look only at the scenario's uncertain parameters and its drawn recipients tables ("who is paid":
docs/model.md, "Who is paid, drawn"; the market exchange rates stay at their mode; the inputs are treated
as independent, correlations or not). The tornado moves one input at a time from its 5th to its 95th
percentile with the others at their point estimates; for a table, the input is the output's share of it
(a Beta, by the Dirichlet's aggregation property), with the other actors' shares at their expected
values given it. Sobol indices come from SALib's Saltelli/Sobol sampler on the unit hypercube, mapped
through each parameter's own quantile function, so they are computed under the scenario's actual
distributions; a table is one input, a group of its K-1 stick-breaking quantiles (SALib's `groups`).
A table's concentration stays at its point value in both.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample
from scipy import special

from ..core.defaults import DEFAULT_SEED
from ..core.recipient_draws import named, share_key, table_from_uniforms
from ..core.split import arrays_to_frame, split
from ..core.vocabulary import ACTORS, GROUPS, PARAMETERS, RECIPIENT_TABLE_LABELS
from ..inputs.scenarios import Scenario
from .conversion import model_inputs
from .monte_carlo import Posterior, central_values

OUTPUTS = (*ACTORS, *GROUPS, "realised_value_usd")

#: The name of a drawn recipients table as a sensitivity input (a row of the tornado and of the Sobol table).
TABLE_INPUT = "recipients:"


def table_input(table: str) -> str:
    return f"{TABLE_INPUT}{table}"


def input_label(key: str) -> str:
    """What readers call a sensitivity input: a parameter's label, or "who is paid: <table>"."""
    if key.startswith(TABLE_INPUT):
        return f"Who is paid: {RECIPIENT_TABLE_LABELS[key[len(TABLE_INPUT):]].lower()}"
    return PARAMETERS[key].label


def input_axis_label(key: str) -> str:
    """An input's label as the charts' axes show it (a parameter's with its symbol)."""
    return input_label(key) if key.startswith(TABLE_INPUT) else PARAMETERS[key].axis_label


def input_symbol(key: str) -> str:
    return key[len(TABLE_INPUT):] if key.startswith(TABLE_INPUT) else PARAMETERS[key].symbol


def _table_at(scenario: Scenario, table: str, output: str, level: float) -> tuple[float, dict[str, float]] | None:
    """The table with the output's share of it at the `level` quantile of its Beta distribution (the
    Dirichlet's aggregation property) and every other share at its expected value given it: each member of
    the output in proportion to its stated share, the other actors in proportion to theirs. None where the
    output has none of the table, or all of it (then the table cannot move it)."""
    shares = scenario.recipients[table]
    members = set(GROUPS.get(output, (output,)))
    m = sum(v for a, v in shares.items() if a in members)
    if not 0.0 < m < 1.0:
        return None
    alpha = float(scenario.recipient_concentration[table].distribution.point)
    x = float(special.betaincinv(alpha * m, alpha * (1 - m), level))
    return x, {share_key(table, a): (x * v / m if a in members else (1 - x) * v / (1 - m))
               for a, v in shares.items() if v > 0}


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
    for table in scenario.drawn_recipients():  # who is paid: the output's share of the table (low/high_value)
        low, high = _table_at(scenario, table, output, low_q), _table_at(scenario, table, output, high_q)
        if low is None:
            continue
        at_lo = float(_evaluate(scenario, low[1], output, posterior)[0])
        at_hi = float(_evaluate(scenario, high[1], output, posterior)[0])
        rows.append({"parameter": table_input(table), "symbol": table, "low_value": low[0], "high_value": high[0],
                     "output_at_low": at_lo, "output_at_high": at_hi, "swing": abs(at_hi - at_lo)})
    frame = pd.DataFrame(rows, columns=["parameter", "symbol", "low_value", "high_value", "output_at_low",
                                        "output_at_high", "swing"]).set_index("parameter")
    frame = frame.sort_values("swing", ascending=False)
    frame.attrs.update(output=output, base=base, low_q=low_q, high_q=high_q)
    return frame


def sobol(scenario: Scenario, output: str = "junta", base_samples: int = 2**13,
          seed: int = DEFAULT_SEED, posterior: Posterior | None = None) -> pd.DataFrame:
    """First-order (S1) and total (ST) Sobol indices of `output`, with 95% confidence half-widths.

    base_samples is SALib's N (a power of two); the model runs N·(k+2) times for k inputs (uncertain
    parameters and drawn recipients tables). If `output` does not vary at all (e.g. an actor with no share), every index is 0.
    """
    _check_output(output)
    parameters = scenario.uncertain_parameters()
    tables = {t: named(scenario.recipients[t]) for t in scenario.drawn_recipients()}
    names = parameters + [table_input(t) for t in tables]  # one input each; a table's K-1 sticks are one group
    columns = ["symbol", "S1", "S1_conf", "ST", "ST_conf"]
    if not names:
        frame = pd.DataFrame(columns=columns)
        frame.attrs.update(output=output, constant_output=True)
        return frame
    groups = parameters + [table_input(t) for t, actors in tables.items() for _ in actors[1:]]
    problem = {"num_vars": len(groups), "names": [f"{g}#{i}" for i, g in enumerate(groups)],
               "bounds": [[0.0, 1.0]] * len(groups)}
    if tables:
        problem["groups"] = groups
    unit = sobol_sample.sample(problem, base_samples, calc_second_order=False, scramble=True, seed=seed)
    values = {k: scenario.parameters[k].distribution.ppf(unit[:, i]) for i, k in enumerate(parameters)}
    first = len(parameters)
    for t, actors in tables.items():
        shares = scenario.recipients[t]
        alpha = float(scenario.recipient_concentration[t].distribution.point)
        drawn = table_from_uniforms(unit[:, first:first + len(actors) - 1], [shares[a] for a in actors], alpha)
        values |= {share_key(t, a): v for a, v in zip(actors, drawn)}
        first += len(actors) - 1
    y = _evaluate(scenario, values, output, posterior)
    constant = bool(np.ptp(y) <= 1e-9 * max(1.0, float(np.abs(y).max())))
    if constant:
        zeros = np.zeros(len(names))
        indices = {"S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros}
    else:
        indices = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed, print_to_console=False)
    frame = pd.DataFrame({"symbol": [input_symbol(k) for k in names],
                          **{c: np.asarray(indices[c], dtype=float) for c in columns[1:]}}, index=names)
    frame.index.name = "parameter"
    frame = frame.sort_values("ST", ascending=False)
    frame.attrs.update(output=output, constant_output=constant, base_samples=base_samples,
                       model_runs=len(y))
    return frame
