"""The model (docs/model.md, Stages 1 and 2) as code: the revenue split, vectorised over draws, and
its result types. No I/O, no plotting.

Every input is a float or a 1-D array of draws (broadcast together); recipients tables are dicts
actor -> share. `split` returns numpy arrays (`SplitArrays`); `Split` is the point estimate as pandas
objects, `arrays_to_frame` one row per draw.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .vocabulary import ACTORS, CHANNELS, RECIPIENT_TABLES

Array = np.ndarray


@dataclass(frozen=True)
class SplitArrays:
    """The model's outputs, one value per draw (USD per year; income per miner in USD per month)."""

    gross: Array
    realised: Array
    production_shortfall: Array
    stockpiled: Array
    price_effect: Array
    mine_gate: Array
    flows: Array               # shape (draws, len(ACTORS)), columns in ACTORS order
    miner_income: Array | None  # USD per miner per month, None without miner_count
    channels: dict[str, Array] | None = None  # with by_channel: CHANNELS -> (draws, actors); they add up to flows


def recipient_vectors(recipients: Mapping[str, Mapping[str, float]]) -> dict[str, Array]:
    """Each recipients table as a vector over ACTORS (missing actors get 0)."""
    return {table: np.array([float(recipients[table].get(a, 0.0)) for a in ACTORS]) for table in RECIPIENT_TABLES}


def split(params: Mapping[str, float | Array], recipients: Mapping[str, Mapping[str, float]],
          by_channel: bool = False) -> SplitArrays:
    """Follow every dollar from gross value to the actor who keeps it (docs/model.md, Stages 1 and 2).

    params: gross_value_usd (USD/yr), production_factor, market_access, price_factor, formal_share,
    state_tax_rate, extortion_rate, checkpoint_rate, trader_margin, labour_share (all shares or
    rates on sales value), optionally miner_count (people). Scalars or equal-length arrays.
    With `by_channel`, also each channel's part of every actor's flow (CHANNELS).
    """
    g = np.atleast_1d(np.asarray(params["gross_value_usd"], dtype=float))
    p = np.asarray(params["production_factor"], dtype=float)
    a = np.asarray(params["market_access"], dtype=float)
    q = np.asarray(params["price_factor"], dtype=float)
    f = np.asarray(params["formal_share"], dtype=float)
    t = np.asarray(params["state_tax_rate"], dtype=float)
    x = np.asarray(params["extortion_rate"], dtype=float)
    c = np.asarray(params["checkpoint_rate"], dtype=float)
    m = np.asarray(params["trader_margin"], dtype=float)
    w = np.asarray(params["labour_share"], dtype=float)

    # Stage 1: realised revenue, and where the rest of gross value went.
    mined = g * p
    reached = mined * a
    realised = reached * q
    shortfall = g - mined
    stockpiled = mined - reached
    price_effect = reached - realised

    # Stage 2: levies on sales value, then the mine-gate remainder.
    tax = f * t
    extortion = (1 - f) * x
    levy_total = tax + extortion + c + m
    mine_gate = realised * (1 - levy_total)

    # flows = R · (levies @ recipients) + M · ([w, 1-w] @ [miners, owner_stakes]): two small matmuls
    vec = recipient_vectors(recipients)
    traders = np.array([actor == "traders" for actor in ACTORS], dtype=float)
    miners = np.array([actor == "miners" for actor in ACTORS], dtype=float)
    size = np.broadcast_shapes(realised.shape, np.shape(levy_total), np.shape(w))
    levies = np.column_stack([np.broadcast_to(v, size) for v in (tax, extortion, c, m)])
    to_levies = np.vstack([vec["state_tax_to"], vec["extortion_to"], vec["checkpoint_to"], traders])
    remainder = np.column_stack([np.broadcast_to(mine_gate * w, size), np.broadcast_to(mine_gate * (1 - w), size)])
    to_remainder = np.vstack([miners, vec["owner_stakes"]])
    flows = np.broadcast_to(realised, size)[:, None] * (levies @ to_levies) + remainder @ to_remainder

    channels = None
    if by_channel:  # the same terms, kept apart (memory: one (draws, actors) array per channel)
        on_sales = np.broadcast_to(realised, size)[:, None] * levies
        parts = [np.multiply.outer(on_sales[:, i], to_levies[i]) for i in range(4)]
        parts += [np.multiply.outer(remainder[:, i], to_remainder[i]) for i in range(2)]
        channels = dict(zip(CHANNELS, parts))

    income = None
    if params.get("miner_count") is not None:
        n = np.asarray(params["miner_count"], dtype=float)
        income = flows[:, ACTORS.index("miners")] / n / 12.0

    def full(v: Array) -> Array:
        return np.broadcast_to(v, size).astype(float, copy=True)

    return SplitArrays(full(g), full(realised), full(shortfall), full(stockpiled), full(price_effect),
                       full(mine_gate), flows, None if income is None else full(income), channels)


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
    channels_usd: pd.DataFrame     # rows: CHANNELS; columns: actors; adds up to flows_usd

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
