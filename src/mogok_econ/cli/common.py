"""What every command shares: the parser that exits 2 on bad arguments, the exit codes, argument types
within this machine's limits, and the version, commit and data hash that JSON output records."""
from __future__ import annotations

import argparse
import json
import sys

from .. import limits, paths

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)


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


def add_draws_from(parser) -> None:
    """--priors (and --calibrated, the default, kept for the scripts that give it) for a command that draws."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--priors", action="store_true",
                       help="draw from the priors, before calibration (default: the calibrated posterior, as the "
                            "reports do)")
    group.add_argument("--calibrated", action="store_true",
                       help="draw from the calibrated posterior: the default (kept for compatibility)")


def draws_from(args) -> str:
    """What a command's draws and central estimates come from, as its JSON says it: "posterior" or "priors"."""
    return "priors" if args.priors else "posterior"


def draws_from_line(args) -> str:
    """The same, as a sentence for the tables."""
    if args.priors:
        return "Drawn from the priors (--priors), not the calibrated posterior the reports use."
    return "Drawn from the calibrated posterior, as the reports are (--priors: from the priors)."


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


def data_hash(world) -> str:
    """The hash of every file of the data folder (names relative to it, and contents), plus the shipped
    bibliography and scenarios when a user's folder adds to them: the World's digest (inputs/world.py)."""
    return world.digest


def money(value: float) -> str:
    return f"{value / 1e6:,.1f}"




class Terminated(BaseException):
    """SIGTERM, turned into an exception so that clean-up code runs. Like KeyboardInterrupt, not an
    Exception: no `except Exception` (an error handler) mistakes it for an error and carries on."""
