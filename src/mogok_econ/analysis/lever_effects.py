"""What policy levers do to each actor's take, draw by draw.

A lever's changes are applied to every Monte Carlo draw of the scenario. The levered and the base
scenario share the same base draws (common random numbers), so a lever that changes nothing changes
nothing, draw for draw, and the changes it does make are measured precisely.

A lever whose changes a mechanism derives (core/lever_mechanisms.py) draws the mechanism's parameters
once per draw, so its changes to price and to the formal share come from the same values. Where the
junta loses, it recovers an uncertain share of the loss through its other levies on sales (the data
folder's lever_mechanisms.yaml; `recover_through_other_levies`), drawn from a stream of its own and the
same for every option, so that options are compared on the same junta response.

Levers that conflict (their files' `conflicts_with`) are never combined. A combination is feasible
under a scenario only if every lever in it is (`feasible_under`); infeasible ones are computed and
shown, but ranked after every feasible one.
"""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, QUANTILE_LEVELS
from ..core.distributions import Distribution
from ..core.lever_mechanisms import MECHANISM_KINDS, recover_through_other_levies
from ..core.split import split
from ..core.vocabulary import ACTORS, GROUPS
from ..errors import InputError
from ..inputs.lever_mechanisms import load_levy_substitution
from ..inputs.levers import Lever, apply_moves, apply_moves_to_draws, check_on, conflicts
from ..inputs.scenarios import Scenario
from .conversion import model_inputs
from .lever_ranking import RANKING_CRITERION, rank
from .monte_carlo import Posterior, central_values, draw_parameters, stream

#: The ratio's interval is reported only when miners lose in at least this share of draws.
RATIO_INTERVAL_MIN_SHARE = 0.95
#: Parameters that scale realised sales and nothing else: a lever that changes only these (in effect)
#: cuts or raises every actor's flow in proportion, so its ratio is just the flows' ratio.
VOLUME_PRICE_PARAMETERS = ("gross_value_usd", "production_factor", "market_access", "price_factor")
#: A lever "works through volume and price" when at least this share of the junta's loss comes from
#: those changes; its ratio is then close to a uniform price cut's, not a property of the lever.
VOLUME_PRICE_MAIN_SHARE = 0.9


def apply_to_draws(params: dict, levers: list[Lever], draws: int, seed: int, scenario_name: str) -> dict:
    """The parameter draws with every change applied, in order. Each change's own value is drawn from
    a stream of its own, so the base draws are untouched."""
    out = dict(params)
    for lever in levers:
        derived = (lever.mechanism.drawn_factors(_mechanism_streams(lever, seed, scenario_name), draws)
                   if lever.mechanism else {})
        for i, change in enumerate(lever.changes):
            if change.derived:
                value = derived[change.parameter]
            else:
                rng = stream(seed, scenario_name, f"lever:{lever.name}:{i}")
                value = change.value.sample(rng, draws) if change.value.uncertain else change.value.point
            current = out[change.parameter]
            out[change.parameter] = change.apply(current, value)
    return out


def _mechanism_streams(lever: Lever, seed: int, scenario_name: str):
    """The stream of each mechanism parameter: the lever's own, or one every lever shares for the market's
    (the same market in every option of a draw)."""
    market = MECHANISM_KINDS[lever.mechanism.kind].market

    def rng_for(name: str):
        return stream(seed, scenario_name, f"mechanism:{name}" if name in market else f"lever:{lever.name}:{name}")
    return rng_for


def apply_to_point(values: dict[str, float], levers: list[Lever]) -> dict[str, float]:
    out = dict(values)
    for lever in levers:
        for change in lever.changes:
            out[change.parameter] = float(change.apply(out[change.parameter], change.value.point))
    return out


#: The takes a lever's effect is reported on: every leaf actor, then every group.
TAKES: tuple[str, ...] = (*ACTORS, *GROUPS)


def _takes(values: dict, scenario: Scenario, levers: list[Lever] | tuple = (),
           recovery: tuple[np.ndarray, np.ndarray | float] | None = None) -> np.ndarray:
    """(draws, TAKES) for the parameter values (market-rate quantile included, if drawn), with the
    recipients tables as `levers` move them. With `recovery` (the junta's take before the levers, and the
    share of a loss it recovers), the junta recovers that share through its other levies."""
    values = apply_moves_to_draws(dict(values), levers)  # a drawn table is moved draw by draw
    params = model_inputs(scenario, values, values.pop("market_rate_quantile", None))
    result = split(params, apply_moves(scenario.recipients, list(levers)), pit=recovery is not None)
    flows = result.flows
    if recovery is not None:
        flows = recover_through_other_levies(recovery[0], flows, result.pit_flows, ACTORS.index("junta"), recovery[1])
    groups = [flows[:, [ACTORS.index(a) for a in members]].sum(axis=1) for members in GROUPS.values()]
    return np.column_stack([flows, *groups])


def _without_volume_price(lever: Lever) -> Lever:
    """The lever with its changes to volume and price left out (its recipients moves kept)."""
    from dataclasses import replace

    return replace(lever, changes=tuple(c for c in lever.changes if c.parameter not in VOLUME_PRICE_PARAMETERS))


def combinations_of(levers: list[Lever], pairs: bool = True, all_together: bool = True) -> list[tuple[Lever, ...]]:
    """Each lever, each pair that does not conflict, and all of them together when none conflict."""
    clash = conflicts(levers)
    combos: list[tuple[Lever, ...]] = [(lever,) for lever in levers]
    if pairs:
        combos += [c for c in combinations(levers, 2) if (c[0].name, c[1].name) not in clash]
    if all_together and len(levers) > 2 and not clash:
        combos.append(tuple(levers))
    return combos


def effects(scenario: Scenario, levers: list[Lever], draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
            pairs: bool = True, all_together: bool = True, posterior: Posterior | None = None) -> pd.DataFrame:
    """What each lever, each pair of levers and all of them together do to every actor's take.

    A pair of levers that conflict is never formed, nor "all together" when any two conflict
    (`inputs.levers.conflicts` says which and why). `feasible` is whether every lever of the row is
    feasible under the scenario; `volume_price_only` whether the row moves money only through volume
    and price (with `flows_ratio`, the junta's flow over the miners' before the lever, which its ratio
    then equals up to the wage floor); `value_destroyed` the realised value lost (USD/yr, negative when
    the lever adds value) and `cost_per_denied` that loss per junta dollar denied, with `_p5`.. intervals
    where the junta loses in at least 95% of draws.

    One row per combination (index: the lever names joined by ' + '). Columns: for each actor,
    `<actor>` (change at the point estimate, USD/yr) and `<actor>_p5`, `_p50`, `_p95` (of the per-draw
    change); `junta_denied` and `miners_lost` (point, positive = a loss); `ratio` (dollars denied to the
    junta per dollar lost by miners, at the point estimate; inf where miners do not lose) with `ratio_p5`,
    `ratio_p50`, `ratio_p95` of the per-draw ratio when miners lose in at least 95% of draws (else NaN),
    and `miners_lose_share` (the share of draws in which they lose). Rows are ranked by
    `lever_ranking.rank` (RANKING_CRITERION), with its `p_wins`, `p_best` and `p_beats_next`.
    """
    problems = [p for lever in levers for p in check_on(scenario, [lever])]
    if problems:
        raise InputError(problems)
    combos = combinations_of(levers, pairs, all_together)
    feasible = [lever for lever in levers if lever.feasible(scenario)]
    if all_together and conflicts(levers) and len(feasible) > 2 and not conflicts(feasible):
        combos.append(tuple(feasible))  # the feasible package, where the full set cannot be combined
    base_params = draw_parameters(scenario, draws, seed, posterior)
    base_flows = _takes(base_params, scenario)
    central = central_values(scenario, posterior)
    base_point = _takes(central, scenario)[0]
    substitution = load_levy_substitution(scenario.data)
    j = ACTORS.index("junta")
    recovery_draws, recovery_point = _recovery(substitution, base_flows[:, j], base_point[j], draws, seed, scenario.name)
    rows, denied_draws = {}, {}
    for combo in combos:
        combo_problems = check_on(scenario, list(combo))
        if combo_problems:
            raise InputError(combo_problems)
        label = " + ".join(lever.name for lever in combo)
        flows = _takes(apply_to_draws(base_params, list(combo), draws, seed, scenario.name), scenario, combo,
                       recovery_draws)
        change = np.broadcast_to(flows, (draws, len(TAKES))) - np.broadcast_to(base_flows, (draws, len(TAKES)))
        point = _takes(apply_to_point(central, list(combo)), scenario, combo, recovery_point)[0] - base_point
        row: dict[str, float] = {"levers": len(combo), "feasible": all(lever.feasible(scenario) for lever in combo)}
        for i, actor in enumerate(TAKES):
            row[actor] = float(point[i])
            q = np.quantile(change[:, i], QUANTILE_LEVELS)
            row.update({f"{actor}_p5": q[0], f"{actor}_p50": q[1], f"{actor}_p95": q[2]})
        j, m = ACTORS.index("junta"), ACTORS.index("miners")
        denied, lost = -float(point[j]), -float(point[m])
        row["junta_denied"], row["miners_lost"] = denied, lost
        denied_draws[label] = -np.broadcast_to(change[:, j], (draws,))
        row["ratio"] = denied / lost if lost > 1e-6 else (np.inf if denied > 1e-6 else np.nan)
        lose = -change[:, m] > 1e-6
        row["miners_lose_share"] = float(lose.mean())
        if lose.mean() >= RATIO_INTERVAL_MIN_SHARE:  # the ratio is well defined in (nearly) every draw
            ratios = -change[lose, j] / -change[lose, m]
            row.update(dict(zip(("ratio_p5", "ratio_p50", "ratio_p95"), np.quantile(ratios, QUANTILE_LEVELS))))
        else:
            row.update(ratio_p5=np.nan, ratio_p50=np.nan, ratio_p95=np.nan)
        row.update(_trade_off(scenario, combo, point, change, base_point, central, recovery_point))
        rows[label] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "levers_applied"
    ranked = rank(frame, denied_draws)
    ranked.attrs["titles"] = {lever.name: lever.title for lever in levers}
    ranked.attrs["levy_substitution"] = None if substitution is None else substitution.describe()
    return ranked


def _recovery(substitution: Distribution | None, base_junta: np.ndarray, base_junta_point: float, draws: int,
              seed: int, scenario_name: str):
    """The junta's response as `_takes` takes it, per draw and at the point estimate (None: no response)."""
    if substitution is None:
        return None, None
    shares = substitution.sample(stream(seed, scenario_name, "lever:levy_substitution"), draws)
    return (np.broadcast_to(base_junta, (draws,)), shares), (np.array([base_junta_point]), substitution.point)


def _trade_off(scenario: Scenario, combo: tuple[Lever, ...], point: np.ndarray, change: np.ndarray,
               base_point: np.ndarray, central: dict[str, float], recovery_point=None) -> dict:
    """How much of the junta's loss comes from the combination's changes to volume and price (at the
    point estimate), the ratio a uniform 10% price cut would give under the scenario (the benchmark a
    volume-and-price lever cannot beat by much), and the value destroyed per junta dollar denied (point
    and, where the junta loses in >= 95% of draws, P5/P50/P95)."""
    j, m, n = ACTORS.index("junta"), ACTORS.index("miners"), len(ACTORS)
    touches = any(c.parameter in VOLUME_PRICE_PARAMETERS for lever in combo for c in lever.changes)
    rest = [_without_volume_price(lever) for lever in combo]
    rest_change = _takes(apply_to_point(central, rest), scenario, rest, recovery_point)[0] - base_point
    share = 1 - rest_change[j] / point[j] if touches and abs(point[j]) > 1e-6 else (np.nan if touches else 0.0)
    cut = _takes({**central, "price_factor": 0.9 * central["price_factor"]},
                 scenario, (), recovery_point)[0] - base_point
    destroyed = -float(point[:n].sum())
    denied = -float(point[j])
    out = {"volume_price_share": float(share),
           "volume_price_only": bool(touches and np.isfinite(share) and share >= VOLUME_PRICE_MAIN_SHARE),
           "flows_ratio": float(base_point[j] / base_point[m]) if base_point[m] > 1e-6 else np.nan,
           "price_cut_ratio": float(cut[j] / cut[m]) if cut[m] < -1e-6 else np.nan,
           "value_destroyed": destroyed if abs(destroyed) > 1e-6 else 0.0,
           "cost_per_denied": (destroyed if abs(destroyed) > 1e-6 else 0.0) / denied if denied > 1e-6 else np.nan}
    draws_denied, draws_destroyed = -change[:, j], -change[:, :n].sum(axis=1)
    draws_destroyed = np.where(np.abs(draws_destroyed) > 1e-6, draws_destroyed, 0.0)  # rounding, not value
    if (draws_denied > 1e-6).mean() >= RATIO_INTERVAL_MIN_SHARE:
        ok = draws_denied > 1e-6
        q = np.quantile(draws_destroyed[ok] / draws_denied[ok], QUANTILE_LEVELS)
        out.update(cost_per_denied_p5=q[0], cost_per_denied_p50=q[1], cost_per_denied_p95=q[2])
    else:
        out.update(cost_per_denied_p5=np.nan, cost_per_denied_p50=np.nan, cost_per_denied_p95=np.nan)
    return out


def not_combined(levers: list[Lever]) -> list[dict]:
    """The pairs of `levers` that are never combined, with their titles and why."""
    titles = {lever.name: lever.title for lever in levers}
    return [{"levers": list(pair), "titles": [titles[n] for n in pair], "why": why}
            for pair, why in conflicts(levers).items()]


def effects_json(scenario: Scenario, table: pd.DataFrame, draws: int, seed: int,
                 skipped: dict[str, str] | None = None, not_combined: list[dict] | None = None,
                 posterior: Posterior | None = None) -> dict:
    """The object `mogok-econ levers --json` prints (USD per year; null where a value is undefined)."""
    def num(v):
        return None if v is None or not np.isfinite(v) else float(v)

    base = _takes(central_values(scenario, posterior), scenario)[0]
    titles = table.attrs.get("titles", {})
    rows = []
    for label, row in table.iterrows():
        rows.append({
            "rank": int(row["rank"]), "levers": label.split(" + "), "titles": [titles.get(n, n) for n in label.split(" + ")],
            "change_usd": {a: {"point": num(row[a]), "p5": num(row[f"{a}_p5"]), "p50": num(row[f"{a}_p50"]),
                               "p95": num(row[f"{a}_p95"])} for a in TAKES},
            "junta_denied_usd": num(row["junta_denied"]), "miners_lost_usd": num(row["miners_lost"]),
            "junta_denied_per_miner_dollar_lost": {
                "point": num(row["ratio"]), "p5": num(row["ratio_p5"]), "p50": num(row["ratio_p50"]),
                "p95": num(row["ratio_p95"]), "miners_lose_in_share_of_draws": num(row["miners_lose_share"]),
                "miners_do_not_lose": bool(row["miners_lost"] <= 1e-6),
                "works_through_volume_and_price": bool(row["volume_price_only"]),
                "volume_and_price_share_of_junta_loss": num(row["volume_price_share"]),
                "uniform_price_cut_ratio": num(row["price_cut_ratio"]),
                "junta_to_miners_flow_ratio_before": num(row["flows_ratio"])},
            "feasible": bool(row["feasible"]),
            "ranking": {"mean_pairwise_win_probability": num(row["p_wins"]), "probability_best_of_kind": num(row["p_best"]),
                        "probability_beats_next_of_kind": num(row["p_beats_next"])},
            "value_destroyed_usd": num(row["value_destroyed"]),
            "value_destroyed_per_junta_dollar_denied": {
                "point": num(row["cost_per_denied"]), "p5": num(row["cost_per_denied_p5"]),
                "p50": num(row["cost_per_denied_p50"]), "p95": num(row["cost_per_denied_p95"])},
        })
    return {"scenario": scenario.name, "scenario_title": scenario.title, "draws": draws, "seed": seed,
            "ranking_criterion": RANKING_CRITERION, "levy_substitution": table.attrs.get("levy_substitution"),
            "baseline_flows_usd": {a: float(base[i]) for i, a in enumerate(TAKES)}, "results": rows,
            "not_applicable": skipped or {}, "not_combined": not_combined or []}


__all__ = ["RANKING_CRITERION", "VOLUME_PRICE_PARAMETERS", "apply_to_draws", "apply_to_point", "combinations_of",
           "effects", "effects_json", "not_combined", "rank"]
