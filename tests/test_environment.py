"""environment.yml (conda, Binder) must list the same dependencies as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent

#: Entries of environment.yml that are not dependencies of albru.
NOT_DEPENDENCIES = {"python", "pip"}
#: Extras of pyproject.toml left out of environment.yml and the lock: only the scripts that
#: extract reference data from release files need them.
NOT_IN_ENVIRONMENT = {"extract"}


def _name(raw: str) -> str:
    """Normalise a distribution name (PEP 503), so that PyYAML and pyyaml compare equal."""
    return re.sub(r"[-_.]+", "-", raw).lower()


def pyproject_requirements() -> dict[str, SpecifierSet]:
    """Runtime dependencies plus every extra of pyproject.toml, by normalised name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        if name not in NOT_IN_ENVIRONMENT:
            lines.extend(extra)
    requirements = [Requirement(line) for line in lines]
    return {_name(req.name): req.specifier for req in requirements}


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def environment_requirements() -> dict[str, SpecifierSet]:
    """Conda and pip entries of environment.yml, by normalised name (albru itself left out)."""
    found: dict[str, SpecifierSet] = {}
    for entry in environment()["dependencies"]:
        if isinstance(entry, dict):
            for line in entry["pip"]:
                if line.strip() == "-e .":
                    continue
                req = Requirement(line)
                found[_name(req.name)] = req.specifier
            continue
        # conda spec: "name", "name>=1.2" or "name=1.2" (conda's "=" means a version prefix)
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", entry.strip())
        assert match, f"environment.yml: cannot read dependency {entry!r}"
        name, spec = match.groups()
        if _name(name) in NOT_DEPENDENCIES:
            continue
        found[_name(name)] = SpecifierSet(spec)
    return found


def test_same_dependency_names():
    in_pyproject = set(pyproject_requirements())
    in_environment = set(environment_requirements())
    assert in_pyproject - in_environment == set(), "in pyproject.toml but not environment.yml"
    assert in_environment - in_pyproject == set(), "in environment.yml but not pyproject.toml"


@pytest.mark.parametrize("name", sorted(pyproject_requirements()))
def test_same_version_constraints(name):
    assert environment_requirements().get(name) == pyproject_requirements()[name]


def test_environment_installs_albru_itself():
    pip_entries = [e for e in environment()["dependencies"] if isinstance(e, dict)]
    assert len(pip_entries) == 1
    assert "-e ." in [line.strip() for line in pip_entries[0]["pip"]]


def test_environment_python_satisfies_requires_python():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "requires-python"
    ]
    pythons = [e for e in environment()["dependencies"] if isinstance(e, str)]
    pythons = [e for e in pythons if re.match(r"python\b(?!-)", e)]
    assert len(pythons) == 1, "environment.yml must name python exactly once"
    version = pythons[0].split("=")[-1]
    assert SpecifierSet(requires).contains(version), (pythons[0], requires)


def test_conda_forge_channel_only():
    assert environment()["channels"] == ["conda-forge", "nodefaults"]


def test_binder_installs_the_pinned_lock_for_the_locked_python():
    binder = ROOT / ".binder"
    lines = (binder / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line and not line.startswith("#")] == [
        "-r ../requirements/lock.txt"
    ]
    lock_header = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    python = re.search(r"with Python (\d+\.\d+)", lock_header).group(1)
    assert (binder / "runtime.txt").read_text(encoding="utf-8").strip() == f"python-{python}"
    assert "-e ." in (binder / "postBuild").read_text(encoding="utf-8")


def test_lock_pins_every_dependency_and_leaves_out_the_extract_extra():
    lock = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    pinned = {_name(line.split("==")[0]) for line in lock.splitlines() if "==" in line}
    assert set(pyproject_requirements()) - pinned == set()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extract = {_name(Requirement(r).name) for r in project["optional-dependencies"]["extract"]}
    assert extract & pinned == set()
