"""Deep-merge of scheme overrides, validated before anything is applied.

A deployment changes a scheme's numbers with a table shaped like the scheme itself. Tables merge key by
key; arrays of tables merge item by item on ``id``. A key or id the scheme does not have is an error, so
a typo can never be silently ignored. Two explicit escapes: an array item with ``add = true`` is
appended as a new item (creating the array when the scheme has none, e.g. the first grade band), and
a key listed in the item's ``required`` array (a number the source leaves out) may be supplied. An
array the scheme leaves empty (``bands = []``: the source names no cut-offs) takes the override's items.
Indicator and rule tables may also gain keys, because those are method
parameters that are checked against the method's declared parameters when the scheme is bound.
"""

from __future__ import annotations

import copy
from typing import Any

import attrs

from kaoping.core.errors import Problem, SchemeError
from kaoping.core.numbers import to_decimal
from kaoping.locale import _

# Arrays of tables whose items may gain method parameters the scheme file left at their defaults.
_OPEN_ITEM_ARRAYS = {"indicators", "rules"}


@attrs.frozen
class Origin:
    """Where overrides are written: a file and the dotted key of their table in it."""

    file: str
    key: str = ""  # counties.zhangzhou.overrides

    def blame(self, problem: Problem) -> Problem:
        """``problem`` (found in the scheme after the overrides) said about the override that caused it."""
        key = ".".join(filter(None, (self.key, problem.key)))
        return attrs.evolve(problem, file=self.file, key=key)


def apply_overrides(
    base: dict[str, Any],
    overrides: dict[str, Any],
    origin: str | Origin = "overrides",
    collect: list[Problem] | None = None,
) -> dict[str, Any]:
    """Return a merged copy of ``base``; raise :class:`SchemeError` listing every invalid override.

    With ``collect``, invalid overrides are appended to it instead and the valid ones are applied, so that
    a caller can report them together with the problems of the scheme they produce.
    """
    problems: list[Problem] = []
    merged = copy.deepcopy(base)
    if not isinstance(overrides, dict):
        problems.append(Problem(_("overrides must be a table")))
    else:
        _merge_table(merged, overrides, path="", problems=problems, origin="", open_keys=False)
    where = origin if isinstance(origin, Origin) else Origin(origin)
    blamed = [where.blame(problem) for problem in problems]
    if collect is not None:
        collect.extend(blamed)
    elif blamed:
        raise SchemeError(blamed)
    return merged


DERIVED_KEYS = ("scheme", "overrides", "parameters")


def derive_scheme(base: dict[str, Any], changes: dict[str, Any], origin: str) -> dict[str, Any]:
    """A scheme derived from ``base``, as a district adopts its city's scheme with its own numbers.

    ``changes`` has three tables: ``[scheme]`` the derived scheme's identity (``id``, ``name``,
    ``locality``, ``source``, … replace the base's), ``[overrides]`` merged into the base exactly as a
    deployment's overrides are (a key or id the base does not have is an error), and ``[parameters]``
    added to the base's parameters (the derived plugin's own rules). The base's unit rosters
    (``groups.*.units``) are dropped: a derived scheme's units are named in its own data.
    """
    unknown = sorted(set(changes) - set(DERIVED_KEYS))
    problems = [
        Problem(
            _("unknown table {key!r} in a derived scheme (known: {known})").format(
                key=key, known=", ".join(DERIVED_KEYS)
            ),
            file=origin,
        )
        for key in unknown
    ]
    identity = changes.get("scheme")
    if not isinstance(identity, dict) or not identity.get("id"):
        problems.append(Problem(_("a derived scheme needs a [scheme] table with its own id"), file=origin))
    if problems:
        raise SchemeError(problems)
    assert isinstance(identity, dict)
    data = apply_overrides(base, changes.get("overrides", {}), origin)
    data.update(copy.deepcopy(identity))
    data["parameters"] = {**data.get("parameters", {}), **copy.deepcopy(changes.get("parameters", {}))}
    for group in data.get("groups", []):
        group.pop("units", None)
    return data


def parse_blaming(parse: Any, data: dict[str, Any], base: dict[str, Any], origin: str | Origin | None) -> Any:
    """``parse(data)``; when only the overridden ``data`` fails, its problems name the overrides' file and key.

    A negative cap or a text where a number belongs, set in ``kaoping.toml``, would otherwise be reported
    against the built-in scheme file, which the deployer never wrote.
    """
    try:
        return parse(data)
    except SchemeError as error:
        if data is base or not isinstance(origin, Origin):
            raise
        try:
            parse(base)
        except SchemeError:
            raise error from None
        raise SchemeError([origin.blame(problem) for problem in error.problems]) from None


def _merge_table(
    target: dict[str, Any],
    changes: dict[str, Any],
    *,
    path: str,
    problems: list[Problem],
    origin: str,
    open_keys: bool,
) -> None:
    allowed_new = set(target.get("required", ())) if isinstance(target.get("required"), list) else set()
    for key, value in changes.items():
        where = f"{path}.{key}" if path else key
        if key not in target and _all_added(value):
            target[key] = []  # filled by the empty-array branch below
        if key not in target:
            if open_keys or key in allowed_new:
                target[key] = copy.deepcopy(value)
                continue
            problems.append(
                Problem(_("override names '{where}', which the scheme does not have").format(where=where), key=where)
            )
            continue
        current = target[key]
        if isinstance(current, dict) and isinstance(value, dict):
            _merge_table(current, value, path=where, problems=problems, origin=origin, open_keys=False)
        elif current == [] and _is_item_array(value):
            target[key] = [{k: copy.deepcopy(v) for k, v in item.items() if k != "add"} for item in value]
        elif _is_item_array(current) and isinstance(value, list):
            _merge_items(
                current, value, path=where, problems=problems, origin=origin, open_keys=key in _OPEN_ITEM_ARRAYS
            )
        elif isinstance(current, dict) != isinstance(value, dict):
            problems.append(
                Problem(
                    _("override of '{where}' must be a {expected}, got a {given}").format(
                        where=where, expected=_kind(current), given=_kind(value)
                    ),
                    key=where,
                )
            )
        elif (wanted := _unlike(current, value)) is not None:
            problems.append(
                Problem(
                    _("override of {key!r} must be {wanted} like the scheme's {current!r}, got {value!r}").format(
                        key=where, wanted=wanted, current=_brief(current), value=_brief(value)
                    ),
                    key=where,
                )
            )
        else:
            target[key] = copy.deepcopy(value)


def _merge_items(
    items: list[dict[str, Any]],
    changes: list[Any],
    *,
    path: str,
    problems: list[Problem],
    origin: str,
    open_keys: bool,
) -> None:
    by_id = {item["id"]: item for item in items}
    for change in changes:
        if not isinstance(change, dict) or "id" not in change:
            problems.append(
                Problem(_("each override of '{path}' must be a table with an 'id'").format(path=path), key=path)
            )
            continue
        change = dict(change)
        item_id = change.pop("id")
        if change.pop("add", False):
            if item_id in by_id:
                problems.append(
                    Problem(
                        _("{path} id '{item_id}' already exists; drop 'add = true' to change it").format(
                            path=path, item_id=item_id
                        ),
                        key=path,
                    )
                )
                continue
            new_item = {"id": item_id, **copy.deepcopy(change)}
            items.append(new_item)
            by_id[item_id] = new_item
            continue
        if item_id not in by_id:
            known = ", ".join(sorted(map(str, by_id))) or "none"
            problems.append(
                Problem(
                    _("override names {path} id '{item_id}', which the scheme does not have (known: {known})").format(
                        path=path, item_id=item_id, known=known
                    ),
                    key=path,
                )
            )
            continue
        _merge_table(
            by_id[item_id], change, path=f"{path}[{item_id}]", problems=problems, origin=origin, open_keys=open_keys
        )


def _unlike(current: Any, value: Any) -> str | None:
    """What ``value`` should have been when it is not the same kind of value as the scheme's ``current``.

    A text where the scheme has a number (``evaluation_year = "2012年"``), a truth value written as text
    (``"false"``), a single value where the scheme has a list: each would reach a plugin or a method as
    the wrong type and fail far from its cause, or silently read as something else.
    """
    if isinstance(current, bool):
        return None if isinstance(value, bool) else _("true or false (without quotes)")
    if isinstance(current, (int, float)):
        return None if _is_number(value) else _("a number")
    if isinstance(current, list):
        return None if isinstance(value, list) else _("a list")
    if isinstance(current, str) and not isinstance(value, str):
        return None if _is_number(current) and _is_number(value) else _("text")
    return None


class _Said(str):
    """Text a message quotes with ``!r`` as it is: a description, not a value the user wrote."""

    def __repr__(self) -> str:
        return str(self)


def _brief(value: Any, limit: int = 60) -> Any:
    """A value as a message quotes it: a list of tables (a scheme's whole roster) is summarised, not dumped."""
    if isinstance(value, (list, dict)) and len(repr(value)) > limit:
        return _Said(_("a {kind} of {count} entries").format(kind=_kind(value), count=len(value)))
    if isinstance(value, str) and len(value) > limit:
        return value[:limit] + "…"
    return value


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        try:
            to_decimal(value)
        except ValueError:
            return False
        return True
    return False


def _all_added(value: Any) -> bool:
    """A non-empty array whose every item says ``add = true``: new items, never a typo of an old key."""
    return _is_item_array(value) and all(item.get("add") is True for item in value)


def _is_item_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "id" in v for v in value)


def _kind(value: Any) -> str:
    """What a TOML value is, as a message says it (表 / 列表 / 值 in Chinese)."""
    return _("table") if isinstance(value, dict) else _("list") if isinstance(value, list) else _("value")
