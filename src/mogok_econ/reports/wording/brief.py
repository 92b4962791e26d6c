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
from ...inputs.sources import as_day
from ...inputs.timeline import COUP
from ...inputs.yaml_loader import load_yaml
from ...results.ordering import periods_of
from ...results.summary import Summary
from ..catalogue import BRIEF_TRANSLATIONS as TRANSLATIONS
from ..formatting import money

LANGUAGES = ("en", "my")
#: The scenario of the TNLA's hold on Mogok, set beside today's junta-held Mogok (data/scenarios).
TNLA_HELD = "tnla_control"
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
        """The years a scenario was in force: 2016-2020, or 2024, 2025 for separate spells (Burmese: ၂၀၂၄၊ ၂၀၂၅,
        with the Burmese comma, never a Latin one between Myanmar digits)."""
        spans = []
        for start, end in periods:
            last = (end - dt.timedelta(days=1)).year
            spans.append(str(start.year) if last == start.year else f"{start.year}–{last}")
        return self.digits(("၊ " if self.language == "my" else ", ").join(dict.fromkeys(spans)))

    def billions(self, value: float) -> str:
        """An amount in billions, as '358' or '3,412' (one decimal under 100: '12.5')."""
        return self.digits(f"{value / 1e9:,.0f}" if abs(value) >= 100e9 else f"{value / 1e9:,.1f}")


class Brief:
    """The brief's phrases in one language, filled from a Summary."""

    def __init__(self, s: Summary, language: str):
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        self.s, self.language, self.n = s, language, Numbers(language)
        self.world = s.world
        self.data = translations()

    def placeholders_in(self, key: str) -> bool:
        return bool(placeholders(self.data["phrases"][key]["en"]))

    def phrase(self, key: str, **values) -> str:
        return self.data["phrases"][key][self.language].format(**values)

    def scenario(self, name: str) -> str:
        entry = self.data["scenarios"].get(name)
        return entry[self.language] if entry else next(s.title for s in self.s.scenarios if s.name == name)

    def actor(self, key: str, short: bool = False, scenario: str | None = None) -> str:
        """An actor's name; under a scenario that ended before the coup, the name of whoever took that
        share then (the junta's: the military and its conglomerates, actors_before_coup)."""
        if scenario is not None and self.before_coup(scenario) and key in self.data["actors_before_coup"]:
            return self.data["actors_before_coup"][key][self.language]
        return self.data["actors_short" if short else "actors"][key][self.language]

    def before_coup(self, scenario: str) -> bool:
        """Whether the timeline puts `scenario` in force only before the coup of 1 February 2021."""
        spells = periods_of(scenario, self.s.timeline)
        return bool(spells) and all(end <= COUP for _, end in spells)

    @property
    def military(self) -> str:
        """The junta's share's recipient before the coup (one label: actors_before_coup)."""
        return self.data["actors_before_coup"]["junta"][self.language]

    def legend(self) -> dict[str, str]:
        """The chart's legend: each actor's short name; the junta's says who took its share before the coup
        where a bar is from before it."""
        labels = {a: self.actor(a, short=True) for a in self.data["actors_short"]}
        if any(self.before_coup(sc.name) for sc in self.s.scenarios):
            labels["junta"] = self.phrase("legend_junta", junta=labels["junta"], military=self.military,
                                          coup_year=self.n.digits(str(COUP.year)))
        return labels

    # --- kyat beside dollars (the Burmese edition) ----------------------------------------------------

    def market_rate(self, month: pd.Period):
        """The exchange-rate step in force in `month` (data/exchange_rates.yaml), or None without a file."""
        rates = self.world.exchange_rates
        return None if rates is None else rates.at(str(month))

    def kyat_now(self, usd: float) -> str:
        """' (ကျပ် N ဘီလီယံခန့်၊ <month>မှစ၍ ပြင်ပဈေး ...)' beside a dollar amount a year now, at the market
        rate (its most likely value) in force since the current scenario began; '' in English."""
        step = self.market_rate(pd.Period(self.current_start(), freq="M"))
        if self.language == "en" or step is None:
            return ""
        rate = step.market.point
        return self.phrase("kyat_at_rate", amount=self.n.billions(usd * rate), rate=self.n.count(rate),
                           month=self.n.month(pd.Period(step.start, freq="M")))

    def kyat_since_coup(self) -> str:
        """The running total since the coup in kyat, each month's dollars at that month's market rate; ''
        in English."""
        if self.language == "en" or self.market_rate(self.s.last_month) is None:
            return ""
        running = self.s.junta_running_total["point"]
        monthly = running.diff().fillna(running.iloc[0])
        total = sum(usd * self.market_rate(month).market.point for month, usd in monthly.items())
        return self.phrase("kyat_monthly", amount=self.n.billions(total))

    def lever(self, name: str) -> str:
        """A lever's title (data/levers gives the English one), never its id."""
        english = {lever.name: lever.title for lever in self.world.levers()}[name]
        return english if self.language == "en" else self.data["levers"].get(name, {}).get("my", english)

    @property
    def level(self) -> str:
        return self.n.share(self.s.interval_level)

    def interval(self, low: float, high: float) -> dict[str, str]:
        return {"level": self.level, "low": self.n.money(low), "high": self.n.money(high)}

    # --- the answer ---------------------------------------------------------------------------------

    def since_coup(self) -> str:
        q, parts = self.s.since_coup, self.s.since_coup_parts
        text = self.phrase("since_coup", total=self.n.money(q["point"]), last_month=self.n.month(self.s.last_month),
                           kyat=self.kyat_since_coup(),
                           **self.interval(q["p5"], q["p95"]))
        if parts.loc["projected", "point"] <= 0:
            return text
        return text + " " + self.phrase("since_coup_parts", observed=self.n.money(parts.loc["observed", "point"]),
                                        projected=self.n.money(parts.loc["projected", "point"]),
                                        evidence_month=self.n.month(pd.Period(self.s.evidence_to, freq="M")))

    def current_start(self) -> dt.date:
        return self.s.current_start

    def current(self) -> str:
        t = self.s.current_takes
        return self.phrase("current", current=self.scenario(self.s.current.name), current_start=self.n.day(self.current_start()),
                           junta=self.n.money(t.loc["junta", "point"]), share=self.n.share(t.loc["junta", "share"]),
                           kyat=self.kyat_now(t.loc["junta", "point"]),
                           sales=self.n.money(self.s.point.loc[self.s.current.name, "realised_value_usd"]),
                           **self.interval(t.loc["junta", "p5"], t.loc["junta", "p95"])) + self.now_with_stock()

    def now_with_stock(self) -> str:
        """Why the timeline's months since the current period began run above the scenario's annual take
        (stones sold from stock on top of a year's output), where they do: one "now", reconciled."""
        period = self.s.current_period
        rate = period["junta"] / period["years"] if period["years"] > 0 else 0.0
        if rate <= self.s.current_takes.loc["junta", "point"] * 1.05 or period["sales_from_stock_usd"] <= 0:
            return ""
        return " " + self.phrase("now_with_stock", period_rate=self.n.money(rate),
                                 stock=self.n.money(period["sales_from_stock_usd"]))

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
        timeline = self.s.timeline
        rows = []
        for sc in self.s.scenarios:
            spells = periods_of(sc.name, timeline)
            rows.append(f"{self.scenario(sc.name)}\n{self.n.years(spells)}" if spells else self.scenario(sc.name))
        return rows

    def chart_totals(self) -> list[str]:
        return [self.n.money(v) for v in self.s.sales()]

    def chart_caption(self) -> str:
        first = self.s.timeline.start.year
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
        return self.phrase("chart_alt", count=self.n.count(len(self.s.scenarios)), items=items, military=self.military)

    # --- what would change it -------------------------------------------------------------------------

    def control(self) -> str:
        j = self.s.junta_by_scenario
        return self.phrase("control", military=self.military,
                           low=self.n.money(j.min()), low_scenario=self.scenario(self.s.junta_low),
                           high=self.n.money(j.max()), high_scenario=self.scenario(self.s.junta_high),
                           difference=self.n.money(self.s.control_range))

    def tnla_gap(self) -> float:
        """How much less the junta takes a year with the TNLA holding Mogok than now (central estimates): the
        comparison of who holds Mogok a reader weighs a policy against."""
        return float(self.s.junta_by_scenario[self.s.current.name] - self.s.junta_by_scenario[TNLA_HELD])

    def times(self) -> float | None:
        """How many times the best feasible lever's effect the difference who holds Mogok makes is."""
        best = self.s.best_lever
        return None if best is None else self.tnla_gap() / best["junta_denied"]

    def channels_now(self) -> str:
        """Where the junta's take comes from now (central estimate, by channel), and how much of it passes
        through the state gems enterprise: what a sanction on that enterprise can reach."""
        channels = self.s.junta_channels_now
        total = channels.sum()
        if total <= 0:
            return ""
        share = channels / total
        top = [c for c in share.sort_values(ascending=False, kind="stable").index if c != "state_tax"][:3]
        words = {f"{rank}": self.data["channels"][c][self.language] for rank, c in zip(("first", "second", "third"), top)}
        shares = {f"{rank}_share": self.n.share(share[c]) for rank, c in zip(("first", "second", "third"), top)}
        return self.phrase("channels_now", **words, **shares, formal=self.data["channels"]["state_tax"][self.language],
                           formal_share=self.n.share(share["state_tax"])) + " "

    def best_lever(self) -> str:
        best = self.s.best_lever
        if best is None:
            return self.channels_now() + self.phrase("no_lever")
        text = self.channels_now() + self.phrase(
            "best_lever", lever=self.lever(str(best.name)), denied=self.n.money(best["junta_denied"]),
            criterion=self.phrase("ranking_criterion"), **self.interval(best["denied_p5"], best["denied_p95"]))
        if TNLA_HELD not in self.s.junta_by_scenario or self.tnla_gap() <= 0:  # a data folder of another shape
            return text
        return text + " " + self.phrase("tnla_held", tnla=self.scenario(TNLA_HELD),
                                        tnla_take=self.n.money(self.s.junta_by_scenario[TNLA_HELD]),
                                        gap=self.n.money(self.tnla_gap()), times=self.n.count(self.times()))

    def levers(self) -> list[dict[str, str]]:
        """The feasible policies ranked first by the policy report's criterion, in its order (the first is best_lever)."""
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
        return self.s.return_date

    def caveats(self) -> list[str]:
        return [self.phrase("caveat_calibration"), self.phrase("caveat_size"), self.phrase("caveat_rates"),
                self.phrase("caveat_recent", return_date=self.n.day(self.return_date())), self.phrase("caveat_behaviour")]

    def current_to(self, provenance: dict) -> str:
        """What the data is current to, as precise as the newest source's date is (a day, or a month)."""
        date = provenance["data_current_to"]
        day = as_day(date)
        return self.n.day(day) if len(date) > 7 else self.n.month(pd.Period(day, freq="M"))

    def about(self, provenance: dict) -> str:
        return self.phrase("about", version=provenance["version"], draws=self.n.count(self.s.n_draws), seed=str(self.s.seed),
                           current_to=self.current_to(provenance), level=self.level)

    def cite(self, provenance: dict) -> str:
        """How to cite this edition: the one citation wording (wording/citation.py), introduced in its language."""
        from .citation import how_to_cite

        name = "brief" if self.language == "en" else f"brief-{self.language}"
        return self.phrase("how_to_cite", citation=how_to_cite(self.phrase("doc_title"), name, provenance["version"],
                                                                provenance["data_current_to"]))

    def kicker(self, provenance: dict) -> str:
        return self.phrase("kicker", current_to=self.current_to(provenance))


def key_findings(s: Summary) -> list[str]:
    """The landing page's findings (English): the brief's own sentences, so the two never disagree."""
    b = Brief(s, "en")
    return [b.since_coup(), b.current(), b.control(), b.best_lever()]
