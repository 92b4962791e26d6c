"""The calibration report's charts: prior against posterior for each parameter the data moved, and the
research agenda's first-order indices coloured by the grade of the evidence."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from ..inputs.observables import GRADES
from .charts import NEUTRAL, WIDTH, _wrap, style
from .formatting import parameter_value

PRIOR_COLOUR = "#999999"
POSTERIOR_COLOUR = "#0072B2"
#: Strongest evidence darkest: the eye goes to the pale bars, where the evidence is weakest.
GRADE_COLOURS = dict(zip(GRADES, ("#08306B", "#2171B5", "#6BAED6", "#C6DBEF")))


def _tick(key: str, v: float) -> str:
    """Short tick labels: $1,200M, 45%, 80,000."""
    text = parameter_value(key, v)
    if text.endswith(" million"):
        return text.replace(" million", "M")
    return f"{v:.0%}" if text.endswith("%") else text


def prior_posterior_chart(frame: pd.DataFrame, title: str) -> plt.Figure:
    """One panel per parameter (each on its own scale): the prior's and the posterior's 90% interval and
    median. `frame`: rows labelled for readers, columns prior_/posterior_ p5, p50, p95; attrs["keys"]."""
    style()
    n = max(len(frame), 1)
    fig, axes = plt.subplots(n, 1, figsize=(WIDTH, 0.72 * n + 0.8), squeeze=False)
    keys = frame.attrs.get("keys", list(frame.index))
    for ax, (label, row), key in zip(axes[:, 0], frame.iterrows(), keys):
        for y, which, colour in ((1, "prior", PRIOR_COLOUR), (0, "posterior", POSTERIOR_COLOUR)):
            lo, mid, hi = row[f"{which}_p5"], row[f"{which}_p50"], row[f"{which}_p95"]
            ax.hlines(y, lo, hi, color=colour, lw=7, alpha=0.8)
            ax.plot(mid, y, "D", color="white", mec="black", ms=5)
            ax.text(hi, y, f"  {parameter_value(key, mid)}", va="center", fontsize=7.5)
        ax.set_yticks([1, 0], ["prior", "posterior"], fontsize=7.5)
        ax.set_ylim(-0.7, 1.7)
        ax.set_title(_wrap([label], 90)[0], loc="left", fontsize=8.5)
        span = max(row["prior_p95"], row["posterior_p95"]) - min(row["prior_p5"], row["posterior_p5"])
        ax.set_xlim(min(row["prior_p5"], row["posterior_p5"]) - 0.05 * span,
                    max(row["prior_p95"], row["posterior_p95"]) + 0.25 * span)
        ax.xaxis.set_major_locator(MaxNLocator(6))
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _, k=key: _tick(k, v)))
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="y", visible=False)
    if frame.empty:
        axes[0, 0].text(0.5, 0.5, "No parameter moved", ha="center", va="center", color=NEUTRAL)
    fig.suptitle(title, x=0.02, ha="left", fontsize=10)
    fig.supxlabel("bar: 90% interval; diamond and label: median", fontsize=7.5)
    return fig


def agenda_chart(frame: pd.DataFrame, title: str) -> plt.Figure:
    """First-order index per parameter (rows: labels, in priority order), bars coloured by the weakest grade."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH, 0.3 * len(frame) + 1.4))
    y = np.arange(len(frame))[::-1]
    colours = [GRADE_COLOURS[g] for g in frame["Evidence (weakest)"]]
    ax.barh(y, frame["First-order index"], color=colours, edgecolor="black", lw=0.4, height=0.65)
    for yi, v in zip(y, frame["First-order index"]):
        ax.text(v, yi, f" {v:.2f}", va="center", fontsize=7.5)
    ax.set_yticks(y, _wrap(frame.index, 48), fontsize=7.5)
    ax.set_xlim(0, max(float(frame["First-order index"].max()) * 1.2, 0.05) if len(frame) else 1)
    ax.set_xlabel("first-order index: share of the variance of the junta's take since the coup\n(not additive: see the text)",
                  fontsize=8)
    ax.set_title(title, loc="left")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, ec="black", lw=0.4) for c in GRADE_COLOURS.values()]
    fig.legend(handles, [f"evidence: {g}" for g in GRADES], loc="outside lower center", ncol=2, fontsize=7.5)
    ax.grid(axis="y", visible=False)
    return fig
