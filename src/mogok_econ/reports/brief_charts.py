"""The brief's two charts, drawn from numbers and labels already worded (English or Burmese), so the charts
know no language: the junta's take month by month since the coup, observed and projected months told apart;
and the channels of the junta's take now, each with the policies that reach it. The policy report draws the
channels chart too (English)."""
from __future__ import annotations

import textwrap
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .charts import ACTOR_COLOURS, NEUTRAL, WIDTH, style
from .summary_chart import font_family

#: A channel under this share of the junta's take is left off the channels chart (it would be a hairline).
SMALLEST_CHANNEL = 0.005
#: The channels chart's layout, as shares of its plot's width: where the longest bar ends, where the
#: policies' names begin, and how many characters of them fit on a line.
BARS_END, LEVERS_AT, LEVERS_WIDTH = 0.4, 0.55, 60


def _fonts(language: str) -> None:
    style()
    plt.rcParams["font.family"] = list(font_family(language))


def months_chart(monthly: pd.Series, band: pd.DataFrame, evidence_month: pd.Period, markers: list[tuple[pd.Period, str]],
                 labels: dict[str, str], language: str = "en", digits: Callable[[str], str] | None = None) -> plt.Figure:
    """The junta's take month by month (US$ million a month): the central estimate as a line, its 90% band
    shaded; the months after `evidence_month` (the newest evidence) dashed on a grey ground, labelled as a
    projection. `markers`: (month, label) drawn as a dotted line with the label at the top. `labels`: the
    worded "observed", "projected", "band" and "unit". `digits`: how the axes write their numbers (the
    Burmese edition's Myanmar digits, as its text writes them); None keeps them as they are."""
    _fonts(language)
    fig, ax = plt.subplots(figsize=(WIDTH, 2.35))
    x = monthly.index.to_timestamp()
    colour = ACTOR_COLOURS["junta"]
    millions = monthly.to_numpy() / 1e6
    ax.fill_between(x, band["p5"] / 1e6, band["p95"] / 1e6, color=colour, alpha=0.22, lw=0, label=labels["band"])
    seen = np.array([m <= evidence_month for m in monthly.index])
    ax.plot(x[seen], millions[seen], color=colour, lw=1.8, label=labels["observed"])
    if (~seen).any():
        last = int(seen.sum()) - 1
        ax.axvspan((evidence_month + 1).to_timestamp(), x[-1], color=NEUTRAL, alpha=0.12, lw=0)
        ax.plot(x[max(last, 0):], millions[max(last, 0):], color=colour, lw=1.8, ls="--", label=labels["projected"])
    ax.set_ylim(bottom=0)
    top = ax.get_ylim()[1]
    for i, (month, text) in enumerate(markers):
        at = month.to_timestamp()
        ax.axvline(at, color="#333333", lw=0.7, ls=":")
        ax.text(at, top * (0.97 - 0.16 * (i % 2)), text, fontsize=7, ha="right", va="top",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
    ax.set_ylabel(labels["unit"], fontsize=7.5)
    ax.tick_params(labelsize=7.5)
    ax.set_xlim(x[0], x[-1])
    if digits is not None:
        from matplotlib.ticker import FuncFormatter

        years = ax.xaxis.get_major_formatter()  # the dates as matplotlib picks them, then in the edition's digits
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: digits(years(v, pos))))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: digits(f"{v:g}")))
    fig.legend(loc="outside lower center", ncol=3, fontsize=7.5)
    return fig


def channels_chart(shares: pd.Series, channel_labels: dict[str, str], levers: dict[str, list[str]],
                   heads: tuple[str, str], none_label: str, percent: Callable[[float], str],
                   language: str = "en", separator: str = ", ") -> plt.Figure:
    """Horizontal bars: each channel's share of the junta's take (largest on top), the share at the bar's
    end and, to the right, the policies that reach the channel (`levers`, worded), or `none_label`. `heads`:
    the two columns' headings (the shares, the policies); `separator` goes between a channel's policies."""
    _fonts(language)
    shown = shares[shares >= SMALLEST_CHANNEL].sort_values(ascending=False, kind="stable")
    n = len(shown)
    words = {c: textwrap.fill(separator.join(levers[c]), LEVERS_WIDTH) if levers.get(c) else none_label for c in shown.index}
    lines = max((w.count("\n") + 1 for w in words.values()), default=1)  # a row holds its longest list of policies
    fig, ax = plt.subplots(figsize=(WIDTH, (0.24 if language == "en" else 0.3) * max(1.0, 0.8 * lines) * n + 0.3))
    y = np.arange(n)[::-1]
    scale = BARS_END / max(float(shown.max()), 1e-9)  # the largest bar ends at BARS_END, the policies after it
    ax.barh(y, shown.to_numpy() * scale, color=ACTOR_COLOURS["junta"], height=0.62)
    for yi, (channel, value) in zip(y, shown.items()):
        ax.text(value * scale + 0.01, yi, percent(value), va="center", fontsize=8)
        ax.text(LEVERS_AT, yi, words[channel], va="center", fontsize=8, linespacing=1.1,
                color="#1a1a1a" if levers.get(channel) else "#666666")
    ax.set_yticks(y, [channel_labels[c] for c in shown.index], fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, n - 0.1)
    for x, head in zip((0.0, LEVERS_AT), heads):
        ax.text(x, n - 0.45, head, fontsize=8, fontweight="bold", va="bottom")
    ax.set_xticks([])
    ax.grid(False)
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    return fig
