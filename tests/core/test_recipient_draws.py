"""Recipients tables drawn around their stated shares (docs/model.md, "Who is paid, drawn"): the Dirichlet's
moments worked by hand, conservation in every draw, fixed tables, determinism, the draws of the other
parameters unchanged, the cache key, levers on drawn tables, the calibration's latent space, the
sensitivity inputs, and hostile concentrations refused cleanly."""
from __future__ import annotations

import copy

import numpy as np
import pytest

from mogok_econ import InputError, load_scenario
from mogok_econ.analysis.cache import key
from mogok_econ.analysis.monte_carlo import model_draws, monte_carlo, prior_parameters
from mogok_econ.core.recipient_draws import (
    concentration_key,
    draw_table,
    drawn_tables,
    is_table_key,
    share_key,
    table_from_uniforms,
    uniforms_from_table,
)
from mogok_econ.core.split import CHANNELS, split
from mogok_econ.core.vocabulary import ACTORS
from tests.conftest import BASE_SCENARIO, run_command


def _doc(concentration=None, **recipients):
    doc = copy.deepcopy(BASE_SCENARIO)
    doc["recipients"].update(recipients)
    if concentration is not None:
        doc["recipient_concentration"] = concentration
    return doc


def _fixed(value=20.0):
    return {"value": value, "source": "test-source"}


# --- the Dirichlet, worked by hand ---------------------------------------------------------------------------------

def test_two_recipients_give_the_beta_of_the_formula():
    """A two-actor table at α = 20 around (0.3, 0.7): the first share is Beta(6, 14), mean 0.3 and variance
    0.3·0.7/21 = 0.01; the second is its complement, so every draw adds up to 1."""
    n = 400_000
    first, second = draw_table(np.random.default_rng(1), [0.3, 0.7], 20.0, n)
    assert abs(first.mean() - 0.3) < 4 * np.sqrt(0.01 / n)
    assert first.var() == pytest.approx(0.01, rel=0.02)
    np.testing.assert_array_equal(first + second, np.ones(n))
    # Beta(6, 14)'s third central moment, 2(b-a)·sqrt(a+b+1) / ((a+b+2)·sqrt(ab)) · sd³: the shape, not only two moments
    a, b = 6.0, 14.0
    skew = 2 * (b - a) * np.sqrt(a + b + 1) / ((a + b + 2) * np.sqrt(a * b))
    assert ((first - first.mean()) ** 3).mean() / first.std() ** 3 == pytest.approx(skew, abs=0.03)


def test_three_recipients_have_the_dirichlet_marginals_and_covariances():
    """Stick-breaking is exactly a Dirichlet: every share (the last one too) has mean m_k and variance
    m_k(1-m_k)/(α+1), and two shares covary by -m_i·m_j/(α+1)."""
    means, alpha, n = [0.6, 0.3, 0.1], 8.0, 400_000
    shares = np.column_stack(draw_table(np.random.default_rng(2), means, alpha, n))
    m = np.array(means)
    np.testing.assert_allclose(shares.mean(axis=0), m, atol=0.002)
    np.testing.assert_allclose(shares.var(axis=0), m * (1 - m) / (alpha + 1), rtol=0.02)
    assert np.cov(shares[:, 0], shares[:, 1])[0, 1] == pytest.approx(-m[0] * m[1] / (alpha + 1), rel=0.03)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    assert (shares >= 0).all() and (shares <= 1).all()


def test_a_drawn_concentration_is_a_mixture_of_betas():
    """With α drawn per draw, a share's variance is E[m(1-m)/(α+1)] and its mean still m."""
    rng = np.random.default_rng(3)
    n = 400_000
    alpha = rng.uniform(5, 50, n)
    first, _ = draw_table(rng, [0.2, 0.8], alpha, n)
    assert abs(first.mean() - 0.2) < 0.002
    assert first.var() == pytest.approx(np.mean(0.16 / (alpha + 1)), rel=0.02)


def test_uniforms_and_tables_are_each_others_inverse():
    rng = np.random.default_rng(4)
    u = rng.uniform(0.01, 0.99, (1000, 3))
    means, alpha = [0.4, 0.3, 0.2, 0.1], rng.uniform(3, 60, 1000)
    shares = table_from_uniforms(u, means, alpha)
    np.testing.assert_allclose(sum(shares), 1.0, atol=1e-15)
    np.testing.assert_allclose(uniforms_from_table(shares, means, alpha), u, atol=1e-9)


# --- scenarios: which tables are drawn, and conservation per draw --------------------------------------------------

def test_single_recipient_and_declared_fixed_tables_stay_fixed(data_dir):
    data_dir.scenario("base", _doc({"checkpoint_to": {"fixed": True, "note": "documented split, for the test"},
                                    "extortion_to": _fixed()}))
    s = load_scenario("base", data=data_dir.root)
    # state_tax_to pays one actor; checkpoint_to is declared fixed; owner_stakes takes data/shared.yaml's default
    assert set(s.drawn_recipients()) == {"extortion_to", "owner_stakes"}
    values = prior_parameters(s, 1000, 5)
    assert not any(k.startswith(("share:state_tax_to", "share:checkpoint_to")) for k in values)
    assert concentration_key("extortion_to") not in values  # a fixed concentration is not drawn
    assert concentration_key("owner_stakes") in values       # the default's is
    # owner_stakes names the junta with 0: zero shares stay zero (the Dirichlet is over the actors named)
    assert share_key("owner_stakes", "junta") not in values
    frame = split(model_draws(s, 1000, 5), s.recipients, by_channel=True)
    j = ACTORS.index("other_armed")  # paid only by checkpoints: a fixed table, a fixed share of them
    np.testing.assert_allclose(frame.channels["checkpoints"][:, j] / frame.channels["checkpoints"].sum(axis=1), 0.3)


def test_conservation_holds_in_every_draw_of_every_shipped_scenario():
    for name in ("tnla_control", "contested", "junta_informal", "junta_licensed", "equitable_governance"):
        s = load_scenario(name)
        params = model_draws(s, 20_000, 11)
        result = split(params, s.recipients, by_channel=True)
        np.testing.assert_allclose(result.flows.sum(axis=1), result.realised, rtol=1e-9, atol=1e-3)
        np.testing.assert_allclose(result.pit_flows.sum(axis=1), result.mine_gate, rtol=1e-9, atol=1e-3)
        np.testing.assert_allclose(sum(result.channels[c] for c in CHANNELS), result.flows, rtol=1e-9, atol=1e-3)
        tables = drawn_tables(s.recipients, params)
        for t in s.drawn_recipients():
            np.testing.assert_allclose(sum(tables[t].values()), 1.0, atol=1e-12)
        assert (result.flows >= -1e-6).all()


def test_the_vectorised_split_equals_the_split_one_draw_at_a_time():
    s = load_scenario("tnla_control")
    params = model_draws(s, 50, 3)
    together = split(params, s.recipients).flows
    for i in range(50):
        one = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in params.items()}
        table = {t: {a: float(x) for a, x in shares.items()} for t, shares in drawn_tables(s.recipients, one).items()}
        alone = split({k: v for k, v in one.items() if not is_table_key(k)}, table).flows[0]
        np.testing.assert_allclose(together[i], alone, rtol=1e-12, atol=1e-6)


def test_the_draws_vary_who_is_paid_around_the_stated_shares():
    s = load_scenario("tnla_control")
    values = prior_parameters(s, 100_000, 9)
    stated = s.recipients["owner_stakes"]
    for actor, share in stated.items():
        assert values[share_key("owner_stakes", actor)].mean() == pytest.approx(share, abs=0.005)
    assert values[share_key("owner_stakes", "tnla")].std() > 0.05


# --- seeds and streams ------------------------------------------------------------------------------------------------

def test_same_seed_same_bytes(data_dir):
    data_dir.scenario("base", _doc({"extortion_to": _fixed()}))
    s = load_scenario("base", data=data_dir.root)
    a, b = prior_parameters(s, 2000, 42), prior_parameters(s, 2000, 42)
    assert a.keys() == b.keys()
    for k in a:
        assert np.asarray(a[k]).tobytes() == np.asarray(b[k]).tobytes()
    frame_a, frame_b = monte_carlo(s, 2000, 42), monte_carlo(s, 2000, 42)
    assert frame_a.to_numpy().tobytes() == frame_b.to_numpy().tobytes()
    other = prior_parameters(s, 2000, 43)[share_key("extortion_to", "tnla")]
    assert np.asarray(other).tobytes() != np.asarray(a[share_key("extortion_to", "tnla")]).tobytes()


def test_drawing_the_tables_leaves_the_shipped_parameters_draws_as_they_were():
    """The shipped scenario with every table declared fixed draws the same parameters, to the bit."""
    s = load_scenario("tnla_control")
    from dataclasses import replace

    fixed = replace(s, recipient_concentration={})
    drawn, plain = prior_parameters(s, 5000, 7), prior_parameters(fixed, 5000, 7)
    assert set(plain) == {k for k in drawn if not is_table_key(k)}
    for k, v in plain.items():
        assert np.asarray(v).tobytes() == np.asarray(drawn[k]).tobytes(), k


def test_the_cache_key_changes_with_the_concentration(data_dir):
    data_dir.scenario("base", _doc({"extortion_to": _fixed(20.0)}))
    first = key(load_scenario("base", data=data_dir.root), 1000, 1)
    data_dir.scenario("base", _doc({"extortion_to": _fixed(21.0)}))
    second = key(load_scenario("base", data=data_dir.root), 1000, 1)
    data_dir.scenario("base", _doc({"extortion_to": {"fixed": True, "note": "documented, for the test"}}))
    third = key(load_scenario("base", data=data_dir.root), 1000, 1)
    assert len({first, second, third}) == 3


# --- levers, the calibration's latent space, sensitivity ------------------------------------------------------------

def test_an_ownership_lever_moves_a_drawn_table_draw_by_draw():
    from mogok_econ.inputs.levers import Lever, Move, apply_moves_to_draws

    s = load_scenario("tnla_control")
    values = prior_parameters(s, 5000, 2)
    lever = Lever("test", "t", "s", (), None, (), "test.yaml", moves=(Move("owner_stakes", "tnla", "mine_owners", 0.3),))
    moved = apply_moves_to_draws(values, [lever])
    before, after = drawn_tables({}, values)["owner_stakes"], drawn_tables({}, moved)["owner_stakes"]
    np.testing.assert_allclose(after["tnla"], 0.7 * before["tnla"])
    np.testing.assert_allclose(after["mine_owners"], before["mine_owners"] + 0.3 * before["tnla"])
    np.testing.assert_allclose(sum(after.values()), 1.0, atol=1e-12)
    # the split conserves with the moved table, and the TNLA loses exactly 30% of its company profits and rent
    base = split(model_draws(s, 5000, 2), s.recipients, by_channel=True)
    params = model_draws(s, 5000, 2)
    params = {k: v for k, v in params.items() if not k.startswith("share:")} | \
        {k: v for k, v in moved.items() if k.startswith("share:")}
    levered = split(params, s.recipients, by_channel=True)
    np.testing.assert_allclose(levered.flows.sum(axis=1), levered.realised, rtol=1e-9)
    t = ACTORS.index("tnla")
    owned = base.channels["company_profits"][:, t] + base.channels["pit_rent"][:, t]
    np.testing.assert_allclose(base.flows[:, t] - levered.flows[:, t], 0.3 * owned, rtol=1e-9, atol=1e-3)


def test_the_latent_space_carries_the_tables_both_ways():
    from mogok_econ.analysis.observation import prior_population
    from mogok_econ.analysis.smc import LatentSpace

    s = load_scenario("tnla_control")
    population = prior_population({"tnla_control": s}, 2000, 5, None)
    space = LatentSpace({"tnla_control": s}, None)
    z = space.latent(population)
    assert np.isfinite(z).all()
    back = space.population(z, population)
    for k, v in population.values["tnla_control"].items():
        if k.startswith("share:"):
            np.testing.assert_allclose(back.values["tnla_control"][k], v, atol=1e-7)
    moved = space.population(z + 0.3, population)  # any point of the latent space is a valid table
    tables = drawn_tables({}, moved.values["tnla_control"])
    for shares in tables.values():
        np.testing.assert_allclose(sum(shares.values()), 1.0, atol=1e-12)


def test_the_posterior_resamples_the_tables_with_the_other_parameters():
    """Importance sampling reweights whole draws: a posterior draw's table is the table of the prior draw
    whose other parameters it has."""
    from mogok_econ.analysis.calibration import Calibration

    s = load_scenario("tnla_control")
    n = 4000
    prior = prior_parameters(s, n, 3)
    weights = np.random.default_rng(0).dirichlet(np.ones(n))
    calib = Calibration({}, {"tnla_control": s}, n, 3, "importance sampling", 1.0, 0.1, weights=weights)
    post = calib.calibrated_parameters(s, 3000, 3)
    lookup = {float(g): i for i, g in enumerate(prior["production_factor"])}
    index = np.array([lookup[float(g)] for g in post["production_factor"]])
    for k, v in prior.items():
        if k.startswith("share:"):
            np.testing.assert_array_equal(post[k], v[index])
    central = calib.central_values(s)
    assert not any(is_table_key(k) for k in central)  # the central estimate takes the stated shares


def test_sensitivity_treats_who_is_paid_as_an_input():
    from mogok_econ.analysis.sensitivity import input_label, sobol, table_input, tornado

    s = load_scenario("tnla_control")
    t = tornado(s, "tnla")
    assert table_input("owner_stakes") in t.index
    row = t.loc[table_input("owner_stakes")]
    assert row["low_value"] < 0.3 < row["high_value"] and row["output_at_low"] < row["output_at_high"]
    assert table_input("owner_stakes") not in tornado(s, "realised_value_usd").index  # R does not depend on it
    indices = sobol(s, "tnla", base_samples=256)
    assert {table_input(x) for x in s.drawn_recipients()} <= set(indices.index)
    assert "who is paid" in input_label(table_input("owner_stakes")).lower()


# --- hostile concentrations --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec, fragment", [
    ({"value": 0, "source": "test-source"}, "above 0"),
    ({"value": -3, "source": "test-source"}, "above 0"),
    ({"value": 1e300, "source": "test-source"}, "at most"),
    ({"dist": "triangular", "low": 0, "mode": 5, "high": 9, "source": "assumption", "note": "n"}, "above 0"),
    ({"dist": "triangular", "low": 9, "mode": 5, "high": 3, "source": "assumption", "note": "n"}, "low <= mode <= high"),
    ({"value": "twenty", "source": "test-source"}, "recipient_concentration.extortion_to"),
    ({"value": float("nan"), "source": "test-source"}, "finite"),
    ({"value": 20, "fixed": True, "source": "test-source"}, "takes no value"),
    ({"value": 20, "source": "assumption", "note": "just a number"}, "range"),
    ({"value": 20}, "needs a source"),
    ({"dist": "uniform", "low": 5, "high": 9, "mode": 7, "source": "assumption", "note": "n"}, "nothing else"),
    ({"fixed": True}, "source or a note"),
    ({"concentration": 20}, "not a known field"),
    (20, "recipient_concentration.extortion_to"),
])
def test_a_hostile_concentration_is_refused_cleanly(data_dir, spec, fragment):
    data_dir.scenario("bad", _doc({"extortion_to": spec}))
    with pytest.raises(InputError) as info:
        load_scenario("bad", data=data_dir.root)
    text = str(info.value)
    assert "bad.yaml" in text and "recipient_concentration.extortion_to" in text and fragment in text, text
    assert "Traceback" not in text


def test_a_concentration_for_a_table_the_scenario_lacks_is_refused(data_dir):
    data_dir.scenario("bad", _doc({"fee_to": _fixed()}))
    with pytest.raises(InputError, match="no recipients table fee_to"):
        load_scenario("bad", data=data_dir.root)
    data_dir.scenario("bad", _doc({"armed_groups": _fixed()}))
    with pytest.raises(InputError, match="recipient_concentration"):
        load_scenario("bad", data=data_dir.root)


def test_a_hostile_default_in_shared_yaml_is_refused_cleanly(data_dir):
    data_dir.write_yaml("shared.yaml", {"recipient_concentration": {"value": -1, "source": "test-source"}})
    data_dir.scenario("base", BASE_SCENARIO | {"parameters": {**BASE_SCENARIO["parameters"],
                                                              "gross_value_usd": {"value": 3e8, "note": "own G"}}})
    with pytest.raises(InputError) as info:
        load_scenario("base", data=data_dir.root)
    assert "shared.yaml" in str(info.value) and "above 0" in str(info.value)


def test_the_command_line_refuses_a_bad_concentration_without_a_traceback(data_dir):
    data_dir.scenario("bad", _doc({"extortion_to": {"value": -1, "source": "test-source"}}))
    result = run_command("split", "bad")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "recipient_concentration.extortion_to" in result.stderr


def test_a_child_keeps_its_parents_concentration_only_with_its_table(data_dir):
    data_dir.scenario("base", _doc({"extortion_to": _fixed(7.0), "checkpoint_to": _fixed(9.0)}))
    child = {"name": "child", "title": "t", "period": {"start": "2021-01"}, "extends": "base", "summary": "s",
             "recipients": {"checkpoint_to": {"junta": 0.5, "other_armed": 0.5}}}
    data_dir.scenario("child", child)
    s = load_scenario("child", data=data_dir.root)
    assert s.recipient_concentration["extortion_to"].distribution.point == 7.0      # inherited with its table
    assert s.recipient_concentration["checkpoint_to"].sources == ("assumption",)    # a new table: the default


def test_tiny_shares_are_drawn_without_failing():
    """Found by the fuzz tests: a valid table {mine_owners: 1.0, traders: 1.2e-38} (adding up to 1 within
    1e-9) left nothing for the last stick when the rest was taken as 1 minus the sum so far."""
    for means in ([1.0, 1.1754943508222875e-38], [0.5, 0.5 - 1e-10, 1e-320], [1e-320, 1.0]):
        shares = draw_table(np.random.default_rng(0), means, 20.0, 1000)
        total = sum(shares)
        assert np.isfinite(total).all()
        np.testing.assert_allclose(total, 1.0, atol=1e-12)
        u = np.random.default_rng(1).uniform(size=(1000, len(means) - 1))
        back = table_from_uniforms(u, means, 1e-300)  # parameters lost to underflow: the two-point limit
        assert np.isfinite(sum(back)).all()
        np.testing.assert_allclose(sum(back), 1.0, atol=1e-12)
