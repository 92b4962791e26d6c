"""Leave-one-out checks of the calibration (docs/model.md, "Calibration"): for each observation in the
likelihood, how well the posterior fitted to all the others predicts it.

For observation i with log-likelihood ℓ_i (observation.log_likelihood: at most 0), the leave-one-out
predictive is p(y_i | y_-i) = E[exp ℓ_i] under the posterior without i, estimated by Pareto-smoothed
importance sampling (Vehtari, Gelman and Gabry, 2017; ArviZ's psislw smooths the largest weights):

    elpd_loo,i = log Σ_s w_s exp ℓ_i(s) - log Σ_s w_s.

Where the calibration weights the prior draws (importance sampling), the posterior without i is itself
a weighting of the prior draws, w_s = exp(Σ_j≠i ℓ_j(s)), as exact as the calibration: its Pareto k is
that weighting's k-hat, on the calibration's own criterion. Where the posterior comes from tempered SMC,
its particles (equal weight) are reweighted by w_s = 1/exp ℓ_i(s), the usual PSIS-LOO, and k is also a
measure of the observation's influence.

Because every likelihood here peaks at 0, exp(elpd_loo,i) is a probability-like score: for an interval,
the probability under the rest of the evidence that the model's value (with its model error) lands in
the observed interval; for a distribution, its likelihood relative to a perfect fit. Its Pareto k says
whether the estimate can be trusted (k above 0.7: the full posterior and the one without i differ too
much for reweighting, i.e. the observation is very influential). An observation is flagged where the
rest of the evidence predicts it poorly (score below LOO_FLAG) or its k is above the limit. The prior
predictive (the same score under the prior alone) shows how much the other observations helped.

"""
from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from .observation import implied, log_likelihood
from .smc import psis_khat

#: An observation is flagged where its leave-one-out score is below this ...
LOO_FLAG = 0.05
#: ... or its Pareto k above this (the importance sampling's limit, Vehtari et al.).
LOO_KHAT_LIMIT = 0.7


def _score(log_weights: np.ndarray, ll: np.ndarray) -> dict:
    """elpd, score and Pareto k of the predictive E_w[exp ℓ] with weights exp(log_weights), smoothed."""
    keep = np.isfinite(log_weights) & np.isfinite(ll)
    log_weights, ll = log_weights[keep], ll[keep]
    if not keep.any():
        return {"elpd_loo": None, "loo_score": 0.0, "pareto_k": None}
    if np.ptp(log_weights) == 0:  # equal weights: nothing to smooth
        smoothed, k = np.zeros_like(log_weights), float("nan")
    else:
        smoothed, k = psis_khat(log_weights)
    elpd = float(logsumexp(smoothed + ll) - logsumexp(smoothed))
    return {"elpd_loo": elpd, "loo_score": float(np.exp(elpd)), "pareto_k": float(k) if np.isfinite(k) else None}


def loo_from_prior(loglik: dict[str, np.ndarray]) -> dict[str, dict]:
    """Per observation: elpd_loo, its score exp(elpd_loo) and Pareto k, from each observation's
    log-likelihood at the prior draws (the posterior without i weights them by the others' likelihood)."""
    total = sum(np.asarray(v, dtype=float) for v in loglik.values())
    return {oid: _score(total - ll, np.asarray(ll, dtype=float)) for oid, ll in loglik.items()}


def loo_from_posterior(loglik: dict[str, np.ndarray]) -> dict[str, dict]:
    """The same from equally weighted posterior draws (SMC particles): weights 1/exp ℓ_i (PSIS-LOO)."""
    return {oid: _score(-np.asarray(ll, dtype=float), np.asarray(ll, dtype=float)) for oid, ll in loglik.items()}


def loo_rows(calib, prior_loglik: dict[str, np.ndarray]) -> list[dict]:
    """One row per observation in the likelihood (calib: a Calibration; prior_loglik: each observation's
    log-likelihood at the prior draws): id, elpd_loo, loo_score, pareto_k, prior_score, flagged."""
    in_likelihood = [o for o in calib.observables.values() if o.use == "likelihood"]
    if not in_likelihood or calib.method == "prior":
        return []
    if calib.method == "tempered SMC":
        values = implied(in_likelihood, calib.scenarios, calib.particles)
        scores = loo_from_posterior({o.id: log_likelihood(o, values[o.id]) for o in in_likelihood})
    else:
        scores = loo_from_prior({o.id: prior_loglik[o.id] for o in in_likelihood})
    rows = []
    for o in in_likelihood:
        s = scores[o.id]
        prior = prior_loglik[o.id]
        prior_score = float(np.exp(logsumexp(prior) - np.log(len(prior))))
        k = s["pareto_k"]
        flagged = s["loo_score"] < LOO_FLAG or (k is not None and k > LOO_KHAT_LIMIT)
        rows.append({"id": o.id, **s, "prior_score": prior_score, "flagged": bool(flagged)})
    return rows


def worst(rows: list[dict]) -> dict | None:
    """The observation the rest of the evidence predicts worst (lowest leave-one-out score)."""
    return min(rows, key=lambda r: r["loo_score"]) if rows else None


__all__ = ["LOO_FLAG", "LOO_KHAT_LIMIT", "loo_from_posterior", "loo_from_prior", "loo_rows", "worst"]
