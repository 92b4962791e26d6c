"""`mogok-econ levers`: what the policy levers do to every actor's take, under one scenario or (with
--matrix) every lever under every scenario."""
from __future__ import annotations

import json

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ..errors import NO_VALUE, InputError, Problem
from .common import EXIT_OK, add_draws_from, draws_for, draws_from, draws_from_line, seed_int


def cmd_matrix(args) -> int:
    from ..analysis.comparison import chronological
    from ..analysis.lever_matrix import lever_matrix, matrix_json
    scenarios = chronological(list(args.world.scenarios.values()))
    if not scenarios:
        from .. import paths

        raise InputError(Problem(paths.display(args.world.scenarios_dir), "scenarios", NO_VALUE, "the data folder has "
                                 "no scenario files (scenarios/*.yaml), so the matrix has no column; add one."))
    levers = _some_levers(args.levers, args.world)
    frame = lever_matrix(scenarios, levers, draws=args.draws, seed=args.seed, posterior=args.posterior, world=args.world)
    result = matrix_json(frame, args.draws, args.seed)
    if args.json:
        result["draws_from"] = draws_from(args)
        print(json.dumps(result, indent=2, allow_nan=False))
        return EXIT_OK
    print(f"Every lever under every scenario: junta dollars denied, US$ million a year (central estimate, 90% "
          f"interval); * = not feasible there; blank = cannot be applied. {args.draws:,} draws, seed {args.seed}.\n"
          f"{draws_from_line(args)}\n")
    for lever in result["levers"]:
        print(lever["title"])
        for cell in (c for c in result["cells"] if c["lever"] == lever["name"]):
            if not cell["applicable"]:
                print(f"    {cell['scenario_title'][:70]:<72}   cannot be applied")
                continue
            d, m = cell["junta_denied_usd"], cell["miners_change_usd"]
            star = " " if cell["feasible"] else "*"
            print(f"  {star} {cell['scenario_title'][:70]:<72}{d['point'] / 1e6:>7.1f} [{d['p5'] / 1e6:.1f} to "
                  f"{d['p95'] / 1e6:.1f}]  miners {m['point'] / 1e6:+.1f}")
    return EXIT_OK


def _some_levers(names: list[str], world):
    """The levers named, else every lever of the data folder: at least one (a data folder need not have levers/)."""
    from .. import paths

    levers = world.levers(names or None)
    if not levers:
        folder = world.levers_dir
        raise InputError(Problem(paths.display(folder), "levers", NO_VALUE, "the data folder has no lever files "
                                 f"({'no *.yaml in it' if folder.is_dir() else 'no such folder'}); add one (see "
                                 "data/README.md, `levers/<name>.yaml`) or name a lever file by its path."))
    return levers


def cmd_levers(args) -> int:
    from ..analysis.lever_effects import effects, effects_json, not_combined
    from ..inputs.levers import applicable

    if args.matrix:
        if args.scenario:  # `levers --matrix a b`: every argument is a lever
            args.levers = [args.scenario, *args.levers]
        return cmd_matrix(args)
    if not args.scenario:
        raise InputError(Problem("command line", "scenario", None, "name a scenario (or `current`), or use --matrix "
                                 "for every scenario."))
    scenario = args.world.scenario(args.world.resolve_scenario(args.scenario))
    levers = _some_levers(args.levers, args.world)
    if args.levers:  # named explicitly: each must apply
        usable, skipped = levers, {}
    else:
        usable, skipped = applicable(scenario, levers)
    if not usable:
        reasons = "; ".join(f"{name}: {why}" for name, why in skipped.items())
        raise InputError(Problem(scenario.file, "levers", sorted(skipped), f"no lever can be applied to scenario "
                                 f"{scenario.name!r}, so there is nothing to compare ({reasons[:600]})."))
    table = effects(scenario, usable, draws=args.draws, seed=args.seed, pairs=not args.no_pairs, posterior=args.posterior)
    result = effects_json(scenario, table, args.draws, args.seed, skipped, not_combined(usable), args.posterior)
    if args.json:
        result["draws_from"] = draws_from(args)
        print(json.dumps(result, indent=2, allow_nan=False))
        return EXIT_OK
    print(f"Policy levers under {scenario.title}; {args.draws:,} draws, seed {args.seed}. {draws_from_line(args)}")
    print("Change in US$ million a year (central estimate, with the junta's 90% interval); ratio = dollars "
          "denied to the junta per dollar lost by miners; * = not feasible under this scenario (ranked last); "
          "p = works (90% or more of the junta's loss) through volume and price; wins = mean chance of denying "
          f"the junta more than each other option of its kind. Options are {result['ranking_criterion']}.\n")
    print(f"{'rank':>4}    {'levers':<60}{'wins':>6}{'junta':>8}{'(P5':>8}{'P95)':>7}{'miners':>8}{'ratio':>9}")
    for row in result["results"]:
        j, m = row["change_usd"]["junta"], row["change_usd"]["miners"]["point"]
        r = row["junta_denied_per_miner_dollar_lost"]
        ratio = ("no loss" if r["miners_do_not_lose"] else f"{r['point']:.1f}") if (row["junta_denied_usd"] or 0) > 0 \
            else "-"
        label = " + ".join(row["levers"]) if len(row["levers"]) <= 2 else f"{len(row['levers'])} levers together"
        flags = ("*" if not row["feasible"] else " ") + ("p" if r["works_through_volume_and_price"] else " ")
        wins = row["ranking"]["mean_pairwise_win_probability"]
        wins = "-" if wins is None else f"{wins:.0%}"
        print(f"{row['rank']:>4}{flags}  {label:<60}{wins:>6}{j['point'] / 1e6:>8.1f}{j['p5'] / 1e6:>8.1f}"
              f"{j['p95'] / 1e6:>7.1f}{m / 1e6:>8.1f}{ratio:>9}")
    for pair in result["not_combined"]:
        print(f"never combined: {pair['titles'][0]} + {pair['titles'][1]}: {pair['why']}")
    for name, reason in skipped.items():
        print(f"not applied: {name}: {reason}")
    titles = table.attrs.get("titles", {})
    print("\nLevers: " + "; ".join(f"{n} = {t}" for n, t in titles.items()))
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("levers", help="what policy levers (data/levers) do to every actor's take")
    p.add_argument("scenario", nargs="?",
                   help="a scenario name, a path, or `current` (the one in force now, per the timeline); "
                        "not with --matrix")
    p.add_argument("levers", nargs="*", help="levers to apply (default: every lever that applies)")
    p.add_argument("--matrix", action="store_true", help="every lever (alone) under every scenario")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=draws_for("levers"), default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    add_draws_from(p)
    p.add_argument("--no-pairs", action="store_true", help="single levers only, no combinations")
    p.set_defaults(run=cmd_levers)
