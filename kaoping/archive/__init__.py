"""The results archive: what an evaluation office keeps of its runs, year after year.

Runs are recorded with everything needed to show and re-check them (inputs and their checksums, scheme
and plugin versions, overrides, per-unit results with the whole trail); revisions are published, appealed
and corrected; history rules of later years read the published results; every action is logged. The
database is SQLite (a file beside ``kaoping.toml``) or PostgreSQL, through SQLAlchemy Core, with Alembic
migrations applied on opening. See ``docs/archive.md``.
"""
