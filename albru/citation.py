"""How to cite albru: the software, the dataset and the article, in four formats.

``cite(fmt)`` returns the citation as classic BibTeX (``"bibtex"``), biblatex (``"biblatex"``),
Citation File Format (``"cff"``, the text of the repository's ``CITATION.cff``) or a plain
reference list (``"text"``). The software version is the installed albru's; the data version
and the day the record stops (``as_of``) are read from the data's ``datapackage.json`` and
refused, with one line naming the file, when they are not a plain version number and an ISO day
(so nothing read from a file can add fields to an entry).

The repository's address has one setting: ``Repository`` under ``[project.urls]`` in
``pyproject.toml`` (an installed albru reads it from its own metadata, which the build copies
from there). Until it is set, every citation, the site and ``CITATION.cff`` leave the address
out rather than print a placeholder.

>>> print(cite("bibtex").splitlines()[0])
@misc{albru,
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from importlib.metadata import PackageNotFoundError, metadata, version
from pathlib import Path

__all__ = [
    "ARTICLE",
    "DATE_RELEASED",
    "FORMATS",
    "LICENCES",
    "TITLE",
    "CitationError",
    "citation_html",
    "cite",
    "data_version",
    "licence_html",
    "repository_url",
    "software_version",
]

#: The day this version was released.
DATE_RELEASED = "2026-11-30"
TITLE = "albru: Albania–Russia relations, 1912 to today"
DATA_TITLE = "albru dataset: Albania–Russia relations, 1912 to today"
AUTHOR = "The albru contributors"
#: The licences, as SPDX identifiers: the code's, and the data's and the notebooks' prose.
LICENCES = {"code": "MIT", "data": "CC-BY-SA-4.0"}
#: The article the dataset is derived from, with the day the copy was taken.
ARTICLE = {
    "title": "Albania–Russia relations",
    "publisher": "Wikipedia, The Free Encyclopedia",
    "url": "https://en.wikipedia.org/wiki/Albania%E2%80%93Russia_relations",
    "retrieved": "2026-11-27",
    "licence": "CC BY-SA 4.0",
}
#: The formats of ``cite``.
FORMATS = ("bibtex", "biblatex", "cff", "text")
#: The label of the repository's address under ``[project.urls]``.
URL_LABEL = "Repository"

_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,40}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~/-]*)?")


class CitationError(ValueError):
    """A value a citation would print that is not safe to print (one line, naming its file)."""


def software_version() -> str:
    """The installed albru's version, or ``"unknown"`` when albru is not installed.

    >>> software_version().count(".") >= 1 or software_version() == "unknown"
    True
    """
    try:
        return version("albru")
    except PackageNotFoundError:
        return "unknown"


def _checkout_pyproject() -> Path | None:
    """The checkout's pyproject.toml when albru runs from a checkout, else None."""
    path = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        return path if 'name = "albru"' in path.read_text(encoding="utf-8") else None
    except OSError:
        return None


def repository_url(pyproject: Path | None = None) -> str | None:
    """The repository's address: ``Repository`` under ``[project.urls]``, or None when unset.

    In a checkout it is read from ``pyproject.toml`` (or the file given); in an installed
    albru, from the package's metadata, which the build copied from there. A value that is not
    a plain ``https://`` address raises `CitationError`.

    >>> from pathlib import Path; import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = Path(d) / "pyproject.toml"
    ...     _ = path.write_text('[project.urls]\\nRepository = "https://github.com/me/albru"\\n')
    ...     repository_url(path)
    'https://github.com/me/albru'
    """
    source = pyproject or _checkout_pyproject()
    if source is not None:
        try:
            project = tomllib.loads(source.read_text(encoding="utf-8")).get("project", {})
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise CitationError(f"{source}: cannot read the repository address: {err}") from None
        urls = project.get("urls", {}) if isinstance(project, dict) else {}
        value = urls.get(URL_LABEL) if isinstance(urls, dict) else None
    else:
        try:
            entries = metadata("albru").get_all("Project-URL") or []
        except PackageNotFoundError:
            entries = []
        found = [e.split(",", 1)[1].strip() for e in entries if e.split(",", 1)[0] == URL_LABEL]
        value, source = (found[0] if found else None), Path("albru's package metadata")
    if value is None:
        return None
    if not isinstance(value, str) or not _URL.fullmatch(value):
        raise CitationError(
            f"{source}: [project.urls] {URL_LABEL} = {value!r} is not a plain https:// address"
        )
    return value.rstrip("/")


def data_version(data_dir: Path | None = None) -> tuple[str, str]:
    """The data's ``(version, as_of)`` from its datapackage.json (``"unknown"`` when absent).

    A version that is not a plain version number, or an ``as_of`` that is not an ISO day,
    raises `CitationError` naming the file.

    >>> version, as_of = data_version()
    >>> len(as_of) == 10 or as_of == "unknown"
    True
    """
    from albru import files

    folder = files.data_dir() if data_dir is None else Path(data_dir)
    path = folder / files.SCHEMA_FILE
    package = files.read_schema(folder)[0]
    if not isinstance(package, dict):
        return "unknown", "unknown"
    release, as_of = package.get("version", "unknown"), package.get("as_of", "unknown")
    if not isinstance(release, str) or not _VERSION.fullmatch(release):
        raise CitationError(f"{path}: version {release!r} is not a plain version number")
    if not isinstance(as_of, str) or not (_DAY.fullmatch(as_of) or as_of == "unknown"):
        raise CitationError(f"{path}: as_of {as_of!r} is not a day (YYYY-MM-DD)")
    return release, as_of


def _facts(data_dir: Path | None) -> dict[str, str]:
    """Everything a citation prints that is not a constant, each value already checked."""
    release = software_version()
    if not _VERSION.fullmatch(release):
        raise CitationError(f"albru's package metadata: version {release!r} is not plain")
    data, as_of = data_version(data_dir)
    return {"release": release, "data": data, "as_of": as_of, "url": repository_url() or ""}


_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
          "_": r"\_", "$": r"\$", "^": r"\^{}", "~": r"\~{}", "–": "--"}  # fmt: skip


def _tex(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, the en dash as ``--``.

    >>> _tex("a}, b = {c")
    'a\\\\}, b = \\\\{c'
    """
    return "".join(_LATEX.get(c, c) for c in text)


def _url(url: str) -> str:
    r"""A URL for ``\url{...}`` inside a field (its percent signs escaped)."""
    return url.replace("%", r"\%")


def _entry(kind: str, key: str, fields: dict[str, str]) -> str:
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items() if value)
    return f"@{kind}{{{key},\n{body}}}\n"


def _bibtex(f: dict[str, str]) -> str:
    """Classic BibTeX: three @misc entries with only the fields every classic style knows."""
    year = DATE_RELEASED[:4]
    at = f", \\url{{{_url(f['url'])}}}" if f["url"] else ""
    article = ARTICLE
    return "\n".join([
        _entry("misc", "albru", {
            "author": f"{{{AUTHOR}}}", "title": f"{{albru}}: {_tex(TITLE[7:])}",
            "howpublished": f"Python package, version {f['release']}{at}",
            "year": year, "note": "MIT licence",
        }),
        _entry("misc", "albru_data", {
            "author": f"{{{AUTHOR}}}", "title": f"{{albru}} dataset: {_tex(DATA_TITLE[15:])}",
            "howpublished": f"Dataset, version {f['data']}, record as of {f['as_of']}{at}",
            "year": year,
            "note": f"CC BY-SA 4.0; derived in part from the Wikipedia article "
                    f"``{_tex(article['title'])}''",
        }),
        _entry("misc", "wikipedia_albania_russia", {
            "author": "{Wikipedia contributors}", "title": _tex(article["title"]),
            "howpublished": f"{article['publisher']}, \\url{{{_url(article['url'])}}}",
            "year": article["retrieved"][:4],
            "note": f"Plain-text copy retrieved {article['retrieved']}; revision id unknown; "
                    "CC BY-SA 4.0",
        }),
    ])  # fmt: skip


def _biblatex(f: dict[str, str]) -> str:
    """biblatex: @software, @dataset and @online, with version, date, url and urldate."""
    article = ARTICLE
    return "\n".join([
        _entry("software", "albru", {
            "author": f"{{{AUTHOR}}}", "title": f"{{albru}}: {_tex(TITLE[7:])}",
            "version": f["release"], "date": DATE_RELEASED, "url": f["url"],
            "note": "MIT licence",
        }),
        _entry("dataset", "albru_data", {
            "author": f"{{{AUTHOR}}}", "title": f"{{albru}} dataset: {_tex(DATA_TITLE[15:])}",
            "version": f["data"], "date": DATE_RELEASED, "url": f["url"],
            "note": f"Record as of {f['as_of']}; CC BY-SA 4.0; derived in part from the "
                    f"Wikipedia article ``{_tex(article['title'])}''",
        }),
        _entry("online", "wikipedia_albania_russia", {
            "author": "{Wikipedia contributors}", "title": _tex(article["title"]),
            "organization": article["publisher"], "url": article["url"],
            "urldate": article["retrieved"],
            "note": "Plain-text copy; revision id unknown; CC BY-SA 4.0",
        }),
    ])  # fmt: skip


def _cff(f: dict[str, str]) -> str:
    """The Citation File Format text of ``CITATION.cff`` (strings quoted as JSON, valid YAML)."""
    q = lambda value: json.dumps(value, ensure_ascii=False)
    year = DATE_RELEASED[:4]
    retrieved = ARTICLE["retrieved"]
    lines = [
        "# Made by `albru cite --format cff`; tests/test_citation.py checks it is up to date.",
        "cff-version: 1.2.0",
        "message: >-",
        "  If you use albru or its dataset, please cite both with the versions you used (the",
        "  preferred citation below, or `albru cite`), and also cite the Wikipedia article the",
        "  dataset is partly derived from (listed under references).",
        "type: software",
        f"title: {q(TITLE)}",
        "abstract: >-",
        "  A curated dataset of the relations between Albania and Russia (Russian Empire, Soviet",
        "  Union, Russian Federation) coded as international-relations event data, a small",
        "  Python library that loads and validates it, and notebooks that analyse it.",
        "authors:", f"  - name: {AUTHOR}",
        f"version: {q(f['release'])}",
        f"date-released: {q(DATE_RELEASED)}",
        *([f"repository-code: {q(f['url'])}"] if f["url"] else []),
        "license:", f"  - {LICENCES['code']}", f"  - {LICENCES['data']}",
        "keywords:",
        *(f"  - {k}" for k in ["Albania", "Russia", "Soviet Union", "international relations",
                               "event data", "EDTF"]),
        "preferred-citation:",
        "  type: software",
        f"  title: {q(TITLE)}",
        "  authors:", f"    - name: {AUTHOR}",
        f"  version: {q(f['release'])}",
        f"  date-released: {q(DATE_RELEASED)}",
        f"  year: {year}",
        *([f"  url: {q(f['url'])}", f"  repository-code: {q(f['url'])}"] if f["url"] else []),
        f"  license: {LICENCES['code']}",
        "references:",
        "  - type: data",
        f"    title: {q(DATA_TITLE)}",
        "    authors:", f"      - name: {AUTHOR}",
        f"    version: {q(f['data'])}",
        f"    year: {year}",
        f"    license: {LICENCES['data']}",
        *([f"    url: {q(f['url'])}"] if f["url"] else []),
        f"    notes: {q('Record as of ' + f['as_of'] + '.')}",
        "  - type: encyclopedia",
        f"    title: {q(ARTICLE['title'])}",
        "    authors:", "      - name: Wikipedia contributors",
        "    publisher:", f"      name: {q(ARTICLE['publisher'])}",
        f"    url: {q(ARTICLE['url'])}",
        f"    license: {LICENCES['data']}",
        f"    date-accessed: {q(retrieved)}",
        f"    notes: {q(f'Plain-text copy retrieved {retrieved}; revision id unknown.')}",
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def _text(f: dict[str, str]) -> str:
    """A plain reference list, one reference a paragraph."""
    year, at = DATE_RELEASED[:4], f" {f['url']}" if f["url"] else ""
    return (
        f"{AUTHOR} ({year}). {TITLE} (software version {f['release']}, MIT licence).{at}\n\n"
        f"{AUTHOR} ({year}). {DATA_TITLE} (version {f['data']}, record as of {f['as_of']}, "
        f"CC BY-SA 4.0).{at}\n\n"
        f"Wikipedia contributors. {ARTICLE['title']}. {ARTICLE['publisher']}. {ARTICLE['url']} "
        f"(plain-text copy retrieved {ARTICLE['retrieved']}; CC BY-SA 4.0).\n"
    )


def cite(fmt: str = "bibtex", data_dir: Path | None = None) -> str:
    """The citation of the software, the dataset and the article, in the format ``fmt``.

    Parameters
    ----------
    fmt : {"bibtex", "biblatex", "cff", "text"}
        Classic BibTeX (``@misc``), biblatex (``@software``, ``@dataset``, ``@online``),
        the Citation File Format of ``CITATION.cff``, or plain references.
    data_dir : Path, optional
        The data folder whose ``datapackage.json`` gives the data version (default: albru's).

    Returns
    -------
    str
        The citation, ending with a newline.

    Examples
    --------
    >>> [line.split("{")[0] for line in cite("biblatex").splitlines() if line.startswith("@")]
    ['@software', '@dataset', '@online']
    """
    makers = {"bibtex": _bibtex, "biblatex": _biblatex, "cff": _cff, "text": _text}
    if fmt not in makers:
        raise ValueError(f"unknown citation format {fmt!r}; one of {', '.join(FORMATS)}")
    return makers[fmt](_facts(data_dir))


def citation_html(data_dir: Path | None = None, short: bool = False, cite_page: str = "") -> str:
    """The 'How to cite' box as HTML (every value escaped); ``short`` for the page footer.

    ``cite_page`` is the address of the site's "How to cite" page from the page that shows
    the box; when given, the words "How to cite" link to it.

    >>> "How to cite" in citation_html(short=True)
    True
    >>> 'href="cite.html"' in citation_html(short=True, cite_page="cite.html")
    True
    """
    f = {key: html.escape(value) for key, value in _facts(data_dir).items()}
    year = DATE_RELEASED[:4]
    link = f' <a href="{f["url"]}">{f["url"]}</a>.' if f["url"] else ""
    text = (
        f"The albru contributors ({year}). <em>albru</em>, software version {f['release']}, "
        f"and the <em>albru dataset</em>, version {f['data']} (record as of {f['as_of']})."
        f"{link} Please also cite the Wikipedia article "
        f"&ldquo;{html.escape(ARTICLE['title'])}&rdquo; (retrieved {ARTICLE['retrieved']})."
    )
    more = " BibTeX and other formats: <code>albru cite</code>." if short else ""
    title = "How to cite."
    if cite_page:
        title = f'<a href="{html.escape(cite_page)}">How to cite</a>.'
    return f'<div class="albru-cite"><strong>{title}</strong> {text}{more}</div>'


def licence_html() -> str:
    """The licence line of every page.

    >>> "CC BY-SA 4.0" in licence_html()
    True
    """
    return (
        '<div class="albru-licence">Code: MIT licence. Data and the notebooks&rsquo; text: '
        '<a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>; '
        "the dataset is derived in part from the English Wikipedia article "
        f'<a href="{html.escape(ARTICLE["url"])}">&ldquo;{html.escape(ARTICLE["title"])}'
        "&rdquo;</a> by its contributors (CC BY-SA 4.0), retrieved "
        f"{ARTICLE['retrieved']}.</div>"
    )
