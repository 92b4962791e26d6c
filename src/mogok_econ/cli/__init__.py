"""The `mogok-econ` command: parses, calls the package, prints, and sets the exit code.

Exit codes: 0 success, 1 a run failed (e.g. a notebook cell raised), 2 bad input (a scenario, lever or
argument that is not valid, or a number beyond what it can do on this machine: see limits.py). Errors
are printed as sentences on stderr, never as tracebacks.

`--data DIR` (before or after the command) reads the data from a user's folder laid out like data/, for
that run (else $MOGOK_ECON_DATA, else the shipped data): this is the one place that reads either. The
folder becomes a World (inputs/world.py), `args.world`, which every command hands to what it calls; report
builds give its folder to each notebook as its `data` parameter. Nothing is set in the environment.

Every command that draws (split, headlines, timeline --json, levers, counterfactual, export) draws from the
calibrated posterior, as the reports do, unless given `--priors`; its JSON says which (`draws_from`).

Each command lives in a module of this package with a `register(sub)` function; COMMANDS lists them in
the order `--help` shows them. None imports NumPy, pandas or SciPy until its command runs, so that
`--help` and `--version` answer at once (tests/test_cli.py checks).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import limits, paths
from ..errors import InputError
from . import calibration, counterfactual, export, headlines, levers, model_commands, render
from .common import EXIT_BAD_INPUT, Terminated, _Parser, commit, data_hash, version
from .model_commands import split_report

__all__ = ["commit", "data_hash", "main", "split_report", "version"]

#: The modules whose `register(sub)` adds their commands to the parser, in --help order.
COMMANDS = [model_commands, headlines, levers, counterfactual, calibration, render, export]

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

    for module in COMMANDS:
        module.register(sub)
    return parser


def data_folder_problem(folder: str, given_by: str) -> str | None:
    """Why `folder` cannot be the data folder (one paragraph), or None if it can."""
    path = Path(folder).expanduser()
    expected = ("A data folder is laid out like the shipped data/: scenarios/ with the scenario files (*.yaml) and, "
                "for the commands that read them, sources.yaml (adds to the shipped bibliography), levers/, "
                "timeline.yaml and observables.yaml. Its scenarios can `extends:` a shipped one (e.g. junta_informal).")
    try:
        exists = path.exists()
    except OSError as exc:  # a name too long
        return f"{given_by} {folder[:80]}...: cannot be read ({exc.strerror}). {expected}"
    if not exists:
        return f"{given_by} {folder}: there is no such folder. {expected}"
    if not path.is_dir():
        return f"{given_by} {folder}: not a folder. {expected}"
    if not (path / "scenarios").is_dir():
        return f"{given_by} {folder}: there is no scenarios/ folder in it. {expected}"
    from ..inputs.schema import looped_links

    if looped_links(path):
        return (f"{given_by} {folder}: {', '.join(looped_links(path))} is a loop of symbolic links (a link to itself, or "
                "to a link back to it), which nothing can read; remove it or point it at a file.")
    return None


def _data_folder(args: argparse.Namespace) -> tuple[Path | None, str | None]:
    """The data folder of this run (--data, else $MOGOK_ECON_DATA; None: the shipped data), or the problem with it."""
    given, by = (args.data, "--data") if getattr(args, "data", None) else (os.environ.get(paths.DATA_ENV), paths.DATA_ENV)
    if not given:
        return None, None
    problem = data_folder_problem(given, by)
    return (None, problem) if problem else (Path(given).expanduser().resolve(), None)


def _draws_from_posterior(args: argparse.Namespace) -> bool:
    """Whether this run draws from the calibrated posterior: every command that draws, unless --priors."""
    if getattr(args, "priors", True):  # --priors, or a command that has no such option
        return False
    return not (args.command == "timeline" and not args.json)  # the table of periods draws nothing


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        folder, problem = _data_folder(args)
        if problem:
            print(f"mogok-econ: error: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
        from ..environment import store_from_environment
        from ..inputs.world import load_world

        args.world = load_world(folder, store_from_environment())
        args.posterior = None  # the priors, unless the command draws from the calibrated posterior
        if _draws_from_posterior(args):
            from ..analysis.calibration import posterior_for

            args.posterior = posterior_for(True, args.seed, args.world)
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


if __name__ == "__main__":
    sys.exit(main())
