"""Code run in separate processes by the concurrency tests (importable, so ``spawn`` can start it)."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from kaoping.archive import service
from kaoping.archive.store import Archive
from kaoping.core.errors import InputError


def record_many(url: str, data: str, times: int, barrier: Any, results: Any) -> None:
    with Archive(url) as archive:
        setup = service.setup_with_history(service.Deployed(), archive, "hunan.heshan", 2013)
        recordings = [service.capture(setup, Path(data)) for _ in range(times)]
        barrier.wait()
        for recording in recordings:
            results.put(archive.record(recording, "process").run_id)


def decide(url: str, appeal_id: int, change: str, barrier: Any, results: Any) -> None:
    with Archive(url) as archive:
        barrier.wait()
        try:
            decision = service.decide(
                archive, service.Deployed(), appeal_id, True, "委员会", date(2014, 1, 15), "撤销", [Path(change)]
            )
            results.put(("decided", appeal_id, decision.revision.number if decision.revision else None))
        except InputError as error:
            results.put(("refused", appeal_id, str(error)))


def record_and_hang(url: str, data: str, flag: str) -> None:
    """Record, but stop inside the transaction (after the revision's rows are written) until killed."""
    original = Archive._insert_revision

    def hanging(self: Archive, *args: Any, **kwargs: Any) -> int:
        revision_id = original(self, *args, **kwargs)
        Path(flag).write_text("inside the transaction", encoding="utf-8")
        time.sleep(120)
        return revision_id

    Archive._insert_revision = hanging  # type: ignore[method-assign]
    with Archive(url) as archive:
        setup = service.setup_with_history(service.Deployed(), archive, "hunan.heshan", 2013)
        service.record(archive, setup, Path(data), "process")


if __name__ == "__main__":
    record_and_hang(*sys.argv[1:4])
