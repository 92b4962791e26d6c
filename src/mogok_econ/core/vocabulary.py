"""The model's vocabulary, defined once: actors, parameters, channels and the parts of value not realised,
each with the label, unit and description that readers see (like PolicyEngine's parameter metadata).

Everything that validates, computes, words or draws reads these tables: adding a parameter or an actor
starts here and in docs/model.md. No I/O.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

INF = float("inf")


@dataclass(frozen=True)
class Actor:
    """One actor who keeps money: its label, the phrase that starts a sentence about its take, and its
    name inside a sentence."""

    label: str
    keeps: str
    in_text: str


ACTOR_INFO: dict[str, Actor] = {
    "junta": Actor("Junta", "The junta keeps", "the junta"),
    "public_treasury": Actor("Public treasury", "The public treasury keeps", "the public treasury"),
    "tnla": Actor("TNLA", "The TNLA keeps", "the TNLA"),
    "pdf": Actor("PDFs", "The PDFs keep", "the PDFs"),
    "other_armed": Actor("Other armed groups", "Other armed groups keep", "other armed groups"),
    "miners": Actor("Miners", "Miners keep", "miners"),
    "mine_owners": Actor("Mine owners", "Mine owners keep", "mine owners"),
    "traders": Actor("Traders", "Traders keep", "traders"),
    "suppliers": Actor("Suppliers", "Suppliers keep", "suppliers of fuel, machinery and capital"),
}


@dataclass(frozen=True)
class JuntaName:
    """Who the `junta` actor is from `since` (inclusive) until the next entry: the words readers see. The
    actor's id stays `junta` in the data and the code; only its name changes with the period."""

    since: dt.date
    label: str    # tables and charts
    keeps: str    # starts a sentence about its take
    in_text: str  # inside a sentence
    who: str      # who it is, spelt out (glossary, notes)
    sources: tuple[str, ...] = ()  # ids in data/sources.yaml for the dated claim


#: The `junta` actor's name, period by period (docs/model.md, section 2; the sources are ids in data/sources.yaml).
JUNTA_NAMES: tuple[JuntaName, ...] = (
    JuntaName(dt.date.min, "Military (MEHL, MEC)", "The military and its conglomerates keep",
              "the military and its conglomerates",
              "before the coup of 1 February 2021: the armed forces (Tatmadaw) and their conglomerates MEHL and MEC "
              "(with Myanmar Ruby Enterprise and crony partners), under the elected NLD-led government; not a "
              "ruling junta. The state's taxes then went to the public treasury",
              ("global-witness-2021-12", "un-ffm-2019-economic-interests", "us-embassy-2021-03-25-mehl-mec")),
    JuntaName(dt.date(2021, 2, 1), "Junta (SAC)", "The junta keeps", "the junta",
              "from the coup of 1 February 2021: the military regime, ruling as the State Administration Council "
              "(SAC) under a state of emergency, with the conglomerates it controls", ("irrawaddy-2025-07-31-sspc",)),
    JuntaName(dt.date(2025, 7, 31), "Junta (SSPC)", "The junta keeps", "the junta",
              "from 31 July 2025: the same regime, renamed the State Security and Peace Commission (SSPC) when the "
              "state of emergency was lifted, with an interim government, to hold the elections of 28 December "
              "2025 to 25 January 2026", ("irrawaddy-2025-07-31-sspc", "dunyanews-2025-12-26-election-phases")),
    JuntaName(dt.date(2026, 4, 3), "Military-backed government", "The military and its government keep",
              "the military and its government",
              "from 3 April 2026: the military and the government formed after those elections, which the "
              "military-backed USDP won with a quarter of the seats reserved for the army; Min Aung Hlaing, "
              "the junta's leader, became president",
              ("ap-2026-02-04-usdp-wins", "ap-2026-02-24-parliament", "dailyscout-2026-04-president",
               "vaidra-2026-04-03-president")),
)

#: The `junta` actor's name in a hypothetical scenario, which no period of the timeline puts in force.
JUNTA_HYPOTHETICAL = JuntaName(dt.date.max, "Military", "The military keeps", "the military",
                               "in a hypothetical scenario (no period puts it in force): the military and its "
                               "conglomerates, whoever governs")


def _as_date(when: dt.date | str) -> dt.date:
    """A date from a date, 'YYYY-MM-DD' or 'YYYY-MM' (the first of the month)."""
    if isinstance(when, dt.datetime):
        return when.date()
    if isinstance(when, dt.date):
        return when
    text = str(when)
    return dt.date.fromisoformat(text if len(text) > 7 else f"{text}-01")


def junta_names(start: dt.date | str, end: dt.date | str | None = None) -> tuple[JuntaName, ...]:
    """The names the `junta` actor had from `start` up to `end` (exclusive; None: `start` alone)."""
    first = _as_date(start)
    last = first if end is None else max(first, _as_date(end) - dt.timedelta(days=1))
    return tuple(n for i, n in enumerate(JUNTA_NAMES)
                 if n.since <= last and (i + 1 == len(JUNTA_NAMES) or JUNTA_NAMES[i + 1].since > first))


def junta_label(start: dt.date | str, end: dt.date | str | None = None) -> str:
    """The `junta` actor's label on a date, or over a period ('Junta (SAC), then junta (SSPC)')."""
    names = junta_names(start, end)
    return ", then ".join([names[0].label, *(n.label[0].lower() + n.label[1:] for n in names[1:])])


def _changes(start: dt.date | str, end: dt.date | str | None) -> list[JuntaName]:
    """The names over a period, each only where the words in a sentence change."""
    out: list[JuntaName] = []
    for name in junta_names(start, end):
        if not out or name.in_text != out[-1].in_text:
            out.append(name)
    return out


def junta_in_text(start: dt.date | str, end: dt.date | str | None = None) -> str:
    """The `junta` actor's name inside a sentence on a date or over a period: 'the junta', or 'the military and its
    conglomerates (the junta from 1 February 2021)' where the period spans a change of name."""
    first, *later = _changes(start, end)
    if not later:
        return first.in_text
    return f"{first.in_text} ({'; '.join(f'{n.in_text} from {n.since.day} {n.since:%B %Y}' for n in later)})"


def actor_info(actor: str, start: dt.date | str | None = None, end: dt.date | str | None = None) -> Actor:
    """An actor's words; for `junta`, those of the period from `start` to `end` (None: the generic ones)."""
    info = ACTOR_INFO[actor]
    if actor != "junta" or start is None:
        return info
    first = _changes(start, end)[0]
    in_text = junta_in_text(start, end)
    verb = first.keeps.rsplit(" ", 1)[-1]
    return replace(info, label=junta_label(start, end), in_text=in_text, keeps=f"{in_text[0].upper()}{in_text[1:]} {verb}")


def junta_verb(start: dt.date | str, end: dt.date | str | None = None, singular: str = "has", plural: str = "have") -> str:
    """The verb that agrees with `junta_in_text` ('the junta has', 'the military and its conglomerates have')."""
    return plural if " and " in _changes(start, end)[0].in_text else singular


#: The leaf actors: every flow goes to exactly one of them.
ACTORS: tuple[str, ...] = tuple(ACTOR_INFO)
ACTOR_LABELS: dict[str, str] = {key: actor.label for key, actor in ACTOR_INFO.items()}

#: Groups of leaf actors, reported beside the leaves (never instead of them, never in a recipients table).
GROUPS: dict[str, tuple[str, ...]] = {"armed_groups": ("tnla", "pdf", "other_armed")}
GROUP_INFO: dict[str, Actor] = {"armed_groups": Actor("Armed groups", "The armed groups keep", "the armed groups")}
GROUP_LABELS: dict[str, str] = {key: group.label for key, group in GROUP_INFO.items()}

#: Labels of everything whose take is reported: the leaf actors, then the groups.
TAKE_LABELS: dict[str, str] = {**ACTOR_LABELS, **GROUP_LABELS}

#: Spelt out once for readers.
ACTOR_DESCRIPTIONS: dict[str, str] = {
    "junta": "the military (Tatmadaw), its conglomerates (MEHL, MEC) and crony stakes: under the elected government "
             "before the coup of 1 February 2021, the ruling junta after it (the State Administration Council, from "
             "31 July 2025 the State Security and Peace Commission), from April 2026 the military and the government "
             "formed after its elections (the names by period: JUNTA_NAMES)",
    "public_treasury": "a civilian administration's budget: the elected government before the coup of 1 February "
                       "2021, or a reformed civilian administration in hypothetical scenarios",
    "tnla": "the Ta'ang National Liberation Army and its administration",
    "pdf": "People's Defence Forces and the National Unity Government",
    "other_armed": "other non-state armed groups and militias (Wa-linked interests, local militias)",
    "miners": "wage workers on company sites and independent hand-miners",
    "mine_owners": "private concession holders, mine bosses and landholders not linked to an armed side",
    "traders": "brokers and dealers inside Myanmar: their margin",
    "suppliers": "sellers of the fuel, machinery and capital that company sites use, mostly outside Mogok: not a "
                 "claimant on the trade's rent but what its inputs cost (company sites' non-labour costs)",
}


@dataclass(frozen=True)
class ParameterSpec:
    """One model parameter: symbol in docs/model.md, allowed range, unit, label and meaning; its default
    (None: the parameter is required), whether it is shared by every scenario, and the kyat units it
    may be given in (converted to its own unit with the market rate)."""

    symbol: str
    low: float
    high: float
    unit: str
    label: str
    meaning: str
    default: float | None = None
    low_inclusive: bool = True
    shared: bool = False
    kyat_units: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is None

    def allowed(self) -> str:
        """The allowed range in words, for error messages."""
        left = "[" if self.low_inclusive else "("
        high = "infinity)" if self.high == INF else f"{self.high:g}]"
        return f"a number in {left}{self.low:g}, {high}"

    def contains(self, value: float) -> bool:
        above = value >= self.low if self.low_inclusive else value > self.low
        return above and value <= self.high

    @property
    def axis_label(self) -> str:
        """The label with its symbol, as charts show it: 'Trader margin (m)'."""
        return f"{self.label} ({self.symbol})"


def _share(symbol: str, label: str, meaning: str, default: float | None = None) -> ParameterSpec:
    return ParameterSpec(symbol, 0.0, 1.0, "share", label, meaning, default)


def _rate(symbol: str, label: str, meaning: str, default: float | None = None) -> ParameterSpec:
    return ParameterSpec(symbol, 0.0, 1.0, "rate", label, meaning, default)


PARAMETERS: dict[str, ParameterSpec] = {
    # shared by every scenario: properties of the deposits and of the calendar, not of who holds Mogok
    "gross_value_usd": ParameterSpec(
        "G", 0.0, INF, "USD per year", "Gross value of output",
        "value of a year's output of Mogok's coloured gems at undisrupted production and reference prices, at the "
        "first sale inside Myanmar, all channels", low_inclusive=False, shared=True),
    "working_days_per_month": ParameterSpec("D", 1.0, 31.0, "days", "Working days a month",
                                            "days worked in a month, to turn a daily wage into a monthly one",
                                            default=26.0, shared=True),
    "extortion_per_head_share": ParameterSpec(
        "h", 0.0, 1.0, "share", "Share of extortion levied per head",
        "the part of extortion levied per head and per event (fees, ransoms, seizures) rather than on the value of "
        "informal sales: 0 is the by-value reading, 1 the per-head reading", default=0.0, shared=True),
    "concessions_leased_share": ParameterSpec(
        "ω", 0.0, 1.0, "share", "Share of the military's concessions leased out",
        "the part of the military's company-site stakes leased to private operators for a rent rather than operated for "
        "their profits: 0 is the operated reading, 1 the leased reading", default=0.0, shared=True),
    "concession_rent_share": ParameterSpec(
        "ν", 0.0, 1.0, "share", "Lease rent as a share of profits",
        "the rent a lessee pays the concession's holder, as a share of the profits the site makes after wages and "
        "commission (the lessee keeps the rest)", default=1.0, shared=True),
    "open_access_share": ParameterSpec(
        "o", 0.0, 1.0, "share", "Share of the entry response of hand-miners",
        "how far the number of hand-miners moves to where digging pays what the outside option does: 0 is the "
        "fixed-count reading, 1 the open-access one", default=0.0, shared=True),
    "digging_returns": ParameterSpec(
        "β", 0.0, 1.0, "exponent", "Returns to the number of diggers",
        "hand-mining output grows as the number of diggers to the power β (below 1: diminishing returns, a common "
        "pool); the entry elasticity is 1/(1-β)", default=0.5, low_inclusive=False, shared=True),
    "digging_premium": ParameterSpec(
        "λ", 0.0, 10.0, "ratio", "Digging income needed over the wage",
        "what a hand-miner must expect to earn, over the company wage w0 (the outside option), to keep digging: "
        "above 1 for danger and hardship, below 1 for the lottery's appeal", default=1.0, low_inclusive=False,
        shared=True),
    "finds_dispersion": ParameterSpec(
        "s_f", 0.0, 5.0, "log spread", "Spread of one miner's finds",
        "standard deviation of the logarithm of one hand-miner's annual finds (lognormal): the median over the "
        "mean is exp(-s_f²/2)", default=0.0, shared=True),
    # Stage 1: realised sales
    "production_factor": _share("p", "Share of normal output mined", "share of normal output actually mined"),
    "market_access": _share("a", "Share reaching buyers", "share of what is mined that reaches buyers in the period"),
    "price_factor": ParameterSpec("q", 0.0, 10.0, "ratio", "Price relative to reference",
                                  "realised price relative to the reference (licensing-era) price"),
    # Stage 2: levies on sales, by their base
    "formal_share": _share("f", "Share sold formally", "share of sales through the recorded, taxed channel"),
    "state_tax_rate": _rate("t", "State tax rate", "taxes, royalties and fees on formal sales"),
    "extortion_rate": _rate("x", "Extortion rate", "bribes, seizures and informal taxes on informal sales"),
    "checkpoint_rate": _rate("c", "Checkpoint levy rate", "levies on stones carried along the routes, on all sales"),
    "trader_margin": _rate("m", "Trader margin", "brokers' and dealers' margin inside Myanmar, on all sales"),
    "conversion_applies": _share("χ", "Share of formal sales under forced conversion",
                                 "share of formal sales whose export proceeds must be converted at the official rate",
                                 default=0.0),
    # Stage 3: the pit
    "company_share": _share("σ", "Share of value from company sites",
                            "share of the mine-gate value from company-run sites (the rest from hand-mining)"),
    "miner_count": ParameterSpec("N", 0.0, INF, "people", "Number of miners",
                                 "people mining: wage workers and hand-miners", low_inclusive=False),
    "wage_share": _share("s", "Share of miners on wages", "share of miners employed for wages on company sites"),
    "wage_usd_per_month": ParameterSpec("w0", 0.0, INF, "USD per month", "Wage of a company miner",
                                        "a wage worker's wage", kyat_units=("MMK/day", "MMK/month")),
    "commission_rate": _rate("κ", "Miners' commission", "miners' share of company sites' earnings after wages",
                             default=0.0),
    "pit_levy_rate": _rate("ℓ", "Levy on finds at the pit", "a cut of hand-miners' finds taken at the pit",
                           default=0.0),
    "pit_rent_rate": _rate("ρ", "Landholders' share of finds",
                           "the landholder's or concession holder's share of what hand-miners keep after the levy",
                           default=0.0),
    "fee_per_miner": ParameterSpec("φ", 0.0, INF, "USD per year", "Fee per miner",
                                   "a fee per miner per year, paid out of miners' income", default=0.0,
                                   kyat_units=("MMK/year", "MMK/month", "MMK/day")),
    "extortion_per_head": ParameterSpec("e", 0.0, INF, "USD per year", "Extortion per head",
                                        "bribes, ransoms and seizures per miner per year where extortion is levied "
                                        "per head (times h), paid out of miners' income", default=0.0,
                                        kyat_units=("MMK/year", "MMK/month", "MMK/day")),
    "company_cost_share": _share("γ", "Non-labour costs of company sites",
                                 "fuel, machinery and capital as a share of company sites' value", default=0.0),
    "state_production_share": _share("ψ", "State enterprise's production share",
                                     "the state gems enterprise's share of company sites' output (joint ventures and "
                                     "production sharing)", default=0.0),
    # Stockpiles (the timeline)
    "stock_release_rate": _rate("r", "Stock released a month", "share of the stock released each month, times that "
                                "month's market access", default=1.0),
    "stock_seizure_rate": _rate("z", "Stock seized a month", "share of the stock seized each month", default=0.0),
    "stock_destroyed_rate": _rate("d", "Stock lost a month", "share of the stock lost each month", default=0.0),
}

#: The rates levied on sales value before the mine-gate remainder.
LEVIES: tuple[str, ...] = ("state_tax_rate", "extortion_rate", "checkpoint_rate", "trader_margin")

#: Parameters drawn once per draw for every scenario.
SHARED_PARAMETERS: tuple[str, ...] = tuple(k for k, spec in PARAMETERS.items() if spec.shared)

#: Parameters of the observation model only (docs/model.md, "Calibration"): they turn the model's Mogok
#: quantities into what national and partner-country series record. Shared by every scenario (set in
#: data/shared.yaml, `observation:`); they never enter the split.
OBSERVATION_PARAMETERS: dict[str, ParameterSpec] = {
    "declared_value_ratio": _share("v", "Declared value over true value",
                                   "declared (customs or emporium) value of formally sold stones over their value at "
                                   "the first sale inside Myanmar"),
    "mogok_national_share": ParameterSpec("θ", 0.0, 1.0, "share", "Mogok's share of Myanmar's non-jade gems",
                                          "Mogok's share of Myanmar's national non-jade gem figures",
                                          low_inclusive=False),
    "mirror_capture": _share("ξ", "Unrecorded sales in partners' imports",
                             "share of the true value of Mogok's unrecorded sales that partner countries record as "
                             "imports of HS 7103.91 stones from Myanmar (exported, declared and valued at their customs)"),
}

#: Who may be named in a recipients table: every actor but the suppliers, who are paid only the company
#: sites' costs.
RECEIVERS: tuple[str, ...] = tuple(a for a in ACTORS if a != "suppliers")

#: Who may receive what. Owners of mines are never miners or traders.
OWNERS: tuple[str, ...] = ("junta", "public_treasury", "tnla", "pdf", "other_armed", "mine_owners")


@dataclass(frozen=True)
class RecipientTable:
    """A recipients table: its label, the actors allowed in it, and the parameters whose non-zero value
    makes it needed (a table may be left out where they are all zero)."""

    label: str
    allowed: tuple[str, ...]
    needed_by: tuple[str, ...]


RECIPIENTS: dict[str, RecipientTable] = {
    "state_tax_to": RecipientTable("Taxes on formal sales, the exchange-rate levy and the state's production share",
                                   RECEIVERS, ("state_tax_rate", "conversion_applies", "state_production_share")),
    "extortion_to": RecipientTable("Extortion, on informal sales or per head", RECEIVERS,
                                   ("extortion_rate", "extortion_per_head")),
    "checkpoint_to": RecipientTable("Checkpoint levies", RECEIVERS, ("checkpoint_rate",)),
    "owner_stakes": RecipientTable("Ownership of the mines and the land", OWNERS, ("company_share", "pit_rent_rate")),
    "pit_levy_to": RecipientTable("Levy on finds at the pit", RECEIVERS, ("pit_levy_rate",)),
    "fee_to": RecipientTable("Fees per miner", RECEIVERS, ("fee_per_miner",)),
    "seizure_to": RecipientTable("Seized stock", RECEIVERS, ("stock_seizure_rate",)),
}
RECIPIENT_TABLES: dict[str, tuple[str, ...]] = {k: t.allowed for k, t in RECIPIENTS.items()}
RECIPIENT_TABLE_LABELS: dict[str, str] = {k: t.label for k, t in RECIPIENTS.items()}

#: Tolerance for a recipients table summing to one.
SHARE_TOLERANCE = 1e-9

#: The channels through which money reaches an actor, in the order of the flow equation, as readers
#: see them in a sentence ("the junta's take comes through ...").
CHANNEL_WORDS: dict[str, str] = {
    "state_tax": "taxes and fees on formal sales",
    "exchange_rate_levy": "the forced conversion of export earnings",
    "extortion": "extortion on informal sales",
    "checkpoints": "checkpoint levies",
    "trader_margin": "trading margins",
    "production_share": "the state enterprise's share of company sites' output",
    "company_costs": "company sites' fuel, machinery and capital",
    "wages": "wages",
    "commission": "commission on finds",
    "company_profits": "stakes in company mines",
    "pit_levy": "a cut of finds at the pit",
    "pit_rent": "rent from hand-mined land",
    "hand_mining": "hand-miners' own finds",
    "fees": "fees per miner",
    "extortion_per_head": "extortion per head (ransoms, seizures, bribes)",
}
CHANNELS: tuple[str, ...] = tuple(CHANNEL_WORDS)

#: The parts of gross value that are not realised, in the order of the model's Stage 1, as charts label them.
UNREALISED_LABELS: dict[str, str] = {
    "production_shortfall": "Not mined (production shortfall)",
    "stockpiled": "Mined but not sold (stockpiled)",
    "price_effect": "Lost to lower prices",
}
UNREALISED_PARTS: tuple[str, ...] = tuple(UNREALISED_LABELS)
