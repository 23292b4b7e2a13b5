"""Concurrent merges into one store: all recorded, none lost, stale writes refused (SPEC §9)."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from storekit import later, merge, submission

from ltpgap.store import RecordResult, open_store
from ltpgap.store import _record as record_module

PLACES = ("luton", "bedford", "central_beds", "milton_keynes")


def _rags(i: int) -> dict[str, str]:
    return {"2.9": ("Red", "Amber", "Green")[i % 3], "3.10": "Amber"}


def _record_place(url: str, place: str, days: int) -> RecordResult:
    with open_store(url) as store:
        record = merge(submission(place, _rags(days), at=later(days)), at=later(days))
        return store.record_snapshot(record)


def test_concurrent_merges_in_threads_are_all_recorded(db_url: str) -> None:
    open_store(db_url).close()  # create the schema first; first-time opens are tested below
    start = threading.Barrier(len(PLACES))

    def run(i: int) -> RecordResult:
        start.wait(timeout=30)
        return _record_place(db_url, PLACES[i], i)

    with ThreadPoolExecutor(len(PLACES)) as pool:
        results = list(pool.map(run, range(len(PLACES))))
    assert all(r.snapshot is not None and r.refused == () for r in results)
    assert sorted(r.snapshot.seq for r in results if r.snapshot) == [1, 2, 3, 4]
    with open_store(db_url) as store:
        assert [s.seq for s in store.snapshots("blmk")] == [1, 2, 3, 4]
        assert set(store.state("blmk")["place"]) == set(PLACES)


def _worker(url: str, place: str, days: int, queue: Any) -> None:
    result = _record_place(url, place, days)
    queue.put((place, result.snapshot.seq if result.snapshot else None, result.attempts))


def test_concurrent_merges_in_processes_are_all_recorded(db_url: str) -> None:
    """Separate processes, separate connections: the way two ICS analysts would collide."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(db_url, p, i, queue)) for i, p in enumerate(PLACES[:2])
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    seen = sorted(queue.get(timeout=5) for _ in procs)
    assert [place for place, _, _ in seen] == ["bedford", "luton"]
    assert sorted(seq for _, seq, _ in seen) == [1, 2]


def _racing_allocator(parties: int, timeout: float) -> Callable[[sa.Connection, str], int]:
    """Make concurrent merges read the same next seq before either inserts it."""
    barrier = threading.Barrier(parties)
    original = record_module._allocate_seq

    def allocate(conn: sa.Connection, ics_id: str) -> int:
        seq = original(conn, ics_id)
        # Under SQLite the write lock already serialises merges: the barrier just times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=timeout)
        return seq

    return allocate


def test_a_merge_that_loses_the_seq_race_retries_and_is_recorded(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(db_url).close()
    monkeypatch.setattr(record_module, "_allocate_seq", _racing_allocator(2, timeout=1.0))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda i: _record_place(db_url, PLACES[i], i), range(2)))
    assert sorted(r.snapshot.seq for r in results if r.snapshot) == [1, 2]
    if db_url.startswith("postgresql"):
        # both read seq 1: the unique (ics_id, seq) constraint sent one round again
        assert sorted(r.attempts for r in results) == [1, 2]


def test_a_stale_file_racing_a_newer_one_never_wins(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old and new Luton files merged at the same moment: the newer answers always stand."""
    open_store(db_url).close()
    monkeypatch.setattr(record_module, "_allocate_seq", _racing_allocator(2, timeout=1.0))
    old_at, new_at = later(1), later(9)

    def run(at: datetime) -> RecordResult:
        with open_store(db_url) as store:
            rags = {"2.9": "Red"} if at == old_at else {"2.9": "Green"}
            return store.record_snapshot(merge(submission("luton", rags, at=at), at=at))

    with ThreadPoolExecutor(2) as pool:
        old, new = pool.map(run, (old_at, new_at))
    assert new.recorded == ("luton",)
    assert old.recorded == ("luton",) or [i.code for i in old.issues] == [
        "stale-submission",
        "snapshot-unchanged",
    ]
    with open_store(db_url) as store:
        assert list(store.state("blmk")["rag"]) == ["Green"]


def test_first_time_opens_at_once_both_succeed(db_url: str) -> None:
    start = threading.Barrier(3)

    def run(_: int) -> tuple[str, ...]:
        start.wait(timeout=30)
        with open_store(db_url) as store:
            return store.ics_ids()

    with ThreadPoolExecutor(3) as pool:
        assert list(pool.map(run, range(3))) == [(), (), ()]


def test_a_store_that_stays_busy_gives_up_with_store_busy(
    sqlite_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ltpgap.issues import LtpgapError

    def always_taken(conn: sa.Connection, ics_id: str) -> int:
        return 1

    with open_store(sqlite_path) as store:
        store.record_snapshot(merge(submission("luton", _rags(0))))
        monkeypatch.setattr(record_module, "_allocate_seq", always_taken)
        monkeypatch.setattr(record_module, "_backoff", lambda _attempt: None)
        with pytest.raises(LtpgapError) as caught:
            store.record_snapshot(merge(submission("bedford", _rags(1))))
        assert [i.code for i in caught.value.issues] == ["store-busy"]
        assert "12 attempts" in caught.value.issues[0].message
        assert len(store.snapshots("blmk")) == 1


def test_one_store_shared_by_threads(db_url: str) -> None:
    with open_store(db_url) as store, ThreadPoolExecutor(4) as pool:

        def run(i: int) -> int:
            record = merge(submission(f"unit{i}", _rags(i), at=later(i)), at=later(i))
            result = store.record_snapshot(record)
            assert result.snapshot is not None
            return result.snapshot.seq

        assert sorted(pool.map(run, range(8))) == list(range(1, 9))
        assert len(store.state("blmk")["place"].unique()) == 8
