"""One number, one place: every named headline quantity has one value in every report that shows it (the
committed reports: the landing page, the brief, and every notebook report)."""
from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest

from mogok_econ import paths
from mogok_econ.inputs.scenario_list import scenario_titles
from mogok_econ.inputs.timeline import load_timeline

MONEY = r"\$([\d,]+(?:\.\d)?) million"


def page_text(name: str) -> str:
    text = (paths.REPORTS / name).read_text(encoding="utf-8")
    text = re.sub(r"<(style|script)\b.*?</\1>", "", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {p.name: page_text(p.name) for p in sorted(paths.REPORTS.glob("*.html")) if not p.name.endswith("-my.html")}


def collect(pages: dict[str, str], patterns: list[str]) -> dict[str, set[str]]:
    """Every value the patterns find (their last group), by the pages that show it."""
    found: dict[str, set[str]] = defaultdict(set)
    for name, text in pages.items():
        for pattern in patterns:
            for match in re.finditer(pattern, text):
                found[match.groups()[-1]].add(name)
    return dict(found)


def test_the_junta_s_take_since_the_coup_has_one_value_everywhere(pages):
    found = collect(pages, [r"junta[^$]{0,80}? taken about " + MONEY,
                            r"junta's take since the coup of 1 February 2021: " + MONEY,
                            r"would have kept " + MONEY + r" \(90% interval [^)]*\) instead of " + MONEY])
    assert len(found) == 1, f"the junta's take since the coup differs between reports: {found}"
    (shown_in,) = found.values()
    assert {"brief.html", "index.html", "timeline.html", "comparison.html", "calibration.html"} <= shown_in


def test_each_scenario_s_take_has_one_value_everywhere(pages):
    titles = scenario_titles()
    current = load_timeline().current_scenario
    for name, title in titles.items():
        t = re.escape(title)
        patterns = [rf"Under {t} [^$]*?keeps? " + MONEY,
                    rf"{t} \([^)]*\): sales \$[\d,.]+ million a year; [^$;]*? keeps? " + MONEY]
        found = collect(pages, patterns)
        own = f"scenario-{name}.html"
        if own in pages:
            headline = re.search(r"\bkeeps? " + MONEY + " a year", pages[own])
            assert headline, f"{own}: no headline take"
            found.setdefault(headline.group(1), set()).add(own)
        if name == current:
            now = re.search(r"Now \([^)]*\) [^$]*?keeps? " + MONEY + " a year", pages["brief.html"])
            assert now, "the brief says nothing of the junta's take now"
            found.setdefault(now.group(1), set()).add("brief.html")
        assert len(found) <= 1, f"{name}: the junta's take differs between reports: {found}"


def test_the_top_policy_is_the_same_by_the_same_criterion_everywhere(pages):
    policy = re.search(r"The feasible single policy ranked first, (.+?), would deny it " + MONEY, pages["policy.html"])
    assert policy, "the policy report names no top single policy"
    assert "ranked by the chance, over paired draws" in pages["policy.html"]
    lever, amount = policy.groups()
    for name in ("brief.html", "index.html"):
        brief = re.search(r"The feasible policy ranked first now, (.+?), would cut it by " + MONEY, pages[name])
        assert brief, f"{name} names no top policy"
        assert brief.group(2) == amount, f"{name}: {brief.group(2)} against the policy report's {amount}"
        assert lever.strip("“”\" ").casefold() in brief.group(1).casefold(), (name, brief.group(1), lever)


def test_one_ranking_criterion_and_top_policy_in_the_landing_page_the_brief_in_both_languages_and_the_policy_report(
        pages):
    """The policy report, the landing page and both editions of the brief name the same top feasible policy,
    with the same amount, ranked by the same criterion (analysis/lever_effects.py RANKING_CRITERION; the
    Burmese edition's words for it are translations/brief.yaml's ranking_criterion)."""
    from mogok_econ.analysis.lever_effects import RANKING_CRITERION
    from mogok_econ.inputs.levers import load_levers
    from mogok_econ.reports.wording.brief import Numbers, translations

    assert f"Options are {RANKING_CRITERION}" in pages["policy.html"]
    lever, amount = re.search(r"The feasible single policy ranked first, (.+?), would deny it " + MONEY,
                              pages["policy.html"]).groups()
    for name in ("brief.html", "index.html"):
        assert f"policies are {RANKING_CRITERION}" in pages[name], name
    data = translations()
    burmese = page_text("brief-my.html")
    assert " ".join(data["phrases"]["ranking_criterion"]["my"].split()) in burmese
    name = next(lv.name for lv in load_levers() if lv.title.casefold() == lever.strip("“”\" ").casefold())
    my_title, my_amount = data["levers"][name]["my"], Numbers("my").money(float(amount.replace(",", "")) * 1e6)
    top = re.search(r"“(.+?)” သည် စစ်ကောင်စီ၏ ရငွေကို တစ်နှစ်လျှင်\s+(\S+ [\d၀-၉,.]+ သန်း)", burmese)
    assert top and top.groups() == (my_title, my_amount), (top and top.groups(), my_title, my_amount)


def test_every_report_quotes_the_one_headline_table(pages):
    """The place each headline lives: reports/results/headlines.csv (results/summary.py), written once by the
    build. What every committed report says of the junta's take since the coup and now, of each scenario and of
    the top policy is that table's number, as the reports write it (reports/formatting.py, money)."""
    from mogok_econ.reports.formatting import money
    from mogok_econ.results.summary_tables import SUMMARY_TABLES
    from mogok_econ.results.tables import read_table

    table = read_table(paths.REPORTS / "results", SUMMARY_TABLES["headlines"])

    def shown(quantity: str) -> str:
        return money(table.loc[quantity, "point"])

    amount = r"(\$[\d,]+(?:\.\d)?(?: million)?)"
    since = collect(pages, [r"junta[^$]{0,80}? taken about " + amount,
                            r"junta's take since the coup of 1 February 2021: " + amount])
    assert set(since) == {shown("junta_since_coup")}, since
    now = re.search(r"Now \([^)]*\) [^$]*?keeps? " + amount + " a year", pages["brief.html"])
    assert now and now.group(1) == shown("junta_now")
    for name in scenario_titles():
        own = pages.get(f"scenario-{name}.html")
        if own is not None:
            assert re.search(r"\bkeeps? " + amount + " a year", own).group(1) == shown(f"junta_in_{name}"), name
    top = re.search(r"The feasible single policy ranked first, (.+?), would deny it " + amount, pages["policy.html"])
    assert top, "the policy report names no top single policy"
    assert top.group(2) == shown("top_policy_denies")
