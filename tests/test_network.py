"""Tests for albru.network on small synthetic tables shaped like the loaded Dataset."""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from albru import network, plot
from albru._snapshots import _Snapshots

matplotlib.use("Agg")

ACTORS = pd.DataFrame(
    {
        "actor_id": ["ALB", "RUS", "YUG", "CHN", "USA", "BGR", "WARSAW", "COMECON", "NATO", "OSCE"],
        "name": ["Albania", "Russia", "Yugoslavia", "China", "United States", "Bulgaria",
                 "Warsaw Pact", "Comecon", "NATO", "OSCE"],
        "kind": ["state"] * 6 + ["organization"] * 4,
    }
).astype("string")


def _span(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    """A span table from rows whose last two fields are start and end ('..' = open)."""
    frame = pd.DataFrame(rows, columns=[*columns, "start_edtf", "end_edtf"]).astype("string")
    frame["start"] = pd.to_datetime(frame["start_edtf"])
    frame["end"] = pd.to_datetime(frame["end_edtf"].replace("..", None))
    return frame


@dataclass(frozen=True)
class FakeDataset:
    actors: pd.DataFrame
    actor_names: pd.DataFrame
    ties: pd.DataFrame
    memberships: pd.DataFrame


def make_ds(ties: list[tuple] = (), memberships: list[tuple] = (), names: list[tuple] = ()):
    tie_frame = _span(list(ties), ["tie_id", "actor_a", "actor_b", "sign", "kind"])
    tie_frame["sign"] = tie_frame["sign"].astype("Int64")
    return FakeDataset(
        actors=ACTORS,
        actor_names=_span(list(names), ["actor_id", "name"]),
        ties=tie_frame,
        memberships=_span(list(memberships), ["membership_id", "actor_id", "org_id", "status"]),
    )


TIES = [
    ("T001", "ALB", "YUG", 1, "patronage", "1945-01-01", "1948-06-27"),
    ("T002", "ALB", "YUG", -1, "hostility", "1948-06-28", "1990-12-31"),
    ("T003", "ALB", "RUS", 1, "alliance", "1948-06-28", "1961-12-10"),
    ("T004", "ALB", "RUS", -1, "rupture", "1961-12-03", "1990-07-30"),
    ("T005", "RUS", "YUG", -1, "rivalry", "1948-06-28", "1955-05-31"),
    ("T006", "RUS", "YUG", 1, "alignment", "1955-06-01", "1991-12-26"),
    ("T007", "ALB", "CHN", 1, "alliance", "1961-01-01", "1978-07-07"),
    ("T008", "CHN", "RUS", -1, "rivalry", "1960-01-01", "1989-05-15"),
    ("T009", "ALB", "USA", 1, "alignment", "1991-03-15", ".."),
]


@pytest.fixture
def ds():
    return make_ds(TIES)


def tie_ids(graph: nx.Graph) -> set[str]:
    return {t for _, _, ids in graph.edges(data="tie_ids") for t in ids}


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1944-12-31", set()),
        ("1945-01-01", {"T001"}),  # first day of a span is inside it
        ("1948-06-27", {"T001"}),  # last day too
        ("1948-06-28", {"T002", "T003", "T005"}),
        ("1955-05-31", {"T002", "T003", "T005"}),
        ("1955-06-01", {"T002", "T003", "T006"}),
        ("1961-12-05", {"T002", "T003", "T004", "T006", "T007", "T008"}),
        ("1961-12-11", {"T002", "T004", "T006", "T007", "T008"}),
        ("1991-03-15", {"T006", "T009"}),
        ("2090-01-01", {"T009"}),  # an open end never closes
    ],
)
def test_graph_has_exactly_the_ties_active_that_day(ds, date, expected):
    assert tie_ids(network.graph_at(ds, date)) == expected


def test_graph_edges_carry_sign_kind_and_rows(ds):
    edge = network.graph_at(ds, "1950-07-01").edges["ALB", "YUG"]
    assert (edge["sign"], edge["kind"], edge["basis"], edge["tie_ids"]) == (
        -1, "hostility", "tie", ("T002",)
    )


def test_latest_tie_decides_when_two_overlap(ds):
    edge = network.graph_at(ds, "1961-12-05").edges["ALB", "RUS"]
    assert (edge["sign"], edge["kind"], edge["tie_ids"]) == (-1, "rupture", ("T003", "T004"))


def test_hostile_tie_wins_on_equal_start():
    ds = make_ds([
        ("T001", "ALB", "RUS", 1, "alliance", "1960-01-01", "1960-12-31"),
        ("T002", "RUS", "ALB", -1, "rivalry", "1960-01-01", "1960-12-31"),
    ])
    assert network.graph_at(ds, "1960-06-01").edges["ALB", "RUS"]["sign"] == -1


def test_self_tie_fails_loudly():
    ds = make_ds([("T001", "ALB", "ALB", 1, "alliance", "1960-01-01", "..")])
    with pytest.raises(ValueError, match="T001"):
        network.graph_at(ds, "1961-01-01")


def test_albania_and_russia_are_nodes_even_without_edges(ds):
    graph = network.graph_at(ds, "1930-01-01")
    assert sorted(graph.nodes) == ["ALB", "RUS"] and graph.number_of_edges() == 0


def test_node_name_follows_the_period(ds):
    ds = make_ds(TIES, names=[("RUS", "Soviet Union", "1922-12-30", "1991-12-26")])
    assert network.graph_at(ds, "1950-01-01").nodes["RUS"]["name"] == "Soviet Union"
    assert network.graph_at(ds, "1992-01-01").nodes["RUS"]["name"] == "Russia"


MEMBERSHIPS = [
    ("M001", "ALB", "WARSAW", "member", "1955-05-14", "1961-12-31"),
    ("M002", "ALB", "WARSAW", "inactive", "1962-01-01", "1968-09-13"),
    ("M003", "RUS", "WARSAW", "member", "1955-05-14", "1991-07-01"),
    ("M004", "BGR", "WARSAW", "member", "1955-05-14", "1991-07-01"),
    ("M005", "ALB", "COMECON", "member", "1949-02-01", "1961-12-31"),
    ("M006", "RUS", "COMECON", "member", "1949-01-08", "1991-06-28"),
    ("M007", "ALB", "NATO", "member", "2009-04-01", ".."),
    ("M008", "USA", "NATO", "member", "1949-08-24", ".."),
    ("M009", "ALB", "OSCE", "member", "1991-06-19", ".."),
    ("M010", "RUS", "OSCE", "member", "1973-07-03", ".."),
]


def bloc_pairs(graph: nx.Graph) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(a, b): blocs for a, b, blocs in graph.edges(data="blocs") if blocs}


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("1949-01-31", {}),  # Russia in Comecon, Albania not yet
        ("1949-02-01", {("ALB", "RUS"): ("COMECON",)}),
        ("1955-05-13", {("ALB", "RUS"): ("COMECON",)}),
        ("1955-05-14", {("ALB", "RUS"): ("COMECON", "WARSAW"), ("ALB", "BGR"): ("WARSAW",),
                        ("BGR", "RUS"): ("WARSAW",)}),
        ("1961-12-31", {("ALB", "RUS"): ("COMECON", "WARSAW"), ("ALB", "BGR"): ("WARSAW",),
                        ("BGR", "RUS"): ("WARSAW",)}),
        ("1962-01-01", {("BGR", "RUS"): ("WARSAW",)}),  # an inactive member no longer counts
        ("1991-07-02", {}),
        ("2009-03-31", {}),
        ("2009-04-01", {("ALB", "USA"): ("NATO",)}),  # the OSCE is not a bloc
    ],
)
def test_co_membership_only_while_both_memberships_are_active(date, expected):
    graph = network.graph_at(make_ds(memberships=MEMBERSHIPS), date)
    assert bloc_pairs(graph) == expected
    assert all(graph.edges[p]["sign"] == 1 and graph.edges[p]["basis"] == "bloc" for p in expected)


def test_direct_tie_wins_over_co_membership_on_sign():
    ds = make_ds(TIES, MEMBERSHIPS)
    edge = network.graph_at(ds, "1961-12-20").edges["ALB", "RUS"]
    assert (edge["sign"], edge["kind"], edge["basis"]) == (-1, "rupture", "tie+bloc")
    assert (edge["tie_ids"], edge["blocs"]) == (("T004",), ("COMECON", "WARSAW"))
    assert edge["membership_ids"] == ("M001", "M003", "M005", "M006")


def test_organization_nodes_link_to_their_members():
    graph = network.graph_at(make_ds(memberships=MEMBERSHIPS), "2010-01-01", orgs=True)
    assert sorted(graph["NATO"]) == ["ALB", "USA"]
    assert graph.nodes["NATO"]["kind"] == "organization"
    assert graph.edges["ALB", "NATO"]["membership_ids"] == ("M007",)
    assert sorted(network.states(graph)) == ["ALB", "RUS", "USA"]


def test_triangle_balance_follows_the_story(ds):
    # 1950: Albania and the USSR against Yugoslavia -> balanced (two friends, one enemy)
    assert network.triad(network.graph_at(ds, "1950-07-01"), ["ALB", "RUS", "YUG"]) == {
        "ALB-RUS": 1, "ALB-YUG": -1, "RUS-YUG": -1, "balanced": True
    }
    # 1957: the USSR makes up with Yugoslavia, Albania does not -> unbalanced
    assert network.triad(network.graph_at(ds, "1957-07-01"), ["ALB", "RUS", "YUG"])[
        "balanced"
    ] is False
    # 1962: Albania breaks with the USSR -> balanced again
    assert network.triad(network.graph_at(ds, "1962-07-01"), ["ALB", "RUS", "YUG"])[
        "balanced"
    ] is True


def test_triad_is_open_while_an_edge_is_missing(ds):
    out = network.triad(network.graph_at(ds, "1959-07-01"), ["ALB", "RUS", "CHN"])
    assert out == {"ALB-RUS": 1, "ALB-CHN": 0, "RUS-CHN": 0, "balanced": None}


def test_signed_triangles_lists_balanced_and_unbalanced(ds):
    table = network.signed_triangles(network.graph_at(ds, "1961-07-01"))
    assert table[["a", "b", "c"]].values.tolist() == [
        ["ALB", "CHN", "RUS"], ["ALB", "RUS", "YUG"],
    ]
    # ALB+CHN, ALB+RUS, CHN-RUS: one enemy between two friends of Albania -> unbalanced
    # ALB+RUS, ALB-YUG, RUS+YUG: also unbalanced
    assert table["balanced"].tolist() == [False, False]
    table = network.signed_triangles(network.graph_at(ds, "1962-07-01"))
    assert table["balanced"].tolist() == [True, True]


def test_signed_triangles_ignore_organizations():
    graph = network.graph_at(make_ds(memberships=MEMBERSHIPS), "1956-01-01", orgs=True)
    assert network.signed_triangles(graph)[["a", "b", "c"]].values.tolist() == [
        ["ALB", "BGR", "RUS"]
    ]


def test_position_counts_allies_adversaries_and_distance(ds):
    pos = network.position(network.graph_at(ds, "1965-07-01"))
    assert pos["allies"] == ("CHN",) and pos["adversaries"] == ("RUS", "YUG")
    assert (pos["degree"], pos["sign_to_other"], pos["distance"]) == (3, -1, 1)
    assert pos["friendly_distance"] is None  # no chain of allies reaches Moscow
    pos = network.position(network.graph_at(ds, "1957-07-01"))
    assert (pos["distance"], pos["friendly_distance"]) == (1, 1)


def test_friendly_distance_can_take_several_hops():
    ds = make_ds([
        ("T001", "ALB", "USA", 1, "alignment", "2000-01-01", ".."),
        ("T002", "USA", "CHN", 1, "alignment", "2000-01-01", ".."),
        ("T003", "CHN", "RUS", 1, "alignment", "2000-01-01", ".."),
        ("T004", "ALB", "RUS", -1, "rivalry", "2000-01-01", ".."),
    ])
    pos = network.position(network.graph_at(ds, "2001-01-01"))
    assert (pos["distance"], pos["friendly_distance"]) == (1, 3)


def random_signed_graph(seed: int) -> nx.Graph:
    """A graph of eight states and two organizations with edges of sign -1, 0 or 1 (and a
    self-loop now and then), as the walks over plain dicts must read any graph."""
    rng = random.Random(seed)
    g = nx.Graph()
    g.add_nodes_from("ABCDEFGH", kind="state")
    g.add_nodes_from(["ORG1", "ORG2"], kind="organization")
    for a, b in itertools.combinations_with_replacement(sorted(g), 2):
        if rng.random() < (0.05 if a == b else 0.4):
            g.add_edge(a, b, sign=rng.choice([-1, -1, 0, 1, 1, 1]))
    return g


@pytest.mark.parametrize("seed", range(12))
def test_balance_and_position_agree_with_the_triangle_table_and_networkx(seed):
    g = random_signed_graph(seed)
    table = network.signed_triangles(g)
    bad = table[~table["balanced"]]
    assert network._balance(network._state_signs(g)) == (
        len(table), [f"{t.a}-{t.b}-{t.c}" for t in bad.itertuples()])
    sub = network.states(g)
    friendly = sub.edge_subgraph((u, v) for u, v, s in sub.edges(data="sign") if s > 0)

    def hops(graph, a, b):  # networkx's answer
        if a not in graph or b not in graph or not nx.has_path(graph, a, b):
            return None
        return nx.shortest_path_length(graph, a, b)

    for a, b in itertools.product([*"ABCDEFGH", "ORG1", "ZZZ"], repeat=2):
        pos = network.position(g, a, b)
        assert (pos["distance"], pos["friendly_distance"]) == (hops(sub, a, b),
                                                               hops(friendly, a, b)), (a, b)
        signs = {n: s for n, s in (sub.adj[a].items() if a in sub else [])}
        assert pos["degree"] == len(signs)
        assert pos["allies"] == tuple(sorted(n for n, d in signs.items() if d["sign"] > 0))


def test_position_series_is_one_row_per_year_mid_year(ds):
    series = network.position_series(ds, range(1960, 1964))
    assert series["year"].tolist() == [1960, 1961, 1962, 1963]
    assert series["date"].dt.strftime("%m-%d").unique().tolist() == ["07-01"]
    assert series["sign_to_other"].tolist() == [1, 1, -1, -1]
    assert series["allies"].tolist() == ["RUS", "CHN, RUS", "CHN", "CHN"]
    assert series["friendly_distance"].isna().tolist() == [False, False, True, True]


def test_layout_places_states_by_their_links_to_the_poles(ds):
    graphs = [network.graph_at(ds, d) for d in ["1950-07-01", "1962-07-01", "1995-07-01"]]
    pos = plot.union_layout(graphs)
    assert pos == plot.union_layout(graphs)
    assert set(pos) == {"ALB", "RUS", "YUG", "CHN", "USA"}
    assert pos["ALB"] == (-1.0, 0.0) and pos["RUS"] == (1.0, 0.0)
    # linked to both poles: middle column, off the axis; to Albania only: left column
    assert pos["YUG"][0] == pos["CHN"][0] == 0.0 and 0.0 not in (pos["YUG"][1], pos["CHN"][1])
    assert pos["USA"][0] == -2.0
    assert len(set(pos.values())) == len(pos)  # no two nodes on one spot


def test_layout_puts_organizations_in_a_row_below_the_states():
    graphs = [network.graph_at(make_ds(TIES, MEMBERSHIPS), d, orgs=True)
              for d in ["1956-07-01", "2010-07-01"]]
    pos = plot.union_layout(graphs)
    rows = {pos[n][1] for n in ("WARSAW", "COMECON", "NATO")}
    assert len(rows) == 1 and rows.pop() < min(pos[n][1] for n in ("ALB", "RUS", "YUG", "BGR"))
    assert pos["NATO"][0] < pos["COMECON"][0]  # NATO under Albania, Comecon between the poles
    assert abs(pos["WARSAW"][0] - pos["COMECON"][0]) >= 0.8  # two squares side by side, apart


LAYOUT_SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
import networkx as nx
import numpy as np
from albru import plot
graphs = [nx.Graph([("ALB", "YUG"), ("YUG", "RUS")]), nx.Graph([("ALB", "CHN"), ("CHN", "USA")])]
print(json.dumps(plot.union_layout(graphs)))
"""


def test_layout_is_the_same_across_runs():
    # This process's layout against one made under another hash seed in a fresh interpreter
    # (a seed other than ours, so the two runs order their sets differently).
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    hashseed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    done = subprocess.run(
        [sys.executable, "-c", LAYOUT_SCRIPT.format(root=root)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": hashseed},
    )
    graphs = [nx.Graph([("ALB", "YUG"), ("YUG", "RUS")]),
              nx.Graph([("ALB", "CHN"), ("CHN", "USA")])]  # LAYOUT_SCRIPT's
    here = json.loads(json.dumps(plot.union_layout(graphs)))
    assert here == json.loads(done.stdout)
    assert set(here) == {"ALB", "CHN", "RUS", "USA", "YUG"}


def test_panels_place_each_node_at_the_same_spot(ds):

    graphs = {d: network.graph_at(ds, d) for d in ["1950-07-01", "1965-07-01"]}
    pos = plot.union_layout(graphs.values())
    axes = plot.network_panels(graphs, pos=pos, ncols=2).axes
    drawn = [{t.get_text(): tuple(t.get_position()) for t in ax.texts} for ax in axes]
    common = set(drawn[0]) & set(drawn[1])
    assert common == {"ALB", "RUS", "YUG"}
    assert all(drawn[0][n] == drawn[1][n] == pos[n] for n in common)
    assert axes[0].get_xlim() == axes[1].get_xlim() and axes[0].get_ylim() == axes[1].get_ylim()


def test_triad_history_lists_each_change_once(ds):
    history = network.triad_history(ds, ["ALB", "RUS", "YUG"], "1948-01-01", "1962-12-31")
    assert history["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "1948-01-01", "1948-06-28", "1955-06-01", "1961-12-03",
    ]
    assert history["balanced"].tolist() == [None, True, False, True]
    assert history["ALB-RUS"].tolist() == [0, 1, 1, -1]


def test_triad_history_sees_bloc_changes():
    ds = make_ds(memberships=MEMBERSHIPS)
    history = network.triad_history(ds, ["ALB", "BGR", "RUS"], "1955-01-01", "1970-12-31")
    assert history["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "1955-01-01", "1955-05-14", "1962-01-01",
    ]
    assert history["balanced"].tolist() == [None, True, None]


def test_layout_puts_a_state_linked_to_neither_pole_level_with_its_neighbour():
    pos = plot.union_layout([nx.Graph([("ALB", "SRB"), ("SRB", "RUS"), ("SRB", "FRA")])])
    assert pos["SRB"] == (0.0, 0.5) and pos["FRA"] == (2.0, 0.5)


def test_balance_series_counts_triangles_each_year(ds):
    series = network.balance_series(ds, [1950, 1957, 1961, 1962])
    assert series["triangles"].tolist() == [1, 1, 2, 2]
    assert series["unbalanced"].tolist() == [0, 1, 2, 0]
    assert (series["balanced"] + series["unbalanced"]).tolist() == series["triangles"].tolist()
    assert series["unbalanced_triangles"].tolist() == [
        "", "ALB-RUS-YUG", "ALB-CHN-RUS; ALB-RUS-YUG", "",
    ]


def test_unbalanced_spells_run_until_the_next_change(ds):
    history = network.triad_history(ds, ["ALB", "RUS", "YUG"], "1945-01-01", "1962-12-31")
    spells = network.unbalanced_spells(history, "1962-12-31")
    assert spells["start"].dt.strftime("%Y-%m-%d").tolist() == ["1955-06-01"]
    assert spells["end"].dt.strftime("%Y-%m-%d").tolist() == ["1961-12-02"]
    days = (spells["end"] - spells["start"]).dt.days + 1  # 6 years with two leap days + 185
    assert days.tolist() == [2377] and spells["years"].tolist() == [6.51]


def test_an_unbalanced_spell_still_running_ends_on_the_given_day():
    history = pd.DataFrame({"date": pd.to_datetime(["2000-01-01"]), "balanced": [False]})
    spells = network.unbalanced_spells(history, "2000-12-31")
    assert spells[["start", "end"]].astype(str).values.tolist() == [["2000-01-01", "2000-12-31"]]
    assert network.unbalanced_spells(history.assign(balanced=[None]), "2000-12-31").empty


def test_unknown_bloc_fails_loudly(ds):
    with pytest.raises(ValueError, match="SEATO"):
        network.graph_at(ds, "1960-01-01", blocs=("NATO", "SEATO"))


@pytest.fixture(scope="module")
def real():
    import albru

    return albru.load()


def change_days(real) -> list[pd.Timestamp]:
    """Every first day, last day and day after of a tie, membership or period name."""
    bounds = [frame[column] for frame in (real.ties, real.memberships, real.actor_names)
              for column in ("start", "end")]
    days = pd.concat(bounds).dropna()
    return sorted({*days, *(days + pd.Timedelta(days=1))})


@dataclass(frozen=True)
class PlainTables:
    """The rows of the span tables as plain dicts, read once: the reference's input."""

    ties: list[dict]
    memberships: list[dict]
    actor_names: list[dict]
    actors: dict[str, dict]

    @classmethod
    def of(cls, ds) -> PlainTables:
        return cls(ties=ds.ties.to_dict("records"),
                   memberships=ds.memberships.to_dict("records"),
                   actor_names=ds.actor_names.to_dict("records"),
                   actors={r["actor_id"]: r for r in ds.actors.to_dict("records")})


def plain_active(rows: list[dict], day: pd.Timestamp) -> list[dict]:
    """The rows whose first day is on or before ``day`` and whose last day is missing (open)
    or on or after it, in table order: the reference filter, written out in plain Python."""
    return [r for r in rows if r["start"] <= day and (pd.isna(r["end"]) or day <= r["end"])]


def plain_tie_edges(tables: PlainTables, day: pd.Timestamp) -> dict:
    """The direct-tie edges on ``day`` (they do not depend on ``orgs``)."""
    by_pair: dict[tuple, list[dict]] = {}
    for row in plain_active(tables.ties, day):
        by_pair.setdefault(tuple(sorted((row["actor_a"], row["actor_b"]))), []).append(row)
    edges = {}
    for pair, rows in by_pair.items():
        # the latest start decides, a hostile tie on equal starts; the first row on a full tie
        decider = min(rows, key=lambda r: (-r["start"].value, r["sign"]))
        edges[pair] = {"sign": int(decider["sign"]), "kind": str(decider["kind"]),
                       "basis": "tie", "tie_ids": tuple(sorted(str(r["tie_id"]) for r in rows)),
                       "membership_ids": (), "blocs": ()}
    return edges


def plain_graph(tables: PlainTables, day: pd.Timestamp, orgs: bool,
                tie_edges: dict) -> tuple[dict, dict]:
    """Nodes and edges with their data on ``day``, by the rules in the module docstring,
    going through the rows one by one: the slow reference for graph_at. ``tie_edges`` is
    :func:`plain_tie_edges` of the same day (copied here, never changed)."""
    edges = {pair: dict(edge) for pair, edge in tie_edges.items()}
    members = [m for m in plain_active(tables.memberships, day)
               if m["org_id"] in network.BLOCS and m["status"] == "member"]
    links = []
    for org in sorted({m["org_id"] for m in members}):
        rows = [m for m in members if m["org_id"] == org]
        for x, y in itertools.combinations(rows, 2):
            links.append(((x["actor_id"], y["actor_id"]), org,
                          {x["membership_id"], y["membership_id"]}, "co-membership"))
    if orgs:
        links += [((m["actor_id"], m["org_id"]), m["org_id"], {m["membership_id"]}, "membership")
                  for m in members]
    for pair, org, ids, kind in links:
        edge = edges.setdefault(tuple(sorted(pair)), {
            "sign": 1, "kind": kind, "basis": "bloc", "tie_ids": (), "membership_ids": (),
            "blocs": ()})
        edge["basis"] = "tie+bloc" if edge["tie_ids"] else "bloc"
        edge["blocs"] = tuple(sorted({*edge["blocs"], org}))
        edge["membership_ids"] = tuple(sorted({*edge["membership_ids"], *ids}))
    period = {r["actor_id"]: r["name"] for r in plain_active(tables.actor_names, day)}
    nodes = {n: {"kind": str(tables.actors[n]["kind"]),
                 "name": str(period.get(n, tables.actors[n]["name"]))}
             for n in sorted({"ALB", "RUS", *itertools.chain(*edges)})}
    return nodes, edges


def test_graph_matches_a_plain_pandas_reference_on_every_change_day(real):
    tables = PlainTables.of(real)
    for day in change_days(real):
        tie_edges = plain_tie_edges(tables, day)
        for orgs in (False, True):
            graph = network.graph_at(real, day, orgs=orgs)
            nodes, edges = plain_graph(tables, day, orgs, tie_edges)
            assert list(graph.nodes(data=True)) == list(nodes.items()), (day, orgs)
            assert {tuple(sorted((a, b))): data for a, b, data in graph.edges(data=True)} == edges
            assert graph.graph["date"] == day


def test_series_built_once_per_state_match_a_graph_per_year(real):
    years = range(1912, 2027)
    positions = network.position_series(real, years)
    balance = network.balance_series(real, years)
    for row, bal in zip(positions.itertuples(), balance.itertuples(), strict=True):
        graph = network.graph_at(real, row.date)
        alone = network.position(network.graph_at(real, row.date, keep=("ALB", "RUS")))
        assert (row.allies, row.adversaries) == (", ".join(alone["allies"]),
                                                 ", ".join(alone["adversaries"]))
        assert (row.degree, row.sign_to_other) == (alone["degree"], alone["sign_to_other"])
        assert (row.distance, row.friendly_distance) == (
            alone["distance"] if alone["distance"] is not None else pd.NA,
            alone["friendly_distance"] if alone["friendly_distance"] is not None else pd.NA)
        table = network.signed_triangles(graph)
        bad = table[~table["balanced"]]
        assert (bal.triangles, bal.balanced, bal.unbalanced) == (
            len(table), table["balanced"].sum(), len(bad))
        assert bal.unbalanced_triangles == "; ".join(
            f"{t.a}-{t.b}-{t.c}" for t in bad.itertuples())


@pytest.mark.parametrize(("nodes", "blocs"), [(["ALB", "RUS", "YUG"], network.BLOCS),
                                              (["ALB", "RUS", "CHN"], network.BLOCS),
                                              (["RUS", "YUG", "GRC"], ("BALKAN", "WARSAW"))])
def test_triad_history_lists_the_changes_seen_day_by_day(real, nodes, blocs):
    first, last = pd.Timestamp("1945-01-01"), pd.Timestamp("1992-12-31")
    days = [first, *(d for d in change_days(real) if first < d <= last)]
    seen = []
    for day in days:
        state = network.triad(network.graph_at(real, day, keep=nodes, blocs=blocs), nodes)
        if not seen or state != seen[-1][1]:
            seen.append((day, state))
    history = network.triad_history(real, nodes, first, last, blocs=blocs)
    assert history.to_dict("records") == [{"date": day, **state} for day, state in seen]


def adjacency_signs(graph: nx.Graph) -> dict[str, dict[str, object]]:
    return {a: {b: data["sign"] for b, data in near.items()} for a, near in graph.adjacency()}


def test_signs_read_without_a_graph_are_the_signs_of_the_graph(real):
    # The series measure signs read straight from the records: on every change day they must
    # be the graph's, organization nodes (kept here, or tied below) left out unless asked for.
    snaps, keep = _Snapshots(real), ("ALB", "RUS", "NATO")
    for day in change_days(real):
        graph = snaps.graph(day, blocs=network.BLOCS, keep=keep)
        assert snaps.signs(day, blocs=network.BLOCS, keep=keep) == network._state_signs(graph)
        assert snaps.signs(day, blocs=network.BLOCS, keep=keep,
                           states=False) == adjacency_signs(graph)
    tied_ds = make_ds(ties=[("T1", "ALB", "OSCE", "-1", "rivalry", "1990", ".."),
                            ("T2", "ALB", "RUS", "1", "alliance", "1990", "..")],
                      memberships=[("M1", "YUG", "WARSAW", "member", "1990", ".."),  # twice
                                   ("M2", "YUG", "WARSAW", "member", "1991", ".."),
                                   ("M3", "CHN", "NATO", "member", "1990", ".."),  # alone
                                   ("M4", "BGR", "WARSAW", "observer", "1990", "..")])
    tied, day = _Snapshots(tied_ds), pd.Timestamp("1995-01-01")
    graph = tied.graph(day, blocs=network.BLOCS)
    assert tied.signs(day, blocs=network.BLOCS) == network._state_signs(graph) == {
        "ALB": {"RUS": 1}, "RUS": {"ALB": 1}, "YUG": {"YUG": 1}}
    assert tied.signs(day, blocs=network.BLOCS, states=False) == adjacency_signs(graph)
    assert network.triad(graph, ["ALB", "OSCE", "RUS"])["ALB-OSCE"] == -1
    history = network.triad_history(tied_ds, ["ALB", "OSCE", "RUS"], "1995-01-01", "1996-01-01")
    assert history["ALB-OSCE"].tolist() == [-1]


def test_position_takes_the_old_pair_names_with_a_warning() -> None:
    g = nx.Graph([("ALB", "CHN", {"sign": 1}), ("CHN", "RUS", {"sign": -1})])
    nx.set_node_attributes(g, "state", "kind")
    with pytest.warns(DeprecationWarning, match=r"(actor|other)= is deprecated"):
        old = network.position(g, actor="CHN", other="ALB")
    assert old == network.position(g, a="CHN", b="ALB")
    assert old["allies"] == ("ALB",) and old["adversaries"] == ("RUS",)


def test_series_kept_between_calls_follow_changes_to_the_tables(real):
    # The series keep their measures by the content of the tables: the same dataset object
    # with its signs flipped in place must be measured afresh, and match graph_at day by day.
    years, nodes = range(1945, 1993), ["ALB", "RUS", "YUG"]
    ds = dataclasses.replace(real, ties=real.ties.copy())
    seen = []
    for _ in range(2):
        pos = network.position_series(ds, years)
        bal = network.balance_series(ds, years)
        history = network.triad_history(ds, nodes, "1945-01-01", "1992-12-31")
        for row, b in zip(pos.itertuples(), bal.itertuples(), strict=True):
            graph = network.graph_at(ds, row.date)
            assert row.adversaries == ", ".join(network.position(graph)["adversaries"])
            assert b.unbalanced == (~network.signed_triangles(graph)["balanced"]).sum()
        for row in history.to_dict("records"):
            graph = network.graph_at(ds, row["date"], keep=nodes)
            assert row == {"date": row["date"], **network.triad(graph, nodes)}
        seen.append((pos["adversaries"].tolist(), bal["unbalanced"].tolist(),
                     history["ALB-RUS"].tolist()))
        ds.ties["sign"] = -ds.ties["sign"]
    assert all(first != second for first, second in zip(*seen, strict=True))


def test_decider_order_is_the_dense_rank_by_start_then_hostile_first():
    from albru._snapshots import _decider_order, _Tie

    rng = random.Random(7)
    for n in (0, 1, 2, 9, 40):
        days = [rng.choice(["NaT", "1900-01-01", "1950-01-01", "1950-01-02"]) for _ in range(n)]
        start = np.array(days, dtype="datetime64[ns]")
        ties = [_Tie(f"T{i}", "A", "B", rng.choice([-1, 1]), "k", None) for i in range(n)]
        keys = [(int(day), -tie.sign) for day, tie in zip(start.view(np.int64), ties)]
        ranks = sorted(set(keys))
        expected = np.array([ranks.index(key) for key in keys], dtype=np.int64)
        assert _decider_order(start, ties) == expected.tobytes(), days
