"""The migrations build exactly the tables of kaoping.archive.schema, and opening twice is harmless."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kaoping.archive.migrate import current, head
from kaoping.archive.schema import TABLES, metadata
from kaoping.archive.store import Archive


def test_models_and_migrations_agree(archive_url: str):
    with Archive(archive_url) as archive, archive.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
        assert current(connection) == head()


def test_every_table_is_created_and_opening_again_changes_nothing(archive_url: str):
    with Archive(archive_url) as archive:
        names = set(sa.inspect(archive.engine).get_table_names())
    assert {t.name for t in TABLES} | {"alembic_version"} == names
    with Archive(archive_url) as again, again.engine.connect() as connection:
        assert current(connection) == head()


def test_sqlite_runs_in_wal_mode(tmp_path):
    with Archive(f"sqlite:///{tmp_path / 'k.db'}") as archive, archive.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
