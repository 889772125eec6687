"""The self-service screen's badge: printed on the task runner, watched until it is out, failed
or late.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.core.printing import JobState
from kiosk.ui.tasks import TaskRunner
from kiosk.workflows.attendee import AttendeeActions

# UX.md: a badge not out after 15 s is a failure: the attendee goes to staff, not waits.
PRINT_TIMEOUT_MS = 15_000
# How soon to look again when a step says nothing of its own (cups-pdf takes about 0.4 s).
STEP_MS = 250
logger = logging.getLogger(__name__)


class BadgeWatcher(QObject):
    """Prints one badge job of the screen's on the task runner, step by step, and says how it
    ended: `printed`, or `failed` (a failed job, a worker error, or `timeout_ms` gone by).
    `progressed(done, total)` follows the job: queued, sent, out.
    """

    printed = Signal()
    failed = Signal()
    progressed = Signal(int, int)

    def __init__(
        self,
        service: AttendeeActions,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        timeout_ms: int = PRINT_TIMEOUT_MS,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._job: int | None = None
        self._running = False
        self._deadline = QTimer(self, singleShot=True, interval=timeout_ms)
        self._deadline.timeout.connect(self._give_up)
        self._again = QTimer(self, singleShot=True)
        self._again.timeout.connect(self._step)

    @property
    def watching(self) -> bool:
        """True while a badge is on its way."""
        return self._job is not None

    def watch(self, job_id: int) -> None:
        """Print job `job_id` and follow it until it is out, failed or late."""
        self._job = job_id
        self._deadline.start()
        self.progressed.emit(1, 3)
        self._step()

    def stop(self) -> None:
        """Stop following the job (it stays in the print queue for staff)."""
        self._job = None
        self._deadline.stop()
        self._again.stop()

    def _step(self) -> None:
        if self._job is None or self._running:
            return
        self._running = True
        self._tasks.run(lambda _p: self._service.print_step(), done=self._stepped,
                        failed=self._step_failed)  # fmt: skip

    def _stepped(self, again_in: float | None) -> None:
        self._running = False
        if self._job is None:
            return
        try:
            state = self._service.badge_state(self._job)
        except Exception:
            logger.exception("could not read the badge's print job")
            state = None
        if state is JobState.DONE:
            self.stop()
            self.progressed.emit(3, 3)
            self.printed.emit()
        elif state is JobState.FAILED or state is None:
            self._fail()
        else:
            if state is JobState.PRINTING:
                self.progressed.emit(2, 3)
            wait = STEP_MS if again_in is None else max(STEP_MS, int(again_in * 1000))
            self._again.start(wait)

    def _step_failed(self, error: Exception) -> None:
        self._running = False
        logger.warning("self-service print step failed: %s", error)
        if self._job is not None:
            self._fail()

    def _give_up(self) -> None:
        if self._job is not None:
            logger.warning("badge job %s not out within the time limit", self._job)
            self._fail()

    def _fail(self) -> None:
        self.stop()
        self.failed.emit()
