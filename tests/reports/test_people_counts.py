"""Counts of people are given to the precision the model has: two significant figures."""
from __future__ import annotations

import pytest

from mogok_econ.reports.formatting import people


@pytest.mark.parametrize("value, text", [(6048, "6,000"), (18_000, "18,000"), (75, "75"), (9.6, "10"),
                                         (1_234_567, "1,200,000"), (0.4, "0")])
def test_people_to_two_significant_figures(value, text):
    assert people(value) == text
