"""Message catalogs: every user-facing text is shown in Simplified Chinese by default, English on request.

Message ids are the English texts, marked in the source with :func:`_` (translated at once) or :func:`N_`
(marked for extraction, translated where it is shown: click help, module-level constants). The catalogs are
gettext files under ``kaoping/locale/<lang>/LC_MESSAGES/kaoping.po``, extracted and compiled with Babel.

The language is chosen, first match wins, by :func:`set_language` (the CLI's ``--lang``), the
``KAOPING_LANG`` environment variable, then the default ``zh_CN``. English is the message ids themselves.
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
    if lowered in ("zh", "zh_cn", "zh_hans", "cn", "chinese"):
        return "zh_CN"
    if lowered.startswith("en") or lowered in ("c", "posix"):
        return "en"
    raise ValueError(value)


def set_language(language: str | None) -> None:
    """Choose the language for this process (``None`` goes back to ``KAOPING_LANG`` or the default)."""
    global _chosen
    _chosen = None if language is None else normalise_language(language)


def get_language() -> str:
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


def _(message: str) -> str:
    """Translate ``message`` (an English message id) into the current language."""
    return _catalog(get_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate with a plural form (Chinese has one form; English two)."""
    return _catalog(get_language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now; pass it through :func:`_` where shown."""
    return message
