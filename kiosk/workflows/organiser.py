"""The organiser's tools at a staff desk: imports with a preview, and the background sync."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kiosk.core.clock import Clock, system_clock
from kiosk.core.errors import KioskError
from kiosk.core.ports import BadgeRenderer, Progress, RegistrationFile, Store
from kiosk.core.registrations import ImportReport
from kiosk.core.schedule import Session, sessions_of_day
from kiosk.workflows.badges import BadgeCheck, BadgeInspector, check_badges
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.schedule import (
    ScheduleChangeResult,
    SessionStore,
    cancel_session,
    current_schedule,
    delay_room,
    mark_full,
    move_session,
    retitle_session,
)
from kiosk.workflows.sync import SyncService


class PageRaster(Protocol):
    """Pictures of PDF pages, for a preview on screen."""

    def page_png(self, pdf: bytes, page: int = 0, dpi: float = 110) -> bytes:
        """Page `page` of `pdf` as PNG bytes."""
        ...


class BadgeTools(BadgeRenderer, BadgeInspector, Protocol):
    """Badges to render and to check: what the desk's organiser view needs."""


class OrganiserTools:
    """Import a registration export after a look at what it would change; keep the kiosks in
    step. The desk window calls these from its worker threads.
    """

    def __init__(
        self,
        store: Store,
        registrations: RegistrationFile,
        *,
        station: str = "",
        sync: SyncService | None = None,
        badges: BadgeTools | None = None,
        raster: PageRaster | None = None,
        badge_layout: str = "a6",
        schedules: SessionStore | None = None,
        clock: Clock = system_clock,
    ) -> None:
        self.store = store
        self.registrations = registrations
        self.station = station
        self.sync = sync
        self.badges = badges
        self.raster = raster
        self.badge_layout = badge_layout
        self.schedules = schedules
        self.clock = clock

    def sessions_today(self) -> list[Session]:
        """Today's sessions (the desk's day), on-site changes applied, by start then room."""
        if self.schedules is None:
            return []
        event = self.store.event()
        return sessions_of_day(current_schedule(self.schedules), event, event.day_of(self.clock()))

    def change_schedule(self, change: str, *args: str | int) -> ScheduleChangeResult:
        """An on-site change made at the desk: ("delay", ROOM, MINUTES) from now on, ("cancel",
        KEY), ("restore", KEY), ("full", KEY), ("seats", KEY), ("move", KEY, ROOM) or ("title", KEY,
        TEXT); a journal entry
        every kiosk applies.
        """
        if self.schedules is None:
            raise KioskError("this desk has no schedule")
        now, store, schedules, station = self.clock(), self.store, self.schedules, self.station
        if change == "delay":
            room, minutes = args
            return delay_room(
                store, schedules, str(room), int(minutes), since=now, at=now, station=station
            )
        if change in ("cancel", "restore"):
            return cancel_session(
                store, schedules, str(args[0]), cancelled=change == "cancel", at=now,
                station=station,
            )  # fmt: skip
        if change in ("full", "seats"):
            return mark_full(
                store, schedules, str(args[0]), full=change == "full", at=now, station=station
            )
        if change == "move":
            return move_session(
                store, schedules, str(args[0]), str(args[1]), at=now, station=station
            )
        if change == "title":
            return retitle_session(
                store, schedules, str(args[0]), str(args[1]), at=now, station=station
            )
        raise KioskError(f"no such schedule change: {change}")

    def check_badges(self, progress: Progress | None = None) -> BadgeCheck:
        """Every attendee's badge text in this desk's layout: each letter the font lacks and
        each text too long to read, to fix before the event.
        """
        if self.badges is None:
            raise KioskError("this desk has no badge layouts to check")
        return check_badges(self.store, self.badges, self.badge_layout, progress=progress)

    def badge_preview(self, attendee_id: str) -> bytes:
        """The attendee's badge as it will print (the real PDF page), as a PNG picture."""
        if self.badges is None or self.raster is None:
            raise KioskError("this desk has no badge layouts to preview")
        attendee = self.store.attendee(attendee_id)
        if attendee is None:
            raise KioskError(f"no attendee {attendee_id} here yet")
        pdf = self.badges.render(self.store.event(), [attendee], self.badge_layout)
        return self.raster.page_png(pdf)

    @property
    def formats(self) -> tuple[str, ...]:
        """The export formats that can be named; others are recognised from the content."""
        return tuple(getattr(self.registrations, "formats", ()))

    def preview_import(self, path: Path, format_name: str | None = None) -> ImportReport:
        """What importing `path` would change, its column mapping and its row errors; nothing
        is written.
        """
        return import_registrations(
            self.store, self.registrations, path, format_name=format_name, dry_run=True
        )

    def run_import(
        self, path: Path, progress: Progress | None = None, format_name: str | None = None
    ) -> ImportReport:
        """Import `path` for real, reporting each step to `progress`."""
        return import_registrations(
            self.store,
            self.registrations,
            path,
            format_name=format_name,
            station=self.station,
            progress=progress,
        )
