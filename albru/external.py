"""Reference codings from other datasets (COW, ATOP, COW-IGO) and the tools to compare albru
with them.

The extracts live in ``data/external/`` (one folder per release, each with the script that made
it and a README); this module reads them through the same schema machinery as the main data,
turns their runs of years back into pair-years or state-years, compares codes year by year and
summarizes the comparisons. The comparison for a pair of states, built on its dyad-year panel,
is :func:`albru.panel.agreement`.

>>> refs = load()
>>> sorted(refs)[:3]
['atop', 'cow_alliances', 'cow_igo']
>>> coverage()["cow_alliances"]
(1816, 2012)
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

from albru import dates
from albru._compat import renamed
from albru.dataset import Dataset, data_dir, read_package
from albru.files import SCHEMA_FILE, Refused, read_bytes, read_schema
from albru.problems import AlbruDataError
from albru.reader import Kept

__all__ = [
    "DEFENSE",
    "IGO_ORGS",
    "OUTCOMES",
    "REFERENCES",
    "agreement_shares",
    "compare_codes",
    "coverage",
    "directory",
    "igo_agreement",
    "igo_status_years",
    "in_system",
    "load",
    "load_refs",
    "run_years",
    "yearly_outcomes",
]

#: The reference resources this module reads (the package also holds the UN votes, read by
#: :mod:`albru.votes`).
REFERENCES: tuple[str, ...] = ("cow_states", "cow_alliances", "atop", "cow_igo", "dipex")

#: COW-IGO organization columns and the albru organization each stands for.
IGO_ORGS: dict[str, str] = {
    "bsec": "BSEC", "cmea": "COMECON", "coe": "COE", "csto": "CSTO", "eu": "EU",
    "nato": "NATO", "oic": "OIC", "osce": "OSCE", "un": "UN", "wpact": "WARSAW",
}

#: albru organizations that bind their members to mutual defense (compared with the
#: defense flags of COW and ATOP).
DEFENSE: tuple[str, ...] = ("WARSAW", "NATO", "CSTO", "BALKAN")

#: The three outcomes of a year-by-year comparison, in display order.
OUTCOMES: tuple[str, ...] = ("agree", "disagree", "not covered")

_STATUS_TO_COW = {"member": "full", "inactive": "full", "suspended": "full",
                  "observer": "observer"}
#: Coverage read from a schema, under the digest of its bytes (see :func:`coverage`).
_COVERAGE = Kept(4)
#: The COW-IGO status years of every state, under the digest of the COW-IGO frame.
_STATUS = Kept(4)


def directory() -> Path:
    """The folder of the reference extracts (``data/external``).

    >>> directory().name
    'external'
    """
    return data_dir() / "external"


def load(data_dir: str | Path | None = None, *,
         folder: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every reference extract, typed and checked against ``data/external/datapackage.json``
    (or the package in ``data_dir``; ``folder`` is its deprecated name).

    >>> load()["cow_states"].query("ccode == 339")["styear"].tolist()
    [1914, 1944]
    """
    folder = Path(renamed("external.load", "folder", "data_dir", folder, data_dir) or directory())
    # Only the references are read (not the UN votes, which albru.votes reads).
    listed = read_schema(folder)[0]
    try:
        names = [r["name"] for r in listed["resources"] if r["name"] in REFERENCES]
    except (KeyError, TypeError):
        names = None  # a schema that cannot be used: read_package names what is wrong with it
    frames = read_package(folder, resources=names)
    return {name: frame for name, frame in frames.items() if name in REFERENCES}


def coverage(data_dir: str | Path | None = None, *,
             folder: str | Path | None = None) -> dict[str, tuple[int, int]]:
    """First and last year each release covers, as its resource's ``coverage`` says (of the
    package in ``data_dir``, by default ``data/external``; ``folder`` is its deprecated name).

    >>> coverage()["atop"]
    (1815, 2018)
    """
    folder = Path(renamed("external.coverage", "folder", "data_dir", folder, data_dir)
                  or directory())
    try:  # the spans depend on the schema's bytes alone: read them, parse only new ones
        key = hashlib.sha256(read_bytes(folder, SCHEMA_FILE)).digest()
    except Refused:
        key = None  # read_schema names the problem
    found = _spans(folder) if key is None else _COVERAGE.take(key, lambda: _spans(folder))
    return dict(found)


def _spans(folder: Path) -> dict[str, tuple[int, int]]:
    """:func:`coverage` read from the schema in ``folder``."""
    spec, problems = read_schema(folder)
    if problems:
        raise AlbruDataError(problems)
    return {r["name"]: (int(r["coverage"]["start_year"]), int(r["coverage"]["end_year"]))
            for r in spec["resources"] if "coverage" in r}


def _digest(frames: dict[str, pd.DataFrame | None]) -> bytes:
    """A digest of named frames' contents, which keys results derived from the reference
    extracts: the SHA-256 of the names and frames pickled, a pickle holding all a frame is
    (columns, types, index, values), so equal digests mean equal frames.

    >>> refs = load()
    >>> _digest(refs) == _digest({k: v.copy() for k, v in refs.items()})
    True
    >>> changed = {**refs, "atop": refs["atop"].assign(atop_defense=0)}
    >>> _digest(refs) == _digest(changed)
    False
    """
    # a pickle writes the arrays' bytes as they are: far cheaper than hashing row by row
    named = [(name, frames[name]) for name in sorted(frames)]  # None: an extract left out
    return hashlib.sha256(pickle.dumps(named, protocol=pickle.HIGHEST_PROTOCOL)).digest()


def run_years(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per year from a table of runs (``start_year`` .. ``end_year``, inclusive).

    >>> runs = pd.DataFrame({"x": [1, 2], "start_year": [2000, 2005], "end_year": [2001, 2005]})
    >>> run_years(runs).values.tolist()
    [[1, 2000], [1, 2001], [2, 2005]]
    """
    start = runs["start_year"].to_numpy(dtype="int64")
    count = runs["end_year"].to_numpy(dtype="int64") - start + 1
    row = np.repeat(np.arange(len(runs)), count)
    offset = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    out = runs.drop(columns=["start_year", "end_year"]).iloc[row].reset_index(drop=True)
    out["year"] = start[row] + offset
    return out


def in_system(cow_states: pd.DataFrame, ccode: int, years: np.ndarray) -> np.ndarray:
    """Whether a state belongs to the COW state system in each year (on any day of it).

    Years outside the release's coverage are not answered here; see :func:`coverage`.

    >>> states = load()["cow_states"]
    >>> in_system(states, 339, np.array([1913, 1914, 1941, 1945])).tolist()
    [False, True, False, True]
    """
    rows = np.flatnonzero((cow_states["ccode"] == ccode).to_numpy(dtype=bool, na_value=False))
    years = np.asarray(years)[:, None]
    start = cow_states["styear"].iloc[rows].to_numpy(dtype="int64")[None, :]
    end = cow_states["endyear"].iloc[rows].to_numpy(dtype="int64")[None, :]
    return ((years >= start) & (years <= end)).any(axis=1)


def igo_status_years(cow_igo: pd.DataFrame, ccode: int) -> pd.DataFrame:
    """COW-IGO status of one state per organization and year (columns ``igo``, ``year``,
    ``status``, ``code``).

    >>> s = igo_status_years(load()["cow_igo"], 339)
    >>> s.query("igo == 'wpact' and year == 1968")["status"].tolist()
    ['full']
    """
    one = cow_igo[cow_igo["ccode"] == ccode]
    out = run_years(one[["igo", "status", "code", "start_year", "end_year"]])
    out["igo"] = out["igo"].astype(str)
    out["status"] = out["status"].astype(str)
    return out.sort_values(["igo", "year"]).reset_index(drop=True)


def _albru_status(ds: Dataset, actors: list[str], orgs: list[str],
                  years: np.ndarray) -> pd.DataFrame:
    """albru's status of each of ``actors`` in each of ``orgs`` on 1 July of each year (a row
    per actor, organization and year, in that order), mapped to the COW-IGO vocabulary
    (inactive and suspended count as formal, full membership)."""
    m = ds.memberships
    rows = np.flatnonzero((m["actor_id"].isin(actors) & m["org_id"].isin(orgs)).to_numpy())
    until = np.datetime64(ds.as_of)
    july = dates.days_of(years, 7, 1)
    spans: dict[tuple[str, str], list[tuple[np.datetime64, np.datetime64, str]]] = {}
    for actor, org, start, end, status in zip(
            m["actor_id"].iloc[rows].astype(str), m["org_id"].iloc[rows].astype(str),
            m["start"].to_numpy()[rows], m["end"].to_numpy()[rows],
            m["status"].iloc[rows].astype(str), strict=True):
        spans.setdefault((actor, org), []).append((start, until if np.isnat(end) else end,
                                                   status))
    status = np.full((len(actors), len(orgs), len(years)), "none", dtype=object)
    raw = np.full(status.shape, "none", dtype=object)
    for a, actor in enumerate(actors):
        for i, org in enumerate(orgs):
            for start, end, value in spans.get((actor, org), []):  # a later row wins
                on = (july >= start) & (july <= end)
                status[a, i, on] = _STATUS_TO_COW[value]
                raw[a, i, on] = value
    each = len(orgs) * len(years)
    return pd.DataFrame({"actor": np.repeat(np.array(actors, dtype=object), each),
                         "org": np.tile(np.repeat(np.array(orgs, dtype=object), len(years)),
                                        len(actors)),
                         "year": np.tile(years, len(actors) * len(orgs)),
                         "albru": status.ravel(), "albru_status": raw.ravel()})


def igo_agreement(ds: Dataset, refs: dict[str, pd.DataFrame], actors: list[str],
                  years: np.ndarray | None = None, orgs: list[str] | None = None) -> pd.DataFrame:
    """albru's status of each state in each organization on 1 July against COW-IGO's code for
    that year, one row per state, organization and year (columns as :func:`albru.panel.agreement`).

    albru's ``inactive`` and ``suspended`` count as COW's full membership (both are formal
    members); years outside COW-IGO's coverage, or with a missing or inapplicable code, are
    not covered.

    >>> from albru import load
    >>> t = igo_agreement(load(), load_refs(), ["ALB"], years=np.array([1968, 1969]),
    ...                   orgs=["WARSAW"])
    >>> t[["year", "albru", "reference", "outcome"]].values.tolist()
    [[1968, 'inactive', 'full', 'agree'], [1969, 'none', 'none', 'agree']]
    """
    return _igo_agreement(ds, refs, actors, years, orgs, coverage()["cow_igo"])


def _igo_agreement(ds: Dataset, refs: dict[str, pd.DataFrame], actors: list[str],
                   years: np.ndarray | None, orgs: list[str] | None,
                   span: tuple[int, int]) -> pd.DataFrame:
    """:func:`igo_agreement` with COW-IGO's coverage (``span``, first and last year) read."""
    lo, hi = span
    years = np.arange(lo, hi + 1) if years is None else np.asarray(years)
    known = sorted(set(IGO_ORGS.values()) & set(ds.actors["actor_id"]))
    orgs = known if orgs is None else [o for o in orgs if o in known]
    codes = ds.actors.set_index("actor_id")["cow_code"]
    cow_igo = refs["cow_igo"]
    ref = _STATUS.take(_digest({"cow_igo": cow_igo}), lambda: _reference_status(cow_igo))
    ccodes = np.array([int(codes[actor]) for actor in actors], dtype="int64")
    own = _albru_status(ds, actors, orgs, years)
    own["ccode"] = np.repeat(ccodes, len(orgs) * len(years))
    mine = ref[ref["ccode"].isin(ccodes)]  # the states compared: a small merge
    both = own.merge(mine, on=["ccode", "org", "year"], how="left")  # a new frame
    covered = both["year"].between(lo, hi) & both["status"].isin(
        ["none", "full", "associate", "observer"])
    outcome = np.where(~covered, "not covered",
                       np.where(both["albru"] == both["status"], "agree", "disagree"))
    unit = both["actor"].to_numpy(dtype=object) + " in " + both["org"].to_numpy(dtype=object)
    return pd.DataFrame({
        "dataset": "COW-IGO", "unit": unit, "year": both["year"], "albru": both["albru_status"],
        "reference": both["status"].where(covered, None), "outcome": outcome})


def _reference_status(cow_igo: pd.DataFrame) -> pd.DataFrame:
    """COW-IGO's status of every state (``ccode``) per albru organization (``org``) and year,
    as :func:`igo_status_years` gives it state by state."""
    one = cow_igo[cow_igo["ccode"].notna() & cow_igo["igo"].astype(str).isin(list(IGO_ORGS))]
    out = run_years(one[["ccode", "igo", "status", "code", "start_year", "end_year"]])
    out["ccode"] = out["ccode"].astype("int64")
    out["org"] = out["igo"].astype(str).map(IGO_ORGS)
    out["status"] = out["status"].astype(str)
    return out.sort_values(["ccode", "igo", "year"])[["ccode", "org", "year", "status"]]


def load_refs() -> dict[str, pd.DataFrame]:
    """The reference extracts (the same as :func:`load`, a name that reads well beside
    :func:`albru.load`)."""
    return load()


def compare_codes(dataset: str, unit: str, years: np.ndarray, albru: pd.Series | pd.array,
                  ref: pd.Series | pd.array) -> pd.DataFrame:
    """albru's yearly code against a reference's, as rows of the agreement table (see
    :func:`albru.panel.agreement`): missing on either side means not covered.

    >>> compare_codes("X", "ALB", [1990, 1991, 1992], [1, 0, None], [1, 1, 0])["outcome"].tolist()
    ['agree', 'disagree', 'not covered']
    """
    albru = pd.array(albru, dtype="Int64")  # by position: an index is not read
    ref = pd.array(ref, dtype="Int64")
    covered = ~(albru.isna() | ref.isna())
    same = (albru == ref).to_numpy(dtype=bool, na_value=False)
    outcome = np.where(~covered, "not covered", np.where(same, "agree", "disagree"))
    return pd.DataFrame({"dataset": dataset, "unit": unit, "year": years,
                         "albru": albru.astype("string"), "reference": ref.astype("string"),
                         "outcome": outcome})


def yearly_outcomes(table: pd.DataFrame) -> pd.DataFrame:
    """One row per dataset and year: ``outcome`` (disagree if any unit disagrees, agree if the
    covered units all agree, not covered if none is covered), ``units`` (the covered units)
    and ``share`` (the share of covered units that agree; missing where none is covered).

    >>> from albru.panel import agreement
    >>> y = yearly_outcomes(agreement()).set_index(["dataset", "year"])
    >>> row = y.loc[("COW states", 1941)]
    >>> row["outcome"], int(row["units"]), float(row["share"])
    ('disagree', 2, 0.5)
    """
    keys = [table["dataset"], table["year"]]
    rank = table["outcome"].map({"not covered": 0, "agree": 1, "disagree": 2})
    worst = rank.groupby(keys).max()
    out = worst.map({0: "not covered", 1: "agree", 2: "disagree"}).rename("outcome").to_frame()
    covered = table["outcome"].ne("not covered")
    out["units"] = covered.groupby(keys).sum().astype(int)
    agree = table["outcome"].eq("agree").groupby(keys).sum()
    out["share"] = (agree / out["units"].where(out["units"] > 0)).astype(float)
    return out.reset_index().sort_values(["dataset", "year"]).reset_index(drop=True)


def agreement_shares(table: pd.DataFrame) -> pd.DataFrame:
    """Per dataset: compared unit-years, how many are covered, and the share of covered ones
    that agree.

    >>> from albru.panel import agreement
    >>> s = agreement_shares(agreement())
    >>> list(s.columns)
    ['dataset', 'compared', 'covered', 'agree', 'disagree', 'share_agree']
    """
    # counted on NumPy codes (a cross tabulation costs more than the table): rows missing a
    # dataset or an outcome are left out, outcomes other than OUTCOMES count nowhere
    outcome = table["outcome"]
    known = outcome.notna().to_numpy()
    row, names = pd.factorize(table["dataset"][known], sort=True)
    outcome = outcome[known].to_numpy()
    counts = {k: np.bincount(row[(row >= 0) & (outcome == k)], minlength=len(names))
              for k in OUTCOMES}
    out = pd.DataFrame({
        "compared": sum(counts.values()),
        "covered": counts["agree"] + counts["disagree"],
        "agree": counts["agree"],
        "disagree": counts["disagree"],
    }, index=pd.Index(names, name="dataset"))
    share = out["agree"] / out["covered"].where(out["covered"] > 0)
    out["share_agree"] = share.round(3)
    return out.reset_index()
