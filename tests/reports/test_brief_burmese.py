"""The Burmese edition's wording, by the rules a fluent reader from Mandalay Region asked for (issue 22):
the Burmese comma between listed numbers, no 'military council' for the years before the coup, the
Mogok road by its name, the PDFs as they name themselves, the hypothetical scenario not called an
assumption, no space before a particle, no Latin punctuation, the targets by their Burmese names, print
no smaller than 8pt, and the Myanmar font in the page."""
from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest

from mogok_econ.inputs.scenarios import available_scenarios, load_scenario
from mogok_econ.inputs.timeline import COUP, load_timeline
from mogok_econ.inputs.world import shipped_world
from mogok_econ.reports.brief_page import EMBEDDED_FONT, TEMPLATES, myanmar_font_face
from mogok_econ.reports.wording.brief import Brief, Numbers, translations
from mogok_econ.results.ordering import periods_of

JUNTA = "စစ်ကောင်စီ"
DIGIT = "[၀-၉]"


def burmese_strings(node=None):
    """Every Burmese string of the translations file."""
    node = translations() if node is None else node
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "my" and isinstance(value, str):
                yield value
            elif key == "my" and isinstance(value, list):
                yield from value
            else:
                yield from burmese_strings(value)


@pytest.fixture(scope="module")
def brief_of():
    """A Brief on a stand-in summary that has only what the labels need: the timeline and the scenarios."""
    timeline = load_timeline()
    s = SimpleNamespace(timeline=timeline, scenarios=[load_scenario(n) for n in available_scenarios()],
                        world=shipped_world())
    return lambda language: Brief(s, language)


def test_no_latin_comma_between_listed_myanmar_numbers():
    spells = [(dt.date(2024, 6, 25), dt.date(2024, 7, 20)), (dt.date(2025, 1, 1), dt.date(2025, 3, 1))]
    assert Numbers("my").years(spells) == "၂၀၂၄၊ ၂၀၂၅" and Numbers("en").years(spells) == "2024, 2025"
    for text in burmese_strings():
        assert not re.search(f"{DIGIT}, +{DIGIT}", text), text
        assert not re.search(r"}, +{", text), text  # two placeholders listed with a Latin comma


def test_the_years_before_the_coup_are_never_the_military_councils(brief_of):
    timeline = load_timeline()
    before = [n for n in available_scenarios()
              if periods_of(n, timeline) and all(end <= COUP for _, end in periods_of(n, timeline))]
    assert {"junta_licensed", "licence_lapse"} <= set(before)
    my, en = brief_of("my"), brief_of("en")
    for name in before:
        assert JUNTA not in my.actor("junta", scenario=name) and JUNTA not in my.scenario(name)
        assert "junta" not in en.actor("junta", scenario=name).lower()
    assert my.actor("junta", scenario="junta_informal") == my.actor("junta")  # after the coup: the junta
    military = translations()["actors_before_coup"]["junta"]
    assert military["my"] in my.legend()["junta"] and military["en"] in en.legend()["junta"]
    for key in ("control", "chart_alt"):  # every sentence that spans the years before the coup names both
        assert "{military}" in translations()["phrases"][key]["my"], key


def test_the_mogok_road_pdfs_tnla_and_the_hypothetical_scenario_by_their_names():
    data = translations()
    assert "မန္တလေး-မိုးကုတ် ကားလမ်း" in data["scenarios"]["junta_reopened"]["my"]
    assert not any("အဝေးပြေးလမ်း" in text for text in burmese_strings())
    assert "ပြည်သူ့ကာကွယ်ရေးတပ်ဖွဲ့ (ပကဖ)" in data["actors"]["pdf"]["my"]
    assert not any(re.search(r"\bPDFs?\b", text) for text in burmese_strings())
    assert "တအာင်းအမျိုးသားလွတ်မြောက်ရေးတပ်မတော် (TNLA)" in data["phrases"]["chart_caption"]["my"]
    hypothetical = data["scenarios"]["equitable_governance"]["my"]
    assert hypothetical.startswith("စိတ်ကူးအခြေအနေ") and "သာတူညီမျှ" in hypothetical
    assert not any("ယူဆထားသော အခြေအနေ" in text for text in burmese_strings())


def test_no_space_before_a_particle_and_short_sentences():
    for text in burmese_strings():
        # 'သန်း ၏', 'ပုံ ၁ ၏', '{low} မှ', 'ရက် တွင်', '(ပကဖ) နှင့်': a particle joins the Burmese word, Myanmar
        # number or closing bracket before it
        assert not re.search(r"[\u1000-\u1049})] (၏|မှ |မှစ၍|မှတစ်ဆင့်|နှင့်|အထိ(?![\u102b-\u103e])|တွင်(?!း))", text), text
    first = translations()["phrases"]["caveat_calibration"]["my"]
    sentences = [s for s in first.split("။") if s.strip()]
    assert len(sentences) >= 5 and max(len(s) for s in sentences) < 140


def test_kyat_beside_dollars_names_its_rate():
    phrases = translations()["phrases"]
    assert "ကျပ်" in phrases["kyat_at_rate"]["my"] and "{rate}" in phrases["kyat_at_rate"]["my"]
    assert "{kyat}" in phrases["since_coup"]["my"] and "{kyat}" in phrases["current"]["my"]
    assert Numbers("my").billions(357.5e9) == "၃၅၈" and Numbers("my").billions(12.34e9) == "၁၂.၃"


@pytest.mark.slow
def test_burmese_print_is_at_least_8pt_and_the_page_embeds_the_myanmar_font():
    css = (TEMPLATES / "brief.css").read_text(encoding="utf-8")
    assert re.search(r"\.lang-my \.about[^{]*{ *font-size: *8pt", css)
    assert f'"{EMBEDDED_FONT}"' in re.search(r"body\.lang-my {[^}]*}", css).group(0)
    assert "{{ font_face | safe }}" in (TEMPLATES / "brief.html.j2").read_text(encoding="utf-8")
    face = myanmar_font_face()
    assert face.count("@font-face") == 2 and f'font-family: "{EMBEDDED_FONT}"' in face
    assert 'url("data:font/woff2;base64,' in face and len(face) < 200_000
    assert myanmar_font_face.__wrapped__() == face  # the same bytes every time


def test_no_latin_punctuation_in_the_burmese_wording():
    """Burmese ends a sentence with ။, lists with ၊ and follows a label with "-": no Latin full stop, comma,
    colon, semicolon or slash in its wording (a file name such as index.html aside)."""
    for text in burmese_strings():
        assert not re.search(r"[,;:/]|\.(?!html)", text), text
    assert translations()["phrases"]["label_separator"]["my"] == "- "
    page = (TEMPLATES / "brief.html.j2").read_text(encoding="utf-8")
    assert "</strong>{{ p.label_separator }}" in page and "</strong>:" not in page


def test_the_military_before_the_coup_mirrors_the_english_label():
    military = translations()["actors_before_coup"]["junta"]
    assert "MEHL" in military["en"] and "MEHL" in military["my"] and "MEC" in military["my"]
    assert not any("တပ်မတော်" in text.replace("တပ်မတော် (TNLA)", "") for text in burmese_strings())


def test_targets_by_their_burmese_names_and_sources_listed_with_the_burmese_comma(brief_of):
    from mogok_econ.reports.wording import brief_action as act

    my, en = brief_of("my"), brief_of("en")
    targets = my.world.sanctions_targets.targets
    names = translations()["targets"]
    for t in targets:  # a target renamed in the data makes its Burmese name stale: this says so
        assert names[t.short]["en"] == t.name, f"{t.short}: renamed in the data; update its Burmese name too"
        assert re.search("[\u1000-\u109f]", names[t.short]["my"]), t.short
        assert names[t.short]["my"] in act.targets_intro(my) and t.name in act.targets_intro(en)
        assert f"{names[t.short]['my']} ({t.short})" in act.targets_intro(my)
    burmese, english = act.chokepoints(my), act.chokepoints(en)
    assert not re.search(f"{DIGIT}, ", burmese) and re.search(f"{DIGIT}၊ ", burmese)
    assert re.search(r"\d, ", english)


def test_the_months_chart_writes_its_axes_in_myanmar_digits():
    import pandas as pd

    from mogok_econ.reports.brief_charts import months_chart

    months = pd.period_range("2021-02", "2026-11", freq="M")
    monthly = pd.Series(5e6, index=months)
    band = pd.DataFrame({"p5": 2e6, "p50": 5e6, "p95": 9e6}, index=months)
    labels = {"observed": "o", "projected": "p", "band": "b", "unit": "u"}
    fig = months_chart(monthly, band, pd.Period("2026-04", freq="M"), [], labels, "my", digits=Numbers("my").digits)
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    assert ticks and all(re.fullmatch(f"[−-]?{DIGIT}+(\\.{DIGIT}+)?", t) for t in ticks), ticks
