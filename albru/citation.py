"""How to cite albru: the software and the dataset, as BibTeX and as a short line of HTML.

The same facts are in ``CITATION.cff`` at the root of the repository (a test keeps the two in
step). The software version is the installed albru's; the data version and the day the record
stops (``as_of``) are read from the data's ``datapackage.json``.

>>> from albru.citation import bibtex
>>> print(bibtex().splitlines()[0])
@software{albru,
"""

from __future__ import annotations

import html
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = [
    "ARTICLE",
    "DATE_RELEASED",
    "REPOSITORY_URL",
    "TITLE",
    "bibtex",
    "citation_html",
    "data_version",
    "licence_html",
    "software_version",
]

#: PLACEHOLDER until the project is published: replace OWNER with the real account, here and
#: in CITATION.cff (tests/test_packaging.py checks that the two agree).
REPOSITORY_URL = "https://github.com/OWNER/albru"
#: The day this version was released.
DATE_RELEASED = "2026-11-30"
TITLE = "albru: Albania–Russia relations, 1912 to today"
#: A corporate author: double braces keep BibTeX from reading it as first and last names.
AUTHORS = "{{The albru contributors}}"
#: The article the dataset is derived from, with the day the copy was taken.
ARTICLE = {
    "title": "Albania–Russia relations",
    "publisher": "Wikipedia, The Free Encyclopedia",
    "url": "https://en.wikipedia.org/wiki/Albania%E2%80%93Russia_relations",
    "retrieved": "2026-11-27",
    "licence": "CC BY-SA 4.0",
}


def software_version() -> str:
    """The installed albru's version, or ``"unknown"`` when albru is not installed.

    >>> software_version().count(".") >= 1 or software_version() == "unknown"
    True
    """
    try:
        return version("albru")
    except PackageNotFoundError:
        return "unknown"


def data_version(data_dir: Path | None = None) -> tuple[str, str]:
    """The data's ``(version, as_of)`` from its datapackage.json (``"unknown"`` when absent).

    >>> version, as_of = data_version()
    >>> len(as_of) == 10 or as_of == "unknown"
    True
    """
    from albru import files

    package = files.read_schema(files.data_dir() if data_dir is None else data_dir)[0]
    if not isinstance(package, dict):
        return "unknown", "unknown"
    return str(package.get("version", "unknown")), str(package.get("as_of", "unknown"))


def bibtex(data_dir: Path | None = None) -> str:
    """BibTeX entries for the software, the dataset and the article it is derived from.

    >>> text = bibtex()
    >>> [line.split("{")[0] for line in text.splitlines() if line.startswith("@")]
    ['@software', '@dataset', '@misc']
    """
    release = software_version()
    data, as_of = data_version(data_dir)
    year = DATE_RELEASED[:4]
    return (
        f"@software{{albru,\n"
        f"  title = {{{TITLE}}},\n"
        f"  author = {AUTHORS},\n"
        f"  version = {{{release}}},\n"
        f"  year = {{{year}}},\n"
        f"  date = {{{DATE_RELEASED}}},\n"
        f"  url = {{{REPOSITORY_URL}}},\n"
        f"  license = {{MIT}},\n"
        f"}}\n\n"
        f"@dataset{{albru_data,\n"
        f"  title = {{albru dataset: Albania–Russia relations, 1912 to today}},\n"
        f"  author = {AUTHORS},\n"
        f"  version = {{{data}}},\n"
        f"  year = {{{year}}},\n"
        f"  note = {{Record as of {as_of}; derived in part from the Wikipedia article "
        f"``{ARTICLE['title']}'' (CC BY-SA 4.0)}},\n"
        f"  url = {{{REPOSITORY_URL}}},\n"
        f"  license = {{CC-BY-SA-4.0}},\n"
        f"}}\n\n"
        f"@misc{{wikipedia_albania_russia,\n"
        f"  title = {{{ARTICLE['title']}}},\n"
        f"  author = {{{{Wikipedia contributors}}}},\n"
        f"  howpublished = {{{ARTICLE['publisher']}}},\n"
        f"  url = {{{ARTICLE['url']}}},\n"
        f"  urldate = {{{ARTICLE['retrieved']}}},\n"
        f"  note = {{Plain-text copy retrieved {ARTICLE['retrieved']}; revision id unknown}},\n"
        f"}}\n"
    )


def citation_html(data_dir: Path | None = None, short: bool = False) -> str:
    """The 'How to cite' box as HTML (every value escaped); ``short`` for the page footer.

    >>> "How to cite" in citation_html(short=True)
    True
    """
    release = html.escape(software_version())
    data, as_of = (html.escape(v) for v in data_version(data_dir))
    year = DATE_RELEASED[:4]
    text = (
        f"The albru contributors ({year}). <em>albru</em>, software version {release}, "
        f"and the <em>albru dataset</em>, version {data} (record as of {as_of}). "
        f'<a href="{html.escape(REPOSITORY_URL)}">{html.escape(REPOSITORY_URL)}</a>. '
        f"Please also cite the Wikipedia article "
        f"&ldquo;{html.escape(ARTICLE['title'])}&rdquo; (retrieved {ARTICLE['retrieved']})."
    )
    more = " BibTeX: <code>albru cite</code>, or the <em>How to cite</em> page." if short else ""
    return f'<div class="albru-cite"><strong>How to cite.</strong> {text}{more}</div>'


def licence_html() -> str:
    """The licence line of every page.

    >>> "CC BY-SA 4.0" in licence_html()
    True
    """
    return (
        '<div class="albru-licence">Code: MIT licence. Data and text: '
        '<a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>; '
        "the dataset is derived in part from the English Wikipedia article "
        f'<a href="{html.escape(ARTICLE["url"])}">&ldquo;{html.escape(ARTICLE["title"])}'
        "&rdquo;</a> by its contributors (CC BY-SA 4.0), retrieved "
        f"{ARTICLE['retrieved']}.</div>"
    )
