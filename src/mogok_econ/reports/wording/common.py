"""Wording shared by every report: the methods, the general caveats, and the tables of a scenario's
assumptions and recipients."""
from __future__ import annotations

import pandas as pd

from ...core.vocabulary import ACTOR_LABELS, ACTORS, PARAMETERS, RECIPIENT_TABLE_LABELS
from ...inputs.scenarios import Scenario
from ...inputs.schema import ASSUMPTION
from ..formatting import parameter_value


def parameter_table(s: Scenario) -> pd.DataFrame:
    """The assumptions: point value, range and sources, in words for readers (display with `styled`)."""
    table = s.parameter_table()
    out = pd.DataFrame({
        "Meaning": table["meaning"],
        "Value used": [parameter_value(k, v) for k, v in table["point"].items()],
        "Range": [("fixed" if lo == hi else f"{parameter_value(k, lo)} to {parameter_value(k, hi)}")
                  for k, lo, hi in zip(table.index, table["low"], table["high"])],
        "Source": [src.replace(ASSUMPTION, "assumption") for src in table["sources"]],
        "Note": table["note"],
    })
    out.index = [f"{k} ({PARAMETERS[k].symbol})" for k in table.index]
    return out


def recipients_table(s: Scenario) -> pd.DataFrame:
    """Who receives each levy and who owns the mines (shares of each)."""
    return pd.DataFrame({label: {ACTOR_LABELS[a]: s.recipients[table].get(a, 0.0) for a in ACTORS}
                         for table, label in RECIPIENT_TABLE_LABELS.items()}).T


METHODS_MARKDOWN = """\
The model follows every dollar of a year's ruby output from the mine to the actor who keeps it
(specification: docs/model.md in the project). **Stage 1**: realised revenue R = G · p · a · q, where G is the
value of a year's output at undisrupted production and normal prices, p the share actually mined, a the
share reaching buyers within the year and q the realised price relative to normal. **Stage 2**: taxes on
formal sales (rate t on the formal share f), extortion on informal sales (rate x), checkpoint levies
(rate c) and traders' margins (m) are taken from sales; each levy goes to its recipients; the remainder
at the mine gate is split between the miners (share w) and the mines' owners. The books always balance:
the flows add up to R, and R plus what is not realised adds up to G; automated tests check this.

**Uncertainty**: every uncertain input is a distribution (triangular, PERT or uniform) with an honest
range. The Monte Carlo draws all of them independently from a seeded random generator, so the same
inputs always give the same numbers; intervals are the 5th to 95th percentiles of the draws (a 90%
interval). **Sensitivity**: the tornado moves one input at a time across its 5th-95th percentile range;
Sobol indices (SALib) apportion the variance of the junta's take among all inputs together.
"""


GENERAL_CAVEATS = """\
- **The size of the trade is uncertain by design.** G is bounded by the "up to $400 million a year"
  figure, which traces to official data; smuggling means the real trade may be several times larger
  (Global Witness's estimate for the whole coloured-gem sector, illicit trade included, is $1.7-2.1
  billion). All flows scale with G: read the shares as firmer than the dollar amounts.
- **Few rates are reported; many are judgements.** Extortion, checkpoint levies, traders' margins and
  miners' shares are rarely documented. Each such value is marked *assumption* with a note and a wide
  range; the intervals carry that uncertainty, but cannot carry errors in the structure of the model.
- **"Junta" includes the state in 2016-21.** Before the coup of February 2021 the state's taxes went to a
  civilian-led government, while the military held the security ministries and its conglomerates held
  mines. The model has no separate treasury actor; the licensing-era scenario books state taxes to the
  junta row, which overstates the military's own take in that period.
- **Inputs are drawn independently.** In reality they move together (fighting lowers production, access
  and prices at once), so the true intervals may be wider than shown.
- **One year at a time.** Stockpiled stones are reported but not carried forward into later years.
- **Reporting is thin since November 2025.** No reporting on fiscal terms after the junta's return was
  found; that scenario rests on assumptions with wide ranges.
"""


def methods(extra: str = "") -> str:
    """The methods section, with what this report adds (its own paragraphs, its draws and seed)."""
    return METHODS_MARKDOWN + (f"\n\n{extra}" if extra else "")


def caveats(extra: str = "") -> str:
    """The general caveats, with this report's own (Markdown list items)."""
    return GENERAL_CAVEATS + extra
