"""The summary's tables (results/summary.py): each one's schema, with the unit and meaning of every column,
and the headline table built from the others: the named quantities every report quotes, each in one row."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..analysis.readings import HEADLINE_COLUMNS
from ..core.vocabulary import ACTOR_INFO, ACTORS, GROUP_INFO, GROUPS
from ..inputs.timeline import COUP
from .tables import Column, TableSchema

USD_YEAR = "USD per year"
STATS = {"point": "central estimate (every input at its most likely value; from the calibrated posterior, its median)",
         "p5": "5th percentile over the draws", "p50": "median over the draws", "p95": "95th percentile over the draws"}


def _who(name: str) -> str:
    info = ACTOR_INFO.get(name) or GROUP_INFO[name]
    return info.label


def _stats(unit: str, what: str) -> tuple[Column, ...]:
    return tuple(Column(k, "number", unit, f"{what}: {v}") for k, v in STATS.items())


_TAKES = tuple(Column(a, "number", USD_YEAR, f"{_who(a)}: take a year") for a in (*ACTORS, *GROUPS))
_SALES = (Column("realised_value_usd", "number", USD_YEAR, "a year's realised sales"),)
_SCENARIO = Column("scenario", "string", "", "scenario (data/scenarios/NAME.yaml)")
_MONTH = Column("month", "month", "", "calendar month (YYYY-MM)")
_RUNNING = "the junta's running total since the coup of 1 February 2021, to the end of the month"

SUMMARY_TABLES: dict[str, TableSchema] = {t.name: t for t in (
    TableSchema("scenario_central", "Each scenario, central estimates",
                "Each actor's take a year and a year's sales in each scenario, rows in time order.", _SCENARIO,
                (*_TAKES, *_SALES, Column("recorded_value_usd", "number", USD_YEAR, "the part of sales in official records"),
                 Column("gross_value_usd", "number", USD_YEAR, "gross value of a year's output"))),
    TableSchema("current_takes", "Now: each actor's take a year",
                "In the scenario in force in the latest month of the data.",
                Column("actor", "string", "", "actor or group"),
                (*_stats(USD_YEAR, "take a year"), Column("share", "number", "fraction", "central take over a year's sales"))),
    TableSchema("junta_running_total", "The junta's running total since the coup", _RUNNING, _MONTH,
                _stats("USD", _RUNNING)),
    TableSchema("junta_since_coup_parts", "The total since the coup: observed and projected",
                "Observed: to the newest evidence's month; projected: after it, to the last month of the timeline.",
                Column("part", "string", "", "observed or projected"), _stats("USD", "the junta's take over the part")),
    TableSchema("junta_since_return", "The junta's total since it re-entered Mogok",
                "From the day the junta last took Mogok back to the last month of the timeline.",
                Column("since", "date", "", "the day the junta last took Mogok back"), _stats("USD", "the junta's take")),
    TableSchema("junta_monthly", "The junta's take, month by month since the coup",
                "Stones sold from stock included.", _MONTH, _stats("USD in the month", "the junta's take in the month")),
    TableSchema("current_period", "The period in force now, as the timeline counts it",
                "Each actor's take over the period (stones sold from stock included).", _SCENARIO,
                (Column("from", "date", "", "first day"), Column("to", "date", "", "day after the last"),
                 Column("years", "number", "years", "length"), Column("days", "integer", "days", "length"),
                 *(Column(c.name, "number", "USD", c.description.replace(" a year", " over the period")) for c in _TAKES),
                 Column("realised_value_usd", "number", "USD", "sales over the period"),
                 Column("sales_from_stock_usd", "number", "USD", "of which stones sold from stock"))),
    TableSchema("junta_channels_now", "Now: the junta's take by channel",
                "Central estimate, in the scenario in force now.", Column("channel", "string", "", "channel"),
                (Column("usd_per_year", "number", USD_YEAR, "the junta's take through the channel"),)),
    TableSchema("policy_levers", "Feasible policies that cut the junta's take, in the policy report's ranking",
                "Single policies, feasible under the scenario in force now.", Column("name", "string", "", "policy"),
                (Column("title", "string", "", "policy's title"), Column("rank", "integer", "", "rank in the policy report"),
                 Column("junta_denied", "number", USD_YEAR, "money denied the junta: central estimate"),
                 Column("denied_p5", "number", USD_YEAR, "money denied the junta: 5th percentile"),
                 Column("denied_p95", "number", USD_YEAR, "money denied the junta: 95th percentile"),
                 Column("miners", "number", USD_YEAR, "change in the miners' take"),
                 Column("armed_groups", "number", USD_YEAR, "change in the armed groups' take"),
                 Column("p_wins", "number", "probability",
                        "the ranking criterion: mean chance, over paired draws, of denying more than each other single policy"),
                 Column("p_best", "number", "probability", "chance of denying the most of the single policies"),
                 Column("p_beats_next", "number", "probability",
                        "chance it denies more than the next-ranked, over paired draws"))),
    TableSchema("readings", "The headlines under each reading of the evidence",
                "Prior, each reading alone, and weighted by the data (what every report shows).",
                Column("basis", "string", "", "prior, observable: reading, parameter: reading, or weighted"),
                (*(Column(c, "number", "USD per month" if c.startswith("hand_miner") else
                          "USD" if c.startswith("junta_since_coup") else USD_YEAR, c.replace("_", " "))
                   for c in HEADLINE_COLUMNS),
                 Column("prior_weight", "number", "probability", "the reading's prior weight"),
                 Column("posterior_weight", "number", "probability", "the reading's weight after the data"))),
    TableSchema("headlines", "The headline numbers, each once",
                "Every number a report quotes as a headline, in one place.",
                Column("quantity", "string", "", "what is measured"),
                (Column("description", "string", "", "in words"), Column("scenario", "string", "", "scenario, if one"),
                 Column("from", "string", "", "first day covered (totals)"),
                 Column("to", "string", "", "last month covered (totals)"),
                 *_stats("see unit", "value"), Column("unit", "string", "", "unit of the values"))),
)}


def headline_rows(tables: dict[str, pd.DataFrame], current: str, returned: dt.date, evidence_to: dt.date) -> pd.DataFrame:
    """The headlines, from the other tables (so each is the same number there and here)."""
    running, parts = tables["junta_running_total"], tables["junta_since_coup_parts"]
    last = str(running.index[-1])
    rows = {}

    def add(quantity: str, description: str, values, unit: str, scenario: str = "", start: str = "", to: str = ""):
        rows[quantity] = {"description": description, "scenario": scenario, "from": start, "to": to,
                          **{k: float(values.get(k, np.nan)) for k in STATS}, "unit": unit}

    coup = COUP.isoformat()
    add("junta_since_coup", "the junta's take since the coup", running.iloc[-1], "USD", "", coup, last)
    add("junta_since_coup_observed", "of which to the newest evidence", parts.loc["observed"], "USD", "", coup,
        str(pd.Period(evidence_to, freq="M")))
    add("junta_since_coup_projected", "of which projected after the newest evidence", parts.loc["projected"], "USD", "",
        str(pd.Period(evidence_to, freq="M") + 1), last)
    add("junta_since_return", "the junta's take since it last took Mogok back",
        tables["junta_since_return"].iloc[0], "USD", "", returned.isoformat(), last)
    add("junta_now", "the junta's take a year now", tables["current_takes"].loc["junta"], USD_YEAR, current)
    add("sales_now", "a year's realised sales now", {"point": tables["scenario_central"].loc[current, "realised_value_usd"]},
        USD_YEAR, current)
    for name, value in tables["scenario_central"]["junta"].items():
        add(f"junta_in_{name}", "the junta's take a year in the scenario", {"point": value}, USD_YEAR, str(name))
    levers = tables["policy_levers"]
    if len(levers):
        top = levers.iloc[0]
        add("top_policy_denies", f"money the top-ranked feasible policy ({top.name}) denies the junta a year",
            {"point": top["junta_denied"], "p5": top["denied_p5"], "p95": top["denied_p95"]}, USD_YEAR, current)
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "quantity"
    return frame
