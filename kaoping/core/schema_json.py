"""JSON Schemas of the scheme file and the deployment file, for editors that check TOML as it is typed.

Both schemas are generated from the attrs classes the files are read into (:class:`~kaoping.core.scheme.Scheme`
and its parts, :class:`~kaoping.core.config.DeploymentFile`), so a field added to a class appears in the
schema; the few places where a file is written differently from the class (a group's roster is written
``units``, an indicator or rule takes its method's parameters) are listed here. The schemas are committed
under ``docs/schema/`` and a test keeps them equal to what this module generates; regenerate them with
``python -m kaoping.core.schema_json``.

Editors: Even Better TOML (VS Code) reads ``#:schema ./docs/schema/scheme.schema.json`` on the first line
of a TOML file, or an association in its settings.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from kaoping.core import scheme as scheme_module
from kaoping.core.config import DeploymentFile
from kaoping.core.numbers import ROUNDING_MODES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path("docs") / "schema"

# Written differently from the class: the key in the file for a field, fields that are not in the file.
_RENAMED: dict[tuple[type, str], str] = {(scheme_module.Group, "roster"): "units"}
_NOT_IN_FILE: set[tuple[type, str]] = {
    (scheme_module.Scheme, "raw"),
    (scheme_module.Scheme, "plugin"),
    (scheme_module.Indicator, "params"),
}
_NOT_IN_FILE |= {(scheme_module.Rule, "params"), (scheme_module.RosterEntry, "attributes")}
# Tables that take more keys than their class declares: method parameters, a roster entry's attributes.
_OPEN = {scheme_module.Indicator, scheme_module.Rule, scheme_module.RosterEntry}
# Keys a person must write (the parser's required keys; the classes' defaults serve code, not files).
_REQUIRED: dict[type, tuple[str, ...]] = {
    scheme_module.Scheme: ("id", "name", "total"),
    scheme_module.Group: ("id",),
    scheme_module.RosterEntry: ("id",),
    scheme_module.Part: ("id", "points"),
    scheme_module.Indicator: ("id", "part", "method", "points"),
    scheme_module.Rule: ("id", "part", "kind"),
    scheme_module.CapGroup: ("id", "max"),
    scheme_module.VetoArea: ("id", "effect"),
    scheme_module.Band: ("id", "grade"),
    scheme_module.Quota: ("id", "grade"),
}
_ENUMS: dict[tuple[type, str], list[str]] = {
    (scheme_module.Scheme, "rounding"): sorted(ROUNDING_MODES),
    (scheme_module.Quota, "rounding"): sorted(ROUNDING_MODES),
    (scheme_module.Rule, "kind"): ["bonus", "deduction"],
    (scheme_module.VetoArea, "effect"): sorted(scheme_module.VETO_EFFECTS),
    (scheme_module.Part, "below_floor"): ["stop", "total"],
    (scheme_module.Grading, "precedence"): ["bands_first", "quotas_first"],
    (scheme_module.Grading, "on_tie"): ["error", "exclude", "include"],
}
# Documentation keys every scheme table may carry (the parser ignores them).
_DOC_KEYS = ("quote", "source", "note", "reading")
_NUMBER = {"type": ["number", "string"], "description": 'a number, or its text ("0.85", "85%")'}


def _type_schema(annotation: Any, defs: dict[str, Any], scheme_file: bool) -> dict[str, Any]:
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is str:
        return {"type": "string"}
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer"}
    if annotation is Decimal:
        return dict(_NUMBER)
    if annotation is Any:
        return {}
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        return _type_schema(present[0], defs, scheme_file) if len(present) == 1 else {}
    if origin in (tuple, list):
        return {"type": "array", "items": _type_schema(args[0], defs, scheme_file)}
    if origin in (dict, Mapping) or annotation in (dict, Mapping):
        value = args[1] if len(args) == 2 else Any
        inner = _type_schema(value, defs, scheme_file)
        return {"type": "object", **({"additionalProperties": inner} if inner else {})}
    if attrs.has(annotation):
        name = annotation.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            defs[name] = _class_schema(annotation, defs, scheme_file)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {annotation!r}")


def _class_schema(cls: type, defs: dict[str, Any], scheme_file: bool) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if (cls, field.name) in _NOT_IN_FILE:
            continue
        key = _RENAMED.get((cls, field.name), field.name)
        schema = _type_schema(hints[field.name], defs, scheme_file)
        if (cls, field.name) in _ENUMS:
            schema = {"enum": _ENUMS[(cls, field.name)]}
        properties[key] = schema
        if not scheme_file and field.default is attrs.NOTHING:
            required.append(key)
    if scheme_file:
        for doc_key in _DOC_KEYS:
            properties.setdefault(doc_key, {"type": "string"})
        required = list(_REQUIRED.get(cls, ()))
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = cls in _OPEN
    if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
        out["description"] = " ".join(cls.__doc__.split())
    return out


def _document(cls: type, title: str, scheme_file: bool) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    root = _class_schema(cls, defs, scheme_file)
    return {"$schema": DRAFT, "title": title, **root, "$defs": dict(sorted(defs.items()))}


def scheme_schema() -> dict[str, Any]:
    """The JSON Schema of a locality's ``scheme.toml``."""
    return _document(scheme_module.Scheme, "kaoping scheme file (scheme.toml)", scheme_file=True)


def config_schema() -> dict[str, Any]:
    """The JSON Schema of a deployment file (``kaoping.toml``)."""
    return _document(DeploymentFile, "kaoping deployment file (kaoping.toml)", scheme_file=False)


SCHEMAS = {"scheme.schema.json": scheme_schema, "kaoping.schema.json": config_schema}


def rendered(name: str) -> str:
    return json.dumps(SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"


def write_all(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / name
        path.write_text(rendered(name), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write_all():
        print(path)
