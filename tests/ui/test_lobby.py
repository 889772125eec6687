"""The lobby board: its layout at three sizes, what it says when, on-site changes, both
languages, the change feed, the event's time zone, and repainting only what changed.
"""

from __future__ import annotations

import ctypes
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PySide6.QtCore import QEvent, QObject, QRect, QRectF
from PySide6.QtGui import QColor, QFontMetricsF, QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from kiosk.core.clock import FixedClock
from kiosk.core.errors import InvalidInputError, SettingError
from kiosk.core.journal import Changes, Topic
from kiosk.core.schedule import Session
from kiosk.core.settings import parse_value
from kiosk.ui import lobby
from kiosk.ui.changes import ChangeWatcher
from kiosk.ui.lobby import (
    CZECH,
    ENGLISH,
    WORDS,
    BoardSettings,
    LobbyWindow,
    SpeedClock,
    board_font,
    paginate,
    show_on_screen,
)
from kiosk.ui.lobby_screenshot import (
    DEMO_URL,
    StaticBoardSource,
    demo_event,
    demo_sessions,
    demo_source,
    render_lobby,
)

PRAGUE = ZoneInfo("Europe/Prague")
SIZES = {"1080p": (1920, 1080), "4k": (3840, 2160), "portrait": (1080, 1920)}
# The timer never fires by itself in these tests: they call tick() as the seconds pass.
NEVER_MS = 3_600_000


def _qt_leaks_none() -> bool:
    """True when a Qt method that returns nothing drops a reference to None, as PySide6
    6.12.0 does on Python 3.11 (where None is not yet immortal).
    """
    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(100):
        rect.setWidth(1.0)
    return sys.getrefcount(None) < before - 50


QT_LEAKS_NONE = _qt_leaks_none()
if QT_LEAKS_NONE:
    # So that the run gets to report it (test_qt_calls_keep_their_references_to_none) instead
    # of aborting with "deallocating None": references to None that are never given back.
    _RESERVE = (None,) * 2_000_000
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(_RESERVE))


def at(hour: int, minute: int, second: int = 0, *, day: int = 23) -> datetime:
    """A moment of the demo event, in Prague."""
    return datetime(2023, 10, day, hour, minute, second, tzinfo=PRAGUE)


# The demo day at its busiest: a delayed, a moved and a cancelled session on the board.
BUSY = at(11, 42)


def session(title: str, start: datetime, minutes: int, room: str = "Hall", **more) -> Session:
    return Session(
        key=f"test/{title}/{start.isoformat()}",
        title=title,
        start=start,
        end=start + timedelta(minutes=minutes),
        room=room,
        **more,
    )


@pytest.fixture
def make_board(qtbot) -> Callable[..., LobbyWindow]:
    """Open a board on `source` (the demo day by default) at `when`, shown offscreen (qtbot
    brings the application, set up by conftest's `qapp`).
    """

    def make(
        source: StaticBoardSource | None = None,
        when: datetime = BUSY,
        size: tuple[int, int] = (1920, 1080),
        languages: tuple[str, ...] | None = ("en",),
        **options: object,
    ) -> LobbyWindow:
        window = LobbyWindow(
            source or demo_source(),
            FixedClock(when),
            languages=languages,
            tick_ms=NEVER_MS,
            **options,  # type: ignore[arg-type]
        )
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def tick(window: LobbyWindow, clock_seconds: float = 1.0, times: int = 1) -> None:
    """Let `times` seconds pass on the board, the event's clock moving `clock_seconds` each."""
    assert isinstance(window.clock, FixedClock)
    for _ in range(times):
        window.clock.advance(seconds=clock_seconds)
        window.tick()
        QGuiApplication.processEvents()


def blocks_of(window: LobbyWindow) -> Iterable[tuple[QWidget, lobby.TextBlock]]:
    for panel in window.panels():
        if panel.isHidden():
            continue
        blocks = getattr(panel, "blocks", [])
        for block in blocks.values() if isinstance(blocks, dict) else blocks:
            if block.lines:
                yield panel, block
        if isinstance(panel, lobby.TickerPanel) and panel.block is not None:
            yield panel, panel.block


# -- layout ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_the_board_lays_out_at_each_size_with_nothing_clipped_or_overlapping(make_board, size):
    window = make_board(size=size)
    bounds = QRect(0, 0, *size)
    shown = [panel for panel in window.panels() if not panel.isHidden()]
    for panel in shown:
        assert bounds.contains(panel.geometry()), panel.objectName()
    for index, panel in enumerate(shown):
        for other in shown[index + 1 :]:
            assert not panel.geometry().intersects(other.geometry()), (
                panel.objectName(),
                other.objectName(),
            )
    rows = window.visible_rows()
    assert [row.view.room for row in rows] == [
        "Main Hall",
        "Seminar Room A",
        "Seminar Room B",
        "Matchmaking Area",
    ]
    for row in rows:
        # Room names and the titles on now are never cut short on the demo day.
        assert row.blocks["room"].complete, row.view.room
        assert row.blocks["now"].complete, row.view.now.title
        assert row.blocks["next"].complete, row.view.next.title
        inside = QRectF(0, 0, row.width(), row.height())
        for box in row.badges:
            assert inside.contains(box.rect), box.text
        for bar in row.bars:
            assert inside.contains(bar.rect)
    unit = min(size)
    for panel, block in blocks_of(window):
        inside = QRectF(0, 0, panel.width(), panel.height())
        assert block.height <= block.rect.height() + 0.5, block.lines
        top = QRectF(block.rect.left(), block.rect.top(), block.rect.width(), block.height)
        assert inside.adjusted(-0.5, -0.5, 0.5, 0.5).contains(top), (panel.objectName(), block)
        for line in block.lines:
            assert block.line_width(line) <= block.rect.width() + 0.5, line
        # Nothing smaller than the caption under the QR code (2.8 % of the short side).
        assert block.font.pixelSize() >= 0.027 * unit, (panel.objectName(), block.lines)
    clock_width = QFontMetricsF(board_font(lobby.CLOCK_TEXT * unit, bold=True))
    assert clock_width.horizontalAdvance("23:59") <= window.clock_face.width()


def test_4k_is_1080p_doubled(make_board):
    small = make_board(size=(1920, 1080))
    large = make_board(size=(3840, 2160))
    for a, b in zip(small.visible_rows(), large.visible_rows(), strict=True):
        assert b.geometry().height() in (2 * a.geometry().height(), 2 * a.geometry().height() + 1)
        assert a.texts() == b.texts()


def test_too_many_rooms_page_and_the_first_ones_stay(make_board):
    rooms = [f"Room {n}" for n in range(1, 11)]
    sessions = [session(f"Talk in {room}", at(11, 30), 60, room) for room in rooms]
    sessions.append(session("Over long ago", at(8, 0), 30, "Closed Room"))
    source = StaticBoardSource(
        demo_event(), sessions, rooms=rooms, settings=BoardSettings(seconds_per_page=5)
    )
    window = make_board(source)
    assert window.layout_now.rows_per_page == 4
    seen = []
    for _ in range(4):
        shown = [row.view.room for row in window.visible_rows()]
        assert shown[:2] == ["Room 1", "Room 2"]  # the main rooms stay on every page
        seen.extend(shown[2:])
        tick(window, times=5)
    assert seen == rooms[2:]
    assert "Closed Room" not in window.visible_text()
    assert "Page 1/4" in window.visible_text()


def test_paginate_keeps_the_first_half_of_a_page():
    assert paginate(list("abcde"), 4) == [list("abcd"), list("abe")]
    assert paginate(list("abc"), 4) == [list("abc")]
    assert paginate(list("abc"), 1) == [["a"], ["b"], ["c"]]


# -- what it says when -----------------------------------------------------------------------


def test_now_says_until_and_next_says_in_how_many_minutes(make_board):
    sessions = [
        session("Opening", at(10, 0), 60, speakers=("Jana Nováková",)),
        session("Keynote", at(11, 0), 30),
        session("Afternoon talk", at(14, 0), 30, room="Small room"),
    ]
    window = make_board(StaticBoardSource(demo_event(), sessions), when=at(10, 48, 30))
    hall, small = window.visible_rows()
    assert hall.view.now.title == "Opening"
    assert hall.view.now.until == "until 11:00"
    assert hall.view.now.detail == "Jana Nováková"
    assert hall.view.next.when == "in 12 min"
    assert small.view.now.placeholder == "nothing on now"
    assert small.view.next.when == "14:00"  # more than an hour away: its start time
    text = window.visible_text()
    for words in ("Opening", "until 11:00", "in 12 min", "Keynote", "14:00", "Afternoon talk"):
        assert words in text
    window.clock.set(at(10, 59, 10))
    tick(window, 0)
    assert hall.view.next.when == "in 1 min"
    window.clock.set(at(13, 0))
    tick(window, 0)
    (small,) = window.visible_rows()  # the hall has nothing more today: its row is gone
    assert small.view.next.when == "in 60 min"


def test_a_session_that_just_started_stays_up_for_its_first_15_minutes(make_board):
    sessions = [session("Lightning talk", at(10, 0), 5), session("Late talk", at(11, 30), 30)]
    window = make_board(StaticBoardSource(demo_event(), sessions), when=at(10, 14))
    (hall,) = window.visible_rows()
    assert hall.view.now.title == "Lightning talk"
    assert hall.view.now.until == "ended"
    assert hall.bars[0].progress == 1.0
    window.clock.set(at(10, 15))
    tick(window, 0)
    assert hall.view.now.title == ""
    assert hall.view.now.placeholder == "nothing on now"
    assert hall.view.next.when == "11:30"


def test_a_delayed_a_moved_and_a_cancelled_session_say_so_in_words(make_board):
    window = make_board()
    text = window.visible_text()
    assert "+10 min" in text and "until 12:10" in text and "in 28 min" in text
    assert "moved from Seminar Room A" in text
    assert "CANCELLED" in text
    (cancelled,) = [row for row in window.visible_rows() if row.view.room == "Seminar Room B"]
    assert cancelled.blocks["now"].font.strikeOut()  # struck through, beside the word
    assert cancelled.view.now.until == ""
    assert not cancelled.bars
    czech = make_board(languages=("cs",))
    text = czech.visible_text()
    assert "ZRUŠENO" in text and "přesunuto z: Seminar Room A" in text
    assert "do 12:10" in text and "za 28 min" in text


def test_a_cancelled_next_session_shows_its_time_not_a_countdown(make_board):
    window = make_board(when=at(11, 12))
    (room_b,) = [row for row in window.visible_rows() if row.view.room == "Seminar Room B"]
    assert room_b.view.next.when == "11:30"
    assert room_b.blocks["next"].font.strikeOut()
    assert "CANCELLED" in room_b.texts()


def test_a_break_is_shown_as_a_break(make_board):
    window = make_board(when=at(11, 12))
    hall = window.visible_rows()[0]
    assert hall.view.now.title == "Coffee break"
    assert hall.blocks["now"].lines == ("☕ Coffee break",)
    assert hall.view.now.detail == "Break"
    assert make_board(when=at(11, 12), languages=("cs",)).visible_rows()[0].view.now.detail == (
        "Přestávka"
    )


def test_after_the_last_session_it_says_so_and_shows_tomorrow_s_first(make_board):
    window = make_board(when=at(20, 10))
    assert window.visible_rows() == []
    assert window.day_over.texts() == [
        "No more sessions today",
        "Tomorrow · 08:30 · Main Hall",
        "☕ Morning coffee",
    ]
    czech = make_board(when=at(20, 10), languages=("cs",))
    assert czech.day_over.texts()[:2] == ["Dnešní program skončil", "Zítra · 08:30 · Main Hall"]


def test_before_the_event_it_names_the_day_of_the_first_session(make_board):
    window = make_board(when=at(12, 0, day=20))
    assert window.day_over.texts()[:2] == [
        "No sessions today",
        "Monday 23 October · 08:00 · Main Hall",
    ]
    czech = make_board(when=at(12, 0, day=20), languages=("cs",))
    assert czech.day_over.texts()[:2] == [
        "Dnes žádný program",
        "Pondělí 23. října · 08:00 · Main Hall",
    ]


class StaleSource(StaticBoardSource):
    """A schedule the workflow judges out of date (`BoardState.stale`)."""

    def state(self, at: datetime) -> lobby.BoardState:
        return replace(super().state(at), stale=True)


def test_a_schedule_that_may_be_out_of_date_says_so(make_board):
    demo = demo_source()
    source = StaleSource(demo.event, demo.sessions, rooms=demo.rooms, counts=demo.arrivals)
    window = make_board(source)
    assert window.heads.texts() == ["Now", "Next", "⚠ Schedule may be out of date"]
    (now_head,) = [block for block in window.heads.blocks if block.lines == ("Now",)]
    assert window.heads.badges[0].rect.left() > now_head.rect.left() + now_head.line_width("Now")
    assert window.heads.badges[0].badge.tone == lobby.DELAY_TONE
    assert window.heads.badges[0].rect.right() <= window.heads.width()
    portrait = make_board(source, size=(1080, 1920), languages=("cs",))
    assert "⚠ Program nemusí být aktuální" in portrait.heads.texts()
    evening = make_board(source, when=at(20, 10))
    assert evening.day_over.texts()[-1] == "⚠ Schedule may be out of date"
    assert "out of date" not in make_board().visible_text()


def test_the_count_of_arrivals_in_both_languages(make_board):
    assert make_board().count.texts() == ["112 of 148 arrived"]
    assert make_board(languages=("cs",)).count.texts() == ["Dorazilo 112 ze 148"]


@pytest.mark.parametrize(
    ("arrived", "registered", "text"),
    [
        (112, 148, "Dorazilo 112 ze 148"),
        (1, 80, "Dorazil 1 z 80"),
        (3, 12, "Dorazili 3 ze 12"),
        (0, 11, "Dorazilo 0 z 11"),
        (5, 7, "Dorazilo 5 ze 7"),
        (40, 1500, "Dorazilo 40 z 1500"),
        (40, 2000, "Dorazilo 40 ze 2000"),
        (40, 250, "Dorazilo 40 ze 250"),
        (40, 500, "Dorazilo 40 z 500"),
        (40, 65, "Dorazilo 40 ze 65"),
        (4, 15, "Dorazili 4 z 15"),
    ],
)
def test_czech_counts_agree_with_their_numbers(arrived, registered, text):
    assert CZECH.arrived(arrived, registered) == text


def test_both_languages_have_every_word():
    for words in WORDS.values():
        assert all(getattr(words, name) for name in vars(words)), words.language
        assert len(words.weekdays) == 7 and len(words.months) == 12
    assert ENGLISH.day(date(2023, 10, 24)) == "Tuesday 24 October"
    assert CZECH.day(date(2023, 10, 24)) == "Úterý 24. října"


def test_czech_and_english_take_turns_every_ten_seconds(make_board):
    window = make_board(languages=None)  # the demo event is Czech: Czech first
    assert window.languages == ("cs", "en")
    assert "Teď" in window.heads.texts()
    tick(window, times=9)
    assert "Teď" in window.heads.texts()
    tick(window)
    assert "Now" in window.heads.texts()
    assert "112 of 148 arrived" in window.visible_text()
    tick(window, times=10)
    assert "Dorazilo 112 ze 148" in window.visible_text()


def test_the_announcement_steps_through_its_parts(make_board):
    source = demo_source()
    source.board_settings = BoardSettings(announcement="Lunch at 12:30 | Oběd ve 12:30")
    window = make_board(source, ticker_seconds=6)
    assert window.ticker.texts() == ["Lunch at 12:30"]
    tick(window, times=6)
    assert window.ticker.texts() == ["Oběd ve 12:30"]
    tick(window, times=6)
    assert window.ticker.texts() == ["Lunch at 12:30"]


# -- the clock -------------------------------------------------------------------------------


def test_the_clock_follows_the_event_s_time_zone_across_the_end_of_summer_time(make_board):
    event = replace(demo_event(), days=(date(2023, 10, 28), date(2023, 10, 29)))
    source = StaticBoardSource(event, [])
    window = make_board(source, when=datetime(2023, 10, 29, 0, 59, tzinfo=UTC))
    assert window.clock_face.texts() == ["02:59"]  # CEST, UTC+2
    window.clock.set(datetime(2023, 10, 29, 1, 0, tzinfo=UTC))
    tick(window, 0)
    assert window.clock_face.texts() == ["02:00"]  # 03:00 CEST is 02:00 CET: the hour again
    window.clock.set(datetime(2023, 10, 29, 2, 0, tzinfo=UTC))
    tick(window, 0)
    assert window.clock_face.texts() == ["03:00"]
    # Not the machine's zone: a board of an event in New York shows New York's time.
    elsewhere = StaticBoardSource(replace(event, timezone="America/New_York"), [])
    other = make_board(elsewhere, when=datetime(2023, 10, 29, 2, 0, tzinfo=UTC))
    assert other.clock_face.texts() == ["22:00"]


def test_a_speed_clock_starts_at_its_moment_and_runs_faster():
    now = [100.0]
    clock = SpeedClock(at(8, 55), 60, timer=lambda: now[0])
    assert clock() == at(8, 55)
    now[0] += 2.5
    assert clock() == at(8, 57, 30)
    assert clock.rehearsal_day is None
    with pytest.raises(InvalidInputError, match="speed"):
        SpeedClock(at(8, 55), 0)


# -- following changes -----------------------------------------------------------------------


class FakeFeed:
    """A change source that reports `pending` once."""

    def __init__(self) -> None:
        self.pending: frozenset[Topic] = frozenset()

    def poll(self) -> Changes:
        changes, self.pending = Changes(self.pending), frozenset()
        return changes


def test_a_schedule_change_made_elsewhere_shows_within_two_seconds(make_board, qtbot):
    source = demo_source()
    feed = FakeFeed()
    window = make_board(source, changes=ChangeWatcher(feed))
    assert "Keynote moved in" not in window.visible_text()
    source.sessions = [
        replace(s, title="Keynote moved in") if s.title.startswith("NIS2") else s
        for s in source.sessions
    ]
    source.arrivals = (113, 148)
    source.board_settings = replace(source.board_settings, announcement="Room change!")
    feed.pending = frozenset({Topic.SCHEDULE, Topic.CHECKINS, Topic.SETTINGS})
    qtbot.waitUntil(lambda: "Keynote moved in" in window.visible_text(), timeout=2000)
    assert "113 of 148 arrived" in window.visible_text()
    assert window.ticker.texts() == ["Room change!"]


def test_a_failing_source_leaves_the_board_as_it_was(make_board):
    source = demo_source()
    window = make_board(source)
    before = window.visible_text()

    def broken(_at: datetime) -> None:
        raise OSError("disk gone")

    source.state = broken  # type: ignore[method-assign,assignment]
    tick(window, 60)
    assert window.clock_face.texts() == ["11:43"]
    # The schedule read a minute ago stays up, counted down from the new minute.
    assert window.visible_text() == before.replace("11:42", "11:43").replace(
        "in 18 min", "in 17 min"
    ).replace("in 28 min", "in 27 min")


# -- repainting only what changed ------------------------------------------------------------


class PaintCounter(QObject):
    """Counts the paint events of widgets, by object name."""

    def __init__(self, widgets: Iterable[QWidget]) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.counts[watched.objectName()] += 1
        return False


def test_an_idle_board_repaints_nothing_but_what_changed(make_board, qtbot):
    source = demo_source()
    source.board_settings = BoardSettings(announcement="Welcome to Prague", programme_url=DEMO_URL)
    window = make_board(source, when=at(11, 42, 5), languages=("en", "cs"), ticker_seconds=5)
    qtbot.wait(50)
    counter = PaintCounter([window, *window.panels()])
    tick(window, times=8)  # eight seconds, the ticker due once, the minute still 11:42
    assert counter.counts == Counter()
    tick(window, times=1, clock_seconds=50)  # 11:43: the clock, and the rows' minutes
    rows = {row.objectName() for row in window.visible_rows()}
    assert set(counter.counts) == {"lobbyClock", *rows}
    assert all(count == 1 for count in counter.counts.values())
    counter.counts.clear()
    tick(window)  # the tenth second: Czech, so every panel with words, and nothing else
    assert "lobbyClock" not in counter.counts
    assert "lobbyQr" not in counter.counts
    assert "lobbyTicker" not in counter.counts  # the announcement is not translated
    assert "lobbyWindow" not in counter.counts
    assert {"lobbyHeads", "lobbyTitle", "lobbyCount", *rows} <= set(counter.counts)


def test_a_language_seen_before_is_copied_not_drawn_again(make_board, monkeypatch):
    window = make_board(languages=("en", "cs"))
    QGuiApplication.processEvents()  # English drawn
    window.show_language("cs")
    QGuiApplication.processEvents()  # Czech drawn
    drawn: list[str] = []
    original = lobby.Panel.render_image

    def counting(panel: lobby.Panel, ratio: float = 1.0) -> QImage:
        drawn.append(panel.objectName())
        return original(panel, ratio)

    monkeypatch.setattr(lobby.Panel, "render_image", counting)
    for language in ("en", "cs", "en"):
        window.show_language(language)
        QGuiApplication.processEvents()
    assert drawn == []  # both languages of this minute were drawn once already
    assert window.heads.texts() == ["Now", "Next"]


# -- the QR code, colours, screens, screenshots ----------------------------------------------


def test_the_qr_code_on_the_board_opens_the_programme(make_board):
    window = make_board()
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    view = zxingcpp.ImageView(
        memoryview(image.constBits()),
        image.width(),
        image.height(),
        zxingcpp.ImageFormat.Lum,
        image.bytesPerLine(),
    )
    found = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in found] == [DEMO_URL]
    assert window.qr.module_pixels() >= 3


def test_without_a_programme_address_there_is_no_code(make_board):
    source = demo_source()
    source.board_settings = BoardSettings()
    window = make_board(source)
    assert window.qr.isHidden()
    assert window.title.geometry().left() == window.layout_now.heads.left()
    assert "Programme online" not in window.visible_text()


def _luminance(colour: str) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    c = QColor(colour)
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(one: str, two: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_text_colour_passes_wcag_aa():
    for colour in (lobby.TEXT, lobby.SECONDARY, lobby.ACCENT):
        assert contrast(colour, lobby.BACKGROUND) >= 4.5, colour
    for tone in (lobby.DELAY_TONE, lobby.CANCELLED_TONE, lobby.MOVED_TONE):
        assert contrast(tone.foreground, tone.background) >= 4.5, tone
    # The progress bar is not text, but it is drawn against its track and the background.
    assert contrast(lobby.BAR_FILL, lobby.RULE) >= 3
    assert contrast(lobby.BAR_FILL, lobby.BACKGROUND) >= 3


def test_show_on_screen_covers_the_screen_frameless(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    screen = show_on_screen(window, 0)
    assert screen is QGuiApplication.screens()[0]
    assert window.geometry() == screen.geometry()
    assert window.windowFlags() & lobby.Qt.WindowType.FramelessWindowHint
    with pytest.raises(InvalidInputError, match=r"no screen 5; the screens are 0: "):
        show_on_screen(QWidget(), 5)


@pytest.mark.usefixtures("qapp")
def test_render_lobby_writes_a_png_of_the_asked_size(tmp_path):
    path = tmp_path / "lobby.png"
    render_lobby(demo_source(), path, (1280, 720), at(11, 42), language="cs")
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 720)
    assert QColor(image.pixel(5, 5)).name().upper() == lobby.BACKGROUND


def test_the_demo_day_has_each_kind_of_change():
    sessions = demo_sessions()
    assert any(s.cancelled for s in sessions)
    assert any(s.moved_from for s in sessions)
    assert any(s.delay for s in sessions)
    assert any(s.is_break for s in sessions)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        ("lobby.announcement", "  Lunch  at\n12:30 ", "Lunch at 12:30"),
        ("lobby.programme_url", " https://example.org/p ", "https://example.org/p"),
        ("lobby.programme_url", "", ""),
        ("lobby.seconds_per_page", "10", 10),
    ],
)
def test_the_lobby_settings_take_good_values(name, text, value):
    assert parse_value(name, text) == value


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("lobby.programme_url", "ftp://example.org", "https://"),
        ("lobby.programme_url", "https://exa mple.org", "no spaces"),
        ("lobby.announcement", "x" * 501, "at most 500"),
        ("lobby.seconds_per_page", "1", "from 3 to 120"),
    ],
)
def test_the_lobby_settings_refuse_bad_values(name, text, words):
    with pytest.raises(SettingError, match=words):
        parse_value(name, text)


def test_qt_calls_keep_their_references_to_none():
    """A board makes thousands of Qt calls a minute; a PySide6 that drops a reference to None
    on each one (6.12.0 on Python 3.11: about 2,700 a minute at 4K, of some 5,000 there are)
    aborts the process within minutes with "deallocating None". 6.11.3 does not.
    """
    assert not QT_LEAKS_NONE, (
        "this PySide6 drops a reference to None on every call that returns nothing, so any"
        " kiosk window aborts after a few thousand calls: pin PySide6-Essentials<6.12"
    )


def test_a_full_room_says_so_in_words_in_both_languages(make_board):
    base = demo_source()
    full = [replace(s, full=True) if s.room == "Main Hall" else s for s in base.sessions]
    source = StaticBoardSource(base.event, full, rooms=base.rooms, counts=base.arrivals,
                               settings=base.board_settings)  # fmt: skip
    assert "ROOM FULL" in make_board(source).visible_text()
    assert "SÁL PLNÝ" in make_board(source, languages=("cs",)).visible_text()


def test_the_events_logo_sits_between_the_code_and_the_name(make_board):
    window = make_board()
    assert window.logo.isVisible() and window.logo.image is not None
    qr, logo, title = window.qr.geometry(), window.logo.geometry(), window.title.geometry()
    assert qr.right() < logo.left() and logo.right() < title.left()
    pixels = window.logo.grab().toImage()
    centre = pixels.pixelColor(pixels.width() // 2, pixels.height() // 2)
    assert centre != QColor(lobby.BACKGROUND)  # the logo is drawn, not an empty box
    base = demo_source()
    broken = replace(base.board_settings, logo=b"not an image")
    plain = StaticBoardSource(
        base.event, base.sessions, rooms=base.rooms, counts=base.arrivals, settings=broken
    )
    window = make_board(plain)
    assert not window.logo.isVisible() and window.title.geometry().left() == logo.left()


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160)])
def test_the_clock_digits_are_drawn_at_board_sizes(make_board, size):
    # The clock is the board's largest text: a glyph-cache setting once drew it as nothing.
    window = make_board(size=size)
    image = window.clock_face.grab().toImage()
    accent = QColor(lobby.ACCENT)
    assert any(
        image.pixelColor(x, y) == accent
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    )
