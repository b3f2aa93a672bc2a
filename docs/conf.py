"""Sphinx configuration of the readers' site (Sphinx + MyST-NB + sphinx-book-theme).

The site build (make report, make html: tools/build_site.py) does not build this folder
directly: it assembles a source tree in build/site/src (these pages, the numbered notebooks, a
copy of data/) and runs Sphinx on it, so the notebooks' links to ../data/ and ../docs/ work on the site as in JupyterLab.
Notebooks are never executed by Sphinx: the build runs them first (with its own cache) or
takes the committed outputs as they are.
"""

from __future__ import annotations

import sys
from pathlib import Path

from albru.citation import citation_html, licence_html, repository_url, software_version

#: The copy of the data this site shows (the build puts it beside this file).
DATA = Path(__file__).resolve().parent / "data"

project = "albru"
author = "The albru contributors"
copyright = "the albru contributors; code MIT, data CC BY-SA 4.0"
release = version = software_version()
language = "en"

# The site's own extension lives beside this file, in _ext/ (docs/_ext/ in the checkout).
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))
extensions = ["myst_nb", "albru_site"]
root_doc = "index"  # docs/index.md, put at the root of the source tree by the build
# Only these are pages: the numbered notebooks, these pages and the data card. The rest of the
# copy of data/ is there for download links.
include_patterns = ["index.md", "docs/*.md", "notebooks/[0-9][0-9]_*.ipynb", "data/README.md"]
exclude_patterns = ["**/.ipynb_checkpoints"]

# The build executes (or not) before Sphinx reads; MyST-NB only renders what is stored.
nb_execution_mode = "off"
nb_merge_streams = True  # one block per run of printed text, however the kernel split it
nb_render_markdown_format = "commonmark"
myst_enable_extensions = ["deflist", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

html_theme = "sphinx_book_theme"
html_title = f"albru {version}"
html_static_path = ["_static"]
html_css_files = ["albru.css"]
html_js_files = ["albru.js"]
html_extra_path = ["_extra"]
html_last_updated_fmt = None
html_show_copyright = False  # the licence line of the footer says it
html_show_sphinx = False
html_show_sourcelink = True
html_copy_source = True
#: The repository's one address (pyproject.toml, [project.urls] Repository) or None. Without
#: it the site shows no repository button and no launch (Binder) button: no placeholder link.
REPOSITORY = repository_url()
html_theme_options = {
    "use_download_button": True,
    "use_fullscreen_button": True,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "show_navbar_depth": 1,
    "extra_footer": citation_html(DATA, short=True) + licence_html(),
    "navigation_with_keys": False,
    "navbar_persistent": [],
}
if REPOSITORY:
    html_theme_options |= {
        "repository_url": REPOSITORY,
        "repository_branch": "main",
        "path_to_docs": "",
        "use_repository_button": True,
        # The theme builds the Binder link from the repository's address; Binder reads .binder/.
        "launch_buttons": {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"},
    }
html_context = {"default_mode": "auto"}


def _footer(app, pagename, templatename, context, doctree) -> None:
    """Each page's footer, with "How to cite" linking to the How to cite page from that page."""
    page = context["pathto"]("docs/cite")
    context["theme_extra_footer"] = citation_html(DATA, short=True, cite_page=page) + licence_html()


#: Template macros that the themes keep in their static folders: Sphinx copies every theme
#: static file (exclude_patterns does not reach them), so they would be published as bare pages.
THEME_TEMPLATES = ["_static/webpack-macros.html", "_static/sbt-webpack-macros.html"]


def _drop_theme_templates(app, exception) -> None:
    """Remove the themes' template macros from the built site."""
    if exception is None and app.builder.format == "html":
        for name in THEME_TEMPLATES:
            (Path(app.outdir) / name).unlink(missing_ok=True)


def setup(app) -> None:
    app.connect("html-page-context", _footer)
    app.connect("build-finished", _drop_theme_templates)
