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

from kaoping.core.errors import Problem, SchemeError

# Arrays of tables whose items may gain method parameters the scheme file left at their defaults.
_OPEN_ITEM_ARRAYS = {"indicators", "rules"}


def apply_overrides(
    base: dict[str, Any],
    overrides: dict[str, Any],
    origin: str = "overrides",
    collect: list[Problem] | None = None,
) -> dict[str, Any]:
    """Return a merged copy of ``base``; raise :class:`SchemeError` listing every invalid override.

    With ``collect``, invalid overrides are appended to it instead and the valid ones are applied, so that
    a caller can report them together with the problems of the scheme they produce.
    """
    problems: list[Problem] = []
    merged = copy.deepcopy(base)
    _merge_table(merged, overrides, path="", problems=problems, origin=origin, open_keys=False)
    if collect is not None:
        collect.extend(problems)
    elif problems:
        raise SchemeError(problems)
    return merged


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
            problems.append(Problem(f"override names {where!r}, which the scheme does not have", file=origin))
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
                Problem(f"override of {where!r} must be a {_kind(current)}, got a {_kind(value)}", file=origin)
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
            problems.append(Problem(f"each override of {path!r} must be a table with an 'id'", file=origin))
            continue
        change = dict(change)
        item_id = change.pop("id")
        if change.pop("add", False):
            if item_id in by_id:
                problems.append(
                    Problem(f"{path} id {item_id!r} already exists; drop 'add = true' to change it", file=origin)
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
                    f"override names {path} id {item_id!r}, which the scheme does not have (known: {known})",
                    file=origin,
                )
            )
            continue
        _merge_table(
            by_id[item_id], change, path=f"{path}[{item_id}]", problems=problems, origin=origin, open_keys=open_keys
        )


def _all_added(value: Any) -> bool:
    """A non-empty array whose every item says ``add = true``: new items, never a typo of an old key."""
    return _is_item_array(value) and all(item.get("add") is True for item in value)


def _is_item_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "id" in v for v in value)


def _kind(value: Any) -> str:
    return "table" if isinstance(value, dict) else "list" if isinstance(value, list) else "value"
