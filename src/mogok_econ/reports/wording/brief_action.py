"""The parts of the brief a reader acts on, in English and Burmese: the month-by-month chart's labels, the
channels of the junta's take now and the policies that reach each (from the levers' data:
analysis/lever_channels.py), the take since the junta re-entered Mogok, the named targets with their
designation status by jurisdiction (data/sanctions_targets.yaml), where the stones go (only what the data
holds with sources), and how confident each headline is. Phrases live in translations/brief.yaml."""
from __future__ import annotations

import pandas as pd

from ...analysis.lever_channels import levers_by_channel, reaches_volume
from ...inputs.sanctions_targets import SANCTIONERS
from ...results.summary import is_feasible
from .brief import Brief

#: How wide an interval may be (its upper end over its lower end) for each confidence grade; wider is
#: "very_wide". One rule for every headline.
GRADES = (("firm", 3.0), ("wide", 6.0))
#: After a policy's short name in the channels chart: feasible under the scenario in force (the caption says so).
FEASIBLE_MARK = "*"


def grade(b: Brief, low: float, high: float) -> str:
    """A headline's confidence from its interval, worded: how many times its lower end its upper end is."""
    ratio = high / low if low > 0 else float("inf")
    key = next((name for name, limit in GRADES if ratio <= limit), "very_wide")
    return b.data["grades"][key][b.language]


def ratio(b: Brief, low: float, high: float) -> str:
    return b.n.digits(f"{high / low:,.0f}") if low > 0 else "∞"


# --- the month-by-month chart -----------------------------------------------------------------------------

def monthly(b: Brief) -> tuple[pd.Series, pd.DataFrame]:
    """The junta's take in each month since the coup (central estimate) and its P5/P95, USD in the month."""
    months = b.s.junta_monthly
    return months["point"], months[["p5", "p50", "p95"]]


def tnla_start(b: Brief):
    """The day the TNLA took Mogok: the first timeline period under a TNLA scenario (None without one)."""
    return next((p.start for p in b.s.timeline.periods if p.scenario.startswith("tnla")), None)


def months_chart_inputs(b: Brief) -> dict:
    markers = []
    taken = tnla_start(b)
    if taken is not None:
        markers.append((pd.Period(taken, freq="M"), b.phrase("marker_tnla", day=b.n.day(taken))))
    markers.append((pd.Period(b.return_date(), freq="M"), b.phrase("marker_return", day=b.n.day(b.return_date()))))
    labels = {key: b.phrase(f"months_{key}") for key in ("observed", "projected", "unit")}
    labels["band"] = b.phrase("months_band", level=b.level)
    point, band = monthly(b)
    return {"monthly": point, "band": band, "evidence_month": pd.Period(b.s.evidence_to, freq="M"),
            "markers": markers, "labels": labels, "language": b.language,
            "digits": b.n.digits if b.language == "my" else None}


def months_caption(b: Brief) -> str:
    return b.phrase("months_caption", level=b.level, evidence_month=b.n.month(pd.Period(b.s.evidence_to, freq="M")))


def months_alt(b: Brief) -> str:
    point, _ = monthly(b)
    return b.phrase("months_alt", first=b.n.month(point.index[0]), last=b.n.month(point.index[-1]),
                    high=b.n.money(point.max() * 12), high_month=b.n.month(point.idxmax()),
                    evidence_month=b.n.month(pd.Period(b.s.evidence_to, freq="M")))


def since_return(b: Brief) -> str:
    """The junta's take since it re-entered Mogok, dated."""
    q = b.s.since_return
    return b.phrase("since_return", return_date=b.n.day(b.return_date()), total=b.n.money(q["point"]),
                    last_month=b.n.month(b.s.last_month), **b.interval(q["p5"], q["p95"]))


# --- the channels and the policies that reach them ------------------------------------------------------

def channel_shares(b: Brief) -> pd.Series:
    channels = b.s.junta_channels_now
    total = channels.sum()
    return channels / total if total > 0 else channels * 0.0


def lever_short(b: Brief, name: str) -> str:
    return b.data["levers_short"][name][b.language]


def reaching(b: Brief) -> tuple[dict[str, list[str]], list[str], list[str]]:
    """The policies that reach each channel, numbered (a mark after those feasible now), from the levers that
    apply to the scenario in force: numbers by channel, the key (number and short name, in number order),
    and the numbers of the policies that move every channel through volume and price. Numbers run in the
    order the policies first appear down the chart (largest channel first)."""
    usable = b.s.usable_levers
    shares = channel_shares(b).sort_values(ascending=False, kind="stable")
    named = levers_by_channel(usable, shares.index)
    order = list(dict.fromkeys([n for c in shares.index for n in named[c]] + [lever.name for lever in usable
                                                                                if reaches_volume(lever)]))
    feasible = {lever.name for lever in usable if is_feasible(lever, b.s.current)}

    def number(name: str) -> str:
        return b.n.digits(str(order.index(name) + 1)) + (FEASIBLE_MARK if name in feasible else "")

    key = [f"{number(name)} {lever_short(b, name)}" for name in order]
    volume = sorted((lever.name for lever in usable if reaches_volume(lever)), key=order.index)
    return {c: [number(n) for n in names] for c, names in named.items()}, key, [number(n) for n in volume]


def comma(b: Brief) -> str:
    """Between the items of a short list: the Burmese comma in Burmese, never a Latin one."""
    return "၊ " if b.language == "my" else ", "


def channels_chart_inputs(b: Brief) -> dict:
    levers, _, _ = reaching(b)
    return {"shares": channel_shares(b), "channel_labels": {c: v[b.language] for c, v in b.data["channels_short"].items()},
            "levers": levers, "separator": comma(b), "heads": (b.phrase("channels_head_share"), b.phrase("channels_head_levers")),
            "none_label": b.phrase("channels_none"), "percent": b.n.share, "language": b.language}


def channels_caption(b: Brief) -> str:
    _, key, volume = reaching(b)
    text = b.phrase("channels_caption", current=b.scenario(b.s.current.name), policies=b.phrase("list_separator").join(key))
    if volume:
        text += " " + b.phrase("channels_volume", levers=comma(b).join(volume))
    return text


def channels_alt(b: Brief) -> str:
    shares = channel_shares(b)
    named = levers_by_channel(b.s.usable_levers, shares.index)
    items = b.phrase("list_separator").join(
        b.phrase("channels_alt_item", channel=b.data["channels_short"][c][b.language], share=b.n.share(v),
                 levers=comma(b).join(lever_short(b, n) for n in named[c]) or b.phrase("channels_none"))
        for c, v in shares.sort_values(ascending=False).items() if v >= 0.005)
    return b.phrase("channels_alt", items=items)


def channels_data(b: Brief) -> pd.DataFrame:
    """The channels chart's numbers (the brief's language): each channel's share and the policies reaching it."""
    shares = channel_shares(b)
    named = levers_by_channel(b.s.usable_levers, shares.index)
    frame = pd.DataFrame({"Share of the junta's take": shares,
                          "US$ million a year": b.s.junta_channels_now / 1e6,
                          "Policies that reach it": ["; ".join(lever_short(b, n) for n in named[c]) for c in shares.index]})
    frame.index = [b.data["channels_short"][c][b.language] for c in shares.index]
    frame.index.name = "Channel"
    return frame[shares.to_numpy() > 0]


# --- who to act on, and where the stones go ---------------------------------------------------------------

def status(b: Brief, sanction) -> str:
    """One jurisdiction's answer for one target: listed (month, year), covered as owned by a listed entity,
    not found in the sources read, or not checked (the data has no entry for it)."""
    if sanction is None:
        return b.phrase("status_not_checked")
    if sanction.status == "not_confirmed":
        return b.phrase("status_not_found")
    month = b.n.month(pd.Period(sanction.date, freq="M"))
    return b.phrase("status_covered" if sanction.status == "covered" else "status_listed", month=month)


def target_name(b: Brief, target) -> str:
    """A target's full name in the brief's language: the data's own in English; in Burmese the name Burmese
    readers know it by (translations `targets`), or the data's where the translations have none."""
    if b.language == "en":
        return target.name
    return b.data.get("targets", {}).get(target.short, {}).get(b.language, target.name)


def targets(b: Brief) -> list[dict]:
    """The targets table: each entity (short name) and its status under each jurisdiction, in SANCTIONERS order."""
    rows = []
    for t in b.world.sanctions_targets.targets:
        by = {s.by: s for s in t.sanctions}
        rows.append({"short": t.short, "name": target_name(b, t), "cells": [status(b, by.get(who)) for who in SANCTIONERS]})
    return rows


def jurisdictions(b: Brief) -> list[str]:
    return [b.data["jurisdictions"][who][b.language] for who in SANCTIONERS]


def targets_intro(b: Brief) -> str:
    names = b.phrase("list_separator").join(f"{target_name(b, t)} ({t.short})" for t in b.world.sanctions_targets.targets)
    return b.phrase("targets_intro", names=names)


def _cited(b: Brief, ids) -> str:
    """The sources as 'publisher year', listed with the language's comma (the Burmese one between Myanmar digits)."""
    bibliography = b.world.bibliography
    return comma(b).join(dict.fromkeys(f"{bibliography[i].publisher or bibliography[i].title} {bibliography[i].date[:4]}"
                                   for i in ids))


def chokepoints(b: Brief) -> str:
    """Where the stones go and where they are cut, as far as the data says with sources; a role without
    any entry is said to be unknown, not left out."""
    points = b.world.sanctions_targets.chokepoints
    out = []
    for role in ("buy", "cut"):
        here = [c for c in points if c.role == role]
        if not here:
            out.append(b.phrase(f"chokepoints_{role}_unknown"))
            continue
        places = b.phrase("list_separator").join(b.data["places"][c.place][b.language] for c in here)
        out.append(b.phrase(f"chokepoints_{role}", places=b.n.digits(places),
                            sources=b.n.digits(_cited(b, (i for c in here for i in c.sources)))))
    return " ".join(out)


# --- how confident ----------------------------------------------------------------------------------------

def confidence(b: Brief) -> list[str]:
    """One line per headline: the total since the coup, the take now, where it comes from, the top policy."""
    s = b.s
    q, parts = s.since_coup, s.since_coup_parts
    projected = parts.loc["projected", "point"] / q["point"] if q["point"] > 0 else 0.0
    now = s.current_takes.loc["junta"]
    span = s.reading_range()
    readings = "" if span is None else " " + b.phrase("confidence_readings", low=b.n.money(span[0]), high=b.n.money(span[1]))
    lines = [
        b.phrase("confidence_since_coup", grade=grade(b, q["p5"], q["p95"]), ratio=ratio(b, q["p5"], q["p95"]),
                 projected=b.n.share(projected)) + readings,
        b.phrase("confidence_now", grade=grade(b, now["p5"], now["p95"]), ratio=ratio(b, now["p5"], now["p95"]),
                 return_date=b.n.day(b.return_date())),
        b.phrase("confidence_channels"),
    ]
    best = s.best_lever
    if best is not None:
        beats = best.get("p_beats_next")
        lines.append(b.phrase("confidence_lever", grade=grade(b, best["denied_p5"], best["denied_p95"]),
                              ratio=ratio(b, best["denied_p5"], best["denied_p95"]),
                              beats=b.n.share(beats) if pd.notna(beats) else "–"))
    return lines
