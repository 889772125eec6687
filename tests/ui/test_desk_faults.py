"""The desk through resource faults: it says what is wrong, keeps working, and clears itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.journal_folder import JournalFolder
from kiosk.adapters.storage import connection as sqlite_connection
from kiosk.core.clock import FixedClock
from kiosk.workflows.organiser import OrganiserTools
from kiosk.workflows.sync import SyncService
from tests.hardening.test_resource_faults import hold_the_lock, release
from tests.ui.conftest import FIRST_DAY_9AM, STATION
from tests.ui.test_desk import checked_in_today, only, scan
from tests.ui.test_organiser import window_with


def test_a_read_only_database_is_named_on_the_card_and_in_the_status_bar_until_it_saves(
    qtbot, make_window, desk, store
):
    window = make_window()
    assert not window.fault_indicator.faulty
    code = only(desk, "prikryl").code
    store.db.conn.execute("PRAGMA query_only = ON")
    scan(qtbot, window, code)
    assert window.panel.card.headline == "NOT SAVED"
    assert window.panel.card.note == "The database is read-only: make it writable."
    assert window.fault_indicator.faulty
    assert window.fault_indicator.text() == "⚠ Database read-only: not saving"
    assert "writable" in window.fault_indicator.toolTip()
    assert str(store.path) in window.fault_indicator.toolTip()
    store.db.conn.execute("PRAGMA query_only = OFF")  # the fault clears
    scan(qtbot, window, code)
    assert window.panel.card.headline == "CHECKED IN"
    assert not window.fault_indicator.faulty
    assert checked_in_today(desk) == 1


def test_a_database_locked_elsewhere_says_busy_and_the_next_scan_goes_in(
    qtbot, make_window, desk, store, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(sqlite_connection, "BUSY_TIMEOUT_MS", 300)  # the wait, shortened
    window = make_window()
    code = only(desk, "prikryl").code
    locker = hold_the_lock(store.path)
    try:
        scan(qtbot, window, code)
        assert window.panel.card.headline == "NOT SAVED"
        assert window.fault_indicator.text() == "⚠ Database busy: not saving"
    finally:
        release(locker)
    scan(qtbot, window, code)
    assert window.panel.card.headline == "CHECKED IN"
    assert not window.fault_indicator.faulty


def test_the_sync_indicator_says_the_folder_is_gone_and_recovers_when_it_returns(
    qtbot, desk, store, tmp_path: Path
):
    folder = tmp_path / "sync"
    service = SyncService(
        store,
        CsvRegistrations(),
        transport=JournalFolder(folder, store.event()),
        station=STATION,
        clock=FixedClock(FIRST_DAY_9AM),
    )
    window = window_with(qtbot, desk, OrganiserTools(store, CsvRegistrations(), sync=service))
    assert window.sync is not None
    statuses: list[object] = []
    window.sync.updated.connect(statuses.append)

    def run() -> None:
        before = len(statuses)
        window.sync.run_now()
        qtbot.waitUntil(lambda: len(statuses) > before, timeout=10_000)

    run()
    assert window.sync_indicator.text().startswith("Sync ✓")
    shutil.rmtree(folder)
    run()
    assert window.sync_indicator.text().startswith("Sync ✕")
    assert "is gone" in window.sync_indicator.details()
    scan(qtbot, window, only(desk, "prikryl").code)  # the desk checks people in meanwhile
    assert window.panel.card.headline == "CHECKED IN"
    folder.mkdir()
    run()
    assert window.sync_indicator.text().startswith("Sync ✓")
    assert (folder / f"{store.kiosk_id()}.journal.jsonl").stat().st_size > 0
