"""Today's arrivals per category, opened from the desk's counter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHeaderView, QTableWidgetItem, QVBoxLayout, QWidget

from kiosk.ui.theme import SIZE, fit_to_parent, named, read_only_table, touch_button
from kiosk.workflows.counts import CategoryCount

_NUMBERS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class CountsDialog(QDialog):
    """One row per category: arrived today, registered, and what share that is."""

    def __init__(self, counts: list[CategoryCount], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countsDialog")
        self.setWindowTitle(self.tr("Today by category"))
        headers = [self.tr("Category"), self.tr("Arrived"), self.tr("Registered")]
        self.table = named(
            read_only_table(headers, self, row_mm=SIZE.row, text_mm=SIZE.body_text * 1.3),
            "countsTable",
        )
        self.table.setRowCount(len(counts))
        # The category takes the room; the figures stay as wide as they need.
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for row, count in enumerate(counts):
            cells = (count.category or self.tr("(no category)"), str(count.arrived),
                     str(count.registered))  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # items show plain text: data never renders
                if column:
                    item.setTextAlignment(_NUMBERS)
                self.table.setItem(row, column, item)
        close = touch_button(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        fit_to_parent(self, parent, 0.45, 0.6)
