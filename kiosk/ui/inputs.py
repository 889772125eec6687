"""The desk's inputs: the search-and-scan field, the focus keeper, the results list."""

from __future__ import annotations

import time

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScroller,
    QTableView,
    QTextEdit,
    QWidget,
)

from kiosk.core.keystrokes import KeyBurst
from kiosk.ui.models import (
    COL_CATEGORY,
    COL_NAME,
    COL_ORGANISATION,
    COL_TODAY,
    AttendeeTableModel,
)
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import SIZE


class SearchField(QLineEdit):
    """The one field for names and scans: Enter (or a scanner's Tab) submits, ↑ ↓ pick.

    A USB scanner's burst (keys a few milliseconds apart, ended by Enter or Tab) is told from a
    person typing: it comes out as `scanned` with the burst's text alone, and the field gets
    back what the person had typed before it, so a scan in the middle of a search is a scan.
    """

    submitted = Signal()
    scanned = Signal(str)
    stepped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._burst = KeyBurst()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter submits, ↑ ↓ move through the results, Escape empties the field."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._end_of_input()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._burst.other_key()
            self.stepped.emit(-1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Escape:
            self._burst.reset()
            self.clear()
        else:
            if event.text() and event.text().isprintable():
                self._burst.key(event.text(), time.monotonic())
            else:
                self._burst.other_key()
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        """Some scanners end a code with Tab: with text typed, Tab submits instead of moving on."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and self.text().strip()
        ):
            self._end_of_input()
            return True
        return super().event(event)

    def _end_of_input(self) -> None:
        burst = self._burst.end(time.monotonic())
        text = self.text()
        if burst is not None and text.endswith(burst):
            self.setText(text[: len(text) - len(burst)])  # what the person had typed stays
            self.scanned.emit(burst)
        else:
            self.submitted.emit()


_TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


class FocusKeeper(QObject):
    """Sends what is typed anywhere in `window` to `field`, so a wedge scanner always lands.

    Installed on the application, because key presses go to whichever child has focus.
    """

    def __init__(self, window: QWidget, field: QLineEdit) -> None:
        super().__init__(window)
        self._window = window
        self._field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Move focus to the field and hand it the key, for typing outside text inputs."""
        if (
            event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
            or not isinstance(watched, QWidget)
            or watched is self._field
            or isinstance(watched, _TEXT_INPUTS)
            or watched.window() is not self._window
            or not _is_typing(event)
        ):
            return False
        self._field.setFocus(Qt.FocusReason.OtherFocusReason)
        copy = QKeyEvent(
            QEvent.Type.KeyPress,
            event.key(),
            event.modifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )
        QCoreApplication.sendEvent(self._field, copy)
        return True


def _is_typing(event: QKeyEvent) -> bool:
    """A printable character that is not a shortcut (Alt alone, Meta) and not a space."""
    text = event.text()
    modifiers = event.modifiers()
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    if modifiers & Qt.KeyboardModifier.MetaModifier or (alt and not control):
        return False
    return bool(text) and text.isprintable() and not text.isspace()


class ResultsView(QTableView):
    """Search results sized for fingers; it never takes focus from the field."""

    def __init__(self, model: AttendeeTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        # Style-sheeted widgets do not inherit the window's font: set it on each.
        font = font_with_cap_height(SIZE.body_text, screen=self.screen())
        self.setFont(font)
        self.horizontalHeader().setFont(
            font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen())
        )
        self.setModel(model)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(mm_to_px(SIZE.row, self.screen()))
        rows.setDefaultSectionSize(mm_to_px(SIZE.row, self.screen()))
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumHeight(mm_to_px(SIZE.row * 0.8, self.screen()))
        # Names and organisations share what is left and are cut short with "…" (the tooltip
        # has them whole): one very long name must not push the other columns off the list.
        for column, mode in (
            (COL_NAME, QHeaderView.ResizeMode.Stretch),
            (COL_ORGANISATION, QHeaderView.ResizeMode.Stretch),
            (COL_CATEGORY, QHeaderView.ResizeMode.ResizeToContents),
            (COL_TODAY, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(column, mode)
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.TouchGesture)

    def paintEvent(self, event: QPaintEvent) -> None:
        """An empty list says what will appear in it, rather than looking broken."""
        super().paintEvent(event)
        if self.model().rowCount():
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        margin = mm_to_px(SIZE.gap * 2, self.screen())
        painter.drawText(
            self.viewport().rect().adjusted(margin, margin, -margin, -margin),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
            self.tr("People whose name, organisation or code matches the search appear here."),
        )
        painter.end()

    def selected_row(self) -> int | None:
        """The selected row, or None."""
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def step(self, by: int) -> None:
        """Move the selection `by` rows, staying inside the list; from none, select the first."""
        count = self.model().rowCount()
        if not count:
            return
        current = self.selected_row()
        row = 0 if current is None else min(max(current + by, 0), count - 1)
        self.selectRow(row)
        self.scrollTo(self.model().index(row, COL_NAME))
