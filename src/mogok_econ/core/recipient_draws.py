"""Recipients tables drawn around their stated shares (docs/model.md, "Who is paid, drawn"). No I/O.

A drawn table is a Dirichlet over the actors it names with a share above 0, centred on the stated shares m
with a concentration α (the Dirichlet's parameters are α·m): each share's mean is its stated share and
its variance m·(1-m)/(α+1). It is drawn by stick-breaking, which is exactly a Dirichlet: in the order of
ACTORS, v_k ~ Beta(α·m_k, α·(m_{k+1} + ... + m_K)) and share_k = v_k·(1 - share_1 - ... - share_{k-1}); the
last actor takes what is left, so every draw's shares add up to 1. The v_k are independent, which gives
the calibration's sequential Monte Carlo a normal score for each (analysis/smc.py) and the sensitivity
analysis a uniform input for each.

A draw's table travels with its other parameters, one array per actor under `share_key(table, actor)`
(and its concentration, where that is drawn too, under `concentration_key(table)`), so that resampling
the draws (the calibrated posterior) resamples the tables with them; `drawn_tables` puts them back in
the tables the split reads.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import special

from .vocabulary import ACTORS

_SHARE = "share:"
_CONCENTRATION = "concentration:"


def share_key(table: str, actor: str) -> str:
    """Where a draw keeps `actor`'s share of `table` among its parameters."""
    return f"{_SHARE}{table}:{actor}"


def concentration_key(table: str) -> str:
    """Where a draw keeps the concentration of `table`, when the concentration is drawn."""
    return f"{_CONCENTRATION}{table}"


def is_table_key(key: str) -> bool:
    """A drawn share or concentration, not a model parameter."""
    return key.startswith(_SHARE) or key.startswith(_CONCENTRATION)


def named(shares: Mapping[str, float]) -> list[str]:
    """The actors a table pays, in ACTORS order (the order of the stick-breaking): those with a share above 0."""
    return [a for a in ACTORS if float(shares.get(a, 0.0)) > 0.0]


#: The smallest Dirichlet parameter drawn: a share so small that α times it underflows is drawn as this.
_TINY = np.finfo(float).tiny


def stick_parameters(means: Sequence[float], alpha) -> list[tuple[np.ndarray, np.ndarray]]:
    """The Beta parameters (a_k, b_k) of the K-1 sticks of a Dirichlet with parameters α·means (the means
    taken over their sum, which is 1 within 1e-9; the rest summed from the end, so that a tiny last share
    keeps its size)."""
    m = np.asarray(means, dtype=float)
    m = m / m.sum()
    rest = np.cumsum(m[::-1])[::-1][1:]  # m_{k+1} + ... + m_K
    alpha = np.asarray(alpha, dtype=float)
    return [(np.maximum(alpha * m[k], _TINY), np.maximum(alpha * rest[k], _TINY)) for k in range(len(m) - 1)]


def _beta_quantile(a, b, u: np.ndarray) -> np.ndarray:
    """The Beta(a, b) quantile at u; where it is lost to underflow (both parameters tiny: two point masses,
    at 0 with probability about b/(a+b) and at 1), the two-point limit."""
    x = special.betaincinv(a, b, u)
    return np.where(np.isnan(x), (u > np.asarray(b) / (np.asarray(a) + np.asarray(b))).astype(float), x)


def shares_from_sticks(sticks: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The K shares from the K-1 sticks: each takes its part of what the earlier ones left; the last the rest."""
    left = np.ones_like(np.asarray(sticks[0], dtype=float))
    out = []
    for v in sticks:
        out.append(np.asarray(v, dtype=float) * left)
        left = left - out[-1]
    out.append(np.clip(1.0 - sum(out), 0.0, None))  # what is left: the shares add up to 1 to the last bit
    return out


def sticks_from_shares(shares: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The K-1 sticks that give `shares` (where nothing is left, any value does: 0.5)."""
    left = np.ones_like(np.asarray(shares[0], dtype=float))
    out = []
    for s in shares[:-1]:
        s = np.asarray(s, dtype=float)
        out.append(np.divide(s, left, out=np.full_like(left, 0.5), where=left > 1e-300).clip(0.0, 1.0))
        left = left - s
    return out


def draw_table(rng: np.random.Generator, means: Sequence[float], alpha, n: int) -> list[np.ndarray]:
    """`n` draws of a Dirichlet over the K actors with `means` (adding up to 1) and concentration `alpha`
    (a number or one per draw), by stick-breaking: K arrays of shares that add up to 1 in every draw."""
    sticks = [rng.beta(np.broadcast_to(a, (n,)), np.broadcast_to(b, (n,))) for a, b in stick_parameters(means, alpha)]
    return shares_from_sticks(sticks)


def table_from_uniforms(u: np.ndarray, means: Sequence[float], alpha) -> list[np.ndarray]:
    """The shares whose sticks are at the quantiles `u` (draws x K-1) of their Beta distributions: the
    table as a function of independent uniform numbers (the sensitivity analysis samples these)."""
    sticks = [_beta_quantile(a, b, u[:, k]) for k, (a, b) in enumerate(stick_parameters(means, alpha))]
    return shares_from_sticks(sticks)


def uniforms_from_table(shares: Sequence[np.ndarray], means: Sequence[float], alpha) -> np.ndarray:
    """The inverse of table_from_uniforms: each stick's quantile under its Beta distribution (draws x K-1)."""
    sticks = sticks_from_shares(shares)
    return np.column_stack([special.betainc(a, b, v) for v, (a, b) in zip(sticks, stick_parameters(means, alpha))])


def drawn_tables(recipients: Mapping[str, Mapping[str, float]], params: Mapping[str, object]
                 ) -> dict[str, dict[str, float | np.ndarray]]:
    """The recipients tables with each drawn table's shares from `params` (one array per actor) in place of
    the stated ones; tables not drawn as stated."""
    drawn: dict[str, dict[str, float | np.ndarray]] = {}
    for key, value in params.items():
        if key.startswith(_SHARE):
            table, actor = key[len(_SHARE):].split(":", 1)
            drawn.setdefault(table, {})[actor] = value
    return {**{t: dict(v) for t, v in recipients.items()}, **drawn}  # a drawn table replaces the stated one whole


def without_table_keys(params: Mapping[str, object]) -> dict:
    """`params` without the drawn shares and concentrations."""
    return {k: v for k, v in params.items() if not is_table_key(k)}


__all__ = ["concentration_key", "draw_table", "drawn_tables", "is_table_key", "named", "share_key",
           "shares_from_sticks", "stick_parameters", "sticks_from_shares", "table_from_uniforms",
           "uniforms_from_table", "without_table_keys"]
