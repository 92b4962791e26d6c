"""The model (docs/model.md, Stages 1 to 3) as code: the revenue split, vectorised over draws, and its
result types. No I/O, no plotting.

Every input is a float or a 1-D array of draws (broadcast together), in US dollars: kyat values are
converted before they reach the model, and the exchange-rate levy arrives as a rate on formal sales
(`exchange_rate_levy_rate`). Recipients tables are dicts actor -> share; a missing table pays no one. A
drawn table's shares are arrays of draws (core/recipient_draws.py), given in the table or among the
parameters (`share:<table>:<actor>`; a drawn table replaces the stated one whole).
`split` returns numpy arrays (`SplitArrays`); `Split` is the point estimate as pandas objects and
`arrays_to_frame` one row per draw.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .recipient_draws import drawn_tables, without_table_keys
from .vocabulary import ACTORS, CHANNELS, GROUPS

Array = np.ndarray

#: Parameters the model reads with their value when a caller leaves them out (docs/model.md).
MODEL_DEFAULTS: dict[str, float] = {
    "exchange_rate_levy_rate": 0.0, "commission_rate": 0.0, "pit_levy_rate": 0.0, "pit_rent_rate": 0.0,
    "fee_per_miner": 0.0, "extortion_per_head_share": 0.0, "extortion_per_head": 0.0,
    "concessions_leased_share": 0.0, "concession_rent_share": 1.0,
    "company_cost_share": 0.0, "state_production_share": 0.0, "open_access_share": 0.0, "digging_returns": 0.5,
    "digging_premium": 1.0, "finds_dispersion": 0.0,
}

#: Below this many people a head count is taken as none (rounding leaves dust below it).
_FEW = 1e-6


@dataclass(frozen=True)
class SplitArrays:
    """The model's outputs, one value per draw: money in USD per year, incomes in USD per month."""

    gross: Array
    realised: Array
    recorded: Array
    production_shortfall: Array
    stockpiled: Array
    price_effect: Array
    mine_gate: Array
    flows: Array                # (draws, len(ACTORS)), columns in ACTORS order; adds up to realised
    employed: Array             # wage workers employed
    laid_off: Array             # wage positions not paid for: s·N - E
    wage: Array                 # a wage worker's wage plus commission, USD a month
    hand_miner_income: Array    # a hand-miner's mean income after the levy, rent, fees and extortion per head, USD a month
    miner_income: Array         # the miners' flow per miner, USD a month
    pit_flows: Array            # (draws, actors): what each actor gets from the mine-gate value; adds up to mine_gate
    channels: dict[str, Array] | None = None  # with by_channel: CHANNELS -> (draws, actors); they add up to flows
    hand_miners: Array | None = None       # people hand-mining (N - E, or the open-access count)
    miners: Array | None = None            # people mining: E + hand_miners (N under the fixed count)
    wage_dues: Array | None = None         # fees and extortion per head paid by wage workers, USD a year
    hand_miner_median_income: Array | None = None  # the median hand-miner's income, USD a month
    company_costs: Array | None = None     # company sites' non-labour costs, USD a year (to the suppliers)
    wage_bill: Array | None = None         # 12·w0·E, USD a year


def recipient_vector(recipients: Mapping[str, Mapping[str, float | Array]], table: str) -> Array:
    """A recipients table as a vector over ACTORS (missing actors, or a missing table, get 0); a drawn table
    (a share is an array of draws) as a (draws, ACTORS) matrix."""
    shares = recipients.get(table, {})
    if any(np.ndim(v) > 0 for v in shares.values()):
        size = np.broadcast_shapes(*(np.shape(v) for v in shares.values()))
        return np.column_stack([np.broadcast_to(np.asarray(shares.get(a, 0.0), dtype=float), size) for a in ACTORS])
    return np.array([float(shares.get(a, 0.0)) for a in ACTORS])


def _actor(name: str) -> Array:
    return np.array([a == name for a in ACTORS], dtype=float)


def _per(amount: Array, people: Array, size: tuple) -> Array:
    """amount / people where there is at least a millionth of a person, else 0."""
    return np.divide(amount, people, out=np.zeros(size), where=np.asarray(people > _FEW))


def hand_mining_entry(hand_value: Array, reference: Array, keep: Array, dues: Array, outside: Array,
                      beta: Array, most: Array) -> Array:
    """Open access (docs/model.md, Stage 3): the number of hand-miners n* at which a digger's expected income
    keep·H(n)/n - dues equals `outside` (USD a year), where H(n) = hand_value·(n/reference)^β up to `most`
    times hand_value (hand-mining's undisrupted output). Output then is hand_value·min((n*/reference)^β, most).
    Where nobody digs at the reference or nothing is found, n* is the reference count."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        per_head = keep * hand_value / reference  # a digger's finds kept, at the reference count
        ok = (reference > _FEW) & (per_head > 0)
        need = outside + dues
        # finds per digger over what a digger needs, at the reference count; capped at 1e9 as a numerical
        # floor on `need`, not a model term (with no wage and no dues entry has no limit)
        ratio = np.where(need > 1e-9 * per_head, per_head / np.where(need > 0, need, 1.0), 1e9)
        # uncapped: keep·H_ref·(n/ref)^β / n = need  =>  n = ref·ratio^(1/(1-β)); at the cap, keep·H·most/n = need
        uncapped = reference * ratio ** (1 / (1 - beta))
        count = np.where(uncapped <= reference * most ** (1 / beta), uncapped, reference * most * ratio)
        return np.where(ok, count, reference)


def _safe_ratio(a: Array, b: Array) -> Array:
    return np.divide(a, b, out=np.ones(np.broadcast_shapes(np.shape(a), np.shape(b))), where=np.asarray(b > _FEW))


def split(params: Mapping[str, float | Array], recipients: Mapping[str, Mapping[str, float]],
          by_channel: bool = False, pit: bool = True) -> SplitArrays:
    """Follow every dollar from gross value to the actor who keeps it (docs/model.md, Stages 1 to 3).
    With `by_channel`, also each channel's part of every flow; without `pit`, `pit_flows` is left out
    (None: the Monte Carlo does not need it, the timeline's stock does)."""
    recipients = drawn_tables(recipients, params)  # a drawn table (docs/model.md, "Who is paid, drawn"): per draw
    v = {**MODEL_DEFAULTS, **without_table_keys(params)}

    def arr(key: str) -> Array:
        return np.asarray(v[key], dtype=float)

    size = np.broadcast_shapes(*(np.shape(value) for value in v.values()),
                               *(np.shape(share) for table in recipients.values() for share in table.values())) or (1,)
    g = np.broadcast_to(np.atleast_1d(arr("gross_value_usd")), size)
    p, a, q = arr("production_factor"), arr("market_access"), arr("price_factor")
    f, t, x = arr("formal_share"), arr("state_tax_rate"), arr("extortion_rate")
    c, m, fx = arr("checkpoint_rate"), arr("trader_margin"), arr("exchange_rate_levy_rate")
    sigma, n, s = arr("company_share"), arr("miner_count"), arr("wage_share")
    w0, kappa = arr("wage_usd_per_month"), arr("commission_rate")
    levy, rent, fee = arr("pit_levy_rate"), arr("pit_rent_rate"), arr("fee_per_miner")
    h, per_head = arr("extortion_per_head_share"), arr("extortion_per_head")  # h: the per-head reading's part
    leased, rent_share = arr("concessions_leased_share"), arr("concession_rent_share")  # ω: the leased reading's part
    gamma, psi = arr("company_cost_share"), arr("state_production_share")
    entry, beta, premium = arr("open_access_share"), arr("digging_returns"), arr("digging_premium")

    # Stage 2's rates first: they are shares of sales, whatever is mined.
    on_sales = {"state_tax": f * t, "exchange_rate_levy": f * fx, "extortion": (1 - f) * x * (1 - h), "checkpoints": c,
                "trader_margin": m}
    kept_at_gate = 1 - sum(on_sales.values())

    # Company sites: value C = σ·M at the scenario's output; the state's share and the costs come off first.
    gate_ref = g * p * a * q * kept_at_gate
    company = sigma * gate_ref
    net_company = (1 - psi - gamma) * company
    positions = s * n
    with np.errstate(over="ignore"):  # a wage near 0 pays (nearly) without limit: inf is right
        payable = np.divide(net_company, 12 * w0,
                            out=np.full(np.broadcast_shapes(np.shape(net_company), np.shape(w0)), np.inf),
                            where=np.asarray(w0 > 0))
    # never fewer than nobody: where the state's share and the costs take all of C (γ + ψ = 1, or a rounding
    # above it, as a validated scenario allows), nothing is left to pay a wage with
    employed = np.clip(payable, 0.0, positions)

    # Hand-mining: the fixed count digs N - E; open access moves the count (and output) a share o of the way
    # to where digging pays λ·w0 (docs/model.md, Stage 3, "Who digs").
    reference = n - employed
    keep = (1 - rent) * (1 - levy)
    dues = fee + h * per_head
    with np.errstate(over="ignore", invalid="ignore"):
        # the most hand-mining can grow: back to its own undisrupted output (k·p = 1), not into the companies'
        most = np.maximum(np.divide(1.0, p, out=np.ones(np.shape(p)), where=np.asarray(p > 0)), 1.0)
        open_count = hand_mining_entry((1 - sigma) * gate_ref, reference, keep, dues, 12 * premium * w0, beta, most)
        moves = (entry > 0) & (reference > _FEW)
        hand_count = np.where(moves, reference + entry * (open_count - reference), reference)
        hand_scale = np.where(moves, np.minimum(_safe_ratio(hand_count, reference) ** beta, most), 1.0)
        # fewer than a millionth of a person digging is nobody: nothing is found (else output without diggers,
        # whose finds no income could carry: incomes would not add up to the miners' flow)
        hand_scale = np.where(moves & (hand_count <= _FEW), 0.0, hand_scale)
    output = sigma + (1 - sigma) * hand_scale  # what is mined, over the scenario's output

    # Stage 1: realised sales, and where the rest of gross value went.
    mined = g * p * output
    reached = mined * a
    realised = reached * q
    mine_gate = realised * kept_at_gate

    # Stage 3: company sites (the state's share, costs, wages, commission, owners) and hand-mining.
    wage_bill = 12 * w0 * employed
    after_wages = net_company - wage_bill
    hand = (1 - sigma) * hand_scale * gate_ref
    # commission is paid to whoever works (staff, else diggers): with nobody at all, it stays with the owners
    commission = np.where((employed > _FEW) | (hand_count > _FEW), kappa, 0.0) * after_wages
    pit_terms = {"production_share": psi * company, "company_costs": gamma * company, "wages": wage_bill,
                 "commission": commission, "company_profits": after_wages - commission,
                 "pit_levy": levy * hand, "pit_rent": rent * (1 - levy) * hand, "hand_mining": keep * hand}
    people = employed + hand_count
    before_fees = pit_terms["wages"] + pit_terms["commission"] + pit_terms["hand_mining"]
    fees = np.minimum(fee * people, before_fees)
    extorted = np.minimum(h * per_head * people, before_fees - fees)  # per head: from the miners' income, as fees

    # Who receives each term: a recipients table (None: nobody) and a fixed part (the trader, the suppliers,
    # the miners; fees and extortion per head come out of the miners' income).
    miners, traders = _actor("miners"), _actor("traders")
    none = np.zeros(len(ACTORS))
    to: dict[str, tuple[str | None, Array]] = {
        "state_tax": ("state_tax_to", none), "exchange_rate_levy": ("state_tax_to", none),
        "extortion": ("extortion_to", none), "checkpoints": ("checkpoint_to", none), "trader_margin": (None, traders),
        "production_share": ("state_tax_to", none), "company_costs": (None, _actor("suppliers")),
        "wages": (None, miners), "commission": (None, miners), "company_profits": ("owner_stakes", none),
        "pit_levy": ("pit_levy_to", none), "pit_rent": ("owner_stakes", none), "hand_mining": (None, miners),
        "fees": ("fee_to", -miners), "extortion_per_head": ("extortion_to", -miners)}
    amounts = {name: realised * rate for name, rate in on_sales.items()} | pit_terms
    amounts["fees"] = fees
    amounts["extortion_per_head"] = extorted
    used = {t for t, _ in to.values() if t is not None}
    drawn = {t for t in used if any(np.ndim(v) > 0 for v in recipients.get(t, {}).values())}
    tables = {t: recipient_vector(recipients, t) for t in used - drawn}
    # flows = amounts (draws x terms) @ recipients (terms x actors): one matrix product for the stated tables
    # and the fixed parts; a drawn table then adds, per draw, the sum of the amounts it splits times each
    # named actor's share (a product per table and actor named, no loop over draws).
    names = list(amounts)
    matrix = np.column_stack([np.broadcast_to(amounts[k], size) for k in names])
    receivers = np.vstack([to[k][1] + (tables[to[k][0]] if to[k][0] in tables else 0.0) for k in names])
    at_pit = [i for i, k in enumerate(names) if k in pit_terms or k in ("fees", "extortion_per_head")]

    def with_drawn(out: Array, columns: list[int]) -> Array:
        for t in sorted(drawn):
            mine = [i for i in columns if to[names[i]][0] == t]
            if mine:
                amount = matrix[:, mine].sum(axis=1)
                for a, share in recipients[t].items():
                    out[:, ACTORS.index(a)] += amount * share
        return out

    flows = with_drawn(matrix @ receivers, list(range(len(names))))
    pit_flows = with_drawn(matrix[:, at_pit] @ receivers[at_pit], at_pit) if pit else None
    if by_channel:
        vectors = {t: recipient_vector(recipients, t) for t in drawn}
        parts = {k: matrix[:, i, None] * (receivers[i] + (vectors[to[k][0]] if to[k][0] in drawn else 0.0))
                 for i, k in enumerate(names)}
    else:
        parts = {}
    # The junta's concessions leased out (ω): of its stake j in company profits P it keeps the rent ν·j·P, and the
    # lessees (the mines' private owners) the rest: ω·(1-ν)·j·P moves from the junta to them, per draw.
    junta_stake = np.asarray(recipients.get("owner_stakes", {}).get("junta", 0.0), dtype=float)
    if np.any(junta_stake > 0):
        moved = np.broadcast_to(leased * (1 - rent_share) * junta_stake * pit_terms["company_profits"], size)
        lessee = _actor("mine_owners") - _actor("junta")
        flows = flows + np.multiply.outer(moved, lessee)
        pit_flows = pit_flows + np.multiply.outer(moved, lessee) if pit else None
        if by_channel:
            parts["company_profits"] = parts["company_profits"] + np.multiply.outer(moved, lessee)

    def full(value) -> Array:  # one value per draw (a copy only where a scalar must be spread)
        value = np.asarray(value, dtype=float)
        return value if value.shape == size else np.broadcast_to(value, size).copy()

    incomes = _incomes(full(employed), full(hand_count), full(w0), full(pit_terms["commission"]),
                       full(pit_terms["hand_mining"]), full(fees + extorted), full(dues), full(arr("finds_dispersion")))
    return SplitArrays(
        gross=full(g), realised=full(realised), recorded=full(f * realised), production_shortfall=full(g - mined),
        stockpiled=full(mined - reached), price_effect=full(reached - realised), mine_gate=full(mine_gate),
        flows=flows, employed=full(employed), laid_off=full(positions - employed), wage=incomes["wage"],
        hand_miner_income=incomes["hand"], miner_income=_per(flows[:, ACTORS.index("miners")] / 12, full(people), size),
        pit_flows=pit_flows, channels={name: parts[name] for name in CHANNELS} if by_channel else None,
        hand_miners=full(hand_count), miners=full(people), wage_dues=incomes["wage_dues"],
        hand_miner_median_income=incomes["median"], company_costs=full(pit_terms["company_costs"]),
        wage_bill=full(wage_bill))


def _incomes(employed: Array, hand_miners: Array, w0: Array, commission: Array, hand_mining: Array,
             per_head_paid: Array, dues: Array, dispersion: Array) -> dict[str, Array]:
    """Incomes per person, USD a month, that add up to the miners' flow (docs/model.md, "Incomes per month"):
    12·(E·wage + hand-miners·mean income) - wage_dues = Y_miners. Hand-miners pay their dues out of their
    finds, up to their finds; the rest of what was paid per head falls on the wage workers. Where nobody is
    employed, commission goes to whoever digs; where nobody hand-mines, the finds go to the employed."""
    size = employed.shape
    has_staff, has_diggers = employed > _FEW, hand_miners > _FEW
    finds = np.where(has_diggers, hand_mining, 0.0) + np.where(has_staff, 0.0, commission)
    to_staff = np.where(has_staff, commission, 0.0) + np.where(has_diggers, 0.0, hand_mining)
    wage = w0 + _per(to_staff, 12 * employed, size)
    hand_dues = np.minimum(np.minimum(dues * hand_miners, finds), per_head_paid)
    wage_dues = per_head_paid - hand_dues
    mean_finds = _per(finds, 12 * hand_miners, size)
    # one miner's finds are lognormal with log-spread s_f: the median is the mean times exp(-s_f²/2)
    median = np.maximum(mean_finds * np.exp(-dispersion ** 2 / 2) - _per(hand_dues, 12 * hand_miners, size), 0.0)
    return {"wage": wage, "hand": mean_finds - _per(hand_dues, 12 * hand_miners, size), "wage_dues": wage_dues,
            "median": median}


#: What sets each channel's amount in split() above (the parameters of its rate or base) and the recipients
#: table that says who receives it (None: always the same actor). A lever that changes one of these
#: parameters, or moves a share of that table, reaches the channel directly (analysis/lever_channels.py).
CHANNEL_INPUTS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "state_tax": (("formal_share", "state_tax_rate"), "state_tax_to"),
    "exchange_rate_levy": (("formal_share", "conversion_applies", "exchange_rate_levy_rate"), "state_tax_to"),
    "extortion": (("formal_share", "extortion_rate", "extortion_per_head_share"), "extortion_to"),
    "checkpoints": (("checkpoint_rate",), "checkpoint_to"),
    "trader_margin": (("trader_margin",), None),
    "production_share": (("company_share", "state_production_share"), "state_tax_to"),
    "company_costs": (("company_share", "company_cost_share"), None),
    "wages": (("company_share", "miner_count", "wage_share", "wage_usd_per_month"), None),
    "commission": (("company_share", "commission_rate"), None),
    "company_profits": (("company_share", "commission_rate", "concessions_leased_share", "concession_rent_share"),
                        "owner_stakes"),
    "pit_levy": (("company_share", "pit_levy_rate"), "pit_levy_to"),
    "pit_rent": (("company_share", "pit_levy_rate", "pit_rent_rate"), "owner_stakes"),
    "hand_mining": (("company_share", "pit_levy_rate", "pit_rent_rate"), None),
    "fees": (("fee_per_miner", "miner_count"), "fee_to"),
    "extortion_per_head": (("extortion_per_head_share", "extortion_per_head", "miner_count"), "extortion_to"),
}
#: Parameters that scale every channel together (how much is mined, reaches buyers, and at what price).
VOLUME_INPUTS: tuple[str, ...] = ("gross_value_usd", "production_factor", "market_access", "price_factor")


#: Per-draw columns of a Monte Carlo frame besides the actors' flows and the groups.
SCALARS: dict[str, str] = {
    "gross_value_usd": "gross", "realised_value_usd": "realised", "recorded_value_usd": "recorded",
    "production_shortfall": "production_shortfall", "stockpiled": "stockpiled", "price_effect": "price_effect",
    "mine_gate_usd": "mine_gate", "wage_workers_employed": "employed", "wage_workers_laid_off": "laid_off",
    "wage_usd_per_month": "wage", "hand_miner_income_usd_per_month": "hand_miner_income",
    "miner_income_usd_per_month": "miner_income",
    "hand_miner_median_income_usd_per_month": "hand_miner_median_income", "hand_miner_headcount": "hand_miners",
    "miner_headcount": "miners",
}


def arrays_to_frame(result: SplitArrays) -> pd.DataFrame:
    """One row per draw: the values of SCALARS, each actor's flow and each group's."""
    columns = {name: getattr(result, attr) for name, attr in SCALARS.items()}
    for i, actor in enumerate(ACTORS):
        columns[actor] = result.flows[:, i]
    for group, members in GROUPS.items():
        columns[group] = sum(columns[a] for a in members)
    return pd.DataFrame(columns)


@dataclass(frozen=True)
class Split:
    """Who keeps what, at the point estimate. Money in USD per year; incomes in USD per month."""

    scenario: str
    gross_value_usd: float
    realised_value_usd: float
    recorded_value_usd: float
    unrealised_usd: pd.Series      # production_shortfall, stockpiled, price_effect
    flows_usd: pd.Series           # by leaf actor, adds up to realised_value_usd
    groups_usd: pd.Series          # by group: the sum of its members
    mine_gate_usd: float
    miner_income_usd_per_month: float
    hand_miner_income_usd_per_month: float
    wage_usd_per_month: float
    wage_workers_employed: float
    wage_workers_laid_off: float
    channels_usd: pd.DataFrame     # rows: CHANNELS; columns: actors; adds up to flows_usd
    hand_miner_median_income_usd_per_month: float = float("nan")  # the median hand-miner (finds are lottery-like)
    miner_headcount: float = float("nan")          # people mining: E + hand-miners (N under the fixed count)

    @property
    def shares(self) -> pd.Series:
        """Each actor's (and group's) share of realised revenue (0..1); all zero when nothing is realised."""
        both = pd.concat([self.flows_usd, self.groups_usd])
        return both * 0.0 if self.realised_value_usd == 0 else both / self.realised_value_usd

    def to_dict(self) -> dict:
        """The JSON form of `mogok-econ split --json` (point estimate)."""
        return {
            "scenario": self.scenario,
            "gross_value_usd": self.gross_value_usd,
            "realised_value_usd": self.realised_value_usd,
            "recorded_value_usd": self.recorded_value_usd,
            "miner_income_usd_per_month": self.miner_income_usd_per_month,
            "hand_miner_income_usd_per_month": self.hand_miner_income_usd_per_month,
            "hand_miner_median_income_usd_per_month": self.hand_miner_median_income_usd_per_month,
            "miner_headcount": self.miner_headcount,
            "wage_usd_per_month": self.wage_usd_per_month,
            "wage_workers_employed": self.wage_workers_employed,
            "wage_workers_laid_off": self.wage_workers_laid_off,
            "unrealised_usd": {k: float(v) for k, v in self.unrealised_usd.items()},
            "flows_usd": {k: float(v) for k, v in self.flows_usd.items()},
            "groups_usd": {k: float(v) for k, v in self.groups_usd.items()},
        }
