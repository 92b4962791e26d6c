"""`mogok-econ render`: run the report notebooks and write the HTML and PDF reports."""
from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .. import limits, paths
from .common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, Terminated, jobs_int, timeout_int


def _parse_assignment(text: str) -> tuple[str, object]:
    """NAME=VALUE, the value read as YAML (so 2e5, null and [a, b] work)."""
    from ..errors import InputError
    from ..inputs.yaml_loader import load_text

    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{text[:80]!r} is not NAME=VALUE")
    try:  # bounded as a data file is (aliases, nesting, lengths): a command line can be a stranger's too
        return name.strip(), load_text(value, f"-p {name.strip()[:40]}")
    except InputError as exc:
        if "is not valid YAML" in str(exc):
            return name.strip(), value
        raise argparse.ArgumentTypeError(str(exc)) from None


def cmd_render(args) -> int:
    from ..reports.build import KEPT, RenderError, build
    from ..reports.catalogue import plan

    overrides = dict(args.parameter or [])
    scenarios = None if args.all or not args.scenarios else args.scenarios
    if "sobol_samples" in overrides and isinstance(overrides["sobol_samples"], int):
        limits.check_sobol_samples(overrides["sobol_samples"])
    jobs = plan(scenarios, overrides, include_comparison=scenarios is None, world=args.world)
    kinds = {"timeline": "timeline report"}
    draws = [(kinds.get(j.kind, j.kind), j.parameters["draws"]) for j in jobs if "draws" in j.parameters]
    months = None
    if any(kind in limits.TIMELINE_KINDS for kind, _ in draws) and args.world.has_timeline:
        # their memory grows with the timeline's months: this one's, not the shipped one's
        months = len(args.world.timeline.months)
    limits.check_render_draws(draws, min(args.jobs, len(jobs)), months)

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
                        reports=output, progress=progress, world=args.world)
    except RenderError as exc:
        print(f"mogok-econ: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # before any report was rendered (the folder, its lock)
        print(f"mogok-econ: cannot write the reports in {paths.display(output)}: {exc}. "
              "No report was changed.", file=sys.stderr)
        return EXIT_FAILED
    except (KeyboardInterrupt, Terminated) as exc:
        state = getattr(exc, "reports_state", None) or KEPT
        print(f"mogok-econ: interrupted; {state}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"{len(summary.built)} report(s) built, {len(summary.skipped)} up to date and skipped, "
          f"in {summary.seconds:.1f} s. Open {paths.display(output / 'index.html')}.")
    return EXIT_OK


def _terminate(signum, frame):
    raise Terminated()


def register(sub) -> None:
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
