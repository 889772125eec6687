"""Resource faults: a full disk, a read-only or locked database, a sync folder gone.

Each refuses the write with a message that says what to do, loses nothing already stored, and
clears by itself when the fault does. CI runs as root, which file modes do not stop, so the
faults are made at SQLite's level (a page limit, query_only) or by a real second process.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.journal_folder import JournalFolder
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage import connection as sqlite_connection
from kiosk.core.clock import FixedClock
from kiosk.core.errors import DatabaseBusyError, DiskFullError, ReadOnlyError
from kiosk.core.events import new_event
from kiosk.core.registrations import Registration, plan_import
from kiosk.workflows.staff import StaffDesk
from kiosk.workflows.sync import SyncService, sync_journal
from tests.cli.test_cli import assert_failed, environment, kiosk, kiosk_json
from tests.conftest import DAY1, prague

PEOPLE = [
    Registration(row=n + 2, code=f"FULL{n:04d}", first_name="Jan", last_name=f"Novák {n}")
    for n in range(400)
]
AT = "2023-10-23T09:00:00+02:00"
# `kiosk` run with one pragma on each of its connections: the fault, made at SQLite's level.
WITH_PRAGMA = """
import sys
import kiosk.adapters.storage.store as store_module
from kiosk.adapters.storage import connection
from kiosk.cli import main

pragma = sys.argv[1]
def connect(path):
    conn = connection.connect(path)
    if pragma == "full":  # no page beyond those the file has
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")
    else:
        conn.execute(pragma)
    return conn
store_module.connect = connect
sys.exit(main(sys.argv[2:]))
"""
# Another program holding the write lock until its stdin closes.
LOCKER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def crowded(db_path: Path) -> Iterator[SqliteStore]:
    """An event with 400 people in a real file."""
    store = SqliteStore(db_path)
    store.create_event(*new_event("Faults", "Europe/Prague", [DAY1, date(2023, 10, 24)]))
    store.apply_import(plan_import({}, PEOPLE))
    yield store
    store.close()


def checked_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {code for (code,) in conn.execute("SELECT code FROM journal WHERE kind='checkin'")}


# Room for a few check-ins before the 'disk' is full (a journal entry and its index entries
# take a few hundred bytes; a page is 4 KiB).
ROOM_PAGES = 4


def fill_the_disk(store: SqliteStore, desk: StaffDesk) -> tuple[set[str], str]:
    """Check people in with no page beyond those the file has, until the disk is 'full':
    the codes stored, and the code that did not fit.
    """
    conn = store.db.conn
    conn.execute("VACUUM")  # no free page left: the room below is all there is
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.execute(f"PRAGMA max_page_count = {pages + ROOM_PAGES}")
    stored: set[str] = set()
    for person in PEOPLE:
        try:
            desk.check_in(person.code)
        except DiskFullError as error:
            assert "disk is full" in str(error) and "free space" in str(error)
            assert str(store.path) in str(error)
            return stored, person.code
        stored.add(person.code)
    raise AssertionError("the page limit never filled")


def test_a_full_disk_refuses_the_check_in_keeps_the_others_and_recovers(
    crowded: SqliteStore, db_path: Path
) -> None:
    desk = StaffDesk(crowded, "Desk A", FixedClock(prague(DAY1, 9)))
    stored, refused = fill_the_disk(crowded, desk)
    # The refused check-in left nothing half-written; the others are all there. (Whether the
    # same check-in is refused again depends on where the last page happens to end: SQLite
    # may fit it in room a rolled-back write left, so that is not asserted.)
    assert stored and checked_in(db_path) == stored
    crowded.db.conn.execute("PRAGMA max_page_count = 1073741823")  # space freed
    assert desk.check_in(refused).status == "ok"
    assert checked_in(db_path) == stored | {refused}


def test_a_read_only_database_refuses_writes_and_still_answers_reads(
    crowded: SqliteStore, db_path: Path
) -> None:
    desk = StaffDesk(crowded, "Desk A", FixedClock(prague(DAY1, 9)))
    assert desk.check_in("FULL0001").status == "ok"
    crowded.db.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(ReadOnlyError, match=r"read-only.*writable"):
        desk.check_in("FULL0002")
    # Someone already in needs nothing written: the door gets the true answer.
    again = desk.check_in("FULL0001", prague(DAY1, 10))
    assert again.status == "already" and again.first_at == prague(DAY1, 9)
    assert again.station == "Desk A"
    assert [a.code for a in desk.search("FULL0001")] == ["FULL0001"]
    assert desk.today_counts() == (1, len(PEOPLE))
    crowded.db.conn.execute("PRAGMA query_only = OFF")
    assert desk.check_in("FULL0002").status == "ok"
    assert checked_in(db_path) == {"FULL0001", "FULL0002"}


def hold_the_lock(path: Path) -> subprocess.Popen[str]:
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert locker.stdout is not None and locker.stdout.readline() == "locked\n"
    return locker


def release(locker: subprocess.Popen[str]) -> None:
    assert locker.stdin is not None
    locker.stdin.close()
    locker.wait(10)


def test_a_database_locked_by_another_program_is_busy_until_it_lets_go(
    crowded: SqliteStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_connection, "BUSY_TIMEOUT_MS", 300)  # the wait, shortened
    desk = StaffDesk(crowded, "Desk A", FixedClock(prague(DAY1, 9)))
    locker = hold_the_lock(db_path)
    try:
        with pytest.raises(DatabaseBusyError, match=r"busy.*close the other program"):
            desk.check_in("FULL0003")
    finally:
        release(locker)
    assert desk.check_in("FULL0003").status == "ok"
    assert checked_in(db_path) == {"FULL0003"}


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = environment(tmp_path / "kiosk.sqlite3", tmp_path / "data")
    kiosk_json(env, "init", "--event-name", "Faults", "--timezone", "Europe/Prague",
               "--days", "2023-10-23")  # fmt: skip
    export = tmp_path / "people.csv"
    export.write_text(
        "code,first_name,last_name\n" + "".join(f"{p.code},Jan,{p.last_name}\n" for p in PEOPLE),
        encoding="utf-8",
    )
    kiosk_json(env, "import", str(export))
    compact(tmp_path / "kiosk.sqlite3")
    return env


def compact(path: Path) -> None:
    """No free page left in the file: a 'full disk' then really leaves no room to write."""
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")


def kiosk_with(
    env: dict[str, str], pragma: str, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITH_PRAGMA, pragma, *args], input=stdin,
        env=env, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip


def test_the_command_line_says_what_to_do_about_a_full_disk_or_a_read_only_file(
    cli_env: dict[str, str],
) -> None:
    db = Path(cli_env["KIOSK_DB"])
    codes = [person.code for person in PEOPLE]
    for pragma, words in (
        ("full", ("disk is full", "free space")),
        ("PRAGMA query_only = ON", ("read-only", "writable")),
    ):
        before = checked_in(db)
        # A burst of scans: those that fit are answered (and stored), then one line says why
        # the rest cannot be.
        done = kiosk_with(
            cli_env, pragma, "checkin", "--stdin", "--json", "--at", AT,
            stdin="".join(f"{code}\n" for code in codes if code not in before),
        )  # fmt: skip
        assert done.returncode == 1
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert str(db) in done.stderr and all(word in done.stderr for word in words)
        answered = {json.loads(line)["code"] for line in done.stdout.splitlines()}
        assert checked_in(db) == before | answered
        assert len(before | answered) < len(codes)  # the fault stopped the burst
    refused = next(code for code in codes if code not in checked_in(db))
    assert kiosk_json(cli_env, "checkin", refused, "--at", AT)["status"] == "ok"


def test_the_command_line_says_the_database_is_busy_and_works_once_it_is_free(
    cli_env: dict[str, str],
) -> None:
    db = Path(cli_env["KIOSK_DB"])
    locker = hold_the_lock(db)
    try:
        # Waits for the lock as long as kiosk waits (5 s), then gives up in one line.
        assert_failed(kiosk(cli_env, "checkin", "FULL0004", "--at", AT), "busy", str(db))
    finally:
        release(locker)
    assert kiosk_json(cli_env, "checkin", "FULL0004", "--at", AT)["status"] == "ok"


def test_a_sync_folder_gone_mid_session_is_reported_and_the_exchange_resumes(
    crowded: SqliteStore, tmp_path: Path
) -> None:
    folder = tmp_path / "share" / "sync"
    folder.mkdir(parents=True)
    desk = StaffDesk(crowded, "Desk A", FixedClock(prague(DAY1, 9)))
    service = SyncService(
        crowded, CsvRegistrations(), transport=JournalFolder(folder, crowded.event())
    )
    desk.check_in("FULL0001")
    assert service.run_once().ok
    shutil.rmtree(folder)  # deleted, or the drive unmounted
    desk.check_in("FULL0002")  # check-ins go on meanwhile
    status = service.run_once()
    assert "is gone" in status.journal_error and str(folder) in status.journal_error
    assert not folder.exists()  # not made again behind the share's back
    folder.mkdir()  # it returns, empty: it gets every entry, not only the new ones
    assert service.run_once().ok
    published = {e.code for e in JournalFolder(folder, crowded.event()).collect("someone else")}
    assert {"FULL0001", "FULL0002"} <= published


def test_kiosk_sync_names_a_folder_it_cannot_reach(cli_env: dict[str, str], tmp_path: Path) -> None:
    unmounted = tmp_path / "media" / "usb-stick" / "sync"
    done = kiosk(cli_env, "sync", "--dir", str(unmounted))
    assert_failed(done, str(unmounted), "mounted")
    assert not unmounted.parent.exists()  # no folders made where the drive should be
    unmounted.parent.mkdir(parents=True)  # the drive is mounted
    assert kiosk_json(cli_env, "sync", "--dir", str(unmounted))["published"] == len(PEOPLE)


def test_a_merge_cut_short_by_a_full_disk_is_finished_once_there_is_room(
    crowded: SqliteStore, tmp_path: Path
) -> None:
    folder = tmp_path / "sync"
    desk = StaffDesk(crowded, "Desk A", FixedClock(prague(DAY1, 9)))
    for person in PEOPLE[:100]:
        desk.check_in(person.code)
    assert sync_journal(crowded, JournalFolder(folder, crowded.event())).published > 400
    # Kiosk B joins with no page to spare beyond a few: its merge of A's day stops part-way.
    other = SqliteStore(tmp_path / "b.sqlite3")
    other.create_event(crowded.event(), None)
    service = SyncService(other, CsvRegistrations(), transport=JournalFolder(folder, other.event()))
    conn = other.db.conn
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.execute(f"PRAGMA max_page_count = {pages + 20}")
    status = service.run_once()
    assert "disk is full" in status.journal_error
    assert len(other.attendees()) < len(PEOPLE)
    # Room again: the same service (its transport and what it has read) finishes the merge.
    conn.execute("PRAGMA max_page_count = 1073741823")
    assert service.run_once().ok
    assert other.attendees() == crowded.attendees()
    assert other.count_checked_in(DAY1) == 100
    other.close()
