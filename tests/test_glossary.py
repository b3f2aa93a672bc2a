"""The glossary explains every term of art, each under a stable anchor that links resolve to.

An entry's anchor is its heading in lower case, spaces as hyphens, other punctuation dropped
(the rule of MyST's heading anchors on the site and of GitHub), so "Cohen's kappa" is
``cohens-kappa``. Every ``glossary.md#...`` link in the notebooks, the site's pages and the
README must name one.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
#: Terms the notebooks and the front page use, by their anchors.
REQUIRED = [
    "cameo", "goldstein-scale", "quad-class", "plover", "edtf", "era", "dyad-year",
    "structural-balance", "s-score", "cohens-kappa", "scotts-pi", "ideal-point", "participation",
    "bic", "cow", "cow-codes", "atop", "cow-igo", "change-point", "poisson-interval",
]  # fmt: skip


def _anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors() -> dict[str, str]:
    """Anchor: the entry's text, for every second-level heading."""
    parts = re.split(r"^## (.+)$", GLOSSARY, flags=re.MULTILINE)
    return {_anchor(h): body for h, body in zip(parts[1::2], parts[2::2], strict=True)}


def test_every_term_of_art_has_an_entry() -> None:
    anchors = _anchors()
    missing = [term for term in REQUIRED if term not in anchors]
    assert missing == []
    for term in REQUIRED:
        assert len(anchors[term].split()) >= 30, f"{term}: too short to explain anything"


def test_every_glossary_link_resolves() -> None:
    anchors = _anchors()
    files = [*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("docs/*.md"), ROOT / "README.md"]
    links = [(path.name, anchor) for path in files
             for anchor in re.findall(r"glossary\.md#([\w-]+)", path.read_text(encoding="utf-8"))]
    links += [("glossary.md", a) for a in re.findall(r"\]\(#([\w-]+)\)", GLOSSARY)]
    assert links, "no glossary links at all"
    assert [(name, a) for name, a in links if a not in anchors] == []


def test_front_page_links_the_terms_it_names() -> None:
    front = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"docs/glossary\.md#([\w-]+)", front))
    assert {"cameo", "goldstein-scale", "structural-balance", "quad-class", "edtf"} <= linked


def test_make_lab_roots_jupyterlab_at_the_checkout() -> None:
    """`make lab` serves the whole checkout (so ../docs/glossary.md opens from a notebook) and
    opens on notebooks/, with option names the installed Jupyter server knows."""
    from jupyter_server.serverapp import ServerApp
    from jupyter_server.services.contents.filemanager import FileContentsManager

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert '--ServerApp.root_dir="$(CURDIR)"' in recipe
    assert "--FileContentsManager.preferred_dir=notebooks" in recipe
    assert "root_dir" in ServerApp.class_traits()
    assert "preferred_dir" in FileContentsManager.class_traits()
