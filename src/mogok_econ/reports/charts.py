"""Every chart of the reports, drawn from results and labelled from the vocabulary. One colour per actor
everywhere (Okabe-Ito, colour-blind safe), money in millions of US dollars, labelled axes, sized for an
A4 page and readable in print."""
from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd

from ..core.vocabulary import ACTOR_INFO, ACTOR_LABELS, ACTORS, GROUPS, PARAMETERS, TAKE_LABELS, UNREALISED_LABELS

#: One colour per actor everywhere (Okabe-Ito, colour-blind safe); the armed groups share one hue.
ACTOR_COLOURS: dict[str, str] = {
    "junta": "#D55E00",            # vermillion
    "public_treasury": "#56B4E9",  # sky blue
    "tnla": "#CC79A7",             # reddish purple
    "pdf": "#8E4A77",              # darker purple
    "other_armed": "#E3B5D2",      # lighter purple
    "miners": "#0072B2",           # blue
    "mine_owners": "#009E73",      # bluish green
    "traders": "#E69F00",          # orange
    "suppliers": "#F0E442",        # yellow
    "armed_groups": "#CC79A7",     # the group: its largest member's hue
}
LABELS = TAKE_LABELS
UNREALISED_COLOUR = "#BBBBBB"
NEUTRAL = "#555555"
WIDTH = 7.0  # inches: fits an A4 text column
#: Inputs shown by the tornado and Sobol charts (the largest; each figure's data has every input): eight keeps
#: both charts of the scenario report's sensitivity section on one A4 page.
SENSITIVITY_ROWS = 8

def style() -> None:
    """House style for every figure (call once per notebook; plotting functions call it too)."""
    plt.rcParams.update({
        "figure.dpi": 110, "savefig.dpi": 150, "figure.figsize": (WIDTH, 3.6),
        "font.size": 10, "axes.titlesize": 11, "axes.titleweight": "bold", "axes.labelsize": 10,
        "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3,
        "axes.axisbelow": True, "legend.frameon": False, "figure.constrained_layout.use": True,
        "font.family": "DejaVu Sans",
        # text is text: a title or label from a data file with two dollar signs ("US$ 5 to US$ 9") would
        # otherwise be parsed as mathematics, and a malformed one would fail the report
        "text.parse_math": False,
    })


def _millions(ax, axis: str = "x") -> None:
    """Tick labels in millions, with as many decimals as the tick spacing needs."""
    target = ax.xaxis if axis == "x" else ax.yaxis

    def fmt(value, _):
        ticks = target.get_majorticklocs()
        step = abs(ticks[1] - ticks[0]) / 1e6 if len(ticks) > 1 else 1.0
        decimals = 0 if step >= 1 else min(3, int(np.ceil(-np.log10(step))))
        return f"{value / 1e6:,.{decimals}f}"

    target.set_major_formatter(mticker.FuncFormatter(fmt))


def _wrap(labels, width: int = 34) -> list[str]:
    """Long tick labels (scenario and lever titles) on two or three lines."""
    return [textwrap.fill(str(label), width) for label in labels]


def _label(value: float) -> str:
    return f"${value / 1e6:,.1f}M" if abs(value) >= 0.05e6 or value == 0 else f"${value / 1e3:,.0f}k"


def money_waterfall(gross: float, unrealised: pd.Series, flows: pd.Series, title: str) -> plt.Figure:
    """From gross value to each actor's take: what is lost before sale, then who keeps what is sold."""
    style()
    rows: list[tuple[str, float, float, str]] = [("Gross value at normal output and prices", 0.0, gross, NEUTRAL)]
    top = gross
    for part, value in unrealised.items():
        rows.append((UNREALISED_LABELS[part], top - value, value, UNREALISED_COLOUR))
        top -= value
    realised = flows.sum()
    rows.append(("Realised revenue (sold this year)", 0.0, realised, NEUTRAL))
    start = 0.0
    for actor in ACTORS:
        rows.append((f"  kept by {ACTOR_INFO[actor].in_text}", start, flows[actor], ACTOR_COLOURS[actor]))
        start += flows[actor]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.42 * len(rows) + 1.0))
    y = np.arange(len(rows))[::-1]
    for yi, (_label_text, left, width, colour) in zip(y, rows):
        ax.barh(yi, width, left=left, color=colour, height=0.7)
        ax.text(left + width + gross * 0.01, yi, _label(width), va="center", fontsize=9)
    ax.set_yticks(y, [r[0] for r in rows])
    ax.set_xlim(0, gross * 1.18)
    _millions(ax)
    ax.set_xlabel("US$ million a year")
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    return fig


def uncertainty_by_actor(draws: pd.DataFrame, point: pd.Series, title: str) -> plt.Figure:
    """Each actor's take: 90% interval (P5-P95), middle half (P25-P75) and the central estimate (the one
    number the text and tables give)."""
    style()
    rows = [*ACTORS, *GROUPS]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.36 * len(rows) + 1.3))
    y = np.arange(len(rows))[::-1]
    for yi, actor in zip(y, rows):
        p5, p25, p75, p95 = np.quantile(draws[actor], [0.05, 0.25, 0.75, 0.95])
        central = sum(point[m] for m in GROUPS[actor]) if actor in GROUPS else point[actor]
        colour = ACTOR_COLOURS.get(actor, NEUTRAL)
        ax.plot([p5, p95], [yi, yi], color=colour, lw=3, alpha=0.45, solid_capstyle="butt")
        ax.plot([p25, p75], [yi, yi], color=colour, lw=9, solid_capstyle="butt")
        ax.plot([central], [yi], marker="D", color="white", mec="black", ms=6, ls="none")
    ax.set_yticks(y, [LABELS[a] + (" (all)" if a in GROUPS else "") for a in rows])
    _millions(ax)
    ax.set_xlabel("US$ million a year")
    ax.set_xlim(left=0)
    ax.set_title(title, loc="left")
    handles = [plt.Line2D([], [], color=NEUTRAL, lw=3, alpha=0.45), plt.Line2D([], [], color=NEUTRAL, lw=9),
               plt.Line2D([], [], marker="D", color="white", mec="black", ms=6, ls="none")]
    fig.legend(handles, ["90% interval (P5-P95)", "middle half (P25-P75)", "central estimate"],
               loc="outside lower center", ncol=3, fontsize=8)
    ax.grid(axis="y", visible=False)
    return fig


def tornado_chart(table: pd.DataFrame, title: str) -> plt.Figure:
    """One bar per uncertain parameter: the output with it at P5 and at P95, the rest at point values."""
    style()
    table = table.head(SENSITIVITY_ROWS)
    base = table.attrs["base"]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.36 * max(len(table), 1) + 1.2))
    y = np.arange(len(table))[::-1]
    for yi, (_key, row) in zip(y, table.iterrows()):
        lo, hi = row["output_at_low"], row["output_at_high"]
        ax.barh(yi, lo - base, left=base, color="#999999", height=0.6)
        ax.barh(yi, hi - base, left=base, color=ACTOR_COLOURS.get(table.attrs["output"], NEUTRAL), height=0.6)
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(y, [parameter_label(k) for k in table.index])
    _millions(ax)
    ax.set_xlabel("US$ million a year")
    ax.set_title(title, loc="left")
    handles = [plt.Rectangle((0, 0), 1, 1, color="#999999"),
               plt.Rectangle((0, 0), 1, 1, color=ACTOR_COLOURS.get(table.attrs["output"], NEUTRAL))]
    fig.legend(handles, ["input at its 5th percentile", "input at its 95th percentile"],
               loc="outside lower center", ncol=2, fontsize=8)
    ax.grid(axis="y", visible=False)
    return fig


def sobol_chart(table: pd.DataFrame, title: str) -> plt.Figure:
    """First-order and total Sobol indices with their 95% confidence half-widths (the largest
    SENSITIVITY_ROWS: the rest are in the figure's data)."""
    style()
    table = table.head(SENSITIVITY_ROWS)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.36 * max(len(table), 1) + 1.2))
    y = np.arange(len(table))[::-1]
    ax.barh(y + 0.18, table["ST"], xerr=table["ST_conf"], height=0.36, color="#0072B2", label="total effect (ST)",
            error_kw={"lw": 1, "capsize": 2})
    ax.barh(y - 0.18, table["S1"], xerr=table["S1_conf"], height=0.36, color="#56B4E9",
            label="first-order effect (S1)", error_kw={"lw": 1, "capsize": 2})
    ax.set_yticks(y, [parameter_label(k) for k in table.index])
    ax.set_xlim(0, max(1.0, float((table["ST"] + table["ST_conf"]).max()) if len(table) else 1.0))
    ax.set_xlabel("share of the variance of the output (0 to 1)")
    ax.set_title(title, loc="left")
    fig.legend(loc="outside lower center", ncol=2, fontsize=8)
    ax.grid(axis="y", visible=False)
    return fig


def takes_by_scenario(point_flows: pd.DataFrame, title: str) -> plt.Figure:
    """Stacked bars: each actor's take (central estimate) in each scenario. Rows: scenarios (their index: the
    labels readers see); columns: ACTORS."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH, 0.62 * len(point_flows) + 1.4))
    y = np.arange(len(point_flows))[::-1]
    left = np.zeros(len(point_flows))
    for actor in ACTORS:
        ax.barh(y, point_flows[actor], left=left, color=ACTOR_COLOURS[actor], height=0.65, label=ACTOR_LABELS[actor])
        left += point_flows[actor].to_numpy()
    ax.set_yticks(y, _wrap(point_flows.index), fontsize=8)
    _millions(ax)
    ax.set_xlabel("US$ million a year (central estimate)")
    ax.set_title(title, loc="left")
    fig.legend(loc="outside lower center", ncol=4, fontsize=8)
    ax.grid(axis="y", visible=False)
    return fig


def interval_by_scenario(intervals: pd.DataFrame, actor: str, title: str) -> plt.Figure:
    """One actor's take per scenario: the 90% interval and the central estimate. Rows: scenarios (labels);
    columns p5, central, p95."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH, 0.62 * len(intervals) + 1.2))
    y = np.arange(len(intervals))[::-1]
    colour = ACTOR_COLOURS.get(actor, NEUTRAL)
    ax.hlines(y, intervals["p5"], intervals["p95"], color=colour, lw=6, alpha=0.6)
    ax.plot(intervals["central"], y, "D", color="white", mec="black", ms=6)
    for yi, (_, row) in zip(y, intervals.iterrows()):
        ax.text(row["p95"], yi, "  " + _label(row["central"]), va="center", fontsize=8)
    ax.set_yticks(y, _wrap(intervals.index), fontsize=8)
    _millions(ax)
    ax.set_xlim(left=0, right=float(intervals["p95"].max()) * 1.2 or 1)
    ax.set_xlabel(f"{LABELS[actor]}: US$ million a year (bar: 90% interval; diamond and label: central estimate)")
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    return fig


def drivers_chart(contributions: pd.DataFrame, title: str) -> plt.Figure:
    """Contributions (Shapley) of each group of parameters to the change in an output between pairs of
    scenarios. Rows: transitions; columns: drivers; values in USD a year."""
    style()
    palette = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#F0E442", "#999999", "#000000"]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.75 * len(contributions) + 1.8))
    y = np.arange(len(contributions))[::-1]
    pos = np.zeros(len(contributions))
    neg = np.zeros(len(contributions))
    for i, driver in enumerate(contributions.columns):
        values = contributions[driver].to_numpy()
        left = np.where(values >= 0, pos, neg)
        ax.barh(y, values, left=left, height=0.6, color=palette[i % len(palette)], label=driver)
        pos += np.clip(values, 0, None)
        neg += np.clip(values, None, 0)
    ax.plot(contributions.sum(axis=1), y, "D", color="white", mec="black", ms=6, label="net change")
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, _wrap(contributions.index, 44), fontsize=7.5)
    _millions(ax)
    ax.set_xlabel("change in US$ million a year")
    ax.set_title(title, loc="left")
    fig.legend(loc="outside lower center", ncol=3, fontsize=8)
    ax.grid(axis="y", visible=False)
    return fig


def parameter_label(key: str) -> str:
    """A parameter's label with its symbol, as the axes show it (a drawn recipients table: who is paid)."""
    from ..analysis.sensitivity import TABLE_INPUT, input_axis_label

    return input_axis_label(key) if key in PARAMETERS or key.startswith(TABLE_INPUT) else key


def monthly_flows_chart(monthly: pd.DataFrame, band: pd.DataFrame, events: list[tuple], title: str) -> plt.Figure:
    """Each actor's take month by month (stacked, central estimates), the junta's 90% band, and the
    events numbered on the time axis. `events`: (number, date, title)."""
    style()
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(WIDTH, 6.4), sharex=True, height_ratios=[3, 2])
    x = monthly.index.to_timestamp()
    ax.stackplot(x, *[monthly[a] for a in ACTORS], colors=[ACTOR_COLOURS[a] for a in ACTORS],
                 labels=[ACTOR_LABELS[a] for a in ACTORS], alpha=0.9)
    ax.set_ylabel("US$ million a month")
    _millions(ax, "y")
    ax.set_title(title, loc="left")
    bx.fill_between(x, band["p5"], band["p95"], color=ACTOR_COLOURS["junta"], alpha=0.25, lw=0,
                    label="junta: 90% interval")
    bx.plot(x, monthly["junta"], color=ACTOR_COLOURS["junta"], lw=1.8, label="junta: central estimate")
    bx.set_ylabel("Junta, US$ M a month")
    _millions(bx, "y")
    for a in (ax, bx):
        a.set_ylim(bottom=0)
        for _number, date, _ in events:
            a.axvline(pd.Timestamp(date), color="#333333", lw=0.6, ls=":")
    top = ax.get_ylim()[1]
    for i, (numbers, date) in enumerate(event_clusters(events)):
        text = ", ".join(str(n) for n in numbers)
        ax.text(pd.Timestamp(date), top * (0.98 - 0.09 * (i % 3)), text, fontsize=7, ha="center", va="top",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#333333", "lw": 0.5})
    handles, labels = ax.get_legend_handles_labels()
    h2, l2 = bx.get_legend_handles_labels()
    fig.legend(handles + h2, labels + l2, loc="outside lower center", ncol=4, fontsize=8)
    return fig


def event_clusters(events: list[tuple], days: int = 60) -> list[tuple[list[int], object]]:
    """Events closer than `days` to the first of a run share one marker ("10, 13"), so that months crowded with
    events stay readable; the table below the chart gives each. Returns (the events' numbers, date)."""
    clusters: list[tuple[list[int], object]] = []
    for number, date, _ in events:
        if clusters and (pd.Timestamp(date) - pd.Timestamp(clusters[-1][1])).days < days:
            clusters[-1][0].append(number)
        else:
            clusters.append(([number], date))
    return clusters


def cumulative_chart(cumulative: pd.DataFrame, actor: str, title: str,
                     projected_after: pd.Period | None = None) -> plt.Figure:
    """A running total with its 90% band. Rows: months; columns point, p5, p50, p95 (USD). The months after
    `projected_after` (the month of the newest evidence) are drawn as a projection: dashed, on a shaded
    background, labelled."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH, 3.2))
    x = cumulative.index.to_timestamp()
    colour = ACTOR_COLOURS.get(actor, NEUTRAL)
    ax.fill_between(x, cumulative["p5"], cumulative["p95"], color=colour, alpha=0.25, lw=0, label="90% interval")
    if projected_after is not None and projected_after < cumulative.index[-1]:
        past = cumulative.index <= projected_after
        last_seen = int(past.sum()) - 1
        ax.axvspan((projected_after + 1).to_timestamp(), x[-1], color=NEUTRAL, alpha=0.12, lw=0,
                   label=f"projection (after {projected_after.strftime('%B %Y')}, the newest evidence)")
        ax.plot(x[past], cumulative["point"][past], color=colour, lw=2, label="central estimate")
        ax.plot(x[last_seen:], cumulative["point"].iloc[last_seen:], color=colour, lw=2, ls="--")
    else:
        ax.plot(x, cumulative["point"], color=colour, lw=2, label="central estimate")
    ax.set_ylabel("US$ million, running total")
    _millions(ax, "y")
    ax.set_ylim(bottom=0)
    ax.set_title(title, loc="left")
    fig.legend(loc="outside lower center", ncol=3 if projected_after is not None else 2, fontsize=8)
    return fig


def lever_tradeoff_chart(table: pd.DataFrame, title: str, labels: dict[str, str] | None = None) -> plt.Figure:
    """Every lever and combination: the change in the junta's take against the change in the miners' (US$ M a
    year, central estimates, with the junta's 90% interval), signed as the lever table is: negative, that side
    loses. `labels`: the single levers' names as readers see them (by the table's index)."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH, 5.4))
    singles = table["levers"] == 1
    labels = labels or {}
    x = table["miners"]
    y = table["junta"]
    yerr = np.vstack([(y - table["junta_p5"]).clip(lower=0), (table["junta_p95"] - y).clip(lower=0)])
    ax.errorbar(x[~singles], y[~singles], yerr=yerr[:, ~singles.to_numpy()], fmt="o", color="#56B4E9", ms=5,
                ecolor="#56B4E9", alpha=0.8, lw=0.8, label="two or more levers combined")
    ax.errorbar(x[singles], y[singles], yerr=yerr[:, singles.to_numpy()], fmt="D", color="#0072B2", ms=7,
                ecolor="#0072B2", lw=1, label="single lever")
    # Single levers often sit close together: each is numbered beside its point and named in the legend.
    named = []
    for i, (key, row) in enumerate(table[singles].sort_values("miners").iterrows(), 1):
        ax.annotate(str(i), (row["miners"], row["junta"]), xytext=(0, 9), textcoords="offset points", fontsize=8,
                    fontweight="bold", ha="center", va="bottom", color="#0072B2")
        named.append(plt.Line2D([], [], ls="none", label=f"{i}  {labels.get(key, key)}"))
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)
    _millions(ax, "x")
    _millions(ax, "y")
    ax.set_xlabel("Change in the miners' take, US$ million a year (negative: miners lose)")
    ax.set_ylabel("Change in the junta's take,\nUS$ million a year (negative: the junta loses)")
    ax.set_title(title, loc="left")
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles + named, names + [h.get_label() for h in named], loc="outside lower center", ncol=2, fontsize=7.5,
               handlelength=1.2)
    return fig


def stock_chart(monthly: pd.DataFrame, title: str) -> plt.Figure:
    """The stock of unsold stones at each month's end (reference value) and the sales, seizures and losses
    from it in each month (central estimates)."""
    style()
    fig, ax = plt.subplots(figsize=(WIDTH, 3.4))
    x = monthly.index.to_timestamp()
    ax.fill_between(x, monthly["stock_usd"], color=UNREALISED_COLOUR, lw=0, label="held unsold (month's end)")
    ax.plot(x, monthly["sales_from_stock_usd"], color=ACTOR_COLOURS["traders"], lw=1.6, label="sold from stock")
    ax.plot(x, monthly["seizures_usd"], color=ACTOR_COLOURS["junta"], lw=1.2, ls="--", label="seized")
    ax.plot(x, monthly["destroyed_usd"], color=NEUTRAL, lw=1.0, ls=":", label="lost")
    _millions(ax, "y")
    ax.set_ylabel("US$ million (reference prices)")
    ax.set_ylim(bottom=0)
    ax.set_title(title, loc="left")
    fig.legend(loc="outside lower center", ncol=4, fontsize=8)
    return fig
