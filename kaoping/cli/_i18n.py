"""The command line speaks the chosen language: click's own texts and every help string.

click evaluates ``help=`` when a module is imported, before ``--lang`` is read. So help strings are
English message ids (marked with ``N_``) and are translated where click shows them: every command and
parameter of the tree gets a class whose ``help`` reads back through :func:`kaoping.locale._`.
click's own texts (``Usage:``, ``Options:``, ``Error: …``) go through :mod:`gettext` in click's modules;
:func:`route_click_messages` points those at kaoping's catalog, which carries their translations
(:mod:`kaoping.cli._click_messages`).
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import click

from kaoping.cli._help_format import Context
from kaoping.locale import _, ngettext

_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
    "click._termui_impl",
    "click.shell_completion",
)
HELP_OPTION_ID = "Show this message and exit."


def route_click_messages() -> None:
    """Make click's own messages come from kaoping's catalog, in the current language."""
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - a click without that module
            continue
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def _help_get(self: Any) -> str | None:
    text = self.__dict__.get("help")
    return _(inspect.cleandoc(text)) if text else text


def _help_set(self: Any, value: str | None) -> None:
    self.__dict__["help"] = value


TRANSLATED = "_kaoping_translated_help"
_CLASSES: dict[type, type] = {}


def _translated_class(cls: type) -> type:
    """A subclass of ``cls`` whose ``help`` holds the message id and reads back translated."""
    if getattr(cls, TRANSLATED, False):
        return cls
    if cls not in _CLASSES:
        namespace: dict[str, Any] = {TRANSLATED: True, "help": property(_help_get, _help_set)}
        if issubclass(cls, click.Command):
            namespace["get_help_option"] = _help_option_getter(cls)
            namespace["context_class"] = Context  # help wrapped by display width (Chinese is 2 columns wide)
        _CLASSES[cls] = type(f"Translated{cls.__name__}", (cls,), namespace)
    return _CLASSES[cls]


def _help_option_getter(base: type[click.Command]) -> Any:
    def get_help_option(self: Any, ctx: click.Context) -> click.Option | None:
        """click creates (and caches) ``--help`` with a text translated once; keep its id instead."""
        option = base.get_help_option(self, ctx)
        if option is not None and not getattr(type(option), TRANSLATED, False):
            translate_help(option)
            option.help = HELP_OPTION_ID
        return option

    return get_help_option


def translate_help(item: Any) -> None:
    """Give ``item`` (a command, group or parameter) and everything under it help that follows ``--lang``."""
    help_id = item.__dict__.get("help")
    item.__class__ = _translated_class(type(item))
    item.help = help_id
    for param in getattr(item, "params", ()):
        translate_help(param)
    for command in getattr(item, "commands", {}).values():
        translate_help(command)
