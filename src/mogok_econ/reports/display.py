"""Showing results in a notebook: Markdown, figures and tables (pandas Stylers with fixed ids, so that
executed notebooks are reproducible byte for byte)."""
from __future__ import annotations

import pandas as pd

from .formatting import md


def show(markdown: str) -> None:
    """Display Markdown in a notebook (dollar signs escaped)."""
    from IPython.display import Markdown, display

    display(Markdown(md(markdown)))

def show_figure(fig) -> None:
    """Display a figure once and close it (so no backend shows it a second time)."""
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


class Table:
    """A styled table as a notebook shows it: the Styler's HTML, and a plain-text form without the memory
    address that a Styler's own repr carries (so executed notebooks are the same bytes run after run)."""

    def __init__(self, styler):
        self.styler = styler

    def _repr_html_(self) -> str:
        return self.styler.to_html()

    def __repr__(self) -> str:
        return f"<table {self.styler.uuid}>"


def styled(frame: pd.DataFrame, formats, uuid: str) -> Table:
    """A styled table with fixed element ids (`uuid`), so executed notebooks are reproducible."""
    text = [c for c in frame.columns if frame[c].dtype == object]
    styler = frame.style.format(formats).set_uuid(uuid)
    return Table(styler.set_properties(subset=text, **{"text-align": "left"}) if text else styler)


def format_money_table(frame: pd.DataFrame, share_columns: tuple[str, ...] = ("Share of sales",), uuid: str = "money"):
    """Millions to one decimal and shares as percentages (for the reports)."""
    return styled(frame, {c: ("{:.0%}" if c in share_columns else "{:,.1f}") for c in frame.columns}, uuid)
