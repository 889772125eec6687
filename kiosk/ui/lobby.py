"""The lobby board: what is on now and next in every room, read from five metres away."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QScreen,
)
from PySide6.QtWidgets import QWidget

from kiosk.core.clock import Clock
from kiosk.core.errors import InvalidInputError
from kiosk.core.journal import Changes, Topic
from kiosk.core.model import Event, utc
from kiosk.core.schedule import BoardState, RoomNow, Session
from kiosk.ui.application import FONT_FAMILY, load_fonts
from kiosk.ui.changes import ChangeWatcher
from kiosk.ui.qr import qr_image
from kiosk.ui.theme import ATTENTION_TONE, STOP_TONE

logger = logging.getLogger(__name__)

# -- time ------------------------------------------------------------------------------------

# One look at the clock a second; everything else follows from what that look finds.
TICK_MS = 1000
LANGUAGE_SECONDS = 10  # Czech and English take turns
TICKER_SECONDS = 6  # each part of the announcement stays this long
DEFAULT_PAGE_SECONDS = 8  # each page of rooms, when they do not all fit (lobby.seconds_per_page)
# "Next" says "in 12 min" up to an hour ahead, and its start time beyond.
MINUTES_AHEAD = 60

# -- sizes, as fractions of the board's short side (the height of a landscape panel) ---------
# UX.md's proven scale (info-beamer): room and clock 14 %, headings 11 %, body 7 %,
# secondary 4 %, margins 3.5-5 %. That scale is for one room per screen; a lobby board shows
# several, so the clock keeps its 14 % and each room row scales with the height it gets,
# between ROW_MIN (four rooms on a landscape panel) and ROW_MAX.
MARGIN = 0.035  # of each side's own length: TV overscan
GAP = 0.012
HEADER = 0.135
EVENT_LINE = 0.1  # portrait: the event's name and the date get lines of their own
HEADS = 0.045
FOOTER = 0.065
CLOCK_TEXT = 0.14
EVENT_TEXT = 0.05
DATE_TEXT = 0.034
CAPTION_TEXT = 0.028
HEADS_TEXT = 0.032
FOOTER_TEXT = 0.038
COUNT_SHARE = 0.36  # of the footer's width; the announcement gets the rest
ROW_MIN = 0.15
ROW_MAX = 0.24
DAY_OVER_TEXTS = (0.075, 0.05, 0.055, 0.04)  # headline, when and where, title, speakers
DAY_OVER_GAP = 0.04

# Inside a room row, as fractions of the row's scale r (its height on a landscape board).
PORTRAIT_ROOM_LINE = 0.3  # portrait: the room's name sits on a line above now and next
PORTRAIT_ROW = 1.85  # portrait: a row's height in r (name, now, then next below it)
ROW_PAD = 0.06
COLUMN_GAP = 0.12
ROOM_SIZES = (0.25, 0.22, 0.19)  # bold; shrunk in these steps until the name fits
TITLE_SIZES = (0.25, 0.23, 0.21)  # now: up to two lines
DETAIL_TEXT = 0.19  # speakers, "until 11:30"
BADGE_TEXT = 0.16  # "+10 min", "CANCELLED" on the detail line
BAR_GAP = 0.025
BAR_HEIGHT = 0.045
WHEN_TEXT = 0.21  # next: "in 12 min"
NEXT_SIZES = (0.21, 0.19)
NOTED_SIZES = (0.18,)  # next, with a "moved from" line below the title
NOTE_TEXT = 0.17
# Column edges of a landscape row as fractions of its width: room | now | next.
LANDSCAPE_COLUMNS = (0.0, 0.23, 0.68, 1.0)

# Each panel keeps its last two renderings: with two languages taking turns, every turn after
# the first two of a minute copies pixels instead of drawing large text again, which Qt's
# raster engine does as paths, uncached, above 64 px: most text on a 4K board.
RENDERINGS_KEPT = 2

# -- colours: every text colour passes WCAG AA (4.5:1) on BACKGROUND (tests/ui/test_lobby.py) -
BACKGROUND = "#0B1A2B"
TEXT = "#FFFFFF"  # 17.3:1
SECONDARY = "#B9C6D3"  # 10.6:1: UX.md's "60 % opacity", as a solid colour that passes
ACCENT = "#FFD166"  # 12.6:1: the clock, "in 12 min"
RULE = "#2C4560"  # lines and the progress bar's track (not text)
BAR_FILL = "#5EC8F2"  # 9:1 against the background; "until 11:30" says the same in words
BREAK_ICON = "☕"
ELLIPSIS = "…"


@dataclass(frozen=True)
class BadgeTone:
    """A badge's colours; its words carry the meaning, the colour only repeats it."""

    background: str
    foreground: str


DELAY_TONE = BadgeTone(ATTENTION_TONE.background, ATTENTION_TONE.foreground)  # 10.8:1
CANCELLED_TONE = BadgeTone(STOP_TONE.background, STOP_TONE.foreground)  # 6.6:1
MOVED_TONE = BadgeTone("#80DEEA", "#000000")  # 14.6:1
FULL_TONE = BadgeTone("#CE93D8", "#000000")  # 8.8:1; "room full" is neither a delay nor a stop


# -- the board's words, in both languages ------------------------------------------------------


def _cs_from(number: int) -> str:
    """Czech "z" or "ze" before `number` as it is read out: "ze 148" (ze sto…), "z 80" (z
    osmdesáti), "ze 12" (ze dvanácti). "Ze" goes before s, š, z, ž and the clusters of dvou,
    tří, čtyř; the number's first spoken word decides.
    """
    if number < 0:
        return "z"
    group, more = number, False
    while group >= 1000:
        group, more = group // 1000, True
    if more and group == 1:
        return "z"  # z tisíce, z milionu
    if group >= 100:
        first = group // 100
        return "ze" if first in (1, 2, 3, 4, 6, 7) else "z"  # ze sta, ze dvou set; z pěti set
    if 10 <= group < 20:
        return "ze" if group in (12, 13, 14, 16, 17) else "z"  # ze dvanácti; z jedenácti
    first = group // 10 if group >= 20 else group
    return "ze" if first in (2, 3, 4, 6, 7) else "z"  # ze dvaceti, ze šesti; z pěti, z jednoho


def _en_arrived(arrived: int, registered: int) -> str:
    return f"{arrived} of {registered} arrived"


def _cs_arrived(arrived: int, registered: int) -> str:
    # The verb agrees with the number: dorazil 1, dorazili 3, dorazilo 112 (and 0).
    verb = "Dorazil" if arrived == 1 else "Dorazili" if 2 <= arrived <= 4 else "Dorazilo"
    return f"{verb} {arrived} {_cs_from(registered)} {registered}"


@dataclass(frozen=True)
class Words:
    """The board's fixed words in one language; `{time}`, `{minutes}`, `{room}` fill in."""

    language: str
    now: str
    next: str
    until: str
    ended: str
    in_minutes: str
    starting: str
    break_: str
    cancelled: str
    full: str
    moved: str
    nothing_now: str
    nothing_next: str
    day_over: str
    no_sessions: str
    tomorrow: str
    programme: str
    page: str
    stale: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    date_pattern: str
    arrived: Callable[[int, int], str]

    def day(self, day: date) -> str:
        """`day` written out, capitalised as a line of its own: "Monday 23 October"."""
        text = self.date_pattern.format(
            weekday=self.weekdays[day.weekday()], day=day.day, month=self.months[day.month - 1]
        )
        return text[:1].upper() + text[1:]


# A table of both languages rather than Qt's `tr`: the board shows Czech and English in turn
# whatever language the application runs in, and Qt's translators give one language at a time
# (alternating would mean swapping the application's translators every ten seconds under any
# other window). Czech also needs grammar a catalogue cannot hold: "dorazil 1 / dorazili 3 /
# dorazilo 112" and "ze 148" but "z 80".
ENGLISH = Words(
    language="en",
    now="Now",
    next="Next",
    until="until {time}",
    ended="ended",
    in_minutes="in {minutes} min",
    starting="starting now",
    break_="Break",
    cancelled="CANCELLED",
    full="ROOM FULL",
    moved="moved from {room}",
    nothing_now="nothing on now",
    nothing_next="nothing more today",
    day_over="No more sessions today",
    no_sessions="No sessions today",
    tomorrow="Tomorrow",
    programme="Programme online: scan the code",
    page="Page {page}/{pages}",
    stale="⚠ Schedule may be out of date",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    months=tuple(
        "January February March April May June July August September October November"
        " December".split()
    ),
    date_pattern="{weekday} {day} {month}",
    arrived=_en_arrived,
)
CZECH = Words(
    language="cs",
    now="Teď",
    next="Další",
    until="do {time}",
    ended="skončilo",
    in_minutes="za {minutes} min",
    starting="právě začíná",
    break_="Přestávka",
    cancelled="ZRUŠENO",
    full="SÁL PLNÝ",
    # A label's colon, as on Czech signs ("Odjezd z: ..."): a room's name keeps its own form,
    # where "z Velký sál" would need the genitive ("z Velkého sálu") the board cannot make.
    moved="přesunuto z: {room}",
    nothing_now="teď nic neprobíhá",
    nothing_next="dnes už nic dalšího",
    day_over="Dnešní program skončil",
    no_sessions="Dnes žádný program",
    tomorrow="Zítra",
    programme="Program online: naskenujte kód",
    page="Strana {page}/{pages}",
    stale="⚠ Program nemusí být aktuální",
    weekdays=("pondělí", "úterý", "středa", "čtvrtek", "pátek", "sobota", "neděle"),
    # The genitive: "23. října".
    months=tuple(
        "ledna února března dubna května června července srpna září října listopadu"
        " prosince".split()
    ),
    date_pattern="{weekday} {day}. {month}",
    arrived=_cs_arrived,
)
WORDS: dict[str, Words] = {words.language: words for words in (ENGLISH, CZECH)}


def board_languages(event: Event) -> tuple[str, ...]:
    """The languages a board of `event` alternates: the event's own first, then the other."""
    first = event.locale.replace("-", "_").split("_")[0].lower()
    return tuple(dict.fromkeys([first, *WORDS] if first in WORDS else WORDS))


# -- where the data comes from ---------------------------------------------------------------


@dataclass(frozen=True)
class BoardSettings:
    """The board's settings: `lobby.announcement`, `lobby.programme_url` (both event-wide)
    and `lobby.seconds_per_page` (this kiosk's).
    """

    announcement: str = ""
    programme_url: str = ""
    seconds_per_page: int = DEFAULT_PAGE_SECONDS
    logo: bytes = b""  # `lobby.logo`: PNG or JPEG bytes; empty: no logo


class BoardSource(Protocol):
    """What a lobby board reads: the schedule at a moment, today's arrivals, its settings."""

    @property
    def event(self) -> Event:
        """The event: its name, and the time zone the board's clock and times are in."""
        ...

    def state(self, at: datetime) -> BoardState:
        """What is on now and next in every room at `at`."""
        ...

    def counts(self) -> tuple[int, int]:
        """(checked in today, registered), as `StaffDesk.today_counts()` gives them."""
        ...

    def follow(self, changes: Changes) -> None:
        """Take in what another process or kiosk changed (check-ins, undos, the registry)
        before `counts` is read again.
        """
        ...

    def settings(self) -> BoardSettings:
        """The board's settings as they are now."""
        ...


class SpeedClock:
    """A clock that starts at `start` and runs `speed` times as fast as real time, to rehearse
    a day on the board (`kiosk lobby --at 2023-10-23T08:55 --speed 60`).
    """

    rehearsal_day: date | None = None

    def __init__(
        self, start: datetime, speed: float = 1.0, *, timer: Callable[[], float] = time.monotonic
    ) -> None:
        if not math.isfinite(speed) or speed <= 0:
            raise InvalidInputError(f"--speed: {speed} is not a speed above 0")
        self.start = utc(start)
        self.speed = speed
        self._timer = timer
        self._started = timer()

    def __call__(self) -> datetime:
        """`start` plus the real time since the clock was made, times `speed`."""
        return self.start + timedelta(seconds=(self._timer() - self._started) * self.speed)


# -- what each room row says -------------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    """A word on a coloured plate: "+10 min", "CANCELLED", "moved from Hall B"."""

    text: str
    tone: BadgeTone


@dataclass(frozen=True)
class Cell:
    """A room's "now" or "next" session as the board words it; an empty title shows the
    placeholder ("nothing on now").
    """

    title: str = ""
    placeholder: str = ""
    when: str = ""  # next: "in 12 min", "14:15"
    detail: str = ""  # now: the speakers, or "Break"
    until: str = ""  # now: "until 11:30"
    badges: tuple[Badge, ...] = ()
    note: Badge | None = None  # next: "moved from Hall B", on a line of its own
    struck: bool = False  # cancelled: drawn struck through, beside the word
    icon: str = ""
    progress: float | None = None


@dataclass(frozen=True)
class RoomView:
    """One room row: its name, what is on now and what is next."""

    room: str
    now: Cell
    next: Cell
    next_label: str = ""  # portrait: "Next", before "in 12 min"


def _clock_text(event: Event, at: datetime) -> str:
    return f"{event.local(at):%H:%M}"


def _badges(session: Session, words: Words, *, moved: bool) -> tuple[Badge, ...]:
    badges = []
    if session.cancelled:
        badges.append(Badge(words.cancelled, CANCELLED_TONE))
    elif session.full:
        badges.append(Badge(words.full, FULL_TONE))
    minutes = round(session.delay.total_seconds() / 60)
    if minutes:
        # U+2212, the minus sign: a hyphen is too short to read from five metres.
        badges.append(Badge(f"{'+' if minutes > 0 else '−'}{abs(minutes)} min", DELAY_TONE))
    if moved and session.moved_from:
        badges.append(Badge(words.moved.format(room=session.moved_from), MOVED_TONE))
    return tuple(badges)


def now_cell(session: Session | None, event: Event, at: datetime, words: Words) -> Cell:
    """The "now" of a room at `at`: title, speakers or "Break", "until 11:30", progress."""
    if session is None:
        return Cell(placeholder=words.nothing_now)
    at = utc(at)
    until, progress = "", None
    if not session.cancelled:
        if at >= session.end:  # over, but still up in its first 15 minutes (STILL_NOW)
            until, progress = words.ended, 1.0
        else:
            until = words.until.format(time=_clock_text(event, session.end))
            length = (session.end - session.start).total_seconds()
            progress = max(0.0, min(1.0, (at - session.start).total_seconds() / length))
    return Cell(
        title=session.title,
        detail=words.break_ if session.is_break else ", ".join(session.speakers),
        until=until,
        badges=_badges(session, words, moved=True),
        struck=session.cancelled,
        icon=BREAK_ICON if session.is_break else "",
        progress=progress,
    )


def starts_in(session: Session, event: Event, at: datetime, words: Words) -> str:
    """When `session` starts, seen from `at`: "in 12 min" within the hour, else "14:15"."""
    minutes = math.ceil((session.start - utc(at)).total_seconds() / 60)
    if session.cancelled or minutes > MINUTES_AHEAD:
        return _clock_text(event, session.start)
    if minutes <= 0:
        return words.starting
    return words.in_minutes.format(minutes=minutes)


def next_cell(session: Session | None, event: Event, at: datetime, words: Words) -> Cell:
    """The "next" of a room at `at`: when, title, and what changed on site."""
    if session is None:
        return Cell(placeholder=words.nothing_next)
    moved = Badge(words.moved.format(room=session.moved_from), MOVED_TONE)
    return Cell(
        title=session.title,
        when=starts_in(session, event, at, words),
        badges=_badges(session, words, moved=False),
        note=moved if session.moved_from else None,
        struck=session.cancelled,
        icon=BREAK_ICON if session.is_break else "",
    )


def room_view(room: RoomNow, event: Event, at: datetime, words: Words) -> RoomView:
    """What the row of `room` says at `at` in `words`' language."""
    return RoomView(
        room.room,
        now_cell(room.now, event, at, words),
        next_cell(room.next, event, at, words),
        next_label=words.next,
    )


def shown_rooms(state: BoardState) -> list[RoomNow]:
    """The rooms with something on now or still to come today, in the schedule's order."""
    return [room for room in state.rooms if room.now is not None or room.next is not None]


def paginate(rooms: Sequence[RoomNow], per_page: int) -> list[list[RoomNow]]:
    """`rooms` in pages of `per_page`. When they do not all fit, the first half of every page
    stays (the schedule lists its main rooms first) and the rest of it pages through the others.
    """
    per_page = max(1, per_page)
    if len(rooms) <= per_page:
        return [list(rooms)]
    pinned = per_page // 2
    slots = per_page - pinned
    rest = rooms[pinned:]
    return [[*rooms[:pinned], *rest[i : i + slots]] for i in range(0, len(rest), slots)]


def day_over_lines(state: BoardState, event: Event, words: Words) -> tuple[str, ...]:
    """The board's text when nothing is left today: the headline and tomorrow's first session
    (when, where; title; speakers).
    """
    headline = words.day_over if state.rooms else words.no_sessions
    first = state.tomorrow_first
    if first is None:
        return (headline,)
    day = first.day(event)
    when = words.tomorrow if day == state.day + timedelta(days=1) else words.day(day)
    title = f"{BREAK_ICON} {first.title}" if first.is_break else first.title
    return (
        headline,
        f"{when} · {_clock_text(event, first.start)} · {first.room}",
        title,
        ", ".join(first.speakers),
    )


def announcement_parts(text: str) -> tuple[str, ...]:
    """The parts of an announcement the ticker shows in turn ("a | b", or one per line)."""
    parts = (part.strip() for line in text.splitlines() for part in line.split(" | "))
    return tuple(part for part in parts if part)


# -- text in boxes -----------------------------------------------------------------------------

# Qt's raster engine caches glyphs up to 64 px as bitmaps and fills larger ones as paths. Do
# not raise that limit (QT_MAX_CACHED_GLYPH_SIZE): with PySide6 6.11 a glyph between the old and
# the new limit is drawn as nothing, and the board's clock (150 px at 1080p) went blank on a
# real screen while every screenshot showed it. The panels keep their renderings as images,
# so a glyph is filled as a path only when what a panel shows changes.


def board_font(pixels: float, *, bold: bool = False, strike: bool = False) -> QFont:
    """The bundled DejaVu Sans at `pixels` pixels (em size), whatever the application's font."""
    font = QFont(QGuiApplication.font())
    font.setFamilies([FONT_FAMILY])
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    font.setStrikeOut(strike)
    return font


def wrap_text(
    text: str, metrics: QFontMetricsF, width: float, max_lines: int
) -> tuple[tuple[str, ...], bool]:
    """`text` wrapped at spaces into at most `max_lines` lines no wider than `width`, and
    whether all of it fits: when it does not, the last line ends in an ellipsis.
    """
    words = text.split()
    lines: list[str] = []
    complete = True
    while words and len(lines) < max_lines:
        count = 1
        while (
            count < len(words) and metrics.horizontalAdvance(" ".join(words[: count + 1])) <= width
        ):
            count += 1
        line, words = " ".join(words[:count]), words[count:]
        if words and len(lines) == max_lines - 1:
            line = metrics.elidedText(" ".join([line, *words]), Qt.TextElideMode.ElideRight, width)
            words, complete = [], False
        elif metrics.horizontalAdvance(line) > width:  # one word longer than the line
            line = metrics.elidedText(line, Qt.TextElideMode.ElideRight, width)
            complete = False
        lines.append(line)
    return tuple(lines), complete


@dataclass(frozen=True)
class TextBlock:
    """Lines of text placed in a widget: what a panel paints, and what tests measure."""

    rect: QRectF  # the box the text must stay inside
    font: QFont
    lines: tuple[str, ...]
    complete: bool  # False: elided to fit
    colour: str
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft

    def line_width(self, line: str) -> float:
        """How wide `line` is drawn."""
        return QFontMetricsF(self.font).horizontalAdvance(line)

    @property
    def height(self) -> float:
        """How tall the lines are drawn."""
        return len(self.lines) * QFontMetricsF(self.font).lineSpacing()


def fit_block(
    text: str,
    rect: QRectF,
    sizes: Sequence[float],
    *,
    bold: bool = False,
    strike: bool = False,
    max_lines: int = 1,
    colour: str = TEXT,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> TextBlock:
    """`text` in `rect` at the first of `sizes` (pixels) at which all of it fits in
    `max_lines` lines of the box, else elided at the last size.
    """
    block: TextBlock | None = None
    for size in sizes:
        font = board_font(size, bold=bold, strike=strike)
        metrics = QFontMetricsF(font)
        lines_fitting = max(1, min(max_lines, int(rect.height() // metrics.lineSpacing())))
        lines, complete = wrap_text(text, metrics, rect.width(), lines_fitting)
        block = TextBlock(rect, font, lines, complete, colour, align)
        if complete:
            break
    assert block is not None, "fit_block needs at least one size"
    return block


def _draw_block(painter: QPainter, block: TextBlock) -> None:
    painter.setFont(block.font)
    painter.setPen(QColor(block.colour))
    metrics = QFontMetricsF(block.font)
    y = block.rect.top() + metrics.ascent()
    for line in block.lines:
        x = block.rect.left()
        if block.align & Qt.AlignmentFlag.AlignRight:
            x = block.rect.right() - metrics.horizontalAdvance(line)
        elif block.align & Qt.AlignmentFlag.AlignHCenter:
            x = block.rect.center().x() - metrics.horizontalAdvance(line) / 2
        painter.drawText(QPointF(x, y), line)
        y += metrics.lineSpacing()


@dataclass(frozen=True)
class BadgeBox:
    """A badge placed in a widget."""

    rect: QRectF
    badge: Badge
    font: QFont
    text: str  # elided when the badge had to be cut short


def _badge_boxes(
    badges: Sequence[Badge], left: float, top: float, right: float, size: float
) -> tuple[list[BadgeBox], float]:
    """Badges side by side from `left`, on a line starting at `top`; returns them and the x
    where the line continues.
    """
    font = board_font(size, bold=True)
    metrics = QFontMetricsF(font)
    pad = 0.35 * size  # _badge_width: the text and a pad each side
    height = _badge_height(size)
    boxes = []
    x = left
    for badge in badges:
        room = right - x - 2 * pad
        if room < metrics.horizontalAdvance("MM" + ELLIPSIS):
            break
        text = metrics.elidedText(badge.text, Qt.TextElideMode.ElideRight, room)
        width = metrics.horizontalAdvance(text) + 2 * pad
        boxes.append(BadgeBox(QRectF(x, top, width, height), badge, font, text))
        x += width + pad
    return boxes, x


def _badge_width(text: str, size: float) -> float:
    return QFontMetricsF(board_font(size, bold=True)).horizontalAdvance(text) + 0.7 * size


def _badge_height(size: float) -> float:
    return QFontMetricsF(board_font(size, bold=True)).height() + 0.1 * size


def _centred(line_top: float, line_height: float, size: float) -> float:
    """Where a badge of text `size` starts to sit centred on a line."""
    return line_top + (line_height - _badge_height(size)) / 2


def _draw_badge(painter: QPainter, box: BadgeBox) -> None:
    radius = box.rect.height() * 0.18
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(box.badge.tone.background))
    painter.drawRoundedRect(box.rect, radius, radius)
    painter.setFont(box.font)
    painter.setPen(QColor(box.badge.tone.foreground))
    painter.drawText(box.rect, Qt.AlignmentFlag.AlignCenter, box.text)


# -- the board's panels ------------------------------------------------------------------------


class Panel(QWidget):
    """A part of the board that paints itself whole and opaque, and only when what it shows
    changed: `show_view` with an equal view does nothing, so an idle board stays idle.
    """

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        # Opaque: a repaint here never makes the window paint what lies beneath.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.view: object = None
        self.unit = 1.0  # the board's short side, in pixels
        self.renderings: dict[object, QImage] = {}  # the newest last

    def show_view(self, view: object) -> None:
        """Show `view`; repaint only when it differs from what is shown."""
        if view == self.view:
            return
        self.view = view
        self.relayout()
        self.update()

    def set_unit(self, unit: float) -> None:
        """Take the board's size unit (its short side, in pixels)."""
        if unit != self.unit:
            self.unit = unit
            self.relayout()
            self.update()

    def relayout(self) -> None:
        """Place the text for the current view and size (never while painting)."""

    def texts(self) -> list[str]:
        """The text this panel draws, line by line."""
        return []

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Place the text again for the new size."""
        super().resizeEvent(event)
        self.relayout()

    def paint_key(self) -> object:
        """What the panel's pixels depend on besides its view, size and unit."""
        return None

    def paintEvent(self, _event: QPaintEvent) -> None:
        """Copy the panel's rendering of what it shows, drawing it first if it has none."""
        if self.width() <= 0 or self.height() <= 0:
            return
        ratio = self.devicePixelRatioF()
        key = (self.view, self.width(), self.height(), self.unit, ratio, self.paint_key())
        image = self.renderings.pop(key, None)
        if image is None:
            image = self.render_image(ratio)
        self.renderings[key] = image
        while len(self.renderings) > RENDERINGS_KEPT:
            del self.renderings[next(iter(self.renderings))]
        painter = QPainter(self)
        try:
            painter.drawImage(0, 0, image)
        finally:
            painter.end()

    def render_image(self, ratio: float = 1.0) -> QImage:
        """The panel drawn afresh into an image, at `ratio` device pixels per pixel."""
        image = QImage(
            math.ceil(self.width() * ratio),
            math.ceil(self.height() * ratio),
            QImage.Format.Format_RGB32,
        )
        image.setDevicePixelRatio(ratio)
        image.fill(QColor(BACKGROUND))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self.draw(painter)
        finally:
            painter.end()
        return image

    def draw(self, painter: QPainter) -> None:
        """Draw the view."""


@dataclass(frozen=True)
class Line:
    """A line (or paragraph) of a text panel: size as a fraction of the board's unit."""

    text: str
    size: float
    bold: bool = False
    colour: str = TEXT
    max_lines: int = 1


@dataclass(frozen=True)
class TextView:
    """What a text panel shows: its lines, aligned and placed."""

    lines: tuple[Line, ...]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    centre_vertically: bool = True


class TextPanel(Panel):
    """Lines of text stacked in a box: the event's name and date, the count, day over."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent, name)
        self.blocks: list[TextBlock] = []

    def relayout(self) -> None:
        """Wrap each line to the panel's width, stacked, centred when asked."""
        self.blocks = []
        view = self.view
        if not isinstance(view, TextView):
            return
        width = float(self.width())
        placed: list[TextBlock] = []
        y = 0.0
        for line in view.lines:
            if not line.text:
                y += line.size * self.unit
                continue
            font = board_font(line.size * self.unit, bold=line.bold)
            height = QFontMetricsF(font).lineSpacing() * line.max_lines
            block = fit_block(
                line.text,
                QRectF(0, y, width, height),
                [line.size * self.unit],
                bold=line.bold,
                max_lines=line.max_lines,
                colour=line.colour,
                align=view.align,
            )
            placed.append(block)
            y += block.height
        shift = max(0.0, (self.height() - y) / 2) if view.centre_vertically else 0.0
        self.blocks = [
            TextBlock(b.rect.translated(0, shift), b.font, b.lines, b.complete, b.colour, b.align)
            for b in placed
        ]

    def texts(self) -> list[str]:
        """Every line drawn."""
        return [line for block in self.blocks for line in block.lines]

    def draw(self, painter: QPainter) -> None:
        """Draw the lines."""
        for block in self.blocks:
            _draw_block(painter, block)


class ClockFace(Panel):
    """The time in the event's time zone, hours and minutes, the biggest thing on the board."""

    def texts(self) -> list[str]:
        """The time shown."""
        return [self.view] if isinstance(self.view, str) else []

    def draw(self, painter: QPainter) -> None:
        """The digits, right-aligned, centred on their height."""
        if not isinstance(self.view, str):
            return
        font = board_font(CLOCK_TEXT * self.unit, bold=True)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        painter.setPen(QColor(ACCENT))
        baseline = self.height() / 2 + metrics.capHeight() / 2
        painter.drawText(
            QPointF(self.width() - metrics.horizontalAdvance(self.view), baseline), self.view
        )


class LogoPanel(Panel):
    """The event's logo, scaled to fit and centred; its view is the image's bytes."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent, name)
        self.image: QImage | None = None

    def relayout(self) -> None:
        """Decode the logo when it changed; bytes Qt cannot read show nothing."""
        data = self.view if isinstance(self.view, bytes) else b""
        if self.image is not None and self.image.text("bytes") == str(hash(data)):
            return
        image = QImage()
        self.image = image if data and image.loadFromData(data) else None
        if self.image is not None:
            self.image.setText("bytes", str(hash(data)))

    def draw(self, painter: QPainter) -> None:
        """The logo, as large as the panel allows, keeping its shape."""
        if self.image is None or self.image.isNull():
            return
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        left, top = (self.width() - size.width()) // 2, (self.height() - size.height()) // 2
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRect(left, top, size.width(), size.height()), self.image)


class QrPanel(Panel):
    """The QR code of the online programme, drawn at a whole number of pixels per module."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent, name)
        self.image: QImage | None = None

    def relayout(self) -> None:
        """Make the code's image when the address changed."""
        url = self.view if isinstance(self.view, str) else ""
        if not url:
            self.image = None
        elif self.image is None or self.image.text("url") != url:
            self.image = qr_image(url)
            self.image.setText("url", url)

    def module_pixels(self) -> int:
        """Pixels per module: whole, so every module is sharp."""
        if self.image is None:
            return 0
        return min(self.width(), self.height()) // self.image.width()

    def draw(self, painter: QPainter) -> None:
        """The code, square, in the panel's top-left corner."""
        if self.image is None:
            return
        side = self.module_pixels() * self.image.width()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        painter.drawImage(QRect(0, (self.height() - side) // 2, side, side), self.image)


@dataclass(frozen=True)
class HeadsView:
    """The column heads: "Now", "Next", and the page when rooms page."""

    page: str
    now: str
    next: str
    portrait: bool
    gap: float  # the rows' gap before a column, so the heads line up with the text
    warning: str = ""  # "schedule may be out of date"


def column_edges(width: float) -> list[tuple[float, float]]:
    """(left, right) of the room, now and next columns of a landscape row `width` wide;
    `COLUMN_GAP` is left to the caller.
    """
    edges = LANDSCAPE_COLUMNS
    return [(edges[i] * width, edges[i + 1] * width) for i in range(len(edges) - 1)]


class HeadsPanel(Panel):
    """The heads over the columns."""

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent, name)
        self.blocks: list[TextBlock] = []
        self.badges: list[BadgeBox] = []

    def relayout(self) -> None:
        """Place each head over its column (portrait: "Now", and the page at the right), and
        the warning that the schedule may be out of date at the right end.
        """
        self.blocks, self.badges = [], []
        view = self.view
        if not isinstance(view, HeadsView):
            return
        size = HEADS_TEXT * self.unit
        columns = column_edges(self.width())
        # At the end of the "Now" column (landscape) or of the line (portrait): never over a head.
        right = float(self.width()) if view.portrait else columns[2][0] - view.gap
        if view.warning:
            badge = Badge(view.warning, DELAY_TONE)
            width = _badge_width(badge.text, size)
            top = _centred(0, self.height(), size)
            self.badges, _ = _badge_boxes([badge], max(0.0, right - width), top, right, size)
        if view.portrait:
            right -= _badge_width(view.warning, size) + size if view.warning else 0.0
            rect = QRectF(0, 0, right, self.height())
            self.blocks.append(fit_block(view.now, rect, [size], bold=True, colour=SECONDARY))
            align = Qt.AlignmentFlag.AlignRight
            self.blocks.append(fit_block(view.page, rect, [size], colour=SECONDARY, align=align))
            return
        texts = (view.page, view.now, view.next)
        for (left, right_edge), text in zip(columns, texts, strict=True):
            inset = view.gap if left > 0 else 0.0
            rect = QRectF(left + inset, 0, right_edge - left - inset, self.height())
            self.blocks.append(fit_block(text, rect, [size], bold=True, colour=SECONDARY))

    def texts(self) -> list[str]:
        """The heads shown, and the warning."""
        return [line for block in self.blocks for line in block.lines] + [
            box.text for box in self.badges
        ]

    def draw(self, painter: QPainter) -> None:
        """The heads, and the warning's badge."""
        for block in self.blocks:
            _draw_block(painter, block)
        for box in self.badges:
            _draw_badge(painter, box)


@dataclass(frozen=True)
class Bar:
    """A progress bar placed in a row."""

    rect: QRectF
    progress: float


class RoomRow(Panel):
    """One room: its name, the session on now, the next one. Sizes follow the row's height.

    Landscape: name | now | next side by side. Portrait: the name on a line of its own, now
    across the whole width below it, then a line "Next in 12 min" and the next title.
    """

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent, name)
        self.portrait = False
        self.rule_below = True
        self.blocks: dict[str, TextBlock] = {}
        self.badges: list[BadgeBox] = []
        self.bars: list[Bar] = []

    @property
    def scale(self) -> float:
        """The row's scale r, which every size in the row is a fraction of: its height on a
        landscape board.
        """
        return self.height() / (PORTRAIT_ROW if self.portrait else 1.0)

    def paint_key(self) -> object:
        """The row is drawn differently on a portrait board and as the last row."""
        return (self.portrait, self.rule_below)

    def arrange(self, portrait: bool, rule_below: bool) -> None:
        """Lay the row out for a portrait or landscape board, with or without a rule below."""
        if (portrait, rule_below) != (self.portrait, self.rule_below):
            self.portrait, self.rule_below = portrait, rule_below
            self.relayout()
            self.update()

    def relayout(self) -> None:
        """Place the room's name and both cells."""
        self.blocks, self.badges, self.bars = {}, [], []
        view = self.view
        if not isinstance(view, RoomView) or self.height() <= 0:
            return
        r = self.scale
        pad, gap = ROW_PAD * r, COLUMN_GAP * r
        sizes = [size * r for size in ROOM_SIZES]
        if self.portrait:
            width = float(self.width())
            name = QRectF(0, pad / 2, width, PORTRAIT_ROOM_LINE * r)
            self.blocks["room"] = fit_block(view.room, name, sizes, bold=True)
            bottom = self._place_now(view.now, QRectF(0, PORTRAIT_ROOM_LINE * r, width, r), r)
            self._place_next_below(view, QRectF(0, bottom + pad, width, r), r)
            return
        (room_left, room_right), (now_left, now_right), (next_left, next_right) = column_edges(
            self.width()
        )
        name = QRectF(room_left, pad, room_right - room_left, r - 2 * pad)
        self.blocks["room"] = fit_block(view.room, name, sizes, bold=True, max_lines=2)
        self._place_now(view.now, QRectF(now_left + gap, pad, now_right - now_left - gap, r), r)
        next_area = QRectF(next_left + gap, pad, next_right - next_left - gap, r - 1.5 * pad)
        self._place_next_beside(view.next, next_area, r)

    def _place_now(self, cell: Cell, area: QRectF, r: float) -> float:
        """Title, then badges, speakers and "until 11:30" on one line, then the progress bar;
        returns where the cell ends (the same whatever it holds, so the rows line up).
        """
        left, width = area.left(), area.width()
        title_height = 2 * QFontMetricsF(board_font(TITLE_SIZES[0] * r)).lineSpacing()
        detail_top = area.top() + title_height
        detail_height = QFontMetricsF(board_font(DETAIL_TEXT * r)).lineSpacing()
        bar_top = detail_top + detail_height + BAR_GAP * r
        bottom = bar_top + BAR_HEIGHT * r
        if not cell.title:
            self.blocks["now"] = fit_block(
                cell.placeholder,
                QRectF(left, area.top(), width, title_height),
                [DETAIL_TEXT * r],
                colour=SECONDARY,
            )
            return bottom
        title = f"{cell.icon} {cell.title}" if cell.icon else cell.title
        self.blocks["now"] = fit_block(
            title,
            QRectF(left, area.top(), width, title_height),
            [size * r for size in TITLE_SIZES],
            strike=cell.struck,
            max_lines=2,
        )
        right = area.right()
        if cell.until:
            until = fit_block(
                cell.until,
                QRectF(left, detail_top, width, detail_height),
                [DETAIL_TEXT * r],
                bold=True,
                align=Qt.AlignmentFlag.AlignRight,
            )
            self.blocks["until"] = until
            right -= until.line_width(until.lines[0]) + DETAIL_TEXT * r
        badge_top = _centred(detail_top, detail_height, BADGE_TEXT * r)
        badges, x = _badge_boxes(cell.badges, left, badge_top, right, BADGE_TEXT * r)
        self.badges.extend(badges)
        if cell.detail and right - x > DETAIL_TEXT * r:
            self.blocks["detail"] = fit_block(
                cell.detail,
                QRectF(x, detail_top, right - x, detail_height),
                [DETAIL_TEXT * r],
                colour=SECONDARY,
            )
        if cell.progress is not None:
            self.bars.append(Bar(QRectF(left, bar_top, width, BAR_HEIGHT * r), cell.progress))
        return bottom

    def _when_line(self, cell: Cell, left: float, top: float, right: float, r: float) -> float:
        """The time ("in 12 min") and the badges after it; returns where the line ends."""
        height = QFontMetricsF(board_font(WHEN_TEXT * r, bold=True)).lineSpacing()
        when = fit_block(
            cell.when,
            QRectF(left, top, right - left, height),
            [WHEN_TEXT * r],
            bold=True,
            colour=ACCENT,
        )
        self.blocks["when"] = when
        x = left + when.line_width(when.lines[0]) + 0.5 * WHEN_TEXT * r
        badge_top = _centred(top, height, NOTE_TEXT * r)
        badges, x = _badge_boxes(cell.badges, x, badge_top, right, NOTE_TEXT * r)
        self.badges.extend(badges)
        return x

    def _place_next_beside(self, cell: Cell, area: QRectF, r: float) -> None:
        """Landscape: "in 12 min" and badges, the title in up to two lines, the move below."""
        left, width = area.left(), area.width()
        if not cell.title:
            self.blocks["next"] = fit_block(
                cell.placeholder, area, [DETAIL_TEXT * r], colour=SECONDARY, max_lines=2
            )
            return
        self._when_line(cell, left, area.top(), area.right(), r)
        title_top = area.top() + self.blocks["when"].height
        note_height = _badge_height(NOTE_TEXT * r) if cell.note else 0.0
        sizes = NOTED_SIZES if cell.note else NEXT_SIZES  # smaller, to make room for it
        line = QFontMetricsF(board_font(sizes[0] * r)).lineSpacing()
        lines = 2 if title_top + 2 * line + note_height <= area.bottom() else 1
        title = f"{cell.icon} {cell.title}" if cell.icon else cell.title
        block = fit_block(
            title,
            QRectF(left, title_top, width, line * lines),
            [size * r for size in sizes],
            strike=cell.struck,
            max_lines=lines,
        )
        self.blocks["next"] = block
        if cell.note:
            top = title_top + block.height + 0.03 * r
            notes, _ = _badge_boxes([cell.note], left, top, area.right(), NOTE_TEXT * r)
            self.badges.extend(notes)

    def _place_next_below(self, view: RoomView, area: QRectF, r: float) -> None:
        """Portrait: "Next in 12 min", badges and the move on one line, the title below."""
        cell = view.next
        left, right = area.left(), area.right()
        height = QFontMetricsF(board_font(WHEN_TEXT * r, bold=True)).lineSpacing()
        label = fit_block(
            view.next_label,
            QRectF(left, area.top(), area.width(), height),
            [WHEN_TEXT * r],
            bold=True,
            colour=SECONDARY,
        )
        self.blocks["nextLabel"] = label
        x = left + label.line_width(label.lines[0]) + 0.5 * WHEN_TEXT * r
        if not cell.title:
            self.blocks["next"] = fit_block(
                cell.placeholder,
                QRectF(x, area.top(), right - x, height),
                [WHEN_TEXT * r],
                colour=SECONDARY,
            )
            return
        x = self._when_line(cell, x, area.top(), right, r)
        if cell.note:
            top = _centred(area.top(), height, NOTE_TEXT * r)
            notes, _ = _badge_boxes([cell.note], x, top, right, NOTE_TEXT * r)
            self.badges.extend(notes)
        title = f"{cell.icon} {cell.title}" if cell.icon else cell.title
        line = QFontMetricsF(board_font(NEXT_SIZES[0] * r)).lineSpacing()
        self.blocks["next"] = fit_block(
            title,
            QRectF(left, area.top() + height, area.width(), line),
            [size * r for size in NEXT_SIZES],
            strike=cell.struck,
        )

    def texts(self) -> list[str]:
        """Every word drawn: text lines and badges."""
        drawn = [line for block in self.blocks.values() for line in block.lines]
        return drawn + [box.text for box in self.badges]

    def draw(self, painter: QPainter) -> None:
        """Name, cells, badges, bars, and a rule below the row."""
        for block in self.blocks.values():
            _draw_block(painter, block)
        for box in self.badges:
            _draw_badge(painter, box)
        painter.setPen(Qt.PenStyle.NoPen)
        for bar in self.bars:
            radius = bar.rect.height() / 2
            painter.setBrush(QColor(RULE))
            painter.drawRoundedRect(bar.rect, radius, radius)
            if bar.progress > 0:
                done = QRectF(bar.rect)
                done.setWidth(max(bar.rect.height(), bar.rect.width() * bar.progress))
                painter.setBrush(QColor(BAR_FILL))
                painter.drawRoundedRect(done, radius, radius)
        if self.rule_below:
            thickness = max(1.0, 0.012 * self.scale)
            painter.fillRect(
                QRectF(0, self.height() - thickness, self.width(), thickness), QColor(RULE)
            )


@dataclass(frozen=True)
class TickerView:
    """The announcement's parts and the size of its text."""

    parts: tuple[str, ...]
    size: float


class TickerPanel(Panel):
    """The announcement, one part at a time: it steps to the next every few seconds instead
    of scrolling, so it repaints a few times a minute, not sixty times a second.
    """

    def __init__(self, parent: QWidget, name: str) -> None:
        super().__init__(parent, name)
        self.chunks: list[str] = []
        self.index = 0
        self.block: TextBlock | None = None

    def relayout(self) -> None:
        """Cut the parts into pieces that fit on the line, keeping the piece shown."""
        view = self.view
        self.chunks = []
        if isinstance(view, TickerView) and self.width() > 0:
            metrics = QFontMetricsF(board_font(view.size))
            for part in view.parts:
                lines, _ = wrap_text(part, metrics, self.width(), 1_000)
                self.chunks.extend(lines)
        self.index = self.index % len(self.chunks) if self.chunks else 0
        self._place()

    def _place(self) -> None:
        view = self.view
        if not self.chunks or not isinstance(view, TickerView):
            self.block = None
            return
        rect = QRectF(0, 0, self.width(), self.height())
        block = fit_block(self.chunks[self.index], rect, [view.size])
        self.block = TextBlock(
            rect.translated(0, (self.height() - block.height) / 2),
            block.font,
            block.lines,
            block.complete,
            block.colour,
        )

    def paint_key(self) -> object:
        """The piece shown."""
        return self.chunks[self.index] if self.chunks else ""

    def step(self) -> None:
        """Show the next piece; nothing to do (and no repaint) when there is only one."""
        if len(self.chunks) > 1:
            self.index = (self.index + 1) % len(self.chunks)
            self._place()
            self.update()

    def texts(self) -> list[str]:
        """The piece shown."""
        return list(self.block.lines) if self.block else []

    def draw(self, painter: QPainter) -> None:
        """The piece shown."""
        if self.block is not None:
            _draw_block(painter, self.block)


# -- where everything goes ---------------------------------------------------------------------


@dataclass(frozen=True)
class BoardLayout:
    """Where each part of the board goes in a window of a given size."""

    unit: int  # the short side: every size is a fraction of it
    portrait: bool
    event_line: QRect | None  # portrait: the event's name above the header
    qr: QRect | None
    logo: QRect | None  # the event's logo, beside its name
    title: QRect  # the event's name (landscape), date and the QR code's caption
    clock: QRect
    heads: QRect
    rooms: QRect
    ticker: QRect
    count: QRect
    rules: tuple[QRect, ...]  # thin lines between header, rooms and footer

    def row_height(self, rows: int) -> int:
        """How tall each of `rows` room rows is: they share the rooms' area, up to ROW_MAX."""
        most = ROW_MAX * self.unit * (PORTRAIT_ROW if self.portrait else 1)
        return int(min(self.rooms.height() / max(1, rows), most))

    @property
    def rows_per_page(self) -> int:
        """How many room rows fit at their smallest."""
        least = ROW_MIN * self.unit * (PORTRAIT_ROW if self.portrait else 1)
        return max(1, int(self.rooms.height() // least))


def board_layout(
    width: int, height: int, *, with_qr: bool = True, with_logo: bool = False
) -> BoardLayout:
    """The board's layout for a window of `width` x `height` pixels: 1920x1080, 3840x2160 (the
    same, doubled) and 1080x1920 portrait (the same text sizes, more rooms); the QR code, then
    the event's logo, then its name, left to right in the header.
    """
    unit = min(width, height)
    portrait = height > width
    mx, my = round(MARGIN * width), round(MARGIN * height)
    left, top, right, bottom = mx, my, width - mx, height - my
    content = right - left
    gap = round(GAP * unit)
    rule = max(1, round(0.002 * unit))
    y = top
    event_line = None
    if portrait:
        event_line = QRect(left, y, content, round(EVENT_LINE * unit))
        y += event_line.height() + gap
    header = round(HEADER * unit)
    digits = QFontMetricsF(board_font(CLOCK_TEXT * unit, bold=True)).horizontalAdvance("00:00")
    clock_width = math.ceil(digits * 1.02)
    clock = QRect(right - clock_width, y, clock_width, header)
    qr = QRect(left, y, header, header) if with_qr else None
    title_left = left + header + 2 * gap if with_qr else left
    logo = QRect(title_left, y, header, header) if with_logo else None
    if logo is not None:
        title_left += header + 2 * gap
    title = QRect(title_left, y, clock.left() - 2 * gap - title_left, header)
    y += header + gap
    rules = [QRect(left, y, content, rule)]
    y += rule
    heads = QRect(left, y, content, round(HEADS * unit))
    y += heads.height()
    line = round(FOOTER * unit)
    if portrait:  # too narrow for both on one line: the count above the announcement
        footer_top = bottom - 2 * line
        count = QRect(left, footer_top, content, line)
        ticker = QRect(left, footer_top + line, content, line)
    else:
        footer_top = bottom - line
        count_width = round(COUNT_SHARE * content)
        ticker = QRect(left, footer_top, content - count_width - 2 * gap, line)
        count = QRect(right - count_width, footer_top, count_width, line)
    rules.append(QRect(left, footer_top - rule, content, rule))
    rooms = QRect(left, y, content, footer_top - rule - gap - y)
    return BoardLayout(
        unit, portrait, event_line, qr, logo, title, clock, heads, rooms, ticker, count,
        tuple(rules),
    )  # fmt: skip


# -- the window --------------------------------------------------------------------------------


class LobbyWindow(QWidget):
    """A full-screen board for the lobby: the clock in the event's time zone, every room's
    session now and next with on-site changes, an announcement, the QR code of the online
    programme and today's arrivals; Czech and English take turns.

    It repaints only what changed: the clock when its minute turns, the rooms when a minute
    passes or the data changes, the words when the language turns. `changes` (the change
    feed) makes it read the schedule, settings and counts again as soon as they change.
    """

    def __init__(
        self,
        source: BoardSource,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        changes: ChangeWatcher | None = None,
        languages: Sequence[str] | None = None,
        language_seconds: int = LANGUAGE_SECONDS,
        ticker_seconds: int = TICKER_SECONDS,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lobbyWindow")
        load_fonts()
        self.source = source
        self.clock = clock
        self.board_event = source.event
        chosen = tuple(languages) if languages else board_languages(self.board_event)
        unknown = [lang for lang in chosen if lang not in WORDS]
        if unknown:
            raise InvalidInputError(f"the lobby board speaks {', '.join(WORDS)}, not {unknown}")
        self.languages = chosen
        self.language_index = 0
        self.language_seconds = max(1, language_seconds)
        self.ticker_seconds = max(1, ticker_seconds)
        self.ticks = 0
        self.page = 0
        self.minute: datetime | None = None
        self.state: BoardState | None = None
        self.counts: tuple[int, int] | None = None
        self.settings = BoardSettings()
        self.layout_now = board_layout(1920, 1080)
        self._layout_size = (0, 0)
        self.setWindowTitle(self.board_event.name)
        self.setCursor(Qt.CursorShape.BlankCursor)  # nobody points at a lobby board
        self.setAutoFillBackground(False)
        self.event_line = TextPanel(self, "lobbyEvent")
        self.qr = QrPanel(self, "lobbyQr")
        self.logo = LogoPanel(self, "lobbyLogo")
        self.title = TextPanel(self, "lobbyTitle")
        self.clock_face = ClockFace(self, "lobbyClock")
        self.heads = HeadsPanel(self, "lobbyHeads")
        self.rows: list[RoomRow] = []
        self.day_over = TextPanel(self, "lobbyDayOver")
        self.ticker = TickerPanel(self, "lobbyTicker")
        self.count = TextPanel(self, "lobbyCount")
        self.changes = changes
        if changes is not None:
            changes.setParent(self)
            changes.changed.connect(self.apply_changes)
        self._read_settings()
        self._follow_clock()
        self._timer = QTimer(self, interval=tick_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.resize(1920, 1080)

    # -- what is read, and when ----------------------------------------------------------

    @property
    def words(self) -> Words:
        """The words of the language shown now."""
        return WORDS[self.languages[self.language_index % len(self.languages)]]

    def tick(self) -> None:
        """Once a second: look at the clock; turn the language, page and ticker when due.
        Nothing is drawn again unless something it shows changed.
        """
        self.ticks += 1
        changed = self._follow_clock()
        if len(self.languages) > 1 and self.ticks % self.language_seconds == 0:
            self.language_index += 1
            changed = True
        seconds_per_page = max(1, self.settings.seconds_per_page)
        if self._page_count() > 1 and self.ticks % seconds_per_page == 0:
            self.page += 1
            changed = True
        if self.ticks % self.ticker_seconds == 0:
            self.ticker.step()
        if changed:
            self.refresh()

    def show_language(self, language: str) -> None:
        """Show `language` now (one of the board's languages)."""
        self.language_index = self.languages.index(language)
        self.refresh()

    def _follow_clock(self) -> bool:
        """Read the schedule and counts again when the minute turned; True if it did."""
        minute = utc(self.clock()).replace(second=0, microsecond=0)
        if minute == self.minute:
            return False
        self.minute = minute
        self._read_state()
        self._read_counts()
        return True

    def apply_changes(self, changes: Changes) -> None:
        """Read again what another process or kiosk changed, and show it."""
        if Topic.SETTINGS in changes or Topic.EVENT in changes:
            self._read_settings()
        if Topic.SCHEDULE in changes or Topic.EVENT in changes:
            self._read_state()
        if Topic.CHECKINS in changes or Topic.ATTENDEES in changes:
            try:
                self.source.follow(changes)
            except Exception:
                logger.exception("the lobby board could not follow today's arrivals")
            self._read_counts()
        self.refresh()

    def _read_state(self) -> None:
        if self.minute is None:
            return
        try:
            self.board_event = self.source.event
            self.state = self.source.state(self.minute)
        except Exception:
            # A locked or broken database must not blank the lobby: keep what is shown.
            logger.exception("the lobby board could not read the schedule")

    def _read_counts(self) -> None:
        try:
            self.counts = self.source.counts()
        except Exception:
            logger.exception("the lobby board could not count today's arrivals")

    def _read_settings(self) -> None:
        try:
            self.settings = self.source.settings()
        except Exception:
            logger.exception("the lobby board could not read its settings")

    # -- what is shown -------------------------------------------------------------------

    def _pages(self) -> list[list[RoomNow]]:
        if self.state is None:
            return [[]]
        return paginate(shown_rooms(self.state), self.layout_now.rows_per_page)

    def _page_count(self) -> int:
        return len(self._pages())

    def refresh(self) -> None:
        """Give every panel its view for the current minute, language and page; the panels
        repaint only where their view changed.
        """
        if self.minute is None:
            return
        words, event = self.words, self.board_event
        self.logo.show_view(self.settings.logo)  # first: whether there is one shapes the layout
        layout = self._layout()
        self._place(layout)
        unit = layout.unit
        url = self.settings.programme_url
        self.qr.show_view(url)
        self.clock_face.show_view(_clock_text(event, self.minute))
        day = self.state.day if self.state is not None else event.day_of(self.minute)
        name = Line(event.name, EVENT_TEXT, bold=True)
        date_line = Line(words.day(day), DATE_TEXT, colour=SECONDARY)
        caption = (
            Line(words.programme, CAPTION_TEXT, colour=SECONDARY, max_lines=3) if url else None
        )
        if layout.portrait:  # name and date above; the caption beside the code, in lines
            self.event_line.show_view(TextView((name, date_line), centre_vertically=False))
            self.title.show_view(TextView((caption,) if caption else ()))
        else:
            self.title.show_view(TextView((name, date_line, *([caption] if caption else []))))
        parts = announcement_parts(self.settings.announcement)
        self.ticker.show_view(TickerView(parts, FOOTER_TEXT * unit))
        count = words.arrived(*self.counts) if self.counts else ""
        align = Qt.AlignmentFlag.AlignLeft if layout.portrait else Qt.AlignmentFlag.AlignRight
        self.count.show_view(TextView((Line(count, FOOTER_TEXT, bold=True),), align=align))
        self._show_rooms(words, event, layout)

    def _show_rooms(self, words: Words, event: Event, layout: BoardLayout) -> None:
        state, minute = self.state, self.minute
        if minute is None:
            return
        pages = self._pages()
        rooms = pages[self.page % len(pages)]
        if state is None or not rooms:
            self.heads.hide()
            for row in self.rows:
                row.hide()
            texts = day_over_lines(state, event, words) if state is not None else ()
            styles = zip(texts, DAY_OVER_TEXTS, (TEXT, ACCENT, TEXT, SECONDARY), strict=False)
            lines = [
                Line(text, size, bold=index < 3, colour=colour, max_lines=2)
                for index, (text, size, colour) in enumerate(styles)
            ]
            if len(lines) > 1:  # a pause between the headline and tomorrow
                lines.insert(1, Line("", DAY_OVER_GAP))
            if state is not None and state.stale:
                lines += [
                    Line("", DAY_OVER_GAP),
                    Line(words.stale, DAY_OVER_TEXTS[-1], True, ACCENT),
                ]
            self.day_over.show_view(TextView(tuple(lines), align=Qt.AlignmentFlag.AlignHCenter))
            self.day_over.show()
            return
        self.day_over.hide()
        page = (
            words.page.format(page=self.page % len(pages) + 1, pages=len(pages))
            if len(pages) > 1
            else ""
        )
        height = layout.row_height(len(rooms))
        gap = COLUMN_GAP * height
        warning = words.stale if state is not None and state.stale else ""
        self.heads.show_view(HeadsView(page, words.now, words.next, layout.portrait, gap, warning))
        self.heads.show()
        while len(self.rows) < len(rooms):
            row = RoomRow(self, f"lobbyRoom{len(self.rows)}")
            row.set_unit(layout.unit)
            self.rows.append(row)
        for index, row in enumerate(self.rows):
            if index >= len(rooms):
                row.hide()
                continue
            row.arrange(layout.portrait, rule_below=index < len(rooms) - 1)
            row.setGeometry(
                layout.rooms.left(),
                layout.rooms.top() + index * height,
                layout.rooms.width(),
                height,
            )
            row.show_view(room_view(rooms[index], event, minute, words))
            row.show()

    def _place(self, layout: BoardLayout) -> None:
        """Put each panel where `layout` says; a panel already there is left alone."""
        for panel in (
            self.event_line, self.qr, self.logo, self.title, self.clock_face, self.heads,
            self.day_over,
            self.ticker, self.count, *self.rows,
        ):  # fmt: skip
            panel.set_unit(layout.unit)
        self.event_line.setVisible(layout.event_line is not None)
        if layout.event_line is not None:
            self.event_line.setGeometry(layout.event_line)
        self.qr.setVisible(layout.qr is not None)
        if layout.qr is not None:
            self.qr.setGeometry(layout.qr)
        self.logo.setVisible(layout.logo is not None)
        if layout.logo is not None:
            self.logo.setGeometry(layout.logo)
        self.title.setGeometry(layout.title)
        self.clock_face.setGeometry(layout.clock)
        self.heads.setGeometry(layout.heads)
        self.day_over.setGeometry(layout.heads.united(layout.rooms))
        self.ticker.setGeometry(layout.ticker)
        self.count.setGeometry(layout.count)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Lay the board out again for its new size."""
        super().resizeEvent(event)
        self.refresh()

    def _layout(self) -> BoardLayout:
        """The layout for the window's size, made again only when the size or the QR code's
        presence changed.
        """
        with_qr = bool(self.settings.programme_url)
        with_logo = self.logo.image is not None
        layout = self.layout_now
        if (
            (layout.qr is not None) != with_qr
            or (layout.logo is not None) != with_logo
            or self._layout_size != (self.width(), self.height())
        ):
            self._layout_size = (self.width(), self.height())
            layout = self.layout_now = board_layout(
                self.width(), self.height(), with_qr=with_qr, with_logo=with_logo
            )
        return layout

    def paintEvent(self, _event: QPaintEvent) -> None:
        """The background and the rules between the parts: only when the window is exposed
        or resized, never when a panel changes (the panels are opaque).
        """
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(BACKGROUND))
            for rule in self.layout_now.rules:
                painter.fillRect(rule, QColor(RULE))
        finally:
            painter.end()

    # -- for tests and screenshots ---------------------------------------------------------

    def panels(self) -> list[Panel]:
        """Every panel of the board, shown or not."""
        return [
            self.event_line, self.qr, self.title, self.clock_face, self.heads, *self.rows,
            self.day_over, self.ticker, self.count,
        ]  # fmt: skip

    def visible_rows(self) -> list[RoomRow]:
        """The room rows shown now."""
        return [row for row in self.rows if not row.isHidden()]

    def visible_text(self) -> str:
        """Every line the board draws now, one per line."""
        return "\n".join(
            line for panel in self.panels() if not panel.isHidden() for line in panel.texts()
        )


def show_on_screen(window: QWidget, number: int | None = None) -> QScreen:
    """Show `window` frameless over the whole of screen `number` (0, 1, ... as Qt lists
    them; the primary screen when None). Needs no window manager: `showFullScreen()` does
    nothing without one, a frameless window of the screen's geometry always works.
    """
    screens = QGuiApplication.screens()
    if number is None:
        screen = QGuiApplication.primaryScreen()
    elif 0 <= number < len(screens):
        screen = screens[number]
    else:
        known = "; ".join(
            f"{index}: {s.name() or 'unnamed'} {s.geometry().width()}x{s.geometry().height()}"
            f" at {s.geometry().x()},{s.geometry().y()}"
            for index, s in enumerate(screens)
        )
        raise InvalidInputError(f"there is no screen {number}; the screens are {known}")
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.setGeometry(screen.geometry())
    window.show()
    handle = window.windowHandle()
    if handle is not None and handle.screen() is not screen:
        handle.setScreen(screen)
        window.setGeometry(screen.geometry())
    window.raise_()
    return screen
