"""Scheme keys declared once: an attrs field that also says how the scheme TOML writes it.

Each field of a scheme class (:mod:`kaoping.core.scheme`) is declared with :func:`key`: its TOML kind,
its default, its allowed values (from a ``Literal`` annotation or ``choices=``), whether a deployment's
overrides may change it, and a line of documentation (an English message id, Chinese where shown).
:func:`read` reads any such class from a TOML table through a :class:`TableReader`: values are
type-checked (text is text, ``"false"`` is not a truth value, a number may be ``"15%"``), ``minimum`` and
choices are checked, unknown keys are reported, and every problem is recorded with the file and the
dotted key (``rules[late].cap``) instead of stopping at the first. Checks that relate several fields or
items are written by hand beside the classes (``check=`` hooks and :func:`kaoping.core.scheme.check_scheme`).

The same declarations give the key tables of ``docs/scheme-format.md`` (:func:`key_table`; regenerate
with ``python -m kaoping.core.fields``) and the JSON Schema of the scheme file
(:mod:`kaoping.core.schema_json`).
"""

from __future__ import annotations

import functools
import re
import sys
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args, get_origin

import attrs

from kaoping.core.errors import Problem
from kaoping.core.numbers import to_decimal
from kaoping.locale import N_, _

Kind = Literal["text", "bool", "whole", "number", "texts", "table", "item", "items", "params", "doc"]
"""How a key is written: ``text``; ``bool`` (true / false); ``whole`` (a whole number); ``number`` (exact
decimal, ``"15%"`` allowed); ``texts`` (a list of text, or one text); ``table`` (free keys); ``item`` (a
table read as a class); ``items`` (an array of tables, ``[[key]]``, each read as a class, named by its
``id``); ``params`` (every key not declared: a method's parameters); ``doc`` (prose such as ``quote``)."""

METADATA = "kaoping.toml"
DERIVED = "kaoping.derived"
DOC_KEYS = frozenset({"quote", "source", "note", "reading", "draft"})  # prose any table may carry
T = TypeVar("T")


class _Absent:
    """The marker of a key whose absence gives the field's own default."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


@attrs.frozen
class Key:
    """How one field is written in the scheme TOML (the metadata :func:`key` attaches to an attrs field)."""

    kind: Kind
    doc: str  # an English message id (``N_``), shown translated
    toml: str = ""  # the TOML key, when it differs from the field's name
    required: bool = False
    choices: tuple[str, ...] = ()  # allowed values (of each element, for ``texts``); else from a Literal
    choice_error: str = ""  # the message id of a value outside ``choices``
    minimum: Decimal | None = None
    override: bool = True  # whether a deployment's overrides may set it
    requirable: bool = False  # may be listed in the item's ``required`` (left to the deployment)
    absent: Any = ABSENT  # the value of an absent key when it differs from the field's default
    item: type | None = None  # the class of an ``item`` or of each of ``items``
    label: str = ""  # ``items``: how a problem names one of them ("grading band")
    parse: Callable[[TableReader, str], Any] | None = None  # a hand-written reader of this one key

    def name(self, field: attrs.Attribute) -> str:  # type: ignore[type-arg]
        return self.toml or field.name


def key(
    kind: Kind,
    doc: str,
    *,
    default: Any = attrs.NOTHING,
    factory: Callable[[], Any] | None = None,
    **spec: Any,
) -> Any:
    """An attrs field read from the scheme TOML as ``kind``, documented by ``doc`` (an ``N_`` message id).

    ``default`` (or ``factory``) is the field's default in Python and in the file; ``absent=`` gives an
    absent key's value for a field Python code must always pass (a part's ``name``). See :class:`Key`.
    """
    metadata = {METADATA: Key(kind, doc, **spec)}
    if factory is not None:
        return attrs.field(factory=factory, metadata=metadata)
    return attrs.field(default=default, metadata=metadata)


def derived(compute: Callable[[TableReader], Any], default: Any = ()) -> Any:
    """A field that is not a key of its own but computed from the table as read (a part's ``unset``)."""
    return attrs.field(default=default, metadata={DERIVED: compute})


def spec_of(field: attrs.Attribute) -> Key | None:  # type: ignore[type-arg]
    return field.metadata.get(METADATA)


def declared(cls: type) -> list[tuple[attrs.Attribute, Key]]:  # type: ignore[type-arg]
    """The fields of ``cls`` read from the file, with their declarations, in declaration order."""
    return [(f, spec) for f in attrs.fields(cls) if (spec := spec_of(f)) is not None]


@functools.cache
def choices_of(cls: type, name: str) -> tuple[str, ...]:
    """The allowed values of field ``name``: declared ``choices``, else its ``Literal`` annotation's."""
    field = attrs.fields_dict(cls)[name]
    spec = spec_of(field)
    if spec is not None and spec.choices:
        return spec.choices
    annotation = typing.get_type_hints(cls)[name]
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is Literal:
            return tuple(get_args(candidate))
    return ()


def toml_default(field: attrs.Attribute, spec: Key) -> Any:  # type: ignore[type-arg]
    """What an absent key reads as: ``absent``, else the field's default (a factory called), else ABSENT."""
    if spec.absent is not ABSENT:
        return spec.absent
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()  # type: ignore[union-attr]
    return ABSENT if default is attrs.NOTHING else default


class TableReader:
    """Reads one TOML table, recording problems instead of stopping at the first.

    Every value is type-checked as it is read, and a problem names the table (``where``: "rule 'late'")
    in its message and the dotted key (``rules[late].cap``) in its ``key``, so that an override that
    caused it can be named in the deployment file.
    """

    def __init__(self, table: Any, where: str, problems: list[Problem], origin: str, key: str = "") -> None:
        self.table: Mapping[str, Any] = table if isinstance(table, Mapping) else {}
        self.where = where
        self.problems = problems
        self.origin = origin
        self.key = key
        self.used: set[str] = set()
        if not isinstance(table, Mapping):
            self.fail(_("expected a table, got {value!r}").format(value=table))

    def fail(self, message: str, key: str = "") -> None:
        """Record a problem of this table (of its ``key``, when given)."""
        dotted = ".".join(filter(None, (self.key, key)))
        self.problems.append(
            Problem(_("{where}: {message}").format(where=self.where, message=message), file=self.origin, key=dotted)
        )

    def inner(self, value: Any, name: str, where: str = "", key: str = "") -> TableReader:
        """A reader of the table ``value`` found under ``name`` in this one."""
        return TableReader(
            value,
            where or (f"{self.where}.{name}" if self.key else name),
            self.problems,
            self.origin,
            key or ".".join(filter(None, (self.key, name))),
        )

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return self.table.get(key, default)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default)
        if value is None:
            self.fail(_("missing required key {key!r}").format(key=key), key)
            return ""
        if not isinstance(value, str):
            self.fail(_("{key}: expected text, got {value!r}").format(key=key, value=value), key)
            return str(value)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(
                _("{key}: expected true or false (without quotes), got {value!r}").format(key=key, value=value), key
            )
            return default
        return value

    def whole(self, key: str) -> int | None:
        value = self.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(_("{key}: expected a whole number, got {value!r}").format(key=key, value=value), key)
            return None
        return value

    def table_of(self, key: str) -> dict[str, Any]:
        value = self.get(key, {})
        if not isinstance(value, Mapping):
            self.fail(_("{key}: expected a table, got {value!r}").format(key=key, value=value), key)
            return {}
        return dict(value)

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
            self.fail(
                _("{key}: expected a list of tables ([[{key}]]), got {value!r}").format(key=key, value=value), key
            )
            return []
        return value

    def number(
        self, key: str, default: Decimal | None = None, required: bool = False, minimum: Decimal | None = None
    ) -> Decimal | None:
        value = self.get(key)
        if value is None:
            if required:
                self.fail(_("missing required key {key!r}").format(key=key), key)
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            self.fail(_("{key}: expected a number, got {value!r}").format(key=key, value=value), key)
            return default
        try:
            number = to_decimal(value)
        except ValueError as error:
            self.fail(f"{key}: {error}", key)
            return default
        if minimum is not None and number < minimum:
            self.fail(
                _("{key}: must be at least {minimum}, got {value}").format(key=key, minimum=minimum, value=value), key
            )
        return number

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, [])
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(_("{key}: expected a list of text, got {value!r}").format(key=key, value=value), key)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()
        return tuple(value)

    def rest(self) -> dict[str, Any]:
        """Keys not read structurally: method parameters for indicators and rules."""
        return {k: v for k, v in self.table.items() if k not in self.used and k not in DOC_KEYS}

    def check_no_rest(self) -> None:
        for key in self.rest():
            self.fail(_("unknown key {key!r}").format(key=key), key)


Check = Callable[[TableReader, Any], None]
"""A hand-written check of one read object (fields that depend on each other), failing through the reader."""

CHOICE_ERROR = N_("{key} must be one of {choices}, got {value!r}")


@attrs.frozen
class _Slot:
    """One declared field as the reader uses it, worked out once per class (see :func:`_plan`)."""

    field: str
    spec: Key
    name: str  # the TOML key
    default: Any  # what an absent key reads as (ABSENT: none)
    factory: Callable[[], Any] | None  # a fresh default per object (a table)
    choices: tuple[str, ...]


@attrs.frozen
class _Plan:
    slots: tuple[_Slot, ...]
    derived: tuple[tuple[str, Callable[[TableReader], Any]], ...]
    params: str  # the field that takes the undeclared keys, or ""


@functools.cache
def _plan(cls: type) -> _Plan:
    slots, params = [], ""
    for field, spec in declared(cls):
        if spec.kind == "params":
            params = field.name
            continue
        default = field.default
        fresh = isinstance(default, attrs.Factory) and spec.absent is ABSENT  # type: ignore[arg-type]
        factory = default.factory if fresh else None  # type: ignore[union-attr]
        slots.append(
            _Slot(field.name, spec, spec.name(field), toml_default(field, spec), factory, choices_of(cls, field.name))
        )
    derived = tuple((f.name, f.metadata[DERIVED]) for f in attrs.fields(cls) if DERIVED in f.metadata)
    return _Plan(tuple(slots), derived, params)


def read(cls: type[T], reader: TableReader, checks: Mapping[type, Check] | None = None, **given: Any) -> T:
    """``cls`` from the reader's table: every declared key by its kind, ``given`` for the fields the caller
    supplies itself (``plugin``, ``origin``), then ``checks[cls]`` on the object. Problems are recorded
    in the reader; the field then takes its default so that reading goes on and all are reported at once."""
    checks = checks or {}
    plan = _plan(cls)  # type: ignore[arg-type]
    values: dict[str, Any] = dict(given)
    required = reader.table.get("required")  # numbers left to the deployment may be absent
    listed = {required} if isinstance(required, str) else set(required) if isinstance(required, list) else set()
    table = reader.table
    for slot in plan.slots:
        if slot.field in given:
            continue
        spec = slot.spec
        if slot.name not in table and spec.parse is None and not spec.required and spec.kind != "item":
            reader.used.add(slot.name)  # absent: its default, the common case, without a reader call
            values[slot.field] = slot.factory() if slot.factory is not None else _absent(slot)
            continue
        values[slot.field] = _value(slot, reader, listed, checks)
    for name, compute in plan.derived:
        if name not in given:
            values[name] = compute(reader)
    if plan.params:
        values[plan.params] = reader.rest()
    else:
        reader.check_no_rest()
    made = cls(**values)
    check = checks.get(cls)
    if check is not None:
        check(reader, made)
    return made


def _absent(slot: _Slot) -> Any:
    if isinstance(slot.default, dict):
        return dict(slot.default)  # never one table shared by every scheme read
    if slot.default is not ABSENT:
        return slot.default
    return {"number": Decimal(0), "text": "", "doc": ""}.get(slot.spec.kind, ())


def _value(slot: _Slot, reader: TableReader, listed: set[str], checks: Mapping[type, Check]) -> Any:
    spec, name, default = slot.spec, slot.name, slot.default
    if spec.parse is not None:
        return spec.parse(reader, name)
    kind = spec.kind
    if kind == "doc":
        return str(reader.get(name, ""))
    if kind in ("text", "texts") and default is None and name not in reader.table:
        reader.used.add(name)
        return None  # an absent list that means "not restricted" (a group's ``parts``)
    if kind == "text":
        value: Any = reader.text(name, None if spec.required or default is ABSENT else default)
    elif kind == "bool":
        value = reader.flag(name, default)
    elif kind == "whole":
        value = reader.whole(name)
    elif kind == "number":
        required = spec.required and not (spec.requirable and name in listed)
        value = reader.number(name, None if default is ABSENT else default, required=required, minimum=spec.minimum)
        if value is None and default is ABSENT:
            value = Decimal(0)
    elif kind == "texts":
        value = reader.strings(name)
    elif kind == "table":
        value = reader.table_of(name)
    elif kind == "item":
        assert spec.item is not None
        table = reader.get(name)
        if table is None and default is not ABSENT:
            return default
        value = read(spec.item, reader.inner(table if table is not None else {}, name), checks)
    elif kind == "items":
        assert spec.item is not None
        value = tuple(
            read(spec.item, reader.inner(table, name, *_item_place(reader, spec, name, table)), checks)
            for table in reader.tables(name)
        )
    else:  # pragma: no cover - every kind is handled above
        raise AssertionError(kind)
    if slot.choices and value is not None:
        for one in value if kind == "texts" else (value,):
            if one not in slot.choices:
                reader.fail(_choice_error(spec, name, slot.choices, one), name)
                if kind != "texts" and default is not ABSENT:
                    value = default
    return value


def _item_place(reader: TableReader, spec: Key, name: str, table: Mapping[str, Any]) -> tuple[str, str]:
    """How a problem names one table of an array: ``part 'work'`` at ``parts[work]``."""
    item_id = str(table.get("id", "?"))
    dotted = ".".join(filter(None, (reader.key, name)))
    return f"{spec.label} {item_id!r}", f"{dotted}[{item_id}]"


def _choice_error(spec: Key, name: str, choices: tuple[str, ...], value: Any) -> str:
    return _(spec.choice_error or CHOICE_ERROR).format(
        key=name, choices=", ".join(choices), sorted=sorted(choices), value=value
    )


# ---------------------------------------------------------------------------------------------------------
# documentation

_KIND_WORDS = {
    "text": "text",
    "bool": "true / false",
    "whole": "whole number",
    "number": "number",
    "texts": "list of text",
    "table": "table",
    "item": "table",
    "items": "array of tables",
    "doc": "text",
}


def key_table(cls: type) -> str:
    """The markdown table of ``cls``'s TOML keys: key, kind, default, whether overrides may set it, meaning.

    Written in English, the language of ``docs/`` (the message ids themselves), whatever the language set.
    """
    rows = ["| key | kind | default | override | meaning |", "|---|---|---|---|---|"]
    for field, spec in declared(cls):
        if spec.kind == "params":
            continue
        name = spec.name(field)
        default = toml_default(field, spec)
        if spec.required:
            shown = "required" + (" (or listed in `required`)" if spec.requirable else "")
        elif default is ABSENT or default in ({}, (), "", None) or attrs.has(type(default)):
            shown = "—"
        else:
            shown = _literal(default)
        meaning = spec.doc
        choices = choices_of(cls, field.name)
        if choices:
            meaning += " (" + ", ".join(f"`{c}`" for c in choices) + ")"
        if spec.minimum is not None:
            meaning += f" (≥ {spec.minimum})"
        override = "yes" if spec.override else "no"
        rows.append(f"| `{name}` | {_KIND_WORDS[spec.kind]} | {shown} | {override} | {meaning} |")
    if any(spec.kind == "params" for _field, spec in declared(cls)):
        rows.append("| *other keys* | | | yes | the method's parameters (`kaoping methods` lists them) |")
    return "\n".join(rows)


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"


_BLOCK = re.compile(r"(<!-- keys: (\w+) -->\n)(.*?)(<!-- /keys -->)", re.DOTALL)


def documented_keys(text: str, classes: Mapping[str, type]) -> str:
    """``text`` with every ``<!-- keys: Class -->`` … ``<!-- /keys -->`` block regenerated."""

    def table(match: re.Match[str]) -> str:
        return f"{match.group(1)}{key_table(classes[match.group(2)])}\n{match.group(4)}"

    return _BLOCK.sub(table, text)


SCHEME_FORMAT = Path("docs") / "scheme-format.md"


def scheme_format(text: str) -> str:
    """``docs/scheme-format.md``'s text with the key tables of the scheme classes regenerated."""
    from kaoping.core import scheme  # the classes declare their keys with this module

    return documented_keys(text, {cls.__name__: cls for cls in scheme.TABLE_CLASSES})


def main(argv: list[str]) -> int:
    """Regenerate the key tables of ``docs/scheme-format.md`` (or the file named) in place."""
    from kaoping.core import fields  # this module as imported (one ABSENT marker), not as __main__

    path = Path(argv[0]) if argv else SCHEME_FORMAT
    path.write_text(fields.scheme_format(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
