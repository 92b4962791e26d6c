"""The point estimate of a scenario: every parameter at its mode (uniform: mid-point)."""
from __future__ import annotations

import pandas as pd

from ..core.split import Split, arrays_to_frame, split
from ..core.vocabulary import ACTORS, UNREALISED_PARTS
from ..inputs.scenarios import Scenario


def point_estimate(scenario: Scenario) -> Split:
    """The split with every parameter at its point estimate (mode; uniform: mid-point)."""
    result = split(scenario.point_values(), scenario.recipients, by_channel=True)
    row = arrays_to_frame(result).iloc[0]
    channels = pd.DataFrame({name: part[0] for name, part in result.channels.items()}, index=list(ACTORS)).T
    income = row.get("miner_income_usd_per_month")
    return Split(
        scenario=scenario.name,
        gross_value_usd=float(row["gross_value_usd"]),
        realised_value_usd=float(row["realised_value_usd"]),
        unrealised_usd=row[list(UNREALISED_PARTS)].astype(float).rename(None),
        flows_usd=row[list(ACTORS)].astype(float).rename(None),
        mine_gate_usd=float(row["mine_gate_usd"]),
        miner_income_usd_per_month=None if income is None else float(income),
        channels_usd=channels,
    )
