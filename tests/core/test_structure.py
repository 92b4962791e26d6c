"""The structure of Stage 3 (docs/model.md): company sites' non-labour costs and the state's production
share, hand-mining under the fixed-count and open-access readings, the median hand-miner, and incomes that
add up to the miners' flow. Every number here is worked out by hand."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from mogok_econ.core.split import hand_mining_entry, split
from mogok_econ.core.vocabulary import ACTORS

from .test_split import parameters, recipients

NO_LEVIES = {"production_factor": 1.0, "market_access": 1.0, "price_factor": 1.0, "formal_share": 0.0,
             "state_tax_rate": 0.0, "extortion_rate": 0.0, "checkpoint_rate": 0.0, "trader_margin": 0.0}
TABLES = {"state_tax_to": {"public_treasury": 1.0}, "owner_stakes": {"junta": 0.5, "mine_owners": 0.5},
          "pit_levy_to": {"tnla": 1.0}, "fee_to": {"tnla": 1.0}}


def at(r, actor: str) -> float:
    return float(r.flows[0, ACTORS.index(actor)])


def test_company_costs_and_the_state_share_come_off_before_wages():
    """All company sites: C = M = R = 100. The state takes ψ = 25, suppliers γ = 20, 55 is left; 10
    positions at 1 a year cost 10; commission 10% of 45 = 4.5; profits 40.5, half each to the junta and
    private owners. Without costs and the share, owners would get 81 (the objection: stakes overstated)."""
    params = {**NO_LEVIES, "gross_value_usd": 100.0, "company_share": 1.0, "miner_count": 10.0, "wage_share": 1.0,
              "wage_usd_per_month": 1 / 12, "commission_rate": 0.1, "company_cost_share": 0.2,
              "state_production_share": 0.25}
    r = split(params, TABLES, by_channel=True)
    assert at(r, "public_treasury") == pytest.approx(25.0)
    assert at(r, "suppliers") == pytest.approx(20.0)
    assert at(r, "miners") == pytest.approx(10.0 + 4.5)
    assert at(r, "junta") == pytest.approx(20.25) and at(r, "mine_owners") == pytest.approx(20.25)
    assert r.flows[0].sum() == pytest.approx(100.0)                        # realised = Mogok's actors + costs
    assert r.channels["production_share"][0, ACTORS.index("public_treasury")] == pytest.approx(25.0)
    assert r.company_costs[0] == pytest.approx(20.0)
    without = split({**params, "company_cost_share": 0.0, "state_production_share": 0.0}, TABLES)
    assert at(without, "junta") + at(without, "mine_owners") == pytest.approx(0.9 * 90.0)


def test_costs_cut_employment_where_the_sites_earn_little():
    """C = 100, costs 60%: 40 pays 40 positions at 1 a year, not the 50 the scenario has."""
    params = {**NO_LEVIES, "gross_value_usd": 100.0, "company_share": 1.0, "miner_count": 50.0, "wage_share": 1.0,
              "wage_usd_per_month": 1 / 12, "company_cost_share": 0.6}
    r = split(params, TABLES)
    assert r.employed[0] == pytest.approx(40.0) and r.laid_off[0] == pytest.approx(10.0)


# All hand-mining: G = 1,200 at p = 0.5, so 600 is mined by 100 diggers; output can at most double (back to
# hand-mining's undisrupted output, 1/p). A digger's outside option is λ·12·w0 = 4 a year; β = 0.5.
HAND = {**NO_LEVIES, "gross_value_usd": 1200.0, "production_factor": 0.5, "company_share": 0.0,
        "miner_count": 100.0, "wage_share": 0.0, "wage_usd_per_month": 1 / 3, "digging_returns": 0.5,
        "digging_premium": 1.0}


def test_open_access_entry_worked_by_hand():
    """Finds per digger at 100 diggers: 6 a year > 4, so diggers come until 6·(n/100)^0.5·100/n = 4:
    n = 100·(6/4)² = 225, output 600·1.5 = 900, each digger 900/225 = 4 (the outside option)."""
    r = split({**HAND, "open_access_share": 1.0}, TABLES)
    assert r.hand_miners[0] == pytest.approx(225.0) and r.miners[0] == pytest.approx(225.0)
    assert r.realised[0] == pytest.approx(900.0) and r.production_shortfall[0] == pytest.approx(300.0)
    assert r.hand_miner_income[0] * 12 == pytest.approx(4.0)


def test_a_levy_on_finds_lowers_entry_and_output_under_open_access_and_only_income_under_a_fixed_count():
    """A 25% levy on finds: open access, a digger keeps 0.75·6 = 4.5 at 100 diggers, so n = 100·(4.5/4)² =
    126.5625 and output 600·1.125 = 675 (from 225 and 900), the levy 168.75, each digger still 4 a year.
    Fixed count: 100 diggers, output 600, the levy 150, each digger 4.5 a year instead of 6."""
    levied = {"pit_levy_rate": 0.25}
    free = split({**HAND, **levied, "open_access_share": 1.0}, TABLES)
    assert free.hand_miners[0] == pytest.approx(126.5625)
    assert free.realised[0] == pytest.approx(675.0)
    assert at(free, "tnla") == pytest.approx(168.75)
    assert free.hand_miner_income[0] * 12 == pytest.approx(4.0)
    fixed, fixed_before = split({**HAND, **levied}, TABLES), split(HAND, TABLES)
    assert fixed.hand_miners[0] == fixed_before.hand_miners[0] == pytest.approx(100.0)
    assert fixed.realised[0] == fixed_before.realised[0] == pytest.approx(600.0)
    assert at(fixed, "tnla") == pytest.approx(150.0)
    assert fixed.hand_miner_income[0] * 12 == pytest.approx(4.5) and fixed_before.hand_miner_income[0] * 12 == 6.0


def test_a_fee_per_head_also_lowers_entry_under_open_access():
    """A fee of 0.5 a year: diggers come until finds per digger = 4 + 0.5: n = 100·(6/4.5)² = 177.78."""
    r = split({**HAND, "fee_per_miner": 0.5, "open_access_share": 1.0}, TABLES)
    assert r.hand_miners[0] == pytest.approx(100 * (6 / 4.5) ** 2)
    assert at(r, "tnla") == pytest.approx(0.5 * 100 * (6 / 4.5) ** 2)
    assert r.hand_miner_income[0] * 12 == pytest.approx(4.0)


def test_open_access_stops_growing_output_at_the_deposits_and_dissipates_the_rest():
    """Outside option 1 a year: uncapped n = 100·6² = 3,600 would mine 6 times 600; output stops at G = 1,200
    (twice 600: 1/p), and diggers come until 1,200/n = 1: n = 1,200."""
    r = split({**HAND, "wage_usd_per_month": 1 / 12, "open_access_share": 1.0}, TABLES)
    assert r.realised[0] == pytest.approx(1200.0) and r.production_shortfall[0] == pytest.approx(0.0)
    assert r.hand_miners[0] == pytest.approx(1200.0)
    assert r.hand_miner_income[0] * 12 == pytest.approx(1.0)


def test_where_the_state_and_the_costs_take_all_of_the_company_value_nobody_is_employed():
    """Regression (found by the property test below): γ = 8e-51 and ψ = 1 - γ rounded to 1.0, as a validated
    scenario allows (γ + ψ up to 1 + 1e-12), left the companies -8e-51 of C for wages; at a wage of 2e-308 a
    month that paid for -3e256 "employed", the hand-miners became N minus that, and the miners' count
    cancelled to 0. Nothing left for wages employs nobody, and the fixed count all digs."""
    params = {**NO_LEVIES, "gross_value_usd": 1.0, "company_share": 1.0, "miner_count": 1.0, "wage_share": 0.5,
              "wage_usd_per_month": 2.2250738585072014e-308, "commission_rate": 0.0, "company_cost_share": 8.2e-51,
              "state_production_share": 1.0, "open_access_share": 0.0}
    r = split(params, TABLES)
    assert r.employed[0] == 0.0 and r.laid_off[0] == pytest.approx(0.5)
    assert r.miners[0] == pytest.approx(1.0) and r.hand_miners[0] == pytest.approx(1.0)
    reconciles(r)


def test_a_partial_entry_response_moves_the_count_part_of_the_way():
    """o = 0.4: n = 100 + 0.4·(225 - 100) = 150, output 600·(1.5)^0.5."""
    r = split({**HAND, "open_access_share": 0.4}, TABLES)
    assert r.hand_miners[0] == pytest.approx(150.0)
    assert r.realised[0] == pytest.approx(600 * 1.5 ** 0.5)


def test_hand_mining_grows_back_to_its_own_output_not_into_the_companies_share():
    """σ = 0.5, p = 0.5: hand-mining's output (300 of G·p = 600) can at most double, to 600 (its undisrupted
    share of G = 1,200), not to 900 (all of G less the companies' 300). No wage positions."""
    r = split({**HAND, "company_share": 0.5, "wage_usd_per_month": 1 / 120, "open_access_share": 1.0}, TABLES)
    assert r.realised[0] == pytest.approx(300.0 + 600.0)


def test_entry_where_nobody_digs_changes_nothing():
    count = hand_mining_entry(np.array([0.0, 5.0]), np.array([10.0, 0.0]), 1.0, 0.0, 1.0, 0.5, 2.0)
    np.testing.assert_allclose(count, [10.0, 0.0])


def test_the_median_hand_miner_earns_the_mean_times_exp_minus_half_the_spread_squared():
    """Fixed count, finds 6 a year each on average, s_f = 1: the median finds are 6·e^-0.5 = 3.639; a fee
    of 0.5 a year comes off both."""
    r = split({**HAND, "finds_dispersion": 1.0, "fee_per_miner": 0.5}, TABLES)
    assert r.hand_miner_income[0] * 12 == pytest.approx(5.5)
    assert r.hand_miner_median_income[0] * 12 == pytest.approx(6 * np.exp(-0.5) - 0.5)
    assert split(HAND, TABLES).hand_miner_median_income[0] == pytest.approx(0.5)  # no spread: median = mean


def test_incomes_reconcile_with_the_miners_flow_in_a_worked_case():
    """40 positions at 1 a year and 60 diggers; company value 100, hand value 60; commission 10% of 60 = 6;
    fee 0.5 each (50 in all). Hand-miners pay 30 of it out of 60, the wage workers the other 20."""
    params = {**NO_LEVIES, "gross_value_usd": 160.0, "company_share": 100 / 160, "miner_count": 100.0,
              "wage_share": 0.4, "wage_usd_per_month": 1 / 12, "commission_rate": 0.1, "fee_per_miner": 0.5}
    r = split(params, TABLES)
    assert r.wage[0] * 12 == pytest.approx(1 + 6 / 40)
    assert r.hand_miner_income[0] * 12 == pytest.approx((60 - 30) / 60)
    assert r.wage_dues[0] == pytest.approx(20.0)
    assert at(r, "miners") == pytest.approx(40 + 6 + 60 - 50)
    assert at(r, "miners") == pytest.approx(12 * (r.employed[0] * r.wage[0] + r.hand_miners[0]
                                                  * r.hand_miner_income[0]) - r.wage_dues[0])


def _without_miners(shares: dict[str, float]) -> dict[str, float]:
    rest = {a: v for a, v in shares.items() if a != "miners"}
    total = sum(rest.values())
    return {a: v / total for a, v in rest.items()} if total > 0 else {"mine_owners": 1.0}


def reconciles(r) -> None:
    """The miners' flow = wages and commission of the employed + hand-miners' incomes - what wage workers
    paid per head (docs/model.md, "Incomes per month"), draw by draw."""
    summed = 12 * (r.employed * r.wage + r.hand_miners * r.hand_miner_income) - r.wage_dues
    flow = r.flows[:, ACTORS.index("miners")]
    np.testing.assert_allclose(summed, flow, rtol=1e-9, atol=1e-6 * max(1.0, float(np.max(r.realised))))


@settings(max_examples=200, deadline=None)
@given(parameters(), recipients())
def test_incomes_reconcile_with_the_miners_flow_on_random_inputs(params, tables):
    tables = {table: _without_miners(shares) for table, shares in tables.items()}  # miners paid only for work
    r = split(params, tables)
    reconciles(r)
    assert r.hand_miner_income[0] >= -1e-9 and r.wage_dues[0] >= -1e-6
    assert r.hand_miner_median_income[0] <= r.hand_miner_income[0] + 1e-9
    assert r.miners[0] == pytest.approx(r.employed[0] + r.hand_miners[0])
    if params["open_access_share"] == 0.0:
        assert r.miners[0] == pytest.approx(params["miner_count"])


def test_open_access_that_empties_the_pits_finds_nothing():
    """Found by the property test above: when digging pays so little against the outside option that under a
    millionth of a person digs, nobody digs and nothing is found; before, that speck of a digger still mined
    output whose finds no income carried, and incomes no longer added up to the miners' flow."""
    params = {"state_tax_rate": 0.0, "gross_value_usd": 1.0, "production_factor": 1.0, "market_access": 1.0,
              "price_factor": 0.25, "formal_share": 0.0, "extortion_rate": 0.0, "checkpoint_rate": 0.0,
              "trader_margin": 0.0, "company_share": 0.75, "miner_count": 1.0, "wage_share": 0.0,
              "wage_usd_per_month": 6.0, "open_access_share": 1.0, "digging_returns": 0.5, "digging_premium": 1.0}
    r = split(params, {"owner_stakes": {"junta": 1.0}})
    reconciles(r)
    assert r.hand_miners[0] <= 1e-6 and r.hand_miner_income[0] == 0.0
    assert r.realised[0] == pytest.approx(0.75 * 0.25)  # the companies' output alone


def test_with_nobody_at_work_no_commission_is_paid():
    """Found by the property test above: no staff (no positions) and no diggers (open access emptied the pits):
    the commission on company sites has nobody to go to, and stays with the owners."""
    params = {"state_tax_rate": 0.0, "gross_value_usd": 1.0, "production_factor": 1.0, "market_access": 1.0,
              "price_factor": 0.03125, "formal_share": 0.0, "extortion_rate": 0.0, "checkpoint_rate": 0.0,
              "trader_margin": 0.0, "company_share": 0.75, "miner_count": 1.0, "wage_share": 0.0,
              "wage_usd_per_month": 3.0, "commission_rate": 1.0, "open_access_share": 1.0}
    r = split(params, {"owner_stakes": {"junta": 1.0}})
    reconciles(r)
    assert r.flows[0, ACTORS.index("miners")] == 0.0
    assert r.flows[0, ACTORS.index("junta")] == pytest.approx(r.realised[0])
