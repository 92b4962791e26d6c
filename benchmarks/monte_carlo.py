"""Monte Carlo throughput: the package's vectorised run against a plain per-draw Python loop.

Both run the same model (docs/model.md) on the same scenario in the same process, so the ratio holds on
any machine. Usage: python benchmarks/monte_carlo.py [SCENARIO] [--draws N] [--loop-draws N]
"""
from __future__ import annotations

import argparse
import json
import random
import time

from mogok_econ import ACTORS, load_scenario, monte_carlo
from mogok_econ.core.distributions import Fixed, Pert, Triangular, Uniform
from mogok_econ.core.vocabulary import PARAMETERS
from mogok_econ.inputs.exchange_rates import load_exchange_rates


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


def _market(dist, u: float) -> float:
    """A market rate's quantile u, in scalar arithmetic (triangular or fixed, as the rates file gives them)."""
    if isinstance(dist, Fixed) or not dist.uncertain:
        return dist.point
    a, c, b = dist.low, dist.mode, dist.high
    if u < (c - a) / (b - a):
        return a + ((b - a) * (c - a) * u) ** 0.5
    return b - ((b - a) * (b - c) * (1 - u)) ** 0.5


def loop_monte_carlo(scenario, draws: int, seed: int) -> list[dict[str, float]]:
    """The model (docs/model.md, Stages 1 to 3) written the obvious way: one draw at a time, scalar
    arithmetic, kyat converted and the exchange-rate levy worked out for each draw."""
    rng = random.Random(seed)
    samplers = {k: _sampler(p.distribution, rng) for k, p in scenario.parameters.items()}
    rec = scenario.recipients
    rates = load_exchange_rates()
    months = rates.weights(scenario.period_start, scenario.period_end)  # the period's steps, once
    total = sum(months.values())
    kyat = {k: (p.unit, PARAMETERS[k].unit) for k, p in scenario.parameters.items() if p.in_kyat}

    def to(table: str, actor: str) -> float:
        return rec.get(table, {}).get(actor, 0.0)

    rows = []
    for _ in range(draws):
        v = {k: s() for k, s in samplers.items()}
        u = rng.random()
        market = {s: _market(s.market, u) for s in months}
        mean_market = sum(n * market[s] for s, n in months.items()) / total
        v["exchange_rate_levy_rate"] = v["conversion_applies"] * max(0.0, sum(
            n * s.conversion_share * (1 - s.official / market[s]) for s, n in months.items()) / total)
        for k, (unit, own) in kyat.items():
            per = v["working_days_per_month"] if unit == "MMK/day" else 1.0
            per *= 12.0 if own == "USD per year" and unit != "MMK/year" else 1.0
            v[k] = v[k] * per / mean_market
        realised = v["gross_value_usd"] * v["production_factor"] * v["market_access"] * v["price_factor"]
        f, t, x, c, m, fx = (float(v[k]) for k in ("formal_share", "state_tax_rate", "extortion_rate",
                                                   "checkpoint_rate", "trader_margin", "exchange_rate_levy_rate"))
        mine_gate = realised * (1 - f * (t + fx) - (1 - f) * x - c - m)
        company, hand = v["company_share"] * mine_gate, (1 - v["company_share"]) * mine_gate
        positions, w0 = v["wage_share"] * v["miner_count"], float(v["wage_usd_per_month"])
        employed = min(positions, company / (12 * w0)) if w0 > 0 else positions
        wages = 12 * w0 * employed
        commission, profits = v["commission_rate"] * (company - wages), (1 - v["commission_rate"]) * (company - wages)
        levy = v["pit_levy_rate"] * hand
        rent = v["pit_rent_rate"] * (hand - levy)
        kept = hand - levy - rent
        fees = min(float(v["fee_per_miner"]) * v["miner_count"], wages + commission + kept)
        flows = {}
        for actor in ACTORS:
            flows[actor] = (realised * (f * (t + fx) * to("state_tax_to", actor) + (1 - f) * x * to("extortion_to", actor)
                                        + c * to("checkpoint_to", actor) + (m if actor == "traders" else 0.0))
                            + (profits + rent) * to("owner_stakes", actor) + levy * to("pit_levy_to", actor)
                            + fees * to("fee_to", actor)
                            + (wages + commission + kept - fees if actor == "miners" else 0.0))
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
