"""The plugin host: discovery, validation, and typed calls of every hook.

Plugins come from three places, in this order: the built-in ones (the core's defaults and every locality
subpackage of :mod:`kaoping.plugins`), installed packages that declare an entry point in the ``kaoping``
group, and modules or ``.py`` files named in a deployment config. A plugin can be disabled by name
(config ``disable = [...]`` or ``KAOPING_DISABLE=name,name``). The rest of the core calls hooks only
through :class:`PluginHost`, never ``pm.hook`` directly.

Run hooks are scoped the way pytest scopes conftest files: a plugin that registers schemes is bound to
them, and the host calls a scheme's run hooks only on the plugins bound to that scheme and on plugins that
register no scheme at all (add-ons, a deployment's local rule), through pluggy's ``subset_hook_caller``.
A plugin's hooks are therefore about its own scheme and need no ``scheme.id`` check.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs
import pluggy

from kaoping import PROJECT_NAME, __version__
from kaoping.core.errors import InputError, PluginError, Problem, SchemeError
from kaoping.core.methods import Method, MethodRegistry, bind_scheme
from kaoping.core.models import Dataset
from kaoping.core.overrides import apply_overrides, derive_scheme
from kaoping.core.results import RunResult, ScoreTable, Veto
from kaoping.core.scheme import Scheme, parse_scheme
from kaoping.core.tomlread import read_toml
from kaoping.hooks import specs
from kaoping.locale import _

if TYPE_CHECKING:
    import click

BUILTIN_CORE = "kaoping.core.builtin"
# Default plugins above the engine, imported by name so the core never imports them.
DEFAULT_PLUGINS = ("kaoping.io.loader",)
LOCALITY_PACKAGE = "kaoping.plugins"
DISABLE_ENV = "KAOPING_DISABLE"


PluginSource = Literal["built-in", "entry point", "config"]


@attrs.frozen
class PluginInfo:
    name: str
    version: str
    source: PluginSource
    hooks: tuple[str, ...]
    module: str


@attrs.frozen
class SchemeEntry:
    """A registered scheme: where its TOML is, which plugin provides it, and its sample data if declared."""

    id: str
    plugin: str
    data: dict[str, Any]
    origin: str
    sample: Path | None = None
    extends: str = ""


class RegisterScheme(Protocol):
    """The ``register`` callable a ``kaoping_register_schemes`` implementation receives.

    ``register(path, sample=folder)`` registers a scheme TOML (or a mapping of the same shape) with the
    sample data the conformance suite and ``kaoping conformance`` score it on.
    ``register(extends="fujian.zhangzhou", changes=path, sample=folder)`` registers a scheme derived
    from another registered scheme (see :func:`kaoping.core.overrides.derive_scheme`).
    """

    def __call__(
        self,
        scheme: Path | Mapping[str, Any] | None = None,
        /,
        *,
        sample: Path | None = None,
        extends: str | None = None,
        changes: Path | Mapping[str, Any] | None = None,
    ) -> None: ...


@attrs.frozen
class _Derived:
    plugin: str
    base: str
    changes: dict[str, Any]
    origin: str
    sample: Path | None


def builtin_plugin_modules() -> list[str]:
    """The core defaults plus every locality subpackage shipped in :mod:`kaoping.plugins`."""
    package = importlib.import_module(LOCALITY_PACKAGE)
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))
    return [BUILTIN_CORE, *DEFAULT_PLUGINS, *(f"{LOCALITY_PACKAGE}.{name}" for name in names)]


def _short_name(module_name: str) -> str:
    if module_name == BUILTIN_CORE:
        return "builtin"
    if module_name.startswith(f"{LOCALITY_PACKAGE}.") or not module_name.startswith("kaoping."):
        return module_name.rsplit(".", 1)[-1]
    return module_name.removeprefix("kaoping.").replace(".", "_")


class PluginHost:
    """A configured plugin manager with typed hook calls."""

    def __init__(
        self,
        extra: Sequence[str] = (),
        disabled: Sequence[str] = (),
        entry_points: bool = True,
        base_dir: Path | None = None,
        plugin_objects: Sequence[tuple[str, object]] = (),
        *,
        defaults: Sequence[str] | None = None,
        collect: bool = True,
    ) -> None:
        """``defaults`` replaces the built-in modules (the core's defaults and the localities) by others,
        named as modules; ``collect=False`` collects no methods or schemes (a host for commands only)."""
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(specs)
        self.info: dict[str, PluginInfo] = {}
        blocked = {*disabled, *filter(None, os.environ.get(DISABLE_ENV, "").split(","))}
        for name in blocked:
            self.pm.set_blocked(name)
        for module_name in builtin_plugin_modules() if defaults is None else defaults:
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
        self._check_no_veto_wrappers()
        self._scoped: dict[tuple[str, str], pluggy.HookCaller] = {}
        self.methods = self._collect_methods() if collect else MethodRegistry()
        self.schemes = self._collect_schemes() if collect else {}
        self.bound: dict[str, frozenset[str]] = {}
        """Plugin name → the ids of the schemes it registered (plugins that registered none are absent)."""
        for entry in self.schemes.values():
            self.bound[entry.plugin] = self.bound.get(entry.plugin, frozenset()) | {entry.id}

    # -- discovery ----------------------------------------------------------------------------------------

    def _register(self, plugin: object, name: str, source: PluginSource, version: str) -> None:
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

    def _check_no_veto_wrappers(self) -> None:
        """Refuse wrappers of ``kaoping_check_vetoes``: each plugin's vetoes are collected on their own."""
        for impl in self.pm.hook.kaoping_check_vetoes.get_hookimpls():
            if impl.hookwrapper or impl.wrapper:
                raise PluginError(
                    _(
                        "plugin {plugin!r} wraps kaoping_check_vetoes; each plugin's vetoes are collected on "
                        "their own, so return a list of vetoes instead"
                    ).format(plugin=impl.plugin_name)
                )

    def _each_plugin(self, caller: pluggy.HookCaller) -> list[tuple[str, pluggy.HookCaller]]:
        """One caller per plain implementation of ``caller``'s hook, each calling that plugin alone.

        Through pluggy's public ``subset_hook_caller``, so the host knows which plugin returned what
        without touching pluggy's ``HookImpl`` objects. Listed in registration order.
        """
        plugins = self.pm.get_plugins()
        callers = []
        for impl in caller.get_hookimpls():
            if impl.hookwrapper or impl.wrapper:
                continue
            others = [p for p in plugins if p is not impl.plugin]
            callers.append((impl.plugin_name, self.pm.subset_hook_caller(caller.name, remove_plugins=others)))
        return callers

    def _collect_methods(self) -> MethodRegistry:
        registry = MethodRegistry()

        def register_for(plugin: str) -> Callable[[Method], None]:
            return lambda m: registry.register(attrs.evolve(m, plugin=m.plugin or plugin))

        for plugin, caller in self._each_plugin(self.pm.hook.kaoping_register_methods):
            caller(register=register_for(plugin))
        return registry

    def _collect_schemes(self) -> dict[str, SchemeEntry]:
        schemes: dict[str, SchemeEntry] = {}
        derived: list[_Derived] = []

        def add(entry: SchemeEntry) -> None:
            if not entry.id:
                raise PluginError(
                    _("plugin {plugin!r} registered a scheme without an id ({origin})").format(
                        plugin=entry.plugin, origin=entry.origin
                    )
                )
            if entry.id in schemes:
                raise PluginError(
                    _("scheme {scheme!r} is registered by both {first!r} and {second!r}").format(
                        scheme=entry.id, first=schemes[entry.id].plugin, second=entry.plugin
                    )
                )
            schemes[entry.id] = entry

        def register_for(plugin: str) -> RegisterScheme:
            def register(
                scheme: Path | Mapping[str, Any] | None = None,
                /,
                *,
                sample: Path | None = None,
                extends: str | None = None,
                changes: Path | Mapping[str, Any] | None = None,
            ) -> None:
                sample = Path(sample) if sample is not None else None
                if extends is not None:
                    if scheme is not None or changes is None:
                        raise PluginError(
                            _("plugin {plugin!r}: register(extends=...) takes changes=..., not a scheme").format(
                                plugin=plugin
                            )
                        )
                    data, origin = _read_source(changes, plugin)
                    derived.append(_Derived(plugin, extends, data, origin, sample))
                    return
                if scheme is None:
                    raise PluginError(
                        _("plugin {plugin!r} called register() without a scheme file or mapping").format(plugin=plugin)
                    )
                data, origin = _read_source(scheme, plugin)
                add(SchemeEntry(str(data.get("id", "")), plugin, data, origin, sample))

            return register

        for plugin, caller in self._each_plugin(self.pm.hook.kaoping_register_schemes):
            caller(register=register_for(plugin))
        while derived:  # a scheme may extend a derived one, registered by any plugin in any order
            ready = [d for d in derived if d.base in schemes]
            if not ready:
                first = derived[0]
                known = ", ".join(sorted(schemes)) or _("none")
                raise PluginError(
                    _("plugin {plugin!r} extends scheme {base!r}, which no plugin registers (known: {known})").format(
                        plugin=first.plugin, base=first.base, known=known
                    )
                )
            for item in ready:
                derived.remove(item)
                data = derive_scheme(schemes[item.base].data, item.changes, item.origin)
                add(SchemeEntry(str(data.get("id", "")), item.plugin, data, item.origin, item.sample, item.base))
        return schemes

    # -- schemes ------------------------------------------------------------------------------------------

    def scheme(
        self, scheme_id: str, overrides: dict[str, Any] | None = None, overrides_origin: str = "overrides"
    ) -> Scheme:
        """The scheme with overrides applied, parsed and bound to the method registry."""
        entry = self.schemes.get(scheme_id)
        if entry is None:
            known = ", ".join(sorted(self.schemes)) or "none"
            raise InputError(f"unknown scheme {scheme_id!r} (known schemes: {known})")
        data = apply_overrides(entry.data, overrides, overrides_origin) if overrides else entry.data
        if data.get("id") != scheme_id:
            raise SchemeError(f"overrides may not change the scheme id ({overrides_origin})")
        scheme = parse_scheme(data, origin=entry.origin, plugin=entry.plugin)
        return bind_scheme(scheme, self.methods)

    # -- typed hook calls ---------------------------------------------------------------------------------

    def register_commands(self, cli: click.Group) -> None:
        """Let every plugin add its commands to the ``kaoping`` command group."""
        self.pm.hook.kaoping_register_commands(cli=cli)

    def hook_for(self, name: str, scheme: Scheme) -> pluggy.HookCaller:
        """The hook ``name`` as ``scheme`` sees it: plugins bound to other schemes are left out.

        A plugin that registered schemes is bound to them; one that registered none sees every scheme. A
        scheme no plugin registered (parsed directly, in a test) is seen by the unbound plugins only.
        """
        key = (name, scheme.id)
        caller = self._scoped.get(key)
        if caller is None:
            others = [self.pm.get_plugin(p) for p, ids in self.bound.items() if scheme.id not in ids]
            caller = self.pm.subset_hook_caller(name, remove_plugins=[o for o in others if o is not None])
            self._scoped[key] = caller
        return caller

    def load_dataset(self, source: Path, scheme: Scheme) -> Dataset:
        dataset = self.hook_for("kaoping_load_dataset", scheme)(source=source, scheme=scheme)
        if dataset is None:
            raise InputError(f"no plugin could read {source}")
        return dataset

    def validate(self, scheme: Scheme, dataset: Dataset) -> list[Problem]:
        found = self.hook_for("kaoping_validate_dataset", scheme)(scheme=scheme, dataset=dataset)
        return [problem for problems in reversed(found) for problem in problems or ()]

    def vetoes_by_plugin(self, scheme: Scheme, dataset: Dataset) -> list[tuple[str, list[Veto]]]:
        """Each plugin's vetoes for this run as that plugin returned them, plugin by plugin."""
        found = []
        for plugin, caller in self._each_plugin(self.hook_for("kaoping_check_vetoes", scheme)):
            vetoes = [veto for result in caller(scheme=scheme, dataset=dataset) for veto in result or ()]
            found.append((plugin, vetoes))
        return found

    def check_vetoes(self, scheme: Scheme, dataset: Dataset) -> list[Veto]:
        """Every plugin's vetoes, each naming its plugin (the implementing plugin where it left
        ``plugin`` empty), in one order that does not depend on plugin or table order."""
        vetoes = [
            veto if veto.plugin else attrs.evolve(veto, plugin=plugin)
            for plugin, found in self.vetoes_by_plugin(scheme, dataset)
            for veto in found
        ]
        return sorted(vetoes, key=veto_order)

    def score(self, scheme: Scheme, dataset: Dataset, vetoes: list[Veto]) -> ScoreTable:
        caller = self.hook_for("kaoping_score", scheme)
        table = caller(scheme=scheme, dataset=dataset, vetoes=vetoes, methods=self.methods)
        if table is None:
            raise PluginError(f"no plugin scored scheme {scheme.id!r}")
        return table

    def apply_results(self, scheme: Scheme, scores: ScoreTable, dataset: Dataset, vetoes: list[Veto]) -> RunResult:
        caller = self.hook_for("kaoping_apply_results", scheme)
        result = caller(scheme=scheme, scores=scores, dataset=dataset, vetoes=vetoes)
        if result is None:
            raise PluginError(f"no plugin applied results for scheme {scheme.id!r}")
        result.plugins = {name: info.version for name, info in sorted(self.info.items())}
        return result


def veto_order(veto: Veto) -> tuple[str, str, str, str, str, str]:
    """Unit, area, source, note, plugin, effect: the order vetoes are listed and applied in."""
    return (veto.unit, veto.area, veto.source, veto.note, veto.plugin, veto.effect)


def _read_source(source: Path | Mapping[str, Any], plugin: str) -> tuple[dict[str, Any], str]:
    """A scheme (or changes) given to ``register``: the mapping itself, or the TOML file it names."""
    if isinstance(source, Mapping):
        return dict(source), f"{plugin}:<dict>"
    return read_toml(Path(source)), str(source)


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
