"""albru.load(): the typed tables on a small sample made here, and on the real data."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import albru

DATA = Path(__file__).resolve().parent.parent / "data"

#: A small, complete and valid copy of every table, written next to the real schema.
SAMPLE: dict[str, str] = {
    "actor_names.csv": """\
actor_id,name,start,end,source_id,section,locator
RUS,Russian Empire,1721,1917-11-07,wiki,,
RUS,Soviet Union,1922-12-30,1991-12-26,wiki,,
RUS,Russian Federation,1991-12-26,..,wiki,,
""",
    "actors.csv": """\
actor_id,name,kind,cow_code,note
ALB,Albania,state,339,
RUS,Russia,state,365,one actor across regimes
YUG,Yugoslavia,state,345,
WTO,Warsaw Pact,organization,,
""",
    "cameo.csv": """\
cameo,label,goldstein
064,Establish diplomatic relations,7.0
111,Criticize or denounce,-2.0
161,Reduce or break diplomatic relations,-4.0
""",
    "claims.csv": """\
claim_id,table,record_id,column,value,source_id,section,locator,note
C001,events,E002,date,1959-06,other,,,
""",
    "eras.csv": """\
era_id,name,start,end,basis,source_id,section,locator
alliance,Alliance,1944-11-29,1961-12-03,the communist alliance,wiki,,
independence,Independence,1912-11-28,1944-11-28,from independence to liberation,wiki,,
renewal,Renewal,1990-07-31,..,relations restored,wiki,,
rupture,Rupture,1961-12-04,1990-07-30,the split,wiki,,
""",
    "event_types.csv": """\
event_type,cameo,goldstein,quad_class,label,plover
establish_relations,064,7.0,2,set up diplomatic ties,AGREE
break_relations,161,-4.0,4,cut diplomatic ties,SANCTION
criticize,111,-2.0,3,criticize or denounce,ACCUSE
""",
    "events.csv": """\
event_id,date,source_actor,target_actor,event_type,title,summary,source_id,section,locator,date_source_id,verification
E003,1961-12-03,RUS,ALB,break_relations,Ties cut,"Moscow cut ties,
after the split.",wiki,,,,unverified
E001,1924-04-07,RUS,ALB,establish_relations,Ties set up,First ties.,wiki,,,other,unverified
E002,1959-05,RUS,ALB,criticize,Visit,A visit.,wiki,,,,unverified
E004,1990-21,ALB,RUS,establish_relations,Talks,Spring talks.,wiki,,,,unverified
E005,2014,ALB,RUS,criticize,Sanctions,Albania joins sanctions.,wiki,,,,unverified
E000,1959-05-10,ALB,RUS,criticize,Same month,A day in that month.,wiki,,,,unverified
""",
    "memberships.csv": """\
membership_id,actor_id,org_id,start,end,status,source_id,section,locator,note
M001,ALB,WTO,1955-05-14,1961,member,wiki,,,
M002,ALB,WTO,1962,1968-09-13,inactive,wiki,,,
""",
    "searches.csv": """\
search_id,start,end,where,query,found,event_ids
S001,1912,2026-11-27,the sample,everything,the sample's events,E001 E002
""",
    "sentences.csv": """\
section,index,locator,codes,reason,note
(lead),1,The establishment of diplomatic relations,E001,,
""",
    "sources.csv": """\
source_id,citation,url,license,accessed,note,tier
wiki,"Albania–Russia relations, Wikipedia",https://en.wikipedia.org/,CC BY-SA 4.0,2026-11-27,,other
other,A second work,,,,,scholarly
""",
    "ties.csv": """\
tie_id,actor_a,actor_b,sign,kind,start,end,source_id,section,locator,note
T001,ALB,RUS,1,alliance,1944-11,1961-12,wiki,,,
T002,ALB,RUS,-1,rupture,1961-12,1990-07,wiki,,,
T003,ALB,YUG,-1,hostility,1948-06,..,wiki,,,
""",
}


def write_sample(directory: Path) -> Path:
    """Write SAMPLE and the real datapackage.json into ``directory``.

    Columns the schema has and SAMPLE lacks are written empty, in schema order, so the
    sample follows the schema while the dataset work extends it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "datapackage.json", directory)
    shutil.copytree(DATA / "article", directory / "article")  # sentences.csv points into it
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        names = [field["name"] for field in resource["schema"]["fields"]]
        records = csv.DictReader(io.StringIO(SAMPLE[resource["path"]], newline=""))
        with (directory / resource["path"]).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, names, restval="", lineterminator="\n")
            writer.writeheader()
            writer.writerows(records)
    return directory


@pytest.fixture
def sample(tmp_path: Path) -> albru.Dataset:
    return albru.load(write_sample(tmp_path / "sample"))


def test_dtypes_follow_the_schema(sample: albru.Dataset) -> None:
    assert sample.actors["actor_id"].dtype == "string"
    assert sample.actors["kind"].dtype.categories.tolist() == ["state", "organization"]
    assert sample.actors["cow_code"].dtype == "Int64"
    assert sample.ties["sign"].dtype == "Int64"
    assert sample.event_types["goldstein"].dtype == "float64"
    assert sample.sources["accessed"].tolist()[0] == pd.Timestamp("2026-11-27")
    assert sample.memberships["status"].dtype.categories.tolist() == [
        "member", "observer", "inactive", "suspended"]


def test_event_dates_become_days_and_precision(sample: albru.Dataset) -> None:
    events = sample.events.set_index("event_id")
    assert events.loc["E002", ["start", "end"]].tolist() == [
        pd.Timestamp("1959-05-01"), pd.Timestamp("1959-05-31")]
    assert events.loc["E004", ["start", "end"]].tolist() == [
        pd.Timestamp("1990-03-01"), pd.Timestamp("1990-05-31")]
    assert events["precision"].astype(str).to_dict() == {
        "E001": "day", "E002": "month", "E000": "day", "E003": "day", "E004": "season",
        "E005": "year"}
    assert sample.events["precision"].cat.ordered


def test_events_sorted_by_start_then_id(sample: albru.Dataset) -> None:
    assert sample.events["event_id"].tolist() == ["E001", "E002", "E000", "E003", "E004", "E005"]
    assert isinstance(sample.events.index, pd.RangeIndex)


def test_events_carry_type_coding_and_era(sample: albru.Dataset) -> None:
    events = sample.events.set_index("event_id")
    assert events.loc["E003", ["cameo", "goldstein", "quad_class", "label"]].tolist() == [
        "161", -4.0, 4, "cut diplomatic ties"]
    assert events["era"].astype(str).to_dict() == {
        "E001": "independence", "E002": "alliance", "E000": "alliance", "E003": "alliance",
        "E004": "rupture", "E005": "renewal"}
    assert sample.events["era"].dtype == sample.eras["era_id"].dtype


def test_eras_in_time_order_as_ordered_categorical(sample: albru.Dataset) -> None:
    order = ["independence", "alliance", "rupture", "renewal"]
    assert sample.eras["era_id"].tolist() == order
    assert sample.eras["era_id"].dtype.categories.tolist() == order
    assert sample.eras["era_id"].cat.ordered
    touching = sample.eras["start"].iloc[1:].to_numpy() == (
        sample.eras["end"].iloc[:-1] + pd.Timedelta(days=1)).to_numpy()
    assert touching.all()
    assert pd.isna(sample.eras["end"].iloc[-1])


def test_span_tables_keep_strings_and_derive_days(sample: albru.Dataset) -> None:
    names = sample.actor_names
    assert names["start_edtf"].tolist() == ["1721", "1922-12-30", "1991-12-26"]
    assert names["end_edtf"].tolist()[-1] == ".."
    assert names["start"].tolist()[0] == pd.Timestamp("1721-01-01")
    assert pd.isna(names["end"].tolist()[-1]) and pd.isna(names["end_precision"].tolist()[-1])
    memberships = sample.memberships
    assert memberships["end"].tolist()[0] == pd.Timestamp("1961-12-31")
    assert memberships["start_precision"].astype(str).tolist() == ["day", "year"]


def test_dataset_is_frozen_and_short_to_print(sample: albru.Dataset) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample.events = sample.actors  # type: ignore[misc]
    assert repr(sample).startswith("Dataset(rows: sources=2, actors=4,")


def _records(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.mark.parametrize("where", ["sample", "real"])
def test_clean_load_keeps_every_row(where: str, tmp_path: Path) -> None:
    directory = DATA if where == "real" else write_sample(tmp_path)
    ds = albru.load(directory)
    assert list(ds.tables()) == [f.name for f in dataclasses.fields(ds) if f.name != "package"]
    for name, frame in ds.tables().items():
        assert len(frame) == _records(directory / f"{name}.csv")


def test_real_data_is_the_default() -> None:
    package = Path(albru.__file__).parent
    checkout = package.parent == DATA.parent
    assert albru.data_dir() == (DATA if checkout else package / "data")
    assert albru.load().events["event_id"].tolist() == albru.load(DATA).events[
        "event_id"].tolist()


def test_import_albru_stays_light(fresh: dict[str, object]) -> None:
    assert fresh["heavy"] == []


def test_the_parts_that_read_no_table_start_without_pandas(fresh: dict[str, object]) -> None:
    # the site engine runs Sphinx in child processes that import these; the tables come later
    assert (fresh["pandas_before"], fresh["pandas_after"]) == (False, True)


def test_the_rates_need_no_scipy(fresh: dict[str, object]) -> None:
    # albru.stats writes out the Gamma quantiles it needs (scipy's import costs 0.2-0.4 s)
    assert (fresh["scipy_before"], fresh["scipy_after"]) == (False, False)


def test_topic_modules_load_on_first_use(fresh: dict[str, object]) -> None:
    assert fresh["topics_before"] == []
    assert fresh["topics"] == ["albru.eras", "albru.plot"]
    with pytest.raises(AttributeError):
        albru.not_a_module  # noqa: B018


def test_an_event_crossing_an_era_boundary_keeps_its_date_and_has_no_single_era(
    tmp_path: Path,
) -> None:
    directory = write_sample(tmp_path / "sample")
    path = directory / "events.csv"
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    header = rows[0]
    straddler = dict.fromkeys(header, "")
    straddler.update(event_id="E006", date="1961-12", source_actor="RUS", target_actor="ALB",
                     event_type="criticize", title="Late 1961", summary="A month astride the "
                     "split.", source_id="wiki", verification="unverified")
    rows.append([straddler[name] for name in header])
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    assert albru.validate(directory, frictionless=False) == []
    event = albru.load(directory).events.set_index("event_id").loc["E006"]
    assert (event["start"], event["end"]) == (pd.Timestamp("1961-12-01"),
                                              pd.Timestamp("1961-12-31"))
    assert pd.isna(event["era"])
    assert (event["era_first"], event["era_last"]) == ("alliance", "rupture")


def test_eras_starting_mid_year_hold_the_days_from_their_first(sample: albru.Dataset) -> None:
    events = sample.events.set_index("event_id")
    assert sample.eras.set_index("era_id").loc["rupture", "start"] == pd.Timestamp("1961-12-04")
    assert events.loc["E003", "start"] == pd.Timestamp("1961-12-03")
    assert events.loc["E003", ["era", "era_first", "era_last"]].tolist() == ["alliance"] * 3
    assert sample.events["era_first"].dtype == sample.eras["era_id"].dtype


def test_the_dataset_carries_the_schema_metadata(sample: albru.Dataset) -> None:
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    meta = sample.package
    assert (meta.title, meta.version) == (package["title"], package["version"])
    assert meta.licenses == tuple(x["name"] for x in package["licenses"])
    fields = [(r["name"], f["name"], f["description"]) for r in package["resources"]
              for f in r["schema"]["fields"]]
    assert list(meta.columns[["table", "column", "description"]].itertuples(
        index=False, name=None)) == fields
    assert sample.describe("events")["date"] == next(d for t, c, d in fields
                                                     if (t, c) == ("events", "date"))
    assert package["title"] in repr(sample)
    with pytest.raises(KeyError, match="no table 'nothing'"):
        sample.describe("nothing")


def test_data_flows_one_way() -> None:
    """The data layer's modules import only those below them: problems, dates and the
    deprecation shims (_compat) nothing of albru, files only problems, the reader the files, the
    rules the reader, dataset them all."""
    package = Path(albru.__file__).parent
    below = {"problems": set(), "dates": set(), "_compat": set(), "files": {"problems"},
             "reader": {"dates", "files", "problems"},
             "schema": {"files", "problems", "reader"},
             "validation": {"dates", "problems", "reader"},
             "textreuse": {"problems", "reader"},
             "dataset": {"_compat", "dates", "files", "problems", "reader", "schema",
                         "textreuse", "validation"}}
    imports = {name: {m.removeprefix("albru.") for m in _albru_imports(
        package / f"{name}.py", package)} for name in below}
    assert imports == below


def _albru_imports(path: Path, package: Path) -> set[str]:
    """The albru modules a module imports, at its top or inside functions, by an import
    statement or by ``importlib.import_module``. A call whose module name is not a plain string
    may only be a package's ``__init__`` reaching its own modules (counted as importing all)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("albru"):
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("albru")]
        elif isinstance(node, ast.Call) and getattr(
            node.func, "attr", getattr(node.func, "id", None)
        ) in {"import_module", "__import__"}:
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                names = [arg.value]
            else:
                assert path.name == "__init__.py", f"{path}: an import the test cannot follow"
                prefix = ".".join(path.parent.relative_to(package.parent).parts)
                names = [f"{prefix}.{p.stem}" for p in path.parent.glob("*.py")]
                names += [f"{prefix}.{p.parent.name}" for p in path.parent.glob("*/__init__.py")]
        else:
            continue
        for name in names:  # keep only names that are modules of the package
            rel = Path(*name.split(".")[1:])
            if (package / rel).with_suffix(".py").is_file() or (package / rel / "__init__.py"
                                                                 ).is_file():
                found.add(name)
    return found - {"albru"}


def test_no_two_modules_import_each_other_even_inside_functions() -> None:
    package = Path(albru.__file__).parent
    graph = {}
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        graph[name] = _albru_imports(path, package) - {name}
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, "import cycle: " + " -> ".join((*trail, name))
        if name in done:
            return
        for other in sorted(graph.get(name, ())):
            if not name.startswith(other + "."):  # a package's modules may import its __init__
                visit(other, (*trail, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
    assert "albru.external" in graph["albru.panel"]  # the walk does see the imports
    assert "albru.eras" in graph["albru"]  # and the imports of albru's lazy names


def test_searched_years_are_every_year_of_every_search_and_no_other() -> None:
    ds = albru.load()
    s = ds.searches.iloc[:4].copy()
    s["start"] = pd.to_datetime(["1950-03-01", "1952-12-31", "1951-06-01", "1960-01-01"])
    s["end"] = pd.to_datetime(["1950-09-01", "1954-01-01", "1951-07-01", "1957-01-01"])
    years = dataclasses.replace(ds, searches=s).searched_years()  # the last ends before it starts
    assert years.tolist() == [1950, 1951, 1952, 1953, 1954] and years.dtype == "int64"
    assert dataclasses.replace(ds, searches=s.iloc[:0]).searched_years().tolist() == []
