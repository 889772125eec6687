"""The event's private key is sealed in the database with a key file kept outside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.adapters.key_vault import SEALED_PREFIX, KeyVault
from kiosk.adapters.storage import SqliteStore
from kiosk.core.checkin import CheckInStatus
from kiosk.core.errors import CannotIssueCodesError
from kiosk.core.model import Event
from kiosk.core.signing import EventKeys, read_code, verify_code
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, fill, prague


def raw_bytes(db: Path) -> bytes:
    """Everything on disk for the database: the file and its WAL."""
    wal = Path(f"{db}-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def stored_key(db: Path) -> bytes:
    with sqlite3.connect(db) as conn:
        return bytes(conn.execute("SELECT private_key FROM event").fetchone()[0])


def open_store(db: Path, keys: Path) -> SqliteStore:
    return SqliteStore(db, key_vault=KeyVault(keys))


def test_the_key_is_stored_sealed_and_still_signs_walk_ins(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> None:
    event, keys = event_and_keys
    assert keys.private is not None
    db = tmp_path / "kiosk.sqlite3"
    with open_store(db, tmp_path / "keys") as store:
        store.create_event(event, keys)
        fill(store)
        assert store.signing_key() == keys.private
        walk_in = StaffDesk(store, "Desk").walk_in("Jana", "Nováková", email="jana@example.org")
        assert verify_code(read_code(walk_in.attendee.code), keys.public)
        assert keys.private not in raw_bytes(db)
        key_files = list((tmp_path / "keys").iterdir())
        assert [path.name for path in key_files] == [f"{store.kiosk_id()}.key"]
    assert stored_key(db).startswith(SEALED_PREFIX)
    # A copy of the database (a backup, a file sent for help) holds no usable key.
    assert keys.private not in raw_bytes(db)


def test_without_its_key_file_a_kiosk_checks_codes_but_issues_none(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> None:
    db = tmp_path / "kiosk.sqlite3"
    with open_store(db, tmp_path / "keys") as store:
        store.create_event(*event_and_keys)
        fill(store)
    with open_store(db, tmp_path / "elsewhere") as store:
        desk = StaffDesk(store, "Desk")
        assert desk.check_in("0123456789", at=prague(DAY1, 9)).status is CheckInStatus.OK
        with pytest.raises(CannotIssueCodesError, match="not on this machine"):
            desk.walk_in("Jana", "Nováková")
    # Another kiosk's key file (same name, other key) does not open it either.
    other = tmp_path / "other"
    other.mkdir()
    (other / next((tmp_path / "keys").iterdir()).name).write_bytes(b"x" * 32)
    with open_store(db, other) as store, pytest.raises(CannotIssueCodesError, match="cannot be"):
        store.signing_key()


def test_a_key_an_older_kiosk_stored_in_the_clear_is_sealed_when_the_file_opens(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> None:
    event, keys = event_and_keys
    assert keys.private is not None
    db = tmp_path / "kiosk.sqlite3"
    with open_store(db, tmp_path / "keys") as store:
        store.create_event(event, keys)
        fill(store)
    with sqlite3.connect(db) as conn:  # as the foundation stored it
        conn.execute("UPDATE event SET private_key = ?", (keys.private,))
    assert keys.private in raw_bytes(db)
    with open_store(db, tmp_path / "keys") as store:
        assert stored_key(db).startswith(SEALED_PREFIX)
        assert keys.private not in raw_bytes(db)  # not in a freed page nor in the WAL
        assert store.signing_key() == keys.private
        walk_in = StaffDesk(store, "Desk").walk_in("Jana", "Nováková")
        assert verify_code(read_code(walk_in.attendee.code), keys.public)


def test_a_clear_key_that_cannot_be_sealed_yet_does_not_stop_the_kiosk(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys], caplog: pytest.LogCaptureFixture
) -> None:
    event, keys = event_and_keys
    db = tmp_path / "kiosk.sqlite3"
    with open_store(db, tmp_path / "keys") as store:
        store.create_event(event, keys)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE event SET private_key = ?", (keys.private,))
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("", encoding="utf-8")
    with open_store(db, not_a_folder / "keys") as store:  # no key file can be made there
        assert store.signing_key() == keys.private
    assert "stays unsealed" in caplog.text
    with open_store(db, tmp_path / "keys") as store:  # the next open seals it
        assert store.signing_key() == keys.private
    assert stored_key(db).startswith(SEALED_PREFIX)
