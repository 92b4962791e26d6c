"""The landing page (reports/index.html) from a manifest: reports in time order by human title, the brief's
summary, every download that exists, links that resolve, no lever or scenario id in its prose."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from mogok_econ.inputs.levers import load_levers
from mogok_econ.inputs.scenarios import available_scenarios, load_scenario
from mogok_econ.inputs.timeline import load_timeline
from mogok_econ.inputs.world import shipped_world
from mogok_econ.reports.index_page import NO_SUMMARY, plain_words, write_index
from mogok_econ.results.ordering import time_order
from mogok_econ.results.summary import results_folder, summary_results


@pytest.fixture(scope="module")
def summary():
    """The summary's results at few draws (results/summary.py), as a build publishes them in reports/results/."""
    return summary_results(1_000, 5, world=shipped_world())


def _fake_reports(folder: Path, with_brief: bool = True, summary=None) -> Path:
    """A reports folder as a build leaves it: a manifest, the pages (empty), and with `summary` its results."""
    entries = {f"scenario-{name}": {"title": load_scenario(name).title, "kind": "scenario", "parameters": {"scenario": name},
                                    "headline": f"The junta keeps a lot under `{name}`."}
               for name in sorted(available_scenarios(), reverse=True)}  # reverse alphabetical: order must come from time
    entries["policy"] = {"title": "Policy levers ranked", "kind": "policy", "parameters": {},
                         "headline": "The best-ranked option, eiti transparency + enforce gem sanctions, denies it most."}
    entries["comparison"] = {"title": "Every scenario compared", "kind": "comparison", "parameters": {}, "headline": ""}
    if with_brief:
        entries["brief"] = {"title": "Brief", "kind": "brief", "parameters": {"language": "en"}, "headline": ""}
        entries["brief-my"] = {"title": "Brief in Burmese", "kind": "brief", "parameters": {"language": "my"}, "headline": ""}
    if summary is not None:
        shutil.copytree(results_folder(summary.n_draws, summary.seed, summary.calibrated, shipped_world()),
                        folder / "results")
    for name in entries:
        (folder / f"{name}.html").write_text("<html></html>")
        (folder / f"{name}.pdf").write_bytes(b"%PDF-1.7")
    (folder / "manifest.json").write_text(json.dumps({"reports": entries}))
    return folder


def _links(index: str) -> list[str]:
    return [h for h in re.findall(r'href="([^"]+)"', index) if not urlsplit(h).scheme and not h.startswith("#")]


def test_scenario_reports_are_listed_in_time_order_with_hypothetical_ones_last(tmp_path):
    reports = _fake_reports(tmp_path)
    write_index([], reports)
    index = (reports / "index.html").read_text(encoding="utf-8")
    ordered = time_order([load_scenario(n) for n in available_scenarios()], load_timeline())
    positions = [index.index(f'href="scenario-{s.name}.html"') for s in ordered]
    assert positions == sorted(positions)
    in_timeline = set(load_timeline().scenarios())
    flags = [s.name in in_timeline for s in ordered]
    assert flags == sorted(flags, reverse=True), "hypothetical scenarios must come after the timeline's"
    assert ordered[0].name == load_timeline().periods[0].scenario
    # the brief comes first, then the overviews, then the scenarios
    assert index.index('href="brief.html"') < index.index('href="comparison.html"') < positions[0]


@pytest.mark.slow
def test_landing_page_has_the_briefs_findings_links_that_resolve_and_no_ids(tmp_path, summary):
    from mogok_econ.reports.brief_page import landing_html

    reports = _fake_reports(tmp_path, summary=summary)
    (reports / "mogok-econ-data.xlsx").write_bytes(b"PK")
    (reports / "data" / "comparison").mkdir(parents=True)
    (reports / "data" / "comparison" / "table-1.csv").write_text("a,b\n1,2\n")
    write_index([], reports)
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert landing_html(summary) in index  # the findings, worded from the published results
    assert "Key findings" in index
    links = _links(index)
    for target in ("brief.html", "brief-my.html", "brief-my.pdf", "mogok-econ-data.xlsx", "data/comparison/table-1.csv",
                   "policy.pdf", "scenario-tnla_control.html"):
        assert target in links, target
    missing = [h for h in links if not (reports / unquote(urlsplit(h).path)).is_file()]
    assert not missing
    prose = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", index, flags=re.S))
    for lever in load_levers():
        assert lever.name not in prose and lever.name.replace("_", " ") not in prose.lower(), lever.name
        assert lever.title in prose or lever.name not in ("eiti_transparency", "enforce_gem_sanctions")
    assert "`" not in prose and "tnla_control" not in prose


def test_landing_page_without_a_brief_says_how_to_build_one_and_links_no_missing_file(tmp_path):
    reports = _fake_reports(tmp_path, with_brief=False)
    write_index([], reports)
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert NO_SUMMARY in index and 'href="brief.html"' not in index and "xlsx" not in index
    assert all((reports / unquote(urlsplit(h).path)).is_file() for h in _links(index))


def test_plain_words_replaces_ids_by_titles_but_not_parts_of_words():
    titles = {"reopen_routes": "Reopen the routes", "contested": "Active fighting"}
    assert plain_words("try reopen routes or `contested`", titles) == "try Reopen the routes or Active fighting"
    assert plain_words("uncontested; contested ground", titles) == "uncontested; contested ground"


def test_landing_page_says_each_thing_once(tmp_path):
    """The scenario reports' description once (not once per scenario), no scenario headline (the comparison's
    headline covers them), the briefs linked once, and the scenarios' CSVs as one table: a row per scenario."""
    from mogok_econ.reports.catalogue import KINDS

    reports = _fake_reports(tmp_path)
    names = sorted(available_scenarios())
    for name in names:
        folder = reports / "data" / f"scenario-{name}"
        folder.mkdir(parents=True)
        for csv in ("key-numbers.csv", "tornado.csv"):
            (folder / csv).write_text("a,b\n1,2\n")
    write_index([], reports)
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert index.count(KINDS["scenario"].description) == 1
    assert "The junta keeps a lot under" not in index
    assert index.count('href="brief.html"') == 1
    table = re.search(r'<table class="csvs">(.*?)</table>', index, flags=re.S)
    assert table and table.group(1).count("<tr>") == len(names) + 1  # the head, then a row per scenario
    assert all(f'href="data/scenario-{n}/tornado.csv"' in table.group(1) for n in names)
    assert "key-numbers.csv</a>" not in index  # in the table the column says which file, the cell links it
