"""Small statistics shared by the analyses: an exact interval for a Poisson count.

>>> lo, hi = garwood([0, 10])
>>> [round(float(x), 3) for x in hi]
[3.689, 18.39]
"""

from __future__ import annotations

import numpy as np

from albru._compat import level_of

__all__ = ["garwood"]


def garwood(k: int | np.ndarray, level: float = 0.95, *,
            alpha: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) two-sided interval of coverage ``level`` for the mean of a Poisson
    count ``k``.

    Parameters
    ----------
    k
        One count or an array of counts (whole numbers, at least 0).
    level
        The coverage: 0.95 gives a 95% interval.
    alpha
        Deprecated: ``1 - level``.

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
    level = level_of("garwood", alpha, level)
    if not 0 < level < 1:
        raise ValueError(f"level must lie between 0 and 1, got {level}")
    k = np.asarray(k, dtype=float)
    if np.any(k < 0) or np.any(k != np.floor(k)):
        raise ValueError(f"counts must be whole numbers >= 0, got {k}")
    from scipy.special import gammaincinv  # imported here: 0.2 s that only rates need

    # chi2.ppf(q, 2k) / 2 is gammaincinv(k, q): the same numbers without importing scipy.stats
    tail = round((1 - level) / 2, 12)  # 0.95 gives 0.025 exactly, not 0.025000000000000022
    lower = np.where(k > 0, gammaincinv(np.maximum(k, 1), tail), 0.0)
    upper = gammaincinv(k + 1, 1 - tail)
    return lower, upper
