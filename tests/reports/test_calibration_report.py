"""The calibration report's wording, charts and notebook, on the real calibration of the shipped observables
at small draws (5,000 prior draws: tempered SMC). The wording is checked, not the numbers; the notebook's run
below uses the same draws, so it reads these results from the cache instead of computing them again."""
from __future__ import annotations

import html
import json

import matplotlib.pyplot as plt
import pandas as pd
import papermill
import pytest

from mogok_econ import paths
from mogok_econ.analysis.calibration import calibration
from mogok_econ.core.defaults import DEFAULT_SEED
from mogok_econ.inputs.scenarios import load_scenario
from mogok_econ.inputs.sources import load_bibliography
from mogok_econ.reports import calibration_charts, citations
from mogok_econ.reports.calibration_results import CalibrationResults
from mogok_econ.reports.catalogue import plan
from mogok_econ.reports.wording import agenda as agenda_words
from mogok_econ.reports.wording import calibration as words
from mogok_econ.reports.wording.common import short_title
from mogok_econ.reports.wording.glossary import link_first_uses
from mogok_econ.results.bundles import research_agenda

#: Prior draws of the calibration behind these tests and the notebook's run (one cached result for both).
DRAWS = 5_000


@pytest.fixture(scope="module")
def results():
    """The report's results as its wording sees them, at these draws throughout: without the readings'
    headlines, which no test here words, and with the agenda quoting the timeline at these draws, not the
    reports' 100,000 (the notebook's run below computes both as the report does). These tests are in
    `make test-fast`: cold, the two took 16 s of the fixture's 25."""
    calib = calibration(DRAWS, DEFAULT_SEED)
    return CalibrationResults(calib, research_agenda(calib, DEFAULT_SEED, DRAWS), DRAWS, DEFAULT_SEED,
                              readings=pd.DataFrame())


def test_every_observable_is_in_the_table_with_both_intervals(results):
    calib = results.calib
    table = words.observables_table(calib)
    assert list(table.index) == [o.title for o in calib.observables.values()]
    assert set(table["Use"]) <= set(words.USE_WORDS.values())
    raw = calib.observable_table()
    assert list(table["Holds"]) == ["yes" if h else "no" for h in raw["holds_posterior"]]
    for (_, row), meaning in zip(raw.iterrows(), table["What it means"]):
        assert meaning.endswith(".") and ("implies more" in meaning or "implies less" in meaning) != bool(row["holds_posterior"])
    data = words.observables_table_meta(calib)["data"]
    assert data.index.tolist() == list(calib.observables) and data["observed_low"].notna().any()


def test_headline_says_what_was_fitted_the_method_and_the_diagnostics(results):
    calib = results.calib
    text = words.headline_markdown(results)
    assert f"**{len(calib.observables)} observations**" in text
    assert calib.method in text and f"{calib.ess:,.0f}" in text and f"{calib.khat:.2f}" in text
    for o in calib.observables.values():
        if o.use == "likelihood":
            assert o.title in text
    linked = link_first_uses(text, set())
    assert "#term-ess" in linked and "#term-khat" in linked and "#term-calibration" in linked


def test_moved_parameters_are_listed_and_charted(results):
    calib = results.calib
    moved = calib.parameter_table().query("moved")
    assert len(moved) > 0  # the Global Witness figure moves G and the licensing era's formal share
    frame = words.moved_frame(calib)
    assert frame.attrs["keys"] == list(moved["parameter"])
    text = words.moved_markdown(calib)
    for label in frame.index:
        assert f"**{label}**" in text
    alt = words.moved_figure(calib)["alt"]
    assert all(words.lower_first(label) in alt for label in frame.index)
    fig = calibration_charts.prior_posterior_chart(frame, "test")
    assert len(fig.axes) == len(frame)
    plt.close(fig)


def test_unreached_scenarios_are_named_and_their_headline_rests_on_priors(results):
    calib = results.calib
    unreached = calib.unreached_scenarios()
    assert "junta_recapture" in unreached and "junta_licensed" not in unreached and "tnla_control" not in unreached
    text = words.unreached_markdown(calib)
    for name in unreached:
        assert short_title(load_scenario(name)) in text
        assert calib.reasons[name][:40] in html.unescape(text)  # why no observation reaches it (the data's words)
    assert "rests on priors" in text
    sentence = words.rests_on_priors_sentence("junta_recapture", calib)
    assert "rests on their priors" in sentence and "gross value" in sentence
    assert words.rests_on_priors_sentence("junta_licensed", calib) == ""
    assert words.rests_on_priors_sentence("junta_informal", calib) == ""  # reached by the post-coup headcount
    assert "draws every parameter from its prior" in words.rests_on_priors_sentence("junta_licensed", calib, False)
    assert "draws every parameter from its prior" in words.rests_on_priors_sentence("junta_licensed", None)


def test_the_scenario_table_has_that_scenarios_observables_only(results):
    calib = results.calib
    mine = [o.title for o in calib.observables.values() if "tnla_control" in o.scenarios]
    table = words.scenario_table("tnla_control", calib)
    assert list(table["data"]["title"]) == mine  # the numbers, as the calibration report's download has them
    assert {"observed_low", "observed_high", "posterior_p5", "posterior_p95"} <= set(table["data"].columns)
    printed = words.observables_table_printed(calib, "tnla_control")
    assert [html.unescape(i.split("<br>")[0]) for i in printed.index] == mine  # the titles, escaped
    assert words.scenario_table("junta_recapture", calib) is None
    assert "No observation" in words.scenario_calibration_markdown("junta_recapture", calib)
    assert "rests on their priors" not in words.scenario_calibration_markdown("tnla_control", calib)
    assert "rests on their priors" in words.scenario_calibration_markdown("licence_lapse", calib)


def test_the_leave_one_out_table_and_sentence_name_the_worst_predicted(results):
    calib = results.calib
    table = words.loo_table(calib)
    fitted = [o.title for o in calib.observables.values() if o.use == "likelihood"]
    assert sorted(table.index) == sorted(fitted)
    worst = min(calib.loo, key=lambda r: r["loo_score"])
    assert table.index[0] == calib.observables[worst["id"]].title
    text = words.loo_markdown(calib)
    assert calib.observables[worst["id"]].title in text and f"{worst['loo_score']:.0%}" in text
    assert list(words.loo_table_meta(calib)["data"].index) == [r["id"] for r in calib.loo]


def test_the_agenda_ranks_parameters_and_says_the_indices_are_not_additive(results):
    ag = results.agenda
    text = agenda_words.agenda_markdown(ag)
    assert "not additive" in text and f"{ag['sum_of_first_order']:.2f}" in text
    top = ag["parameters"][0]
    assert words.parameter_label(top["owner"], top["parameter"]) in text
    table = agenda_words.agenda_table(ag)
    assert list(table["Rank"]) == list(range(1, 11))
    assert table["Priority"].is_monotonic_decreasing
    assert set(table["What evidence would help"]) <= set(agenda_words.NEXT_EVIDENCE.values())
    fig = calibration_charts.agenda_chart(agenda_words.agenda_frame(ag), "test")
    plt.close(fig)


def test_the_report_cites_the_observations_sources(results):
    ids = results.cited_ids()
    bib = load_bibliography()
    assert all(i in bib for i in ids)
    assert {i for o in results.calib.observables.values() for i in o.sources} <= set(ids)
    assert "**afp-2017-01-05-land-of-rubies**" in citations.references(results)


def test_values_read_in_their_units():
    assert words.value(185.3, "USD per month") == "$185 a month"
    assert words.value(7.8, "USD per year") == "$7.8 a year"
    assert words.value(3.21e8, "USD per year") == "$321.0 million a year"
    assert words.value(0.379, "share of sales") == "38%"
    assert words.value(77_589.4, "people") == "77,589"


def test_the_plan_has_a_calibration_report_reading_the_observables_and_the_timeline():
    job = {j.name: j for j in plan([], include_comparison=True)}["calibration"]
    assert job.kind == "calibration" and job.title == "What the observations tell us: the calibration"
    shipped = paths.SHIPPED_DATA
    assert {paths.observables_file(shipped), paths.timeline_file(shipped), paths.shared_file(shipped)} <= set(job.data_files)
    assert set(paths.sources_files(paths.SHIPPED_DATA)) <= set(job.data_files)


@pytest.mark.slow
def test_the_notebook_runs_and_numbers_its_figures_and_tables(tmp_path):
    out = tmp_path / "calibration.ipynb"
    papermill.execute_notebook(str(paths.NOTEBOOKS / "calibration_report.ipynb"), str(out),
                               parameters={"draws": DRAWS}, kernel_name="python3", progress_bar=False)
    cells = json.loads(out.read_text())["cells"]
    shown = [o["metadata"]["mogok"] for c in cells for o in c.get("outputs", []) if "mogok" in o.get("metadata", {})]
    assert [(m["kind"], m["name"], m["number"]) for m in shown] == [
        ("table", "observables", 1), ("table", "leave-one-out", 2), ("table", "readings", 3),
        ("figure", "prior-posterior", 1),
        ("figure", "agenda-indices", 2), ("table", "agenda", 4)]
    assert all(m["caption"] for m in shown) and all(m.get("alt") for m in shown if m["kind"] == "figure")
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for c in cells for o in c.get("outputs", []))
    assert "importance sampling" in text or "tempered SMC" in text  # the method the fit used, named
    assert "not additive" in text
    assert "**Read as declared production**" in text and "Bayesian model averaging" in text  # the readings, weighed
