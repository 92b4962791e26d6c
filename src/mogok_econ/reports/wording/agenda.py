"""The wording of the research agenda (docs/model.md, "The research agenda"): which parameters, if known,
would most narrow the junta's take since the coup, how weak the evidence behind each is, and the caveat that
the indices are not additive. Shown by the calibration report and the comparison report."""
from __future__ import annotations

import pandas as pd

from ..display import ref, text
from ..formatting import money
from .calibration import lower_first, parameter_label

#: What evidence would move a parameter up one grade, by its weakest grade now.
NEXT_EVIDENCE = {
    "assumption": "any measurement at all",
    "press report or interview": "an official record or a published investigation",
    "investigation with figures": "an official record or an audit",
    "official record or audit": "a second, independent record",
}


#: How the agenda table's numbers read.
AGENDA_FORMATS = {"First-order index": "{:.2f}", "Priority": "{:.2f}"}


def agenda_frame(ag: dict, top: int = 10) -> pd.DataFrame:
    rows = ag["parameters"][:top]
    frame = pd.DataFrame({"First-order index": [p["first_order"] for p in rows],
                          "Priority": [p["priority"] for p in rows],
                          "Evidence (weakest)": [p["grade"] for p in rows],
                          "Evidence (strongest)": [p["best_grade"] for p in rows]},
                         index=[parameter_label(p["owner"], p["parameter"], ag.get("owner_titles")) for p in rows])
    frame.index.name = "Parameter"
    return frame


def agenda_table(ag: dict, top: int = 10) -> pd.DataFrame:
    frame = agenda_frame(ag, top)
    frame.insert(0, "Rank", [p["rank"] for p in ag["parameters"][:top]])
    frame["What evidence would help"] = [NEXT_EVIDENCE[p["grade"]] for p in ag["parameters"][:top]]
    return frame


def agenda_table_meta(ag: dict, top: int = 10) -> dict:
    data = pd.DataFrame(ag["parameters"]).set_index(["owner", "parameter"])
    data["sources"] = data["sources"].map(", ".join)
    return {"name": "agenda", "units": "indices 0 to 1", "data": data,
            "caption": f"The research agenda: the {top} parameters ranked by how much knowing each would narrow the "
                       "junta's take since the coup (first-order index) times the weakness of its evidence (the data "
                       "has every parameter and its sources)."}


def agenda_figure(ag: dict, top: int = 10) -> dict:
    frame = agenda_frame(ag, top)
    parts = "; ".join(f"{lower_first(label)} {row['First-order index']:.2f} ({row['Evidence (weakest)']})"
                      for label, row in frame.head(5).iterrows())
    return {"name": "agenda-indices", "units": "share of the variance of the junta's take since the coup, 0 to 1",
            "data": frame[["First-order index", "Priority"]],
            "caption": "How much of the uncertainty in the junta's take since the coup each parameter accounts for on "
                       "its own (first-order index), coloured by the grade of its evidence; the ten highest priorities.",
            "alt": f"Bar chart of first-order indices on the junta's take since the coup, by priority; the first five: {parts}."}


AGENDA_CAVEAT = ("These indices are **not additive** when the posterior is correlated (the calibration correlates the "
                 "gross value, the formal share, the declared-value ratio and Mogok's share of the national figures): "
                 "their sum need not be 1 (here it is {total:.2f}), and a parameter that enters no equation of the "
                 "junta's take can score through its correlation with one that does.")


def _evidence(p: dict) -> str:
    if p["grade"] == p["best_grade"]:
        return f"its evidence: {p['grade']}"
    return f"its evidence is at best {p['best_grade']} and at worst {p['grade']}"


def agenda_markdown(ag: dict, top: int = 3) -> str:
    """What evidence would most change the answer: the junta's take since the coup, its top parameters, their
    evidence, and the caveat on the indices."""
    q = ag["junta_since_coup_usd"]
    central = q.get("point", q["p50"])  # the central estimate, as every report gives it (the CLI's agenda: P50)
    lines = [f"**What evidence would most change this answer?** The answer here is the junta's take since the coup of "
             f"1 February 2021: {money(central)} (90% interval {money(q['p5'])} to {money(q['p95'])}), month by month "
             f"from the timeline, under the calibrated posterior ({ag['method']}). Each parameter's first-order index is "
             "the share of its variance that knowing that parameter exactly would remove; the priority weighs it by "
             f"how weak the evidence behind the parameter is ({ref('agenda-indices')}, {ref('agenda', 'table')}):", ""]
    for p in ag["parameters"][:top]:
        label = parameter_label(p["owner"], p["parameter"], ag.get("owner_titles"))
        lines.append(f"{p['rank']}. **{text(label)}**: first-order index "
                     f"{p['first_order']:.2f}; {_evidence(p)}. "
                     f"What would help: {NEXT_EVIDENCE[p['grade']]}.")
    lines += ["", AGENDA_CAVEAT.format(total=ag["sum_of_first_order"])]
    return "\n".join(lines)
