"""How policy options are ranked: by the probability that one beats another over paired draws, never by
their point estimates (docs/model.md, "What is reported and how it is ranked").

Every option is computed on the same draws (common random numbers), so in each draw the options face the
same world: the same size of the trade, the same levies, the same junta response. "A beats B" is then
a statement per draw, and the share of draws in which it holds is the probability that A denies the
junta more than B, given everything the model does not know. Options are compared only with options of
their kind: the same number of policies (a single policy with single policies, a pair with pairs), and
feasible with feasible. A combination beats each of its parts by construction, and that is no reason to
rank it; no pair contains another pair.

The rule: within each kind, options are ordered by their mean pairwise win probability (the chance that
the option denies the junta more than another option of its kind, averaged over those options; ties
count half). It is the expected share of rivals an option beats in a draw, so it uses every comparison,
not only who comes first; P(best) is reported beside it but not ranked on, since it splits between
options that are nearly alike and gives 0 to every option that is never first.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: How options are ranked, in the words every report uses where a ranking appears (one criterion).
RANKING_CRITERION = ("ranked by the chance, over paired draws, that an option denies the junta more money a year "
                     "than each other option of its kind, averaged over those options (single policies against "
                     "single policies, pairs against pairs), feasible options first")
#: Two options deny "the same" in a draw when they differ by less than this (US dollars a year): rounding.
TIE_USD = 1e-3


def win_probabilities(denied: np.ndarray) -> np.ndarray:
    """(options, options): entry [a, b] is the share of draws in which option a denies more than option b
    (`denied`: options x draws), ties counting half; the diagonal is 0.5."""
    denied = np.asarray(denied, dtype=float)
    out = np.empty((len(denied), len(denied)))
    for a, row in enumerate(denied):  # one option at a time: options x options x draws would not fit in memory
        diff = row - denied
        out[a] = (diff > TIE_USD).mean(axis=1) + 0.5 * (np.abs(diff) <= TIE_USD).mean(axis=1)
    return out


def probability_best(denied: np.ndarray) -> np.ndarray:
    """Per option, the share of draws in which it denies the most (options tied for the most share the draw)."""
    denied = np.asarray(denied, dtype=float)
    top = np.abs(denied - denied.max(axis=0)) <= TIE_USD
    return (top / top.sum(axis=0)).mean(axis=1)


def mean_win_probability(denied: np.ndarray) -> np.ndarray:
    """Per option, its win probability against each other option, averaged over them (NaN for a lone option:
    it has no rival, and 'it wins' would be true by construction)."""
    n = len(denied)
    if n < 2:
        return np.full(n, np.nan)
    wins = win_probabilities(denied)
    return (wins.sum(axis=1) - 0.5) / (n - 1)


def kinds(frame: pd.DataFrame) -> np.ndarray:
    """Each row's kind, in ranking order: feasible options by their number of policies (singles, pairs, then
    larger packages), then the infeasible ones likewise."""
    feasible = frame["feasible"].astype(bool).to_numpy() if "feasible" in frame else np.ones(len(frame), bool)
    size = frame["levers"].to_numpy().astype(int)
    return np.where(feasible, 0, 1000) + size


def rank(frame: pd.DataFrame, denied_draws: dict[str, np.ndarray]) -> pd.DataFrame:
    """RANKING_CRITERION. Adds `p_wins` (mean pairwise win probability within the kind), `p_best` (P(best)
    within the kind) and `p_beats_next` (the chance it denies more than the option ranked next of its kind;
    NaN for the last), and `rank`. What miners lose is shown beside each option, never folded into the rank."""
    frame = frame.copy()
    kind = kinds(frame)
    labels = list(frame.index)
    frame["p_wins"], frame["p_best"] = np.nan, np.nan
    for k in np.unique(kind):
        members = [labels[i] for i in np.flatnonzero(kind == k)]
        denied = np.vstack([denied_draws[m] for m in members])
        frame.loc[members, "p_wins"] = mean_win_probability(denied)
        frame.loc[members, "p_best"] = probability_best(denied) if len(members) > 1 else np.nan
    order = np.lexsort((np.array(labels), -frame["p_best"].to_numpy(), -frame["p_wins"].to_numpy(), kind))
    ranked = frame.iloc[order].copy()
    ranked.insert(0, "rank", range(1, len(ranked) + 1))
    ranked["p_beats_next"] = _beats_next(list(ranked.index), kinds(ranked), denied_draws)
    return ranked


def _beats_next(labels: list[str], kind: np.ndarray, denied_draws: dict[str, np.ndarray]) -> np.ndarray:
    out = np.full(len(labels), np.nan)
    for i in range(len(labels)):
        following = next((k for k in range(i + 1, len(labels)) if kind[k] == kind[i]), None)
        if following is not None:
            pair = np.vstack([denied_draws[labels[i]], denied_draws[labels[following]]])
            out[i] = win_probabilities(pair)[0, 1]
    return out


__all__ = ["RANKING_CRITERION", "kinds", "mean_win_probability", "probability_best", "rank", "win_probabilities"]
