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

import contextlib
import contextvars
import functools
import importlib
import importlib.util
import inspect
import os
import pkgutil
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs
import pluggy

from kaoping import PROJECT_NAME, __version__, hookimpl
from kaoping.core.errors import InputError, KaopingError, PluginError, Problem, SchemeError
from kaoping.core.methods import Method, MethodRegistry, bind_scheme
from kaoping.core.models import Dataset
from kaoping.core.overrides import Origin, apply_overrides, derive_scheme
from kaoping.core.procedure import Window
from kaoping.core.results import ADDING_PLUGIN, RunResult, ScoreTable, Veto
from kaoping.core.scheme import Scheme, read_scheme
from kaoping.core.tomlread import read_toml
from kaoping.core.validate import plugin_veto_problems
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
class HostRecipe:
    """How a :class:`PluginHost` was built, so that another process (a Dask worker) builds the same one.

    Plugin objects registered for one command (``plugin_objects``) cannot travel; the recipe names them so
    a caller can say what a rebuilt host lacks."""

    extra: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    entry_points: bool = True
    base_dir: Path | None = None
    defaults: tuple[str, ...] | None = None
    objects: tuple[str, ...] = ()

    def build(self) -> PluginHost:
        return PluginHost(self.extra, self.disabled, self.entry_points, self.base_dir, defaults=self.defaults)


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
        self.recipe = HostRecipe(
            tuple(extra),
            tuple(disabled),
            entry_points,
            base_dir,
            None if defaults is None else tuple(defaults),
            tuple(name for name, _plugin in plugin_objects),
        )
        self.pm = pluggy.PluginManager(PROJECT_NAME)
        self.pm.add_hookspecs(specs)
        self.info: dict[str, PluginInfo] = {}
        self._sources: list[tuple[str, Path]] = []  # deployment plugins' files, to name them in a failure
        blocked = {*disabled, *filter(None, os.environ.get(DISABLE_ENV, "").split(","))}
        for name in blocked:
            self.pm.set_blocked(name)
        for module_name in builtin_plugin_modules() if defaults is None else defaults:
            self._register(importlib.import_module(module_name), _short_name(module_name), "built-in", __version__)
        if entry_points:
            self._load_entry_points(blocked)
        self.pm.register(_GivenResult(), name=_GIVEN_RESULT)  # the host's own relay, listed nowhere
        for spec in extra:
            module = _import_plugin(spec, base_dir)
            default_name = Path(spec).stem if spec.endswith(".py") else spec
            name = getattr(module, "PLUGIN_NAME", None) or default_name
            self._register(module, str(name), "config", str(getattr(module, "__version__", "local")))
        for name, plugin in plugin_objects:
            self._register(plugin, name, "config", str(getattr(plugin, "__version__", "local")))
        self._check_pending()
        self._check_no_veto_wrappers()
        self._check_returns()
        self._scoped: dict[tuple[str, ...], pluggy.HookCaller] = {}
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
            raise PluginError(
                _("plugin '{name}' breaks the hook contract: {error}").format(name=name, error=error), plugin=name
            ) from error
        except ValueError as error:
            raise PluginError(
                _("plugin '{name}' could not be registered: {error}").format(name=name, error=error), plugin=name
            ) from error
        hooks = tuple(sorted(c.name for c in self.pm.get_hookcallers(plugin) or ()))
        module = getattr(plugin, "__name__", type(plugin).__name__)
        self.info[name] = PluginInfo(name, version, source, hooks, module)
        if source != "built-in" and (where := _source_root(plugin)) is not None:
            self._sources.append((name, where))

    def _load_entry_points(self, blocked: set[str]) -> None:
        from importlib.metadata import entry_points

        for entry in entry_points(group=PROJECT_NAME):
            if entry.name in blocked or self.pm.get_plugin(entry.name) is not None:
                continue
            try:
                plugin = entry.load()
            except Exception as error:  # a broken third-party package must be named, not crash the host
                raise PluginError(
                    _("entry point '{entry_name}' ({value}) failed to load: {error}").format(
                        entry_name=entry.name, value=entry.value, error=error
                    ),
                    plugin=entry.name,
                ) from error
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
                    _(
                        "plugin '{plugin_name}' implements hook '{name}', which does not exist (known hooks: {known})"
                    ).format(plugin_name=impl.plugin_name, name=name, known=known),
                    plugin=impl.plugin_name,
                    hook=name,
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
                    ).format(plugin=impl.plugin_name),
                    plugin=impl.plugin_name,
                    hook="kaoping_check_vetoes",
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

    def _check_returns(self) -> None:
        """Wrap each deployment plugin's hooks to check what they return, naming the plugin when it is wrong.

        What a hook returns is used deep in the core; a plugin returning a dict where a list of vetoes
        belongs would otherwise fail there, far from its cause, as an internal error. Built-in plugins are
        covered by the conformance suite and stay unwrapped.
        """
        deployment = {name for name, info in self.info.items() if info.source != "built-in"}
        for hook_name, check in _RETURN_CHECKS.items():
            for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
                if impl.plugin_name in deployment and not (impl.hookwrapper or impl.wrapper):
                    impl.function = _returns_checked(  # type: ignore[misc]
                        impl.function, impl.plugin_name, hook_name, check
                    )

    def _call(self, hook_name: str, scheme: Scheme, **kwargs: Any) -> Any:
        """Call a run hook as ``scheme`` sees it; a deployment plugin's failure becomes a
        :class:`PluginError` naming it."""
        with self._blaming(hook_name):
            return self.hook_for(hook_name, scheme)(scheme=scheme, **kwargs)

    @contextlib.contextmanager
    def _blaming(self, hook_name: str) -> Iterator[None]:
        """Name the deployment plugin whose code raised, the hook, and the file and line it raised at.

        A deployment's own plugin (a ``.py`` file of the config, an installed package) is the deployment's
        to fix, so its failure is an input error (exit 2) that points there. A failure in kaoping's own
        code, built-in plugins included, stays an internal error.
        """
        try:
            yield
        except KaopingError:
            raise
        except Exception as error:
            blamed = self._blame(error)
            if blamed is None:
                raise
            plugin, file, line = blamed
            raise PluginError(
                _("plugin {plugin!r} failed in hook {hook} at {place}: {kind}: {message}").format(
                    plugin=plugin, hook=hook_name, place=f"{file}:{line}", kind=type(error).__name__, message=error
                ),
                plugin=plugin,
                hook=hook_name,
                file=file,
                line=line,
            ) from error

    def _blame(self, error: BaseException) -> tuple[str, str, int | None] | None:
        """The deployment plugin owning the innermost frame of ``error``'s traceback, with its file and line."""
        if not self._sources:
            return None
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            try:
                path = Path(frame.filename).resolve()
            except (OSError, RuntimeError):
                continue
            for name, root in self._sources:
                if path == root or (root.is_dir() and root in path.parents):
                    return name, _shown_path(path), frame.lineno
        return None

    def _collect_methods(self) -> MethodRegistry:
        registry = MethodRegistry()

        def register_for(plugin: str) -> Callable[[Method], None]:
            return lambda m: registry.register(attrs.evolve(m, plugin=m.plugin or plugin))

        for plugin, caller in self._each_plugin(self.pm.hook.kaoping_register_methods):
            with self._blaming("kaoping_register_methods"):
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
                    ),
                    plugin=entry.plugin,
                    hook="kaoping_register_schemes",
                    file=entry.origin,
                )
            if entry.id in schemes:
                raise PluginError(
                    _("scheme {scheme!r} is registered by both {first!r} and {second!r}").format(
                        scheme=entry.id, first=schemes[entry.id].plugin, second=entry.plugin
                    ),
                    plugin=entry.plugin,
                    hook="kaoping_register_schemes",
                    file=entry.origin,
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
                            ),
                            plugin=plugin,
                            hook="kaoping_register_schemes",
                        )
                    data, origin = _read_source(changes, plugin)
                    derived.append(_Derived(plugin, extends, data, origin, sample))
                    return
                if scheme is None:
                    raise PluginError(
                        _("plugin {plugin!r} called register() without a scheme file or mapping").format(plugin=plugin),
                        plugin=plugin,
                        hook="kaoping_register_schemes",
                    )
                data, origin = _read_source(scheme, plugin)
                add(SchemeEntry(str(data.get("id", "")), plugin, data, origin, sample))

            return register

        for plugin, caller in self._each_plugin(self.pm.hook.kaoping_register_schemes):
            with self._blaming("kaoping_register_schemes"):
                caller(register=register_for(plugin))
        while derived:  # a scheme may extend a derived one, registered by any plugin in any order
            ready = [d for d in derived if d.base in schemes]
            if not ready:
                first = derived[0]
                known = ", ".join(sorted(schemes)) or _("none")
                raise PluginError(
                    _("plugin {plugin!r} extends scheme {base!r}, which no plugin registers (known: {known})").format(
                        plugin=first.plugin, base=first.base, known=known
                    ),
                    plugin=first.plugin,
                    hook="kaoping_register_schemes",
                    file=first.origin,
                )
            for item in ready:
                derived.remove(item)
                data = derive_scheme(schemes[item.base].data, item.changes, item.origin)
                add(SchemeEntry(str(data.get("id", "")), item.plugin, data, item.origin, item.sample, item.base))
        return schemes

    # -- schemes ------------------------------------------------------------------------------------------

    def scheme(
        self,
        scheme_id: str,
        overrides: dict[str, Any] | None = None,
        overrides_origin: str | Origin = "overrides",
        layers: Sequence[tuple[dict[str, Any], str | Origin]] = (),
    ) -> Scheme:
        """The scheme with overrides applied, parsed and bound to the method registry.

        ``layers`` are further ``(overrides, origin)`` tables applied in order after ``overrides`` (a
        deployment's, then an ``--overrides`` file's), each validated against the scheme as merged so far.
        """
        entry = self.schemes.get(scheme_id)
        if entry is None:
            known = ", ".join(sorted(self.schemes)) or "none"
            raise InputError(
                _("unknown scheme '{scheme_id}' (known schemes: {known})").format(scheme_id=scheme_id, known=known)
            )
        problems: list[Problem] = []  # overrides, scheme and method parameters: reported together
        applied = [
            (layer, origin if isinstance(origin, Origin) else Origin(origin))
            for layer, origin in ((overrides, overrides_origin), *layers)
            if layer
        ]
        data = entry.data
        for layer, origin in applied:
            data = apply_overrides(data, layer, origin, collect=problems)
        if data.get("id") != scheme_id:
            raise SchemeError(
                _("overrides may not change the scheme id ({overrides_origin})").format(
                    overrides_origin=overrides_origin
                )
            )

        def read(table: Mapping[str, Any]) -> tuple[Scheme, list[Problem]]:
            scheme, found = read_scheme(table, origin=entry.origin, plugin=entry.plugin)
            return bind_scheme(scheme, self.methods, collect=found), found

        scheme, found = read(data)
        if found and applied and not read(entry.data)[1]:
            # only the overridden scheme fails: name the file and key of the layer that caused each problem
            # (the deployment's kaoping.toml, an --overrides file), never the built-in scheme file
            found = _blame_layers(found, entry.data, applied, read)
        problems += found
        if problems:
            raise SchemeError(problems)
        return scheme

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
            others.append(self.pm.get_plugin(_GIVEN_RESULT))  # the host's relay serves one wrapper at a time
            caller = self.pm.subset_hook_caller(name, remove_plugins=[o for o in others if o is not None])
            self._scoped[key] = caller
        return caller

    def load_dataset(self, source: Path, scheme: Scheme) -> Dataset:
        dataset = self._call("kaoping_load_dataset", scheme, source=source)
        if dataset is None:
            raise InputError(_("no plugin could read {source}").format(source=source))
        return dataset

    def validate(self, scheme: Scheme, dataset: Dataset) -> list[Problem]:
        found = self._call("kaoping_validate_dataset", scheme, dataset=dataset)
        return [problem for problems in reversed(found) for problem in problems or ()]

    def vetoes_by_plugin(self, scheme: Scheme, dataset: Dataset) -> list[tuple[str, list[Veto]]]:
        """Each plugin's vetoes for this run as that plugin returned them, plugin by plugin."""
        found = []
        for plugin, caller in self._each_plugin(self.hook_for("kaoping_check_vetoes", scheme)):
            with self._blaming("kaoping_check_vetoes"):
                vetoes = [veto for result in caller(scheme=scheme, dataset=dataset) for veto in result or ()]
            found.append((plugin, vetoes))
        return found

    def check_vetoes(self, scheme: Scheme, dataset: Dataset) -> list[Veto]:
        """Every plugin's vetoes, each naming its plugin (the implementing plugin where it left
        ``plugin`` empty), in one order that does not depend on plugin or table order.

        A veto naming a unit not in the data or an area the scheme does not declare is refused
        (:func:`kaoping.core.validate.plugin_veto_problems`), never dropped."""
        vetoes = [
            veto if veto.plugin else attrs.evolve(veto, plugin=plugin)
            for plugin, found in self.vetoes_by_plugin(scheme, dataset)
            for veto in found
        ]
        problems = plugin_veto_problems(scheme, dataset, vetoes)
        if problems:
            raise InputError(problems)
        return sorted(vetoes, key=veto_order)

    def _call_naming_wrappers(self, hook_name: str, scheme: Scheme, **kwargs: Any) -> Any:
        """Call a run hook whose wrappers may add trail entries, naming each wrapper's plugin on what it adds.

        The plain implementations run first (the first result wins, as pluggy has it), then each wrapper
        on its own, innermost first, through pluggy's public ``subset_hook_caller`` with the host's relay
        (:class:`_GivenResult`) handing it the result so far: the nesting pluggy would do, one layer at a
        time. While a wrapper runs, :data:`~kaoping.core.results.ADDING_PLUGIN` names it, so an entry it
        adds without naming a plugin (``TrailEntry.plugin`` is ``builtin`` by default) names that plugin
        and ``kaoping explain`` can say which plugin gave a point. No unit's trail is built to do so.
        """
        caller = self.hook_for(hook_name, scheme)
        wrappers = [impl for impl in caller.get_hookimpls() if impl.wrapper or impl.hookwrapper]
        with self._blaming(hook_name):
            if not wrappers:
                return caller(scheme=scheme, **kwargs)
            result = self._scoped_without(hook_name, scheme, [w.plugin_name for w in wrappers])(scheme=scheme, **kwargs)
            for wrapper in wrappers:
                given = _GIVEN.set((hook_name, result))
                adding = ADDING_PLUGIN.set("" if wrapper.plugin_name == BUILTIN_NAME else wrapper.plugin_name)
                try:
                    result = self._alone(hook_name, wrapper.plugin_name)(scheme=scheme, **kwargs)
                finally:
                    ADDING_PLUGIN.reset(adding)
                    _GIVEN.reset(given)
            return result

    def _scoped_without(self, hook_name: str, scheme: Scheme, names: Sequence[str]) -> pluggy.HookCaller:
        """The hook as ``scheme`` sees it, less the plugins ``names``."""
        key = (hook_name, scheme.id, *names)
        caller = self._scoped.get(key)
        if caller is None:
            others = [p for p, ids in self.bound.items() if scheme.id not in ids]
            removed = [self.pm.get_plugin(p) for p in (*others, *names, _GIVEN_RESULT)]
            caller = self.pm.subset_hook_caller(hook_name, remove_plugins=[p for p in removed if p is not None])
            self._scoped[key] = caller
        return caller

    def _alone(self, hook_name: str, plugin_name: str) -> pluggy.HookCaller:
        """The hook with one plugin's implementation and the host's relay only."""
        key = (hook_name, "", plugin_name)
        caller = self._scoped.get(key)
        if caller is None:
            kept = {plugin_name, _GIVEN_RESULT}
            others = [p for name, p in self.pm.list_name_plugin() if name not in kept]
            caller = self.pm.subset_hook_caller(hook_name, remove_plugins=others)
            self._scoped[key] = caller
        return caller

    def score(self, scheme: Scheme, dataset: Dataset, vetoes: list[Veto]) -> ScoreTable:
        table = self._call_naming_wrappers(
            "kaoping_score", scheme, dataset=dataset, vetoes=vetoes, methods=self.methods
        )
        if table is None:
            raise PluginError(_("no plugin scored scheme '{scheme}'").format(scheme=scheme.id), hook="kaoping_score")
        return table

    def apply_results(self, scheme: Scheme, scores: ScoreTable, dataset: Dataset, vetoes: list[Veto]) -> RunResult:
        result = self._call_naming_wrappers(
            "kaoping_apply_results", scheme, scores=scores, dataset=dataset, vetoes=vetoes
        )
        if result is None:
            raise PluginError(
                _("no plugin applied results for scheme '{scheme}'").format(scheme=scheme.id),
                hook="kaoping_apply_results",
            )
        result.plugins = {name: info.version for name, info in sorted(self.info.items())}
        return result

    def procedure_windows(self, scheme: Scheme, published_on: date) -> list[Window]:
        """Every plugin's appeal and publicity windows for results published on ``published_on``."""
        found = self._call("kaoping_procedure_windows", scheme, published_on=published_on)
        return sorted((w for windows in found for w in windows or ()), key=lambda w: (w.kind, w.closes, w.quote))


BUILTIN_NAME = "builtin"
_GIVEN_RESULT = "kaoping-host-relay"
_GIVEN: contextvars.ContextVar[tuple[str, Any] | None] = contextvars.ContextVar("kaoping_given_result", default=None)


class _GivenResult:
    """The host's relay: returns the result the host is passing through one wrapper (or nothing).

    It answers only while :meth:`PluginHost._call_naming_wrappers` has set a result for its hook, and
    otherwise returns ``None``, which every first-result hook passes over.
    """

    @staticmethod
    def _given(hook_name: str) -> Any:
        given = _GIVEN.get()
        return given[1] if given is not None and given[0] == hook_name else None

    @hookimpl(tryfirst=True)
    def kaoping_score(self) -> ScoreTable | None:
        return self._given("kaoping_score")  # type: ignore[no-any-return]

    @hookimpl(tryfirst=True)
    def kaoping_apply_results(self) -> RunResult | None:
        return self._given("kaoping_apply_results")  # type: ignore[no-any-return]


def veto_order(veto: Veto) -> tuple[str, str, str, str, str, str]:
    """Unit, area, source, note, plugin, effect: the order vetoes are listed and applied in."""
    return (veto.unit, veto.area, veto.source, veto.note, veto.plugin, veto.effect)


def _read_source(source: Path | Mapping[str, Any], plugin: str) -> tuple[dict[str, Any], str]:
    """A scheme (or changes) given to ``register``: the mapping itself, or the TOML file it names."""
    if isinstance(source, Mapping):
        return dict(source), f"{plugin}:<dict>"
    return read_toml(Path(source)), str(source)


def _list_of(kind: type) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, (list, tuple)) and all(isinstance(item, kind) for item in value)


def _instance_of(kind: type) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, kind)


# What each hook may return besides None, with a phrase for the message.
_RETURN_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "kaoping_load_dataset": (_instance_of(Dataset), "a Dataset"),
    "kaoping_validate_dataset": (_list_of(Problem), "a list of Problem"),
    "kaoping_check_vetoes": (_list_of(Veto), "a list of Veto"),
    "kaoping_score": (_instance_of(ScoreTable), "a ScoreTable"),
    "kaoping_apply_results": (_instance_of(RunResult), "a RunResult"),
}


def _returns_checked(
    function: Callable[..., Any], plugin: str, hook: str, check: tuple[Callable[[Any], bool], str]
) -> Callable[..., Any]:
    accepts, expected = check

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        found = function(*args, **kwargs)
        if found is not None and not accepts(found):
            shown = repr(found)
            raise PluginError(
                _("plugin {plugin!r} returned {value} from hook {hook}, where {expected} (or None) belongs").format(
                    plugin=plugin, value=shown if len(shown) <= 80 else shown[:77] + "...", hook=hook, expected=expected
                ),
                plugin=plugin,
                hook=hook,
            )
        return found

    return checked


def _source_root(plugin: object) -> Path | None:
    """The file (or package folder) a plugin's code lives in."""
    try:
        module = plugin if isinstance(plugin, ModuleType) else inspect.getmodule(type(plugin))
        filename = getattr(module, "__file__", None)
    except TypeError:
        return None
    if not filename:
        return None
    path = Path(filename).resolve()
    return path.parent if path.name == "__init__.py" else path


def _shown_path(path: Path) -> str:
    """A plugin file's path as its author knows it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _raised_at(error: BaseException, path: Path) -> str:
    """``file:line`` of the innermost frame of ``error`` in ``path`` (a plugin file being imported)."""
    line = _line_of(error, path)
    shown = _shown_path(path.resolve())
    return shown if line is None else f"{shown}:{line}"


def _line_of(error: BaseException, path: Path) -> int | None:
    """The line of the innermost frame of ``error`` in ``path``, or of its syntax error."""
    if isinstance(error, SyntaxError) and error.lineno is not None:
        return error.lineno
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).resolve() == path.resolve():
            return frame.lineno
    return None


def _import_plugin(spec: str, base_dir: Path | None) -> ModuleType:
    """Import a plugin named in a config: a dotted module name or a path to a ``.py`` file."""
    if spec.endswith(".py") or "/" in spec or os.sep in spec:
        path = Path(spec)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.exists():
            raise PluginError(_("plugin file {path} does not exist").format(path=path), plugin=spec, file=str(path))
        module_name = f"kaoping_local_{path.stem}"
        loader_spec = importlib.util.spec_from_file_location(module_name, path)
        if loader_spec is None or loader_spec.loader is None:
            raise PluginError(_("cannot import plugin file {path}").format(path=path), plugin=spec, file=str(path))
        module = importlib.util.module_from_spec(loader_spec)
        sys.modules[module_name] = module
        try:
            loader_spec.loader.exec_module(module)
        except Exception as error:
            raise PluginError(
                _("plugin file {file} failed to import at {place}: {kind}: {message}").format(
                    file=path, place=_raised_at(error, path), kind=type(error).__name__, message=error
                ),
                plugin=spec,
                file=_shown_path(path.resolve()),
                line=_line_of(error, path),
            ) from error
        return module
    try:
        return importlib.import_module(spec)
    except ImportError as error:
        raise PluginError(
            _("plugin module '{spec}' cannot be imported: {error}").format(spec=spec, error=error), plugin=spec
        ) from error


def _blame_layers(
    found: list[Problem],
    base: dict[str, Any],
    applied: Sequence[tuple[dict[str, Any], Origin]],
    read: Callable[[Mapping[str, Any]], tuple[Scheme, list[Problem]]],
) -> list[Problem]:
    """Each problem of the overridden scheme said about the first override layer after which it appears.

    Layers are applied one at a time, so a negative cap set in ``kaoping.toml`` is named there even when an
    ``--overrides`` file comes after it, and the file's own mistakes are named in the file.
    """
    owner: dict[tuple[str, str], Origin] = {}
    data = base
    for layer, origin in applied:
        data = apply_overrides(data, layer, origin, collect=[])
        for problem in read(data)[1]:
            owner.setdefault((problem.message, problem.key), origin)
    last = applied[-1][1]
    return [owner.get((p.message, p.key), last).blame(p) for p in found]
