"""Who the `junta` actor is, period by period (core/vocabulary.py, JUNTA_NAMES): the military and its
conglomerates before the coup, the junta (SAC, then SSPC) after it, the military and its government from
April 2026; each dated name has its sources in data/sources.yaml."""
from __future__ import annotations

import datetime as dt

import pytest

from mogok_econ.core.vocabulary import ACTOR_INFO, JUNTA_NAMES, actor_info, junta_in_text, junta_label, junta_names, junta_verb
from mogok_econ.inputs.sources import load_bibliography


@pytest.mark.parametrize("when, label, in_text", [
    ("2016-01-01", "Military (MEHL, MEC)", "the military and its conglomerates"),
    ("2020-07", "Military (MEHL, MEC)", "the military and its conglomerates"),
    (dt.date(2021, 1, 31), "Military (MEHL, MEC)", "the military and its conglomerates"),
    (dt.date(2021, 2, 1), "Junta (SAC)", "the junta"),
    ("2024-07-24", "Junta (SAC)", "the junta"),
    ("2025-07-30", "Junta (SAC)", "the junta"),
    ("2025-07-31", "Junta (SSPC)", "the junta"),
    ("2026-01-21", "Junta (SSPC)", "the junta"),
    ("2026-04-02", "Junta (SSPC)", "the junta"),
    ("2026-04-03", "Military-backed government", "the military and its government"),
    ("2026-11", "Military-backed government", "the military and its government"),
])
def test_the_label_on_each_date(when, label, in_text):
    assert junta_label(when) == label
    assert junta_in_text(when) == in_text


def test_periods_are_in_order_and_start_with_the_coup_and_the_renaming():
    starts = [n.since for n in JUNTA_NAMES]
    assert starts == sorted(starts) and starts[1:] == [dt.date(2021, 2, 1), dt.date(2025, 7, 31), dt.date(2026, 4, 3)]
    assert "junta" not in (JUNTA_NAMES[0].label + JUNTA_NAMES[0].keeps + JUNTA_NAMES[0].in_text).lower()


def test_a_period_spanning_names_gives_each_and_the_end_is_exclusive():
    assert junta_label("2020-07-01", "2021-02-01") == "Military (MEHL, MEC)"
    assert junta_label("2025-07-16", "2025-10-29") == "Junta (SAC), then junta (SSPC)"
    assert [n.label for n in junta_names("2016-01-01", "2026-12-01")] == [n.label for n in JUNTA_NAMES]
    assert junta_in_text("2021-02-01", "2025-11-28") == "the junta"
    assert junta_in_text("2020-07-01", "2021-03-01") == "the military and its conglomerates (the junta from 1 February 2021)"
    assert junta_verb("2016-01-01", "2026-12-01") == "have" and junta_verb("2021-02-01", "2026-12-01") == "has"


def test_actor_info_changes_only_the_junta_words():
    assert actor_info("miners", "2016-01") == ACTOR_INFO["miners"]
    assert actor_info("junta") == ACTOR_INFO["junta"]
    before = actor_info("junta", "2016-01", "2020-07")
    assert before.keeps == "The military and its conglomerates keep" and before.label == "Military (MEHL, MEC)"
    assert actor_info("junta", "2021-02", "2024-06").keeps == "The junta keeps"


def test_every_dated_name_cites_sources_that_exist():
    bibliography = load_bibliography()
    for name in JUNTA_NAMES:
        assert name.sources, name.label
        assert all(i in bibliography for i in name.sources), [i for i in name.sources if i not in bibliography]
