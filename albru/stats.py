"""Small statistics shared by the analyses: an exact interval for a Poisson count, and the
Gamma distribution of whole shape it rests on.

The Gamma functions are written out here, for whole shapes up to :data:`SUMMED_UP_TO`,
rather than taken from ``scipy.special``: importing scipy costs a notebook 0.2 s, more than all
the sums below. Larger shapes, which the sums would make slow, go to scipy.

>>> lo, hi = garwood([0, 10])
>>> [round(float(x), 3) for x in hi]
[3.689, 18.39]
"""

from __future__ import annotations

import functools
import math

import numpy as np

from albru._compat import level_of

__all__ = ["gamma_quantile", "garwood", "poisson_tail"]

#: The largest shape (and value) the sums below are used for: their cost grows with it (0.04 s
#: at 10,000, 3 s at a million), so larger ones are handed to scipy.special, imported then.
SUMMED_UP_TO = 10_000


def _whole(a: int | np.ndarray) -> np.ndarray:
    """``a`` as integers, refusing anything but whole numbers >= 0."""
    a = np.asarray(a)
    if np.any(a < 0) or np.any(a != np.floor(a)):
        raise ValueError(f"shapes must be whole numbers >= 0, got {a}")
    return a.astype(np.int64)


@functools.lru_cache(maxsize=4)
def _log_factorials(size: int) -> np.ndarray:
    """``ln k!`` for ``k < size``, read-only (asked for in powers of two, so the cache stays
    small and is rarely rebuilt)."""
    out = np.array([math.lgamma(k + 1.0) for k in range(size)])
    out.setflags(write=False)
    return out


def _poisson_sums(a: np.ndarray, x: np.ndarray, *,
                  below: bool = False) -> tuple[np.ndarray, np.ndarray | None]:
    """``Pr[Poisson(x) >= a]`` and, if ``below``, ``Pr[Poisson(x) < a]``, each summed on its
    own so that either keeps its precision when small (``a`` and ``x`` broadcast, ``x`` >=
    0)."""
    a, x = np.broadcast_arrays(a, x)
    if not a.size:
        return np.zeros(a.shape), np.zeros(a.shape) if below else None
    top = float(x.max())
    n = int(max(int(a.max()), top) + 40 * math.sqrt(top) + 60)
    i = np.arange(n - 1, -1, -1)  # the terms from the last down, so the sums add small first
    log_factorial = _log_factorials(1 << (n - 1).bit_length())[n - 1::-1]
    xs, row = np.unique(x, return_inverse=True)  # the terms of each distinct x, once
    x1 = xs[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.exp(i * np.log(x1) - x1 - log_factorial)
    terms = np.where(x1 > 0, terms, i == 0)  # Poisson(0) is 0 for sure
    row = row.reshape(a.shape)
    p = np.where(a == 0, 1.0, np.cumsum(terms, axis=-1)[row, n - 1 - a])
    if not below:
        return p, None
    lower = np.cumsum(terms[:, ::-1], axis=-1)
    return p, np.where(a == 0, 0.0, lower[row, np.maximum(a - 1, 0)])


def poisson_tail(a: int | np.ndarray, x: float | np.ndarray) -> np.ndarray:
    """``Pr[Poisson(x) >= a]``, which is also ``Pr[Gamma(a, 1) <= x]`` (the regularized lower
    incomplete gamma function, ``scipy.special.gammainc``) for a whole shape ``a``.

    Parameters
    ----------
    a
        Whole numbers >= 0 (a Gamma of shape 0 is a point mass at 0: its tail is 1).
    x
        Values >= 0; ``a`` and ``x`` broadcast together.

    Returns
    -------
    numpy.ndarray
        The probabilities, shaped as ``a`` and ``x`` broadcast.

    Notes
    -----
    The sum of the Poisson probabilities from ``a`` up, each ``exp(-x + i ln x - ln i!)``,
    added smallest first (:func:`gamma_quantile` sums the other side, below ``a``, for
    probabilities near 1); terms past ``max(a, x) + 40 sqrt(x) + 60`` are below 1e-300 of the
    sum and left out. Against ``scipy.special.gammainc`` the relative error stays below
    1e-12 for shapes up to a few thousand, even far out in the lower tail (it grows with the
    size of the exponent, whose rounding it is).

    Examples
    --------
    >>> [round(float(p), 6) for p in poisson_tail([0, 1, 2], 1.0)]
    [1.0, 0.632121, 0.264241]
    """
    x = np.asarray(x, dtype=float)
    if np.any(x < 0):
        raise ValueError("x must be >= 0")
    a = _whole(a)
    if max(a.max(initial=0), x.max(initial=0)) > SUMMED_UP_TO:
        from scipy.special import gammainc

        a, x = np.broadcast_arrays(a, x)
        return np.where(a == 0, 1.0, gammainc(np.maximum(a, 1), x))
    return _poisson_sums(a, x)[0]


def gamma_quantile(a: int | np.ndarray, q: float | np.ndarray) -> np.ndarray:
    """The ``q`` quantile of Gamma(``a``, 1) for a whole shape ``a`` >= 1: the ``x`` where
    :func:`poisson_tail` reaches ``q`` (``scipy.special.gammaincinv``).

    Parameters
    ----------
    a
        Whole numbers >= 1.
    q
        Probabilities strictly between 0 and 1; ``a`` and ``q`` broadcast together.

    Returns
    -------
    numpy.ndarray
        The quantiles, found by bisection down to neighbouring floating-point numbers.

    Examples
    --------
    >>> round(float(gamma_quantile(1, 0.5)), 12) == round(math.log(2), 12)
    True
    """
    a, q = np.broadcast_arrays(_whole(a), np.asarray(q, dtype=float))
    if np.any(a < 1) or np.any((q <= 0) | (q >= 1)):
        raise ValueError("need shapes >= 1 and probabilities strictly between 0 and 1")
    if a.max(initial=0) > SUMMED_UP_TO:
        from scipy.special import gammaincinv

        return gammaincinv(a, q)
    lo = np.zeros(a.shape)
    hi = a + 10 * np.sqrt(a) + 40.0
    low = q <= 0.5  # compare the smaller side: 1 - q is exact for q >= 0.5

    def below(x: np.ndarray) -> np.ndarray:
        p, rest = _poisson_sums(a, x, below=True)
        return np.where(low, p < q, rest > 1 - q)

    while np.any(short := below(hi)):
        hi = np.where(short, 2 * hi, hi)
    while True:
        mid = (lo + hi) / 2
        if np.all((mid <= lo) | (mid >= hi)):
            return hi
        left = below(mid)
        lo, hi = np.where(left, mid, lo), np.where(left, hi, mid)


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
    # chi2.ppf(q, 2k) / 2, Garwood's bound, is the q quantile of Gamma(k, 1)
    tail = round((1 - level) / 2, 12)  # 0.95 gives 0.025 exactly, not 0.025000000000000022
    lower = np.where(k > 0, gamma_quantile(np.maximum(k, 1), tail), 0.0)
    upper = gamma_quantile(k + 1, 1 - tail)
    return lower, upper
