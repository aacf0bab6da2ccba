"""Scoring beyond one machine: the units split by ranking pool, each partition scored on a Dask worker.

``kaoping score --engine dask`` (or ``KAOPING_ENGINE=dask``) runs the same pipeline as the local engine
(:func:`kaoping.core.pipeline.run`); only the scoring stage, which is most of a run's work after reading,
is split:

1. the data is read and validated here, whole, so every problem of every file is listed at once and in
   the order the local engine lists them (a duplicate unit id across two pools is still found); vetoes are
   found here too (a plugin's veto check may stop the run with a list of problems);
2. the units are split by ranking pool (:func:`partition`): every unit of a pool in one partition, small
   pools packed together in the scheme's pool order up to ``[engine] partition_units``; each partition
   carries its units' value, event, veto and history rows, and the plugin tables whole; values read into
   columns (a CSV or Parquet ``values`` table) travel as the reader's arrays (:class:`WireValues`), so a
   partition costs a few bytes per value row on the wire and no row object on either side;
3. each partition is scored on a worker by the local engine (the columnar engine, as every run is);
4. each partition's scores come back as arrays (:class:`~kaoping.core.wire_scores.WireScores`: points,
   entry masks, part sums and the sparse entries; no value column, no closure), and this machine, which
   holds the partition's rows, explains a unit by running the method again as the local engine does;
   the tables are joined in the dataset's unit order, and ranks, grades, quotas and consequences are
   applied here to the whole table, exactly as the local engine applies them, so that the notes of every
   quota come in the scheme's order and plugins that adjust results see every unit.

What a scheme couples across pools cannot be split, and such a run is refused (exit 2) with the reason
(:func:`coupling`): a bonus limited over all units of the run (``scope = "all"`` of ``only_if_deducted``
or ``at_most_share``), a plugin that scores the scheme itself (the engine cannot see which units its
scoring looks across), and a plugin registered for one command that scoring would need on the workers.
Limits within a ranking pool (``scope = "group"``), caps, floors, vetoes and history rules are per unit or
per pool and split cleanly. A partition whose scoring reports a problem sends the whole run back to the
local engine here, which words and lists every problem exactly as a local run does (such a run stops).

Ranks and grades stay on the command's machine. A partition holds whole pools, so a worker could rank
and grade its own; the local engine, though, words a quota's notes in quota-then-pool order over the whole
run and hands every unit to the plugins that adjust results (``kaoping_apply_results``), and matching
that byte for byte from partitions needs the notes tagged by quota and pool. ``docs/scale.md`` says what
that step and workers reading their own Parquet files would change, and what they cost today.

Dask is imported only inside this module's functions that need it: ``pip install 'kaoping[dask]'``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from kaoping.core.engine_choice import EngineSettings, current_settings
from kaoping.core.errors import InputError, KaopingError
from kaoping.core.grading import pool_order, ranking_pool
from kaoping.core.models import NOWHERE, Dataset, EventRow, HistoryRow, Unit, ValueRow, VetoRow, Where
from kaoping.core.results import ScoreTable, Veto
from kaoping.core.scheme import Scheme
from kaoping.core.wire_scores import WireScores, narrowed
from kaoping.locale import _, get_language, set_language

if TYPE_CHECKING:
    import numpy as np

    from kaoping.core.columnar.values import ValueColumns
    from kaoping.core.plugins import HostRecipe, PluginHost

BUILTIN_MODULE = "kaoping.core.builtin"
ROW_CLASSES: dict[str, type] = {
    "units": Unit,
    "values": ValueRow,
    "events": EventRow,
    "vetoes": VetoRow,
    "history": HistoryRow,
}
SCORING_HOOKS = ("kaoping_score", "kaoping_register_methods")

# Each worker process builds a plugin host from the driver's recipe once; the driver seeds its own, so a
# cluster of threads in this process scores with the very host the command built.
_HOSTS: dict[HostRecipe, PluginHost] = {}
_client: Any = None  # a client to use instead of one made from [engine] (tests, notebooks)


@attrs.frozen
class Partition:
    """Whole ranking pools scored together: the pools (scheme order) and their units' rows."""

    pools: tuple[str, ...]
    dataset: Dataset
    vetoes: tuple[Veto, ...]


@attrs.frozen
class PackedRows:
    """One table's rows as columns of plain values, the form partitions travel in.

    Pickling a row object costs its attribute dictionary and a ``Decimal``'s reduction, per row: at
    100,000 units (4 million value rows) that took longer than reading the folder (``docs/scale.md``).
    A column of texts pickles at memory speed; the worker builds the rows again (``rows``), each
    ``Decimal`` from its exact text and each ``Where`` from its file and row.
    """

    cls: type
    names: tuple[str, ...]
    columns: tuple[list[Any], ...]
    decimals: frozenset[str]
    files: list[str]
    lines: list[int | None]

    @classmethod
    def of(cls, rows: Sequence[Any], row_class: type) -> PackedRows:
        fields = attrs.fields(row_class)
        assert fields[-1].name == "where", f"{row_class.__name__} must list where last"
        names = tuple(f.name for f in fields[:-1])
        columns = []
        decimals = set()
        for name in names:
            column = [getattr(row, name) for row in rows]
            if any(isinstance(value, Decimal) for value in column):
                decimals.add(name)
                column = [None if value is None else str(value) for value in column]
            columns.append(column)
        return cls(
            row_class,
            names,
            tuple(columns),
            frozenset(decimals),
            [row.where.file for row in rows],
            [row.where.row for row in rows],
        )

    def rows(self) -> tuple[Any, ...]:
        columns = [
            [None if text is None else Decimal(text) for text in column] if name in self.decimals else column
            for name, column in zip(self.names, self.columns, strict=True)
        ]
        wheres = [
            NOWHERE if not file and line is None else Where(file, line)
            for file, line in zip(self.files, self.lines, strict=True)
        ]
        make = self.cls  # every row class lists ``where`` last: the columns are its arguments in order
        return tuple(make(*values) for values in zip(*columns, wheres, strict=True))


@attrs.frozen
class WireValues:
    """A partition's value columns as they cross the network: each array in the narrowest integer type
    that holds it, and a column that holds nothing (no ``item``, no ``target``) as its length alone.

    Most value tables leave half their columns empty and number a partition's units and indicators in
    far fewer codes than ``int32`` holds; at 40 indicators per unit this sends about a quarter of the
    bytes of the arrays as the reader keeps them. :meth:`columns` gives the reader's arrays back.
    """

    size: int
    fields: dict[str, Any]

    @classmethod
    def of(cls, columns: ValueColumns) -> WireValues:
        import numpy as np

        from kaoping.core.columnar.values import Codes, NumberColumn

        fields: dict[str, Any] = {}
        for field in attrs.fields(type(columns)):
            column = getattr(columns, field.name)
            if isinstance(column, Codes):
                blank = len(column.names) == 1
                fields[field.name] = (
                    ("one", column.names[0]) if blank else ("codes", narrowed(column.codes), column.names)
                )
            elif isinstance(column, NumberColumn):
                if not column.present.any() and not column.exact:
                    fields[field.name] = ("absent",)
                else:
                    every = bool(column.present.all())
                    present = None if every else column.present
                    wire = (narrowed(column.ints), column.scales, present, column.exact, column.wide)
                    fields[field.name] = ("numbers", *wire)
            elif isinstance(column, np.ndarray) and column.dtype.kind in "iu":
                fields[field.name] = ("array", narrowed(column), column.dtype)
            else:
                fields[field.name] = ("as is", column)
        return cls(len(columns), fields)

    def columns(self) -> ValueColumns:
        import numpy as np

        from kaoping.core.columnar.values import Codes, NumberColumn, ValueColumns

        built: dict[str, Any] = {}
        for name, wire in self.fields.items():
            kind = wire[0]
            if kind == "one":
                built[name] = Codes(np.zeros(self.size, dtype=np.int32), (wire[1],))
            elif kind == "codes":
                built[name] = Codes(wire[1].astype(np.int32), wire[2])
            elif kind == "absent":
                built[name] = NumberColumn.absent(self.size)
            elif kind == "numbers":
                ints, scales, present, exact, wide = wire[1:]
                present = np.ones(self.size, dtype=bool) if present is None else present
                built[name] = NumberColumn(ints.astype(np.int64), scales, present, exact, wide)
            elif kind == "array":
                built[name] = wire[1].astype(wire[2])
            else:
                built[name] = wire[1]
        return ValueColumns(**built)


@attrs.frozen
class PackedPartition:
    """A partition's rows as they are sent to a worker: :class:`PackedRows` per table, and the values as
    the reader's columns (:class:`WireValues`) where they were read into columns."""

    tables: dict[str, PackedRows | WireValues]
    origin: str
    extra: Any
    vetoes: tuple[Veto, ...]

    @classmethod
    def of(cls, part: Partition) -> PackedPartition:
        columns = value_columns(part.dataset)
        tables: dict[str, PackedRows | WireValues] = {
            table: PackedRows.of(getattr(part.dataset, table), ROW_CLASSES[table])
            for table in ROW_CLASSES
            if not (table == "values" and columns is not None)
        }
        if columns is not None:
            tables["values"] = WireValues.of(columns)  # arrays, pickled at memory speed; no row is built
        return cls(tables, part.dataset.origin, part.dataset.extra, part.vetoes)

    def dataset(self) -> Dataset:
        rows = {
            table: packed.rows() if isinstance(packed, PackedRows) else values_of(packed.columns())
            for table, packed in self.tables.items()
        }
        return Dataset(
            units=rows["units"],
            values=rows["values"],
            events=rows["events"],
            vetoes=rows["vetoes"],
            history=rows["history"],
            origin=self.origin,
            extra=self.extra,
        )


# ---------------------------------------------------------------------------------------------------------
# what cannot be split


def coupling(host: PluginHost, scheme: Scheme) -> list[str]:
    """Why ``scheme`` cannot be scored pool by pool under ``host``: an empty list when it can."""
    reasons = []
    for rule in scheme.rules:
        if rule.only_if_deducted is not None and rule.only_if_deducted.scope == "all":
            reasons.append(
                _(
                    'rule {rule} keeps its bonus only where enough units of the whole run were deducted (scope = "all")'
                ).format(rule=rule.name or rule.id)
            )
        if rule.at_most_share is not None and rule.share_scope == "all":
            reasons.append(
                _(
                    'rule {rule} gives its bonus to at most a share of all units of the run (share_scope = "all")'
                ).format(rule=rule.name or rule.id)
            )
    caller = host.hook_for("kaoping_score", scheme)
    for impl in caller.get_hookimpls():
        if impl.hookwrapper or impl.wrapper:
            continue
        info = host.info.get(impl.plugin_name)
        if info is not None and info.module == BUILTIN_MODULE:
            continue
        reasons.append(
            _("plugin {plugin} scores the scheme itself, and which units its scoring looks across is not known").format(
                plugin=impl.plugin_name
            )
        )
    for name in host.recipe.objects:
        info = host.info.get(name)
        if info is not None and set(info.hooks) & set(SCORING_HOOKS):
            reasons.append(
                _("plugin {plugin} takes part in scoring but was registered for this command only").format(plugin=name)
            )
    return reasons


def refuse_coupled(host: PluginHost, scheme: Scheme) -> None:
    reasons = coupling(host, scheme)
    if reasons:
        raise InputError(
            _(
                "--engine dask scores each ranking pool on its own, but scheme {scheme} couples units across "
                "pools: {reasons}; score it with --engine auto"
            ).format(scheme=scheme.name or scheme.id, reasons="; ".join(reasons))
        )


# ---------------------------------------------------------------------------------------------------------
# partitions


def partition(scheme: Scheme, dataset: Dataset, vetoes: Sequence[Veto], most_units: int) -> list[Partition]:
    """Whole ranking pools, packed in the scheme's pool order into partitions of at most ``most_units``
    units (a larger pool is a partition of its own); each row goes with its unit, in the data's order."""
    places = pool_order(scheme)
    sizes: dict[str, int] = {}
    pool_of_unit: dict[str, str] = {}
    for unit in dataset.units:
        pool = ranking_pool(scheme, unit.group)
        pool_of_unit[unit.id] = pool
        sizes[pool] = sizes.get(pool, 0) + 1
    packed: list[list[str]] = []
    filled = 0
    for pool in sorted(sizes, key=lambda p: (places.get(p, len(places)), p)):
        if not packed or filled + sizes[pool] > most_units:
            packed.append([])
            filled = 0
        packed[-1].append(pool)
        filled += sizes[pool]
    index_of_pool = {pool: index for index, pools in enumerate(packed) for pool in pools}
    index_of_unit = {unit: index_of_pool[pool] for unit, pool in pool_of_unit.items()}
    tables: dict[str, list[Any]] = {}
    columns = value_columns(dataset)
    if columns is not None:
        tables["values"] = split_columns(columns, index_of_unit, len(packed))
    for table in ("units", "values", "events", "vetoes", "history"):
        if table in tables:
            continue
        split: list[Any] = [[] for _pools in packed]
        for row in getattr(dataset, table):
            index = index_of_unit.get(row.id if table == "units" else row.unit)
            if index is not None:
                split[index].append(row)
        tables[table] = split
    found: list[list[Veto]] = [[] for _pools in packed]
    for veto in vetoes:
        if veto.unit in index_of_unit:
            found[index_of_unit[veto.unit]].append(veto)
    return [
        Partition(
            tuple(pools),
            Dataset(
                units=tuple(tables["units"][index]),
                values=values_of(tables["values"][index]),
                events=tuple(tables["events"][index]),
                vetoes=tuple(tables["vetoes"][index]),
                history=tuple(tables["history"][index]),
                origin=dataset.origin,
                extra=dataset.extra,
            ),
            tuple(found[index]),
        )
        for index, pools in enumerate(packed)
    ]


def value_columns(dataset: Dataset) -> ValueColumns | None:
    """The dataset's values as the reader's columns, when nobody has asked for them as rows since."""
    from kaoping.core.columnar.values import ValueRowsView

    values = dataset.values
    if isinstance(values, ValueRowsView) and not values.materialised:
        return values.columns
    return None


def values_of(part: Any) -> Any:
    """A partition's values: a view of its columns, or its rows."""
    from kaoping.core.columnar.values import ValueColumns, ValueRowsView

    return ValueRowsView(part) if isinstance(part, ValueColumns) else tuple(part)


def split_columns(columns: ValueColumns, index_of_unit: dict[str, int], parts: int) -> list[ValueColumns]:
    """The value columns of each partition: its units' rows, in the data's order, with their file rows."""
    import numpy as np

    where = np.array([index_of_unit.get(name, -1) for name in columns.unit.names], dtype=np.int64)
    owner = where[columns.unit.codes] if len(columns) else np.zeros(0, dtype=np.int64)
    return [taken(columns, np.flatnonzero(owner == index)) for index in range(parts)]


def taken(columns: ValueColumns, positions: np.ndarray) -> ValueColumns:
    """The rows at ``positions`` (ascending) as columns of their own: each text column numbered again
    over the texts these rows use, in the order of the whole table's numbering, so that a partition
    carries its own units' ids and not the run's."""
    import numpy as np

    from kaoping.core.columnar.values import Codes, ValueColumns

    def codes(column: Codes) -> Codes:
        picked = column.codes[positions]
        used, renumbered = np.unique(picked, return_inverse=True)
        names = tuple(column.names[int(code)] for code in used.tolist()) or ("",)
        return Codes(renumbered.astype(np.int32).reshape(-1), names)

    return ValueColumns(
        unit=codes(columns.unit),
        indicator=codes(columns.indicator),
        value=columns.value.rows(positions),
        target=columns.target.rows(positions),
        baseline=columns.baseline.rows(positions),
        item=codes(columns.item),
        period=codes(columns.period),
        note=codes(columns.note),
        file=codes(columns.file),
        row=columns.row[positions],
        percent=columns.percent[positions],
    )


# ---------------------------------------------------------------------------------------------------------
# scoring


def score_distributed(host: PluginHost, scheme: Scheme, dataset: Dataset, vetoes: Sequence[Veto]) -> ScoreTable:
    """The score table of the whole run, each partition scored on the cluster; equal to ``host.score``."""
    refuse_coupled(host, scheme)
    settings = current_settings()
    parts = partition(scheme, dataset, vetoes, settings.partition_units)
    _HOSTS[host.recipe] = host
    language = get_language()
    with cluster_client(settings) as client:
        # the rows go to the workers as data, not inside the task graph; the scheme once to every worker
        [scheme_future] = client.scatter([scheme], broadcast=True, hash=False)
        sent = client.scatter([PackedPartition.of(part) for part in parts], hash=False)
        futures = [
            client.submit(score_partition, host.recipe, scheme_future, packed, language, pure=False) for packed in sent
        ]
        sent_back = client.gather(futures)
    if any(wire is None for wire in sent_back):
        # a partition met a problem: the local engine lists every problem of the run, in its order
        return host.score(scheme, dataset, list(vetoes))
    tables = [wire.table(scheme, part.dataset, host.methods) for wire, part in zip(sent_back, parts, strict=True)]
    return joined(dataset, tables)


def score_partition(recipe: HostRecipe, scheme: Scheme, packed: PackedPartition, language: str) -> WireScores | None:
    """A worker's task: score one partition with the local engine and send its scores back as arrays
    (:class:`WireScores`); ``None`` when it reports a problem."""
    dataset, vetoes = packed.dataset(), packed.vetoes
    if get_language() != language:
        set_language(language)
    host = _HOSTS.get(recipe)
    if host is None:
        host = _HOSTS[recipe] = recipe.build()
    try:
        table = host.score(scheme, dataset, list(vetoes))
    except KaopingError:
        return None
    return WireScores.of(table)


def joined(dataset: Dataset, tables: Sequence[ScoreTable]) -> ScoreTable:
    """One table from the partitions': units in the dataset's order, notes and warnings once each, in the
    order they first appear (a note every partition makes, such as the engine's, is made once locally)."""
    owner: dict[str, ScoreTable] = {}
    for table in tables:
        for unit in table.scores:
            owner[unit] = table
    scores = {unit.id: owner[unit.id].scores[unit.id] for unit in dataset.units if unit.id in owner}
    notes = list(dict.fromkeys(note for table in tables for note in table.notes))
    warnings = list(dict.fromkeys(warning for table in tables for warning in table.warnings))
    return ScoreTable(scores=scores, notes=notes, warnings=warnings)


# ---------------------------------------------------------------------------------------------------------
# the cluster


@contextmanager
def using_client(client: Any) -> Iterator[None]:
    """Score with ``client`` (a ``dask.distributed.Client``) instead of one made from ``[engine]``."""
    global _client
    previous, _client = _client, client
    try:
        yield
    finally:
        _client = previous


@contextmanager
def cluster_client(settings: EngineSettings) -> Iterator[Any]:
    """A client of the given client, the configured scheduler, or a cluster started on this machine."""
    if _client is not None:
        yield _client
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError(
            _("--engine dask needs Dask: pip install 'kaoping[dask]'"),
        ) from None
    if settings.scheduler:
        try:
            client = Client(settings.scheduler, timeout="30s")
        except OSError as error:
            raise InputError(
                _("cannot reach the Dask scheduler at {address} ([engine] scheduler): {error}").format(
                    address=settings.scheduler, error=error
                )
            ) from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=settings.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
