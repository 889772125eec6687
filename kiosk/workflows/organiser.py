"""The organiser's tools at a staff desk: imports with a preview, and the background sync."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from kiosk.core.errors import KioskError
from kiosk.core.ports import BadgeRenderer, Progress, RegistrationFile, Store
from kiosk.core.registrations import ImportReport
from kiosk.workflows.badges import BadgeCheck, BadgeInspector, check_badges
from kiosk.workflows.registration import import_registrations
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
    ) -> None:
        self.store = store
        self.registrations = registrations
        self.station = station
        self.sync = sync
        self.badges = badges
        self.raster = raster
        self.badge_layout = badge_layout

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
