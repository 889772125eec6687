"""The status bar's word on a storage fault (a full disk, a read-only or busy database)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from kiosk.core.errors import DatabaseBusyError, DiskFullError, ReadOnlyError, StorageError


class FaultIndicator(QLabel):
    """Hidden while the database saves; after a failed save it says why in words (never colour
    alone), with the full message as its tooltip and on a tap, until the next save succeeds.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("faultIndicator")
        self.setTextFormat(Qt.TextFormat.PlainText)  # the message names a path: data
        self.setVisible(False)

    def reason(self, error: Exception) -> str:
        """What is wrong and what staff do, in one short line for the result card."""
        if isinstance(error, DiskFullError):
            return self.tr("The disk is full: free space on it.")
        if isinstance(error, ReadOnlyError):
            return self.tr("The database is read-only: make it writable.")
        if isinstance(error, DatabaseBusyError):
            return self.tr("Another program holds the database: wait, or close it.")
        return self.tr("The database could not be written.")

    def show_fault(self, error: Exception) -> None:
        """Say that saving failed, and the kind of fault when it is known."""
        if isinstance(error, DiskFullError):
            text = self.tr("⚠ Disk full: not saving")
        elif isinstance(error, ReadOnlyError):
            text = self.tr("⚠ Database read-only: not saving")
        elif isinstance(error, DatabaseBusyError):
            text = self.tr("⚠ Database busy: not saving")
        elif isinstance(error, StorageError):
            text = self.tr("⚠ Database error: not saving")
        else:
            text = self.tr("⚠ Not saving")
        self.setText(text)
        self.setToolTip(str(error))
        self.setVisible(True)

    def clear_fault(self) -> None:
        """A save succeeded: the fault has cleared."""
        if self.isVisible():
            self.setVisible(False)
            self.setText("")
            self.setToolTip("")

    @property
    def faulty(self) -> bool:
        """True while the last save failed."""
        return self.isVisible()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap shows the whole message, for staff without a mouse to hover with."""
        super().mouseReleaseEvent(event)
        QMessageBox.warning(self.window(), self.text(), self.toolTip())
