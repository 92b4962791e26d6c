"""The summary chart of the brief and the landing page: who keeps what share of a year's sales in each
scenario, in time order. Labels come in already worded (English or Burmese), so the chart knows no
language; matplotlib (3.11, with libraqm) shapes Burmese script itself, so the PNG needs no font on the
reader's machine and prints the same in a browser and in WeasyPrint (whose own SVG text is not shaped)."""
from __future__ import annotations

import base64
import io
from collections.abc import Callable
from functools import cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import font_manager

from ..core.vocabulary import ACTORS
from .charts import ACTOR_COLOURS, WIDTH, style

#: The Burmese edition's font (Debian: fonts-noto-core; `make system-deps` installs it).
MYANMAR_FONT = "Noto Sans Myanmar"


@cache
def font_family(language: str) -> tuple[str, ...]:
    """Fonts for the chart's text: DejaVu Sans as in every chart; for Burmese, Noto Sans Myanmar first
    (it lacks Latin punctuation such as '.', which falls back to DejaVu)."""
    if language != "my":
        return ("DejaVu Sans",)
    try:
        font_manager.findfont(font_manager.FontProperties(family=MYANMAR_FONT), fallback_to_default=False)
    except ValueError:
        # matplotlib's font list predates the font's installation: add the files themselves
        files = [f for f in font_manager.findSystemFonts() if "NotoSansMyanmar-" in f]
        if not files:
            raise RuntimeError(f"the Burmese brief needs the {MYANMAR_FONT} font: on Debian or Ubuntu run "
                               "`make system-deps` (it installs fonts-noto-core)") from None
        for f in files:
            font_manager.fontManager.addfont(f)
    return (MYANMAR_FONT, "DejaVu Sans")


def shares_chart(shares: pd.DataFrame, row_labels: list[str], actor_labels: dict[str, str], totals: list[str],
                 percent: Callable[[float], str], language: str = "en") -> plt.Figure:
    """100% stacked bars: rows are scenarios (top to bottom in the order given), segments each actor's share
    of the year's sales; each bar's total sales written at its right. `percent` words a share."""
    style()
    family = list(font_family(language))
    plt.rcParams["font.family"] = family
    n = len(shares)
    fig, ax = plt.subplots(figsize=(WIDTH, (0.36 if language == "en" else 0.4) * n + 1.2))
    y = np.arange(n)[::-1]
    left = np.zeros(n)
    shown = [a for a in ACTORS if (shares[a] > 0).any()]
    for actor in shown:
        values = shares[actor].to_numpy()
        ax.barh(y, values, left=left, color=ACTOR_COLOURS[actor], height=0.68, label=actor_labels[actor],
                edgecolor="white", linewidth=0.4)
        for yi, lo, v in zip(y, left, values):
            if v >= 0.09:
                dark = actor in ("junta", "pdf", "miners", "mine_owners")
                ax.text(lo + v / 2, yi, percent(v), ha="center", va="center", fontsize=7.5,
                        color="white" if dark else "black")
        left += values
    ax.set_yticks(y, row_labels, fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, n - 0.4)
    right = ax.twinx()  # the year's sales as tick labels on the right, so the layout makes room for them
    right.set_ylim(ax.get_ylim())
    right.set_yticks(y, totals, fontsize=7.5, color="#333333")
    right.tick_params(axis="y", length=0)
    right.grid(False)
    right.spines[["top", "right", "bottom", "left"]].set_visible(False)
    ax.set_xticks([])
    ax.grid(False)
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    fig.legend(loc="outside lower center", ncol=4, fontsize=7.5)
    return fig


def png_data_uri(fig: plt.Figure) -> str:
    """The figure as a PNG data URI (self-contained: the page fetches nothing), and closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
