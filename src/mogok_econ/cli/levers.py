"""`mogok-econ levers`: what the policy levers do to every actor's take."""
from __future__ import annotations

import json

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ..inputs.scenarios import load_scenario
from .common import EXIT_OK, draws_for, seed_int


def cmd_levers(args) -> int:
    from ..analysis.lever_effects import effects, effects_json
    from ..inputs.levers import applicable, load_levers
    from ..inputs.timeline import resolve_scenario

    scenario = load_scenario(resolve_scenario(args.scenario))
    levers = load_levers(args.levers or None)
    if args.levers:  # named explicitly: each must apply
        usable, skipped = levers, {}
    else:
        usable, skipped = applicable(scenario, levers)
    table = effects(scenario, usable, draws=args.draws, seed=args.seed, pairs=not args.no_pairs)
    result = effects_json(scenario, table, args.draws, args.seed, skipped)
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False))
        return EXIT_OK
    print(f"Policy levers under {scenario.title} ({scenario.name}); {args.draws:,} draws, seed {args.seed}.")
    print("Change in US$ million a year (central estimate, with the junta's 90% interval); ratio = dollars "
          "denied to the junta per dollar lost by miners.\n")
    print(f"{'rank':>4}  {'levers':<58}{'junta':>8}{'(P5':>8}{'P95)':>7}{'miners':>8}{'ratio':>9}")
    for row in result["results"]:
        j, m = row["change_usd"]["junta"], row["change_usd"]["miners"]["point"]
        r = row["junta_denied_per_miner_dollar_lost"]
        ratio = ("no loss" if r["miners_do_not_lose"] else f"{r['point']:.1f}") if (row["junta_denied_usd"] or 0) > 0 \
            else "-"
        label = " + ".join(row["levers"]) if len(row["levers"]) <= 2 else f"all {len(row['levers'])} levers together"
        print(f"{row['rank']:>4}  {label:<58}{j['point'] / 1e6:>8.1f}{j['p5'] / 1e6:>8.1f}"
              f"{j['p95'] / 1e6:>7.1f}{m / 1e6:>8.1f}{ratio:>9}")
    for name, reason in skipped.items():
        print(f"not applied: {name}: {reason}")
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("levers", help="what policy levers (data/levers) do to every actor's take")
    p.add_argument("scenario", help="a scenario name, a path, or `current` (the one in force now, per the timeline)")
    p.add_argument("levers", nargs="*", help="levers to apply (default: every lever that applies)")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=draws_for("levers"), default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--no-pairs", action="store_true", help="single levers only, no combinations")
    p.set_defaults(run=cmd_levers)
