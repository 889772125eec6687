"""The badge preview: the real PDF page of an attendee's badge, and "print again"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.model import Attendee
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, named
from kiosk.workflows.organiser import OrganiserTools
from kiosk.workflows.printing import BadgePrinting


class BadgePreviewDialog(QDialog):
    """Shows the badge as it will print (rendered on a worker thread from the real PDF) and
    queues a reprint; a badge whose name changed since it was printed says so.
    """

    def __init__(
        self,
        attendee: Attendee,
        tools: OrganiserTools,
        tasks: TaskRunner,
        printing: BadgePrinting | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("badgePreview")
        self.setWindowTitle(self.tr("Badge of {name}").format(name=attendee.full_name))
        self.attendee = attendee
        self.printing = printing
        self.picture = named(QLabel(self.tr("Drawing the badge…")), "badgePicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = named(QLabel(), "badgeStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        font = font_with_cap_height(SIZE.body_text, screen=self.screen())
        for label in (self.picture, self.status):
            label.setFont(font)
        if attendee.reprint:
            self.status.setText(self.tr("Reprint needed: the name or organisation changed."))
        self.print_button = QPushButton(self.tr("Print again"))
        self.print_button.setEnabled(printing is not None)
        self.close_button = QPushButton(self.tr("Close"))
        for button in (self.print_button, self.close_button):
            button.setMinimumHeight(mm_to_px(SIZE.touch, self.screen()))
            button.setFont(font_with_cap_height(SIZE.button_text, bold=True, screen=self.screen()))
        self.print_button.clicked.connect(self.print_again)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.shown: QImage | None = None
        tasks.run(lambda _progress: tools.badge_preview(attendee.id), done=self._drawn,
                  failed=self._failed)  # fmt: skip

    def _drawn(self, png: bytes) -> None:
        image = QImage.fromData(png)  # PNG, told by its header
        self.shown = image
        self.picture.setPixmap(QPixmap.fromImage(image))

    def _failed(self, error: Exception) -> None:
        self.picture.setText(self.tr("The badge cannot be shown: {error}").format(error=error))

    def print_again(self) -> None:
        """Queue the badge for printing again (the desk's print worker sends it)."""
        if self.printing is None:
            return
        queued = self.printing.reprint(self.attendee.id)
        self.status.setText(
            self.tr("Sent to the printer.")
            if queued.queued
            else self.tr("Not sent: {reason}").format(reason=queued.reason)
        )
