"""The distribution functions the calibration's SMC maps draws through invert the quantile functions."""
from __future__ import annotations

import numpy as np
import pytest

from mogok_econ.core.distributions import Fixed, Pert, Triangular, Uniform


@pytest.mark.parametrize("d", [Triangular(1, 2, 5), Triangular(1, 1, 5), Triangular(1, 5, 5), Pert(1, 2, 5),
                               Pert(0.3, 0.6, 1.0), Uniform(1, 5)], ids=repr)
def test_cdf_inverts_ppf_and_stays_in_0_1(d):
    u = np.linspace(0.001, 0.999, 101)
    assert np.allclose(d.cdf(d.ppf(u)), u, atol=1e-12)
    assert d.cdf(np.array([d.low - 1]))[0] == 0 and d.cdf(np.array([d.high + 1]))[0] == 1
    draws = d.sample(np.random.default_rng(1), 20_000)
    # the distribution function of its own draws is uniform: mean 1/2, share below 0.1 near 0.1
    assert abs(d.cdf(draws).mean() - 0.5) < 0.01 and abs((d.cdf(draws) < 0.1).mean() - 0.1) < 0.01


def test_a_fixed_value_is_a_step():
    assert list(Fixed(2.0).cdf(np.array([1.0, 2.0, 3.0]))) == [0.0, 1.0, 1.0]
