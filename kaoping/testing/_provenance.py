"""The provenance check: every trail entry and veto names a registered plugin with a version."""

from __future__ import annotations

from collections import Counter

from kaoping.core.errors import KaopingError
from kaoping.locale import N_, _
from kaoping.testing._checks import (
    BUILTIN,
    _fail,
    _p,
    check,
)
from kaoping.testing._subject import Subject


def _unclaimed_core_entries(subject: Subject) -> list[str]:
    """Trail entries that say ``builtin`` although the core engine alone does not produce them.

    ``TrailEntry.plugin`` defaults to ``builtin``, so a plugin that forgets to name itself is found by
    scoring the same run with the core engine only and comparing the entries that claim the core.
    """
    from kaoping.core.columnar.engine import score

    host, scheme, dataset = subject.host, subject.scheme, subject.dataset
    try:
        core = score(scheme, dataset, host.methods, host.check_vetoes(scheme, dataset))
    except KaopingError:
        return []
    produced = Counter((s.unit, e.kind, e.rule, e.part, e.points) for s in core for e in s.trail if e.plugin == BUILTIN)
    problems = []
    for unit in subject.result.units:
        for entry in unit.score.trail:
            if entry.plugin != BUILTIN:
                continue
            key = (unit.unit, entry.kind, entry.rule, entry.part, entry.points)
            if produced[key] > 0:
                produced[key] -= 1
                continue
            problems.append(
                _(
                    "unit {unit}: trail entry '{rule}' ({kind}, {value}) says plugin 'builtin', but "
                    "the core engine does not produce it (set TrailEntry(plugin=...) to your plugin)"
                ).format(unit=unit.unit, rule=entry.rule, kind=entry.kind, value=_p(entry.points))
            )
    return problems


@check("provenance", "provenance", N_("every trail entry and veto names a registered plugin with a version"))
def provenance(subject: Subject) -> str:
    host, result = subject.host, subject.result
    problems = []
    registered = {name: info.version for name, info in host.info.items()}

    def known(plugin: str, what: str) -> None:
        if plugin not in registered:
            problems.append(
                _("{what} names plugin '{plugin}', which is not registered").format(what=what, plugin=plugin)
            )
        elif registered[plugin] in {"", "?"}:
            problems.append(
                _("{what} names plugin '{plugin}', which is registered without a version").format(
                    what=what, plugin=plugin
                )
            )

    entry = host.schemes.get(subject.scheme_id)
    if entry is not None:
        known(entry.plugin, _("scheme '{scheme_id}'").format(scheme_id=subject.scheme_id))
    for unit in result.units:
        for trail_entry in unit.score.trail:
            known(
                trail_entry.plugin, _("unit {unit}: trail entry '{rule}'").format(unit=unit.unit, rule=trail_entry.rule)
            )
        for veto in unit.read_vetoes():
            known(veto.plugin, _("unit {unit}: veto '{area}'").format(unit=unit.unit, area=veto.area))
    if dict(result.plugins) != dict(sorted(registered.items())):
        problems.append(f"the result lists plugins {result.plugins}, the host has {registered}")
    for plugin, found in host.vetoes_by_plugin(subject.scheme, subject.dataset):
        for veto in found:
            if veto.plugin not in {"", plugin}:
                problems.append(
                    f"plugin {plugin!r} returned a veto {veto.area!r} for unit {veto.unit} that names "
                    f"plugin {veto.plugin!r} (leave Veto.plugin empty: the host names the plugin)"
                )
    problems += _unclaimed_core_entries(subject)
    _fail("provenance", problems, _("every result must name the plugin that produced it:"))
    entries = sum(len(u.score.trail) for u in result.units)
    return _("{entries} trail entries and their vetoes name registered plugins").format(entries=entries)
