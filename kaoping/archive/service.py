"""Archive operations as commands use them: open the deployment's archive, score with history from it,
record, publish with the scheme's windows, decide appeals by re-scoring.

The CLI parses and prints; everything between is here, so tests drive exactly what a clerk runs.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from kaoping.archive.codec import digest
from kaoping.archive.database import default_url
from kaoping.archive.history import PLUGIN_NAME, ArchiveHistory
from kaoping.archive.recording import Recording, score_and_capture
from kaoping.archive.store import Archive, Clock, Decision, Publication, StoredRevision, utc_now
from kaoping.core.config import load_deployment
from kaoping.core.errors import InputError
from kaoping.core.pipeline import Setup, prepare
from kaoping.core.procedure import Window
from kaoping.core.scheme import Scheme
from kaoping.locale import _


@attrs.frozen
class Deployed:
    """The deployment a command runs in: config file and county, extra and disabled plugins."""

    config: Path | None = None
    county: str | None = None
    plugins: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()

    def county_id(self) -> str:
        return load_deployment(self.config).county(self.county).id if self.config is not None else ""

    def archive_url(self) -> str:
        url = load_deployment(self.config).archive_url if self.config is not None else None
        return url or default_url(self.config)


def open_archive(deployed: Deployed, clock: Clock = utc_now, url: str | None = None) -> Archive:
    return Archive(url or deployed.archive_url(), clock)


def existing_archive(deployed: Deployed, url: str | None = None) -> Archive | None:
    """The deployment's archive when there is one to read: a configured URL, or an existing SQLite file.

    Scoring without ``--record`` must not create a database as a side effect.
    """
    chosen = url or deployed.archive_url()
    parsed = sa.make_url(chosen) if "://" in chosen else None
    if parsed is not None and parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).exists():
            return None
    return Archive(chosen)


def setup_with_history(
    deployed: Deployed,
    archive: Archive | None,
    scheme_id: str | None,
    year: int | None,
    overrides: dict[str, Any] | None = None,
    overrides_origin: str = "overrides",
) -> Setup:
    """The command's setup; with an archive, history rules read its published results when the data has
    no history table."""
    objects: tuple[tuple[str, object], ...] = ()
    if archive is not None:
        objects = ((PLUGIN_NAME, ArchiveHistory(archive, deployed.county_id())),)
    return prepare(
        scheme_id=scheme_id,
        config=deployed.config,
        county=deployed.county,
        overrides=overrides,
        overrides_origin=overrides_origin,
        plugins=deployed.plugins,
        disable=deployed.disable,
        year=year,
        plugin_objects=objects,
    )


def capture(setup: Setup, source: Path) -> Recording:
    if setup.scheme is None:
        raise InputError(_("give --scheme ID or --config with a county"))
    return score_and_capture(setup, setup.scheme, source)


def record(archive: Archive, setup: Setup, source: Path, by: str, reason: str = "") -> StoredRevision:
    """Score ``source`` and store the run as revision 1 of a new run."""
    return archive.record(capture(setup, source), by, reason)


def _stored_setup(archive: Archive, deployed: Deployed, stored: StoredRevision) -> Setup:
    """The setup a stored run was scored with: its scheme, overrides and year, this deployment's plugins."""
    if deployed.config is not None:
        setup = setup_with_history(deployed, archive, stored.scheme_id, stored.year)
        county = setup.county
        have = digest(dict(county.overrides) if county is not None else {})
        if have != stored.overrides_hash:
            raise InputError(
                _(
                    "the overrides of county {county} in {config} differ from those run {run} was scored with; "
                    "re-scoring it would mix two schemes"
                ).format(county=stored.county, config=deployed.config, run=stored.run_id)
            )
        return setup
    return setup_with_history(deployed, archive, stored.scheme_id, stored.year, overrides=stored.overrides)


def _scheme(setup: Setup) -> Scheme:
    if setup.scheme is None:  # pragma: no cover - a stored run always names its scheme
        raise InputError(_("no scheme"))
    return setup.scheme


def publish(
    archive: Archive, deployed: Deployed, run_id: int, number: int | None, by: str, on: date, note: str = ""
) -> Publication:
    """Publish a revision on ``on``: the scheme's appeal and publicity windows open that day."""
    stored = archive.revision(run_id, number)
    setup = _stored_setup(archive, deployed, stored)

    def windows_for(day: date) -> list[Window]:
        return setup.host.procedure_windows(_scheme(setup), day)

    return archive.publish(run_id, stored.number, by, on, windows_for, note)


def decide(
    archive: Archive,
    deployed: Deployed,
    appeal_id: int,
    accepted: bool,
    by: str,
    on: date,
    note: str,
    changes: list[Path],
) -> Decision:
    """Decide an appeal; an accepted one re-scores the run's newest inputs with the changed files."""
    appeal = next((a for a in archive.appeals() if a["id"] == appeal_id), None)
    if appeal is None:
        raise InputError(_("no appeal {appeal} in the archive").format(appeal=appeal_id))
    stored = archive.revision(appeal["run_id"])

    def rescore(source: Path, overrides: dict[str, Any], year: int | None) -> Recording:
        setup = _stored_setup(archive, deployed, stored)
        return score_and_capture(setup, _scheme(setup), source, overrides=overrides)

    return archive.decide(appeal_id, accepted, by, on, note, changes, rescore)
