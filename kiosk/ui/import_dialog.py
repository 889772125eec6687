"""The import dialog: pick an export, see its mapping, changes and row errors, then import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.registrations import ImportReport
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, fit_to_parent, named, read_only_table, touch_button
from kiosk.workflows.organiser import OrganiserTools

# Changes listed in the preview; the counts above it say how many there are in all.
SHOWN_CHANGES = 500
EXPORT_FILTER = "Registration exports (*.csv *.txt *.xlsx *.json);;All files (*)"


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            table.setItem(row, column, item)


class ImportDialog(QDialog):
    """Preview first (nothing written), then import with a progress bar; the row errors stay
    listed with their row and field.
    """

    def __init__(
        self, tools: OrganiserTools, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import registrations"))
        self.tools = tools
        self.tasks = tasks
        self.path: Path | None = None
        self.preview: ImportReport | None = None
        self.imported: ImportReport | None = None
        font = font_with_cap_height(SIZE.body_text, screen=self.screen())
        self.setFont(font)
        self.file_label = named(QLabel(self.tr("No file chosen.")), "importFile")
        self.summary = named(QLabel(), "importSummary")
        self.summary.setWordWrap(True)
        # File names and errors are data, never markup.
        for label in (self.file_label, self.summary):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setFont(font)
        self.summary.setFont(font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen()))
        self.mapping = read_only_table([self.tr("Field"), self.tr("Column in the file")], self)
        self.changes = read_only_table([self.tr("Change"), self.tr("Name"), self.tr("Code")], self)
        self.errors = read_only_table([self.tr("Row"), self.tr("Field"), self.tr("Problem")], self)
        for table in (self.mapping, self.changes, self.errors):
            # Rows sized for a finger, as the desk's own list.
            table.verticalHeader().setDefaultSectionSize(mm_to_px(SIZE.row, self.screen()))
            table.setFont(font)
            table.horizontalHeader().setFont(
                font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen())
            )
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.choose_button = touch_button(self.tr("Choose file…"), self)
        self.import_button = touch_button(self.tr("Import"), self)
        self.close_button = touch_button(self.tr("Close"), self)
        self.import_button.setEnabled(False)
        self.choose_button.clicked.connect(self.choose)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self._lay_out()
        # Most of the desk's window: the three tables want the room.
        fit_to_parent(self, parent, 0.8, 0.8)

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        tables = QHBoxLayout()
        for title, table, stretch in (
            (self.tr("Columns"), self.mapping, 2),
            (self.tr("Changes"), self.changes, 3),
            (self.tr("Row errors"), self.errors, 3),
        ):
            column = QVBoxLayout()
            heading = QLabel(title)
            heading.setFont(font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen()))
            column.addWidget(heading)
            column.addWidget(table, 1)
            tables.addLayout(column, stretch)
        layout.addLayout(tables, 1)
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    def choose(self) -> None:
        """Ask for the export file, then preview it."""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Registration export"), "", EXPORT_FILTER
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Preview `path` on a worker thread: its format, mapping, changes and row errors."""
        self.path = path
        self.preview = None
        self.import_button.setEnabled(False)
        self.file_label.setText(str(path))
        self.summary.setText(self.tr("Reading the file…"))
        self.tasks.run(lambda _progress: self.tools.preview_import(path),
                       done=self._previewed, failed=self._failed)  # fmt: skip

    def _previewed(self, report: ImportReport) -> None:
        self.preview = report
        self._show(report)
        self.import_button.setEnabled(bool(report.changes))
        if not report.changes:
            self.summary.setText(self.summary.text() + " " + self.tr("Nothing to import."))

    def _show(self, report: ImportReport) -> None:
        would = report.dry_run
        self.summary.setText(
            (
                self.tr("{format}: {added} to add, {updated} to update, {cancelled} to cancel, {unchanged} unchanged, {errors} row errors.")  # noqa: E501
                if would
                else self.tr("{format}: {added} added, {updated} updated, {cancelled} cancelled, {unchanged} unchanged, {errors} row errors.")  # noqa: E501
            ).format(
                format=report.format,
                added=report.added,
                updated=report.updated,
                cancelled=report.cancelled,
                unchanged=report.unchanged,
                errors=len(report.errors),
            )
        )  # fmt: skip
        _fill(self.mapping, [[ours, theirs] for ours, theirs in report.mapping.items()])
        _fill(
            self.changes,
            [
                [self._change(change.change), change.attendee.full_name, change.attendee.code]
                for change in report.changes[:SHOWN_CHANGES]
            ],
        )
        _fill(self.errors, [[str(e.row), e.field, e.message] for e in report.errors])

    def _change(self, change: str) -> str:
        words = {
            "added": self.tr("add"),
            "updated": self.tr("update"),
            "cancelled": self.tr("cancel"),
        }
        return words.get(change, change)

    def start_import(self) -> None:
        """Import the previewed file on a worker thread, with progress."""
        if self.path is None or self.preview is None:
            return
        path = self.path
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.summary.setText(self.tr("Importing…"))
        self.tasks.run(lambda progress: self.tools.run_import(path, progress),
                       done=self._imported, failed=self._failed,
                       progress=self._progressed)  # fmt: skip

    def _progressed(self, done: int, total: int, _what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _imported(self, report: ImportReport) -> None:
        self.imported = report
        self.progress.setVisible(False)
        self.choose_button.setEnabled(True)
        self._show(report)
        self.summary.setText(self.tr("Imported.") + " " + self.summary.text())

    def _failed(self, error: Exception) -> None:
        self.progress.setVisible(False)
        self.choose_button.setEnabled(True)
        self.summary.setText(self.tr("Not imported: {error}").format(error=str(error)))
