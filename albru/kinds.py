"""The kinds of diplomatic incident: each event type of a conflict quad class gathered with its
near neighbours. A vocabulary read by the analyses (:mod:`albru.incidents`) and by the figures
(:mod:`albru.plot.style`), so it sits below both.

>>> KINDS["veto"]
(3, ('veto',))
>>> sorted({quad for quad, _ in KINDS.values()}) == list(CONFLICT_QUADS)
True
"""

from __future__ import annotations

__all__ = ["CONFLICT_QUADS", "KINDS"]

#: Quad classes that make an event an incident: 3 verbal conflict, 4 material conflict.
CONFLICT_QUADS: tuple[int, int] = (3, 4)
#: Incident kinds, verbal conflict first: each kind's quad class and the event types it gathers.
KINDS: dict[str, tuple[int, tuple[str, ...]]] = {
    "demand or threat": (3, ("demand", "demand_policy_change", "demand_withdrawal", "threaten")),
    "rejection": (3, ("reject", "reject_policy_change", "refuse_to_yield", "defy_norms",
                      "declare_independence")),
    "criticism": (3, ("criticize", "complain_officially")),
    "accusation": (3, ("accuse", "accuse_crime", "accuse_human_rights", "accuse_war_crimes")),
    "condemning resolution": (3, ("rally_opposition", "vote_condemn")),
    "veto": (3, ("veto",)),
    "reduced ties": (4, ("reduce_relations",)),
    "aid withdrawn": (4, ("stop_economic_aid", "stop_military_aid")),
    "break of relations": (4, ("break_relations",)),
    "expulsion": (4, ("expel_diplomats",)),
    "sanctions": (4, ("impose_sanctions", "administrative_sanctions")),
    "coercion": (4, ("coerce", "arrest")),
    "seizure or destruction": (4, ("seize_property", "destroy_property")),
    "armed force": (4, ("use_military_force", "occupy_territory")),
}
