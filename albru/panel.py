"""A COW-style dyad-year panel: albru's own measures beside the reference codings.

:func:`dyad_years` gives one row per year (two per year when directed) for any pair of states
in the data, keyed like the Correlates of War dyad-year files (``ccode1``, ``ccode2``,
``year``). A value outside a source's coverage, or in a year when COW does not count a state
as a member of the state system, is missing (``<NA>``), never zero.

Columns from albru (imprecise dates are shared out over the years they may fall in, in
proportion to days, so event counts can be fractional):

- ``events``, ``q1`` .. ``q4``: events between the two (each way when undirected), by quad class;
- ``goldstein``: summed Goldstein weight; ``incidents``: events of quad class 3 or 4;
- ``relations``: diplomatic relations on 1 July, from albru's establish, restore and break
  events (missing before the first such event between the two);
- ``tie_sign``, ``tie_kind``: albru's tie active on 1 July (sign 0 and kind missing when none);
- ``igo_joint_member``, ``igo_joint_any``: organizations in which both are full members, or
  hold any status (member, inactive, observer, suspended), on 1 July;
- ``albru_defense``: both are members of a defense bloc (:data:`albru.external.DEFENSE`) or
  have a tie of kind alliance, on 1 July.

Reference columns: ``cow_system1``, ``cow_system2`` (COW states v2016); ``cow_defense``,
``cow_neutral``, ``cow_nonagg``, ``cow_entente`` (COW alliances v4.1); ``atop_defense``,
``atop_offense``, ``atop_neutral``, ``atop_nonagg``, ``atop_consul`` (ATOP 5.1, for the
direction of the row; undirected rows take either direction); ``cow_igo_joint_full``,
``cow_igo_joint_any`` (COW-IGO v3, over the organizations albru has as actors); ``dipex_dr_at_1``,
``dipex_dr_at_2``, ``dipex_de`` (COW Diplomatic Exchange, wave years only; missing while its
extract is absent); ``un_n_votes``, ``un_share``, ``un_kappa``, ``un_s``, ``un_s_percentile``
(UN General Assembly roll calls, :func:`albru.votes.agreement_by_year`; the same on both rows of
a directed year).

:func:`agreement` turns a pair's panel into a year-by-year comparison of albru with each
reference (agree, disagree, not covered), which :func:`albru.external.agreement_shares` and
:func:`albru.external.yearly_outcomes` summarize.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from albru import dates, dyad, external
from albru.dataset import Dataset, load
from albru.reader import Kept

__all__ = ["agreement", "dyad_years"]

_REL_ON = ("establish_relations", "restore_relations")
_REL_OFF = ("break_relations",)
_COW_FLAGS = ("cow_defense", "cow_neutral", "cow_nonagg", "cow_entente")
_ATOP_FLAGS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")
_DIPEX = ("dipex_dr_at_1", "dipex_dr_at_2", "dipex_de")
#: The reference columns of a pair's rows (see :func:`_references`), kept under the digest of
#: the extracts, their coverage, the two COW codes, the years and the direction.
_REFERENCES = Kept(16)


def dyad_years(
    a: str = dyad.A,
    b: str = dyad.B,
    years: range | list[int] | np.ndarray | None = None,
    directed: bool = False,
    *,
    data: Dataset | None = None,
    refs: dict[str, pd.DataFrame] | None = None,
    votes: bool = True,
) -> pd.DataFrame:
    """One row per year for the pair ``a``, ``b``, with albru's measures and the references.

    Parameters
    ----------
    a, b
        Actor ids of two states with COW codes (``data/actors.csv``); by default the pair of
        :mod:`albru.dyad`.
    years
        The years wanted; by default from 1912 to the year of the record's ``as_of``.
    directed
        Two rows per year, ``a`` to ``b`` then ``b`` to ``a``, counting events by their
        source; undirected rows put the lower COW code first, as COW does. Event counts
        (``events``, ``q1`` ... ``q4``, ``goldstein``, ``incidents``) are missing, not zero,
        in a year no recorded search covered (:meth:`albru.Dataset.searched_years`).
    data, refs
        The albru dataset and the reference extracts (:func:`albru.external.load`); loaded
        when not given.
    votes
        Join the UN General Assembly agreement columns (``un_*``; a few seconds, since the
        pair's percentile is ranked among all pairs).

    Returns
    -------
    pandas.DataFrame
        Sorted by year (then ``ccode1``), ready for ``to_csv(index=False)``.

    Examples
    --------
    >>> import albru
    >>> p = albru.dyad_years("ALB", "RUS", years=range(1955, 1970), votes=False)
    >>> p.loc[p["year"] == 1962, ["ccode1", "ccode2", "relations", "cow_defense"]].values.tolist()
    [[339, 365, False, 1]]
    >>> later = albru.dyad_years(years=[2020], votes=False)
    >>> bool(later["cow_defense"].isna().all())  # COW stops in 2012
    True
    """
    if data is None:
        data = load()
    refs = external.load() if refs is None else refs
    return _dyad_years(a, b, years, directed, data, refs, external.coverage(), votes)


def _dyad_years(a: str, b: str, years: range | list[int] | np.ndarray | None, directed: bool,
                data: Dataset, refs: dict[str, pd.DataFrame],
                cover: dict[str, tuple[int, int]], votes: bool) -> pd.DataFrame:
    """:func:`dyad_years` with the data, the extracts and their coverage already read."""
    if years is None:
        years = np.arange(1912, data.as_of.year + 1)
    years = np.unique(np.asarray(list(years), dtype="int64"))
    codes = _codes(data, a, b)
    if not directed and codes[a] > codes[b]:
        a, b = b, a
    pairs = [(a, b), (b, a)] if directed else [(a, b)]
    spread, relations = _pair_events(data.events, a, b, years)
    july = dates.days_of(years, 7, 1)
    relations = _relations(relations, july)
    frames = []
    for x, y in pairs:
        counts = _event_counts(spread, years, None if not directed else x == a)
        counts.loc[~np.isin(years, data.searched_years())] = np.nan  # unsearched: unknown
        frames.append(_rows(data, refs, cover, x, y, codes, years, july, counts, relations,
                            directed))
    out = pd.concat(frames, ignore_index=True)
    if votes:
        out = out.merge(_votes(a, b, years), left_on="year", right_index=True, how="left")
    return out.sort_values(["year", "ccode1"], kind="stable").reset_index(drop=True)


def agreement(ds: Dataset | None = None, refs: dict[str, pd.DataFrame] | None = None,
              a: str = dyad.A, b: str = dyad.B, years: np.ndarray | None = None) -> pd.DataFrame:
    """albru against each reference, one row per compared unit and year.

    Columns: ``dataset``, ``unit`` (what is compared: the pair, or a state in an
    organization), ``year``, ``albru``, ``reference``, ``outcome`` (one of
    :data:`albru.external.OUTCOMES`). Compared: the pair's defense alliance (COW, ATOP: albru
    counts a shared defense bloc in :data:`albru.external.DEFENSE` with status member, or a tie
    of kind ``alliance``), each state's status in every organization both record (COW-IGO),
    and each state's existence as a state (albru's names by period) against COW system
    membership. Diplomatic representation (DipEx) is listed as not covered while its extract
    is missing.

    Parameters
    ----------
    ds, refs
        The albru dataset and the reference extracts; loaded when not given.
    a, b
        The pair, by default that of :mod:`albru.dyad`.
    years
        The years compared; by default those of :func:`dyad_years`.

    Returns
    -------
    pandas.DataFrame
        One row per unit and year, columns as above.

    Examples
    --------
    >>> t = agreement()
    >>> sorted(t["dataset"].unique())
    ['ATOP', 'COW alliances', 'COW states', 'COW-IGO', 'DipEx']
    >>> set(t["outcome"]) <= set(external.OUTCOMES)
    True
    """
    if ds is None:
        ds = load()
    refs = external.load() if refs is None else refs
    cover = external.coverage()
    p = _dyad_years(a, b, years, False, ds, refs, cover, votes=False)
    years = p["year"].to_numpy()
    pair = f"{a}-{b}"
    parts = []

    allied = p["albru_defense"].astype("boolean").astype("Int64")
    for name, col in (("COW alliances", "cow_defense"), ("ATOP", "atop_defense")):
        ref = p[col].astype("Float64")
        parts.append(external.compare_codes(name, pair, years, allied, ref.astype("Int64")))

    parts.append(external.compare_codes("DipEx", pair, years, p["relations"].astype("Int64"),
                                        p["dipex_de"].astype("Int64")))

    parts.append(external._igo_agreement(ds, refs, [a, b], years, None, cover["cow_igo"]))

    lo, hi = cover["cow_states"]
    covered = (years >= lo) & (years <= hi)
    names = ds.actor_names
    until = ds.as_of
    first = dates.days_of(years, 1, 1)[:, None]
    last = dates.days_of(years, 12, 31)[:, None]
    for actor, ccode in _codes(ds, a, b).items():
        spans = names[names["actor_id"] == actor]
        s = spans["start"].to_numpy()[None, :]
        e = spans["end"].fillna(until).to_numpy()[None, :]
        exists = ((s <= last) & (e >= first)).any(axis=1).astype(int)
        ref = external.in_system(refs["cow_states"], ccode, years).astype(int)
        ref = pd.Series(ref, dtype="Int64").where(covered)
        parts.append(external.compare_codes("COW states", actor, years,
                                            pd.Series(exists, dtype="Int64"), ref))
    out = pd.concat(parts, ignore_index=True)
    out["albru"] = out["albru"].astype("string")
    out["reference"] = out["reference"].astype("string")
    return out.sort_values(["dataset", "unit", "year"]).reset_index(drop=True)


def _votes(a: str, b: str, years: np.ndarray) -> pd.DataFrame:
    """UN General Assembly agreement of the pair per year; all missing when either state has
    no UN vote record."""
    from albru import votes

    try:
        return votes.agreement_by_year(a, b, years=years, prefix="un_")
    except (KeyError, ValueError):
        cols = ["un_n_votes", "un_share", "un_kappa", "un_s", "un_s_percentile"]
        empty = pd.DataFrame(index=pd.Index(years, name="year"), columns=cols, dtype="Float64")
        empty["un_n_votes"] = empty["un_n_votes"].astype("Int64")
        return empty


def _codes(data: Dataset, a: str, b: str) -> dict[str, int]:
    """COW codes of the two actors; ValueError when one has none or they share one."""
    ids = _strings(data.actors["actor_id"])
    codes = {}
    for x in (a, b):
        row = np.flatnonzero(_equal(ids, x))
        code = data.actors["cow_code"].iloc[row[0]] if len(row) == 1 else pd.NA
        if pd.isna(code):
            raise ValueError(f"{x!r} is not a state with a COW code in data/actors.csv")
        codes[x] = int(code)
    if codes[a] == codes[b]:
        raise ValueError(f"{a} and {b} share the COW code {codes[a]}; a dyad needs two states")
    return codes


def _rows(data: Dataset, refs: dict[str, pd.DataFrame], cover: dict[str, tuple[int, int]],
          a: str, b: str, codes: dict[str, int], years: np.ndarray, july: np.ndarray,
          counts: pd.DataFrame, relations: pd.DataFrame, directed: bool) -> pd.DataFrame:
    """The panel rows of one direction (or of the undirected pair), given its event counts and
    the relations on each 1 July."""
    out = pd.DataFrame({"ccode1": codes[a], "ccode2": codes[b], "year": years,
                        "actor1": a, "actor2": b})
    until = np.datetime64(data.as_of)
    key = (external._digest(refs), tuple(sorted(cover.items())), codes[a], codes[b],
           years.tobytes(), directed)
    kept = _REFERENCES.take(key, lambda: _references(refs, cover, codes[a], codes[b], years,
                                                     directed))
    # side by side on their shared row numbers, in one step (a chain of joins costs more); the
    # result is a new frame: the kept one never reaches a caller
    return pd.concat([out, counts, relations, _tie(data.ties, a, b, july, until),
                      _joint(data, a, b, july, until), kept], axis=1)


def _references(refs: dict[str, pd.DataFrame], cover: dict[str, tuple[int, int]], c1: int,
                c2: int, years: np.ndarray, directed: bool) -> pd.DataFrame:
    """The reference columns of the rows from state ``c1`` to ``c2`` (COW codes), one row per
    year: system membership, alliance flags, shared organizations, diplomatic exchange."""
    out = pd.DataFrame(index=pd.RangeIndex(len(years)))
    sys1 = external.in_system(refs["cow_states"], c1, years)
    sys2 = external.in_system(refs["cow_states"], c2, years)
    lo, hi = cover["cow_states"]
    inside = (years >= lo) & (years <= hi)
    out["cow_system1"] = pd.array(np.where(inside, sys1, False), dtype="boolean")
    out["cow_system2"] = pd.array(np.where(inside, sys2, False), dtype="boolean")
    out.loc[~inside, ["cow_system1", "cow_system2"]] = pd.NA
    # Past the states release, a state whose spell lasted to its end is taken to go on, so the
    # later years of ATOP keep their values; the cow_system columns themselves stay missing.
    last = refs["cow_states"].groupby("ccode")["endyear"].max()
    after = years > hi
    sys1 = sys1 | (after & (last.get(c1, 0) >= hi))
    sys2 = sys2 | (after & (last.get(c2, 0) >= hi))
    both = sys1 & sys2

    out = out.join(_pair_flags(refs["cow_alliances"], c1, c2, years, _COW_FLAGS,
                               cover["cow_alliances"], both, either_way=True))
    atop = refs["atop"]
    flags = _pair_flags(atop, c1, c2, years, _ATOP_FLAGS, cover["atop"], both,
                        either_way=False)
    if not directed:
        back = _pair_flags(atop, c2, c1, years, _ATOP_FLAGS, cover["atop"], both,
                           either_way=False)
        flags = flags.where(flags >= back, back)
    out = out.join(flags)
    out = out.join(_igo_joint(refs["cow_igo"], c1, c2, years, cover["cow_igo"], both))
    return out.join(_dipex(refs.get("dipex"), c1, c2, years, both))


def _strings(column: pd.Series) -> np.ndarray:
    """A text or categorical column as a NumPy object array (no copy for python strings)."""
    return np.asarray(column.to_numpy(), dtype=object)


def _equal(values: np.ndarray, text: str) -> np.ndarray:
    """Which of ``values`` equal ``text``; a missing value equals nothing."""
    try:
        return np.asarray(values == text, dtype=bool)
    except TypeError:  # pd.NA has no truth value: compare one by one (only with missing values)
        return np.fromiter((v is not pd.NA and v == text for v in values), dtype=bool,
                           count=len(values))


def _pair_events(events: pd.DataFrame, a: str, b: str, years: np.ndarray
                 ) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """The events between ``a`` and ``b`` (either way), spread over the wanted years, and the
    subset of them that establish, restore or break relations.

    The spread holds one entry per event and year it may fall in: ``pos`` (index into
    ``years``), ``share`` (of the event's days), ``quad``, ``gold`` and ``forward`` (``a`` is
    the source). Events inside one calendar year come first, whole, in table order; the others
    follow, shared out by :func:`albru.dates.year_shares`. The table is read once for both
    directions, on NumPy arrays (a million events take a fraction of a second).
    """
    src = _strings(events["source_actor"])
    from_a = _equal(src, a)
    near = np.flatnonzero(from_a | _equal(src, b))  # the target is compared on these rows only
    tgt = _strings(events["target_actor"])[near]
    forward = from_a[near] & _equal(tgt, b)
    keep = forward | (~from_a[near] & _equal(tgt, a))
    pair, forward = near[keep], forward[keep]
    start = events["start"].to_numpy()[pair]
    end = events["end"].to_numpy()[pair]
    kinds = _strings(events["event_type"])[pair]
    on = np.zeros(len(kinds), dtype=bool)
    for kind in _REL_ON:
        on |= _equal(kinds, kind)
    rel = on.copy()
    for kind in _REL_OFF:
        rel |= _equal(kinds, kind)
    relations = pd.DataFrame({"start": start[rel], "on": on[rel]})
    n = len(years)
    first, last = dates.calendar_years(start), dates.calendar_years(end)
    one = first == last  # inside one year: the whole event falls there
    rows = np.flatnonzero(one)
    year = first[one]
    share = np.ones(len(rows))
    if not one.all():  # spread the others over their years with the calendar's own rule
        many = np.flatnonzero(~one)
        spread = dates.year_shares(pd.DataFrame({"start": start[many], "end": end[many]}))
        rows = np.concatenate([rows, many[spread["event"].to_numpy(dtype="int64")]])
        year = np.concatenate([year, spread["year"].to_numpy(dtype="int64")])
        share = np.concatenate([share, spread["share"].to_numpy()])
    pos = np.searchsorted(years, year)
    ok = (pos < n) & (years[np.minimum(pos, n - 1)] == year) if n else np.zeros(len(pos), bool)
    rows, pos, share = rows[ok], pos[ok], share[ok]
    quad = events["quad_class"].to_numpy(dtype="float64", na_value=np.nan)[pair][rows]
    gold = events["goldstein"].to_numpy(dtype="float64", na_value=np.nan)[pair][rows]
    return ({"pos": pos, "share": share, "quad": quad, "gold": gold,
             "forward": forward[rows]}, relations)


def _event_counts(spread: dict[str, np.ndarray], years: np.ndarray, forward: bool | None
                  ) -> pd.DataFrame:
    """Events by quad class, summed Goldstein weight and incidents per year (day shares), of
    one direction (``forward``: ``a`` to ``b`` or back) or of both (None)."""
    n = len(years)
    keep = slice(None) if forward is None else spread["forward"] == forward
    pos, share = spread["pos"][keep], spread["share"][keep]
    quad, gold = spread["quad"][keep], spread["gold"][keep]
    cols = {"events": np.bincount(pos, weights=share, minlength=n)}
    for q in (1, 2, 3, 4):
        cols[f"q{q}"] = np.bincount(pos, weights=share * (quad == q), minlength=n)
    cols["goldstein"] = np.bincount(pos, weights=share * np.nan_to_num(gold), minlength=n)
    out = pd.DataFrame({k: np.round(v, 6) for k, v in cols.items()})
    out["incidents"] = out["q3"] + out["q4"]
    return out


def _relations(use: pd.DataFrame, july: np.ndarray) -> pd.DataFrame:
    """Diplomatic relations on 1 July from the last establish/restore/break event before it
    (``use``: their ``start`` days and ``on``, whether each establishes or restores)."""
    use = use.sort_values("start", kind="stable")
    state = pd.array([pd.NA] * len(july), dtype="boolean")
    if len(use):
        start = use["start"].to_numpy()
        value = use["on"].to_numpy(dtype=bool)
        last = np.searchsorted(start, july, side="right") - 1
        known = last >= 0
        state[known] = value[last[known]]
    return pd.DataFrame({"relations": state})


def _active(start: np.ndarray, end: np.ndarray, july: np.ndarray, until: np.datetime64
            ) -> np.ndarray:
    """Matrix (years x spans) of spans active on each 1 July; an open end (NaT) lasts to
    ``until``."""
    end = np.where(np.isnat(end), until, end)
    return (july[:, None] >= start[None, :]) & (july[:, None] <= end[None, :])


def _tie(ties: pd.DataFrame, a: str, b: str, july: np.ndarray, until: np.datetime64,
         kind: str | None = None) -> pd.DataFrame:
    """Sign and kind of the tie between the two on each 1 July (latest start wins), among the
    ties of one ``kind`` if given."""
    x, y = ties["actor_a"].to_numpy(), ties["actor_b"].to_numpy()
    rows = np.flatnonzero(((x == a) & (y == b)) | ((x == b) & (y == a)))
    kinds = ties["kind"].iloc[rows].astype(str).to_numpy()
    if kind is not None:
        rows, kinds = rows[kinds == kind], kinds[kinds == kind]
    if len(rows) > 1:  # by start, in the order DataFrame.sort_values("start") would give
        order = ties["start"].iloc[rows].reset_index(drop=True).sort_values().index.to_numpy()
        rows, kinds = rows[order], kinds[order]
    sign = np.zeros(len(july), dtype="int64")
    out_kind = pd.array([pd.NA] * len(july), dtype="string")
    if len(rows):
        on = _active(ties["start"].to_numpy()[rows], ties["end"].to_numpy()[rows], july, until)
        has = on.any(axis=1)
        last = on.shape[1] - 1 - np.argmax(on[:, ::-1], axis=1)
        sign[has] = ties["sign"].iloc[rows].to_numpy(dtype="int64")[last[has]]
        out_kind[has] = kinds[last[has]]
    return pd.DataFrame({"tie_sign": pd.array(sign, dtype="Int64"), "tie_kind": out_kind})


def _joint(data: Dataset, a: str, b: str, july: np.ndarray, until: np.datetime64
           ) -> pd.DataFrame:
    """Shared organizations on each 1 July (full members; any status) and shared defense."""
    m = data.memberships
    org = m["org_id"].astype(str).to_numpy()
    orgs = sorted(set(org))
    actor = _strings(m["actor_id"])
    start, end = m["start"].to_numpy(), m["end"].to_numpy()
    status = m["status"].astype(str).to_numpy()
    member = {x: np.zeros((len(july), len(orgs)), dtype=bool) for x in (a, b)}
    anyst = {x: np.zeros((len(july), len(orgs)), dtype=bool) for x in (a, b)}
    for x in (a, b):
        own = np.flatnonzero(_equal(actor, x))
        if not len(own):
            continue
        on = _active(start[own], end[own], july, until)
        col = np.searchsorted(orgs, org[own])
        full = status[own] == "member"
        for j in range(len(own)):
            anyst[x][:, col[j]] |= on[:, j]
            if full[j]:
                member[x][:, col[j]] |= on[:, j]
    both_member = member[a] & member[b]
    defense = np.isin(orgs, external.DEFENSE)
    tie = _tie(data.ties, a, b, july, until, kind="alliance")
    allied = both_member[:, defense].any(axis=1) | (tie["tie_sign"].to_numpy() > 0)
    return pd.DataFrame({
        "igo_joint_member": pd.array(both_member.sum(axis=1), dtype="Int64"),
        "igo_joint_any": pd.array((anyst[a] & anyst[b]).sum(axis=1), dtype="Int64"),
        "albru_defense": pd.array(allied, dtype="boolean"),
    })


def _pair_flags(runs: pd.DataFrame, c1: int, c2: int, years: np.ndarray, flags: tuple[str, ...],
                span: tuple[int, int], both: np.ndarray, either_way: bool) -> pd.DataFrame:
    """Obligation flags of a pair per year from runs; 0 inside coverage when absent, missing
    outside it or when either state is outside the system."""
    x, y = runs["ccode1"].to_numpy(), runs["ccode2"].to_numpy()
    mask = (x == c1) & (y == c2)
    if either_way:
        mask |= (x == c2) & (y == c1)
    one = runs[mask]
    values = np.zeros((len(years), len(flags)), dtype="int64")
    if len(one):
        yrs = years[:, None]
        on = (yrs >= one["start_year"].to_numpy(dtype="int64")[None, :]) & (
            yrs <= one["end_year"].to_numpy(dtype="int64")[None, :])
        for k, flag in enumerate(flags):
            v = one[flag].to_numpy(dtype="int64")[None, :]
            values[:, k] = (on * v).max(axis=1)
    covered = (years >= span[0]) & (years <= span[1]) & both
    out = pd.DataFrame({f: pd.array(values[:, k], dtype="Int64") for k, f in enumerate(flags)})
    out.loc[~covered, list(flags)] = pd.NA
    return out


def _igo_joint(cow_igo: pd.DataFrame, c1: int, c2: int, years: np.ndarray,
               span: tuple[int, int], both: np.ndarray) -> pd.DataFrame:
    """Organizations (among those albru has) in which COW-IGO has both as full members, or with
    any status; missing outside coverage, outside the system, or where a code is missing."""
    def table(code: int) -> pd.DataFrame:
        one = cow_igo[cow_igo["ccode"] == code][["igo", "code", "start_year", "end_year"]]
        wide = external.run_years(one).pivot(index="year", columns="igo", values="code")
        return wide.reindex(index=years)

    t1, t2 = table(c1), table(c2)
    cols = sorted(set(t1.columns) & set(t2.columns))
    v1 = t1[cols].to_numpy(dtype="float64", na_value=np.nan)
    v2 = t2[cols].to_numpy(dtype="float64", na_value=np.nan)
    full = ((v1 == 1) & (v2 == 1)).sum(axis=1)
    anyst = ((v1 >= 1) & (v2 >= 1)).sum(axis=1)
    missing = (np.isnan(v1) | np.isnan(v2) | (v1 == -9) | (v2 == -9)).any(axis=1)
    covered = (years >= span[0]) & (years <= span[1]) & both & ~missing
    out = pd.DataFrame({"cow_igo_joint_full": pd.array(full, dtype="Int64"),
                        "cow_igo_joint_any": pd.array(anyst, dtype="Int64")})
    out.loc[~covered] = pd.NA
    return out


def _dipex(dipex: pd.DataFrame | None, c1: int, c2: int, years: np.ndarray, both: np.ndarray
           ) -> pd.DataFrame:
    """Diplomatic Exchange levels in its wave years; all missing without the extract."""
    out = pd.DataFrame({c: pd.array([pd.NA] * len(years), dtype="Int64") for c in _DIPEX})
    if dipex is None:
        return out
    one = dipex[(dipex["ccode1"] == c1) & (dipex["ccode2"] == c2)].set_index("year")
    hit = one.reindex(years)
    for col, src in zip(_DIPEX, ("dr_at_1", "dr_at_2", "de"), strict=True):
        out[col] = pd.array(hit[src].to_numpy(dtype="float64", na_value=np.nan),
                            dtype="Float64").astype("Int64")
    out.loc[~both] = pd.NA
    return out
