"""Schema migrations, run programmatically when an archive is opened: a deployer never needs alembic.ini.

The scripts live in :mod:`kaoping.archive.migrations` and ship with the package. A new schema version is
one new script there (``kaoping.archive.migrate.revision("message")`` writes it from the difference
between :mod:`kaoping.archive.schema` and the newest script).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")
# Any number, the same in every process: PostgreSQL serialises concurrent upgrades on it.
_PG_LOCK = 7_150_213


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine) -> None:
    """Bring the database to the newest schema, in one transaction; a no-op when it is there already."""
    target = head()
    with engine.connect() as connection:
        if current(connection) == target:
            return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        command.upgrade(alembic_config(connection), "head")


def revision(engine: sa.Engine, message: str) -> None:  # pragma: no cover - a developer's tool
    """Write a new migration script from the difference between the schema module and the database."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
