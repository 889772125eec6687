"""The exception desk's attendee detail: codes, presence by day, badge prints, notes, warnings."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.detail import AttendeeDetail, Attention
from kiosk.core.model import AttendeeStatus, EntryKind, JournalEntry
from kiosk.ui.edit_dialog import EditAttendeeDialog
from kiosk.ui.models import category_label
from kiosk.ui.sizing import font_with_cap_height
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import ATTENTION_TONE, SIZE, fit_to_parent, named, read_only_table, touch_button
from kiosk.workflows.printing import BadgePrinting, Enqueued
from kiosk.workflows.staff import StaffDesk


def _label(text: str = "", name: str = "", font: QFont | None = None) -> QLabel:
    label = QLabel(text)
    if font is not None:
        label.setFont(font)  # set on each: the desk's style sheet stops fonts passing down
    if name:
        label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # every text here comes from data
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AttendeeDetailDialog(QDialog):
    """One attendee as the desk knows them (`StaffDesk.attendee_detail`): name, organisation,
    category, status, e-mail, every code, the first check-in of each event day (time in the
    event's time zone, station), the badges printed, the registration's notes and other
    columns, and what needs attention (cancelled, reprint, not valid today, a note).
    "Edit…" opens `EditAttendeeDialog`; "Print badge" queues a badge on the task runner when
    this desk prints. `changed` is emitted after a correction was saved.
    """

    changed = Signal()

    def __init__(
        self,
        desk: StaffDesk,
        attendee_id: str,
        tasks: TaskRunner,
        printing: BadgePrinting | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attendeeDetail")
        self.desk = desk
        self.attendee_id = attendee_id
        self.tasks = tasks
        self.printing = printing
        self.detail: AttendeeDetail | None = None
        self.badge: Enqueued | None = None
        self.editor: EditAttendeeDialog | None = None
        self.body = body = font_with_cap_height(SIZE.body_text, screen=self.screen())
        self.setFont(body)
        self.name = _label(name="detailName")
        self.name.setFont(font_with_cap_height(SIZE.field_text, bold=True, screen=self.screen()))
        self.summary = _label(name="detailSummary")
        self.summary.setFont(font_with_cap_height(SIZE.details_text, screen=self.screen()))
        self.attention = _label(name="detailAttention")
        self.attention.setFont(
            font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen())
        )
        self.attention.setStyleSheet(
            f"background: {ATTENTION_TONE.background}; color: {ATTENTION_TONE.foreground};"
            "padding: 6px; border-radius: 4px;"
        )
        self.facts = QFormLayout()
        self.presence = self._table([self.tr("Day"), self.tr("First check-in"), self.tr("Station")])
        self.presence.setObjectName("detailPresence")
        self.prints = self._table([self.tr("Printed"), self.tr("Why"), self.tr("Station")])
        self.prints.setObjectName("detailPrints")
        self.no_prints = _label(self.tr("No badge printed yet."), "detailNoPrints", body)
        self.history = _label(name="detailHistory", font=body)
        self.registration = _label(name="detailRegistration", font=body)
        self.message = _label(name="detailMessage")
        self.message.setFont(font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen()))
        self.edit_button = named(touch_button(self.tr("Edit…"), self), "editButton")
        self.print_button = named(touch_button(self.tr("Print badge"), self), "printBadgeButton")
        self.print_button.setEnabled(printing is not None)
        if printing is None:
            self.print_button.setToolTip(self.tr("This desk has no printer."))
        close = named(touch_button(self.tr("Close"), self), "closeButton")
        self.edit_button.clicked.connect(self.open_editor)
        self.print_button.clicked.connect(self.print_badge)
        close.clicked.connect(self.accept)
        self._lay_out(close)
        fit_to_parent(self, parent, 0.7, 0.9)
        self.reload()

    def _table(self, headers: list[str]) -> QTableWidget:
        table = read_only_table(headers, self, row_mm=SIZE.row * 0.8, text_mm=SIZE.body_text)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return table

    def _heading(self, text: str) -> QLabel:
        heading = _label(text)
        heading.setFont(font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen()))
        return heading

    def _lay_out(self, close: QWidget) -> None:
        content = QWidget()
        column = QVBoxLayout(content)
        column.addWidget(self.name)
        column.addWidget(self.summary)
        column.addWidget(self.attention)
        column.addLayout(self.facts)
        column.addWidget(self._heading(self.tr("Presence")))
        column.addWidget(self.presence)
        column.addWidget(self._heading(self.tr("Badges printed")))
        column.addWidget(self.prints)
        column.addWidget(self.no_prints)
        column.addWidget(self._heading(self.tr("Record history")))
        column.addWidget(self.history)
        column.addWidget(self._heading(self.tr("From the registration")))
        column.addWidget(self.registration)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.edit_button, self.print_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def reload(self) -> None:
        """Read the attendee again (after a correction, a check-in, a print)."""
        self.detail = detail = self.desk.attendee_detail(self.attendee_id)
        if detail is None:
            self.name.setText(self.tr("This attendee is not known here."))
            self.edit_button.setEnabled(False)
            self.print_button.setEnabled(False)
            return
        attendee = detail.attendee
        event = self.desk.event
        self.setWindowTitle(attendee.full_name or attendee.code)
        self.name.setText(attendee.full_name or self.tr("Name not synced yet"))
        self.summary.setText(
            " · ".join(p for p in (attendee.organisation, category_label(attendee.category)) if p)
        )
        warnings = [self._attention(flag) for flag in detail.attention]
        self.attention.setText("\n".join(f"! {warning}" for warning in warnings))
        self.attention.setVisible(bool(warnings))
        while self.facts.rowCount():
            self.facts.removeRow(0)
        status = (
            self.tr("Cancelled")
            if attendee.status is AttendeeStatus.CANCELLED
            else self.tr("Registered")
        )
        if detail.walk_in:
            status += " · " + self.tr("walk-in")
        facts = [
            (self.tr("Status"), status, "detailStatus"),
            (self.tr("E-mail"), attendee.email or "–", "detailEmail"),
            (self.tr("Codes"), "\n".join(attendee.codes) or "–", "detailCodes"),
        ]
        if attendee.registration_id:
            facts.append(
                (self.tr("Registration"), attendee.registration_id, "detailRegistrationId")
            )
        if attendee.days:
            days = ", ".join(self._date(day) for day in attendee.days)
            facts.append((self.tr("Ticket valid on"), days, "detailDays"))
        for title, value, name in facts:
            self.facts.addRow(self._heading(title), _label(value, name, self.body))
        rows = []
        for day in detail.presence:
            if day.first is not None:
                rows.append([self._date(day.day), self._time(day.first.at), day.first.station])
            elif day.admits:
                rows.append([self._date(day.day), self.tr("not checked in"), ""])
            else:
                rows.append([self._date(day.day), self.tr("ticket not valid this day"), ""])
        self._fill(self.presence, rows)
        self._fill(
            self.prints,
            [
                [
                    f"{self._date(event.day_of(entry.at))} {self._time(entry.at)}",
                    self._why(entry),
                    entry.station,
                ]
                for entry in detail.prints
            ],
        )
        self.prints.setVisible(bool(detail.prints))
        self.no_prints.setVisible(not detail.prints)
        self.history.setText("\n".join(self._record(entry) for entry in detail.records))
        lines = [f"{name}: {value}" for name, value in (*detail.notes, *detail.extra)]
        self.registration.setText("\n".join(lines) or self.tr("Nothing more."))

    def _fill(self, table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)  # items show their text as it is, never markup
                item.setToolTip(value)
                table.setItem(row, column, item)
        header = table.horizontalHeader().height()
        table.setFixedHeight(header + sum(table.rowHeight(r) for r in range(len(rows))) + 4)

    def _date(self, day: date) -> str:
        pattern = self.tr("ddd d MMMM", "date format for event days")
        return QLocale().toString(QDate(day.year, day.month, day.day), pattern)

    def _time(self, at: datetime) -> str:
        return f"{self.desk.event.local(at):%H:%M}"

    def _record(self, entry: JournalEntry) -> str:
        """One change to the attendee's record: when, where, what."""
        edited = entry.data.get("edited")
        if entry.kind is EntryKind.WALKIN:
            what = self.tr("registered as a walk-in")
        elif isinstance(edited, list):
            names = {
                "first_name": self.tr("first name"),
                "last_name": self.tr("last name"),
                "organisation": self.tr("organisation"),
            }
            fields = ", ".join(names.get(str(field), str(field)) for field in edited)
            what = self.tr("corrected: {fields}").format(fields=fields)
        else:
            what = self.tr("from a registration import")
        when = f"{self._date(self.desk.event.day_of(entry.at))} {self._time(entry.at)}"
        return " · ".join(part for part in (when, entry.station, what) if part)

    def _why(self, entry: JournalEntry) -> str:
        reasons = {
            "checkin": self.tr("check-in"),
            "reprint": self.tr("reprint"),
            "walkin": self.tr("walk-in"),
        }
        reason = str(entry.data.get("reason") or "")
        text = reasons.get(reason, reason)
        if entry.data.get("self_service"):
            text += " · " + self.tr("self-service")
        if entry.data.get("rehearsal"):
            text += " · " + self.tr("rehearsal")
        return text

    def _attention(self, flag: Attention) -> str:
        return {
            Attention.CANCELLED: self.tr(
                "The registration was cancelled: do not admit; send them to the organiser."
            ),
            Attention.REPRINT: self.tr(
                "The printed badge shows an old name or organisation: print a new one."
            ),
            Attention.NOT_TODAY: self.tr("The ticket is not valid today."),
            Attention.NOTES: self.tr("The registration has a note: read it below."),
        }[flag]

    def open_editor(self) -> EditAttendeeDialog | None:
        """Open the correction of name and organisation; the detail follows what it saves."""
        if self.detail is None:
            return None
        self.editor = EditAttendeeDialog(
            self.desk, self.detail.attendee, self.tasks, self.printing, parent=self
        )
        self.editor.edited.connect(self._after_edit)
        self.editor.show()
        return self.editor

    def _after_edit(self, _result: object) -> None:
        self.reload()
        self.changed.emit()

    def print_badge(self) -> None:
        """Queue a badge for the attendee on the task runner (the desk's print worker prints)."""
        printing = self.printing
        if printing is None:
            return
        self.print_button.setEnabled(False)
        self.message.setText(self.tr("Sending the badge to the printer…"))
        attendee_id = self.attendee_id
        self.tasks.run(
            lambda _progress: printing.reprint(attendee_id),
            done=self._queued,
            failed=lambda error: self._not_queued(str(error)),
        )

    def _queued(self, badge: Enqueued) -> None:
        self.badge = badge
        self.print_button.setEnabled(True)
        if badge.queued:
            self.message.setText(self.tr("The badge is on its way to the printer."))
        else:
            self._not_queued(badge.reason)

    def _not_queued(self, reason: str) -> None:
        self.print_button.setEnabled(True)
        self.message.setText(self.tr("The badge was not printed: {reason}").format(reason=reason))
