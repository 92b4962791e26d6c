"""`mogok-econ export`: the Monte Carlo draws of a scenario, one row per draw (the inputs drawn, then every
output of the model), as Parquet or CSV, for an economist's own analysis. The same scenario, draws and seed
write the same bytes; the file appears whole or not at all."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ..errors import InputError, Problem
from .common import EXIT_OK, add_draws_from, draws_for, draws_from, seed_int

FORMATS = ("parquet", "csv")


def draws_frame(scenario, draws: int, seed: int, posterior=None):
    """Inputs drawn (columns `input:<parameter>`, only the uncertain ones, and each drawn recipients table's
    shares, `input:share:<table>:<actor>`, with its concentration where drawn) and the model's outputs, per draw:
    from `posterior` (the calibrated one, by default on the command line), or the priors."""
    import numpy as np
    import pandas as pd

    from ..analysis.monte_carlo import draw_parameters, monte_carlo

    inputs = draw_parameters(scenario, draws, seed, posterior)
    inputs.pop("market_rate_quantile")
    drawn = {f"input:{k}": v for k, v in inputs.items() if isinstance(v, np.ndarray)}
    outputs = monte_carlo(scenario, draws, seed, posterior)  # the same seed and streams: row i is draw i of the inputs
    frame = pd.concat([pd.DataFrame(drawn), outputs.reset_index(drop=True)], axis=1)
    frame.insert(0, "draw", np.arange(draws))
    return frame


def _format(args) -> str:
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    if args.format and suffix in FORMATS and suffix != args.format:
        raise InputError(Problem("command line", "--output", args.output,
                                 f"ends in .{suffix} but --format is {args.format}; give one or make them agree."))
    return args.format or (suffix if suffix in FORMATS else "parquet")


def cmd_export(args) -> int:
    fmt = _format(args)
    scenario = args.world.scenario(args.scenario)
    output = Path(args.output or f"{scenario.name}-draws-{args.draws}-seed{args.seed}.{fmt}").expanduser()
    try:
        is_dir, parent_is_dir = output.is_dir(), output.parent.is_dir()
    except OSError as exc:  # a name too long
        raise InputError(Problem("command line", "--output", str(output), f"cannot be written ({exc.strerror}).")) from None
    if is_dir:
        raise InputError(Problem("command line", "--output", str(output), "is a folder; give a file name."))
    if not parent_is_dir:
        raise InputError(Problem("command line", "--output", str(output),
                                 f"its folder {output.parent} does not exist; create it first."))
    frame = draws_frame(scenario, args.draws, args.seed, args.posterior)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")
        else:
            frame.to_csv(tmp, index=False, lineterminator="\n")
        os.replace(tmp, output)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"{len(frame):,} draws of {scenario.name} from the {draws_from(args)} (seed {args.seed}), {frame.shape[1]} "
          f"columns, written to {output}", file=sys.stderr)
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("export", help="write the Monte Carlo draws of a scenario (inputs and outputs) as Parquet or CSV")
    p.add_argument("scenario", help="a scenario name in data/scenarios, or a path to a YAML file")
    p.add_argument("--draws", type=draws_for("export"), default=DEFAULT_DRAWS,
                   help=f"Monte Carlo draws (default {DEFAULT_DRAWS:,}; at most what fits in this machine's memory)")
    p.add_argument("--seed", type=seed_int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    add_draws_from(p)
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="parquet (default, or from --output's suffix) or csv")
    p.add_argument("--output", metavar="FILE", help="the file to write (default: SCENARIO-draws-N-seedS.FORMAT here)")
    p.set_defaults(run=cmd_export)


