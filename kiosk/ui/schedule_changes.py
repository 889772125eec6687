"""On-site schedule changes at the desk: delay a room, cancel, move or retitle a session."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.errors import KioskError
from kiosk.core.schedule import Session
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import SIZE, fit_to_parent, named, read_only_table, touch_button
from kiosk.workflows.organiser import OrganiserTools

MAX_DELAY_MINUTES = 240


class ScheduleChangesDialog(QDialog):
    """Today's sessions as they stand; each change is a journal entry every kiosk and every
    lobby board picks up.
    """

    def __init__(self, tools: OrganiserTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheduleChanges")
        self.setWindowTitle(self.tr("Schedule changes"))
        self.tools = tools
        self.kiosk_event = tools.store.event()
        self.sessions: list[Session] = []
        font = font_with_cap_height(SIZE.body_text, screen=self.screen())
        self.message = named(QLabel(), "scheduleMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setFont(font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen()))
        self.table = read_only_table(
            [self.tr("Time"), self.tr("Room"), self.tr("Session"), self.tr("Change")],
            self,
            row_mm=SIZE.row,
            text_mm=SIZE.body_text,
            select_rows=True,
        )
        self.room = QComboBox()
        self.minutes = QSpinBox(minimum=-MAX_DELAY_MINUTES, maximum=MAX_DELAY_MINUTES, value=10)
        self.minutes.setSuffix(self.tr(" min"))
        for control in (self.room, self.minutes):
            control.setFont(font)
            control.setMinimumHeight(mm_to_px(SIZE.touch, self.screen()))
        close = self._make_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.room, 1)
        controls.addWidget(self.minutes)
        for button in (
            self.delay_button,
            self.move_button,
            self.cancel_button,
            self.full_button,
            self.title_button,
        ):
            controls.addWidget(button)
        layout.addLayout(controls)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        fit_to_parent(self, parent, 0.8, 0.7)
        self.reload()

    def _make_buttons(self) -> QPushButton:
        """The change buttons, connected; returns the Close button."""
        self.delay_button = touch_button(self.tr("Delay the room from now"), self)
        self.cancel_button = touch_button(self.tr("Cancel / restore"), self)
        self.move_button = touch_button(self.tr("Move to the room"), self)
        self.title_button = touch_button(self.tr("New title…"), self)
        self.full_button = touch_button(self.tr("Room full / seats"), self)
        close = touch_button(self.tr("Close"), self)
        self.delay_button.clicked.connect(self.delay)
        self.cancel_button.clicked.connect(self.cancel_or_restore)
        self.move_button.clicked.connect(self.move_session)
        self.title_button.clicked.connect(self.retitle)
        self.full_button.clicked.connect(self.full_or_seats)
        close.clicked.connect(self.accept)
        return close

    def reload(self) -> None:
        """Read today's sessions again, as every change so far leaves them."""
        self.sessions = self.tools.sessions_today()
        self.table.setRowCount(len(self.sessions))
        for row, session in enumerate(self.sessions):
            changes = []
            if session.delay:
                changes.append(f"+{int(session.delay.total_seconds() // 60)} min")
            if session.moved_from:
                changes.append(self.tr("moved from {room}").format(room=session.moved_from))
            if session.cancelled:
                changes.append(self.tr("CANCELLED"))
            if session.full:
                changes.append(self.tr("ROOM FULL"))
            start = self.kiosk_event.local(session.start)
            for column, value in enumerate(
                (f"{start:%H:%M}", session.room, session.title, ", ".join(changes))
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        rooms = sorted({s.room for s in self.sessions})
        current = self.room.currentText()
        self.room.clear()
        self.room.addItems(rooms)
        if current in rooms:
            self.room.setCurrentText(current)

    def selected(self) -> Session | None:
        """The session of the selected row, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.sessions[rows[0].row()] if rows else None

    def _apply(self, change: str, *args: str | int) -> None:
        try:
            result = self.tools.change_schedule(change, *args)
        except KioskError as error:
            self.message.setText(str(error))
            return
        self.message.setText(result.text(self.kiosk_event))
        self.reload()

    def delay(self) -> None:
        """Delay the chosen room's sessions from now on by the chosen minutes."""
        if self.room.currentText():
            self._apply("delay", self.room.currentText(), self.minutes.value())

    def cancel_or_restore(self) -> None:
        """Cancel the selected session, or put a cancelled one back on."""
        session = self.selected()
        if session is not None:
            self._apply("restore" if session.cancelled else "cancel", session.key)

    def full_or_seats(self) -> None:
        """Mark the selected session's room full, or say it has seats again."""
        session = self.selected()
        if session is not None:
            self._apply("seats" if session.full else "full", session.key)

    def move_session(self) -> None:
        """Move the selected session to the chosen room."""
        session = self.selected()
        if session is not None and self.room.currentText():
            self._apply("move", session.key, self.room.currentText())

    def retitle(self) -> None:
        """Give the selected session a new title."""
        session = self.selected()
        if session is None:
            return
        title, ok = QInputDialog.getText(
            self, self.tr("New title"), session.room, text=session.title
        )
        if ok and title.strip():
            self._apply("title", session.key, title.strip())
