"""Tests of the reference extracts in data/external and of albru.external."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import albru
from albru import external, panel


@pytest.fixture(scope="module")
def refs() -> dict[str, pd.DataFrame]:
    return external.load()


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return panel.agreement()


def test_package_describes_every_extract(refs):
    spec = json.loads((external.directory() / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in spec["resources"]}
    assert {"cow_states", "cow_alliances", "atop", "cow_igo"} <= names
    for name in ("cow_states", "cow_alliances", "atop", "cow_igo"):
        assert len(refs[name]) > 0
        folder = external.directory() / name
        assert (folder / "extract.py").is_file() and (folder / "README.md").is_file()


def test_extracts_keep_every_albru_state():
    actors = albru.load().actors
    codes = set(actors.loc[actors["kind"] == "state", "cow_code"].dropna().astype(int))
    refs = external.load()
    kept = set(refs["cow_igo"]["ccode"])
    assert codes <= kept


def test_runs_do_not_overlap(refs):
    for name, keys in (("cow_alliances", ["ccode1", "ccode2"]), ("atop", ["ccode1", "ccode2"]),
                       ("cow_igo", ["ccode", "igo"])):
        years = external.run_years(refs[name])
        assert not years.duplicated([*keys, "year"]).any(), name
        assert (refs[name]["start_year"] <= refs[name]["end_year"]).all()


def test_run_years_and_in_system(refs):
    runs = pd.DataFrame({"k": ["a", "b"], "start_year": [1990, 2000], "end_year": [1992, 2000]})
    assert external.run_years(runs)["year"].tolist() == [1990, 1991, 1992, 2000]
    years = np.array([1938, 1939, 1940, 1944, 1945])
    assert external.in_system(refs["cow_states"], 339, years).tolist() == [
        True, True, False, True, True]


def test_known_reference_values(refs):
    igo = external.igo_status_years(refs["cow_igo"], 339).set_index(["igo", "year"])["status"]
    assert igo[("wpact", 1968)] == "full" and igo[("wpact", 1969)] == "none"
    assert igo[("nato", 2009)] == "full" and igo[("nato", 2008)] == "none"


def test_agreement_outcomes(table):
    assert set(table["outcome"]) <= set(external.OUTCOMES)
    assert not table.duplicated(["dataset", "unit", "year"]).any()
    dipex = table[table["dataset"] == "DipEx"]
    assert (dipex["outcome"] == "not covered").all()
    states = table[(table["dataset"] == "COW states") & (table["unit"] == "ALB")].set_index("year")
    assert states.loc[1941, "outcome"] == "disagree" and states.loc[1950, "outcome"] == "agree"
    assert states.loc[2020, "outcome"] == "not covered"


def test_compare_codes_reads_by_position_and_keeps_missing_as_not_covered():
    albru = pd.Series([1, None, 0, 2, 1], index=[9, 8, 7, 6, 5], dtype="Int64")
    ref = pd.array([1, 1, None, 3, 0], dtype="Int64")
    t = external.compare_codes("X", "ALB", np.arange(2000, 2005), albru, ref)
    expected = pd.DataFrame({
        "dataset": "X", "unit": "ALB", "year": np.arange(2000, 2005),
        "albru": pd.array(["1", None, "0", "2", "1"], dtype="string"),
        "reference": pd.array(["1", "1", None, "3", "0"], dtype="string"),
        "outcome": ["agree", "not covered", "not covered", "disagree", "disagree"]})
    pd.testing.assert_frame_equal(t, expected)
    booleans = external.compare_codes("X", "A-B", [1990, 1991], pd.array([True, False],
                                                                         dtype="boolean"), [1, 1])
    assert booleans["outcome"].tolist() == ["agree", "disagree"]


def test_shares_count_only_covered_years(table):
    shares = external.agreement_shares(table).set_index("dataset")
    assert (shares["covered"] == shares["agree"] + shares["disagree"]).all()
    assert (shares["compared"] >= shares["covered"]).all()
    assert pd.isna(shares.loc["DipEx", "share_agree"])
    yearly = external.yearly_outcomes(table)
    assert not yearly.duplicated(["dataset", "year"]).any()


def test_shares_count_by_dataset_and_outcome():
    t = pd.DataFrame({"dataset": ["B", "A", "B", "A", "B", "B", "C"],
                      "outcome": ["agree", "disagree", "not covered", "agree", "agree", None,
                                  "other"]})
    s = external.agreement_shares(t)
    assert s["dataset"].tolist() == ["A", "B", "C"]  # sorted; C has no known outcome
    assert s[["compared", "covered", "agree", "disagree"]].values.tolist() == [
        [2, 2, 1, 1], [3, 2, 2, 0], [0, 0, 0, 0]]
    assert s["share_agree"].tolist()[:2] == [0.5, 1.0] and pd.isna(s["share_agree"].iloc[2])
    assert s.dtypes["compared"] == "int64" and s.dtypes["share_agree"] == "float64"


def test_igo_agreement_treats_inactive_as_formal_membership():
    ds = albru.load()
    t = external.igo_agreement(ds, external.load(), ["ALB"], years=np.array([1965, 1970]),
                               orgs=["WARSAW"])
    assert t["outcome"].tolist() == ["agree", "agree"]
    assert t["albru"].tolist() == ["inactive", "none"]


def test_agreement_strips_draws_one_row_per_dataset(table):
    import matplotlib

    matplotlib.use("Agg")
    from albru.plot.external import agreement_strips

    yearly = external.yearly_outcomes(table)
    ax = agreement_strips(yearly, title="t")
    assert [t.get_text() for t in ax.get_yticklabels()] == sorted(yearly["dataset"].unique())
    assert len(ax.collections[0].get_paths()) == len(yearly)
    # the disagreeing part of a year is as tall as its share of disagreeing units
    partial = yearly[(yearly["share"] > 0) & (yearly["share"] < 1)]
    boxes = ax.collections[1].get_paths()
    assert len(boxes) == int((yearly["share"] < 1).sum()) and len(partial) > 0
    heights = sorted(round(float(np.ptp(b.vertices[:, 1])), 6) for b in boxes)
    assert heights == sorted(round(0.8 * (1 - s), 6) for s in yearly.loc[yearly["share"] < 1,
                                                                           "share"])


def test_yearly_outcomes_keep_the_share_of_agreeing_units(table):
    yearly = external.yearly_outcomes(table).set_index(["dataset", "year"])
    igo = yearly.loc["COW-IGO"]
    # one organisation disagreeing makes the year's outcome "disagree", not its share zero
    assert igo.loc[1970, "outcome"] == "disagree" and 0.5 < igo.loc[1970, "share"] < 1
    assert pd.isna(yearly.loc[("DipEx", 1990), "share"])
    assert (igo["share"].dropna().between(0, 1)).all()


def test_load_reads_the_references_only_and_names_a_broken_schema(tmp_path) -> None:
    import shutil

    folder = shutil.copytree(external.directory(), tmp_path / "external")
    (folder / "unvotes" / "un_votes.csv").write_text("not,the,header\n", encoding="utf-8")
    assert sorted(external.load(folder)) == sorted(r for r in external.REFERENCES if r != "dipex")
    atop = folder / "atop" / "atop.csv"
    atop.write_text(atop.read_text(encoding="utf-8").replace("\n", "\nx,", 1), encoding="utf-8")
    with pytest.raises(albru.AlbruDataError, match="atop.csv"):
        external.load(folder)
    (folder / "datapackage.json").unlink()
    with pytest.raises(albru.AlbruDataError, match="datapackage.json"):
        external.load(folder)


def test_folder_and_directory_are_the_deprecated_names_of_data_dir() -> None:
    """The data folder is ``data_dir`` everywhere; the old keywords still work, with a warning."""
    from albru import dataset

    where = external.directory()
    with pytest.warns(DeprecationWarning, match="external.load: folder= is deprecated"):
        old = external.load(folder=where)
    new = external.load(data_dir=where)
    assert sorted(old) == sorted(new)
    for name in new:
        pd.testing.assert_frame_equal(old[name], new[name])
    with pytest.warns(DeprecationWarning, match="external.coverage: folder= is deprecated"):
        assert external.coverage(folder=where) == external.coverage(data_dir=where)
    with pytest.warns(DeprecationWarning, match="read_package: directory= is deprecated"):
        ties = dataset.read_package(directory=dataset.data_dir(), resources=["ties"])["ties"]
    pd.testing.assert_frame_equal(
        ties, dataset.read_package(data_dir=dataset.data_dir(), resources=["ties"])["ties"])
    with pytest.raises(TypeError, match="data_dir= is required"):
        dataset.read_package()


def test_coverage_follows_the_schema_bytes(tmp_path) -> None:
    """Coverage is kept by the schema's bytes: an edited copy gives its own spans, a missing
    schema is still an error, and a caller's change to the result reaches no later one."""
    spans = external.coverage()
    spans["atop"] = (0, 0)
    assert external.coverage()["atop"] == (1815, 2018)
    text = (external.directory() / "datapackage.json").read_text(encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(text.replace('"end_year": 2018', '"end_year": 2019'),
                                               encoding="utf-8")
    assert external.coverage(tmp_path)["atop"] == (1815, 2019)
    (tmp_path / "datapackage.json").unlink()
    with pytest.raises(albru.AlbruDataError, match="datapackage.json"):
        external.coverage(tmp_path)


def test_igo_agreement_of_several_states_is_theirs_one_by_one(refs) -> None:
    """States compared together give the rows each gives alone, in the order asked."""
    ds = albru.load()
    actors, orgs = ["RUS", "ALB", "YUG", "CHN", "ALB"], ["WARSAW", "NATO", "UN", "COMECON"]
    together = external.igo_agreement(ds, refs, actors, orgs=orgs)
    apart = pd.concat([external.igo_agreement(ds, refs, [a], orgs=orgs) for a in actors],
                      ignore_index=True)
    pd.testing.assert_frame_equal(together, apart)
    assert set(together["outcome"]) == set(external.OUTCOMES)


def test_digest_tells_apart_what_can_change_a_result_and_not_a_copy(refs) -> None:
    frame = refs["cow_states"]
    base = external._digest({"cow_states": frame, "dipex": None})
    assert base == external._digest({"dipex": None, "cow_states": frame.copy()})
    others = [
        {"cow_states": frame},  # an extract left out is not one that is absent
        {"cow_states": frame, "atop": None},
        {"other": frame, "dipex": None},
        {"cow_states": frame.set_axis(frame.index + 1), "dipex": None},
        {"cow_states": frame.astype({"ccode": "float64"}), "dipex": None},
        {"cow_states": frame.rename(columns={"ccode": "code"}), "dipex": None},
        {"cow_states": frame.iloc[:-1], "dipex": None},
        {"cow_states": frame.assign(ccode=frame["ccode"].where(frame.index != 3)),
         "dipex": None},
    ]
    digests = {external._digest(o) for o in others}
    assert len(digests) == len(others) and base not in digests
