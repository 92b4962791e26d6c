"""Scenarios side by side: each actor's take, the shift between scenarios, and what drives it.

The drivers of a change between two scenarios are Shapley values: each group of parameters gets its
average contribution to the change over every order in which the groups could be switched from the
first scenario's values to the second's. They add up exactly to the total change (at point estimates).
"""
from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd

from ..core.defaults import QUANTILE_LEVELS, REPORTED_QUANTILES
from ..core.split import arrays_to_frame, split
from ..inputs.scenarios import Scenario
from ..store import Store
from .cache import cached_monte_carlo
from .conversion import model_inputs
from .estimates import point_estimate
from .monte_carlo import Posterior, central_values, quantiles

#: Groups of the model's inputs that a change between scenarios is attributed to. "recipients" = who
#: receives each levy and who owns the mines (the recipients tables).
DRIVER_GROUPS: dict[str, tuple[str, ...]] = {
    "volume (G, p, a)": ("gross_value_usd", "production_factor", "market_access"),
    "price (q)": ("price_factor",),
    "formal channel (f, t, exchange-rate levy)": ("formal_share", "state_tax_rate", "exchange_rate_levy_rate"),
    "extortion (x, h, e)": ("extortion_rate", "extortion_per_head_share", "extortion_per_head"),
    "checkpoints (c)": ("checkpoint_rate",),
    "trader margin (m)": ("trader_margin",),
    "the pit (company sites, wages, levies and fees at the pit)": (
        "company_share", "miner_count", "wage_share", "wage_usd_per_month", "commission_rate", "pit_levy_rate",
        "pit_rent_rate", "fee_per_miner", "company_cost_share", "state_production_share", "open_access_share",
        "digging_returns", "digging_premium", "finds_dispersion", "concessions_leased_share", "concession_rent_share"),
    "who receives levies and owns mines": ("recipients",),
}


def chronological(scenarios: list[Scenario]) -> list[Scenario]:
    """Ordered by the start of their period (hypothetical and open-ended ones keep that order too)."""
    return sorted(scenarios, key=lambda s: (s.period_start, s.name))


def point_flows(scenarios: list[Scenario], posterior: Posterior | None = None) -> pd.DataFrame:
    """Central-estimate flows (USD/yr): rows scenarios, columns ACTORS plus realised and gross value."""
    rows = {}
    for s in scenarios:
        est = point_estimate(s, posterior)
        rows[s.name] = {**est.flows_usd.to_dict(), **est.groups_usd.to_dict(), "realised_value_usd": est.realised_value_usd,
                        "recorded_value_usd": est.recorded_value_usd, "gross_value_usd": est.gross_value_usd}
    return pd.DataFrame.from_dict(rows, orient="index")


def simulate_all(scenarios: list[Scenario], draws: int, seed: int, posterior: Posterior | None,
                 store: Store) -> dict[str, pd.DataFrame]:
    """A Monte Carlo frame per scenario (each with the same seed, so each is reproducible on its own), kept in
    `store`."""
    return {s.name: cached_monte_carlo(s, draws, seed, posterior, store) for s in scenarios}


def intervals(frames: dict[str, pd.DataFrame], column: str) -> pd.DataFrame:
    """P5/P50/P95 of one column (an actor or realised_value_usd) for each scenario."""
    return pd.concat({name: quantiles(f, [column]).iloc[0] for name, f in frames.items()}, axis=1).T


def shift(frames: dict[str, pd.DataFrame], a: str, b: str, column: str = "junta") -> pd.Series:
    """The change in `column` from scenario a to b: P5/P50/P95 of the difference, draw by draw (the draws
    share G and the exchange rates)."""
    diff = frames[b][column].to_numpy() - frames[a][column].to_numpy()
    return pd.Series(np.quantile(diff, QUANTILE_LEVELS), index=list(REPORTED_QUANTILES))


def decompose_change(a: Scenario, b: Scenario, output: str = "junta", posterior: Posterior | None = None) -> pd.Series:
    """Shapley contributions of each DRIVER_GROUPS group to output(b) - output(a), at point estimates.

    The contributions add up to the total change. USD a year; index: group names.
    """
    groups = list(DRIVER_GROUPS)
    k = len(groups)
    pa, pb = model_inputs(a, central_values(a, posterior)), model_inputs(b, central_values(b, posterior))  # in dollars
    numeric = [g for g in groups if DRIVER_GROUPS[g] != ("recipients",)]
    modelled = [k for g in numeric for k in DRIVER_GROUPS[g]]

    # Evaluate the output for every subset of groups switched to b (2^k model runs, vectorised).
    subsets = [frozenset(c) for r in range(k + 1) for c in combinations(groups, r)]
    values: dict[frozenset, float] = {}
    for recipients_from_b in (False, True):
        chosen = [s for s in subsets if ("who receives levies and owns mines" in s) == recipients_from_b]
        params = {}
        for key in modelled:
            group = next(g for g in numeric if key in DRIVER_GROUPS[g])
            params[key] = np.array([pb[key] if group in s else pa[key] for s in chosen])
        tables = b.recipients if recipients_from_b else a.recipients
        out = arrays_to_frame(split(params, tables))[output].to_numpy()
        values.update(zip(chosen, out))

    contributions = {}
    for g in groups:
        total = 0.0
        for s in subsets:
            if g in s:
                continue
            weight = factorial(len(s)) * factorial(k - len(s) - 1) / factorial(k)
            total += weight * (values[s | {g}] - values[s])
        contributions[g] = total
    result = pd.Series(contributions)
    result.attrs.update(total=values[frozenset(groups)] - values[frozenset()], output=output)
    return result


def transitions(scenarios: list[Scenario], output: str = "junta", posterior: Posterior | None = None) -> pd.DataFrame:
    """Shapley drivers of `output` for each consecutive pair of (chronologically ordered) scenarios."""
    ordered = chronological(scenarios)
    rows = {f"{a.name} \u2192 {b.name}": decompose_change(a, b, output, posterior) for a, b in zip(ordered, ordered[1:])}
    return pd.DataFrame(rows).T


__all__ = ["DRIVER_GROUPS", "chronological", "decompose_change", "intervals", "point_flows", "shift",
           "simulate_all", "transitions"]
