"""A thread waiting for the write lock ends an import's or a merge's step early: it waits for
one piece of the step, not for the whole of it.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore, imports
from kiosk.adapters.storage.connection import LockWaiters, begin_immediate, connect
from kiosk.core.clock import FixedClock
from kiosk.core.model import Event
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, prague

PEOPLE = [
    Registration(row=n, code=f"WAIT{n:06d}", first_name="Petr", last_name=f"Přikryl {n}")
    for n in range(2, 302)
]


@pytest.fixture
def make_store(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> Iterator[Callable[[str], SqliteStore]]:
    stores: list[SqliteStore] = []

    def make(name: str) -> SqliteStore:
        store = SqliteStore(tmp_path / f"{name}.sqlite3")
        store.create_event(*event_and_keys)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Wait (up to a generous deadline, never a measured time) for `condition`."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.005)


class RowsAtEachBegin:
    """How many rows `table` held as each of `store`'s transactions on the calling thread
    began, read through a connection of its own."""

    def __init__(self, store: SqliteStore, table: str = "journal") -> None:
        self.counts: list[int] = []
        self._count = f"SELECT count(*) FROM {table}"
        self._reader = sqlite3.connect(store.path)
        store.connection().set_trace_callback(self._seen)

    def _seen(self, statement: str) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            self.counts.append(self._reader.execute(self._count).fetchone()[0])

    def per_transaction(self, end: int) -> list[int]:
        """Rows each transaction added (`end`: the count at the end)."""
        marks = [*self.counts, end]
        return [after - before for before, after in pairwise(marks)]

    def first_rising_run(self) -> list[int]:
        """Rows each transaction added from the first that added any to the first that
        added none: an import's staging, as its stage fills and then empties."""
        rises = [after - before for before, after in pairwise(self.counts)]
        first = next(n for n, rise in enumerate(rises) if rise > 0)
        return list(itertools.takewhile(lambda rise: rise > 0, rises[first:]))


def journal_count(store: SqliteStore) -> int:
    return int(store.connection().execute("SELECT count(*) FROM journal").fetchone()[0])


@contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another program (the sqlite3 shell, say) holding the write lock inside the block."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("COMMIT")
        holder.close()


def test_a_thread_waiting_for_the_write_lock_is_counted_while_it_waits(
    make_store: Callable[[str], SqliteStore],
) -> None:
    store = make_store("k")
    # Counted alone: no signal file, so only the count can make these waiters true.
    waiters = LockWaiters()
    waited = threading.Event()

    def wait_for_the_lock() -> None:
        conn = connect(store.path)
        begin_immediate(conn, waiters)
        conn.execute("ROLLBACK")
        conn.close()
        waited.set()

    with write_lock_held(store.path):
        waiting = threading.Thread(target=wait_for_the_lock)
        waiting.start()
        wait_for(lambda: bool(waiters), "a waiting thread is counted")
    waiting.join()
    assert waited.is_set() and not waiters


def test_a_long_writer_waiting_for_the_write_lock_is_not_counted(
    make_store: Callable[[str], SqliteStore],
) -> None:
    store = make_store("k")
    attempts = 0

    def write_in_steps() -> None:
        def seen(statement: str) -> None:
            nonlocal attempts
            if statement.startswith("BEGIN IMMEDIATE"):
                attempts += 1

        store.connection().set_trace_callback(seen)
        with store.stepping(), store.transaction():
            pass

    # Neither counted nor signalled: an import and a merge would end each other's steps.
    with write_lock_held(store.path):
        stepping = threading.Thread(target=write_in_steps)
        stepping.start()
        wait_for(lambda: attempts >= 3, "the stepping writer tried the lock")
        assert not store.lock_waiters
    stepping.join()
    assert not Path(f"{store.path}-waiting").exists()


def test_another_process_waiting_for_the_write_lock_is_seen_by_its_signal_file(
    make_store: Callable[[str], SqliteStore],
) -> None:
    store = make_store("k")
    store.apply_import(plan_import({}, PEOPLE[:1]))
    with write_lock_held(store.path):
        # A check-in from the command line, beside this process, while the lock is held.
        checkin = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--db", str(store.path), "--json", "checkin",
             PEOPLE[0].code, "--at", prague(DAY1, 9).isoformat()],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            wait_for(lambda: bool(store.lock_waiters), "the other process's wait is seen")
            signal = Path(f"{store.path}-waiting")
            assert stat.S_IMODE(signal.stat().st_mode) == 0o600
        except BaseException:
            checkin.kill()
            raise
    out, err = checkin.communicate(timeout=60)
    assert checkin.returncode == 0, err
    assert json.loads(out)["status"] == "ok"
    wait_for(lambda: not store.lock_waiters, "a process that got the lock is no longer seen")


def test_a_merge_ends_its_chunk_after_a_piece_while_a_thread_waits(
    make_store: Callable[[str], SqliteStore],
) -> None:
    a = make_store("a")
    a.apply_import(plan_import({}, PEOPLE))
    entries = a.entries_since(a.kiosk_id())
    # Unhindered, one chunk as large as the learnt size allows: all 300 records at once.
    alone = make_store("alone")
    alone.step_sizes["merge"] = imports.MAX_STEP
    seen = RowsAtEachBegin(alone)
    assert alone.merge(entries).added == len(entries)
    assert seen.per_transaction(journal_count(alone)) == [len(entries)]
    # With a thread waiting throughout, every chunk ends after its first piece: an eighth
    # of the size (records costing ten), and the rest is merged after it.
    waited = make_store("waited")
    waited.step_sizes["merge"] = imports.MAX_STEP
    seen = RowsAtEachBegin(waited)
    with waited.lock_waiters.waiting():
        report = waited.merge(entries)
    assert (report.added, report.known, report.conflicts) == (len(entries), 0, ())
    steps = seen.per_transaction(journal_count(waited))
    piece = imports.MAX_STEP // imports.STEP_PIECES // 10 + 1
    assert len(steps) >= len(entries) // piece
    assert all(0 < step <= piece for step in steps)
    assert waited.attendees() == a.attendees() == alone.attendees()


def test_an_import_ends_its_step_after_a_piece_while_a_thread_waits(
    make_store: Callable[[str], SqliteStore],
) -> None:
    size = imports.STEP_PIECES * 20  # a step in pieces of 20 entries

    def import_steps(store: SqliteStore) -> list[int]:
        store.step_sizes["import"] = size
        seen = RowsAtEachBegin(store)
        store.apply_import(plan_import({}, PEOPLE))
        assert len(store.attendees()) == len(PEOPLE)
        # Those that added entries: the import's steps (staging adds none).
        return [n for n in seen.per_transaction(journal_count(store)) if n]

    assert import_steps(make_store("alone")) == [len(PEOPLE)]
    waited = make_store("waited")
    with waited.lock_waiters.waiting():
        steps = import_steps(waited)
    # A piece each (20, or less when a slow step taught a smaller size), all of them in.
    assert sum(steps) == len(PEOPLE)
    assert steps[0] == 20 and all(0 < step <= 20 for step in steps)


def test_staging_ends_its_step_after_a_piece_while_a_thread_waits(
    make_store: Callable[[str], SqliteStore],
) -> None:
    def staging_steps(store: SqliteStore) -> list[int]:
        seen = RowsAtEachBegin(store, "import_stage")
        store.apply_import(plan_import({}, PEOPLE))
        assert len(store.attendees()) == len(PEOPLE)
        return seen.first_rising_run()

    # Unhindered, all 300 in one step (the step that marks the import 'applying' follows).
    assert staging_steps(make_store("alone"))[:1] == [len(PEOPLE)]
    waited = make_store("waited")
    with waited.lock_waiters.waiting():
        steps = staging_steps(waited)
    # A piece each, all of them staged.
    assert steps == [imports.STAGE_PIECE] * (len(PEOPLE) // imports.STAGE_PIECE)


def test_check_ins_during_a_merge_on_another_thread_lose_nothing(
    make_store: Callable[[str], SqliteStore],
) -> None:
    a, b = make_store("a"), make_store("b")
    a.apply_import(plan_import({}, PEOPLE))
    b.merge(a.entries_since(a.kiosk_id()))
    known = len(a.entries_since(a.kiosk_id()))
    # Then kiosk A checks a hundred in and imports three hundred more; B merges all that on
    # a worker while its own desk checks in another hundred.
    desk_a = StaffDesk(a, "Desk A", FixedClock(prague(DAY1, 9)))
    for person in PEOPLE[:100]:
        assert desk_a.check_in(person.code).status == "ok"
    more = [Registration(row=p.row, code=f"MORE{p.row:06d}", first_name="Ann", last_name="Lee")
            for p in PEOPLE]  # fmt: skip
    a.apply_import(plan_import(a.registered(), [*PEOPLE, *more]))
    entries = a.entries_since(a.kiosk_id(), known)
    b.step_sizes["merge"] = imports.MAX_STEP
    reports = []
    merging = threading.Thread(target=lambda: reports.append(b.merge(entries)))
    desk_b = StaffDesk(b, "Desk B", FixedClock(prague(DAY1, 10)))
    merging.start()
    answers = [desk_b.check_in(person.code).status for person in PEOPLE[200:]]
    merging.join()
    assert answers == ["ok"] * 100
    assert reports[0].added == len(entries) and not reports[0].conflicts
    # No one is counted waiting any more (the signal file's touch grows stale in 30 ms).
    wait_for(lambda: not b.lock_waiters, "the desk that got the lock is no longer seen")
    assert b.count_checked_in(DAY1) == 200
    assert b.attendees() == a.attendees()
