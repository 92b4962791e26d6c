"""How a sanctions lever moves the model's parameters, from named mechanism parameters (docs/model.md,
"Lever mechanisms"), and how the junta recovers part of a loss through its other levies. Pure functions
of numbers or arrays of draws: no I/O.

The origin-discount mechanism. A share `s` of Mogok's value is bought for markets that sanction Myanmar's
gems (US, UK, EU, Switzerland, Canada, Australia), most of it laundered through Thailand, India or Hong
Kong with its origin undisclosed. A lever raises the chance `q` that a laundered stone is caught and
refused there. A refused stone is sold instead to a buyer outside those markets at a discount `d`, and
a share `t` of that discount is passed back to the mine gate (the first sale inside Myanmar, where the
model's price lives; with few buyers, most of it). Then

    price_factor  is multiplied by  1 - s·q·d·t
    formal_share  is multiplied by  1 - s·q

The second line: a stone with the sanctioned enterprise's paperwork is the easiest to trace, so the
sellers whose stones are meant for sanctioning markets leave the taxed channel in the same proportion
as enforcement would catch them. Both factors fall as any of s, q, d, t rises, so their ranges follow
from the parameters' ranges by taking every end together.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .distributions import Distribution
from .vocabulary import ACTORS


@dataclass(frozen=True)
class MechanismKind:
    """The parameters a kind of mechanism reads: `lever` ones each lever file gives (what the lever does),
    `market` ones the data folder gives once for every lever (properties of the trade, drawn once per
    draw and shared, so that options are compared on the same market); and the model parameters it moves."""

    lever: tuple[str, ...]
    market: tuple[str, ...]
    moves: tuple[str, ...]


MECHANISM_KINDS: dict[str, MechanismKind] = {
    "origin_discount": MechanismKind(lever=("laundering_caught",),
                                     market=("sanctioning_market_share", "origin_discount", "discount_pass_through"),
                                     moves=("price_factor", "formal_share")),
}


def origin_discount_factors(sanctioning_market_share, laundering_caught, origin_discount, discount_pass_through):
    """The factors the origin-discount mechanism multiplies price_factor and formal_share by (numbers or
    arrays of draws)."""
    caught = np.asarray(sanctioning_market_share, dtype=float) * np.asarray(laundering_caught, dtype=float)
    return {"price_factor": 1 - caught * origin_discount * discount_pass_through, "formal_share": 1 - caught}


_FACTORS: dict[str, Callable[..., dict]] = {"origin_discount": origin_discount_factors}


@dataclass(frozen=True)
class Mechanism:
    """A lever's mechanism: its kind, each named parameter's distribution (the lever's and the market's),
    and which of the kind's model parameters the lever moves (`moves`)."""

    kind: str
    parameters: Mapping[str, Distribution]
    moves: tuple[str, ...]

    def factors(self, values: Mapping[str, float | np.ndarray]) -> dict[str, float | np.ndarray]:
        """The multiplying factor of each moved parameter, for given mechanism parameter values."""
        kind = MECHANISM_KINDS[self.kind]
        out = _FACTORS[self.kind](**{n: values[n] for n in (*kind.lever, *kind.market)})
        return {p: out[p] for p in self.moves}

    def point_factors(self) -> dict[str, float]:
        """The factors at each mechanism parameter's point estimate (its mode)."""
        return {p: float(v) for p, v in self.factors({n: d.point for n, d in self.parameters.items()}).items()}

    def drawn_factors(self, rng_for: Callable[[str], np.random.Generator], draws: int) -> dict[str, np.ndarray]:
        """The factors per draw, each mechanism parameter drawn from its own stream (`rng_for(name)`: the caller
        gives market parameters a stream every lever shares), so that every moved parameter in a draw is
        computed from the same values."""
        values = {n: d.sample(rng_for(n), draws) if d.uncertain else np.full(draws, d.point)
                  for n, d in self.parameters.items()}
        return {p: np.asarray(v, dtype=float) for p, v in self.factors(values).items()}

    def bounds(self, parameter: str) -> tuple[float, float]:
        """The range of one factor: every factor falls as each mechanism parameter rises (all in [0, 1])."""
        high = self.factors({n: d.low for n, d in self.parameters.items()})[parameter]
        low = self.factors({n: d.high for n, d in self.parameters.items()})[parameter]
        return float(low), float(high)


@dataclass(frozen=True)
class MechanismFactor:
    """The value of a change a mechanism derives (a factor to `scale` by): it has the point and the range of
    a distribution, but its draws come from the mechanism, jointly with the lever's other derived changes."""

    mechanism: Mechanism
    parameter: str

    @property
    def point(self) -> float:
        return self.mechanism.point_factors()[self.parameter]

    @property
    def low(self) -> float:
        return self.mechanism.bounds(self.parameter)[0]

    @property
    def high(self) -> float:
        return self.mechanism.bounds(self.parameter)[1]

    @property
    def uncertain(self) -> bool:
        return self.high > self.low

    def describe(self) -> str:
        return f"{self.point:.3g} ({self.low:.3g}-{self.high:.3g}, from the {self.mechanism.kind} mechanism)"


def recover_through_other_levies(base_junta: np.ndarray, flows: np.ndarray, pit_flows: np.ndarray, junta: int,
                                 share: float | np.ndarray) -> np.ndarray:
    """The flows (draws, actors) after the junta recovers `share` of what it lost against `base_junta` by
    raising its other levies on sales (extortion, checkpoints). A levy on sales lowers the mine-gate value,
    so the recovered amount is taken from the other actors paid out of it (`pit_flows`; not the suppliers,
    whose pay is what the inputs cost), in proportion to what each is paid there, and never more than they
    are paid. Draws where the junta did not lose are
    left alone. A transfer: the flows still add up to the same total."""
    flows = np.array(flows, dtype=float)
    loss = np.maximum(np.asarray(base_junta, dtype=float) - flows[:, junta], 0.0)
    payers = np.maximum(np.array(pit_flows, dtype=float), 0.0)
    payers[:, junta] = 0.0
    payers[:, ACTORS.index("suppliers")] = 0.0  # what inputs cost is paid whatever the levies: no rent to take
    total = payers.sum(axis=1)
    recovered = np.minimum(np.asarray(share, dtype=float) * loss, total)
    weights = np.divide(payers, total[:, None], out=np.zeros_like(payers), where=total[:, None] > 0)
    flows -= weights * recovered[:, None]
    flows[:, junta] += recovered
    return flows


__all__ = ["MECHANISM_KINDS", "Mechanism", "MechanismFactor", "MechanismKind", "origin_discount_factors",
           "recover_through_other_levies"]
