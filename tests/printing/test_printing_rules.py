"""When a check-in prints, reprint limits, retries and settings: the rules, with no printer."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.checkin import CheckInResult, CheckInStatus
from kiosk.core.clock import FixedClock
from kiosk.core.errors import InvalidInputError, SettingError
from kiosk.core.model import Attendee
from kiosk.core.printing import (
    AutoPrint,
    JobState,
    PrintError,
    PrinterState,
    PrinterStatus,
    PrintReason,
    prints_on_check_in,
    retry_at,
)
from kiosk.core.settings import parse_value, read_settings
from kiosk.workflows.printing import BadgePrinting, EnqueueStatus, StepOutcome
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, code_of, person, prague
from tests.printing.badges import StandInBadges
from tests.printing.conftest import printing_for

NOW = datetime(2026, 1, 1, 9, tzinfo=UTC)
JANA = Attendee(id="J", first_name="Jana", last_name="Nová")


class FakePrinter:
    """A printer that is whatever the test says, and remembers what it was sent."""

    def __init__(self, state: PrinterState = PrinterState.IDLE) -> None:
        self.state = state
        self.sent: list[tuple[str, bytes, tuple[float, float], int]] = []
        self.open: set[str] = set()

    def status(self, queue: str) -> PrinterStatus:
        return PrinterStatus(queue, self.state, accepting=True)

    def queues(self) -> list[PrinterStatus]:
        return [self.status("FAKE")]

    def submit(
        self,
        queue: str,
        pdf: bytes,
        *,
        page_mm: tuple[float, float],
        title: str = "badge",  # noqa: ARG002
        copies: int = 1,
    ) -> str:
        self.sent.append((queue, pdf, page_mm, copies))
        job = f"{queue}-{len(self.sent)}"
        self.open.add(job)
        return job

    def unfinished(self, queue: str) -> set[str]:  # noqa: ARG002
        return set(self.open)


@pytest.fixture
def fake() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def printing(desk_a: StaffDesk, badges: StandInBadges, fake: FakePrinter) -> BadgePrinting:
    desk_a.store.set_setting("print.queue", "FAKE")
    return printing_for(desk_a, badges, fake, wall=FixedClock(NOW))


def result(status: CheckInStatus = CheckInStatus.OK, **changes: object) -> CheckInResult:
    base = CheckInResult(status, "code", prague(DAY1, 9), DAY1, JANA)
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("auto", "checked", "first", "printed", "prints"),
    [
        (AutoPrint.FIRST, result(), True, False, True),
        (AutoPrint.FIRST, result(), False, False, False),  # came yesterday
        (AutoPrint.FIRST, result(), True, True, False),  # a badge is out already
        (AutoPrint.EVERY, result(), False, True, True),
        (AutoPrint.NEVER, result(), True, False, False),
        (AutoPrint.EVERY, result(repeat=True), True, False, False),  # a scanner's double fire
        (AutoPrint.EVERY, result(CheckInStatus.ALREADY), True, False, False),
        (AutoPrint.EVERY, result(CheckInStatus.CANCELLED), True, False, False),
        (AutoPrint.EVERY, result(attendee=None), True, False, False),
        # Admitted by a kiosk code before the record synced: no name to print yet.
        (AutoPrint.EVERY, result(attendee=Attendee("K", "", "")), True, False, False),
    ],
)
def test_which_check_ins_print(
    auto: AutoPrint, checked: CheckInResult, first: bool, printed: bool, prints: bool
) -> None:
    assert prints_on_check_in(auto, checked, first_of_event=first, printed_before=printed) is prints


def test_a_failed_job_waits_longer_each_time_then_for_staff() -> None:
    waits = [retry_at(n, NOW) for n in range(1, 6)]
    assert [(w - NOW).total_seconds() for w in waits[:4]] == [2, 4, 8, 16]
    assert waits[4] is None
    assert retry_at(9, NOW, max_attempts=20) == NOW + timedelta(seconds=60)  # capped


def test_the_print_settings_and_their_rules() -> None:
    settings = read_settings({})
    assert (settings.print_queue, settings.print_layout, settings.print_auto) == ("", "a6", "first")
    assert settings.self_service_reprints == 1
    assert parse_value("print.queue", " KIOSK-PDF ") == "KIOSK-PDF"
    assert parse_value("print.queue", "") == ""
    assert parse_value("print.layout", "Label-62") == "label-62"
    assert parse_value("print.auto", "EVERY") == "every"
    for name, text, words in [
        ("print.queue", "Front desk", "no spaces"),
        ("print.queue", "-d", "does not start with '-'"),
        ("print.queue", "a/b", "no spaces, slashes"),
        ("print.layout", "a6 big", "letters, digits"),
        ("print.auto", "always", "one of"),
        ("print.self_service_reprints", "11", "from 0 to 10"),
    ]:
        with pytest.raises(SettingError, match=words):
            parse_value(name, text)


def test_auto_print_on_the_first_check_in_of_the_event_only(
    desk_a: StaffDesk, printing: BadgePrinting, filled: SqliteStore, fake: FakePrinter
) -> None:
    code = code_of(filled, "Přikryl")
    first = desk_a.check_in(code)
    queued = printing.after_check_in(first)
    assert queued is not None and queued.status is EnqueueStatus.QUEUED
    assert queued.job is not None and queued.job.reason is PrintReason.CHECKIN
    assert fake.sent == []  # queuing never talks to the printer
    # A scanner's double fire, and the same person again later: nothing more.
    assert printing.after_check_in(desk_a.check_in(code)) is None
    assert printing.after_check_in(desk_a.check_in(code, prague(DAY1, 11))) is None
    # Undone and checked in again before the badge came out: still the one badge.
    desk_a.undo(code)
    assert printing.after_check_in(desk_a.check_in(code, prague(DAY1, 11, 5))) is None
    # The next day is not the first check-in of the event.
    assert printing.after_check_in(desk_a.check_in(code, prague(DAY2, 9))) is None
    # Someone whose first check-in is on day 2 gets a badge then.
    day2 = desk_a.check_in(code_of(filled, "Druhá"), prague(DAY2, 9))
    assert printing.after_check_in(day2) is not None
    assert filled.attendee(first.attendee.id) is not None
    assert printing.jobs.counts()[JobState.QUEUED] == 2


def test_auto_print_every_and_never(
    desk_a: StaffDesk, printing: BadgePrinting, filled: SqliteStore
) -> None:
    code = code_of(filled, "Přikryl")
    filled.set_setting("print.auto", "never")
    assert printing.after_check_in(desk_a.check_in(code)) is None
    filled.set_setting("print.auto", "every")
    day2 = desk_a.check_in(code, prague(DAY2, 9))
    queued = printing.after_check_in(day2)
    assert queued is not None and queued.status is EnqueueStatus.QUEUED
    filled.set_setting("print.queue", "")  # no printer: nothing queued, nothing in the way
    assert printing.after_check_in(desk_a.check_in(code_of(filled, "Chalupa"))) is None


class RehearsalClock(FixedClock):
    rehearsal_day = DAY1


def test_a_rehearsal_badge_does_not_count_for_the_real_event(
    desk_a: StaffDesk, printing: BadgePrinting, filled: SqliteStore, fake: FakePrinter
) -> None:
    rehearsing = StaffDesk(filled, "Desk A", RehearsalClock(prague(DAY1, 9)))
    code = code_of(filled, "Přikryl")
    checked = rehearsing.check_in(code)
    assert checked.entry is not None and checked.entry.data["rehearsal"] is True
    queued = printing.after_check_in(checked)
    assert queued is not None and queued.job is not None and queued.job.rehearsal
    printing.process_queue()
    fake.open.clear()
    (done,) = printing.process_queue().finished
    history = printing.jobs.history(done.attendee_id)
    assert (history.printed, history.rehearsal_printed) == (0, 1)
    rehearsing.end_rehearsal()
    assert printing.after_check_in(desk_a.check_in(code, prague(DAY1, 10))) is not None


def test_self_service_reprints_are_limited_and_staff_reprints_are_not(
    printing: BadgePrinting, filled: SqliteStore, fake: FakePrinter
) -> None:
    kuhr = person(filled, "Kühr").id
    asked = printing.reprint(kuhr, self_service=True)
    assert asked.status is EnqueueStatus.QUEUED
    again = printing.reprint(kuhr, self_service=True)
    assert again.status is EnqueueStatus.LIMIT and "ask at the desk" in again.reason
    printing.process_queue()
    fake.open.clear()
    printing.process_queue()  # printed: the journal now counts it
    assert printing.reprint(kuhr, self_service=True).status is EnqueueStatus.LIMIT
    assert printing.reprint(kuhr).status is EnqueueStatus.QUEUED
    filled.set_setting("print.self_service_reprints", "0")
    assert printing.reprint(person(filled, "Horák").id, self_service=True).status is (
        EnqueueStatus.LIMIT
    )


def test_asking_for_a_badge_that_cannot_be_printed(
    desk_a: StaffDesk, printing: BadgePrinting, filled: SqliteStore
) -> None:
    assert printing.reprint("NOBODY").status is EnqueueStatus.NOT_FOUND
    with pytest.raises(InvalidInputError, match="no badge layout 'a5'"):
        printing.reprint(person(filled, "Kühr").id, layout="a5")
    with pytest.raises(InvalidInputError, match="copies"):
        printing.reprint(person(filled, "Kühr").id, copies=11)
    filled.set_setting("print.queue", "")
    assert printing.reprint(person(filled, "Kühr").id).status is EnqueueStatus.NO_PRINTER
    walk_in = desk_a.walk_in("Jana", "Nová")
    assert printing.after_walk_in(walk_in.attendee.id) is None  # no printer
    filled.set_setting("print.queue", "FAKE")
    walked = printing.after_walk_in(walk_in.attendee.id)
    assert walked is not None and walked.job is not None
    assert walked.job.reason is PrintReason.WALKIN


def test_the_worker_sends_copies_on_the_layout_s_page_and_journals_when_done(
    printing: BadgePrinting, filled: SqliteStore, fake: FakePrinter
) -> None:
    kuhr = person(filled, "Kühr")
    queued = printing.reprint(kuhr.id, layout="a7", copies=2)
    step = printing.process_queue()
    assert step.outcome is StepOutcome.SENT and step.again_in == pytest.approx(0.25)
    ((queue, pdf, page, copies),) = fake.sent
    assert (queue, page, copies) == ("FAKE", (74.0, 105.0), 2)
    assert pdf.startswith(b"%PDF")
    assert printing.process_queue().finished == ()  # still in the printer
    fake.open.clear()
    step = printing.process_queue()
    assert [job.id for job in step.finished] == [queued.job.id]
    assert step.outcome is StepOutcome.IDLE and step.again_in is None
    (entry,) = [e for e in filled.journal() if e.kind == "print"]
    assert (entry.attendee_id, entry.station, entry.code) == (kuhr.id, "Desk A", kuhr.code)
    assert entry.data == {
        "layout": "a7",
        "printer": "FAKE",
        "job": "FAKE-1",
        "reason": "reprint",
        "copies": 2,
    }


class BrokenBadges(StandInBadges):
    def render(self, *args: object, **kwargs: object) -> bytes:  # noqa: ARG002
        raise ZeroDivisionError("a bug")


def test_a_badge_that_cannot_be_made_fails_its_attempt_and_the_worker_goes_on(
    desk_a: StaffDesk, filled: SqliteStore, fake: FakePrinter
) -> None:
    filled.set_setting("print.queue", "FAKE")
    printing = printing_for(desk_a, BrokenBadges(), fake, wall=FixedClock(NOW))
    printing.reprint(person(filled, "Kühr").id)
    step = printing.process_queue()
    assert step.outcome is StepOutcome.FAILED
    assert step.error == "the badge could not be made (ZeroDivisionError)"
    assert step.job is not None and step.job.attempts == 1 and fake.sent == []


def test_a_stopped_printer_uses_up_no_attempt(
    printing: BadgePrinting, filled: SqliteStore, fake: FakePrinter
) -> None:
    fake.state = PrinterState.STOPPED
    printing.reprint(person(filled, "Kühr").id)
    for _ in range(10):
        step = printing.process_queue()
        assert step.outcome is StepOutcome.HELD and step.again_in == 2.0
    (job,) = printing.jobs.jobs()
    assert (job.state, job.attempts) == (JobState.QUEUED, 0)


def test_printer_errors_carry_their_state() -> None:
    error = PrintError("x", PrinterState.NO_QUEUE)
    assert error.state is PrinterState.NO_QUEUE
    assert PrintError("y").state is PrinterState.FAILED


def test_a_wrong_layout_setting_fails_the_job_never_the_check_in(
    desk_a: StaffDesk, printing: BadgePrinting, filled: SqliteStore
) -> None:
    filled.set_setting("print.layout", "a5")
    checked = desk_a.check_in(code_of(filled, "Přikryl"))
    queued = printing.after_check_in(checked)
    assert queued is not None and queued.status is EnqueueStatus.QUEUED
    step = printing.process_queue()
    assert step.outcome is StepOutcome.FAILED and step.error == "no badge layout 'a5'"
