"""UN General Assembly votes: the extract, its checks, and the agreement measures."""

from __future__ import annotations

import json
import warnings
from collections import Counter
from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from albru import votes
from albru.dataset import data_dir, read_package
from albru.validation import AlbruDataError

EXTRACT = data_dir() / "external" / "unvotes"


def toy(columns: dict[str, list[str]], dates: list[str] | None = None) -> votes.UNVotes:
    """A small vote table; roll calls numbered from 1, all in 1950 unless dates are given."""
    n = len(next(iter(columns.values())))
    dates = dates or ["1950-06-01"] * n
    calls = pd.DataFrame({"rcid": range(1, n + 1), "session": 5, "date": dates})
    return votes.make_votes(calls, pd.DataFrame({"rcid": range(1, n + 1), **columns}))


def reference(a: list[str], b: list[str]) -> dict[str, float]:
    """Plain-Python share, kappa and S over the roll calls where both voted."""
    value = {"y": 1.0, "a": 0.5, "n": 0.0}
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x and y]
    n = len(pairs)
    share = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    chance = sum(ca[k] * cb[k] for k in "yan") / n**2
    kappa = (share - chance) / (1 - chance) if chance < 1 else float("nan")
    s = 1 - 2 * sum(abs(value[x] - value[y]) for x, y in pairs) / n
    return {"n_votes": n, "share": share, "kappa": kappa, "s": s}


# --- the measures on cases worked by hand ---------------------------------------------------


def test_measures_worked_by_hand():
    # Six roll calls with both voting: (y,y) (y,y) (n,n) (y,n) (a,y) (n,a).
    # share = 3/6. Margins: A y3 a1 n2, B y3 a1 n2 -> chance = (9 + 1 + 4) / 36 = 14/36,
    # kappa = (1/2 - 14/36) / (1 - 14/36) = (4/36) / (22/36) = 2/11.
    # Distances on yes 1 / abstain 0.5 / no 0: 0, 0, 0, 1, 0.5, 0.5 -> mean 1/3, S = 1/3.
    data = toy({"AAA": ["y", "y", "n", "y", "a", "n"], "BBB": ["y", "y", "n", "n", "y", "a"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1950]
    assert row["n_votes"] == 6
    assert row["share"] == pytest.approx(1 / 2)
    assert row["kappa"] == pytest.approx(2 / 11)
    assert row["s"] == pytest.approx(1 / 3)


def test_opposite_and_identical_voters_reach_the_ends_of_each_scale():
    data = toy({"AAA": ["y", "n", "y", "n"], "BBB": ["n", "y", "n", "y"],
                "CCC": ["y", "n", "y", "n"]})
    apart = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1950]
    alike = votes.agreement("AAA", "CCC", data=data, min_votes=1).loc[1950]
    assert (apart["share"], apart["s"], apart["kappa"]) == (0.0, -1.0, -1.0)
    assert (alike["share"], alike["s"], alike["kappa"]) == (1.0, 1.0, 1.0)


def test_kappa_is_missing_when_both_always_cast_the_same_vote():
    data = toy({"AAA": ["y", "y", "y"], "BBB": ["y", "y", "y"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1950]
    assert row["share"] == 1.0 and row["s"] == 1.0
    assert np.isnan(row["kappa"])


def test_measures_match_a_plain_python_reference_on_random_tables():
    rng = np.random.default_rng(7)
    letters = np.array(["y", "a", "n", ""])
    for _ in range(30):
        n = int(rng.integers(3, 40))
        a = letters[rng.choice(4, size=n, p=[0.5, 0.2, 0.2, 0.1])].tolist()
        b = letters[rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])].tolist()
        got = votes.agreement("A", "B", data=toy({"A": a, "B": b}), min_votes=1).loc[1950]
        want = reference(a, b)
        assert got["n_votes"] == want["n_votes"]
        for measure in votes.MEASURES:
            assert got[measure] == pytest.approx(want[measure], nan_ok=True)


# --- missing is missing, not zero ---------------------------------------------------------------


def test_absent_states_years_without_votes_and_few_votes_are_missing():
    dates = ["1950-06-01"] * 3 + ["1952-06-01"] * 3
    data = toy({"AAA": ["y", "n", "a", "y", "y", "n"], "BBB": ["", "", "", "y", "n", "n"]},
               dates)
    out = votes.agreement("AAA", "BBB", data=data, min_votes=2)
    assert out.index.tolist() == [1950, 1951, 1952]  # 1951 has no roll call but is listed
    assert out.loc[1950, "n_votes"] == 0 and out.loc[1951, "n_votes"] == 0
    assert out.loc[[1950, 1951], list(votes.MEASURES)].isna().all().all()
    assert out.loc[1952, "share"] == pytest.approx(2 / 3)
    few = votes.agreement("AAA", "BBB", data=data, min_votes=4)
    assert few.loc[1952, "n_votes"] == 3 and few[list(votes.MEASURES)].isna().all().all()


def test_an_absence_never_counts_as_a_vote():
    # B is absent on the one roll call where A votes no: the result equals B voting with A
    # on only the roll calls B attended.
    with_gap = toy({"AAA": ["y", "y", "n"], "BBB": ["y", "y", ""]})
    row = votes.agreement("AAA", "BBB", data=with_gap, min_votes=1).loc[1950]
    assert row["n_votes"] == 2 and row["share"] == 1.0 and row["s"] == 1.0


def test_the_real_record_is_missing_before_membership_and_after_the_release():
    out = votes.agreement_by_year("ALB", "RUS", years=range(1950, 2024))
    assert out.loc[1950:1955, "n_votes"].eq(0).all()  # Albania joined in December 1955
    assert out.loc[1950:1955, "share"].isna().all()
    assert out.loc[1964, "share"] != out.loc[1964, "share"]  # no roll call dated 1964
    assert out.loc[2021:2023, "n_votes"].isna().all()  # after the release: not zero either
    china = votes.agreement("ALB", "CHN")
    assert china.loc[:1970, "n_votes"].eq(0).all() and china.loc[1972, "n_votes"] > 0


# --- intervals, groupings, issues ------------------------------------------------------------


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    first = votes.agreement("ALB", "USA", n_boot=200, seed=3)
    again = votes.agreement("ALB", "USA", n_boot=200, seed=3)
    other = votes.agreement("ALB", "USA", n_boot=200, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    rows = first.dropna(subset=["share_lo"])
    for measure in ("share", "s"):
        assert (rows[f"{measure}_lo"] <= rows[measure] + 1e-12).all()
        assert (rows[f"{measure}_hi"] >= rows[measure] - 1e-12).all()
    assert (rows["s_hi"] - rows["s_lo"]).gt(0).mean() > 0.9


def test_identical_votes_give_a_degenerate_interval():
    data = toy({"AAA": ["y", "n", "a", "y"], "BBB": ["y", "n", "a", "y"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1, n_boot=50).loc[1950]
    assert row["share_lo"] == row["share_hi"] == 1.0


def test_groups_by_session_or_by_a_series_of_labels():
    data = toy({"AAA": ["y", "y", "n", "n"], "BBB": ["y", "n", "n", "y"]})
    label = pd.Series(["early", "early", "late", None], index=[1, 2, 3, 4], name="era")
    out = votes.agreement("AAA", "BBB", data=data, by=label, min_votes=1)
    assert out.index.name == "era" and out.index.tolist() == ["early", "late"]
    assert out["n_votes"].tolist() == [2, 1]  # roll call 4 has no label and is left out
    assert out["share"].tolist() == [0.5, 1.0]
    session = votes.agreement("AAA", "BBB", data=data, by="session", min_votes=1)
    assert session.index.tolist() == [5] and session.loc[5, "n_votes"] == 4


def test_issue_filter_and_stacked_issue_table():
    calls = pd.DataFrame({"rcid": [1, 2, 3], "session": 5, "date": "1950-06-01",
                          "hr": ["true", "false", "true"], "co": ["false", "true", "false"]})
    data = votes.make_votes(calls, pd.DataFrame({"rcid": [1, 2, 3], "A": ["y", "y", "n"],
                                                 "B": ["y", "n", "n"]}))
    hr = votes.agreement("A", "B", data=data, issue="Human rights", min_votes=1).loc[1950]
    assert hr["n_votes"] == 2 and hr["share"] == 1.0
    stacked = votes.agreement_by_issue("A", "B", data=data, min_votes=1)
    assert stacked.loc[("co", 1950), "share"] == 0.0
    assert stacked.loc[("me", 1950), "n_votes"] == 0
    with pytest.raises(ValueError, match="issue"):
        votes.agreement("A", "B", data=data, issue="fisheries")


# --- all pairs and percentiles ------------------------------------------------------------


def test_all_pairs_agrees_with_the_pairwise_function():
    rng = np.random.default_rng(11)
    letters = np.array(["y", "a", "n", ""])
    columns = {c: letters[rng.integers(0, 4, size=12)].tolist() for c in ["P", "Q", "R", "S"]}
    dates = ["1950-01-01"] * 6 + ["1951-01-01"] * 6
    data = toy(columns, dates)
    pairs = votes.all_pairs(data=data, min_votes=1).set_index(["year", "a", "b"])
    for a, b in combinations(sorted(columns), 2):
        one = votes.agreement(a, b, data=data, min_votes=1)
        for year in (1950, 1951):
            if one.loc[year, "n_votes"] == 0:
                assert (year, a, b) not in pairs.index
                continue
            got = pairs.loc[(year, a, b)]
            assert got["n_votes"] == one.loc[year, "n_votes"]
            for measure in votes.MEASURES:
                assert got[measure] == pytest.approx(one.loc[year, measure], nan_ok=True)


def test_percentile_worked_by_hand():
    # Pairs in 1950: AB share 1, AC 0, BC 0 (all three vote on both roll calls); on S:
    # AB = 1, AC = BC = -1. AB is above two and equal to itself: (2 + 0.5) / 3 = 83.3 %.
    data = toy({"A": ["y", "n"], "B": ["y", "n"], "C": ["n", "y"]})
    top = votes.pair_percentile("A", "B", data=data, min_votes=1)
    low = votes.pair_percentile("A", "C", data=data, min_votes=1)
    assert top.loc[1950] == pytest.approx(250 / 3)
    assert low.loc[1950] == pytest.approx(100 / 3)  # (0 + 0.5 * 2) / 3


def test_agreement_by_year_joins_on_year_with_a_prefix():
    out = votes.agreement_by_year("ALB", "RUS", prefix="un_")
    assert out.index.name == "year"
    assert {"un_n_votes", "un_share", "un_kappa", "un_s", "un_s_percentile"} <= set(out.columns)
    assert out["un_s_percentile"].dropna().between(0, 100).all()
    assert out.index.is_unique and out.index.is_monotonic_increasing


# --- the extract and its checks -------------------------------------------------------------


def test_the_extract_loads_typed_and_complete():
    data = votes.load_votes()
    assert data is votes.load_votes()  # read once
    assert data.codes.shape == (len(data.rollcalls), len(data.countries)) == (6203, 200)
    assert set(np.unique(data.codes)) == {0, 1, 2, 3}
    assert data.rollcalls.index.is_unique and data.rollcalls["date"].notna().all()
    assert data.rollcalls["session"].max() == 74
    # one actor each for the USSR/Russia and Yugoslavia/Serbia, voting throughout
    russia = data.votes_of("RUS").dropna()
    years = data.rollcalls.loc[russia.index, "year"]
    assert years.min() == 1946 and years.max() == 2020
    assert votes.code_of("SRB") == votes.code_of("YUG") == votes.code_of(345) == "YUG"
    assert votes.code_of("CZE") == "CZR" and votes.code_of("CSK") == "CZE"
    with pytest.raises(KeyError):
        votes.code_of("XXX")


def test_the_schema_describes_the_files_and_the_package_reader_accepts_them():
    package = json.loads((data_dir() / "external" / "datapackage.json").read_text("utf-8"))
    mine = {r["name"]: r for r in package["resources"] if r["name"].startswith("un_")}
    assert set(mine) == {"un_rollcalls", "un_votes", "un_countries"}
    for resource in mine.values():
        header = (data_dir() / "external" / resource["path"]).read_text("utf-8").split("\n")[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = read_package(data_dir() / "external")
    assert frames["un_votes"].shape == (6203, 201)
    assert set(frames["un_votes"]["ALB"].cat.categories) == {"y", "a", "n"}


def _copy(tmp_path, edit) -> None:
    for name in ("un_rollcalls.csv", "un_votes.csv", "un_countries.csv"):
        text = (EXTRACT / name).read_text("utf-8")
        (tmp_path / name).write_text(edit(name, text), encoding="utf-8")


def test_a_vote_outside_the_closed_set_is_reported_with_file_line_and_column(tmp_path):
    def edit(name, text):
        if name != "un_votes.csv":
            return text
        lines = text.split("\n")
        header = lines[0].split(",")
        cells = lines[3].split(",")
        cells[header.index("USA")] = "maybe"
        lines[3] = ",".join(cells)
        return "\n".join(lines)

    _copy(tmp_path, edit)
    with pytest.raises(AlbruDataError) as caught:
        votes.load_votes(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file.endswith("un_votes.csv") and problem.line == 4
    assert problem.column == "USA" and problem.value == "maybe"


def test_broken_keys_are_reported(tmp_path):
    def edit(name, text):
        lines = text.split("\n")
        if name == "un_rollcalls.csv":
            lines[2] = lines[1]  # roll call id repeated
        if name == "un_votes.csv":
            lines[5] = "99999" + lines[5][lines[5].index(","):]  # an unknown roll call
        return "\n".join(lines)

    _copy(tmp_path, edit)
    with pytest.raises(AlbruDataError) as caught:
        votes.load_votes(tmp_path)
    rules = {(p.file.rsplit("/", 1)[-1], p.column, p.rule) for p in caught.value.problems}
    assert ("un_rollcalls.csv", "rcid", "primary key repeated") in rules
    assert ("un_votes.csv", "rcid", "not a roll call in un_rollcalls") in rules


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(AlbruDataError, match="file missing"):
        votes.load_votes(tmp_path)


# --- figures -------------------------------------------------------------------------------------


def test_agreement_lines_draws_missing_years_as_gaps_at_mid_year():
    import matplotlib

    matplotlib.use("Agg")
    from albru.plot.votes import agreement_lines

    frame = pd.DataFrame({"year": [1960, 1962, 1963], "partner": "RUS", "s": [1.0, 0.5, np.nan],
                          "s_lo": [0.9, 0.2, np.nan], "s_hi": [1.0, 0.7, np.nan]})
    eras = pd.DataFrame({"era_id": ["a", "b"], "name": ["A", "B"],
                         "start": pd.to_datetime(["1950-01-01", "1961-07-02"]),
                         "end": pd.to_datetime(["1961-07-01", None])})
    ax = agreement_lines(frame, eras=eras)
    line = next(x for x in ax.get_lines() if x.get_gid() == "agreement-RUS")
    assert line.get_xdata().tolist() == [1960.5, 1961.5, 1962.5, 1963.5]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert y[0] == 1.0 and y[2] == 0.5 and np.isnan(y[1]) and np.isnan(y[3])  # gaps, not zeros
    assert sum(p.get_gid() == "era-band" for p in ax.patches) == 2
    assert ax.get_xlim() == (1960.0, 1964.0)
