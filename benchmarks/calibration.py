"""Time and memory of the calibration (issue 10's goal: every scenario's observables with 10^6 prior
draws in at most 5 s on two cores), and of the posterior draws the reports take.

Usage: python benchmarks/calibration.py [OBSERVABLES_FILE]   (default: the data folder's observables)
"""
from __future__ import annotations

import sys
import time
import tracemalloc

from mogok_econ.analysis.calibration import calibrate


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else None
    for draws in (100_000, 1_000_000):
        started = time.perf_counter()
        calib = calibrate(draws=draws, seed=1, path=path)
        fitted = time.perf_counter() - started
        calib.to_dict()
        summarised = time.perf_counter() - started
        calib.calibrated_draws("junta_informal", 100_000, 1)
        total = time.perf_counter() - started
        print(f"{draws:>9,} prior draws: {calib.method}, ESS {calib.ess:,.0f}, k-hat {calib.khat}; calibrate {fitted:.1f} s, "
              f"with the tables {summarised:.1f} s, with 100,000 calibrated draws of junta_informal {total:.1f} s")
    tracemalloc.start()
    calibrate(draws=100_000, seed=1, path=path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"calibrate: {peak / 100_000:,.0f} bytes a draw (peak, tracemalloc)")


if __name__ == "__main__":
    main()
