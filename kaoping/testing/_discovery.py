"""Where a plugin's sample data and expected results are: the convention the suite and CLI rely on.

A plugin registers each scheme with its sample: ``register(scheme_file, sample=folder)`` (the folder, or a
workbook / JSON file). Beside the sample, and beside its hooks:

``expected.csv`` or ``expected.json``
    in the sample folder (beside a sample file): the hand-computed results;
``CAPABILITIES`` (optional)
    a :class:`Capabilities`, or a mapping ``{scheme_id: Capabilities}``, switching checks off with a reason;
``LOWER_IS_BETTER`` (optional, deprecated)
    indicator ids whose value counts against the unit, or a mapping ``{scheme_id: ids}``; write
    ``direction = "lower"`` on the indicator in the scheme instead;
``overrides.toml`` (optional)
    in the sample folder: overrides, shaped like the scheme, that the sample is scored with, for a
    scheme that leaves a number to the deployment (grade cut-offs the source does not give).

Deprecated: a module attribute ``SAMPLE_DATA`` (a path, or ``{scheme_id: path}``) is still read for a
scheme registered without ``sample=``, with a :class:`DeprecationWarning`, so third-party plugins written
before ``register(sample=...)`` keep working.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.errors import InputError
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import read_scheme
from kaoping.core.tomlread import read_toml
from kaoping.locale import _
from kaoping.testing._expected import find_expected
from kaoping.testing._subject import CAPABILITIES, Capabilities

OVERRIDES_FILE = "overrides.toml"


@attrs.frozen
class Sample:
    """A scheme's declared sample: data, expected results (if any) and the traits the suite needs."""

    scheme_id: str
    plugin: str
    data: Path
    expected: Path | None
    capabilities: Capabilities = attrs.field(factory=Capabilities)
    lower_is_better: frozenset[str] = frozenset()
    overrides: Mapping[str, Any] | None = None


def find_overrides(sample: Path) -> dict[str, Any] | None:
    """The overrides a sample is scored with: ``overrides.toml`` in the sample folder, if any."""
    folder = sample if sample.is_dir() else sample.parent
    path = folder / OVERRIDES_FILE
    return read_toml(path) if path.is_file() else None


def _for_scheme(value: Any, scheme_id: str, several: bool) -> Any:
    if isinstance(value, Mapping):
        return value.get(scheme_id)
    return None if several else value


def _legacy_sample(plugin: Any, scheme_id: str, several: bool) -> Any:
    declared = getattr(plugin, "SAMPLE_DATA", None)
    data = _for_scheme(declared, scheme_id, several)
    if data is not None:
        warnings.warn(
            f"plugin module {getattr(plugin, '__name__', plugin)!r} declares SAMPLE_DATA; register the sample "
            f"with the scheme instead: register(scheme_file, sample=...)",
            DeprecationWarning,
            stacklevel=3,
        )
    return data


def plugin_samples(host: PluginHost, plugin_name: str) -> list[Sample]:
    """The samples a registered plugin declares, one per scheme it registers."""
    plugin = host.pm.get_plugin(plugin_name)
    schemes = sorted(s for s, entry in host.schemes.items() if entry.plugin == plugin_name)
    if plugin is None:
        return []
    samples = []
    several = len(schemes) > 1
    for scheme_id in schemes:
        data = host.schemes[scheme_id].sample or _legacy_sample(plugin, scheme_id, several)
        if data is None:
            continue
        capabilities = declared_capabilities(host, scheme_id)
        lower = _for_scheme(getattr(plugin, "LOWER_IS_BETTER", None), scheme_id, False) or ()
        path = Path(data)
        samples.append(
            Sample(
                scheme_id,
                plugin_name,
                path,
                find_expected(path),
                capabilities,
                frozenset(map(str, lower)),
                find_overrides(path),
            )
        )
    return samples


def declared_capabilities(host: PluginHost, scheme_id: str) -> Capabilities:
    """The capabilities a registered scheme's plugin declares (``CAPABILITIES``), or none switched off."""
    entry = host.schemes[scheme_id]
    plugin = host.pm.get_plugin(entry.plugin)
    return _for_scheme(getattr(plugin, "CAPABILITIES", None), scheme_id, False) or Capabilities()


def scheme_coverage(host: PluginHost, scheme_id: str) -> dict[str, str | None]:
    """What a registered scheme covers, capability by capability: ``None`` where it uses the capability,
    else why not (the plugin's declared reason, or what the scheme lacks). ``shuffle`` is left out: it is a
    property of the sample, not of what the scheme scores.

    Detected from the scheme as registered, so that ``kaoping plugins`` can say what each plugin covers
    without running anything; a plugin's ``CAPABILITIES`` switches a capability off with its reason.
    """
    entry = host.schemes[scheme_id]
    scheme, _problems = read_scheme(entry.data, entry.origin, entry.plugin)  # a draft still shows what it has
    declared = declared_capabilities(host, scheme_id)
    return {name: declared.reason_off(name, scheme) for name in CAPABILITIES if name != "shuffle"}


def scheme_sample(host: PluginHost, scheme_id: str) -> Sample | None:
    entry = host.schemes.get(scheme_id)
    if entry is None:
        return None
    return next((s for s in plugin_samples(host, entry.plugin) if s.scheme_id == scheme_id), None)


def resolve_target(host: PluginHost, target: str) -> tuple[list[str], list[Sample]]:
    """The schemes a CLI target names (a scheme id, or a plugin name) and the samples they declare."""
    if target in host.schemes:
        sample = scheme_sample(host, target)
        return [target], [sample] if sample else []
    if target in host.info:
        schemes = sorted(s for s, entry in host.schemes.items() if entry.plugin == target)
        return schemes, plugin_samples(host, target)
    known = ", ".join(sorted({*host.schemes, *host.info}))
    raise InputError(
        _("'{target}' is neither a registered scheme nor a plugin (known: {known})").format(target=target, known=known)
    )


def builtin_samples() -> list[Sample]:
    """Every built-in scheme that ships sample data (with or without expected results)."""
    host = PluginHost(entry_points=False)
    return [
        sample
        for name, info in sorted(host.info.items())
        if info.source == "built-in"
        for sample in plugin_samples(host, name)
    ]
