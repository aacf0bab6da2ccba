"""Conformance checks of determinism: a rerun, the row forms of the methods and shuffled rows give byte-identical
JSON."""

from __future__ import annotations

from typing import Any

from kaoping.core.models import Dataset
from kaoping.core.scheme import Scheme
from kaoping.locale import N_, _
from kaoping.testing._checks import (
    ConformanceFailure,
    _first_difference,
    _json,
    check,
)
from kaoping.testing._perturb import (
    reversed_rows,
    shuffled,
)
from kaoping.testing._subject import Subject


@check("rerun-identical", "determinism", N_("scoring the sample again gives byte-identical JSON"))
def rerun_identical(subject: Subject) -> str:
    first = _json("rerun-identical", subject)
    again = _json("rerun-identical", subject, subject.run(subject.dataset))
    if again != first:
        raise ConformanceFailure(
            "rerun-identical",
            "the same host scored the same data differently:\n" + _first_difference(first, again, "rerun"),
        )
    host, scheme = subject.resolver()
    fresh = _json("rerun-identical", subject, subject.run(_reload(subject, host, scheme), host, scheme))
    if fresh != first:
        raise ConformanceFailure(
            "rerun-identical",
            "a fresh plugin host scored the same data differently:\n" + _first_difference(first, fresh, "fresh host"),
        )
    return _("two reruns (same and fresh host) are byte-identical")


@check(
    "engines-identical",
    "determinism",
    N_("the plugin's vectorised methods give the JSON of the same methods' row forms (through the adapter)"),
)
def engines_identical(subject: Subject) -> str:
    from kaoping.core.columnar.engine import row_forms_only

    vectorised = _json("engines-identical", subject, subject.run(subject.dataset))
    with row_forms_only():
        row_forms = _json("engines-identical", subject, subject.run(subject.dataset))
    if vectorised != row_forms:
        raise ConformanceFailure(
            "engines-identical",
            _("the vectorised methods scored the sample differently from their row forms (through the adapter):")
            + "\n"
            + _first_difference(row_forms, vectorised, _("vectorised forms")),
        )
    return _("the vectorised methods and their row forms give byte-identical JSON")


def _reload(subject: Subject, host: Any, scheme: Scheme) -> Dataset:
    if isinstance(subject.sample, Dataset):
        return subject.sample
    return host.load_dataset(subject.sample, scheme)


@check("shuffle-identical", "determinism", N_("the sample's rows in another order give byte-identical JSON"), "shuffle")
def shuffle_identical(subject: Subject) -> str:
    variants = [("reversed rows", reversed_rows(subject.dataset))]
    variants += [
        (_("rows shuffled with seed {seed}").format(seed=seed), shuffled(subject.dataset, seed)) for seed in (1, 2, 3)
    ]
    first = _json("shuffle-identical", subject)
    for label, dataset in variants:
        got = _json("shuffle-identical", subject, subject.run(dataset))
        if got != first:
            raise ConformanceFailure(
                "shuffle-identical",
                _("the result depends on row order ({label}):\n").format(label=label)
                + _first_difference(first, got, label),
            )
    return _("{count} row orders give identical JSON").format(count=len(variants))
