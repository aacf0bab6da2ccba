"""Message catalogs: every user-facing text is shown in Simplified Chinese by default, English on request.

Message ids are the English texts, marked in the source with :func:`_` (translated at once),
:func:`N_` (marked for extraction, translated where it is shown: click help, module-level constants) or
:func:`ngettext` (a count decides the form). The catalogs are gettext files under
``kaoping/locale/<lang>/LC_MESSAGES/kaoping.po``, extracted and compiled with Babel (see
``docs/translations.md``); at run time only the standard library's :mod:`gettext` reads the compiled ``.mo``.

The language is chosen, first match wins, by :func:`set_language` (the CLI's ``--lang``), the
``KAOPING_LANG`` environment variable, then the default ``zh_CN``. English is the message ids themselves.

A plugin ships its own catalog under its own gettext domain and gets its ``_`` from :func:`translator`;
it follows the same language choice as kaoping.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "kaoping"
LOCALE_DIR = Path(__file__).parent
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")
ENV = "KAOPING_LANG"

_chosen: str | None = None


def normalise_language(value: str) -> str:
    """``zh``, ``zh-CN``, ``zh_CN.UTF-8`` → ``zh_CN``; ``en``, ``en_US`` → ``en``; anything else is an error."""
    base = value.strip().split(".")[0].replace("-", "_")
    lowered = base.lower()
    if lowered in ("zh", "zh_cn", "zh_hans", "zh_hans_cn", "cn", "chinese"):
        return "zh_CN"
    if lowered.startswith("en") or lowered in ("c", "posix"):
        return "en"
    raise ValueError(value)


def set_language(language: str | None) -> None:
    """Choose the language for this process (``None`` goes back to ``KAOPING_LANG`` or the default)."""
    global _chosen
    _chosen = None if language is None else normalise_language(language)


def get_language() -> str:
    """The language texts are shown in now: ``zh_CN`` or ``en``."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV)
    if env:
        try:
            return normalise_language(env)
        except ValueError:
            return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@cache
def _catalog(language: str, domain: str = DOMAIN, localedir: str = str(LOCALE_DIR)) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(domain, localedir, languages=[language], fallback=True)


class Translator:
    """The ``_`` of one gettext domain: call it with a message id; ``ngettext`` for counted forms.

    It looks the language up on every call, so a module-level ``_ = translator(...)`` follows ``--lang``.
    A message without a translation in the catalog (or a missing catalog) shows the English id.
    """

    def __init__(self, domain: str, localedir: str | Path) -> None:
        self.domain = domain
        self.localedir = str(localedir)

    def catalog(self) -> gettext.NullTranslations:
        return _catalog(get_language(), self.domain, self.localedir)

    def __call__(self, message: str) -> str:
        return self.catalog().gettext(message)

    def gettext(self, message: str) -> str:
        return self.catalog().gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.catalog().ngettext(singular, plural, count)


def translator(domain: str, localedir: str | Path) -> Translator:
    """A plugin's own ``_``: messages of ``domain`` from ``localedir/<lang>/LC_MESSAGES/<domain>.mo``.

    Example, in a plugin package with ``locale/zh_CN/LC_MESSAGES/kaoping_example_local.mo`` beside it::

        from pathlib import Path
        from kaoping.locale import translator

        _ = translator("kaoping_example_local", Path(__file__).parent / "locale")
        raise InputError(_("the ledger has no total"))
    """
    return Translator(domain, localedir)


_KAOPING = Translator(DOMAIN, LOCALE_DIR)


def _(message: str) -> str:
    """Translate ``message`` (an English message id) into the current language."""
    return _KAOPING.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate with a plural form (Chinese has one form; English two)."""
    return _KAOPING.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now; pass it through :func:`_` where shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for extraction without translating it now (see :func:`ngettext`)."""
    return singular, plural


__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "ENV",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "Nn_",
    "Translator",
    "_",
    "get_language",
    "ngettext",
    "normalise_language",
    "set_language",
    "translator",
]
