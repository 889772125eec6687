"""The threading model: each thread has its own connection, so a worker's writes never nest."""

from __future__ import annotations

import threading

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.model import EntryKind, JournalEntry, new_entry_uuid
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, prague


def note(station: str) -> JournalEntry:
    return JournalEntry(new_entry_uuid(), EntryKind.SETTING, station, prague(DAY1, 9),
                        data={"name": "checkin.repeat_seconds", "value": "3"})  # fmt: skip


def test_a_worker_write_is_not_a_savepoint_of_the_gui_thread_s_transaction(
    filled: SqliteStore,
) -> None:
    """The GUI thread's transaction fails and rolls back while a worker writes: the worker's
    entry is its own transaction, committed after the GUI's lock is gone, and survives.
    """
    started = threading.Event()
    worker_done = threading.Event()
    written: list[JournalEntry] = []

    def worker() -> None:
        started.wait()
        written.append(filled.append(note("worker")))  # waits for the GUI's write lock
        worker_done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    with pytest.raises(RuntimeError, match="storage failed"), filled.transaction():
        filled.append(note("gui"))
        started.set()
        # The worker is now waiting on the lock, not writing inside this transaction.
        assert not worker_done.wait(0.3)
        raise RuntimeError("storage failed")
    thread.join(10)
    assert worker_done.is_set()
    after_import = [e for e in filled.journal() if e.kind != "registration"]
    assert [e.station for e in after_import] == ["worker"]
    assert written[0].seq == len(filled.journal())


def test_a_worker_writing_while_the_desk_checks_people_in_loses_nothing(
    filled: SqliteStore,
) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    codes = [a.code for a in filled.attendees() if a.status == "active" and a.valid_on(DAY1)]
    stop = threading.Event()
    worker_entries: list[JournalEntry] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            while not stop.is_set() and len(worker_entries) < 200:
                worker_entries.append(filled.append(note("worker")))
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=worker)
    thread.start()
    answers = [desk.check_in(code).status for code in codes]
    stop.set()
    thread.join(30)
    assert not errors
    assert answers == ["ok"] * len(codes)
    journal = filled.journal()
    assert sum(e.kind == "checkin" for e in journal) == len(codes)
    assert sum(e.station == "worker" for e in journal) == len(worker_entries)
    # One kiosk, one numbering: no gaps, no repeats, whichever thread wrote.
    assert sorted(e.seq for e in journal) == list(range(1, len(journal) + 1))


def test_each_thread_has_its_own_connection(filled: SqliteStore) -> None:
    seen: list[object] = []
    thread = threading.Thread(target=lambda: seen.append(filled.db.conn))
    thread.start()
    thread.join()
    assert seen[0] is not filled.db.conn
    filled.close()  # closes the worker's connection too
