"""Every lever under every scenario: what each single lever does to the junta's and the miners' take,
with intervals, so a reader sees which levers matter under whose control.

Within a scenario every lever shares the scenario's base draws (common random numbers); across
scenarios the draws share G, the working days and the market-rate quantile, as everywhere in the
model. A lever that cannot be applied to a scenario (its `applies_to`, or ranges it would leave) has
an empty cell with the reason; one that can be applied but is not feasible there is computed and
flagged.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED
from ..inputs import dependencies
from ..inputs.levers import Lever, applicable
from ..inputs.scenarios import Scenario
from ..inputs.world import World, shipped_world
from .cache import cached_result
from .lever_effects import effects
from .monte_carlo import Posterior

#: The columns of one cell, besides the lever, the scenario and their titles.
CELL_COLUMNS = ("applicable", "reason", "feasible", "junta_denied", "junta_denied_p5", "junta_denied_p50",
                "junta_denied_p95", "miners", "miners_p5", "miners_p50", "miners_p95", "ratio",
                "volume_price_only", "cost_per_denied", "cost_per_denied_p5", "cost_per_denied_p95", "rank", "p_wins")


def lever_matrix(scenarios: list[Scenario], levers: list[Lever], draws: int = DEFAULT_DRAWS,
                 seed: int = DEFAULT_SEED, posterior: Posterior | None = None, world: World | None = None
                 ) -> pd.DataFrame:
    """One row per (lever, scenario), levers in the given order and scenarios in the given order.
    Money in USD a year; `junta_denied` is positive when the junta loses, its P5/P50/P95 are of the
    per-draw loss; `miners` is the miners' change (negative: they lose); `rank` and `p_wins` the lever's place
    among the scenario's levers by RANKING_CRITERION and its mean chance of beating each of them."""
    world = world or shipped_world()
    rows = []
    for s in scenarios:
        usable, skipped = applicable(s, levers)
        # each scenario's column saved apart: an edit to one scenario computes only its column again
        table = cached_result("lever-matrix-column", (s, usable, draws, seed), lambda s=s, usable=usable: effects(
            s, usable, draws=draws, seed=seed, pairs=False, all_together=False, posterior=posterior),
            inputs=dependencies.scenarios(world, [s.name]) + dependencies.levers(world),
            posterior=posterior, world=world) if usable else None
        for lever in levers:
            row = {"lever": lever.name, "scenario": s.name, "lever_title": lever.title, "scenario_title": s.title,
                   "applicable": lever.name not in skipped, "reason": skipped.get(lever.name, ""),
                   "feasible": lever.feasible(s)}
            if table is not None and lever.name in table.index:
                r = table.loc[lever.name]
                row.update(junta_denied=-r["junta"], junta_denied_p5=-r["junta_p95"], junta_denied_p50=-r["junta_p50"],
                           junta_denied_p95=-r["junta_p5"], miners=r["miners"], miners_p5=r["miners_p5"],
                           miners_p50=r["miners_p50"], miners_p95=r["miners_p95"], ratio=r["ratio"],
                           volume_price_only=bool(r["volume_price_only"]), cost_per_denied=r["cost_per_denied"],
                           cost_per_denied_p5=r["cost_per_denied_p5"], cost_per_denied_p95=r["cost_per_denied_p95"],
                           rank=r["rank"], p_wins=r["p_wins"])
            rows.append(row)
    frame = pd.DataFrame(rows).set_index(["lever", "scenario"])
    for c in CELL_COLUMNS:
        if c not in frame:
            frame[c] = np.nan
    return frame


def matrix_json(frame: pd.DataFrame, draws: int, seed: int) -> dict:
    """The object `mogok-econ levers --matrix --json` prints (USD a year; null where undefined)."""
    def num(v):
        return None if v is None or not np.isfinite(v) else float(v)

    def band(row, key):
        return {"point": num(row[key]), "p5": num(row[f"{key}_p5"]), "p50": num(row[f"{key}_p50"]),
                "p95": num(row[f"{key}_p95"])}

    cells = []
    for (lever, scenario), row in frame.iterrows():
        cell = {"lever": lever, "scenario": scenario, "lever_title": row["lever_title"],
                "scenario_title": row["scenario_title"], "applicable": bool(row["applicable"]),
                "feasible": bool(row["feasible"])}
        if row["applicable"]:
            cell.update(junta_denied_usd=band(row, "junta_denied"), miners_change_usd=band(row, "miners"),
                        junta_denied_per_miner_dollar_lost=num(row["ratio"]),
                        works_through_volume_and_price=bool(row["volume_price_only"]),
                        value_destroyed_per_junta_dollar_denied={
                            "point": num(row["cost_per_denied"]), "p5": num(row["cost_per_denied_p5"]),
                            "p95": num(row["cost_per_denied_p95"])})
        else:
            cell["not_applicable_because"] = row["reason"]
        cells.append(cell)
    levers = list(dict.fromkeys(frame.index.get_level_values(0)))
    scenarios = list(dict.fromkeys(frame.index.get_level_values(1)))
    titles = frame.reset_index().drop_duplicates("lever").set_index("lever")["lever_title"]
    stitles = frame.reset_index().drop_duplicates("scenario").set_index("scenario")["scenario_title"]
    return {"draws": draws, "seed": seed,
            "levers": [{"name": n, "title": titles[n]} for n in levers],
            "scenarios": [{"name": n, "title": stitles[n]} for n in scenarios],
            "cells": cells}


__all__ = ["CELL_COLUMNS", "lever_matrix", "matrix_json"]
