"""The commands that read the model: `scenarios`, `validate`, `split` and `timeline`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import limits, paths
from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ..core.vocabulary import ACTORS, GROUPS, TAKE_LABELS, UNREALISED_PARTS
from .common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    add_draws_from,
    commit,
    data_hash,
    draws_for,
    draws_from,
    draws_from_line,
    money,
    seed_int,
    version,
)

# The model (NumPy, pandas, SciPy) is imported inside each command, so that `--help` answers at once.


def cmd_scenarios(args) -> int:
    from ..inputs.scenario_list import scenario_table

    table = scenario_table(args.world.folder)
    if args.json:
        print(table.reset_index().to_json(orient="records", indent=2))
        return EXIT_OK
    if table.empty:
        print(f"No scenarios in {paths.display(args.world.scenarios_dir)}.")
        return EXIT_OK
    width = max(len(n) for n in table.index)
    for name, row in table.iterrows():
        if row["problems"]:
            print(f"{name:<{width}}  INVALID ({row['problems']} problem(s): run `mogok-econ validate`)")
            continue
        period = f"{row['start']} to {row['end'] or 'open'}"
        print(f"{name:<{width}}  {period:<20}  {row['title']}")
    return EXIT_BAD_INPUT if (table["problems"] > 0).any() else EXIT_OK


def cmd_validate(args) -> int:
    from ..inputs.scenario_list import validate_files

    files = [Path(p) for p in args.paths] or sorted(args.world.scenarios_dir.glob("*.yaml"))
    problems = validate_files(files, data=args.world.folder)
    for p in problems:
        print(str(p), file=sys.stderr)
    bad_files = {p.file for p in problems}
    if problems:
        print(f"{len(problems)} problem(s) in {len(bad_files)} file(s); {len(files)} file(s) checked.", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{len(files)} scenario file(s) valid.")
    return EXIT_OK


def split_report(scenario, draws: int | None, seed: int, posterior=None) -> dict:
    """The object `split --json` prints: the central estimate, plus quantiles when draws are given (from
    `posterior`, or the priors)."""
    from ..analysis.estimates import point_estimate
    from ..analysis.monte_carlo import monte_carlo, quantiles

    result = point_estimate(scenario, posterior).to_dict()
    if draws:
        takes = [*ACTORS, *GROUPS]
        q = quantiles(monte_carlo(scenario, draws, seed, posterior), takes)
        result["quantiles"] = {a: {k: float(v) for k, v in q.loc[a].items()} for a in takes}
    return result


def cmd_split(args) -> int:
    scenario = args.world.scenario(args.scenario)
    result = split_report(scenario, args.draws, args.seed, args.posterior)
    if args.json:
        result.pop("wage_usd_per_month")  # shown in the table; the JSON keeps to its documented keys
        result.update({"draws_from": draws_from(args), "version": version(), "commit": commit(),
                       "data_hash": data_hash(args.world)})
        print(json.dumps(result, indent=2, allow_nan=False))
        return EXIT_OK
    print(f"{scenario.title} ({scenario.name}, {scenario.period_label})")
    print(f"Gross value at normal output and prices: ${money(result['gross_value_usd'])}M a year")
    print(f"Realised sales, all channels:            ${money(result['realised_value_usd'])}M a year")
    print(f"  of which recorded (formal sales):      ${money(result['recorded_value_usd'])}M a year")
    for part in UNREALISED_PARTS:
        print(f"  not realised, {part.replace('_', ' '):<22} ${money(result['unrealised_usd'][part])}M")
    realised = result["realised_value_usd"]
    header = f"\n{'actor':<20}{'USD M/yr':>10}{'share':>8}"
    if "quantiles" in result:
        header += f"{'P5':>10}{'P50':>10}{'P95':>10}   ({args.draws:,} draws, seed {args.seed})"
    print(header)
    takes = {**result["flows_usd"], **result["groups_usd"]}
    for actor, flow in takes.items():
        share = flow / realised if realised else 0.0
        label = TAKE_LABELS[actor] + (" (all)" if actor in GROUPS else "")
        line = f"{label:<20}{money(flow):>10}{share:>8.1%}"
        if "quantiles" in result:
            line += "".join(f"{money(result['quantiles'][actor][k]):>10}" for k in ("p5", "p50", "p95"))
        print(line)
    print(f"\nWage workers employed: {result['wage_workers_employed']:,.0f} "
          f"(laid off: {result['wage_workers_laid_off']:,.0f}), at ${result['wage_usd_per_month']:,.0f} a month with "
          "commission")
    print(f"A hand-miner's mean income: ${result['hand_miner_income_usd_per_month']:,.0f} a month (a mean over rare "
          f"big finds: most earn less; the median hand-miner ${result['hand_miner_median_income_usd_per_month']:,.0f})")
    print(f"Mean per miner: ${result['miner_income_usd_per_month']:,.0f} a month")
    print(draws_from_line(args))
    return EXIT_OK


def cmd_timeline(args) -> int:
    from ..analysis.monthly_flows import timeline_results
    from ..inputs.timeline import COUP

    timeline = args.world.timeline
    if not args.json:
        for p in timeline.periods:
            print(f"{p.start} to {p.end}  {p.scenario}")
        print(f"{len(timeline.events)} events; current scenario: {timeline.current_scenario}")
        return EXIT_OK
    limits.check_draws(args.draws, "timeline", months=len(timeline.months))  # this timeline's length, not the shipped one's
    results = timeline_results(draws=args.draws, seed=args.seed, timeline=timeline, posterior=args.posterior,
                               world=args.world)
    monthly = results.monthly_point
    since = results.cumulative("junta", COUP).iloc[-1]
    print(json.dumps({
        "periods": [{"scenario": p.scenario, "start": str(p.start), "end": str(p.end)} for p in timeline.periods],
        "monthly_flows_usd": {str(m): {c: float(v) for c, v in row.items()} for m, row in monthly.iterrows()},
        "junta_since_coup_usd": {k: float(v) for k, v in since.items()},
        "draws": args.draws, "seed": args.seed, "draws_from": draws_from(args),
    }, indent=2, allow_nan=False))
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("scenarios", help="list the scenarios with their titles and periods")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=cmd_scenarios)

    p = sub.add_parser("validate", help="check scenario files and print every problem found")
    p.add_argument("paths", nargs="*", help="scenario files (default: every file in data/scenarios)")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("split", help="who keeps what under a scenario")
    p.add_argument("scenario", help="a scenario name in data/scenarios, or a path to a YAML file")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=draws_for("split"), default=None,
                   help="Monte Carlo draws for P5/P50/P95 (at most what fits in this machine's memory)")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    add_draws_from(p)
    p.set_defaults(run=cmd_split)

    p = sub.add_parser("timeline", help="the periods of control since 2016 and the monthly flows")
    p.add_argument("--json", action="store_true", help="monthly flows and the junta's total since the coup, as JSON")
    p.add_argument("--draws", type=draws_for("timeline"), default=DEFAULT_DRAWS, help="Monte Carlo draws per scenario")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    add_draws_from(p)
    p.set_defaults(run=cmd_timeline)
