"""The uncertainty of one parameter: a fixed value or a triangular, PERT or uniform distribution.

`transformed(fn)` applies a non-decreasing map (a lever's scale or shift) to every point of it.
Each knows its point estimate (the mode; uniform: the mid-point), its bounds, how to draw from it with
a numpy Generator (vectorised) and its quantile function (used by the Sobol analysis, which samples
the unit hypercube and maps it through each parameter's quantile function).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Fixed:
    value: float
    kind = "fixed"

    @property
    def point(self) -> float:
        return self.value

    @property
    def low(self) -> float:
        return self.value

    @property
    def high(self) -> float:
        return self.value

    @property
    def uncertain(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return np.full(np.shape(u), self.value)

    def describe(self) -> str:
        return f"{self.value:g}"

    def transformed(self, fn) -> "Fixed":
        return Fixed(float(fn(self.value)))


@dataclass(frozen=True)
class Triangular:
    low: float
    mode: float
    high: float
    kind = "triangular"

    @property
    def point(self) -> float:
        return self.mode

    @property
    def uncertain(self) -> bool:
        return self.high > self.low

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if not self.uncertain:
            return np.full(n, self.low)
        return rng.triangular(self.low, self.mode, self.high, n)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        a, c, b = self.low, self.mode, self.high
        if b == a:
            return np.full(u.shape, a)
        cut = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - c))
        return np.where(u < cut, left, right)

    def describe(self) -> str:
        return f"triangular({self.low:g}, {self.mode:g}, {self.high:g})"

    def transformed(self, fn) -> "Triangular":
        return Triangular(float(fn(self.low)), float(fn(self.mode)), float(fn(self.high)))


@dataclass(frozen=True)
class Pert:
    """The (modified-weight 4) PERT distribution: a Beta scaled to [low, high] with its mode at `mode`."""

    low: float
    mode: float
    high: float
    kind = "pert"

    @property
    def point(self) -> float:
        return self.mode

    @property
    def uncertain(self) -> bool:
        return self.high > self.low

    def _shape(self) -> tuple[float, float]:
        span = self.high - self.low
        return 1 + 4 * (self.mode - self.low) / span, 1 + 4 * (self.high - self.mode) / span

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if not self.uncertain:
            return np.full(n, self.low)
        alpha, beta = self._shape()
        return self.low + (self.high - self.low) * rng.beta(alpha, beta, n)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        if not self.uncertain:
            return np.full(u.shape, self.low)
        alpha, beta = self._shape()
        return self.low + (self.high - self.low) * stats.beta.ppf(u, alpha, beta)

    def describe(self) -> str:
        return f"PERT({self.low:g}, {self.mode:g}, {self.high:g})"

    def transformed(self, fn) -> "Pert":
        return Pert(float(fn(self.low)), float(fn(self.mode)), float(fn(self.high)))


@dataclass(frozen=True)
class Uniform:
    low: float
    high: float
    kind = "uniform"

    @property
    def point(self) -> float:
        return (self.low + self.high) / 2

    @property
    def uncertain(self) -> bool:
        return self.high > self.low

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        return self.low + np.asarray(u, dtype=float) * (self.high - self.low)

    def describe(self) -> str:
        return f"uniform({self.low:g}, {self.high:g})"

    def transformed(self, fn) -> "Uniform":
        return Uniform(float(fn(self.low)), float(fn(self.high)))


Distribution = Fixed | Triangular | Pert | Uniform
