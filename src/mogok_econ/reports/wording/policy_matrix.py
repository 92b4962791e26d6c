"""The wording of the policy report's matrix (every lever under every scenario), its ownership levers
and sanctions targets, and its counterfactual history; with a one-line caption for each chart and table."""
from __future__ import annotations

import pandas as pd

from ...inputs.sanctions_targets import SANCTIONERS
from ...results.bundles import PolicyResults
from ..display import ref, styled, text
from ..formatting import interval, money
from .policy import move_words

CAPTIONS = {
    "matrix_table_since_coup": "Junta dollars denied by each lever under each scenario since the coup, US$ million a "
                               "year, central estimate (90% interval); * not feasible there; - cannot be applied.",
    "matrix_table_other": "The same before the coup and under the hypothetical reform.",
    "matrix_chart": "Junta dollars denied by each lever under each scenario (central estimate, US$ million a year); "
                    "hatched cells: not feasible there; blank: cannot be applied.",
    "targets_table": "Who holds the junta's stakes in Mogok's mines, and the sanctions already on each (date in force).",
    "history_chart": "The junta's cumulative take since the coup, as it was and had the lever been in force "
                     "(central estimates, with 90% intervals of the same paired draws).",
}


def caption(key: str) -> str:
    return f"*{CAPTIONS[key]}*"


def _m(usd: float) -> str:
    """US$ million to one decimal, without a minus sign on a rounded zero."""
    text = f"{usd / 1e6:.1f}"
    return "0.0" if text == "-0.0" else text


def matrix_groups(r: PolicyResults) -> dict[str, list]:
    """The matrix's scenarios in two tables that fit a page: those since the coup, and the others (before
    it, and the hypothetical reform)."""
    since = [s for s in r.matrix_scenarios if s.period_start >= "2021-02" and s.name in r.timeline_scenarios]
    return {"since_coup": since, "other": [s for s in r.matrix_scenarios if s not in since]}


def matrix_table(r: PolicyResults, group: str = "since_coup") -> pd.DataFrame:
    """Levers (rows, by title) by scenarios (columns, chronological, by title): junta dollars denied,
    US$ M a year, central estimate with the 90% interval; * not feasible there; - cannot be applied."""
    frame = r.matrix
    out = {}
    for s in matrix_groups(r)[group]:
        column = []
        for lever in dict.fromkeys(frame.index.get_level_values(0)):
            row = frame.loc[(lever, s.name)]
            if not row["applicable"]:
                column.append("-")
                continue
            text = (f"{_m(row['junta_denied'])} ({_m(row['junta_denied_p5'])} to {_m(row['junta_denied_p95'])})")
            column.append(text + ("" if row["feasible"] else " *"))
        out[s.title] = column
    titles = frame.reset_index().drop_duplicates("lever")["lever_title"].to_list()
    table = pd.DataFrame(out, index=titles)
    table.index.name = "Lever"
    return table


def matrix_table_formatted(r: PolicyResults, group: str = "since_coup"):
    return styled(matrix_table(r, group), {}, uuid=f"lever_matrix_{group}")


def matrix_findings(r: PolicyResults) -> str:
    """Which feasible lever ranks first (RANKING_CRITERION) under each scenario where the junta takes anything."""
    frame = r.matrix
    lines = []
    for s in r.matrix_scenarios:
        cells = frame.xs(s.name, level="scenario")
        ok = cells[cells["applicable"] & cells["feasible"].astype(bool) & (cells["junta_denied"] > 1e-6)]
        if ok.empty:
            lines.append(f"- **{text(s.title)}**: no feasible lever reduces the junta's take.")
            continue
        best = ok.sort_values("rank").iloc[0]
        miners = best["miners"]
        cost = "while miners gain" if miners >= 0 else "at a cost to miners of"
        lines.append(f"- **{text(s.title)}**: {text(best['lever_title'])} denies the junta {money(best['junta_denied'])} a year "
                     f"(90% interval {interval(best['junta_denied_p5'], best['junta_denied_p95'])}) {cost} "
                     f"{money(abs(miners))}.")
    return (f"The feasible lever ranked first under each scenario, by the report's one criterion "
            f"({ref('matrix-since-coup', 'table')}, {ref('matrix-other', 'table')} and {ref('matrix')}):\n\n"
            + "\n".join(lines))


def ownership_text(r: PolicyResults) -> str:
    """The ownership levers: what they move, and the junta's stake they act on."""
    moving = [lever for lever in r.described if lever.moves]
    if not moving:
        return "No ownership lever is among the levers of this report."
    parts = ["Much of the junta's take in the scenarios it holds comes from its stakes in the mines, held through "
             "the military conglomerates (named in the table below). These levers act on those stakes; a transfer of "
             "ownership destroys no value, unlike a price cut:", ""]
    for lever in moving:
        moves = "; ".join(move_words(m) for m in lever.moves)
        parts.append(f"- **{text(lever.title)}**: {moves}.")
    return "\n".join(parts)


def targets_table(r: PolicyResults) -> pd.DataFrame:
    """One row per target: what it holds, and each sanctioner's measure with its date."""
    rows = []
    for t in r.targets.targets:
        row = {"Target": f"{t.name} ({t.short})", "What it is": t.kind}
        by = {s.by: s for s in t.sanctions}
        for who in SANCTIONERS:
            s = by.get(who)
            if s is None:
                row[who] = "not checked"
            elif s.status == "not_confirmed":
                row[who] = "not found"
            else:
                row[who] = f"{s.date.day} {s.date:%b %Y}" + (" (as owned by a listed entity)" if s.status == "covered" else "")
        rows.append(row)
    return pd.DataFrame(rows).set_index("Target")


def targets_numbers(r: PolicyResults) -> pd.DataFrame:
    """The targets table for the CSV and the workbook: each sanctioner's date as a date (empty where not
    confirmed) and, beside it, how the target is covered (listed, as owned by a listed entity, not found, or
    not checked where the data has no entry)."""
    rows = []
    for t in r.targets.targets:
        row = {"Target": f"{t.name} ({t.short})", "What it is": t.kind}
        by = {s.by: s for s in t.sanctions}
        for who in SANCTIONERS:
            s = by.get(who)
            confirmed = s is not None and s.status != "not_confirmed"
            row[f"{who} date"] = s.date.isoformat() if confirmed else None
            row[f"{who} how"] = (("as owned by a listed entity" if s.status == "covered" else "listed")
                                 if confirmed else "not checked" if s is None else "not found")
        rows.append(row)
    return pd.DataFrame(rows).set_index("Target")


def targets_table_formatted(r: PolicyResults):
    return styled(targets_table(r), {}, uuid="sanctions_targets")


def targets_notes(r: PolicyResults) -> str:
    """What each target holds, the disagreements between sources, and what the file leaves out."""
    lines = [f"- **{text(t.short)}**: {text(t.holds)}" for t in r.targets.targets]
    for t in r.targets.targets:
        for s in t.sanctions:
            for day, _sources, note in s.other_dates:
                lines.append(f"- {text(t.short)}, {text(s.by)}: another date, {day.day} {day:%B %Y}: {text(note)}")
    return "\n".join(lines) + ("\n\n" + text(r.targets.note) if r.targets.note else "")


def history_sentence(r: PolicyResults) -> str:
    """The counterfactual since the coup in one paragraph, with how infeasible periods were treated."""
    h = r.history
    if h is None:
        return "No lever was both feasible under this scenario and effective, so there is no counterfactual history."
    names = " and ".join(f"**{text(lever.title)}**" for lever in h.levers)
    totals = h.totals()
    j = totals.loc["junta"]
    end = h.months[-1].strftime("%B %Y")
    sentence = (f"Had {names} been in force from {h.since.day} {h.since:%B %Y} to the end of the data ({end}), "
                f"the junta would have kept {money(j['counterfactual_point'])} (90% interval "
                f"{interval(j['counterfactual_p5'], j['counterfactual_p95'])}) instead of {money(j['actual_point'])} "
                f"({interval(j['actual_p5'], j['actual_p95'])}): a change of {money(j['change_point'])} "
                f"({interval(j['change_p5'], j['change_p95'])}, draw by draw).")
    for take, words in (("armed_groups", "the armed groups"), ("miners", "the miners")):
        row = totals.loc[take]
        sentence += (f" For {words} the change is {money(row['change_point'])} "
                     f"({interval(row['change_p5'], row['change_p95'])}).")
    what_if = [text(t.title) for t in h.treatments if t.infeasible]
    left = [text(t.title) for t in h.treatments if t.left_out]
    if what_if:
        sentence += (" In periods whose scenario the lever is not feasible under (" + "; ".join(what_if) + ") it is "
                     "applied anyway, as a what if.")
    if left:
        sentence += " It could not be applied in: " + "; ".join(left) + "."
    sentence += (" The history applies the levers' changes but not the junta's recovery of part of a loss through its "
                 "other levies, which the ranking includes: it shows the change before that response.")
    return sentence + f" {ref('history')} shows it month by month."


def history_change_band(r: PolicyResults) -> tuple[float, float, float]:
    h = r.history
    row = h.totals().loc["junta"]
    return float(row["change_point"]), float(row["change_p5"]), float(row["change_p95"])


# --- numbered figures and tables ---------------------------------------------------------------------------

def _plain(key: str) -> str:
    return CAPTIONS[key]


def matrix_numbers(r: PolicyResults) -> pd.DataFrame:
    """The matrix as numbers (the CSV behind its tables and chart): one row per lever and scenario."""
    frame = r.matrix.reset_index()
    titles = {s.name: s.title for s in r.matrix_scenarios}
    out = pd.DataFrame({
        "Lever": frame["lever_title"], "Scenario": frame["scenario"].map(titles),
        "Applicable": frame["applicable"].astype(bool), "Feasible": frame["feasible"].astype(bool),
        "Junta $ denied (central, US$ M/yr)": frame["junta_denied"] / 1e6,
        "Junta $ denied P5": frame["junta_denied_p5"] / 1e6, "Junta $ denied P95": frame["junta_denied_p95"] / 1e6,
        "Miners: change (US$ M/yr)": frame["miners"] / 1e6})
    return out.set_index(["Lever", "Scenario"])


def matrix_table_meta(r: PolicyResults, group: str) -> dict:
    data = matrix_numbers(r)
    shown = {s.title for s in matrix_groups(r)[group]}
    return {"name": f"matrix-{group.replace('_', '-')}", "caption": _plain(f"matrix_table_{group}"),
            "data": data[data.index.get_level_values("Scenario").isin(shown)],
            "units": "US$ million a year; P5 and P95 bound the 90% interval"}


def matrix_figure(r: PolicyResults) -> dict:
    data = matrix_numbers(r)
    ok = data[data["Applicable"] & data["Feasible"]]
    best = ok["Junta $ denied (central, US$ M/yr)"].idxmax() if len(ok) else None
    alt = (f"Heatmap of {data.index.get_level_values(0).nunique()} levers (rows) under "
           f"{data.index.get_level_values(1).nunique()} scenarios (columns), coloured by the junta dollars each denies, "
           "US$ million a year.")
    if best is not None:
        alt += (f" The largest feasible cell: {best[0]} under {best[1]}, "
                f"{ok.loc[best, 'Junta $ denied (central, US$ M/yr)']:.1f} million a year.")
    return {"name": "matrix", "caption": _plain("matrix_chart"), "alt": alt, "data": data,
            "units": "US$ million a year, central estimates"}


def targets_table_meta(r: PolicyResults) -> dict:
    return {"name": "targets", "caption": _plain("targets_table"), "data": targets_numbers(r),
            "units": "dates the measures came into force (YYYY-MM-DD), and how each target is covered"}


def history_numbers(r: PolicyResults) -> pd.DataFrame:
    """The junta's running take since the start date, actual, counterfactual and the difference (US$ M)."""
    h = r.history
    parts = {which: h.cumulative("junta", which) for which in ("actual", "counterfactual", "change")}
    keep = parts["actual"].index >= pd.Period(h.since, freq="M")
    out = pd.DataFrame({f"{which} {q}": frame[q][keep] / 1e6 for which, frame in parts.items() for q in ("point", "p5", "p95")})
    out.index = out.index.astype(str)
    out.index.name = "Month"
    return out


def history_figure(r: PolicyResults) -> dict:
    h = r.history
    j = h.totals().loc["junta"]
    names = " and ".join(lever.title for lever in h.levers)
    alt = (f"Line chart of the junta's cumulative take since {h.since:%B %Y}: as it was, {money(j['actual_point'])} by "
           f"{h.months[-1]:%B %Y}; had {names} been in force, {money(j['counterfactual_point'])}; the difference "
           f"{money(j['change_point'])} (90% interval {interval(j['change_p5'], j['change_p95'])}).")
    return {"name": "history", "caption": _plain("history_chart"), "alt": alt, "data": history_numbers(r),
            "units": "US$ million, cumulative since the start date; point is the central estimate, P5-P95 the 90% interval"}


__all__ = [
    "CAPTIONS",
    "caption",
    "history_figure",
    "history_numbers",
    "history_sentence",
    "matrix_figure",
    "matrix_findings",
    "matrix_numbers",
    "matrix_table",
    "matrix_table_formatted",
    "matrix_table_meta",
    "ownership_text",
    "targets_notes",
    "targets_table",
    "targets_table_formatted",
    "targets_table_meta",
]
