"""Badge printing: check-ins, reprints and walk-ins queue badges; a worker prints them."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from kiosk.core.checkin import CheckInResult, identify
from kiosk.core.errors import InvalidInputError, KioskError
from kiosk.core.model import EntryKind, JournalEntry, new_entry_uuid
from kiosk.core.ports import BadgeRenderer
from kiosk.core.printing import (
    MAX_ATTEMPTS,
    AutoPrint,
    JobState,
    PrintError,
    PrinterState,
    PrinterStatus,
    PrintHistory,
    PrintJob,
    PrintReason,
    prints_on_check_in,
    retry_at,
)
from kiosk.core.settings import Settings
from kiosk.workflows.config import current_settings
from kiosk.workflows.staff import StaffDesk

logger = logging.getLogger(__name__)

MAX_COPIES = 10
# A job a worker took but never handed to CUPS (the process died meanwhile) goes back to the
# queue after this long: far more than a render and an `lp` with its timeout take.
CLAIM_LEASE = timedelta(seconds=120)
# How soon to look again while CUPS holds a job we sent (cups-pdf finishes in about 0.4 s).
CONFIRM_S = 0.25
# How soon to look again at a stopped printer: staff clearing a jam want the badge then.
HELD_RECHECK_S = 2.0


class Printer(Protocol):
    """A printing system with named queues (CUPS: `kiosk.adapters.printer.CupsPrinter`)."""

    def status(self, queue: str) -> PrinterStatus:
        """The state of `queue`; never raises: a queue that cannot be asked says why."""
        ...

    def queues(self) -> list[PrinterStatus]:
        """Every queue with its state; raises `PrintError` when the system cannot be asked."""
        ...

    def submit(
        self,
        queue: str,
        pdf: bytes,
        *,
        page_mm: tuple[float, float],
        title: str = "badge",
        copies: int = 1,
    ) -> str:
        """Send a PDF to `queue` on pages of `page_mm`; returns the system's job id. Raises
        `PrintError` (with the reason's `PrinterState`) when the job was not taken.
        """
        ...

    def unfinished(self, queue: str) -> set[str]:
        """Ids of `queue`'s jobs not finished yet; raises `PrintError` when it cannot be asked."""
        ...


class PrintJobs(Protocol):
    """The kiosk's persistent print queue (`kiosk.adapters.storage.print_queue.PrintQueueStore`).
    Each method is one short transaction of the store's, so it joins a caller's transaction.
    """

    def add(
        self,
        attendee_id: str,
        layout: str,
        *,
        now: datetime,
        copies: int = 1,
        reason: PrintReason = PrintReason.CHECKIN,
        station: str = "",
        printer: str = "",
        rehearsal: bool = False,
        self_service: bool = False,
    ) -> tuple[PrintJob, bool]:
        """Queue a badge unless one for the attendee and layout is pending; (job, is it new)."""
        ...

    def due(self, now: datetime, lease: timedelta) -> bool:
        """True when `claim` would find a job."""
        ...

    def claim(self, now: datetime, lease: timedelta) -> PrintJob | None:
        """Take the oldest due job, marking it printing."""
        ...

    def sent(self, job_id: int, cups_job: str, printer: str, now: datetime) -> None:
        """The printing system accepted the job."""
        ...

    def done(self, job_id: int, now: datetime) -> None:
        """The printing system finished the job."""
        ...

    def attempt_failed(
        self, job_id: int, error: str, now: datetime, retry_at: datetime | None
    ) -> PrintJob | None:
        """Count a failed attempt; back in the queue until `retry_at`, or failed when None."""
        ...

    def release(self, job_id: int, note: str, now: datetime) -> None:
        """Put a taken job back in the queue, no attempt counted."""
        ...

    def retry(self, job_id: int, now: datetime) -> PrintJob | None:
        """Queue a failed or waiting job again now, attempts from zero."""
        ...

    def retry_failed(self, now: datetime) -> int:
        """`retry` every failed job; how many."""
        ...

    def job(self, job_id: int) -> PrintJob | None:
        """The job with this id."""
        ...

    def jobs(self, states: Iterable[JobState] = (), limit: int = 100) -> list[PrintJob]:
        """The newest jobs, in `states` when given."""
        ...

    def in_cups(self) -> list[PrintJob]:
        """Jobs the printing system accepted and has not been seen to finish."""
        ...

    def next_at(self) -> datetime | None:
        """When the next queued job falls due."""
        ...

    def counts(self) -> dict[JobState, int]:
        """How many jobs are in each state."""
        ...

    def history(self, attendee_id: str) -> PrintHistory:
        """The attendee's badges: printed, self-service reprints, a pending job."""
        ...


class EnqueueStatus(StrEnum):
    """What asking for a badge did."""

    QUEUED = "queued"
    ALREADY_QUEUED = "already_queued"  # one for the attendee and layout is still on its way
    NO_PRINTER = "no_printer"  # print.queue is empty
    LIMIT = "limit"  # the attendee has had their self-service reprints
    NOT_FOUND = "not_found"  # no such attendee here, or none with a name to print


@dataclass(frozen=True)
class Enqueued:
    """The answer to asking for a badge: the job, or why there is none."""

    status: EnqueueStatus
    job: PrintJob | None = None
    reason: str = ""

    @property
    def queued(self) -> bool:
        """True when a badge is on its way (new, or already queued)."""
        return self.status in (EnqueueStatus.QUEUED, EnqueueStatus.ALREADY_QUEUED)

    def to_dict(self) -> dict[str, Any]:
        """The answer as JSON."""
        return {
            "status": str(self.status),
            "job": self.job.to_dict() if self.job else None,
            "reason": self.reason,
        }


class StepOutcome(StrEnum):
    """What one `process_queue` step did."""

    IDLE = "idle"  # nothing to send, nothing in the printing system
    WAITING = "waiting"  # nothing due: retries wait out their delay, or CUPS holds jobs
    NO_PRINTER = "no_printer"  # jobs wait, but print.queue is empty
    HELD = "held"  # the printer is stopped or refusing jobs: jobs stay queued, none failed
    SENT = "sent"  # a job went to the printer
    FAILED = "failed"  # a job's attempt failed (retried later, or failed for good)


@dataclass(frozen=True)
class PrintStep:
    """One step of the print worker: what it did, the jobs that came out since the last step,
    and when a step has something to do again (`again_in` seconds; None: not before a new job).
    """

    outcome: StepOutcome
    job: PrintJob | None = None
    finished: tuple[PrintJob, ...] = ()
    printer: PrinterStatus | None = None
    error: str = ""
    again_in: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The step as JSON."""
        return {
            "outcome": str(self.outcome),
            "job": self.job.to_dict() if self.job else None,
            "finished": [job.to_dict() for job in self.finished],
            "printer": self.printer.to_dict() if self.printer else None,
            "error": self.error,
            "again_in": self.again_in,
        }


@dataclass(frozen=True)
class QueueStatus:
    """The print queue for staff: the printer's state, jobs per state, the newest jobs."""

    queue: str
    printer: PrinterStatus | None
    counts: dict[JobState, int]
    jobs: tuple[PrintJob, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The status as JSON."""
        return {
            "queue": self.queue,
            "printer": self.printer.to_dict() if self.printer else None,
            "counts": {str(state): count for state, count in self.counts.items()},
            "jobs": [job.to_dict() for job in self.jobs],
        }


def _wall() -> datetime:
    return datetime.now(UTC)


class BadgePrinting:
    """Badges for one station: queue them (on the desk's thread: one short transaction, no
    printer involved) and print them (`process_queue`, on a worker thread).

    The printer never holds up a check-in: a check-in is stored before its badge is queued, the
    queue is in the database (it survives a restart), and only `process_queue` talks to the
    printer, with a timeout. A stopped printer leaves jobs queued without using up their
    attempts; a missing queue, no CUPS or no answer is a failed attempt, retried with a growing
    delay up to `max_attempts`, then left `failed` for staff to `retry`.
    """

    def __init__(
        self,
        desk: StaffDesk,
        jobs: PrintJobs,
        renderer: BadgeRenderer,
        printer: Printer,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        wall: Callable[[], datetime] = _wall,
    ) -> None:
        self.desk = desk
        self.store = desk.store
        self.jobs = jobs
        self.renderer = renderer
        self.printer = printer
        self.max_attempts = max_attempts
        # Real time for the queue's delays, whatever a rehearsal clock says.
        self.wall = wall
        # Whether the printer took jobs when last asked (None: not asked yet), so that badges
        # that failed while it was gone are sent again once it is back.
        self._printer_was_ready: bool | None = None

    def settings(self) -> Settings:
        """The settings in force now (another process may have changed the printer)."""
        return current_settings(self.store)

    # -- asking for badges ------------------------------------------------------------------------

    def after_check_in(self, result: CheckInResult) -> Enqueued | None:
        """Queue the attendee's badge if `print.auto` says this check-in prints; None when it
        does not. Call it after the check-in was answered: it never waits for a printer.
        """
        settings = self.settings()
        auto = AutoPrint(settings.print_auto)
        attendee = result.attendee
        if auto is AutoPrint.NEVER or not settings.print_queue or attendee is None:
            return None
        if not result.admitted or result.repeat:
            return None
        rehearsal = bool(result.entry and result.entry.data.get("rehearsal"))
        history = self.jobs.history(attendee.id)
        printed_before = (
            history.printed > 0
            or history.pending is not None
            or (rehearsal and history.rehearsal_printed > 0)
        )
        first = self._first_of_event(attendee.id, result.day)
        if not prints_on_check_in(
            auto, result, first_of_event=first, printed_before=printed_before
        ):
            return None
        return self._enqueue(attendee.id, settings, reason=PrintReason.CHECKIN, rehearsal=rehearsal)

    def _first_of_event(self, attendee_id: str, day: date | None) -> bool:
        """True when the attendee has no check-in that counts on an event day before `day`."""
        if day is None:
            return False
        return not any(
            self.store.checkins(attendee_id, earlier)
            for earlier in self.desk.event.days
            if earlier < day
        )

    def after_walk_in(self, attendee_id: str) -> Enqueued | None:
        """Queue a walk-in's badge, unless `print.auto` is never or there is no printer."""
        settings = self.settings()
        if AutoPrint(settings.print_auto) is AutoPrint.NEVER or not settings.print_queue:
            return None
        return self._enqueue(attendee_id, settings, reason=PrintReason.WALKIN)

    def walk_in_badge(self, attendee_id: str) -> Enqueued:
        """Queue the badge of a walk-in staff registered asking for it (the exception desk's
        "Register and print badge"), whatever `print.auto` says of check-ins.
        """
        return self._enqueue(attendee_id, self.settings(), reason=PrintReason.WALKIN)

    def reprint(
        self,
        attendee_id: str,
        *,
        layout: str | None = None,
        copies: int = 1,
        self_service: bool = False,
    ) -> Enqueued:
        """Queue a badge for the attendee (staff's "print again"; an attendee's own request at a
        self-service kiosk, within `print.self_service_reprints`).
        """
        settings = self.settings()
        if self_service:
            history = self.jobs.history(attendee_id)
            if history.self_service_reprints >= settings.self_service_reprints:
                return Enqueued(
                    EnqueueStatus.LIMIT,
                    history.pending,
                    "this badge was reprinted here as often as a kiosk allows: ask at the desk",
                )
        return self._enqueue(
            attendee_id,
            settings,
            reason=PrintReason.REPRINT,
            layout=layout,
            copies=copies,
            self_service=self_service,
        )

    def reprint_scanned(
        self,
        scanned: str,
        *,
        layout: str | None = None,
        copies: int = 1,
        self_service: bool = False,
    ) -> Enqueued:
        """`reprint` for whoever the scanned or typed code names, by the check-in's rules."""
        attendee = identify(self.store, self.desk.event, scanned).attendee
        if attendee is None:
            return Enqueued(EnqueueStatus.NOT_FOUND, reason="this code does not name anyone")
        return self.reprint(attendee.id, layout=layout, copies=copies, self_service=self_service)

    def _enqueue(
        self,
        attendee_id: str,
        settings: Settings,
        *,
        reason: PrintReason,
        layout: str | None = None,
        copies: int = 1,
        rehearsal: bool = False,
        self_service: bool = False,
    ) -> Enqueued:
        if not settings.print_queue:
            return Enqueued(
                EnqueueStatus.NO_PRINTER,
                reason="no printer is set up: kiosk config print.queue QUEUE",
            )
        if not 1 <= copies <= MAX_COPIES:
            raise InvalidInputError(f"copies: {copies} is not from 1 to {MAX_COPIES}")
        if layout is not None:
            self._check_layout(layout)  # staff asked for it: say at once what is wrong
        else:
            # The kiosk's own layout is checked when the job is sent: a wrong setting then
            # fails the job for staff to see, never the check-in that queued it.
            layout = settings.print_layout
        attendee = self.store.attendee(attendee_id)
        if attendee is None or not (attendee.first_name or attendee.last_name):
            return Enqueued(
                EnqueueStatus.NOT_FOUND, reason=f"no attendee {attendee_id} with a name here"
            )
        job, new = self.jobs.add(
            attendee_id,
            layout,
            now=self.wall(),
            copies=copies,
            reason=reason,
            station=self.desk.station,
            printer=settings.print_queue,
            rehearsal=rehearsal,
            self_service=self_service,
        )
        if new:
            return Enqueued(EnqueueStatus.QUEUED, job)
        return Enqueued(EnqueueStatus.ALREADY_QUEUED, job, "a badge for them is on its way")

    def _check_layout(self, layout: str) -> None:
        layouts = self.renderer.layouts()
        if layout not in layouts:
            raise InvalidInputError(
                f"layout: no badge layout {layout!r} (layouts: {', '.join(layouts)})"
            )

    # -- staff's view and actions ---------------------------------------------------------------

    def retry(self, job_id: int) -> PrintJob:
        """Send a failed (or waiting) job again now, with its attempts from zero."""
        job = self.jobs.retry(job_id, self.wall())
        if job is None:
            raise InvalidInputError(f"no print job {job_id}")
        return job

    def retry_failed(self) -> int:
        """`retry` every failed job; returns how many."""
        return self.jobs.retry_failed(self.wall())

    def status(self, *, limit: int = 20) -> QueueStatus:
        """The printer's state (asked of CUPS: call it off the GUI thread), jobs per state and
        the newest jobs.
        """
        queue = self.settings().print_queue
        return QueueStatus(
            queue=queue,
            printer=self.printer.status(queue) if queue else None,
            counts=self.jobs.counts(),
            jobs=tuple(self.jobs.jobs(limit=limit)),
        )

    def printers(self) -> list[PrinterStatus]:
        """Every printer queue the printing system has, for choosing `print.queue`."""
        return self.printer.queues()

    # -- the worker --------------------------------------------------------------------------------

    def process_queue(self) -> PrintStep:
        """One step of the print worker: journal the jobs the printer finished, then send the
        next due job, if the printer can take it. Talks to the printer: run it off the GUI
        thread. Never raises for a printer's trouble; `again_in` says when to step again.
        """
        settings = self.settings()
        queue = settings.print_queue
        finished = self._collect_finished()
        now = self.wall()
        if queue and self.jobs.counts().get(JobState.FAILED):
            self._printer_back(self.printer.status(queue), now)
        if not self.jobs.due(now, CLAIM_LEASE):
            again_in = self._again_in()
            idle = StepOutcome.IDLE if again_in is None else StepOutcome.WAITING
            return self._step(idle, finished=finished, again_in=again_in, pending=False)
        if not queue:
            return self._step(
                StepOutcome.NO_PRINTER,
                finished=finished,
                error="no printer is set up: kiosk config print.queue QUEUE",
                pending=False,
            )
        status = self.printer.status(queue)
        self._printer_back(status, now)
        if status.held:
            # Paper, a jam, power: staff must act, and the badge waits for them here, in our
            # queue, with no attempt used up (and nothing piling up in CUPS to print twice).
            return self._step(
                StepOutcome.HELD,
                finished=finished,
                printer=status,
                error=status.describe(),
                again_in=HELD_RECHECK_S,
                pending=False,
            )
        job = self.jobs.claim(now, CLAIM_LEASE)
        if job is None:  # another worker took it first
            return self._step(StepOutcome.WAITING, finished=finished, printer=status)
        if not status.ready:
            return self._failed(job, status.describe(), status, finished)
        try:
            pdf, page_mm = self._render(job)
        except PrintError as error:
            return self._failed(job, str(error), status, finished)
        try:
            cups_job = self.printer.submit(
                queue, pdf, page_mm=page_mm, title=f"kiosk badge {job.id}", copies=job.copies
            )
        except PrintError as error:
            if error.state in (PrinterState.STOPPED, PrinterState.REJECTING):
                self.jobs.release(job.id, str(error), self.wall())
                return self._step(
                    StepOutcome.HELD,
                    finished=finished,
                    printer=status,
                    error=str(error),
                    again_in=HELD_RECHECK_S,
                    pending=False,
                )
            return self._failed(job, str(error), status, finished)
        self.jobs.sent(job.id, cups_job, queue, self.wall())
        return self._step(
            StepOutcome.SENT, job=self.jobs.job(job.id), finished=finished, printer=status
        )

    def _render(self, job: PrintJob) -> tuple[bytes, tuple[float, float]]:
        """The job's badge PDF and page size; `PrintError` when it cannot be made."""
        if job.layout not in self.renderer.layouts():
            raise PrintError(f"no badge layout {job.layout!r}")
        attendee = self.store.attendee(job.attendee_id)
        if attendee is None:
            raise PrintError(f"attendee {job.attendee_id} is not known on this kiosk")
        try:
            pdf = self.renderer.render(self.store.event(), [attendee], job.layout)
            page_mm = self.renderer.page_size_mm(job.layout)
        except KioskError as error:
            raise PrintError(f"the badge could not be made: {error}") from error
        except Exception as error:
            # A renderer's bug must not stop the worker: the job fails (and is retried) with
            # the reason for staff, and the traceback goes to the log.
            logger.exception("badge of job %s could not be rendered", job.id)
            raise PrintError(f"the badge could not be made ({type(error).__name__})") from error
        return pdf, page_mm

    def _printer_back(self, status: PrinterStatus, now: datetime) -> None:
        """When the printer takes jobs again after it could not (unplugged, its queue gone,
        CUPS down), send again the badges that failed meanwhile: they print by themselves, not
        only when staff press Retry.
        """
        if status.ready and self._printer_was_ready is False:
            again = self.jobs.retry_failed(now)
            if again:
                logger.info(
                    "printer %s is back: %d failed badge(s) sent again", status.queue, again
                )
        self._printer_was_ready = status.ready

    def _failed(
        self,
        job: PrintJob,
        error: str,
        printer: PrinterStatus | None,
        finished: tuple[PrintJob, ...],
    ) -> PrintStep:
        now = self.wall()
        when = retry_at(job.attempts + 1, now, self.max_attempts)
        failed = self.jobs.attempt_failed(job.id, error, now, when)
        return self._step(
            StepOutcome.FAILED, job=failed, finished=finished, printer=printer, error=error
        )

    def _collect_finished(self) -> tuple[PrintJob, ...]:
        """Mark done, and journal, the jobs the printing system has finished."""
        by_printer: dict[str, list[PrintJob]] = {}
        for job in self.jobs.in_cups():
            by_printer.setdefault(job.printer, []).append(job)
        finished: list[PrintJob] = []
        for printer, sent in by_printer.items():
            try:
                still_open = self.printer.unfinished(printer)
            except PrintError as error:
                if error.state is PrinterState.NO_QUEUE:
                    # The queue was deleted with our jobs in it: they will not come out.
                    for lost in sent:
                        self._failed(lost, str(error), None, ())
                continue  # otherwise CUPS cannot tell now: look again next step
            for job in sent:
                if job.cups_job not in still_open and self._journal_done(job):
                    finished.append(self.jobs.job(job.id) or job)
        return tuple(finished)

    def _journal_done(self, job: PrintJob) -> bool:
        """Mark the job done and append its `print` journal entry, in one transaction."""
        at = self.desk.now()
        attendee = self.store.attendee(job.attendee_id)
        data: dict[str, Any] = {
            "layout": job.layout,
            "printer": job.printer,
            "job": job.cups_job,
            "reason": str(job.reason),
            "copies": job.copies,
        }
        if job.rehearsal:
            data["rehearsal"] = True
        if job.self_service:
            data["self_service"] = True
        entry = JournalEntry(
            uuid=new_entry_uuid(),
            kind=EntryKind.PRINT,
            station=job.station or self.desk.station,
            at=at,
            day=self.desk.event.day_of(at),
            attendee_id=job.attendee_id,
            code=attendee.code if attendee and attendee.code else None,
            data=data,
        )
        with self.store.transaction():
            current = self.jobs.job(job.id)
            if current is None or current.state is not JobState.PRINTING:
                return False  # another worker journalled it first
            self.jobs.done(job.id, self.wall())
            self.store.append(entry)
        return True

    def _step(
        self,
        outcome: StepOutcome,
        *,
        job: PrintJob | None = None,
        finished: tuple[PrintJob, ...] = (),
        printer: PrinterStatus | None = None,
        error: str = "",
        again_in: float | None = None,
        pending: bool = True,
    ) -> PrintStep:
        """The step's answer; with `pending`, `again_in` is the sooner of the one given and
        when the queue has work again.
        """
        if pending:
            waits = [w for w in (again_in, self._again_in()) if w is not None]
            again_in = min(waits) if waits else None
        return PrintStep(
            outcome, job=job, finished=finished, printer=printer, error=error, again_in=again_in
        )

    def _again_in(self) -> float | None:
        """Seconds until a step has work: soon while the printing system holds our jobs, at
        the next retry's time, or None when nothing is pending.
        """
        waits: list[float] = []
        if self.jobs.in_cups():
            waits.append(CONFIRM_S)
        due = self.jobs.next_at()
        if due is not None:
            waits.append(max((due - self.wall()).total_seconds(), 0.0))
        return min(waits) if waits else None

    def drain(
        self, timeout_s: float = 30.0, *, sleep: Callable[[float], None] = time.sleep
    ) -> list[PrintStep]:
        """Step until nothing is pending, an attempt failed, the printer needs staff, or
        `timeout_s` has passed (the command line's `kiosk print`; a screen steps with its task
        runner instead).
        """
        deadline = time.monotonic() + timeout_s
        steps: list[PrintStep] = []
        while True:
            step = self.process_queue()
            steps.append(step)
            if step.outcome in (StepOutcome.HELD, StepOutcome.NO_PRINTER, StepOutcome.FAILED):
                return steps  # staff must look; the worker's own steps go on retrying
            if step.again_in is None:
                return steps
            left = deadline - time.monotonic()
            if step.again_in > left:
                return steps
            sleep(step.again_in)
