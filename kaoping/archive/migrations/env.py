"""Alembic environment: run on a connection the archive hands over (no alembic.ini, no URL here)."""

from __future__ import annotations

from alembic import context

from kaoping.archive.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
