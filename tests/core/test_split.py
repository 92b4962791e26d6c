"""The identities of docs/model.md (version 2), property-based over random valid inputs, plus hand-worked
examples: every wage worker employed, and employment cut by a small mine-gate value."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mogok_econ.core.split import arrays_to_frame, split
from mogok_econ.core.vocabulary import ACTORS, GROUPS, RECIPIENT_TABLES
from tests.conftest import examples

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
def parameters(draw, wages: bool = True):
    t, x, fx = draw(unit), draw(unit), draw(unit)
    room = 1 - max(t + fx, x)
    if room < 0:
        fx = max(0.0, 1 - t)
        room = 1 - max(t + fx, x)
    c = draw(unit) * room
    m = draw(unit) * (room - c)
    return {
        "gross_value_usd": draw(st.floats(1.0, 1e10)),
        "production_factor": draw(unit), "market_access": draw(unit),
        "price_factor": draw(st.floats(0.0, 10.0)), "formal_share": draw(unit),
        "state_tax_rate": t, "extortion_rate": x, "checkpoint_rate": c, "trader_margin": m,
        "exchange_rate_levy_rate": fx,
        "company_share": draw(unit), "miner_count": draw(st.floats(1.0, 1e6)), "wage_share": draw(unit),
        "wage_usd_per_month": draw(st.floats(0.0, 2000.0)) if wages else 0.0, "commission_rate": draw(unit),
        "pit_levy_rate": draw(unit), "pit_rent_rate": draw(unit),
        "fee_per_miner": draw(st.floats(0.0, 5000.0)) if wages else 0.0,
        "concessions_leased_share": draw(unit), "concession_rent_share": draw(unit),
        **_structure(draw),
    }


def _structure(draw) -> dict:
    """Company sites' costs and the state's share (γ + ψ <= 1), and who digs (fixed count to open access)."""
    costs = draw(unit)
    return {"company_cost_share": costs, "state_production_share": draw(unit) * (1 - costs),
            "open_access_share": draw(unit), "digging_returns": draw(st.floats(0.05, 0.95)),
            "digging_premium": draw(st.floats(0.1, 5.0)), "finds_dispersion": draw(st.floats(0.0, 3.0))}


def _tol(value, rel=1e-9):
    return rel * max(1.0, abs(value))


@settings(max_examples=examples(300), deadline=None)
@given(parameters(), recipients())
def test_conservation_and_bounds(params, tables):
    r = split(params, tables)
    realised = r.realised[0]
    # 1. leaf flows add up to R; R plus the unrealised parts add up to G; the pit splits add up to M
    assert r.flows[0].sum() == pytest.approx(realised, rel=1e-9, abs=1e-6)
    parts = r.production_shortfall[0] + r.stockpiled[0] + r.price_effect[0]
    assert realised + parts == pytest.approx(params["gross_value_usd"], rel=1e-9, abs=1e-6)
    assert r.pit_flows[0].sum() == pytest.approx(r.mine_gate[0], rel=1e-9, abs=1e-6)
    # 2. every flow >= 0 and <= R; 0 <= E <= s·N; recorded = f·R
    assert (r.flows[0] >= -_tol(realised)).all() and (r.flows[0] <= realised + _tol(realised)).all()
    assert r.mine_gate[0] >= -_tol(realised)
    positions = params["wage_share"] * params["miner_count"]
    assert -1e-9 <= r.employed[0] <= positions + _tol(positions)
    assert r.laid_off[0] == pytest.approx(positions - r.employed[0], abs=1e-6)
    assert r.recorded[0] == pytest.approx(params["formal_share"] * realised, rel=1e-12, abs=1e-9)


@settings(max_examples=examples(200), deadline=None)
@given(parameters(), recipients())
def test_fees_move_money_from_miners_and_create_none(params, tables):
    params = {**params, "open_access_share": 0.0}  # under open access a fee also moves who digs (test_structure.py)
    without = split({**params, "fee_per_miner": 0.0}, tables, by_channel=True)
    with_fees = split(params, tables, by_channel=True)
    fees = with_fees.channels["fees"][0]
    miners = ACTORS.index("miners")
    paid = -fees[miners]
    assert fees.sum() == pytest.approx(0.0, abs=1e-6 * max(1.0, paid))       # moved, not created
    before = without.flows[0, miners]
    assert -1e-6 <= paid <= before + _tol(before)                              # 0 <= F <= miners' income before fees
    np.testing.assert_allclose(with_fees.flows[0].sum(), without.flows[0].sum(), rtol=1e-9, atol=1e-6)


@settings(max_examples=examples(200), deadline=None)
@given(parameters(wages=False), recipients(), st.floats(1e-3, 1e3))
def test_homogeneity_in_gross_value_without_wages_or_fees(params, tables, factor):
    base = split(params, tables)
    scaled = split({**params, "gross_value_usd": params["gross_value_usd"] * factor}, tables)
    np.testing.assert_allclose(scaled.flows, base.flows * factor, rtol=1e-9, atol=1e-6)


@settings(max_examples=examples(200), deadline=None)
@given(parameters(), recipients(), st.sampled_from(["junta", "public_treasury", "tnla", "pdf", "mine_owners"]))
def test_actor_without_any_share_gets_zero(params, tables, actor):
    for table, allowed in RECIPIENT_TABLES.items():
        shares = {k: v for k, v in tables[table].items() if k != actor}
        total = sum(shares.values())
        other = next(a for a in allowed if a != actor)
        tables[table] = {k: v / total for k, v in shares.items()} if total > 0 else {other: 1.0}
    if actor == "mine_owners":  # the lessees of the junta's leased concessions are the mines' private owners
        params = {**params, "concessions_leased_share": 0.0}
    r = split(params, tables)
    assert r.flows[0, ACTORS.index(actor)] == 0.0


@settings(max_examples=examples(100), deadline=None)
@given(parameters(), recipients())
def test_a_group_is_the_sum_of_its_members(params, tables):
    frame = arrays_to_frame(split(params, tables))
    for group, members in GROUPS.items():
        assert frame[group].iloc[0] == pytest.approx(sum(frame[m].iloc[0] for m in members), rel=1e-12, abs=1e-9)


@settings(max_examples=examples(100), deadline=None)
@given(parameters(), recipients(), st.sampled_from(["production_factor", "market_access"]))
def test_no_output_or_no_access_means_nothing_realised(params, tables, which):
    r = split({**params, which: 0.0}, tables)
    assert r.realised[0] == 0.0
    assert (r.flows == 0.0).all()


@settings(max_examples=examples(100), deadline=None)
@given(parameters(), recipients())
def test_channels_add_up_to_the_flows(params, tables):
    r = split(params, tables, by_channel=True)
    np.testing.assert_allclose(sum(r.channels.values()), r.flows, rtol=1e-12, atol=1e-6)
    not_miners = [i for i, a in enumerate(ACTORS) if a != "miners"]
    assert (r.channels["wages"][:, not_miners] == 0).all() and (r.channels["hand_mining"][:, not_miners] == 0).all()


BASE = {"gross_value_usd": 300e6, "production_factor": 0.8, "market_access": 0.8, "price_factor": 0.85,
        "formal_share": 0.3, "state_tax_rate": 0.1, "extortion_rate": 0.1, "checkpoint_rate": 0.05,
        "trader_margin": 0.1, "company_share": 0.4, "miner_count": 40_000, "wage_share": 0.3,
        "wage_usd_per_month": 100.0, "commission_rate": 0.1, "pit_levy_rate": 0.4, "pit_rent_rate": 0.2,
        "fee_per_miner": 24.0}
TABLES = {"state_tax_to": {"junta": 1.0}, "extortion_to": {"junta": 0.2, "tnla": 0.8},
          "checkpoint_to": {"junta": 0.7, "pdf": 0.3}, "owner_stakes": {"junta": 0.5, "mine_owners": 0.5},
          "pit_levy_to": {"tnla": 1.0}, "fee_to": {"tnla": 1.0}}


def test_hand_worked_example_every_wage_worker_employed():
    """G = 300M, p = a = 0.8, q = 0.85; company sites can pay every wage position: worked out by hand."""
    r = split(BASE, TABLES)
    R = 163.2e6                                              # 300 * 0.8 * 0.8 * 0.85
    assert r.realised[0] == pytest.approx(R) and r.recorded[0] == pytest.approx(0.3 * R)
    tax, extortion, checkpoint, margin = 0.03, 0.07, 0.05, 0.10
    M = R * 0.75                                             # 122.4M
    company, hand = 0.4 * M, 0.6 * M                         # 48.96M, 73.44M
    employed = 0.3 * 40_000                                  # 12,000 (payable: 48.96M / 1,200 = 40,800)
    wages = 12 * 100 * employed                              # 14.4M
    commission = 0.1 * (company - wages)                     # 3.456M
    profits = 0.9 * (company - wages)                        # 31.104M
    levy = 0.4 * hand                                        # 29.376M
    rent = 0.2 * 0.6 * hand                                  # 8.8128M
    kept = 0.8 * 0.6 * hand                                  # 35.2512M
    fees = 24.0 * 40_000                                     # 0.96M
    expected = {
        "junta": R * (tax + extortion * 0.2 + checkpoint * 0.7) + (profits + rent) * 0.5,
        "public_treasury": 0.0, "other_armed": 0.0,
        "tnla": R * extortion * 0.8 + levy + fees,
        "pdf": R * checkpoint * 0.3,
        "miners": wages + commission + kept - fees,
        "mine_owners": (profits + rent) * 0.5,
        "traders": R * margin, "suppliers": 0.0,
    }
    for i, actor in enumerate(ACTORS):
        assert r.flows[0, i] == pytest.approx(expected[actor]), actor
    assert r.employed[0] == pytest.approx(employed) and r.laid_off[0] == 0.0
    assert r.wage[0] == pytest.approx(100 + commission / employed / 12)                   # 124 USD a month
    assert r.hand_miner_income[0] == pytest.approx((kept / 12 - 2.0 * 28_000) / 28_000)  # 104.9 - 2 = 102.9
    assert r.miner_income[0] == pytest.approx(expected["miners"] / 40_000 / 12)


def test_hand_worked_example_employment_cut_by_a_small_mine_gate_value():
    """Production falls to 5%: the company sites' share of M pays fewer wage positions than s·N."""
    params = {**BASE, "production_factor": 0.05, "fee_per_miner": 0.0}
    r = split(params, TABLES)
    R = 300e6 * 0.05 * 0.8 * 0.85                            # 10.2M
    company = 0.4 * R * 0.75                                 # 3.06M
    employed = company / (12 * 100)                          # 2,550 of 12,000 positions
    assert r.employed[0] == pytest.approx(employed)
    assert r.laid_off[0] == pytest.approx(12_000 - employed)
    miners = ACTORS.index("miners")
    hand_kept = 0.8 * 0.6 * 0.6 * R * 0.75
    assert r.flows[0, miners] == pytest.approx(company + hand_kept)  # all of the sites' value goes on wages
    assert r.wage[0] == pytest.approx(100.0)                         # nothing left for commission
    assert r.hand_miner_income[0] == pytest.approx(hand_kept / 12 / (40_000 - employed))


def test_exchange_rate_levy_goes_to_the_state_recipient():
    r = split({**BASE, "exchange_rate_levy_rate": 0.2}, {**TABLES, "state_tax_to": {"public_treasury": 1.0}},
              by_channel=True)
    levy = r.channels["exchange_rate_levy"][0]
    assert levy[ACTORS.index("public_treasury")] == pytest.approx(0.3 * 0.2 * 163.2e6)
    assert levy.sum() == pytest.approx(levy[ACTORS.index("public_treasury")])


def test_vectorised_equals_one_draw_at_a_time():
    rng = np.random.default_rng(1)
    n = 50
    params = {**BASE, "gross_value_usd": rng.uniform(1e8, 4e8, n), "production_factor": rng.uniform(0, 1, n),
              "market_access": rng.uniform(0, 1, n), "wage_usd_per_month": rng.uniform(0, 3000, n),
              "formal_share": rng.uniform(0, 1, n), "miner_count": rng.uniform(1e3, 1e5, n)}
    together = split(params, TABLES)
    for i in range(n):
        one = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in params.items()}
        single = split(one, TABLES)
        np.testing.assert_allclose(single.flows[0], together.flows[i], rtol=1e-12)
        np.testing.assert_allclose(single.employed[0], together.employed[i], rtol=1e-12)


def test_extortion_per_head_is_paid_by_miners_and_by_value_extortion_shrinks_by_h():
    """Hand-worked: R = 100 (G 100, p = a = q = 1), f = 0.5, x = 0.2, no other levy, all hand-mining, 10
    miners, no rent. The by-value reading (h = 0) takes (1 - f)·x·R = 10; the per-head reading (h = 1) takes
    e·n = 2 x 10 = 20 out of the miners' finds instead; h = 0.25 takes 7.5 by value and 5 per head."""
    base = {"gross_value_usd": 100.0, "production_factor": 1.0, "market_access": 1.0, "price_factor": 1.0,
            "formal_share": 0.5, "state_tax_rate": 0.0, "extortion_rate": 0.2, "checkpoint_rate": 0.0,
            "trader_margin": 0.0, "company_share": 0.0, "miner_count": 10.0, "wage_share": 0.0,
            "wage_usd_per_month": 100.0, "extortion_per_head": 2.0}
    recipients = {"extortion_to": {"junta": 1.0}, "owner_stakes": {"mine_owners": 1.0}}
    junta, miners = ACTORS.index("junta"), ACTORS.index("miners")
    for h, by_value, per_head in ((0.0, 10.0, 0.0), (1.0, 0.0, 20.0), (0.25, 7.5, 5.0)):
        r = split({**base, "extortion_per_head_share": h}, recipients, by_channel=True)
        assert r.channels["extortion"][0, junta] == pytest.approx(by_value)
        assert r.channels["extortion_per_head"][0, junta] == pytest.approx(per_head)
        assert r.flows[0, miners] == pytest.approx(100.0 - by_value - per_head)
        assert r.flows[0].sum() == pytest.approx(100.0)  # conservation
        assert r.hand_miner_income[0] == pytest.approx((100.0 - by_value - per_head) / 10 / 12)


def test_leased_concessions_pay_the_junta_a_rent_and_the_lessees_keep_the_rest():
    """Hand-worked: R = 100 reaches the mine gate whole (no levy), all from company sites (σ = 1), no wage
    bill (no positions) and no commission, so the sites' profits are P = 100; the junta holds j = 0.6 of
    them, the mines' private owners 0.4. Operated (ω = 0): the junta gets j·P = 60. Leased (ω = 1) at a rent
    of ν = 0.5 of profits: it gets ν·j·P = 30 and the lessees the other 30 (40 + 30 = 70). Half and half
    (ω = 0.5): 45 and 55. Nothing else moves, and the channel is company profits throughout."""
    base = {"gross_value_usd": 100.0, "production_factor": 1.0, "market_access": 1.0, "price_factor": 1.0,
            "formal_share": 0.0, "state_tax_rate": 0.0, "extortion_rate": 0.0, "checkpoint_rate": 0.0,
            "trader_margin": 0.0, "company_share": 1.0, "miner_count": 10.0, "wage_share": 0.0,
            "wage_usd_per_month": 100.0, "concession_rent_share": 0.5}
    recipients = {"owner_stakes": {"junta": 0.6, "mine_owners": 0.4}}
    junta, owners = ACTORS.index("junta"), ACTORS.index("mine_owners")
    for leased, to_junta in ((0.0, 60.0), (1.0, 30.0), (0.5, 45.0)):
        r = split({**base, "concessions_leased_share": leased}, recipients, by_channel=True)
        assert r.flows[0, junta] == pytest.approx(to_junta)
        assert r.flows[0, owners] == pytest.approx(100.0 - to_junta)
        assert r.channels["company_profits"][0, junta] == pytest.approx(to_junta)
        assert r.pit_flows[0, junta] == pytest.approx(to_junta)
        assert r.flows[0].sum() == pytest.approx(100.0)
    # no junta stake: nothing to lease, nothing moves
    r = split({**base, "concessions_leased_share": 1.0}, {"owner_stakes": {"mine_owners": 1.0}})
    assert r.flows[0, owners] == pytest.approx(100.0)


@settings(max_examples=150, deadline=None)
@given(parameters(), recipients(), st.floats(0.5, 200.0), st.integers(0, 2**32 - 1))
def test_conservation_holds_in_every_draw_of_drawn_tables(params, tables, alpha, seed):
    """Every table drawn per draw around the random stated shares (docs/model.md, "Who is paid, drawn"):
    in every one of 64 draws the flows add up to R, the pit's to M, the channels to the flows, and a share of
    0 stays 0 (an actor named in no table gets nothing)."""
    from mogok_econ.core.recipient_draws import draw_table, named

    rng = np.random.default_rng(seed)
    n = 64
    drawn = {}
    for table, shares in tables.items():
        actors = named(shares)
        values = draw_table(rng, [shares[a] for a in actors], alpha, n) if len(actors) > 1 else [np.ones(n)]
        drawn[table] = dict(zip(actors, values))
    r = split(params, drawn, by_channel=True)
    assert r.flows.shape == (n, len(ACTORS))
    np.testing.assert_allclose(r.flows.sum(axis=1), r.realised, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(r.pit_flows.sum(axis=1), r.mine_gate, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(sum(r.channels.values()), r.flows, rtol=1e-9, atol=1e-6)
    paid = {a for shares in drawn.values() for a in shares} | {"miners", "traders", "suppliers", "mine_owners"}
    for i, actor in enumerate(ACTORS):
        if actor not in paid:
            assert (r.flows[:, i] == 0).all()
    assert (r.flows >= -1e-6 * np.maximum(r.realised, 1)[:, None]).all()
