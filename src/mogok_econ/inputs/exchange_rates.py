"""The kyat-dollar file (data/exchange_rates.yaml): the market and official rates and the share of
export proceeds that must be converted at the official rate, as a step function of the month (each
entry holds from its month until the next). Kyat values convert with the market rate; the forced
conversion is an implicit levy on formal sales (docs/model.md, Stage 2)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from pydantic import Field, ValidationError

from .. import paths
from ..core.distributions import Distribution
from ..errors import InputError, Problem
from ..fingerprint import ABSENT
from .parameters import PARAMETER_TAGS, TAG_PARENTS, ParameterSpecFile, distribution
from .schema import Sources, StrictModel, date_problem, problems_from, unknown_sources
from .sources import load_bibliography
from .yaml_loader import content_key, load_yaml

_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class _Step(StrictModel):
    from_: str = Field(alias="from", pattern=_MONTH)
    market_mmk_per_usd: ParameterSpecFile
    official_mmk_per_usd: float = Field(gt=0)
    conversion_share: float = Field(ge=0, le=1)
    source: Sources = Field(min_length=1)
    note: str | None = None


class _RatesFile(StrictModel):
    rates: list[_Step] = Field(min_length=1)


@dataclass(frozen=True)
class RateStep:
    """The rates in force from `start` (YYYY-MM) until the next step."""

    start: str
    market: Distribution          # MMK per USD on the market
    official: float               # MMK per USD, the Central Bank's reference rate
    conversion_share: float       # share of export proceeds converted at the official rate
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class ExchangeRates:
    steps: tuple[RateStep, ...]
    file: str

    def at(self, month: str) -> RateStep:
        """The step in force in `month` (YYYY-MM); months before the first step use the first."""
        current = self.steps[0]
        for step in self.steps:
            if step.start <= month:
                current = step
        return current

    def months(self, start: str, end: str | None) -> list[str]:
        """Every month from `start` to `end` (inclusive); an open end means the twelve months from start."""
        last = pd.Period(end, "M") if end else pd.Period(start, "M") + 11
        return [str(m) for m in pd.period_range(pd.Period(start, "M"), last, freq="M")]

    def weights(self, start: str, end: str | None) -> dict[RateStep, int]:
        """How many months of `start` to `end` (as `months`) each step is in force, without listing them
        (a period may run for centuries in a user's file)."""
        first = pd.Period(start, "M").ordinal
        last = pd.Period(end, "M").ordinal if end else first + 11
        out: dict[RateStep, int] = {}
        begins = [pd.Period(s.start, "M").ordinal for s in self.steps]
        for i, step in enumerate(self.steps):
            lo = begins[i] if i else -(10**9)  # months before the first step use the first
            hi = begins[i + 1] - 1 if i + 1 < len(self.steps) else 10**9
            months = min(hi, last) - max(lo, first) + 1
            if months > 0:
                out[step] = months
        return out


def load_exchange_rates(path: Path | None = None, data: Path | None = None) -> ExchangeRates | None:
    """Load and check the exchange-rate file; None where a data folder has none (then no kyat unit can
    be converted and there is no exchange-rate levy)."""
    path = Path(path) if path else paths.exchange_rates_file(paths.chosen(data))
    content = content_key(path)
    if content == ABSENT:
        return None
    return _load(path.resolve(), content, paths.chosen(data))


@cache
def _load(path: Path, _content: str, data: Path) -> ExchangeRates:
    shown = paths.display(path)
    try:
        parsed = _RatesFile.model_validate(load_yaml(path, "exchange-rate file"))
    except ValidationError as exc:
        raise InputError(problems_from(exc, shown, hidden_tags=PARAMETER_TAGS, tag_parents=TAG_PARENTS)) from None
    bibliography = load_bibliography(data=data)
    problems: list[Problem] = []
    steps = []
    for i, s in enumerate(parsed.rates):
        market = distribution(s.market_mmk_per_usd)
        if market.low <= 0 or not market.low <= getattr(market, "mode", market.low) <= market.high:
            problems.append(Problem(shown, f"rates[{i}].market_mmk_per_usd", s.market_mmk_per_usd,
                                    "a market rate must be positive, with low <= mode <= high."))
        problems += unknown_sources(s.source, bibliography, shown, f"rates[{i}].source")
        wrong_date = date_problem(s.from_, shown, f"rates[{i}].from")
        if wrong_date:
            problems.append(wrong_date)
        elif steps and s.from_ <= steps[-1].start:
            problems.append(Problem(shown, f"rates[{i}].from", s.from_, "entries must be in time order, one a month "
                                    f"at most (the one before starts {steps[-1].start})."))
        steps.append(RateStep(s.from_, market, s.official_mmk_per_usd, s.conversion_share, tuple(s.source),
                              " ".join((s.note or "").split())))
    if problems:
        raise InputError(problems)
    return ExchangeRates(tuple(steps), shown)
