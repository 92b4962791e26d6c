"""The two-page brief in English and Burmese: wording kept as data in both languages, the same numbers in
both editions, at most two A4 pages each, Burmese script in the Burmese one, no lever id anywhere."""
from __future__ import annotations

import re
from collections import Counter

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from mogok_econ import load_scenario, point_estimate
from mogok_econ.analysis.calibration import posterior_for
from mogok_econ.inputs.levers import load_levers
from mogok_econ.inputs.scenarios import available_scenarios
from mogok_econ.inputs.timeline import load_timeline
from mogok_econ.reports.build import build
from mogok_econ.reports.catalogue import BRIEF_TRANSLATIONS, plan
from mogok_econ.reports.formatting import money
from mogok_econ.reports.index_page import read_manifest
from mogok_econ.reports.wording.brief import LANGUAGES, Numbers, placeholders, translations
from mogok_econ.results.summary import is_feasible

A4 = (595.0, 842.0)  # points
MYANMAR = re.compile("[\u1000-\u109f]")
TO_LATIN = str.maketrans("၀၁၂၃၄၅၆၇၈၉", "0123456789")


def numbers_in(text: str) -> Counter:
    """Every number in a text (Myanmar digits read as Latin ones, thousands separators dropped)."""
    text = re.sub(r"\b[0-9a-f]{64}\b", " ", text.translate(TO_LATIN))  # the input hash: an identifier
    return Counter(m.replace(",", "") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text))


def visible_text(page: str) -> str:
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def lever_ids_in(text: str) -> list[str]:
    return [lever.name for lever in load_levers()
            if lever.name in text or lever.name.replace("_", " ") in text.lower()]


# --- the wording as data -------------------------------------------------------------------------------

def test_every_phrase_has_both_languages_with_the_same_placeholders():
    phrases = translations()["phrases"]
    assert len(phrases) > 30
    for key, entry in phrases.items():
        assert set(entry) == set(LANGUAGES), key
        assert placeholders(entry["en"]) == placeholders(entry["my"]), key
        labels = ("table_caption", "chart_caption", "download_table", "download_chart", "h_months", "h_channels",
                  "download_months", "download_channels")  # "Table 1", "Figure 1", "Figure 2"
        assert not re.search(r"\d", re.sub(r"{\w+}", "", entry["en"].replace("SHA-256", ""))) or key in labels, key
        burmese = entry["my"] if key != "other_edition" else entry["en"]  # each edition links the other in its language
        if key == "label_separator":  # a mark of punctuation: "-" after a label, in Burmese as in the file's rule
            continue
        assert MYANMAR.search(burmese), f"{key}: the Burmese phrase has no Burmese script"


def test_every_scenario_actor_and_lever_has_a_burmese_name_and_lever_titles_match_the_data():
    data = translations()
    assert set(data["scenarios"]) >= set(available_scenarios())
    for lever in load_levers():
        entry = data["levers"][lever.name]
        # a lever retitled in data/levers makes its Burmese title stale: this says so
        assert entry["en"] == lever.title, f"{lever.name}: retitled; update its Burmese title too"
        assert MYANMAR.search(entry["my"])
    for table in ("actors", "actors_short", "scenarios"):
        for key, entry in data[table].items():
            assert entry["en"] and entry["my"], (table, key)


@pytest.mark.parametrize("value", [0.0, 85.0, 12_345.0, 394_000.0, 999_000.0, 1.25e6, 41_801_050.0, 642.8e6, 1.3499e9,
                                   -2.1e6])
def test_burmese_money_carries_the_english_number_in_myanmar_digits(value):
    english, burmese = Numbers("en").money(value), Numbers("my").money(value)
    assert english == money(value)
    assert numbers_in(english) == numbers_in(burmese)
    assert not re.search(r"[0-9]", burmese) and "ဒေါ်လာ" in burmese
    assert ("million" in english) == ("သန်း" in burmese)


def test_dates_and_shares_read_the_same_in_both_languages():
    import datetime as dt

    import pandas as pd

    en, my = Numbers("en"), Numbers("my")
    assert en.day(dt.date(2021, 2, 1)) == "1 February 2021" and my.day(dt.date(2021, 2, 1)) == "၂၀၂၁ ခုနှစ် ဖေဖော်ဝါရီလ ၁ ရက်"
    assert numbers_in(en.month(pd.Period("2026-11", "M"))) == numbers_in(my.month(pd.Period("2026-11", "M")))
    assert en.share(0.331) == "33%" and my.share(0.331) == "၃၃%"


# --- which levers count as feasible ---------------------------------------------------------------------

def test_a_lever_counts_as_feasible_where_its_file_says_so_and_it_applies():
    levers = {lever.name: lever for lever in load_levers()}
    junta = load_scenario("junta_reopened")
    assert not is_feasible(levers["armed_group_tax_cap"], junta)   # applies only where an armed group taxes
    assert is_feasible(levers["armed_group_tax_cap"], load_scenario("tnla_control"))
    assert is_feasible(levers["enforce_gem_sanctions"], junta)
    assert not is_feasible(levers["eiti_transparency"], junta)     # its own file: only under a reformed administration


def test_render_all_plans_both_editions():
    jobs = {j.name: j for j in plan()}
    assert jobs["brief"].kind == jobs["brief-my"].kind == "brief"
    assert jobs["brief"].parameters["language"] == "en" and jobs["brief-my"].parameters["language"] == "my"
    # the wording is data the brief reads: editing a translation rebuilds both editions
    assert all(BRIEF_TRANSLATIONS in jobs[n].data_files for n in ("brief", "brief-my"))


def test_language_is_not_a_parameter_a_reader_sets():
    from mogok_econ import InputError

    with pytest.raises(InputError, match="every language"):
        plan(None, {"language": "my"})


# --- the briefs as built ---------------------------------------------------------------------------------

#: Few draws, and the draws and seed of the summary that test_index_page.py and tests/results/test_summary.py
#: compute: the briefs read that summary from the cache instead of computing their own.
PARAMETERS = {"draws": 1_000, "seed": 5}


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    """Both editions rendered through the build (papermill, nbconvert, WeasyPrint) with few draws."""
    out = tmp_path_factory.mktemp("briefs")
    jobs = [j for j in plan([], PARAMETERS) if j.kind == "brief"]
    summary = build(jobs, workers=2, reports=out)
    assert sorted(summary.built) == ["brief", "brief-my"]
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", ["brief", "brief-my"])
def test_brief_is_at_most_two_a4_pages(briefs, name):
    reader = PdfReader(briefs / f"{name}.pdf")
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4, abs=1.0)


@pytest.mark.slow
def test_burmese_brief_is_in_burmese_script_with_the_same_numbers_as_the_english(briefs):
    english = (briefs / "brief.html").read_text(encoding="utf-8")
    burmese = (briefs / "brief-my.html").read_text(encoding="utf-8")
    en_text, my_text = visible_text(english), visible_text(burmese)
    kyat = re.compile(r"\(ကျပ်[^()]*\)")  # kyat beside the headline dollars: the Burmese edition's own numbers
    assert len(kyat.findall(my_text)) == 2 and "kyat" not in en_text
    my_text = kyat.sub(" ", my_text)
    assert len(MYANMAR.findall(my_text)) > 1000
    assert '<html lang="my">' in burmese and '<html lang="en">' in english
    assert numbers_in(en_text) == numbers_in(my_text)
    alt = re.compile(r'<img[^>]+alt="([^"]+)"')
    en_alts, my_alts = alt.findall(english), alt.findall(burmese)
    assert len(en_alts) == len(my_alts) == 2  # the month-by-month chart and the channels chart
    for en_alt, my_alt in zip(en_alts, my_alts):
        assert MYANMAR.search(my_alt) and numbers_in(en_alt) == numbers_in(my_alt)
    # and the numbers are the model's: the junta's central take now, computed here on its own
    current = load_timeline().current_scenario
    posterior = posterior_for(True, seed=PARAMETERS["seed"])  # calibrated, with the brief's seed, as the brief
    junta = point_estimate(load_scenario(current), posterior).flows_usd["junta"]
    assert money(junta) in en_text and Numbers("my").money(junta) in my_text
    # the Burmese PDF's text is Burmese too (the font is embedded, the script shaped: see the page images)
    pdf_text = "".join(page.extract_text() for page in PdfReader(briefs / "brief-my.pdf").pages)
    assert MYANMAR.search(pdf_text)


@pytest.mark.slow
def test_briefs_say_where_they_come_from_and_name_no_lever_by_its_id(briefs):
    manifest = read_manifest(briefs)["reports"]
    for name in ("brief", "brief-my"):
        page = (briefs / f"{name}.html").read_text(encoding="utf-8")
        assert manifest[name]["input_hash"] in page
        assert "mogok:input-hash" not in page
        assert not lever_ids_in(visible_text(page)), name
        assert not re.search(r"(src|href)\s*=\s*[\"'](https?:)?//", page)  # offline
    assert "corrections" in (briefs / "brief.html").read_text(encoding="utf-8")
    assert "ဘာသာပြန်" in (briefs / "brief-my.html").read_text(encoding="utf-8")
    # how to cite each edition, and the Myanmar font embedded in the Burmese page only (issue 22)
    assert "How to cite: The mogok-econ team (" in (briefs / "brief.html").read_text(encoding="utf-8")
    burmese = (briefs / "brief-my.html").read_text(encoding="utf-8")
    assert "ကိုးကားရန်- The mogok-econ team (" in burmese
    assert burmese.count("@font-face") == 2 and "data:font/woff2;base64," in burmese
    assert "@font-face" not in (briefs / "brief.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_landing_page_has_the_briefs_chart_and_key_findings_from_the_same_numbers(briefs):
    index = (briefs / "index.html").read_text(encoding="utf-8")
    findings = re.search(r'<ol class="findings">(.*?)</ol>', index, flags=re.S)
    assert findings, "no key findings on the landing page"
    items = re.findall(r"<li>(.*?)</li>", findings.group(1), flags=re.S)
    assert 3 <= len(items) <= 5
    brief = visible_text((briefs / "brief.html").read_text(encoding="utf-8"))
    for item in items:  # each finding is a sentence of the brief (escaped apostrophes aside)
        assert visible_text(item).replace("&#x27;", "'").strip() in brief.replace("&#x27;", "'")
    (alt,) = re.findall(r'<img[^>]+alt="([^"]+)"', index)
    assert "%" in alt and len(numbers_in(alt)) >= len(available_scenarios())
    assert 'href="brief.html"' in index and 'href="brief-my.pdf"' in index
    assert not lever_ids_in(visible_text(index))


@pytest.mark.slow
def test_rebuilding_the_briefs_gives_the_same_bytes(briefs, tmp_path):
    jobs = [j for j in plan([], PARAMETERS) if j.kind == "brief"]
    build(jobs, workers=2, reports=tmp_path, force=True)
    for name in ("brief.html", "brief.pdf", "brief-my.html", "brief-my.pdf", "index.html"):
        assert (tmp_path / name).read_bytes() == (briefs / name).read_bytes(), f"{name} differs between two builds"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["brief", "brief-my"])
def test_brief_links_the_data_of_its_table_and_charts(briefs, name):
    """Under Table 1 and Figures 1 and 2, a link to their data as CSV, which the build wrote; the table's CSV
    holds the numbers the page prints, the months' CSV tells observed from projected months, and the workbook
    has each as a sheet."""
    page = (briefs / f"{name}.html").read_text(encoding="utf-8")
    links = re.findall(r'<a [^>]*\bdownload\b[^>]*href="(data/[^"]+\.csv)"[^>]*>', page)
    assert links == [f"data/{name}/takes-now.csv", f"data/{name}/junta-by-month.csv", f"data/{name}/channels-now.csv"]
    table, months, channels = (pd.read_csv(briefs / link, index_col=0) for link in links)
    text = visible_text((briefs / "brief.html").read_text(encoding="utf-8"))
    assert len(table) >= 3 and all(money(v * 1e6) in text for v in table["Central estimate"])
    assert months.index[0] == "2021-02" and months["Projected"].any() and not months["Projected"].all()
    assert (months["P5"] <= months["Central estimate"] + 1e-9).all()
    assert channels["Share of the junta's take"].sum() == pytest.approx(1.0)
    sheets = openpyxl.load_workbook(briefs / "mogok-econ-data.xlsx", read_only=True).sheetnames
    assert {f"{name} T1", f"{name} F1", f"{name} F2"} <= set(sheets)
    # in print, the path as text: no link in the PDF names the folder it was built in
    uris = [annot.get_object().get("/A", {}).get("/URI") for page in PdfReader(briefs / f"{name}.pdf").pages
            for annot in page.get("/Annots", [])]
    assert not [u for u in uris if u and u.startswith("file:")]
    assert "takes-now.csv" in "".join(page.extract_text() for page in PdfReader(briefs / f"{name}.pdf").pages)


def test_the_brief_s_new_labels_cover_every_channel_lever_jurisdiction_and_place():
    """The channels chart, the targets table and the chokepoints take every label from translations/brief.yaml,
    in both languages; the ranking criterion is the policy report's own words (one criterion everywhere)."""
    from mogok_econ.analysis.lever_effects import RANKING_CRITERION
    from mogok_econ.core.vocabulary import CHANNELS
    from mogok_econ.inputs.sanctions_targets import SANCTIONERS, load_sanctions_targets

    data = translations()
    for table, keys in (("channels_short", CHANNELS), ("levers_short", [lv.name for lv in load_levers()]),
                        ("jurisdictions", SANCTIONERS),
                        ("places", [c.place for c in load_sanctions_targets().chokepoints])):
        for key in keys:
            assert data[table][key]["en"] and data[table][key]["my"], (table, key)
    for key in ("channels_short", "levers_short", "places"):
        assert all(MYANMAR.search(entry["my"]) for entry in data[key].values()), key
    assert " ".join(data["phrases"]["ranking_criterion"]["en"].split()) == RANKING_CRITERION


@pytest.mark.slow
def test_the_brief_names_the_designated_entities_the_channels_and_the_ranking_criterion(briefs):
    """Both editions name each target with its status in every jurisdiction ("not found" and "not checked"
    spelled out, never a blank cell), the channels of the junta's take (in the text and the chart's alt text),
    and the policy report's ranking criterion, in their language; the landing page names the criterion too."""
    from mogok_econ.analysis.lever_effects import RANKING_CRITERION
    from mogok_econ.inputs.sanctions_targets import SANCTIONERS, load_sanctions_targets

    data = translations()
    targets = load_sanctions_targets().targets
    for name, language in (("brief", "en"), ("brief-my", "my")):
        page = (briefs / f"{name}.html").read_text(encoding="utf-8")
        text = visible_text(page).replace("&#x27;", "'")
        for t in targets:  # the Burmese edition names each by its Burmese name (translations `targets`)
            full = t.name if language == "en" else data["targets"][t.short]["my"]
            assert full in text and t.short in text, (name, t.short)
        table = re.search(r'<table class="targets">(.*?)</table>', page, flags=re.S).group(1)
        assert table.count("<tr>") == len(targets) + 1
        cells = re.findall(r"<td>(.*?)</td>", table)
        assert len(cells) == len(targets) * len(SANCTIONERS) and all(c.strip() for c in cells)
        assert data["phrases"]["status_not_found"][language] in cells, name
        fixed = {data["phrases"][k][language] for k in ("status_not_found", "status_not_checked")}
        dated = ("from " if language == "en" else "မှစ၍", "via owner" if language == "en" else "ပိုင်ရှင်မှတစ်ဆင့်")
        assert all(c in fixed or any(d in c for d in dated) for c in cells), name  # every cell one of the statuses
        for who in SANCTIONERS:
            assert data["jurisdictions"][who][language] in table
        for channel in ("extortion", "company_profits", "checkpoints", "state_tax"):
            assert data["channels"][channel][language] in text, (name, channel)
            assert data["channels_short"][channel][language] in page, (name, channel)  # the chart's alt text
        criterion = " ".join(data["phrases"]["ranking_criterion"][language].split())
        assert criterion in text, name
    index = visible_text((briefs / "index.html").read_text(encoding="utf-8"))
    assert RANKING_CRITERION in index


@pytest.mark.slow
def test_the_build_publishes_the_briefs_results_and_the_landing_page_words_them(briefs):
    """The summary's results that the briefs read are published beside them (reports/results/: typed tables and
    their datapackage.json), and the landing page's findings are worded from exactly those."""
    from mogok_econ.inputs.world import shipped_world
    from mogok_econ.reports.brief_page import landing_html
    from mogok_econ.results.summary import load_summary

    folder = briefs / "results"
    assert {p.name for p in folder.iterdir()} >= {"datapackage.json", "headlines.csv", "junta_running_total.csv"}
    s = load_summary(folder, shipped_world())
    assert (s.n_draws, s.seed) == (PARAMETERS["draws"], PARAMETERS["seed"])
    assert landing_html(s) in (briefs / "index.html").read_text(encoding="utf-8")
    total = f"${s.headlines.loc['junta_since_coup', 'point'] / 1e6:,.1f} million"
    assert total in re.sub(r"\s+", " ", (briefs / "brief.html").read_text(encoding="utf-8"))
