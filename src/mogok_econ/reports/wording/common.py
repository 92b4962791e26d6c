"""Wording shared by every report: the methods, the general caveats, and the tables of a scenario's
assumptions and recipients."""
from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from ...core.vocabulary import (
    ACTOR_INFO,
    ACTOR_LABELS,
    ACTORS,
    JUNTA_HYPOTHETICAL,
    PARAMETERS,
    RECIPIENT_TABLE_LABELS,
    Actor,
    actor_info,
)
from ...inputs.scenarios import Scenario
from ...inputs.schema import ASSUMPTION
from ..formatting import parameter_value


def parameter_table(s: Scenario) -> pd.DataFrame:
    """The assumptions: point value, range and sources, in words for readers (display with `styled`)."""
    table = s.parameter_table()
    out = pd.DataFrame({
        "Meaning": table["meaning"],
        "Value used": [parameter_value(k, v, u) for k, v, u in zip(table.index, table["point"], table["unit"])],
        "Range": [("fixed" if lo == hi else f"{parameter_value(k, lo, u)} to {parameter_value(k, hi, u)}")
                  for k, lo, hi, u in zip(table.index, table["low"], table["high"], table["unit"])],
        "Source": [src.replace(ASSUMPTION, "assumption") for src in table["sources"]],
        "Note": table["note"],
    })
    out.index = [PARAMETERS[k].axis_label for k in table.index]
    out.index.name = "Parameter"
    return out


def parameter_numbers(s: Scenario) -> pd.DataFrame:
    """The assumptions' numbers, for the CSV and the workbook: the value used and its range as numbers in
    the unit the Unit column names (shares and rates from 0 to 1), beside the same words as the table."""
    table = s.parameter_table()
    out = pd.DataFrame({
        "Symbol": table["symbol"], "Meaning": table["meaning"],
        "Value used": table["point"].astype(float), "Low": table["low"].astype(float),
        "High": table["high"].astype(float), "Unit": table["unit"], "Distribution": table["distribution"],
        "Source": [src.replace(ASSUMPTION, "assumption") for src in table["sources"]], "Note": table["note"],
    })
    out.index = [PARAMETERS[k].axis_label for k in table.index]
    out.index.name = "Parameter"
    return out


def short_title(s: Scenario) -> str:
    """A scenario's title without its parenthesis, for chart axes and table rows ("Licensing era")."""
    return s.title.split(" (")[0].strip()


def period_title(s: Scenario) -> str:
    """'Licensing era (2016-01 to 2020-06)': what a reader sees of a scenario in charts and tables."""
    return f"{short_title(s)} ({s.period_start} to {s.period_end or 'open'})"


def scenario_span(s: Scenario) -> tuple[str, dt.date]:
    """A scenario's `period` as (first month, first day after it); an open-ended one runs on."""
    end = dt.date.max if s.period_end is None else (pd.Period(s.period_end, "M") + 1).start_time.date()
    return s.period_start, end


def junta_words(s: Scenario) -> Actor:
    """The `junta` actor's words over a scenario's period: 'the military and its conglomerates' before the coup,
    'the junta' after it, 'the military and its government' from April 2026 (core/vocabulary.py, JUNTA_NAMES);
    'the military' in a hypothetical scenario, which the timeline never puts in force."""
    from ...errors import InputError
    from ...inputs.timeline import load_timeline

    try:
        hypothetical = s.name not in load_timeline(data=s.data).scenarios()  # the timeline of the scenario's folder
    except InputError:
        hypothetical = False
    if hypothetical:
        h = JUNTA_HYPOTHETICAL
        return dataclasses.replace(ACTOR_INFO["junta"], label=h.label, keeps=h.keeps, in_text=h.in_text)
    return actor_info("junta", *scenario_span(s))


def recipients_table(s: Scenario) -> pd.DataFrame:
    """Who receives each levy and who owns the mines (shares of each)."""
    return pd.DataFrame({label: {ACTOR_LABELS[a]: s.recipients[table].get(a, 0.0) for a in ACTORS}
                         for table, label in RECIPIENT_TABLE_LABELS.items() if table in s.recipients}).T


METHODS_MARKDOWN = """\
The model follows every dollar of a year's gem output from the pit to the actor who keeps it
(specification: docs/model.md in the project). **Stage 1**: realised sales R = G · p · a · q, where G is the
value of a year's output of Mogok's coloured gems at undisrupted production and reference prices, at the
first sale inside Myanmar, all channels; p is the share actually mined, a the share reaching buyers and q
the realised price relative to the reference. Only the formal share f of R is recorded (by official series;
under the TNLA, by its own administration).
**Stage 2**: levies by their base: taxes on formal sales (t) and the forced conversion of export earnings at
the official exchange rate, extortion on informal sales (x), checkpoint levies (c) and traders' margins (m);
each goes to its recipients. What is left is the mine-gate value M. **Stage 3, the pit**: a share σ of M
comes from company sites, which employ as many wage workers as they can pay (wages, then a commission
to miners, the rest to the mines' owners); the rest from hand-mining, where a levy on finds at the pit
(such as the TNLA's 40%) and the landholder's share come off before hand-miners keep what remains. Fees
per miner come out of miners' income. Kyat values are converted at the period's market rate. The books
always balance: the flows add up to R, and R plus what is not realised adds up to G; automated tests
check this and every other identity of the specification.

**Uncertainty**: every uncertain input is a distribution (triangular, PERT or uniform) with an honest
range. The gross value and the exchange rates are shared: drawn once per draw for every scenario, so
differences between scenarios are computed draw by draw. A scenario's own inputs are drawn independently
unless its file gives a correlation (applied with a Gaussian copula). Who is paid is drawn too: each
recipients table naming two actors or more is drawn per draw around its stated shares (a Dirichlet whose
concentration says how well the split is known; every dollar still goes to someone), so the intervals carry
it, and the central estimate uses the stated shares. The random generator is seeded, so
the same inputs always give the same numbers; intervals are the 5th to 95th percentiles of the draws (a
90% interval). **Sensitivity**: the tornado moves one input at a time across its 5th-95th percentile
range; Sobol indices (SALib) apportion the variance of the junta's take among the inputs (treated as
independent).
"""


GENERAL_CAVEATS = """\
- **The calibration rests on one official figure.** The numbers come from the model fitted to what was
  observed, and one observation of the trade's value enters the fit: Global Witness's official $346-415M a
  year for Myanmar's non-jade gems (2014-17); the others fitted, after the coup, are headcounts, the
  TNLA's fee and cuts of finds and a halt of mining, from press reports. Read as Mogok's formal sales at
  declared values, the official figure raises the value of output,
  and every flow with it, well above what the priors alone give (the calibration report sets the two side
  by side). If the figure counts declared production rather than sales, the rise would be much smaller.
- **The size of the trade is uncertain by design.** G covers every channel, smuggling included; the
  official "up to $400 million a year" is what official series record of formal sales for the whole
  country, so it is a floor for what they saw, not a cap on G (data/shared.yaml says how G's range was
  set). All flows scale with G: read the shares as firmer than the dollar amounts.
- **Few rates are reported; many are judgements.** Extortion, checkpoint levies, traders' margins and the
  split between company sites and hand-mining are rarely documented. Each such value is marked
  *assumption* with a note and a wide range; the intervals carry that uncertainty, but cannot carry
  errors in the structure of the model.
- **The state before and after the coup.** Until 1 February 2021 the state's taxes went to the elected
  government (the public treasury), while the military and its conglomerates (MEHL, MEC) already held
  mines: the model books their take to the same actor as the junta's, but the reports call it the military
  and its conglomerates, not the junta. From the coup the state's share goes to the junta (the State
  Administration Council, renamed the State Security and Peace Commission on 31 July 2025); from April
  2026 to the military and the government formed after its elections, which it dominates.
- **Inputs are drawn independently unless a correlation is given.** In reality fighting lowers production,
  access and prices at once, so intervals may be wider than shown.
- **Incomes are averages.** A hand-miner's mean income sits over a heavy tail of rare valuable finds:
  most earn less than the mean.
- **Reporting is thin since November 2025.** Little reporting on fiscal terms after the junta's return was
  found; those scenarios rest on assumptions with wide ranges.
"""


def methods(extra: str = "") -> str:
    """The methods section, with what this report adds (its own paragraphs, its draws and seed)."""
    return METHODS_MARKDOWN + (f"\n\n{extra}" if extra else "")


def caveats(extra: str = "") -> str:
    """The general caveats, with this report's own (Markdown list items)."""
    return GENERAL_CAVEATS + extra


def readable(text: str, data: Path | None = None) -> str:
    """Text from the data (summaries, lever descriptions) with the ids a reader should not meet: scenario names
    (`tnla_control`) become their short titles, parameter names their symbol where in parentheses
    ("(fee_per_miner)" -> "(φ)"), else their label and symbol. File paths are left alone. `data`: the data
    folder whose scenarios' titles are used (None: the shipped data)."""
    import re

    from ...inputs.scenario_list import scenario_titles

    titles = {name: title.split(" (")[0].strip() for name, title in scenario_titles(data).items()}
    word = r"(?<![/\w.-])([a-z0-9]+(?:_[a-z0-9]+)+)(?![\w-]|\.\w)"
    text = re.sub(r"`([a-z0-9]+(?:_[a-z0-9]+)*)`",
                  lambda m: f'"{titles[m.group(1)]}"' if m.group(1) in titles else m.group(0), text)
    text = re.sub(r"\(([a-z]+(?:_[a-z]+)+)\)",
                  lambda m: f"({PARAMETERS[m.group(1)].symbol})" if m.group(1) in PARAMETERS else m.group(0), text)

    def name(m: re.Match) -> str:
        key = m.group(1)
        return titles.get(key) or (PARAMETERS[key].axis_label if key in PARAMETERS else key)

    return re.sub(word, name, text)
