"""Every speed measurement of mogok-econ, in one run, as ratios against baselines measured in the same run.

1. Report builds: the plain sequential papermill-then-nbconvert-then-PDF of every report, one after the
   other, each in a kernel of its own, with no cache (baseline), against `mogok-econ render`'s cold build
   (parallel workers each reusing one kernel, the shared Monte Carlo cache starting empty; its files
   checked to be the same bytes as the baseline's), its warm build with nothing changed, and its
   rebuild after one scenario is edited (two scenarios, one after the other).
2. Monte Carlo at 10^6 draws for every scenario, against a per-draw Python loop of the same model.
3. Sobol analysis (SALib, N = 4096) for every scenario, against evaluating the same sample one row at a
   time in Python.

Nothing is written to reports/ (builds go to a temporary folder). Usage:
    python benchmarks/run.py [--jobs N] [--json FILE] [--only-builds | --skip-builds]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import yaml
from monte_carlo import loop_monte_carlo

from mogok_econ import available_scenarios, load_scenario, monte_carlo, paths
from mogok_econ.analysis.sensitivity import sobol
from mogok_econ.environment import store_from_environment
from mogok_econ.inputs.world import load_world
from mogok_econ.reports.build import build, input_hash, outputs, provenance, render_one
from mogok_econ.reports.catalogue import plan


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of every child process it has waited for, with theirs
    (workers, kernels): the work done, whatever else runs on the machine, which wall time is not."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: The scenarios edited in the incremental benchmark: one that only its own report and the comparison read,
#: and one of the timeline (its report, the comparison and the timeline report). Neither is extended by
#: another scenario nor the current one (the policy report's).
EDITED = ("equitable_governance", "tnla_handover")


def _edit_scenario(data: Path, name: str) -> None:
    """Move the mode of the scenario's own production_factor by 0.01: a real change of the numbers (the
    Monte Carlo cache misses), as an economist revising an estimate would make."""
    path = data / "scenarios" / f"{name}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["parameters"]["production_factor"]["mode"] = round(doc["parameters"]["production_factor"]["mode"] + 0.01, 4)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _differences(jobs, first: Path, second: Path) -> list[str]:
    return [rel for job in jobs for rel in outputs(job.name) if (first / rel).read_bytes() != (second / rel).read_bytes()]


def bench_builds(workers: int) -> dict:
    """Baseline: each report in turn, papermill (a kernel of its own) -> nbconvert HTML -> WeasyPrint PDF,
    no Monte Carlo cache. Against it, in the same run: `build` cold (empty cache, nothing built), warm with
    nothing changed, and after editing one scenario. The cold build's files must be the same bytes as the
    baseline's (a reused kernel must not change a report). A copy of data/ is used, so the edits touch
    nothing of the checkout's."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copytree(paths.SHIPPED_DATA, tmp / "data")
        saved = {k: os.environ.get(k) for k in (paths.CACHE_ENV, "MOGOK_ECON_NO_CACHE", "SOURCE_DATE_EPOCH")}

        def world():  # the copy, as it is now (a World is loaded once: load it again after an edit), its results
            return load_world(tmp / "data", store_from_environment())  # kept where the kernels keep theirs
        try:
            jobs = plan(world=world())
            os.environ["MOGOK_ECON_NO_CACHE"] = "1"
            staging = tmp / "baseline"
            (staging / "notebooks").mkdir(parents=True)
            made = provenance(world())
            start, cpu = time.perf_counter(), cpu_seconds()
            for job in jobs:
                result = render_one(job, staging, made, 600, input_hash(job))
                assert result["ok"], result
            baseline, baseline_cpu = time.perf_counter() - start, cpu_seconds() - cpu
            del os.environ["MOGOK_ECON_NO_CACHE"]
            # render_one sets SOURCE_DATE_EPOCH in its (worker) process for the PDF's font dates; here it ran in
            # this process, where `build` would then read it as a packager's date and print it: undo.
            if saved["SOURCE_DATE_EPOCH"] is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            os.environ[paths.CACHE_ENV] = str(tmp / "cache")
            cpu = cpu_seconds()
            cold, summary = timed(build, jobs, workers=workers, reports=tmp / "reports", world=world())
            cold_cpu = cpu_seconds() - cpu
            assert len(summary.built) == len(jobs)
            differ = _differences(jobs, staging, tmp / "reports")
            assert not differ, f"the build's reports differ from the sequential loop's: {differ}"
            warm, summary = timed(build, jobs, workers=workers, reports=tmp / "reports", world=world())
            assert summary.built == [] and len(summary.skipped) == len(jobs)
            edits = {}
            for name in EDITED:
                _edit_scenario(tmp / "data", name)
                seconds, summary = timed(lambda: build(plan(world=world()), workers=workers, reports=tmp / "reports",
                                                       world=world()))
                edits[name] = {"seconds": seconds, "rebuilt": summary.built, "speed_up": baseline / seconds}
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    return {"reports": len(jobs), "workers": workers, "baseline_sequential_s": baseline, "cold_build_s": cold,
            "baseline_cpu_s": baseline_cpu, "cold_build_cpu_s": cold_cpu, "cold_cpu_ratio": baseline_cpu / cold_cpu,
            "warm_no_change_build_s": warm, "cold_speed_up": baseline / cold, "warm_speed_up": baseline / warm,
            "cold_build_identical_to_baseline": True, "edited_scenario": edits}


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
    parser.add_argument("--only-builds", action="store_true", help="only the report builds")
    args = parser.parse_args()
    results = {"cores": os.cpu_count()}
    if not args.skip_builds:
        print("Report builds (baseline: sequential papermill -> nbconvert -> PDF, no cache)...", flush=True)
        results["builds"] = b = bench_builds(args.jobs)
        print(f"  baseline {b['baseline_sequential_s']:.1f} s; cold build {b['cold_build_s']:.1f} s "
              f"({b['cold_speed_up']:.2f}x, the same bytes); warm no-change build {b['warm_no_change_build_s']:.2f} s "
              f"({b['warm_speed_up']:.0f}x); {b['reports']} reports, {b['workers']} workers")
        print(f"  CPU time (all processes): baseline {b['baseline_cpu_s']:.0f} s, cold build {b['cold_build_cpu_s']:.0f} s "
              f"({b['cold_cpu_ratio']:.2f}x less work; on N free cores the wall-time ratio is at most N times this)")
        for name, e in b["edited_scenario"].items():
            print(f"  {name} edited: {e['seconds']:.1f} s ({e['speed_up']:.1f}x), rebuilt {', '.join(e['rebuilt'])}")
    if args.only_builds:
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return
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
