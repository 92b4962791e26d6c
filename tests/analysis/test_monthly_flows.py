"""The timeline: no gaps or overlaps, prorated months that add up to the annual flows."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from mogok_econ import ACTORS, InputError, load_scenario, point_estimate
from mogok_econ.analysis.monthly_flows import month_weights, timeline_results
from mogok_econ.inputs.timeline import COUP, load_timeline


def _timeline(data_dir, periods, events=()):
    data_dir.write_yaml("timeline.yaml", {"periods": periods, "events": list(events)})


def _two_scenarios(data_dir):
    data_dir.scenario("base")
    data_dir.scenario("other", recipients={
        "state_tax_to": {"armed_groups": 1.0}, "extortion_to": {"armed_groups": 1.0},
        "checkpoint_to": {"junta": 1.0}, "owner_stakes": {"mine_owners": 1.0}})


def test_shipped_timeline_is_contiguous_and_current():
    t = load_timeline()
    assert t.start == dt.date(2016, 1, 1)
    for a, b in zip(t.periods, t.periods[1:]):
        assert a.end == b.start
    assert t.current_scenario == "junta_recapture"
    assert str(t.months[-1]) == "2026-11"
    capture = [e for e in t.events if "captur" in e.title.lower()]
    assert capture and capture[0].date == dt.date(2024, 7, 24)
    assert dt.date(2025, 7, 23) in [d for d, _, _ in capture[0].other_dates]


def test_shipped_monthly_series_adds_up_to_annual_flows():
    r = timeline_results(draws=2000)
    by_year = r.monthly_point.groupby(r.monthly_point.index.year).sum()
    for year in range(2016, 2027):
        days = {p.scenario for p in r.timeline.periods
                if p.start <= dt.date(year, 1, 1) and p.end >= dt.date(year + 1, 1, 1)}
        if len(days) == 1:  # the whole year under one scenario
            annual = point_estimate(load_scenario(days.pop())).flows_usd
            np.testing.assert_allclose(by_year.loc[year, list(ACTORS)], annual[list(ACTORS)], rtol=1e-12)


def test_transition_inside_a_month_is_prorated_by_days(data_dir):
    _two_scenarios(data_dir)
    _timeline(data_dir, [
        {"scenario": "base", "start": "2023-01-01", "end": "2023-03-11"},
        {"scenario": "other", "start": "2023-03-11", "end": "2024-01-01"},
    ])
    w = month_weights(load_timeline())
    march = w.loc["2023-03"]
    assert march["base"] == pytest.approx(10 / 365) and march["other"] == pytest.approx(21 / 365)
    assert w.sum().sum() == pytest.approx(1.0)  # one full year
    r = timeline_results(draws=1000)
    total = r.monthly_point[list(ACTORS)].sum()
    expected = (point_estimate(load_scenario("base")).flows_usd * (69 / 365)
                + point_estimate(load_scenario("other")).flows_usd * (296 / 365))
    np.testing.assert_allclose(total, expected[list(ACTORS)], rtol=1e-12)


def test_leap_year_months_add_up(data_dir):
    _two_scenarios(data_dir)
    _timeline(data_dir, [{"scenario": "base", "start": "2024-01-01", "end": "2025-01-01"}])
    w = month_weights(load_timeline())
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
        load_timeline()
    assert fragment in str(info.value) and "timeline.yaml" in str(info.value)


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
