"""The explorer (notebooks/explorer.ipynb) without a browser: set the widgets' values as a user would and
check that what is redrawn is the model's split at those values."""
from __future__ import annotations

import matplotlib
import numpy as np
import papermill
import pytest

from mogok_econ import load_scenario, paths
from mogok_econ.analysis.conversion import model_inputs
from mogok_econ.core.split import split
from mogok_econ.core.vocabulary import ACTORS, PARAMETERS, TAKE_LABELS
from mogok_econ.inputs.scenarios import available_scenarios
from mogok_econ.reports.catalogue import KINDS
from mogok_econ.reports.explorer import SHARE, TAKE, Explorer, slider_range

matplotlib.use("Agg")


def model_flows(scenario, values) -> np.ndarray:
    """Each actor's take straight from core.split (USD a year)."""
    return split(model_inputs(scenario, values), scenario.recipients).flows[0]


def drawn_takes(fig) -> np.ndarray:
    """The widths of the chart's last bars: one per actor, in ACTORS order (the waterfall ends with them)."""
    bars = fig.axes[0].patches
    return np.array([bar.get_width() for bar in bars[-len(ACTORS):]])


def test_dropdown_offers_every_scenario_by_title_in_time_order():
    e = Explorer()
    names = [name for _title, name in e.choice.options]
    assert sorted(names) == sorted(available_scenarios())
    starts = [load_scenario(n).period_start for n in names]
    assert starts == sorted(starts)
    for title, name in e.choice.options:
        assert title == load_scenario(name).title and title != name


def test_a_slider_for_every_parameter_over_its_prior_range():
    e = Explorer("tnla_control")
    s = load_scenario("tnla_control")
    assert set(e.sliders) == set(s.parameters)
    for key, slider in e.sliders.items():
        d = s.parameters[key].distribution
        assert slider.value == pytest.approx(d.point)
        if d.uncertain:
            assert (slider.min, slider.max) == pytest.approx((d.low, d.high)), key
        else:
            assert "(fixed)" in slider.description and slider.min <= d.point <= slider.max, key
        assert PARAMETERS[key].label in slider.description


def test_fixed_shares_span_what_the_model_allows():
    s = load_scenario("junta_informal")
    fixed = [k for k, p in s.parameters.items() if not p.distribution.uncertain and PARAMETERS[k].unit == "share"
             and not p.in_kyat]
    for key in fixed:
        assert slider_range(s, key) == (0.0, 1.0)


def test_moving_sliders_redraws_core_splits_numbers():
    e = Explorer("junta_informal")
    s = e.scenario
    moved = {"extortion_rate": e.sliders["extortion_rate"].max, "gross_value_usd": e.sliders["gross_value_usd"].min,
             "trader_margin": (e.sliders["trader_margin"].min + e.sliders["trader_margin"].max) / 2}
    before = e.table[TAKE].copy()
    for key, value in moved.items():
        e.sliders[key].value = value
    values = {**s.point_values(), **moved}
    expected = model_flows(s, values)
    assert e.values() == pytest.approx(values)
    table = e.table.loc[[TAKE_LABELS[a] for a in ACTORS]]
    np.testing.assert_allclose(table[TAKE].to_numpy() * 1e6, expected, rtol=1e-12)
    np.testing.assert_allclose(table[SHARE].to_numpy(), expected / expected.sum(), rtol=1e-12)
    np.testing.assert_allclose(drawn_takes(e.figure), expected, rtol=1e-12)
    assert not np.allclose(before.to_numpy(), e.table[TAKE].to_numpy())


def test_another_scenario_resets_the_sliders_to_its_values():
    e = Explorer("junta_informal")
    e.sliders["extortion_rate"].value = e.sliders["extortion_rate"].max
    e.choice.value = "tnla_control"
    s = load_scenario("tnla_control")
    assert set(e.sliders) == set(s.parameters)
    assert e.values() == pytest.approx(s.point_values())
    np.testing.assert_allclose(e.table.loc[[TAKE_LABELS[a] for a in ACTORS], TAKE].to_numpy() * 1e6,
                               model_flows(s, s.point_values()), rtol=1e-12)
    assert s.title in e.figure.axes[0].get_title(loc="left")


def test_the_explorer_is_not_a_report():
    assert all(kind.notebook != "explorer.ipynb" for kind in KINDS.values())


@pytest.mark.slow
def test_the_explorer_rebuilds_to_the_same_bytes(tmp_path):
    """ipywidgets names its models with random ids; saved with numbered ones, two runs give the same file, and
    every reference to a model (outputs, and one widget's state naming another) names a model that is saved."""
    import json
    import re

    import nbformat

    from mogok_econ.reports.notebook_files import WIDGET_STATE, strip_run_metadata

    saved = []
    for n in (1, 2):
        out = tmp_path / f"run{n}.ipynb"
        papermill.execute_notebook(str(paths.NOTEBOOKS / "explorer.ipynb"), str(out), kernel_name="python3",
                                   progress_bar=False, cwd=str(paths.NOTEBOOKS))
        nb = nbformat.read(out, as_version=4)
        strip_run_metadata(nb)
        saved.append(nbformat.writes(nb))
    assert saved[0] == saved[1]
    nb = json.loads(saved[0])
    models = set(nb["metadata"]["widgets"][WIDGET_STATE]["state"])
    assert models and all(re.fullmatch(r"0{20}[0-9a-f]{12}", m) for m in models)
    shown = {o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in nb["cells"]
             for o in c.get("outputs", []) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})}
    referenced = set(re.findall(r"IPY_MODEL_([0-9a-f]{32})", saved[0]))
    assert shown and shown <= models and referenced <= models
