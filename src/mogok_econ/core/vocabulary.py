"""The model's vocabulary, defined once: actors, parameters, channels and the parts of value not realised,
each with the label, unit and description that readers see (like PolicyEngine's parameter metadata).

Everything that validates, computes, words or draws reads these tables: adding a parameter or an actor
starts here and in docs/model.md. No I/O.
"""
from __future__ import annotations

from dataclasses import dataclass

INF = float("inf")


@dataclass(frozen=True)
class Actor:
    """One actor who keeps money: its label and the phrase that starts a sentence about its take."""

    label: str
    keeps: str


ACTOR_INFO: dict[str, Actor] = {
    "junta": Actor("Junta", "The junta keeps"),
    "armed_groups": Actor("Armed groups", "The armed groups keep"),
    "miners": Actor("Miners", "Miners keep"),
    "mine_owners": Actor("Mine owners", "Mine owners keep"),
    "traders": Actor("Traders", "Traders keep"),
}
ACTORS: tuple[str, ...] = tuple(ACTOR_INFO)
ACTOR_LABELS: dict[str, str] = {key: actor.label for key, actor in ACTOR_INFO.items()}


@dataclass(frozen=True)
class ParameterSpec:
    """One model parameter: symbol in docs/model.md, allowed range, unit, label and meaning."""

    symbol: str
    low: float
    high: float
    unit: str
    label: str
    meaning: str
    required: bool = True
    low_inclusive: bool = True

    def allowed(self) -> str:
        """The allowed range in words, for error messages."""
        left = "[" if self.low_inclusive else "("
        high = "infinity)" if self.high == INF else f"{self.high:g}]"
        return f"a number in {left}{self.low:g}, {high}"

    def contains(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and value <= self.high

    @property
    def axis_label(self) -> str:
        """The label with its symbol, as charts show it: 'Trader margin (m)'."""
        return f"{self.label} ({self.symbol})"


PARAMETERS: dict[str, ParameterSpec] = {
    "gross_value_usd": ParameterSpec(
        "G", 0.0, INF, "USD per year", "Gross value of output",
        "value of a year's rough output at undisrupted production and normal prices", low_inclusive=False),
    "production_factor": ParameterSpec("p", 0.0, 1.0, "share", "Share of normal output mined",
                                       "share of normal output actually mined"),
    "market_access": ParameterSpec("a", 0.0, 1.0, "share", "Share reaching buyers",
                                   "share of what is mined that reaches buyers within the year"),
    "price_factor": ParameterSpec("q", 0.0, 10.0, "ratio", "Price relative to normal",
                                  "realised price relative to normal"),
    "formal_share": ParameterSpec("f", 0.0, 1.0, "share", "Share sold formally",
                                  "share of sales through the taxed, licensed channel"),
    "state_tax_rate": ParameterSpec("t", 0.0, 1.0, "rate on sales", "State tax rate",
                                    "taxes, royalties and fees on formal sales"),
    "extortion_rate": ParameterSpec("x", 0.0, 1.0, "rate on sales", "Extortion rate",
                                    "bribes, seizures and informal taxes on informal sales"),
    "checkpoint_rate": ParameterSpec("c", 0.0, 1.0, "rate on sales", "Checkpoint levy rate",
                                     "levies on stones carried along the routes, on all sales"),
    "trader_margin": ParameterSpec("m", 0.0, 1.0, "rate on sales", "Trader margin",
                                   "brokers' and dealers' margin on all sales"),
    "labour_share": ParameterSpec("w", 0.0, 1.0, "share", "Miners' share of remainder",
                                  "share of the mine-gate remainder paid to miners"),
    "miner_count": ParameterSpec("n", 0.0, INF, "people", "Number of miners",
                                 "people mining in the scenario (for income per miner)",
                                 required=False, low_inclusive=False),
}

#: The rates levied on sales value before the mine-gate remainder.
LEVIES: tuple[str, ...] = ("state_tax_rate", "extortion_rate", "checkpoint_rate", "trader_margin")

#: Each recipients table, the actors allowed in it, and how readers see it.
RECIPIENT_TABLES: dict[str, tuple[str, ...]] = {
    "state_tax_to": ACTORS,
    "extortion_to": ACTORS,
    "checkpoint_to": ACTORS,
    "owner_stakes": ("junta", "armed_groups", "mine_owners"),
}
RECIPIENT_TABLE_LABELS: dict[str, str] = {
    "state_tax_to": "Taxes and fees on formal sales",
    "extortion_to": "Extortion on informal sales",
    "checkpoint_to": "Checkpoint levies",
    "owner_stakes": "Ownership of the mines",
}

#: Tolerance for a recipients table summing to one.
SHARE_TOLERANCE = 1e-9

#: The channels through which money reaches an actor, in the order of the flow equation, as readers
#: see them in a sentence ("the junta's take comes through ...").
CHANNEL_WORDS: dict[str, str] = {
    "state_tax": "taxes and fees on formal sales",
    "extortion": "extortion on informal sales",
    "checkpoints": "checkpoint levies",
    "trader_margin": "trading margins",
    "wages": "wages",
    "owner_stakes": "stakes in mines",
}
CHANNELS: tuple[str, ...] = tuple(CHANNEL_WORDS)

#: The parts of gross value that are not realised, in the order of the model's Stage 1, as charts label them.
UNREALISED_LABELS: dict[str, str] = {
    "production_shortfall": "Not mined (production shortfall)",
    "stockpiled": "Mined but not sold (stockpiled)",
    "price_effect": "Lost to lower prices",
}
UNREALISED_PARTS: tuple[str, ...] = tuple(UNREALISED_LABELS)
