"""Ranking options by the probability that one beats another over paired draws (analysis/lever_ranking.py),
with constructed draws where the point estimates and the probabilities disagree."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mogok_econ.analysis.lever_ranking import mean_win_probability, probability_best, rank, win_probabilities


def _frame(rows):
    return pd.DataFrame([{"levers": n, "feasible": f, "junta_denied": d} for _, n, f, d in rows],
                        index=[label for label, *_ in rows])


def test_win_probabilities_by_hand():
    """Three options over four paired draws: a = (10, 0, 0, 0), b = (5, 5, 5, 5), c = (5, 5, 6, 0).
    a beats b in 1 draw of 4; a beats c in draw 1 and ties in draw 4 (1.5 of 4); b beats c in draw 4, loses
    draw 3 and ties two (2 of 4)."""
    denied = np.array([[10, 0, 0, 0], [5, 5, 5, 5], [5, 5, 6, 0]], dtype=float)
    wins = win_probabilities(denied)
    np.testing.assert_allclose(wins, [[0.5, 0.25, 0.375], [0.75, 0.5, 0.5], [0.625, 0.5, 0.5]])
    np.testing.assert_allclose(wins + wins.T, 1.0)  # a beats b exactly when b does not beat a (ties halved)
    np.testing.assert_allclose(mean_win_probability(denied), [0.3125, 0.625, 0.5625])
    # best per draw: a; b and c tie (half each); c; b -> a 1/4, b (0.5 + 1)/4, c (0.5 + 1)/4
    np.testing.assert_allclose(probability_best(denied), [0.25, 0.375, 0.375])


def test_a_high_central_estimate_does_not_rank_first_when_it_rarely_wins():
    """'long_shot' denies $100M in 1 draw of 10 and nothing otherwise (mean $10M, the larger); 'steady'
    denies $5M in every draw. By mean or by a point estimate long_shot comes first; it beats steady in only
    10% of the paired draws, so steady ranks first."""
    long_shot = np.r_[100e6, np.zeros(9)]
    steady = np.full(10, 5e6)
    assert long_shot.mean() > steady.mean()
    frame = _frame([("long_shot", 1, True, long_shot.mean()), ("steady", 1, True, steady.mean())])
    ranked = rank(frame, {"long_shot": long_shot, "steady": steady})
    assert list(ranked.index) == ["steady", "long_shot"]
    assert ranked.loc["steady", "p_wins"] == pytest.approx(0.9)
    assert ranked.loc["steady", "p_beats_next"] == pytest.approx(0.9)
    assert np.isnan(ranked.loc["long_shot", "p_beats_next"])


def test_kinds_are_ranked_apart_feasible_first():
    """A pair is never compared with a single option (it beats its parts by construction), and a
    feasible option always ranks above an infeasible one, however much more the infeasible one denies."""
    draws = np.arange(1.0, 6.0)
    denied = {"a": draws, "b": 2 * draws, "a + b": 3 * draws, "x": 100 * draws}
    frame = _frame([("a", 1, True, 3), ("b", 1, True, 6), ("a + b", 2, True, 9), ("x", 1, False, 300)])
    ranked = rank(frame, denied)
    assert list(ranked.index) == ["b", "a", "a + b", "x"]
    assert list(ranked["rank"]) == [1, 2, 3, 4]
    # alone of its kind: no chance of winning is claimed for it
    assert np.isnan(ranked.loc["a + b", "p_wins"]) and np.isnan(ranked.loc["a + b", "p_best"])
    assert ranked.loc["b", "p_beats_next"] == 1.0
