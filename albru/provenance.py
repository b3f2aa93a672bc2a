"""Which checks are independent, and whether the ties agree with the events.

A check of an event counts as independent when its source is not the row's own source, not the
article, not a work the article paraphrases or derives from, not a copy of any of these (the
``sources.derived_from`` links are followed transitively, both ways), and of a tier other than
``other``. A tie is set against the events between its two actors inside its span: their counts
by quad class and their net Goldstein score.

Examples
--------
>>> import albru
>>> ds = albru.load()
>>> table = independent_checks(ds)
>>> bool(table.loc["E115", "independent"]), bool(table.loc["E016", "independent"])
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from albru.dataset import Dataset

__all__ = [
    "ARTICLE", "COUNTING", "LIST_SEP", "STATUSES", "card_tables", "independent_checks",
    "lineage", "status_problems", "tie_evidence", "tie_flags",
]

#: The source id of the Wikipedia article the data start from.
ARTICLE = "wp_article"
#: Separator of the list columns ``sources.derived_from`` and ``events.also_checked_by``.
LIST_SEP = ";"
#: The verification statuses, in the order the card lists them.
STATUSES = ("confirmed", "corrected", "refined", "disputed", "thin", "unverified")
#: Statuses that claim an independent check and so require one.
COUNTING = ("confirmed", "corrected", "refined")


def split(cell: object) -> list[str]:
    """The ids of a list cell (``a;b``), empty for a missing or blank cell.

    >>> split("loc_cs_1992; gse_sovalb"), split(None)
    (['loc_cs_1992', 'gse_sovalb'], [])
    """
    if cell is None or pd.isna(cell):
        return []
    return [part.strip() for part in str(cell).split(LIST_SEP) if part.strip()]


def lineage(derived: Mapping[str, Iterable[str]], roots: Iterable[str]) -> set[str]:
    """``roots``, every work they derive from, and every copy of any of these, transitively.

    Parameters
    ----------
    derived : source id -> the ids it derives from (paraphrases, mirrors, copies).
    roots : the works to start from.

    Returns
    -------
    The closure: ancestors of the roots, and every work deriving from a member, repeated until
    nothing is added.

    Examples
    --------
    >>> links = {"wp": ["study"], "mirror": ["wp"], "chapter": ["study"], "own": []}
    >>> sorted(lineage(links, ["wp"]))
    ['chapter', 'mirror', 'study', 'wp']
    """
    found = set(roots)
    while True:
        more = {parent for child in found for parent in derived.get(child, ())}
        more |= {child for child, parents in derived.items() if found.intersection(parents)}
        if more <= found:
            return found
        found |= more


def _derivations(sources: pd.DataFrame) -> dict[str, list[str]]:
    column = sources["derived_from"] if "derived_from" in sources else pd.Series(dtype="string")
    return {str(s): split(d) for s, d in zip(sources["source_id"], column, strict=False)}


def independent_checks(ds: Dataset, *, article: str = ARTICLE) -> pd.DataFrame:
    """For every event, its check sources and which of them are independent.

    Parameters
    ----------
    ds : the Dataset (its ``events`` and ``sources``).
    article : source id of the article.

    Returns
    -------
    One row per event, by ``event_id``: ``verification``, ``checks`` (the primary
    ``check_source_id`` then ``also_checked_by``), ``independent_sources`` and ``independent``
    (True when at least one check is independent and the status is not ``unverified``).

    Examples
    --------
    >>> import albru
    >>> table = independent_checks(albru.load())
    >>> table.loc["E016", "checks"][0] != "loc_cs_1992" or not table.loc["E016", "independent"]
    True
    """
    derived = _derivations(ds.sources)
    tier = dict(zip(ds.sources["source_id"].astype(str), ds.sources["tier"].astype(str),
                    strict=True))
    tainted = lineage(derived, [article])
    also = (ds.events["also_checked_by"] if "also_checked_by" in ds.events
            else pd.Series(pd.NA, index=ds.events.index))
    rows = []
    for event, status, own, first, more in zip(
            ds.events["event_id"].astype(str), ds.events["verification"].astype(str),
            ds.events["source_id"].astype(str), ds.events["check_source_id"], also,
            strict=True):
        checks = split(first) + [s for s in split(more) if s not in split(first)]
        excluded = tainted | lineage(derived, [own])
        good = [s for s in checks if s not in excluded and tier.get(s, "other") != "other"]
        rows.append((event, status, checks, good, bool(good) and status != "unverified"))
    return pd.DataFrame(rows, columns=["event_id", "verification", "checks",
                                       "independent_sources", "independent"]
                        ).set_index("event_id").sort_index()


def status_problems(table: pd.DataFrame) -> list[str]:
    """Rows whose status says something their checks do not bear out.

    ``confirmed``, ``corrected`` and ``refined`` need an independent check; ``thin`` and
    ``unverified`` must have none (``unverified`` has no check source at all).

    Examples
    --------
    >>> t = pd.DataFrame({"verification": ["confirmed", "thin"], "checks": [["x"], ["y"]],
    ...                   "independent_sources": [[], ["y"]], "independent": [False, True]},
    ...                  index=pd.Index(["E1", "E2"], name="event_id"))
    >>> status_problems(t)
    ['E1: confirmed but no independent check', 'E2: thin but y is independent']
    """
    found = []
    for event, row in table.iterrows():
        status = row["verification"]
        if status in COUNTING and not row["independent_sources"]:
            found.append(f"{event}: {status} but no independent check")
        elif status == "thin" and row["independent_sources"]:
            found.append(f"{event}: thin but {', '.join(row['independent_sources'])} is "
                         "independent")
        elif status == "unverified" and row["checks"]:
            found.append(f"{event}: unverified but checked by {', '.join(row['checks'])}")
    return found


def tie_evidence(ds: Dataset) -> pd.DataFrame:
    """For every tie, the events between its two actors whose whole date range lies in its span.

    An open end (``..``) runs to the package's ``as_of`` day.

    Returns
    -------
    One row per ``tie_id``: ``actor_a``, ``actor_b``, ``sign``, ``start``, ``end``, ``q1`` to
    ``q4`` (events by quad class), ``events`` (their ids) and ``net_goldstein``.

    Examples
    --------
    >>> import albru
    >>> ev = tie_evidence(albru.load())
    >>> int(ev.loc["T022", "sign"]), bool(ev.loc["T022", "net_goldstein"] > 0)
    (1, True)
    """
    events = ds.events
    last = ds.package.as_of if ds.package.as_of is not None else events["end"].max()
    source, target = (events[c].astype(str).to_numpy() for c in ("source_actor", "target_actor"))
    first, final = (events[c].to_numpy(dtype="datetime64[ns]") for c in ("start", "end"))
    quad = events["quad_class"].to_numpy(dtype="float64", na_value=np.nan)
    ids = events["event_id"].astype(str).to_numpy()
    goldstein = events["goldstein"].to_numpy(dtype="float64", na_value=np.nan)
    apart = source != target
    rows = []
    for tie in ds.ties.itertuples(index=False):
        end = tie.end if pd.notna(tie.end) else last
        pair = [str(tie.actor_a), str(tie.actor_b)]
        inside = (np.isin(source, pair) & np.isin(target, pair) & apart
                  & (first >= pd.Timestamp(tie.start).to_datetime64())
                  & (final <= pd.Timestamp(end).to_datetime64()))
        rows.append({"tie_id": tie.tie_id, "actor_a": tie.actor_a, "actor_b": tie.actor_b,
                     "sign": int(tie.sign), "start": tie.start_edtf, "end": tie.end_edtf,
                     **{f"q{q}": int((quad[inside] == q).sum()) for q in (1, 2, 3, 4)},
                     "events": sorted(ids[inside]),
                     # the sum pandas takes: missing scores as 0, in table order
                     "net_goldstein": round(float(np.nansum(goldstein[inside])), 1)})
    return pd.DataFrame(rows).set_index("tie_id").sort_index()


def _supporting(ds: Dataset, tie: str, sign: int, source: str, tainted: set[str],
                tier: Mapping[str, str]) -> list[str]:
    """Independent references for a tie's sign: its own source, or a claim on its sign."""
    claims = ds.claims[(ds.claims["table"].astype(str) == "ties")
                       & (ds.claims["record_id"].astype(str) == tie)
                       & (ds.claims["column"].astype(str) == "sign")
                       & (ds.claims["value"].astype(str) == str(sign))]
    named = [source, *claims["source_id"].astype(str)]
    return [s for s in dict.fromkeys(named) if s not in tainted and tier.get(s) != "other"]


def tie_flags(ds: Dataset, *, article: str = ARTICLE) -> pd.DataFrame:
    """Ties whose sign the events do not bear out, and the references that carry them.

    A tie is flagged when its span holds no event between its two actors, or when its sign is
    opposite to the sign of their net Goldstein score. A flag is answered when the tie's own
    source, or the source of a claim on its ``sign`` with the same value, is a reference that
    is neither the article nor derived from it, of a tier other than ``other``.

    Returns
    -------
    The flagged rows of :func:`tie_evidence` with ``reason`` and ``references`` (empty when
    the flag is unanswered).

    Examples
    --------
    >>> import albru
    >>> flags = tie_flags(albru.load())
    >>> bool(flags["references"].map(len).gt(0).all())
    True
    """
    evidence = tie_evidence(ds)
    tier = dict(zip(ds.sources["source_id"].astype(str), ds.sources["tier"].astype(str),
                    strict=True))
    tainted = lineage(_derivations(ds.sources), [article])
    own = dict(zip(ds.ties["tie_id"].astype(str), ds.ties["source_id"].astype(str),
                   strict=True))
    reasons = pd.Series("", index=evidence.index)
    empty = evidence[["q1", "q2", "q3", "q4"]].sum(axis=1) == 0
    reasons[empty] = "no event in the span"
    against = ~empty & (evidence["net_goldstein"] * evidence["sign"] < 0)
    reasons[against] = "sign against the net Goldstein score"
    flagged = evidence[reasons != ""].assign(reason=reasons[reasons != ""])
    flagged["references"] = [
        _supporting(ds, tie, int(row.sign), own[tie], tainted, tier)
        for tie, row in flagged.iterrows()]
    return flagged


def card_tables(ds: Dataset) -> dict[str, str]:
    """The data card's generated tables, in Markdown, by marker name.

    ``figures``: counts of events, claims, sources by tier and event types with a named
    alternative code; ``weak``: the rows without an independent check; ``verification``: events
    by status, with how many have an independent check, and the share; ``corrections``: the
    rows whose status is ``corrected`` or ``refined``; ``ties``: the flagged ties and the
    references that answer each flag.

    Examples
    --------
    >>> import albru
    >>> print(card_tables(albru.load())["verification"].splitlines()[0])
    | status | events | with an independent check |
    """
    table = independent_checks(ds)
    lines = ["| status | events | with an independent check |", "|---|---:|---:|"]
    for status in STATUSES:
        rows = table[table["verification"] == status]
        lines.append(f"| {status} | {len(rows)} | {int(rows['independent'].sum())} |")
    share = table["independent"].mean()
    lines.append(f"| all | {len(table)} | {int(table['independent'].sum())} |")
    lines += ["", f"Share of events with an independent check: **{share:.1%}**."]
    fixes = ["| row | status | checked by |", "|---|---|---|"]
    for event, row in table[table["verification"].isin(["corrected", "refined"])].iterrows():
        fixes.append(f"| {event} | {row['verification']} | "
                     f"{', '.join(f'`{s}`' for s in row['independent_sources'])} |")
    head = ("| tie | pair | sign | span | events (q1/q2/q3/q4) | net Goldstein | flag | "
            "answered by |")
    ties = [head, "|---|---|---:|---|---|---:|---|---|"]
    for tie, row in tie_flags(ds).iterrows():
        refs = ", ".join(f"`{s}`" for s in row["references"]) or "**unanswered**"
        ties.append(f"| {tie} | {row['actor_a']}–{row['actor_b']} | {row['sign']:+d} | "
                    f"{row['start']}/{row['end']} | {row['q1']}/{row['q2']}/{row['q3']}/"
                    f"{row['q4']} | {row['net_goldstein']:g} | {row['reason']} | {refs} |")
    weak = table[~table["independent"]]
    listed = ", ".join(f"{event} ({row['verification']})" for event, row in weak.iterrows())
    return {"figures": _figures(ds), "weak": f"Rows without an independent check: {listed}.",
            "verification": "\n".join(lines),
            "corrections": "\n".join(fixes), "ties": "\n".join(ties)}


def _figures(ds: Dataset) -> str:
    """The card's table of counts: events, claims, sources by tier, types with alternatives."""
    tiers = ds.sources["tier"].astype(str).value_counts()
    order = ("news", "other", "official", "scholarly")
    fields = ds.claims[["table", "record_id", "column"]].drop_duplicates()
    alts = ds.event_types["coding_note"].astype("string").str.contains("alt=").fillna(False)
    rows = [("events", len(ds.events)),
            ("claims (rows) / fields with claims", f"{len(ds.claims)} / {len(fields)}"),
            (f"sources: {' / '.join(order)}", " / ".join(str(tiers.get(t, 0)) for t in order)),
            ("event types with a named alternative code",
             f"{int(alts.sum())} of {len(ds.event_types)}")]
    return "\n".join(["| figure | value |", "|---|---:|",
                      *(f"| {name} | {value} |" for name, value in rows)])


def write_card(path: str, ds: Dataset) -> bool:
    """Replace each generated block of the card at ``path``; True if the file changed.

    A block sits between ``<!-- generated:NAME -->`` and ``<!-- /generated:NAME -->``.
    """
    text = original = open(path, encoding="utf-8").read()  # noqa: SIM115
    for name, body in card_tables(ds).items():
        begin, end = f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"
        head, found, rest = text.partition(begin)
        if not found:
            raise ValueError(f"{path}: marker {begin} missing")
        _, found, tail = rest.partition(end)
        if not found:
            raise ValueError(f"{path}: marker {end} missing")
        text = f"{head}{begin}\n{body}\n{end}{tail}"
    if text != original:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return text != original
