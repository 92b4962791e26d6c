"""`mogok-econ export`: a scenario's Monte Carlo draws as Parquet or CSV, the same bytes for the same seed,
and bad input refused with exit code 2 and no traceback."""
from __future__ import annotations

import pandas as pd
import pytest

from mogok_econ import load_scenario
from mogok_econ.analysis.monte_carlo import monte_carlo
from tests.conftest import run_in_process


def test_export_writes_parquet_and_csv_with_the_model_draws(tmp_path):
    parquet, csv = tmp_path / "d.parquet", tmp_path / "d.csv"
    priors = ("tnla_control", "--draws", "500", "--seed", "7", "--priors")  # compared below with monte_carlo's priors
    assert run_in_process("export", *priors, "--output", str(parquet)).returncode == 0
    assert run_in_process("export", *priors, "--output", str(csv)).returncode == 0
    a, b = pd.read_parquet(parquet), pd.read_csv(csv)
    assert len(a) == len(b) == 500 and list(a.columns) == list(b.columns)
    expected = monte_carlo(load_scenario("tnla_control"), 500, 7)
    assert a["junta"].to_numpy() == pytest.approx(expected["junta"].to_numpy())
    assert a["input:gross_value_usd"].to_numpy() == pytest.approx(a["gross_value_usd"].to_numpy())
    again = tmp_path / "again.parquet"
    run_in_process("export", *priors, "--output", str(again))
    assert again.read_bytes() == parquet.read_bytes()


def test_export_draws_from_the_calibrated_posterior_by_default(tmp_path):
    from mogok_econ.analysis.calibration import posterior_for
    from mogok_econ.cli.export import draws_frame

    out = tmp_path / "d.csv"
    result = run_in_process("export", "tnla_control", "--draws", "500", "--seed", "7", "--output", str(out))
    assert result.returncode == 0 and "from the posterior" in result.stderr
    expected = draws_frame(load_scenario("tnla_control"), 500, 7, posterior_for(True, 7))
    assert pd.read_csv(out)["junta"].to_numpy() == pytest.approx(expected["junta"].to_numpy())


@pytest.mark.parametrize("args, fragment", [
    (["atlantis"], "no such scenario"),
    (["tnla_control", "--draws", "0"], "--draws"),
    (["tnla_control", "--draws", "many"], "--draws"),
    (["tnla_control", "--format", "xlsx"], "--format"),
    (["tnla_control", "--format", "csv", "--output", "x.parquet"], "--format"),
    (["tnla_control", "--output", "/no/such/folder/x.csv"], "does not exist"),
])
def test_export_refuses_bad_input_with_exit_2(args, fragment):
    result = run_in_process("export", *args)
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr and "Traceback" not in result.stderr


def test_export_memory_per_draw_within_its_limit():
    """limits.BYTES_PER_DRAW["export"] covers what the export allocates (numpy's part, traced)."""
    import io
    import tracemalloc

    from mogok_econ import limits
    from mogok_econ.cli.export import draws_frame

    scenario = load_scenario("contested")
    draws = 50_000
    tracemalloc.start()
    try:
        frame = draws_frame(scenario, draws, 1)
        frame.to_parquet(io.BytesIO(), index=False, engine="pyarrow", compression="zstd")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / draws <= limits.BYTES_PER_DRAW["export"]
