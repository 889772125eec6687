"""The result card: an outcome's colour, icon shape and headline, who it is, what to do."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLocale,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.checkin import CheckInResult, CheckInStatus
from kiosk.core.model import Attendee, Event
from kiosk.ui.models import (
    category_label,
)
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import (
    ATTENTION_TONE,
    CARD_BACKGROUND,
    CARD_TEXT,
    NEUTRAL_BORDER,
    NEUTRAL_TONE,
    OK_TONE,
    SIZE,
    STOP_TONE,
    UNDONE_TONE,
    Tone,
    named,
)
from kiosk.workflows.staff import UndoResult, UndoStatus

# The result card stays up this long unless a new scan replaces it (UX.md: up to 30 s).
CLEAR_AFTER_MS = 30_000
CODE_SHOWN_CHARS = 40
# When a small or dense screen cannot fit the result card, its text shrinks in these steps;
# the last keeps the attendee's name above 8 mm (12 mm x 0.7).
FIT_SCALES = (1.0, 0.9, 0.8, 0.7)


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


def _local_date(day: date) -> str:
    pattern = QCoreApplication.translate("ResultPanel", "d MMMM", "date format for ticket days")
    return QLocale().toString(QDate(day.year, day.month, day.day), pattern)


def _join(parts: Iterable[str]) -> str:
    return " · ".join(part for part in parts if part)


class ResultPanel(QFrame):
    """The big answer to a scan; it goes back to "Ready to scan" after `clear_after_ms`.

    A tap pins the card (staff reading it out, or a question about it) until another tap or
    the next scan, which replaces it at once.
    """

    expired = Signal()

    def __init__(self, clear_after_ms: int = CLEAR_AFTER_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self._band = named(QFrame(), "band")
        self.icon = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "icon")
        self._text_sizes: dict[QLabel, tuple[float, bool]] = {}
        self.headline = self._label("headline", SIZE.headline_text, bold=True)
        self.name = self._label("name", SIZE.name_text, bold=True)
        self.details = self._label("details", SIZE.details_text)
        self.note = self._label("note", SIZE.note_text, bold=True)
        self.action = self._label("action", SIZE.action_text, bold=True)
        self.pin_label = self._label("pin", SIZE.details_text, bold=True)
        self.pinned = False
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
        label = named(QLabel(wordWrap=True), name)
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
        body.addWidget(self.pin_label)
        body.addStretch(1)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._outer.setSpacing(0)
        self._outer.addWidget(self._band)
        self._outer.addLayout(body, 1)

    def show_card(self, card: Card) -> None:
        """Show `card` at once; any card but the idle one clears itself after the timeout."""
        self.card = card
        self._set_pinned(False)
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

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A tap pins an answer, or releases a pinned one."""
        if event.button() == Qt.MouseButton.LeftButton and not self.card.idle:
            self._set_pinned(not self.pinned)
            if not self.pinned:
                self._timer.start()
        super().mousePressEvent(event)

    def _set_pinned(self, pinned: bool) -> None:
        self.pinned = pinned
        if pinned:
            self._timer.stop()
        self.pin_label.setText(self.tr("PINNED: tap the card to release it") if pinned else "")
        self.pin_label.setVisible(pinned)

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
        sheet = (
            f"#resultPanel {{ background: {CARD_BACKGROUND};"
            f" border: {mm_to_px(SIZE.border, screen)}px solid {border}; }}"
            f"#resultPanel QLabel {{ color: {CARD_TEXT}; background: transparent; }}"
            f"#band {{ background: {tone.background}; border: none; }}"
            f"#band QLabel {{ color: {tone.foreground}; }}"
            f"#icon {{ border: {ring}px solid {tone.foreground};"
            f" border-radius: {self.icon.width() // 2}px; }}"
        )
        # Setting a style sheet restyles every label (several ms): only when the tone changed.
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

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

    def walk_in_card(self, attendee: Attendee, not_printed: str = "") -> Card:
        """A walk-in registered at the desk: not yet admitted; their new badge admits them."""
        return Card(
            NEUTRAL_TONE,
            self.tr("REGISTERED"),
            icon="+",
            name=self._name(attendee),
            details=self._details(attendee),
            note=self.tr("Badge not printed: {reason}").format(reason=not_printed)
            if not_printed
            else self.tr("Their badge is printing."),
            action=self.tr("Scan the new badge to check them in."),
        )

    def failure_card(self, reason: str = "") -> Card:
        """Something below the screen failed (a full disk, a broken file): nothing was saved.
        `reason` says what is wrong, when that is known.
        """
        return Card(
            STOP_TONE,
            self.tr("NOT SAVED"),
            details=self.tr("The check-in could not be stored on this desk."),
            note=reason,
            action=self.tr("Try again. If it fails again, call the organisers."),
        )

    def message_card(self, message: str) -> Card:
        """Something the organiser asked for could not be done; the message says why."""
        return Card(NEUTRAL_TONE, self.tr("NOT POSSIBLE"), icon="!", note=message)

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
            note = self.tr("First at {time}, {station}").format(
                time=f"{event.local(result.first_at):%H:%M}", station=result.station or ""
            )
            for other in result.also:
                note += " · " + self.tr("also {time}, {station}").format(
                    time=f"{event.local(other.at):%H:%M}", station=other.station
                )
            return note
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
