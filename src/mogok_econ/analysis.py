"""The point-estimate split as pandas objects: what `mogok-econ split` prints and the reports show."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .constants import ACTORS, UNREALISED_PARTS
from .model import SplitArrays, split
from .scenarios import Scenario


@dataclass(frozen=True)
class Split:
    """Who keeps what, at the point estimate. Money in USD per year; income per miner in USD per month."""

    scenario: str
    gross_value_usd: float
    realised_value_usd: float
    unrealised_usd: pd.Series      # production_shortfall, stockpiled, price_effect
    flows_usd: pd.Series           # by actor, adds up to realised_value_usd
    mine_gate_usd: float
    miner_income_usd_per_month: float | None
    channels_usd: pd.DataFrame     # rows: model.CHANNELS; columns: actors; adds up to flows_usd

    @property
    def shares(self) -> pd.Series:
        """Each actor's share of realised revenue (0..1); all zero when nothing is realised."""
        if self.realised_value_usd == 0:
            return self.flows_usd * 0.0
        return self.flows_usd / self.realised_value_usd

    def to_dict(self) -> dict:
        """The JSON form of `mogok-econ split --json` (point estimate)."""
        return {
            "scenario": self.scenario,
            "gross_value_usd": self.gross_value_usd,
            "realised_value_usd": self.realised_value_usd,
            "miner_income_usd_per_month": self.miner_income_usd_per_month,
            "unrealised_usd": {k: float(v) for k, v in self.unrealised_usd.items()},
            "flows_usd": {k: float(v) for k, v in self.flows_usd.items()},
        }


def arrays_to_frame(result: SplitArrays) -> pd.DataFrame:
    """One row per draw: gross, realised, the unrealised parts, each actor's flow, income per miner."""
    columns = {
        "gross_value_usd": result.gross,
        "realised_value_usd": result.realised,
        "production_shortfall": result.production_shortfall,
        "stockpiled": result.stockpiled,
        "price_effect": result.price_effect,
        "mine_gate_usd": result.mine_gate,
    }
    for i, actor in enumerate(ACTORS):
        columns[actor] = result.flows[:, i]
    if result.miner_income is not None:
        columns["miner_income_usd_per_month"] = result.miner_income
    return pd.DataFrame(columns)


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
