"""Backups while kiosks work, a rotating set, and a restore that brings everything back."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.backup import backups, check, make_backup, newest_good, restore
from kiosk.core.clock import FixedClock
from kiosk.core.errors import StorageError
from kiosk.core.model import Event
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, code_of, prague


def test_a_backup_taken_while_the_desk_works_restores_every_check_in(
    filled: SqliteStore, db_path: Path
) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    desk.check_in(code_of(filled, "Kühr"))
    saved = make_backup(db_path)
    assert check(saved) == "ok" and saved.parent.name == "backups"
    desk.check_in(code_of(filled, "Přikryl"))  # after the backup
    filled.close()
    db_path.write_bytes(b"this is not a database any more" * 100)  # the file is ruined
    for companion in ("-wal", "-shm"):
        Path(f"{db_path}{companion}").unlink(missing_ok=True)
    assert check(db_path) != "ok"
    assert newest_good(db_path) == saved
    assert restore(saved, db_path) is None  # nothing readable was there to keep
    with SqliteStore(db_path) as store:
        assert store.count_checked_in(DAY1) == 1


@pytest.mark.usefixtures("filled")
def test_old_backups_rotate_out(db_path: Path) -> None:
    made = [make_backup(db_path, keep=3) for _ in range(5)]
    assert backups(db_path) == sorted(made[-3:], reverse=True)


@pytest.mark.usefixtures("filled")
def test_a_bad_backup_is_refused(db_path: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"x" * 4096)
    with pytest.raises(StorageError, match="not a good kiosk backup"):
        restore(broken, db_path)
    assert check(db_path) == "ok"


def test_a_database_in_a_folder_named_with_hash_and_question_mark_backs_up(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> None:
    # Read-only opens go through a URI, where "#" and "?" in a path end it early.
    folder = tmp_path / "Konference #2 ? 100%"
    folder.mkdir()
    path = folder / "kiosk.sqlite3"
    with SqliteStore(path) as store:
        store.create_event(*event_and_keys)
        saved = make_backup(path)
    assert check(saved) == "ok" and check(path) == "ok"
    assert newest_good(path) == saved
