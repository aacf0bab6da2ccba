"""The plugin host: discovery, validation, and typed calls of every hook.

Plugins come from three places, in this order: the built-in ones (the core's defaults and every locality
subpackage of :mod:`kaoping.plugins`), installed packages that declare an entry point in the ``kaoping``
group, and modules or ``.py`` files named in a deployment config. A plugin can be disabled by name
(config ``disable = [...]`` or ``KAOPING_DISABLE=name,name``). The rest of the core calls hooks only
through :class:`PluginHost`, never ``pm.hook`` directly.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pluggy

from kaoping import PROJECT_NAME, __version__
from kaoping.core.errors import InputError, PluginError, Problem, SchemeError
from kaoping.core.methods import Method, MethodRegistry, bind_scheme
from kaoping.core.models import Dataset
from kaoping.core.overrides import apply_overrides
from kaoping.core.results import RunResult, ScoreTable, Veto
from kaoping.core.scheme import Scheme, read_scheme
from kaoping.core.tomlread import read_toml
from kaoping.hooks import specs

BUILTIN_CORE = "kaoping.core.builtin"
# Default plugins above the engine, imported by name so the core never imports them.
DEFAULT_PLUGINS = ("kaoping.io.loader",)
LOCALITY_PACKAGE = "kaoping.plugins"
DISABLE_ENV = "KAOPING_DISABLE"


@attrs.frozen
class PluginInfo:
    name: str
    version: str
    source: str  # built-in | entry point | config
    hooks: tuple[str, ...]
    module: str


@attrs.frozen
class SchemeEntry:
    """A registered scheme: where its TOML is and which plugin provides it."""

    id: str
    plugin: str
    data: dict[str, Any]
    origin: str


def builtin_plugin_modules() -> list[str]:
    """The core defaults plus every locality subpackage shipped in :mod:`kaoping.plugins`."""
    package = importlib.import_module(LOCALITY_PACKAGE)
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))
    return [BUILTIN_CORE, *DEFAULT_PLUGINS, *(f"{LOCALITY_PACKAGE}.{name}" for name in names)]


def _short_name(module_name: str) -> str:
    if module_name == BUILTIN_CORE:
        return "builtin"
    if module_name in DEFAULT_PLUGINS:
        return module_name.removeprefix("kaoping.").replace(".", "_")
    return module_name.rsplit(".", 1)[-1]


class PluginHost:
    """A configured plugin manager with typed hook calls."""

    def __init__(
        self,
        extra: Sequence[str] = (),
        disabled: Sequence[str] = (),
        entry_points: bool = True,
        base_dir: Path | None = None,
        plugin_objects: Sequence[tuple[str, object]] = (),
    ) -> None:
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(specs)
        self.info: dict[str, PluginInfo] = {}
        blocked = {*disabled, *filter(None, os.environ.get(DISABLE_ENV, "").split(","))}
        for name in blocked:
            self.pm.set_blocked(name)
        for module_name in builtin_plugin_modules():
            self._register(importlib.import_module(module_name), _short_name(module_name), "built-in", __version__)
        if entry_points:
            self._load_entry_points(blocked)
        for spec in extra:
            module = _import_plugin(spec, base_dir)
            default_name = Path(spec).stem if spec.endswith(".py") else spec
            name = getattr(module, "PLUGIN_NAME", None) or default_name
            self._register(module, str(name), "config", str(getattr(module, "__version__", "local")))
        for name, plugin in plugin_objects:
            self._register(plugin, name, "config", str(getattr(plugin, "__version__", "local")))
        self._check_pending()
        self._stamp_veto_origins()
        self.methods = self._collect_methods()
        self.schemes = self._collect_schemes()

    # -- discovery ----------------------------------------------------------------------------------------

    def _register(self, plugin: object, name: str, source: str, version: str) -> None:
        if self.pm.is_blocked(name):
            return
        try:
            self.pm.register(plugin, name=name)
        except pluggy.PluginValidationError as error:
            raise PluginError(f"plugin {name!r} breaks the hook contract: {error}") from None
        except ValueError as error:
            raise PluginError(f"plugin {name!r} could not be registered: {error}") from None
        hooks = tuple(sorted(c.name for c in self.pm.get_hookcallers(plugin) or ()))
        module = getattr(plugin, "__name__", type(plugin).__name__)
        self.info[name] = PluginInfo(name, version, source, hooks, module)

    def _load_entry_points(self, blocked: set[str]) -> None:
        from importlib.metadata import entry_points

        for entry in entry_points(group=PROJECT_NAME):
            if entry.name in blocked or self.pm.get_plugin(entry.name) is not None:
                continue
            try:
                plugin = entry.load()
            except Exception as error:  # a broken third-party package must be named, not crash the host
                raise PluginError(f"entry point {entry.name!r} ({entry.value}) failed to load: {error}") from error
            version = entry.dist.version if entry.dist is not None else "?"
            self._register(plugin, entry.name, "entry point", version)

    def _check_pending(self) -> None:
        for name, caller in vars(self.pm.hook).items():
            if not isinstance(caller, pluggy.HookCaller) or caller.spec is not None:
                continue
            for impl in caller.get_hookimpls():
                if impl.optionalhook:
                    continue
                known = ", ".join(sorted(n for n in dir(specs) if n.startswith("kaoping_")))
                raise PluginError(
                    f"plugin {impl.plugin_name!r} implements hook {name!r}, which does not exist (known hooks: {known})"
                )
        self.pm.check_pending()

    def _stamp_veto_origins(self) -> None:
        """Name the plugin on every veto a ``kaoping_check_vetoes`` implementation returns unnamed.

        The hook's results are merged into one list, so the host cannot tell afterwards which plugin
        found which veto; each plain implementation is therefore wrapped once, here, to fill
        ``Veto.plugin`` with its registered name. Wrappers (new-style or old) are left as they are.
        """
        for impl in self.pm.hook.kaoping_check_vetoes.get_hookimpls():
            if impl.hookwrapper or impl.wrapper:
                continue
            impl.function = _stamped(impl.function, impl.plugin_name)

    def _each_impl(self, hook_name: str, argument: Callable[..., None]) -> None:
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            impl.function(*[argument(impl.plugin_name) for _ in impl.argnames])

    def _collect_methods(self) -> MethodRegistry:
        registry = MethodRegistry()

        def register_for(plugin: str) -> Callable[[Method], None]:
            return lambda m: registry.register(attrs.evolve(m, plugin=m.plugin or plugin))

        self._each_impl("kaoping_register_methods", register_for)
        return registry

    def _collect_schemes(self) -> dict[str, SchemeEntry]:
        schemes: dict[str, SchemeEntry] = {}

        def register_for(plugin: str) -> Callable[[Path | dict[str, Any]], None]:
            def register(source: Path | dict[str, Any]) -> None:
                if isinstance(source, dict):
                    data, origin = source, f"{plugin}:<dict>"
                else:
                    data, origin = read_toml(Path(source)), str(source)
                scheme_id = str(data.get("id", ""))
                if not scheme_id:
                    raise PluginError(f"plugin {plugin!r} registered a scheme without an id ({origin})")
                if scheme_id in schemes:
                    raise PluginError(
                        f"scheme {scheme_id!r} is registered by both {schemes[scheme_id].plugin!r} and {plugin!r}"
                    )
                schemes[scheme_id] = SchemeEntry(scheme_id, plugin, data, origin)

            return register

        self._each_impl("kaoping_register_schemes", register_for)
        return schemes

    # -- schemes ------------------------------------------------------------------------------------------

    def scheme(
        self,
        scheme_id: str,
        overrides: dict[str, Any] | None = None,
        overrides_origin: str = "overrides",
        layers: Sequence[tuple[dict[str, Any], str]] = (),
    ) -> Scheme:
        """The scheme with overrides applied, parsed and bound to the method registry.

        ``layers`` are further ``(overrides, origin)`` tables applied in order after ``overrides`` (a
        deployment's, then an ``--overrides`` file's), each validated against the scheme as merged so far.
        """
        entry = self.schemes.get(scheme_id)
        if entry is None:
            known = ", ".join(sorted(self.schemes)) or "none"
            raise InputError(f"unknown scheme {scheme_id!r} (known schemes: {known})")
        problems: list[Problem] = []  # overrides, scheme and method parameters: reported together
        data = entry.data
        for layer, origin in ((overrides, overrides_origin), *layers):
            if layer:
                data = apply_overrides(data, layer, origin, collect=problems)
        if data.get("id") != scheme_id:
            raise SchemeError(f"overrides may not change the scheme id ({overrides_origin})")
        scheme, found = read_scheme(data, origin=entry.origin, plugin=entry.plugin)
        problems += found
        scheme = bind_scheme(scheme, self.methods, collect=problems)
        if problems:
            raise SchemeError(problems)
        return scheme

    # -- typed hook calls ---------------------------------------------------------------------------------

    def load_dataset(self, source: Path, scheme: Scheme) -> Dataset:
        dataset = self.pm.hook.kaoping_load_dataset(source=source, scheme=scheme)
        if dataset is None:
            raise InputError(f"no plugin could read {source}")
        return dataset

    def validate(self, scheme: Scheme, dataset: Dataset) -> list:
        found = self.pm.hook.kaoping_validate_dataset(scheme=scheme, dataset=dataset)
        return [problem for problems in reversed(found) for problem in problems or ()]

    def check_vetoes(self, scheme: Scheme, dataset: Dataset) -> list[Veto]:
        """Every plugin's vetoes, in one order that does not depend on plugin or table order."""
        found = self.pm.hook.kaoping_check_vetoes(scheme=scheme, dataset=dataset)
        vetoes = [veto for vetoes in reversed(found) for veto in vetoes or ()]
        return sorted(vetoes, key=veto_order)

    def score(self, scheme: Scheme, dataset: Dataset, vetoes: list[Veto]) -> ScoreTable:
        table = self.pm.hook.kaoping_score(scheme=scheme, dataset=dataset, vetoes=vetoes, methods=self.methods)
        if table is None:
            raise PluginError(f"no plugin scored scheme {scheme.id!r}")
        return table

    def apply_results(self, scheme: Scheme, scores: ScoreTable, dataset: Dataset, vetoes: list[Veto]) -> RunResult:
        result = self.pm.hook.kaoping_apply_results(scheme=scheme, scores=scores, dataset=dataset, vetoes=vetoes)
        if result is None:
            raise PluginError(f"no plugin applied results for scheme {scheme.id!r}")
        result.plugins = {name: info.version for name, info in sorted(self.info.items())}
        return result


def veto_order(veto: Veto) -> tuple[str, str, str, str, str, str]:
    """Unit, area, source, note, plugin, effect: the order vetoes are listed and applied in."""
    return (veto.unit, veto.area, veto.source, veto.note, veto.plugin, veto.effect)


def _stamped(function: Callable[..., Any], plugin_name: str) -> Callable[..., Any]:
    """``function`` returning its vetoes with ``plugin`` set to ``plugin_name`` where it was left empty."""

    @functools.wraps(function)
    def check(*args: Any, **kwargs: Any) -> Any:
        found = function(*args, **kwargs)
        if found is None:
            return None
        return [veto if veto.plugin else attrs.evolve(veto, plugin=plugin_name) for veto in found]

    return check


def _import_plugin(spec: str, base_dir: Path | None) -> ModuleType:
    """Import a plugin named in a config: a dotted module name or a path to a ``.py`` file."""
    if spec.endswith(".py") or "/" in spec or os.sep in spec:
        path = Path(spec)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.exists():
            raise PluginError(f"plugin file {path} does not exist")
        module_name = f"kaoping_local_{path.stem}"
        loader_spec = importlib.util.spec_from_file_location(module_name, path)
        if loader_spec is None or loader_spec.loader is None:
            raise PluginError(f"cannot import plugin file {path}")
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[module_name] = module
        try:
            loader_spec.loader.exec_module(module)
        except Exception as error:
            raise PluginError(f"plugin file {path} failed to import: {error}") from error
        return module
    try:
        return importlib.import_module(spec)
    except ImportError as error:
        raise PluginError(f"plugin module {spec!r} cannot be imported: {error}") from error
