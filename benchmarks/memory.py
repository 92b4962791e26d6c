"""Peak memory per Monte Carlo draw of each command and report (tracemalloc, numpy's allocations
included): the numbers behind src/mogok_econ/limits.py's BYTES_PER_DRAW.

Usage: python benchmarks/memory.py
"""
from __future__ import annotations

import tracemalloc

import mogok_econ as me
from mogok_econ.analysis.counterfactual import counterfactual
from mogok_econ.analysis.lever_effects import effects
from mogok_econ.analysis.monthly_flows import timeline_results
from mogok_econ.cli import split_report
from mogok_econ.inputs.levers import applicable, load_levers
from mogok_econ.inputs.world import load_world
from mogok_econ.results import bundles
from mogok_econ.store import Store

DRAWS, TIMELINE_DRAWS = 100_000, 20_000


def bytes_per_draw(run, draws: int) -> float:
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / draws


def main() -> None:
    world = load_world(None, Store.nothing())  # a store that keeps nothing: the computation, never a cache hit
    for name in ("junta_informal", "junta_licensed", "tnla_control", "contested", "junta_reopened"):
        scenario = me.load_scenario(name)
        print(f"split {name}: {bytes_per_draw(lambda s=scenario: split_report(s, DRAWS, 1), DRAWS):,.0f}")
    current = me.load_scenario("junta_reopened")
    usable, _ = applicable(current, load_levers())
    print(f"levers: {bytes_per_draw(lambda: effects(current, usable, draws=DRAWS, seed=1), DRAWS):,.0f}")
    timeline = lambda: timeline_results(draws=TIMELINE_DRAWS, seed=1, world=world)  # noqa: E731
    print(f"timeline: {bytes_per_draw(timeline, TIMELINE_DRAWS):,.0f}")
    best = load_levers(["sanction_military_concessions"])
    history = lambda: counterfactual(best, draws=TIMELINE_DRAWS, seed=1, world=world)  # noqa: E731
    print(f"counterfactual: {bytes_per_draw(history, TIMELINE_DRAWS):,.0f}")
    reports = {
        "scenario": (lambda: bundles.scenario_results("junta_informal", draws=DRAWS, seed=1, world=world), DRAWS),
        "comparison": (lambda: bundles.comparison_results(None, draws=DRAWS, seed=1, world=world), DRAWS),
        "timeline report": (lambda: bundles.timeline_report_results(draws=TIMELINE_DRAWS, seed=1, world=world),
                            TIMELINE_DRAWS),
        "policy": (lambda: bundles.policy_results("current", None, draws=TIMELINE_DRAWS, seed=1, world=world),
                   TIMELINE_DRAWS),
    }
    for kind, (run, draws) in reports.items():
        print(f"{kind} report: {bytes_per_draw(run, draws):,.0f}")


if __name__ == "__main__":
    main()
