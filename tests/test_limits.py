"""Numbers a user can ask for beyond what they can do here are refused before any work: one line that
gives the value, the limit and why, and exit code 2 (never a MemoryError traceback)."""
from __future__ import annotations

import time

import pytest

from mogok_econ import limits

from .conftest import run_command

GiB = 1024**3


@pytest.fixture
def one_gib(monkeypatch):
    """A machine with 1 GiB available: the memory limits become small and exact."""
    monkeypatch.setattr(limits, "available_memory", lambda: GiB)
    return GiB


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mogok-econ: error: ") and "Traceback" not in err
    return lines[0]


def test_ten_billion_draws_are_refused_at_once_with_the_limit_and_why():
    start = time.perf_counter()
    result = run_command("split", "junta_informal", "--draws", "10000000000")
    assert result.returncode == 2, result.stderr
    line = _one_error_line(result.stderr)
    needed = limits.human_bytes(10_000_000_000 * limits.BYTES_PER_DRAW["split"])
    assert f"--draws 10000000000 needs about {needed} of memory" in line and needed.endswith("TiB")
    assert "available (limit here: " in line and "bytes a draw" in line
    assert result.stdout == "" and time.perf_counter() - start < 30


@pytest.mark.parametrize(("command", "what"), [("split", "split"), ("levers", "levers"), ("timeline", "timeline")])
def test_draws_beyond_the_available_memory_are_refused(one_gib, run_cli, command, what):
    limit = int(one_gib * limits.MEMORY_SHARE // limits.BYTES_PER_DRAW[what])
    args = [command] + (["junta_informal"] if command != "timeline" else []) + ["--json", "--draws"]
    code, out, err = run_cli(*args, str(limit + 1))
    assert code == 2 and out == ""
    line = _one_error_line(err)
    assert f"limit here: {limit:,} draws" in line and "1.0 GiB available" in line and what in line


def test_draws_at_the_limit_pass_the_check(one_gib):
    limit = limits.max_draws(limits.BYTES_PER_DRAW["split"])
    assert limits.check_draws(limit, "split") == limit
    with pytest.raises(limits.LimitError):
        limits.check_draws(limit + 1, "split")


def test_the_bytes_per_draw_cover_a_real_run():
    """The documented constant is not below what a run takes now (tracemalloc sees numpy's memory)."""
    import tracemalloc

    import mogok_econ as me
    from mogok_econ.cli import split_report

    scenario = me.load_scenario("junta_informal")
    draws = 100_000
    tracemalloc.start()
    try:
        split_report(scenario, draws, 1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / draws <= limits.BYTES_PER_DRAW["split"]


@pytest.mark.parametrize("draws", ["0", "-5"])
def test_draws_below_one_are_refused(run_cli, draws):
    code, _, err = run_cli("split", "junta_informal", "--draws", draws)
    assert code == 2 and "must be at least 1" in _one_error_line(err)


def test_render_draws_that_cannot_fit_with_the_jobs_are_refused_before_any_work(one_gib, run_cli, tmp_path):
    out = tmp_path / "out"
    code, _, err = run_cli("render", "junta_informal", "tnla_control", "-p", "draws=5000000", "--jobs", "2",
                           "--output", str(out))
    assert code == 2
    line = _one_error_line(err)
    assert "-p draws=5000000" in line and "--jobs 2" in line and "limit here:" in line
    assert not out.exists()


@pytest.mark.parametrize("samples", ["100", "3000", str(2**17), "128"])
def test_sobol_samples_out_of_range_or_not_a_power_of_two_are_refused(run_cli, tmp_path, samples):
    code, _, err = run_cli("render", "junta_informal", "-p", f"sobol_samples={samples}", "--output", str(tmp_path / "o"))
    assert code == 2
    line = _one_error_line(err)
    assert f"sobol_samples={samples}" in line and "power of two from 256 to 65,536" in line
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("jobs", ["0", str(2 * limits.cores() + 1), "1000"])
def test_jobs_beyond_twice_the_cores_are_refused(run_cli, jobs):
    code, _, err = run_cli("render", "junta_informal", "--jobs", jobs)
    assert code == 2
    line = _one_error_line(err)
    assert f"--jobs {jobs} is outside 1 to {2 * limits.cores()}" in line and "core" in line


@pytest.mark.parametrize(("seconds", "fragment"), [("0", "must be at least 1 second"),
                                                   ("86401", "more than 86,400 seconds (a day")])
def test_cell_timeouts_outside_a_second_to_a_day_are_refused(run_cli, seconds, fragment):
    code, _, err = run_cli("render", "junta_informal", "--cell-timeout", seconds)
    assert code == 2 and fragment in _one_error_line(err)


def test_seeds_beyond_32_bits_are_refused(run_cli):
    code, _, err = run_cli("split", "junta_informal", "--draws", "1000", "--seed", str(2**32))
    assert code == 2 and "--seed 4294967296 is outside 0 to 4,294,967,295" in _one_error_line(err)


def test_available_memory_is_read_from_this_machine():
    memory = limits.available_memory()
    assert memory is None or memory > 0
    assert limits.cores() >= 1
