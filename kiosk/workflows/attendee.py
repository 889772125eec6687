"""The attendee's capability: what a self-service kiosk or a room door may do, and nothing more."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from kiosk.core.checkin import CheckInResult, identify
from kiosk.core.model import Attendee, Event
from kiosk.core.printing import JobState
from kiosk.workflows.printing import BadgePrinting, Enqueued
from kiosk.workflows.staff import StaffDesk

# What an attendee-facing screen says when a scan names nobody: never whose codes it resembles.
_NOBODY = "this code does not admit anyone"


class AttendeeActions(Protocol):
    """What an attendee-facing screen may do: check in the person whose code was scanned and
    read that person's own data. No search, no list, no undo, no walk-in: a screen typed with
    this protocol cannot call them, and the type checker says so.
    """

    @property
    def event(self) -> Event:
        """The event, for its name and days."""
        ...

    def check_in(self, scanned: str) -> CheckInResult:
        """Check in whoever `scanned` names, now, by the same rules as the staff desk."""
        ...

    def lookup(self, scanned: str) -> Attendee | None:
        """The person `scanned` names, without checking them in; None when it names nobody."""
        ...

    def print_badge(self) -> Enqueued | None:
        """Queue the badge of the person the last `check_in` admitted, once, as the station's
        `print.auto` rule says; None when it prints nothing.
        """
        ...

    def print_step(self) -> float | None:
        """One step of the print worker (talks to the printer: off the GUI thread); seconds
        until the next step has work, None when nothing is pending.
        """
        ...

    def badge_state(self, job_id: int) -> JobState | None:
        """Where a badge this screen queued is; None for any other job."""
        ...


class SelfService:
    """`AttendeeActions` on a station of the event: a staff desk's rules behind a narrow door."""

    def __init__(self, desk: StaffDesk, printing: BadgePrinting | None = None) -> None:
        self.__desk = desk  # name-mangled: no screen reaches the staff actions through it
        self.__printing = printing  # so is the printing: it holds a desk too
        self.__admitted: CheckInResult | None = None  # whose badge `print_badge` may queue
        self.__jobs: set[int] = set()  # the badges this screen queued

    @property
    def event(self) -> Event:
        """The event, for its name and days."""
        return self.__desk.event

    @property
    def station(self) -> str:
        """The station's name."""
        return self.__desk.station

    def check_in(self, scanned: str) -> CheckInResult:
        """Check in whoever `scanned` names, now; a scan that names nobody says only that."""
        self.__admitted = None
        result = self.__desk.check_in(scanned)
        if result.admitted and not result.repeat:
            self.__admitted = result
        if result.attendee is None:
            # The staff reason may name the people a mangled scan resembles: not for the public.
            return replace(result, reason=_NOBODY)
        return result

    def lookup(self, scanned: str) -> Attendee | None:
        """The person `scanned` names, without checking them in; None when it names nobody."""
        desk = self.__desk
        return identify(desk.store, desk.event, scanned).attendee

    def print_badge(self) -> Enqueued | None:
        """Queue the badge of the person the last `check_in` admitted, once, as the station's
        `print.auto` rule says (a first check-in of the event prints, a later one does not);
        None when it prints nothing. A rescan is never a new badge: it is not admitted anew.
        """
        admitted, self.__admitted = self.__admitted, None
        if admitted is None or self.__printing is None:
            return None
        queued = self.__printing.after_check_in(admitted)
        if queued is not None and queued.job is not None:
            self.__jobs.add(queued.job.id)
        return queued

    def print_step(self) -> float | None:
        """One step of the print worker (talks to the printer: off the GUI thread); seconds
        until the next step has work, None when nothing is pending.
        """
        if self.__printing is None:
            return None
        return self.__printing.process_queue().again_in

    def badge_state(self, job_id: int) -> JobState | None:
        """Where a badge this screen queued is; None for any other job."""
        if self.__printing is None or job_id not in self.__jobs:
            return None
        job = self.__printing.jobs.job(job_id)
        return job.state if job is not None else None
