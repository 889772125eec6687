"""Today's arrivals per category, opened from the desk's counter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import SIZE, fit_to_parent, named, touch_button
from kiosk.workflows.counts import CategoryCount

_NUMBERS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class CountsDialog(QDialog):
    """One row per category: arrived today, registered, and what share that is."""

    def __init__(self, counts: list[CategoryCount], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("countsDialog")
        self.setWindowTitle(self.tr("Today by category"))
        self.table = named(QTableWidget(len(counts), 3), "countsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Category"), self.tr("Arrived"), self.tr("Registered")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(mm_to_px(SIZE.row, self.screen()))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setFont(font_with_cap_height(SIZE.body_text * 1.3, screen=self.screen()))
        for row, count in enumerate(counts):
            cells = (count.category or self.tr("(no category)"), str(count.arrived),
                     str(count.registered))  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # items show plain text: data never renders
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        close = touch_button(self.tr("Close"), self)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        fit_to_parent(self, parent, 0.45, 0.6)
