"""What the desk does around an answer: sounds, the window's colour, pinning, the scanner check."""

from __future__ import annotations

import wave
from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.adapters.resources import resource
from kiosk.core.layouts import SCANNER_TEST_CODE, typed_on
from kiosk.core.model import Attendee
from kiosk.ui.application import switch_language
from kiosk.ui.desk import DeskWindow
from kiosk.ui.sounds import SOUND_FILES
from kiosk.ui.theme import NEUTRAL_TONE, OK_TONE, STOP_TONE
from kiosk.workflows.staff import StaffDesk

FIRST_DAY = date(2023, 10, 23)


def only(desk: StaffDesk, text: str) -> Attendee:
    (attendee,) = desk.search(text)
    return attendee


def scan(qtbot, window, code: str) -> None:
    """Type `code` as a wedge scanner does, any character (QTest only types ASCII), then Enter."""
    for char in code:
        key = ord(char.upper()) if char.isascii() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(window.field, event)
    qtbot.keyClick(window.field, Qt.Key.Key_Return)


def test_each_kind_of_answer_has_its_own_sound_file():
    lengths = set()
    for name in SOUND_FILES.values():
        with wave.open(str(resource("sounds", name))) as sound:
            assert sound.getnchannels() == 1 and sound.getframerate() >= 16000
            seconds = sound.getnframes() / sound.getframerate()
            assert 0.1 < seconds < 0.8  # a cue, not a tune: the next person is waiting
            lengths.add(sound.getnframes())
    assert len(SOUND_FILES) == 3 and len(lengths) == 3  # ok, attention and problem differ


def test_the_desk_plays_the_sound_of_each_answer_and_the_switch_mutes_it(qtbot, window, desk):
    petr = only(desk, "prikryl")
    with qtbot.waitSignal(window.sounds.played) as played:
        scan(qtbot, window, petr.code)
    assert played.args == ["ok.wav"]
    with qtbot.waitSignal(window.sounds.played) as played:
        scan(qtbot, window, "NOBODY-HAS-THIS-1")
    assert played.args == ["problem.wav"]
    qtbot.mouseClick(window.sound_button, Qt.MouseButton.LeftButton)
    assert window.sound_button.text() == "Sound off"
    with qtbot.assertNotEmitted(window.sounds.played):
        scan(qtbot, window, only(desk, "kuhr").code)
    assert desk.settings.sounds == "off"  # kept for the next start
    assert window.field.hasFocus()


def test_the_whole_window_takes_the_answers_colour_then_fades_while_the_card_stays(
    qtbot, make_window, desk
):
    window = make_window(colour_ms=200)
    scan(qtbot, window, only(desk, "prikryl").code)
    assert window.backdrop.tone is OK_TONE and window.backdrop.strength == 1.0
    corner = window.backdrop.grab().toImage().pixelColor(2, 2)
    assert corner.name().upper() == OK_TONE.background
    qtbot.waitUntil(lambda: window.backdrop.strength == 0.0, timeout=3000)
    assert window.panel.card.headline == "CHECKED IN"  # the card outlives the colour
    scan(qtbot, window, "NOBODY-HAS-THIS-1")
    assert window.backdrop.tone is STOP_TONE and window.backdrop.strength == 1.0
    window.clear()
    assert window.backdrop.tone is NEUTRAL_TONE and window.backdrop.strength == 0.0


def test_a_tap_pins_the_card_past_its_timeout_and_another_releases_it(qtbot, make_window, desk):
    window = make_window(clear_after_ms=300)
    scan(qtbot, window, only(desk, "prikryl").code)
    qtbot.mouseClick(window.panel, Qt.MouseButton.LeftButton)
    assert window.panel.pinned and window.panel.pin_label.isVisible()
    qtbot.wait(600)
    assert window.panel.card.headline == "CHECKED IN"
    qtbot.mouseClick(window.panel, Qt.MouseButton.LeftButton)
    assert not window.panel.pinned
    qtbot.waitUntil(lambda: window.panel.card.idle, timeout=3000)


def test_a_new_scan_replaces_a_pinned_card_at_once(qtbot, window, desk):
    scan(qtbot, window, only(desk, "prikryl").code)
    qtbot.mouseClick(window.panel, Qt.MouseButton.LeftButton)
    scan(qtbot, window, only(desk, "kuhr").code)
    assert window.panel.name.text() == "Luděk Kühr" and not window.panel.pinned


def test_the_scanner_check_learns_a_czech_layout_and_scans_then_read_through_it(
    qtbot, window, desk
):
    dialog = window.open_scanner_check()
    qtbot.addWidget(dialog)
    scan(qtbot, dialog, typed_on("cs", SCANNER_TEST_CODE))
    assert dialog.check is not None and dialog.check.layout == "cs"
    assert "Czech (QWERTZ)" in dialog.verdict.text() and dialog.done_button.isEnabled()
    assert desk.settings.scanner_layout == "cs"
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    petr = only(desk, "prikryl")
    scan(qtbot, window, typed_on("cs", petr.code))
    assert window.panel.name.text() == "Petr Přikryl"


def test_the_scanner_check_says_when_the_scan_is_not_the_test_code(qtbot, window, desk):
    dialog = window.open_scanner_check()
    qtbot.addWidget(dialog)
    scan(qtbot, dialog, "<script>9780201379624")
    assert dialog.check is not None and not dialog.check.recognised
    assert "<script>9780201379624" in dialog.verdict.text()
    assert dialog.verdict.textFormat() is Qt.TextFormat.PlainText
    assert not dialog.done_button.isEnabled() and desk.settings.scanner_layout == ""


def test_a_desk_opened_for_work_asks_for_the_scanner_check_until_it_is_done(qtbot, desk):
    window = DeskWindow(desk, check_scanner=True)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(type(window.open_scanner_check())) is not None)
    desk.set_setting("scanner.layout", "us")
    again = DeskWindow(desk, check_scanner=True)
    qtbot.addWidget(again)
    again.show()
    qtbot.wait(50)
    assert again.findChildren(type(window.open_scanner_check())) == []


def test_a_tap_on_the_counter_shows_today_per_category(qtbot, window, desk):
    petr = only(desk, "prikryl")
    scan(qtbot, window, petr.code)
    dialog = window.open_counts()
    qtbot.addWidget(dialog)
    table = dialog.table
    rows = {table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
            for r in range(table.rowCount())}  # fmt: skip
    assert rows[petr.category][0] == "1"
    assert sum(int(registered) for _, registered in rows.values()) == 150


def test_one_tap_switches_the_desk_between_czech_and_english(qtbot, window, desk):
    assert window.language_button.text() == "Čeština / English"
    try:
        qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
        assert window.check_in_button.text() == "Odbavit"
        assert window.panel.headline.text() == "Připraveno ke skenování"
        assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Jméno"
        assert window.counts_button.text().startswith("Dnes: ")
        assert desk.settings.language == "cs"  # the next start is Czech too
        scan(qtbot, window, only(desk, "prikryl").code)
        assert window.panel.headline.text() == "ODBAVENO"
        qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
        assert window.check_in_button.text() == "Check in" and desk.settings.language == "en"
    finally:
        switch_language("en")


def test_a_walk_in_from_the_desk_shows_registered_and_its_badge_admits(qtbot, window):
    dialog = window.open_walk_in()
    qtbot.addWidget(dialog)
    for name, text in {"first_name": "Zdeňka", "last_name": "Šťastná"}.items():
        dialog.fields.set_text(name, text)
    with qtbot.waitSignal(dialog.registered, timeout=20000) as registered:
        dialog.register()
    walk_in = registered.args[0].walk_in
    qtbot.waitUntil(lambda: window.panel.card.headline == "REGISTERED", timeout=20000)
    assert window.panel.name.text() == "Zdeňka Šťastná"
    assert window.detail_button.isEnabled()
    scan(qtbot, window, walk_in.code)
    assert window.panel.card.headline == "CHECKED IN"
    assert window.panel.name.text() == "Zdeňka Šťastná"


def test_details_open_for_the_person_on_the_card(qtbot, window, desk):
    assert not window.detail_button.isEnabled()
    petr = only(desk, "prikryl")
    scan(qtbot, window, petr.code)
    dialog = window.open_detail()
    qtbot.addWidget(dialog)
    assert dialog is not None and dialog.attendee_id == petr.id
