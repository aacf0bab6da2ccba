"""Real concurrent processes: recording at once loses nothing, deciding appeals of one run at once builds
one correction on the other, one appeal is decided once, and a process killed mid-record leaves nothing."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from kaoping.archive import schema as t
from kaoping.archive import service
from kaoping.archive.store import Archive
from tests.archive import workers

ROOT = Path(__file__).parents[2]
TIMEOUT = 120


def _run(target, argument_sets: list[tuple]) -> list:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(argument_sets))
    results = context.Queue()
    processes = [context.Process(target=target, args=(*args, barrier, results)) for args in argument_sets]
    for process in processes:
        process.start()
    collected = []
    deadline = time.monotonic() + TIMEOUT
    for process in processes:
        process.join(max(deadline - time.monotonic(), 1))
        assert process.exitcode == 0, f"worker failed with exit code {process.exitcode}"
    while not results.empty():
        collected.append(results.get(timeout=5))
    return collected


def _count(archive: Archive, table: sa.Table) -> int:
    with archive.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_two_processes_recording_at_once_lose_nothing(archive_url: str, heshan_data: Path):
    Archive(archive_url).close()  # migrate once, as a deployment's first command would
    run_ids = _run(workers.record_many, [(archive_url, str(heshan_data), 2), (archive_url, str(heshan_data), 2)])
    assert sorted(run_ids) == [1, 2, 3, 4]
    with Archive(archive_url) as archive:
        assert _count(archive, t.runs) == 4
        assert _count(archive, t.unit_results) == 4 * 106
        assert _count(archive, t.audit_log) == 4
        assert all(len(archive.revision(run_id).result.units) == 106 for run_id in run_ids)


def _published_heshan(archive_url: str, data: Path) -> tuple[int, list[int]]:
    with Archive(archive_url) as archive:
        setup = service.setup_with_history(service.Deployed(), archive, "hunan.heshan", 2013)
        stored = service.record(archive, setup, data, "王科长")
        service.publish(archive, service.Deployed(), stored.run_id, None, "王科长", date(2014, 1, 10))
        appeals = [
            archive.file_appeal(stored.run_id, unit, "否决有误", unit, date(2014, 1, 12))[0]
            for unit in ("T1-01", "S1-02")
        ]
    return stored.run_id, appeals


def _change(folder: Path, unit: str, area: str) -> str:
    folder.mkdir()
    path = folder / "vetoes.csv"
    path.write_text(f"unit,area,change\n{unit},{area},delete\n", encoding="utf-8")
    return str(path)


def test_two_processes_deciding_appeals_of_one_run_both_stand(archive_url: str, heshan_data: Path, tmp_path: Path):
    run_id, (first, second) = _published_heshan(archive_url, heshan_data)
    outcomes = _run(
        workers.decide,
        [
            (archive_url, first, _change(tmp_path / "a", "T1-01", "anquan")),
            (archive_url, second, _change(tmp_path / "b", "S1-02", "lianzheng")),
        ],
    )
    assert sorted(number for kind, _, number in outcomes if kind == "decided") == [2, 3]
    with Archive(archive_url) as archive:
        newest = archive.revision(run_id)
        assert newest.number == 3
        with archive.engine.connect() as connection:
            content = connection.execute(
                sa.select(t.inputs.c.content).where(
                    t.inputs.c.revision_id == newest.revision_id, t.inputs.c.name == "vetoes.csv"
                )
            ).scalar_one()
    vetoes = bytes(content).decode("utf-8")
    # the later revision carries both corrections: neither process overwrote the other's
    assert "T1-01,anquan" not in vetoes and "S1-02,lianzheng" not in vetoes and "T2-02,poll_bottom10" in vetoes
    assert newest.result.by_unit()["T1-01"].vetoes == []


def test_one_appeal_decided_by_two_processes_at_once_is_decided_once(
    archive_url: str, heshan_data: Path, tmp_path: Path
):
    _, (first, _) = _published_heshan(archive_url, heshan_data)
    change = _change(tmp_path / "a", "T1-01", "anquan")
    outcomes = _run(workers.decide, [(archive_url, first, change), (archive_url, first, change)])
    kinds = sorted(kind for kind, _, _ in outcomes)
    assert kinds == ["decided", "refused"]
    assert any("already been decided" in str(detail) for kind, _, detail in outcomes if kind == "refused")
    with Archive(archive_url) as archive:
        assert _count(archive, t.decisions) == 1
        assert _count(archive, t.revisions) == 2


def test_a_process_killed_mid_record_leaves_no_partial_run(archive_url: str, heshan_data: Path, tmp_path: Path):
    Archive(archive_url).close()
    flag = tmp_path / "inside"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.archive.workers", archive_url, str(heshan_data), str(flag)], cwd=ROOT, env=env
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not flag.exists():
            assert process.poll() is None, "the recording process ended before reaching the transaction"
            assert time.monotonic() < deadline, "the recording process never reached the transaction"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(TIMEOUT)
    with Archive(archive_url) as archive:
        for table in (t.runs, t.revisions, t.unit_results, t.inputs, t.audit_log):
            assert _count(archive, table) == 0, table.name
        if archive.engine.dialect.name == "sqlite":
            with archive.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        setup = service.setup_with_history(service.Deployed(), archive, "hunan.heshan", 2013)
        stored = service.record(archive, setup, heshan_data, "王科长")  # the archive is writable again
        assert len(stored.result.units) == 106 and _count(archive, t.runs) == 1
