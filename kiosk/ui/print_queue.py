"""The print queue at the desk: the printer's state and the jobs, with retry and reprint."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.printing import JobState, PrintJob
from kiosk.ui.sizing import font_with_cap_height
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, fit_to_parent, named, read_only_table, touch_button
from kiosk.workflows.printing import BadgePrinting, QueueStatus


class PrintQueueDialog(QDialog):
    """The newest jobs with their state and error; staff retry a failed job or print a badge
    again. Asking CUPS for the printer's state runs on a worker.
    """

    def __init__(
        self,
        printing: BadgePrinting,
        tasks: TaskRunner,
        after: object = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printQueue")
        self.setWindowTitle(self.tr("Print queue"))
        self.printing = printing
        self.tasks = tasks
        self._after = after
        self.status: QueueStatus | None = None
        self.printer_label = named(QLabel(self.tr("Asking the printer…")), "printQueueState")
        self.printer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.printer_label.setFont(
            font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen())
        )
        self.table = read_only_table(
            [self.tr("Job"), self.tr("Attendee"), self.tr("State"), self.tr("Problem")],
            self,
            row_mm=SIZE.row,
            text_mm=SIZE.body_text,
            select_rows=True,
        )
        self.retry_button = touch_button(self.tr("Retry"), self)
        self.reprint_button = touch_button(self.tr("Print again"), self)
        self.retry_all_button = touch_button(self.tr("Retry all failed"), self)
        close = touch_button(self.tr("Close"), self)
        self.retry_button.clicked.connect(self.retry_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.retry_all_button.clicked.connect(self.retry_all)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.printer_label)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        for button in (self.retry_button, self.reprint_button, self.retry_all_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        fit_to_parent(self, parent, 0.7, 0.7)
        self.refresh()

    def refresh(self) -> None:
        """Read the queue and the printer's state again, on a worker."""
        self.tasks.run(lambda _progress: self.printing.status(), done=self._show,
                       failed=self._failed)  # fmt: skip

    def _show(self, status: QueueStatus) -> None:
        self.status = status
        printer = status.printer.describe() if status.printer else self.tr("No printer set")
        counts = ", ".join(f"{count} {state}" for state, count in status.counts.items())
        self.printer_label.setText(f"{printer} · {counts}" if counts else printer)
        self.table.setRowCount(len(status.jobs))
        for row, job in enumerate(status.jobs):
            attendee = self.printing.desk.store.attendee(job.attendee_id)
            name = attendee.full_name if attendee else job.attendee_id
            for column, value in enumerate((str(job.id), name, str(job.state), job.last_error)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)

    def _failed(self, error: Exception) -> None:
        self.printer_label.setText(self.tr("The queue cannot be read: {error}").format(error=error))

    def selected(self) -> PrintJob | None:
        """The job of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.status is None:
            return None
        return self.status.jobs[rows[0].row()]

    def retry_selected(self) -> None:
        """Send the selected job again, attempts from zero."""
        job = self.selected()
        if job is not None and job.state is not JobState.DONE:
            self.printing.retry(job.id)
            self._changed()

    def reprint_selected(self) -> None:
        """Print the selected job's badge once more."""
        job = self.selected()
        if job is not None:
            self.printing.reprint(job.attendee_id, layout=job.layout)
            self._changed()

    def retry_all(self) -> None:
        """Send every failed job again."""
        self.printing.retry_failed()
        self._changed()

    def _changed(self) -> None:
        if callable(self._after):
            self._after()
        self.refresh()
