"""Rules over ``datapackage.json`` itself, judged before any table is read: its structure (every
key checked before use), the field types and constraints albru reads, keys that name what
exists, and what the albru Dataset needs of it.

The data folder is a closed world: a schema that points outside it (a ``profile`` other than
the standard names, a ``dialect`` or ``schema`` given by link or file name, a foreign key into
another package, a resource path with a control character or leading out of the folder) is
refused, and so is a ``pattern`` that can backtrack catastrophically (a quantifier or an
alternation inside a quantified group).

>>> [str(p) for p in check_package({"profile": "https://example.org/p.json",
...                                 "resources": []})][0]
"datapackage.json, column profile, value 'https://example.org/p.json': must be one of \
data-package, tabular-data-package, data-resource, tabular-data-resource; a link is not followed"
"""

from __future__ import annotations

import re
import re._constants as sre_constants
import re._parser as sre_parser
from collections.abc import Mapping
from typing import Any

import pandas as pd

from albru.files import SCHEMA_FILE
from albru.problems import Problem
from albru.reader import CONTROL, TYPES, as_list

__all__ = ["ALBRU_SCHEMA", "PROFILES", "check_albru_schema", "check_package", "check_pattern"]

#: The profiles a package or resource may name: the standard ones, never a link.
PROFILES = ("data-package", "tabular-data-package", "data-resource", "tabular-data-resource")
_CONSTRAINTS = {"required", "unique", "enum", "pattern", "minimum", "maximum"}
_ROLES = ("point", "start", "end")
_TYPES, _EVENTS = "event_types", "events"


def check_package(package: Any) -> list[Problem]:
    """Every structural fault of a parsed ``datapackage.json``, each key checked before use.

    Parameters
    ----------
    package : the parsed JSON.

    Returns
    -------
    The problems, all in ``datapackage.json``; an empty list means every resource can be read.

    Examples
    --------
    >>> [str(p) for p in check_package([])]
    ['datapackage.json: the top level is not an object']
    >>> check_package({"resources": [{"name": "t", "path": "t.csv",
    ...     "schema": {"fields": [{"name": "a", "type": "colour"}]}}]})[0].rule
    "type 'colour' is not one of string, integer, number, date"
    """
    if not isinstance(package, dict):
        return [_schema(None, "the top level is not an object")]
    problems: list[Problem] = []
    for key in ("name", "title", "description", "version", "profile", "homepage"):
        if key in package and not isinstance(package[key], str):
            problems.append(_schema(key, "not a text", package[key]))
    _check_profile(package, "profile", problems)
    for key in ("licenses", "sources", "contributors", "keywords"):
        if key in package and not isinstance(package[key], list):
            problems.append(_schema(key, "not a list", package[key]))
    as_of = package.get("as_of")
    if as_of is not None and not (isinstance(as_of, str) and _is_day(as_of)):
        problems.append(_schema("as_of", "not a day written YYYY-MM-DD", as_of))
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        return [*problems, _schema("resources", "missing, or not a non-empty list")]
    names: list[str] = []
    fields_of: dict[str, list[str]] = {}
    for i, resource in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(resource, dict):
            problems.append(_schema(where, "not an object"))
            continue
        name, path = resource.get("name"), resource.get("path")
        if not isinstance(name, str) or not name:
            problems.append(_schema(f"{where}.name", "missing or not a text"))
            continue
        where = f"resource {name}"
        if name in names:
            problems.append(_schema(where, "name used twice"))
        names.append(name)
        if not isinstance(path, str) or not path:
            problems.append(_schema(f"{where}.path", "missing or not a text"))
        elif path.startswith(("/", "\\")) or ".." in re.split(r"[\\/]", path) or ":" in path or (
                re.search(CONTROL, path)):
            problems.append(_schema(f"{where}.path", "must be a file inside the data folder",
                                    path.encode("unicode_escape").decode("ascii")))
        for key in ("title", "description", "profile", "format", "encoding", "mediatype"):
            if key in resource and not isinstance(resource[key], str):
                problems.append(_schema(f"{where}.{key}", "not a text", resource[key]))
        _check_profile(resource, f"{where}.profile", problems)
        if "dialect" in resource and not isinstance(resource["dialect"], dict):
            problems.append(_schema(f"{where}.dialect", "must be written here as an object; a "
                                    "link or a file name is not followed", resource["dialect"]))
        for key in ("sources", "licenses"):
            if key in resource and not isinstance(resource[key], list):
                problems.append(_schema(f"{where}.{key}", "not a list", resource[key]))
        encoding = resource.get("encoding", "utf-8")
        if isinstance(encoding, str) and encoding.lower().replace("_", "-") not in (
                "utf-8", "utf8"):
            problems.append(_schema(f"{where}.encoding", "albru reads UTF-8 only",
                                    resource["encoding"]))
        schema = resource.get("schema")
        if not isinstance(schema, dict):
            problems.append(_schema(f"{where}.schema", "a link or a file name, which albru does "
                                    "not follow; write the schema here", schema)
                            if isinstance(schema, str) else
                            _schema(f"{where}.schema", "missing or not an object"))
            continue
        fields_of[name] = _check_fields(schema, where, problems)
    for resource in resources:
        if isinstance(resource, dict) and isinstance(resource.get("schema"), dict) and (
                resource.get("name") in fields_of):
            _check_keys(resource, fields_of, problems)
    return problems


def _check_profile(entry: dict[str, Any], where: str, problems: list[Problem]) -> None:
    """A ``profile`` must be one of the standard names, never a link to fetch."""
    profile = entry.get("profile")
    if isinstance(profile, str) and profile not in PROFILES:
        problems.append(_schema(where, f"must be one of {', '.join(PROFILES)}; a link is not "
                                "followed", profile))


def _schema(where: str | None, rule: str, value: Any = None) -> Problem:
    """A problem of datapackage.json at a place written like ``resource events.schema``."""
    return Problem(SCHEMA_FILE, None, where, None if value is None else str(value), rule)


def _is_day(text: str) -> bool:
    """Whether text is a real calendar day written YYYY-MM-DD."""
    return bool(re.fullmatch(TYPES["date"], text)) and pd.notna(
        pd.to_datetime(text, format="%Y-%m-%d", errors="coerce"))


def _check_fields(schema: dict[str, Any], where: str, problems: list[Problem]) -> list[str]:
    """Check a schema's field list; return the names of its fields."""
    specs = schema.get("fields")
    if not isinstance(specs, list) or not specs:
        problems.append(_schema(f"{where}.schema.fields", "missing, or not a non-empty list"))
        return []
    names: list[str] = []
    for j, spec in enumerate(specs):
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str) or not spec["name"]:
            problems.append(_schema(f"{where}.schema.fields[{j}]", "a field needs a name"))
            continue
        name = spec["name"]
        if name in names:
            problems.append(_schema(f"{where}.{name}", "field name used twice"))
        names.append(name)
        _check_field_spec(spec, f"{where}.{name}", problems)
    return names


def _check_field_spec(spec: dict[str, Any], where: str, problems: list[Problem]) -> None:
    """One field: a type albru reads, constraints that fit it, a known ``edtf`` role."""
    for key in ("title", "description", "format"):
        if key in spec and not isinstance(spec[key], str):
            problems.append(_schema(where, f"{key} is not a text", spec[key]))
    kind = spec.get("type")
    if kind is None:
        problems.append(_schema(where, "a field needs a type"))
        return
    if not isinstance(kind, str) or kind not in TYPES:
        problems.append(_schema(where, f"type {kind!r} is not one of {', '.join(TYPES)}"))
        return
    role = spec.get("edtf")
    if role is not None and (role not in _ROLES or kind != "string"):
        problems.append(_schema(where, f"edtf must be one of {', '.join(_ROLES)} on a string field",
                                role))
    rules = spec.get("constraints", {})
    if not isinstance(rules, dict):
        problems.append(_schema(where, "constraints is not an object"))
        return
    for rule in sorted(set(rules) - _CONSTRAINTS):
        problems.append(_schema(where, f"constraint {rule!r} is not checked by albru"))
    for flag in ("required", "unique"):
        if flag in rules and not isinstance(rules[flag], bool):
            problems.append(_schema(where, f"{flag} must be true or false", rules[flag]))
    if "pattern" in rules:
        rule = check_pattern(rules["pattern"])
        if rule:
            problems.append(_schema(where, rule, rules["pattern"]))
    numeric = kind in ("integer", "number")
    for bound in ("minimum", "maximum"):
        if bound in rules and (not numeric or not _is_number(rules[bound], kind)):
            problems.append(_schema(where, f"{bound} does not fit type {kind}", rules[bound]))
    if "enum" in rules:
        allowed = rules["enum"]
        if not isinstance(allowed, list) or not allowed:
            problems.append(_schema(where, "enum is not a non-empty list", allowed))
        elif not all(_is_number(v, kind) if numeric else isinstance(v, str) for v in allowed):
            problems.append(_schema(where, f"enum values do not fit type {kind}", allowed))
        elif len(set(map(str, allowed))) != len(allowed):
            problems.append(_schema(where, "enum lists a value twice", allowed))


def check_pattern(pattern: Any) -> str:
    """Why a schema ``pattern`` is refused ("" when it is not): it must be a regular
    expression without a quantifier inside a quantified group, such as ``(a+)+`` or
    ``(a|aa)*``, whose backtracking can take exponential time on one short cell.

    >>> check_pattern("^[A-Z][A-Z0-9_]{1,11}$"), check_pattern("(x+x+)+y")
    ('', 'pattern nests a quantifier in a quantified group; it could backtrack for ever')
    """
    if not isinstance(pattern, str):
        return "pattern is not a regular expression"
    try:
        parsed = sre_parser.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return "pattern is not a regular expression"
    if _nested(list(parsed), inside=False):
        return "pattern nests a quantifier in a quantified group; it could backtrack for ever"
    return ""


_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)


def _nested(items: list[Any], inside: bool) -> bool:
    """Whether a parsed pattern repeats something that repeats or branches, inside a repeat."""
    for op, arg in items:
        if op in _REPEATS:
            many = arg[1] == sre_constants.MAXREPEAT or arg[1] > 1
            if (many and inside) or _nested(list(arg[2]), inside or many):
                return True
        elif op is sre_constants.BRANCH:
            if inside or any(_nested(list(branch), inside) for branch in arg[1]):
                return True
        elif op in (sre_constants.SUBPATTERN, sre_constants.ASSERT, sre_constants.ASSERT_NOT) and (
                _nested(list(arg[-1]), inside)):
            return True
    return False


def _is_number(value: Any, kind: str) -> bool:
    """Whether a JSON value is a number of the schema type (no booleans)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if kind == "integer" else isinstance(value, (int, float))


def _check_keys(
    resource: dict[str, Any], fields_of: dict[str, list[str]], problems: list[Problem]
) -> None:
    """Primary and foreign keys name fields and resources that exist, in matching numbers."""
    name, schema = resource["name"], resource["schema"]
    mine = fields_of[name]
    where = f"resource {name}"
    key = schema.get("primaryKey", mine[:1])
    if not _is_names(key) or not set(as_list(key)) <= set(mine):
        problems.append(_schema(f"{where}.primaryKey", "names a field the schema lacks", key))
    foreign = schema.get("foreignKeys", [])
    if not isinstance(foreign, list):
        problems.append(_schema(f"{where}.foreignKeys", "not a list"))
        return
    for k, fk in enumerate(foreign):
        at = f"{where}.foreignKeys[{k}]"
        reference = fk.get("reference") if isinstance(fk, dict) else None
        if not isinstance(reference, dict) or not _is_names(fk.get("fields")) or not _is_names(
                reference.get("fields")):
            problems.append(_schema(at, "needs fields and a reference with fields"))
            continue
        if "package" in reference:
            problems.append(_schema(at, "refers to another package; albru reads this one only",
                                    reference["package"]))
            continue
        target = reference.get("resource") or name
        if not isinstance(target, str) or target not in fields_of:
            problems.append(_schema(at, "refers to an unknown resource", target))
            continue
        local, remote = as_list(fk["fields"]), as_list(reference["fields"])
        if not set(local) <= set(mine):
            problems.append(_schema(at, "names a field the schema lacks", fk["fields"]))
        elif not set(remote) <= set(fields_of[target]):
            problems.append(_schema(at, f"refers to a field {target} lacks", reference["fields"]))
        elif len(local) != len(remote):
            problems.append(_schema(at, "fields and reference fields differ in number"))


def _is_names(value: Any) -> bool:
    """A field list: one name or a non-empty list of names."""
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, str) and v for v in value)


#: What the albru Dataset needs of its schema: per table, a one-field primary key (or None)
#: and the EDTF roles of named fields.
ALBRU_SCHEMA: dict[str, tuple[bool, dict[str, str]]] = {
    "sources": (True, {}), "actors": (True, {}), "event_types": (True, {}),
    "eras": (True, {"start": "start", "end": "end"}),
    "events": (True, {"date": "point"}),
    "memberships": (True, {"start": "start", "end": "end"}),
    "ties": (True, {"start": "start", "end": "end"}),
    "actor_names": (False, {"start": "start", "end": "end"}),
    "claims": (True, {}), "cameo": (True, {}),
    "searches": (True, {"start": "start", "end": "end"}),
}


def check_albru_schema(package: Mapping[str, Any]) -> list[Problem]:
    """What the albru Dataset needs of a (structurally sound) schema: one-field primary keys
    where it joins on them, the EDTF roles of its date fields, and events pointing at event
    types by the event types' key.

    >>> check_albru_schema({"resources": []})
    []
    """
    problems: list[Problem] = []
    by_name = {r["name"]: r for r in package["resources"]}
    for name, (keyed, roles) in ALBRU_SCHEMA.items():
        resource = by_name.get(name)
        if resource is None:
            continue
        specs = {f["name"]: f for f in resource["schema"]["fields"]}
        key = as_list(resource["schema"].get("primaryKey", []))
        if keyed and len(key) != 1:
            problems.append(_schema(f"resource {name}.primaryKey",
                                    "albru needs a primary key of one field here", key or None))
        for field_name, role in roles.items():
            if specs.get(field_name, {}).get("edtf") != role:
                problems.append(_schema(f"resource {name}.{field_name}",
                                        f"albru needs this field with edtf {role!r}"))
    types, events = by_name.get(_TYPES), by_name.get(_EVENTS)
    if types and events:
        key = as_list(types["schema"].get("primaryKey", []))
        if len(key) == 1 and key[0] not in {f["name"] for f in events["schema"]["fields"]}:
            problems.append(_schema(f"resource {_EVENTS}",
                                    f"albru needs a field {key[0]} naming the event type"))
    return problems
