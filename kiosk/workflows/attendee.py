"""The attendee's capability: what a self-service kiosk or a room door may do, and nothing more."""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from kiosk.core.checkin import CheckInResult, identify
from kiosk.core.model import Attendee, Event
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


class SelfService:
    """`AttendeeActions` on a station of the event: a staff desk's rules behind a narrow door."""

    def __init__(self, desk: StaffDesk) -> None:
        self.__desk = desk  # name-mangled: no screen reaches the staff actions through it

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
        result = self.__desk.check_in(scanned)
        if result.attendee is None:
            # The staff reason may name the people a mangled scan resembles: not for the public.
            return replace(result, reason=_NOBODY)
        return result

    def lookup(self, scanned: str) -> Attendee | None:
        """The person `scanned` names, without checking them in; None when it names nobody."""
        desk = self.__desk
        return identify(desk.store, desk.event, scanned).attendee
