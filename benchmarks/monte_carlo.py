"""Monte Carlo throughput: the package's vectorised run against a plain per-draw Python loop.

Both run the same model (MODEL.md) on the same scenario in the same process, so the ratio holds on
any machine. Usage: python benchmarks/monte_carlo.py [SCENARIO] [--draws N] [--loop-draws N]
"""
from __future__ import annotations

import argparse
import json
import random
import time

from mogok_econ import ACTORS, load_scenario, monte_carlo
from mogok_econ.core.distributions import Fixed, Pert, Triangular, Uniform


def _sampler(dist, rng: random.Random):
    if isinstance(dist, Fixed) or not dist.uncertain:
        return lambda: dist.point
    if isinstance(dist, Triangular):
        return lambda: rng.triangular(dist.low, dist.high, dist.mode)
    if isinstance(dist, Uniform):
        return lambda: rng.uniform(dist.low, dist.high)
    if isinstance(dist, Pert):
        span = dist.high - dist.low
        alpha, beta = 1 + 4 * (dist.mode - dist.low) / span, 1 + 4 * (dist.high - dist.mode) / span
        return lambda: dist.low + span * rng.betavariate(alpha, beta)
    raise TypeError(dist)


def loop_monte_carlo(scenario, draws: int, seed: int) -> list[dict[str, float]]:
    """The model written the obvious way: one draw at a time, scalar arithmetic."""
    rng = random.Random(seed)
    samplers = {k: _sampler(p.distribution, rng) for k, p in scenario.parameters.items()}
    rec = scenario.recipients
    rows = []
    for _ in range(draws):
        v = {k: s() for k, s in samplers.items()}
        realised = v["gross_value_usd"] * v["production_factor"] * v["market_access"] * v["price_factor"]
        f, t, x, c, m, w = (v[k] for k in ("formal_share", "state_tax_rate", "extortion_rate",
                                            "checkpoint_rate", "trader_margin", "labour_share"))
        mine_gate = realised * (1 - f * t - (1 - f) * x - c - m)
        flows = {}
        for actor in ACTORS:
            flows[actor] = realised * (f * t * rec["state_tax_to"].get(actor, 0.0)
                                       + (1 - f) * x * rec["extortion_to"].get(actor, 0.0)
                                       + c * rec["checkpoint_to"].get(actor, 0.0)
                                       + (m if actor == "traders" else 0.0))
            flows[actor] += mine_gate * (w if actor == "miners" else 0.0)
            flows[actor] += mine_gate * (1 - w) * rec["owner_stakes"].get(actor, 0.0)
        rows.append(flows)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default="junta_informal")
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--loop-draws", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)

    monte_carlo(scenario, 1000, seed=0)  # warm imports and caches
    start = time.perf_counter()
    monte_carlo(scenario, args.draws, seed=1)
    vectorised_s = time.perf_counter() - start

    start = time.perf_counter()
    loop_monte_carlo(scenario, args.loop_draws, seed=1)
    loop_s = time.perf_counter() - start

    vec_rate, loop_rate = args.draws / vectorised_s, args.loop_draws / loop_s
    result = {"scenario": args.scenario, "vectorised_draws": args.draws, "vectorised_seconds": vectorised_s,
              "vectorised_draws_per_second": vec_rate, "loop_draws": args.loop_draws, "loop_seconds": loop_s,
              "loop_draws_per_second": loop_rate, "speed_up": vec_rate / loop_rate}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"Monte Carlo, scenario {args.scenario}")
        print(f"  vectorised: {args.draws:>9,} draws in {vectorised_s:6.3f} s = {vec_rate:>12,.0f} draws/s")
        print(f"  per-draw loop: {args.loop_draws:>6,} draws in {loop_s:6.3f} s = {loop_rate:>12,.0f} draws/s")
        print(f"  ratio: the vectorised run is {vec_rate / loop_rate:,.0f} times faster per draw")


if __name__ == "__main__":
    main()
