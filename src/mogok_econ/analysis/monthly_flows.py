"""The month-by-month flows implied by the timeline, with stockpiles carried from month to month.

Each month, every scenario in force contributes its annual split prorated by the days it was in force
over the days in that year, valued at that month's exchange rates. What is mined but not sold enters a
stock that remembers whose it is (each actor's share of the mine-gate value in the month of
extraction). Each month releases r·a of the stock (the month's release rate and market access), sold
at the month's price, sales levies and recipients, its mine-gate part going to the stock's owners; a
share z is seized (to the month's `seizure_to`), a share d is lost. Without stock, a calendar year under
one scenario adds up exactly to that scenario's annual flows.

Uncertainty: the draws share G and the exchange rates across scenarios and months; each scenario's own
parameters are drawn once and hold through every month it is in force. Conservation (docs/model.md):
sum of G = new sales + sales from stock + seizures + shortfall + price effects + destroyed + stock at the end.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.defaults import DEFAULT_DRAWS, DEFAULT_SEED, QUANTILE_LEVELS, REPORTED_QUANTILES
from ..core.recipient_draws import drawn_tables
from ..core.split import MODEL_DEFAULTS, recipient_vector, split
from ..core.vocabulary import ACTORS, GROUPS
from ..inputs import dependencies
from ..inputs.exchange_rates import load_exchange_rates
from ..inputs.scenarios import Scenario
from ..inputs.timeline import Timeline
from ..inputs.world import World, shipped_world
from .conversion import model_inputs
from .estimates import estimate_at
from .monte_carlo import Posterior, central_values, draw_parameters

#: What the monthly series hold (USD in the month; the stock at the month's end).
MONTHLY_COLUMNS: tuple[str, ...] = (
    *ACTORS, *GROUPS, "realised_value_usd", "new_sales_usd", "sales_from_stock_usd", "seizures_usd",
    "destroyed_usd", "stock_usd", "gross_value_usd", "production_shortfall", "price_effect")
#: The columns whose draws are kept month by month (for bands and running totals).
DRAWN_COLUMNS: tuple[str, ...] = ("junta", "public_treasury", "armed_groups", "miners", "realised_value_usd",
                                  "stock_usd")


def month_weights(timeline: Timeline) -> pd.DataFrame:
    """Rows: months; columns: scenarios; value: days of the month the scenario was in force, over the
    days in that year. A month's flow = sum over scenarios of weight x annual flow."""
    months = timeline.months
    frame = pd.DataFrame(0.0, index=months, columns=timeline.scenarios())
    for p in timeline.periods:
        for month in pd.period_range(p.start, p.end - dt.timedelta(days=1), freq="M"):
            first = month.start_time.date()
            after = (month + 1).start_time.date()
            days = (min(p.end, after) - max(p.start, first)).days
            year_days = 366 if month.start_time.is_leap_year else 365
            if month in frame.index:
                frame.loc[month, p.scenario] += days / year_days
    return frame


def _on_sales(params: dict, recipients: dict) -> np.ndarray:
    """(draws, actors): each actor's share of a dollar of sales taken by the levies on sales."""
    def col(key):
        return np.atleast_1d(np.asarray(params.get(key, MODEL_DEFAULTS.get(key)), dtype=float))[:, None]
    f = col("formal_share")
    return (f * (col("state_tax_rate") + col("exchange_rate_levy_rate")) * recipient_vector(recipients, "state_tax_to")
            + (1 - f) * col("extortion_rate") * (1 - col("extortion_per_head_share"))
            * recipient_vector(recipients, "extortion_to")
            + col("checkpoint_rate") * recipient_vector(recipients, "checkpoint_to")
            + col("trader_margin") * np.array([a == "traders" for a in ACTORS], dtype=float))


def _owners(result, recipients: dict) -> np.ndarray:
    """(draws, actors): whose the stock mined this month is: each actor's share of the mine-gate value
    (where nothing reaches the mine gate, the mines' owners), except the wages and the company sites' costs:
    the month's wage bill and fuel are paid from the month's sales, so the wage workers and the suppliers
    hold no claim on the stones held back, and their share of them is the owners' (else a stone sold from
    stock would pay its wages and its fuel twice)."""
    owners = recipient_vector(recipients, "owner_stakes")
    if not owners.any():
        owners = np.array([a == "mine_owners" for a in ACTORS], dtype=float)
    gate = result.mine_gate[:, None]
    wages, costs = result.wage_bill[:, None], result.company_costs[:, None]
    claims = result.pit_flows - wages * _MINERS - costs * _SUPPLIERS + (wages + costs) * owners
    return np.where(gate > 0, claims / np.where(gate > 0, gate, 1.0), owners)


_MINERS = np.array([a == "miners" for a in ACTORS], dtype=float)
_SUPPLIERS = np.array([a == "suppliers" for a in ACTORS], dtype=float)


@dataclass
class _MonthSplit:
    """What run_months uses of a scenario's split in a month (the rest of SplitArrays is not kept)."""

    flows: np.ndarray
    realised: np.ndarray
    gross: np.ndarray
    production_shortfall: np.ndarray
    price_effect: np.ndarray
    stockpiled: np.ndarray


def _month_split(s: Scenario, v: dict, quantile, month: str, rates) -> tuple[_MonthSplit, np.ndarray, np.ndarray]:
    """A scenario's split in `month`, whose stock belongs to the owners, and its levies on sales."""
    params = model_inputs(s, v, quantile, months=[month], rates=rates)
    tables = drawn_tables(s.recipients, params)  # a drawn table's shares, draw by draw
    result = split(params, tables)
    kept = _MonthSplit(result.flows, result.realised, result.gross, result.production_shortfall, result.price_effect,
                       result.stockpiled)
    return kept, _owners(result, tables), _on_sales(params, tables)


def run_months(timeline: Timeline, scenarios: dict[str, Scenario], weights: pd.DataFrame, values: dict[str, dict],
               quantile, n: int, keep: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Simulate the months for `n` draws of every scenario's parameter `values`; (months, n) per kept column."""
    out = {c: np.zeros((len(weights), n), dtype=np.float32 if n > 1 else float) for c in keep}
    stock = np.zeros((n, len(ACTORS)))  # by owner, at reference value
    rates = load_exchange_rates(data=next(iter(scenarios.values())).data if scenarios else None)  # all of one folder
    # A scenario's split in a month depends on the month only through its exchange-rate step, which holds
    # for many months: compute it once per scenario and step (the same arrays, so the same numbers), and
    # keep only those of the scenarios in force (memory: at most two a month).
    memo: dict[str, tuple] = {}
    for i, (month, row) in enumerate(weights.iterrows()):
        in_force = [(name, w) for name, w in row.items() if w > 0]
        memo = {name: memo[name] for name, _ in in_force if name in memo}
        total_w = sum(w for _, w in in_force)
        m = {c: np.zeros(n) for c in ("new_sales_usd", "gross_value_usd", "production_shortfall", "price_effect")}
        flows, inflow = np.zeros((n, len(ACTORS))), np.zeros((n, len(ACTORS)))
        levy, seize_to = np.zeros((n, len(ACTORS))), np.zeros((n, len(ACTORS)))  # seize_to: z by recipient
        ra, z, d, q = (np.zeros(n) for _ in range(4))
        for name, w in in_force:
            s, v = scenarios[name], values[name]
            step = rates.at(str(month)) if rates is not None else None
            if name not in memo or memo[name][0] is not step:
                memo[name] = (step, *_month_split(s, v, quantile, str(month), rates))
            _, result, owners, on_sales = memo[name]
            flows += result.flows * w
            m["new_sales_usd"] += result.realised * w
            m["gross_value_usd"] += result.gross * w
            m["production_shortfall"] += result.production_shortfall * w
            m["price_effect"] += result.price_effect * w
            inflow += (result.stockpiled * w)[:, None] * owners
            share = w / total_w
            ra += share * np.asarray(v["stock_release_rate"]) * np.asarray(v["market_access"])
            z += share * np.asarray(v["stock_seizure_rate"])
            seize_to += (share * np.atleast_1d(np.asarray(v["stock_seizure_rate"], dtype=float)))[:, None] \
                * recipient_vector(drawn_tables(s.recipients, v), "seizure_to")
            d += share * np.asarray(v["stock_destroyed_rate"])
            q += share * np.asarray(v["price_factor"])
            levy += share * on_sales
        released, seized, lost = stock * ra[:, None], stock * z[:, None], stock * d[:, None]
        released_total = released.sum(axis=1)
        sold = q * released_total
        flows += sold[:, None] * levy + released * (q * (1 - levy.sum(axis=1)))[:, None] \
            + stock.sum(axis=1)[:, None] * seize_to
        stock = stock - released - seized - lost + inflow
        # Only the kept columns are worked out (the draws keep a few; a series of draws is months x draws).
        month_values = {**m, "sales_from_stock_usd": sold, "realised_value_usd": m["new_sales_usd"] + sold}
        month_values |= {a: flows[:, j] for j, a in enumerate(ACTORS)}
        if "price_effect" in keep:
            month_values["price_effect"] = m["price_effect"] + (1 - q) * released_total
        if "seizures_usd" in keep:
            month_values["seizures_usd"] = seized.sum(axis=1)
        if "destroyed_usd" in keep:
            month_values["destroyed_usd"] = lost.sum(axis=1)
        if "stock_usd" in keep:
            month_values["stock_usd"] = stock.sum(axis=1)
        month_values |= {g: sum(month_values[a] for a in members) for g, members in GROUPS.items() if g in keep}
        for c in keep:
            out[c][i] = month_values[c]
    return out


@dataclass
class TimelineResults:
    timeline: Timeline
    weights: pd.DataFrame               # months x scenarios
    annual_point: pd.DataFrame          # scenarios x (ACTORS, GROUPS, realised), USD/yr
    monthly_point: pd.DataFrame         # months x MONTHLY_COLUMNS, USD in the month, at point estimates
    drawn: dict[str, np.ndarray]        # DRAWN_COLUMNS -> (months, draws)
    n_draws: int
    seed: int
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    drawn_from: str = "prior"           # "prior", or the fingerprint of the posterior the draws came from
    _cumulative: dict = field(default_factory=dict, repr=False, compare=False)  # (column, since) -> cumulative()

    def monthly_draws(self, column: str) -> np.ndarray:
        """Months x draws of one of DRAWN_COLUMNS, USD in the month."""
        return self.drawn[column].astype(float)

    def monthly_band(self, column: str) -> pd.DataFrame:
        q = np.quantile(self.monthly_draws(column), QUANTILE_LEVELS, axis=1).T
        return pd.DataFrame(q, index=self.weights.index, columns=list(REPORTED_QUANTILES))

    def cumulative(self, column: str, since: dt.date | None = None) -> pd.DataFrame:
        """Running total from `since` (default: the start), point estimate and P5/P50/P95, USD."""
        since = since or self.timeline.start
        if (column, since) not in self._cumulative:  # a report asks for the same one several times
            self._cumulative[(column, since)] = self._running_total(column, since)
        return self._cumulative[(column, since)]

    def _since(self, since: dt.date) -> np.ndarray:
        """Each month's weight in a total from `since`: 0 before, 1 after, the month of `since` prorated from
        that day."""
        first = pd.Period(since, freq="M")
        mask = np.array([m >= first for m in self.weights.index], dtype=float)
        if first in self.weights.index:
            i = self.weights.index.get_loc(first)
            month_days = first.days_in_month
            mask[i] = (month_days - (since.day - 1)) / month_days
        return mask

    def observed_and_projected(self, column: str, since: dt.date, evidence_to: dt.date) -> pd.DataFrame:
        """The total from `since` in two parts: `observed`, to the end of the month of the newest evidence
        (`evidence_to`), and `projected`, the months after it, which assume that the scenario in force then
        goes on. Rows observed and projected; columns point and P5/P50/P95 of each part (from the same
        draws), USD. The two points add up to the total's."""
        since_mask = self._since(since)
        observed = np.array([m <= pd.Period(evidence_to, freq="M") for m in self.weights.index])
        point = self.monthly_point[column].to_numpy()
        rows = {}
        for part, months in (("observed", observed), ("projected", ~observed)):
            mask = since_mask * months
            total = mask @ self.drawn[column].astype(float)
            rows[part] = {"point": float(point @ mask), **dict(zip(REPORTED_QUANTILES, np.quantile(total, QUANTILE_LEVELS)))}
        return pd.DataFrame.from_dict(rows, orient="index")

    def _running_total(self, column: str, since: dt.date) -> pd.DataFrame:
        monthly = self.monthly_draws(column)
        point = self.monthly_point[column].to_numpy().copy()
        mask = self._since(since)
        running = monthly
        running *= mask[:, None]  # in place: monthly_draws gave a copy, and a draws array is 100 MB
        np.cumsum(running, axis=0, out=running)
        q = np.quantile(running, QUANTILE_LEVELS, axis=1, overwrite_input=True).T
        out = pd.DataFrame(q, index=self.weights.index, columns=list(REPORTED_QUANTILES))
        out.insert(0, "point", np.cumsum(point * mask))
        return out

    def totals_by_period(self) -> pd.DataFrame:
        """Each actor's total take over each period of the timeline (point estimate, sales from stock
        included), USD: a month shared by two periods is split between them by days."""
        rows = []
        columns = [*ACTORS, *GROUPS, "realised_value_usd", "sales_from_stock_usd"]
        for p in self.timeline.periods:
            share = np.zeros(len(self.weights))
            for i, month in enumerate(self.weights.index):
                first, after = month.start_time.date(), (month + 1).start_time.date()
                days = (min(p.end, after) - max(p.start, first)).days
                share[i] = max(days, 0) / month.days_in_month
            years = sum(max(0, (min(p.end, dt.date(y + 1, 1, 1)) - max(p.start, dt.date(y, 1, 1))).days)
                        / (366 if pd.Timestamp(y, 1, 1).is_leap_year else 365) for y in range(p.start.year, p.end.year + 1))
            row = {"from": p.start, "to": p.end, "scenario": p.scenario, "years": years, "days": (p.end - p.start).days}
            row |= {c: float(self.monthly_point[c].to_numpy() @ share) for c in columns}
            rows.append(row)
        return pd.DataFrame(rows)


def timeline_results(draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, timeline: Timeline | None = None,
                     keep: tuple[str, ...] = DRAWN_COLUMNS, posterior: Posterior | None = None,
                     world: World | None = None, overrides: Mapping[str, float] | None = None) -> TimelineResults:
    """The months of the timeline (default: that of `world`, None: the shipped data), at the central values
    and for `draws` draws (from `posterior`, or the priors). `overrides` sets parameters to a value in every
    scenario and draw (e.g. one reading alone: extortion_per_head_share 0 or 1), the other draws unchanged."""
    world = world or shipped_world()
    timeline = timeline or world.timeline
    weights = month_weights(timeline)
    fixed = dict(overrides or {})
    scenarios = {name: world.scenario(name) for name in weights.columns}
    point_values = {name: {**central_values(s, posterior), **fixed} for name, s in scenarios.items()}
    point = run_months(timeline, scenarios, weights, point_values, None, 1, MONTHLY_COLUMNS)
    monthly_point = pd.DataFrame({c: v[:, 0] for c, v in point.items()}, index=weights.index)
    drawn_values = {name: {**draw_parameters(s, draws, seed, posterior), **fixed} for name, s in scenarios.items()}
    quantile = next(iter(drawn_values.values()))["market_rate_quantile"]  # shared: the same for every scenario
    drawn = run_months(timeline, scenarios, weights, drawn_values, quantile, draws, keep)
    annual = {}
    for name, s in scenarios.items():
        est = estimate_at(s, point_values[name])
        annual[name] = {**est.flows_usd.to_dict(), **est.groups_usd.to_dict(), "realised_value_usd": est.realised_value_usd}
    drawn_from = posterior.fingerprint if posterior is not None else "prior"
    return TimelineResults(timeline, weights, pd.DataFrame.from_dict(annual, orient="index"), monthly_point, drawn,
                           draws, seed, scenarios, drawn_from + (f" with {sorted(fixed.items())}" if fixed else ""))


def cached_timeline_results(draws: int, seed: int, posterior: Posterior | None, world: World) -> TimelineResults:
    """`timeline_results(draws, seed, posterior=posterior, world=world)`, computed once and kept in `world.store`
    (analysis/cache.py): the timeline report, the briefs, the landing page, the policy report's actual history
    and the readings' weighted row all show this one."""
    from .cache import cached_result

    return cached_result("timeline", (draws, seed),
                         lambda: timeline_results(draws=draws, seed=seed, posterior=posterior, world=world),
                         inputs=dependencies.timeline(world), posterior=posterior, world=world)


__all__ = ["DRAWN_COLUMNS", "MONTHLY_COLUMNS", "TimelineResults", "cached_timeline_results", "month_weights",
           "run_months", "timeline_results"]
