"""UN General Assembly roll-call votes: the shipped extract and the agreement of two states.

The extract (``data/external/unvotes/``, see its README) holds every recorded plenary roll call
from 1946 to the release's last session and each member's vote: yes, abstain or no. A state
that was absent, not yet a member or no longer a state has no vote there, and every measure
here treats that as missing, never as a vote or a zero.

Three standard measures of how alike two states vote, each over the roll calls on which both
voted:

- ``share``: the share of identical votes (yes-yes, abstain-abstain, no-no);
- ``kappa``: Cohen's kappa over the three categories, the share corrected for the agreement
  the two states' own vote frequencies would give by chance (Häge 2011, *Political Analysis*
  19(3));
- ``s``: the S score of Signorino and Ritter (1999, *International Studies Quarterly* 43(1))
  on the three-point scale yes = 1, abstain = 0.5, no = 0, that is ``1 - 2 * mean |x_a - x_b|``,
  from -1 (always opposite) to 1 (always alike); coding yes = 1, abstain = 2, no = 3 with the
  largest distance 2, as is also common, gives the same values.

>>> from albru import votes
>>> votes.agreement("ALB", "RUS").loc[[1962, 2014], ["n_votes", "share"]].round(2)
      n_votes  share
year
1962       62   1.00
2014       78   0.55
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from albru.dataset import data_dir
from albru.validation import AlbruDataError, Problem

__all__ = [
    "ISSUES",
    "MEASURES",
    "VOTE_CODES",
    "UNVotes",
    "agreement",
    "agreement_by_issue",
    "agreement_by_year",
    "agreement_draws",
    "all_pairs",
    "code_of",
    "load_votes",
    "make_votes",
    "pair_percentile",
]

#: Vote letters in the extract and their codes here (the release's 1, 2, 3; 0 = no vote).
VOTE_CODES = {"y": 1, "a": 2, "n": 3}
#: The release's issue categories: column name -> description.
ISSUES = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}
#: The agreement measures every function returns.
MEASURES = ("share", "kappa", "s")

_FOLDER = "external/unvotes"
_FLAGS = ("importantvote", "amend", "para")
_ROLLCALL_COLUMNS = ("rcid", "session", "date", "unres", "short", *_FLAGS, *ISSUES)
_COUNTRY_COLUMNS = ("code", "cow_code", "iso3", "release_code", "name")


@dataclass(frozen=True, repr=False)
class UNVotes:
    """Roll calls, states and votes, typed and checked.

    ``rollcalls`` is indexed by ``rcid`` (``session``, ``date``, ``year``, ``unres``, ``short``,
    nullable boolean flags, boolean issue columns); ``countries`` by ``code``; ``codes`` is
    the vote matrix (roll calls in ``rollcalls`` order by states in ``countries`` order),
    int8 with 1 yes, 2 abstain, 3 no and 0 where no vote is recorded.
    """

    rollcalls: pd.DataFrame
    countries: pd.DataFrame
    codes: np.ndarray

    def __repr__(self) -> str:
        return (f"UNVotes({len(self.rollcalls)} roll calls, {len(self.countries)} states, "
                f"{int((self.codes > 0).sum())} votes)")

    def votes_of(self, code: str | int) -> pd.Series:
        """One state's votes as a categorical Series indexed by ``rcid`` (missing = no vote).

        >>> load_votes().votes_of("ALB").value_counts().sort_index().to_dict()
        {'yes': 3007, 'abstain': 554, 'no': 677}
        """
        column = self.countries.index.get_loc(code_of(code, self))
        labels = np.array([None, "yes", "abstain", "no"], dtype=object)
        values = pd.Categorical(labels[self.codes[:, column]],
                                categories=["yes", "abstain", "no"])
        return pd.Series(values, index=self.rollcalls.index, name=self.countries.index[column])


def _problems_in_votes(votes: pd.DataFrame, file: str, known: set[int]) -> list[Problem]:
    problems = []
    if "rcid" not in votes.columns:
        return [Problem(file, 1, "rcid", None, "column missing")]
    letters = set(VOTE_CODES) | {""}
    states = [c for c in votes.columns if c != "rcid"]
    cells = votes[states].fillna("").astype(str).to_numpy()
    bad_rows, bad_cols = np.nonzero(~np.isin(cells, list(letters)))
    for row, col in zip(bad_rows[:50], bad_cols[:50], strict=True):
        problems.append(Problem(file, int(row) + 2, states[col], cells[row, col],
                                "vote not one of y, a, n or empty"))
    ids = pd.to_numeric(votes["rcid"], errors="coerce")
    for row in np.flatnonzero(ids.isna().to_numpy())[:50]:
        problems.append(Problem(file, int(row) + 2, "rcid", str(votes["rcid"].iloc[row]),
                                "not an integer"))
    for row in np.flatnonzero(ids.duplicated().to_numpy() & ids.notna().to_numpy())[:50]:
        problems.append(Problem(file, int(row) + 2, "rcid", str(ids.iloc[row]),
                                "roll call repeated"))
    for row in np.flatnonzero((~ids.isin(known) & ids.notna()).to_numpy())[:50]:
        problems.append(Problem(file, int(row) + 2, "rcid", str(ids.iloc[row]),
                                "not a roll call in un_rollcalls"))
    return problems


def _flag_column(values: pd.Series, file: str, column: str, nullable: bool,
                 problems: list[Problem]) -> pd.Series:
    text = values.fillna("").astype(str).str.strip().str.lower()
    allowed = {"true", "false", ""} if nullable else {"true", "false"}
    for row in np.flatnonzero(~text.isin(allowed).to_numpy())[:50]:
        problems.append(Problem(file, int(row) + 2, column, text.iloc[row],
                                f"not one of {', '.join(sorted(allowed - {''}))}"
                                + (" or empty" if nullable else "")))
    out = text.map({"true": True, "false": False})
    return out.astype("boolean") if nullable else out.fillna(False).astype(bool)


def make_votes(rollcalls: pd.DataFrame, votes: pd.DataFrame,
               countries: pd.DataFrame | None = None,
               files: tuple[str, str, str] = ("un_rollcalls", "un_votes", "un_countries"),
               ) -> UNVotes:
    """Check and type roll calls and a wide vote table (``rcid`` + one column per state).

    Votes are the letters ``y``, ``a``, ``n`` or empty; ``countries`` (``code``, ``cow_code``,
    ``iso3``, ``release_code``, ``name``) may be left out for a toy table. Every broken rule
    is collected into one :class:`~albru.AlbruDataError`.

    >>> calls = pd.DataFrame({"rcid": [1, 2], "session": [1, 1],
    ...                       "date": ["1950-01-01", "1950-02-01"]})
    >>> make_votes(calls, pd.DataFrame({"rcid": [1, 2], "AAA": ["y", "n"], "BBB": ["y", ""]}))
    UNVotes(2 roll calls, 2 states, 3 votes)
    >>> make_votes(calls, pd.DataFrame({"rcid": [1, 2], "AAA": ["y", "x"]}))
    Traceback (most recent call last):
    ...
    albru.problems.AlbruDataError: 1 problem in the albru data:
      un_votes, line 3, column AAA, value 'x': vote not one of y, a, n or empty
    """
    calls_file, votes_file, countries_file = files
    problems: list[Problem] = []
    calls = rollcalls.copy()
    for column in ("rcid", "session", "date"):
        if column not in calls.columns:
            problems.append(Problem(calls_file, 1, column, None, "column missing"))
    if problems:
        raise AlbruDataError(problems)
    for column in ("rcid", "session"):
        number = pd.to_numeric(calls[column], errors="coerce")
        whole = number.notna() & (number == number.round())
        for row in np.flatnonzero(~whole.to_numpy())[:50]:
            problems.append(Problem(calls_file, int(row) + 2, column,
                                    str(calls[column].iloc[row]), "not an integer"))
        calls[column] = number.where(whole, 0).astype(int)
    for row in np.flatnonzero(calls["rcid"].duplicated().to_numpy())[:50]:
        problems.append(Problem(calls_file, int(row) + 2, "rcid", str(calls["rcid"].iloc[row]),
                                "primary key repeated"))
    dates = pd.to_datetime(calls["date"], format="%Y-%m-%d", errors="coerce")
    for row in np.flatnonzero(dates.isna().to_numpy())[:50]:
        problems.append(Problem(calls_file, int(row) + 2, "date", str(calls["date"].iloc[row]),
                                "not a date YYYY-MM-DD"))
    calls["date"] = dates
    calls["year"] = dates.dt.year.astype("Int64")
    for column in ("unres", "short"):
        calls[column] = calls[column].fillna("").astype(str) if column in calls else ""
    for column in _FLAGS:
        if column in calls:
            calls[column] = _flag_column(calls[column], calls_file, column, True, problems)
        else:
            calls[column] = pd.array([pd.NA] * len(calls), dtype="boolean")
    for column in ISSUES:
        if column in calls:
            calls[column] = _flag_column(calls[column], calls_file, column, False, problems)
        else:
            calls[column] = False

    problems += _problems_in_votes(votes, votes_file, set(calls["rcid"]))
    states = [c for c in votes.columns if c != "rcid"]
    if countries is None:
        countries = pd.DataFrame({"code": states, "cow_code": pd.NA, "iso3": "",
                                  "release_code": "", "name": states})
    countries = countries.copy()
    for column in _COUNTRY_COLUMNS:
        if column not in countries.columns:
            problems.append(Problem(countries_file, 1, column, None, "column missing"))
    if not problems:
        for row in np.flatnonzero(countries["code"].duplicated().to_numpy()):
            problems.append(Problem(countries_file, int(row) + 2, "code",
                                    str(countries["code"].iloc[row]), "primary key repeated"))
        extra = sorted(set(states) - set(countries["code"]))
        absent = sorted(set(countries["code"]) - set(states))
        for code in extra:
            problems.append(Problem(votes_file, 1, code, None, "state not in un_countries"))
        for code in absent:
            problems.append(Problem(votes_file, 1, code, None, "un_countries state has no column"))
    if problems:
        raise AlbruDataError(problems)

    calls = calls.set_index("rcid")[["session", "date", "year", "unres", "short", *_FLAGS,
                                     *ISSUES]]
    countries["cow_code"] = pd.to_numeric(countries["cow_code"]).astype("Int64")
    for column in ("iso3", "release_code", "name"):
        countries[column] = countries[column].fillna("").astype(str)
    countries = countries.set_index("code")[list(_COUNTRY_COLUMNS[1:])]
    letters = votes.set_index(votes["rcid"].astype(int)).reindex(calls.index)
    cells = letters[list(countries.index)].fillna("").astype(str).to_numpy()
    codes = np.zeros(cells.shape, dtype=np.int8)
    for letter, code in VOTE_CODES.items():
        codes[cells == letter] = code
    codes.setflags(write=False)
    return UNVotes(calls, countries, codes)


@functools.lru_cache(maxsize=4)
def _load(folder: Path) -> UNVotes:
    problems = [Problem(f"{_FOLDER}/{name}", None, None, None, f"file missing in {folder}")
                for name in ("un_rollcalls.csv", "un_votes.csv", "un_countries.csv")
                if not (folder / name).is_file()]
    if problems:
        raise AlbruDataError(problems)
    calls = pd.read_csv(folder / "un_rollcalls.csv", dtype=str, keep_default_na=False)
    countries = pd.read_csv(folder / "un_countries.csv", dtype=str, keep_default_na=False)
    votes = pd.read_csv(folder / "un_votes.csv", dtype=str, keep_default_na=False)
    return make_votes(calls, votes, countries,
                      files=(f"{_FOLDER}/un_rollcalls.csv", f"{_FOLDER}/un_votes.csv",
                             f"{_FOLDER}/un_countries.csv"))


def load_votes(directory: str | Path | None = None) -> UNVotes:
    """The shipped vote extract (read once, then cached); ``directory`` reads another copy.

    >>> load_votes()
    UNVotes(6203 roll calls, 200 states, 870109 votes)
    """
    folder = Path(directory) if directory is not None else Path(data_dir()) / _FOLDER
    return _load(folder.resolve())


def code_of(actor: str | int, data: UNVotes | None = None) -> str:
    """The extract's column for a state: COW number, ISO alpha-3, COW abbreviation or albru id.

    ISO codes are tried before COW abbreviations (``CZE`` is Czechia in ISO and
    Czechoslovakia in COW); an albru actor id not found otherwise goes through its COW code.

    >>> code_of("ALB"), code_of(365), code_of("DEU"), code_of("SRB"), code_of("CSK")
    ('ALB', 'RUS', 'GMY', 'YUG', 'CZE')
    """
    data = load_votes() if data is None else data
    table = data.countries
    if isinstance(actor, (int, np.integer)) and not isinstance(actor, bool):
        found = table.index[table["cow_code"] == int(actor)]
    else:
        key = str(actor).upper()
        found = table.index[table["iso3"] == key]
        if not len(found):
            found = table.index[table.index == key]
        if not len(found):
            found = table.index[table["release_code"] == key]
        if not len(found):
            from albru.dataset import load

            actors = load().actors
            cow = actors.loc[actors["actor_id"] == key, "cow_code"].dropna()
            if len(cow):
                found = table.index[table["cow_code"] == int(cow.iloc[0])]
    if len(found) != 1:
        raise KeyError(f"no single UN voting state for {actor!r}")
    return str(found[0])


def _groups(data: UNVotes, by: str | pd.Series) -> tuple[pd.Index, np.ndarray]:
    """Group labels for every roll call (-1 = left out) and the full list of groups."""
    calls = data.rollcalls
    if isinstance(by, str):
        if by not in ("year", "session"):
            raise ValueError("by must be 'year', 'session' or a Series indexed by rcid")
        values = calls[by].astype(int)
        labels = pd.RangeIndex(int(values.min()), int(values.max()) + 1, name=by)
        return labels, values.to_numpy() - int(values.min())
    label = by.reindex(calls.index)
    if isinstance(label.dtype, pd.CategoricalDtype):
        labels = pd.Index(label.cat.categories, name=by.name)
    else:
        labels = pd.Index(sorted(label.dropna().unique()), name=by.name)
    position = pd.Series(np.arange(len(labels)), index=labels)
    index = label.map(position).fillna(-1).astype(int).to_numpy()
    return labels, index


def _issue_rows(data: UNVotes, issue: str | None) -> np.ndarray:
    if issue is None:
        return np.ones(len(data.rollcalls), dtype=bool)
    names = {v.lower(): k for k, v in ISSUES.items()}
    column = names.get(issue.lower(), issue)
    if column not in ISSUES:
        raise ValueError(f"issue must be one of {sorted(ISSUES)} or their names, not {issue!r}")
    return data.rollcalls[column].to_numpy(bool)


def _measures(ca: np.ndarray, cb: np.ndarray) -> tuple[np.ndarray, ...]:
    """share, kappa, s along the last axis of paired vote codes (all present)."""
    n = ca.shape[-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (ca == cb).sum(-1) / n
        chance = sum(((ca == k).sum(-1) / n) * ((cb == k).sum(-1) / n) for k in (1, 2, 3))
        kappa = np.where(chance < 1, (share - chance) / (1 - chance), np.nan)
        s = 1 - np.abs(ca.astype(np.int16) - cb).sum(-1) / n
    return share, kappa, s


def agreement(a: str | int, b: str | int, *, by: str | pd.Series = "year",
              issue: str | None = None, min_votes: int = 10, n_boot: int = 0,
              level: float = 0.95, seed: int = 0, data: UNVotes | None = None) -> pd.DataFrame:
    """How alike two states voted, per year, session or any grouping of roll calls.

    Parameters
    ----------
    a, b
        The two states (see :func:`code_of`).
    by
        ``"year"`` (calendar year of the vote), ``"session"``, or a Series of labels indexed
        by ``rcid`` (roll calls without a label are left out).
    issue
        Only the roll calls of one issue category (a key or name of :data:`ISSUES`).
    min_votes
        Fewer roll calls with both states voting than this give missing measures (the count
        ``n_votes`` is always shown).
    n_boot, level, seed
        With ``n_boot > 0``, percentile intervals (``<measure>_lo``, ``<measure>_hi``) from
        ``n_boot`` resamples of the roll calls within each group, seeded.

    Returns
    -------
    pandas.DataFrame
        One row per group, every group of the record (a year without roll calls, or where
        either state did not vote, has ``n_votes`` 0 and missing measures): ``n_votes``,
        ``share``, ``kappa``, ``s`` and the intervals.

    Examples
    --------
    >>> calls = pd.DataFrame({"rcid": range(1, 5), "session": 1, "date": "1950-01-01"})
    >>> toy = make_votes(calls, pd.DataFrame({"rcid": range(1, 5),
    ...                                       "AAA": ["y", "y", "n", "a"],
    ...                                       "BBB": ["y", "n", "n", ""]}))
    >>> agreement("AAA", "BBB", data=toy, min_votes=1).round(3)
          n_votes  share  kappa      s
    year
    1950        3  0.667    0.4  0.333
    """
    labels, ca, cb, starts = _paired(a, b, by, issue, data)
    counts = np.diff(starts)
    columns = ["n_votes", *MEASURES]
    if n_boot:
        columns += [f"{m}_{end}" for m in MEASURES for end in ("lo", "hi")]
    out = pd.DataFrame(np.nan, index=labels, columns=columns)
    out["n_votes"] = counts
    for g in np.flatnonzero(counts >= max(min_votes, 1)):
        pa, pb = ca[starts[g]:starts[g + 1]], cb[starts[g]:starts[g + 1]]
        out.iloc[g, 1:4] = [float(x) for x in _measures(pa, pb)]
    if n_boot:
        draws = _draws(ca, cb, starts, min_votes, n_boot, seed)
        tails = [(1 - level) / 2, 1 - (1 - level) / 2]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-missing groups stay missing
            for m, values in zip(MEASURES, draws, strict=True):
                lo, hi = np.nanquantile(values, tails, axis=0)
                out[f"{m}_lo"], out[f"{m}_hi"] = lo, hi
    out["n_votes"] = out["n_votes"].astype(int)
    return out


def _paired(a: str | int, b: str | int, by: str | pd.Series, issue: str | None,
            data: UNVotes | None) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Group labels, the two states' codes on their joint roll calls sorted by group, and
    where each group starts."""
    data = load_votes() if data is None else data
    ia = data.countries.index.get_loc(code_of(a, data))
    ib = data.countries.index.get_loc(code_of(b, data))
    labels, group = _groups(data, by)
    ca, cb = data.codes[:, ia], data.codes[:, ib]
    keep = (ca > 0) & (cb > 0) & (group >= 0) & _issue_rows(data, issue)
    ca, cb, group = ca[keep], cb[keep], group[keep]
    order = np.argsort(group, kind="stable")
    counts = np.bincount(group, minlength=len(labels))
    return labels, ca[order], cb[order], np.concatenate([[0], np.cumsum(counts)])


def _draws(ca: np.ndarray, cb: np.ndarray, starts: np.ndarray, min_votes: int, n_boot: int,
           seed: int) -> np.ndarray:
    """Bootstrap values, shape (measure, draw, group): roll calls resampled within groups."""
    rng = np.random.default_rng(seed)
    out = np.full((len(MEASURES), n_boot, len(starts) - 1), np.nan)
    for g in np.flatnonzero(np.diff(starts) >= max(min_votes, 1)):
        pa, pb = ca[starts[g]:starts[g + 1]], cb[starts[g]:starts[g + 1]]
        draw = rng.integers(0, len(pa), size=(n_boot, len(pa)))
        out[:, :, g] = _measures(pa[draw], pb[draw])
    return out


def agreement_draws(a: str | int, b: str | int, *, measure: str = "s",
                    by: str | pd.Series = "year", issue: str | None = None,
                    min_votes: int = 10, n_boot: int = 1000, seed: int = 0,
                    data: UNVotes | None = None) -> pd.DataFrame:
    """Bootstrap replicates of one measure: a row per draw, a column per group.

    Each draw resamples, with replacement, the roll calls of every group on which both
    states voted; groups with fewer than ``min_votes`` are missing. The same ``seed`` gives
    the draws behind :func:`agreement`'s intervals.

    >>> draws = agreement_draws("ALB", "RUS", n_boot=200)
    >>> draws.shape, bool(draws[1962].eq(1.0).all()), bool(draws[2014].std() > 0)
    ((200, 75), True, True)
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}")
    labels, ca, cb, starts = _paired(a, b, by, issue, data)
    values = _draws(ca, cb, starts, min_votes, n_boot, seed)[MEASURES.index(measure)]
    return pd.DataFrame(values, index=pd.RangeIndex(n_boot, name="draw"), columns=labels)


def _pair_matrices(codes: np.ndarray) -> dict[str, np.ndarray]:
    """n, share, kappa, s for every pair of columns of one group's vote matrix.

    One Gram matrix of the stacked yes/abstain/no indicators gives every count: block (k, l)
    holds, for each pair of states, the roll calls where the first voted k and the second l.
    """
    states = codes.shape[1]
    stacked = np.concatenate([(codes == k) for k in (1, 2, 3)], axis=1).astype(np.float32)
    gram = (stacked.T @ stacked).astype(np.float64)
    block = [[gram[k * states:(k + 1) * states, m * states:(m + 1) * states]
              for m in range(3)] for k in range(3)]
    n = sum(block[k][m] for k in range(3) for m in range(3))
    same = block[0][0] + block[1][1] + block[2][2]
    dist = block[0][1] + block[1][2] + 2 * block[0][2]
    dist = dist + dist.T
    with np.errstate(invalid="ignore", divide="ignore"):
        first = [sum(block[k]) / n for k in range(3)]  # share of k among a's joint votes
        chance = sum(m * m.T for m in first)
        share = same / n
        kappa = np.where(chance < 1, (share - chance) / (1 - chance), np.nan)
        s = 1 - dist / n
    return {"n_votes": n, "share": share, "kappa": kappa, "s": s}


_PAIRS: dict[tuple, pd.DataFrame] = {}


def all_pairs(*, by: str | pd.Series = "year", issue: str | None = None, min_votes: int = 10,
              data: UNVotes | None = None) -> pd.DataFrame:
    """Every pair of states in every group with at least ``min_votes`` roll calls in common.

    Returns a long table: the group, ``a`` and ``b`` (``a`` < ``b``), ``n_votes``, ``share``,
    ``kappa`` and ``s``: the reference distribution a single pair is read against.

    Results for the shipped data by ``"year"`` or ``"session"`` are kept for the next call.

    >>> pairs = all_pairs()
    >>> int(pairs.loc[pairs["year"] == 1990, "n_votes"].min()) >= 10
    True
    """
    key = (by, issue, min_votes) if data is None and isinstance(by, str) else None
    data = load_votes() if data is None else data
    if key in _PAIRS:
        return _PAIRS[key].copy()
    labels, group = _groups(data, by)
    keep = _issue_rows(data, issue) & (group >= 0)
    states = data.countries.index.to_numpy()
    upper_a, upper_b = np.triu_indices(len(states), k=1)
    frames = []
    for g, label in enumerate(labels):
        rows = keep & (group == g)
        if not rows.any():
            continue
        found = _pair_matrices(data.codes[rows])
        n = found["n_votes"][upper_a, upper_b]
        ok = n >= max(min_votes, 1)
        frame = pd.DataFrame({name: values[upper_a, upper_b][ok]
                              for name, values in found.items()})
        frame.insert(0, "b", states[upper_b[ok]])
        frame.insert(0, "a", states[upper_a[ok]])
        frame.insert(0, labels.name or "group", label)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["n_votes"] = out["n_votes"].astype(int)
    if key is not None:
        _PAIRS[key] = out
        return out.copy()
    return out


def pair_percentile(a: str | int, b: str | int, *, measure: str = "s",
                    by: str | pd.Series = "year", issue: str | None = None,
                    min_votes: int = 10, data: UNVotes | None = None) -> pd.Series:
    """Where a pair's agreement falls among all pairs of the same group, in percent.

    The percentile rank counts the pairs below the pair's value and half of those equal to
    it (the pair itself included), over all pairs with at least ``min_votes`` roll calls in
    common; missing where the pair has fewer.

    >>> pct = pair_percentile("ALB", "RUS")
    >>> bool(pct.loc[1958] > 90)
    True
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}")
    data = load_votes() if data is None else data
    pair = agreement(a, b, by=by, issue=issue, min_votes=min_votes, data=data)[measure]
    pairs = all_pairs(by=by, issue=issue, min_votes=min_votes, data=data)
    key = pairs.columns[0]
    out = pd.Series(np.nan, index=pair.index, name=f"{measure}_percentile")
    for label, values in pairs.groupby(key, sort=True)[measure]:
        value = pair.get(label, np.nan)
        clean = values.dropna().to_numpy()
        if np.isfinite(value) and len(clean):
            out.loc[label] = 100 * ((clean < value).sum() + 0.5 * (clean == value).sum()) / len(
                clean)
    return out


def agreement_by_year(a: str | int = "ALB", b: str | int = "RUS", *, years=None,
                      min_votes: int = 10, n_boot: int = 0, seed: int = 0,
                      prefix: str = "", data: UNVotes | None = None) -> pd.DataFrame:
    """Yearly agreement of a pair, ready to join a dyad-year panel on its ``year`` index.

    Columns: ``n_votes``, ``share``, ``kappa``, ``s``, ``s_percentile`` (the pair's rank
    among all pairs that year, see :func:`pair_percentile`) and, with ``n_boot``, the
    intervals; each name after ``prefix``. ``years`` reindexes the result (years outside the
    record get missing values, and ``n_votes`` 0 only inside it).

    >>> agreement_by_year(years=[1950, 1962, 2022], prefix="un_")[["un_n_votes", "un_share"]]
          un_n_votes  un_share
    year
    1950           0       NaN
    1962          62       1.0
    2022        <NA>       NaN
    """
    data = load_votes() if data is None else data
    out = agreement(a, b, by="year", min_votes=min_votes, n_boot=n_boot, seed=seed, data=data)
    out["s_percentile"] = pair_percentile(a, b, min_votes=min_votes, data=data)
    if years is not None:
        out = out.reindex(pd.Index(list(years), name="year"))
    out["n_votes"] = out["n_votes"].astype("Int64")
    return out.add_prefix(prefix)


def agreement_by_issue(a: str | int, b: str | int, *, by: str | pd.Series = "year",
                       min_votes: int = 10, n_boot: int = 0, seed: int = 0,
                       data: UNVotes | None = None) -> pd.DataFrame:
    """:func:`agreement` for each issue category of the release, stacked (issue, group).

    A roll call may carry several issues or none; the ones without any count only in
    :func:`agreement` over all roll calls.

    >>> by_issue = agreement_by_issue("ALB", "RUS", by="session")
    >>> sorted(by_issue.index.get_level_values("issue").unique()) == sorted(ISSUES)
    True
    """
    frames: dict[Hashable, pd.DataFrame] = {
        issue: agreement(a, b, by=by, issue=issue, min_votes=min_votes, n_boot=n_boot,
                         seed=seed, data=data)
        for issue in ISSUES
    }
    return pd.concat(frames, names=["issue"])
