"""One scenario report built into a throw-away reports folder, shared by the tests of this folder (small
draws: the pipeline, the pages and the downloads are tested, not the numbers)."""
from __future__ import annotations

import pytest

from mogok_econ.reports.build import build
from mogok_econ.reports.catalogue import plan

SCENARIO = "tnla_control"
OVERRIDES = {"draws": 20_000, "sobol_samples": 1024}


def scenario_jobs():
    return plan([SCENARIO], OVERRIDES, include_comparison=False)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    summary = build(scenario_jobs(), workers=1, reports=out)
    assert summary.built == [f"scenario-{SCENARIO}"]
    return out
