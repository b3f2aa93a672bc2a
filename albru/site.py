"""Build the static site readers open: the numbered notebooks run afresh and rendered to HTML.

Every page works offline: images are embedded as data URIs and the scripts that nbconvert's
default template loads from CDNs (require.js, MathJax, mermaid) are left out. The index page
holds one card per notebook (its question and a thumbnail of its main figure), the data card
and links to the data files, which are copied into the site.

The main figure of a notebook is the last PNG output of the cells tagged ``main-figure``, or,
when no cell carries that tag, the last PNG output of the notebook.

nbclient and nbconvert are imported inside the functions that need them, so that
``import albru`` stays light.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: The notebooks that make up the report, in file-name order.
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
#: Tag a code cell with this to pick its last PNG as the notebook's main figure.
MAIN_FIGURE_TAG = "main-figure"
#: Seconds a single cell may run before the build gives up.
CELL_TIMEOUT = 600

# nbconvert's lab template without the scripts it would fetch from CDNs, plus navigation.
# Printed text keeps its lines (wide tables scroll sideways instead of wrapping mid-row).
_PAGE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style>
body.jp-Notebook main { max-width: 72rem; margin: 0 auto; }
body.jp-Notebook .jp-OutputArea-output pre { white-space: pre; word-break: normal;
  overflow-wrap: normal; }
nav.albru-nav { max-width: 72rem; margin: 0 auto; padding: 0.75rem 1rem 0;
  font-family: system-ui, sans-serif; font-size: 0.95rem; }
nav.albru-nav a { color: #0072B2; }
nav.albru-footer { display: flex; justify-content: space-between; padding: 1.5rem 1rem 2rem;
  border-top: 1px solid #dde; margin-top: 1.5rem; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="albru-nav">{{ resources.albru_top }}</nav>
{%- endblock body_header -%}
{%- block body_footer -%}
<nav class="albru-nav albru-footer">{{ resources.albru_bottom }}</nav>
{{ super() }}
{%- endblock body_footer -%}
"""

_INDEX_CSS = """
body { font-family: system-ui, sans-serif; line-height: 1.5; color: #222; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { margin-bottom: 0.25rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: 1rem; margin: 1rem 0 2rem; }
.card { border: 1px solid #ccd; border-radius: 6px; padding: 0.75rem; background: #fafbfc; }
.card h3 { margin: 0 0 0.4rem; font-size: 1.05rem; }
.card img { width: 100%; height: auto; border: 1px solid #e3e3e8; background: white; }
.card p { margin: 0.4rem 0; }
a { color: #0072B2; }
.datacard h3 { margin-top: 1.5rem; }
.datacard summary { cursor: pointer; font-weight: 600; color: #0072B2; margin: 0.5rem 0; }
.datacard table { border-collapse: collapse; font-size: 0.9rem; }
.datacard th, .datacard td { border: 1px solid #dde; padding: 0.2rem 0.5rem; text-align: left; }
.anchor-link { display: none; }
.files td { padding: 0.15rem 0.75rem 0.15rem 0; vertical-align: top; }
"""

_INTRO = (
    "albru is a Python research package on the relations between Albania and Russia "
    "(the Russian Empire, the Soviet Union and the Russian Federation) from 1912 to today. "
    "It holds a curated dataset of dated events, memberships, alignments and eras, coded "
    "with the conventions of international-relations event data and traced to their "
    "sources; a small library that loads and checks it; and the numbered notebooks below, "
    "each of which asks one question of the data."
)
_PROVENANCE = {
    True: "Every page shows the outputs of running its notebook afresh (<code>albru build</code>).",
    False: "Every page shows its notebook's committed outputs, rendered without running it.",
}


class BuildError(Exception):
    """A notebook could not be executed; the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class Page:
    """One rendered notebook: where it came from and what its card on the index shows."""

    source: Path
    html_name: str
    title: str
    question: str
    figure: bytes | None


def notebook_paths(notebooks_dir: Path) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``) in ``notebooks_dir``, in file-name order.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for name in ["02_b.ipynb", "01_a.ipynb", "scratch.ipynb"]:
    ...     _ = (d / name).write_text("{}")
    >>> [p.name for p in notebook_paths(d)]
    ['01_a.ipynb', '02_b.ipynb']
    """
    return sorted(Path(notebooks_dir).glob(NOTEBOOK_GLOB))


def execute(path: Path, timeout: int = CELL_TIMEOUT) -> NotebookNode:
    """Run a copy of the notebook at ``path`` in a fresh kernel; the file itself is untouched.

    The kernel starts in the notebook's folder with ``PYTHONHASHSEED=0`` and ``TZ=UTC`` unless
    the environment sets them. Raises BuildError on the first failing cell.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellControlSignal, DeadKernelError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no transport warnings on stderr
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    # The same fixed hash seed and time zone as `make test`, unless the caller chose others.
    env = {"PYTHONHASHSEED": "0", "TZ": "UTC", **os.environ}
    try:
        client.execute(env=env)
    except (CellControlSignal, DeadKernelError) as err:
        raise BuildError(_failure_message(path, nb, err)) from None
    return nb


def _failure_message(path: Path, nb: NotebookNode, err: Exception) -> str:
    """Name the notebook, the failing cell (1-based, counting all cells), its source and error."""
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return (
                    f"{path.name}: cell {number} failed\n"
                    f"--- cell {number} source ---\n{cell.source}\n"
                    f"--- error ---\n{output.ename}: {output.evalue}"
                )
    return f"{path.name}: execution failed: {_strip_ansi(str(err))}"


def _strip_ansi(text: str) -> str:
    r"""Remove terminal colour codes.

    >>> _strip_ansi("\x1b[0;31mValueError\x1b[0m: bad")
    'ValueError: bad'
    """
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def title_and_question(nb: NotebookNode, fallback: str) -> tuple[str, str]:
    """The first heading and the question of the notebook's first markdown cell.

    The question is the first paragraph holding a ``?``, up to its last ``?``, else the first
    paragraph that is not a heading; ``fallback`` stands in for a missing heading.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# Eras\\n\\nSome context.\\n\\nDid the ties **break** in 1961? We count.")])
    >>> title_and_question(nb, "01_eras")
    ('Eras', 'Did the ties **break** in 1961?')
    """
    cell = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if cell is None:
        return fallback, ""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", cell.source) if b.strip()]
    headings = [b for b in blocks if b.startswith("#")]
    title = headings[0].splitlines()[0].lstrip("#").strip() if headings else fallback
    paragraphs = [b for b in blocks if not b.startswith("#")]
    asking = [p[: p.rindex("?") + 1] for p in paragraphs if "?" in p]
    question = (asking or paragraphs or [""])[0]
    return title, question


def main_figure(nb: NotebookNode) -> bytes | None:
    """The PNG bytes of the notebook's main figure, or None when it shows no PNG.

    >>> import nbformat
    >>> png = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="})
    >>> cell = nbformat.v4.new_code_cell("plot()", outputs=[png])
    >>> main_figure(nbformat.v4.new_notebook(cells=[cell]))[:4]
    b'\\x89PNG'
    """
    cells = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in cells if MAIN_FIGURE_TAG in c.metadata.get("tags", [])]
    pngs = [
        out["data"]["image/png"]
        for cell in (tagged or cells)
        for out in cell.get("outputs", [])
        if "image/png" in out.get("data", {})
    ]
    return base64.b64decode(pngs[-1]) if pngs else None


def render_page(
    nb: NotebookNode,
    title: str,
    relinks: dict[str, str] | None = None,
    top: str = "",
    bottom: str = "",
) -> str:
    """The notebook as one self-contained HTML page: images embedded, no script from the network.

    ``relinks`` maps link targets as written in the notebook to their place in the site;
    ``top`` and ``bottom`` are HTML navigation shown above and below the notebook.
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    exporter = HTMLExporter(
        extra_loaders=[DictLoader({"albru_page.html.j2": _PAGE_TEMPLATE})],
        template_file="albru_page.html.j2",
        embed_images=True,
    )
    # one block per run of printed text, however the kernel split it into messages
    exporter.register_preprocessor(CoalesceStreamsPreprocessor, enabled=True)
    resources = {"metadata": {"name": title}, "albru_top": top, "albru_bottom": bottom}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _relink(body, relinks or {})


def _navigation(pages: list[Page], i: int) -> tuple[str, str]:
    """The links above (home, the .ipynb) and below (previous, next) the i-th page."""
    page = pages[i]
    top = (
        '<a href="index.html">&larr; albru: all notebooks and the data</a> &middot; '
        f'<a href="notebooks/{page.source.name}" download>this notebook as .ipynb</a>'
    )
    before = pages[i - 1] if i > 0 else None
    after = pages[i + 1] if i + 1 < len(pages) else None
    bottom = "".join(
        f'<a href="{p.html_name}">{arrow}{html.escape(p.title)}{tail}</a>' if p else "<span></span>"
        for p, arrow, tail in [(before, "&larr; ", ""), (after, "", " &rarr;")]
    )
    return top, bottom


def _relink(page: str, relinks: dict[str, str]) -> str:
    """Point ``href`` targets that are keys of ``relinks`` at their values.

    >>> _relink('<a href="02_b.ipynb#x">b</a>', {"02_b.ipynb": "02_b.html"})
    '<a href="02_b.html#x">b</a>'
    """

    def swap(match: re.Match[str]) -> str:
        target, fragment = match.group(2), match.group(3) or ""
        return f'{match.group(1)}{relinks.get(target, target)}{fragment}"'

    return re.sub(r'(href=")([^"#]*)(#[^"]*)?"', swap, page)


def markdown_html(text: str) -> str:
    """Markdown rendered to HTML with the renderer nbconvert uses for notebook cells.

    >>> markdown_html("A *data* card").strip()
    '<p>A <em>data</em> card</p>'
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _data_card_html(data_dir: Path) -> str:
    """data/README.md as HTML one heading level down, relative links pointing into data/.

    The card's opening (up to its first section) shows; the sections fold into a details box.
    """
    readme = data_dir / "README.md"
    if not readme.exists():
        return "<p>The data folder has no README.md.</p>"
    card = markdown_html(readme.read_text(encoding="utf-8"))
    card = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m[1]}h{int(m[2]) + 1}", card)
    card = re.sub(r'(href|src)="(?![a-z][a-z0-9+.-]*:|#|/)([^"]*)"', r'\1="data/\2"', card)
    intro, rest = card.split("<h3", 1) if "<h3" in card else (card, "")
    if not rest:
        return intro
    return f"{intro}<details><summary>The full data card</summary>\n<h3{rest}</details>"


def _data_files(data_dir: Path) -> list[tuple[str, str]]:
    """(file name, what it holds) for the schema, each table in schema order, then the rest."""
    files = {"datapackage.json": "The schema: fields, types, keys and codes of every table."}
    package = data_dir / "datapackage.json"
    if package.exists():
        for resource in json.loads(package.read_text(encoding="utf-8")).get("resources", []):
            text = resource.get("description") or resource.get("title") or ""
            rows = _count_rows(data_dir / resource["path"])
            files[resource["path"]] = f"{rows} rows. {text.split('. ')[0].rstrip('.')}."
    files["README.md"] = "The data card, shown above."
    names = [n for n in files if (data_dir / n).is_file()]
    names += sorted(p.name for p in data_dir.iterdir() if p.is_file() and p.name not in files)
    return [(name, files.get(name, "")) for name in names]


def _count_rows(path: Path) -> int:
    """Data rows of a CSV file (records, not lines: a quoted field may hold a newline)."""
    if not path.is_file():
        return 0
    with path.open(newline="", encoding="utf-8") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def render_index(pages: Iterable[Page], data_dir: Path, executed: bool = True) -> str:
    """The site's front page: what albru is, a card per notebook, the data card and files."""
    cards = []
    for page in pages:
        thumb = ""
        if page.figure is not None:
            uri = "data:image/png;base64," + base64.b64encode(page.figure).decode("ascii")
            alt = html.escape(f"Main figure of {page.title}")
            thumb = f'<a href="{page.html_name}"><img src="{uri}" alt="{alt}"></a>'
        cards.append(
            f'<div class="card"><h3><a href="{page.html_name}">{html.escape(page.title)}</a></h3>'
            f"{thumb}{markdown_html(page.question)}"
            f'<p><a href="{page.html_name}">Read the notebook &rarr;</a></p></div>'
        )
    rows = "".join(
        f'<tr><td><a href="data/{name}">{name}</a></td><td>{html.escape(text)}</td></tr>'
        for name, text in _data_files(data_dir)
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>albru: Albania and Russia, 1912 to today</title>\n<style>{_INDEX_CSS}</style>\n"
        "</head>\n<body>\n<main>\n<h1>albru: Albania and Russia, 1912 to today</h1>\n"
        f'<p>{_INTRO} {_PROVENANCE[executed]}</p>\n<h2>Notebooks</h2>\n<div class="cards">\n'
        + "\n".join(cards)
        + '\n</div>\n<h2>The data</h2>\n<section class="datacard">\n'
        + _data_card_html(data_dir)
        + '\n</section>\n<h3>Data files</h3>\n<table class="files">'
        + rows
        + "</table>\n</main>\n</body>\n</html>\n"
    )


def build_site(
    notebooks_dir: Path,
    out_dir: Path,
    data_dir: Path,
    figures_dir: Path | None = None,
    execute_notebooks: bool = True,
    progress: bool = True,
) -> list[Page]:
    """Run (or just read) every numbered notebook and write the site into ``out_dir``.

    Each notebook's main figure is also written to ``figures_dir/<notebook stem>.png``.
    Raises BuildError, before anything is written, on the first notebook that fails.
    """
    import nbformat
    from tqdm import tqdm

    paths = notebook_paths(notebooks_dir)
    if not paths:
        raise BuildError(f"no notebooks matching {NOTEBOOK_GLOB} in {notebooks_dir}")
    relinks = {p.name: p.stem + ".html" for p in paths}
    relinks.update({f"../data/{p.name}": f"data/{p.name}" for p in Path(data_dir).iterdir()})
    notebooks = []
    bar = tqdm(paths, desc="notebooks", unit="nb", disable=not progress)
    for path in bar:
        bar.set_postfix_str(path.name)
        notebooks.append(execute(path) if execute_notebooks else nbformat.read(path, as_version=4))
    pages = []
    for path, nb in zip(paths, notebooks, strict=True):
        title, question = title_and_question(nb, path.stem)
        pages.append(Page(path, path.stem + ".html", title, question, main_figure(nb)))
    bodies = [
        render_page(nb, page.title, relinks, *_navigation(pages, i))
        for i, (page, nb) in enumerate(zip(pages, notebooks, strict=True))
    ]

    out_dir = Path(out_dir)
    _remove_previous_build(out_dir)
    (out_dir / "notebooks").mkdir(parents=True)
    for page, nb, body in zip(pages, notebooks, bodies, strict=True):
        (out_dir / page.html_name).write_text(body, encoding="utf-8")
        nbformat.write(nb, out_dir / "notebooks" / page.source.name)
    shutil.copytree(data_dir, out_dir / "data", dirs_exist_ok=True)
    (out_dir / "index.html").write_text(
        render_index(pages, Path(data_dir), execute_notebooks), encoding="utf-8"
    )
    if figures_dir is not None:
        write_figures(pages, Path(figures_dir))
    return pages


def _remove_previous_build(out_dir: Path) -> None:
    """Delete what an earlier build wrote (pages, notebooks, data), so no stale page survives.

    Only names the build itself writes are touched; other files in ``out_dir`` stay.
    """
    for page in [*out_dir.glob("[0-9][0-9]_*.html"), out_dir / "index.html"]:
        page.unlink(missing_ok=True)
    for folder in ("notebooks", "data"):
        if (out_dir / folder).is_dir():
            shutil.rmtree(out_dir / folder)


def write_figures(pages: Iterable[Page], figures_dir: Path) -> list[Path]:
    """Write each page's main figure to ``figures_dir/<stem>.png``; skip unchanged files."""
    figures_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for page in pages:
        if page.figure is None:
            continue
        target = figures_dir / (page.source.stem + ".png")
        if not target.exists() or target.read_bytes() != page.figure:
            target.write_bytes(page.figure)
        written.append(target)
    return written


# --- comparing outputs the way nbval does -------------------------------------------------

#: Output keys nbval leaves out of the comparison (it skips image bytes, but compares text).
_SKIP_COMPARE = frozenset(
    {
        "metadata",
        "traceback",
        "prompt_number",
        "output_type",
        "name",
        "execution_count",
        "application/vnd.jupyter.widget-view+json",
        "image/png",
        "image/jpeg",
    }
)
_SKIP_MARKERS = {"NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION"}
_SKIP_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception"}


def sanitize_patterns(config_text: str) -> list[tuple[str, str]]:
    """The (regex, replacement) pairs of an nbval sanitize file, read the way nbval reads them.

    >>> sanitize_patterns("[time]\\nregex: \\\\d+ s\\nreplace: N s\\n")
    [('\\\\d+ s', 'N s')]
    """
    return re.findall(r"^regex: (.*)$\n^replace: (.*)$", config_text, flags=re.MULTILINE)


def _comparable(outputs: list[dict[str, Any]], patterns: list[tuple[str, str]]) -> dict:
    """Outputs flattened as nbval compares them: streams merged, keys skipped, text sanitized."""
    streams: dict[str, str] = {}
    flat: dict[str, list[Any]] = defaultdict(list)
    for out in outputs:
        if out.get("output_type") == "stream":
            streams[out["name"]] = streams.get(out["name"], "") + out["text"]
            continue
        for key, value in out.items():
            if key == "data":
                for mime, content in value.items():
                    if mime not in _SKIP_COMPARE:
                        flat[mime].append(_sanitize(content, patterns))
            elif key not in _SKIP_COMPARE:
                flat[key].append(_sanitize(value, patterns))
    for name, text in streams.items():
        text = re.sub(r"^.*\r(?=[^\n])", "", text, flags=re.MULTILINE)
        flat[name].append(_sanitize(text, patterns))
    return dict(flat)


def _sanitize(value: Any, patterns: list[tuple[str, str]]) -> Any:
    if not isinstance(value, str):
        return value
    for regex, replacement in patterns:
        value = re.sub(regex, replacement, value)
    return value


def _compared(cell: NotebookNode) -> bool:
    """False for cells nbval would not compare (skip and ignore-output markers or tags)."""
    comments = {line.strip().lstrip("#").strip() for line in cell.source.splitlines()}
    tags = set(cell.metadata.get("tags", []))
    return not (comments & _SKIP_MARKERS or tags & _SKIP_TAGS)


def output_changes(
    committed: NotebookNode, fresh: NotebookNode, patterns: list[tuple[str, str]]
) -> list[str]:
    """One line per code cell whose fresh outputs differ from the committed ones.

    >>> import nbformat
    >>> def nb(text):
    ...     out = nbformat.v4.new_output("stream", name="stdout", text=text)
    ...     return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("f()", outputs=[out])])
    >>> output_changes(nb("took 3 s\\n"), nb("took 4 s\\n"), [(r"\\d+ s", "N s")])
    []
    >>> output_changes(nb("12 events\\n"), nb("13 events\\n"), [])
    ['cell 1: stdout was "12 events\\\\n", now "13 events\\\\n"']
    """
    changes = []
    pairs = zip(committed.cells, fresh.cells, strict=True)
    for number, (old, new) in enumerate(pairs, start=1):
        if old.cell_type != "code" or not _compared(old):
            continue
        before = _comparable(old.get("outputs", []), patterns)
        after = _comparable(new.get("outputs", []), patterns)
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                was, now = before.get(key, ["(none)"]), after.get(key, ["(none)"])
                changes.append(f"cell {number}: {key} was {_short(was)}, now {_short(now)}")
    return changes


def _short(values: list[Any], width: int = 160) -> str:
    """The values as one short quoted line."""
    text = json.dumps("".join(map(str, values)) if len(values) == 1 else values)
    return text if len(text) <= width else text[: width - 3] + "..."


def check_notebooks(
    notebooks_dir: Path, sanitize_file: Path | None, progress: bool = True
) -> dict[str, list[str]]:
    """Re-execute every numbered notebook; map each notebook whose outputs would change to how."""
    import nbformat
    from tqdm import tqdm

    patterns = []
    if sanitize_file is not None and Path(sanitize_file).exists():
        patterns = sanitize_patterns(Path(sanitize_file).read_text(encoding="utf-8"))
    changed = {}
    bar = tqdm(notebook_paths(notebooks_dir), desc="checking", unit="nb", disable=not progress)
    for path in bar:
        bar.set_postfix_str(path.name)
        committed = nbformat.read(path, as_version=4)
        fresh = execute(path)
        changes = output_changes(committed, fresh, patterns)
        if changes:
            changed[path.name] = changes
    return changed
