"""Run settings used everywhere unless a caller or a report parameter says otherwise, defined once."""
from __future__ import annotations

#: The seed of every Monte Carlo run: the same seed gives the same numbers.
DEFAULT_SEED = 20241124

#: Monte Carlo draws per scenario in the reports and the command line.
DEFAULT_DRAWS = 100_000

#: SALib's base sample size N for the Sobol indices in the reports (a power of two).
DEFAULT_SOBOL_SAMPLES = 4096

#: Quantiles reported everywhere: a 90% interval and the median.
REPORTED_QUANTILES: dict[str, float] = {"p5": 0.05, "p50": 0.50, "p95": 0.95}
QUANTILE_LEVELS: list[float] = list(REPORTED_QUANTILES.values())
