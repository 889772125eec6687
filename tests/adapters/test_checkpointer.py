"""Checkpoints on a thread of their own: a screen's commits never copy the WAL themselves."""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.model import EntryKind, Event, JournalEntry, new_entry_uuid
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, fill, prague


@pytest.fixture
def screen_store(db_path: Path, event_and_keys: tuple[Event, EventKeys]) -> Iterator[SqliteStore]:
    """The small event, opened as a screen opens it: checkpoints in the background."""
    store = SqliteStore(db_path, background_checkpoints=True)
    store.create_event(*event_and_keys)
    fill(store)
    yield store
    store.close()


def note(station: str) -> JournalEntry:
    return JournalEntry(new_entry_uuid(), EntryKind.SETTING, station, prague(DAY1, 9),
                        data={"name": "checkin.repeat_seconds", "value": "3"})  # fmt: skip


def checkins_in_the_file_alone(db_path: Path, copy: Path) -> int:
    """Check-ins in the database file without its WAL: what checkpoints have copied there."""
    shutil.copyfile(db_path, copy)  # the -wal file is left behind on purpose
    conn = sqlite3.connect(copy)
    try:
        (count,) = conn.execute("SELECT count(*) FROM journal WHERE kind = 'checkin'").fetchone()
    finally:
        conn.close()
    return int(count)


def wait_for(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_commits_without_a_pause_still_start_the_wal_again(
    screen_store: SqliteStore, db_path: Path
) -> None:
    """Only a complete checkpoint lets the next writer start the WAL from its beginning, and
    the thread never catches one complete under commits without a pause: SQLite's own
    checkpoint stays on for that, so the WAL does not grow by every commit.
    """
    for n in range(2000):
        screen_store.append(note(f"Desk {n % 3}"))
    wal_pages = Path(f"{db_path}-wal").stat().st_size / 4096
    assert wal_pages < 1500  # SQLite's checkpoint comes at 1,000; 2,000 entries write 10,000+


def test_check_ins_reach_the_database_file_within_seconds(
    screen_store: SqliteStore, db_path: Path, tmp_path: Path
) -> None:
    desk = StaffDesk(screen_store, "Desk A", FixedClock(prague(DAY1, 9)))
    codes = [a.code for a in screen_store.attendees() if a.valid_on(DAY1) and a.status == "active"]
    for code in codes[:3]:
        assert desk.check_in(code).status == "ok"
    copy = tmp_path / "copy.sqlite3"
    assert wait_for(lambda: checkins_in_the_file_alone(db_path, copy) == 3)


def test_closing_copies_what_only_the_wal_held(
    screen_store: SqliteStore, db_path: Path, tmp_path: Path
) -> None:
    """While another kiosk process has the file open, SQLite's own checkpoint at the last
    close does not happen: the store's final one does.
    """
    desk = StaffDesk(screen_store, "Desk A", FixedClock(prague(DAY1, 9)))
    code = next(a.code for a in screen_store.attendees() if a.valid_on(DAY1))
    other_kiosk = sqlite3.connect(db_path)
    try:
        other_kiosk.execute("SELECT count(*) FROM attendees").fetchone()
        assert desk.check_in(code).status == "ok"
        screen_store.close()
        assert checkins_in_the_file_alone(db_path, tmp_path / "copy.sqlite3") == 1
    finally:
        other_kiosk.close()


def test_a_one_shot_store_keeps_sqlite_s_own_checkpoints(filled: SqliteStore) -> None:
    (pages,) = filled.connection().execute("PRAGMA wal_autocheckpoint").fetchone()
    assert pages == 1000


def test_a_station_written_in_a_rolled_back_transaction_is_written_again(
    filled: SqliteStore,
) -> None:
    """The store remembers the stations it wrote, so a check-in need not write its name each
    time; a transaction that is rolled back takes the name with it, and the store forgets it.
    """

    with pytest.raises(RuntimeError), filled.transaction():
        filled.append(note("Side door"))
        raise RuntimeError("the disk went away")
    assert "Side door" not in filled.stations()
    filled.append(note("Side door"))
    assert "Side door" in filled.stations()
