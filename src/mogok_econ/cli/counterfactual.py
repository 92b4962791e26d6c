"""`mogok-econ counterfactual`: what the junta, the armed groups and the miners would have kept since a
date had some levers been in force, against the timeline's history (paired draws)."""
from __future__ import annotations

import json

from .. import limits
from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .common import EXIT_OK, add_draws_from, draws_for, draws_from, draws_from_line, money, seed_int


def cmd_counterfactual(args) -> int:
    from ..analysis.counterfactual import counterfactual, counterfactual_json, parse_month
    from ..core.vocabulary import TAKE_LABELS
    from ..inputs.timeline import COUP

    levers = args.world.levers(args.levers)
    timeline = args.world.timeline
    limits.check_draws(args.draws, "counterfactual", months=len(timeline.months))  # this timeline's length
    since = parse_month(args.since, timeline) if args.since else COUP
    r = counterfactual(levers, since, draws=args.draws, seed=args.seed, timeline=timeline,
                       feasible_only=args.feasible_only, posterior=args.posterior, world=args.world)
    result = counterfactual_json(r)
    if args.json:
        result["draws_from"] = draws_from(args)
        print(json.dumps(result, indent=2, allow_nan=False))
        return EXIT_OK
    print(f"Counterfactual since {result['from']} (to the end of {result['to']}): "
          + "; ".join(lv.title for lv in levers) + f". {args.draws:,} draws, seed {args.seed}. {draws_from_line(args)}")
    print("Running totals in US$ million (central estimate, 90% interval in brackets).\n")
    labels = {**TAKE_LABELS, "realised_value_usd": "Realised value"}
    for take, t in result["totals_since_usd"].items():
        a, c, d = t["actual"], t["counterfactual"], t["change"]
        print(f"{labels[take]:<16} actual {money(a['point']):>9} [{money(a['p5'])} to {money(a['p95'])}]  "
              f"with the levers {money(c['point']):>9} [{money(c['p5'])} to {money(c['p95'])}]  "
              f"change {money(d['point']):>8} [{money(d['p5'])} to {money(d['p95'])}]")
    print()
    for t in result["treatment"]:
        notes = []
        if t["applied_although_infeasible"]:
            notes.append("applied although not feasible there (what if): " + ", ".join(t["applied_although_infeasible"]))
        notes += [f"left out {k}: {v}" for k, v in t["left_out"].items()]
        print(f"{t['scenario_title']}: " + ("; ".join(notes) if notes else "all levers applied, all feasible"))
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("counterfactual", help="what each side would have kept since a date had levers been in force")
    p.add_argument("levers", nargs="+", help="levers from data/levers (conflicting levers cannot be combined)")
    p.add_argument("--from", dest="since", metavar="YYYY-MM",
                   help="first month with the levers in force (default: the coup, 2021-02); within the timeline")
    p.add_argument("--feasible-only", action="store_true",
                   help="leave a lever out of periods whose scenario it is not feasible under (default: apply it "
                        "anyway, as a what if, and flag it)")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=draws_for("counterfactual"), default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    add_draws_from(p)
    p.set_defaults(run=cmd_counterfactual)
