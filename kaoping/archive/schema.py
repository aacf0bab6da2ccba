"""The archive's tables (SQLAlchemy Core): runs, their revisions and unit results, inputs, appeals,
decisions, publications and the audit log.

Every table is append-only: a stored revision never changes, a correction is a new revision of its run,
a decision on an appeal is a row of its own, and nothing is ever deleted. Exact numbers are stored as
decimal text (``total``) or tagged JSON (:mod:`kaoping.archive.codec`), so no float ever touches a score.
Timestamps are ISO 8601 text in UTC; procedure dates (filing, publication) are ``DATE``.

A change here needs a new migration in ``kaoping/archive/migrations/versions`` (the test
``tests/archive/test_migrations.py`` fails until the migrations build exactly these tables).
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    }
)

TIMESTAMP = sa.String(32)  # 2026-12-01T21:30:00.123456Z
NAME = sa.String(200)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("county", NAME, nullable=False),  # the deployment's county id; "" without a deployment file
    sa.Column("scheme_id", NAME, nullable=False),
    sa.Column("year", sa.Integer, nullable=True),
    sa.Column("created_at", TIMESTAMP, nullable=False),
    sa.Column("created_by", NAME, nullable=False),
    sa.Index(None, "county", "scheme_id", "year"),
)

revisions = sa.Table(
    "revisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),  # 1 for the recorded run, then one per correction
    sa.Column("created_at", TIMESTAMP, nullable=False),
    sa.Column("created_by", NAME, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("appeal_id", sa.Integer, nullable=True),  # the accepted appeal that made this revision
    sa.Column("scheme_name", sa.Text, nullable=False),
    sa.Column("scheme_plugin", NAME, nullable=False),
    sa.Column("scheme_version", NAME, nullable=False),  # the providing plugin's version
    sa.Column("scheme_hash", sa.String(64), nullable=False),  # sha256 of the scheme after overrides
    sa.Column("overrides", sa.JSON, nullable=False),
    sa.Column("overrides_hash", sa.String(64), nullable=False),
    sa.Column("kaoping_version", NAME, nullable=False),
    sa.Column("plugins", sa.JSON, nullable=False),  # plugin name → version
    sa.Column("source", sa.Text, nullable=False),  # the data source as given (folder, workbook, file)
    sa.Column("notes", sa.JSON, nullable=False),
    sa.Column("pools", sa.JSON, nullable=False),
    sa.UniqueConstraint("run_id", "number"),
)

unit_results = sa.Table(
    "unit_results",
    metadata,
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.id"), primary_key=True),
    sa.Column("unit", NAME, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),  # order of the run's results
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("group_id", NAME, nullable=False),
    sa.Column("total", sa.String(40), nullable=False),  # exact decimal text
    sa.Column("rank", sa.Integer, nullable=True),
    sa.Column("grade", NAME, nullable=False),
    sa.Column("grade_reason", sa.Text, nullable=False),
    sa.Column("parts_scored", sa.JSON, nullable=False),
    sa.Column("parts", sa.JSON, nullable=False),
    sa.Column("vetoes", sa.JSON, nullable=False),
    sa.Column("consequences", sa.JSON, nullable=False),
    sa.Column("trail", sa.JSON, nullable=False),
)

inputs = sa.Table(
    "inputs",
    metadata,
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.id"), primary_key=True),
    sa.Column("name", NAME, primary_key=True),  # file name inside the data source
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),  # kept so an accepted appeal can re-score
)

appeals = sa.Table(
    "appeals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.id"), nullable=False),  # the published one
    sa.Column("unit", NAME, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("filed_by", NAME, nullable=False),
    sa.Column("filed_on", sa.Date, nullable=False),
    sa.Column("recorded_at", TIMESTAMP, nullable=False),
)

decisions = sa.Table(
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("appeal_id", sa.Integer, sa.ForeignKey("appeals.id"), nullable=False, unique=True),
    sa.Column("accepted", sa.Boolean, nullable=False),
    sa.Column("decided_by", NAME, nullable=False),
    sa.Column("decided_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.id"), nullable=True),  # the re-scored one
    sa.Column("recorded_at", TIMESTAMP, nullable=False),
)

publications = sa.Table(
    "publications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("revision_id", sa.Integer, sa.ForeignKey("revisions.id"), nullable=False),
    sa.Column("published_on", sa.Date, nullable=False),
    sa.Column("published_by", NAME, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("windows", sa.JSON, nullable=False),  # the appeal and publicity windows it opened
    sa.Column("recorded_at", TIMESTAMP, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", TIMESTAMP, nullable=False),
    sa.Column("actor", NAME, nullable=False),
    sa.Column("action", sa.String(40), nullable=False),  # record, publish, appeal, decide, import
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
)

# Parents before children: the order of export, import and sequence resets.
TABLES = (runs, revisions, unit_results, inputs, appeals, decisions, publications, audit_log)
