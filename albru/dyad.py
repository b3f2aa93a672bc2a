"""The dyad the package is about, named once: Albania (``A``) and Russia (``B``).

Every function elsewhere that needs the pair takes it from here as a default, so a reader can
point the same analyses at another pair of actors by passing ``a=`` and ``b=``.

>>> A, B
('ALB', 'RUS')
>>> from albru.examples import dyad_events
>>> is_dyadic(dyad_events()).tolist()
[True, True, True, True, False]
"""

from __future__ import annotations

import pandas as pd

__all__ = ["DYAD", "A", "B", "is_dyadic", "is_pair", "relations_broken"]

#: First state of the dyad (actor id): Albania.
A: str = "ALB"
#: Second state of the dyad (actor id): Russia, the Russian Empire and the Soviet Union.
B: str = "RUS"
#: The two together, in that order.
DYAD: tuple[str, str] = (A, B)


def is_pair(left: pd.Series, right: pd.Series, a: str = A, b: str = B) -> pd.Series:
    """True where the two columns hold ``a`` and ``b``, in either order; missing counts as False.

    Parameters
    ----------
    left, right
        Two columns of actor ids (``source_actor``/``target_actor``, ``actor_a``/``actor_b``).
    a, b
        The pair asked about.

    Returns
    -------
    pandas.Series
        A boolean mask aligned with ``left``.

    Examples
    --------
    >>> is_pair(pd.Series(["ALB", "RUS", "SRB"]), pd.Series(["RUS", "ALB", "RUS"])).tolist()
    [True, True, False]
    """
    mask = ((left == a) & (right == b)) | ((left == b) & (right == a))
    return mask.fillna(False).astype(bool)


def is_dyadic(events: pd.DataFrame, a: str = A, b: str = B) -> pd.Series:
    """True for events between ``a`` and ``b``, whichever of the two acted.

    Parameters
    ----------
    events
        A frame with ``source_actor`` and ``target_actor``.
    a, b
        The pair (Albania and Russia by default).

    Returns
    -------
    pandas.Series
        A boolean mask aligned with ``events``.

    Examples
    --------
    >>> from albru.examples import dyad_events
    >>> is_dyadic(dyad_events(), "RUS", "UKR").tolist()
    [False, False, False, False, True]
    """
    return is_pair(events["source_actor"], events["target_actor"], a, b)


def relations_broken(ties: pd.DataFrame, a: str = A, b: str = B) -> pd.DataFrame:
    """The spans when ``a`` and ``b`` had no diplomatic relations: their ties of kind rupture.

    Parameters
    ----------
    ties
        A frame shaped like ``albru.load().ties``.
    a, b
        The pair (Albania and Russia by default).

    Returns
    -------
    pandas.DataFrame
        The rupture rows, in table order, with a fresh index.

    Examples
    --------
    >>> t = pd.DataFrame({"actor_a": ["ALB"], "actor_b": ["RUS"], "kind": ["rupture"],
    ...                   "start": pd.to_datetime(["1961-12-03"]),
    ...                   "end": pd.to_datetime(["1990-07-30"])})
    >>> relations_broken(t)[["start", "end"]].astype(str).values.tolist()
    [['1961-12-03', '1990-07-30']]
    """
    rupture = is_pair(ties["actor_a"], ties["actor_b"], a, b) & (ties["kind"] == "rupture")
    return ties.loc[rupture.fillna(False).astype(bool)].reset_index(drop=True)
