"""JSON Schemas of the scheme file and the deployment file, for editors that check TOML as it is typed.

Both schemas are generated from the attrs classes the files are read into. The scheme file's comes from
the keys :class:`~kaoping.core.scheme.Scheme` and its tables declare (:mod:`kaoping.core.fields`: TOML
name, kind, choices, required, meaning), the very declarations the reader reads by, so the schema cannot
drift from the parser; the deployment file's from the annotations of
:class:`~kaoping.core.config.DeploymentFile`. The schemas are committed
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
from kaoping.core.fields import choices_of, declared

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path("docs") / "schema"

# Documentation keys every scheme table may carry (the parser ignores them).
_DOC_KEYS = ("quote", "source", "note", "reading", "draft")
_NUMBER = {"type": ["number", "string"], "description": 'a number, or its text ("0.85", "85%")'}
_KINDS: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "doc": {"type": "string"},
    "bool": {"type": "boolean"},
    "whole": {"type": "integer"},
    "number": _NUMBER,
    "texts": {"type": "array", "items": {"type": "string"}},
}


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
    if scheme_file:
        return _declared_schema(cls, defs)
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        properties[field.name] = _type_schema(hints[field.name], defs, scheme_file)
        if field.default is attrs.NOTHING:
            required.append(field.name)
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return _described(cls, out)


def _declared_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    """A scheme table's schema from its declared keys: kinds, choices, required keys, and their docs."""
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field, spec in declared(cls):
        name = spec.name(field)
        if spec.kind == "params" or "." in name:
            continue
        if spec.kind in ("item", "items") and spec.item is not None:
            inner = _type_schema(spec.item, defs, True)
            schema = inner if spec.kind == "item" else {"type": "array", "items": inner}
        elif spec.kind == "table":
            annotation = hints[field.name]
            shaped = _type_schema(annotation, defs, True) if _is_mapping(annotation) else {}
            schema = shaped if shaped.get("type") == "object" else {"type": "object"}
        else:
            schema = dict(_KINDS[spec.kind])
        choices = choices_of(cls, field.name)
        if choices and spec.kind == "texts":
            schema = {"type": "array", "items": {"enum": list(choices)}}
        elif choices:
            schema = {"enum": list(choices)}
        described = "; ".join(filter(None, (spec.doc, str(schema.get("description", "")))))
        properties[name] = {**schema, "description": described}
        if spec.required and not spec.requirable:
            required.append(name)
    for doc_key in _DOC_KEYS:
        properties.setdefault(doc_key, {"type": "string"} if doc_key != "draft" else {})
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = any(spec.kind == "params" for _field, spec in declared(cls))
    return _described(cls, out)


def _is_mapping(annotation: Any) -> bool:
    present = [a for a in get_args(annotation) if a is not type(None)] if get_origin(annotation) else [annotation]
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = present[0]
    return get_origin(annotation) in (dict, Mapping) or annotation in (dict, Mapping)


def _described(cls: type, out: dict[str, Any]) -> dict[str, Any]:
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
