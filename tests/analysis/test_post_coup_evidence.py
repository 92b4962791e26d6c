"""The observations after the coup (data/observables.yaml): every scenario of the timeline from February
2021 is reached by one in the likelihood or says why none exists, and each new observation maps to its
quantity as worked by hand."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from mogok_econ.analysis.calibration import calibration
from mogok_econ.analysis.monte_carlo import prior_parameters
from mogok_econ.analysis.observation import Population, implied, log_likelihood, observation_draws
from mogok_econ.inputs.observables import load_observables, load_unobserved, reached_parameters
from mogok_econ.inputs.scenarios import load_scenario
from mogok_econ.inputs.timeline import COUP, load_timeline


def _post_coup_scenarios() -> list[str]:
    periods = load_timeline().periods
    return list(dict.fromkeys(p.scenario for p in periods if p.end > COUP))


def test_every_post_coup_scenario_is_reached_or_says_why_not():
    observables = load_observables()
    reached = reached_parameters(observables.values())
    reasons = load_unobserved()
    post = _post_coup_scenarios()
    assert {"junta_informal", "tnla_control", "contested", "tnla_handover", "junta_recapture", "junta_reopened"} <= set(post)
    for name in post:
        assert reached.get(name) or reasons.get(name, "").strip(), f"{name}: neither observed nor explained"
    stale = [n for n in reasons if reached.get(n)]
    assert stale == [], f"a reason given for a scenario an observation reaches: {stale}"
    assert sum(o.use == "likelihood" for o in observables.values()) >= 6
    assert {"junta_informal", "tnla_control", "contested", "tnla_handover"} <= set(reached)


def test_the_calibration_reports_the_reasons_and_a_loo_row_per_fitted_observation():
    calib = calibration()  # the one every report uses (cached, computed once a run)
    d = calib.to_dict()
    assert set(d["unreached_reasons"]) == set(d["unreached_scenarios"]) >= {"junta_recapture", "junta_reopened"}
    fitted = [o.id for o in calib.observables.values() if o.use == "likelihood"]
    assert [r["id"] for r in d["loo"]] == fitted
    assert all(0 <= r["loo_score"] <= 1 and 0 <= r["prior_score"] <= 1 for r in d["loo"])
    assert "loo" in d["criteria"]


def _population(name: str, n: int, **values) -> tuple[dict, Population]:
    scenario = load_scenario(name)
    drawn = prior_parameters(scenario, n, 5)
    drawn.update({k: np.asarray(v, dtype=float) for k, v in values.items()})
    return {name: scenario}, Population(n, {name: drawn}, observation_draws(n, 5, None))


def test_the_tnla_fee_is_observed_in_dollars_at_the_periods_market_rate():
    """tnla_control runs July 2024 - July 2025: one month at the April 2024 rates (K3,850-4,000-4,200),
    twelve at the August 2024 ones (K3,900-4,300-5,000). At the lowest rates (quantile 0) K40,000 a year is
    40,000 / ((3,850 + 12 x 3,900) / 13) = $10.27; at the highest (quantile 1) 40,000 / ((4,200 + 12 x
    5,000) / 13) = $8.10."""
    o = load_observables()["tnla_fee_per_miner_2024"]
    scenarios, pop = _population("tnla_control", 3, fee_per_miner=[40_000, 40_000, 0],
                                 market_rate_quantile=[0.0, 1.0, 0.5])
    y = implied([o], scenarios, pop)[o.id]
    assert y[0] == pytest.approx(40_000 / (50_650 / 13)) and y[0] == pytest.approx(10.2665, abs=1e-4)
    assert y[1] == pytest.approx(40_000 / (64_200 / 13)) and y[1] == pytest.approx(8.0997, abs=1e-4)
    assert y[2] == 0.0
    ll = log_likelihood(o, y)  # a box on the log scale, softened by a normal of sd 0.1 at each end
    box = stats.norm.cdf((np.log(y[:2]) - np.log(4.0)) / 0.1) - stats.norm.cdf((np.log(y[:2]) - np.log(10.3)) / 0.1)
    assert ll[:2] == pytest.approx(np.log(box), abs=1e-9)
    assert ll[1] == pytest.approx(np.log(stats.norm.cdf(np.log(10.3 / 8.0997) / 0.1)), abs=1e-4)  # about -0.008
    assert ll[0] > np.log(0.5) and ll[2] < -1e6  # no fee at all: $0 is as good as impossible


def test_the_handover_headcount_is_the_handover_scenarios_miner_count():
    """7,000-24,000 miners, a box on the log scale with a 10% model error: at an end the likelihood is
    Φ(0) - Φ(-log(24,000/7,000)/0.1) = 0.5; at 3,500 (half the low end) it is Φ(-log 2 / 0.1) = 2.1e-12."""
    o = load_observables()["residents_gone_handover_2025"]
    assert o.scenarios == {"tnla_handover": 1.0}
    scenarios, pop = _population("tnla_handover", 4, miner_count=[7_000, 24_000, 13_000, 3_500],
                                 open_access_share=[0.0] * 4)  # the fixed count: the headcount is N
    y = implied([o], scenarios, pop)[o.id]
    assert list(y) == [7_000, 24_000, 13_000, 3_500]
    ll = log_likelihood(o, y)
    assert ll[0] == pytest.approx(np.log(0.5), abs=1e-6) and ll[1] == pytest.approx(np.log(0.5), abs=1e-6)
    assert ll[2] == pytest.approx(0.0, abs=1e-6)
    assert ll[3] == pytest.approx(stats.norm.logcdf(-np.log(2) / 0.1), rel=1e-6)


def test_shares_observed_directly_have_an_absolute_error_of_two_points():
    """Mining halted in the fighting: production_factor of `contested` at most 0.25, so 0.25 gives
    log Φ(0) and 0.29 (two model errors above) log Φ(-2); the TNLA's cut of finds in 0-0.4: 0.44 gives
    log Φ(-2); the handover's two-thirds, at most 0.67: 0.71 gives log Φ(-2)."""
    table = load_observables()
    cases = [("takeover_mining_halted_2024", "contested", "production_factor", 0.25),
             ("tnla_pit_levy_2024_25", "tnla_control", "pit_levy_rate", 0.4),
             ("tnla_pit_levy_handover_2025", "tnla_handover", "pit_levy_rate", 0.67)]
    for oid, name, key, high in cases:
        o = table[oid]
        assert o.scenarios == {name: 1.0} and o.parameter == key
        scenarios, pop = _population(name, 3, **{key: [high, high + 0.04, 0.1]})
        y = implied([o], scenarios, pop)[o.id]
        assert list(y) == pytest.approx([high, high + 0.04, 0.1])
        ll = log_likelihood(o, y)
        assert ll[0] == pytest.approx(np.log(0.5), abs=1e-3), oid
        assert ll[1] == pytest.approx(stats.norm.logcdf(-2.0), abs=1e-3), oid
        assert ll[2] == pytest.approx(0.0, abs=1e-3), oid


def test_under_open_access_the_headcount_observed_is_the_equilibriums():
    """The same draws under the open-access reading: the people mining are E plus the hand-miners at the
    entry equilibrium, not N, so the headcounts weigh the two readings (docs/model.md, "Readings")."""
    o = load_observables()["miners_after_coup_2021"]
    scenarios, pop = _population("junta_informal", 2, miner_count=[20_000, 20_000], open_access_share=[0.0, 1.0])
    y = implied([o], scenarios, pop)[o.id]
    assert y[0] == pytest.approx(20_000) and abs(y[1] - 20_000) > 100


def test_the_post_coup_headcount_reaches_junta_informal_over_2021():
    o = load_observables()["miners_after_coup_2021"]
    assert o.scenarios == {"junta_informal": 1.0} and o.use == "likelihood" and o.low == 20_000
    scenarios, pop = _population("junta_informal", 2, miner_count=[20_000, 10_000], open_access_share=[0.0, 0.0])
    ll = log_likelihood(o, implied([o], scenarios, pop)[o.id])
    assert ll[0] == pytest.approx(np.log(0.5)) and ll[1] == pytest.approx(stats.norm.logcdf(-np.log(2) / 0.1))
