"""The shipped UN General Assembly vote extract, typed and checked: roll calls, states, votes.

The extract (``data/external/unvotes/``, see its README) holds every recorded plenary roll call
from 1946 to the release's last session and each member's vote: yes, abstain or no. Where the
earlier release file codes it (roll calls up to 2015), :attr:`UNVotes.presence` tells a member
that cast no vote (absent) from a state that was not a member; elsewhere a missing vote is only
missing. No measure here ever counts a missing vote as a vote or a zero.

>>> load_votes()
UNVotes(6203 roll calls, 200 states, 870109 votes)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from albru._compat import renamed
from albru.dataset import data_dir as _data_dir
from albru.validation import AlbruDataError, Problem

__all__ = [
    "ABSENT",
    "ISSUES",
    "NON_MEMBER",
    "VOTE_CODES",
    "UNVotes",
    "code_of",
    "groups_of",
    "issue_rows",
    "load_votes",
    "make_votes",
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
#: Codes of :attr:`UNVotes.presence`: a member that cast no vote, a state not a member.
ABSENT, NON_MEMBER = 1, 2

_FOLDER = "external/unvotes"
_FLAGS = ("importantvote", "amend", "para")
_ROLLCALL_COLUMNS = ("rcid", "session", "date", "unres", "short", "descr", *_FLAGS, *ISSUES)
_PRESENCE = {"x": ABSENT, "-": NON_MEMBER, "": 0}
_COUNTRY_COLUMNS = ("code", "cow_code", "iso3", "release_code", "name")


@dataclass(frozen=True, repr=False)
class UNVotes:
    """Roll calls, states and votes, typed and checked.

    ``rollcalls`` is indexed by ``rcid`` (``session``, ``date``, ``year``, ``unres``, ``short``,
    ``descr``, nullable boolean flags, boolean issue columns, and ``presence_coded``: whether
    the release tells absence from non-membership on that roll call); ``countries`` by
    ``code``; ``codes`` is the vote matrix (roll calls in ``rollcalls`` order by states in
    ``countries`` order), int8 with 1 yes, 2 abstain, 3 no and 0 where no vote is recorded;
    ``presence`` has the same shape, 0 where a vote is recorded or the release does not say,
    :data:`ABSENT` and :data:`NON_MEMBER` where it does.
    """

    rollcalls: pd.DataFrame
    countries: pd.DataFrame
    codes: np.ndarray
    presence: np.ndarray = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.presence is None:
            empty = np.zeros(self.codes.shape, dtype=np.int8)
            empty.setflags(write=False)
            object.__setattr__(self, "presence", empty)

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


def _vote_cells(votes: pd.DataFrame, file: str, known: set[int], letters: dict[str, int],
                rule: str) -> tuple[list[Problem], np.ndarray]:
    """The problems of a wide table of letters (``rcid`` + one column per state) and its cells'
    codes under ``letters`` (rows and columns as in the table, a missing cell read as empty).

    The cells are read column by column (a 6,000-row column at a time is about twice as quick
    as the whole table at once): each distinct value is judged and coded, then spread back.
    """
    if "rcid" not in votes.columns:
        return [Problem(file, 1, "rcid", None, "column missing")], np.zeros((0, 0), np.int8)
    positions = [i for i, c in enumerate(votes.columns) if c != "rcid"]
    codes = np.zeros((len(votes), len(positions)), dtype=np.int8)
    bad = np.zeros(codes.shape, dtype=bool)
    for col, position in enumerate(positions):
        which, distinct = pd.factorize(votes.iloc[:, position].to_numpy(dtype=object))
        text = [str(value) for value in distinct] + [""]  # position -1, a missing cell, reads ""
        codes[:, col] = np.array([letters.get(value, 0) for value in text], dtype=np.int8)[which]
        bad[:, col] = np.array([value not in letters for value in text])[which]
    # the cell itself is shown: values that compare equal (1 and 1.0) share one position
    problems = [Problem(file, int(row) + 2, votes.columns[positions[col]],
                        str(votes.iat[row, positions[col]]), rule)
                for row, col in zip(*(axis[:50] for axis in np.nonzero(bad)), strict=True)]
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
    return problems, codes


def _placed(codes: np.ndarray, table: pd.DataFrame, calls: pd.Index,
            states: pd.Index) -> np.ndarray:
    """A table's codes (:func:`_vote_cells`) on the roll calls ``calls`` and the states
    ``states``; 0 for a roll call or a state the table lacks."""
    rows = pd.Index(table["rcid"].astype(int)).get_indexer(calls)
    cols = pd.Index([c for c in table.columns if c != "rcid"]).get_indexer(states)
    padded = np.zeros((codes.shape[0] + 1, codes.shape[1] + 1), dtype=np.int8)
    padded[:-1, :-1] = codes  # position -1 (not in the table) reads the zeros at the end
    return padded[rows][:, cols]


def _flag_column(values: pd.Series, file: str, column: str, nullable: bool,
                 problems: list[Problem]) -> pd.Series:
    # each distinct text is stripped and lowered once, then spread back to the rows (the
    # column holds a handful of values; pandas string methods on every row cost ten times more)
    which, distinct = pd.factorize(values.fillna("").astype(str).to_numpy(dtype=object))
    words = np.array([str(value).strip().lower() for value in distinct], dtype=object)
    text = words[which]
    allowed = {"true", "false", ""} if nullable else {"true", "false"}
    for row in np.flatnonzero(~np.isin(text, list(allowed)))[:50]:
        problems.append(Problem(file, int(row) + 2, column, text[row],
                                f"not one of {', '.join(sorted(allowed - {''}))}"
                                + (" or empty" if nullable else "")))
    true, false = text == "true", text == "false"
    if nullable:
        return pd.Series(pd.arrays.BooleanArray(true, ~(true | false)), index=values.index,
                         name=values.name)
    return pd.Series(true, index=values.index, name=values.name)


def make_votes(rollcalls: pd.DataFrame, votes: pd.DataFrame,
               countries: pd.DataFrame | None = None,
               files: tuple[str, str, str] = ("un_rollcalls", "un_votes", "un_countries"),
               presence: pd.DataFrame | None = None,
               presence_file: str = "un_presence") -> UNVotes:
    """Check and type roll calls and a wide vote table (``rcid`` + one column per state).

    Votes are the letters ``y``, ``a``, ``n`` or empty; ``countries`` (``code``, ``cow_code``,
    ``iso3``, ``release_code``, ``name``) may be left out for a toy table. ``presence`` is a
    wide table of the same shape for the roll calls where the release codes it: ``x`` absent,
    ``-`` not a member, empty otherwise (a recorded vote always wins over it). Every broken
    rule is collected into one :class:`~albru.AlbruDataError`.

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
    for column in ("unres", "short", "descr"):
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

    found, vote_codes = _vote_cells(votes, votes_file, set(calls["rcid"]),
                                    {**VOTE_CODES, "": 0}, "vote not one of y, a, n or empty")
    problems += found
    if presence is not None:
        found, presence_codes = _vote_cells(presence, presence_file, set(calls["rcid"]),
                                            _PRESENCE, "not one of x, - or empty")
        problems += found
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

    calls = calls.set_index("rcid")[["session", "date", "year", "unres", "short", "descr",
                                     *_FLAGS, *ISSUES]]
    countries["cow_code"] = pd.to_numeric(countries["cow_code"]).astype("Int64")
    for column in ("iso3", "release_code", "name"):
        countries[column] = countries[column].fillna("").astype(str)
    countries = countries.set_index("code")[list(_COUNTRY_COLUMNS[1:])]
    codes = _placed(vote_codes, votes, calls.index, countries.index)
    codes.setflags(write=False)
    marks = np.zeros(codes.shape, dtype=np.int8)
    calls["presence_coded"] = False
    if presence is not None:
        extra = sorted(set(presence.columns) - {"rcid"} - set(countries.index))
        if extra:
            raise AlbruDataError([Problem(presence_file, 1, code, None,
                                          "state not in un_countries") for code in extra])
        calls["presence_coded"] = calls.index.isin(presence["rcid"].astype(int))
        marks = _placed(presence_codes, presence, calls.index, countries.index)
        marks[codes > 0] = 0
    marks.setflags(write=False)
    return UNVotes(calls, countries, codes, marks)


@functools.lru_cache(maxsize=4)
def _load(folder: Path) -> UNVotes:
    names = ("un_rollcalls.csv", "un_votes.csv", "un_countries.csv", "un_presence.csv",
             "un_descriptions.csv")
    problems = [Problem(f"{_FOLDER}/{name}", None, None, None, f"file missing in {folder}")
                for name in names if not (folder / name).is_file()]
    if problems:
        raise AlbruDataError(problems)
    # the two wide tables of letters as plain objects: read a little quicker, and coded from
    # numpy object columns by _vote_cells either way
    calls, votes, countries, presence, descr = (
        pd.read_csv(folder / name, dtype=object if name in ("un_votes.csv", "un_presence.csv")
                    else str, keep_default_na=False) for name in names)
    if list(descr.columns) != ["rcid", "descr"]:
        raise AlbruDataError([Problem(f"{_FOLDER}/un_descriptions.csv", 1, None, None,
                                      "columns must be rcid, descr")])
    calls = calls.merge(descr, on="rcid", how="left")
    return make_votes(calls, votes, countries,
                      files=(f"{_FOLDER}/un_rollcalls.csv", f"{_FOLDER}/un_votes.csv",
                             f"{_FOLDER}/un_countries.csv"), presence=presence,
                      presence_file=f"{_FOLDER}/un_presence.csv")


def load_votes(data_dir: str | Path | None = None, *,
               directory: str | Path | None = None) -> UNVotes:
    """The shipped vote extract (read once, then cached); ``data_dir`` reads another copy.

    ``data_dir`` is a data folder laid out as albru's (the extract in
    ``external/unvotes/`` below it). ``directory``, the extract's own folder, is its
    deprecated older form (it warns).

    >>> load_votes()
    UNVotes(6203 roll calls, 200 states, 870109 votes)
    """
    folder = (Path(data_dir) if data_dir is not None else Path(_data_dir())) / _FOLDER
    old = renamed("load_votes", "directory", "data_dir", directory, None)
    return _load((folder if old is None else Path(old)).resolve())


@functools.lru_cache(maxsize=1)
def _actor_cow_codes() -> dict[str, int]:
    """albru's actor ids and their COW numbers (the shipped dataset, read once)."""
    from albru.dataset import load

    actors = load().actors.dropna(subset=["cow_code"])
    return dict(zip(actors["actor_id"].astype(str), actors["cow_code"].astype(int), strict=True))


def code_of(actor: str | int, data: UNVotes | None = None) -> str:
    """The extract's column for a state: COW number, ISO alpha-3, COW abbreviation or albru id.

    ISO codes are tried before COW abbreviations (``CZE`` is Czechia in ISO and
    Czechoslovakia in COW); an albru actor id not found otherwise goes through its COW code.

    >>> code_of("ALB"), code_of(365), code_of("DEU"), code_of("SRB"), code_of("CSK")
    ('ALB', 'RUS', 'GMY', 'YUG', 'CZE')
    """
    data = load_votes() if data is None else data
    table = data.countries
    # compared as numpy arrays: a pandas comparison costs ten times as much on 200 rows, and
    # peer_baseline asks for every bloc member
    codes = table.index.to_numpy()
    cows = table["cow_code"].to_numpy(dtype=float, na_value=np.nan)
    if isinstance(actor, (int, np.integer)) and not isinstance(actor, bool):
        found = codes[cows == int(actor)]
    else:
        key = str(actor).upper()
        found = codes[table["iso3"].to_numpy() == key]
        if not len(found):
            found = codes[codes == key]
        if not len(found):
            found = codes[table["release_code"].to_numpy() == key]
        if not len(found):
            cow = _actor_cow_codes().get(key)
            if cow is not None:
                found = codes[cows == cow]
    if len(found) != 1:
        raise KeyError(f"no single UN voting state for {actor!r}")
    return str(found[0])


def groups_of(data: UNVotes, by: str | pd.Series) -> tuple[pd.Index, np.ndarray]:
    """Group labels and, for every roll call, the position of its group (-1 = left out).

    ``by`` is ``"year"``, ``"session"`` or a Series of labels indexed by ``rcid``.

    >>> labels, index = groups_of(load_votes(), "year")
    >>> int(labels[0]), int(index[0])
    (1946, 0)
    """
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


def issue_rows(data: UNVotes, issue: str | None) -> np.ndarray:
    """Which roll calls carry one issue category (all where ``issue`` is None).

    >>> int(issue_rows(load_votes(), "hr").sum()) > 0
    True
    """
    if issue is None:
        return np.ones(len(data.rollcalls), dtype=bool)
    names = {v.lower(): k for k, v in ISSUES.items()}
    column = names.get(issue.lower(), issue)
    if column not in ISSUES:
        raise ValueError(f"issue must be one of {sorted(ISSUES)} or their names, not {issue!r}")
    return data.rollcalls[column].to_numpy(bool)
