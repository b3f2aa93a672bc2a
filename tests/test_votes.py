"""UN General Assembly votes: the extract, its checks, and the agreement measures."""

from __future__ import annotations

import json
import sys
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
    """Plain-Python identical share, Cohen's kappa, Scott's pi and S over the joint votes."""
    value = {"y": 1.0, "a": 0.5, "n": 0.0}
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x and y]
    n = len(pairs)
    share = sum(x == y for x, y in pairs) / n
    ca, cb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    chance = sum(ca[k] * cb[k] for k in "yan") / n**2
    varies = len(ca) > 1 and len(cb) > 1
    kappa = (share - chance) / (1 - chance) if varies else float("nan")
    pooled = sum(((ca[k] + cb[k]) / (2 * n)) ** 2 for k in "yan")
    pi = (share - pooled) / (1 - pooled) if pooled < 1 else float("nan")
    s = 1 - 2 * sum(abs(value[x] - value[y]) for x, y in pairs) / n
    return {"n_votes": n, "identical": share, "cohen_kappa": kappa, "scott_pi": pi,
            "s_score": s}


# --- the measures on cases worked by hand ---------------------------------------------------


def test_measures_worked_by_hand():
    # Six roll calls with both voting: (y,y) (y,y) (n,n) (y,n) (a,y) (n,a).
    # share = 3/6. Margins: A y3 a1 n2, B y3 a1 n2 -> chance = (9 + 1 + 4) / 36 = 14/36,
    # kappa = (1/2 - 14/36) / (1 - 14/36) = (4/36) / (22/36) = 2/11.
    # Distances on yes 1 / abstain 0.5 / no 0: 0, 0, 0, 1, 0.5, 0.5 -> mean 1/3, S = 1/3.
    data = toy({"AAA": ["y", "y", "n", "y", "a", "n"], "BBB": ["y", "y", "n", "n", "y", "a"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1950]
    assert row["n_votes"] == 6
    assert row["identical"] == pytest.approx(1 / 2)
    assert row["cohen_kappa"] == pytest.approx(2 / 11)
    assert row["s_score"] == pytest.approx(1 / 3)


def test_opposite_and_identical_voters_reach_the_ends_of_each_scale():
    data = toy({"AAA": ["y", "n", "y", "n"], "BBB": ["n", "y", "n", "y"],
                "CCC": ["y", "n", "y", "n"]})
    apart = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1950]
    alike = votes.agreement("AAA", "CCC", data=data, min_votes=1).loc[1950]
    assert (apart["identical"], apart["s_score"], apart["cohen_kappa"]) == (0.0, -1.0, -1.0)
    assert (alike["identical"], alike["s_score"], alike["cohen_kappa"]) == (1.0, 1.0, 1.0)


def test_kappa_is_missing_when_both_always_cast_the_same_vote():
    data = toy({"AAA": ["y", "y", "y"], "BBB": ["y", "y", "y"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1950]
    assert row["identical"] == 1.0 and row["s_score"] == 1.0
    assert np.isnan(row["cohen_kappa"])


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
    assert out.loc[1952, "identical"] == pytest.approx(2 / 3)
    few = votes.agreement("AAA", "BBB", data=data, min_votes=4)
    assert few.loc[1952, "n_votes"] == 3 and few[list(votes.MEASURES)].isna().all().all()


def test_an_absence_never_counts_as_a_vote():
    # B is absent on the one roll call where A votes no: the result equals B voting with A
    # on only the roll calls B attended.
    with_gap = toy({"AAA": ["y", "y", "n"], "BBB": ["y", "y", ""]})
    row = votes.agreement("AAA", "BBB", data=with_gap, min_votes=1).loc[1950]
    assert row["n_votes"] == 2 and row["identical"] == 1.0 and row["s_score"] == 1.0


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
    first = votes.agreement("ALB", "USA", n=200, seed=3)
    again = votes.agreement("ALB", "USA", n=200, seed=3)
    other = votes.agreement("ALB", "USA", n=200, seed=4)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    rows = first.dropna(subset=["identical_lo"])
    for measure in ("identical", "s_score"):
        assert (rows[f"{measure}_lo"] <= rows[measure] + 1e-12).all()
        assert (rows[f"{measure}_hi"] >= rows[measure] - 1e-12).all()
    assert (rows["s_score_hi"] - rows["s_score_lo"]).gt(0).mean() > 0.9


def test_bootstrap_tables_are_the_sums_of_the_drawn_clusters():
    # many clusters share a table: the draws are summed per distinct table, which must give
    # the plain sum of the tables of the clusters drawn
    module = sys.modules["albru.votes.agreement"]
    rng = np.random.default_rng(2)
    tables = rng.integers(0, 3, size=(40, 3, 3))[rng.integers(0, 6, size=40)]  # 6 kinds
    owner = np.repeat([0, 1], 20)
    got = module._draw_tables(tables, owner, 1, 50, np.random.default_rng(9))
    pick = np.random.default_rng(9).integers(0, 20, size=(50, 20))
    np.testing.assert_array_equal(got, tables[20:][pick].sum(axis=1))
    assert got.dtype == float


def test_interval_ends_are_numpy_nanquantiles_whatever_is_missing():
    # columns as the draws have them: nothing missing, a few draws missing (kappa undefined
    # in a draw), every draw missing (a group with too few votes)
    module = sys.modules["albru.votes.agreement"]
    values = np.random.default_rng(5).normal(size=(101, 5))
    values[[3, 40, 77], 1] = np.nan
    values[:, 3] = np.nan
    values[:, 4] = 0.25  # every draw alike
    tails = [0.025, 0.975]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.nanquantile(values, tails, axis=0)
        got = module._nan_quantiles(values, tails)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(module._nan_quantiles(values[:, [0, 4]], tails), want[:, [0, 4]])


def test_a_year_without_variation_gets_a_bound_not_a_point_interval():
    data = toy({"AAA": ["y", "n", "a", "y"], "BBB": ["y", "n", "a", "y"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1, n=50).loc[1950]
    assert row["interval"] == "bound (no variation)"
    # four resolutions, none with a disagreement: Clopper-Pearson 97.5% bound 1 - 0.025 ** (1/4)
    u = 1 - 0.025 ** 0.25
    assert row["identical_lo"] == pytest.approx(1 - u) and row["identical_hi"] == 1.0
    assert row["s_score_lo"] == pytest.approx(1 - 2 * u)
    assert np.isnan(row["cohen_kappa_lo"]) and np.isnan(row["scott_pi_lo"])


def test_years_without_variation_beside_a_varying_one_each_get_their_own_interval():
    # 1950: always opposite (no variation, not identical: no interval); 1951 varies;
    # 1952: always the same (a bound on the exceptions, from its own 3 resolutions)
    data = toy({"AAA": ["y", "y", "y", "y", "n", "y", "a", "a", "a"],
                "BBB": ["n", "n", "n", "y", "a", "n", "a", "a", "a"]},
               dates=["1950-06-01"] * 3 + ["1951-06-01"] * 3 + ["1952-06-01"] * 3)
    out = votes.agreement("AAA", "BBB", data=data, min_votes=1, n=50)
    assert out["interval"].tolist() == ["none (no variation)", "percentile",
                                        "bound (no variation)"]
    ends = [f"{m}_{end}" for m in votes.MEASURES for end in ("lo", "hi")]
    assert out.loc[1950, ends].isna().all() and out.loc[1951, "s_score_hi"] > 0
    u = 1 - 0.025 ** (1 / 3)
    assert out.loc[1952, ["identical_lo", "s_score_lo"]].tolist() == pytest.approx(
        [1 - u, 1 - 2 * u])
    assert out["interval"].dtype == "str"


def test_the_closed_form_quantiles_match_scipy():
    # the bound on a share seen as 0 of k is Beta(1, k)'s quantile, and ideal_distance's bands
    # use the normal quantile: both written without scipy, checked here against it
    from scipy.stats import beta, norm

    from albru.votes.agreement import _bounds

    for k in (1, 2, 7, 40, 900):
        for level in (0.5, 0.9, 0.95, 0.99):
            assert _bounds(k, level) == pytest.approx(beta.ppf(1 - (1 - level) / 2, 1, k),
                                                      rel=1e-13)
    table = pd.DataFrame({"code": ["AAA", "BBB"], "session": [5, 5], "year": [1950, 1950],
                          "ideal_point": [1.0, -0.5], "q05": [0.8, -0.7], "q95": [1.2, -0.3]})
    row = votes.ideal_distance("AAA", "BBB", table=table, level=0.8).loc[5]
    half = norm.ppf(0.9) * 2**0.5 * 0.2 / norm.ppf(0.95)
    assert row["distance_lo"] == pytest.approx(1.5 - half, rel=1e-13)
    assert row["distance_hi"] == pytest.approx(1.5 + half, rel=1e-13)


def test_kappa_is_undefined_where_one_state_never_varies_and_pi_is_not():
    # AAA always yes: kappa would be 0 whatever BBB did, so it is reported as undefined
    data = toy({"AAA": ["y"] * 6, "BBB": ["y", "y", "y", "y", "n", "a"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1, n=40).loc[1950]
    assert np.isnan(row["cohen_kappa"])
    assert (row["yes_a"], row["yes_b"], row["no_b"]) == (1.0, pytest.approx(4 / 6),
                                                        pytest.approx(1 / 6))
    # pooled shares y 10/12, n 1/12, a 1/12: chance 102/144, pi = (4/6 - 102/144) / (42/144)
    assert row["scott_pi"] == pytest.approx((4 / 6 - 102 / 144) / (42 / 144))
    assert row["interval"] == "percentile"


def test_scott_pi_against_a_worked_example():
    # (y, y), (y, n), (n, n), (a, y): observed 1/2, pooled y 1/2, n 3/8, a 1/8,
    # chance 1/4 + 9/64 + 1/64 = 26/64, pi = (1/2 - 26/64) / (38/64) = 3/19
    data = toy({"AAA": ["y", "y", "n", "a"], "BBB": ["y", "n", "n", "y"]})
    row = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1950]
    assert row["scott_pi"] == pytest.approx(3 / 19)
    assert row["cohen_kappa"] == pytest.approx((1 / 2 - 6 / 16) / (10 / 16))


def test_groups_by_session_or_by_a_series_of_labels():
    data = toy({"AAA": ["y", "y", "n", "n"], "BBB": ["y", "n", "n", "y"]})
    label = pd.Series(["early", "early", "late", None], index=[1, 2, 3, 4], name="era")
    out = votes.agreement("AAA", "BBB", data=data, by=label, min_votes=1)
    assert out.index.name == "era" and out.index.tolist() == ["early", "late"]
    assert out["n_votes"].tolist() == [2, 1]  # roll call 4 has no label and is left out
    assert out["identical"].tolist() == [0.5, 1.0]
    session = votes.agreement("AAA", "BBB", data=data, by="session", min_votes=1)
    assert session.index.tolist() == [5] and session.loc[5, "n_votes"] == 4


def test_issue_filter_and_stacked_issue_table():
    calls = pd.DataFrame({"rcid": [1, 2, 3], "session": 5, "date": "1950-06-01",
                          "hr": ["true", "false", "true"], "co": ["false", "true", "false"]})
    data = votes.make_votes(calls, pd.DataFrame({"rcid": [1, 2, 3], "A": ["y", "y", "n"],
                                                 "B": ["y", "n", "n"]}))
    hr = votes.agreement("A", "B", data=data, issue="Human rights", min_votes=1).loc[1950]
    assert hr["n_votes"] == 2 and hr["identical"] == 1.0
    stacked = votes.agreement_by_issue("A", "B", data=data, min_votes=1)
    assert stacked.loc[("co", 1950), "identical"] == 0.0
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


def test_all_pairs_counts_past_what_a_byte_holds():
    # 600 roll calls in one year: a pair's cells and totals run past 255 (and 511), so a
    # count kept in too small an integer would wrap
    rng = np.random.default_rng(12)
    letters = np.array(["y", "a", "n", ""])
    columns = {c: letters[rng.choice(4, size=600, p=[0.7, 0.1, 0.1, 0.1])].tolist()
               for c in ["P", "Q", "R"]}
    data = toy(columns)
    pairs = votes.all_pairs(data=data, min_votes=1).set_index(["a", "b"])
    for a, b in combinations(sorted(columns), 2):
        one = votes.agreement(a, b, data=data, min_votes=1).loc[1950]
        assert one["n_votes"] > 300
        assert pairs.loc[(a, b), "n_votes"] == one["n_votes"]
        for measure in votes.MEASURES:
            assert pairs.loc[(a, b), measure] == pytest.approx(one[measure])


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
    mine = {r["name"]: r for r in package["resources"]
            if r["name"].startswith("un_") or r["name"] == "ideal_points"}
    assert set(mine) == {"un_rollcalls", "un_votes", "un_countries", "un_presence",
                         "un_descriptions", "ideal_points"}
    for resource in mine.values():
        header = (data_dir() / "external" / resource["path"]).read_text("utf-8").split("\n")[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frames = read_package(data_dir() / "external")
    assert frames["un_votes"].shape == (6203, 201)
    assert set(frames["un_votes"]["ALB"].cat.categories) == {"y", "a", "n"}


def test_a_flag_outside_true_and_false_is_reported_and_good_flags_are_typed():
    calls = pd.DataFrame({"rcid": [1, 2, 3], "session": 5, "date": "1950-06-01",
                          "para": [" TRUE", "", "maybe"], "me": ["False", "true", ""]})
    table = pd.DataFrame({"rcid": [1, 2, 3], "AAA": ["y", "n", "a"]})
    with pytest.raises(AlbruDataError) as caught:
        votes.make_votes(calls, table)
    assert [(p.line, p.column, p.value, p.rule) for p in caught.value.problems] == [
        (4, "para", "maybe", "not one of false, true or empty"),
        (4, "me", "", "not one of false, true")]
    calls.loc[2, ["para", "me"]] = ["false", "TRUE"]
    typed = votes.make_votes(calls, table).rollcalls
    assert typed["para"].dtype == "boolean" and typed["me"].dtype == bool
    assert typed["para"].tolist() == [True, pd.NA, False]
    assert typed["me"].tolist() == [False, True, True]


def _copy(tmp_path, edit) -> None:
    folder = tmp_path / "external" / "unvotes"
    folder.mkdir(parents=True)
    for name in ("un_rollcalls.csv", "un_votes.csv", "un_countries.csv", "un_presence.csv",
                 "un_descriptions.csv"):
        text = (EXTRACT / name).read_text("utf-8")
        (folder / name).write_text(edit(name, text), encoding="utf-8")


def _set_cell(file: str, line: int, column: str, value: str):
    """An edit for :func:`_copy` that sets one cell of ``file`` (``line`` counts from 0)."""
    def edit(name, text):
        if name != file:
            return text
        lines = text.split("\n")
        cells = lines[line].split(",")
        cells[lines[0].split(",").index(column)] = value
        lines[line] = ",".join(cells)
        return "\n".join(lines)
    return edit


def test_a_vote_outside_the_closed_set_is_reported_with_file_line_and_column(tmp_path):
    _copy(tmp_path, _set_cell("un_votes.csv", 3, "USA", "maybe"))
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

    frame = pd.DataFrame({"year": [1960, 1962, 1963], "partner": "RUS",
                          "s_score": [1.0, 0.5, np.nan], "s_score_lo": [0.9, 0.2, np.nan],
                          "s_score_hi": [1.0, 0.7, np.nan]})
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


# --- participation, resolutions, ideal points, peers ------------------------------------------

NO_IGO = pd.DataFrame(columns=["igo", "ccode", "start_year", "end_year", "status"])


def _two_sessions() -> votes.UNVotes:
    """Five roll calls over two sessions (1950: 1-3, 1951: 4-5); presence is coded on 1-3 only:
    AAA absent on 2 and not a member on 3, BBB not a member on any of them."""
    calls = pd.DataFrame({"rcid": range(1, 6), "session": [1, 1, 1, 2, 2],
                          "date": ["1950-03-01"] * 3 + ["1951-03-01"] * 2})
    return votes.make_votes(
        calls, pd.DataFrame({"rcid": range(1, 6), "AAA": ["y", "", "", "n", ""],
                             "BBB": ["", "", "", "", "a"]}),
        presence=pd.DataFrame({"rcid": [1, 2, 3], "AAA": ["", "x", "-"],
                               "BBB": ["-", "-", "-"]}))


def test_participation_counts_only_roll_calls_held_while_a_member():
    data = _two_sessions()
    out = votes.participation(data=data, cow_igo=NO_IGO)
    # AAA: 1950 held 2 (voted 1, absent 1); 1951 held both (voted in session 2), voted 1
    assert out.loc[("AAA", 1950), ["n_held", "n_voted", "n_absent"]].tolist() == [2, 1, 1]
    assert out.loc[("AAA", 1951), "share"] == 0.5
    assert out.loc[("AAA", 1951), "basis_session"] == 1  # roll call 5, decided by the session
    assert ("BBB", 1950) not in out.index  # never a member in 1950: no row, not a zero
    assert out.loc[("BBB", 1951), ["n_held", "n_voted"]].tolist() == [2, 1]


def test_participation_by_labels_out_of_roll_call_order_leaves_unlabelled_calls_out():
    data = _two_sessions()
    # groups interleaved along the roll calls; roll call 3 has no label
    label = pd.Series(["b", "a", None, "a", "b"], index=range(1, 6), name="part")
    out = votes.participation(data=data, cow_igo=NO_IGO, by=label)
    assert out[["n_held", "n_voted"]].to_dict("index") == {
        ("AAA", "a"): {"n_held": 2, "n_voted": 1}, ("AAA", "b"): {"n_held": 2, "n_voted": 1},
        ("BBB", "a"): {"n_held": 1, "n_voted": 0}, ("BBB", "b"): {"n_held": 1, "n_voted": 1}}


def test_participation_takes_membership_from_cow_igo_where_the_release_is_silent():
    calls = pd.DataFrame({"rcid": [1, 2], "session": [1, 2],
                          "date": ["2016-03-01", "2017-03-01"]})
    data = votes.make_votes(calls, pd.DataFrame({"rcid": [1, 2], "AAA": ["", "y"]}),
                            pd.DataFrame({"code": ["AAA"], "cow_code": [7], "iso3": [""],
                                          "release_code": [""], "name": ["A"]}))
    igo = pd.DataFrame({"igo": ["un"], "ccode": [7], "start_year": [1990], "end_year": [2014],
                        "status": ["full"]})
    out = votes.participation(data=data, cow_igo=igo)  # 2014 status carried forward
    assert out.loc[("AAA", 2016), ["n_held", "n_voted", "basis_cow_igo"]].tolist() == [1, 0, 1]


def test_albania_stopped_voting_after_the_break():
    out = votes.participation(["ALB"]).loc["ALB", "share"]
    assert out.loc[1961] > 0.95 and out.loc[1969] < 0.25


def _calls_with_text() -> pd.DataFrame:
    return pd.DataFrame({
        "rcid": range(1, 7), "session": [16, 16, 16, 30, 30, 30], "date": "1961-06-01",
        "unres": ["R/16/1", "R/16/2", "R/16/3", "R/30/3390A", "R/30/3390B", ""],
        "descr": ["TO ADOPT OPERATIVE PARAGRAPH 3 OF DRAFT A/L.339", "TO ADOPT DRAFT A/L.339",
                  "TO ADJOURN THE DEBATE", "", "", ""],
        "para": ["true", "false", "false", "", "", ""],
        "amend": ["false", "false", "false", "", "", ""]})


def test_resolution_groups_tie_paragraph_votes_to_their_text():
    data = votes.make_votes(_calls_with_text(), pd.DataFrame({"rcid": range(1, 7)}))
    groups = votes.resolution_groups(data)
    assert groups[1] == groups[2] == "16:A/L.339"  # same draft named in the description
    assert groups[3] == "16:R/16/3"  # names no draft: its own code
    assert groups[4] == groups[5] == "30:R/30/3390"  # parts of one resolution number
    assert groups[6] == "rcid:6"
    assert votes.vote_kinds(data).tolist() == ["part", "final", "final", "unknown", "unknown",
                                               "unknown"]


def test_only_early_sessions_are_grouped_by_the_draft_their_description_names():
    calls = pd.DataFrame({
        "rcid": [7, 3, 5, 9], "session": [30, 16, 31, 16], "date": "1961-06-01",
        "unres": ["", "R/16/9", "R/31/4", ""],
        "descr": ["draft a/l.5", "to adopt draft a/ l.339", "draft A/L.5", "draft A/C.1/L.12"]})
    groups = votes.resolution_groups(votes.make_votes(calls, pd.DataFrame({"rcid": [7, 3, 5, 9]})))
    assert groups.to_dict() == {7: "rcid:7", 3: "16:A/L.339", 5: "31:R/31/4", 9: "16:A/C.1/L.12"}


def test_final_only_and_resolution_counts():
    calls = _calls_with_text()
    data = votes.make_votes(calls, pd.DataFrame({"rcid": range(1, 7),
                                                 "AAA": ["y"] * 6, "BBB": ["n"] + ["y"] * 5}))
    every = votes.agreement("AAA", "BBB", data=data, min_votes=1).loc[1961]
    final = votes.agreement("AAA", "BBB", data=data, min_votes=1, final_only=True).loc[1961]
    assert (every["n_votes"], every["n_resolutions"]) == (6, 4)
    assert (final["n_votes"], final["identical"]) == (5, 1.0)  # the paragraph vote left out


def test_ideal_distance_is_the_gap_between_the_two_points():
    table = pd.DataFrame({"code": ["AAA", "BBB"], "session": [5, 5], "year": [1950, 1950],
                          "ideal_point": [1.0, -0.5], "q05": [0.8, -0.7], "q95": [1.2, -0.3]})
    row = votes.ideal_distance("AAA", "BBB", table=table).loc[5]
    assert row["distance"] == 1.5 and row["difference"] == 1.5
    # each sd 0.2 / 1.645; 90% half-width of the difference 1.645 * sqrt(2) * 0.2 / 1.645
    assert row["distance_lo"] == pytest.approx(1.5 - 0.2 * 2**0.5)
    assert row["distance_hi"] == pytest.approx(1.5 + 0.2 * 2**0.5)


def test_all_pairs_keeps_its_last_results_and_hands_out_frames_that_cannot_change_them(
        monkeypatch):
    module = sys.modules["albru.votes.agreement"]  # the package's name is the function
    data = toy({"P": ["y", "n", "y"], "Q": ["y", "y", "n"], "R": ["n", "n", "y"]})
    monkeypatch.setattr(module, "load_votes", lambda: data)  # the toy stands for the shipped
    monkeypatch.setattr(module, "_PAIRS", {})
    monkeypatch.setattr(module, "_PAIRS_KEPT", 2)
    first = votes.all_pairs(min_votes=1)
    expected = first.copy()
    first.loc[0, "s_score"] = 99.0
    first.loc[0, "a"] = "X"
    pd.testing.assert_frame_equal(votes.all_pairs(min_votes=1), expected)
    for min_votes in (2, 3):
        votes.all_pairs(min_votes=min_votes)
    assert list(module._PAIRS) == [("year", None, 2), ("year", None, 3)]
    frame, a, b = module._PAIRS[("year", None, 2)]
    assert not a.flags.writeable and not b.flags.writeable
    assert frame["a"].tolist() == data.countries.index[a].tolist()


def test_peer_baseline_has_a_row_per_year_and_the_bloc_spread():
    data = toy({"ALB": ["y", "n", "y", "n"], "RUS": ["y", "y", "n", "n"],
                "P": ["y", "y", "n", "n"], "Q": ["n", "n", "y", "y"], "YUG": ["y", "n", "n", "n"]},
               ["1950-01-01", "1950-01-02", "1951-01-01", "1951-01-02"])
    members = pd.DataFrame({"actor_id": ["P", "Q", "ALB"], "org_id": "NATO",
                            "start": pd.to_datetime(["1949-01-01", "1951-01-01", "1949-01-01"]),
                            "end": pd.NaT})
    out = votes.peer_baseline("ALB", "RUS", data=data, memberships=members, singles=["YUG"],
                              min_votes=1)
    assert out.index.tolist() == [1950, 1951]
    assert out["nato_n"].tolist() == [1, 2]  # Q joins in 1951; ALB itself is left out
    assert out.loc[1950, "nato_median"] == 1.0  # P votes as RUS
    assert out.loc[1951, ["nato_q25", "nato_median", "nato_q75"]].tolist() == [-0.5, 0.0, 0.5]
    assert out.loc[1950, "pair"] == 0.0 and out.loc[1950, "YUG"] == 0.0
    assert out["warsaw_n"].eq(0).all() and out["warsaw_median"].isna().all()


def test_participation_is_sorted_so_that_year_ranges_slice():
    share = votes.participation().loc[:, "share"].unstack("code")
    assert share.index.is_monotonic_increasing
    assert share.loc[1967:1969, "ALB"].round(2).tolist() == [0.35, 0.25, 0.2]


def test_a_bad_presence_code_is_reported_with_file_line_and_column(tmp_path):
    _copy(tmp_path, _set_cell("un_presence.csv", 2, "ALB", "absent"))
    with pytest.raises(AlbruDataError) as caught:
        votes.load_votes(tmp_path)
    (problem,) = caught.value.problems
    assert problem.file.endswith("unvotes/un_presence.csv") and problem.line == 3
    assert problem.column == "ALB" and problem.rule == "not one of x, - or empty"


def test_a_broken_ideal_point_file_is_reported(tmp_path):
    source = data_dir() / "external" / "idealpoints" / "ideal_points.csv"
    lines = source.read_text("utf-8").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("q05")] = "low"
    lines[1] = ",".join(cells)
    folder = tmp_path / "external" / "idealpoints"
    folder.mkdir(parents=True)
    (folder / "ideal_points.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(AlbruDataError) as caught:
        votes.load_ideal_points(tmp_path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.value, problem.rule) == (2, "q05", "low",
                                                                          "not a number")


# --- deprecated names (issue 28): each old name warns and gives the new name's result ---------

MIXED = {"AAA": list("yynnayynayny"), "BBB": list("ynnnaayyynnn")}




@pytest.mark.parametrize("function", ["agreement", "agreement_draws", "agreement_by_year",
                                      "agreement_by_issue"])
def test_n_boot_is_the_deprecated_name_of_n(function):
    data = toy(MIXED)
    call = getattr(votes, function)
    kwargs = {"min_votes": 1, "seed": 3, "data": data}
    with pytest.warns(DeprecationWarning, match=f"{function}: n_boot= is deprecated; pass n="):
        old = call("AAA", "BBB", n_boot=40, **kwargs)
    new = call("AAA", "BBB", n=40, **kwargs)
    pd.testing.assert_frame_equal(pd.DataFrame(old), pd.DataFrame(new))
    assert pd.DataFrame(new).notna().any().any()


def test_load_votes_directory_is_the_deprecated_form_of_data_dir():
    with pytest.warns(DeprecationWarning, match="load_votes: directory= is deprecated"):
        old = votes.load_votes(directory=EXTRACT)
    assert old is votes.load_votes(data_dir=data_dir())


@pytest.mark.parametrize(("old", "new"), [("share", "identical"), ("kappa", "cohen_kappa"),
                                          ("s", "s_score")])
def test_old_column_names_of_agreement_and_all_pairs_read_the_renamed_column(old, new):
    data = toy(MIXED)
    for where, frame in [("agreement", votes.agreement("AAA", "BBB", min_votes=1, data=data)),
                         ("all_pairs", votes.all_pairs(min_votes=1, data=data))]:
        with pytest.warns(DeprecationWarning, match=f"{where}: column '{old}' is deprecated"):
            column = frame[old]
        pd.testing.assert_series_equal(column, frame[new])
        with pytest.warns(DeprecationWarning):
            assert frame[["n_votes", old]].columns.tolist() == ["n_votes", new]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame["n_votes"]  # a current name never warns


@pytest.mark.parametrize(("old", "new"), [("share", "identical"), ("kappa", "cohen_kappa"),
                                          ("s", "s_score")])
def test_old_measure_names_warn_and_give_the_same_values(old, new):
    data = toy({"AAA": list("yynnayynay"), "BBB": list("ynnnaayyyn"), "CCC": list("nnyyaanyyy")})
    for function in ("agreement_draws", "pair_percentile"):
        call = getattr(votes, function)
        extra = {"n": 20} if function == "agreement_draws" else {}
        with pytest.warns(DeprecationWarning, match=f"{function}: measure='{old}'"):
            before = call("AAA", "BBB", measure=old, min_votes=1, data=data, **extra)
        after = call("AAA", "BBB", measure=new, min_votes=1, data=data, **extra)
        assert np.allclose(np.asarray(before, float), np.asarray(after, float), equal_nan=True)
