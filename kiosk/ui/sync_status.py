"""Background sync for the desk, and the status-bar indicator that says how it is going."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from kiosk.core.model import Event
from kiosk.ui.tasks import TaskRunner
from kiosk.workflows.sync import SyncService, SyncStatus

MINUTE = 60
HOUR = 3600


class SyncScheduler(QObject):
    """Runs the sync service every `seconds` on a worker thread, one run at a time, and
    emits `updated` with each run's status on the GUI thread.
    """

    updated = Signal(object)

    def __init__(
        self,
        service: SyncService,
        tasks: TaskRunner,
        seconds: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self._tasks = tasks
        self._running = False
        self.last: SyncStatus | None = None
        self._timer = QTimer(self, interval=seconds * 1000)
        self._timer.timeout.connect(self.run_now)
        if service.enabled:
            self._timer.start()

    def run_now(self) -> None:
        """Start a run unless one is still going (a slow share must not pile runs up)."""
        if self._running or not self.service.enabled:
            return
        self._running = True
        self._tasks.run(lambda _progress: self.service.run_once(), done=self._done,
                        failed=self._failed)  # fmt: skip

    def _done(self, status: SyncStatus) -> None:
        self._running = False
        self.last = status
        self.updated.emit(status)

    def _failed(self, error: Exception) -> None:
        self._running = False
        self.updated.emit(error)

    def stop(self) -> None:
        """Stop running."""
        self._timer.stop()


def ago(then: datetime | None, now: datetime) -> str:
    """'12 s', '5 min', '2 h' since `then`; '?' when unknown."""
    if then is None:
        return "?"
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < MINUTE:
        return f"{seconds} s"
    if seconds < HOUR:
        return f"{seconds // MINUTE} min"
    return f"{seconds // HOUR} h"


class SyncIndicator(QLabel):
    """The sync's state in words (never colour alone): off, how many kiosks and how long ago
    the last was heard from, the last import, or what went wrong. A tap shows the details.
    """

    def __init__(self, event: Event, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setTextFormat(Qt.TextFormat.PlainText)  # station names are data, never markup
        self.kiosk_event = event
        self.status: SyncStatus | None = None
        self.error = ""
        self.show_off()

    def show_off(self) -> None:
        """No sync folder and no inbox are set."""
        self.setText(self.tr("Sync: off"))
        self.setToolTip(self.tr("Set sync.dir (and sync.inbox) with kiosk config."))

    def show_status(self, status: SyncStatus | Exception) -> None:
        """Show one run's outcome."""
        if isinstance(status, Exception):
            self.error = str(status)
            self.setText(self.tr("Sync ✕ failed"))
            self.setToolTip(self.error)
            return
        self.status = status
        self.error = status.journal_error or status.inbox_error
        others = [k for k in status.kiosks if not k.this_kiosk]
        if self.error:
            text = self.tr("Sync ✕ {error}").format(error=self.error[:60])
        else:
            newest = max((k.last_at for k in others if k.last_at), default=None)
            text = self.tr("Sync ✓ {count} other kiosks · last heard {ago} ago").format(
                count=len(others), ago=ago(newest, status.at)
            )
        if status.last_import:
            text += " · " + self.tr("last import {time}").format(
                time=self._time(status.last_import.get("finished_at"))
            )
        self.setText(text)
        self.setToolTip(self.details())

    def _time(self, text: object) -> str:
        try:
            return f"{self.kiosk_event.local(datetime.fromisoformat(str(text))):%H:%M}"
        except ValueError:
            return "?"

    def details(self) -> str:
        """Every kiosk heard from and when, the last import, and any error, one per line."""
        status = self.status
        if status is None:
            return self.error
        lines = [
            self.tr("{station} ({kiosk}{me}): {entries} entries, last {ago} ago").format(
                station=k.station or "?",
                kiosk=k.kiosk_id[:6],
                me=self.tr(", this kiosk") if k.this_kiosk else "",
                entries=k.entries,
                ago=ago(k.last_at, status.at),
            )
            for k in status.kiosks
        ]
        if status.last_import:
            lines.append(
                self.tr("Last import: {file} at {time}").format(
                    file=status.last_import.get("file", "?"),
                    time=self._time(status.last_import.get("finished_at")),
                )
            )
        if status.journal is not None:
            merged = status.journal.merged
            lines.append(
                self.tr("Last exchange: {sent} sent, {new} new, {known} known").format(
                    sent=status.journal.published, new=merged.added, known=merged.known
                )
            )
        if self.error:
            lines.append(self.error)
        return "\n".join(lines)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap shows the details, for staff without a mouse to hover with."""
        super().mouseReleaseEvent(event)
        QMessageBox.information(self.window(), self.tr("Sync"), self.details() or self.text())
