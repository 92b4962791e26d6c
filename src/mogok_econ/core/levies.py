"""The one check that levies can never leave a negative mine-gate value M (docs/model.md, Stage 2)."""
from __future__ import annotations

from collections.abc import Mapping

from .vocabulary import LEVIES

Bounds = Mapping[str, tuple[float, float]]


def worst_case_levies(bounds: Bounds, exchange_rate_levy: float = 0.0) -> float:
    """The largest share of sales the levies can take, f·(t + X) + (1-f)·x + c + m, over the parameters'
    ranges (`bounds`: parameter -> (low, high)); `exchange_rate_levy` is the largest rate X of the
    forced conversion on formal sales. Linear in f, so f's two ends suffice."""
    t, x = bounds["state_tax_rate"][1], bounds["extortion_rate"][1]
    rest = bounds["checkpoint_rate"][1] + bounds["trader_margin"][1]
    return max(f * (t + exchange_rate_levy) + (1 - f) * x for f in bounds["formal_share"]) + rest


def levy_ranges(bounds: Bounds) -> dict[str, list[float]]:
    """The ranges that the worst case depends on, for an error message."""
    return {k: list(bounds[k]) for k in ("formal_share", *LEVIES)}
