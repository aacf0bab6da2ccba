"""Archive tests run on SQLite (a file in a temporary folder) and on PostgreSQL when
``KAOPING_TEST_PG_URL`` names a reachable server (each test gets a database of its own, dropped after)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from kaoping.archive.database import normalise_url
from kaoping.plugins.hunan_heshan import SAMPLE_DATA as HESHAN_SAMPLE

PG_ENV = "KAOPING_TEST_PG_URL"


def _pg_server() -> tuple[sa.Engine | None, str]:
    url = os.environ.get(PG_ENV)
    if not url:
        return None, f"{PG_ENV} is not set (a PostgreSQL URL such as postgresql://postgres:pw@127.0.0.1/postgres)"
    engine = sa.create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        engine.dispose()
        return None, f"no PostgreSQL server reachable at {PG_ENV}: {error.orig}"
    return engine, ""


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty archive database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kaoping.db'}"
        return
    yield from _pg_database(request)


def _pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    server, reason = _pg_server()
    if server is None:
        pytest.skip(reason)
    name = f"kaoping_test_{uuid.uuid4().hex[:12]}"
    with server.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = server.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with server.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.dispose()


@pytest.fixture
def second_url(request: pytest.FixtureRequest, archive_url: str, tmp_path: Path) -> Iterator[str]:
    """Another empty database on the same backend as ``archive_url`` (for export → import)."""
    if archive_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'copy.db'}"
        return
    yield from _pg_database(request)


@pytest.fixture
def heshan_data(tmp_path: Path) -> Path:
    """A copy of the Heshan sample (with its 2012 history table)."""
    target = tmp_path / "heshan2013"
    shutil.copytree(HESHAN_SAMPLE, target)
    return target


@pytest.fixture
def heshan_without_history(tmp_path: Path) -> Path:
    """The Heshan sample without its history table, as next year's data would come."""
    target = tmp_path / "heshan2014"
    shutil.copytree(HESHAN_SAMPLE, target)
    (target / "history.csv").unlink()
    return target
