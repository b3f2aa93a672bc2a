"""The static site: pages per notebook, embedded images, working links, nothing from the network."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from albru import site

REPO = Path(__file__).resolve().parent.parent


class _Refs(HTMLParser):
    """Collects (tag, attribute, value) for every src and href in a page, and every id."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value is not None:
                self.refs.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)


def _parse(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def site_problems(out: Path) -> list[str]:
    """Every image not embedded, network script or stylesheet, and broken internal link."""
    problems = []
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if re.search(r"url\(\s*['\"]?(https?:)?//|@import", text):
            problems.append(f"{page.name}: a stylesheet fetches from the network")
        refs = _parse(page)
        for tag, _attr, value in refs.refs:
            parts = urlsplit(value)
            if tag == "img" and not value.startswith("data:image/"):
                problems.append(f"{page.name}: image not embedded: {value[:60]}")
            elif tag in {"script", "link"} and parts.scheme in {"http", "https", ""}:
                problems.append(f"{page.name}: {tag} loads {value}")
            elif tag == "a" and not parts.scheme and not value.startswith("//"):
                target = out / unquote(parts.path) if parts.path else page
                if not target.is_file():
                    problems.append(f"{page.name}: broken link {value}")
                elif target.suffix == ".html" and parts.fragment not in _parse(target).ids | {""}:
                    problems.append(f"{page.name}: missing anchor {value}")
    return problems


def _notebook(path: Path, source: str, intro: str, tags: list[str] | None = None) -> Path:
    """Write a two-cell notebook: a markdown introduction and one code cell."""
    code = nbformat.v4.new_code_cell(source)
    if tags:
        code.metadata["tags"] = tags
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(intro), code])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


PLOT = (
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(figsize=(2, 1))\nax.plot([0, {n}])\nplt.show()\nprint('value', {n})"
)


@pytest.fixture
def project(tmp_path: Path) -> dict[str, Path]:
    """Two tiny numbered notebooks (one linking the other and the data), a scratch one, data."""
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _notebook(
        nbs / "01_first.ipynb",
        PLOT.format(n=1),
        "# First\n\nWhat does one look like?\n\nSee [the second](02_second.ipynb) and "
        "[the events](../data/events.csv).",
    )
    _notebook(nbs / "02_second.ipynb", PLOT.format(n=2), "# Second\n\nAnd two?")
    _notebook(nbs / "scratch.ipynb", "raise SystemExit", "# Not part of the site")
    data = tmp_path / "data"
    data.mkdir()
    (data / "events.csv").write_text("event_id,date\ne1,1912\n", encoding="utf-8")
    (data / "README.md").write_text("# Data card\n\nThe [events](events.csv).\n", encoding="utf-8")
    return {"notebooks": nbs, "data": data, "out": tmp_path / "site", "figs": tmp_path / "figs"}


def test_build_executes_and_renders_one_page_per_notebook(project: dict[str, Path]) -> None:
    before = {p: p.read_bytes() for p in project["notebooks"].iterdir()}
    pages = site.build_site(
        project["notebooks"], project["out"], project["data"], project["figs"], progress=False
    )
    out = project["out"]
    assert sorted(p.name for p in out.glob("*.html")) == [
        "01_first.html",
        "02_second.html",
        "index.html",
    ]
    assert [p.question for p in pages] == ["What does one look like?", "And two?"]
    # executed afresh: the never-run committed notebooks have no outputs, the pages do
    assert "value 2" in (out / "02_second.html").read_text(encoding="utf-8")
    assert {p: p.read_bytes() for p in project["notebooks"].iterdir()} == before
    assert site_problems(out) == []  # includes the .ipynb download and previous/next links
    assert nbformat.read(out / "notebooks" / "02_second.ipynb", as_version=4).cells[1].outputs
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<img src="data:image/png;base64,') == 2
    assert "What does one look like?" in index and "Data card" in index
    assert "running its notebook afresh" in index
    assert (out / "data" / "events.csv").is_file()
    assert sorted(p.name for p in project["figs"].iterdir()) == ["01_first.png", "02_second.png"]
    assert (project["figs"] / "02_second.png").read_bytes() == pages[1].figure


def test_rebuild_leaves_no_page_of_a_removed_notebook(project: dict[str, Path]) -> None:
    extra = _notebook(project["notebooks"] / "03_extra.ipynb", "print(3)", "# Extra\n\nThree?")
    args = (project["notebooks"], project["out"], project["data"])
    site.build_site(*args, execute_notebooks=False, progress=False)
    assert (project["out"] / "03_extra.html").is_file()
    extra.unlink()
    (project["out"] / "notes.txt").write_text("not the build's", encoding="utf-8")
    site.build_site(*args, execute_notebooks=False, progress=False)
    names = sorted(p.name for p in project["out"].rglob("*") if p.suffix in {".html", ".ipynb"})
    assert names == [
        "01_first.html", "01_first.ipynb", "02_second.html", "02_second.ipynb", "index.html"
    ]  # fmt: skip
    assert (project["out"] / "notes.txt").is_file()
    assert site_problems(project["out"]) == []


def test_failing_notebook_stops_the_build_naming_cell_and_error(
    project: dict[str, Path],
) -> None:
    _notebook(project["notebooks"] / "02_second.ipynb", "x = 1\n1 / 0", "# Broken")
    with pytest.raises(site.BuildError, match=r"(?s)02_second.ipynb: cell 2.*1 / 0.*ZeroDivision"):
        site.build_site(project["notebooks"], project["out"], project["data"], progress=False)
    assert not project["out"].exists()


def test_render_without_executing_uses_committed_outputs(project: dict[str, Path]) -> None:
    for path in site.notebook_paths(project["notebooks"]):
        nb = nbformat.read(path, as_version=4)
        out = nbformat.v4.new_output("stream", name="stdout", text=f"committed {path.stem}\n")
        nb.cells[1].outputs = [out]
        nbformat.write(nb, path)
    site.build_site(
        project["notebooks"],
        project["out"],
        project["data"],
        execute_notebooks=False,
        progress=False,
    )
    assert "committed 01_first" in (project["out"] / "01_first.html").read_text(encoding="utf-8")
    assert "committed outputs" in (project["out"] / "index.html").read_text(encoding="utf-8")
    assert site_problems(project["out"]) == []


def test_site_problems_catches_what_a_reader_would_hit(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(
        '<img src="fig.png"><script src="https://cdn.example/x.js"></script>'
        '<link href="http://cdn.example/s.css"><a href="gone.html">x</a><a href="a.html#no">y</a>'
        "<style>body { background: url(https://cdn.example/bg.png); }</style>",
        encoding="utf-8",
    )
    assert len(site_problems(tmp_path)) == 6


def test_check_reports_changed_outputs_only(project: dict[str, Path], tmp_path: Path) -> None:
    sanitize = tmp_path / "sanitize.cfg"
    (project["notebooks"] / "01_first.ipynb").unlink()  # one notebook keeps the test quick
    sanitize.write_text("[figure]\nregex: <Figure size \\d+x\\d+.*>\nreplace: <Figure>\n")
    for path in site.notebook_paths(project["notebooks"]):
        nbformat.write(site.execute(path), path)
    assert site.check_notebooks(project["notebooks"], sanitize, progress=False) == {}
    stale = project["notebooks"] / "02_second.ipynb"
    nb = nbformat.read(stale, as_version=4)
    stream = next(o for o in nb.cells[1].outputs if o.output_type == "stream")
    stream.text = "value 3\n"
    nbformat.write(nb, stale)
    changed = site.check_notebooks(project["notebooks"], sanitize, progress=False)
    assert list(changed) == ["02_second.ipynb"]
    assert "value 3" in changed["02_second.ipynb"][0]


def test_tagged_cell_gives_the_main_figure() -> None:
    def png_cell(payload: bytes, tags: list[str]) -> nbformat.NotebookNode:
        data = {"image/png": base64.b64encode(payload).decode()}
        cell = nbformat.v4.new_code_cell(
            "", outputs=[nbformat.v4.new_output("display_data", data=data)]
        )
        cell.metadata["tags"] = tags
        return cell

    nb = nbformat.v4.new_notebook(cells=[png_cell(b"main", ["main-figure"]), png_cell(b"x", [])])
    assert site.main_figure(nb) == b"main"
    nb.cells[0].metadata["tags"] = []
    assert site.main_figure(nb) == b"x"


def test_real_notebooks_render_offline_with_working_links(tmp_path: Path) -> None:
    """The committed notebooks, rendered as they are (no execution), make a sound site."""
    notebooks = site.notebook_paths(REPO / "notebooks")
    if not notebooks:
        pytest.skip("no numbered notebooks committed yet")
    pages = site.build_site(
        REPO / "notebooks",
        tmp_path / "site",
        REPO / "data",
        tmp_path / "figs",
        execute_notebooks=False,
        progress=False,
    )
    assert len(pages) == len(notebooks)
    assert [p.source.name for p in pages if not (p.question and p.figure)] == []
    assert site_problems(tmp_path / "site") == []


def test_importing_albru_site_leaves_nbconvert_and_nbclient_unloaded() -> None:
    code = (
        "import sys, albru.cli, albru.site; print("
        "sorted({'nbconvert', 'nbclient'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_printed_text_split_by_the_kernel_shows_as_one_block() -> None:
    outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=text) for text in ["same:", " True\n"]
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(...)", outputs=outputs)])
    page = site.render_page(nb, "t")
    assert "same: True" in page
    assert len(nb.cells[0].outputs) == 2  # the notebook itself is left as it was


def test_each_notebook_has_its_main_figure_in_docs_figures() -> None:
    """The README shows docs/figures/<notebook>.png; `albru build` writes them."""
    stems = [p.stem for p in site.notebook_paths(REPO / "notebooks")]
    missing = [s for s in stems if not (REPO / "docs" / "figures" / f"{s}.png").is_file()]
    assert missing == [], "run `albru build` (make report) and commit docs/figures/"
    for stem in stems:
        assert (REPO / "docs" / "figures" / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
