"""Several processes on one database file, as desks sharing a file (or a double start) are."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path

from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.connection import migration_files
from kiosk.core.clock import FixedClock
from kiosk.core.errors import EventExistsError
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, prague
from tests.support import load_demo

CONTEXT = multiprocessing.get_context("spawn")  # a fresh interpreter, as a second kiosk is
PROCESSES = 3


def _check_in_all(path: str, station: str, codes: list[str], barrier: object) -> list[str]:
    desk = StaffDesk(SqliteStore(path), station, FixedClock(prague(DAY1, 9)))
    answers = []
    for code in codes:
        barrier.wait()  # type: ignore[attr-defined]
        answers.append(str(desk.check_in(code).status))
    return answers


def _open_and_load_demo(path: str, barrier: object) -> str:
    barrier.wait()  # type: ignore[attr-defined]
    store = SqliteStore(path)
    try:
        load_demo(store)
    except EventExistsError:
        return "exists"
    return "loaded"


def test_desks_on_one_file_never_both_admit_someone(db_path: Path) -> None:
    store = SqliteStore(db_path)
    load_demo(store)
    codes = [a.code for a in store.attendees() if a.valid_on(DAY1) and a.status == "active"][:25]
    store.close()
    manager = CONTEXT.Manager()
    barrier = manager.Barrier(PROCESSES)
    with CONTEXT.Pool(PROCESSES) as pool:
        runs = pool.starmap(
            _check_in_all,
            [(str(db_path), f"Desk {n}", codes, barrier) for n in range(PROCESSES)],
        )
    for answers in zip(*runs, strict=True):
        assert Counter(answers) == {"ok": 1, "already": PROCESSES - 1}
    checkins = [e for e in SqliteStore(db_path).journal() if e.kind == "checkin"]
    assert len(checkins) == len(codes)


def _undo_all(path: str, station: str, codes: list[str], barrier: object) -> list[str]:
    desk = StaffDesk(SqliteStore(path), station, FixedClock(prague(DAY1, 10)))
    answers = []
    for code in codes:
        barrier.wait()  # type: ignore[attr-defined]
        answers.append(str(desk.undo(code).status))
    return answers


def test_desks_undoing_one_check_in_at_once_undo_it_once(db_path: Path) -> None:
    store = SqliteStore(db_path)
    load_demo(store)
    codes = [a.code for a in store.attendees() if a.valid_on(DAY1) and a.status == "active"][:20]
    desk = StaffDesk(store, "Desk 0", FixedClock(prague(DAY1, 9)))
    assert {str(desk.check_in(code).status) for code in codes} == {"ok"}
    store.close()
    manager = CONTEXT.Manager()
    barrier = manager.Barrier(PROCESSES)
    with CONTEXT.Pool(PROCESSES) as pool:
        runs = pool.starmap(
            _undo_all, [(str(db_path), f"Desk {n}", codes, barrier) for n in range(PROCESSES)]
        )
    for answers in zip(*runs, strict=True):
        assert Counter(answers) == {"undone": 1, "not_checked_in": PROCESSES - 1}
    undos = [e for e in SqliteStore(db_path).journal() if e.kind == "undo"]
    assert len(undos) == len(codes)


def test_kiosks_setting_up_one_new_file_together_make_one_event(tmp_path: Path) -> None:
    manager = CONTEXT.Manager()
    for attempt in range(3):
        path = tmp_path / f"new-{attempt}.sqlite3"
        barrier = manager.Barrier(PROCESSES)
        with CONTEXT.Pool(PROCESSES) as pool:
            outcomes = pool.starmap(_open_and_load_demo, [(str(path), barrier)] * PROCESSES)
        assert sorted(outcomes) == ["exists"] * (PROCESSES - 1) + ["loaded"]
        store = SqliteStore(path)
        assert store.applied_migrations() == [path.stem for path in migration_files()]
        assert store.db.conn.execute("SELECT count(*) FROM event").fetchone()[0] == 1
        assert len(store.attendees()) == 150
