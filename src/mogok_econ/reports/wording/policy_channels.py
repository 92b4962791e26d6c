"""The policy report's channels figure: where the junta's take comes from under the report's scenario, and
which levers reach each channel, read from the levers' data (analysis/lever_channels.py). The same chart and
the same labels as the brief's Figure 2 (translations/brief.yaml: channels_short, levers_short), in English."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ...analysis.estimates import point_estimate
from ...analysis.lever_channels import levers_by_channel, reaches_volume
from ...results.bundles import PolicyResults
from ...results.summary import is_feasible
from ..brief_charts import SMALLEST_CHANNEL, channels_chart
from .brief import translations

#: After a lever's short name: feasible under the report's scenario (the caption says so).
FEASIBLE_MARK = "*"


def junta_channels(r: PolicyResults) -> pd.Series:
    """The junta's take under the report's scenario by channel, US$ a year, central estimate."""
    return point_estimate(r.scenario, r.posterior).channels_usd["junta"]


def junta_takes(r: PolicyResults) -> bool:
    return bool(junta_channels(r).sum() > 0)


def _short(name: str) -> str:
    return translations()["levers_short"][name]["en"]


def _worded(r: PolicyResults, name: str) -> str:
    lever = next(lever for lever in r.usable if lever.name == name)
    return _short(name) + (FEASIBLE_MARK if is_feasible(lever, r.scenario) else "")


def _shares(r: PolicyResults) -> pd.Series:
    channels = junta_channels(r)
    return channels / channels.sum()


def channels_figure(r: PolicyResults) -> plt.Figure:
    shares = _shares(r)
    named = levers_by_channel(r.usable, shares.index)
    labels = {c: v["en"] for c, v in translations()["channels_short"].items()}
    return channels_chart(shares, labels, {c: [_worded(r, n) for n in names] for c, names in named.items()},
                          ("Share of the junta's take", "Levers that reach it (* feasible here)"),
                          "no lever in the model", lambda v: f"{v:.0%}")


def channels_figure_meta(r: PolicyResults) -> dict:
    shares = _shares(r)
    named = levers_by_channel(r.usable, shares.index)
    labels = {c: v["en"] for c, v in translations()["channels_short"].items()}
    shown = shares[shares >= SMALLEST_CHANNEL].sort_values(ascending=False, kind="stable")
    volume = [_worded(r, lever.name) for lever in r.usable if reaches_volume(lever)]
    data = pd.DataFrame({"Share of the junta's take": shown, "US$ million a year": junta_channels(r)[shown.index] / 1e6,
                         "Levers that reach it": ["; ".join(_short(n) for n in named[c]) for c in shown.index]},
                        index=shown.index)
    data.index = [labels[c] for c in shown.index]
    data.index.name = "Channel"
    items = "; ".join(f"{labels[c]} {v:.0%} ({', '.join(_short(n) for n in named[c]) or 'no lever'})" for c, v in shown.items())
    caption = (f"Where the junta's take comes from under {r.scenario.title} (central estimates), and the levers that "
               "reach each channel: a lever is named where it changes the channel's rate or who receives it (read "
               "from the lever's file, never a hand list); * feasible under this scenario.")
    if volume:
        caption += f" Through volume and price, {', '.join(volume)} also move every channel a little."
    return {"name": "channels", "caption": caption, "data": data,
            "units": "share of the junta's take from 0 to 1; US$ million a year, central estimates",
            "alt": f"Bar chart of the channels of the junta's take with the levers that reach each: {items}."}
