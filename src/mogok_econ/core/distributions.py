"""The uncertainty of one parameter (docs/model.md, "Uncertainty"): a fixed value or a triangular, PERT or uniform distribution.

Each knows its point estimate (the mode; uniform: the mid-point), its bounds, how to draw from it with
a numpy Generator (vectorised) and its quantile function (used by the Sobol analysis, which samples
the unit hypercube and maps it through each parameter's quantile function).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special


@dataclass(frozen=True)
class Fixed:
    value: float

    @property
    def point(self) -> float:
        return self.value

    @property
    def low(self) -> float:
        return self.value

    @property
    def high(self) -> float:
        return self.value

    uncertain = False

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=float) >= self.value).astype(float)

    def describe(self) -> str:
        return f"{self.value:g}"


class _Ranged:
    """Shared behaviour of the distributions on [low, high]: degenerate (a point) when low == high."""

    low: float
    high: float

    @property
    def uncertain(self) -> bool:
        return self.high > self.low

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self._draw(rng, n) if self.uncertain else np.full(n, self.low)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        return self._quantile(u) if self.uncertain else np.full(u.shape, self.low)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """The distribution function (the calibration maps draws to normal scores with it)."""
        x = np.asarray(x, dtype=float)
        if not self.uncertain:
            return (x >= self.low).astype(float)
        return np.clip(self._cdf(np.clip(x, self.low, self.high)), 0.0, 1.0)


@dataclass(frozen=True)
class Triangular(_Ranged):
    low: float
    mode: float
    high: float

    @property
    def point(self) -> float:
        return self.mode

    def _draw(self, rng, n):
        return rng.triangular(self.low, self.mode, self.high, n)

    def _quantile(self, u):
        a, c, b = self.low, self.mode, self.high
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < (c - a) / (b - a), left, right)

    def _cdf(self, x):
        a, c, b = self.low, self.mode, self.high
        with np.errstate(divide="ignore", invalid="ignore"):
            left = np.where(c > a, (x - a) ** 2 / ((b - a) * (c - a)), 0.0)
            right = np.where(b > c, 1 - (b - x) ** 2 / ((b - a) * (b - c)), 1.0)
        return np.where(x <= c, left, right)

    def describe(self) -> str:
        return f"triangular({self.low:g}, {self.mode:g}, {self.high:g})"


@dataclass(frozen=True)
class Pert(_Ranged):
    """The (modified-weight 4) PERT distribution: a Beta scaled to [low, high] with its mode at `mode`."""

    low: float
    mode: float
    high: float

    @property
    def point(self) -> float:
        return self.mode

    def _shape(self) -> tuple[float, float]:
        span = self.high - self.low
        return 1 + 4 * (self.mode - self.low) / span, 1 + 4 * (self.high - self.mode) / span

    def _draw(self, rng, n):
        return self.low + (self.high - self.low) * rng.beta(*self._shape(), n)

    def _quantile(self, u):
        return self.low + (self.high - self.low) * special.betaincinv(*self._shape(), u)

    def _cdf(self, x):
        return special.betainc(*self._shape(), (x - self.low) / (self.high - self.low))

    def describe(self) -> str:
        return f"PERT({self.low:g}, {self.mode:g}, {self.high:g})"


@dataclass(frozen=True)
class Uniform(_Ranged):
    low: float
    high: float

    @property
    def point(self) -> float:
        return (self.low + self.high) / 2

    def _draw(self, rng, n):
        return rng.uniform(self.low, self.high, n)

    def _quantile(self, u):
        return self.low + u * (self.high - self.low)

    def _cdf(self, x):
        return (x - self.low) / (self.high - self.low)

    def describe(self) -> str:
        return f"uniform({self.low:g}, {self.high:g})"


Distribution = Fixed | Triangular | Pert | Uniform
