"""Text from a data file reaches the charts as text: dollar signs are not mathematics."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from mogok_econ.reports import charts


def test_a_title_with_dollar_signs_draws_as_written():
    charts.style()
    fig, ax = plt.subplots()
    title = r"Output $5 to $9 {\frac"  # two dollar signs and a broken command: mathtext would fail on it
    ax.set_title(title)
    fig.savefig(io.BytesIO(), format="png")  # drawing parses the text: no error
    assert ax.get_title() == title
    plt.close(fig)
