"""Touch-sized fields for a person's details, each with its problem written beside it."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from kiosk.core.people import MAX_FIELD_LENGTH, FieldProblem, PersonProblem
from kiosk.ui.models import category_label
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import SIZE, STOP_TONE, named

FIELD_NAMES = ("first_name", "last_name", "organisation", "email", "category")


class PersonFields(QWidget):
    """A label, a field and a line for its problem per detail (first and last name,
    organisation, and optionally e-mail and a category picked from `categories` or typed).
    Problems are words with a ✕, red as well, never colour alone.
    """

    def __init__(
        self,
        *,
        categories: Iterable[str] | None = None,
        with_email: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("personFields")
        font = font_with_cap_height(SIZE.field_text, screen=self.screen())
        label_font = font_with_cap_height(SIZE.body_text, bold=True, screen=self.screen())
        problem_font = font_with_cap_height(SIZE.body_text, screen=self.screen())
        height = mm_to_px(SIZE.touch, self.screen())
        self.edits: dict[str, QLineEdit] = {}
        self.problems: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        self.category: QComboBox | None = None
        titles = {
            "first_name": self.tr("First name"),
            "last_name": self.tr("Last name"),
            "organisation": self.tr("Organisation"),
            "email": self.tr("E-mail"),
            "category": self.tr("Category"),
        }
        shown = ["first_name", "last_name", "organisation"]
        if with_email:
            shown.append("email")
        if categories is not None:
            shown.append("category")
        grid = QGridLayout(self)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(mm_to_px(SIZE.gap / 3, self.screen()))
        for row, name in enumerate(shown):
            title = QLabel(titles[name])
            title.setFont(label_font)
            if name == "category":
                self.category = named(QComboBox(), "field_category")
                self.category.setEditable(True)  # a category nobody has yet can be typed
                for category in categories or ():  # shown in the desk's language
                    self.category.addItem(category_label(category), category)
                field: QWidget = self.category
            else:
                edit = named(QLineEdit(), f"field_{name}")
                edit.setMaxLength(2 * MAX_FIELD_LENGTH)  # a stray paste is cut, and then refused
                self.edits[name] = edit
                field = edit
            field.setFont(font)
            field.setMinimumHeight(height)
            self.inputs[name] = field
            title.setBuddy(field)
            problem = named(QLabel(), f"problem_{name}")
            problem.setTextFormat(Qt.TextFormat.PlainText)  # it may quote what was typed
            problem.setWordWrap(True)
            problem.setFont(problem_font)
            problem.setStyleSheet(f"color: {STOP_TONE.background};")
            problem.hide()
            self.problems[name] = problem
            grid.addWidget(title, 2 * row, 0)
            grid.addWidget(field, 2 * row, 1)
            grid.addWidget(problem, 2 * row + 1, 1)
        self.edits["first_name"].setFocus()

    def text(self, name: str) -> str:
        """What is typed in the field `name` (the category's text for `category`)."""
        if name == "category":
            if self.category is None:
                return ""
            text = self.category.currentText()
            index = self.category.findText(text)
            return str(self.category.itemData(index)) if index >= 0 else text
        edit = self.edits.get(name)
        return edit.text() if edit is not None else ""

    def set_text(self, name: str, value: str) -> None:
        """Put `value` in the field `name`."""
        if name == "category" and self.category is not None:
            index = self.category.findData(value)
            if index >= 0:
                self.category.setCurrentIndex(index)
            else:
                self.category.setCurrentText(value)
        elif name in self.edits:
            self.edits[name].setText(value)

    def show_problems(self, problems: Iterable[FieldProblem]) -> bool:
        """Write each problem beside its field and clear the others; True when there were
        none. The first field with a problem gets the focus.
        """
        found = {problem.field: problem for problem in reversed(list(problems))}
        for name, label in self.problems.items():
            problem = found.get(name)
            label.setVisible(problem is not None)
            label.setText(f"✕ {self.describe(problem)}" if problem is not None else "")
            # The field is outlined too, for whoever reads the form from across the desk.
            border = f"border: 2px solid {STOP_TONE.background};" if problem else ""
            self.inputs[name].setStyleSheet(border)
        first = next((name for name in FIELD_NAMES if name in found), None)
        if first is not None and first in self.edits:
            self.edits[first].setFocus()
        return not found

    def describe(self, problem: FieldProblem) -> str:
        """The problem in the desk's language."""
        if problem.problem is PersonProblem.NO_NAME:
            return self.tr("Type a first or a last name.")
        if problem.problem is PersonProblem.NOT_AN_EMAIL:
            return self.tr(
                "This is not an e-mail address (name@example.org). Leave it empty if unknown."
            )
        return self.tr("Too long: at most {count} characters.").format(count=MAX_FIELD_LENGTH)
