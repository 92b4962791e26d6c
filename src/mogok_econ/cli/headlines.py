"""`mogok-econ headlines`: the headline numbers every report quotes (the junta's take since the coup, observed
and projected, since its return, now; each scenario's; the top policy's), read from the summary's results
(results/summary.py: computed once, then read by the briefs, the landing page and this command alike), so
the command line says exactly what the reports say."""
from __future__ import annotations

import json
import math
import sys

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .common import EXIT_OK, add_draws_from, draws_for, draws_from, draws_from_line, money, seed_int


def _money(value: float, unit: str) -> str:
    if math.isnan(value):
        return ""
    return f"${money(value)}M" if unit.startswith("USD") else f"{value:,.3g}"


def cmd_headlines(args) -> int:
    from ..results.summary import results_folder, summary_results

    s = summary_results(args.draws, args.seed, calibrated=not args.priors, world=args.world)
    table = s.headlines
    if args.json:
        rows = [{"quantity": q, **{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}}
                for q, row in table.iterrows()]
        print(json.dumps({"draws": args.draws, "seed": args.seed, "draws_from": draws_from(args),
                          "results": str(results_folder(args.draws, args.seed, not args.priors, args.world)),
                          "headlines": rows}, indent=1))
        return EXIT_OK
    width = max(len(q) for q in table.index)
    print(f"{'quantity':<{width}}  {'central':>10}  {'P5':>10}  {'P95':>10}  unit, scenario, period")
    for q, row in table.iterrows():
        when = f"{row['from']} to {row['to']}" if row["from"] else ""
        where = ", ".join(x for x in (row["unit"], row["scenario"], when) if x)
        print(f"{q:<{width}}  {_money(row['point'], row['unit']):>10}  {_money(row['p5'], row['unit']):>10}  "
              f"{_money(row['p95'], row['unit']):>10}  {where}")
    print(f"\n{args.draws:,} draws, seed {args.seed}. {draws_from_line(args)} The same numbers as the reports: "
          "both read them from one place (the summary's results; reports/results/ in a build).", file=sys.stderr)
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("headlines", help="the headline numbers every report quotes, from the same results as the reports")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=draws_for("brief"), default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws per scenario (default {DEFAULT_DRAWS:,}, as the reports)")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    add_draws_from(p)
    p.set_defaults(run=cmd_headlines)
