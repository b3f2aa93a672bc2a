"""Small statistics shared by the analyses: an exact interval for a Poisson count.

>>> lo, hi = garwood([0, 10])
>>> [round(float(x), 3) for x in hi]
[3.689, 18.39]
"""

from __future__ import annotations

import numpy as np

__all__ = ["garwood"]


def garwood(k: int | np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) two-sided ``1 - alpha`` interval for the mean of a Poisson count ``k``.

    Parameters
    ----------
    k
        One count or an array of counts (whole numbers, at least 0).
    alpha
        One minus the coverage: 0.05 gives a 95% interval.

    Returns
    -------
    tuple of numpy.ndarray
        Lower and upper bounds (the lower bound of a zero count is 0).

    Examples
    --------
    >>> lo, hi = garwood(0)
    >>> float(lo), round(float(hi), 3)
    (0.0, 3.689)
    >>> [round(float(x), 3) for x in garwood(10)]
    [4.795, 18.39]
    """
    k = np.asarray(k, dtype=float)
    if np.any(k < 0) or np.any(k != np.floor(k)):
        raise ValueError(f"counts must be whole numbers >= 0, got {k}")
    from scipy.special import gammaincinv  # imported here: 0.2 s that only rates need

    # chi2.ppf(q, 2k) / 2 is gammaincinv(k, q): the same numbers without importing scipy.stats
    lower = np.where(k > 0, gammaincinv(np.maximum(k, 1), alpha / 2), 0.0)
    upper = gammaincinv(k + 1, 1 - alpha / 2)
    return lower, upper
