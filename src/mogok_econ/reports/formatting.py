"""How numbers read in the reports: money, intervals, parameter values, Markdown that Jupyter does not
take for maths."""
from __future__ import annotations

import re


def money(value: float, digits: int = 1) -> str:
    """$12.3 million, $394,000 (under a million: to the nearest thousand), $85, -$2.1 million."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value >= 1e6 - 5e4 * 10 ** -digits:
        return f"{sign}${value / 1e6:,.{digits}f} million"
    if value >= 1e4:
        return f"{sign}${round(value, -3):,.0f}"
    return f"{sign}${value:,.0f}"


def money_short(value: float) -> str:
    """$12.3M: money() for chart labels, alt text and tight captions."""
    return money(value).replace(" million", "M")


def people(value: float) -> str:
    """A count of people as the model knows it: to two significant figures ("about 6,000", not "about
    6,048": the inputs are rounded guesses, so the third digit is noise)."""
    if value < 1:
        return "0"
    from math import floor, log10

    step = 10 ** max(0, floor(log10(value)) - 1)
    return f"{round(value / step) * step:,.0f}"


def interval(p5: float, p95: float) -> str:
    return f"{money(p5)} to {money(p95)}"


def md(text: str) -> str:
    """Markdown for the reports: dollar signs escaped, or Jupyter and nbconvert read them as LaTeX maths."""
    return re.sub(r"(?<!\\)\$", r"\\$", text)


def parameter_value(key: str, value: float, unit: str | None = None) -> str:
    """A parameter's value as readers see it: money (in kyat where it was given in kyat), a count, a price
    ratio or a percentage."""
    if unit and unit.startswith("MMK/"):
        return f"K{value:,.0f} a {unit.split('/')[1]}"
    if key == "gross_value_usd":
        return money(value, 0)
    if key in ("wage_usd_per_month", "fee_per_miner"):
        return money(value) + (" a month" if key == "wage_usd_per_month" else " a year")
    if key in ("miner_count", "working_days_per_month"):
        return f"{value:,.0f}"
    if key == "price_factor":
        return f"{value:.2f}"
    return f"{value:.0%}" if value * 100 == round(value * 100) else f"{value:.1%}"
