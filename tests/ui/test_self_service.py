"""The self-service screen, driven through its real widgets on a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.model import EntryKind
from kiosk.core.unlock import hash_secret
from kiosk.ui.i18n import install_translators
from kiosk.ui.self_service import LANGUAGE_TOGGLE, Screen, SelfServiceWindow
from kiosk.ui.sizing import cap_height_mm, mm_to_px
from kiosk.ui.theme import ATTENTION_TONE, OK_TONE, STOP_TONE
from kiosk.workflows.attendee import SelfService
from kiosk.workflows.staff import StaffDesk
from kiosk.workflows.unlock import StaffUnlock
from tests.conftest import DAY1, code_of, prague

PIN = "2468"
STAFF_CODE = "STAFF-UNLOCK-7f3k9q"
# Names in the small event that a problem screen must never show.
EVERYONE = ("Luděk", "Kühr", "Petr", "Přikryl", "Jan", "Zrušený", "Eva", "Druhá", "Nanoprogress")
MIN_CAP_MM = 4.8


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def desk_clock() -> FixedClock:
    return FixedClock(prague(DAY1, 9))


@pytest.fixture
def kiosk_desk(filled: SqliteStore, desk_clock: FixedClock) -> StaffDesk:
    """A station of the small event (in a real file) at 09:00 on its first day."""
    return StaffDesk(filled, "Kiosk 1", desk_clock)


@pytest.fixture
def make_self(qapp, kiosk_desk, ticks) -> Iterator[Callable[..., SelfServiceWindow]]:
    """Open a self-service window; keyword arguments go to SelfServiceWindow."""
    windows: list[SelfServiceWindow] = []

    def make(**options: object) -> SelfServiceWindow:
        unlock = StaffUnlock(hash_secret(PIN), hash_secret(STAFF_CODE), clock=ticks)
        options.setdefault("language", "en")
        window = SelfServiceWindow(SelfService(kiosk_desk), unlock, clock=ticks, **options)
        window.resize(1280, 800)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.tasks.wait(10_000)
        window.shut_down()
        window.deleteLater()
    install_translators(qapp, "en")


def scan(qtbot, window: SelfServiceWindow, code: str, end: Qt.Key = Qt.Key.Key_Return) -> None:
    """Type like a wedge scanner into the window itself: no field has the focus."""
    qtbot.keyClicks(window, code)
    qtbot.keyClick(window, end)


def texts(window: SelfServiceWindow) -> str:
    """Every text the window shows."""
    shown = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    return "\n".join(shown)


def checkins(store: SqliteStore, last_name: str) -> int:
    person = next(a for a in store.attendees() if a.last_name == last_name)
    return sum(
        1 for e in store.journal() if e.kind is EntryKind.CHECKIN and e.attendee_id == person.id
    )


def test_a_scan_welcomes_the_person_by_first_name_and_goes_back_to_the_start(
    qtbot, make_self, filled
):
    window = make_self(result_ms=300)
    assert window.screen_state is Screen.IDLE
    assert "Scan the QR code from your registration e-mail" in texts(window)
    scan(qtbot, window, code_of(filled, "Kühr"))
    assert window.screen_state is Screen.WELCOME  # no printer set: nothing to print
    assert window.band.property("tone") == OK_TONE.name
    assert (window.icon.text(), window.headline.text()) == ("✓", "Welcome")
    assert window.name_label.text() == "Luděk"  # the first name only
    assert window.organisation_label.text() == "Klastr Nanoprogress"
    assert "Kühr" not in texts(window)
    assert checkins(filled, "Kühr") == 1
    qtbot.waitUntil(lambda: window.screen_state is Screen.IDLE, timeout=5000)
    assert window.name_label.text() == ""


def test_a_tab_ends_a_scan_as_enter_does(qtbot, make_self, filled):
    window = make_self()
    scan(qtbot, window, code_of(filled, "Přikryl"), end=Qt.Key.Key_Tab)
    assert window.name_label.text() == "Petr"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("no such code", "This code is not a ticket for this event."),
        ("Kuhr", "This code is not a ticket for this event."),  # a name typed: no search here
        ("cancelled01", "This registration was cancelled."),
        ("day2only", "This ticket is not valid today."),
    ],
)
def test_a_problem_is_red_with_a_short_reason_and_shows_nobody(qtbot, make_self, code, reason):
    window = make_self()
    scan(qtbot, window, code)
    assert window.screen_state is Screen.PROBLEM
    assert window.band.property("tone") == STOP_TONE.name
    assert (window.icon.text(), window.headline.text()) == ("✕", "Problem")
    assert window.organisation_label.text() == reason
    assert window.message.text() == "Please see our staff."
    shown = texts(window)
    assert not [name for name in EVERYONE if name in shown]


def test_a_second_visit_says_already_and_sends_to_staff_without_a_name(
    qtbot, make_self, filled, ticks, desk_clock
):
    window = make_self(result_ms=100)
    code = code_of(filled, "Kühr")
    scan(qtbot, window, code)
    qtbot.waitUntil(lambda: window.screen_state is Screen.IDLE, timeout=5000)
    ticks.now += 3.1  # past the screen's same-code guard
    desk_clock.advance(minutes=10)
    scan(qtbot, window, code)
    assert window.screen_state is Screen.ALREADY
    assert window.band.property("tone") == ATTENTION_TONE.name
    assert (window.icon.text(), window.headline.text()) == ("!", "Already")
    assert window.message.text() == "Please see our staff for a new badge."
    assert "Luděk" not in texts(window)


def test_a_code_held_in_front_of_the_camera_is_one_scan(qtbot, make_self, filled, ticks):
    window = make_self(result_ms=100)
    code = code_of(filled, "Přikryl")
    for _ in range(5):  # the camera reads it again and again while the answer shows
        window.submit_scan(code)
        assert window.screen_state is Screen.WELCOME
    qtbot.waitUntil(lambda: window.screen_state is Screen.IDLE, timeout=5000)
    ticks.now += 2.9
    window.submit_scan(code)  # still held, just after the answer went
    assert window.screen_state is Screen.IDLE
    assert checkins(filled, "Přikryl") == 1
    window.submit_scan(code_of(filled, "Kühr"))  # the next person is not held up
    assert window.name_label.text() == "Luděk"


def test_no_key_or_close_event_leaves_the_screen(qtbot, make_self, filled):
    window = make_self()
    fired: list[str] = []
    for sequence in ("Ctrl+W", "Ctrl+Q", "Alt+F4", "Esc"):
        shortcut = QShortcut(QKeySequence(sequence), window)
        shortcut.activated.connect(lambda s=sequence: fired.append(s))
    control, alt, meta = (
        Qt.KeyboardModifier.ControlModifier,
        Qt.KeyboardModifier.AltModifier,
        Qt.KeyboardModifier.MetaModifier,
    )
    combos = [
        (Qt.Key.Key_F4, alt),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_W, control),
        (Qt.Key.Key_Q, control),
        (Qt.Key.Key_Tab, alt),
        (Qt.Key.Key_Tab, meta),
        (Qt.Key.Key_F4, control),
        (Qt.Key.Key_Backspace, control | alt),
        (Qt.Key.Key_Delete, control | alt),
        (Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Close, Qt.KeyboardModifier.NoModifier),
    ]
    for key, modifiers in combos:
        qtbot.keyClick(window, key, modifiers)
        assert window.isVisible()
    assert fired == []
    assert window.close() is False
    event = QCloseEvent()
    QApplication.sendEvent(window, event)
    assert not event.isAccepted()
    assert window.isVisible()
    # None of those keys became part of a scan: the next scan is read whole.
    scan(qtbot, window, code_of(filled, "Kühr"))
    assert window.name_label.text() == "Luděk"


def test_the_pin_unlocks_after_wrong_tries_that_wait_longer_each_time(qtbot, make_self, ticks):
    window = make_self(hold_ms=50)
    qtbot.mousePress(window.corner, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.screen_state is Screen.UNLOCK, timeout=5000)
    qtbot.mouseRelease(window.corner, Qt.MouseButton.LeftButton)
    pad = window.pad
    for digit in "1111":
        qtbot.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.keys["✓"], Qt.MouseButton.LeftButton)
    assert pad.message.text() == "Wrong PIN. Try again in 1 s"
    assert not pad.keys["5"].isEnabled()
    for key in f"{PIN}\r":  # typed during the wait: not even read
        qtbot.keyClick(window, key if key != "\r" else Qt.Key.Key_Return)
    assert window.screen_state is Screen.UNLOCK and pad.pin == ""
    ticks.now += 1.0
    qtbot.waitUntil(pad.keys["5"].isEnabled, timeout=5000)
    for key in "9999":
        qtbot.keyClick(window, key)  # a keyboard works on the pad too
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert pad.message.text() == "Wrong PIN. Try again in 2 s"
    ticks.now += 1.0
    qtbot.waitUntil(lambda: pad.message.text() == "Wrong PIN. Try again in 1 s", timeout=5000)
    ticks.now += 1.0
    qtbot.waitUntil(pad.keys["5"].isEnabled, timeout=5000)
    for digit in PIN:
        qtbot.mouseClick(pad.keys[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.keys["✓"], Qt.MouseButton.LeftButton)
    assert window.screen_state is Screen.UNLOCKED
    qtbot.mouseClick(window.exit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_a_short_touch_of_the_corner_opens_nothing(qtbot, make_self):
    window = make_self(hold_ms=400)
    qtbot.mousePress(window.corner, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(window.corner, Qt.MouseButton.LeftButton)
    qtbot.wait(600)
    assert window.screen_state is Screen.IDLE


def test_the_staff_code_unlocks_and_is_never_stored(qtbot, make_self, db_path):
    window = make_self()
    scan(qtbot, window, STAFF_CODE)
    assert window.screen_state is Screen.UNLOCKED
    raw = db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert STAFF_CODE.encode() not in raw
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.screen_state is Screen.IDLE
    assert window.close() is False  # locked again


def test_the_unlock_pad_goes_back_to_the_start_when_left_alone(qtbot, make_self):
    window = make_self(inactivity_ms=200)
    window.open_unlock()
    qtbot.waitUntil(lambda: window.screen_state is Screen.IDLE, timeout=5000)


def test_the_language_toggle_names_both_languages_and_resets_at_the_start(qtbot, make_self, filled):
    window = make_self(result_ms=100)
    assert window.language_button.text() == LANGUAGE_TOGGLE == "Čeština / English"
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert window.language == "cs"
    assert window.attract.text() == "Naskenujte QR kód z registračního e-mailu"
    scan(qtbot, window, code_of(filled, "Kühr"))
    assert window.headline.text() == "Vítejte"
    qtbot.waitUntil(lambda: window.screen_state is Screen.IDLE, timeout=5000)
    assert window.language == "en"
    assert window.attract.text() == "Scan the QR code from your registration e-mail"
    assert QCoreApplication.translate("SelfServiceWindow", "Welcome") == "Welcome"


def test_texts_are_big_enough_and_targets_touchable(make_self):
    window = make_self()
    labels = [window.attract, window.hint, window.event_label, window.name_label]
    labels += [window.headline, window.message, window.pad.title, window.pad.message]
    for label in labels:
        assert cap_height_mm(label.font(), window.screen()) >= MIN_CAP_MM, label.objectName()
    buttons = [window.language_button, window.exit_button, window.pad.cancel_button]
    buttons += list(window.pad.keys.values())
    for button in buttons:
        assert button.minimumHeight() >= mm_to_px(13, window.screen())
        assert cap_height_mm(button.font(), window.screen()) >= MIN_CAP_MM


def test_the_screen_has_no_list_search_or_count(make_self):
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit  # noqa: PLC0415

    window = make_self()
    assert window.findChildren(QAbstractItemView) == []
    assert window.findChildren(QLineEdit) == []
    assert not [name for name in ("search", "attendees", "undo") if hasattr(window.service, name)]


def test_with_only_a_staff_code_the_corner_opens_no_pin_pad(qtbot, kiosk_desk, ticks):
    window = SelfServiceWindow(
        SelfService(kiosk_desk), StaffUnlock("", hash_secret(STAFF_CODE), clock=ticks), hold_ms=50
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.mousePress(window.corner, Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert window.screen_state is Screen.IDLE
    scan(qtbot, window, STAFF_CODE)
    assert window.screen_state is Screen.UNLOCKED
    qtbot.mouseClick(window.exit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
