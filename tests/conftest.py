"""Test-wide setup: existing tests read English texts, so they run with ``KAOPING_LANG=en``.

The variable is set when pytest starts (module- and session-scoped fixtures compute results before any
function fixture runs) and again for each test. Tests of the Chinese default (tests/locale/) remove it
with ``monkeypatch``. The language a CLI run chose with ``--lang`` is reset after each test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from kaoping.locale import ENV, set_language


def pytest_configure(config: pytest.Config) -> None:
    os.environ[ENV] = "en"


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(ENV, "en")
    yield
    set_language(None)
