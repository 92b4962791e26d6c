"""What policy levers do to each actor's take, draw by draw.

A lever's changes are applied to every Monte Carlo draw of the scenario. The levered and the base
scenario share the same base draws (common random numbers), so a lever that changes nothing changes
nothing, draw for draw, and the changes it does make are measured precisely.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, QUANTILE_LEVELS
from ..core.split import split
from ..core.vocabulary import ACTORS, GROUPS
from ..errors import InputError
from ..inputs.levers import Lever, check_on
from ..inputs.scenarios import Scenario
from .conversion import model_inputs
from .monte_carlo import draw_parameters, stream

#: The ratio's interval is reported only when miners lose in at least this share of draws.
RATIO_INTERVAL_MIN_SHARE = 0.95


def apply_to_draws(params: dict, levers: list[Lever], draws: int, seed: int, scenario_name: str) -> dict:
    """The parameter draws with every change applied, in order. Each change's own value is drawn from
    a stream of its own, so the base draws are untouched."""
    out = dict(params)
    for lever in levers:
        for i, change in enumerate(lever.changes):
            rng = stream(seed, scenario_name, f"lever:{lever.name}:{i}")
            value = change.value.sample(rng, draws) if change.value.uncertain else change.value.point
            current = out[change.parameter]
            out[change.parameter] = change.apply(current, value)
    return out


def apply_to_point(values: dict[str, float], levers: list[Lever]) -> dict[str, float]:
    out = dict(values)
    for lever in levers:
        for change in lever.changes:
            out[change.parameter] = float(change.apply(out[change.parameter], change.value.point))
    return out


#: The takes a lever's effect is reported on: every leaf actor, then every group.
TAKES: tuple[str, ...] = (*ACTORS, *GROUPS)


def _takes(values: dict, scenario: Scenario) -> np.ndarray:
    """(draws, TAKES) for the parameter values (market-rate quantile included, if drawn)."""
    values = dict(values)
    params = model_inputs(scenario, values, values.pop("market_rate_quantile", None))
    flows = split(params, scenario.recipients, pit=False).flows
    groups = [flows[:, [ACTORS.index(a) for a in members]].sum(axis=1) for members in GROUPS.values()]
    return np.column_stack([flows, *groups])


def effects(scenario: Scenario, levers: list[Lever], draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            pairs: bool = True, all_together: bool = True) -> pd.DataFrame:
    """What each lever, each pair of levers and all of them together do to every actor's take.

    One row per combination (index: the lever names joined by ' + '). Columns: for each actor,
    `<actor>` (change at the point estimate, USD/yr) and `<actor>_p5`, `_p50`, `_p95` (of the per-draw
    change); `junta_denied` and `miners_lost` (point, positive = a loss); `ratio` (dollars denied to the
    junta per dollar lost by miners, at the point estimate; inf where miners do not lose) with `ratio_p5`,
    `ratio_p50`, `ratio_p95` of the per-draw ratio when miners lose in at least 95% of draws (else NaN),
    and `miners_lose_share` (the share of draws in which they lose). Rows are ranked: first the
    combinations that deny the junta money while miners lose nothing (by dollars denied), then by ratio;
    those that do not reduce the junta's take last.
    """
    problems = [p for lever in levers for p in check_on(scenario, [lever])]
    if problems:
        raise InputError(problems)
    combos: list[tuple[Lever, ...]] = [(lever,) for lever in levers]
    if pairs:
        combos += list(combinations(levers, 2))
    if all_together and len(levers) > 2:
        combos.append(tuple(levers))
    base_params = draw_parameters(scenario, draws, seed)
    base_flows = _takes(base_params, scenario)
    base_point = _takes(scenario.point_values(), scenario)[0]
    rows = {}
    for combo in combos:
        combo_problems = check_on(scenario, list(combo))
        if combo_problems:
            raise InputError(combo_problems)
        label = " + ".join(lever.name for lever in combo)
        flows = _takes(apply_to_draws(base_params, list(combo), draws, seed, scenario.name), scenario)
        change = np.broadcast_to(flows, (draws, len(TAKES))) - np.broadcast_to(base_flows, (draws, len(TAKES)))
        point = _takes(apply_to_point(scenario.point_values(), list(combo)), scenario)[0] - base_point
        row: dict[str, float] = {"levers": len(combo)}
        for i, actor in enumerate(TAKES):
            row[actor] = float(point[i])
            q = np.quantile(change[:, i], QUANTILE_LEVELS)
            row.update({f"{actor}_p5": q[0], f"{actor}_p50": q[1], f"{actor}_p95": q[2]})
        j, m = ACTORS.index("junta"), ACTORS.index("miners")
        denied, lost = -float(point[j]), -float(point[m])
        row["junta_denied"], row["miners_lost"] = denied, lost
        row["ratio"] = denied / lost if lost > 1e-6 else (np.inf if denied > 1e-6 else np.nan)
        lose = -change[:, m] > 1e-6
        row["miners_lose_share"] = float(lose.mean())
        if lose.mean() >= RATIO_INTERVAL_MIN_SHARE:  # the ratio is well defined in (nearly) every draw
            ratios = -change[lose, j] / -change[lose, m]
            row.update(dict(zip(("ratio_p5", "ratio_p50", "ratio_p95"), np.quantile(ratios, QUANTILE_LEVELS))))
        else:
            row.update(ratio_p5=np.nan, ratio_p50=np.nan, ratio_p95=np.nan)
        rows[label] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "levers_applied"
    return rank(frame)


def rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Order: deny the junta with no loss to miners (most denied first), then by ratio, then the rest."""
    denies = frame["junta_denied"] > 1e-6
    free = denies & ~(frame["miners_lost"] > 1e-6)
    group = np.where(free, 0, np.where(denies, 1, 2))
    key = np.where(free, -frame["junta_denied"], np.where(denies, -frame["ratio"].replace(np.inf, 0), 0))
    order = np.lexsort((key, group))
    ranked = frame.iloc[order].copy()
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    return ranked


def effects_json(scenario: Scenario, table: pd.DataFrame, draws: int, seed: int,
                 skipped: dict[str, str] | None = None) -> dict:
    """The object `mogok-econ levers --json` prints (USD per year; null where a value is undefined)."""
    def num(v):
        return None if v is None or not np.isfinite(v) else float(v)

    base = _takes(scenario.point_values(), scenario)[0]
    rows = []
    for label, row in table.iterrows():
        rows.append({
            "rank": int(row["rank"]), "levers": label.split(" + "),
            "change_usd": {a: {"point": num(row[a]), "p5": num(row[f"{a}_p5"]), "p50": num(row[f"{a}_p50"]),
                               "p95": num(row[f"{a}_p95"])} for a in TAKES},
            "junta_denied_usd": num(row["junta_denied"]), "miners_lost_usd": num(row["miners_lost"]),
            "junta_denied_per_miner_dollar_lost": {
                "point": num(row["ratio"]), "p5": num(row["ratio_p5"]), "p50": num(row["ratio_p50"]),
                "p95": num(row["ratio_p95"]), "miners_lose_in_share_of_draws": num(row["miners_lose_share"]),
                "miners_do_not_lose": bool(row["miners_lost"] <= 1e-6)},
        })
    return {"scenario": scenario.name, "draws": draws, "seed": seed,
            "baseline_flows_usd": {a: float(base[i]) for i, a in enumerate(TAKES)}, "results": rows,
            "not_applicable": skipped or {}}


__all__ = ["apply_to_draws", "apply_to_point", "effects", "effects_json", "rank"]
