"""Checks that find what plugin authors get wrong without an expected result to compare with.

Each check builds the data that exposes one defect class (caps not applied, bad data accepted, crashes on
edge data, hidden state, ties, mutated input, hard-coded numbers, misquoted sources) and names what to fix.
They share the registry and the message conventions of :mod:`kaoping.testing._checks`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import traceback
import unicodedata
import warnings
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from kaoping.core.errors import InputError, KaopingError, PluginError
from kaoping.core.grading import ranking_pool, sort_key
from kaoping.core.models import Dataset, EventRow
from kaoping.core.results import RunResult, UnitResult
from kaoping.core.scheme import Scheme
from kaoping.core.scoring import parts_for
from kaoping.core.validate import ANY_AREA
from kaoping.io.report import to_json
from kaoping.locale import N_
from kaoping.testing._checks import (
    CheckSkipped,
    ConformanceFailure,
    ConformanceWarning,
    _candidate_units,
    _fail,
    _json,
    _p,
    _ranked,
    _some,
    _units,
    check,
)
from kaoping.testing._perturb import event_for
from kaoping.testing._subject import Subject, snapshot

SATURATING_COUNT = 50
EXTREME_FACTOR = Decimal(1000)
# Two fixed hash seeds, so the check does not depend on the parent's own seed. They order many small
# sets of texts differently from each other on both hash functions kaoping runs on (SipHash-2-4 up to
# Python 3.10, SipHash-1-3 from 3.11), so a set-order leak is usually found; no fixed pair of seeds can
# promise it for every set.
OTHER_HASH_SEEDS = ("3", "4242")
# A parameters key listing numbers that scoring does not use (appeal and posting windows, for the record).
NOT_FOR_SCORING = "not_for_scoring"
MOVED_CLOCK = "2041-07-15"


# -------------------------------------------------------------------------------------------------------
# crashes: one crash is one failure, naming the hook and the line


def crash_origin(error: BaseException) -> str:
    """``hook kaoping_score in plugin file.py:42`` for an exception raised inside a plugin's hook.

    The hook is the outermost frame whose function is a ``kaoping_*`` hook implementation; the place is
    the innermost frame outside kaoping's own engine, so the author sees their own line, not pluggy's.
    """
    frames = traceback.extract_tb(error.__traceback__)
    hook = next((f.name for f in frames if f.name.startswith("kaoping_")), "")
    engine = str(Path(__file__).resolve().parents[1])
    own = [f for f in frames if not str(Path(f.filename).resolve()).startswith(engine) and "pluggy" not in f.filename]
    place = own[-1] if own else (frames[-1] if frames else None)
    where = f"{Path(place.filename).name}:{place.lineno}" if place is not None else "?"
    what = "".join(traceback.format_exception_only(type(error), error)).strip()
    return f"{what} (in {'hook ' + hook + ', ' if hook else ''}{where})"


def _try_run(subject: Subject, dataset: Dataset, scheme: Scheme | None = None) -> RunResult | str:
    """The run, or the reason it was refused (an InputError is a clean refusal, anything else a crash)."""
    try:
        return subject.run(dataset, scheme=scheme)
    except InputError as error:
        return f"refused: {str(error).splitlines()[0] if str(error) else type(error).__name__}"
    except PluginError as error:  # the host already named the plugin, the hook and the line
        raise _Crash(str(error)) from error
    except KaopingError:
        raise
    except Exception as error:  # a crash in a plugin is what this is looking for
        raise _Crash(crash_origin(error)) from error


class _Crash(Exception):
    pass


# -------------------------------------------------------------------------------------------------------
# caps and floors under saturation


def extra_events(subject: Subject, count: int) -> tuple[EventRow, ...]:
    """One event row of every rule (``count`` occurrences) on its best candidate unit, keeping only the rules
    whose event validates on its own (a rule waiting for a deployment's number, or priced by a column the
    suite cannot guess, is left out rather than refusing the whole dataset)."""
    kept = []
    for rule in subject.scheme.rules:
        if any(name not in rule.params for name in rule.required):
            continue
        units = _candidate_units(subject, rule.part)
        if not units:
            continue
        event = attrs.evolve(event_for(rule, units[0].id, subject.dataset), count=count)
        trial = subject.dataset.evolve(events=(*subject.dataset.events, event))
        try:
            if subject.host.validate(subject.scheme, trial):
                continue
        except InputError:
            continue
        kept.append(event)
    return tuple(kept)


def saturated(subject: Subject) -> Dataset:
    """The sample with every rule fired many times on one unit each."""
    dataset = subject.dataset
    return dataset.evolve(events=(*dataset.events, *extra_events(subject, SATURATING_COUNT)))


def extreme_values(dataset: Dataset, indicators: int) -> Dataset:
    """The sample with the first positive value of each indicator far over target."""
    values = list(dataset.values)
    seen: set[str] = set()
    for position, row in enumerate(values):
        if row.indicator in seen or row.value <= 0:
            continue
        seen.add(row.indicator)
        values[position] = attrs.evolve(row, value=row.value * EXTREME_FACTOR)
        if len(seen) >= indicators:
            break
    return dataset.evolve(values=tuple(values))


def bound_problems(scheme: Scheme, result: RunResult) -> list[str]:
    """Every part outside its declared floor or cap, every rule or cap group past its maximum."""
    problems = []
    caps = {c.id: c for c in scheme.caps}
    for unit in result.units:
        parts = unit.parts
        for part in scheme.parts:
            if part.id not in parts:
                continue
            points = parts[part.id]
            if part.cap is not None and points > part.cap:
                problems.append(f"unit {unit.unit}: part {part.id!r} has {_p(points)}, over its cap {_p(part.cap)}")
            if part.floor is not None and points < part.floor:
                problems.append(
                    f"unit {unit.unit}: part {part.id!r} has {_p(points)}, under its floor {_p(part.floor)}"
                )
        by_rule: dict[str, Decimal] = {}
        for entry in unit.score.trail:
            by_rule[entry.rule] = by_rule.get(entry.rule, Decimal(0)) + entry.points
        for rule in scheme.rules:
            points = by_rule.get(rule.id, Decimal(0))
            if rule.cap is not None and abs(points) > rule.cap:
                problems.append(f"unit {unit.unit}: rule {rule.id!r} gives {_p(points)}, past its cap {_p(rule.cap)}")
        for cap_id, cap in caps.items():
            if cap.parts:
                points = sum((parts.get(part, Decimal(0)) for part in cap.parts), Decimal(0))
            else:
                # the group's own correction and those of the groups nested inside it
                items = cap.rules or cap.indicators
                inner = [
                    f"cap:{other.id}" for other in caps.values() if set(other.rules or other.indicators) <= set(items)
                ]
                points = sum((by_rule.get(key, Decimal(0)) for key in (*items, *inner)), Decimal(0))
            if (abs(points) if cap.rules else points) > cap.limit(scheme):
                problems.append(
                    f"unit {unit.unit}: cap group {cap_id!r} ({'、'.join(cap.rules or cap.indicators or cap.parts)}) "
                    f"gives {_p(points)}, past its maximum {_p(cap.limit(scheme))}"
                )
    return problems


@check("caps-hold", "robustness", N_("every part, rule and cap group stays inside its floor and cap under saturation"))
def caps_hold(subject: Subject) -> str:
    scheme = subject.scheme
    declared = [p for p in scheme.parts if p.cap is not None or p.floor is not None]
    declared += [r for r in scheme.rules if r.cap is not None]  # type: ignore[misc]
    if not declared and not scheme.caps:
        raise CheckSkipped("the scheme declares no cap or floor on a part, rule or cap group")
    problems = bound_problems(scheme, subject.result)
    events = saturated(subject)
    tried = 0
    for dataset in (events, extreme_values(events, len(scheme.indicators))):
        outcome = _try_run_or_fail("caps-hold", subject, dataset)
        if isinstance(outcome, RunResult):
            tried += 1
            problems += bound_problems(scheme, outcome)
    if not tried:
        raise CheckSkipped(f"the saturated sample ({SATURATING_COUNT} events of every rule) was refused")
    _fail(
        "caps-hold",
        problems,
        f"with every rule fired {SATURATING_COUNT} times and values ×{EXTREME_FACTOR}, a declared cap or floor was "
        "not applied (a hook that adds points after the parts are closed must respect them):",
    )
    return f"{len(declared) + len(scheme.caps)} caps and floors hold under saturation"


def _try_run_or_fail(check_id: str, subject: Subject, dataset: Dataset, scheme: Scheme | None = None) -> Any:
    try:
        return _try_run(subject, dataset, scheme)
    except _Crash as crash:
        raise ConformanceFailure(check_id, f"the run crashed: {crash}") from None


# -------------------------------------------------------------------------------------------------------
# edge data


def _edge_cases(dataset: Dataset) -> Iterator[tuple[str, Dataset]]:
    yield "a dataset with no units at all", Dataset(origin="conformance: empty")
    yield (
        "the sample's units with no values, events or vetoes",
        dataset.evolve(values=(), events=(), vetoes=(), history=()),
    )
    if dataset.events or dataset.vetoes:
        # a quiet year: every value in, not one event or veto (a hook taking max() of the events crashes)
        yield "the sample's units and values with no events or vetoes", dataset.evolve(events=(), vetoes=())
    if dataset.units:
        bare = dataset.units[-1].id
        yield (
            f"unit {bare} with no rows at all",
            dataset.evolve(
                values=tuple(r for r in dataset.values if r.unit != bare),
                events=tuple(r for r in dataset.events if r.unit != bare),
                vetoes=tuple(r for r in dataset.vetoes if r.unit != bare),
            ),
        )


@check("edge-data", "robustness", N_("empty datasets and units without rows are scored or refused, never a crash"))
def edge_data(subject: Subject) -> str:
    problems = []
    outcomes = []
    for label, dataset in _edge_cases(subject.dataset):
        try:
            outcome = _try_run(subject, dataset)
        except _Crash as crash:
            problems.append(f"{label}: crashed: {crash}")
            continue
        outcomes.append(f"{label}: {'scored' if isinstance(outcome, RunResult) else outcome}")
    _fail("edge-data", problems, "edge data must get a clear error (InputError) or a result, never a crash:")
    return "; ".join(outcomes)


# -------------------------------------------------------------------------------------------------------
# bad data must be refused


def _generic_bad_data(subject: Subject) -> Iterator[tuple[str, Dataset]]:
    dataset = subject.dataset
    ghost = "__conformance_unknown_unit__"
    if dataset.values:
        row = dataset.values[0]
        yield (
            f"a value row for unknown unit {ghost!r}",
            dataset.evolve(values=(*dataset.values, attrs.evolve(row, unit=ghost))),
        )
        required = {i.id for i in subject.scheme.indicators if not i.optional}
        drop = next((r for r in dataset.values if r.indicator in required), None)
        same = [r for r in dataset.values if drop is not None and (r.unit, r.indicator) == (drop.unit, drop.indicator)]
        if drop is not None and len(same) == 1:
            yield (
                f"unit {drop.unit} missing its only value of required indicator {drop.indicator!r}",
                dataset.evolve(values=tuple(r for r in dataset.values if r is not drop)),
            )
    if subject.scheme.rules:
        rule = subject.scheme.rules[0]
        yield (
            f"an event of rule {rule.id!r} for unknown unit {ghost!r}",
            dataset.evolve(events=(*dataset.events, EventRow(unit=ghost, rule=rule.id))),
        )
        yield (
            "an event of unknown rule '__conformance_unknown_rule__'",
            dataset.evolve(
                events=(*dataset.events, EventRow(unit=dataset.units[0].id, rule="__conformance_unknown_rule__"))
            )
            if dataset.units
            else dataset,
        )


def bad_sample_folders(sample: Path | Dataset) -> list[Path]:
    """The bad-samples convention: ``<sample>/bad/<case>/``, each a whole dataset that must fail validation.

    A case may hold ``expected_problems.txt``: one text per line that some reported problem must contain.
    """
    if isinstance(sample, Dataset) or not Path(sample).is_dir():
        return []
    return sorted(p for p in (Path(sample) / "bad").glob("*") if p.is_dir())


def _refused(subject: Subject, dataset: Dataset) -> list[str]:
    """The problems validation or the run report for ``dataset`` (empty: it was accepted)."""
    problems = [str(p) for p in subject.host.validate(subject.scheme, dataset)]
    if problems:
        return problems
    outcome = _try_run(subject, dataset)
    return [] if isinstance(outcome, RunResult) else [outcome]


@check("bad-data-refused", "robustness", N_("bad data is refused with named problems, not dropped or scored 0"))
def bad_data_refused(subject: Subject) -> str:
    problems = []
    cases = 0
    for label, dataset in _generic_bad_data(subject):
        cases += 1
        try:
            if not _refused(subject, dataset):
                problems.append(f"{label}: accepted without a problem (it must be refused, naming the row)")
        except _Crash as crash:
            problems.append(f"{label}: crashed: {crash}")
    for folder in bad_sample_folders(subject.sample):
        cases += 1
        label = f"bad sample {folder.name}"
        try:
            dataset = subject.host.load_dataset(folder, subject.scheme)
            found = _refused(subject, dataset)
        except InputError as error:
            found = [str(p) for p in error.problems]
        except _Crash as crash:
            problems.append(f"{label}: crashed: {crash}")
            continue
        if not found:
            problems.append(f"{label}: validates and scores, but it is in the bad samples")
            continue
        wanted = folder / "expected_problems.txt"
        if wanted.is_file():
            for text in filter(None, (line.strip() for line in wanted.read_text(encoding="utf-8").splitlines())):
                if not any(text in problem for problem in found):
                    problems.append(f"{label}: no problem mentions {text!r}; got: {_some(found)}")
    _fail("bad-data-refused", problems, "bad data must be refused with a named problem:")
    return f"{cases} bad inputs refused"


# -------------------------------------------------------------------------------------------------------
# points where they belong; vetoes the host knows


@check(
    "points-belong", "robustness", N_("points only in parts a unit is scored on; vetoes only for known units and areas")
)
def points_belong(subject: Subject) -> str:
    scheme, result = subject.scheme, subject.result
    units = subject.dataset.unit_by_id
    areas = {a.id for a in scheme.vetoes}
    problems = []
    for unit in result.units:
        source = units.get(unit.unit)
        allowed = set(parts_for(scheme, source)) if source is not None else set(unit.score.parts_scored)
        for entry in unit.score.trail:
            if entry.part is not None and entry.part not in allowed:
                problems.append(
                    f"unit {unit.unit} (group {unit.group}): trail entry {entry.rule!r} (plugin {entry.plugin}) puts "
                    f"{_p(entry.points)} into part {entry.part!r}, which the group is not scored on"
                )
    for veto in subject.host.check_vetoes(scheme, subject.dataset):
        if veto.unit not in units:
            problems.append(f"veto {veto.area!r} (plugin {veto.plugin}) names unit {veto.unit!r}, not in the data")
        if veto.area not in areas and ANY_AREA not in areas:
            problems.append(
                f"veto on unit {veto.unit} (plugin {veto.plugin}) names area {veto.area!r}, not a veto area"
            )
    _fail("points-belong", problems, "points and vetoes must stay where the scheme puts them:")
    return f"{sum(len(u.score.trail) for u in result.units)} trail entries in their units' parts"


# -------------------------------------------------------------------------------------------------------
# ties


def _tie_dataset(subject: Subject) -> tuple[str, str, Dataset] | None:
    """The sample with a second unit given exactly the rows of the best-ranked unit of its group."""
    scheme, dataset = subject.scheme, subject.dataset
    for unit in _candidate_units(subject):
        twin = next(
            (
                u
                for u in dataset.units
                if u.id != unit.id and u.group == unit.group and not any(v.unit == u.id for v in dataset.vetoes)
            ),
            None,
        )
        if twin is None or not _ranked(scheme, _units(subject.result)[unit.id]):
            continue

        def copy(rows: Sequence[Any], source: str = unit.id, target: str = twin.id) -> tuple:
            kept = tuple(r for r in rows if r.unit != target)
            return kept + tuple(attrs.evolve(r, unit=target) for r in rows if r.unit == source)

        return (
            unit.id,
            twin.id,
            dataset.evolve(values=copy(dataset.values), events=copy(dataset.events), vetoes=copy(dataset.vetoes)),
        )
    return None


def competition_rank_problems(scheme: Scheme, units: list[UnitResult]) -> list[str]:
    """Equal sort keys share a rank, and a rank is one more than the units strictly ahead (1, 1, 3)."""
    problems = []
    pools: dict[str, list[UnitResult]] = {}
    for unit in units:
        if unit.rank is not None:
            pools.setdefault(ranking_pool(scheme, unit.group), []).append(unit)
    for pool, members in pools.items():
        keys = {m.unit: sort_key(scheme, m) for m in members}
        for member in members:
            ahead = sum(1 for other in members if keys[other.unit] < keys[member.unit])
            if member.rank != ahead + 1:
                tied = [o.unit for o in members if o is not member and keys[o.unit] == keys[member.unit]]
                also = f" (tied with {', '.join(tied)})" if tied else ""
                problems.append(
                    f"group {pool!r}: unit {member.unit} ({_p(member.total)}){also} has rank {member.rank}, "
                    f"expected {ahead + 1}: {ahead} unit(s) are strictly ahead"
                )
    return problems


@check("ties-share-ranks", "robustness", N_("equal totals get equal, competition-style ranks (1, 1, 3)"))
def ties_share_ranks(subject: Subject) -> str:
    made = _tie_dataset(subject)
    if made is None:
        raise CheckSkipped("no ranked group of the sample has two units to tie")
    original, twin, dataset = made
    outcome = _try_run_or_fail("ties-share-ranks", subject, dataset)
    if isinstance(outcome, str):
        raise CheckSkipped(f"the sample with unit {twin} copying unit {original}'s rows was {outcome}")
    results = _units(outcome)
    problems = []
    if results[original].total != results[twin].total:
        problems.append(
            f"unit {twin} has exactly unit {original}'s rows but scores {_p(results[twin].total)}, not "
            f"{_p(results[original].total)} (the result depends on the unit's id or position)"
        )
    problems += competition_rank_problems(subject.scheme, outcome.units)
    _fail("ties-share-ranks", problems, f"unit {twin} was given unit {original}'s rows to make a tie:")
    return f"units {original} and {twin} tie and share rank {results[original].rank}"


# -------------------------------------------------------------------------------------------------------
# input never mutated


@check("input-unchanged", "robustness", N_("scoring leaves the dataset it was given unchanged"))
def input_unchanged(subject: Subject) -> str:
    dataset = subject.dataset
    before = subject.loaded or snapshot(dataset)  # as loaded, before the sample run
    lengths = {t: len(getattr(dataset, t)) for t in before}
    subject.run(dataset)
    after = snapshot(dataset)
    problems = []
    for table, rows in before.items():
        for position, (old, new) in enumerate(zip(rows, after[table], strict=False)):
            if old != new:
                changed = sorted(k for k in old if old[k] != new.get(k))
                where = old.get("where") or {}
                place = f"{where.get('file') or table}, row {where.get('row')}" if where.get("row") else table
                problems.append(
                    f"{place}: {table} row {position + 1} (unit {old.get('unit') or old.get('id')}) changed "
                    f"{', '.join(f'{k}: {old[k]!r} → {new.get(k)!r}' for k in changed)}"
                )
        if len(getattr(dataset, table)) != lengths[table]:
            problems.append(f"table {table} changed length")
    _fail(
        "input-unchanged",
        problems,
        "a hook changed the rows it was given (build new rows with attrs.evolve instead):",
    )
    return f"{sum(lengths.values())} rows unchanged by the run"


# -------------------------------------------------------------------------------------------------------
# numbers a deployment overrides must matter


class _Recording(dict):
    """Scheme parameters that remember which keys a hook read."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)


def _numbers(value: Any) -> bool:
    return isinstance(value, (int, Decimal, float)) and not isinstance(value, bool)


def _changed(value: Any) -> Any:
    number = Decimal(str(value))
    new = number * 2 if number else Decimal(1)
    return int(new) if isinstance(value, int) else new


def _exercised(subject: Subject) -> Dataset:
    """The sample with one more event of every rule, so each rule's amount is in play."""
    return subject.dataset.evolve(events=(*subject.dataset.events, *extra_events(subject, 1)))


def _totals(result: RunResult | str) -> Any:
    return result if isinstance(result, str) else json.loads(to_json(result))["units"]


@check(
    "overrides-matter", "robustness", N_("every number of the scheme, when overridden, changes the results it governs")
)
def overrides_matter(subject: Subject) -> str:
    scheme = subject.scheme
    dataset = _exercised(subject)
    base = _try_run_or_fail("overrides-matter", subject, dataset)
    if isinstance(base, str):
        raise CheckSkipped(f"the sample with one more event of every rule was {base}")
    problems, unexercised = [], []
    recorded = _Recording({k: v for k, v in scheme.parameters.items() if k != NOT_FOR_SCORING})
    _try_run_or_fail("overrides-matter", subject, dataset, attrs.evolve(scheme, parameters=recorded))
    not_for_scoring = set(scheme.parameters.get(NOT_FOR_SCORING, ()))
    for key, value in sorted(scheme.parameters.items()):
        if not _numbers(value) or key in not_for_scoring:
            continue
        if key not in recorded.read:
            problems.append(
                f"parameter {key!r} = {value} is never read while scoring: a hook hard-codes this number "
                "(read scheme.parameters instead) or the parameter is unused (remove it)"
            )
            continue
        changed = attrs.evolve(scheme, parameters={**scheme.parameters, key: _changed(value)})
        if _totals(_try_run_or_fail("overrides-matter", subject, dataset, changed)) == _totals(base):
            unexercised.append(f"parameter {key}")
    for position, rule in enumerate(scheme.rules):
        amount = rule.params.get("points")
        if not _numbers(amount) or not any(e.rule == rule.id for e in dataset.events):
            continue
        new_rule = attrs.evolve(rule, params={**rule.params, "points": _changed(amount)}, cap=None)
        rules = (*scheme.rules[:position], new_rule, *scheme.rules[position + 1 :])
        caps = tuple(c for c in scheme.caps if rule.id not in c.rules)
        changed_scheme = attrs.evolve(scheme, rules=rules, caps=caps)
        if _totals(_try_run_or_fail("overrides-matter", subject, dataset, changed_scheme)) == _totals(base):
            problems.append(
                f"rule {rule.id!r}: with an event in the data, changing its points from {amount} to "
                f"{_changed(amount)} changes no result (a hook hard-codes the amount; read rule.params)"
            )
    _fail("overrides-matter", problems, "a deployment's override must change what it governs:")
    note = f"; not exercised by the sample: {_some(unexercised)}" if unexercised else ""
    return f"parameters and rule amounts follow their overrides{note}"


# -------------------------------------------------------------------------------------------------------
# determinism across processes and clocks

_CHILD = """
import datetime as _dt, json, sys, time as _time
moved = _dt.datetime.fromisoformat({clock!r})
shift = moved.timestamp() - _time.time()
_real_time = _time.time
_time.time = lambda: _real_time() + shift
_time.time_ns = lambda: int((_real_time() + shift) * 1e9)
class _Date(_dt.date):
    @classmethod
    def today(cls):
        return cls(moved.year, moved.month, moved.day)
class _DateTime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(moved.year, moved.month, moved.day, moved.hour, moved.minute, tzinfo=tz)
    @classmethod
    def today(cls):
        return cls.now()
_dt.date, _dt.datetime = _Date, _DateTime
from kaoping.core.pipeline import run
from kaoping.core.plugins import PluginHost
from kaoping.io.report import to_json
import importlib
spec = json.loads(sys.argv[1])
objects = []
for name, module, cls in spec["plugin_objects"]:
    loaded = importlib.import_module(module)
    objects.append((name, getattr(loaded, cls)() if cls else loaded))
host = PluginHost(entry_points=spec["entry_points"], disabled=spec["disabled"], plugin_objects=objects)
scheme = host.scheme(spec["scheme"], spec["overrides"])
sys.stdout.write(to_json(run(host, scheme, host.load_dataset(__import__("pathlib").Path(spec["sample"]), scheme))))
"""


@check("fresh-process-identical", "determinism", N_("another process, hash seed and clock give byte-identical JSON"))
def fresh_process_identical(subject: Subject) -> str:
    recipe = getattr(subject.resolver, "recipe", None)
    if recipe is None or isinstance(subject.sample, Dataset):
        raise CheckSkipped(
            "the scheme or sample is built in memory (a plugin object another process cannot import, a deployment "
            "file or a Dataset): give importable plugins and a sample folder to check determinism across processes"
        )
    spec = dict(recipe, sample=str(subject.sample))
    first = _json("fresh-process-identical", subject)
    outputs = {seed: _fresh_process(spec, seed) for seed in OTHER_HASH_SEEDS}
    for seed, output in outputs.items():
        if output != first:
            from kaoping.testing._checks import _first_difference

            raise ConformanceFailure(
                "fresh-process-identical",
                f"with PYTHONHASHSEED={seed} and the clock at {MOVED_CLOCK} the result differs (set iteration order "
                "or today's date leaks into it):\n" + _first_difference(first, output, "fresh process"),
            )
    seeds = " and ".join(OTHER_HASH_SEEDS)
    return f"fresh processes (hash seeds {seeds}, clock {MOVED_CLOCK}) give byte-identical JSON"


def _fresh_process(spec: dict[str, Any], seed: str) -> str:
    """The sample's JSON from a new interpreter with hash seed ``seed`` and the clock moved."""
    path = os.pathsep.join(filter(None, [os.getcwd(), *sys.path]))
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=path)
    try:
        child = subprocess.run(
            [sys.executable, "-c", _CHILD.format(clock=MOVED_CLOCK), json.dumps(spec, default=str)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CheckSkipped(f"could not start a fresh process: {error}") from None
    if child.returncode != 0:
        last = (child.stderr.strip().splitlines() or ["?"])[-1]
        raise ConformanceFailure("fresh-process-identical", f"the fresh process failed: {last}")
    return child.stdout


# -------------------------------------------------------------------------------------------------------
# quotes against a shipped source text

_QUOTE_SEPARATORS = r"…|\.\.\.|「|」|“|”|;|；"
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _quoted_items(node: Any, path: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        if isinstance(node.get("quote"), str):
            yield path, node
        for key, value in node.items():
            yield from _quoted_items(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            name = value.get("id", position) if isinstance(value, Mapping) else position
            yield from _quoted_items(value, f"{path}[{name}]")


def source_text(subject: Subject) -> Path | None:
    """The source document a third-party scheme ships: ``[source] text`` (or ``file``) beside its TOML."""
    entry = subject.host.schemes.get(subject.scheme_id)
    if entry is None or entry.origin.endswith("<dict>"):
        return None
    source = entry.data.get("source", {})
    for key in ("text", "file"):
        name = source.get(key) if isinstance(source, Mapping) else None
        if name:
            path = Path(entry.origin).parent / str(name)
            if path.is_file():
                return path
    return None


@check(
    "quotes-in-source", "loading", N_("every quote is found word for word in the shipped source text"), needs="scheme"
)
def quotes_in_source(subject: Subject) -> str:
    path = source_text(subject)
    if path is None:
        raise CheckSkipped('the scheme ships no source text ([source] text = "file beside scheme.toml")')
    raw = path.read_bytes()
    text = next((raw.decode(e) for e in ("utf-8-sig", "gb18030") if _decodes(raw, e)), "")
    source = _normalise(text)
    entry = subject.host.schemes[subject.scheme_id]
    problems: list[str] = []
    contradictions: list[str] = []
    count = 0
    for where, item in _own_quoted_items(subject, entry):
        quote = str(item["quote"])
        count += 1
        for fragment in re.split(_QUOTE_SEPARATORS, quote):
            if len(_normalise(fragment)) >= 4 and _normalise(fragment) not in source:
                problems.append(f"{where}: quote fragment {fragment!r} is not in {path.name}")
        stated = {Decimal(n) for n in _NUMBER.findall(_normalise(quote))}
        points = item.get("points")
        if stated and _numbers(points) and Decimal(str(points)) not in stated:
            contradictions.append(
                f"{where}: points {points}, but its quote states {', '.join(map(str, sorted(stated)))}: one of the "
                "two may be mistyped"
            )
    _fail("quotes-in-source", problems, f"quotes must be word for word from {path.name}:")
    if contradictions:
        warnings.warn(ConformanceWarning("[quotes-in-source] " + "; ".join(contradictions)), stacklevel=2)
    return f"{count} quotes found in {path.name}"


def _own_quoted_items(subject: Subject, entry: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The scheme's quoted items; for a derived scheme only those its changes wrote (the ones it inherits
    unchanged are the base scheme's, checked against the base's source)."""
    base = subject.host.schemes.get(entry.extends) if entry.extends else None
    inherited = {(where, str(item["quote"])) for where, item in _quoted_items(base.data)} if base else set()
    for where, item in _quoted_items(entry.data):
        if (where, str(item["quote"])) not in inherited:
            yield where, item


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


__all__ = ["bound_problems", "competition_rank_problems", "crash_origin", "saturated", "snapshot"]
