"""Badge printing's rules: when a check-in prints, how a failed job is retried, printer states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.core.errors import KioskError

if TYPE_CHECKING:  # named in a signature only: the printer adapter need not load the rules
    from kiosk.core.checkin import CheckInResult

# A job that failed this many times waits for staff to retry it.
MAX_ATTEMPTS = 5
# The wait after the first failed attempt; each further failure doubles it, up to the cap.
RETRY_BASE = timedelta(seconds=2)
RETRY_CAP = timedelta(seconds=60)


class AutoPrint(StrEnum):
    """When a check-in prints a badge by itself (the `print.auto` setting)."""

    NEVER = "never"
    FIRST = "first"  # on the attendee's first check-in of the event, if no badge was printed
    EVERY = "every"  # on every check-in that admits


class PrintReason(StrEnum):
    """Why a badge was queued."""

    CHECKIN = "checkin"
    REPRINT = "reprint"
    WALKIN = "walkin"


class JobState(StrEnum):
    """Where a print job is in the kiosk's own queue.

    `queued`: waiting to be sent (new, waiting out a retry's delay, or held back because the
    printer is stopped). `printing`: taken by a worker and handed to CUPS, which has not finished
    it yet (`cups_job` is set once CUPS accepted it). `done`: CUPS finished it, and a `print`
    journal entry says so. `failed`: it failed `MAX_ATTEMPTS` times and waits for staff.
    """

    QUEUED = "queued"
    PRINTING = "printing"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintJob:
    """One badge (in `copies`) for one attendee, as the kiosk's print queue keeps it."""

    id: int
    attendee_id: str
    layout: str
    copies: int
    state: JobState
    attempts: int
    last_error: str
    cups_job: str | None
    printer: str
    reason: PrintReason
    station: str
    rehearsal: bool
    self_service: bool
    next_at: datetime
    created_at: datetime
    updated_at: datetime

    @property
    def pending(self) -> bool:
        """True while the badge may still come out without staff doing anything."""
        return self.state in (JobState.QUEUED, JobState.PRINTING)

    def to_dict(self) -> dict[str, object]:
        """The job as JSON: times in ISO 8601 UTC."""
        return {
            "id": self.id,
            "attendee_id": self.attendee_id,
            "layout": self.layout,
            "copies": self.copies,
            "state": str(self.state),
            "attempts": self.attempts,
            "last_error": self.last_error,
            "cups_job": self.cups_job,
            "printer": self.printer,
            "reason": str(self.reason),
            "station": self.station,
            "rehearsal": self.rehearsal,
            "self_service": self.self_service,
            "next_at": self.next_at.isoformat(),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


@dataclass(frozen=True)
class PrintHistory:
    """What the journal and the queue say of one attendee's badges."""

    printed: int = 0  # badges printed for real (rehearsal prints not counted)
    rehearsal_printed: int = 0
    self_service_reprints: int = 0  # reprints asked for at a self-service kiosk, done or pending
    pending: PrintJob | None = None  # a job still queued or printing, if any


class PrinterState(StrEnum):
    """What a CUPS queue is doing, or why it cannot be asked."""

    IDLE = "idle"
    PRINTING = "printing"
    STOPPED = "stopped"  # disabled: out of paper, jammed, off, or paused by staff
    REJECTING = "rejecting"  # enabled but refusing new jobs
    NO_QUEUE = "no_queue"  # CUPS runs but has no queue of that name
    NO_CUPS = "no_cups"  # no CUPS scheduler running, or its tools are not installed
    NOT_ANSWERING = "not_answering"  # CUPS did not answer within the timeout
    FAILED = "failed"  # CUPS answered with an error of another kind


# States in which the printer could not be asked, or said no for a reason of its own.
_TROUBLE = frozenset(
    {PrinterState.NO_QUEUE, PrinterState.NO_CUPS, PrinterState.NOT_ANSWERING, PrinterState.FAILED}
)


@dataclass(frozen=True)
class PrinterStatus:
    """A CUPS queue's state as `lpstat` reports it; `message` is CUPS's reason, if any."""

    queue: str
    state: PrinterState
    accepting: bool = False
    message: str = ""

    @property
    def ready(self) -> bool:
        """True when a job sent now would be printed now."""
        return self.state in (PrinterState.IDLE, PrinterState.PRINTING) and self.accepting

    @property
    def held(self) -> bool:
        """True when the printer exists but staff must act (paper, jam, power) before it prints:
        jobs wait in the kiosk's queue and count no failed attempt.
        """
        return self.state in (PrinterState.STOPPED, PrinterState.REJECTING) or (
            self.state in (PrinterState.IDLE, PrinterState.PRINTING) and not self.accepting
        )

    def describe(self) -> str:
        """One line for staff: the queue, its state and CUPS's reason."""
        words = {
            PrinterState.IDLE: "ready",
            PrinterState.PRINTING: "printing",
            PrinterState.STOPPED: "stopped",
            PrinterState.REJECTING: "not accepting jobs",
            PrinterState.NO_QUEUE: "no such printer queue",
            PrinterState.NO_CUPS: "the printing system (CUPS) is not running",
            PrinterState.NOT_ANSWERING: "the printing system (CUPS) does not answer",
            PrinterState.FAILED: "printing failed",
        }[self.state]
        if self.state in (PrinterState.IDLE, PrinterState.PRINTING) and not self.accepting:
            words = "not accepting jobs"
        if self.state in _TROUBLE:
            # The message says what went wrong by itself ("CUPS is not running").
            return f"printer {self.queue}: {self.message or words}"
        text = f"printer {self.queue}: {words}"
        return f"{text} ({self.message})" if self.message else text

    def to_dict(self) -> dict[str, object]:
        """The status as JSON."""
        return {
            "queue": self.queue,
            "state": str(self.state),
            "accepting": self.accepting,
            "ready": self.ready,
            "message": self.message,
        }


class PrintError(KioskError):
    """A badge could not be handed to the printer; `state` says why, the message says it to
    staff.
    """

    def __init__(self, message: str, state: PrinterState = PrinterState.FAILED) -> None:
        super().__init__(message)
        self.state = state


def prints_on_check_in(
    auto: AutoPrint, result: CheckInResult, *, first_of_event: bool, printed_before: bool
) -> bool:
    """True when this check-in should print the attendee's badge by itself.

    Only a check-in that admits prints, never a scanner's double fire or an `already`; `first`
    prints on the attendee's first check-in of the event unless a badge was printed (or is on its
    way) already, `every` on each admitting check-in. An attendee this kiosk knows only by a
    kiosk code (not synced yet) has no name to print.
    """
    attendee = result.attendee
    if auto is AutoPrint.NEVER or not result.admitted or result.repeat or attendee is None:
        return False
    if not (attendee.first_name or attendee.last_name):
        return False
    if auto is AutoPrint.EVERY:
        return True
    return first_of_event and not printed_before


def retry_at(attempts: int, now: datetime, max_attempts: int = MAX_ATTEMPTS) -> datetime | None:
    """When a job that has now failed `attempts` times is tried again; None: it has failed for
    good and waits for staff. The wait doubles from `RETRY_BASE` up to `RETRY_CAP`, so a printer
    that is briefly away is retried soon and a dead one is not hammered.
    """
    if attempts >= max_attempts:
        return None
    delay: timedelta = RETRY_BASE * 2 ** max(attempts - 1, 0)
    return now + min(delay, RETRY_CAP)
