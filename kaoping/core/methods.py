"""Named scoring methods: the registry and the contract a method implements.

Scheme files name a ``method`` on every indicator and rule. A method is a batch function: it receives one
indicator (or rule) and the rows of *all* units for it, and returns the points of each. Plugins add
methods through the ``kaoping_register_methods`` hook; the core's own are in
:mod:`kaoping.core.primitives` and are registered through the same hook.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from kaoping.core.errors import PluginError, Problem, SchemeError
from kaoping.core.models import EventRow, ValueRow, Where
from kaoping.core.numbers import quantize, to_decimal

if TYPE_CHECKING:
    from kaoping.core.models import Dataset
    from kaoping.core.scheme import Indicator, Rule, Scheme


@attrs.frozen
class Param:
    """A method parameter as a scheme file writes it."""

    name: str
    kind: str = "number"  # number | text | table | bool | list
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
    kind: str
    fn: Callable[..., Any]
    params: tuple[Param, ...] = ()
    doc: str = ""
    plugin: str = ""
    vectorised: Callable[..., Any] | None = None


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
        self.problems.append(Problem(message, file=where.file, row=where.row, column=column))

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
                f"scoring method {method.name!r} is registered by both {existing.plugin or '?'} "
                f"and {method.plugin or '?'}; rename one of them"
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
    kind: str,
    params: Sequence[Param] = (),
    doc: str | None = None,
    vectorised: Callable[..., Any] | None = None,
) -> Callable[[Callable[..., Any]], Method]:
    """Decorator turning a batch function into a :class:`Method` (docstring becomes its doc)."""

    def wrap(fn: Callable[..., Any]) -> Method:
        return Method(
            name=name,
            kind=kind,
            fn=fn,
            params=tuple(params),
            doc=doc or (fn.__doc__ or "").strip(),
            vectorised=vectorised,
        )

    return wrap


def bind_scheme(scheme: Scheme, registry: MethodRegistry) -> Scheme:
    """Check every indicator and rule against its method and fill parameter defaults.

    Unknown methods, unknown parameters, missing required parameters and parameters of the wrong kind
    are all reported together. Parameters listed in an item's ``required`` (numbers the source leaves
    out) are not demanded here and get no default: they are demanded when data uses the item.
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
        indicators.append(attrs.evolve(indicator, params=params))
    rules = []
    for rule in scheme.rules:
        fields = attrs.fields_dict(type(rule))
        params = _bind_params(
            "rule", rule.id, rule.method, rule.params, rule.required, fields, "rule", registry, problems
        )
        rules.append(attrs.evolve(rule, params=params))
    if problems:
        raise SchemeError(problems)
    return attrs.evolve(scheme, indicators=tuple(indicators), rules=tuple(rules))


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
    if found is None:
        problems.append(Problem(f"{what} {item_id!r} uses method {method_name!r}, which no plugin registers"))
        return dict(given)
    if found.kind != kind:
        problems.append(
            Problem(f"{what} {item_id!r} uses {found.kind} method {method_name!r} where a {kind} method is needed")
        )
    declared = {p.name: p for p in found.params}
    for name in required_later:
        if name not in declared and name not in own_fields:
            problems.append(
                Problem(
                    f"{what} {item_id!r}: 'required' names {name!r}, which is neither a parameter of method "
                    f"{method_name!r} nor a field of the {what}"
                )
            )
    bound: dict[str, Any] = {}
    for key, value in given.items():
        if key not in declared:
            known = ", ".join(sorted(declared)) or "none"
            problems.append(
                Problem(f"{what} {item_id!r}: method {method_name!r} has no parameter {key!r} (it takes: {known})")
            )
            continue
        try:
            bound[key] = _coerce(declared[key], value)
        except ValueError as error:
            problems.append(Problem(f"{what} {item_id!r}: parameter {key!r}: {error}"))
    for param in found.params:
        if param.name in bound:
            continue
        if param.name in required_later:
            continue  # no default either: the deployment must give the number (checked when data uses it)
        if param.required:
            problems.append(Problem(f"{what} {item_id!r}: method {method_name!r} needs parameter {param.name!r}"))
        elif param.default is not None:
            bound[param.name] = _coerce(param, param.default)
    return bound


def _coerce(param: Param, value: Any) -> Any:
    if param.kind == "number":
        return to_decimal(value)
    if param.kind == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if param.kind == "table":
        if not isinstance(value, Mapping):
            raise ValueError(f"expected a table, got {value!r}")
        return {str(k): _table_value(v) for k, v in value.items()}
    if param.kind == "list":
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {value!r}")
        return list(value)
    return str(value)


def _table_value(value: Any) -> Any:
    try:
        return to_decimal(value)
    except ValueError:
        return value
