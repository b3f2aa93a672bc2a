"""The era figures of albru.plot, drawn on synthetic frames and measured after drawing."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from matplotlib.text import Text

from albru import changepoints as C
from albru import eras as E
from albru import plot as P
from albru.plot import timeline as L

UNTIL = pd.Timestamp("2022-12-31")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def eras() -> pd.DataFrame:
    ids = ["a", "b", "c"]
    return pd.DataFrame({
        "era_id": pd.Categorical(ids, categories=ids, ordered=True),
        "name": ["First", "Second", "Third"],
        "start": pd.to_datetime(["1912-01-01", "1945-01-01", "1991-01-01"]),
        "end": pd.to_datetime(["1944-12-31", "1990-12-31", None]),
    })


@pytest.fixture
def events() -> pd.DataFrame:
    """Twelve events, five of them crowded into 2022, four known only to a span."""
    rows = [  # start, end, quad class, goldstein
        ("1913-01-01", "1913-12-31", 3, -4.0), ("1924-04-07", "1924-04-07", 1, 6.0),
        ("1950-01-01", "1959-12-31", 2, 7.4), ("1959-05-01", "1959-05-31", 1, 1.9),
        ("1961-12-03", "1961-12-03", 4, -4.0), ("1961-12-10", "1961-12-10", 4, -5.6),
        ("1990-07-30", "1990-07-30", 1, 6.0), ("2022-02-24", "2022-02-24", 4, -10.0),
        ("2022-02-25", "2022-02-25", 3, -5.0), ("2022-02-26", "2022-02-26", 3, -2.0),
        ("2022-03-01", "2022-03-31", 4, -8.0), ("2022-09-30", "2022-09-30", 3, -5.0),
    ]
    frame = pd.DataFrame(rows, columns=["start", "end", "quad_class", "goldstein"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["quad_class"] = frame["quad_class"].astype("Int64")
    frame["era"] = pd.cut(frame["start"].dt.year, [0, 1944, 1990, 3000], labels=["a", "b", "c"])
    frame["event_type"] = "t"
    return frame


def _labels(ax):
    return [t for t in ax.texts if t.get_gid() == "event-label"]


def _boxes(ax, artists):
    renderer = ax.figure.canvas.get_renderer()
    ax.figure.canvas.draw()
    return [Text.get_window_extent(t, renderer) for t in artists]


def test_imprecise_dates_are_spans_and_exact_days_are_points(events, eras):
    ax = P.event_timeline(events, eras=eras, until=UNTIL)
    spans = [c for c in ax.collections if c.get_gid() == "imprecise-spans"]
    assert len(spans) == 1
    imprecise = events[events["end"] > events["start"]]
    segments = spans[0].get_segments()
    assert len(segments) == len(imprecise) == 4
    starts = sorted(float(s[0][0]) for s in segments)
    stops = sorted(float(s[1][0]) for s in segments)
    assert starts == sorted(P.years(imprecise["start"]))
    assert stops == sorted(P.years(imprecise["end"] + pd.Timedelta(days=1)))
    points = sum(len(c.get_offsets()) for c in ax.collections
                 if (c.get_gid() or "").startswith("events-q"))
    assert points == len(events) - len(imprecise)


def test_markers_and_spans_take_the_palette_colours(events, eras):
    ax = P.event_timeline(events, eras=eras, until=UNTIL)
    for q in P.QUAD_COLORS:
        (points,) = [c for c in ax.collections if c.get_gid() == f"events-q{q}"]
        if len(points.get_offsets()):
            assert {to_hex(c) for c in points.get_facecolors()} == {P.QUAD_COLORS[q].lower()}
    (spans,) = [c for c in ax.collections if c.get_gid() == "imprecise-spans"]
    imprecise = events[events["end"] > events["start"]]
    expected = [P.QUAD_COLORS[int(q)].lower() for q in imprecise["quad_class"]]
    assert [to_hex(c) for c in spans.get_colors()] == expected
    bands = {to_hex(p.get_facecolor()) for p in ax.patches}
    assert bands == {c.lower() for c in P.era_colors(eras).values()}


def test_event_lanes_follow_the_quad_class(events, eras):
    ax = P.event_timeline(events, eras=eras, until=UNTIL)
    for q in P.QUAD_COLORS:
        (points,) = [c for c in ax.collections if c.get_gid() == f"events-q{q}"]
        for _, y in points.get_offsets():
            assert abs(y - L._LANE_Y[q]) < 0.5


def test_crowded_labels_do_not_overlap(events, eras):
    labels = {k: f"a fairly long label for event number {k}" for k in events.index}
    ax = P.event_timeline(events, eras=eras, until=UNTIL, labels=labels)
    texts = _labels(ax)
    assert len(texts) == len(events)
    boxes = _boxes(ax, texts)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    frame = ax.get_window_extent()
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and b.y1 <= frame.y1 for b in boxes)
    lanes_top = ax.transData.transform((0, 3.5))[1]
    lanes_bottom = ax.transData.transform((0, -0.5))[1]
    cooperative = [int(q) <= 2 for q in events["quad_class"]]
    assert any(cooperative) and not all(cooperative)
    for box, up in zip(boxes, cooperative, strict=True):
        assert box.y0 > lanes_top if up else box.y1 < lanes_bottom


def test_context_events_are_pale(events, eras):
    context = events["quad_class"] == 4
    ax = P.event_timeline(events, eras=eras, until=UNTIL, context=context)
    (points,) = [c for c in ax.collections if c.get_gid() == "events-q4"]
    assert {round(float(c[3]), 2) for c in points.get_facecolors()} == {L._FADED}
    (points,) = [c for c in ax.collections if c.get_gid() == "events-q3"]
    assert {float(c[3]) for c in points.get_facecolors()} == {1.0}


def test_labels_point_at_their_events(events, eras):
    ax = P.event_timeline(events, eras=eras, until=UNTIL,
                          labels={4: "break", 7: "invasion"})
    (leaders,) = [c for c in ax.collections if c.get_gid() == "event-leaders"]
    segments = sorted(leaders.get_segments(), key=lambda s: s[1][0])
    assert [s[1][0] for s in segments] == pytest.approx(
        sorted(P.years(events["start"][[4, 7]])), abs=0.01)
    # each leader starts at its label's x and at the label's edge nearest the lanes
    texts = sorted(_labels(ax), key=lambda t: t.get_text())
    starts = {round(float(s[0][0]), 6) for s in segments}
    assert starts == {round(float(t.get_position()[0]), 6) for t in texts}
    bottom, top = ax.get_ylim()
    for text in texts:
        x, y = text.get_position()
        (seg,) = [s for s in segments if float(s[0][0]) == pytest.approx(x)]
        assert float(seg[0][1]) == pytest.approx(bottom + y * (top - bottom))


def test_too_many_labels_for_the_figure_fail_loudly(events, eras):
    crowd = pd.concat([events.iloc[[7]]] * 60, ignore_index=True)
    with pytest.raises(ValueError, match="too many"):
        P.event_timeline(crowd, eras=eras, ax=P.new_axes(), until=UNTIL,
                         labels={k: f"label {k}" for k in crowd.index})


@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(5, 200)), min_size=1, max_size=25))
def test_label_rows_never_put_two_overlapping_labels_in_one_row(items):
    centres = [c for c, _ in items]
    widths = [w for _, w in items]
    placed = L._label_rows(centres, centres, widths, pad=3.0, limit=2000.0)
    for i, j in itertools.combinations(range(len(items)), 2):
        (row_i, x_i), (row_j, x_j) = placed[i], placed[j]
        if row_i == row_j:
            assert abs(x_i - x_j) - (widths[i] + widths[j]) / 2 >= 3.0 - 1e-9
    for (_, x), c, w in zip(placed, centres, widths, strict=True):
        assert c - 2 * w <= x <= c + w and x + w / 2 <= 2000.0


def test_era_numbers_sit_in_their_bands(eras):
    ax = P.new_axes()
    ax.set_xlim(1910, 2025)
    P.era_numbers(ax, eras)
    texts = [t for t in ax.texts if t.get_gid() == "era-number"]
    assert [t.get_text() for t in texts] == ["1", "2", "3"]
    for t, start, end in zip(texts, eras["start"], eras["end"].fillna(pd.Timestamp("2025")),
                             strict=True):
        assert P.years(start) < t.get_position()[0] < P.years(end)
    later = P.era_numbers(P.years_axis(P.new_axes(), 1995, 2020), eras.iloc[2:])
    assert [t.get_text() for t in later.texts] == ["3"]  # a subset keeps its numbers


def test_era_bars_stack_the_quad_counts(events, eras):
    summary = E.era_summary(events, eras)
    ax = P.era_quad_bars(summary)
    for q in P.QUAD_COLORS:
        bars = [p for p in ax.patches if p.get_gid() == f"quad-{q}"]
        assert [p.get_width() for p in bars] == summary[f"q{q}"].tolist()
        assert {to_hex(p.get_facecolor()) for p in bars} == {P.QUAD_COLORS[q].lower()}
    totals = [t.get_text() for t in ax.texts]
    assert totals[0].startswith(f" {summary['events'].iloc[0]} event")
    rated = P.era_quad_bars(summary, rate=True)
    widths = sum(p.get_width() for p in rated.patches if p.get_gid() == "quad-1")
    assert widths == pytest.approx((summary["q1"] / summary["years"]).sum())


def test_net_bars_match_the_series_and_mark_the_shifts(events, eras):
    net = E.annual_net_cooperation(events, range(1912, 2023))
    found = C.find_shifts(net, 2)
    ax = P.annual_net_bars(net, eras=eras, fit=C.segment_means(net, found["year"]),
                           shifts=list(found["year"]))
    bars = [p for p in ax.patches if p.get_gid() == "net-bars" and p.get_height() != 0]
    assert len(bars) == (net != 0).sum()
    heights = sorted(p.get_height() for p in bars)
    assert heights == pytest.approx(sorted(net[net != 0]))
    for p in bars:
        sign = 1 if p.get_height() >= 0 else -1
        assert to_hex(p.get_facecolor()) == P.SIGN_COLORS[sign].lower()
    lines = [ln for ln in ax.lines if ln.get_gid() == "shift"]
    assert sorted(ln.get_xdata()[0] for ln in lines) == [float(y) for y in found["year"]]
    (fit,) = [p for p in ax.patches if p.get_gid() == "segment-means"]
    assert fit.get_data().values == pytest.approx(C.segment_means(net, found["year"]).to_numpy())


def test_every_era_of_the_data_has_its_own_colour_in_every_subset(real):
    eras = real.eras
    full = P.era_colors(eras)
    assert len(set(full.values())) == len(eras)
    later = P.era_colors(eras.iloc[5:])
    assert later == {k: v for k, v in full.items() if k in later}


# ---------------------------------------------------------------- every figure, any period

@pytest.fixture(scope="module")
def real():
    """The shipped data, read once for the module (the figures only read it)."""
    import albru

    return albru.load()


def _period(ds, first: int, last: int):
    """The events dated inside the years first..last, and the eras overlapping them."""
    lo, hi = pd.Timestamp(first, 1, 1), pd.Timestamp(last, 12, 31)
    events = ds.events[(ds.events["start"] >= lo) & (ds.events["end"] <= hi)]
    eras = ds.eras[(ds.eras["start"] <= hi) & (ds.eras["end"].isna() | (ds.eras["end"] >= lo))]
    return events, eras, lo, hi


def _figures(ds, first: int, last: int):
    """Every figure of the package drawn for the years first..last: (name, Axes or Figure)."""
    from albru import changepoints, network
    from albru import eras as era_mod
    from albru import incidents as inc_mod

    events, eras, lo, hi = _period(ds, first, last)
    inc = inc_mod.incidents(events)
    net = era_mod.annual_net_cooperation(events, range(first, last + 1))
    shifts = changepoints.find_shifts(net, 1, min_size=2)["year"].tolist()
    series = network.position_series(ds, range(first, last + 1))
    rates = inc_mod.era_rates(inc, eras, hi)
    graphs = {str(y): network.graph_at(ds, f"{y}-07-01", orgs=True) for y in (first, last)}
    yield "timeline", P.event_timeline(events, eras=eras, since=lo, until=hi, labels={
        e: t[:20] for e, t in zip(events["event_id"][:3], events["title"][:3], strict=True)})
    yield "quad bars", P.era_quad_bars(era_mod.era_summary(events, eras, as_of=hi), eras=eras)
    yield "net bars", P.annual_net_bars(net, eras=eras, fit=changepoints.segment_means(
        net, shifts), shifts=shifts)
    yield "counts", P.incident_counts(inc_mod.count_by_bin(inc, span=(first, last)), eras=eras)
    yield "months", P.incident_months(inc_mod.count_by_month(inc, last), eras=eras)
    yield "rates", P.incident_rates(rates, eras=ds.eras)
    yield "cumulative", P.cumulative_incidents(inc_mod.cumulative(inc),
                                               main=inc_mod.main_incidents(inc, 4), eras=eras,
                                               since=lo, until=hi)
    yield "alignment", P.alignment_counts(series, eras=eras, era_legend=True)
    yield "distance", P.distance_series(series, eras=eras)
    yield "snapshot", P.network_snapshot(graphs[str(last)])
    yield "panels", P.network_panels(graphs)


TIME_AXES = {"timeline", "net bars", "counts", "cumulative", "alignment", "distance"}


def _check_figure(name: str, drawn, first: int, last: int) -> None:
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    fig = drawn if isinstance(drawn, Figure) else drawn.figure
    buffer = io.BytesIO()
    # defaults: no bbox_inches="tight"; only the image's size is read back, so the PNG is
    # written without zlib compression (same pixels, same size, less time)
    fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 0})
    width, height = Image.open(buffer).size
    assert 300 <= width <= 1000 and 200 <= height <= 1000, (name, width, height)
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    for legend in legends:
        box = legend.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, (name, box, frame)
        assert frame.y0 - 1 <= box.y0 and box.y1 <= frame.y1 + 1, (name, box, frame)
    from matplotlib.text import Text as _Text

    sizes = [t.get_fontsize() for t in fig.findobj(_Text) if t.get_visible() and t.get_text()]
    assert min(sizes) >= P.MIN_FONT, (name, min(sizes))
    if name == "months":
        assert tuple(drawn.get_xlim()) == (last, last + 1)
    if name in TIME_AXES:
        left, right = drawn.get_xlim()
        assert first - 3 <= left <= first + 0.5 and last + 0.5 <= right <= last + 3, (
            name, left, right)


@pytest.mark.parametrize(("first", "last"), [(2000, 2022), (1962, 1989)])
def test_every_figure_draws_any_period_cleanly(real, first, last):
    import warnings

    ds = real
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, drawn in _figures(ds, first, last):
            _check_figure(name, drawn, first, last)
            plt.close("all")


def test_a_single_era_draws_cleanly(real):
    import warnings

    ds = real
    era = ds.eras.iloc[-2]
    first, last = era["start"].year, era["end"].year
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, drawn in _figures(ds, first, last):
            _check_figure(name, drawn, first, last)
            plt.close("all")


def test_set_xlim_means_years():
    net = pd.Series([1.0, -2.0, 3.0], index=[1999, 2000, 2001])
    ax = P.annual_net_bars(net)
    ax.set_xlim(1999.5, 2022.5)
    assert [t.get_text() for t in ax.get_xticklabels()][:2] != ["1975", "1975"]
    assert ax.get_xlim() == (1999.5, 2022.5)
    (first,) = [p for p in ax.patches if p.get_x() == 1999.0]
    assert first.get_width() == 1.0


def test_kind_palette_shares_no_colour_and_no_style_twice():
    others = {*P.QUAD_COLORS.values(), *P.SIGN_COLORS.values(), *P.ACTOR_COLORS.values(),
              *P.ERA_COLORS, P.BLOC_COLOR}
    assert {s.color for s in P.KIND_STYLES.values()}.isdisjoint(others)
    pairs = [(s.color, s.hatch) for s in P.KIND_STYLES.values()]
    assert len(set(pairs)) == len(pairs)
    assert len({s.marker for s in P.KIND_STYLES.values()}) == len(P.KIND_STYLES)
    from albru.incidents import KINDS

    assert all((P.KIND_STYLES[k].hatch != "") == (q == 4) for k, (q, _) in KINDS.items())


def test_bloc_edges_are_grey_and_dashed():
    import networkx as nx

    g = nx.Graph([("ALB", "BGR", {"sign": 1, "basis": "bloc"}),
                  ("ALB", "RUS", {"sign": 1, "basis": "tie"})])
    nx.set_node_attributes(g, "state", "kind")
    ax = P.network_snapshot(g, pos={"ALB": (0, 0), "RUS": (1, 0), "BGR": (0, 1)})
    (edges,) = ax.collections[:1]
    colours = [to_hex(c) for c in edges.get_colors()]
    assert colours == [P.BLOC_COLOR.lower(), P.SIGN_COLORS[1].lower()]
    styles = edges.get_linestyles()
    assert styles[0][1] is not None and styles[1][1] is None  # dashed, then solid
    labels = [t.get_text() for t in ax.get_legend().texts]
    assert "shared bloc only" in labels and "hostile tie" not in labels


# ---------------------------------------------------------------- incident figures

def _mixed():
    from test_incidents import ERAS, MIXED

    return MIXED, ERAS


def test_count_figure_bars_hold_exactly_the_placed_incidents():
    from albru import incidents as inc

    mixed, eras = _mixed()
    incs = inc.incidents(mixed)
    binned = inc.count_by_bin(incs, span=(1955, 2023))
    ax = P.incident_counts(binned, eras=eras)
    heights = sum(float(p.get_height()) for p in ax.patches if p.get_gid() == "kind-bars")
    assert heights == binned.counts.to_numpy().sum() == len(incs) - 1
    assert any("196" in t.get_text() for t in ax.texts)  # the decade-dated one, drawn apart
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend()


def test_count_legend_lists_only_the_kinds_drawn():
    from albru import incidents as inc

    mixed, _ = _mixed()
    incs = inc.incidents(mixed)
    ax = P.incident_counts(inc.count_by_bin(incs.iloc[1:2], span=(1955, 2023)))
    assert [t.get_text() for t in ax.get_legend().texts] == [str(incs["kind"].iloc[1])]


def test_monthly_bars_are_wide():
    from albru import incidents as inc

    mixed, eras = _mixed()
    ax = P.incident_months(inc.count_by_month(inc.incidents(mixed), 2022), eras=eras)
    ax.figure.canvas.draw()
    bars = [p for p in ax.patches if p.get_gid() == "kind-bars"]
    assert len(bars) == 1
    assert bars[0].get_window_extent().width > 30  # pixels, not a sliver


def test_cumulative_labels_do_not_overlap():
    from test_incidents import frame

    from albru import incidents as inc

    _, eras = _mixed()
    rows = [(f"{y}-0{m}-01", f"{y}-0{m}-01", "ALB", "RUS", 4, "ukraine")
            for y in (2021, 2022) for m in range(1, 7)]
    ev = frame(rows)
    ev["event_type"] = [types[0] for _, types in inc.KINDS.values()][:len(ev)]
    incs = inc.incidents(ev)
    ax = P.cumulative_incidents(inc.cumulative(incs), main=inc.main_incidents(incs, n=8),
                                eras=eras)
    ax.figure.canvas.draw()
    labels = [t for t in ax.texts if t.get_gid() != "era-number"]
    boxes = [Text.get_window_extent(t) for t in labels]  # the text alone, not its leader line
    assert len(boxes) == 8
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_rate_figure_draws_an_upper_bound_only_for_an_era_without_incidents():
    from albru import incidents as inc

    mixed, eras = _mixed()
    rates = inc.era_rates(inc.incidents(mixed.drop(index=[1, 6])), eras,
                          as_of=pd.Timestamp("2022-12-31"))
    assert rates["incidents"].tolist() == [1, 0, 1]
    ax = P.incident_rates(rates)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1  Rift", "2  Rupture", "3  Ukraine"]
    intervals = [p for p in ax.patches if p.get_gid() == "interval"]
    assert len(intervals) == 2  # only the eras with an incident have a bar
    (caps,) = [c for c in ax.collections if c.get_gid() == "upper-bound-only"]
    assert caps.get_offsets().tolist() == [[1.0, pytest.approx(rates.loc[1, "upper"])]]
    arrows = [a for a in ax.texts if a.arrow_patch is not None] if hasattr(Text, "arrow_patch") \
        else [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(arrows) == 1
    (legend,) = ax.figure.legends
    assert "upper bound only" in " ".join(t.get_text() for t in legend.texts)


def test_incident_totals_and_rates_are_drawn_in_the_incident_colour():
    from albru import incidents as inc

    mixed, eras = _mixed()
    incs = inc.incidents(mixed)
    rates = inc.era_rates(incs, eras, as_of=pd.Timestamp("2022-12-31"))
    drawn = [P.incident_rates(rates), P.cumulative_incidents(inc.cumulative(incs),
                                                             main=inc.main_incidents(incs, 2))]
    colours = {to_hex(line.get_color()) for ax in drawn for line in ax.get_lines()}
    colours |= {to_hex(c.get_facecolor()[0]) for c in drawn[1].collections
                if len(c.get_facecolor())}
    assert colours == {to_hex(P.INCIDENT_COLOR)}
    assert colours.isdisjoint(to_hex(c) for c in P.QUAD_COLORS.values())


def test_figures_share_the_text_of_their_common_keywords() -> None:
    import inspect

    from albru.plot.style import SHARED_PARAMS

    shared = 0
    for name in P.__all__:
        func = getattr(P, name)
        if not inspect.isfunction(func) or name == "shared_docs":
            continue
        assert not any("{" + key + "}" in func.__doc__ for key in SHARED_PARAMS), name
        if "ax" in inspect.signature(func).parameters and SHARED_PARAMS["ax"] in func.__doc__:
            shared += 1
    assert shared >= 5  # the page-wide figures describe ``ax`` in the same words


def test_era_numbers_stay_inside_the_axes_when_the_last_era_is_short(real) -> None:
    """The open era's number, in a band narrowed by an early end of the axis, stays inside."""
    ds = real
    net = pd.Series(0.0, index=range(1912, 2023))
    ax = P.annual_net_bars(net, eras=ds.eras)
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    numbers = [t for t in ax.texts if t.get_gid() == "era-number"]
    assert "12" in [t.get_text() for t in numbers]
    for text in numbers:
        extent = text.get_window_extent(renderer)
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1, text.get_text()
    plt.close(ax.figure)


def test_disputed_era_boundary_is_hatched(real) -> None:
    """A claim on an era's start hatches the years between the recorded and claimed starts."""
    ds = real
    net = pd.Series(0.0, index=range(1912, 2027))
    ax = P.annual_net_bars(net, eras=ds.eras, claims=ds.claims)
    bands = [p for p in ax.patches if p.get_gid() == "disputed-boundary"]
    rift = ds.claims[(ds.claims["table"] == "eras") & (ds.claims["record_id"] == "rift")]
    assert len(bands) == 1 and bands[0].get_hatch()
    band = bands[0]
    assert (band.get_x(), band.get_x() + band.get_width()) == pytest.approx(
        (min(int(v) for v in rift["value"]), max(int(v) for v in rift["value"])), abs=0.01)
    assert "disputed era boundary" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert not [p for p in P.annual_net_bars(net, eras=ds.eras).patches
                if p.get_gid() == "disputed-boundary"]
    plt.close("all")


# --- UN vote figures ----------------------------------------------------------------------------


def test_vote_lines_give_the_peers_their_own_colours():
    from albru.plot.votes import agreement_lines, participation_lines

    frame = pd.DataFrame({"year": [1990, 1991] * 3, "partner": ["RUS"] * 2 + ["USA"] * 2
                          + ["CHN"] * 2, "s_score": [0.9, 0.6, -0.5, 0.0, 0.8, 0.5]})
    ax = agreement_lines(frame)
    colours = {line.get_gid(): to_hex(line.get_color()) for line in ax.get_lines()}
    assert colours["agreement-USA"] == P.PEER_COLORS["USA"].lower()
    assert colours["agreement-CHN"] == P.PEER_COLORS["CHN"].lower()
    assert colours["agreement-RUS"] == P.ACTOR_COLORS["RUS"].lower()
    turnout = pd.DataFrame({"share": [1.0, 0.9]}, index=pd.MultiIndex.from_tuples(
        [("USA", 1990), ("USA", 1991)], names=["code", "year"]))
    line = participation_lines(turnout).get_lines()[0]
    assert to_hex(line.get_color()) == P.PEER_COLORS["USA"].lower()


def test_vote_figures_accept_the_old_measure_names_with_a_warning():
    from albru.plot.votes import agreement_lines, issue_grid

    frame = pd.DataFrame({"year": [1990, 1991], "partner": "RUS", "s_score": [0.9, 0.6]})
    with pytest.warns(DeprecationWarning, match="agreement_lines: measure='s'"):
        old = agreement_lines(frame, measure="s")
    new = agreement_lines(frame, measure="s_score")
    assert old.get_lines()[0].get_ydata().tolist() == new.get_lines()[0].get_ydata().tolist()
    assert old.get_ylabel() == new.get_ylabel()
    grid = pd.DataFrame({"n_votes": [12, 30], "identical": [0.5, 0.9]},
                        index=pd.MultiIndex.from_tuples([("co", "Rift in the communist bloc"),
                                                         ("co", "Isolation")]))
    with pytest.warns(DeprecationWarning, match="issue_grid: measure='share'"):
        ax = issue_grid(grid, measure="share")
    assert ax.get_images()[0].get_array().tolist() == [[0.5, 0.9]]
    # long era names are wrapped, never cut
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0].replace("\n", " ") == "Rift in the communist bloc" and "\n" in labels[0]


def test_peer_figure_gives_groups_and_states_their_own_colours():
    from albru.plot.votes import peer_lines

    years = [1990, 1991]
    frame = pd.DataFrame({"pair": [0.9, 0.6], "YUG": [0.8, 0.5], "CHN": [0.7, 0.4],
                          **{f"{b}_{s}": [0.5, 0.4] for b in ("nato", "warsaw")
                             for s in ("median", "q25", "q75")}}, index=years)
    ax = peer_lines(frame)
    colours = {line.get_gid(): to_hex(line.get_color()) for line in ax.get_lines()}
    assert colours["peer-nato"] == P.BLOC_GROUP_COLORS["nato"].lower()
    assert colours["peer-warsaw"] == P.BLOC_GROUP_COLORS["warsaw"].lower()
    assert colours["peer-YUG"] == P.PEER_COLORS["YUG"].lower()
    assert colours["peer-CHN"] == P.PEER_COLORS["CHN"].lower()
    plt.close(ax.figure)
