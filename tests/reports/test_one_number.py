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
    policy = re.search(r"The feasible single policy that denies it most, (.+?), would deny it " + MONEY, pages["policy.html"])
    assert policy, "the policy report names no top single policy"
    assert "ranked by the money they deny the junta" in pages["policy.html"]
    lever, amount = policy.groups()
    for name in ("brief.html", "index.html"):
        brief = re.search(r"The feasible policy that cuts it most now, (.+?), would cut it by " + MONEY, pages[name])
        assert brief, f"{name} names no top policy"
        assert brief.group(2) == amount, f"{name}: {brief.group(2)} against the policy report's {amount}"
        assert lever.strip("“”\" ").casefold() in brief.group(1).casefold(), (name, brief.group(1), lever)
