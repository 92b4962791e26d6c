"""The research agenda (docs/model.md, "Calibration"): which evidence would most change the answer.

Each uncertain parameter gets the grade of the evidence behind it and its first-order effect on the
junta's take since the coup, Y = the timeline's cumulative junta flow from 1 February 2021 to the end
of the data (analysis/monthly_flows, stock carried), under the posterior:

    S_i = Var(E[Y | X_i]) / Var(Y)

estimated from the calibrated draws by binning X_i into equal-weight bins (weighted means; the
between-bin variance less its expected value under no effect, (bins - 1)/ESS). Such indices are not
additive when the posterior is correlated (the calibration correlates G, f, v and θ): their sum can
exceed or fall short of 1, and a parameter that enters no equation of Y (θ) can have a large index
through its correlation with one that does.

Grades come from the sources a parameter cites, through SOURCE_GRADES, kept here in one place: a
parameter's grade is the weakest among them (its range is only as sure as its least sure part: many
ranges cite a strong source for context and an assumption for their ends), its best grade the strongest.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_SEED, QUANTILE_LEVELS, REPORTED_QUANTILES
from ..inputs.observables import GRADES
from ..inputs.timeline import COUP
from .calibration import Calibration
from .monthly_flows import month_weights, run_months

#: Posterior draws the agenda runs through the timeline (the timeline is month by month: a few
#: thousand draws keep `mogok-econ agenda` to seconds; the indices' sampling error is about 0.01).
AGENDA_DRAWS = 4_000
#: Equal-weight bins of each parameter for the first-order index.
BINS = 20

#: The grade of a source, by the start of its id (its publisher), kept in one place. Official records
#: and audits: governments' gazettes, sanctions and laws (law firms relaying the text of a law count as
#: the law). Investigations with figures: NGOs and researchers who publish their data or method (Global
#: Witness, NRGI, IPIS, GI-TOC, Edison, universities, a listed miner's accounts). Everything else: press
#: reports and interviews.
SOURCE_GRADES: dict[str, str] = {
    **dict.fromkeys(("us-treasury", "treasury", "uk-wms", "uk-fcdo", "eu-council", "eiti", "jade-act-eo", "gnlm",
                     "allen-gledhill", "dfdl", "mondaq", "asean-briefing", "lawplus", "vdb-loi", "ilawasia",
                     "natlawreview", "us-embassy"), "official record or audit"),
    **dict.fromkeys(("global-witness", "gw-", "nrgi", "ipis", "edison", "mdigem", "aec-utcc", "sanchez-de-la-sierra",
                     "clubofmozambique"), "investigation with figures"),
}


def source_grade(source_id: str) -> str:
    if source_id == "assumption":
        return "assumption"
    for prefix, grade in SOURCE_GRADES.items():
        if source_id.startswith(prefix):
            return grade
    return "press report or interview"


def parameter_grade(sources: tuple[str, ...], weakest: bool = True) -> str:
    """The weakest grade among a parameter's sources (what its range rests on where it is least sure:
    a sanction cited for context does not make a price factor an official record), or the strongest."""
    grades = [source_grade(s) for s in sources] or ["assumption"]
    return (max if weakest else min)(grades, key=GRADES.index)


def first_order(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None, bins: int = BINS) -> float:
    """Var(E[Y|X]) / Var(Y) by binning X into `bins` equal-weight bins, less the bias of the estimator."""
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    w = w / w.sum()
    mean = w @ y
    var = w @ (y - mean) ** 2
    if var <= 0 or np.ptp(x) == 0:
        return 0.0
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(w[order])
    which = np.minimum((cum * bins).astype(int), bins - 1)
    between = 0.0
    for b in range(bins):
        sel = order[which == b]
        wb = w[sel].sum()
        if wb > 0:
            between += wb * ((w[sel] @ y[sel]) / wb - mean) ** 2
    n_eff = 1.0 / (w @ w)
    return float(max(0.0, between / var - (bins - 1) / n_eff))


def junta_since_coup(calib: Calibration, draws: int, seed: int) -> tuple[np.ndarray, dict[str, dict]]:
    """The junta's cumulative take since the coup (USD), one per posterior draw, and the draws used."""
    world = calib.data_world
    timeline = world.timeline
    weights = month_weights(timeline)
    scenarios = {name: world.scenario(name) for name in weights.columns}
    values = {name: calib.calibrated_parameters(s, draws, seed) for name, s in scenarios.items()}
    quantile = next(iter(values.values()))["market_rate_quantile"]
    monthly = run_months(timeline, scenarios, weights, values, quantile, draws, ("junta",))["junta"].astype(float)
    since = np.array([m >= pd.Period(COUP, freq="M") for m in weights.index], dtype=float)
    return since @ monthly, values


def agenda(calib: Calibration, draws: int = AGENDA_DRAWS, seed: int = DEFAULT_SEED) -> dict:
    """The research agenda as JSON: each parameter's grade, sources and first-order index on the junta's
    take since the coup under the posterior, ranked."""
    y, values = junta_since_coup(calib, draws, seed)
    observation = calib.observation_draws(draws, seed)
    rows = []
    first = next(iter(values))
    world = calib.data_world
    shared = world.shared
    for key, p in shared.items():
        if p.distribution.uncertain:
            rows.append(("shared", key, p.sources, values[first][key]))
    for key, p in world.observation_parameters.items():
        if p.distribution.uncertain:
            rows.append(("observation", key, p.sources, observation[key]))
    for name, v in values.items():
        s = world.scenario(name)
        rows += [(name, k, s.parameters[k].sources, v[k]) for k in s.uncertain_parameters() if k not in s.shared]
    table = []
    for owner, key, sources, x in rows:
        grade = parameter_grade(tuple(sources))
        s1 = first_order(np.asarray(x, dtype=float), y)
        weakness = (GRADES.index(grade) + 1) / len(GRADES)
        table.append({"owner": owner, "parameter": key, "grade": grade,
                      "best_grade": parameter_grade(tuple(sources), weakest=False), "sources": list(sources),
                      "first_order": s1, "priority": s1 * weakness})
    table.sort(key=lambda r: (-r["priority"], -r["first_order"]))
    for i, r in enumerate(table, 1):
        r["rank"] = i
    q = np.quantile(y, QUANTILE_LEVELS)
    return {
        "output": "the junta's cumulative take since the coup (1 February 2021) to the end of the timeline, USD, "
                  "from the timeline month by month (stock carried), under the calibrated posterior",
        "method": calib.method, "draws": draws, "seed": seed,
        "junta_since_coup_usd": dict(zip(REPORTED_QUANTILES, map(float, q))),
        "sum_of_first_order": float(sum(r["first_order"] for r in table)),
        "caveat": "First-order indices Var(E[Y|X_i])/Var(Y) are not additive when the posterior is correlated (the "
                  "calibration correlates G, the formal share, v and θ): their sum need not be 1, and a parameter that "
                  "enters no equation of Y can score through its correlation with one that does.",
        "priority": "first-order index x weakness of the evidence ((grade's rank + 1) / 4: official record 0.25, "
                    "investigation 0.5, press report 0.75, assumption 1)",
        "parameters": table,
    }


__all__ = ["AGENDA_DRAWS", "SOURCE_GRADES", "agenda", "first_order", "parameter_grade", "source_grade"]
