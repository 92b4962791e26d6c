"""data/observables.yaml: the shipped file loads, and bad entries are refused naming file, field and value."""
from __future__ import annotations

import pytest

from mogok_econ import InputError, load_bibliography
from mogok_econ.inputs.observables import GRADES, QUANTITIES, USES, load_observables, period_scenarios
from mogok_econ.inputs.timeline import load_timeline
from tests.calibration_fixtures import FREE_SOURCE, GOOD, calibration_data


def test_shipped_observables_are_valid_and_sourced():
    observables = load_observables()
    bibliography = load_bibliography()
    assert observables
    for o in observables.values():
        assert o.quantity in QUANTITIES and o.grade in GRADES and o.use in USES
        assert all(i in bibliography for i in o.sources)
        assert o.low is not None or o.high is not None or o.dist
        assert o.scenarios and abs(sum(o.scenarios.values()) - 1) < 1e-12


def test_a_data_folder_without_its_own_observables_has_none(data_dir):
    assert load_observables(data=data_dir.root) == {}


def test_a_period_maps_to_the_scenarios_in_force_by_days():
    timeline = load_timeline()
    weights = period_scenarios(timeline, "2020-01", "2021-12")
    assert set(weights) == {"junta_licensed", "licence_lapse", "junta_informal"}
    assert weights["junta_licensed"] == pytest.approx(182 / 731)  # 1 Jan to 1 Jul 2020 of 2020-21's 731 days
    assert sum(weights.values()) == pytest.approx(1)


def test_a_good_observable_loads(data_dir):
    calibration_data(data_dir, {"x": GOOD, "y": {**GOOD, "scenario": None, "period": {"start": "2021-01", "end": "2021-06"},
                                                  "observed": {"dist": "lognormal", "median": 2e8, "p5": 1e8, "p95": 4e8}}})
    loaded = load_observables(data=data_dir.root)
    assert loaded["x"].scenarios == {"base": 1.0} and loaded["y"].scenarios == {"base": 1.0}
    assert loaded["y"].interval == (1e8, 4e8) == (loaded["y"].low, loaded["y"].high)
    assert loaded["x"].period == ("2020-01", "2024-07") and loaded["y"].period == ("2021-01", "2021-06")


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"quantity": "happiness"}, "observables.x.quantity", "input should be"),
    ({"observed": {"low": 300, "high": 200}}, "observables.x.observed", "low must be at most high"),
    ({"observed": {}}, "observables.x.observed", "give low, high or both"),
    ({"observed": {"dist": "normal", "median": 1, "p5": 2, "p95": 3}}, "observables.x.observed", "p5 < median < p95"),
    ({"observed": {"dist": "lognormal", "median": 1, "p5": -1, "p95": 3}}, "observables.x.observed", "p5 > 0"),
    ({"observed": {"low": 1, "median": 2}}, "observables.x.observed", "need `dist"),
    ({"source": "no-such-source"}, "observables.x.source", "not an id"),
    ({"scenario": "no_such"}, "observables.x.scenario", "no such scenario"),
    ({"scenario": None, "period": {"start": "2018-01", "end": "2019-12"}}, "observables.x.period", "inside the timeline"),
    ({"scenario": None, "period": {"start": "2022-01", "end": "2021-12"}}, "observables.x.period", "the same or a later"),
    ({"period": {"start": "2021-01", "end": "2021-12"}}, "observables.x", "exactly one of `scenario`"),
    ({"scenario": None}, "observables.x", "exactly one of `scenario`"),
    ({"grade": "rumour"}, "observables.x.grade", "input should be"),
    ({"use": "maybe"}, "observables.x.use", "input should be"),
    ({"colour": "red"}, "observables.x.colour", "not a known field"),
    ({"quantity": "actor_flow_usd"}, "observables.x.actor", "needs an actor"),
    ({"quantity": "actor_flow_usd", "actor": "king"}, "observables.x.actor", "needs an actor"),
    ({"actor": "junta"}, "observables.x.actor", "only with quantity actor_flow_usd"),
    ({"quantity": "parameter_value", "parameter": "happiness"}, "observables.x.parameter", "needs a parameter"),
    ({"parameter": "formal_share"}, "observables.x.parameter", "only with quantity parameter_value"),
    # the source rule: test-source sets base's prior on G, which realised sales depend on
    ({"source": "test-source"}, "observables.x.source", "never both"),
    ({"use": "prior"}, "observables.x.source", "hides evidence"),
])
def test_bad_observables_are_refused(data_dir, change, field, words):
    entry = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    calibration_data(data_dir, {"x": entry})
    with pytest.raises(InputError) as exc:
        load_observables(data=data_dir.root)
    text = str(exc.value)
    assert "observables.yaml" in text and field in text and words in text, text


def test_a_source_in_a_prior_may_be_shown_beside_it(data_dir):
    calibration_data(data_dir, {"x": {**GOOD, "source": "test-source", "use": "prior"},
                                "y": {**GOOD, "source": "test-source", "use": "check"}})
    assert {o.use for o in load_observables(data=data_dir.root).values()} == {"prior", "check"}


def test_a_source_no_prior_of_the_quantity_cites_may_enter_the_likelihood(data_dir):
    # test-source sets G's prior, but a parameter observed directly depends on that parameter only
    calibration_data(data_dir, {"x": {**GOOD, "quantity": "parameter_value", "parameter": "extortion_rate",
                                      "observed": {"low": 0.05, "high": 0.1}, "unit": "rate", "source": "test-source"}})
    assert load_observables(data=data_dir.root)["x"].parameter == "extortion_rate"
    assert FREE_SOURCE  # the fixture's other source, used by GOOD
