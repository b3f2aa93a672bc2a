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
