"""The staff desk window, driven through its real widgets on the demo event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt

from kiosk.core.checkin import CheckInResult, CheckInStatus
from kiosk.core.clock import RehearsalClock
from kiosk.core.codes import TypedText, typed_text
from kiosk.core.model import Attendee
from kiosk.ui.desk import DeskWindow
from kiosk.ui.models import ATTENDEE_ROLE, COL_NAME
from kiosk.ui.result_panel import Card, ResultPanel
from kiosk.ui.sizing import cap_height_mm, mm_to_px
from kiosk.ui.theme import ATTENTION_TONE, OK_TONE, STOP_TONE, TONES, UNDONE_TONE
from kiosk.workflows.staff import StaffDesk

# WCAG AA for normal text.
MIN_CONTRAST = 4.5
MIN_TOUCH_MM = 9
MIN_NAME_CAP_MM = 8
# The clock fixture starts at 09:00 in Prague on the demo event's first day, at this station.
FIRST_DAY = date(2023, 10, 23)
STATION = "Desk A"


def only(desk: StaffDesk, text: str) -> Attendee:
    (attendee,) = desk.search(text)
    return attendee


def checked_in_today(desk: StaffDesk) -> int:
    return desk.stats().by_day.get(FIRST_DAY, 0)


def scan(qtbot, window: DeskWindow, code: str) -> None:
    """Type like a wedge scanner: the characters, then Enter."""
    qtbot.keyClicks(window.field, code)
    qtbot.keyClick(window.field, Qt.Key.Key_Return)


def hold(qtbot, button) -> None:
    """Press and hold until the button acts, as a finger does for two seconds."""
    with qtbot.waitSignal(button.held, timeout=5000):
        qtbot.mousePress(button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)


def search(qtbot, window: DeskWindow, text: str) -> None:
    qtbot.keyClicks(window.field, text)
    window.search_now()


def shown_names(window: DeskWindow) -> list[str]:
    model = window.model
    return [
        model.index(row, COL_NAME).data(ATTENDEE_ROLE).full_name for row in range(model.rowCount())
    ]


# -- searching ---------------------------------------------------------------------------


def test_typing_a_name_without_diacritics_lists_the_attendee_after_a_pause(qtbot, window):
    qtbot.keyClicks(window.field, "prikryl")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0)
    assert shown_names(window) == ["Petr Přikryl"]
    assert window.model.index(0, COL_NAME).data() == "Přikryl, Petr"


def test_results_wait_for_the_typing_to_pause(qtbot, make_window):
    window = make_window(search_delay_ms=60_000)
    qtbot.keyClicks(window.field, "prikryl")
    assert window.model.rowCount() == 0
    window.search_now()
    assert window.model.rowCount() == 1


def test_results_are_sorted_as_czech_and_clear_when_the_field_empties(qtbot, window):
    search(qtbot, window, "ch")
    names = shown_names(window)
    # Czech sorts Č after C and Ch after H.
    assert names[:3] == ["Jiří Čermák", "Šárka Hronková", "Ondřej Chalupa"]
    window.field.clear()
    assert window.model.rowCount() == 0


def test_results_show_who_is_checked_in_today(qtbot, window, desk):
    hronkova = only(desk, "hronkova")
    desk.check_in(hronkova.code)
    search(qtbot, window, "ch")
    today = {
        window.model.index(row, 0).data(ATTENDEE_ROLE).last_name: window.model.index(row, 3).data()
        for row in range(window.model.rowCount())
    }
    assert today["Hronková"] == "✓ 09:00"
    assert today["Čermák"] == ""


# -- scanning ----------------------------------------------------------------------------


def test_scanning_a_code_checks_in_and_says_so_in_words(qtbot, window, desk):
    petr = only(desk, "prikryl")
    scan(qtbot, window, petr.code)
    card = window.panel.card
    assert card.headline == "CHECKED IN"
    assert card.tone is OK_TONE
    assert window.panel.headline.text() == "CHECKED IN"
    assert window.panel.name.text() == "Petr Přikryl"
    assert "Česká klastrová platforma" in window.panel.details.text()
    assert "Admit" in window.panel.action.text()
    assert checked_in_today(desk) == 1
    assert desk.store.checkins(petr.id, FIRST_DAY)[0].station == STATION
    assert window.field.text() == ""
    assert "In today: 1 of 150" in window.counts_button.text()


def test_scanning_again_later_says_already_with_the_first_time_in_the_event_zone(
    qtbot, window, desk, clock
):
    petr = only(desk, "prikryl")
    scan(qtbot, window, petr.code)
    clock.advance(minutes=1)
    scan(qtbot, window, petr.code)
    assert window.panel.card.headline == "ALREADY CHECKED IN"
    assert window.panel.card.tone is ATTENTION_TONE
    # Checked in at 07:00 UTC, which is 09:00 in Prague.
    assert window.panel.note.text() == "First at 09:00, Desk A"
    assert window.panel.name.text() == "Petr Přikryl"
    assert checked_in_today(desk) == 1
    assert not window.undo_button.isEnabled()


def test_a_scanner_firing_twice_is_not_a_second_check_in(qtbot, window, desk, clock):
    petr = only(desk, "prikryl")
    scan(qtbot, window, petr.code)
    clock.advance(seconds=1)
    scan(qtbot, window, petr.code)
    assert window.panel.card.headline == "CHECKED IN"
    assert len(desk.store.checkins(petr.id, FIRST_DAY)) == 1


def test_an_unknown_code_says_unknown_and_records_nothing(qtbot, window, desk):
    scan(qtbot, window, "000000000000")
    assert window.panel.card.headline == "UNKNOWN CODE"
    assert window.panel.card.tone is STOP_TONE
    assert window.panel.icon.text() == "✕"
    assert window.panel.note.text() == "Code: 000000000000"
    assert "help desk" in window.panel.action.text()
    assert checked_in_today(desk) == 0
    assert not window.undo_button.isEnabled()


def test_a_ticket_for_another_day_says_not_today_and_when_it_is_valid(qtbot, window, desk):
    jorg = only(desk, "hoffmann")
    assert jorg.days == (date(2023, 10, 24),)
    scan(qtbot, window, jorg.code)
    assert window.panel.card.headline == "NOT TODAY"
    assert window.panel.icon.text() == "!"
    assert window.panel.note.text() == "Ticket valid on: 24 October"
    assert desk.stats().checked_in == 0


def test_a_day_without_the_event_says_so(qtbot, window, desk, clock):
    clock.advance(days=2)
    scan(qtbot, window, only(desk, "prikryl").code)
    assert window.panel.card.headline == "NOT TODAY"
    assert window.panel.note.text() == (
        "Today is not an event day. Event days: 23 October, 24 October"
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (CheckInStatus.CANCELLED, ("CANCELLED", "help desk")),
        (CheckInStatus.INVALID, ("INVALID CODE", "call the organiser")),
        (CheckInStatus.WRONG_EVENT, ("OTHER EVENT", "help desk")),
    ],
)
def test_every_refusal_has_its_own_headline_icon_and_instruction(window, desk, status, expected):
    headline, action = expected
    result = CheckInResult(status, scanned="X-1", at=desk.now())
    card = window.panel.card_for(result, desk.event)
    window.panel.show_card(card)
    assert (card.headline, card.tone, card.shape) == (headline, STOP_TONE, "✕")
    assert window.panel.headline.text() == headline
    assert action in card.action


def test_each_outcome_differs_by_shape_and_word_not_only_by_colour(window, desk):
    cards = [
        window.panel.card_for(CheckInResult(status, "X", desk.now()), desk.event)
        for status in CheckInStatus
    ]
    assert len({card.headline for card in cards}) == len(CheckInStatus)
    assert {card.shape for card in cards} == {"✓", "!", "✕"}
    assert all(card.headline and card.action for card in cards)


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("tone", TONES, ids=lambda tone: tone.name)
def test_band_text_contrast_passes_wcag_aa(tone):
    light, dark = sorted(
        (relative_luminance(tone.background), relative_luminance(tone.foreground)), reverse=True
    )
    assert (light + 0.05) / (dark + 0.05) >= MIN_CONTRAST


def test_a_new_scan_replaces_the_card_at_once(qtbot, window, desk):
    scan(qtbot, window, "000000000000")
    assert window.panel.card.headline == "UNKNOWN CODE"
    scan(qtbot, window, only(desk, "prikryl").code)
    assert window.panel.card.headline == "CHECKED IN"


def test_the_card_goes_back_to_ready_after_the_timeout(qtbot, make_window, desk):
    window = make_window(clear_after_ms=50)
    scan(qtbot, window, only(desk, "prikryl").code)
    assert window.panel.card.headline == "CHECKED IN"
    qtbot.waitUntil(lambda: window.panel.headline.text() == "Ready to scan", timeout=2000)
    assert window.panel.card.idle
    assert not window.undo_button.isEnabled()


def test_the_card_stays_up_until_the_timeout(qtbot, make_window, desk):
    window = make_window(clear_after_ms=600)
    scan(qtbot, window, only(desk, "prikryl").code)
    qtbot.wait(300)
    assert window.panel.card.headline == "CHECKED IN"
    qtbot.waitUntil(lambda: window.panel.card.idle, timeout=3000)


# -- names typed and Enter pressed -------------------------------------------------------


def test_enter_on_a_typed_name_never_guesses_even_with_one_match(qtbot, window, desk):
    # QTest types ASCII only; the search folds diacritics anyway.
    scan(qtbot, window, "Petr Prikryl")
    assert window.panel.card.headline == "PICK A NAME"
    assert shown_names(window) == ["Petr Přikryl"]
    assert window.field.text() == "Petr Prikryl"
    assert checked_in_today(desk) == 0


def test_enter_on_a_name_nobody_has_says_not_found(qtbot, window):
    scan(qtbot, window, "Zzyzx")
    assert window.panel.card.headline == "NOT FOUND"
    assert "Zzyzx" in window.panel.note.text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Petr Přikryl", False),
        ("prikryl", False),
        ("Nováková-Svobodová", False),
        ("O'Brien", False),
        ("Ludwig van Beethoven", False),
        ("032857605093", True),
        ("6m8qvwkwk4pjdtkd5mpp2ens9dnu42nu", True),
        ("abcdefghijklmnopqrstuvwxyzabcdefgh", True),
        ('{"i": [1, "host", "secret"]}', True),
        ("https://tickets.example/t/ABC123", True),
        ("ABC 123", True),
    ],
)
def test_what_looks_like_a_code(text, expected):
    assert (typed_text(text) is TypedText.CODE) is expected


# -- picking from the results ------------------------------------------------------------


def test_arrow_keys_move_through_results_and_enter_checks_in_the_selected(qtbot, window, desk):
    search(qtbot, window, "ch")
    qtbot.keyClick(window.field, Qt.Key.Key_Down)
    qtbot.keyClick(window.field, Qt.Key.Key_Down)
    qtbot.keyClick(window.field, Qt.Key.Key_Down)
    qtbot.keyClick(window.field, Qt.Key.Key_Up)
    assert window.results.selected_row() == 1
    qtbot.keyClick(window.field, Qt.Key.Key_Return)
    assert window.panel.name.text() == "Šárka Hronková"
    assert window.panel.card.headline == "CHECKED IN"
    assert checked_in_today(desk) == 1


def test_typing_after_choosing_a_row_drops_the_choice(qtbot, window):
    search(qtbot, window, "ch")
    qtbot.keyClick(window.field, Qt.Key.Key_Down)
    assert window.check_in_button.isEnabled()
    qtbot.keyClicks(window.field, "a")
    assert window.results.selected_row() is None
    assert not window.check_in_button.isEnabled()


def test_tapping_a_result_checks_that_attendee_in(qtbot, window, desk):
    search(qtbot, window, "ch")
    row = 2
    rect = window.results.visualRect(window.model.index(row, COL_NAME))
    qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.panel.name.text() == "Ondřej Chalupa"
    assert checked_in_today(desk) == 1
    assert window.field.hasFocus()


def test_the_check_in_button_checks_in_the_selected_row(qtbot, window, desk):
    search(qtbot, window, "prikryl")
    assert not window.check_in_button.isEnabled()
    window.results.selectRow(0)
    assert window.check_in_button.isEnabled()
    qtbot.mouseClick(window.check_in_button, Qt.MouseButton.LeftButton)
    assert window.panel.card.headline == "CHECKED IN"
    assert window.panel.name.text() == "Petr Přikryl"
    assert checked_in_today(desk) == 1
    assert window.field.hasFocus()


# -- undo --------------------------------------------------------------------------------


def test_undo_cancels_the_check_in_on_show(qtbot, window, desk):
    petr = only(desk, "prikryl")
    scan(qtbot, window, petr.code)
    assert window.undo_button.isEnabled()
    with qtbot.waitSignal(window.undo_button.too_short):
        qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)  # a tap is not enough
    assert window.panel.card.headline == "CHECKED IN" and checked_in_today(desk) == 1
    assert "Hold the button" in window.statusBar().currentMessage()
    hold(qtbot, window.undo_button)
    assert window.panel.card.headline == "CHECK-IN UNDONE"
    assert window.panel.card.tone is UNDONE_TONE
    assert window.panel.name.text() == "Petr Přikryl"
    assert checked_in_today(desk) == 0
    assert desk.store.checkins(petr.id, FIRST_DAY) == []
    assert not window.undo_button.isEnabled()
    assert "In today: 0 of" in window.counts_button.text()


def test_after_undo_the_next_scan_checks_in_again(qtbot, window, desk, clock):
    petr = only(desk, "prikryl")
    scan(qtbot, window, petr.code)
    window.undo()
    clock.advance(minutes=5)
    scan(qtbot, window, petr.code)
    assert window.panel.card.headline == "CHECKED IN"
    assert checked_in_today(desk) == 1


# -- focus and keys ----------------------------------------------------------------------


def test_typing_while_a_button_has_focus_goes_to_the_field(qtbot, window):
    window.clear_button.setFocus()
    qtbot.waitUntil(window.clear_button.hasFocus)
    qtbot.keyClicks(window.clear_button, "4f")
    assert window.field.hasFocus()
    assert window.field.text() == "4f"


def test_a_scan_lands_whole_when_focus_was_elsewhere(qtbot, window, desk):
    petr = only(desk, "prikryl")
    window.clear_button.setFocus()
    qtbot.waitUntil(window.clear_button.hasFocus)
    qtbot.keyClicks(window.clear_button, petr.code)
    qtbot.keyClick(window.field, Qt.Key.Key_Return)
    assert window.panel.name.text() == "Petr Přikryl"


def test_space_still_presses_the_focused_button(qtbot, window):
    qtbot.keyClicks(window.field, "novak")
    window.clear_button.setFocus()
    qtbot.waitUntil(window.clear_button.hasFocus)
    qtbot.keyClick(window.clear_button, Qt.Key.Key_Space)
    assert window.field.text() == ""
    assert window.field.hasFocus()


def test_undo_works_from_the_keyboard_too(qtbot, window, desk):
    scan(qtbot, window, only(desk, "prikryl").code)
    window.undo_button.setFocus()
    qtbot.waitUntil(window.undo_button.hasFocus)
    qtbot.keyClick(window.undo_button, Qt.Key.Key_Space)
    assert window.panel.card.headline == "CHECK-IN UNDONE"
    assert window.field.hasFocus()


def test_a_scanner_ending_with_tab_submits(qtbot, window, desk):
    qtbot.keyClicks(window.field, only(desk, "prikryl").code)
    qtbot.keyClick(window.field, Qt.Key.Key_Tab)
    assert window.panel.card.headline == "CHECKED IN"
    assert window.field.hasFocus()


def test_escape_empties_the_field(qtbot, window):
    search(qtbot, window, "ch")
    qtbot.keyClick(window.field, Qt.Key.Key_Escape)
    assert window.field.text() == ""
    assert window.model.rowCount() == 0


# -- labels and sizes --------------------------------------------------------------------


def test_title_and_status_bar_name_the_event_and_station(window):
    assert "Clusters meet Regions" in window.windowTitle()
    assert STATION in window.windowTitle()
    assert "Clusters meet Regions" in window.event_label.text()
    assert STATION in window.event_label.text()
    assert window.counts_button.text() == "In today: 0 of 150"


def test_status_bar_says_when_the_desk_runs_on_a_rehearsal_clock(qtbot, store, clock, window):
    assert "REHEARSAL" not in window.event_label.text()
    rehearsal = StaffDesk(store, STATION, RehearsalClock(store.event(), date(2023, 10, 24), clock))
    rehearsing = DeskWindow(rehearsal)
    qtbot.addWidget(rehearsing)
    assert "REHEARSAL" in rehearsing.event_label.text()
    assert "2023" in rehearsing.event_label.text()


def test_touch_targets_are_at_least_9_mm(qtbot, window):
    search(qtbot, window, "ch")
    minimum = mm_to_px(MIN_TOUCH_MM, window.screen())
    for button in (window.check_in_button, window.undo_button, window.clear_button):
        assert button.height() >= minimum, button.objectName()
    assert window.field.height() >= minimum
    assert window.results.rowHeight(0) >= minimum


def test_the_name_is_readable_across_the_desk(window):
    assert cap_height_mm(window.panel.name.font(), window.screen()) >= MIN_NAME_CAP_MM


def test_a_long_card_shrinks_to_fit_a_small_panel_but_the_name_stays_legible(qtbot):
    panel = ResultPanel()
    qtbot.addWidget(panel)
    panel.resize(500, 420)
    panel.show()
    panel.show_card(
        Card(
            STOP_TONE,
            "ZRUŠENÁ REGISTRACE",
            name="Kateřina Chmelíková",
            details="Technická univerzita v Liberci, Fakulta mechatroniky · Účastník",
            note="Registrace byla zrušena.",
            action="Pošlete na informace.",
        )
    )
    assert panel.scale < 1
    assert cap_height_mm(panel.name.font(), panel.screen()) >= MIN_NAME_CAP_MM
    panel.resize(1600, 1000)
    qtbot.waitUntil(lambda: panel.scale == 1)


def test_a_name_that_has_not_synced_yet_is_still_a_check_in(window, desk):
    nameless = Attendee(id="X", first_name="", last_name="", code="K1", codes=("K1",))
    result = CheckInResult(CheckInStatus.OK, "K1", desk.now(), attendee=nameless, code="K1")
    card = window.panel.card_for(result, desk.event)
    assert card.headline == "CHECKED IN"
    assert card.name == "Name not synced yet"
    assert replace(card, name="").details == ""


# -- Czech -------------------------------------------------------------------------------


@pytest.mark.usefixtures("czech")
def test_the_desk_speaks_czech(qtbot, desk):
    window = DeskWindow(desk)
    qtbot.addWidget(window)
    assert window.check_in_button.text() == "Odbavit"
    assert window.undo_button.text() == "Zpět (podržet)"
    assert window.field.placeholderText() == "Hledat jméno nebo naskenovat kód"
    assert window.panel.headline.text() == "Připraveno ke skenování"
    assert window.model.headerData(0, Qt.Orientation.Horizontal) == "Jméno"
    window.field.setText(only(desk, "prikryl").code)
    window.submit()
    assert window.panel.headline.text() == "ODBAVENO"
    assert window.panel.details.text().endswith("Organizační tým")
    assert window.counts_button.text() == "Dnes: 1 z 150"


def test_an_unknown_code_with_spaces_is_still_a_code(qtbot, window, desk):
    scan(qtbot, window, "TICKET 0042")
    assert window.panel.card.headline == "UNKNOWN CODE"
    assert checked_in_today(desk) == 0


def test_a_storage_failure_says_not_saved_and_the_desk_goes_on(qtbot, window, desk, store):
    code = only(desk, "prikryl").code
    store.db.conn.execute("PRAGMA query_only = ON")  # every write now fails, as on a full disk
    scan(qtbot, window, code)
    assert window.panel.card.headline == "NOT SAVED"
    assert checked_in_today(desk) == 0
    store.db.conn.execute("PRAGMA query_only = OFF")
    scan(qtbot, window, code)
    assert window.panel.card.headline == "CHECKED IN"
    assert checked_in_today(desk) == 1


def test_a_scan_that_breaks_the_url_parser_is_an_unknown_code(qtbot, window):
    scan(qtbot, window, "http://[cmr-2023")
    assert window.panel.card.headline == "UNKNOWN CODE"


def test_one_very_long_name_does_not_push_the_other_columns_away(qtbot, window, desk):
    desk.walk_in("Maria Dolores Fernández de Córdoba y Montenegro", "Villaseñor-" * 6 + "Ruiz")
    search(qtbot, window, "villasenor")
    header = window.results.horizontalHeader()
    last = header.sectionViewportPosition(3) + header.sectionSize(3)
    assert last <= window.results.viewport().width()
    assert header.sectionSize(3) > 0 and header.sectionSize(2) > 0


def test_event_and_station_names_are_shown_as_text_not_markup(qtbot, store, clock):
    desk = StaffDesk(store, "<b>Desk</b> <i>A</i>", clock)
    window = DeskWindow(desk)
    qtbot.addWidget(window)
    assert "<b>Desk</b>" in window.event_label.text()
    assert window.event_label.textFormat() == Qt.TextFormat.PlainText


# -- the USB scanner ---------------------------------------------------------------------


def test_a_scanner_burst_in_the_middle_of_a_search_checks_in_and_keeps_the_search(
    qtbot, window, desk
):
    petr = only(desk, "prikryl")
    qtbot.keyClicks(window.field, "kuh", delay=120)  # a person, one key at a time
    window.search_now()
    window.results.selectRow(0)
    scan(qtbot, window, petr.code)  # the scanner: every key at once, then Enter
    assert window.panel.card.headline == "CHECKED IN"
    assert window.panel.name.text() == "Petr Přikryl"  # the scan, not the selected row
    assert window.field.text() == "kuh"
    assert [a.last_name for a in desk.search("kuhr")] == ["Kühr"]
    assert desk.store.checkins(only(desk, "kuhr").id, FIRST_DAY) == []


def test_slow_typing_then_enter_is_a_search_not_a_scan(qtbot, window, desk):
    petr = only(desk, "prikryl")
    qtbot.keyClicks(window.field, petr.code, delay=80)  # typed by hand, slower than a scanner
    with qtbot.assertNotEmitted(window.field.scanned):
        qtbot.keyClick(window.field, Qt.Key.Key_Return, delay=80)
    # Enter on typed text still checks a code in, as it always did: the field decides.
    assert window.panel.card.headline == "CHECKED IN"


def test_a_burst_is_reported_as_a_scan_with_its_text_alone(qtbot, window):
    qtbot.keyClicks(window.field, "ab", delay=120)
    with qtbot.waitSignal(window.field.scanned) as scanned:
        qtbot.keyClicks(window.field, "QR-1234")
        qtbot.keyClick(window.field, Qt.Key.Key_Tab)
    assert scanned.args == ["QR-1234"]
