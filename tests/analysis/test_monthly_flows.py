"""The timeline: no gaps or overlaps, prorated months that add up to the annual flows when nothing is
stockpiled, stocks carried from month to month, and value conserved month by month and in total."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from mogok_econ import ACTORS, InputError, load_scenario, point_estimate
from mogok_econ.analysis.monthly_flows import month_weights, timeline_results
from mogok_econ.inputs.timeline import COUP, load_timeline
from tests.conftest import BASE_SCENARIO


def _timeline(data_dir, periods, events=()):
    data_dir.write_yaml("timeline.yaml", {"periods": periods, "events": list(events)})


def _two_scenarios(data_dir, market_access=1.0, **extra):
    """Two scenarios; with full market access nothing is stockpiled, so months add up to annual flows."""
    params = {**BASE_SCENARIO["parameters"], "market_access": market_access, **extra}
    data_dir.scenario("base", parameters=params)
    data_dir.scenario("other", parameters=params, recipients={
        "state_tax_to": {"tnla": 1.0}, "extortion_to": {"tnla": 0.5, "pdf": 0.5},
        "checkpoint_to": {"junta": 1.0}, "owner_stakes": {"mine_owners": 1.0},
        **({"seizure_to": {"junta": 1.0}} if extra.get("stock_seizure_rate") else {})})


def test_shipped_timeline_is_contiguous_and_current():
    t = load_timeline()
    assert t.start == dt.date(2016, 1, 1)
    for a, b in zip(t.periods, t.periods[1:]):
        assert a.end == b.start
    assert t.current_scenario == "junta_reopened"
    assert str(t.months[-1]) == "2026-11"
    capture = [e for e in t.events if "captur" in e.title.lower()]
    assert capture and capture[0].date == dt.date(2024, 7, 24)
    assert dt.date(2025, 7, 23) in [d for d, _, _ in capture[0].other_dates]


def test_shipped_timeline_conserves_value_month_by_month_and_in_total():
    """sum of G = new sales + sales from stock + seizures + shortfall + price effects + destroyed + stock at
    the end; each month's flows add up to its sales plus its seizures; groups are the sum of members."""
    m = timeline_results(draws=500).monthly_point
    flows = m[list(ACTORS)].sum(axis=1)
    np.testing.assert_allclose(flows, m["realised_value_usd"] + m["seizures_usd"], rtol=1e-9)
    np.testing.assert_allclose(m["armed_groups"], m[["tnla", "pdf", "other_armed"]].sum(axis=1), rtol=1e-12)
    total = m.sum()
    out = (total["new_sales_usd"] + total["sales_from_stock_usd"] + total["seizures_usd"] + total["production_shortfall"]
           + total["price_effect"] + total["destroyed_usd"] + m["stock_usd"].iloc[-1])
    assert out == pytest.approx(total["gross_value_usd"], rel=1e-9)
    assert (m["stock_usd"] >= -1e-6).all() and m["stock_usd"].max() > 0


def test_a_year_without_stockpiles_adds_up_to_the_annual_flows(data_dir):
    _two_scenarios(data_dir)
    _timeline(data_dir, [{"scenario": "base", "start": "2023-01-01", "end": "2024-01-01"}])
    r = timeline_results(draws=500, world=data_dir.world)
    np.testing.assert_allclose(r.monthly_point[list(ACTORS)].sum(), point_estimate(data_dir.world.scenario("base")).flows_usd,
                               rtol=1e-12)


def test_stock_is_released_seized_and_lost_as_specified(data_dir):
    """Half the output is held back in the first year; in the second, access is full: each month releases
    r·a = 0.5 of the stock, seizes 0.1 (to the junta) and loses 0.05."""
    _two_scenarios(data_dir, market_access=0.5)
    other = {**BASE_SCENARIO["parameters"], "market_access": 1.0, "stock_release_rate": 0.5,
             "stock_seizure_rate": 0.1, "stock_destroyed_rate": 0.05}
    data_dir.scenario("other", parameters=other, recipients={**BASE_SCENARIO["recipients"],
                                                             "seizure_to": {"junta": 1.0}})
    _timeline(data_dir, [{"scenario": "base", "start": "2023-01-01", "end": "2024-01-01"},
                         {"scenario": "other", "start": "2024-01-01", "end": "2025-01-01"}])
    m = timeline_results(draws=200, world=data_dir.world).monthly_point
    end_2023 = m.loc["2023-12", "stock_usd"]
    assert end_2023 > 0
    jan = m.loc["2024-01"]
    assert jan["seizures_usd"] == pytest.approx(0.1 * end_2023)
    assert jan["destroyed_usd"] == pytest.approx(0.05 * end_2023)
    price = BASE_SCENARIO["parameters"]["price_factor"]
    q = (price["low"] + price["high"]) / 2
    assert jan["sales_from_stock_usd"] == pytest.approx(q * 0.5 * end_2023)
    assert jan["stock_usd"] == pytest.approx(0.35 * end_2023)  # nothing new is held back with full access


def test_transition_inside_a_month_is_prorated_by_days(data_dir):
    _two_scenarios(data_dir)
    _timeline(data_dir, [
        {"scenario": "base", "start": "2023-01-01", "end": "2023-03-11"},
        {"scenario": "other", "start": "2023-03-11", "end": "2024-01-01"},
    ])
    w = month_weights(load_timeline(data=data_dir.root))
    march = w.loc["2023-03"]
    assert march["base"] == pytest.approx(10 / 365) and march["other"] == pytest.approx(21 / 365)
    assert w.sum().sum() == pytest.approx(1.0)  # one full year
    r = timeline_results(draws=1000, world=data_dir.world)
    total = r.monthly_point[list(ACTORS)].sum()
    expected = (point_estimate(load_scenario("base", data=data_dir.root)).flows_usd * (69 / 365)
                + point_estimate(load_scenario("other", data=data_dir.root)).flows_usd * (296 / 365))
    np.testing.assert_allclose(total, expected[list(ACTORS)], rtol=1e-12)


def test_leap_year_months_add_up(data_dir):
    _two_scenarios(data_dir)
    _timeline(data_dir, [{"scenario": "base", "start": "2024-01-01", "end": "2025-01-01"}])
    w = month_weights(load_timeline(data=data_dir.root))
    assert w["base"].sum() == pytest.approx(1.0) and w.loc["2024-02", "base"] == pytest.approx(29 / 366)


@pytest.mark.parametrize("periods, fragment", [
    ([{"scenario": "base", "start": "2020-01-01", "end": "2021-01-01"},
      {"scenario": "other", "start": "2021-02-01", "end": "2022-01-01"}], "leaves a gap"),
    ([{"scenario": "base", "start": "2020-01-01", "end": "2021-03-01"},
      {"scenario": "other", "start": "2021-02-01", "end": "2022-01-01"}], "overlaps"),
    ([{"scenario": "base", "start": "2020-01-01", "end": "2019-01-01"}], "must end after it starts"),
    ([{"scenario": "base", "start": "2021-02-30", "end": "2022-01-01"}], "not a real calendar date"),
    ([{"scenario": "atlantis", "start": "2020-01-01", "end": "2022-01-01"}], "no such scenario"),
    ([{"scenario": "base", "start": "2020-01", "end": "2022-01-01"}], "periods[0].start"),
    ([{"scenario": "base", "start": "2020-01-01", "end": "2022-01-01", "source": "nowhere"}], "not an id"),
    ([{"scenario": "base", "start": "2020-01-01", "end": "2022-01-01", "colour": "red"}], "not a known field"),
])
def test_bad_timelines_are_refused_with_clear_errors(data_dir, periods, fragment):
    _two_scenarios(data_dir)
    _timeline(data_dir, periods)
    with pytest.raises(InputError) as info:
        load_timeline(data=data_dir.root)
    assert fragment in str(info.value) and "timeline.yaml" in str(info.value)


def test_shipped_events_that_change_parameters_start_periods():
    timeline = load_timeline()
    changing = [e for e in timeline.events if e.changes]
    assert changing, "the coup, the capture, the return and the reopened highway change parameters"
    for event in changing:
        assert event.date in {p.start for p in timeline.periods}, event.title


def test_an_event_that_changes_parameters_must_start_a_period(data_dir):
    _two_scenarios(data_dir)
    periods = [{"scenario": "base", "start": "2023-01-01", "end": "2023-06-01"},
               {"scenario": "other", "start": "2023-06-01", "end": "2024-01-01"}]
    on = {"date": "2023-06-01", "title": "Roads reopen", "changes": ["market_access"]}
    _timeline(data_dir, periods, [on])
    assert load_timeline(data=data_dir.root).events[0].changes == ("market_access",)
    _timeline(data_dir, periods, [{**on, "date": "2023-03-15"}])
    with pytest.raises(InputError) as info:
        load_timeline(data=data_dir.root)
    assert "events[0].date" in str(info.value) and "a period must start on its date" in str(info.value)
    _timeline(data_dir, periods, [{**on, "changes": ["happiness"]}])
    with pytest.raises(InputError) as info:
        load_timeline(data=data_dir.root)
    assert "events[0].changes" in str(info.value) and "neither a parameter nor a recipients table" in str(info.value)


def test_cumulative_since_coup_sums_the_months_from_the_coup():
    r = timeline_results(draws=2000)
    cumulative = r.cumulative("junta", COUP)
    assert cumulative.loc["2021-01", "point"] == 0
    expected = r.monthly_point.loc["2021-02":, "junta"].sum()
    assert cumulative["point"].iloc[-1] == pytest.approx(expected)
    last = cumulative.iloc[-1]
    assert last["p5"] <= last["p50"] <= last["p95"]
    assert (np.diff(cumulative["point"].to_numpy()) >= 0).all()


def test_cumulative_prorates_a_start_inside_a_month():
    r = timeline_results(draws=1000)
    half = r.cumulative("junta", dt.date(2017, 6, 16))
    assert half.loc["2017-06", "point"] == pytest.approx(r.monthly_point.loc["2017-06", "junta"] * 15 / 30)


def test_stones_sold_from_stock_pay_their_wages_once(data_dir):
    """A year in which half the output is held back, then a month that sells the whole stock: the wage bill was
    paid from the first year's sales, so the miners' part of the stones sold from stock is their hand-mining
    and commission part of the mine gate, never their wage part again (hand-worked from the first year's
    split: owner_stakes all to mine_owners, who get the wage part instead)."""
    owners = {**BASE_SCENARIO["recipients"], "owner_stakes": {"mine_owners": 1.0}}
    data_dir.scenario("base", parameters={**BASE_SCENARIO["parameters"], "market_access": 0.5}, recipients=owners)
    _timeline(data_dir, [{"scenario": "base", "start": "2023-01-01", "end": "2024-01-01"},
                         {"scenario": "other", "start": "2024-01-01", "end": "2024-02-01"}])
    from_stock = {}
    for release in (0.0, 1.0):
        data_dir.scenario("other", parameters={**BASE_SCENARIO["parameters"], "market_access": 1.0,
                                               "stock_release_rate": release}, recipients=owners)
        from_stock[release] = timeline_results(draws=200, world=data_dir.world).monthly_point
    held, sold = from_stock[0.0], from_stock[1.0]
    stock = held.loc["2023-12", "stock_usd"]
    assert stock > 0 and sold.loc["2024-01", "sales_from_stock_usd"] > 0
    base = point_estimate(load_scenario("base", data=data_dir.root))
    levies = 1 - base.mine_gate_usd / base.realised_value_usd  # the same rates on sales in both scenarios
    q = sold.loc["2024-01", "sales_from_stock_usd"] / stock
    c = base.channels_usd
    assert c.loc["wages", "miners"] > 0
    miners_share = (c.loc["hand_mining", "miners"] + c.loc["commission", "miners"]) / base.mine_gate_usd
    owners_share = (c.loc["company_profits", "mine_owners"] + c.loc["pit_rent", "mine_owners"]
                    + c.loc["wages", "miners"]) / base.mine_gate_usd
    gained = sold.loc["2024-01"] - held.loc["2024-01"]
    assert gained["miners"] == pytest.approx(q * stock * (1 - levies) * miners_share, rel=1e-9)
    assert gained["mine_owners"] == pytest.approx(q * stock * (1 - levies) * owners_share, rel=1e-9)


def test_stones_sold_from_stock_pay_their_fuel_once_and_keep_the_states_share(data_dir):
    """As above, with company sites' costs (γ = 0.2) and the state's production share (ψ = 0.1): the fuel and
    machines were paid from the first year's sales, so the suppliers get nothing from the stock and their part
    goes to the owners with the wage part; the state's share of the stones stays the state's."""
    owners = {**BASE_SCENARIO["recipients"], "owner_stakes": {"mine_owners": 1.0}, "state_tax_to": {"public_treasury": 1.0}}
    structure = {"company_cost_share": 0.2, "state_production_share": 0.1}
    data_dir.scenario("base", parameters={**BASE_SCENARIO["parameters"], **structure, "market_access": 0.5},
                      recipients=owners)
    _timeline(data_dir, [{"scenario": "base", "start": "2023-01-01", "end": "2024-01-01"},
                         {"scenario": "other", "start": "2024-01-01", "end": "2024-02-01"}])
    from_stock = {}
    for release in (0.0, 1.0):
        data_dir.scenario("other", parameters={**BASE_SCENARIO["parameters"], **structure, "market_access": 1.0,
                                               "stock_release_rate": release}, recipients=owners)
        from_stock[release] = timeline_results(draws=200, world=data_dir.world).monthly_point
    held, sold = from_stock[0.0], from_stock[1.0]
    stock = held.loc["2023-12", "stock_usd"]
    base = point_estimate(load_scenario("base", data=data_dir.root))
    levies = 1 - base.mine_gate_usd / base.realised_value_usd
    q = sold.loc["2024-01", "sales_from_stock_usd"] / stock
    c = base.channels_usd
    assert c.loc["company_costs", "suppliers"] > 0 and c.loc["production_share", "public_treasury"] > 0
    gained = sold.loc["2024-01"] - held.loc["2024-01"]
    released_gate = q * stock * (1 - levies) / base.mine_gate_usd  # the mine-gate value released, over M
    assert gained["suppliers"] == pytest.approx(0.0, abs=1e-6)
    owners_part = (c.loc["company_profits", "mine_owners"] + c.loc["pit_rent", "mine_owners"] + c.loc["wages", "miners"]
                   + c.loc["company_costs", "suppliers"])
    assert gained["mine_owners"] == pytest.approx(released_gate * owners_part, rel=1e-9)
    on_sales = q * stock * (base.flows_usd["public_treasury"] - c.loc["production_share", "public_treasury"]) \
        / base.realised_value_usd  # the state tax on the released stones' sales
    assert gained["public_treasury"] == pytest.approx(on_sales + released_gate * c.loc["production_share",
                                                                                          "public_treasury"], rel=1e-9)
