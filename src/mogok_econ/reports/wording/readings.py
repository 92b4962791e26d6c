"""The wording of the readings (docs/model.md, "Readings"): what an observation may measure, the weight the
data gave each reading, and the headlines under each beside the weighted ones every report shows."""
from __future__ import annotations

import pandas as pd

from ...analysis.calibration import Calibration
from ...analysis.readings import READING_DRAWS, STRUCTURAL_READINGS
from ..formatting import money

#: How each reading is named to a reader.
READING_LABELS = {"declared_sales": "declared sales", "declared_production": "declared production"}
#: The table's columns: headline key -> column label.
COLUMNS = {"junta_since_coup": "Junta since the coup ($M)", "junta_now": "Junta now ($M a year)",
           "tnla_under_tnla": "TNLA while it held Mogok ($M a year)",
           "hand_miner_income_now": "Hand-miner now ($ a month)"}


def _label(row_name: str) -> str:
    if row_name in ("prior", "weighted"):
        return {"prior": "Priors only (no observation)", "weighted": "Weighted by the data (every report)"}[row_name]
    reading = row_name.split(": ", 1)[1]
    return f"Read as {READING_LABELS.get(reading, reading.replace('_', ' '))} only"


def readings_table(headlines: pd.DataFrame) -> pd.DataFrame:
    """One row per reading (and the priors, and the weighted): its prior and posterior weight and the
    headlines, money in millions, the since-coup total with its 90% interval."""
    rows = []
    for name, h in headlines.iterrows():
        rows.append({"Reading": _label(str(name)),
                     "Prior weight": "" if pd.isna(h["prior_weight"]) or name == "weighted" else f"{h['prior_weight']:.0%}",
                     "Weight from the data": "" if pd.isna(h["posterior_weight"]) or name == "weighted"
                     else f"{h['posterior_weight']:.0%}",
                     COLUMNS["junta_since_coup"]: f"{h['junta_since_coup'] / 1e6:,.0f} ({h['junta_since_coup_p5'] / 1e6:,.0f}"
                                                  f"-{h['junta_since_coup_p95'] / 1e6:,.0f})",
                     COLUMNS["junta_now"]: f"{h['junta_now'] / 1e6:,.1f}",
                     COLUMNS["tnla_under_tnla"]: f"{h['tnla_under_tnla'] / 1e6:,.1f}",
                     COLUMNS["hand_miner_income_now"]: f"{h['hand_miner_income_now']:,.0f}"})
    return pd.DataFrame(rows).set_index("Reading")


def readings_table_meta(headlines: pd.DataFrame) -> dict:
    return {"name": "readings", "units": "USD (millions where said); weights as shares",
            "data": headlines.rename_axis("reading").reset_index(),
            "caption": "The headlines under each reading of the official figure alone, from the priors alone, and "
                       "weighted by how well each reading predicts the observations (the numbers every report "
                       "shows). The junta's take since the coup with its 90% interval: each reading's from "
                       f"{READING_DRAWS:,} draws, the weighted one's from the reports' own."}


#: For each structural reading: the question, what each end means, the evidence, and the parameter's prior.
_STRUCTURAL_WORDS: dict[str, dict[str, str]] = {
    "extortion_per_head_share": {
        "question": "How extortion is levied", "low": "a share of informal sales",
        "high": "fees, bribes, ransoms and seizures per miner a year",
        "evidence": "Rubies are easy to hide, and armed groups tax concealable output per head rather than by value "
                    "(Sanchez de la Sierra, 2020); the TNLA charged Mogok's miners a flat fee and the junta's documented "
                    "levies on gem traders are per person and per event, but no source measures either reading in Mogok.",
        "parameter": "the per-head part of extortion (h, uniform from 0 to 1",
        "unreached": "No observation reaches how extortion is levied directly (the headcounts do, through who digs, "
                     "only weakly)"},
    "open_access_share": {
        "question": "Who digs", "low": "as many people as the scenario counts, whatever digging pays",
        "high": "until digging pays what a wage does, times a premium for its danger or its lottery",
        "evidence": "Under open access a levy on finds drives diggers away and lowers output, and a mean income far "
                    "above the wage draws more diggers until it falls; under a fixed count a levy moves only income. "
                    "Miners say they \"can earn as much as they work\", but no source counts how many came or left "
                    "as levies changed.",
        "parameter": "the share of the entry response (o, uniform from 0 to 1",
        "unreached": "The headcounts observed after the coup reach who digs only weakly"},
    "concessions_leased_share": {
        "question": "What the military's mining concessions earn it",
        "low": "its enterprises work the blocks and keep its share of the profits",
        "high": "they let the blocks to private operators for a rent, and the lessees keep the rest",
        "evidence": "Myanmar Now (2020) reports that MEHL leases most of its mining concessions to private operators, "
                    "and gem blocks are let for three years at a time, but no source says which of the military's Mogok "
                    "stakes are worked and which are let.",
        "parameter": "the leased part of the military's stakes (ω, uniform from 0 to 1, with a rent of 30-90% of the "
                     "profits",
        "unreached": "No observation reaches who works the military's concessions"},
}


def _structural_paragraph(headlines: pd.DataFrame, parameter: str, names: dict[str, float]) -> str:
    """A structural reading (a shared parameter whose ends are the readings): what it is and what it moves."""
    rows = {name: headlines.loc[f"{parameter}: {name}"] for name in names}
    (low_name, low), (high_name, high) = rows.items()
    words = _STRUCTURAL_WORDS[parameter]
    moved = abs(high["posterior_weight"] - high["prior_weight"]) >= 0.05
    verdict = (f"The data moved the weights to {low['posterior_weight']:.0%} and {high['posterior_weight']:.0%}."
               if moved else f"{words['unreached']}, so the data leave the weights where the priors put them: this "
                             "is a question the evidence has not answered.")
    return (f"**{words['question']}** is another question the evidence cannot settle: {low_name} ({words['low']}) or "
            f"{high_name} ({words['high']}). {words['evidence']} The model carries both as the ends of one shared "
            f"parameter, {words['parameter']}: prior weights {low['prior_weight']:.0%} and "
            f"{high['prior_weight']:.0%}). {verdict} Read wholly as {low_name}, the junta's take since the coup would "
            f"be {money(low['junta_since_coup'])}; wholly as {high_name}, {money(high['junta_since_coup'])}.")


def readings_markdown(calib: Calibration, headlines: pd.DataFrame) -> str:
    """What the readings are, how the data weighed them, and how far the answer depends on them."""
    parts = [] if calib.readings else ["No observation in the likelihood is carried under more than one reading."]
    for observable in dict.fromkeys(r["observable"] for r in calib.readings):
        rows = [r for r in calib.readings if r["observable"] == observable]
        title = calib.observables[observable].title
        best = max(rows, key=lambda r: r["posterior_weight"])
        readings = "\n".join(f"- **Read as {READING_LABELS.get(r['reading'], r['reading'])}** (prior weight "
                             f"{r['prior_weight']:.0%}, from the data {r['posterior_weight']:.0%}): {r['note']}" for r in rows)
        label = READING_LABELS.get(best["reading"], best["reading"])
        parts.append(f"*{title}* can be read more than one way, and the evidence cannot settle which:\n\n{readings}\n\n"
                     "The calibration carries every reading and weighs them by how well each predicts the observation "
                     "(Bayesian model averaging: the reading is an unknown like a parameter, summed out). The "
                     f"observation is about {best['bayes_factor']:.1f} times as likely read as {label} as read the "
                     "other way, averaged over the priors. The weights depend on those priors (a reading that fits "
                     "without moving them gains), so they are evidence, not proof.")
    parts += [_structural_paragraph(headlines, parameter, names) for parameter, names in STRUCTURAL_READINGS.items()
              if any(f"{parameter}: {name}" in headlines.index for name in names)]
    low, high = headlines["junta_since_coup"].drop(["prior", "weighted"]).agg(["min", "max"])
    weighted = headlines.loc["weighted", "junta_since_coup"]
    width = headlines.loc["weighted", "junta_since_coup_p95"] - headlines.loc["weighted", "junta_since_coup_p5"]
    against = "less than" if high - low < width else "as much as or more than"
    parts.append(f"Every report shows the weighted numbers. The junta's take since the coup is {money(weighted)} "
                 f"weighted, {money(low)} to {money(high)} under one reading alone: the choice of reading moves it "
                 f"{against} its own 90% interval is wide.")
    return "\n\n".join(parts)


__all__ = ["readings_markdown", "readings_table", "readings_table_meta"]
