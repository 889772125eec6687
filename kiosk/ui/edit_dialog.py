"""The exception desk's name fix: correct a name or organisation, and reprint a stale badge."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.errors import KioskError
from kiosk.core.model import Attendee
from kiosk.core.people import check_person
from kiosk.ui.person_fields import PersonFields
from kiosk.ui.sizing import font_with_cap_height
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, fit_to_parent, named, touch_button
from kiosk.workflows.printing import BadgePrinting, Enqueued
from kiosk.workflows.staff import EditResult, EditStatus, StaffDesk


class EditAttendeeDialog(QDialog):
    """First name, last name and organisation of one attendee, as stored; "Save" records the
    correction as a journal entry every kiosk merges (`StaffDesk.edit_attendee`). When a badge
    was printed before, it says so and offers "Print a new badge now" (queued on the task
    runner) when this desk prints.

    `edited` carries the `EditResult` of a saved correction.
    """

    edited = Signal(object)

    def __init__(
        self,
        desk: StaffDesk,
        attendee: Attendee,
        tasks: TaskRunner,
        printing: BadgePrinting | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("editAttendeeDialog")
        self.setWindowTitle(self.tr("Correct name or organisation"))
        self.desk = desk
        self.attendee = attendee
        self.tasks = tasks
        self.printing = printing
        self.saved: EditResult | None = None
        self.badge: Enqueued | None = None
        self.fields = PersonFields(parent=self)
        for name in ("first_name", "last_name", "organisation"):
            self.fields.set_text(name, getattr(attendee, name))
        self.message = named(QLabel(), "editMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setFont(
            font_with_cap_height(SIZE.details_text, bold=True, screen=self.screen())
        )
        self.save_button = named(touch_button(self.tr("Save"), self), "saveButton")
        self.save_button.setDefault(True)
        self.print_button = named(
            touch_button(self.tr("Print a new badge now"), self), "printNewBadgeButton"
        )
        self.print_button.hide()
        self.close_button = named(touch_button(self.tr("Close"), self), "closeButton")
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_badge)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        fit_to_parent(self, parent, 0.6, 0.6)

    def save(self) -> None:
        """Check the fields and record the correction."""
        first, last = self.fields.text("first_name"), self.fields.text("last_name")
        organisation = self.fields.text("organisation")
        _, problems = check_person(first, last, organisation=organisation)
        if not self.fields.show_problems(problems):
            self.message.setText(self.tr("Not saved: correct the marked fields."))
            return
        try:
            result = self.desk.edit_attendee(
                self.attendee.id, first_name=first, last_name=last, organisation=organisation
            )
        except KioskError as error:
            self.message.setText(self.tr("Not saved: {error}").format(error=error))
            return
        self.saved = result
        if result.status is EditStatus.NOT_FOUND:
            self.message.setText(self.tr("Not saved: this attendee is not known here."))
            return
        if result.status is EditStatus.UNCHANGED:
            self.message.setText(self.tr("Nothing changed."))
            return
        if result.attendee is not None:
            self.attendee = result.attendee
        text = self.tr("✓ Saved: {name}.").format(name=self.attendee.full_name)
        if result.reprint:
            text += "\n" + self.tr("! Their printed badge shows the old name: print a new one.")
            if self.printing is None:
                text += " " + self.tr("This desk has no printer.")
            else:
                self.print_button.show()
        self.message.setText(text)
        self.edited.emit(result)

    def print_badge(self) -> None:
        """Queue a new badge on the task runner (the desk's print worker prints it)."""
        printing = self.printing
        if printing is None:
            return
        self.print_button.setEnabled(False)
        attendee_id = self.attendee.id
        self.tasks.run(
            lambda _progress: printing.reprint(attendee_id),
            done=self._queued,
            failed=lambda error: self._not_queued(str(error)),
        )

    def _queued(self, badge: Enqueued) -> None:
        self.badge = badge
        if badge.queued:
            self.message.setText(self.tr("The new badge is on its way to the printer."))
        else:
            self._not_queued(badge.reason)

    def _not_queued(self, reason: str) -> None:
        self.print_button.setEnabled(True)
        self.message.setText(self.tr("The badge was not printed: {reason}").format(reason=reason))
