"""The self-service screen prints the scanned person's badge through a real CUPS queue, once."""

from __future__ import annotations

import pytest

from kiosk.adapters.printer import CupsPrinter
from kiosk.core.model import EntryKind
from kiosk.core.printing import JobState
from kiosk.core.unlock import hash_secret
from kiosk.ui.self_service import Screen, SelfServiceWindow
from kiosk.workflows.attendee import SelfService
from kiosk.workflows.unlock import StaffUnlock
from tests.conftest import code_of
from tests.printing.conftest import printing_for


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def window_for(
    qtbot, service: SelfService, ticks: FakeMonotonic | None = None, **options: int
) -> SelfServiceWindow:
    ticks = ticks or FakeMonotonic()
    unlock = StaffUnlock(hash_secret("2468"), "", clock=ticks)
    window = SelfServiceWindow(service, unlock, language="en", clock=ticks, **options)
    qtbot.addWidget(window)
    window.show()
    return window


def badges_printed(store, last_name: str) -> int:
    person = next(a for a in store.attendees() if a.last_name == last_name)
    entries = store.journal()
    return sum(1 for e in entries if e.kind is EntryKind.PRINT and e.attendee_id == person.id)


def test_a_first_scan_prints_the_badge_then_says_take_it_and_a_rescan_prints_nothing(
    qtbot, desk_a, printing
):
    store = desk_a.store
    ticks = FakeMonotonic()
    service = SelfService(desk_a, printing)
    window = window_for(qtbot, service, ticks, result_ms=200, print_timeout_ms=60_000)
    code = code_of(store, "Kühr")
    window.submit_scan(code)
    assert window.screen_state is Screen.PRINTING
    assert window.message.text() == "Your badge is printing…"
    assert window.progress.isVisible()
    window.submit_scan(code_of(store, "Přikryl"))  # scans wait while the badge prints
    assert window.screen_state is Screen.PRINTING and window.name_label.text() == "Luděk"
    qtbot.waitUntil(lambda: window.screen_state is Screen.TAKE, timeout=60_000)
    assert window.message.text() == "Please take your badge."
    assert badges_printed(store, "Kühr") == 1
    qtbot.waitUntil(lambda: window.screen_state is Screen.IDLE, timeout=5000)
    desk_a.clock.advance(minutes=10)
    ticks.now += 3.1  # the screen's same-code guard is over
    window.submit_scan(code)
    assert window.screen_state is Screen.ALREADY
    assert window.message.text() == "Please see our staff for a new badge."
    window.tasks.wait(10_000)
    assert [job.attendee_id for job in printing.jobs.jobs()] == [
        next(a.id for a in store.attendees() if a.last_name == "Kühr")
    ]
    window.shut_down()


@pytest.mark.usefixtures("ready_cups")
def test_a_badge_that_does_not_come_out_in_time_sends_the_person_to_staff(qtbot, desk_a, badges):
    store = desk_a.store
    store.set_setting("print.queue", "NO-SUCH-QUEUE")
    printing = printing_for(desk_a, badges, CupsPrinter(timeout_s=10))
    window = window_for(qtbot, SelfService(desk_a, printing), print_timeout_ms=1500)
    window.submit_scan(code_of(store, "Kühr"))
    assert window.screen_state is Screen.PRINTING
    qtbot.waitUntil(lambda: window.screen_state is Screen.PRINT_FAILED, timeout=20_000)
    assert (window.icon.text(), window.headline.text()) == ("✕", "Problem")
    assert window.message.text() == "Printing failed. Please see our staff."
    window.tasks.wait(10_000)
    (job,) = printing.jobs.jobs()
    assert job.state is JobState.QUEUED and "NO-SUCH-QUEUE" in job.last_error  # staff see it
    window.shut_down()


def test_the_screen_can_print_only_the_badge_of_the_person_it_just_checked_in(desk_a, badges):
    store = desk_a.store
    store.set_setting("print.queue", "KIOSK-NOT-ASKED")  # queuing never talks to the printer
    printing = printing_for(desk_a, badges, CupsPrinter())
    service = SelfService(desk_a, printing)
    assert service.print_badge() is None  # nobody checked in yet
    service.check_in(code_of(store, "Kühr"))
    queued = service.print_badge()
    assert queued is not None and queued.job is not None
    assert service.print_badge() is None  # once
    service.check_in("no such code")
    assert service.print_badge() is None
    desk_a.clock.advance(minutes=10)
    service.check_in(code_of(store, "Kühr"))  # already: not admitted anew
    assert service.print_badge() is None
    staff_job, _new = printing.jobs.add(
        next(a.id for a in store.attendees() if a.last_name == "Přikryl"), "a6", now=printing.wall()
    )
    assert service.badge_state(queued.job.id) is JobState.QUEUED
    assert service.badge_state(staff_job.id) is None  # not the screen's to look at
