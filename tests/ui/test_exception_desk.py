"""The exception desk's dialogs on the demo event: walk-in, name fix, attendee detail."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.adapters.badge_pdf import PdfBadges
from kiosk.adapters.printer import CupsPrinter
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.print_queue import PrintQueueStore
from kiosk.core.model import EntryKind, JournalEntry, new_entry_uuid
from kiosk.core.printing import JobState, PrintReason
from kiosk.core.signing import looks_like_kiosk_code
from kiosk.ui.attendee_detail import AttendeeDetailDialog
from kiosk.ui.edit_dialog import EditAttendeeDialog
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.walkin_dialog import WalkInDialog, WalkInOutcome
from kiosk.workflows.printing import BadgePrinting
from kiosk.workflows.staff import StaffDesk
from tests.ui.conftest import FIRST_DAY_9AM, PRAGUE

# Never sent to: the dialogs only queue badges; the desk's print worker prints them.
QUEUE = "KIOSK-TEST-QUEUE"


@pytest.fixture
def tasks(qtbot) -> TaskRunner:  # noqa: ARG001 (the application must exist first)
    runner = TaskRunner()
    yield runner
    runner.wait(10_000)


@pytest.fixture
def printing(desk: StaffDesk) -> BadgePrinting:
    """Badge printing as the app wires it, with a printer queue set."""
    desk.store.set_setting("print.queue", QUEUE)
    return BadgePrinting(desk, PrintQueueStore(desk.store), PdfBadges(), CupsPrinter())


def printed(store: SqliteStore, attendee_id: str, at: datetime) -> JournalEntry:
    """The `print` entry the print worker journals when CUPS has finished a badge."""
    return store.append(
        JournalEntry(new_entry_uuid(), EntryKind.PRINT, "Desk B", at, day=at.date(),
                     attendee_id=attendee_id, data={"layout": "a6", "reason": "checkin"})
    )  # fmt: skip


def by_name(desk: StaffDesk, last_name: str):
    return next(a for a in desk.attendees() if a.last_name == last_name)


def fill(dialog, **values: str) -> None:
    """Type into the dialog's fields, a key event per character (QTest's keyClicks takes
    Latin-1 only, and Czech needs more).
    """
    for name, text in values.items():
        edit = dialog.fields.edits[name]
        edit.clear()
        for char in text:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    edit, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )


def test_a_walk_in_from_the_dialog_is_registered_with_a_signed_code_and_printed(
    qtbot, desk: StaffDesk, printing: BadgePrinting, tasks: TaskRunner
) -> None:
    dialog = WalkInDialog(desk, tasks, printing)
    qtbot.addWidget(dialog)
    fill(dialog, first_name="Zdeňka", last_name="Šťastná-Vondráčková",
         organisation="Ústav fyziky plazmatu AV ČR", email="Zdenka@IPP.example.cz")  # fmt: skip
    dialog.fields.category.setCurrentText("Press")
    with qtbot.waitSignal(dialog.registered, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    outcome = signal.args[0]
    assert isinstance(outcome, WalkInOutcome) and outcome.printing
    attendee, code = outcome.walk_in.attendee, outcome.walk_in.code
    assert (attendee.first_name, attendee.last_name) == ("Zdeňka", "Šťastná-Vondráčková")
    assert attendee.email == "zdenka@ipp.example.cz" and attendee.category == "Press"
    assert "Zdeňka Šťastná-Vondráčková" in dialog.message.text() and code in dialog.message.text()
    # Found by search, without diacritics, and by the start of the code.
    assert [a.id for a in desk.search("stastna vondrackova")] == [attendee.id]
    assert [a.id for a in desk.search(code[:10])] == [attendee.id]
    # Registered, not yet in: scanning the badge's signed code checks them in, once.
    assert desk.first_checkins([attendee.id]) == {}
    assert looks_like_kiosk_code(code)
    answer = desk.check_in(code)
    assert answer.status == "ok" and answer.attendee.id == attendee.id
    assert answer.attendee.full_name == "Zdeňka Šťastná-Vondráčková"
    middle = len(code) - 20  # inside the signature: a forged code admits nobody
    tampered = code[:middle] + ("B" if code[middle] == "A" else "A") + code[middle + 1 :]
    assert desk.check_in(tampered).status == "invalid"
    (job,) = printing.jobs.jobs()
    assert (job.attendee_id, job.reason, job.state) == (
        attendee.id,
        PrintReason.WALKIN,
        JobState.QUEUED,
    )
    qtbot.mouseClick(dialog.another_button, Qt.MouseButton.LeftButton)
    assert dialog.fields.text("first_name") == "" and dialog.register_button.isEnabled()


def test_a_walk_in_at_a_desk_without_printing_says_the_badge_was_not_printed(
    qtbot, desk: StaffDesk, tasks: TaskRunner
) -> None:
    dialog = WalkInDialog(desk, tasks, None)
    qtbot.addWidget(dialog)
    assert dialog.register_button.text() == "Register"
    fill(dialog, first_name="Jan", last_name="Novák")
    with qtbot.waitSignal(dialog.registered, timeout=5000) as signal:
        dialog.register_button.click()
    outcome = signal.args[0]
    assert outcome.badge is None and not outcome.printing
    assert outcome.not_printed == "this desk has no printer"
    assert "The badge was not printed: this desk has no printer" in dialog.message.text()


def test_a_walk_in_without_a_printer_queue_says_why_nothing_printed(
    qtbot, desk: StaffDesk, printing: BadgePrinting, tasks: TaskRunner
) -> None:
    desk.store.clear_setting("print.queue")
    dialog = WalkInDialog(desk, tasks, printing)
    qtbot.addWidget(dialog)
    fill(dialog, first_name="Jan", last_name="Novák")
    with qtbot.waitSignal(dialog.registered, timeout=10_000) as signal:
        dialog.register_button.click()
    assert not signal.args[0].printing
    assert "no printer is set up" in dialog.message.text()


def test_the_walk_in_form_says_what_is_wrong_beside_each_field(
    qtbot, desk: StaffDesk, tasks: TaskRunner
) -> None:
    before = len(desk.attendees())
    dialog = WalkInDialog(desk, tasks, None)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, first_name="  ", email="jana.novakova@")
    registered = []
    dialog.registered.connect(registered.append)
    dialog.register_button.click()
    problems = dialog.fields.problems
    assert problems["last_name"].isVisible() and problems["email"].isVisible()
    assert problems["last_name"].text() == "✕ Type a first or a last name."
    assert problems["email"].text().startswith("✕ This is not an e-mail address")
    assert not problems["first_name"].isVisible() and not problems["organisation"].isVisible()
    assert problems["email"].textFormat() is Qt.TextFormat.PlainText
    assert "correct the marked fields" in dialog.message.text()
    assert len(desk.attendees()) == before and registered == []
    # Fixed, the problems go and the walk-in is registered.
    fill(dialog, last_name="Nováková", email="")
    dialog.register_button.click()
    qtbot.waitUntil(lambda: registered != [], timeout=5000)
    assert not problems["last_name"].isVisible() and not problems["email"].isVisible()
    assert len(desk.attendees()) == before + 1


def test_markup_in_a_name_is_shown_as_text(qtbot, desk: StaffDesk, tasks: TaskRunner) -> None:
    walk_in = desk.walk_in("<b>Jana</b>", "<i>Nová</i>", organisation="<a href='x'>ČVUT</a>")
    dialog = AttendeeDetailDialog(desk, walk_in.attendee.id, tasks)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "<b>Jana</b> <i>Nová</i>"
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() is Qt.TextFormat.PlainText, label.objectName()


def test_fixing_a_printed_name_flags_a_reprint_that_syncs_and_prints_again(
    qtbot, desk: StaffDesk, printing: BadgePrinting, tasks: TaskRunner, tmp_path: Path
) -> None:
    store = desk.store
    kadlecova = by_name(desk, "Kadlecová")
    printed(store, kadlecova.id, FIRST_DAY_9AM.replace(hour=8))
    dialog = EditAttendeeDialog(desk, kadlecova, tasks, printing)
    qtbot.addWidget(dialog)
    assert dialog.fields.text("last_name") == "Kadlecová"
    fill(dialog, first_name="Ivana", last_name="Kadlecová Šulcová")
    with qtbot.waitSignal(dialog.edited, timeout=5000) as signal:
        dialog.save_button.click()
    result = signal.args[0]
    assert result.reprint and result.changed == ("last_name",)
    assert "old name" in dialog.message.text() and dialog.print_button.isVisibleTo(dialog)
    stored = store.attendee(kadlecova.id)
    assert stored.last_name == "Kadlecová Šulcová" and stored.reprint
    entry = result.entry
    assert entry.kind is EntryKind.REGISTRATION and entry in store.journal()
    dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.badge is not None, timeout=10_000)
    assert dialog.badge.queued and dialog.badge.job.reason is PrintReason.REPRINT
    # The correction travels with the journal: another kiosk that merges it shows it.
    with SqliteStore(tmp_path / "other.sqlite3") as other:
        other.create_event(store.event(), None)
        assert not other.merge(store.journal()).conflicts
        there = other.attendee(kadlecova.id)
        assert there.last_name == "Kadlecová Šulcová" and there.reprint
        assert [a.id for a in StaffDesk(other, "Desk B").search("sulcova")] == [kadlecova.id]


def test_an_unchanged_form_saves_nothing(qtbot, desk: StaffDesk, tasks: TaskRunner) -> None:
    kadlecova = by_name(desk, "Kadlecová")
    before = len(desk.store.journal())
    dialog = EditAttendeeDialog(desk, kadlecova, tasks, None)
    qtbot.addWidget(dialog)
    dialog.save_button.click()
    assert dialog.message.text() == "Nothing changed."
    fill(dialog, last_name="")
    fill(dialog, first_name="")
    dialog.save_button.click()
    assert dialog.fields.problems["last_name"].text() == "✕ Type a first or a last name."
    assert len(desk.store.journal()) == before


def test_the_detail_shows_presence_by_day_badge_prints_and_opens_the_editor(
    qtbot, desk: StaffDesk, printing: BadgePrinting, tasks: TaskRunner
) -> None:
    store = desk.store
    kadlecova = by_name(desk, "Kadlecová")
    desk.check_in(kadlecova.code, datetime(2023, 10, 23, 8, 41, tzinfo=PRAGUE))
    printed(store, kadlecova.id, datetime(2023, 10, 23, 8, 43, tzinfo=PRAGUE))
    dialog = AttendeeDetailDialog(desk, kadlecova.id, tasks, printing)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Ivana Kadlecová"
    assert kadlecova.code in dialog.findChild(QLabel, "detailCodes").text()
    assert dialog.findChild(QLabel, "detailEmail").text() == kadlecova.email
    rows = [
        [dialog.presence.item(row, column).text() for column in range(3)]
        for row in range(dialog.presence.rowCount())
    ]
    assert rows == [["Mon 23 October", "08:41", "Desk A"], ["Tue 24 October", "not checked in", ""]]
    assert dialog.prints.item(0, 0).text() == "Mon 23 October 08:43"
    assert dialog.prints.item(0, 1).text() == "check-in"
    assert not dialog.attention.isVisibleTo(dialog)
    editor = dialog.open_editor()
    qtbot.addWidget(editor)
    fill(editor, organisation="Česká klastrová platforma")
    editor.save_button.click()
    assert "Česká klastrová platforma" in dialog.summary.text()  # the detail followed
    assert "print a new one" in dialog.attention.text() and dialog.attention.isVisibleTo(dialog)
    assert "corrected: organisation" in dialog.history.text()
    dialog.print_button.click()
    qtbot.waitUntil(lambda: dialog.badge is not None, timeout=10_000)
    assert dialog.badge.queued and "on its way" in dialog.message.text()


def test_the_detail_without_printing_cannot_print(qtbot, desk: StaffDesk, tasks: TaskRunner):
    kadlecova = by_name(desk, "Kadlecová")
    dialog = AttendeeDetailDialog(desk, kadlecova.id, tasks, None)
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled()
    assert dialog.no_prints.isVisibleTo(dialog) and not dialog.prints.isVisibleTo(dialog)


def test_typing_in_a_dialog_over_the_desk_stays_in_the_dialog(qtbot, window, tasks) -> None:
    dialog = WalkInDialog(window.desk, tasks, None, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fill(dialog, first_name="Jiří", last_name="Čermák")
    # The desk's focus keeper sends typing to its search field, but not from another window.
    assert dialog.fields.text("last_name") == "Čermák" and window.field.text() == ""
