"""albru.stats: the exact Poisson interval against published tables."""

from __future__ import annotations

import numpy as np
import pytest

from albru import stats


# Garwood (1936) exact 95% limits for a Poisson mean, as tabulated e.g. in Ulm (1990),
# Am J Epidemiol 131:373: k=0 (0, 3.689), 1 (0.0253, 5.572), 5 (1.623, 11.668),
# 10 (4.795, 18.390).
@pytest.mark.parametrize(("k", "lower", "upper"), [
    (0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.623, 11.668), (10, 4.795, 18.390),
])
def test_garwood_interval_matches_the_tables(k, lower, upper):
    lo, hi = stats.garwood(k)
    assert float(lo) == pytest.approx(lower, abs=6e-4)
    assert float(hi) == pytest.approx(upper, abs=6e-4)


def test_garwood_widens_with_confidence_and_rejects_impossible_counts():
    lo95, hi95 = stats.garwood(np.array([3, 7]))
    lo99, hi99 = stats.garwood(np.array([3, 7]), level=0.99)
    assert (lo99 < lo95).all() and (hi99 > hi95).all()
    with pytest.raises(ValueError):
        stats.garwood(-1)
    with pytest.raises(ValueError):
        stats.garwood(1.5)


def test_garwood_takes_the_old_alpha_with_a_warning():
    with pytest.warns(DeprecationWarning, match="alpha= is deprecated; pass level="):
        old = stats.garwood(np.array([3, 7]), alpha=0.01)
    new = stats.garwood(np.array([3, 7]), level=0.99)
    assert np.array_equal(old[0], new[0]) and np.array_equal(old[1], new[1])
    with pytest.raises(ValueError, match="level must lie between 0 and 1"):
        stats.garwood(3, level=95)


def test_large_shapes_go_to_scipy_and_the_boundary_agrees():
    # the sums' cost grows with the shape (a million takes seconds and hundreds of MB), so
    # shapes above SUMMED_UP_TO are scipy's own values; at the boundary the sums still agree
    import numpy as np
    from scipy.special import gammainc, gammaincinv

    from albru import stats

    for shape in (10**6, 10**9):  # one at a time: the choice is made for a whole call
        for q in (0.025, 0.975):
            assert stats.gamma_quantile(shape, q) == gammaincinv(shape, q)
        assert stats.poisson_tail(shape, 0.999 * shape) == gammainc(shape, 0.999 * shape)
    assert stats.poisson_tail([0, 10**9], 5.0)[0] == 1.0  # shape 0 is a point mass at 0
    lo, hi = stats.garwood(10**8)
    assert lo < 10**8 < hi and np.isclose(hi - lo, 2 * 1.96 * 10**4, rtol=1e-3)
    edge = stats.SUMMED_UP_TO
    np.testing.assert_allclose(stats.gamma_quantile(edge, [0.025, 0.975]),
                               gammaincinv(edge, [0.025, 0.975]), rtol=1e-12)
    np.testing.assert_allclose(stats.poisson_tail(edge, [9800.0, 10200.0]),
                               gammainc(edge, [9800.0, 10200.0]), rtol=1e-11)
