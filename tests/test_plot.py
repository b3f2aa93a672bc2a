"""The era figures of albru.plot, drawn on synthetic frames and measured after drawing."""

from __future__ import annotations

import itertools

import matplotlib.dates as mdates
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
from albru.plot import _legacy as L

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
    ax = P.event_timeline(P.new_axes(P.TALL_FIGSIZE), events, eras, until=UNTIL)
    spans = [c for c in ax.collections if c.get_gid() == "imprecise-spans"]
    assert len(spans) == 1
    imprecise = events[events["end"] > events["start"]]
    segments = spans[0].get_segments()
    assert len(segments) == len(imprecise) == 4
    starts = sorted(float(s[0][0]) for s in segments)
    stops = sorted(float(s[1][0]) for s in segments)
    assert starts == sorted(mdates.date2num(imprecise["start"]))
    assert stops == sorted(mdates.date2num(imprecise["end"] + pd.Timedelta(days=1)))
    points = sum(len(c.get_offsets()) for c in ax.collections
                 if (c.get_gid() or "").startswith("events-q"))
    assert points == len(events) - len(imprecise)


def test_markers_and_spans_take_the_palette_colours(events, eras):
    ax = P.event_timeline(P.new_axes(P.TALL_FIGSIZE), events, eras, until=UNTIL)
    for q in P.QUAD_COLORS:
        (points,) = [c for c in ax.collections if c.get_gid() == f"events-q{q}"]
        if len(points.get_offsets()):
            assert {to_hex(c) for c in points.get_facecolors()} == {P.QUAD_COLORS[q].lower()}
    (spans,) = [c for c in ax.collections if c.get_gid() == "imprecise-spans"]
    imprecise = events[events["end"] > events["start"]]
    expected = [P.QUAD_COLORS[int(q)].lower() for q in imprecise["quad_class"]]
    assert [to_hex(c) for c in spans.get_colors()] == expected
    bands = {to_hex(p.get_facecolor()) for p in ax.patches}
    assert bands == {c.lower() for c in P.era_colors(list(eras["era_id"])).values()}


def test_event_lanes_follow_the_quad_class(events, eras):
    ax = P.event_timeline(P.new_axes(P.TALL_FIGSIZE), events, eras, until=UNTIL)
    for q in P.QUAD_COLORS:
        (points,) = [c for c in ax.collections if c.get_gid() == f"events-q{q}"]
        for _, y in points.get_offsets():
            assert abs(y - L._LANE_Y[q]) < 0.5


def test_crowded_labels_do_not_overlap(events, eras):
    labels = {k: f"a fairly long label for event number {k}" for k in events.index}
    ax = P.event_timeline(P.new_axes(P.TALL_FIGSIZE), events, eras, until=UNTIL, labels=labels)
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
    ax = P.event_timeline(P.new_axes(P.TALL_FIGSIZE), events, eras, until=UNTIL, context=context)
    (points,) = [c for c in ax.collections if c.get_gid() == "events-q4"]
    assert {round(float(c[3]), 2) for c in points.get_facecolors()} == {L._FADED}
    (points,) = [c for c in ax.collections if c.get_gid() == "events-q3"]
    assert {float(c[3]) for c in points.get_facecolors()} == {1.0}


def test_labels_point_at_their_events(events, eras):
    ax = P.event_timeline(P.new_axes(P.TALL_FIGSIZE), events, eras, until=UNTIL,
                          labels={4: "break", 7: "invasion"})
    (leaders,) = [c for c in ax.collections if c.get_gid() == "event-leaders"]
    segments = sorted(leaders.get_segments(), key=lambda s: s[1][0])
    assert [s[1][0] for s in segments] == pytest.approx(
        sorted(mdates.date2num(events["start"][[4, 7]])), abs=1)
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
        P.event_timeline(P.new_axes(), crowd, eras, until=UNTIL,
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
        assert c <= x <= c + w and x + w / 2 <= 2000.0


def test_era_numbers_sit_in_their_bands(eras):
    ax = P.new_axes()
    ax.set_xlim(pd.Timestamp("1910-01-01"), pd.Timestamp("2025-01-01"))
    P.era_numbers(ax, eras)
    texts = [t for t in ax.texts if t.get_gid() == "era-number"]
    assert [t.get_text() for t in texts] == ["1", "2", "3"]
    for t, start, end in zip(texts, eras["start"], eras["end"].fillna(pd.Timestamp("2025")),
                             strict=True):
        assert mdates.date2num(start) < mdates.date2num(t.get_position()[0]) < mdates.date2num(
            end)


def test_era_bars_stack_the_quad_counts(events, eras):
    summary = E.era_summary(events, eras)
    ax = P.era_quad_bars(P.new_axes(), summary)
    for q in P.QUAD_COLORS:
        bars = [p for p in ax.patches if p.get_gid() == f"quad-{q}"]
        assert [p.get_width() for p in bars] == summary[f"q{q}"].tolist()
        assert {to_hex(p.get_facecolor()) for p in bars} == {P.QUAD_COLORS[q].lower()}
    totals = [t.get_text() for t in ax.texts]
    assert totals[0].startswith(f" {summary['events'].iloc[0]} event")
    rated = P.era_quad_bars(P.new_axes(), summary, rate=True)
    widths = sum(p.get_width() for p in rated.patches if p.get_gid() == "quad-1")
    assert widths == pytest.approx((summary["q1"] / summary["years"]).sum())


def test_net_bars_match_the_series_and_mark_the_shifts(events, eras):
    net = E.annual_net_cooperation(events, range(1912, 2023))
    found = C.find_shifts(net, 2)
    ax = P.annual_net_bars(P.new_axes(), net, eras, fit=C.segment_means(net, found["year"]),
                           shifts=list(found["year"]))
    bars = [p for p in ax.patches if p.get_gid() == "net-bars" and p.get_height() != 0]
    assert len(bars) == (net != 0).sum()
    heights = sorted(p.get_height() for p in bars)
    assert heights == pytest.approx(sorted(net[net != 0]))
    for p in bars:
        sign = 1 if p.get_height() >= 0 else -1
        assert to_hex(p.get_facecolor()) == P.SIGN_COLORS[sign].lower()
    lines = [ln for ln in ax.lines if ln.get_gid() == "shift"]
    assert sorted(ln.get_xdata()[0] for ln in lines) == [
        pd.Timestamp(int(y), 1, 1) for y in found["year"]]
    (fit,) = [p for p in ax.patches if p.get_gid() == "segment-means"]
    assert fit.get_data().values == pytest.approx(C.segment_means(net, found["year"]).to_numpy())


def test_every_era_of_the_data_has_its_own_colour_in_every_subset():
    import albru

    eras = albru.load().eras
    full = P.era_colors(eras["era_id"])
    assert len(set(full.values())) == len(eras)
    later = P.era_colors(eras["era_id"].iloc[5:])
    assert later == full
