"""The change feed as one Qt signal: every screen hears what any process or kiosk changed."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.core.errors import KioskError
from kiosk.core.journal import Changes
from kiosk.core.ports import ChangeSource

# Four looks a second: a change made anywhere shows within a second, and a look that finds
# nothing costs one PRAGMA.
POLL_MS = 250
logger = logging.getLogger(__name__)


class ChangeWatcher(QObject):
    """Polls a change source on the GUI thread and emits `changed` with what changed."""

    changed = Signal(Changes)

    def __init__(
        self, source: ChangeSource, parent: QObject | None = None, *, interval_ms: int = POLL_MS
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        self._failing = False

    def poll(self) -> None:
        """Look now, and emit `changed` when something changed."""
        try:
            changes = self._source.poll()
        except KioskError:
            # A locked or vanished file must not stop the screen; say it once, keep looking.
            if not self._failing:
                logger.exception("the change feed cannot read the database")
            self._failing = True
            return
        self._failing = False
        if changes:
            self.changed.emit(changes)

    def stop(self) -> None:
        """Stop looking."""
        self._timer.stop()
