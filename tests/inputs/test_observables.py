"""data/observables.yaml: the shipped file loads, and bad entries are refused naming file, field and value."""
from __future__ import annotations

import pytest

from mogok_econ import InputError, load_bibliography
from mogok_econ.inputs.observables import GRADES, QUANTITIES, load_observables

GOOD = {
    "title": "A wage", "quantity": "wage_usd_per_month", "period": {"start": "2016-01", "end": "2017-12"},
    "observed": {"high": 200}, "unit": "USD per month", "source": "test-source", "grade": "press report or interview",
}


def test_shipped_observables_are_valid_and_sourced():
    observables = load_observables()
    bibliography = load_bibliography()
    assert observables
    for o in observables.values():
        assert o.quantity in QUANTITIES and o.grade in GRADES
        assert all(i in bibliography for i in o.sources)
        assert o.low is not None or o.high is not None


def test_a_data_folder_without_observables_uses_the_shipped_ones(data_dir):
    assert load_observables() and all(o.sources for o in load_observables().values())


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"quantity": "happiness"}, "observables.x.quantity", "input should be"),
    ({"observed": {"low": 300, "high": 200}}, "observables.x.observed", "low must be at most high"),
    ({"observed": {}}, "observables.x.observed", "give low, high or both"),
    ({"source": "no-such-source"}, "observables.x.source", "not an id"),
    ({"period": {"start": "2018-01", "end": "2017-12"}}, "observables.x.period", "end no earlier"),
    ({"grade": "rumour"}, "observables.x.grade", "input should be"),
    ({"colour": "red"}, "observables.x.colour", "not a known field"),
])
def test_bad_observables_are_refused(data_dir, change, field, words):
    data_dir.write_yaml("observables.yaml", {"observables": {"x": {**GOOD, **change}}})
    with pytest.raises(InputError) as exc:
        load_observables()
    text = str(exc.value)
    assert "observables.yaml" in text and field in text and words in text, text
