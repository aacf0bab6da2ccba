"""Scheme keys declared once: an attrs field that also says how the scheme TOML writes it.

A parsed scheme class states each key once, with :func:`key`: its TOML kind, whether it is required,
its default, its allowed values and a line of documentation. :func:`read` reads any such class from a
TOML table (kinds converted, choices checked, unknown keys reported, every problem recorded rather than
the first raised), and :func:`key_table` writes the markdown table of its keys that
``docs/scheme-format.md`` shows (``python -m kaoping.core.fields`` regenerates them there; a test fails
while they differ).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs

from kaoping.core.errors import Problem
from kaoping.core.numbers import to_decimal
from kaoping.locale import _

TomlKind = Literal["text", "number", "integer", "bool", "texts", "table", "items", "params"]
"""How a key is written: a string, a number (exact decimal; "15%" allowed), a whole number, a boolean,
a list of strings (one string allowed), a table, an array of tables (each read as ``item``), or the
method parameters (every key not declared)."""

METADATA = "kaoping.toml"
DOC_KEYS = frozenset({"quote", "source", "note", "reading"})  # prose keys any table may carry
_EMPTY: dict[str, Any] = {"text": "", "number": Decimal(0), "integer": 0, "bool": False, "texts": ()}

T = TypeVar("T")


class _NoValue:
    """The marker of a key without a TOML default (``attrs.NOTHING`` cannot be an attrs default)."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Any = _NoValue()


@attrs.frozen
class KeySpec:
    """How one field is written in the scheme TOML."""

    kind: TomlKind
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    name: str = ""  # the TOML key, when it differs from the field name
    convert: Callable[[Any], Any] | None = None  # for a table whose values need converting
    missing: Any = NO_VALUE  # the value of an absent key, for a field the class itself requires
    item: type | Callable[[Mapping[str, Any], list[Problem], str], Any] | None = None
    """items: the class each table of the array is read as (or a parser that reads one and checks it)"""
    label: str = ""  # items read as a class: how one is named in a problem ("grading band" → "grading band 'x'")


def key(
    kind: TomlKind,
    doc: str,
    *,
    default: Any = attrs.NOTHING,
    required: bool = False,
    choices: tuple[str, ...] = (),
    name: str = "",
    convert: Callable[[Any], Any] | None = None,
    missing: Any = NO_VALUE,
    item: type | Callable[[Mapping[str, Any], list[Problem], str], Any] | None = None,
    label: str = "",
) -> Any:
    """An attrs field read from the scheme TOML as ``kind``; ``choices`` are its allowed values.

    ``default`` is the field's default in Python and in the TOML; ``missing`` is the TOML default of a
    field the class requires (declared before fields with defaults), such as an optional ``name``.
    """
    spec = KeySpec(kind, doc, required, choices, name, convert, missing, item, label)
    if kind in ("table", "params") and default is attrs.NOTHING and missing is NO_VALUE:
        return attrs.field(factory=dict, metadata={METADATA: spec})
    return attrs.field(default=default, metadata={METADATA: spec})


def spec_of(field: attrs.Attribute) -> KeySpec | None:
    return field.metadata.get(METADATA)


def read(
    cls: type[T],
    table: Mapping[str, Any],
    where: str,
    problems: list[Problem],
    origin: str,
    **given: Any,
) -> T:
    """``cls`` from one TOML table: every declared key by its kind, then ``given`` values for the fields
    the caller reads itself. Problems (a missing required key, a bad number, a value outside its choices,
    an unknown key) are appended to ``problems`` with ``where``; the field then takes its default (or an
    empty value) so that reading goes on and every problem is reported at once."""

    def fail(message: str) -> None:
        problems.append(Problem(f"{where}: {message}", file=origin))

    values: dict[str, Any] = dict(given)
    used = set(DOC_KEYS)
    params_field = ""
    for field in attrs.fields(cls):  # type: ignore[arg-type]
        spec = spec_of(field)
        if spec is not None and field.name in given:
            used.add(spec.name or field.name)
        if spec is None or field.name in given:
            continue
        if spec.kind == "params":
            params_field = field.name
            continue
        name = spec.name or field.name
        used.add(name)
        fallback = _toml_default(field, spec)
        if fallback is NO_VALUE:
            fallback = _EMPTY.get(spec.kind)
        if name not in table or table[name] is None:
            if spec.required:
                fail(f"missing required key {name!r}")
            values[field.name] = fallback
            continue
        if spec.kind == "items":
            values[field.name] = _read_items(spec, name, table[name], where, problems, origin)
            continue
        try:
            value = _convert(spec, table[name])
        except (ValueError, TypeError, AttributeError) as error:
            fail(f"{name}: {error}")
            values[field.name] = fallback
            continue
        if spec.choices and value not in spec.choices:
            fail(
                _("{key} must be {choices}, got {value!r}").format(key=name, choices=_one_of(spec.choices), value=value)
            )
            value = fallback
        values[field.name] = value
    rest = {k: v for k, v in table.items() if k not in used}
    if params_field:
        values[params_field] = rest
    else:
        for name in rest:
            fail(f"unknown key {name!r}")
    return cls(**values)


def _read_items(spec: KeySpec, name: str, value: Any, where: str, problems: list[Problem], origin: str) -> tuple:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        message = _("{key} must be an array of tables ([[{key}]])").format(key=name)
        problems.append(Problem(f"{where}: {message}", file=origin))
        return ()
    parse = spec.item
    assert parse is not None, name
    if isinstance(parse, type):
        return tuple(read(parse, item, f"{spec.label} {item.get('id', '?')!r}", problems, origin) for item in value)
    return tuple(parse(item, problems, origin) for item in value)


def _toml_default(field: attrs.Attribute, spec: KeySpec) -> Any:
    """What an absent key reads as: ``missing``, else the field's default (a factory called), else nothing."""
    if spec.missing is not NO_VALUE:
        return spec.missing
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()  # type: ignore[union-attr]
    return NO_VALUE if default is attrs.NOTHING else default


def _convert(spec: KeySpec, value: Any) -> Any:
    if spec.kind == "text":
        return str(value)
    if spec.kind == "number":
        return to_decimal(value)
    if spec.kind == "integer":
        return int(value)
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(_("expected true or false, got {value!r}").format(value=value))
        return value
    if spec.kind == "texts":
        return (value,) if isinstance(value, str) else tuple(str(v) for v in value)
    if not isinstance(value, Mapping):
        raise ValueError(_("expected a table, got {value!r}").format(value=value))
    return spec.convert(value) if spec.convert else dict(value)


def _one_of(choices: tuple[str, ...]) -> str:
    quoted = [repr(c) for c in choices]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


# ---------------------------------------------------------------------------------------------------------
# documentation

_KIND_WORDS = {
    "text": "text",
    "number": "number",
    "integer": "whole number",
    "bool": "true / false",
    "texts": "list of text",
    "table": "table",
    "items": "array of tables",
    "params": "",
}


def key_table(cls: type) -> str:
    """The markdown table of ``cls``'s TOML keys: key, kind, default and meaning (with its choices)."""
    rows = ["| key | kind | default | meaning |", "|---|---|---|---|"]
    for field in attrs.fields(cls):
        spec = spec_of(field)
        if spec is None or spec.kind == "params":
            continue
        name = spec.name or field.name
        value = _toml_default(field, spec)
        if spec.required:
            default = "required"
        elif value is NO_VALUE or value == {}:
            default = "—"
        else:
            default = _literal(value)
        meaning = spec.doc
        if spec.choices and not all(f"`{c}`" in meaning for c in spec.choices):
            meaning += " (one of " + ", ".join(f"`{c}`" for c in spec.choices) + ")"
        rows.append(f"| `{name}` | {_KIND_WORDS[spec.kind]} | {default} | {meaning} |")
    if any(spec_of(f) is not None and spec_of(f).kind == "params" for f in attrs.fields(cls)):  # type: ignore[union-attr]
        rows.append("| *other keys* | | | the method's parameters (`kaoping methods` lists them) |")
    return "\n".join(rows)


def _literal(value: Any) -> str:
    if value is None or attrs.has(type(value)):  # a table read as a class: its own keys say its defaults
        return "—"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`' if value else '`""`'
    if isinstance(value, tuple):
        return "`[]`" if not value else f"`{list(value)}`"
    return f"`{value}`"


_BLOCK = re.compile(r"(<!-- keys: (\w+) -->\n)(.*?)(<!-- /keys -->)", re.DOTALL)


def documented_keys(text: str, classes: Mapping[str, type]) -> str:
    """``text`` with every ``<!-- keys: Class -->`` … ``<!-- /keys -->`` block regenerated."""

    def table(match: re.Match[str]) -> str:
        return f"{match.group(1)}{key_table(classes[match.group(2)])}\n{match.group(4)}"

    return _BLOCK.sub(table, text)


def scheme_format(text: str) -> str:
    """docs/scheme-format.md's text with the key tables of the scheme classes regenerated."""
    from kaoping.core import scheme

    return documented_keys(text, {name: getattr(scheme, name) for name in scheme.DOCUMENTED_TABLES})


def main(argv: list[str]) -> int:  # pragma: no cover - a maintainer's tool, tested through scheme_format
    from kaoping.core import fields  # this module as imported, not as __main__: one set of markers

    path = Path(argv[0]) if argv else Path("docs/scheme-format.md")
    path.write_text(fields.scheme_format(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
