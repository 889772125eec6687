"""The staff desk window: one search-and-scan field, live results and a big result card."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScroller,
    QSizePolicy,
    QTableView,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.adapters.resources import resource
from kiosk.core.checkin import CheckInResult, CheckInStatus
from kiosk.core.clock import RehearsalClock
from kiosk.core.desk import Desk, UndoResult, UndoStatus
from kiosk.core.model import Attendee, Event
from kiosk.ui.models import (
    COL_CATEGORY,
    COL_NAME,
    COL_ORGANISATION,
    COL_TODAY,
    AttendeeTableModel,
    category_label,
)
from kiosk.ui.sizing import font_with_cap_height, mm_to_px

# The result card stays up this long unless a new scan replaces it (UX.md: up to 30 s).
CLEAR_AFTER_MS = 30_000
# Live search waits for a pause in typing; a scanner types a whole code well within it.
SEARCH_DELAY_MS = 150
MIN_SEARCH_CHARS = 2
# One word of letters shorter than this is taken for a name (double surnames run long).
NAME_LIKE_MAX_CHARS = 32
_NAME_PUNCTUATION = frozenset("-'’.,")
CODE_SHOWN_CHARS = 40
# When a small or dense screen cannot fit the result card, its text shrinks in these steps;
# the last keeps the attendee's name above 8 mm (12 mm x 0.7).
FIT_SCALES = (1.0, 0.9, 0.8, 0.7)
STYLESHEET = ("styles", "desk.qss")
_W = TypeVar("_W", bound=QWidget)
_R = TypeVar("_R")
logger = logging.getLogger(__name__)


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


@dataclass(frozen=True)
class Card:
    """What the result panel shows: a coloured band with icon and headline, then the details."""

    tone: Tone
    headline: str
    name: str = ""
    details: str = ""
    note: str = ""
    action: str = ""
    icon: str | None = None  # None: the tone's icon
    idle: bool = False  # the card between scans, which never times out

    @property
    def shape(self) -> str:
        """The icon drawn in the band."""
        return self.tone.icon if self.icon is None else self.icon


def looks_like_code(text: str) -> bool:
    """False when `text` reads as a name: only letters (and name punctuation), with a space
    or short. Digits or URL and JSON characters make it a code, spaces or not.
    """
    text = text.strip()
    spaced = any(char.isspace() for char in text)
    wordy = all(char.isalpha() or char.isspace() or char in _NAME_PUNCTUATION for char in text)
    return not (wordy and (spaced or len(text) < NAME_LIKE_MAX_CHARS))


def _named(widget: _W, name: str) -> _W:
    """`widget`, with the object name the style sheet and tests know it by."""
    widget.setObjectName(name)
    return widget


def _local_date(day: date) -> str:
    pattern = QCoreApplication.translate("ResultPanel", "d MMMM", "date format for ticket days")
    return QLocale().toString(QDate(day.year, day.month, day.day), pattern)


def _join(parts: Iterable[str]) -> str:
    return " · ".join(part for part in parts if part)


class ResultPanel(QFrame):
    """The big answer to a scan; it goes back to "Ready to scan" after `clear_after_ms`."""

    expired = Signal()

    def __init__(self, clear_after_ms: int = CLEAR_AFTER_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self._band = _named(QFrame(), "band")
        self.icon = _named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "icon")
        self._text_sizes: dict[QLabel, tuple[float, bool]] = {}
        self.headline = self._label("headline", SIZE.headline_text, bold=True)
        self.name = self._label("name", SIZE.name_text, bold=True)
        self.details = self._label("details", SIZE.details_text)
        self.note = self._label("note", SIZE.note_text, bold=True)
        self.action = self._label("action", SIZE.action_text, bold=True)
        self._timer = QTimer(self, singleShot=True, interval=clear_after_ms)
        self._timer.timeout.connect(self._expire)
        self._outer = QVBoxLayout(self)
        self._body = QVBoxLayout()
        self._lay_out()
        self.card = self.ready_card()
        self.scale = 0.0
        self._set_scale(FIT_SCALES[0])
        self.show_card(self.card)

    def _label(self, name: str, cap_mm: float, *, bold: bool = False) -> QLabel:
        label = _named(QLabel(wordWrap=True), name)
        self._text_sizes[label] = (cap_mm, bold)
        label.setTextFormat(Qt.TextFormat.PlainText)
        # A long word (a scanned code, a name in a big font on a dense screen) is cut off at
        # the panel's edge instead of widening the panel and pushing the window off screen.
        policy = label.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        label.setSizePolicy(policy)
        return label

    def _lay_out(self) -> None:
        gap = mm_to_px(SIZE.gap, self.screen())
        band = QHBoxLayout(self._band)
        band.setContentsMargins(gap * 2, gap * 2, gap * 2, gap * 2)
        band.setSpacing(gap * 2)
        band.addWidget(self.icon)
        band.addWidget(self.headline, 1)
        body = self._body
        body.setContentsMargins(gap * 2, gap * 2, gap * 2, gap * 2)
        body.setSpacing(gap * 2)
        for label in (self.name, self.details, self.note, self.action):
            body.addWidget(label)
        body.addStretch(1)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.setSpacing(0)
        self._outer.addWidget(self._band)
        self._outer.addLayout(body, 1)

    def show_card(self, card: Card) -> None:
        """Show `card` at once; any card but the idle one clears itself after the timeout."""
        self.card = card
        self.icon.setText(card.shape)
        self.icon.setVisible(bool(card.shape))
        self.headline.setText(card.headline)
        for label, text in (
            (self.name, card.name),
            (self.details, card.details),
            (self.note, card.note),
            (self.action, f"→ {card.action}" if card.action else ""),
        ):
            label.setText(text)
            label.setVisible(bool(text))
        self.setAccessibleName(_join((card.headline, card.name)))
        self._apply_tone(card.tone)
        self._fit()
        if card.idle:
            self._timer.stop()
        else:
            self._timer.start()

    def show_ready(self) -> None:
        """Back to the idle card."""
        self.show_card(self.ready_card())

    def _expire(self) -> None:
        self.show_ready()
        self.expired.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the card's text to the panel's new size."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Shrink the text in steps until the card fits (a small or dense screen), no further
        than the smallest step, and grow it back when there is room again.
        """
        for scale in FIT_SCALES:
            self._set_scale(scale)
            # A layout keeps its nested layouts' cached heights: drop them all.
            self._body.invalidate()
            self._outer.invalidate()
            if self._outer.totalHeightForWidth(self.width()) <= self.height():
                return

    def _set_scale(self, scale: float) -> None:
        if scale == self.scale:
            return
        self.scale = scale
        screen = self.screen()
        for label, (cap_mm, bold) in self._text_sizes.items():
            label.setFont(font_with_cap_height(cap_mm * scale, bold=bold, screen=screen))
        diameter = mm_to_px(SIZE.icon * scale, screen)
        self.icon.setFixedSize(diameter, diameter)
        self.icon.setFont(font_with_cap_height(SIZE.icon_text * scale, bold=True, screen=screen))
        self._apply_tone(self.card.tone)

    def _apply_tone(self, tone: Tone) -> None:
        screen = self.screen()
        border = tone.background if tone is not NEUTRAL_TONE else NEUTRAL_BORDER
        ring = max(2, mm_to_px(0.8, screen))
        self.setStyleSheet(
            f"#resultPanel {{ background: {CARD_BACKGROUND};"
            f" border: {mm_to_px(SIZE.border, screen)}px solid {border}; }}"
            f"#resultPanel QLabel {{ color: {CARD_TEXT}; background: transparent; }}"
            f"#band {{ background: {tone.background}; border: none; }}"
            f"#band QLabel {{ color: {tone.foreground}; }}"
            f"#icon {{ border: {ring}px solid {tone.foreground};"
            f" border-radius: {self.icon.width() // 2}px; }}"
        )

    # -- what each outcome says ----------------------------------------------------------

    def ready_card(self) -> Card:
        """The idle card, shown between scans."""
        return Card(
            NEUTRAL_TONE,
            self.tr("Ready to scan"),
            action=self.tr("Scan a code or type a name."),
            idle=True,
        )

    def card_for(self, result: CheckInResult, event: Event) -> Card:
        """What staff see for one check-in answer: outcome, who, details and what to do."""
        tone, headline, action = self._outcome(result.status)
        attendee = result.attendee
        return Card(
            tone,
            headline,
            name=self._name(attendee),
            details=self._details(attendee),
            note=self._note(result, event),
            action=action,
        )

    def card_for_undo(self, outcome: UndoResult) -> Card:
        """What staff see after pressing Undo."""
        if outcome.status is UndoStatus.UNDONE:
            return Card(
                UNDONE_TONE,
                self.tr("CHECK-IN UNDONE"),
                name=self._name(outcome.attendee),
                details=self._details(outcome.attendee),
                action=self.tr("Not admitted any more. Scan again to check in."),
            )
        return Card(
            NEUTRAL_TONE,
            self.tr("NOTHING TO UNDO"),
            name=self._name(outcome.attendee),
            action=self.tr("Not checked in today."),
        )

    def failure_card(self) -> Card:
        """Something below the screen failed (a full disk, a broken file): nothing was saved."""
        return Card(
            STOP_TONE,
            self.tr("NOT SAVED"),
            details=self.tr("The check-in could not be stored on this desk."),
            action=self.tr("Try again. If it fails again, call the organisers."),
        )

    def pick_card(self, found: int, text: str) -> Card:
        """A name typed and Enter pressed: never guess who it is, ask staff to pick."""
        if found:
            return Card(
                NEUTRAL_TONE,
                self.tr("PICK A NAME"),
                icon="←",
                action=self.tr("Tap the person in the list, or choose with ↑ ↓ and press Enter."),
            )
        return Card(
            NEUTRAL_TONE,
            self.tr("NOT FOUND"),
            icon="?",
            note=self.tr("Nobody matches “{text}”.").format(text=text.strip()),
            action=self.tr("Check the spelling, or send to the help desk."),
        )

    def _outcome(self, status: CheckInStatus) -> tuple[Tone, str, str]:
        help_desk = self.tr("Send to the help desk.")
        outcomes = {
            CheckInStatus.OK: (OK_TONE, self.tr("CHECKED IN"), self.tr("Admit.")),
            CheckInStatus.ALREADY: (
                ATTENTION_TONE,
                self.tr("ALREADY CHECKED IN"),
                self.tr("Same person? Admit. Otherwise send to the help desk."),
            ),
            CheckInStatus.NOT_TODAY: (ATTENTION_TONE, self.tr("NOT TODAY"), help_desk),
            CheckInStatus.UNKNOWN: (STOP_TONE, self.tr("UNKNOWN CODE"), help_desk),
            CheckInStatus.CANCELLED: (STOP_TONE, self.tr("CANCELLED"), help_desk),
            CheckInStatus.INVALID: (
                STOP_TONE,
                self.tr("INVALID CODE"),
                self.tr("Scan again. If it fails again, call the organiser."),
            ),
            CheckInStatus.WRONG_EVENT: (STOP_TONE, self.tr("OTHER EVENT"), help_desk),
        }
        return outcomes[status]

    def _name(self, attendee: Attendee | None) -> str:
        if attendee is None:
            return ""
        return attendee.full_name or self.tr("Name not synced yet")

    @staticmethod
    def _details(attendee: Attendee | None) -> str:
        if attendee is None:
            return ""
        return _join((attendee.organisation, category_label(attendee.category)))

    def _note(self, result: CheckInResult, event: Event) -> str:
        status = result.status
        if status is CheckInStatus.ALREADY and result.first_at is not None:
            return self.tr("First at {time}, {station}").format(
                time=f"{event.local(result.first_at):%H:%M}", station=result.station or ""
            )
        if status is CheckInStatus.NOT_TODAY:
            return self._not_today(result, event)
        if status in (CheckInStatus.UNKNOWN, CheckInStatus.INVALID):
            code = " ".join(result.scanned.split())
            if len(code) > CODE_SHOWN_CHARS:
                code = code[: CODE_SHOWN_CHARS - 1] + "…"
            return self.tr("Code: {code}").format(code=code) if code else ""
        if status is CheckInStatus.CANCELLED:
            return self.tr("The registration was cancelled.")
        if status is CheckInStatus.WRONG_EVENT:
            return self.tr("This ticket is for another event.")
        return ""

    def _not_today(self, result: CheckInResult, event: Event) -> str:
        if result.day not in event.days:
            days = ", ".join(_local_date(day) for day in event.days)
            return self.tr("Today is not an event day. Event days: {days}").format(days=days)
        valid = result.attendee.days if result.attendee else ()
        days = ", ".join(_local_date(day) for day in valid)
        return self.tr("Ticket valid on: {days}").format(days=days)


class SearchField(QLineEdit):
    """The one field for names and scans: Enter (or a scanner's Tab) submits, ↑ ↓ pick."""

    submitted = Signal()
    stepped = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter submits, ↑ ↓ move through the results, Escape empties the field."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.stepped.emit(-1 if key == Qt.Key.Key_Up else 1)
        elif key == Qt.Key.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        """Some scanners end a code with Tab: with text typed, Tab submits instead of moving on."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
            and self.text().strip()
        ):
            self.submitted.emit()
            return True
        return super().event(event)


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
        for column, mode in (
            (COL_NAME, QHeaderView.ResizeMode.ResizeToContents),
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


class DeskWindow(QMainWindow):
    """One staff station: search or scan, check in, undo, and today's count."""

    def __init__(
        self,
        desk: Desk,
        parent: QWidget | None = None,
        *,
        clear_after_ms: int = CLEAR_AFTER_MS,
        search_delay_ms: int = SEARCH_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self._undo_attendee: str | None = None  # whose check-in the Undo button cancels
        self.setStyleSheet(resource(*STYLESHEET).read_text(encoding="utf-8"))
        self.field = _named(SearchField(), "scanField")
        self.field.setPlaceholderText(self.tr("Search name or scan code"))
        self.model = AttendeeTableModel(self)
        self.results = ResultsView(self.model)
        self.panel = ResultPanel(clear_after_ms)
        self.check_in_button = self._button("checkInButton", self.tr("Check in"))
        self.undo_button = self._button("undoButton", self.tr("Undo"))
        self.clear_button = self._button("clearButton", self.tr("Clear"))
        self.event_label = QLabel()
        self.counts_label = QLabel()
        for label in (self.event_label, self.counts_label):
            label.setFont(font_with_cap_height(SIZE.body_text, screen=self.screen()))
        self._search_timer = QTimer(self, singleShot=True, interval=search_delay_ms)
        self._lay_out()
        self._connect()
        self._focus_keeper = FocusKeeper(self, self.field)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._focus_keeper)
        self._refresh_labels()
        self._set_undo(None)
        self._update_check_in_button()
        self.resize(self.screen().availableGeometry().size())
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _button(self, name: str, text: str) -> QPushButton:
        button = _named(QPushButton(text), name)
        button.setFont(font_with_cap_height(SIZE.button_text, bold=True, screen=self.screen()))
        button.setMinimumHeight(mm_to_px(SIZE.touch, self.screen()))
        # Tab still reaches buttons, but a tap leaves the focus in the field for the scanner.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _lay_out(self) -> None:
        gap = mm_to_px(SIZE.gap, self.screen())
        self.field.setFont(font_with_cap_height(SIZE.field_text, screen=self.screen()))
        self.field.setMinimumHeight(mm_to_px(SIZE.touch, self.screen()))
        top = QHBoxLayout()
        top.setSpacing(gap)
        top.addWidget(self.field, 1)
        top.addWidget(self.clear_button)
        left = QVBoxLayout()
        left.setSpacing(gap)
        left.addWidget(self.results, 1)
        left.addWidget(self.check_in_button)
        right = QVBoxLayout()
        right.setSpacing(gap)
        right.addWidget(self.panel, 1)
        self.undo_button.setMinimumWidth(mm_to_px(SIZE.wide_button, self.screen()))
        right.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignRight)
        middle = QHBoxLayout()
        middle.setSpacing(gap * 2)
        middle.addLayout(left, 9)
        middle.addLayout(right, 11)
        central = _named(QWidget(), "central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(gap * 2, gap * 2, gap * 2, gap)
        outer.setSpacing(gap * 2)
        outer.addLayout(top)
        outer.addLayout(middle, 1)
        self.setCentralWidget(central)
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.event_label, 1)
        status.addPermanentWidget(self.counts_label)

    def _connect(self) -> None:
        self.field.textChanged.connect(self._text_changed)
        self.field.submitted.connect(self.submit)
        self.field.stepped.connect(self.results.step)
        self._search_timer.timeout.connect(self.search_now)
        self.results.clicked.connect(self._row_tapped)
        self.results.selectionModel().selectionChanged.connect(self._update_check_in_button)
        self.model.modelReset.connect(self._update_check_in_button)
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.undo_button.clicked.connect(self.undo)
        self.clear_button.clicked.connect(self.clear)
        self.panel.expired.connect(self._forget_undo)

    # -- searching -----------------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        # A stale selection must never be what Enter checks in after the text changed.
        self.results.clearSelection()
        if len(text.strip()) < MIN_SEARCH_CHARS:
            self._search_timer.stop()
            self.model.set_attendees([])
        else:
            self._search_timer.start()

    def search_now(self) -> None:
        """Show the attendees matching the field's text now, without waiting for the pause."""
        self._search_timer.stop()
        text = self.field.text()
        found = self.desk.search(text) if len(text.strip()) >= MIN_SEARCH_CHARS else []
        self.model.set_attendees(found, self._checked_in_today(found))

    def _checked_in_today(self, attendees: Sequence[Attendee]) -> dict[str, datetime]:
        event = self.desk.event
        first = self.desk.first_checkins(attendee.id for attendee in attendees)
        return {attendee_id: event.local(entry.at) for attendee_id, entry in first.items()}

    # -- checking in ---------------------------------------------------------------------

    def submit(self) -> None:
        """Enter in the field: check in the selected row, or else take the text as a scan."""
        if self.results.selected_row() is not None:
            self.check_in_selected()
            return
        text = self.field.text()
        if not text.strip():
            return
        result = self._safely(lambda: self.desk.check_in(text))
        if result is None:
            return
        if result.status is CheckInStatus.UNKNOWN and not looks_like_code(text):
            self.search_now()
            self._show(self.panel.pick_card(self.model.rowCount(), text))
            return
        self._show_result(result)

    def check_in_selected(self) -> None:
        """Check in the attendee selected in the results, if any."""
        row = self.results.selected_row()
        if row is not None:
            self.check_in_attendee(self.model.attendee(row))

    def check_in_attendee(self, attendee: Attendee) -> None:
        """Check in `attendee`, picked from the results, by the same rules as a scan."""
        result = self._safely(lambda: self.desk.check_in_attendee(attendee.id))
        if result is not None:
            self._show_result(result)

    def _row_tapped(self, index: QModelIndex) -> None:
        self.check_in_attendee(self.model.attendee(index.row()))

    def _show_result(self, result: CheckInResult) -> None:
        self.field.clear()
        admitted = result.attendee if result.status is CheckInStatus.OK else None
        self._show(self.panel.card_for(result, self.desk.event), admitted.id if admitted else None)
        self._refresh_labels()

    def undo(self) -> None:
        """Undo the check-in the panel shows, and say so."""
        if self._undo_attendee is None:
            return
        attendee_id = self._undo_attendee
        outcome = self._safely(lambda: self.desk.undo_attendee(attendee_id))
        if outcome is not None:
            self._show(self.panel.card_for_undo(outcome))
            self._refresh_labels()

    def _safely(self, action: Callable[[], _R]) -> _R | None:
        """Run a desk action; if storage fails, say so on the card instead of failing silently.

        The window must survive anything below it: staff can retry, or check people in on paper.
        """
        try:
            return action()
        except Exception:
            logger.exception("a desk action failed")
            self.field.clear()  # ready for the retry scan, which would otherwise append
            self._show(self.panel.failure_card())
            return None

    def clear(self) -> None:
        """Empty the field and the results, and show the idle card."""
        self.field.clear()
        self._show(self.panel.ready_card())

    def _show(self, card: Card, undo_attendee: str | None = None) -> None:
        self.panel.show_card(card)
        self._set_undo(undo_attendee)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_undo(self) -> None:
        self._set_undo(None)

    def _set_undo(self, attendee_id: str | None) -> None:
        self._undo_attendee = attendee_id
        self.undo_button.setEnabled(attendee_id is not None)

    def _update_check_in_button(self) -> None:
        self.check_in_button.setEnabled(self.results.selected_row() is not None)

    def _refresh_labels(self) -> None:
        event = self.desk.event
        station = self.desk.station
        title = self.tr("{event} — {station}").format(event=event.name, station=station)
        self.setWindowTitle(title)
        where = self.tr("{event} · station {station}").format(event=event.name, station=station)
        clock = self.desk.clock
        if isinstance(clock, RehearsalClock):
            # Staff must see that the desk is not on today's date.
            where += " · " + self.tr("REHEARSAL: the date is set to {day}").format(
                day=QLocale().toString(QDate(clock.day.year, clock.day.month, clock.day.day))
            )
        self.event_label.setText(where)
        try:
            checked_in, registered = self.desk.today_counts()
        except Exception:
            logger.exception("could not count today's check-ins")
            self.counts_label.setText("")
            return
        self.counts_label.setText(
            self.tr("Checked in today: {count} / registered {registered}").format(
                count=checked_in, registered=registered
            )
        )
