"""The policy report's own charts: every lever under every scenario (a heatmap), and the counterfactual
history of the junta's take. Labels are the levers' and scenarios' titles, never their ids."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .charts import ACTOR_COLOURS, NEUTRAL, WIDTH, _millions, style


def matrix_chart(frame: pd.DataFrame, scenario_titles: list[tuple[str, str]], title: str) -> plt.Figure:
    """Junta dollars denied (US$ M a year, central estimate) by lever (rows) and scenario (columns,
    in the order given as (name, title)); hatched: not feasible there; blank: cannot be applied."""
    style()
    levers = list(dict.fromkeys(frame.index.get_level_values(0)))
    lever_titles = frame.reset_index().drop_duplicates("lever").set_index("lever")["lever_title"]
    values = np.full((len(levers), len(scenario_titles)), np.nan)
    infeasible = np.zeros_like(values, dtype=bool)
    for i, lever in enumerate(levers):
        for j, (name, _) in enumerate(scenario_titles):
            row = frame.loc[(lever, name)]
            if row["applicable"]:
                values[i, j] = row["junta_denied"] / 1e6
                infeasible[i, j] = not row["feasible"]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.3 * len(levers) + 2.4))
    limit = max(1.0, float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0)
    image = ax.imshow(values, cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
    for i in range(len(levers)):
        for j in range(len(scenario_titles)):
            if np.isnan(values[i, j]):
                continue
            if infeasible[i, j]:
                ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="////", lw=0,
                                           color="#999999", alpha=0.6))
            ink = "white" if abs(values[i, j]) > 0.6 * limit else "black"
            ax.text(j, i, f"{values[i, j]:.1f}".replace("-0.0", "0.0"), ha="center", va="center", fontsize=7, color=ink,
                    fontweight="bold" if not infeasible[i, j] else "normal")
    ax.set_yticks(range(len(levers)), [textwrap.fill(lever_titles[n], 38) for n in levers], fontsize=6.5)
    ax.set_xticks(range(len(scenario_titles)), [textwrap.fill(t, 22) for _, t in scenario_titles], fontsize=6,
                  rotation=90)
    ax.set_title(title, loc="left")
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label("US$ M a year (negative: the junta gains)", fontsize=7)
    return fig


def history_chart(history, title: str) -> plt.Figure:
    """Above: the junta's running take since the start date, actual and counterfactual (central estimates
    with 90% bands). Below: the difference, draw by draw (the paired draws make it much narrower than
    either band)."""
    style()
    fig, (ax, diff) = plt.subplots(2, 1, figsize=(WIDTH, 5.2), sharex=True, height_ratios=(3, 2))
    actual, cf = history.cumulative("junta", "actual"), history.cumulative("junta", "counterfactual")
    change = history.cumulative("junta", "change")
    keep = actual.index >= pd.Period(history.since, freq="M")
    x = actual.index[keep].to_timestamp()
    ax.fill_between(x, actual["p5"][keep], actual["p95"][keep], color=ACTOR_COLOURS["junta"], alpha=0.15, lw=0)
    ax.plot(x, actual["point"][keep], color=ACTOR_COLOURS["junta"], lw=1.8, label="as it was")
    ax.fill_between(x, cf["p5"][keep], cf["p95"][keep], color=ACTOR_COLOURS["miners"], alpha=0.15, lw=0)
    ax.plot(x, cf["point"][keep], color=ACTOR_COLOURS["miners"], lw=1.8, ls="--", label="with the lever in force")
    _millions(ax, "y")
    ax.set_ylabel("Junta's take since\nthe start, US$ M")
    ax.set_ylim(bottom=0)
    ax.set_title(title, loc="left")
    diff.fill_between(x, change["p5"][keep], change["p95"][keep], color=NEUTRAL, alpha=0.2, lw=0,
                      label="90% interval of the difference")
    diff.plot(x, change["point"][keep], color=NEUTRAL, lw=1.6, label="difference (with the lever minus as it was)")
    diff.axhline(0, color="black", lw=0.6)
    _millions(diff, "y")
    diff.set_ylabel("Difference, US$ M")
    handles = ax.get_legend_handles_labels()[0] + diff.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + diff.get_legend_handles_labels()[1]
    fig.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=7.5)
    return fig


__all__ = ["history_chart", "matrix_chart"]
