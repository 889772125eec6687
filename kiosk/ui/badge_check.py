"""The organiser's badge check: every name the font cannot print or that is too long to read."""

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

from kiosk.ui.sizing import font_with_cap_height
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, fit_to_parent, named, read_only_table, touch_button
from kiosk.workflows.badges import BadgeCheck
from kiosk.workflows.organiser import OrganiserTools


class BadgeCheckDialog(QDialog):
    """Runs the badge check on a worker and lists what to fix, one row per text."""

    def __init__(
        self, tools: OrganiserTools, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("badgeCheck")
        self.setWindowTitle(self.tr("Badge check"))
        self.summary = named(QLabel(self.tr("Checking every badge…")), "badgeCheckSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setFont(font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen()))
        self.table = read_only_table(
            [self.tr("Name"), self.tr("Text"), self.tr("Problem")],
            self,
            row_mm=SIZE.row,
            text_mm=SIZE.body_text,
        )
        close = touch_button(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        fit_to_parent(self, parent, 0.7, 0.7)
        self.check: BadgeCheck | None = None
        tasks.run(tools.check_badges, done=self._checked, failed=self._failed)

    def _checked(self, check: BadgeCheck) -> None:
        self.check = check
        if check.ok:
            self.summary.setText(
                self.tr("{count} badges checked: every letter prints at a readable size.").format(
                    count=check.checked
                )
            )
        else:
            self.summary.setText(
                self.tr("{count} badges checked: {issues} texts to fix.").format(
                    count=check.checked, issues=len(check.issues)
                )
            )
        self.table.setRowCount(len(check.issues))
        for row, issue in enumerate(check.issues):
            for column, value in enumerate(
                (issue.attendee.full_name, issue.text, issue.describe())
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)

    def _failed(self, error: Exception) -> None:
        self.summary.setText(self.tr("The check failed: {error}").format(error=error))
