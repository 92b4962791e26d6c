"""An explorer for economists (notebooks/explorer.ipynb): pick a scenario, move any of its parameters, and
see the split at those values redrawn at once: the chart from gross value to each actor's take, and a
small table of the takes.

What the sliders span: an uncertain parameter, its prior range in the scenario (low to high; it starts at
the point estimate the reports use). A parameter the scenario fixes has no range of its own: its slider
spans what the model allows (shares 0 to 1), or 0 to twice the value where the model sets no upper bound,
and its label says it is fixed. Kyat values are in the scenario's own unit and converted at the market
rate's mode, as the reports' central estimate is. Correlations play no part: one point, no draws.

The numbers are `analysis.estimates.estimate_at` (model_inputs, then core.split), the central estimate's
own path; nothing here computes the model. Not a report: the catalogue does not list it.
"""
from __future__ import annotations

import pandas as pd

from ..analysis.comparison import chronological
from ..analysis.estimates import estimate_at
from ..core.split import Split
from ..core.vocabulary import ACTORS, GROUPS, PARAMETERS, TAKE_LABELS
from ..inputs.scenarios import Scenario
from ..inputs.world import World, shipped_world

#: Columns of the explorer's table.
TAKE, SHARE = "US$ million a year", "Share of sales"


def slider_range(scenario: Scenario, key: str) -> tuple[float, float]:
    """The span of a parameter's slider: its prior range, or for a fixed value what the model allows."""
    p = scenario.parameters[key]
    if p.distribution.uncertain:
        return float(p.distribution.low), float(p.distribution.high)
    spec, point = PARAMETERS[key], float(p.point)
    low, high = (0.0, max(2 * point, 1.0)) if p.in_kyat or spec.high == float("inf") else (spec.low, spec.high)
    return float(min(low, point)), float(max(high, point))


def unit_of(scenario: Scenario, key: str) -> str:
    """The unit a parameter's slider is in: the scenario's kyat unit where it gives one, else the model's."""
    p = scenario.parameters[key]
    return p.unit if p.in_kyat else PARAMETERS[key].unit


def takes_table(result: Split) -> pd.DataFrame:
    """Each actor's and group's take (US$ million a year) and share of what is sold."""
    takes = pd.concat([result.flows_usd, result.groups_usd])
    realised = result.realised_value_usd
    frame = pd.DataFrame({TAKE: takes / 1e6, SHARE: takes / realised if realised > 0 else 0.0})
    frame.index = [TAKE_LABELS[k] for k in (*ACTORS, *GROUPS)]
    return frame


class Explorer:
    """The widgets and their state. `values()` are the sliders' values; `result` and `table` the split at
    them, recomputed whenever a slider or the scenario changes; `widget` is what a notebook displays."""

    def __init__(self, scenario: str | None = None, names: list[str] | None = None, world: World | None = None):
        import ipywidgets as w

        world = world or shipped_world()  # the data whose scenarios it shows (None: the shipped data)
        scenarios = chronological([world.scenario(n) for n in (names or world.scenario_names)])
        self._scenarios = {s.name: s for s in scenarios}
        first = scenario or scenarios[0].name
        self.choice = w.Dropdown(options=[(s.title, s.name) for s in scenarios], value=first, description="Scenario",
                                 layout=w.Layout(width="95%"), style={"description_width": "initial"})
        self.sliders: dict[str, w.FloatSlider] = {}
        self._controls = w.VBox()
        self.output = w.Output()
        self.widget = w.VBox([self.choice, w.HBox([self._controls, self.output])])
        self.figure = None
        self.choice.observe(lambda _change: self._build_sliders(), names="value")
        self._build_sliders()

    @property
    def scenario(self) -> Scenario:
        return self._scenarios[self.choice.value]

    def values(self) -> dict[str, float]:
        return {key: float(slider.value) for key, slider in self.sliders.items()}

    def _build_sliders(self) -> None:
        import ipywidgets as w

        s = self.scenario
        self.sliders = {}
        for key, p in s.parameters.items():
            low, high = slider_range(s, key)
            fixed = "" if p.distribution.uncertain else " (fixed)"
            self.sliders[key] = w.FloatSlider(
                value=float(p.point), min=low, max=high, step=(high - low) / 200 or 1.0, continuous_update=False,
                description=f"{PARAMETERS[key].label}{fixed}", readout_format=",.3g" if high < 1000 else ",.0f",
                tooltip=f"{key}, {unit_of(s, key)}", style={"description_width": "16em"}, layout=w.Layout(width="34em"))
            self.sliders[key].observe(lambda _change: self.redraw(), names="value")
        self._controls.children = list(self.sliders.values())
        self.redraw()

    def redraw(self) -> None:
        """Recompute the split at the sliders' values and show the chart and the table."""
        import matplotlib.pyplot as plt
        from IPython.display import clear_output, display

        from . import charts

        self.result = estimate_at(self.scenario, {**self.scenario.point_values(), **self.values()})
        self.table = takes_table(self.result)
        self.figure = charts.money_waterfall(self.result.gross_value_usd, self.result.unrealised_usd,
                                             self.result.flows_usd, f"{self.scenario.title}: the split at these values")
        with self.output:
            clear_output(wait=True)
            display(self.figure)
            display(self.numbers())
        plt.close(self.figure)  # shown once, in the output widget (the figure stays readable: tests read its bars)

    def numbers(self):
        """The table as the notebook shows it (fixed element ids, so an executed notebook is reproducible)."""
        from .display import styled

        return styled(self.table, {TAKE: "{:,.1f}", SHARE: "{:.0%}"}, uuid="explorer-takes")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
