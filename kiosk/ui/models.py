"""Table models for the desk: the attendees a search found, with today's check-in state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from kiosk.core.model import Attendee, AttendeeStatus

COL_NAME, COL_ORGANISATION, COL_CATEGORY, COL_TODAY = range(4)
COLUMN_COUNT = 4
# The Attendee behind a row, for whoever acts on a selected row.
ATTENDEE_ROLE = Qt.ItemDataRole.UserRole + 1

# The demo's and most exports' categories, so they read in the desk's language; any other
# category is shown as the registration system spelled it.
CATEGORY_CONTEXT = "Category"
KNOWN_CATEGORIES = (
    QT_TRANSLATE_NOOP("Category", "Participant"),
    QT_TRANSLATE_NOOP("Category", "Speaker"),
    QT_TRANSLATE_NOOP("Category", "Organiser"),
    QT_TRANSLATE_NOOP("Category", "Press"),
    QT_TRANSLATE_NOOP("Category", "Sponsor"),
    QT_TRANSLATE_NOOP("Category", "Exhibitor"),
    QT_TRANSLATE_NOOP("Category", "Staff"),
    QT_TRANSLATE_NOOP("Category", "Volunteer"),
)

_Index = QModelIndex | QPersistentModelIndex


def category_label(category: str) -> str:
    """`category` in the user's language when it is a known one, else as given."""
    return QCoreApplication.translate(CATEGORY_CONTEXT, category) if category else ""


def list_name(attendee: Attendee) -> str:
    """The name as a list sorted by surname shows it: "Přikryl, Petr"."""
    return ", ".join(part for part in (attendee.last_name, attendee.first_name) if part)


class AttendeeTableModel(QAbstractTableModel):
    """Search results: one attendee per row, read-only.

    `checked_in` maps attendee ids to their first check-in today, in the event's time zone.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._attendees: list[Attendee] = []
        self._checked_in: dict[str, datetime] = {}

    def set_attendees(
        self, attendees: Sequence[Attendee], checked_in: Mapping[str, datetime] | None = None
    ) -> None:
        """Show `attendees` in this order, replacing what was shown."""
        self.beginResetModel()
        self._attendees = list(attendees)
        self._checked_in = dict(checked_in or {})
        self.endResetModel()

    def attendee(self, row: int) -> Attendee:
        """The attendee shown in `row`."""
        return self._attendees[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        """One row per attendee; a table has no children."""
        return 0 if parent.isValid() else len(self._attendees)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Name, organisation, category and today's check-in."""
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles in the user's language."""
        if orientation is not Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            COL_NAME: self.tr("Name"),
            COL_ORGANISATION: self.tr("Organisation"),
            COL_CATEGORY: self.tr("Category"),
            COL_TODAY: self.tr("Today"),
        }
        return titles.get(section)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text for display and tooltips (cut-off names read in full), the Attendee by row."""
        if not index.isValid() or index.row() >= len(self._attendees):
            return None
        attendee = self._attendees[index.row()]
        if role == ATTENDEE_ROLE:
            return attendee
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(attendee, index.column())
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Selectable, never editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def _text(self, attendee: Attendee, column: int) -> str | None:
        if column == COL_NAME:
            return list_name(attendee)
        if column == COL_ORGANISATION:
            return attendee.organisation
        if column == COL_CATEGORY:
            return category_label(attendee.category)
        if column == COL_TODAY:
            return self._today(attendee)
        return None

    def _today(self, attendee: Attendee) -> str:
        if attendee.status is AttendeeStatus.CANCELLED:
            return self.tr("Cancelled")
        first = self._checked_in.get(attendee.id)
        # The tick is a shape, not a colour, so it reads for the colour-blind too.
        return f"✓ {first:%H:%M}" if first is not None else ""
