"""Shell completion: click's own, with scheme ids completed wherever a command takes a scheme.

Enable it once per shell (``kaoping`` is the command, ``_KAOPING_COMPLETE`` click's variable)::

    eval "$(_KAOPING_COMPLETE=bash_source kaoping)"      # bash, in ~/.bashrc
    eval "$(_KAOPING_COMPLETE=zsh_source kaoping)"       # zsh, in ~/.zshrc
    _KAOPING_COMPLETE=fish_source kaoping | source       # fish, in ~/.config/fish/completions/kaoping.fish

Commands, options and file paths complete as click completes them. A parameter named ``scheme_id`` or
``schemes`` (``--scheme``, or the scheme argument of ``show`` and ``template``) completes the ids of the
registered schemes, built-in and installed; a third party's command gets the same by naming its
parameter so.
"""

from __future__ import annotations

from typing import Any

import click
from click.shell_completion import CompletionItem

SCHEME_PARAMETERS = ("scheme_id", "schemes")


class SchemeId(click.ParamType):
    """A scheme id: any text on the command line (the host checks it), registered ids in completion."""

    name = "scheme_id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from kaoping.core.errors import KaopingError
        from kaoping.core.plugins import PluginHost

        try:
            schemes = PluginHost().schemes
        except KaopingError:  # a broken installed plugin: complete nothing rather than print a traceback
            return []
        return [
            CompletionItem(scheme_id, help=str(entry.data.get("name", "")))
            for scheme_id, entry in sorted(schemes.items())
            if scheme_id.startswith(incomplete)
        ]


SCHEME_ID = SchemeId()


def complete_scheme_ids(group: click.Group) -> None:
    """Give every text parameter named ``scheme_id`` or ``schemes`` of ``group``'s commands the
    :class:`SchemeId` type, so the shell completes registered scheme ids there."""
    for command in group.commands.values():
        for param in command.params:
            if param.name in SCHEME_PARAMETERS and isinstance(param.type, click.types.StringParamType):
                param.type = SCHEME_ID
