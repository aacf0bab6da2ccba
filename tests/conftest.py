"""Test-wide setup: existing tests read English texts, so they run with ``KAOPING_LANG=en``.

Tests of the Chinese default (tests/locale/) clear it themselves. The language a CLI run chose with
``--lang`` is reset after each test, so that it does not leak into the next.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kaoping.locale import ENV, set_language


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(ENV, "en")
    yield
    set_language(None)
