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
