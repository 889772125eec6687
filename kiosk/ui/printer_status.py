"""The desk's print worker: badges printed off the GUI thread, and the printer's state in words."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.core.checkin import CheckInResult
from kiosk.ui.print_queue import PrintQueueDialog
from kiosk.ui.tasks import TaskRunner
from kiosk.workflows.printing import BadgePrinting, PrintStep, StepOutcome

# Jobs queued by another process (the CLI, a second desk on the file) are picked up this often.
POLL_MS = 5000
logger = logging.getLogger(__name__)


class PrinterIndicator(QLabel):
    """The printer's state in words (never colour alone); a tap opens the print queue."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printerIndicator")
        self.setTextFormat(Qt.TextFormat.PlainText)  # CUPS reasons are data, never markup
        self.worker: PrintWorker | None = None
        self.setText(self.tr("Printer: –"))

    def show_step(self, step: PrintStep) -> None:
        """Say what the last step found; an idle step leaves the last word standing."""
        texts = {
            StepOutcome.SENT: self.tr("Printer ✓ printing"),
            StepOutcome.HELD: self.tr("Printer ! stopped: {error}"),
            StepOutcome.FAILED: self.tr("Printer ✕ {error} (tap for the queue)"),
            StepOutcome.NO_PRINTER: self.tr("Printer: none set (print.queue)"),
        }
        if step.outcome in texts:
            self.setText(texts[step.outcome].format(error=step.error[:60]))
            self.setToolTip(step.error)
        elif step.finished:
            self.setText(self.tr("Printer ✓ ready"))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap opens the print queue: the jobs, with retry and reprint."""
        super().mouseReleaseEvent(event)
        if self.worker is not None:
            self.worker.open_queue(self.window())


class PrintWorker(QObject):
    """Queues a badge after a check-in (one short transaction on the GUI thread) and prints on
    the task runner, one step at a time, so a printer that is off, jammed or slow never holds
    up the next scan.
    """

    def __init__(
        self, printing: BadgePrinting, tasks: TaskRunner, indicator: PrinterIndicator
    ) -> None:
        super().__init__(indicator)
        self.printing = printing
        self._tasks = tasks
        self._indicator = indicator
        indicator.worker = self
        self._running = False
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self.kick)
        self._timer.start()

    def after_check_in(self, result: CheckInResult) -> None:
        """Queue the badge the station's print.auto setting asks for, then print it."""
        try:
            queued = self.printing.after_check_in(result)
        except Exception:
            # A print queue in trouble must never turn an answered check-in into a failure.
            logger.exception("could not queue a badge")
            return
        if queued is not None:
            self.kick()

    def open_queue(self, parent: QWidget | None = None) -> PrintQueueDialog:
        """The print queue dialog; what staff do there is printed at once."""
        dialog = PrintQueueDialog(self.printing, self._tasks, after=self.kick, parent=parent)
        dialog.show()
        return dialog

    def retry_failed(self) -> None:
        """Send every failed job again, on the task runner."""
        self._tasks.run(lambda _p: self.printing.retry_failed(), done=lambda _n: self.kick(),
                        failed=self._failed)  # fmt: skip

    def kick(self) -> None:
        """Run a step now, unless one is running."""
        if self._running:
            return
        self._running = True
        self._tasks.run(lambda _p: self.printing.process_queue(), done=self._stepped,
                        failed=self._failed)  # fmt: skip

    def _stepped(self, step: PrintStep) -> None:
        self._running = False
        self._indicator.show_step(step)
        if step.again_in is not None:
            QTimer.singleShot(int(step.again_in * 1000), self.kick)

    def _failed(self, error: Exception) -> None:
        self._running = False
        logger.warning("print step failed: %s", error)
