"""Who the junta is in the reports' words (issue 21, item 5): a scenario or period before the coup of
1 February 2021 names the `junta` actor the military and its conglomerates, never the junta; after it the
junta; the periods table says who the column is in each period. Small draws from the priors: the words
are tested, not the numbers."""
from __future__ import annotations

import re

import pytest

from mogok_econ.reports.wording import comparison as comparison_words
from mogok_econ.reports.wording import scenario as scenario_words
from mogok_econ.reports.wording import timeline as timeline_words
from mogok_econ.results.bundles import comparison_results, scenario_results, timeline_report_results

BEFORE_COUP = ("junta_licensed", "licence_lapse")
JUNTA = re.compile(r"\bjunta\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def comparison():
    return comparison_results([*BEFORE_COUP, "junta_informal"], draws=400, calibrated=False)


def test_comparison_never_calls_the_recipient_before_the_coup_the_junta(comparison):
    bullets = [line for line in comparison_words.comparison_headline(comparison).splitlines() if line.startswith("- ")]
    assert len(bullets) == 3
    for line in bullets[:2]:
        assert not JUNTA.search(line), line
        assert "the military and its conglomerates keep" in line
    assert "the junta keeps" in bullets[2]
    drivers = comparison_words.drivers_markdown(comparison).splitlines()
    assert not JUNTA.search(drivers[0]), drivers[0]  # licensing era -> licences lapsed
    assert "the junta from 1 February 2021" in drivers[1]
    alt = comparison_words.takes_figure(comparison)["alt"].split(": ", 1)[1]
    before = [part for part in alt.split("; ") if part.startswith("Licen")]
    assert len(before) == 2 and not any(JUNTA.search(part) for part in before), before


@pytest.mark.parametrize("name", BEFORE_COUP)
def test_a_scenario_report_before_the_coup_never_says_the_junta(name):
    r = scenario_results(name, draws=400, sobol_samples=64, calibrated=False)
    texts = [scenario_words.headline_markdown(r), scenario_words.sensitivity_markdown(r)]
    texts += [scenario_words.tornado_figure(r)[k] for k in ("alt", "caption")]
    texts += [scenario_words.sobol_figure(r)[k] for k in ("alt", "caption", "units")]
    texts.append(scenario_words.waterfall_figure(r)["alt"])
    for text in texts:
        assert not JUNTA.search(text), text
    assert "The military and its conglomerates keep" in texts[0]


def test_the_tnla_recorded_channel_is_not_called_official():
    r = scenario_results("tnla_control", draws=400, sobol_samples=64, calibrated=False)
    headline = scenario_words.headline_markdown(r)
    assert "official series see only that part" not in headline and "TNLA administration's" in headline


def test_timeline_names_the_recipient_in_each_period():
    r = timeline_report_results(draws=200, calibrated=False)
    table = timeline_words.periods_table(r)
    who = dict(zip(table.index, table["Who the junta column is"]))
    assert who["2016-01-01"] == who["2020-07-01"] == "Military (MEHL, MEC)"
    assert who["2021-02-01"] == "Junta (SAC)" and who["2025-11-28"] == "Junta (SSPC)"
    assert who["2026-01-21"] == "Junta (SSPC), then military-backed government"
    totals = timeline_words.timeline_totals(r)
    assert "The military and its conglomerates (the junta from 1 February 2021" in totals
    stock = timeline_words.stock_markdown(r)
    assert "at the end of October 2025, the last month's end before it" in stock


def test_a_hypothetical_scenario_names_the_military(comparison):
    from mogok_econ.inputs.scenarios import load_scenario
    from mogok_econ.reports.wording.common import junta_words

    assert junta_words(load_scenario("equitable_governance")).in_text == "the military"
    assert junta_words(load_scenario("junta_reopened")).in_text == "the junta (the military and its government from 3 April 2026)"
