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
    fig, ax = plt.subplots(figsize=(WIDTH, 0.45 * len(levers) + 2.6))
    limit = max(1.0, float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0)
    image = ax.imshow(values, cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto")
    for i in range(len(levers)):
        for j in range(len(scenario_titles)):
            if np.isnan(values[i, j]):
                continue
            if infeasible[i, j]:
                ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", lw=0, color=NEUTRAL))
            ax.text(j, i, f"{values[i, j]:.1f}", ha="center", va="center", fontsize=7)
    ax.set_yticks(range(len(levers)), [textwrap.shorten(lever_titles[n], 55, placeholder="...") for n in levers],
                  fontsize=7.5)
    ax.set_xticks(range(len(scenario_titles)), [textwrap.fill(textwrap.shorten(t, 48, placeholder="..."), 18)
                                                for _, t in scenario_titles], fontsize=6.5, rotation=90)
    ax.set_title(title, loc="left")
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label("Junta dollars denied, US$ M a year", fontsize=7.5)
    return fig


def history_chart(history, title: str) -> plt.Figure:
    """The junta's running take since the start date: actual and counterfactual, central estimates with
    90% bands (the same paired draws)."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    actual, cf = history.cumulative("junta", "actual"), history.cumulative("junta", "counterfactual")
    first = pd.Period(history.since, freq="M")
    keep = actual.index >= first
    x = actual.index[keep].to_timestamp()
    ax.fill_between(x, actual["p5"][keep], actual["p95"][keep], color=ACTOR_COLOURS["junta"], alpha=0.15, lw=0)
    ax.plot(x, actual["point"][keep], color=ACTOR_COLOURS["junta"], lw=1.8, label="as it was")
    ax.fill_between(x, cf["p5"][keep], cf["p95"][keep], color=ACTOR_COLOURS["miners"], alpha=0.15, lw=0)
    ax.plot(x, cf["point"][keep], color=ACTOR_COLOURS["miners"], lw=1.8, ls="--", label="with the lever in force")
    _millions(ax, "y")
    ax.set_ylabel("Junta's take since the start, US$ million")
    ax.set_ylim(bottom=0)
    ax.set_title(title, loc="left")
    fig.legend(loc="outside lower center", ncol=2, fontsize=8)
    return fig


__all__ = ["history_chart", "matrix_chart"]
