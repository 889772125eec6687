"""Setting the self-service screen's PIN and staff code: only salted hashes reach the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.errors import SettingError
from kiosk.workflows.config import change_setting, get_setting
from kiosk.workflows.unlock import StaffUnlock, set_pin, set_staff_code

PIN = "97531864"
STAFF_CODE = "STAFF-UNLOCK-7f3k9q"


def file_bytes(path: Path) -> bytes:
    """The database with its write-ahead log: everything SQLite wrote."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_the_pin_and_staff_code_are_stored_as_salted_hashes_never_in_the_clear(
    filled: SqliteStore, db_path: Path
):
    set_pin(filled, PIN)
    set_staff_code(filled, STAFF_CODE)
    stored = filled.kiosk_settings()
    assert stored["self.pin"].startswith("scrypt$") and PIN not in stored["self.pin"]
    raw = file_bytes(db_path)
    assert PIN.encode() not in raw
    assert STAFF_CODE.encode() not in raw
    assert stored["self.pin"].encode() in raw  # what is there is the hash


def test_the_stored_hashes_unlock_with_the_right_pin_and_staff_code_only(filled: SqliteStore):
    set_pin(filled, PIN)
    set_staff_code(filled, STAFF_CODE)
    unlock = StaffUnlock.from_store(filled, clock=lambda: 0.0)
    assert unlock.possible and unlock.has_pin
    assert unlock.is_staff_code(f" {STAFF_CODE}\n")
    assert not unlock.is_staff_code(STAFF_CODE.lower())
    assert not unlock.pins.attempt("13579246").accepted


def test_nothing_set_means_no_way_to_unlock(filled: SqliteStore):
    unlock = StaffUnlock.from_store(filled)
    assert not unlock.possible
    assert not unlock.is_staff_code("anything at all")


@pytest.mark.parametrize("pin", ["12", "12ab", "1234567890123"])
def test_a_bad_pin_is_refused_naming_the_setting_and_nothing_changes(filled: SqliteStore, pin):
    set_pin(filled, PIN)
    before = filled.kiosk_settings()["self.pin"]
    with pytest.raises(SettingError, match=r"self\.pin"):
        set_pin(filled, pin)
    assert filled.kiosk_settings()["self.pin"] == before


def test_kiosk_config_shows_only_that_a_pin_is_set_and_cannot_set_one_in_the_clear(
    filled: SqliteStore,
):
    assert get_setting(filled, "self.pin").to_dict()["value"] == ""
    set_pin(filled, PIN)
    assert get_setting(filled, "self.pin").to_dict()["value"] == "(set)"
    with pytest.raises(SettingError, match="kiosk self --set-pin"):
        change_setting(filled, "self.pin", PIN)


def test_wrong_pins_keep_their_delay_across_a_restart_and_the_right_one_clears_it(
    filled: SqliteStore,
):
    set_pin(filled, PIN)
    now = [100.0]
    unlock = StaffUnlock.from_store(filled, clock=lambda: now[0])
    for _ in range(3):
        wrong = unlock.pins.attempt("13579246")
        now[0] += wrong.wait_s
    assert get_setting(filled, "self.pin_failures").value == 3
    # The kiosk is switched off and on: the next try still waits as the fourth would have.
    restarted = StaffUnlock.from_store(filled, clock=lambda: now[0])
    refused = restarted.pins.attempt(PIN)
    assert refused.refused and not refused.accepted and refused.wait_s == 4.0
    now[0] += refused.wait_s
    assert restarted.pins.attempt(PIN).accepted
    assert get_setting(filled, "self.pin_failures").value == 0
    assert StaffUnlock.from_store(filled, clock=lambda: now[0]).pins.attempt(PIN).accepted
