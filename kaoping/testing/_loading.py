"""Conformance checks of the loading stage: the scheme parses, the sample loads, unknown overrides fail."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kaoping.core.errors import InputError, KaopingError, split_problems
from kaoping.core.scheme import scoring_scopes
from kaoping.locale import N_, _
from kaoping.testing._checks import (
    CheckSkipped,
    ConformanceFailure,
    _fail,
    _json,
    _p,
    check,
    crash_origin,
)
from kaoping.testing._subject import Subject


@check("scheme-validates", "loading", N_("the scheme parses and its parts add up to the total"), needs="scheme")
def scheme_validates(subject: Subject) -> str:
    scheme = subject.scheme
    scopes = scoring_scopes(scheme)  # every part, or each ranked group's own parts
    for scope, parts, _indicators in scopes:
        parts_sum = sum((p.points for p in parts), Decimal(0))
        if parts and parts_sum != scheme.total:
            raise ConformanceFailure(
                "scheme-validates",
                _("{scope}parts add up to {value}, but scheme '{scheme}' has a total of {value2}").format(
                    scope=scope, value=_p(parts_sum), scheme=scheme.id, value2=_p(scheme.total)
                ),
            )
    if subject.scheme_id not in subject.host.schemes:
        raise ConformanceFailure(
            "scheme-validates", _("no plugin registers scheme '{scheme_id}'").format(scheme_id=subject.scheme_id)
        )
    where = (
        "parts add up"
        if len(scopes) == 1
        else _("the parts of each of {count} scoring scopes add up").format(count=len(scopes))
    )
    return _("{where} to {value}; status {label}").format(
        where=where, value=_p(scheme.total), label=scheme.status.label
    )


@check("sample-loads", "loading", N_("the sample loads, validates, scores and writes as JSON without a problem"))
def sample_loads(subject: Subject) -> str:
    problems, _warnings = split_problems(subject.host.validate(subject.scheme, subject.dataset))
    _fail("sample-loads", [str(p) for p in problems], f"the sample has {len(problems)} problem(s):")
    if not subject.dataset.units:
        raise ConformanceFailure("sample-loads", _("the sample has no units"))
    try:
        _json("sample-loads", subject)
    except (ConformanceFailure, CheckSkipped):
        raise
    except InputError as error:
        raise ConformanceFailure(
            "sample-loads",
            _(
                "the sample does not score: {error_type}: {error}\n  (a scheme that leaves numbers to "
                "the deployment is scored with them from overrides.toml in the sample folder, or "
                "the overrides fixture)"
            ).format(error_type=type(error).__name__, error=error),
        ) from error
    except KaopingError:
        raise
    except Exception as error:
        raise ConformanceFailure("sample-loads", f"the sample run crashed: {crash_origin(error)}") from error
    data = subject.dataset
    return _("{count} units, {count2} values, {count3} events, {count4} vetoes").format(
        count=len(data.units), count2=len(data.values), count3=len(data.events), count4=len(data.vetoes)
    )


@check(
    "unknown-overrides-fail", "loading", N_("overrides naming keys or ids the scheme lacks are refused"), needs="scheme"
)
def unknown_overrides_fail(subject: Subject) -> str:
    scheme = subject.scheme
    bad: list[dict[str, Any]] = [
        {"no_such_key": 1},
        {"grading": {"no_such_key": 1}},
        {"parts": [{"id": "__no_such_part__", "points": 1}]},
    ]
    if scheme.parts:
        bad.append({"parts": [{"id": scheme.parts[0].id, "no_such_key": 1}]})
    if scheme.groups:
        bad.append({"groups": [{"id": scheme.groups[0].id, "no_such_key": 1}]})
    accepted = []
    for override in bad:
        try:
            subject.host.scheme(subject.scheme_id, override, "conformance overrides")
        except InputError:
            continue
        accepted.append(_("override '{override}' was accepted silently").format(override=override))
    _fail("unknown-overrides-fail", accepted, _("an override of something the scheme lacks must be an error:"))
    return _("{count} misspelt overrides refused").format(count=len(bad))
