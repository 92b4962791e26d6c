"""The `mogok-econ` command: parses, calls the package, prints, and sets the exit code.

Exit codes: 0 success, 1 a run failed (e.g. a notebook cell raised), 2 bad input (a scenario, lever or
argument that is not valid, or a number beyond what it can do on this machine: see limits.py). Errors
are printed as sentences on stderr, never as tracebacks.

`--data DIR` (before or after the command) reads the data from a user's folder laid out like data/, for
that run: it sets MOGOK_ECON_DATA, which the package and every notebook kernel read (paths.py).
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

from . import limits, paths
from .analysis.estimates import point_estimate
from .analysis.monte_carlo import monte_carlo, quantiles
from .core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from .core.vocabulary import ACTORS, GROUPS, TAKE_LABELS, UNREALISED_PARTS
from .errors import InputError
from .fingerprint import files_hash
from .inputs.scenarios import load_scenario, scenario_table, validate_files

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, our exit code for bad input
        self.print_usage(sys.stderr)
        print(f"mogok-econ: error: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def draws_for(what: str):
    """An argparse type: Monte Carlo draws for `what` (a key of limits.BYTES_PER_DRAW), within memory."""
    return limits.whole_number("--draws", lambda n: limits.check_draws(n, what))


seed_int = limits.whole_number("--seed", limits.check_seed)
jobs_int = limits.whole_number("--jobs", limits.check_jobs)
timeout_int = limits.whole_number("--cell-timeout", limits.check_cell_timeout)


def version() -> str:
    from importlib.metadata import version as package_version

    return package_version("mogok-econ")


def commit() -> str | None:
    """The git commit of the checkout this runs from, else the one recorded when the wheel was built."""
    import subprocess

    if paths.CHECKOUT is not None:
        try:
            out = subprocess.run(["git", "-C", str(paths.CHECKOUT), "rev-parse", "HEAD"], capture_output=True,
                                 text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return (out.stdout.strip() or None) if out.returncode == 0 else None
    recorded = paths.SHIPPED / "build.json"
    try:
        return json.loads(recorded.read_text()).get("commit")
    except (OSError, ValueError, AttributeError):
        return None


def data_hash() -> str:
    """The hash of every file of the data folder (names relative to it, and contents), plus the shipped
    bibliography and scenarios when a user's folder adds to them."""
    own = paths.data_dir()
    folders = [own] if own == paths.SHIPPED_DATA else [paths.SHIPPED_DATA, own]
    return files_hash([f for folder in folders for f in sorted(folder.rglob("*")) if f.is_file()], own)


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
        takes = [*ACTORS, *GROUPS]
        q = quantiles(monte_carlo(scenario, draws, seed), takes)
        result["quantiles"] = {a: {k: float(v) for k, v in q.loc[a].items()} for a in takes}
    return result


def cmd_split(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    result = split_report(scenario, args.draws, args.seed)
    if args.json:
        result.pop("wage_usd_per_month")  # shown in the table; the JSON keeps to its documented keys
        result.update({"version": version(), "commit": commit(), "data_hash": data_hash()})
        print(json.dumps(result, indent=2, allow_nan=False))
        return EXIT_OK
    print(f"{scenario.title} ({scenario.name}, {scenario.period_label})")
    print(f"Gross value at normal output and prices: ${_money(result['gross_value_usd'])}M a year")
    print(f"Realised sales, all channels:            ${_money(result['realised_value_usd'])}M a year")
    print(f"  of which recorded (formal sales):      ${_money(result['recorded_value_usd'])}M a year")
    for part in UNREALISED_PARTS:
        print(f"  not realised, {part.replace('_', ' '):<22} ${_money(result['unrealised_usd'][part])}M")
    realised = result["realised_value_usd"]
    header = f"\n{'actor':<20}{'USD M/yr':>10}{'share':>8}"
    if "quantiles" in result:
        header += f"{'P5':>10}{'P50':>10}{'P95':>10}   ({args.draws:,} draws, seed {args.seed})"
    print(header)
    takes = {**result["flows_usd"], **result["groups_usd"]}
    for actor, flow in takes.items():
        share = flow / realised if realised else 0.0
        label = TAKE_LABELS[actor] + (" (all)" if actor in GROUPS else "")
        line = f"{label:<20}{_money(flow):>10}{share:>8.1%}"
        if "quantiles" in result:
            line += "".join(f"{_money(result['quantiles'][actor][k]):>10}" for k in ("p5", "p50", "p95"))
        print(line)
    print(f"\nWage workers employed: {result['wage_workers_employed']:,.0f} "
          f"(laid off: {result['wage_workers_laid_off']:,.0f}), at ${result['wage_usd_per_month']:,.0f} a month with "
          "commission")
    print(f"A hand-miner's mean income: ${result['hand_miner_income_usd_per_month']:,.0f} a month (a mean over rare "
          "big finds: most earn less)")
    print(f"Mean per miner: ${result['miner_income_usd_per_month']:,.0f} a month")
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
    if "sobol_samples" in overrides and isinstance(overrides["sobol_samples"], int):
        limits.check_sobol_samples(overrides["sobol_samples"])
    jobs = plan(scenarios, overrides, include_comparison=scenarios is None)
    kinds = {"timeline": "timeline report"}
    limits.check_render_draws([(kinds.get(j.kind, j.kind), j.parameters["draws"]) for j in jobs if "draws" in j.parameters],
                              min(args.jobs, len(jobs)))

    def progress(line: str) -> None:
        print(f"mogok-econ render: {line}", file=sys.stderr, flush=True)

    output = Path(args.output).resolve() if args.output else paths.reports_dir()
    if paths.inside_package(output):
        print(f"mogok-econ: error: --output {output} is inside the installed package, where nothing may be written; "
              "give a folder of yours.", file=sys.stderr)
        return EXIT_BAD_INPUT
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


DATA_HELP = ("read the data from DIR, a folder laid out like the shipped data/ (default: $MOGOK_ECON_DATA, else "
             "the shipped data); its scenarios can `extends:` the shipped ones")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mogok-econ", description="Who keeps the money from Mogok's ruby trade.")
    parser.add_argument("--version", action="version", version=f"mogok-econ {version()}")
    parser.add_argument("--data", metavar="DIR", help=DATA_HELP)
    # --data after the command works too (SUPPRESS: a subcommand without it keeps the one given before it)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS, help=DATA_HELP)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_parser = sub.add_parser

    def add_parser(name, **kwargs):
        return _add_parser(name, parents=[common], **kwargs)
    sub.add_parser = add_parser

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
    p.set_defaults(run=cmd_split)

    p = sub.add_parser("levers", help="what policy levers (data/levers) do to every actor's take")
    p.add_argument("scenario", help="a scenario name, a path, or `current` (the one in force now, per the timeline)")
    p.add_argument("levers", nargs="*", help="levers to apply (default: every lever that applies)")
    p.add_argument("--json", action="store_true", help="print exactly one JSON object")
    p.add_argument("--draws", type=draws_for("levers"), default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.add_argument("--no-pairs", action="store_true", help="single levers only, no combinations")
    p.set_defaults(run=cmd_levers)

    p = sub.add_parser("timeline", help="the periods of control since 2016 and the monthly flows")
    p.add_argument("--json", action="store_true", help="monthly flows and the junta's total since the coup, as JSON")
    p.add_argument("--draws", type=draws_for("timeline"), default=DEFAULT_DRAWS, help="Monte Carlo draws per scenario")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    p.set_defaults(run=cmd_timeline)

    p = sub.add_parser("render", help="run the report notebooks and write HTML and PDF reports to reports/")
    p.add_argument("scenarios", nargs="*", help="scenario reports to build (default: every report)")
    p.add_argument("--all", action="store_true", help="every scenario report, the comparison and the index")
    p.add_argument("--jobs", type=jobs_int, default=limits.cores(),
                   help=f"notebooks run in parallel (default: the number of cores; at most {limits.JOBS_PER_CORE} a core)")
    p.add_argument("--force", action="store_true", help="rebuild even the reports that are up to date")
    p.add_argument("-p", "--parameter", action="append", type=_parse_assignment, metavar="NAME=VALUE",
                   help="a notebook parameter for every report that has it, e.g. -p draws=200000 -p seed=1")
    p.add_argument("--cell-timeout", type=timeout_int, default=600,
                   help=f"seconds a notebook cell may run (default 600, at most {limits.CELL_TIMEOUT_MAX:,})")
    p.add_argument("--output", metavar="DIR", help="write the reports here (default: reports/ of the checkout; "
                   f"installed: ./{paths.INSTALLED_REPORTS_NAME} in the current folder)")
    p.set_defaults(run=cmd_render)
    return parser


def data_folder_problem(folder: str, given_by: str) -> str | None:
    """Why `folder` cannot be the data folder (one paragraph), or None if it can."""
    path = Path(folder).expanduser()
    expected = ("A data folder is laid out like the shipped data/: scenarios/ with the scenario files (*.yaml) and, "
                "for the commands that read them, sources.yaml (adds to the shipped bibliography), levers/, "
                "timeline.yaml and observables.yaml. Its scenarios can `extends:` a shipped one (e.g. junta_informal).")
    if not path.exists():
        return f"{given_by} {folder}: there is no such folder. {expected}"
    if not path.is_dir():
        return f"{given_by} {folder}: not a folder. {expected}"
    if not (path / "scenarios").is_dir():
        return f"{given_by} {folder}: there is no scenarios/ folder in it. {expected}"
    return None


def _use_data_folder(args: argparse.Namespace) -> str | None:
    """Point the package (and every kernel it starts) at the data folder of this run; the problem if any."""
    if getattr(args, "data", None):
        problem = data_folder_problem(args.data, "--data")
        if problem is None:
            os.environ[paths.DATA_ENV] = str(Path(args.data).expanduser().resolve())
        return problem
    if os.environ.get(paths.DATA_ENV):
        return data_folder_problem(os.environ[paths.DATA_ENV], paths.DATA_ENV)
    return None


def main(argv: list[str] | None = None) -> int:
    before = os.environ.get(paths.DATA_ENV)
    try:
        args = build_parser().parse_args(argv)
        problem = _use_data_folder(args)
        if problem:
            print(f"mogok-econ: error: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
        return args.run(args)
    except limits.LimitError as exc:
        print(f"mogok-econ: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as exc:
        print(f"mogok-econ: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (KeyboardInterrupt, Terminated):
        print("mogok-econ: interrupted; the reports of the last good build are still in place.", file=sys.stderr)
        return 130
    finally:  # in-process callers (tests, notebooks) get their environment back
        if before is None:
            os.environ.pop(paths.DATA_ENV, None)
        else:
            os.environ[paths.DATA_ENV] = before


if __name__ == "__main__":
    sys.exit(main())
