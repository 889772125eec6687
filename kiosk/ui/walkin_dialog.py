"""The exception desk's walk-in: register someone unregistered, sign their code, print the badge."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.errors import KioskError
from kiosk.core.model import DEFAULT_CATEGORY
from kiosk.core.people import check_person
from kiosk.ui.person_fields import PersonFields
from kiosk.ui.sizing import font_with_cap_height
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, fit_to_parent, named, touch_button
from kiosk.workflows.printing import BadgePrinting, Enqueued
from kiosk.workflows.staff import StaffDesk, WalkIn


@dataclass(frozen=True)
class WalkInOutcome:
    """A walk-in registered from the dialog: the person and their code, their badge (the
    print queue's answer; None when it was not asked: no printing here, or queueing failed)
    and, when the badge is not on its way, why not.
    """

    walk_in: WalkIn
    badge: Enqueued | None
    not_printed: str = ""

    @property
    def printing(self) -> bool:
        """True when the badge is on its way to the printer."""
        return self.badge is not None and self.badge.queued


class WalkInDialog(QDialog):
    """Name, organisation, e-mail and category of someone who arrives unregistered; "Register
    and print badge" registers them with a signed kiosk code (`StaffDesk.walk_in`, on the GUI
    thread: one short transaction), then queues their badge on the task runner. A walk-in is
    registered, not checked in, as with `kiosk walkin`: scanning their badge checks them in.

    `registered` carries a `WalkInOutcome` once the badge is queued or known not to print, for
    the desk to show the person's card (and to start its print worker).
    """

    registered = Signal(object)

    def __init__(
        self,
        desk: StaffDesk,
        tasks: TaskRunner,
        printing: BadgePrinting | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("walkInDialog")
        self.setWindowTitle(self.tr("Walk-in registration"))
        self.desk = desk
        self.tasks = tasks
        self.printing = printing
        self.outcome: WalkInOutcome | None = None
        self.heading = named(QLabel(self.tr("Register a walk-in")), "walkInHeading")
        self.heading.setFont(font_with_cap_height(SIZE.field_text, bold=True, screen=self.screen()))
        self.hint = named(
            QLabel(
                self.tr("They get a signed code on their badge; scanning the badge checks them in.")
            ),
            "walkInHint",
        )
        self.hint.setWordWrap(True)
        self.hint.setFont(font_with_cap_height(SIZE.body_text, screen=self.screen()))
        self.fields = PersonFields(categories=desk.categories(), with_email=True, parent=self)
        self.fields.set_text("category", DEFAULT_CATEGORY)
        self.message = named(QLabel(), "walkInMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # names and printer reasons are data
        self.message.setWordWrap(True)
        self.message.setFont(
            font_with_cap_height(SIZE.details_text, bold=True, screen=self.screen())
        )
        if printing is None:
            self.message.setText(
                self.tr("This desk has no printer: the badge cannot be printed here.")
            )
        self.register_button = named(
            touch_button(self.tr("Register and print badge"), self), "registerButton"
        )
        if printing is None:
            self.register_button.setText(self.tr("Register"))
        self.register_button.setDefault(True)
        self.another_button = named(touch_button(self.tr("Next walk-in"), self), "anotherButton")
        self.another_button.hide()
        self.close_button = named(touch_button(self.tr("Close"), self), "closeButton")
        self.register_button.clicked.connect(self.register)
        self.another_button.clicked.connect(self.start_over)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addWidget(self.fields)
        layout.addStretch(1)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.another_button, self.register_button, self.close_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        fit_to_parent(self, parent, 0.6, 0.75)

    def register(self) -> None:
        """Check the fields; register the walk-in and queue their badge when they are right."""
        _, problems = check_person(
            self.fields.text("first_name"),
            self.fields.text("last_name"),
            organisation=self.fields.text("organisation"),
            email=self.fields.text("email"),
            category=self.fields.text("category"),
        )
        if not self.fields.show_problems(problems):
            self.message.setText(self.tr("Not registered: correct the marked fields."))
            return
        try:
            walk_in = self.desk.walk_in(
                self.fields.text("first_name"),
                self.fields.text("last_name"),
                organisation=self.fields.text("organisation"),
                email=self.fields.text("email"),
                category=self.fields.text("category"),
            )
        except KioskError as error:  # a kiosk with only the public key; a storage failure
            self.message.setText(self.tr("Not registered: {error}").format(error=error))
            return
        self.register_button.setEnabled(False)
        printing = self.printing
        if printing is None:
            self._done(walk_in, None)
            return
        self.message.setText(
            self.tr("{name} is registered. Sending the badge to the printer…").format(
                name=walk_in.attendee.full_name
            )
        )
        self.tasks.run(
            lambda _progress: printing.walk_in_badge(walk_in.attendee.id),
            done=lambda badge: self._done(walk_in, badge),
            failed=lambda error: self._print_failed(walk_in, error),
        )

    def _print_failed(self, walk_in: WalkIn, error: Exception) -> None:
        self._done(walk_in, None, str(error))

    def _done(self, walk_in: WalkIn, badge: Enqueued | None, error: str = "") -> None:
        if badge is not None and badge.queued:
            printed, why = self.tr("The badge is on its way to the printer."), ""
        else:
            if badge is not None:
                why = badge.reason
            elif error:
                why = error
            else:
                why = self.tr("this desk has no printer")
            printed = self.tr("The badge was not printed: {reason}").format(reason=why)
        self.outcome = WalkInOutcome(walk_in, badge, why)
        name, code = walk_in.attendee.full_name, walk_in.code
        self.message.setText(
            self.tr("✓ Registered: {name}, code {code}.").format(name=name, code=code)
            + "\n"
            + printed
        )
        self.another_button.show()
        self.register_button.hide()
        self.registered.emit(self.outcome)

    def start_over(self) -> None:
        """Empty the fields for the next walk-in."""
        for name in ("first_name", "last_name", "organisation", "email"):
            self.fields.set_text(name, "")
        self.fields.set_text("category", DEFAULT_CATEGORY)
        self.fields.show_problems(())
        self.message.setText("")
        self.outcome = None
        self.another_button.hide()
        self.register_button.show()
        self.register_button.setEnabled(True)
        self.fields.edits["first_name"].setFocus()
