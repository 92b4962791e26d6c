"""Every speed measurement of mogok-econ, in one run, as ratios against baselines measured in the same run.

1. Report builds: the plain sequential papermill-then-nbconvert(-then-PDF) of every report, one after
   the other with no cache (baseline), against `mogok-econ render`'s cold build (parallel workers, the
   shared Monte Carlo cache starting empty) and its warm build with nothing changed.
2. Monte Carlo at 10^6 draws for every scenario, against a per-draw Python loop of the same model.
3. Sobol analysis (SALib, N = 4096) for every scenario, against evaluating the same sample one row at a
   time in Python.

Nothing is written to reports/ (builds go to a temporary folder). Usage:
    python benchmarks/run.py [--jobs N] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from monte_carlo import loop_monte_carlo

from mogok_econ import available_scenarios, load_scenario, monte_carlo
from mogok_econ.analysis.sensitivity import sobol
from mogok_econ.reports.build import build, render_one
from mogok_econ.reports.catalogue import plan


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def bench_builds(workers: int) -> dict:
    jobs = plan()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # Baseline: sequential papermill -> nbconvert -> PDF, no Monte Carlo cache.
        os.environ["MOGOK_ECON_NO_CACHE"] = "1"
        staging = tmp / "baseline"
        (staging / "notebooks").mkdir(parents=True)
        provenance = {"version": "benchmark", "data_current_to": "benchmark", "built": None}
        start = time.perf_counter()
        for job in jobs:
            result = render_one(job, staging, provenance, 600)
            assert result["ok"], result
        baseline = time.perf_counter() - start
        del os.environ["MOGOK_ECON_NO_CACHE"]
        # The project's build: cold (empty cache, nothing built), then warm (nothing changed).
        os.environ["MOGOK_ECON_CACHE"] = str(tmp / "cache")
        cold, summary = timed(build, jobs, workers=workers, reports=tmp / "reports")
        assert len(summary.built) == len(jobs)
        warm, summary = timed(build, jobs, workers=workers, reports=tmp / "reports")
        assert summary.built == [] and len(summary.skipped) == len(jobs)
        del os.environ["MOGOK_ECON_CACHE"]
    return {"reports": len(jobs), "workers": workers, "baseline_sequential_s": baseline, "cold_build_s": cold,
            "warm_no_change_build_s": warm, "cold_speed_up": baseline / cold, "warm_speed_up": baseline / warm}


def bench_monte_carlo(draws: int = 1_000_000, loop_draws: int = 50_000) -> dict:
    rows = {}
    for name in available_scenarios():
        s = load_scenario(name)
        monte_carlo(s, 1000, seed=0)
        vec, _ = timed(monte_carlo, s, draws, 1)
        loop, _ = timed(loop_monte_carlo, s, loop_draws, 1)
        rows[name] = {"vectorised_s": vec, "loop_s_per_draw": loop / loop_draws}
    vec_total = sum(r["vectorised_s"] for r in rows.values())
    loop_total = sum(r["loop_s_per_draw"] for r in rows.values()) * draws
    return {"draws_per_scenario": draws, "scenarios": len(rows), "vectorised_total_s": vec_total,
            "loop_total_s_extrapolated": loop_total, "speed_up": loop_total / vec_total,
            "vectorised_draws_per_s": draws * len(rows) / vec_total, "per_scenario": rows}


def bench_sobol(base_samples: int = 4096, loop_rows: int = 3000) -> dict:
    from SALib.sample import sobol as sobol_sample

    from mogok_econ.core.split import split

    rows = {}
    for name in available_scenarios():
        s = load_scenario(name)
        vec, indices = timed(sobol, s, "junta", base_samples=base_samples, seed=1)
        names = [k for k in s.uncertain_parameters() if k != "miner_count"]
        problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
        unit = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=1)[:loop_rows]
        point = s.point_values()
        start = time.perf_counter()
        for row in unit:  # the same model runs, one sample at a time
            values = {**point, **{k: float(s.parameters[k].distribution.ppf(row[i:i + 1])[0])
                                  for i, k in enumerate(names)}}
            split(values, s.recipients)
        per_run = (time.perf_counter() - start) / len(unit)
        runs = indices.attrs.get("model_runs", 0)
        rows[name] = {"vectorised_s": vec, "model_runs": runs, "loop_s_extrapolated": per_run * runs}
    vec_total = sum(r["vectorised_s"] for r in rows.values())
    loop_total = sum(r["loop_s_extrapolated"] for r in rows.values())
    return {"base_samples": base_samples, "vectorised_total_s": vec_total, "loop_total_s_extrapolated": loop_total,
            "speed_up": loop_total / vec_total, "per_scenario": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--skip-builds", action="store_true", help="only the Monte Carlo and Sobol benchmarks")
    args = parser.parse_args()
    results = {"cores": os.cpu_count()}
    if not args.skip_builds:
        print("Report builds (baseline: sequential papermill -> nbconvert -> PDF, no cache)...", flush=True)
        results["builds"] = b = bench_builds(args.jobs)
        print(f"  baseline {b['baseline_sequential_s']:.1f} s; cold build {b['cold_build_s']:.1f} s "
              f"({b['cold_speed_up']:.2f}x); warm no-change build {b['warm_no_change_build_s']:.2f} s "
              f"({b['warm_speed_up']:.0f}x); {b['reports']} reports, {b['workers']} workers")
    print("Monte Carlo, 10^6 draws per scenario...", flush=True)
    results["monte_carlo"] = m = bench_monte_carlo()
    print(f"  vectorised {m['vectorised_total_s']:.2f} s for {m['scenarios']} scenarios "
          f"({m['vectorised_draws_per_s']:,.0f} draws/s); per-draw loop {m['loop_total_s_extrapolated']:.0f} s "
          f"(extrapolated); {m['speed_up']:.0f}x")
    print("Sobol indices (SALib, N = 4096), every scenario...", flush=True)
    results["sobol"] = s = bench_sobol()
    print(f"  vectorised {s['vectorised_total_s']:.2f} s; row-by-row {s['loop_total_s_extrapolated']:.0f} s "
          f"(extrapolated); {s['speed_up']:.0f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
