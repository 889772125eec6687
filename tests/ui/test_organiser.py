"""The organiser's tools at the desk: the import dialog and the background sync indicator."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.adapters.badge_pdf import PdfBadges
from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.inbox_folder import InboxFolder
from kiosk.adapters.journal_folder import JournalFolder
from kiosk.adapters.pdf_raster import PdfRaster
from kiosk.adapters.storage import SqliteStore
from kiosk.app import _open_lobby, open_kiosk
from kiosk.core.clock import FixedClock
from kiosk.ui.desk import DeskWindow
from kiosk.ui.import_dialog import ImportDialog
from kiosk.workflows.organiser import OrganiserTools
from kiosk.workflows.staff import StaffDesk
from kiosk.workflows.sync import SyncService
from tests.ui.conftest import FIRST_DAY_9AM, STATION

HEADER = "code,first_name,last_name,organisation,country,email,category"
KADLECOVA = "032857605093"


def window_with(qtbot, desk: StaffDesk, tools: OrganiserTools) -> DeskWindow:
    window = DeskWindow(desk, organiser=tools)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_the_import_dialog_previews_then_imports(qtbot, desk, store, tmp_path: Path):
    export = tmp_path / "nove.csv"
    export.write_text(
        HEADER + "\nNEW-1,Jana,Nováková,ČVUT,CZ,,Participant\n,Bez,Kódu,,,,\n", encoding="utf-8"
    )
    window = window_with(qtbot, desk, OrganiserTools(store, CsvRegistrations(), station=STATION))
    dialog = window.open_import()
    assert isinstance(dialog, ImportDialog)
    qtbot.addWidget(dialog)
    dialog.load(export)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=5000)
    assert "1 to add" in dialog.summary.text() and "1 row errors" in dialog.summary.text()
    assert dialog.changes.item(0, 1).text() == "Jana Nováková"
    assert (dialog.errors.item(0, 0).text(), dialog.errors.item(0, 1).text()) == ("3", "code")
    assert dialog.mapping.rowCount() == 7
    assert "NEW-1" not in store.registered()  # a preview writes nothing
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10_000)
    assert dialog.imported.added == 1 and "Imported." in dialog.summary.text()
    assert store.registered()["NEW-1"].last_name == "Nováková"


def test_a_file_that_cannot_be_read_says_why(qtbot, desk, store, tmp_path: Path):
    window = window_with(qtbot, desk, OrganiserTools(store, CsvRegistrations()))
    dialog = window.open_import()
    qtbot.addWidget(dialog)
    dialog.load(tmp_path / "missing.csv")
    qtbot.waitUntil(lambda: "Not imported" in dialog.summary.text(), timeout=5000)
    assert "missing.csv" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()


def test_the_desk_syncs_in_the_background_and_says_so(qtbot, desk, store, tmp_path: Path):
    folder = tmp_path / "sync"
    # Another kiosk of the same event has checked Kadlecová in and published its journal.
    other_path = tmp_path / "other.sqlite3"
    with SqliteStore(other_path) as other:
        other.create_event(store.event(), None)
        other.merge(store.journal())
        StaffDesk(other, "Desk B", FixedClock(FIRST_DAY_9AM)).check_in(KADLECOVA)
        JournalFolder(folder, other.event()).publish(
            other.kiosk_id(), other.entries_since(other.kiosk_id())
        )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "late.csv").write_text(HEADER + "\nLATE-1,Petr,Pozdní,,CZ,,Press\n", "utf-8")
    service = SyncService(
        store,
        CsvRegistrations(),
        transport=JournalFolder(folder, store.event()),
        inbox=InboxFolder(inbox),
        station=STATION,
        clock=FixedClock(FIRST_DAY_9AM),
    )
    window = window_with(qtbot, desk, OrganiserTools(store, CsvRegistrations(), sync=service))
    assert window.sync is not None
    statuses = []
    window.sync.updated.connect(statuses.append)
    window.sync.run_now()  # first look: the inbox file is seen, the journal merged
    qtbot.waitUntil(lambda: len(statuses) == 1, timeout=10_000)
    window.sync.run_now()  # second look: the file has not changed, so it is imported
    qtbot.waitUntil(lambda: len(statuses) == 2, timeout=10_000)
    assert statuses[-1].ok, statuses[-1]
    assert "Sync ✓ 1 other kiosks" in window.sync_indicator.text()
    assert "last import" in window.sync_indicator.text()
    assert "Desk B" in window.sync_indicator.details()
    assert "LATE-1" in store.registered()
    assert (inbox / "done" / "late.csv").exists()
    kadlecova = desk.check_in(KADLECOVA)
    assert kadlecova.status == "already" and kadlecova.station == "Desk B"


def test_without_a_sync_folder_the_indicator_says_off(qtbot, desk, store):
    window = window_with(qtbot, desk, OrganiserTools(store, CsvRegistrations()))
    assert window.sync is None
    assert window.sync_indicator.text() == "Sync: off"


def test_the_badge_preview_shows_the_real_badge_of_the_attendee_on_the_card(qtbot, desk, store):
    tools = OrganiserTools(
        store, CsvRegistrations(), badges=PdfBadges(), raster=PdfRaster(), badge_layout="a6"
    )
    window = window_with(qtbot, desk, tools)
    assert not window.badge_button.isEnabled()
    window.field.setText(KADLECOVA)
    window.submit()
    assert window.badge_button.isEnabled()
    dialog = window.open_badge()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.shown is not None, timeout=20_000)
    # An A6 page (105 x 148 mm) at 110 dpi.
    assert (dialog.shown.width(), dialog.shown.height()) == (455, 641)
    assert not dialog.print_button.isEnabled()  # no printing on this desk


def test_the_organiser_checks_every_badge_from_the_desk(qtbot, desk, store):
    desk.walk_in("Jiāng", "Wěn 文")  # a name DejaVu Sans has no letter for
    tools = OrganiserTools(store, CsvRegistrations(), badges=PdfBadges(), raster=PdfRaster())
    window = window_with(qtbot, desk, tools)
    assert window.check_badges_button.isVisibleTo(window)
    dialog = window.open_badge_check()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.check is not None, timeout=30_000)
    assert "texts to fix" in dialog.summary.text()
    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert "Jiāng Wěn 文" in names


def test_the_lobby_opens_on_the_screen_the_organiser_chooses(qtbot, tmp_path: Path):
    with open_kiosk(tmp_path / "kiosk.sqlite3", demo_if_empty=True) as kiosk:
        desk = kiosk.staff_desk()
        boards: list = []
        window = DeskWindow(desk, open_lobby=lambda n: _open_lobby(kiosk, desk, n, boards))
        qtbot.addWidget(window)
        assert window.lobby_button.isVisibleTo(window)
        window.open_lobby(0)
        assert len(boards) == 1 and boards[0].isVisible()
        qtbot.addWidget(boards[0])
        window.open_lobby(7)  # no such monitor: said on the card, nothing opened
        assert window.panel.card.headline == "NOT POSSIBLE" and len(boards) == 1


def test_on_site_schedule_changes_from_the_desk(qtbot, tmp_path: Path):
    with open_kiosk(tmp_path / "kiosk.sqlite3", demo_if_empty=True, clock=FixedClock(
        datetime(2023, 10, 23, 10, 30, tzinfo=ZoneInfo("Europe/Prague"))
    )) as kiosk:  # fmt: skip
        desk = kiosk.staff_desk()
        window = DeskWindow(desk, organiser=kiosk.organiser_tools(desk))
        qtbot.addWidget(window)
        dialog = window.open_schedule()
        qtbot.addWidget(dialog)
        rooms = [dialog.room.itemText(n) for n in range(dialog.room.count())]
        assert "Main Hall" in rooms and dialog.table.rowCount() > 3
        dialog.room.setCurrentText("Main Hall")
        dialog.minutes.setValue(10)
        dialog.delay()
        later = [s for s in dialog.sessions if s.room == "Main Hall" and s.delay]
        assert later and all(s.delay.total_seconds() == 600 for s in later)
        row = next(n for n, s in enumerate(dialog.sessions) if s.room == "Seminar Room A")
        dialog.table.selectRow(row)
        dialog.cancel_or_restore()
        assert dialog.sessions[row].cancelled
        assert dialog.table.item(row, 3).text() == "CANCELLED"
        # The same changes are what the lobby and `schedule now` show: journal entries.
        kinds = [e.kind for e in kiosk.store.journal()]
        assert kinds.count("schedule") == 2
