"""From a scenario's parameter values to the model's inputs, in dollars: kyat values converted with the
market rate, and the forced conversion of export earnings as a rate on formal sales (docs/model.md,
"Units and time"). A scenario is valued at the mean over the months of its period (an open-ended one:
its first twelve months); the timeline converts month by month."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np

from ..core.vocabulary import PARAMETERS
from ..inputs.exchange_rates import ExchangeRates, RateStep, load_exchange_rates
from ..inputs.scenarios import Scenario

Values = Mapping[str, float | np.ndarray]

#: Months of a kyat unit, per the parameter's own unit (a month or a year).
_PER = {("MMK/day", "USD per month"): "days", ("MMK/month", "USD per month"): 1.0,
        ("MMK/year", "USD per year"): 1.0, ("MMK/month", "USD per year"): 12.0, ("MMK/day", "USD per year"): "days12"}


def market_rate(step: RateStep, quantile: float | np.ndarray | None) -> float | np.ndarray:
    """The month's market rate (MMK per USD): at `quantile` of its distribution, or its point estimate."""
    return step.market.point if quantile is None else step.market.ppf(np.asarray(quantile, dtype=float))


def model_inputs(scenario: Scenario, values: Values, quantile: float | np.ndarray | None = None,
                 months: list[str] | None = None, rates: ExchangeRates | None = None) -> dict:
    """The model's inputs for `values` of the scenario's parameters: kyat converted at the mean market
    rate of `months` (default: the scenario's period), and `exchange_rate_levy_rate` = conversion_applies
    times the mean of e·(1 - official/market). `quantile` is the draw(s) of the market rates' shared
    quantile (None: their point estimates)."""
    rates = rates if rates is not None else load_exchange_rates(data=scenario.data)
    out = dict(values)
    if rates is None:
        out["exchange_rate_levy_rate"] = 0.0
        return out
    # each distinct step once, weighted by its months (a period holds few steps but many months)
    counts = (Counter(rates.at(m) for m in months) if months
              else rates.weights(scenario.period_start, scenario.period_end))
    total = sum(counts.values())
    market = {s: market_rate(s, quantile) for s in counts}
    mean_market = sum(n * market[s] for s, n in counts.items()) / total
    gap = sum(n * s.conversion_share * (1 - s.official / market[s]) for s, n in counts.items()) / total
    out["exchange_rate_levy_rate"] = np.asarray(values["conversion_applies"]) * np.maximum(gap, 0.0)
    for key, p in scenario.parameters.items():
        if p.in_kyat:
            factor = _PER[(p.unit, PARAMETERS[key].unit)]
            days = values.get("working_days_per_month", 26.0)
            months_factor = days if factor == "days" else 12 * days if factor == "days12" else factor
            out[key] = np.asarray(values[key]) * months_factor / mean_market
    return out
