"""The identities of docs/model.md, property-based over random valid inputs, plus hand-worked examples."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mogok_econ.core.split import split
from mogok_econ.core.vocabulary import ACTORS, RECIPIENT_TABLES

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def recipients(draw):
    tables = {}
    for table, allowed in RECIPIENT_TABLES.items():
        weights = [draw(st.floats(0.0, 1.0)) for _ in allowed]
        if sum(weights) == 0:
            weights[draw(st.integers(0, len(allowed) - 1))] = 1.0
        total = sum(weights)
        tables[table] = {a: w / total for a, w in zip(allowed, weights)}
    return tables


@st.composite
def parameters(draw):
    t, x = draw(unit), draw(unit)
    room = 1 - max(t, x)  # f·t + (1-f)·x <= max(t, x), so c + m <= room keeps M >= 0
    c = draw(unit) * room
    m = draw(unit) * (room - c)
    return {
        "gross_value_usd": draw(st.floats(1.0, 1e10)),
        "production_factor": draw(unit), "market_access": draw(unit),
        "price_factor": draw(st.floats(0.0, 10.0)), "formal_share": draw(unit),
        "state_tax_rate": t, "extortion_rate": x, "checkpoint_rate": c, "trader_margin": m,
        "labour_share": draw(unit), "miner_count": draw(st.floats(1.0, 1e6)),
    }


def _scale(value, rel=1e-9):
    return rel * max(1.0, abs(value))


@settings(max_examples=300, deadline=None)
@given(parameters(), recipients())
def test_conservation_bounds_and_unrealised(params, tables):
    r = split(params, tables)
    realised = r.realised[0]
    # 1. flows add up to R; R plus the unrealised parts add up to G
    assert r.flows[0].sum() == pytest.approx(realised, rel=1e-9, abs=1e-6)
    parts = r.production_shortfall[0] + r.stockpiled[0] + r.price_effect[0]
    assert realised + parts == pytest.approx(params["gross_value_usd"], rel=1e-9, abs=1e-6)
    # 2. every flow is >= 0 and <= R
    assert (r.flows[0] >= -_scale(realised)).all()
    assert (r.flows[0] <= realised + _scale(realised)).all()
    assert r.mine_gate[0] >= -_scale(realised)


@settings(max_examples=200, deadline=None)
@given(parameters(), recipients(), st.floats(1e-3, 1e3))
def test_homogeneity_in_gross_value(params, tables, factor):
    base = split(params, tables)
    scaled = split({**params, "gross_value_usd": params["gross_value_usd"] * factor}, tables)
    np.testing.assert_allclose(scaled.flows, base.flows * factor, rtol=1e-9, atol=1e-6)


@settings(max_examples=200, deadline=None)
@given(parameters(), recipients(), st.sampled_from(["junta", "armed_groups", "mine_owners"]))
def test_actor_without_any_share_gets_zero(params, tables, actor):
    for table in ("state_tax_to", "extortion_to", "checkpoint_to", "owner_stakes"):
        shares = dict(tables[table])
        shares[actor] = 0.0
        total = sum(shares.values())
        if total == 0:  # give the table to someone else
            shares = {"mine_owners" if actor != "mine_owners" else "junta": 1.0}
        else:
            shares = {k: v / total for k, v in shares.items()}
        tables[table] = shares
    r = split(params, tables)
    assert r.flows[0, ACTORS.index(actor)] == 0.0


@settings(max_examples=100, deadline=None)
@given(parameters(), recipients(), st.sampled_from(["production_factor", "market_access"]))
def test_no_output_or_no_access_means_nothing_realised(params, tables, which):
    r = split({**params, which: 0.0}, tables)
    assert r.realised[0] == 0.0
    assert (r.flows == 0.0).all()


def test_traders_and_miners_get_nothing_without_margin_or_wage():
    params = {"gross_value_usd": 100.0, "production_factor": 1, "market_access": 1, "price_factor": 1,
              "formal_share": 0.5, "state_tax_rate": 0.2, "extortion_rate": 0.2, "checkpoint_rate": 0.1,
              "trader_margin": 0.0, "labour_share": 0.0}
    tables = {"state_tax_to": {"junta": 1}, "extortion_to": {"junta": 1}, "checkpoint_to": {"junta": 1},
              "owner_stakes": {"mine_owners": 1}}
    r = split(params, tables)
    assert r.flows[0, ACTORS.index("traders")] == 0.0
    assert r.flows[0, ACTORS.index("miners")] == 0.0


def test_hand_worked_example():
    """G = 300M, p = 0.8, a = 0.8, q = 0.85: every flow worked out by hand below."""
    params = {"gross_value_usd": 300e6, "production_factor": 0.8, "market_access": 0.8, "price_factor": 0.85,
              "formal_share": 0.3, "state_tax_rate": 0.1, "extortion_rate": 0.1, "checkpoint_rate": 0.05,
              "trader_margin": 0.1, "labour_share": 0.2, "miner_count": 40_000}
    tables = {"state_tax_to": {"junta": 1.0}, "extortion_to": {"junta": 0.2, "armed_groups": 0.8},
              "checkpoint_to": {"junta": 0.7, "armed_groups": 0.3},
              "owner_stakes": {"junta": 0.0, "armed_groups": 0.3, "mine_owners": 0.7}}
    r = split(params, tables)
    R = 300e6 * 0.8 * 0.8 * 0.85                  # 163.2M
    assert r.realised[0] == pytest.approx(163.2e6)
    assert r.production_shortfall[0] == pytest.approx(60e6)   # 300 * 0.2
    assert r.stockpiled[0] == pytest.approx(48e6)             # 240 * 0.2
    assert r.price_effect[0] == pytest.approx(28.8e6)         # 192 * 0.15
    tax, extortion, checkpoint, margin = 0.3 * 0.1, 0.7 * 0.1, 0.05, 0.1   # 0.03, 0.07, 0.05, 0.10
    M = R * (1 - tax - extortion - checkpoint - margin)     # 163.2 * 0.75 = 122.4M
    expected = {
        "junta": R * (tax * 1.0 + extortion * 0.2 + checkpoint * 0.7),          # 163.2 * 0.079 = 12.8928M
        "armed_groups": R * (extortion * 0.8 + checkpoint * 0.3) + M * 0.8 * 0.3,  # 11.5872 + 29.376
        "miners": M * 0.2,                                                     # 24.48M
        "mine_owners": M * 0.8 * 0.7,                                          # 68.544M
        "traders": R * margin,                                                 # 16.32M
    }
    assert expected["junta"] == pytest.approx(12.8928e6)
    assert expected["armed_groups"] == pytest.approx(40.9632e6)
    for i, actor in enumerate(ACTORS):
        assert r.flows[0, i] == pytest.approx(expected[actor]), actor
    assert r.miner_income[0] == pytest.approx(24.48e6 / 40_000 / 12)   # 51 USD a month


def test_vectorised_equals_one_draw_at_a_time():
    rng = np.random.default_rng(1)
    n = 50
    params = {"gross_value_usd": rng.uniform(1e8, 4e8, n), "production_factor": rng.uniform(0, 1, n),
              "market_access": rng.uniform(0, 1, n), "price_factor": rng.uniform(0.5, 1.2, n),
              "formal_share": rng.uniform(0, 1, n), "state_tax_rate": rng.uniform(0, 0.3, n),
              "extortion_rate": rng.uniform(0, 0.3, n), "checkpoint_rate": 0.05, "trader_margin": 0.1,
              "labour_share": rng.uniform(0, 1, n)}
    tables = {"state_tax_to": {"junta": 1.0}, "extortion_to": {"junta": 0.5, "armed_groups": 0.5},
              "checkpoint_to": {"armed_groups": 1.0}, "owner_stakes": {"mine_owners": 1.0}}
    together = split(params, tables).flows
    for i in range(n):
        one = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in params.items()}
        np.testing.assert_allclose(split(one, tables).flows[0], together[i], rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(parameters(), recipients())
def test_channels_add_up_to_the_flows(params, tables):
    r = split(params, tables, by_channel=True)
    total = sum(r.channels.values())
    np.testing.assert_allclose(total, r.flows, rtol=1e-12, atol=1e-6)
    assert (r.channels["wages"][:, [i for i, a in enumerate(ACTORS) if a != "miners"]] == 0).all()
