"""The wording of the two-page brief in English and Burmese, and the landing page's key findings, from a
Summary. The phrases are data (reports/translations/brief.yaml, both languages side by side); this module
only formats the Summary's numbers for each language and fills them in, so both editions carry the same
numbers and neither types one.

Numerals: the Burmese edition writes numbers in Myanmar digits (၀-၉), as Burmese-language government
papers, newspapers and the opposition's statements do, so officials read them as they read any Burmese
text; identifiers that are copied rather than read (version, seed, hash, file names) stay in Latin digits.
Thousands are separated by commas and decimals by a point in both editions, as in Burmese print."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from ...core.vocabulary import ACTORS, GROUPS
from ...inputs.levers import load_levers
from ...inputs.yaml_loader import load_yaml
from ..catalogue import BRIEF_TRANSLATIONS as TRANSLATIONS
from ..formatting import money
from ..ordering import periods_of
from ..summary import Summary
from .common import junta_words

LANGUAGES = ("en", "my")
MYANMAR_DIGITS = str.maketrans("0123456789", "၀၁၂၃၄၅၆၇၈၉")


@cache
def translations() -> dict:
    return load_yaml(TRANSLATIONS, "translations file")


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


@dataclass(frozen=True)
class Numbers:
    """Numbers, dates and money as one language writes them."""

    language: str

    def digits(self, text: str) -> str:
        return text.translate(MYANMAR_DIGITS) if self.language == "my" else text

    def money(self, value: float) -> str:
        """English as every report writes it (formatting.money); Burmese from that same string."""
        text = money(value)
        if self.language == "en":
            return text
        sign, number, million = re.fullmatch(r"(-?)\$([\d,.]+)( million)?", text).groups()
        return f"{sign}ဒေါ်လာ {self.digits(number)}" + (" သန်း" if million else "")

    def share(self, value: float) -> str:
        return self.digits(f"{value:.0%}")

    def count(self, value: float) -> str:
        return self.digits(f"{value:,.0f}")

    def month(self, value: pd.Period) -> str:
        name = translations()["months"][self.language][value.month - 1]
        return f"{name} {value.year}" if self.language == "en" else self.digits(f"{value.year} ခုနှစ် {name}လ")

    def day(self, value: dt.date) -> str:
        name = translations()["months"][self.language][value.month - 1]
        if self.language == "en":
            return f"{value.day} {name} {value.year}"
        return self.digits(f"{value.year} ခုနှစ် {name}လ {value.day} ရက်")

    def years(self, periods: list[tuple[dt.date, dt.date]]) -> str:
        """The years a scenario was in force: 2016-2020, or 2024, 2025 for separate spells."""
        spans = []
        for start, end in periods:
            last = (end - dt.timedelta(days=1)).year
            spans.append(str(start.year) if last == start.year else f"{start.year}–{last}")
        return self.digits(", ".join(dict.fromkeys(spans)))


class Brief:
    """The brief's phrases in one language, filled from a Summary."""

    def __init__(self, s: Summary, language: str):
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        self.s, self.language, self.n = s, language, Numbers(language)
        self.data = translations()

    def placeholders_in(self, key: str) -> bool:
        return bool(placeholders(self.data["phrases"][key]["en"]))

    def phrase(self, key: str, **values) -> str:
        return self.data["phrases"][key][self.language].format(**values)

    def scenario(self, name: str) -> str:
        entry = self.data["scenarios"].get(name)
        return entry[self.language] if entry else next(s.title for s in self.s.scenarios if s.name == name)

    def scenario_named(self, name: str) -> str:
        """A scenario's name where a sentence calls its recipient the junta: in English, a scenario before the coup
        says that the recipient was then the military and its conglomerates, not a junta."""
        text = self.scenario(name)
        s = next((s for s in self.s.scenarios if s.name == name), None)
        who = junta_words(s).in_text if s is not None and self.language == "en" else "the junta"
        return text if who == "the junta" or not who.startswith("the military and its conglomerates") \
            else f"{text}, before the coup: the take of {who}"

    def actor(self, key: str, short: bool = False) -> str:
        return self.data["actors_short" if short else "actors"][key][self.language]

    def lever(self, name: str) -> str:
        """A lever's title (data/levers gives the English one), never its id."""
        english = {lever.name: lever.title for lever in load_levers()}[name]
        return english if self.language == "en" else self.data["levers"].get(name, {}).get("my", english)

    @property
    def level(self) -> str:
        return self.n.share(self.s.interval_level)

    def interval(self, low: float, high: float) -> dict[str, str]:
        return {"level": self.level, "low": self.n.money(low), "high": self.n.money(high)}

    # --- the answer ---------------------------------------------------------------------------------

    def since_coup(self) -> str:
        q = self.s.since_coup
        return self.phrase("since_coup", total=self.n.money(q["point"]), last_month=self.n.month(self.s.last_month),
                           **self.interval(q["p5"], q["p95"]))

    def current_start(self) -> dt.date:
        return periods_of(self.s.current.name, self.s.timeline.flows.timeline)[-1][0]

    def current(self) -> str:
        t = self.s.current_takes
        return self.phrase("current", current=self.scenario(self.s.current.name), current_start=self.n.day(self.current_start()),
                           junta=self.n.money(t.loc["junta", "point"]), share=self.n.share(t.loc["junta", "share"]),
                           sales=self.n.money(self.s.comparison.point.loc[self.s.current.name, "realised_value_usd"]),
                           **self.interval(t.loc["junta", "p5"], t.loc["junta", "p95"]))

    def table_rows(self) -> list[str]:
        """Table 1's rows: every side that keeps something now (and the armed groups together when several do)."""
        t = self.s.current_takes
        keeps = [a for a in ACTORS if t.loc[a, "point"] > 0 or t.loc[a, "p95"] > 0]
        rows = list(keeps)
        for group, members in GROUPS.items():
            if sum(m in keeps for m in members) > 1:
                rows.append(group)
        return rows

    def table(self) -> list[dict[str, str]]:
        """Table 1, as the page shows it."""
        t, rows = self.s.current_takes, self.table_rows()
        return [{"actor": self.actor(a), "central": self.n.money(t.loc[a, "point"]),
                 "interval": self.phrase("range", low=self.n.money(t.loc[a, "p5"]), high=self.n.money(t.loc[a, "p95"])),
                 "share": self.n.share(t.loc[a, "share"]), "group": a in GROUPS} for a in rows]

    # --- the chart ------------------------------------------------------------------------------------

    def chart_rows(self) -> list[str]:
        timeline = self.s.timeline.flows.timeline
        rows = []
        for sc in self.s.scenarios:
            spells = periods_of(sc.name, timeline)
            rows.append(f"{self.scenario(sc.name)}\n{self.n.years(spells)}" if spells else self.scenario(sc.name))
        return rows

    def chart_totals(self) -> list[str]:
        return [self.n.money(v) for v in self.s.sales()]

    def chart_caption(self) -> str:
        first = self.s.timeline.flows.timeline.start.year
        text = self.phrase("chart_caption", first_year=self.n.digits(str(first)))
        if self.s.hypothetical:
            names = self.phrase("list_separator").join(self.scenario(n) for n in self.s.hypothetical)
            text += " " + self.phrase("chart_hypothetical", scenario=names)
        return text

    def chart_alt(self) -> str:
        shares = self.s.shares()["junta"]
        items = self.phrase("list_separator").join(
            self.phrase("chart_alt_item", share=self.n.share(shares[sc.name]), scenario=self.scenario(sc.name))
            for sc in self.s.scenarios)
        return self.phrase("chart_alt", count=self.n.count(len(self.s.scenarios)), items=items)

    # --- what would change it -------------------------------------------------------------------------

    def control(self) -> str:
        j = self.s.junta_by_scenario
        return self.phrase("control", low=self.n.money(j.min()), low_scenario=self.scenario_named(self.s.junta_low),
                           high=self.n.money(j.max()), high_scenario=self.scenario_named(self.s.junta_high),
                           difference=self.n.money(self.s.control_range))

    def times(self) -> float | None:
        """How many times the best feasible lever's effect the range across scenarios is."""
        best = self.s.best_lever
        return None if best is None else self.s.control_range / best["junta_denied"]

    def best_lever(self) -> str:
        best = self.s.best_lever
        if best is None:
            return self.phrase("no_lever")
        return self.phrase("best_lever", lever=self.lever(str(best.name)), denied=self.n.money(best["junta_denied"]),
                           times=self.n.count(self.times()), **self.interval(best["denied_p5"], best["denied_p95"]))

    def levers(self) -> list[dict[str, str]]:
        """The feasible policies that cut the junta's take most, largest cut first (the first is best_lever)."""
        out = []
        for name, row in self.s.top_levers().iterrows():
            text = self.phrase("lever_item", denied=self.n.money(row["junta_denied"]),
                               **self.interval(row["denied_p5"], row["denied_p95"]))
            miners = row["miners"]
            if abs(miners) < 500:  # under $1,000 reads as $0 or $1,000: say that nothing changes
                after = self.phrase("miners_same")
            else:
                after = self.phrase("miners_gain" if miners > 0 else "miners_lose", amount=self.n.money(abs(miners)))
            out.append({"title": self.lever(str(name)), "effect": text, "miners": after})
        return out

    def return_date(self) -> dt.date:
        """When the junta last took Mogok back: the start of the trailing run of junta periods."""
        periods = list(self.s.timeline.flows.timeline.periods)
        start = periods[-1].start
        for p in reversed(periods):
            if not p.scenario.startswith("junta"):
                break
            start = p.start
        return start

    def caveats(self) -> list[str]:
        return [self.phrase("caveat_calibration"), self.phrase("caveat_size"), self.phrase("caveat_rates"),
                self.phrase("caveat_recent", return_date=self.n.day(self.return_date())), self.phrase("caveat_behaviour")]

    def about(self, provenance: dict) -> str:
        current_to = dt.date.fromisoformat(provenance["data_current_to"])
        return self.phrase("about", version=provenance["version"], draws=self.n.count(self.s.n_draws), seed=str(self.s.seed),
                           current_to=self.n.day(current_to), level=self.level)

    def kicker(self, provenance: dict) -> str:
        return self.phrase("kicker", current_to=self.n.day(dt.date.fromisoformat(provenance["data_current_to"])))


def key_findings(s: Summary) -> list[str]:
    """The landing page's findings (English): the brief's own sentences, so the two never disagree."""
    b = Brief(s, "en")
    return [b.since_coup(), b.current(), b.control(), b.best_lever()]
