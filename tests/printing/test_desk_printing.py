"""The desk prints a badge after a first check-in, on a worker, through a real CUPS queue."""

from __future__ import annotations

from kiosk.adapters.badge_pdf import PdfBadges
from kiosk.adapters.printer import CupsPrinter
from kiosk.adapters.storage.print_queue import PrintQueueStore
from kiosk.core.model import EntryKind
from kiosk.ui.desk import DeskWindow
from kiosk.workflows.printing import BadgePrinting
from tests.conftest import code_of


def test_a_first_check_in_prints_the_real_badge_without_holding_the_desk(qtbot, desk_a, ready_cups):
    store = desk_a.store
    store.set_setting("print.queue", ready_cups.queue)
    printing = BadgePrinting(desk_a, PrintQueueStore(store), PdfBadges(), CupsPrinter())
    window = DeskWindow(desk_a, printing=printing)
    qtbot.addWidget(window)
    window.show()
    window.field.setText(code_of(store, "Kühr"))
    window.submit()
    assert window.panel.card.headline == "CHECKED IN"  # answered before anything printed
    kuhr = next(a for a in store.attendees() if a.last_name == "Kühr")

    def printed() -> bool:
        return any(e.kind is EntryKind.PRINT and e.attendee_id == kuhr.id for e in store.journal())

    qtbot.waitUntil(printed, timeout=30_000)
    assert "Printer" in window.printer_indicator.text()
    window.tasks.wait(10_000)


def test_the_print_queue_shows_a_failing_job_and_prints_it_again(qtbot, desk_a, ready_cups):
    store = desk_a.store
    store.set_setting("print.queue", "NO-SUCH-QUEUE")
    printing = BadgePrinting(desk_a, PrintQueueStore(store), PdfBadges(), CupsPrinter())
    window = DeskWindow(desk_a, printing=printing)
    qtbot.addWidget(window)
    window.field.setText(code_of(store, "Přikryl"))
    window.submit()
    qtbot.waitUntil(lambda: "✕" in window.printer_indicator.text(), timeout=20_000)
    dialog = window.printer.open_queue(window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status is not None, timeout=20_000)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Petr Přikryl"
    assert "NO-SUCH-QUEUE" in dialog.table.item(0, 3).text()
    store.set_setting("print.queue", ready_cups.queue)  # staff fix the printer setting
    dialog.table.selectRow(0)
    dialog.retry_selected()

    def printed() -> bool:
        return any(e.kind is EntryKind.PRINT for e in store.journal())

    qtbot.waitUntil(printed, timeout=30_000)
    window.tasks.wait(10_000)
