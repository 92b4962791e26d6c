"""The central estimate of a scenario: the model with every parameter at its central value (the posterior's
median where a calibrated posterior is given; else the prior's mode, uniform: mid-point)."""
from __future__ import annotations

import pandas as pd

from ..core.split import Split, arrays_to_frame, split
from ..core.vocabulary import ACTORS, GROUPS, UNREALISED_PARTS
from ..inputs.scenarios import Scenario
from .conversion import model_inputs
from .monte_carlo import Posterior, central_values


def point_estimate(scenario: Scenario, posterior: Posterior | None = None) -> Split:
    """The split with every parameter at its central value under `posterior`, or the priors
    (monte_carlo.central_values; market rates: mode)."""
    return estimate_at(scenario, central_values(scenario, posterior))


def estimate_at(scenario: Scenario, values: dict[str, float]) -> Split:
    """The split with the scenario's parameters at `values` (market rates: their mode), as a Split."""
    result = split(model_inputs(scenario, values), scenario.recipients, by_channel=True)
    row = arrays_to_frame(result).iloc[0]
    channels = pd.DataFrame({name: part[0] for name, part in result.channels.items()}, index=list(ACTORS)).T
    return Split(
        scenario=scenario.name,
        gross_value_usd=float(row["gross_value_usd"]),
        realised_value_usd=float(row["realised_value_usd"]),
        recorded_value_usd=float(row["recorded_value_usd"]),
        unrealised_usd=row[list(UNREALISED_PARTS)].astype(float).rename(None),
        flows_usd=row[list(ACTORS)].astype(float).rename(None),
        groups_usd=row[list(GROUPS)].astype(float).rename(None),
        mine_gate_usd=float(row["mine_gate_usd"]),
        miner_income_usd_per_month=float(row["miner_income_usd_per_month"]),
        hand_miner_income_usd_per_month=float(row["hand_miner_income_usd_per_month"]),
        wage_usd_per_month=float(row["wage_usd_per_month"]),
        wage_workers_employed=float(row["wage_workers_employed"]),
        wage_workers_laid_off=float(row["wage_workers_laid_off"]),
        channels_usd=channels,
        hand_miner_median_income_usd_per_month=float(row["hand_miner_median_income_usd_per_month"]),
        miner_headcount=float(row["miner_headcount"]),
    )
