"""The Sphinx extension of the albru site (loaded by ``docs/conf.py`` as ``albru_site``).

It shows raw HTML written in Markdown as text, lets a reader open each notebook figure full
size, and provides the ``albru-notebooks`` (a card per notebook), ``albru-downloads`` (the
files offered for download) and ``albru-cite`` (BibTeX) directives. The site build
(``tools/sitebuild``) runs Sphinx with the helpers that read notebooks on its path.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sitebuild.notebooks import figure_text, notebook_paths, read_notebook, title_and_question


def _escape_raw_html(app: Any, doctree: Any) -> None:
    """Show raw HTML written in Markdown (pages, notebook prose, the data card) as text.

    Notebook outputs (pandas tables and the like) are the library's own HTML and stay.
    """
    from docutils import nodes

    for node in list(doctree.findall(nodes.raw)):
        if "output" in node.get("classes", []) or "html" not in node.get("format", ""):
            continue
        if re.fullmatch(r"\s*<!--.*?-->\s*", node.astext(), flags=re.DOTALL):
            node.parent.remove(node)  # a comment shows nothing either way
            continue
        text = nodes.literal(node.astext(), node.astext())
        if isinstance(node.parent, nodes.TextElement):
            node.replace_self(text)
        else:
            node.replace_self(nodes.paragraph("", "", text))


def _link_figures(app: Any, doctree: Any) -> None:
    """Let a reader open each notebook figure full size: Sphinx links an image to its file when
    the image has a width, so output images get ``width: 100%`` (the column's width)."""
    from docutils import nodes

    for image in doctree.findall(nodes.image):
        parent, in_output = image.parent, False
        while parent is not None:
            if "cell_output" in parent.get("classes", []):
                in_output = True
                break
            parent = parent.parent
        if in_output and not any(image.get(k) for k in ("width", "height", "scale")):
            image["width"] = "100%"


def _relative(app: Any, docname: str, target: str) -> str:
    """A URL from the page ``docname`` to ``target`` (a path from the site root), quoted."""
    depth = docname.count("/")
    return "../" * depth + quote(target)


def _notebook_cards(app: Any, docname: str) -> list[Any]:
    """One entry per numbered notebook: linked title, its question, its main figure."""
    from docutils import nodes
    from sphinx import addnodes

    src = Path(app.srcdir)
    entries = []
    for path in notebook_paths(src / "notebooks"):
        nb = read_notebook(path)
        title, question = title_and_question(nb, path.stem)
        section = nodes.container(classes=["albru-card"])
        heading = nodes.paragraph(classes=["albru-card-title"])
        ref = addnodes.pending_xref(
            "", refdomain="std", reftype="doc", reftarget=f"/notebooks/{path.stem}",
            refexplicit=True, refdoc=docname,
        )
        ref += nodes.inline(title, title)
        heading += nodes.strong("", "", ref)
        section += heading
        question = re.sub(r"[*_`]", "", re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", question))
        section += nodes.paragraph(question, question)
        thumb = src / "docs" / "_thumbs" / f"{path.stem}.png"
        if thumb.is_file():
            caption, alt = figure_text(nb)
            image = nodes.image(
                uri=_relative(app, docname, f"docs/_thumbs/{path.stem}.png"),
                alt=f"Main figure of “{title}”: {alt or caption or 'no description given'}",
                classes=["albru-thumb"],
            )
            section += image
        entries.append(section)
    return entries


def _downloads(app: Any, docname: str) -> list[Any]:
    """Tables of files to download: notebooks, data tables (from the schema), the panel."""
    from docutils import nodes

    src = Path(app.srcdir)
    rows: list[tuple[str, str, str]] = []
    for path in notebook_paths(src / "notebooks"):
        title, _ = title_and_question(read_notebook(path), path.stem)
        rows.append((f"notebooks/{path.name}", path.name, f"Notebook: {title}"))
    package_file = src / "_extra" / "data" / "datapackage.json"
    resources: list[Any] = []
    if package_file.is_file():
        with contextlib.suppress(ValueError):
            package = json.loads(package_file.read_text(encoding="utf-8"))
            resources = package.get("resources", []) if isinstance(package, dict) else []
    rows.append(("data/datapackage.json", "datapackage.json", "The schema of every table."))
    for resource in resources:
        if not isinstance(resource, dict) or not isinstance(resource.get("path"), str):
            continue
        target = src / "_extra" / "data" / resource["path"]
        if "/" in resource["path"] or not target.is_file():
            continue
        text = str(resource.get("description") or resource.get("title") or "")
        if target.suffix == ".csv":
            text = f"{_csv_rows(target)} rows. {text}"
        rows.append((f"data/{resource['path']}", resource["path"], text))
    panel = src / "_extra" / "data" / "dyad_years.csv"
    if panel.is_file():
        text = "Dyad-year panel of Albania and Russia, made by albru.dyad_years() at build time."
        rows.append(("data/dyad_years.csv", "dyad_years.csv", f"{_csv_rows(panel)} rows. {text}"))
    tables = [_file_table(app, docname, rows)]
    external = _external_rows(src / "_extra" / "data" / "external")
    if external:
        note = (
            "Reference extracts: the parts of the public releases of other datasets that the "
            "notebooks compare albru with, each made by a script from the release file. Each "
            "keeps the terms of its release; its README gives the origin, the release and how "
            "to cite it."
        )
        tables += [nodes.paragraph(note, note), _file_table(app, docname, external)]
    return tables


def _external_rows(folder: Path) -> list[tuple[str, str, str]]:
    """(target, name, description) of the reference extracts described in ``folder``."""
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    rows = [("data/external/datapackage.json", "external/datapackage.json",
             "The schema of the reference extracts.")]  # fmt: skip
    resources = package.get("resources", []) if isinstance(package, dict) else []
    for resource in resources:
        path = resource.get("path") if isinstance(resource, dict) else None
        if not isinstance(path, str) or not (folder / path).is_file():
            continue
        text = str(resource.get("title") or resource.get("description") or "")
        if path.endswith(".csv"):
            text = f"{_csv_rows(folder / path)} rows. {text}"
        rows.append((f"data/external/{path}", f"external/{path}", text))
        readme = f"{path.rsplit('/', 1)[0]}/README.md" if "/" in path else ""
        shown = {name for _, name, _ in rows}
        if readme and (folder / readme).is_file() and f"external/{readme}" not in shown:
            text = "Origin, release, terms and how to cite the extracts in this folder."
            rows.append((f"data/external/{readme}", f"external/{readme}", text))
    return rows


def _file_table(app: Any, docname: str, rows: list[tuple[str, str, str]]) -> Any:
    """A two-column table: each file as a download link, and what it holds."""
    from docutils import nodes

    table = nodes.table(classes=["albru-downloads"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=30)
    group += nodes.colspec(colwidth=70)
    head = nodes.thead()
    group += head
    head += _row(nodes.Text("File"), nodes.Text("What it holds"))
    body = nodes.tbody()
    group += body
    for target, name, text in rows:
        link = nodes.reference(name, name, refuri=_relative(app, docname, target))
        link["download"] = True
        body += _row(nodes.literal("", "", link), nodes.Text(text))
    return table


def _csv_rows(path: Path) -> int:
    """Data rows of a CSV file (records, not lines: a quoted field may hold a newline)."""
    import csv

    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def _row(*cells: Any) -> Any:
    from docutils import nodes

    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", content)
        row += entry
    return row


def _directive(make: Callable[[Any, str], list[Any]]) -> type:
    """A body-less directive whose nodes ``make(app, docname)`` returns."""
    from sphinx.util.docutils import SphinxDirective

    class _Generated(SphinxDirective):
        has_content = False

        def run(self) -> list[Any]:
            self.env.note_dependency(str(Path(self.env.srcdir) / "_extra" / "data"))
            return make(self.env.app, self.env.docname)

    return _Generated


def _cite(app: Any, docname: str) -> list[Any]:
    """The BibTeX entries of the software, the dataset and the article."""
    from docutils import nodes

    from albru.citation import cite

    text = cite("bibtex", Path(app.srcdir) / "data")
    block = nodes.literal_block(text, text, language="bibtex")
    return [block]


#: Pages made from the notebooks and the data: Sphinx reads them again on every build.
_GENERATED_PAGES = ["index", "docs/downloads", "docs/cite"]


def _always_read(app: Any, env: Any, added: set, changed: set, removed: set) -> list[str]:
    return [name for name in _GENERATED_PAGES if name in env.found_docs]


def setup(app: Any) -> dict[str, Any]:
    """Register the extension with Sphinx."""
    app.connect("doctree-read", _escape_raw_html)
    app.connect("doctree-read", _link_figures)
    app.connect("env-get-outdated", _always_read)
    app.add_directive("albru-notebooks", _directive(_notebook_cards))
    app.add_directive("albru-downloads", _directive(_downloads))
    app.add_directive("albru-cite", _directive(_cite))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
