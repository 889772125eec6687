"""How the desk looks: sizes in millimetres, outcome tones that pass WCAG AA, widget names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QWidget,
)

from kiosk.ui.sizing import font_with_cap_height, mm_to_px

STYLESHEET = ("styles", "desk.qss")
_W = TypeVar("_W", bound=QWidget)


@dataclass(frozen=True)
class Size:
    """Physical sizes of the desk, in millimetres (cap heights for text)."""

    touch: float = 13.0  # buttons and the field; Material's minimum is 9 mm
    row: float = 10.0
    wide_button: float = 50.0
    gap: float = 3.0
    body_text: float = 3.2
    field_text: float = 5.0
    button_text: float = 4.5
    headline_text: float = 10.0
    icon: float = 22.0
    icon_text: float = 11.0
    name_text: float = 12.0  # read across the desk from 1.5 m; at least 8 mm
    details_text: float = 4.5
    note_text: float = 5.0
    action_text: float = 5.5
    border: float = 1.5


SIZE = Size()


@dataclass(frozen=True)
class Tone:
    """How an outcome looks: band colours that pass WCAG AA (4.5:1) and an icon shape."""

    name: str
    background: str
    foreground: str
    icon: str


OK_TONE = Tone("ok", "#2E7D32", "#FFFFFF", "✓")  # 5.1:1
ATTENTION_TONE = Tone("attention", "#F0AD4E", "#000000", "!")  # 10.8:1
STOP_TONE = Tone("stop", "#B71C1C", "#FFFFFF", "✕")  # 6.6:1
UNDONE_TONE = Tone("undone", "#37474F", "#FFFFFF", "↶")  # 9.7:1
NEUTRAL_TONE = Tone("neutral", "#ECEFF1", "#102027", "")  # 14.5:1
TONES = (OK_TONE, ATTENTION_TONE, STOP_TONE, UNDONE_TONE, NEUTRAL_TONE)
CARD_BACKGROUND = "#FFFFFF"
CARD_TEXT = "#102027"
NEUTRAL_BORDER = "#B0BEC5"


def named(widget: _W, name: str) -> _W:
    """`widget`, with the object name the style sheet and tests know it by."""
    widget.setObjectName(name)
    return widget


def touch_button(text: str, owner: QWidget) -> QPushButton:
    """A push button a finger can hit, with bold text, sized for `owner`'s screen."""
    button = QPushButton(text)
    button.setMinimumHeight(mm_to_px(SIZE.touch, owner.screen()))
    button.setFont(font_with_cap_height(SIZE.button_text, bold=True, screen=owner.screen()))
    return button


def read_only_table(
    headers: Sequence[str],
    owner: QWidget,
    *,
    row_mm: float | None = None,
    text_mm: float | None = None,
    select_rows: bool = False,
) -> QTableWidget:
    """A table people read, never edit: a column per header, no row numbers, columns as wide
    as their contents and the last one taking the rest; rows `row_mm` tall and text of cap
    height `text_mm` on `owner`'s screen when given; one whole row selectable when asked.
    """
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    if row_mm is not None:
        table.verticalHeader().setDefaultSectionSize(mm_to_px(row_mm, owner.screen()))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    if text_mm is not None:
        table.setFont(font_with_cap_height(text_mm, screen=owner.screen()))
    return table


def fit_to_parent(dialog: QDialog, parent: QWidget | None, width: float, height: float) -> None:
    """Resize `dialog` to shares of its parent's size, or of the screen when it has none."""
    room = parent.size() if parent is not None else dialog.screen().availableGeometry().size()
    dialog.resize(int(room.width() * width), int(room.height() * height))
