"""The archive: record runs, publish revisions, file and decide appeals, read history; all logged.

Every write is one transaction (on SQLite ``BEGIN IMMEDIATE``, so concurrent writers queue; on PostgreSQL
a row lock on the run being corrected), so a killed process leaves nothing half-written and two offices
deciding appeals of one run at once each build on the other's correction. Rows are only ever added.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from kaoping.archive import schema as t
from kaoping.archive.changes import UnitChange, result_changes
from kaoping.archive.codec import encode
from kaoping.archive.database import create_engine, default_url
from kaoping.archive.inputs import FILE, FOLDER, InputFile, Inputs, apply_changes
from kaoping.archive.recording import Recording
from kaoping.archive.stored import run_result, unit_row
from kaoping.core.errors import InputError
from kaoping.core.models import HistoryRow, Where
from kaoping.core.procedure import APPEAL, HEARING, PUBLICITY, Window, first_of
from kaoping.core.results import RunResult
from kaoping.io.report import explained
from kaoping.locale import _

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@attrs.frozen
class StoredRevision:
    """One revision of a run, as stored, with its rebuilt result."""

    run_id: int
    number: int
    revision_id: int
    county: str
    scheme_id: str
    year: int | None
    created_at: str
    created_by: str
    reason: str
    overrides: dict[str, Any]
    overrides_hash: str
    source: str
    published: bool
    result: RunResult
    inputs: dict[str, str]  # file name → sha256

    @property
    def label(self) -> str:
        return f"{self.run_id}.{self.number}"


@attrs.frozen
class Decision:
    appeal_id: int
    accepted: bool
    revision: StoredRevision | None  # the new revision of an accepted appeal
    changes: list[UnitChange]
    inputs_changed: list[str]


@attrs.frozen
class Publication:
    run_id: int
    number: int
    published_on: date
    windows: list[Window]


Rescore = Callable[[Path, dict[str, Any], int | None], Recording]


class Archive:
    """An open archive database (SQLite file or PostgreSQL), migrated to the newest schema on opening."""

    def __init__(self, url: str, clock: Clock = utc_now) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.clock = clock
        from kaoping.archive.migrate import upgrade  # alembic loads only when an archive is opened

        try:
            upgrade(self.engine)
        except sa.exc.OperationalError as error:
            self.engine.dispose()
            raise InputError(
                _("cannot open the archive {url}: {error}").format(
                    url=self.engine.url.render_as_string(), error=error.orig
                )
            ) from None

    @classmethod
    def for_deployment(cls, config: Path | None, url: str | None, clock: Clock = utc_now) -> Archive:
        return cls(url or default_url(config), clock)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self.engine.begin() as connection:
            yield connection

    def _audit(
        self, connection: sa.Connection, actor: str, action: str, subject: str, reason: str, **details: Any
    ) -> None:
        connection.execute(
            t.audit_log.insert().values(
                at=timestamp(self.clock()),
                actor=actor,
                action=action,
                subject=subject,
                reason=reason,
                details=encode(details),
            )
        )

    # -- record -------------------------------------------------------------------------------------------

    def record(self, recording: Recording, by: str, reason: str = "") -> StoredRevision:
        """Store a new run (revision 1) in one transaction."""
        _need_actor(by)
        with self._write() as connection:
            run_id = _new_id(
                connection.execute(
                    t.runs.insert().values(
                        county=recording.county,
                        scheme_id=recording.scheme_id,
                        year=recording.year,
                        created_at=timestamp(self.clock()),
                        created_by=by,
                    )
                )
            )
            self._insert_revision(connection, run_id, 1, recording, by, reason or _("recorded"), None)
            self._audit(
                connection,
                by,
                "record",
                f"run {run_id}.1",
                reason,
                scheme=recording.scheme_id,
                county=recording.county,
                year=recording.year,
                source=recording.source,
                inputs={f.name: f.sha256 for f in recording.inputs.files},
            )
        return self.revision(run_id, 1)

    def _insert_revision(
        self,
        connection: sa.Connection,
        run_id: int,
        number: int,
        recording: Recording,
        by: str,
        reason: str,
        appeal_id: int | None,
    ) -> int:
        result = recording.result
        revision_id = _new_id(
            connection.execute(
                t.revisions.insert().values(
                    run_id=run_id,
                    number=number,
                    created_at=timestamp(self.clock()),
                    created_by=by,
                    reason=reason,
                    appeal_id=appeal_id,
                    scheme_name=recording.scheme_name,
                    scheme_plugin=recording.scheme_plugin,
                    scheme_version=recording.scheme_version,
                    scheme_hash=recording.scheme_hash,
                    overrides=encode(recording.overrides),
                    overrides_hash=recording.overrides_hash,
                    kaoping_version=recording.kaoping_version,
                    plugins=recording.plugins,
                    source=f"{recording.inputs.kind}:{recording.source}",
                    notes=list(result.notes),
                    pools=dict(result.pools),
                )
            )
        )
        rows = [{"revision_id": revision_id, **unit_row(u, i)} for i, u in enumerate(explained(result.units))]
        if rows:
            connection.execute(t.unit_results.insert(), rows)
        files = [
            {
                "revision_id": revision_id,
                "name": f.name,
                "sha256": f.sha256,
                "size": len(f.content),
                "content": f.content,
            }
            for f in recording.inputs.files
        ]
        if files:
            connection.execute(t.inputs.insert(), files)
        return revision_id

    # -- read ---------------------------------------------------------------------------------------------

    def revision(self, run_id: int, number: int | None = None) -> StoredRevision:
        """A stored revision (the newest of the run when ``number`` is None), with its result rebuilt."""
        with self.engine.connect() as connection:
            return self._revision(connection, run_id, number)

    def _revision(self, connection: sa.Connection, run_id: int, number: int | None) -> StoredRevision:
        run = connection.execute(sa.select(t.runs).where(t.runs.c.id == run_id)).mappings().first()
        if run is None:
            raise InputError(_("no run {run} in the archive").format(run=run_id))
        query = sa.select(t.revisions).where(t.revisions.c.run_id == run_id)
        if number is None:
            query = query.order_by(t.revisions.c.number.desc()).limit(1)
        else:
            query = query.where(t.revisions.c.number == number)
        revision = connection.execute(query).mappings().first()
        if revision is None:
            raise InputError(_("run {run} has no revision {number}").format(run=run_id, number=number))
        units = connection.execute(
            sa.select(t.unit_results).where(t.unit_results.c.revision_id == revision["id"])
        ).mappings()
        result = run_result({**revision, "scheme_id": run["scheme_id"]}, list(units))
        inputs = connection.execute(
            sa.select(t.inputs.c.name, t.inputs.c.sha256)
            .where(t.inputs.c.revision_id == revision["id"])
            .order_by(t.inputs.c.name)
        ).all()
        published = connection.execute(
            sa.select(sa.func.count()).where(t.publications.c.revision_id == revision["id"])
        ).scalar_one()
        return StoredRevision(
            run_id=run_id,
            number=revision["number"],
            revision_id=revision["id"],
            county=run["county"],
            scheme_id=run["scheme_id"],
            year=run["year"],
            created_at=revision["created_at"],
            created_by=revision["created_by"],
            reason=revision["reason"],
            overrides=revision["overrides"],
            overrides_hash=revision["overrides_hash"],
            source=revision["source"].split(":", 1)[1],
            published=published > 0,
            result=result,
            inputs={name: sha for name, sha in inputs},
        )

    def published_revision(self, run_id: int) -> StoredRevision | None:
        """The revision of the run published last, or None."""
        with self.engine.connect() as connection:
            number = self._published_number(connection, run_id)
            return None if number is None else self._revision(connection, run_id, number)

    def _published_number(self, connection: sa.Connection, run_id: int) -> int | None:
        return connection.execute(
            sa.select(t.revisions.c.number)
            .join(t.publications, t.publications.c.revision_id == t.revisions.c.id)
            .where(t.revisions.c.run_id == run_id)
            .order_by(t.publications.c.id.desc())
            .limit(1)
        ).scalar()

    def _inputs(self, connection: sa.Connection, revision_id: int) -> Inputs:
        rows = connection.execute(
            sa.select(t.inputs.c.name, t.inputs.c.content)
            .where(t.inputs.c.revision_id == revision_id)
            .order_by(t.inputs.c.name)
        ).all()
        source = connection.execute(sa.select(t.revisions.c.source).where(t.revisions.c.id == revision_id)).scalar_one()
        kind = FILE if source.startswith(f"{FILE}:") else FOLDER
        return Inputs(kind, tuple(InputFile(name, bytes(content)) for name, content in rows))

    def runs(self) -> list[dict[str, Any]]:
        """Every run with its newest revision number and the revision published last."""
        with self.engine.connect() as connection:
            runs = connection.execute(sa.select(t.runs).order_by(t.runs.c.id)).mappings().all()
            listed = []
            for run in runs:
                newest = connection.execute(
                    sa.select(sa.func.max(t.revisions.c.number)).where(t.revisions.c.run_id == run["id"])
                ).scalar_one()
                listed.append({**run, "revisions": newest, "published": self._published_number(connection, run["id"])})
            return listed

    def audit(self) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(sa.select(t.audit_log).order_by(t.audit_log.c.id)).mappings()]

    def history(self, county: str, scheme_id: str, before: int | None = None) -> list[HistoryRow]:
        """Published results of earlier years for one county and scheme, in the ``history`` table's shape.

        For each year, the revision published last (of any run of that year) counts.
        """
        with self.engine.connect() as connection:
            query = (
                sa.select(t.runs.c.year, t.publications.c.revision_id, t.revisions.c.run_id, t.revisions.c.number)
                .select_from(t.publications)
                .join(t.revisions, t.publications.c.revision_id == t.revisions.c.id)
                .join(t.runs, t.revisions.c.run_id == t.runs.c.id)
                .where(t.runs.c.county == county, t.runs.c.scheme_id == scheme_id, t.runs.c.year.is_not(None))
                .order_by(t.publications.c.id)
            )
            if before is not None:
                query = query.where(t.runs.c.year < before)
            chosen: dict[int, tuple[int, int, int]] = {}
            for year, revision_id, run_id, number in connection.execute(query):
                chosen[year] = (revision_id, run_id, number)
            rows: list[HistoryRow] = []
            for year, (revision_id, run_id, number) in sorted(chosen.items()):
                units = connection.execute(
                    sa.select(
                        t.unit_results.c.unit, t.unit_results.c.total, t.unit_results.c.rank, t.unit_results.c.grade
                    )
                    .where(t.unit_results.c.revision_id == revision_id)
                    .order_by(t.unit_results.c.position)
                )
                where = Where(file=_("archive: run {run}.{number}").format(run=run_id, number=number))
                rows += [HistoryRow(u, year, Decimal(total), rank, grade, where) for u, total, rank, grade in units]
            return rows

    # -- publish ------------------------------------------------------------------------------------------

    def publish(
        self,
        run_id: int,
        number: int | None,
        by: str,
        on: date,
        windows_for: Callable[[date], list[Window]],
        note: str = "",
    ) -> Publication:
        """Mark a revision (the newest when ``number`` is None) published on ``on``; its windows open."""
        _need_actor(by)
        with self._write() as connection:
            self._lock_run(connection, run_id)
            revision = self._revision(connection, run_id, number)
            windows = windows_for(on)
            connection.execute(
                t.publications.insert().values(
                    revision_id=revision.revision_id,
                    published_on=on,
                    published_by=by,
                    note=note,
                    windows=[encode(attrs.asdict(w)) for w in windows],
                    recorded_at=timestamp(self.clock()),
                )
            )
            self._audit(connection, by, "publish", f"run {revision.label}", note, published_on=on)
        return Publication(run_id, revision.number, on, windows)

    def _lock_run(self, connection: sa.Connection, run_id: int) -> None:
        """Serialise writers of one run (PostgreSQL row lock; SQLite already holds the write lock)."""
        found = connection.execute(sa.select(t.runs.c.id).where(t.runs.c.id == run_id).with_for_update()).scalar()
        if found is None:
            raise InputError(_("no run {run} in the archive").format(run=run_id))

    # -- appeals ------------------------------------------------------------------------------------------

    def file_appeal(self, run_id: int, unit: str, reason: str, by: str, on: date) -> tuple[int, str]:
        """File an appeal against the published revision of a run; refused outside the scheme's window.

        Returns the appeal id and a note on the window it was filed in.
        """
        _need_actor(by)
        if not reason.strip():
            raise InputError(_("an appeal needs a reason (--reason)"))
        refusal = ""
        with self._write() as connection:
            self._lock_run(connection, run_id)
            number = self._published_number(connection, run_id)
            if number is None:
                raise InputError(
                    _("run {run} has not been published; appeals are filed against a published result").format(
                        run=run_id
                    )
                )
            revision = self._revision(connection, run_id, number)
            matches = [u for u in revision.result.units if unit in (u.unit, u.name)]
            if not matches:
                raise InputError(_("no unit {unit!r} in run {run}").format(unit=unit, run=revision.label))
            windows, published_on = self._windows(connection, revision.revision_id)
            window = _appeal_window(windows)
            hearing = first_of(windows, HEARING)
            if window is not None and not window.contains(on):
                refusal = _refusal(window, on, published_on)
                self._audit(
                    connection,
                    by,
                    "appeal-refused",
                    f"run {revision.label} unit {matches[0].unit}",
                    reason,
                    filed_on=on,
                    refusal=refusal,
                )
            else:
                appeal_id = _new_id(
                    connection.execute(
                        t.appeals.insert().values(
                            run_id=run_id,
                            revision_id=revision.revision_id,
                            unit=matches[0].unit,
                            reason=reason,
                            filed_by=by,
                            filed_on=on,
                            recorded_at=timestamp(self.clock()),
                        )
                    )
                )
                self._audit(
                    connection,
                    by,
                    "appeal",
                    f"appeal {appeal_id} run {revision.label} unit {matches[0].unit}",
                    reason,
                    filed_on=on,
                    **({"hearing_due": hearing.moved_to(on).closes} if hearing is not None else {}),
                )
        if refusal:
            raise InputError(refusal)
        if window is None:
            note = _("the scheme sets no appeal window; the appeal is taken")
        else:
            note = _("filed within the window {opens} – {closes} (「{quote}」)").format(
                opens=window.opens, closes=window.closes, quote=window.quote
            )
        if hearing is not None:
            note += _("; the hearing is due by {due} (「{quote}」)").format(
                due=hearing.moved_to(on).closes, quote=hearing.quote
            )
        return appeal_id, note

    def _windows(self, connection: sa.Connection, revision_id: int) -> tuple[list[Window], date]:
        """The windows stored when the revision was (last) published, and the publication day."""
        row = connection.execute(
            sa.select(t.publications.c.windows, t.publications.c.published_on)
            .where(t.publications.c.revision_id == revision_id)
            .order_by(t.publications.c.id.desc())
            .limit(1)
        ).one()
        return [_window(w) for w in row.windows], row.published_on

    def appeals(self, run_id: int | None = None) -> list[dict[str, Any]]:
        """Appeals with their decision (``accepted`` None while open)."""
        query = (
            sa.select(
                t.appeals,
                t.decisions.c.accepted,
                t.decisions.c.decided_by,
                t.decisions.c.decided_on,
                t.decisions.c.note,
                t.decisions.c.revision_id.label("decision_revision_id"),
            )
            .select_from(t.appeals.outerjoin(t.decisions, t.decisions.c.appeal_id == t.appeals.c.id))
            .order_by(t.appeals.c.id)
        )
        if run_id is not None:
            query = query.where(t.appeals.c.run_id == run_id)
        with self.engine.connect() as connection:
            return [dict(r) for r in connection.execute(query).mappings()]

    def decide(
        self,
        appeal_id: int,
        accepted: bool,
        by: str,
        on: date,
        note: str,
        changes: list[Path],
        rescore: Rescore,
    ) -> Decision:
        """Decide an appeal. Accepted: the newest revision's inputs with the changed files are re-scored
        and stored as the next revision of the run, in the same transaction as the decision."""
        _need_actor(by)
        if accepted and not changes:
            raise InputError(_("an accepted appeal changes the data: give --change FILE"))
        if not accepted and changes:
            raise InputError(_("a rejected appeal changes nothing: drop --change"))
        with self._write() as connection:
            appeal = connection.execute(sa.select(t.appeals).where(t.appeals.c.id == appeal_id)).mappings().first()
            if appeal is None:
                raise InputError(_("no appeal {appeal} in the archive").format(appeal=appeal_id))
            self._lock_run(connection, appeal["run_id"])
            decided = connection.execute(
                sa.select(t.decisions.c.id).where(t.decisions.c.appeal_id == appeal_id)
            ).scalar()
            if decided is not None:
                raise InputError(_("appeal {appeal} has already been decided").format(appeal=appeal_id))
            if on < appeal["filed_on"]:
                raise InputError(
                    _("a decision cannot be dated before the appeal was filed ({filed})").format(
                        filed=appeal["filed_on"]
                    )
                )
            new_revision: StoredRevision | None = None
            unit_changes: list[UnitChange] = []
            described: list[str] = []
            if accepted:
                latest = self._revision(connection, appeal["run_id"], None)
                inputs, described = apply_changes(self._inputs(connection, latest.revision_id), changes)
                with tempfile.TemporaryDirectory(prefix="kaoping-appeal-") as folder:
                    recording = rescore(inputs.write(Path(folder)), latest.overrides, latest.year)
                recording = attrs.evolve(recording, inputs=inputs, source=latest.source)
                number = latest.number + 1
                reason = _("appeal {appeal} accepted: {note}").format(appeal=appeal_id, note=note)
                revision_id = self._insert_revision(
                    connection, appeal["run_id"], number, recording, by, reason, appeal_id
                )
                new_revision = self._revision(connection, appeal["run_id"], number)
                unit_changes = result_changes(latest.result, new_revision.result)
            connection.execute(
                t.decisions.insert().values(
                    appeal_id=appeal_id,
                    accepted=accepted,
                    decided_by=by,
                    decided_on=on,
                    note=note,
                    revision_id=revision_id if accepted else None,
                    recorded_at=timestamp(self.clock()),
                )
            )
            self._audit(
                connection,
                by,
                "decide",
                f"appeal {appeal_id}",
                note,
                accepted=accepted,
                decided_on=on,
                inputs_changed=described,
                revision=new_revision.label if new_revision else None,
                units_changed=sorted({c.unit for c in unit_changes}),
            )
        return Decision(appeal_id, accepted, new_revision, unit_changes, described)


def _need_actor(by: str) -> None:
    if not by or not by.strip():
        raise InputError(_("say who does this: --by NAME"))


def _appeal_window(windows: list[Window]) -> Window | None:
    """The window an appeal must fall in: the appeal window, else the publicity window."""
    for kind in (APPEAL, PUBLICITY):
        found = first_of(windows, kind)
        if found is not None:
            return found
    return None


def _window(stored: dict[str, Any]) -> Window:
    return Window(
        kind=stored["kind"],
        opens=date.fromisoformat(stored["opens"]["$date"]),
        closes=date.fromisoformat(stored["closes"]["$date"]),
        quote=stored["quote"],
        parameter=stored.get("parameter", ""),
    )


def _refusal(window: Window, on: date, published_on: date) -> str:
    rule = f"「{window.quote}」"
    if window.parameter:
        rule += _(" (scheme parameter {parameter})").format(parameter=window.parameter)
    if on < window.opens:
        return _("appeal refused: filed on {on}, before the results were published on {published}").format(
            on=on, published=published_on
        )
    return _(
        "appeal refused: filed on {on}, after the appeal window closed on {closes}; the results were published "
        "on {published}, and the rule is {rule}"
    ).format(on=on, closes=window.closes, published=published_on, rule=rule)


def _new_id(inserted: sa.CursorResult[Any]) -> int:
    """The primary key of the one row an INSERT made (SQLAlchemy types it optional: other statements have none)."""
    key = inserted.inserted_primary_key
    if key is None:
        raise RuntimeError("the database reported no primary key for the inserted row")
    return int(key[0])
