"""The `mogok-econ` command: parses, calls the package, prints, and sets the exit code.

Exit codes: 0 success, 1 a run failed (e.g. a notebook cell raised), 2 bad input (a scenario, lever or
argument that is not valid). Errors are printed as sentences on stderr, never as tracebacks.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
from pathlib import Path

from . import paths
from .analysis.estimates import point_estimate
from .analysis.monte_carlo import monte_carlo, quantiles
from .core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .core.vocabulary import ACTOR_LABELS, ACTORS, UNREALISED_PARTS
from .errors import InputError
from .inputs.scenarios import load_scenario, scenario_table, validate_files

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, our exit code for bad input
        self.print_usage(sys.stderr)
        print(f"mogok-econ: error: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def whole_number(minimum: int):
    """An argparse type: a whole number of at least `minimum`."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
        return value
    return parse


positive_int = whole_number(1)
seed_int = whole_number(0)


def _money(value: float) -> str:
    return f"{value / 1e6:,.1f}"


def cmd_scenarios(args: argparse.Namespace) -> int:
    table = scenario_table()
    if args.json:
        print(table.reset_index().to_json(orient="records", indent=2))
        return EXIT_OK
    if table.empty:
        print(f"No scenarios in {paths.display(paths.scenarios_dir())}.")
        return EXIT_OK
    width = max(len(n) for n in table.index)
    for name, row in table.iterrows():
        if row["problems"]:
            print(f"{name:<{width}}  INVALID ({row['problems']} problem(s): run `mogok-econ validate`)")
            continue
        period = f"{row['start']} to {row['end'] or 'open'}"
        print(f"{name:<{width}}  {period:<20}  {row['title']}")
    return EXIT_BAD_INPUT if (table["problems"] > 0).any() else EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    files = [Path(p) for p in args.paths] or sorted(paths.scenarios_dir().glob("*.yaml"))
    problems = validate_files(files)
    for p in problems:
        print(str(p), file=sys.stderr)
    bad_files = {p.file for p in problems}
    if problems:
        print(f"{len(problems)} problem(s) in {len(bad_files)} file(s); {len(files)} file(s) checked.", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{len(files)} scenario file(s) valid.")
    return EXIT_OK


def split_report(scenario, draws: int | None, seed: int) -> dict:
    """The object `split --json` prints: the point estimate, plus quantiles when draws are given."""
    result = point_estimate(scenario).to_dict()
    if draws:
        frame = monte_carlo(scenario, draws, seed)
        q = quantiles(frame, list(ACTORS))
        result["quantiles"] = {a: {k: float(v) for k, v in q.loc[a].items()} for a in ACTORS}
    return result


def cmd_split(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    result = split_report(scenario, args.draws, args.seed)
    if args.json:
        print(json.dumps(result, indent=2, allow_nan=False))
        return EXIT_OK
    print(f"{scenario.title} ({scenario.name}, {scenario.period_label})")
    print(f"Gross value at normal output and prices: ${_money(result['gross_value_usd'])}M a year")
    print(f"Realised revenue:                        ${_money(result['realised_value_usd'])}M a year")
    for part in UNREALISED_PARTS:
        print(f"  not realised, {part.replace('_', ' '):<22} ${_money(result['unrealised_usd'][part])}M")
    realised = result["realised_value_usd"]
    header = f"\n{'actor':<14}{'USD M/yr':>10}{'share':>8}"
    if "quantiles" in result:
        header += f"{'P5':>10}{'P50':>10}{'P95':>10}   ({args.draws:,} draws, seed {args.seed})"
    print(header)
    for actor in ACTORS:
        flow = result["flows_usd"][actor]
        share = flow / realised if realised else 0.0
        line = f"{ACTOR_LABELS[actor]:<14}{_money(flow):>10}{share:>8.1%}"
        if "quantiles" in result:
            line += "".join(f"{_money(result['quantiles'][actor][k]):>10}" for k in ("p5", "p50", "p95"))
        print(line)
    income = result["miner_income_usd_per_month"]
    if income is not None and math.isfinite(income):
        print(f"\nImplied income per miner: ${income:,.0f} a month (miners' flow / miner_count / 12)")
    return EXIT_OK


def _parse_assignment(text: str) -> tuple[str, object]:
    """NAME=VALUE, the value read as YAML (so 2e5, null and [a, b] work)."""
    import yaml

    from .inputs.yaml_loader import DataLoader

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE")
    try:
        return name.strip(), yaml.load(value, Loader=DataLoader)
    except yaml.YAMLError:
        return name.strip(), value


def cmd_render(args: argparse.Namespace) -> int:
    from .reports.build import RenderError, build
    from .reports.catalogue import plan

    overrides = dict(args.parameter or [])
    scenarios = None if args.all or not args.scenarios else args.scenarios
    jobs = plan(scenarios, overrides, include_comparison=scenarios is None)

    def progress(line: str) -> None:
        print(f"mogok-econ render: {line}", file=sys.stderr, flush=True)

    output = Path(args.output).resolve() if args.output else paths.REPORTS
    signal.signal(signal.SIGTERM, _terminate)  # clean up (workers, staging) on a polite kill too
    try:
        summary = build(jobs, workers=args.jobs, force=args.force, cell_timeout=args.cell_timeout,
                        reports=output, progress=progress)
    except RenderError as exc:
        print(f"mogok-econ: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"mogok-econ: cannot write the reports in {paths.display(output)}: {exc}. "
              "No report was changed.", file=sys.stderr)
        return EXIT_FAILED
    print(f"{len(summary.built)} report(s) built, {len(summary.skipped)} up to date and skipped, "
          f"in {summary.seconds:.1f} s. Open {paths.display(output / 'index.html')}.")
    return EXIT_OK


class Terminated(Exception):
    """SIGTERM, turned into an exception so that clean-up code runs."""


def _terminate(signum, frame):
    raise Terminated()


def cmd_levers(args: argparse.Namespace) -> int:
    from .analysis.lever_effects import effects, effects_json
    from .inputs.levers import applicable, load_levers
    from .inputs.timeline import resolve_scenario

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


def cmd_timeline(args: argparse.Namespace) -> int:
    from .analysis.monthly_flows import timeline_results
    from .inputs.timeline import COUP, load_timeline

    timeline = load_timeline()
    if not args.json:
        for p in timeline.periods:
            print(f"{p.start} to {p.end}  {p.scenario}")
        print(f"{len(timeline.events)} events; current scenario: {timeline.current_scenario}")
        return EXIT_OK
    results = timeline_results(draws=args.draws, seed=args.seed, timeline=timeline)
    monthly = results.monthly_point
    since = results.cumulative("junta", COUP).iloc[-1]
    print(json.dumps({
        "periods": [{"scenario": p.scenario, "start": str(p.start), "end": str(p.end)} for p in timeline.periods],
        "monthly_flows_usd": {str(m): {c: float(v) for c, v in row.items()} for m, row in monthly.iterrows()},
        "junta_since_coup_usd": {k: float(v) for k, v in since.items()},
        "draws": args.draws, "seed": args.seed,
    }, indent=2, allow_nan=False))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mogok-econ", description="Who keeps the money from Mogok's ruby trade.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("scenarios", help="list the scenarios with their titles and periods")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=cmd_scenarios)

    p = sub.add_parser("validate", help="check scenario files and print every problem found")
    p.add_argument("paths", nargs="*", help="scenario files (default: every file in data/scenarios)")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("split", help="who keeps what under a scenario")
    p.add_argument("scenario", help="a scenario name in data/scenarios, or a path to a YAML file")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=positive_int, default=None, help="Monte Carlo draws for P5/P50/P95")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.set_defaults(run=cmd_split)

    p = sub.add_parser("levers", help="what policy levers (data/levers) do to every actor's take")
    p.add_argument("scenario", help="a scenario name, a path, or `current` (the one in force now, per the timeline)")
    p.add_argument("levers", nargs="*", help="levers to apply (default: every lever that applies)")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=positive_int, default=DEFAULT_DRAWS, help=f"Monte Carlo draws (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--no-pairs", action="store_true", help="single levers only, no combinations")
    p.set_defaults(run=cmd_levers)

    p = sub.add_parser("timeline", help="the periods of control since 2016 and the monthly flows")
    p.add_argument("--json", action="store_true", help="monthly flows and the junta's total since the coup, as JSON")
    p.add_argument("--draws", type=positive_int, default=DEFAULT_DRAWS, help="Monte Carlo draws per scenario")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.set_defaults(run=cmd_timeline)

    p = sub.add_parser("render", help="run the report notebooks and write HTML and PDF reports to reports/")
    p.add_argument("scenarios", nargs="*", help="scenario reports to build (default: every report)")
    p.add_argument("--all", action="store_true", help="every scenario report, the comparison and the index")
    p.add_argument("--jobs", type=positive_int, default=max(1, os.cpu_count() or 1),
                   help="notebooks run in parallel (default: the number of cores)")
    p.add_argument("--force", action="store_true", help="rebuild even the reports that are up to date")
    p.add_argument("-p", "--parameter", action="append", type=_parse_assignment, metavar="NAME=VALUE",
                   help="a notebook parameter for every report that has it, e.g. -p draws=200000 -p seed=1")
    p.add_argument("--cell-timeout", type=positive_int, default=600, help="seconds a notebook cell may run")
    p.add_argument("--output", metavar="DIR", help="write the reports here instead of reports/")
    p.set_defaults(run=cmd_render)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except InputError as exc:
        print(f"mogok-econ: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (KeyboardInterrupt, Terminated):
        print("mogok-econ: interrupted; the reports of the last good build are still in place.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
