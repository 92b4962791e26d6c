"""The model's vocabulary, defined once: actors, parameters with their allowed ranges, recipients tables.

Everything that validates or computes reads these tables, so adding a parameter or an actor starts here
(and in ../shared/MODEL.md, which this mirrors).
"""
from __future__ import annotations

from dataclasses import dataclass

ACTORS: tuple[str, ...] = ("junta", "armed_groups", "miners", "mine_owners", "traders")

ACTOR_LABELS: dict[str, str] = {
    "junta": "Junta",
    "armed_groups": "Armed groups",
    "miners": "Miners",
    "mine_owners": "Mine owners",
    "traders": "Traders",
}


@dataclass(frozen=True)
class ParameterSpec:
    """One model parameter: its symbol in MODEL.md, the range allowed, its unit and meaning."""

    symbol: str
    low: float
    high: float
    unit: str
    meaning: str
    required: bool = True
    low_inclusive: bool = True

    def allowed(self) -> str:
        """The allowed range in words, for error messages."""
        left = "[" if self.low_inclusive else "("
        high = "infinity)" if self.high == float("inf") else f"{self.high:g}]"
        return f"a number in {left}{self.low:g}, {high}"

    def contains(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and value <= self.high


INF = float("inf")

PARAMETERS: dict[str, ParameterSpec] = {
    "gross_value_usd": ParameterSpec("G", 0.0, INF, "USD per year",
                                     "value of a year's rough output at undisrupted production and normal prices",
                                     low_inclusive=False),
    "production_factor": ParameterSpec("p", 0.0, 1.0, "share", "share of normal output actually mined"),
    "market_access": ParameterSpec("a", 0.0, 1.0, "share", "share of what is mined that reaches buyers within the year"),
    "price_factor": ParameterSpec("q", 0.0, 10.0, "ratio", "realised price relative to normal"),
    "formal_share": ParameterSpec("f", 0.0, 1.0, "share", "share of sales through the taxed, licensed channel"),
    "state_tax_rate": ParameterSpec("t", 0.0, 1.0, "rate on sales", "taxes, royalties and fees on formal sales"),
    "extortion_rate": ParameterSpec("x", 0.0, 1.0, "rate on sales", "bribes, seizures and informal taxes on informal sales"),
    "checkpoint_rate": ParameterSpec("c", 0.0, 1.0, "rate on sales", "levies on stones carried along the routes, on all sales"),
    "trader_margin": ParameterSpec("m", 0.0, 1.0, "rate on sales", "brokers' and dealers' margin on all sales"),
    "labour_share": ParameterSpec("w", 0.0, 1.0, "share", "share of the mine-gate remainder paid to miners"),
    "miner_count": ParameterSpec("n", 0.0, INF, "people", "people mining in the scenario (for income per miner)",
                                 required=False, low_inclusive=False),
}

#: The rates levied on sales value before the mine-gate remainder.
LEVIES: tuple[str, ...] = ("state_tax_rate", "extortion_rate", "checkpoint_rate", "trader_margin")

#: Each recipients table and the actors allowed in it.
RECIPIENT_TABLES: dict[str, tuple[str, ...]] = {
    "state_tax_to": ACTORS,
    "extortion_to": ACTORS,
    "checkpoint_to": ACTORS,
    "owner_stakes": ("junta", "armed_groups", "mine_owners"),
}

#: Tolerance for a recipients table summing to one (MODEL.md).
SHARE_TOLERANCE = 1e-9

#: The parts of gross value that are not realised, in the order MODEL.md lists them.
UNREALISED_PARTS: tuple[str, ...] = ("production_shortfall", "stockpiled", "price_effect")

#: Quantiles reported everywhere: a 90% interval and the median.
REPORTED_QUANTILES: dict[str, float] = {"p5": 0.05, "p50": 0.50, "p95": 0.95}

DEFAULT_SEED = 20241124
DEFAULT_DRAWS = 100_000
