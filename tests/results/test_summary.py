"""The summary's results (results/summary.py): computed once and kept as typed tables, read back by whatever
shows them, the command line included; every headline is the same number in its table and in the headline
table; a damaged folder is computed again, and a folder of other data is never read as this data's."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from mogok_econ.inputs.world import shipped_world
from mogok_econ.results.summary import load_summary, results_folder, summary_results
from mogok_econ.results.summary_tables import SUMMARY_TABLES
from mogok_econ.results.tables import ResultsError

DRAWS, SEED = 1_000, 5

pytestmark = pytest.mark.slow  # computes the comparison, the timeline and the policy analysis (few draws)


@pytest.fixture(scope="module")
def summary():
    return summary_results(DRAWS, SEED, world=shipped_world())


def test_the_summary_is_its_tables_read_back_as_the_schemas_say(summary):
    assert set(summary.tables) == set(SUMMARY_TABLES)
    for name, schema in SUMMARY_TABLES.items():
        assert list(summary.tables[name].columns) == list(schema.column_names), name
    again = summary_results(DRAWS, SEED, world=shipped_world())  # read, not computed: the same numbers
    for name in SUMMARY_TABLES:
        pd.testing.assert_frame_equal(again.tables[name], summary.tables[name])


def test_every_headline_is_the_number_of_the_table_it_comes_from(summary):
    h = summary.headlines
    assert h.loc["junta_since_coup", "point"] == summary.since_coup["point"]
    assert h.loc["junta_since_coup", "p95"] == summary.since_coup["p95"]
    assert h.loc["junta_now", "point"] == summary.current_takes.loc["junta", "point"]
    assert h.loc["junta_since_return", "point"] == summary.since_return["point"]
    parts = summary.since_coup_parts["point"]
    assert np.isclose(parts.sum(), summary.since_coup["point"], rtol=1e-9)  # observed + projected = the total
    for s in summary.scenarios:
        assert h.loc[f"junta_in_{s.name}", "point"] == summary.point.loc[s.name, "junta"]
    if len(summary.levers):
        assert h.loc["top_policy_denies", "point"] == summary.best_lever["junta_denied"]
        assert summary.best_lever.name in h.loc["top_policy_denies", "description"]


def test_the_running_total_adds_up_the_months(summary):
    months, running = summary.junta_monthly["point"], summary.junta_running_total["point"]
    assert months.index.equals(running.index)
    assert np.isclose(months.sum(), running.iloc[-1], rtol=1e-6)


def test_a_damaged_results_folder_is_computed_again_and_other_data_is_refused(summary, tmp_path):
    world = shipped_world()
    folder = results_folder(DRAWS, SEED, True, world)
    table = folder / "current_takes.csv"
    table.write_text(table.read_text().replace("point", "central", 1))
    with pytest.raises(ResultsError):
        load_summary(folder, world)
    repaired = summary_results(DRAWS, SEED, world=world)
    pd.testing.assert_frame_equal(repaired.current_takes, summary.current_takes)
    package = json.loads((folder / "datapackage.json").read_text())
    package["about"]["data_digest"] = "0" * 64
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    (other / "datapackage.json").write_text(json.dumps(package))
    with pytest.raises(ResultsError, match="other data"):
        load_summary(other, world)
    assert load_summary(other, world, same_data=False).tables.keys() == summary.tables.keys()


def test_the_command_line_says_the_summarys_headlines(summary, run_cli):
    code, out, _ = run_cli("headlines", "--json", "--draws", str(DRAWS), "--seed", str(SEED))
    assert code == 0
    rows = {r["quantity"]: r for r in json.loads(out)["headlines"]}
    assert rows["junta_since_coup"]["point"] == summary.headlines.loc["junta_since_coup", "point"]
    assert rows["junta_now"]["p5"] == summary.headlines.loc["junta_now", "p5"]
    assert rows["sales_now"]["p5"] is None  # no interval is given where none was computed
    code, out, _ = run_cli("headlines", "--draws", str(DRAWS), "--seed", str(SEED))
    assert code == 0 and "junta_since_coup" in out.splitlines()[1]
