"""Commands on the results archive: publish, appeal file/decide/list, history, archive export/import/runs/log;
and the archive options of ``score`` and ``explain`` (``--year``, ``--record``, ``--run``)."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kaoping import hookimpl
from kaoping.archive.changes import change_line, changes_text, result_changes
from kaoping.archive.history import HISTORY_FORMATS, history_csv, history_json, write_history_xlsx
from kaoping.cli.common import (
    Deployment,
    data_source,
    deployment_options,
    read_overrides,
    reports_errors,
    table_or_json_option,
)
from kaoping.core.config import load_deployment
from kaoping.core.errors import InputError
from kaoping.core.numbers import format_points
from kaoping.core.pipeline import Setup
from kaoping.core.procedure import APPEAL, HEARING, PUBLICITY
from kaoping.core.results import RunResult
from kaoping.io.report import render_table, write_atomic
from kaoping.io.safety import terminal_text
from kaoping.locale import N_, _

if TYPE_CHECKING:  # the archive's modules (SQLAlchemy, Alembic) load only for commands that use them
    from kaoping.archive.service import Deployed

DATE = click.DateTime(formats=["%Y-%m-%d"])

# The kinds of procedure window (kaoping.core.procedure) and of audit-log action (kaoping.archive.store) are
# ids stored in the archive; these are the message ids they are shown by.
WINDOW_NAMES = {APPEAL: N_("appeal"), PUBLICITY: N_("publicity"), HEARING: N_("hearing")}
AUDIT_ACTIONS = {
    "record": N_("record"),
    "publish": N_("publish"),
    "appeal": N_("appeal"),
    "appeal-refused": N_("appeal refused"),
    "decide": N_("decide"),
}


def _deployed(deployment: Deployment) -> Deployed:
    from kaoping.archive.service import Deployed

    return Deployed(deployment.config, deployment.county, deployment.plugins, deployment.disable)


def _day(value: Any) -> date:
    """``--today`` as a date; the real date only when it is not given (tests always give it)."""
    return value.date() if value is not None else date.today()


def archive_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--archive",
        "archive_url",
        metavar="URL",
        help=N_("Archive database URL (default: [archive] url of the deployment, or kaoping.db beside it)."),
    )(fn)


def today_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--today", type=DATE, metavar="YYYY-MM-DD", help=N_("The date of this action (default: today).")
    )(fn)


# ---------------------------------------------------------------------------------------------------------
# score / explain: --year, --record, --run


def run_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``--year``, ``--record --by NAME [--reason]``, ``--run ID [--revision N]`` and ``--archive URL``;
    the command receives them as ``archived``."""

    @functools.wraps(fn)
    def wrapper(
        *args: Any,
        year: int | None,
        record: bool,
        by: str | None,
        reason: str,
        run_id: int | None,
        revision: int | None,
        archive_url: str | None,
        **kwargs: Any,
    ) -> Any:
        archived = RunChoice(year, record, by, reason, run_id, revision, archive_url)
        return fn(*args, archived=archived, **kwargs)

    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option("--year", type=int, help=N_("The evaluated year, over the scheme's and the county's.")),
        click.option("--record", is_flag=True, help=N_("Store the run in the archive (needs --by).")),
        click.option("--by", metavar="NAME", help=N_("Who records the run (for the audit log).")),
        click.option("--reason", default="", help=N_("Why the run is recorded (for the audit log).")),
        click.option("--run", "run_id", type=int, metavar="ID", help=N_("Show a stored run instead of scoring.")),
        click.option("--revision", type=int, metavar="N", help=N_("With --run: this revision (default: newest).")),
        archive_option,
    ]
    decorated: Callable[..., Any] = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated


class RunChoice:
    """What ``score`` or ``explain`` was asked for beyond scoring: a year, recording, or a stored run."""

    def __init__(
        self,
        year: int | None = None,
        record: bool = False,
        by: str | None = None,
        reason: str = "",
        run_id: int | None = None,
        revision: int | None = None,
        archive_url: str | None = None,
    ) -> None:
        self.year, self.record, self.by, self.reason = year, record, by, reason
        self.run_id, self.revision, self.archive_url = run_id, revision, archive_url
        self.since_published = ""
        self.changes: list[str] = []  # the same changes, a line each, for the bulletin's notes
        self.setup: Setup | None = None  # the setup a scored (not stored) result came from

    def result(
        self, deployment: Deployment, scheme_id: str | None, data: Path | None, overrides: Path | None = None
    ) -> RunResult:
        """Score (with history from the archive when there is one), record, or rebuild a stored run;
        ``overrides`` is an ``--overrides`` file, applied after the county's own."""
        from kaoping.archive import service

        deployed = _deployed(deployment)
        if self.run_id is not None:
            if self.record or data is not None or self.year is not None or overrides is not None:
                raise click.UsageError(_("--run shows a stored run; it does not take --data, --year or --record"))
            with service.open_archive(deployed, url=self.archive_url) as store:
                stored = store.revision(self.run_id, self.revision)
                published = store.published_revision(self.run_id)
            if scheme_id is not None and scheme_id != stored.scheme_id:
                raise InputError(
                    _("run {run} was scored with {scheme}, not {given}").format(
                        run=self.run_id, scheme=stored.scheme_id, given=scheme_id
                    )
                )
            if published is not None and published.number != stored.number:
                changes = result_changes(published.result, stored.result)
                title = _("changes in revision {this} since the published revision {published}:").format(
                    this=stored.label, published=published.label
                )
                self.since_published = changes_text(changes, title)
                self.changes = [title, *(change_line(c) for c in changes)] if changes else []
            return stored.result
        if self.record and not self.by:
            raise click.UsageError(_("--record needs --by NAME"))
        recording = service.open_archive(deployed, url=self.archive_url) if self.record else None
        archive = recording if recording is not None else service.existing_archive(deployed, url=self.archive_url)
        try:
            extra = read_overrides(overrides)[1] if overrides is not None else None
            setup = self.setup = service.setup_with_history(
                deployed, archive, scheme_id, self.year, extra, str(overrides)
            )
            source = data_source(setup, data)
            if recording is None:
                return service.capture(setup, source).result
            stored = service.record(recording, setup, source, self.by or "", self.reason)
            click.echo(_("recorded run {label}").format(label=stored.label), err=True)
            return stored.result
        finally:
            if archive is not None:
                archive.close()


def warn(result: RunResult) -> None:
    """Print the run's warnings to stderr too, so a JSON or CSV output does not hide them."""
    for note in result.notes:
        if note.startswith(_("warning:")):
            click.echo(terminal_text(note), err=True)


# ---------------------------------------------------------------------------------------------------------
# publish


@click.command(
    "publish",
    help=N_(
        "Mark a revision of a stored run published; the scheme's appeal and publicity windows open that day.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping publish 3 --by 王科长 --today 2014-01-10"
    ),
)
@click.argument("run_id", metavar="RUN", type=int)
@click.option("--revision", type=int, metavar="N", help=N_("The revision to publish (default: the newest)."))
@click.option("--by", required=True, metavar="NAME", help=N_("Who publishes (for the audit log)."))
@click.option("--note", default="", help=N_("Why, or where it was posted (for the audit log)."))
@today_option
@archive_option
@deployment_options
@reports_errors
def publish_command(
    run_id: int,
    revision: int | None,
    by: str,
    note: str,
    today: Any,
    archive_url: str | None,
    deployment: Deployment,
) -> None:
    """Publish a stored revision (help: the message id in the decorator)."""
    from kaoping.archive import service

    deployed = _deployed(deployment)
    with service.open_archive(deployed, url=archive_url) as archive:
        publication = service.publish(archive, deployed, run_id, revision, by, _day(today), note)
    click.echo(
        _("published run {run}.{number} on {day}").format(
            run=publication.run_id, number=publication.number, day=publication.published_on
        )
    )
    if not publication.windows:
        click.echo(_("the scheme sets no appeal or publicity window"))
    for window in publication.windows:
        if window.kind == HEARING:  # counted from each appeal, not from the publication
            click.echo(
                _("hearing: within {days} days of each appeal (「{quote}」)").format(
                    days=window.days, quote=window.quote
                )
            )
            continue
        click.echo(
            _("{kind} window: {opens} – {closes} (「{quote}」)").format(
                kind=_(WINDOW_NAMES.get(window.kind, window.kind)),
                opens=window.opens,
                closes=window.closes,
                quote=window.quote,
            )
        )


# ---------------------------------------------------------------------------------------------------------
# appeals


@click.group(
    "appeal",
    help=N_(
        "Appeals (申诉/复核) against a published result: file, decide, list.\n"
        "\n"
        "\b\n"
        "Example:\n"
        '  kaoping appeal file 衡龙桥镇 --run 3 --reason "安全生产否决有误" --by 衡龙桥镇 --today 2014-01-12\n'
        '  kaoping appeal decide 1 --accept --change vetoes.csv --by 区绩效办 --note "否决撤销" --today 2014-01-15'
    ),
)
def appeal_group() -> None:
    """The appeal commands (help: the message id in the decorator)."""


@appeal_group.command(
    "file",
    help=N_(
        "File an appeal of UNIT (id or name) against the published revision of a run.\n"
        "\n"
        "An appeal after the scheme's window is refused, quoting the rule.\n"
        "\n"
        "\b\n"
        "Example:\n"
        '  kaoping appeal file 衡龙桥镇 --run 3 --reason "安全生产否决有误" --by 衡龙桥镇 --today 2014-01-12'
    ),
)
@click.argument("unit")
@click.option("--run", "run_id", type=int, required=True, metavar="ID", help=N_("The stored run appealed against."))
@click.option("--reason", required=True, help=N_("What the unit contests, and why."))
@click.option("--by", required=True, metavar="NAME", help=N_("Who files the appeal."))
@today_option
@archive_option
@deployment_options
@reports_errors
def appeal_file_command(
    unit: str, run_id: int, reason: str, by: str, today: Any, archive_url: str | None, deployment: Deployment
) -> None:
    """File an appeal (help: the message id in the decorator)."""
    from kaoping.archive import service

    with service.open_archive(_deployed(deployment), url=archive_url) as archive:
        appeal_id, window_note = archive.file_appeal(run_id, unit, reason, by, _day(today))
    click.echo(_("filed appeal {appeal}: {note}").format(appeal=appeal_id, note=window_note))


@appeal_group.command(
    "decide",
    help=N_(
        "Decide appeal ID. Accepted: the changed files are re-scored as a new revision, and every unit whose\n"
        "rank, grade or consequences changed is listed (a quota place can move to another unit).\n"
        "\n"
        "\b\n"
        "Example:\n"
        '  kaoping appeal decide 1 --accept --change vetoes.csv --by 区绩效办 --note "否决撤销" --today 2014-01-15\n'
        '  kaoping appeal decide 2 --reject --by 区绩效办 --note "证据不足"'
    ),
)
@click.argument("appeal_id", metavar="ID", type=int)
@click.option("--accept/--reject", "accepted", required=True, help=N_("Accept (re-score) or reject the appeal."))
@click.option(
    "--change",
    "changes",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help=N_("A corrected input file (values.csv, vetoes.csv …) that replaces the run's file of that name."),
)
@click.option("--by", required=True, metavar="NAME", help=N_("Who decides."))
@click.option("--note", required=True, help=N_("The decision's reasons."))
@today_option
@archive_option
@deployment_options
@reports_errors
def appeal_decide_command(
    appeal_id: int,
    accepted: bool,
    changes: tuple[Path, ...],
    by: str,
    note: str,
    today: Any,
    archive_url: str | None,
    deployment: Deployment,
) -> None:
    """Decide an appeal, re-scoring when accepted (help: the message id in the decorator)."""
    from kaoping.archive import service

    deployed = _deployed(deployment)
    with service.open_archive(deployed, url=archive_url) as archive:
        decision = service.decide(archive, deployed, appeal_id, accepted, by, _day(today), note, list(changes))
    if decision.revision is None:
        click.echo(_("appeal {appeal} rejected").format(appeal=appeal_id))
        return
    click.echo(
        _("appeal {appeal} accepted: run {label} re-scored").format(appeal=appeal_id, label=decision.revision.label)
    )
    for line in decision.inputs_changed:
        click.echo(f"  {terminal_text(line)}")
    click.echo(changes_text(decision.changes, _("units whose result changed:")), nl=False)


@appeal_group.command(
    "list",
    help=N_("List appeals and their decisions.\n\n\b\nExample:\n  kaoping appeal list --run 3"),
)
@click.option("--run", "run_id", type=int, metavar="ID", help=N_("Only this run's appeals."))
@archive_option
@deployment_options
@reports_errors
def appeal_list_command(run_id: int | None, archive_url: str | None, deployment: Deployment) -> None:
    """List appeals (help: the message id in the decorator)."""
    from kaoping.archive import service

    with service.open_archive(_deployed(deployment), url=archive_url) as archive:
        appeals = archive.appeals(run_id)
    header = [_("appeal"), _("run"), _("unit"), _("filed on"), _("by"), _("decision"), _("reason")]
    rows = []
    for a in appeals:
        decision = "-" if a["accepted"] is None else _("accepted") if a["accepted"] else _("rejected")
        rows.append([a["id"], a["run_id"], a["unit"], a["filed_on"], a["filed_by"], decision, a["reason"]])
    click.echo(terminal_text(render_table(header, rows)))


# ---------------------------------------------------------------------------------------------------------
# history


@click.command(
    "history",
    help=N_(
        "Published results of earlier years, in the data contract's history shape (unit, year, total, rank,\n"
        "grade): what history rules read when a run's data has no history table.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping history --config kaoping.toml --county heshan --format csv -o history.csv\n"
        "  kaoping history --scheme hunan.heshan --archive sqlite:///kaoping.db"
    ),
)
@click.option("--scheme", "scheme_id", metavar="ID", help=N_("Scheme id (or take it from --config)."))
@click.option("--before", type=int, metavar="YEAR", help=N_("Only years before this one."))
@click.option(
    "--format", "fmt", type=click.Choice(HISTORY_FORMATS), default="table", show_default=True, help=N_("Output format.")
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help=N_("Write to FILE."))
@archive_option
@deployment_options
@reports_errors
def history_command(
    scheme_id: str | None,
    before: int | None,
    fmt: str,
    output: Path | None,
    archive_url: str | None,
    deployment: Deployment,
) -> None:
    """Print or write earlier years' published results (help: the message id in the decorator)."""
    from kaoping.archive import service

    deployed = _deployed(deployment)
    if scheme_id is None:
        if deployed.config is None:
            raise click.UsageError(_("give --scheme ID or --config with a county"))
        scheme_id = load_deployment(deployed.config).county(deployed.county).scheme
    with service.open_archive(deployed, url=archive_url) as archive:
        rows = archive.history(deployed.county_id(), scheme_id, before)
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError(_("--format xlsx needs -o FILE"))
        write_atomic(output, lambda temp: write_history_xlsx(rows, temp))
        click.echo(_("wrote {path}").format(path=output), err=True)
        return
    if fmt == "table":
        header = [_("unit"), _("year"), _("total"), _("rank"), _("grade")]
        table = [
            [r.unit, r.year, format_points(r.total) if r.total is not None else "", r.rank or "", r.grade] for r in rows
        ]
        text = terminal_text(render_table(header, table)) + "\n"
    else:
        text = history_csv(rows) if fmt == "csv" else history_json(rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomic(output, lambda temp: temp.write_text(text, encoding="utf-8"))
        click.echo(_("wrote {path}").format(path=output), err=True)


# ---------------------------------------------------------------------------------------------------------
# archive export / import / runs / log


@click.group(
    "archive",
    help=N_(
        "The archive as a whole: list runs, read the audit log, export and import.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping archive runs --config kaoping.toml\n"
        "  kaoping archive export -o archive.jsonl\n"
        "  kaoping archive import archive.jsonl --archive postgresql://kaoping@db/kaoping"
    ),
)
def archive_group() -> None:
    """The archive commands (help: the message id in the decorator)."""


@archive_group.command(
    "runs",
    help=N_(
        "Every stored run: county, scheme, year, revisions and the one published last.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping archive runs"
    ),
)
@archive_option
@deployment_options
@reports_errors
def runs_command(archive_url: str | None, deployment: Deployment) -> None:
    """List stored runs (help: the message id in the decorator)."""
    from kaoping.archive import service

    with service.open_archive(_deployed(deployment), url=archive_url) as archive:
        runs = archive.runs()
    header = [_("run"), _("county"), _("scheme"), _("year"), _("revisions"), _("published"), _("recorded by")]
    rows = [
        [
            r["id"],
            r["county"] or "-",
            r["scheme_id"],
            r["year"] or "-",
            r["revisions"],
            r["published"] or "-",
            r["created_by"],
        ]
        for r in runs
    ]
    click.echo(terminal_text(render_table(header, rows)))


@archive_group.command(
    "log",
    help=N_(
        "The audit log: every record, publication, appeal and decision, with who, when and why.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping archive log"
    ),
)
@table_or_json_option
@archive_option
@deployment_options
@reports_errors
def log_command(fmt: str, archive_url: str | None, deployment: Deployment) -> None:
    """Print the audit log (help: the message id in the decorator)."""
    from kaoping.archive import service

    with service.open_archive(_deployed(deployment), url=archive_url) as archive:
        entries = archive.audit()
    if fmt == "json":
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
        return
    header = [_("when"), _("who"), _("action"), _("subject"), _("why")]
    rows = [
        [e["at"], e["actor"], _(AUDIT_ACTIONS.get(e["action"], e["action"])), e["subject"], e["reason"]]
        for e in entries
    ]
    click.echo(terminal_text(render_table(header, rows)))


@archive_group.command(
    "export",
    help=N_(
        "Write the whole archive as JSON lines (import reads it into another database, exactly).\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping archive export -o archive.jsonl"
    ),
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help=N_("Write to FILE."))
@archive_option
@deployment_options
@reports_errors
def export_command(output: Path | None, archive_url: str | None, deployment: Deployment) -> None:
    """Export the archive (help: the message id in the decorator)."""
    from kaoping.archive import service
    from kaoping.archive.transfer import export_lines

    with service.open_archive(_deployed(deployment), url=archive_url) as archive:
        if output is None:
            for line in export_lines(archive):
                sys.stdout.write(line)
            return

        def write(temp: Path) -> None:
            with temp.open("w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(export_lines(archive))

        write_atomic(output, write)
    click.echo(_("wrote {path}").format(path=output), err=True)


@archive_group.command(
    "import",
    help=N_(
        "Read an export into this (empty) archive, in one transaction.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping archive import archive.jsonl --archive postgresql://kaoping@db/kaoping"
    ),
)
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@archive_option
@deployment_options
@reports_errors
def import_command(source: Path, archive_url: str | None, deployment: Deployment) -> None:
    """Import an export (help: the message id in the decorator)."""
    from kaoping.archive import service
    from kaoping.archive.transfer import import_lines

    with (
        service.open_archive(_deployed(deployment), url=archive_url) as archive,
        source.open(encoding="utf-8") as handle,
    ):
        counts = import_lines(archive, handle, str(source))
    click.echo(", ".join(f"{table}: {count}" for table, count in counts.items()))


def show_since_published(choice: RunChoice, fmt: str) -> None:
    """After a stored revision's table (on stderr for the other formats), what changed since the published
    revision."""
    if choice.since_published:
        click.echo("\n" + terminal_text(choice.since_published), nl=False, err=fmt != "table")


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    for command in (publish_command, appeal_group, history_command, archive_group):
        cli.add_command(command)
