"""Connecting to an archive: URL resolution, SQLite's WAL mode and write locks, PostgreSQL by URL.

SQLite: every connection runs in WAL mode (readers never block the writer), waits up to a minute for a
lock instead of failing, and opens every transaction with ``BEGIN IMMEDIATE``, so two processes writing
at once queue up instead of one of them failing half-way. PostgreSQL: transactions, and a row lock on
the run a correction changes (:mod:`kaoping.archive.store`).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from kaoping.core.errors import InputError
from kaoping.locale import _

DEFAULT_FILE = "kaoping.db"
BUSY_TIMEOUT_SECONDS = 60


def default_url(config: Path | None) -> str:
    """The SQLite file ``kaoping.db`` beside the deployment file (or in the working directory)."""
    folder = config.resolve().parent if config is not None else Path.cwd()
    return f"sqlite:///{folder / DEFAULT_FILE}"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` use the psycopg (v3) driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_engine(url: str) -> sa.Engine:
    url = normalise_url(url)
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as error:
        raise InputError(_("archive url {url!r} is not a database URL: {error}").format(url=url, error=error)) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        _sqlite_setup(engine)
        return engine
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as error:
        raise InputError(
            _(
                "archive url {url!r} needs a database driver that is not installed ({driver}); "
                "for PostgreSQL install kaoping[postgres]"
            ).format(url=parsed.render_as_string(), driver=error.name)
        ) from None


def _sqlite_setup(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # the "begin" listener below opens transactions itself
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
