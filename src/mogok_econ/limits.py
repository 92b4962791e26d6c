"""What the numeric options can ask of this machine, checked before any work starts.

Each limit has a reason a user can act on: the Monte Carlo draws are bounded by the memory available
now (the model is vectorised: every draw lives in memory at once), parallel jobs by the cores, Sobol
samples by what Saltelli's scheme needs (a power of two) and what a report can run in reasonable time,
and cell timeouts by a day. The command line's argparse types use these; a refusal is a LimitError,
printed as one line (`mogok-econ: error: ...`) with exit code 2.

Also what a data file may hold (its bytes, values, nesting, text, numbers, dates, and the timeline's years),
since a data folder may come from a stranger: the loaders (inputs/yaml_loader.py) refuse a file beyond them
with an InputError naming the file and the field, before anything is built from it.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable

#: Peak memory of one Monte Carlo draw, in bytes, measured with tracemalloc (numpy's allocations
#: included) at 100,000 draws on the shipped scenarios (model version 2; the timeline at 20,000), rounded up:
#: - `split --draws`: the draws of every parameter, the split's intermediate arrays and outputs (21
#:   columns), and the quantiles' copy: 688-728 bytes a draw (junta_informal, junta_licensed,
#:   tnla_control, contested, junta_reopened);
#: - `levers`: the base draws plus one lever's changed copy at a time: 1,010;
#: - `timeline`: every scenario's draws at once, the stock by owner and the monthly series kept: 5,908;
#: - `calibrate`: every scenario an observable reaches drawn at once, their implied quantities and the
#:   weights: 1,265 with the 16 observables of five scenarios drafted for issue 10 (benchmarks/calibration.py);
#: - the reports (one kernel each): scenario 846, comparison 2,050 (every scenario at once),
#:   timeline 5,908, policy 1,010.
#: Measure again (the script is in benchmarks/memory.py) when the model gains parameters or outputs.
#: Drawn recipients tables (docs/model.md, "Who is paid, drawn": one array per actor named, and the
#: concentration, per drawn table) added, measured in December 2026 against the same runs without them:
#: split 930-994 (from 826-858), export 1,267-1,363 traced with 66-72 columns (from 1,043-1,091), levers
#: 1,589 (from 1,493), timeline 7,532 (from 6,722), counterfactual 15,368 (from 14,460), calibrate and
#: comparison at 20,000 draws 3,926 and 2,494 (from 3,383 and 2,454); the figures below cover them, the
#: reports' and the brief's raised by the same amounts (not measured again).
#: - `export`: the draws of the inputs and every output in one frame (41 columns), written as Parquet: 728-777
#:   bytes a draw traced by tracemalloc (junta_informal, tnla_control, contested), plus Arrow's copy of the
#:   frame for the writer (41 columns of 8 bytes, which tracemalloc does not see): 1,300.
BYTES_PER_DRAW: dict[str, int] = {
    "split": 1_050,  # measured 994 (tests/test_limits.py) with the drawn recipients tables
    "levers": 1_650, "timeline": 7_800, "calibrate": 2_000,
    "export": 2_000,  # 1,363 traced and Arrow's copy of 72 columns (576)
    "scenario": 1_050, "comparison": 2_550, "timeline report": 7_800,
    "policy": 15_600,  # the levers, the matrix and the counterfactual history (measured 13,890 before the drawn tables)
    "counterfactual": 15_600,  # two timelines (actual and with the levers), same draws (measured 15,368)
    "brief": 10_800,
    # the calibration report: `calibrate`'s 1,400, and the parameters' prior draws for their posterior quantiles
    # (not measured with benchmarks/memory.py yet: an estimate)
    "calibration": 2_200,  # the brief holds the timeline report's, the comparison's and the policy report's draws at once
}
#: The share of the available memory the draws may take (the rest: Python, numpy, pandas, the kernel).
MEMORY_SHARE = 0.8

#: Saltelli's sampling for the Sobol indices needs a power of two; below 256 the indices are noise,
#: above 65,536 one scenario report's sensitivity takes minutes for no visible change.
SOBOL_MIN, SOBOL_MAX = 256, 2**16
#: Parallel jobs (render's worker processes, one notebook kernel each): at most twice the cores, since
#: more only adds memory and switching; at least 1.
JOBS_PER_CORE = 2
#: A notebook cell may run from 1 second to a day; a cell that needs longer is a bug, not a slow cell.
CELL_TIMEOUT_MIN, CELL_TIMEOUT_MAX = 1, 86_400
#: Seeds: what numpy's seeding and the reports' parameters take (32 bits, unsigned).
SEED_MAX = 2**32 - 1

# --- what a data file may hold (a data folder may come from a stranger: each bound keeps the reading of
# one file to well under a second and a few megabytes, whatever it holds) ---------------------------------
#: Bytes in one data file: 1 MiB, ten times the largest shipped file (sources.yaml, 97 KB).
MAX_FILE_BYTES = 1024 * 1024
#: The largest result table read back (results/tables.py): a summary's tables are a few KB each.
MAX_RESULT_BYTES = 16 * 1024 * 1024
#: Values (mappings, lists and scalars) in one file once its YAML aliases (`*name`) are expanded: twenty times
#: the 2,477 of the largest shipped file. An alias repeats what its anchor holds, so nine nested aliases of
#: nine items each in a few hundred bytes stand for 9^9 values (the "billion laughs"): they are counted before
#: anything is built from them.
MAX_VALUES = 50_000
#: Nesting of mappings and lists in one file (the shipped files go 9 deep).
MAX_DEPTH = 20
#: Characters in one text value (a title, a summary, a note): five times the longest shipped one (1,934).
MAX_TEXT_CHARS = 10_000
#: Characters in a number as written (the shipped ones use at most 12; Python refuses to read a whole number of
#: over 4,300 digits, and no quantity here needs more than 1.5e9).
MAX_NUMBER_CHARS = 40
#: Characters in a scenario's or a lever's name (a file's stem).
MAX_NAME_CHARS = 64
#: Files in scenarios/ or levers/ (nine of each ship): each is read to list them, and every scenario to resolve
#: what extends it.
MAX_FILES = 200
#: Scenarios in one chain of `extends` (the shipped ones chain at most 4): each is read to load the first.
MAX_EXTENDS = 16
#: The years a date in the data may fall in (the timeline, the sources, the scenarios' periods, the sanctions),
#: see `DATE_RANGE_WHY`.
FIRST_YEAR, LAST_YEAR = 1800, 2100
#: The years the timeline may cover: from 1988 (military rule since the State Law and Order Restoration Council:
#: the model's actors, levies and licences are those of these years) to 2050 (a timeline is history plus at most
#: a short projection, and every month of it is in memory for every draw: see `MEASURED_TIMELINE_MONTHS`).
TIMELINE_FIRST_YEAR, TIMELINE_LAST_YEAR = 1988, 2050
#: Why dates before FIRST_YEAR or after LAST_YEAR are refused (for the messages).
DATE_RANGE_WHY = f"from {FIRST_YEAR} to {LAST_YEAR} (a year outside is a typing error)"
TIMELINE_RANGE_WHY = (f"from {TIMELINE_FIRST_YEAR}-01-01 to {TIMELINE_LAST_YEAR + 1}-01-01: the model's actors and "
                      "levies are those of military rule since 1988, and a timeline is history plus at most a short "
                      "projection (every month of it is kept for every draw)")
#: The months of the timeline with which BYTES_PER_DRAW's timeline figures were measured (data/timeline.yaml,
#: 2016-01 to 2026-11): a longer timeline keeps more months for every draw, and its draws are checked in proportion.
MEASURED_TIMELINE_MONTHS = 131
#: The commands and reports whose memory grows with the timeline's months.
TIMELINE_KINDS = frozenset({"timeline", "timeline report", "counterfactual", "policy", "brief"})


class LimitError(Exception):
    """A numeric option beyond what it can do (here); the message is one line: the value, the limit, why."""


def available_memory() -> int | None:
    """Bytes of memory available now (Linux: MemAvailable; elsewhere the free physical pages), or None."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def max_draws(bytes_per_draw: float, memory: int | None = None) -> int | None:
    """The most draws that fit in the memory available (None: unknown memory, no limit)."""
    memory = available_memory() if memory is None else memory
    return None if memory is None else int(memory * MEMORY_SHARE // bytes_per_draw)


def bytes_per_draw(what: str, months: int | None = None) -> int:
    """BYTES_PER_DRAW[what], in proportion to a timeline of `months` months where `what` keeps the timeline's
    months (TIMELINE_KINDS) and it is longer than the one measured."""
    per_draw = BYTES_PER_DRAW[what]
    if months is not None and what in TIMELINE_KINDS and months > MEASURED_TIMELINE_MONTHS:
        per_draw = -(-per_draw * months // MEASURED_TIMELINE_MONTHS)
    return per_draw


def check_draws(draws: int, what: str, option: str = "--draws", parallel: int = 1, months: int | None = None) -> int:
    """`draws` for `what` (a key of BYTES_PER_DRAW), `parallel` runs at once, with a timeline of `months` months
    (None: the shipped one's length): refused if it cannot fit."""
    if draws < 1:
        raise LimitError(f"{option} {draws} must be at least 1")
    one = bytes_per_draw(what, months)
    per_draw = one * parallel
    memory = available_memory()
    limit = max_draws(per_draw, memory)
    if limit is not None and draws > limit:
        runs = f", {parallel} at once" if parallel > 1 else ""
        span = f" over the timeline's {months:,} months" if one != BYTES_PER_DRAW[what] else ""
        raise LimitError(f"{option} {draws} needs about {human_bytes(draws * per_draw)} of memory "
                         f"({one:,} bytes a draw for {what}{span}{runs}); this machine has "
                         f"{human_bytes(memory)} available (limit here: {limit:,} draws)")
    return draws


def check_render_draws(draws_by_kind: Iterable[tuple[str, int]], workers: int, months: int | None = None) -> None:
    """The reports' draws, `workers` kernels at once, with a timeline of `months` months (None: the shipped
    one's length): the largest `workers` needs must fit together."""
    needs = sorted(((bytes_per_draw(k, months) * d, k, d) for k, d in draws_by_kind), reverse=True)[:max(1, workers)]
    memory = available_memory()
    if not needs or memory is None:
        return
    total = sum(n for n, _, _ in needs)
    if total > memory * MEMORY_SHARE:
        _, kind, draws = needs[0]
        limit = int(memory * MEMORY_SHARE // sum(bytes_per_draw(k, months) for _, k, _ in needs))
        report = kind.removesuffix(" report")
        raise LimitError(f"-p draws={draws} needs about {human_bytes(total)} of memory for {len(needs)} report(s) "
                         f"rendered at once (the {report} report takes {bytes_per_draw(kind, months):,} bytes a draw); this "
                         f"machine has {human_bytes(memory)} available (limit here: {limit:,} draws with "
                         f"--jobs {len(needs)}; fewer --jobs allow more)")


def check_jobs(jobs: int, option: str = "--jobs") -> int:
    limit = JOBS_PER_CORE * cores()
    if not 1 <= jobs <= limit:
        raise LimitError(f"{option} {jobs} is outside 1 to {limit}: each job is a process with its own notebook "
                         f"kernel, and more than {JOBS_PER_CORE} per core ({cores()} core(s) here) only adds "
                         "memory and switching")
    return jobs


def check_sobol_samples(samples: int, option: str = "-p sobol_samples") -> int:
    if samples & (samples - 1) or not SOBOL_MIN <= samples <= SOBOL_MAX:
        raise LimitError(f"{option}={samples} must be a power of two from {SOBOL_MIN:,} to {SOBOL_MAX:,}: "
                         "Saltelli's sampling needs a power of two, fewer samples give noise, more take "
                         "minutes for no visible change")
    return samples


def check_cell_timeout(seconds: int, option: str = "--cell-timeout") -> int:
    if seconds < CELL_TIMEOUT_MIN:
        raise LimitError(f"{option} {seconds} must be at least {CELL_TIMEOUT_MIN} second")
    if seconds > CELL_TIMEOUT_MAX:
        raise LimitError(f"{option} {seconds} is more than {CELL_TIMEOUT_MAX:,} seconds (a day, the limit): a cell "
                         "that needs longer is a bug, not a slow cell")
    return seconds


def check_seed(seed: int, option: str = "--seed") -> int:
    if not 0 <= seed <= SEED_MAX:
        raise LimitError(f"{option} {seed} is outside 0 to {SEED_MAX:,} (seeds are 32-bit, as in the reports)")
    return seed


def whole_number(option: str, check: Callable[[int], int] | None = None) -> Callable[[str], int]:
    """An argparse type for `option`: a whole number (argparse's own error if not), then `check`ed against
    its limit (LimitError: the command line prints it as one line and exits with 2)."""
    import argparse

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            shown = repr(text) if len(text) <= 40 else f"{text[:37]!r}... ({len(text):,} characters)"
            raise argparse.ArgumentTypeError(f"{shown} is not a whole number") from None
        return check(value) if check else value
    return parse
