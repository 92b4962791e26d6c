"""Incomes per person reconcile with the miners' flow exactly, in every shipped scenario and every draw
(docs/model.md, "Incomes per month"): wages and commission of the employed plus hand-miners' incomes, less
the fees and extortion per head the wage workers pay, summed over people, is what miners keep."""
from __future__ import annotations

import numpy as np
import pytest

from mogok_econ.analysis.monte_carlo import model_draws
from mogok_econ.core.split import split
from mogok_econ.core.vocabulary import ACTORS, RECIPIENTS
from mogok_econ.inputs.world import shipped_world

WORLD = shipped_world()
DRAWS = 4_000


@pytest.mark.parametrize("name", WORLD.scenario_names)
def test_incomes_summed_over_people_equal_the_miners_flow(name):
    scenario = WORLD.scenario(name)
    # miners are paid only for their work in the shipped data: no recipients table names them
    assert not any(scenario.recipients.get(table, {}).get("miners", 0.0) for table in RECIPIENTS)
    r = split(model_draws(scenario, DRAWS, seed=11), scenario.recipients)
    summed = 12 * (r.employed * r.wage + r.hand_miners * r.hand_miner_income) - r.wage_dues
    flow = r.flows[:, ACTORS.index("miners")]
    np.testing.assert_allclose(summed, flow, rtol=1e-9, atol=1e-3)
    np.testing.assert_allclose(r.miner_income * 12 * r.miners, flow, rtol=1e-9, atol=1e-3)
    assert (r.hand_miner_income >= 0).all() and (r.wage_dues >= -1e-6).all()
    assert (r.hand_miner_median_income <= r.hand_miner_income + 1e-9).all()
