"""Named scoring methods: the registry and the contract a method implements.

Scheme files name a ``method`` on every indicator and rule. A method is a batch function: it receives one
indicator (or rule) and the rows of *all* units for it, and returns the points of each. Plugins add
methods through the ``kaoping_register_methods`` hook; the core's own are in
:mod:`kaoping.core.primitives` and are registered through the same hook.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, get_args

import attrs

from kaoping.core.errors import PluginError, Problem, SchemeError
from kaoping.core.labels import kind_label
from kaoping.core.models import EventRow, ValueRow, Where
from kaoping.core.numbers import quantize, to_decimal
from kaoping.locale import _

MethodKind = Literal["indicator", "rule"]
ParamKind = Literal["number", "text", "table", "bool", "list"]
# What the numbers a method reads are: a ratio (完成率, 0.85 or 85%), points (分), an amount (元, 亩, 件数 of a
# plan), a count (votes, cases, events) or a level (a place in a ranking, a coded conclusion). Only a ratio
# may be written as a percentage: ``85%`` in a column of points is a slip that would score 0.85.
ValueKind = Literal["ratio", "points", "amount", "count", "level"]
VALUE_KINDS: tuple[str, ...] = get_args(ValueKind)

if TYPE_CHECKING:
    from kaoping.core.models import Dataset
    from kaoping.core.scheme import Indicator, Rule, Scheme


@attrs.frozen
class Param:
    """A method parameter as a scheme file writes it."""

    name: str
    kind: ParamKind = "number"
    default: Any = None
    required: bool = False
    doc: str = ""


@attrs.frozen
class Award:
    """Points a method gives, with the inputs that produced them (shown in the explanation trail)."""

    points: Decimal
    inputs: Mapping[str, Any] = attrs.field(factory=dict)
    note: str = ""


IndicatorFn = Callable[["Indicator", Mapping[str, Sequence[ValueRow]], "ScoringContext"], Mapping[str, Award]]
RuleFn = Callable[["Rule", Sequence[EventRow], "ScoringContext"], Sequence[Award]]


@attrs.frozen
class Method:
    """A registered scoring method.

    ``kind`` is ``"indicator"`` (scores a value table) or ``"rule"`` (prices deduction/bonus events).
    ``fn`` is called once per indicator or rule with every unit's rows. ``vectorised`` is the indicator
    method's columnar form (columns in, exact fractions out; see :mod:`kaoping.core.columnar.vector`),
    which lets the columnar engine score a scheme using it without the row adapter.
    """

    name: str
    kind: MethodKind
    fn: Callable[..., Any]
    params: tuple[Param, ...] = ()
    doc: str = ""
    plugin: str = ""
    # the parameter whose keys are the ``item`` values a unit needs one value row each for (a rating
    # method's ``levels``): templates pre-fill those rows, so they ask exactly for what the method reads
    items: str = ""

    def row_items(self, params: Mapping[str, Any]) -> list[str]:
        """The items of the value rows one unit needs for an indicator with ``params``; ``[""]``: one row."""
        keys = params.get(self.items) if self.items else None
        return [str(key) for key in keys] if keys else [""]

    vectorised: Callable[..., Any] | None = None  # the columnar form (kaoping.core.columnar.vector)
    # what the value, target and baseline columns hold for this method (several: the scheme's indicator
    # says which with ``value_kind``); empty: not declared, so a percentage is accepted as before
    value_kind: tuple[ValueKind, ...] = ()


@attrs.define
class ScoringContext:
    """What a method may use besides its rows: the scheme, the dataset, rounding, and a problem list.

    Methods report bad input with :meth:`problem` rather than raising, so that a run reports every
    problem at once.
    """

    scheme: Scheme
    dataset: Dataset
    problems: list[Problem] = attrs.field(factory=list)

    def round(self, value: Decimal) -> Decimal:
        """Round to the scheme's precision with the scheme's rounding mode."""
        return quantize(value, self.scheme.precision, self.scheme.rounding)

    def problem(self, message: str, where: Where | None = None, column: str = "") -> None:
        where = where or Where()
        # a problem no row locates concerns the data, named as a message names files: never a machine's path
        concerns = "" if where.file else os.path.basename(self.dataset.origin)
        self.problems.append(Problem(message, file=where.file, row=where.row, column=column, input=concerns))

    def warning(self, message: str, where: Where | None = None, column: str = "") -> None:
        """A guideline the data does not follow (「左右」「一般」): listed in the result, the run goes on."""
        where = where or Where()
        self.problems.append(Problem(message, file=where.file, row=where.row, column=column, severity="warning"))


class MethodRegistry:
    """Methods by name; a second registration of a name is an error that names both plugins."""

    def __init__(self) -> None:
        self._methods: dict[str, Method] = {}

    def register(self, method: Method) -> None:
        existing = self._methods.get(method.name)
        if existing is not None and existing is not method:
            raise PluginError(
                _(
                    "scoring method '{method_name}' is registered by both {value} and {value2}; rename one of them"
                ).format(method_name=method.name, value=existing.plugin or "?", value2=method.plugin or "?"),
                plugin=method.plugin,
                hook="kaoping_register_methods",
            )
        self._methods[method.name] = method

    def get(self, name: str) -> Method | None:
        return self._methods.get(name)

    def __iter__(self):
        return iter(sorted(self._methods.values(), key=lambda m: (m.kind, m.name)))

    def __contains__(self, name: str) -> bool:
        return name in self._methods


def method(
    name: str,
    kind: MethodKind,
    params: Sequence[Param] = (),
    doc: str | None = None,
    items: str = "",
    vectorised: Callable[..., Any] | None = None,
    value_kind: ValueKind | Sequence[ValueKind] = (),
) -> Callable[[Callable[..., Any]], Method]:
    """Decorator turning a batch function into a :class:`Method` (docstring becomes its doc); ``items``
    names the parameter that lists the value rows' items (see :attr:`Method.items`).

    ``value_kind`` says what the numbers the method reads are (:data:`ValueKind`): ``"ratio"`` where a
    completion rate is read (``85%`` is accepted and read as 0.85), ``"points"``, ``"amount"``, ``"count"``
    or ``"level"`` where a percentage is an error. A method that reads either names several
    (``("amount", "ratio")``), and a scheme's indicator states which with ``value_kind = "ratio"``.
    """
    kinds = (value_kind,) if isinstance(value_kind, str) else tuple(value_kind)
    unknown = [kind for kind in kinds if kind not in VALUE_KINDS]
    if unknown:
        raise PluginError(
            _("scoring method '{method_name}': value_kind {kinds} is not one of {known}").format(
                method_name=name, kinds=", ".join(map(str, unknown)), known=", ".join(VALUE_KINDS)
            )
        )

    def wrap(fn: Callable[..., Any]) -> Method:
        return Method(
            name=name,
            kind=kind,
            fn=fn,
            params=tuple(params),
            doc=doc or (fn.__doc__ or "").strip(),
            items=items,
            vectorised=vectorised,
            value_kind=kinds,
        )

    return wrap


def percent_allowed(value_kind: str) -> bool:
    """Whether a value written as a percentage (``85%``) makes sense for an indicator of ``value_kind``.

    ``value_kind`` is what :func:`bind_scheme` settled for the indicator: a ratio, or ``""`` when neither
    the method nor the scheme says (a method that reads either, a plugin's method that declares nothing).
    """
    return value_kind in ("", "ratio")


def bind_scheme(scheme: Scheme, registry: MethodRegistry, collect: list[Problem] | None = None) -> Scheme:
    """Check every indicator and rule against its method and fill parameter defaults.

    Unknown methods, unknown parameters, missing required parameters and parameters of the wrong kind
    are all reported together. Parameters listed in an item's ``required`` (numbers the source leaves
    out) are not demanded here and get no default: they are demanded when data uses the item. Each problem
    names the scheme file; with ``collect`` they are appended to it instead of raised.
    """
    problems: list[Problem] = []
    indicators = []
    for indicator in scheme.indicators:
        params = _bind_params(
            "indicator",
            indicator.id,
            indicator.method,
            indicator.params,
            indicator.required,
            attrs.fields_dict(type(indicator)),
            "indicator",
            registry,
            problems,
        )
        value_kind = _value_kind(indicator, registry.get(indicator.method), problems)
        indicators.append(attrs.evolve(indicator, params=params, value_kind=value_kind))
    rules = []
    for rule in scheme.rules:
        fields = attrs.fields_dict(type(rule))
        params = _bind_params(
            "rule", rule.id, rule.method, rule.params, rule.required, fields, "rule", registry, problems
        )
        rules.append(attrs.evolve(rule, params=params))
    if problems:  # located in the scheme's file, or named by the scheme when it has none
        concerns = _("scheme {scheme}").format(scheme=scheme.id)
        problems = [
            p
            if p.file or p.input
            else attrs.evolve(p, file=scheme.origin)
            if scheme.origin
            else attrs.evolve(p, input=concerns)
            for p in problems
        ]
    if collect is not None:
        collect.extend(problems)
    elif problems:
        raise SchemeError(problems)
    return attrs.evolve(scheme, indicators=tuple(indicators), rules=tuple(rules))


def _value_kind(indicator: Indicator, found: Method | None, problems: list[Problem]) -> str:
    """The kind of value an indicator reads: the one the scheme states, else the method's only one.

    The scheme may state a kind only among those the method declares (a method that reads points cannot
    be told it reads a ratio). ``""``: the method reads a ratio or other kinds and the scheme leaves it open.
    """
    declared = found.value_kind if found is not None else ()
    stated = indicator.value_kind
    if stated and (stated not in VALUE_KINDS or (declared and stated not in declared)):
        problems.append(
            Problem(
                _(
                    "indicator '{item_id}' ({name}): value_kind '{kind}' is not one its method '{method_name}' "
                    "reads ({known})"
                ).format(
                    item_id=indicator.id,
                    name=indicator.name,
                    kind=stated,
                    method_name=indicator.method,
                    known=", ".join(declared or VALUE_KINDS),
                ),
                key=f"indicators[{indicator.id}].value_kind",
            )
        )
        return ""
    if stated:
        return stated
    if len(declared) == 1 or (declared and "ratio" not in declared):
        return declared[0]  # several kinds, none a ratio (points and counts): a percentage is wrong for all
    return ""


def _bind_params(
    what: str,
    item_id: str,
    method_name: str,
    given: Mapping[str, Any],
    required_later: Sequence[str],
    own_fields: Collection[str],
    kind: str,
    registry: MethodRegistry,
    problems: list[Problem],
) -> dict[str, Any]:
    found = registry.get(method_name)
    shown = kind_label(what)  # "indicator" / "rule" as people read it
    if found is None:
        problems.append(
            Problem(
                _("{what} '{item_id}' uses method '{method_name}', which no plugin registers").format(
                    what=shown, item_id=item_id, method_name=method_name
                )
            )
        )
        return dict(given)
    if found.kind != kind:
        problems.append(
            Problem(
                _("{what} '{item_id}' uses {kind} method '{method_name}' where a {kind2} method is needed").format(
                    what=shown,
                    item_id=item_id,
                    kind=kind_label(found.kind),
                    method_name=method_name,
                    kind2=kind_label(kind),
                )
            )
        )
    declared = {p.name: p for p in found.params}
    for name in required_later:
        if name not in declared and name not in own_fields:
            problems.append(
                Problem(
                    _(
                        "{what} '{item_id}': 'required' names '{name}', which is neither a parameter of "
                        "method '{method_name}' nor a field of the {what}"
                    ).format(what=shown, item_id=item_id, name=name, method_name=method_name)
                )
            )
    bound: dict[str, Any] = {}
    for key, value in given.items():
        if key not in declared:
            known = ", ".join(sorted(declared)) or "none"
            problems.append(
                Problem(
                    _("{what} '{item_id}': method '{method_name}' has no parameter '{key}' (it takes: {known})").format(
                        what=shown, item_id=item_id, method_name=method_name, key=key, known=known
                    ),
                    key=f"{what}s[{item_id}].{key}",
                )
            )
            continue
        try:
            bound[key] = _coerce(declared[key], value)
        except ValueError as error:
            problems.append(
                Problem(
                    _("{what} '{item_id}': parameter '{key}': {error}").format(
                        what=shown, item_id=item_id, key=key, error=error
                    ),
                    key=f"{what}s[{item_id}].{key}",
                )
            )
            bound[key] = None  # given, though wrong: reported once, not again as missing
    for param in found.params:
        if param.name in bound:
            continue
        if param.name in required_later:
            continue  # no default either: the deployment must give the number (checked when data uses it)
        if param.required:
            problems.append(
                Problem(
                    _("{what} '{item_id}': method '{method_name}' needs parameter '{param_name}'").format(
                        what=shown, item_id=item_id, method_name=method_name, param_name=param.name
                    )
                )
            )
        elif param.default is not None:
            bound[param.name] = _coerce(param, param.default)
    return bound


def _coerce(param: Param, value: Any) -> Any:
    if param.kind == "number":
        return to_decimal(value)
    if param.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(_("expected true or false, got '{value}'").format(value=value))
        return value
    if param.kind == "table":
        if not isinstance(value, Mapping):
            raise ValueError(_("expected a table, got '{value}'").format(value=value))
        return {str(k): _table_value(v) for k, v in value.items()}
    if param.kind == "list":
        if not isinstance(value, list):
            raise ValueError(_("expected a list, got '{value}'").format(value=value))
        return list(value)
    return str(value)


def _table_value(value: Any) -> Any:
    try:
        return to_decimal(value)
    except ValueError:
        return value
