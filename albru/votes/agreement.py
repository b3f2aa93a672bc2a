"""How alike two states voted: four measures, with intervals that resample resolutions.

Every measure is taken over the roll calls on which both states voted (yes, abstain or no),
from the 3 x 3 table of their joint votes:

- ``identical``: the share of identical votes;
- ``cohen_kappa``: Cohen's kappa, ``identical`` corrected for the agreement the two states' own
  vote frequencies (the *marginals*, reported beside it) would give by chance. Where one state
  cast the same vote on every joint roll call, kappa is 0 by construction whatever the other
  did; it is then reported as undefined (missing), not as 0;
- ``scott_pi``: Scott's pi, the same correction with the chance agreement taken from the two
  states' pooled frequencies (Häge 2011, *Political Analysis* 19(3), recommends it for
  dyadic foreign-policy similarity); undefined only where both cast one and the same vote
  throughout;
- ``s_score``: the S score of Signorino and Ritter (1999) on the scale yes = 1, abstain = 0.5,
  no = 0, that is ``1 - 2 * mean |x_a - x_b|``, from -1 (always opposite) to 1.

Roll calls are not independent draws: several may be paragraph or amendment votes on one
draft resolution. :func:`resolution_groups` ties them together and the bootstrap of
:func:`agreement` resamples those groups, not single roll calls.

>>> agreement(by="session").loc[[17, 69], ["n_votes", "n_resolutions", "s_score"]].round(2)
         n_votes  n_resolutions  s_score
session
17            42             22     1.00
69            77             77     0.38
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Hashable

import numpy as np
import pandas as pd

from albru._compat import OLD_MEASURE_NAMES, RenamedColumns, renamed, renamed_value
from albru.dyad import A, B
from albru.reader import handed
from albru.votes.core import UNVotes, code_of, groups_of, issue_rows, load_votes

__all__ = ["MEASURES", "OLD_NAMES", "PANEL_NAMES", "agreement", "agreement_by_issue",
           "agreement_by_year", "agreement_draws", "all_pairs", "pair_percentile",
           "resolution_groups", "table_measures", "vote_kinds"]

#: The agreement measures, in the order every function returns them.
MEASURES = ("identical", "cohen_kappa", "scott_pi", "s_score")
#: Short column names of :func:`agreement_by_year`, kept for the dyad-year panel.
PANEL_NAMES = {"identical": "share", "cohen_kappa": "kappa", "s_score": "s"}
#: The measures' names before the votes package (deprecated: they warn, then give the new).
OLD_NAMES = OLD_MEASURE_NAMES
#: Sessions up to this one name the draft in the description; later ones in ``unres``.
_LAST_DRAFT_SESSION = 25
_DRAFT = re.compile(r"\bA/\s?(?:(?:C\.\d|SPC|ES-\d+|S-\d+)/)?(?:L\.\s?)?\d+")
_SUFFIX = re.compile(r"[A-Z]+$")
_PAIRS: dict[tuple, tuple[pd.DataFrame, np.ndarray, np.ndarray]] = {}
_PAIRS_KEPT = 4


def table_measures(table: np.ndarray) -> dict[str, np.ndarray]:
    """The four measures and the marginals from 3 x 3 tables of joint votes (last two axes:
    first state's vote yes/abstain/no, second state's vote).

    Examples
    --------
    A worked example for Scott's pi: four roll calls, votes (y, y), (y, n), (n, n), (a, y).
    Observed agreement 2/4; pooled shares yes 4/8, no 3/8, abstain 1/8 give a chance
    agreement of 0.40625, so pi = (0.5 - 0.40625) / (1 - 0.40625) = 3/19.

    >>> t = np.array([[1, 0, 1], [1, 0, 0], [0, 0, 1]])
    >>> {k: round(float(v), 4) for k, v in table_measures(t).items() if k in MEASURES}
    {'identical': 0.5, 'cohen_kappa': 0.2, 'scott_pi': 0.1579, 's_score': 0.25}
    """
    table = np.asarray(table, dtype=float)
    # the sums over the three votes are written out, and the total is the sum of the row
    # sums (exact for counts): reducing short or strided axes costs several times as much
    t = [[table[..., k, m] for m in range(3)] for k in range(3)]
    row = [t[k][0] + t[k][1] + t[k][2] for k in range(3)]
    col = [t[0][k] + t[1][k] + t[2][k] for k in range(3)]
    n = row[0] + row[1] + row[2]
    with np.errstate(invalid="ignore", divide="ignore"):
        r, c = [x / n for x in row], [x / n for x in col]
        observed = (t[0][0] + t[1][1] + t[2][2]) / n
        chance = r[0] * c[0] + r[1] * c[1] + r[2] * c[2]
        half = [(r[k] + c[k]) / 2 for k in range(3)]
        pooled = half[0] ** 2 + half[1] ** 2 + half[2] ** 2
        # a state varies where at least two of its three shares are above zero
        pa, pb = [x > 0 for x in r], [x > 0 for x in c]
        varies = (((pa[0] & (pa[1] | pa[2])) | (pa[1] & pa[2]))
                  & ((pb[0] & (pb[1] | pb[2])) | (pb[1] & pb[2])))
        kappa = np.where(varies, (observed - chance) / (1 - chance), np.nan)
        pi = np.where(pooled < 1, (observed - pooled) / (1 - pooled), np.nan)
        far = t[0][1] + t[1][0] + t[1][2] + t[2][1] + 2 * (t[0][2] + t[2][0])
        s = 1 - far / n
    out = {"identical": observed, "cohen_kappa": kappa, "scott_pi": pi, "s_score": s}
    for k, name in enumerate(("yes", "abstain", "no")):
        out[f"{name}_a"], out[f"{name}_b"] = r[k], c[k]
    return out


def resolution_groups(data: UNVotes | None = None) -> pd.Series:
    """The resolution each roll call belongs to, so that paragraph, amendment and final votes
    on one text count as one draw.

    The rule, from what the release keeps: up to session 25 (1970) the release's ``unres`` is
    a code of the roll call, not of the resolution, and the description names the draft put
    to the vote (``A/L.339``, ``A/4709``, ``A/C.1/L.12`` ...), so roll calls of one session
    naming the same draft form a group. From session 26 ``unres`` carries the resolution
    number, with a letter for each part (``R/30/3390A``, ``R/30/3390B``) and the same code on
    paragraph votes, so roll calls of one session with the same number, letters dropped, form a
    group. A roll call that names neither is a group of its own.

    Returns
    -------
    pandas.Series
        Indexed by ``rcid``: ``"<session>:<draft or number>"``, or ``"rcid:<rcid>"``.

    Examples
    --------
    >>> groups = resolution_groups()
    >>> calls = load_votes().rollcalls
    >>> int(groups[calls["year"] == 1961].nunique()) < int((calls["year"] == 1961).sum())
    True
    """
    data = load_votes() if data is None else data
    cached = data.__dict__.get("_resolutions")
    if cached is not None:
        return cached.copy()
    calls = data.rollcalls
    early = calls["session"] <= _LAST_DRAFT_SESSION
    # only the early sessions' descriptions are searched: the rest are never read, and the
    # search is most of this function's work
    draft = calls.loc[early, "descr"].str.upper().str.extract(f"({_DRAFT.pattern})",
                                                              expand=False)
    draft = draft.str.replace(" ", "", regex=False).reindex(calls.index)
    number = calls["unres"].str.strip().str.replace(_SUFFIX, "", regex=True)
    session = calls["session"].astype(str)
    key = pd.Series("rcid:" + calls.index.astype(str), index=calls.index, name="resolution")
    by_number = ~early & number.ne("")
    key[by_number] = session[by_number] + ":" + number[by_number]
    by_draft = early & draft.notna()
    key[by_draft] = session[by_draft] + ":" + draft[by_draft]
    fallback = early & draft.isna() & number.ne("")
    key[fallback] = session[fallback] + ":" + number[fallback]
    object.__setattr__(data, "_resolutions", key)  # derived once per extract
    return key.copy()


def vote_kinds(data: UNVotes | None = None) -> pd.Series:
    """What each roll call was on, as far as the release says: ``final`` (a whole text),
    ``part`` (a paragraph or an amendment) or ``unknown``.

    The release flags paragraph (``para``) and amendment (``amend``) votes up to session 39
    (1984-85) and the paragraph votes it added for sessions 52-67 and 71-72; elsewhere both
    flags are empty and a roll call is ``unknown``: the release cannot tell a paragraph vote
    from a final one there.

    >>> vote_kinds().value_counts().to_dict()
    {'unknown': 2971, 'final': 2087, 'part': 1145}
    """
    data = load_votes() if data is None else data
    calls = data.rollcalls
    part = calls["para"].fillna(False).astype(bool) | calls["amend"].fillna(False).astype(bool)
    coded = calls["para"].notna() | calls["amend"].notna()
    late_added = calls["session"].isin(list(range(52, 68)) + [71, 72])
    kind = np.where(part, "part", np.where(coded & ~late_added, "final", "unknown"))
    return pd.Series(pd.Categorical(kind, categories=["final", "part", "unknown"]),
                     index=calls.index, name="kind")


def _paired(a: str | int, b: str | int, by: str | pd.Series, issue: str | None,
            final_only: bool, data: UNVotes) -> tuple[pd.Index, np.ndarray, np.ndarray,
                                                      np.ndarray, np.ndarray]:
    """Group labels, then for every joint roll call: its group, the two votes (0-2) and its
    resolution (as an integer)."""
    ia = data.countries.index.get_loc(code_of(a, data))
    ib = data.countries.index.get_loc(code_of(b, data))
    labels, group = groups_of(data, by)
    ca, cb = data.codes[:, ia], data.codes[:, ib]
    keep = (ca > 0) & (cb > 0) & (group >= 0) & issue_rows(data, issue)
    if final_only:
        keep &= (vote_kinds(data) != "part").to_numpy()
    resolution = pd.factorize(resolution_groups(data))[0]
    return (labels, group[keep], ca[keep].astype(int) - 1, cb[keep].astype(int) - 1,
            resolution[keep])


def _cluster_tables(group: np.ndarray, va: np.ndarray, vb: np.ndarray,
                    resolution: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One 3 x 3 table per (group, resolution) cluster, and each cluster's group."""
    keys = np.stack([group, resolution], axis=1)
    clusters, which = np.unique(keys, axis=0, return_inverse=True)
    tables = np.zeros((len(clusters), 9))
    np.add.at(tables, (which.ravel(), va * 3 + vb), 1)
    return tables.reshape(-1, 3, 3), clusters[:, 0]


def _bounds(k: int, level: float) -> float:
    """Clopper-Pearson upper bound on a share observed as 0 of ``k`` clusters: the
    ``1 - (1 - level) / 2`` quantile of Beta(1, k). Its distribution function is
    ``1 - (1 - x) ** k``, so the quantile has a closed form (no scipy import, 0.3 s)."""
    return -math.expm1(math.log((1 - level) / 2) / k)


def agreement(a: str | int = A, b: str | int = B, *, by: str | pd.Series = "year",
              issue: str | None = None, final_only: bool = False, min_votes: int = 10,
              n: int = 0, level: float = 0.95, seed: int = 0,
              data: UNVotes | None = None, n_boot: int | None = None) -> pd.DataFrame:
    """How alike two states voted, per year, session or any grouping of roll calls.

    Parameters
    ----------
    a, b
        The two states (see :func:`~albru.votes.code_of`); by default the dyad of
        :mod:`albru.dyad`.
    by
        ``"year"`` (calendar year of the vote), ``"session"``, or a Series of labels indexed
        by ``rcid`` (roll calls without a label are left out).
    issue
        Only the roll calls of one issue category (a key or name of ``ISSUES``).
    final_only
        Leave out the roll calls the release flags as paragraph or amendment votes (see
        :func:`vote_kinds`; where it flags nothing, every roll call stays).
    min_votes
        Fewer joint roll calls than this give missing measures (the counts are always shown).
    n, level, seed
        With ``n > 0``, intervals at coverage ``level`` from ``n`` bootstrap draws that
        resample resolutions (:func:`resolution_groups`) within each group, seeded. Where
        every draw gives the same value (no variation: e.g. every joint vote identical) the
        percentile interval would be a point. Where the two states voted alike on every joint
        roll call it is replaced, for ``identical`` and ``s_score``, by the Clopper-Pearson
        bound ``u`` on the share of resolutions with any disagreement (``identical >= 1 - u``,
        ``s_score >= 1 - 2u``); otherwise, and for the chance-corrected measures, it is left
        missing. Column ``interval`` says which was used.
    n_boot
        Deprecated name of ``n`` (it warns).

    Returns
    -------
    pandas.DataFrame
        One row per group of the record: ``n_votes`` (joint roll calls), ``n_resolutions``,
        the four :data:`MEASURES`, the marginals ``yes_a`` ... ``no_b`` (each state's share of
        yes, abstain and no over the joint roll calls) and, with ``n``, ``<measure>_lo``,
        ``<measure>_hi`` and ``interval``. The measures' old column names (``share``,
        ``kappa``, ``s``) still read them, with a deprecation warning.

    Examples
    --------
    >>> from albru.votes import make_votes
    >>> calls = pd.DataFrame({"rcid": range(1, 5), "session": 1, "date": "1950-01-01"})
    >>> toy = make_votes(calls, pd.DataFrame({"rcid": range(1, 5),
    ...                                       "AAA": ["y", "y", "n", "a"],
    ...                                       "BBB": ["y", "n", "n", ""]}))
    >>> agreement("AAA", "BBB", data=toy, min_votes=1)[list(MEASURES)].round(3)
          identical  cohen_kappa  scott_pi  s_score
    year
    1950      0.667          0.4     0.333    0.333
    """
    n = renamed("agreement", "n_boot", "n", n_boot, n)
    data = load_votes() if data is None else data
    labels, group, va, vb, resolution = _paired(a, b, by, issue, final_only, data)
    tables, owner = _cluster_tables(group, va, vb, resolution)
    totals = np.zeros((len(labels), 3, 3))
    np.add.at(totals, owner, tables)
    counts = totals.sum(axis=(1, 2)).astype(int)
    found = table_measures(totals)
    enough = counts >= max(min_votes, 1)
    out = pd.DataFrame({"n_votes": counts,
                        "n_resolutions": np.bincount(owner, minlength=len(labels))},
                       index=labels)
    for name, values in found.items():
        out[name] = np.where(enough, values, np.nan)
    if n:
        _intervals(out, tables, owner, enough, n, level, seed)
    return RenamedColumns.of(out, "agreement", OLD_NAMES)


def _draw_tables(tables: np.ndarray, owner: np.ndarray, g: int, n: int,
                 rng: np.random.Generator) -> np.ndarray:
    """``n`` bootstrap sums of the 3 x 3 tables of group ``g``'s clusters: how often each
    distinct table is drawn, times that table. Most clusters share one of a few tables (one
    roll call, both yes), so counting draws per distinct table instead of per cluster keeps
    the counts small (an era of 1,800 clusters: 55 -> 10 ms). The counts are whole, so the
    product is taken in integers (exact, and without OpenBLAS, whose threads cost more than
    so small a product). The distinct tables are found with each table's nine cells read as
    one 72-byte value, several times quicker than ``np.unique(axis=0)``; they then come in
    another order, which does not change the sums."""
    mine = tables[owner == g].astype(np.int64).reshape(-1, 9)
    k = len(mine)
    pick = rng.integers(0, k, size=(n, k))
    _, first, kind = np.unique(mine.view(np.dtype((np.void, mine.itemsize * 9)))[:, 0],
                               return_index=True, return_inverse=True)
    kinds = mine[first]
    u = len(kinds)
    times = np.bincount((kind.ravel()[pick] + u * np.arange(n)[:, None]).ravel(),
                        minlength=n * u)
    return (times.reshape(n, u) @ kinds).reshape(n, 3, 3).astype(float)


def _draws(tables: np.ndarray, owner: np.ndarray, enough: np.ndarray, n: int,
           seed: int) -> dict[str, np.ndarray]:
    """Bootstrap values per measure, shape (draw, group), resolutions resampled in groups."""
    rng = np.random.default_rng(seed)
    out = {m: np.full((n, len(enough)), np.nan) for m in MEASURES}
    for g in np.flatnonzero(enough):
        found = table_measures(_draw_tables(tables, owner, g, n, rng))
        for m in MEASURES:
            out[m][:, g] = found[m]
    return out


def _nan_quantiles(values: np.ndarray, q: list[float]) -> np.ndarray:
    """``np.nanquantile(values, q, axis=0)``, the columns without a missing value taken all at
    once: numpy goes column by column through the whole array as soon as any value is missing
    (a group where every draw is missing, or a draw where kappa is undefined)."""
    whole = ~np.isnan(values).any(axis=0)
    out = np.empty((len(q), values.shape[1]))
    out[:, whole] = np.quantile(values[:, whole], q, axis=0)
    out[:, ~whole] = np.nanquantile(values[:, ~whole], q, axis=0)
    return out


def _intervals(out: pd.DataFrame, tables: np.ndarray, owner: np.ndarray, enough: np.ndarray,
               n: int, level: float, seed: int) -> None:
    draws = _draws(tables, owner, enough, n, seed)
    tails = [(1 - level) / 2, 1 - (1 - level) / 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-missing groups stay missing
        ends = {m: _nan_quantiles(draws[m], tails) for m in MEASURES}  # (lo, hi) rows
        spread = np.nanmax(draws["s_score"], axis=0) - np.nanmin(draws["s_score"], axis=0)
    # groups without variation are set in the arrays, before the frame gets them (setting
    # them row by row through .loc took about 50 ms a call)
    flat = enough & (spread == 0)
    alike = flat & (out["identical"].to_numpy() == 1)  # every joint vote the same
    interval = np.where(enough, "percentile", "").astype(object)
    interval[flat] = "none (no variation)"
    interval[alike] = "bound (no variation)"
    for m in MEASURES:
        ends[m][:, flat] = np.nan
    u = np.array([_bounds(int(k), level) for k in out["n_resolutions"].to_numpy()[alike]])
    ends["identical"][:, alike] = [1 - u, np.ones(len(u))]  # bound the exceptions
    ends["s_score"][:, alike] = [1 - 2 * u, np.ones(len(u))]
    out["interval"] = interval
    for m in MEASURES:
        out[f"{m}_lo"], out[f"{m}_hi"] = ends[m]


def agreement_draws(a: str | int = A, b: str | int = B, *, measure: str = "s_score",
                    by: str | pd.Series = "year", issue: str | None = None,
                    final_only: bool = False, min_votes: int = 10, n: int = 1000,
                    seed: int = 0, data: UNVotes | None = None,
                    n_boot: int | None = None) -> pd.DataFrame:
    """Bootstrap replicates of one measure: a row per draw, a column per group.

    Each draw resamples, with replacement, the resolutions (:func:`resolution_groups`) of
    every group on which both states voted; groups with fewer than ``min_votes`` joint roll
    calls are missing. The same ``seed`` gives the draws behind :func:`agreement`'s intervals.
    The deprecated ``n_boot`` (for ``n``) and old measure names (:data:`OLD_NAMES`) warn.

    >>> draws = agreement_draws(n=200)
    >>> draws.shape, bool(draws[1962].eq(1.0).all()), bool(draws[2014].std() > 0)
    ((200, 75), True, True)
    """
    n = renamed("agreement_draws", "n_boot", "n", n_boot, n)
    measure = renamed_value("agreement_draws", "measure", measure, OLD_NAMES)
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}")
    data = load_votes() if data is None else data
    labels, group, va, vb, resolution = _paired(a, b, by, issue, final_only, data)
    tables, owner = _cluster_tables(group, va, vb, resolution)
    counts = np.bincount(group, minlength=len(labels))
    values = _draws(tables, owner, counts >= max(min_votes, 1), n, seed)[measure]
    return pd.DataFrame(values, index=pd.RangeIndex(n, name="draw"), columns=labels)


def _pair_tables(codes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The 3 x 3 tables of joint votes of the pairs of columns ``(a[i], b[i])`` of one group's
    vote matrix, as an array of shape ``(9, pairs)``: row ``3 * k + l`` counts the roll calls
    where the first state voted k and the second l (``.T.reshape(-1, 3, 3)`` views it as
    tables, whose cells are then contiguous rows, quick for :func:`table_measures`).

    Each state's yes, abstain and no votes are packed as bits, 64 roll calls a word: the roll
    calls where the first state voted k and the second l are the bits set in both words. The
    counts are those of the Gram matrix of the yes/abstain/no indicators, without its matrix
    product, which OpenBLAS spreads over threads that cost several times its work.
    """
    bits = np.packbits(np.stack([codes == k for k in (1, 2, 3)]), axis=1)  # vote, byte, state
    bits = np.pad(bits, ((0, 0), (0, -bits.shape[1] % 8), (0, 0)))
    words = (bits.reshape(3, -1, 8, bits.shape[2]).transpose(1, 0, 3, 2).copy()
             .view(np.uint64)[..., 0])  # word, vote, state
    # a count never exceeds the roll calls: the smallest integer that holds them is enough,
    # and saves casting every word's counts up to a wider integer
    n = codes.shape[1]
    counts = np.zeros((3, 3, n, n), dtype=np.min_scalar_type(len(codes)))
    for word in words:
        counts += np.bitwise_count(word[:, None, :, None] & word[None, :, None, :])
    return counts.reshape(9, n * n).take(a * n + b, axis=1).astype(float)


def all_pairs(*, by: str | pd.Series = "year", issue: str | None = None, min_votes: int = 10,
              data: UNVotes | None = None) -> pd.DataFrame:
    """Every pair of states in every group with at least ``min_votes`` roll calls in common.

    Returns a long table: the group, ``a`` and ``b`` (``a`` < ``b``), ``n_votes`` and the four
    :data:`MEASURES`: the reference distribution a single pair is read against. Results for
    the shipped data by ``"year"`` or ``"session"`` are kept for the next call (each caller gets
its own frame: see :func:`albru.reader.handed`). The
    measures' old column names (``share``, ``kappa``, ``s``) still read them, with a warning.

    >>> pairs = all_pairs()
    >>> int(pairs.loc[pairs["year"] == 1990, "n_votes"].min()) >= 10
    True
    """
    return RenamedColumns.of(handed(_pairs(by, issue, min_votes, data)[0]), "all_pairs",
                             OLD_NAMES)


def _pairs(by: str | pd.Series, issue: str | None, min_votes: int,
           data: UNVotes | None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """:func:`all_pairs`'s frame, which may be the kept one (hand out a copy), and the
    positions of ``a`` and ``b`` among ``data.countries`` (read-only): comparing these is
    much quicker than comparing 800,000 codes as strings.

    The last :data:`_PAIRS_KEPT` results for the shipped data by ``"year"`` or
    ``"session"`` are kept, keyed by grouping, issue and ``min_votes``.
    """
    shipped = data is None or data is load_votes()
    key = (by, issue, min_votes) if shipped and isinstance(by, str) else None
    if key in _PAIRS:
        return _PAIRS[key]
    data = load_votes() if data is None else data
    labels, group = groups_of(data, by)
    keep = issue_rows(data, issue) & (group >= 0)
    states = data.countries.index.to_numpy()
    found: dict[str, list[np.ndarray]] = {k: [] for k in ("group", "a", "b", "n_votes",
                                                          *MEASURES)}
    for g in range(len(labels)):
        rows = keep & (group == g)
        if not rows.any():
            continue
        codes = data.codes[rows]
        # a state with no vote in the group shares no roll call with any other: leave it out
        voted = np.flatnonzero((codes > 0).any(axis=0))
        upper_a, upper_b = np.triu_indices(len(voted), k=1)
        cells = _pair_tables(codes[:, voted], upper_a, upper_b)
        count = cells.sum(axis=0)
        ok = count >= max(min_votes, 1)
        # measured on every pair and then selected: selecting the tables first copies them
        # into a layout whose cells are strided, which costs more than the few pairs dropped
        measures = table_measures(cells.T.reshape(-1, 3, 3))
        for name, values in (("group", np.full(ok.sum(), g)), ("a", voted[upper_a[ok]]),
                             ("b", voted[upper_b[ok]]), ("n_votes", count[ok].astype(int)),
                             *((m, measures[m][ok]) for m in MEASURES)):
            found[name].append(values)
    columns = {name: np.concatenate(values) for name, values in found.items()}
    first, second = columns.pop("a"), columns.pop("b")
    first.setflags(write=False)
    second.setflags(write=False)
    # the columns are new arrays of this call: the frame takes them as they are (copy=False)
    # instead of copying 800,000 rows into blocks, which cost 20 to 100 ms
    out = pd.DataFrame({labels.name or "group": labels.take(columns.pop("group")).to_numpy(),
                        "a": pd.Series(states[first], dtype=object),
                        "b": pd.Series(states[second], dtype=object), **columns}, copy=False)
    if key is not None:
        if len(_PAIRS) >= _PAIRS_KEPT:
            del _PAIRS[next(iter(_PAIRS))]  # the oldest
        _PAIRS[key] = (out, first, second)
    return out, first, second


def pair_percentile(a: str | int = A, b: str | int = B, *, measure: str = "s_score",
                    by: str | pd.Series = "year", issue: str | None = None,
                    min_votes: int = 10, data: UNVotes | None = None) -> pd.Series:
    """Where a pair's agreement falls among all pairs of the same group, in percent.

    The percentile rank counts the pairs below the pair's value and half of those equal to
    it (the pair itself included), over all pairs with at least ``min_votes`` roll calls in
    common; missing where the pair has fewer. Old measure names (:data:`OLD_NAMES`) warn.

    >>> bool(pair_percentile().loc[1958] > 90)
    True
    """
    measure = renamed_value("pair_percentile", "measure", measure, OLD_NAMES)
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}")
    pair = agreement(a, b, by=by, issue=issue, min_votes=min_votes, data=data)[measure]
    pairs = all_pairs(by=by, issue=issue, min_votes=min_votes, data=data)
    group, labels = pd.factorize(pairs.iloc[:, 0], sort=True)
    value = pair.reindex(labels).to_numpy()
    values = pairs[measure].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        below = np.bincount(group, (values < value[group]) + 0.5 * (values == value[group]),
                            len(labels))
        share = 100 * below / np.bincount(group, ~np.isnan(values), len(labels))
    share[~np.isfinite(value)] = np.nan
    return pd.Series(share, index=labels).reindex(pair.index).rename(f"{measure}_percentile")


def agreement_by_year(a: str | int = A, b: str | int = B, *, years=None, min_votes: int = 10,
                      n: int = 0, seed: int = 0, prefix: str = "",
                      data: UNVotes | None = None, n_boot: int | None = None) -> pd.DataFrame:
    """Yearly agreement of a pair, ready to join a dyad-year panel on its ``year`` index.

    Columns, under the panel's short names (:data:`PANEL_NAMES`): ``n_votes``, ``share``
    (``identical``), ``kappa`` (``cohen_kappa``), ``s`` (``s_score``), ``s_percentile`` (the
    pair's rank among all pairs that year, see :func:`pair_percentile`) and, with ``n``, the
    intervals; each name after ``prefix``. ``years`` reindexes the result (years outside the
    record get missing values, and ``n_votes`` 0 only inside it). ``n_boot`` is the
    deprecated name of ``n``.

    >>> agreement_by_year(years=[1950, 1962, 2022], prefix="un_")[["un_n_votes", "un_share"]]
          un_n_votes  un_share
    year
    1950           0       NaN
    1962          62       1.0
    2022        <NA>       NaN
    """
    n = renamed("agreement_by_year", "n_boot", "n", n_boot, n)
    found = agreement(a, b, by="year", min_votes=min_votes, n=n, seed=seed, data=data)
    columns = ["n_votes"] + [f"{m}{end}" for m in PANEL_NAMES
                             for end in ("", "_lo", "_hi") if f"{m}{end}" in found]
    out = found[columns].rename(columns=lambda c: next(
        (c.replace(m, short, 1) for m, short in PANEL_NAMES.items() if c.startswith(m)), c))
    out["s_percentile"] = pair_percentile(a, b, min_votes=min_votes, data=data)
    if years is not None:
        out = out.reindex(pd.Index(list(years), name="year"))
    out["n_votes"] = out["n_votes"].astype("Int64")
    return out.add_prefix(prefix)


def agreement_by_issue(a: str | int = A, b: str | int = B, *, by: str | pd.Series = "year",
                       min_votes: int = 10, n: int = 0, seed: int = 0,
                       data: UNVotes | None = None, n_boot: int | None = None) -> pd.DataFrame:
    """:func:`agreement` for each issue category of the release, stacked (issue, group).
    ``n_boot`` is the deprecated name of ``n``.

    A roll call may carry several issues or none; the ones without any count only in
    :func:`agreement` over all roll calls.

    >>> from albru.votes import ISSUES
    >>> by_issue = agreement_by_issue(by="session")
    >>> sorted(by_issue.index.get_level_values("issue").unique()) == sorted(ISSUES)
    True
    """
    from albru.votes.core import ISSUES

    n = renamed("agreement_by_issue", "n_boot", "n", n_boot, n)
    frames: dict[Hashable, pd.DataFrame] = {
        issue: agreement(a, b, by=by, issue=issue, min_votes=min_votes, n=n, seed=seed,
                         data=data)
        for issue in ISSUES
    }
    return pd.concat(frames, names=["issue"])
