"""Typed reading of configuration files: TOML tables into attrs classes, every type error with its key.

TOML has types, but a lenient reader loses them: ``plugins = "x.py"`` read as a list is five one-letter
plugins, ``ranked = "false"`` read as a truth value is true. :func:`structure` builds the attrs class with
cattrs and a converter that converts nothing: text must be text, a whole number a whole number, a list a
list, a table a table, and a key the class does not have is an error. Every error is reported, each with
the dotted key it sits at (``counties.zhangzhou.plugins``), so one run lists everything to fix. What is
checked here is the shape; what the values mean (a limit above 0, a scheme that exists) stays with the
code that knows it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn

from kaoping.core.errors import Problem
from kaoping.core.numbers import to_decimal
from kaoping.locale import _

T = TypeVar("T")


class ShapeError(TypeError):
    """A value of the wrong type, with a message for the person who wrote it."""


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a table")
    return type(value).__name__


def _expect(wanted: str, value: Any) -> ShapeError:
    message = _("expected {wanted}, got {kind} {value!r}").format(wanted=wanted, kind=_kind(value), value=value)
    return ShapeError(message)


def _text(value: Any, _type: Any) -> str:
    if not isinstance(value, str):
        raise _expect(_("text"), value)
    return value


def _boolean(value: Any, _type: Any) -> bool:
    if not isinstance(value, bool):
        raise _expect(_("true or false (without quotes)"), value)
    return value


def _whole(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _expect(_("a whole number"), value)
    return value


def _number(value: Any, _type: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _expect(_("a number"), value)
    try:
        return to_decimal(value)
    except ValueError as error:
        raise ShapeError(str(error)) from None


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _text)
    converter.register_structure_hook(bool, _boolean)
    converter.register_structure_hook(int, _whole)
    converter.register_structure_hook(Decimal, _number)
    # Any (an overrides table, checked later against the scheme) passes through as written

    def sequence_hook(type_: Any) -> Callable[[Any, Any], Any]:
        inner = converter.get_structure_hook(get_args(type_)[0])

        def structure_sequence(value: Any, _type: Any) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise _expect(_("a list"), value)
            return tuple(_each(value, inner, get_args(type_)[0], type_))

        return structure_sequence

    def mapping_hook(type_: Any) -> Callable[[Any, Any], Any]:
        value_type = get_args(type_)[1] if get_args(type_) else Any
        inner = converter.get_structure_hook(value_type)

        def structure_mapping(value: Any, _type: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _expect(_("a table"), value)
            items = _each(list(value.values()), inner, value_type, type_, keys=list(value))
            return dict(zip(value, items, strict=True))

        return structure_mapping

    def table_hook(cls: type) -> Callable[[Any, Any], Any]:
        default: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

        def structure_table(value: Any, _type: Any) -> Any:
            if not isinstance(value, dict):
                raise _expect(_("a table"), value)
            return default(value, cls)

        return structure_table

    converter.register_structure_hook_factory(_is_sequence, sequence_hook)
    converter.register_structure_hook_factory(_is_mapping, mapping_hook)
    converter.register_structure_hook_factory(attrs.has, table_hook)
    return converter


def _is_sequence(type_: Any) -> bool:
    """``list[X]`` or ``tuple[X, ...]``: a TOML array of one kind of item."""
    origin, args = get_origin(type_), get_args(type_)
    return (origin is list and len(args) == 1) or (origin is tuple and len(args) == 2 and args[1] is ...)


def _is_mapping(type_: Any) -> bool:
    return get_origin(type_) is dict


def _each(
    values: list[Any], hook: Callable[[Any, Any], Any], item_type: Any, type_: Any, keys: list[Any] | None = None
) -> list[Any]:
    """Structure every item, collecting every failure under its index (or key) instead of stopping at one."""
    out: list[Any] = []
    errors: list[Exception] = []
    notes: list[Any] = []
    for index, value in enumerate(values):
        try:
            out.append(hook(value, item_type))
        except Exception as error:
            errors.append(error)
            notes.append(keys[index] if keys is not None else index)
    if errors:
        for failed, where in zip(errors, notes, strict=True):
            # PEP 678's notes, which cattrs reads; through the instance dict (where Python 3.11+ keeps them
            # too) because Python 3.10's BaseException does not declare ``__notes__``
            vars(failed)["__notes__"] = [*getattr(failed, "__notes__", []), _Where(where)]
        raise IterableValidationError("", errors, type_)
    return out


class _Where(str):
    """A note naming the index or key an item sits at."""

    def __new__(cls, where: Any) -> _Where:
        made = super().__new__(cls, str(where))
        made.where = where  # type: ignore[attr-defined]
        return made


_CONVERTER = _make_converter()


def structure(data: Any, cls: type[T], file: str, prefix: str = "") -> tuple[T | None, list[Problem]]:
    """``data`` as a ``cls``, or ``None`` and every problem with its dotted key (under ``prefix``)."""
    try:
        return _CONVERTER.structure(data, cls), []
    except Exception as error:
        problems: list[Problem] = []
        _collect(error, [prefix] if prefix else [], cls, file, problems)
        return None, problems


def _collect(error: BaseException, path: list[Any], cls: Any, file: str, problems: list[Problem]) -> None:
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        for sub in error.exceptions:
            step = _step(sub)
            _collect(sub, [*path, step] if step is not None else path, cls, file, problems)
        return
    if isinstance(error, ForbiddenExtraKeysError):
        known = ", ".join(f.name for f in attrs.fields(error.cl))
        for extra in sorted(error.extra_fields):
            message = _("unknown key {key!r} (expected: {known})").format(key=extra, known=known)
            problems.append(Problem(message, file, key=_dotted(path)))
        return
    if isinstance(error, KeyError):
        problems.append(Problem(_("missing required key"), file, key=_dotted(path)))
        return
    problems.append(Problem(str(error), file, key=_dotted(path)))


def _step(error: BaseException) -> Any:
    for note in getattr(error, "__notes__", ()):
        if isinstance(note, _Where):
            return note.where  # type: ignore[attr-defined]
        name = getattr(note, "name", None)
        if name is not None:
            return name
        index = getattr(note, "index", None)
        if index is not None:
            return index
    return None


def _dotted(path: list[Any]) -> str:
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out
