"""UN General Assembly roll calls: the extract, agreement, participation, ideal points, peers.

Modules by topic, every public name importable from here:

- :mod:`albru.votes.core`: the extract (:func:`load_votes`, :class:`UNVotes`, :func:`code_of`);
- :mod:`albru.votes.agreement`: four agreement measures with resolution-clustered intervals;
- :mod:`albru.votes.participation`: how often a state voted while a member;
- :mod:`albru.votes.idealpoints`: Bailey-Strezhnev-Voeten ideal points and distances;
- :mod:`albru.votes.peers`: a pair read against blocs and single comparisons.

>>> from albru import votes
>>> votes.agreement("ALB", "RUS").loc[[1962, 2014], ["n_votes", "identical"]].round(2)
      n_votes  identical
year
1962       62       1.00
2014       78       0.55
"""

from albru.votes.agreement import (
    MEASURES,
    OLD_NAMES,
    PANEL_NAMES,
    agreement,
    agreement_by_issue,
    agreement_by_year,
    agreement_draws,
    all_pairs,
    pair_percentile,
    resolution_groups,
    table_measures,
    vote_kinds,
)
from albru.votes.core import (
    ABSENT,
    ISSUES,
    NON_MEMBER,
    VOTE_CODES,
    UNVotes,
    code_of,
    groups_of,
    issue_rows,
    load_votes,
    make_votes,
)
from albru.votes.idealpoints import ideal_distance, load_ideal_points, session_year
from albru.votes.participation import BASES, membership_matrix, participation
from albru.votes.peers import BLOCS, bloc_members, peer_baseline

__all__ = [
    "ABSENT", "BASES", "BLOCS", "ISSUES", "MEASURES", "NON_MEMBER", "OLD_NAMES", "PANEL_NAMES",
    "VOTE_CODES",
    "UNVotes", "agreement", "agreement_by_issue", "agreement_by_year", "agreement_draws",
    "all_pairs", "bloc_members", "code_of", "groups_of", "ideal_distance", "issue_rows",
    "load_ideal_points", "load_votes", "make_votes", "membership_matrix", "pair_percentile",
    "participation", "peer_baseline", "resolution_groups", "session_year", "table_measures",
    "vote_kinds",
]
