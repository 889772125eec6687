"""Unexpected errors in a window: logged with their traceback, a calm message, the window lives."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from kiosk.ui.theme import touch_button

logger = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class FailureReporter(QObject):
    """Catches what no slot caught (Qt hands it to `sys.excepthook`): the traceback goes to
    the log, staff see a short message with no traceback, and the window stays as it was,
    in the same mode, ready for the next scan.
    """

    # Raised from whichever thread failed; the message is made on the window's (GUI) thread.
    failed = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.failed.connect(self.show_message)
        self.window = window
        self.message: QMessageBox | None = None
        self.ok_button: QPushButton | None = None
        self.reported = 0
        self._previous: ExceptHook | None = None

    def install(self) -> FailureReporter:
        """Become `sys.excepthook` until `uninstall` (or the window goes)."""
        self._previous = sys.excepthook
        sys.excepthook = self.report
        self.window.destroyed.connect(self.uninstall)
        return self

    def uninstall(self) -> None:
        """Give `sys.excepthook` back."""
        if self._previous is not None and sys.excepthook == self.report:
            sys.excepthook = self._previous
        self._previous = None

    def report(
        self,
        kind: type[BaseException],
        error: BaseException,
        traceback: TracebackType | None,
    ) -> None:
        """Log the error with its traceback and say so, once, until staff dismiss it."""
        if issubclass(kind, KeyboardInterrupt) and self._previous is not None:
            self._previous(kind, error, traceback)  # Ctrl+C in a terminal still stops it
            return
        logger.error("unexpected error in the window", exc_info=(kind, error, traceback))
        self.reported += 1
        self.failed.emit()

    def show_message(self) -> None:
        """The message, unless it is already up: a burst of errors is one message."""
        if self.message is not None and self.message.isVisible():
            return
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Something went wrong"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            self.tr(
                "Something went wrong on this screen. What was already saved is safe, and the kiosk carries on: try again, or check the person in on paper."  # noqa: E501
            )
        )
        box.setInformativeText(self.tr("The details are in the kiosk's log for the organisers."))
        # Kept: PySide6 deletes a button added to a message box once Python drops it.
        self.ok_button = touch_button(self.tr("OK"), self.window)
        box.addButton(self.ok_button, QMessageBox.ButtonRole.AcceptRole)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()  # never exec(): the window's timers and the scanner keep running
        self.message = box
