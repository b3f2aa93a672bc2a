"""How to cite albru: every format of `albru cite`, the one repository address, the licences.

A citation prints nothing read from a file unless it is a plain version, day or address, so a
datapackage.json cannot add fields to an entry; the repository's address is printed only when
pyproject.toml sets it, never as a placeholder; CITATION.cff is what `albru cite --format cff`
prints; and every place that states a licence says the same.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml

from albru import citation
from albru.citation import CitationError, cite
from albru.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PACKAGE = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
URL = "https://github.com/someone/albru"


def _entries(text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """BibTeX entries as {key: (type, {field: value})}; fails on unbalanced braces."""
    entries = {}
    pattern = r"@(\w+)\{([\w:]+),\n(.*?)\n\}\n"
    for kind, key, body in re.findall(pattern, text, flags=re.DOTALL):
        fields = {}
        for line in body.splitlines():
            name, value = re.fullmatch(r"  (\w+) = \{(.*)\},", line).groups()
            depth = 0
            for char, previous in zip(value, " " + value, strict=False):
                if previous != "\\":
                    depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, (key, name, value)
            assert depth == 0, (key, name, value)
            fields[name] = value
        entries[key] = (kind, fields)
    assert len(entries) == text.count("@"), text
    return entries


@pytest.fixture
def with_repository(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """albru as if pyproject.toml set [project.urls] Repository."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f'[project]\nname = "albru"\n[project.urls]\nRepository = "{URL}"\n')
    monkeypatch.setattr(citation, "_checkout_pyproject", lambda: pyproject)
    return URL


def test_bibtex_is_classic_misc_with_the_versions() -> None:
    text = cite("bibtex", DATA)
    entries = _entries(text)
    assert list(entries) == ["albru", "albru_data", "wikipedia_albania_russia"]
    for kind, fields in entries.values():
        assert kind == "misc"
        assert set(fields) <= {"author", "title", "howpublished", "year", "note"}
        assert re.fullmatch(r"\d{4}", fields["year"])
    assert text.isascii()  # classic BibTeX reads bytes, not UTF-8
    software, data = entries["albru"][1], entries["albru_data"][1]
    assert f"version {citation.software_version()}" in software["howpublished"]
    assert f"version {PACKAGE['version']}, record as of {PACKAGE['as_of']}" in data["howpublished"]
    assert r"\%E2\%80\%93" in entries["wikipedia_albania_russia"][1]["howpublished"]


def test_biblatex_has_software_dataset_and_online_entries() -> None:
    entries = _entries(cite("biblatex", DATA))
    assert [kind for kind, _ in entries.values()] == ["software", "dataset", "online"]
    assert entries["albru_data"][1]["version"] == PACKAGE["version"]
    assert entries["albru"][1]["date"] == citation.DATE_RELEASED
    assert entries["wikipedia_albania_russia"][1]["urldate"] == citation.ARTICLE["retrieved"]


def test_text_names_both_versions_and_the_article() -> None:
    text = cite("text", DATA)
    assert f"software version {citation.software_version()}" in text
    assert f"version {PACKAGE['version']}, record as of {PACKAGE['as_of']}" in text
    assert citation.ARTICLE["url"] in text and text.count("\n\n") == 2


def test_citation_cff_is_what_albru_cite_prints() -> None:
    """CITATION.cff is up to date: regenerate it with `albru cite --format cff > CITATION.cff`."""
    committed = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert committed == cite("cff", DATA)
    cff = yaml.safe_load(committed)
    assert cff["version"] == citation.software_version() == cff["preferred-citation"]["version"]
    data = next(r for r in cff["references"] if r["type"] == "data")
    assert data["version"] == PACKAGE["version"] and PACKAGE["as_of"] in data["notes"]
    assert cff["license"] == ["MIT", "CC-BY-SA-4.0"]


def test_no_address_is_printed_until_one_is_configured(with_repository: str) -> None:
    for fmt in citation.FORMATS:
        assert URL in cite(fmt, DATA), fmt
    cff = yaml.safe_load(cite("cff", DATA))
    assert cff["repository-code"] == cff["preferred-citation"]["repository-code"] == URL
    assert _entries(cite("bibtex", DATA))["albru"][1]["howpublished"].endswith(rf"\url{{{URL}}}")
    assert f'<a href="{URL}">' in citation.citation_html(DATA)


def test_without_an_address_no_link_and_no_placeholder() -> None:
    assert citation.repository_url() is None  # pyproject.toml sets none yet
    for text in [*(cite(fmt, DATA) for fmt in citation.FORMATS), citation.citation_html(DATA),
                 (ROOT / "CITATION.cff").read_text(encoding="utf-8")]:  # fmt: skip
        assert "OWNER" not in text and "github.com" not in text
    assert "repository-code" not in yaml.safe_load(cite("cff", DATA))


@pytest.mark.parametrize("value", ["javascript:alert(1)", "https://x.org/a}, note = {b",
                                   'https://x.org/"><script>', "http://plain.org/albru"])
def test_an_unsafe_address_is_refused(tmp_path: Path, value: str) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(f"[project.urls]\nRepository = {json.dumps(value)}\n")
    with pytest.raises(CitationError, match="not a plain https:// address"):
        citation.repository_url(pyproject)


def _data_copy(tmp_path: Path, **changes: object) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(DATA / "datapackage.json", folder)
    package = {**PACKAGE, **changes}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "changes", [{"version": "1},\n  note = {injected"}, {"version": "2.0} @misc{x,"},
                {"as_of": "2026-11-27}, note = {x"}, {"version": 2}],
)
def test_a_version_or_day_that_could_inject_fields_is_refused(
    tmp_path: Path, changes: dict, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _data_copy(tmp_path, **changes)
    for fmt in citation.FORMATS:
        with pytest.raises(CitationError, match="datapackage.json"):
            cite(fmt, folder)
    assert main(["cite", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("albru cite: error: ")


def test_special_characters_are_escaped_for_latex() -> None:
    assert citation._tex("50% & {x}_#") == r"50\% \& \{x\}\_\#"


def test_cli_prints_each_format(capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in citation.FORMATS:
        assert main(["cite", "--format", fmt]) == 0
        assert capsys.readouterr().out == cite(fmt)
    assert main(["cite"]) == 0 and capsys.readouterr().out == cite("bibtex")
    with pytest.raises(SystemExit) as stop:
        main(["cite", "--format", "ris"])
    assert stop.value.code == 2


def test_footer_links_how_to_cite_and_escapes() -> None:
    box = citation.citation_html(DATA, short=True, cite_page='../docs/cite.html"x')
    assert '<a href="../docs/cite.html&quot;x">How to cite</a>' in box


def test_bare_albru_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("usage: albru ")
    for command in ("validate", "info", "build", "cite"):
        assert command in err


def test_every_command_has_a_description() -> None:
    parser = build_parser()
    (commands,) = [a for a in parser._actions if a.dest == "command"]
    for name in ("validate", "info", "cite", "build"):
        sub = commands.choices[name]
        assert sub.description and len(sub.description) > 60, name
        shown = " ".join(sub.format_help().split())
        assert " ".join(sub.description.split()) in shown, name


def test_licences_agree_everywhere() -> None:
    """Code MIT; data and notebook prose CC BY-SA 4.0; the full texts ship beside both."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT AND CC-BY-SA-4.0"
    assert project["license-files"] == ["LICENSE", "data/LICENSE-CC-BY-SA-4.0.txt"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    legal = (DATA / "LICENSE-CC-BY-SA-4.0.txt").read_text(encoding="utf-8")
    assert legal.startswith("Attribution-ShareAlike 4.0 International")
    assert "Section 8 -- Interpretation." in legal and len(legal) > 19_000  # the whole text
    assert [lic["name"] for lic in PACKAGE["licenses"]] == [citation.LICENCES["data"]]
    assert yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["license"] == [
        citation.LICENCES["code"], citation.LICENCES["data"]]  # fmt: skip
    footer = citation.licence_html()
    assert "Code: MIT licence" in footer and "notebooks&rsquo; text" in footer
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Licences", 1)[1].split("\n## ", 1)[0]
    for words in ("MIT", "CC BY-SA 4.0", "`LICENSE`", "data/LICENSE-CC-BY-SA-4.0.txt",
                  "notebooks"):  # fmt: skip
        assert words in section, words
    assert "everything outside `data/`" not in section  # the notebooks' prose is not MIT
    cite_page = (ROOT / "docs" / "cite.md").read_text(encoding="utf-8")
    assert "MIT" in cite_page and "CC BY-SA 4.0" in cite_page and "notebooks" in cite_page


def test_an_installed_albru_reads_the_address_from_its_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Outside a checkout the address comes from the wheel's Project-URL, copied from pyproject."""
    from email.message import Message

    meta = Message()
    meta["Project-URL"] = "Documentation, https://docs.example.org/albru"
    meta["Project-URL"] = f"Repository, {URL}"
    monkeypatch.setattr(citation, "_checkout_pyproject", lambda: None)
    monkeypatch.setattr(citation, "metadata", lambda name: meta)
    assert citation.repository_url() == URL
    del meta["Project-URL"]
    assert citation.repository_url() is None
