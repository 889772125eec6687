"""The organiser's tools at a staff desk: imports with a preview, and the background sync."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.ports import Progress, RegistrationFile, Store
from kiosk.core.registrations import ImportReport
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.sync import SyncService


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
    ) -> None:
        self.store = store
        self.registrations = registrations
        self.station = station
        self.sync = sync

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
