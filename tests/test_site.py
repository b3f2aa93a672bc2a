"""The readers' site: what a reader needs is on every page, nothing comes from the network, and a
build only ever replaces what a build made.

The real site is built once per session from the committed notebooks (no kernel); so is the
tiny project's site (``tiny_built``, tests/tiny_project.py, rendered by the albru command and
shared with test_cli), which tests copy warm (``warm``: work folder and site included, so a
rebuild of unchanged sources runs no Sphinx). The tests of execution use tiny
notebooks, and only two of them start a kernel. The site build is a repository tool,
``tools/sitebuild`` (on the test path as ``sitebuild``).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType
from urllib.parse import quote, unquote, urlsplit

import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sitebuild import BuildError, build, notebooks, sphinx
from sitebuild.build import MANIFEST, Project, build_site, neutralise_csv
from sitebuild.owned import Owned
from tiny_project import EVIL, copy_built, make_tiny, notebook, tree

from albru.citation import repository_url, software_version
from albru.cli import main

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = notebooks.notebook_paths(REPO / "notebooks")


class _Page(HTMLParser):
    """The tags, ids and text of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if values.get("id"):
            self.ids.add(values["id"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@dataclass(frozen=True)
class Parsed:
    """What the tests read of a page: its tags (name, attributes), ids and pieces of text."""

    tags: tuple[tuple[str, MappingProxyType[str, str]], ...]
    ids: frozenset[str]
    text: tuple[str, ...]


@functools.lru_cache(maxsize=256)
def _parse(path: Path, stat: tuple[int, int, int, int]) -> Parsed:
    """The page at ``path`` as it is while its inode, size, change and modification times are
    ``stat`` (so an edited page is read again)."""
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    tags = tuple((tag, MappingProxyType(attrs)) for tag, attrs in page.tags)
    return Parsed(tags, frozenset(page.ids), tuple(page.text))


def parse(path: Path) -> Parsed:
    """One HTML page, parsed once however many tests read it (the real site has a dozen)."""
    info = path.stat()
    return _parse(path, (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns))


def pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.html") if "_static" not in p.parts)


def network_fetches(out: Path) -> list[str]:
    """Every script, stylesheet, image, frame or font a page or stylesheet would fetch remotely."""
    found = []
    for page in pages(out):
        for tag, attrs in parse(page).tags:
            for name in ("src", "href", "data", "srcset"):
                value = attrs.get(name, "")
                remote = re.match(r"\s*(https?:)?//", value)
                loads = tag in {"script", "img", "iframe", "source", "embed", "object"} or (
                    tag == "link" and name == "href"
                )
                if remote and loads:
                    found.append(f"{page.relative_to(out)}: <{tag} {name}={value[:60]}>")
    for sheet in sorted(out.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        if re.search(r"url\(\s*['\"]?(https?:)?//|@import\s+(url\()?['\"]?(https?:)?//", text):
            found.append(f"{sheet.relative_to(out)}: fetches from the network")
    return found


def broken_links(out: Path) -> list[str]:
    """Relative links and images whose file (or anchor in an HTML page) does not exist."""
    problems = []
    ids: dict[Path, set[str]] = {}
    for page in pages(out):
        for tag, attrs in parse(page).tags:
            value = attrs.get("href" if tag in {"a", "link"} else "src", "")
            if tag not in {"a", "link", "img", "script"} or not value or value.startswith("#"):
                continue
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                problems.append(f"{page.relative_to(out)}: broken link {value}")
            elif target.suffix == ".html" and parts.fragment:
                if target not in ids:
                    ids[target] = parse(target).ids
                if unquote(parts.fragment) not in ids[target]:
                    problems.append(f"{page.relative_to(out)}: missing anchor {value}")
    return problems


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the committed notebooks as they are (no kernel), built once."""
    if not NOTEBOOKS:
        pytest.skip("no numbered notebooks committed yet")
    root = tmp_path_factory.mktemp("real")
    project = Project(
        notebooks=REPO / "notebooks", data=REPO / "data", docs=REPO / "docs", work=root / "work"
    )
    build_site(project, root / "site", execute_notebooks=False, say=lambda _: None)
    return root / "site"


# --- the real site ------------------------------------------------------------------------


def test_every_notebook_and_reference_page_is_built(built: Path) -> None:
    expected = {f"notebooks/{p.stem}.html" for p in NOTEBOOKS} | {
        "index.html",
        "search.html",
        "data/README.html",
        "docs/glossary.html",
        "docs/downloads.html",
        "docs/cite.html",
    }
    assert expected - {p.relative_to(built).as_posix() for p in pages(built)} == set()


def test_search_index_covers_every_page(built: Path) -> None:
    index = (built / "searchindex.js").read_text(encoding="utf-8")
    docnames = json.loads(re.search(r'"docnames":(\[[^\]]*\])', index).group(1))
    assert {f"notebooks/{p.stem}" for p in NOTEBOOKS} <= set(docnames)
    assert {"index", "docs/glossary", "data/README"} <= set(docnames)
    # the search page loads the index from a file beside it: works from disk and from a server
    search = parse(built / "search.html")
    assert any(a.get("src", "").endswith("searchindex.js") for t, a in search.tags if t == "script")


def test_every_image_has_alt_text(built: Path) -> None:
    missing = []
    for page in pages(built):
        for tag, attrs in parse(page).tags:
            if tag != "img":
                continue
            alt, src = attrs.get("alt", "").strip(), attrs.get("src", "")
            if not alt or alt == src or alt.endswith((".png", ".svg", ".jpg")):
                missing.append(f"{page.relative_to(built)}: {src}")
    assert missing == [], "images without alt text (set mystnb.image.alt on the cell)"


def test_figures_carry_the_captions_written_in_the_notebooks(built: Path) -> None:
    for path in NOTEBOOKS:
        page = (built / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.DOTALL)
        shown = [" ".join(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", c))) for c in captions]
        for cell in nbformat.read(path, as_version=4).cells:
            caption = cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
            images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
            if caption and images:
                words = re.findall(r"\w+", re.sub(r"[*_`]", "", caption))[:6]
                assert any(" ".join(words) in s for s in shown), (path.name, caption)


def test_every_page_has_navigation_citation_and_licence(built: Path) -> None:
    notebook_links = {f"{p.stem}.html" for p in NOTEBOOKS}
    for page in pages(built):
        text = page.read_text(encoding="utf-8")
        parsed = parse(page)
        name = page.relative_to(built).as_posix()
        assert 'class="bd-sidebar-primary' in text, f"{name}: no side navigation"
        linked = {Path(urlsplit(a.get("href", "")).path).name for t, a in parsed.tags if t == "a"}
        linked.add(page.name)  # the page itself is marked as current, not linked
        assert notebook_links <= linked, f"{name}: navigation misses notebooks"
        hrefs = [a.get("href", "") for t, a in parsed.tags if t == "a"]
        on_it = name == "docs/cite.html"  # the cite page links itself as "#"
        assert on_it or any(h.endswith("cite.html") for h in hrefs), f"{name}: no cite link"
        assert f"software version {software_version()}" in text, name
        assert ">How to cite</a>" in text, f"{name}: the footer's How to cite is not a link"
        assert "CC BY-SA 4.0" in text and "MIT licence" in text, f"{name}: no licence"


def test_notebook_pages_have_contents_download_and_launch_buttons(built: Path) -> None:
    for path in NOTEBOOKS:
        text = (built / "notebooks" / f"{path.stem}.html").read_text(encoding="utf-8")
        assert 'class="bd-toc-nav' in text or "page-toc" in text, path.name
        assert f"_sources/notebooks/{path.name}" in text, path.name  # .ipynb download
        if repository_url():
            assert "mybinder.org/v2/gh/" in text and f"notebooks/{path.name}" in text, path.name
        else:  # no address configured: no launch button, and no placeholder address
            assert "mybinder.org" not in text and "OWNER" not in text, path.name


def test_no_network_fetches(built: Path) -> None:
    assert network_fetches(built) == []


def test_links_and_images_resolve(built: Path) -> None:
    assert broken_links(built) == []


def test_downloads_offer_each_notebook_and_table_as_committed(built: Path) -> None:
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    page = parse(built / "docs" / "downloads.html")
    links = {a.get("href") for t, a in page.tags if t == "a"}
    for resource in package["resources"]:
        assert f"../data/{resource['path']}" in links, resource["path"]
        shipped = built / "data" / resource["path"]
        committed = (REPO / "data" / resource["path"]).read_bytes()
        assert shipped.read_bytes() == neutralise_csv(committed)  # as committed, made inert
    for path in NOTEBOOKS:
        assert f"../notebooks/{path.name}" in links
        assert nbformat.read(built / "notebooks" / path.name, as_version=4).cells
    assert (built / "data" / "dyad_years.csv").is_file()  # the panel of albru's own data
    external = REPO / "data" / "external" / "datapackage.json"
    if external.is_file():
        for resource in json.loads(external.read_text(encoding="utf-8"))["resources"]:
            if (external.parent / resource["path"]).is_file():
                assert f"../data/external/{resource['path']}" in links, resource["path"]
    # only what the packages list and the licence text are published: no script, no article,
    # no stray file
    assert (built / "data" / build.LICENCE).read_bytes() == (REPO / "data" / build.LICENCE
                                                            ).read_bytes()
    listed = {"datapackage.json", "README.html", "dyad_years.csv", build.LICENCE,
              *(r["path"] for r in package["resources"])}
    if external.is_file():
        listed |= {"external/datapackage.json", "external/README.html"} | {
            f"external/{r['path']}" for r in json.loads(external.read_text())["resources"]}
        listed |= {f"{p.rsplit('/', 1)[0]}/README.md" for p in listed if p.count("/") == 2}
    published = {p.relative_to(built / "data").as_posix()
                 for p in (built / "data").rglob("*") if p.is_file()}
    assert published - listed == set()


def test_data_card_and_glossary_are_pages(built: Path) -> None:
    card = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    heading = next(line.lstrip("# ").strip() for line in card.splitlines() if line.startswith("#"))
    assert heading in " ".join(parse(built / "data" / "README.html").text)
    glossary = parse(built / "docs" / "glossary.html").ids
    for term in ["cameo", "goldstein-scale", "quad-class", "cow-codes", "edtf",
                 "structural-balance", "change-point", "poisson-interval"]:  # fmt: skip
        assert term in glossary, term


def test_cite_page_shows_the_bibtex(built: Path) -> None:
    text = "".join(parse(built / "docs" / "cite.html").text)
    assert "@misc{albru," in text and "@misc{albru_data," in text


def test_code_can_be_folded_and_scrolls_sideways(built: Path) -> None:
    css = (REPO / "docs" / "_static" / "albru.css").read_text(encoding="utf-8")
    assert "overflow-x: auto" in css
    assert (built / "_static" / "albru.css").is_file()
    # MyST-NB's hide-input / hide-output tags fold cells; its stylesheet ships with the site
    assert list((built / "_static").glob("mystnb*.css"))


def test_committed_figures_are_in_docs_figures() -> None:
    """The README shows docs/figures/<notebook>.png; `make report` writes them."""
    for path in NOTEBOOKS:
        figure = REPO / "docs" / "figures" / f"{path.stem}.png"
        assert figure.is_file(), "run `make report` and commit docs/figures/"
        assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- tiny projects: escaping, safety, cache ------------------------------------------------

@pytest.fixture
def tiny(tmp_path: Path) -> Project:
    """A fresh tiny project (nothing built)."""
    return make_tiny(tmp_path)


@pytest.fixture
def warm(tiny_built: Path, tmp_path: Path) -> Project:
    """A copy of the rendered tiny project, its site in ``tmp_path/site``: a rebuild of
    unchanged sources runs no Sphinx."""
    return copy_built(tiny_built, tmp_path)


def _quiet(_: str) -> None:
    pass


def test_every_string_reaching_html_is_escaped(tiny_built: Path) -> None:
    out = tiny_built / "site"
    for page in pages(out):
        text = page.read_text(encoding="utf-8")
        assert "<img src=x" not in text and "<script>alert" not in text, page.name
        assert "<script>&quot;" not in text and "<b>" not in text, page.name
    card = " ".join(parse(out / "data" / "README.html").text)
    assert "<script>alert(1)</script>" in card  # shown as text, not run
    downloads = parse(out / "docs" / "downloads.html")
    assert f"{EVIL}.csv" in "".join(downloads.text).replace("\n", " ")
    assert f"../data/{quote(EVIL)}.csv" in {a.get("href") for t, a in downloads.tags if t == "a"}
    assert "9.9.9" in (out / "index.html").read_text(encoding="utf-8")  # the data's version
    links = {a.get("href") for t, a in parse(out / "notebooks" / "01_first.html").tags if t == "a"}
    assert {"../docs/glossary.html#cameo", "../data/README.html"} <= links  # as in JupyterLab
    assert broken_links(out) == []


def test_csv_downloads_cannot_start_a_formula(tiny_built: Path) -> None:

    with (tiny_built / "site" / "data" / "cells.csv").open(newline="", encoding="utf-8") as f:
        shown = [row[0] for row in list(csv.reader(f))[1:]]
    assert shown == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "-5",
                     "+1.5e3"]  # fmt: skip
    data = (tiny_built / "data" / "cells.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://x"")",0' in data  # the data file itself stays as it is


def test_only_listed_resources_are_published(tiny_built: Path) -> None:
    site = tiny_built / "site"
    everything = "\n".join(p.relative_to(site).as_posix() for p in site.rglob("*"))
    assert "notes.csv" not in everything and "secret" not in everything
    assert all("albru-secret-7f3a" not in p.read_text(errors="replace") for p in site.rglob("*.*")
               if p.is_file())  # fmt: skip
    assert (site / "data" / "cells.csv").is_file()


_CELL = st.text(alphabet=st.sampled_from(list("=+-@\t\r\n,\" 1.eEa'")), max_size=5)


@given(rows=st.lists(st.lists(_CELL, min_size=1, max_size=3), min_size=1, max_size=4),
       quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       end=st.sampled_from(["\n", "\r\n"]))  # fmt: skip
def test_no_neutralised_cell_can_start_a_formula(rows: list[list[str]], quoting: int,
                                                 end: str) -> None:
    """Whatever the quoting and line ends: no cell of the result starts a formula (a plain
    number aside), and a file with no such cell comes back byte for byte."""
    out = io.StringIO(newline="")
    csv.writer(out, quoting=quoting, lineterminator=end).writerows(rows)
    content = out.getvalue().encode("utf-8")

    def risky(data: bytes) -> bool:
        cells = [c for r in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) for c in r]
        return any(c.startswith(("=", "+", "-", "@", "\t", "\r"))
                   and not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", c)
                   for c in cells)  # fmt: skip

    result = neutralise_csv(content)
    assert not risky(result)
    if not risky(content):
        assert result == content


@pytest.mark.parametrize("where", [".", "notebooks", "data", "data/in", "docs", "notebooks/site"])
def test_build_refuses_folders_holding_or_inside_the_sources(tiny: Project, where: str) -> None:
    root = tiny.notebooks.parent
    (root / "docs").mkdir(exist_ok=True)
    project = Project(tiny.notebooks, tiny.data, root / "docs", tiny.work)
    before = tree(root)
    with pytest.raises(BuildError, match="choose another folder"):
        build_site(project, root / where, execute_notebooks=False, say=_quiet)
    assert tree(root) == before


@pytest.mark.parametrize("where", ["data", "notebooks", "data/figures", "."])
def test_build_refuses_a_figures_folder_over_the_sources(tiny: Project, where: str) -> None:
    root = tiny.notebooks.parent
    with pytest.raises(BuildError, match="figures folder"):
        build_site(tiny, root / "site", root / where, execute_notebooks=False, say=_quiet)
    assert not (root / "site").exists()


def test_build_refuses_an_out_that_is_a_file(tiny: Project, tmp_path: Path) -> None:
    (tmp_path / "site").write_text("mine", encoding="utf-8")
    with pytest.raises(BuildError, match="is a file"):
        build_site(tiny, tmp_path / "site", execute_notebooks=False, say=_quiet)
    assert (tmp_path / "site").read_text(encoding="utf-8") == "mine"


def test_build_refuses_a_folder_it_did_not_make(tiny: Project, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "index.html").write_text("my own page", encoding="utf-8")
    with pytest.raises(BuildError, match="no albru build made"):
        build_site(tiny, out, execute_notebooks=False, say=_quiet)
    assert (out / "index.html").read_text(encoding="utf-8") == "my own page"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_rebuild_keeps_foreign_files_and_drops_pages_of_removed_notebooks(tiny_run: dict) -> None:
    # tests/tiny_project.py's fail_then_run: files of a user's put into the site, the second
    # notebook removed, a rebuild with Python writing bytecode: Sphinx's import of the site's
    # extension from the staged tree must still leave no __pycache__ there, or the next build
    # of changed sources would refuse the tree as holding a file no build wrote.
    into = tiny_run["project"].notebooks.parent
    out = into / "site"
    assert tiny_run["page_before"]
    assert tiny_run["run"][0] == 0, tiny_run["run"][2]
    assert tiny_run["pycache"] == []
    assert not (out / "notebooks" / "02_second.html").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "not the build's"
    assert (out / "empty").is_dir() and not any((out / "empty").iterdir())
    assert (out / "linked").is_symlink() and (out / "linked").resolve() == into / "elsewhere"
    assert (out / "hard.txt").stat().st_ino == (into / "original.txt").stat().st_ino
    assert (out / "notebooks" / "mine.txt").read_text(encoding="utf-8") == "kept"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert "notes.txt" not in manifest["files"] and "index.html" in manifest["files"]
    assert sorted(p.name for p in into.iterdir()) == sorted(
        ["data", "notebooks", "site", "work", "secret", "elsewhere", "original.txt"]
    )  # no temporary folder left beside the site


def test_failure_leaves_the_previous_site_byte_identical(
    warm: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    before = tree(out)
    package = json.loads((warm.data / "datapackage.json").read_text(encoding="utf-8"))
    package["resources"].append({"path": "broken.csv"})
    (warm.data / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    (warm.data / "broken.csv").symlink_to(tmp_path / "nowhere")
    (warm.notebooks / "03_third.ipynb").write_text("{ not json", encoding="utf-8")
    args = ["build", "--no-execute", "--out", str(out), "--figures", ""]
    args += ["--notebooks", str(warm.notebooks), "--data", str(warm.data)]
    args += ["--docs", str(warm.docs), "--work", str(warm.work)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("build failed: 03_third.ipynb: not a readable notebook")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    (warm.notebooks / "03_third.ipynb").unlink()
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("build failed: cannot read ") and "broken.csv" in err
    assert tree(out) == before


def test_command_line_usage_errors_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "albru", "build", "--notebooks", str(tmp_path / "none")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "no such notebooks folder" in done.stderr


def test_cite_prints_bibtex_for_software_and_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite"]) == 0
    text = capsys.readouterr().out
    package = json.loads((REPO / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert text.count("@") == 3 and "@misc{albru," in text
    assert f"Dataset, version {package['version']}, record as of {package['as_of']}" in text


def test_cache_key_follows_code_data_library_and_lock(tiny: Project, tmp_path: Path) -> None:
    path = tiny.notebooks / "01_first.ipynb"
    lock = tmp_path / "lock.txt"
    lock.write_text("a==1\n")
    key = notebooks.cache_key(path, tiny.data, lock)
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n\nMore prose."
    nb.cells[1].metadata["mystnb"] = {"figure": {"caption": "A caption"}}
    nbformat.write(nb, path)
    assert notebooks.cache_key(path, tiny.data, lock) == key  # prose and captions need no run
    nb.cells[1].source = "print(3)"
    nbformat.write(nb, path)
    assert (changed := notebooks.cache_key(path, tiny.data, lock)) != key
    (tiny.data / "extra.csv").write_text("b\n2\n")
    assert (data_changed := notebooks.cache_key(path, tiny.data, lock)) != changed
    lock.write_text("a==2\n")
    assert notebooks.cache_key(path, tiny.data, lock) != data_changed


def _work(tmp_path: Path) -> Owned:
    work = Owned(tmp_path / "work", build.WORK_MANIFEST, "work folder")
    work.claim()
    return work


def test_unchanged_notebooks_come_from_the_cache(
    tiny: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []

    def fake_run(text: str, name: str, cwd: Path) -> tuple[str | None, str]:
        assert cwd == tiny.notebooks  # the kernel starts beside the notebook, not in the cache
        runs.append(name)
        nb = nbformat.reads(text, as_version=4)
        nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
        nb.cells[1].execution_count = 1
        return None, nbformat.writes(nb)

    monkeypatch.setattr(notebooks, "_execute_text", fake_run)
    # other people's edits to albru/ while the test runs must not count as a change here
    monkeypatch.setattr(notebooks, "_inputs_digest", lambda data: notebooks._tree_digest(data))
    paths = notebooks.notebook_paths(tiny.notebooks)
    work = _work(tmp_path)
    first = notebooks.run_notebooks(paths, tiny.data, work, jobs=1, say=_quiet)
    assert runs == ["01_first.ipynb", "02_second.ipynb"]
    assert notebooks.text_of(first[paths[0]]["cells"][1]["outputs"][0]["text"]) == "ran\n"
    nb = nbformat.read(paths[0], as_version=4)
    nb.cells[0].source = "# First, renamed\n\nStill a question?"
    nbformat.write(nb, paths[0])
    again = notebooks.run_notebooks(paths, tiny.data, work, jobs=1, say=_quiet)
    assert runs == ["01_first.ipynb", "02_second.ipynb"]  # nothing ran again
    assert notebooks.text_of(again[paths[0]]["cells"][0]["source"]).startswith("# First, renamed")
    assert notebooks.text_of(again[paths[0]]["cells"][1]["outputs"][0]["text"]) == "ran\n"
    assert paths[0].read_bytes() == _bytes_after_write(nb)  # the notebook file is untouched


def _bytes_after_write(nb: nbformat.NotebookNode) -> bytes:
    return (nbformat.writes(nb) + "\n").encode("utf-8")


def test_failing_cell_stops_the_build_naming_notebook_cell_and_error(tiny_run: dict) -> None:
    status, _, err = tiny_run["fail"]  # tests/tiny_project.py's fail_then_run, --jobs 1
    assert status == 1
    first_line = err.splitlines()[0]
    assert first_line == ("build failed: 02_second.ipynb: cell 4 failed: ZeroDivisionError: "
                          "division by zero")
    assert "x / 0" in err
    assert tiny_run["after_fail"] == tiny_run["before_fail"]


def test_a_dead_kernel_names_notebook_and_cell(tmp_path: Path) -> None:
    path = notebook(tmp_path / "01_dies.ipynb", "x = 1", "import os\nos._exit(1)", "x")
    with pytest.raises(BuildError, match=r"01_dies.ipynb: cell 3 failed: the kernel died"):
        notebooks.execute(path)


def test_the_builder_is_out_of_the_library_and_leaves_the_engine_unloaded(tmp_path: Path) -> None:
    # and a build of data other than albru's (no dyad-year panel) leaves pandas unloaded
    code = (
        "import sys, albru.cli, albru.citation, sitebuild.build, sitebuild.command; "
        "print(sorted({'nbconvert', 'nbclient', 'nbformat', 'sphinx', 'myst_nb'} "
        "& set(sys.modules))); from pathlib import Path; "
        "print(sitebuild.build._panel_csv(None, Path(sys.argv[1]), print), 'pandas' in sys.modules)"
    )
    path = [str(REPO / "tools"), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          text=True, check=True, env=env)  # fmt: skip
    assert done.stdout.splitlines() == ["[]", "None False"]
    library = REPO / "albru"
    assert not (library / "site.py").exists()
    for path in library.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from) (sphinx|myst_nb|myst_parser|docutils)\b", text,
                             flags=re.MULTILINE), path  # fmt: skip


def test_the_sphinx_child_stands_in_for_every_execution_cache_module_myst_nb_imports() -> None:
    """The child replaces jupyter-cache by stand-ins (see sphinx.EXECUTION_CACHE): only safe
    while the site never lets MyST-NB execute, and while the stand-ins cover each of its
    imports (a module missing from them would be loaded for real, or break the import)."""
    import importlib.util

    assert re.search(r'^nb_execution_mode = "off"', (REPO / "docs" / "conf.py").read_text(
        encoding="utf-8"), flags=re.MULTILINE)  # fmt: skip
    package = Path(importlib.util.find_spec("myst_nb").origin).parent
    imported = set()
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        imported |= set(re.findall(r"^\s*from (jupyter_cache[\w.]*) import", text, re.MULTILINE))
        imported |= set(re.findall(r"^\s*import (jupyter_cache[\w.]*)", text, re.MULTILINE))
    assert imported and imported <= set(sphinx.EXECUTION_CACHE)
    with pytest.raises(RuntimeError, match="must not execute"):
        sphinx.unused_module("jupyter_cache.cache.db").NbProjectRecord()


def test_without_the_engine_the_build_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tiny: Project, tmp_path: Path
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "sphinx" else real(name, *a)
    )
    with pytest.raises(BuildError, match=r"pip install 'albru\[notebooks\]'.*sphinx"):
        build_site(tiny, tmp_path / "site", execute_notebooks=False, say=_quiet)
    assert not (tmp_path / "site").exists()


def test_network_and_link_checks_catch_what_a_reader_would_hit(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<img src="https://cdn.example/i.png"><script src="//cdn.example/x.js"></script>'
        '<link rel="stylesheet" href="http://cdn.example/s.css">'
        '<a href="https://example.org/">a plain link is fine</a>'
        '<a href="gone.html">x</a><a href="a.html#no">y</a>',
        encoding="utf-8",
    )
    (tmp_path / "s.css").write_text("body { background: url(https://cdn.example/bg.png); }")
    assert len(network_fetches(tmp_path)) == 4
    assert len(broken_links(tmp_path)) == 2


def test_two_builds_at_once_take_turns(warm: Project, tmp_path: Path) -> None:
    out = tmp_path / "other"
    errors: list[BaseException] = []

    def run() -> None:
        try:
            build_site(warm, out, execute_notebooks=False, say=_quiet)
        except BaseException as err:  # noqa: BLE001 - collected for the assertion below
            errors.append(err)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert all((out / rel).is_file() for rel in manifest["files"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "data", "notebooks", "other", "secret", "site", "work"]


def test_after_a_failure_only_the_failed_notebook_runs_again(
    tiny: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []
    failing = {"02_second.ipynb"}

    def fake_run(text: str, name: str, cwd: Path) -> tuple[str | None, str]:
        runs.append(name)
        if name in failing:
            return f"{name}: cell 2 failed: ValueError: no", ""
        return None, text

    monkeypatch.setattr(notebooks, "_execute_text", fake_run)
    monkeypatch.setattr(notebooks, "_inputs_digest", lambda data: notebooks._tree_digest(data))
    paths, work = notebooks.notebook_paths(tiny.notebooks), _work(tmp_path)
    with pytest.raises(BuildError, match="02_second.ipynb: cell 2 failed"):
        notebooks.run_notebooks(paths, tiny.data, work, jobs=1, say=_quiet)
    failing.clear()
    notebooks.run_notebooks(paths, tiny.data, work, jobs=1, say=_quiet)
    assert runs == ["01_first.ipynb", "02_second.ipynb", "02_second.ipynb"]
    assert sorted(p.suffix for p in (work.root / "cache").iterdir()) == [".ipynb", ".ipynb"]


# --- hostile: what a build must never do to files it did not make ---------------------------


def test_a_build_into_a_new_empty_folder_works(warm: Project, tmp_path: Path) -> None:
    out = tmp_path / "fresh"
    out.mkdir()
    build_site(warm, out, execute_notebooks=False, say=_quiet)
    assert (out / "index.html").is_file() and not out.is_symlink()
    assert tree(out).keys() - {out / MANIFEST} == {
        out / p.relative_to(tmp_path / "site") for p in tree(tmp_path / "site")
    } - {out / MANIFEST}


def test_a_failing_figures_step_leaves_site_and_figures_as_they_were(
    warm: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(notebooks: dict, figures: Path | None) -> object:
        def write() -> None:
            raise BuildError("figures: disk full")

        return write

    monkeypatch.setattr(build, "_figures_step", failing)
    with pytest.raises(BuildError, match="disk full"):
        build_site(warm, tmp_path / "fresh", tmp_path / "figs", execute_notebooks=False,
                   say=_quiet)  # fmt: skip
    assert not (tmp_path / "fresh").exists()  # the site was not swapped in
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # nothing left over


def test_a_swap_killed_halfway_is_finished_by_the_next_build(warm: Project, tmp_path: Path) -> None:
    """A build killed between the exchange and the clean-up leaves the old site, with a file of
    the user's, in a hidden folder beside ``out``: the next build moves the file back."""
    out = tmp_path / "site"
    leftover = tmp_path / ".site.albru-killed"
    shutil.copytree(out, leftover, symlinks=True)
    (leftover / "mine.txt").write_text("the user's", encoding="utf-8")
    said: list[str] = []
    build_site(warm, out, execute_notebooks=False, say=said.append)
    assert (out / "mine.txt").read_text(encoding="utf-8") == "the user's"
    assert not leftover.exists()
    assert any(line.startswith("recovering") and str(leftover) in line for line in said)


def test_out_is_never_missing_while_a_new_site_is_swapped_in(warm: Project, tmp_path: Path) -> None:
    out = tmp_path / "site"
    before = out.stat().st_ino
    seen: list[bool] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            seen.append(build.is_real_dir(out))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            build._publish(warm.work / "html", out, "a digest", lambda: None, _quiet)
    finally:
        done.set()
        watcher.join()
    assert seen and all(seen)
    assert out.stat().st_ino != before and not out.is_symlink()
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_removing_a_site_deletes_only_what_a_build_wrote(warm: Project, tmp_path: Path) -> None:
    """``make clean``: the build's files go; a file of the user's, and a folder whose manifest
    is forged (``{}``), stay whole."""
    out = tmp_path / "site"
    (out / "notebooks" / "mine.txt").write_text("kept", encoding="utf-8")
    build.remove_site(out, say=_quiet)
    assert tree(out) == {out / "notebooks" / "mine.txt": b"kept"}
    forged = tmp_path / "forged"
    forged.mkdir()
    (forged / MANIFEST).write_text("{}", encoding="utf-8")
    (forged / "index.html").write_text("my page", encoding="utf-8")
    build.remove_site(forged, say=_quiet)
    assert (forged / "index.html").read_text(encoding="utf-8") == "my page"
