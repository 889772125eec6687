"""The SQLite store on real files: settings, migrations, the append-only journal, durability."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.connection import migration_files
from kiosk.core.clock import FixedClock
from kiosk.core.errors import EventExistsError, NoEventError, StorageError
from kiosk.core.model import Event, new_attendee_id
from kiosk.core.registrations import ImportPlan, Registration, plan_import
from kiosk.core.signing import EventKeys, issue_code
from kiosk.workflows.setup import rotate_key
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, prague


def test_a_new_file_gets_every_migration_and_the_durable_settings(db_path: Path) -> None:
    store = SqliteStore(db_path)
    assert store.applied_migrations() == [path.stem for path in migration_files()]
    conn = store.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    store.close()
    # Opening again applies nothing twice.
    assert SqliteStore(db_path).applied_migrations() == [path.stem for path in migration_files()]


def test_no_event_until_init(db_path: Path, event_and_keys: tuple[Event, EventKeys]) -> None:
    store = SqliteStore(db_path)
    with pytest.raises(NoEventError, match="kiosk init"):
        store.event()
    event = store.create_event(*event_and_keys)
    assert event.days == (DAY1, DAY2) and event.timezone == "Europe/Prague"
    assert store.signing_key() == event_and_keys[1].private
    with pytest.raises(EventExistsError):
        store.create_event(*event_and_keys)


def test_everything_survives_reopening(filled: SqliteStore, db_path: Path) -> None:
    desk = StaffDesk(filled, "Desk A")
    result = desk.check_in("000412387761", prague(DAY1, 9))
    filled.close()
    reopened = SqliteStore(db_path)
    again = StaffDesk(reopened, "Desk B").check_in("000412387761", prague(DAY1, 9, 30))
    assert again.status == "already" and again.first_at == result.first_at
    assert again.station == "Desk A"
    assert reopened.attendee_by_code("000412387761").last_name == "Přikryl"  # type: ignore[union-attr]


def test_the_journal_is_append_only(filled: SqliteStore) -> None:
    StaffDesk(filled, "Desk A").check_in("000412387761", prague(DAY1, 9))
    conn = filled.db.conn
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE journal SET station = 'forged'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM journal")
    assert conn.execute("SELECT count(*) FROM journal WHERE kind = 'checkin'").fetchone()[0] == 1


def test_entries_are_numbered_per_kiosk_and_the_station_is_a_label(filled: SqliteStore) -> None:
    a, b = StaffDesk(filled, "Desk A"), StaffDesk(filled, "Desk B")
    a.check_in("000412387761", prague(DAY1, 9))
    b.check_in("0123456789", prague(DAY1, 9, 1))
    a.check_in("zzyy12", prague(DAY1, 9, 2))
    a.undo("zzyy12", prague(DAY1, 9, 3))
    kiosk = filled.kiosk_id()
    journal = filled.journal()
    imported = sum(e.kind == "registration" for e in journal)
    numbered = [(e.origin, e.seq, e.station, e.kind) for e in journal if e.kind != "registration"]
    assert numbered == [
        (kiosk, imported + 1, "Desk A", "checkin"),
        (kiosk, imported + 2, "Desk B", "checkin"),
        (kiosk, imported + 3, "Desk A", "checkin"),
        (kiosk, imported + 4, "Desk A", "undo"),
    ]


def test_journal_times_are_utc_and_days_are_event_days(filled: SqliteStore) -> None:
    StaffDesk(filled, "Desk A").check_in("000412387761", prague(DAY2, 0, 30))
    (at, day) = filled.db.conn.execute(
        "SELECT at, day FROM journal WHERE kind = 'checkin'"
    ).fetchone()
    assert at == "2023-10-23T22:30:00.000000+00:00"
    assert day == "2023-10-24"


def test_search_index_follows_a_changed_name(filled: SqliteStore) -> None:
    before = filled.registered()["000412387761"]
    renamed = Registration(row=2, code="000412387761", first_name="Petr", last_name="Příhoda")
    plan = plan_import(filled.registered(), [renamed])
    assert [a.id for a in plan.updated] == [before.id]
    filled.apply_import(plan)
    assert [a.last_name for a in filled.search(["prihoda"], 10)] == ["Příhoda"]
    assert filled.search(["prikryl"], 10) == []


def test_search_by_code_prefix_and_limit(filled: SqliteStore) -> None:
    assert [a.last_name for a in filled.search([], 10, "00041")] == ["Přikryl"]
    assert [a.last_name for a in filled.search([], 10, "cHaLuPa-")] == ["Chalupa"]
    assert len(filled.search(["j"], 2)) == 2


def test_a_failed_import_changes_nothing(filled: SqliteStore) -> None:
    before = filled.attendees()
    good = plan_import({}, [Registration(row=2, code="x", first_name="A", last_name="B")])
    bad = replace(good.added[0], id="OTHER", status="bogus")  # breaks the CHECK constraint
    with pytest.raises(StorageError, match="'bogus' is not a valid"):
        filled.apply_import(ImportPlan(added=(good.added[0], bad)))
    assert filled.attendees() == before
    assert filled.attendee_by_code("x") is None
    with pytest.raises(StorageError):
        filled.apply_import(ImportPlan(added=(bad,)))


def test_a_check_in_survives_the_process_being_killed(db_path: Path, filled: SqliteStore) -> None:
    filled.close()
    # The child checks in, says so, and is killed without closing anything: the nearest we can
    # get to pulling the plug. The answer it printed must be on disk.
    child = textwrap.dedent(
        f"""
        import os, sys
        from datetime import datetime
        from zoneinfo import ZoneInfo
        from kiosk.adapters.storage import SqliteStore
        from kiosk.workflows.staff import StaffDesk
        store = SqliteStore({str(db_path)!r})
        at = datetime(2023, 10, 23, 9, tzinfo=ZoneInfo("Europe/Prague"))
        result = StaffDesk(store, "Desk A").check_in("000412387761", at)
        print(result.status, flush=True)
        os.kill(os.getpid(), {int(signal.SIGKILL)})
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ},
        check=False,
    )
    assert done.returncode == -signal.SIGKILL
    assert done.stdout.strip() == "ok"
    after = StaffDesk(SqliteStore(db_path), "Desk B").check_in("000412387761", prague(DAY1, 10))
    assert after.status == "already" and after.station == "Desk A"


def test_a_failed_commit_leaves_the_store_able_to_save(filled: SqliteStore, db_path: Path) -> None:
    conn = filled.db.conn
    with pytest.raises(StorageError, match="FOREIGN KEY"):  # the COMMIT itself fails
        with filled.transaction():
            conn.execute("PRAGMA defer_foreign_keys = ON")
            conn.execute(
                "INSERT INTO codes (code, attendee_id, kind, created_at) "
                "VALUES ('orphan', 'NOBODY', 'registration', '')"
            )
    assert not conn.in_transaction
    StaffDesk(filled, "Desk A").check_in("000412387761", prague(DAY1, 9))
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT count(*) FROM journal WHERE kind = 'checkin'").fetchone()[0] == 1
    assert other.execute("SELECT count(*) FROM codes WHERE code = 'orphan'").fetchone()[0] == 0


def test_a_nested_failure_rolls_back_only_its_block(filled: SqliteStore) -> None:
    with filled.transaction():
        filled.set_setting("kept", "1")
        with pytest.raises(RuntimeError), filled.transaction():
            filled.set_setting("dropped", "1")
            raise RuntimeError
    assert (filled.setting("kept"), filled.setting("dropped")) == ("1", None)


def test_an_open_desk_takes_a_key_rotated_by_another_process(
    filled: SqliteStore, db_path: Path
) -> None:
    """`kiosk rotate-key` run beside an open desk: the desk admits codes of the new key."""
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    before = filled.event()
    command_line = SqliteStore(db_path)  # what the `kiosk rotate-key` process opens
    try:
        rotated = rotate_key(command_line, prague(DAY1, 8)).event
        new_key = command_line.signing_key()
    finally:
        command_line.close()
    assert new_key is not None and rotated.public_key != before.public_key
    assert filled.event().public_key == rotated.public_key
    walk_in = issue_code(new_key, before.id, new_attendee_id(), prague(DAY1, 8, 30))
    assert desk.check_in(walk_in).status == "ok"


def test_a_second_store_on_the_file_does_not_blind_the_first_to_other_processes(
    filled: SqliteStore, db_path: Path
) -> None:
    # Opening a second store once read the file's first bytes and closed them: every POSIX
    # lock of this process on the file went with that close, so each other process took
    # itself for the last one at its close and reset the WAL under the first store.
    second = SqliteStore(db_path)
    for name in ("Door 1", "Door 2"):
        subprocess.run(
            [sys.executable, "-c", textwrap.dedent(f"""
                import sqlite3
                conn = sqlite3.connect({str(db_path)!r}, isolation_level=None)
                conn.execute("INSERT INTO stations (name, created_at) VALUES ({name!r}, '')")
                conn.close()
            """)],
            check=True, timeout=60,
        )  # fmt: skip
        assert name in filled.stations() and name in second.stations()
    second.close()
