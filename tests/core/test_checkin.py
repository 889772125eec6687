"""The check-in rules, run against the fake store and a real SQLite store alike."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kiosk.core.checkin import CheckInStatus
from kiosk.core.clock import FixedClock
from kiosk.core.layouts import caps_lock, typed_on
from kiosk.core.model import Attendee, EntryKind, JournalEntry, new_entry_uuid
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import issue_code, new_event_id, new_event_keys
from kiosk.workflows.staff import StaffDesk, UndoStatus
from tests.conftest import DAY1, DAY2, code_of, person, prague

OK, ALREADY = CheckInStatus.OK, CheckInStatus.ALREADY


def test_first_scan_of_the_day_is_ok_and_journalled(desk: StaffDesk) -> None:
    result = desk.check_in(code_of(desk.store, "Kühr"))
    assert result.status is OK
    assert result.attendee is not None and result.attendee.full_name == "Luděk Kühr"
    assert result.first_at == prague(DAY1, 9) and result.station == "Desk A"
    assert result.entry is not None and result.entry.kind is EntryKind.CHECKIN
    # Numbered after the registrations the import journalled.
    registrations = sum(e.kind is EntryKind.REGISTRATION for e in desk.store.journal())
    assert result.entry.seq == registrations + 1 and result.entry.day == DAY1
    assert [e.uuid for e in desk.store.checkins(result.attendee.id, DAY1)] == [result.entry.uuid]


def test_second_scan_answers_already_with_first_time_and_station(
    desk: StaffDesk, clock: FixedClock
) -> None:
    code = code_of(desk.store, "Kühr")
    desk.check_in(code)
    clock.set(prague(DAY1, 9, 14))
    other_desk = StaffDesk(desk.store, "Desk B", clock)
    result = other_desk.check_in(code)
    assert result.status is ALREADY
    assert result.first_at == prague(DAY1, 9) and result.station == "Desk A"
    assert result.entry is None
    assert len(desk.store.checkins(result.attendee.id, DAY1)) == 1  # type: ignore[union-attr]


def test_day_two_after_day_one_is_ok_again(desk: StaffDesk) -> None:
    code = code_of(desk.store, "Kühr")
    assert desk.check_in(code, prague(DAY1, 9)).status is OK
    second = desk.check_in(code, prague(DAY2, 8, 30))
    assert second.status is OK and second.day == DAY2 and second.first_at == prague(DAY2, 8, 30)
    assert desk.check_in(code, prague(DAY2, 10)).status is ALREADY


def test_scanner_double_fire_returns_first_result_and_records_nothing(desk: StaffDesk) -> None:
    code = code_of(desk.store, "Přikryl")
    first = desk.check_in(code, prague(DAY1, 9))
    again = desk.check_in(code, prague(DAY1, 9) + timedelta(seconds=2))
    assert again.status is OK and again.repeat
    assert again.entry == first.entry and again.first_at == first.first_at
    assert len(desk.store.checkins(first.attendee.id, DAY1)) == 1  # type: ignore[union-attr]
    later = desk.check_in(code, prague(DAY1, 9) + timedelta(seconds=4))
    assert later.status is ALREADY and not later.repeat


def test_double_fire_window_is_per_station(desk: StaffDesk, clock: FixedClock) -> None:
    code = code_of(desk.store, "Přikryl")
    desk.check_in(code, prague(DAY1, 9))
    other = StaffDesk(desk.store, "Desk B", clock).check_in(code, prague(DAY1, 9, 0, 1))
    assert other.status is ALREADY


@pytest.mark.parametrize(
    ("scanned", "status"),
    [
        ("", CheckInStatus.INVALID),
        ("   \r\n", CheckInStatus.INVALID),
        ("x" * 2000, CheckInStatus.INVALID),
        ('{"i": [2, "indico.example.org"', CheckInStatus.INVALID),
        ('{"something": "else"}', CheckInStatus.INVALID),
        ("K1:NOTBASE32!!", CheckInStatus.INVALID),
        ("K1:AAAA", CheckInStatus.INVALID),
        ("no-such-code", CheckInStatus.UNKNOWN),
        ("https://tickets.example.org/t/no-such-code", CheckInStatus.UNKNOWN),
    ],
)
def test_codes_that_name_nobody(desk: StaffDesk, scanned: str, status: CheckInStatus) -> None:
    result = desk.check_in(scanned)
    assert result.status is status
    assert result.attendee is None and result.entry is None


def test_cancelled_registration_is_refused_even_if_checked_in_before(desk: StaffDesk) -> None:
    result = desk.check_in("cancelled01")
    assert result.status is CheckInStatus.CANCELLED
    assert result.attendee is not None and result.attendee.last_name == "Zrušený"
    assert desk.store.checkins(result.attendee.id, DAY1) == []


@pytest.mark.parametrize("when", [prague(date(2023, 10, 22), 12), prague(date(2023, 10, 25), 9)])
def test_outside_the_event_days_is_not_today(desk: StaffDesk, when: object) -> None:
    result = desk.check_in(code_of(desk.store, "Kühr"), when)  # type: ignore[arg-type]
    assert result.status is CheckInStatus.NOT_TODAY


def test_ticket_for_another_day_is_not_today(desk: StaffDesk) -> None:
    assert desk.check_in("day2only", prague(DAY1, 10)).status is CheckInStatus.NOT_TODAY
    assert desk.check_in("day2only", prague(DAY2, 10)).status is OK


def test_event_day_follows_the_event_time_zone(desk: StaffDesk) -> None:
    # 23:30 UTC on 23 October is already 24 October in Prague.
    late = prague(DAY2, 1, 30)
    result = desk.check_in(code_of(desk.store, "Kühr"), late)
    assert result.day == DAY2


def test_undo_is_a_journal_entry_and_allows_a_new_check_in(
    desk: StaffDesk, clock: FixedClock
) -> None:
    code = code_of(desk.store, "Vrabčeková")
    first = desk.check_in(code)
    clock.set(prague(DAY1, 9, 5))
    undo = desk.undo(code)
    assert undo.status is UndoStatus.UNDONE
    assert [e.ref for e in undo.entries] == [first.entry.uuid]  # type: ignore[union-attr]
    assert undo.entries[0].kind is EntryKind.UNDO
    assert undo.entries[0].seq == first.entry.seq + 1  # type: ignore[union-attr]
    assert desk.store.checkins(first.attendee.id, DAY1) == []  # type: ignore[union-attr]
    clock.set(prague(DAY1, 9, 10))
    again = desk.check_in(code)
    assert again.status is OK and again.first_at == prague(DAY1, 9, 10)


def test_undo_of_someone_not_checked_in(desk: StaffDesk) -> None:
    assert desk.undo(code_of(desk.store, "Horák")).status is UndoStatus.NOT_CHECKED_IN
    assert desk.undo("nobody-has-this").status is UndoStatus.NOT_FOUND


@pytest.mark.parametrize(
    "wrap",
    [
        lambda code: code,
        lambda code: f"  {code}\r\n",
        lambda code: f"https://pretix.example.org/order/{code}",
        lambda code: f"https://tickets.example.org/checkin?event=cmr&code={code}",
        lambda code: '{"i": [2, "indico.example.org", "' + code + '"]}',
    ],
)
def test_code_formats_registration_systems_print(desk: StaffDesk, wrap: object) -> None:
    result = desk.check_in(wrap(code_of(desk.store, "Kühr")))  # type: ignore[operator]
    assert result.status is OK
    assert result.attendee is not None and result.attendee.last_name == "Kühr"


def test_numeric_codes_keep_their_leading_zeros(desk: StaffDesk) -> None:
    assert desk.check_in("412387761").status is CheckInStatus.UNKNOWN
    assert desk.check_in("000412387761").status is OK


@pytest.mark.parametrize(
    ("layout", "code", "surname"),
    [
        ("cs", "000412387761", "Přikryl"),
        ("de", "zzyy12", "Żółć"),  # German digits are the US ones; Y and Z swap
        ("de", "cib-1", "Cibulka"),  # the hyphen key types ß
        ("fr", "000412387761", "Přikryl"),
        ("fr", "e8h3tnsxa2rc6q3hmdw9kwdwjf6qh3ft", "Kühr"),
    ],
)
def test_scan_typed_on_another_keyboard_layout_finds_the_attendee(
    desk: StaffDesk, layout: str, code: str, surname: str
) -> None:
    mangled = typed_on(layout, code)
    assert mangled != code
    result = desk.check_in(mangled)
    assert result.status is OK
    assert result.attendee is not None and result.attendee.last_name == surname


def test_czech_layout_digits_as_the_issue_describes(desk: StaffDesk) -> None:
    assert typed_on("cs", "1234567890") == "+ěščřžýáíé"
    result = desk.check_in("+ěščřžýáíé"[-1] + "+ěščřžýáíé"[:-1])  # "0123456789" on cs
    assert result.attendee is not None and result.attendee.last_name == "Vrabčeková"


def test_yz_swap_finds_the_attendee(desk: StaffDesk) -> None:
    # "zzyy12" typed on QWERTZ arrives as "yyzz+ě".
    result = desk.check_in(typed_on("cs", "zzyy12"))
    assert result.attendee is not None and result.attendee.last_name == "Żółć"


def test_exact_code_is_found_when_no_other_reading_names_anyone(desk: StaffDesk) -> None:
    assert desk.check_in("cib-1").attendee.last_name == "Cibulka"  # type: ignore[union-attr]


def test_a_scan_that_is_one_code_as_typed_and_another_on_a_czech_keyboard_names_neither(
    desk: StaffDesk,
) -> None:
    # "xyz1" is Nula's code; on a Czech keyboard a scanner sending Dvojka's "xzy1" types it.
    desk.store.apply_import(  # type: ignore[union-attr]
        plan_import({}, [Registration(row=2, code="xyz1", first_name="Nula", last_name="Nulová"),
                         Registration(row=3, code="xzy1", first_name="Dva", last_name="Dvojka")])
    )  # fmt: skip
    result = desk.check_in("xyz1")
    assert result.status is CheckInStatus.UNKNOWN and result.attendee is None
    assert "Nula Nulová" in result.reason and "Dva Dvojka" in result.reason


@pytest.mark.parametrize("layout", ["cs", "de", "fr"])
def test_caps_lock_and_a_layout_together(desk: StaffDesk, layout: str) -> None:
    for code, surname in (("000412387761", "Přikryl"), ("Chalupa-1", "Chalupa")):
        result = desk.check_in(caps_lock(typed_on(layout, code)), prague(DAY1, 9))
        assert result.attendee is not None and result.attendee.last_name == surname, layout


def test_old_indico_payload_and_odd_exact_codes(desk: StaffDesk) -> None:
    code = code_of(desk.store, "Kühr")
    old_indico = '{"registrant_id": "7", "checkin_secret": "' + code + '", "event_id": "1"}'
    assert desk.check_in(old_indico).attendee.last_name == "Kühr"  # type: ignore[union-attr]
    desk.store.apply_import(  # type: ignore[union-attr]
        plan_import({}, [Registration(row=2, code="{abc", first_name="S", last_name="Závorka")])
    )  # fmt: skip
    assert desk.check_in("{abc").attendee.last_name == "Závorka"  # type: ignore[union-attr]
    assert desk.check_in("{abd").status is CheckInStatus.INVALID


def test_caps_lock_is_forgiven(desk: StaffDesk) -> None:
    # With Caps Lock on, the scanner's "Chalupa-1" arrives as "cHALUPA-1".
    result = desk.check_in("cHALUPA-1")
    assert result.attendee is not None and result.attendee.last_name == "Chalupa"


def _fresh_person_code(desk: StaffDesk) -> tuple[Attendee, str]:
    walk_in = desk.walk_in("Jana", "Nováková", organisation="Walk-in s.r.o.")
    return walk_in.attendee, walk_in.code


def test_walk_in_gets_a_signed_code_that_checks_in(desk: StaffDesk) -> None:
    attendee, code = _fresh_person_code(desk)
    assert code.startswith("K1:") and code == attendee.code
    assert set(code) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert desk.search("novakova")[0].id == attendee.id
    result = desk.check_in(code)
    assert result.status is OK and result.attendee.full_name == "Jana Nováková"  # type: ignore[union-attr]


def test_kiosk_code_admits_offline_before_the_attendee_has_synced(desk: StaffDesk) -> None:
    event = desk.event
    private = desk.store.signing_key()
    assert private is not None
    code = issue_code(private, event.id, "AAAAAAAAAAAAA", prague(DAY1, 8))
    result = desk.check_in(code)
    assert result.status is OK
    assert result.attendee is not None and result.attendee.id == "AAAAAAAAAAAAA"
    assert desk.check_in(code, prague(DAY1, 10)).status is ALREADY


def test_altered_kiosk_code_is_invalid(desk: StaffDesk) -> None:
    _, code = _fresh_person_code(desk)
    position = len(code) // 2
    altered = code[:position] + ("A" if code[position] != "A" else "B") + code[position + 1 :]
    assert desk.check_in(altered).status is CheckInStatus.INVALID


def test_kiosk_code_signed_with_another_key_for_this_event_is_invalid(desk: StaffDesk) -> None:
    forged = issue_code(new_event_keys().private, desk.event.id, "AAAAAAAAAAAAA", prague(DAY1, 8))  # type: ignore[arg-type]
    assert desk.check_in(forged).status is CheckInStatus.INVALID


def test_another_events_kiosk_code_is_wrong_event(desk: StaffDesk) -> None:
    keys = new_event_keys()
    other = issue_code(keys.private, new_event_id(), "AAAAAAAAAAAAA", prague(DAY1, 8))  # type: ignore[arg-type]
    assert desk.check_in(other).status is CheckInStatus.WRONG_EVENT


def test_kiosk_code_typed_on_a_czech_keyboard_still_verifies(desk: StaffDesk) -> None:
    attendee, code = _fresh_person_code(desk)
    result = desk.check_in(typed_on("cs", code))
    assert result.status is OK and result.attendee.id == attendee.id  # type: ignore[union-attr]


def test_checks_happen_in_the_contracts_order(desk: StaffDesk) -> None:
    # A cancelled attendee on a day outside the event is "cancelled", not "not_today".
    assert desk.check_in("cancelled01", prague(date(2023, 10, 30), 9)).status is (
        CheckInStatus.CANCELLED
    )
    # Someone already checked in who comes back on a non-event day is "not_today".
    code = code_of(desk.store, "Horák")
    desk.check_in(code, prague(DAY1, 9))
    assert desk.check_in(code, prague(date(2023, 10, 30), 9)).status is CheckInStatus.NOT_TODAY


def test_stats_count_people_per_day_and_category(desk: StaffDesk) -> None:
    desk.check_in(code_of(desk.store, "Kühr"), prague(DAY1, 9))
    desk.check_in(code_of(desk.store, "Kühr"), prague(DAY2, 9))
    desk.check_in(code_of(desk.store, "Přikryl"), prague(DAY1, 9, 1))
    horak = code_of(desk.store, "Horák")
    desk.check_in(horak, prague(DAY1, 9, 2))
    desk.undo(horak, prague(DAY1, 9, 3))
    stats = desk.stats()
    assert stats.registered == 9 and stats.cancelled == 1
    assert stats.checked_in == 2
    assert stats.by_day == {DAY1: 2, DAY2: 1}
    assert stats.by_category["Speaker"].checked_in == 1
    assert stats.by_category["Speaker"].by_day == {DAY1: 1, DAY2: 1}
    assert stats.by_category["Participant"].registered == 8


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("prikryl", ["Přikryl"]),
        ("PŘÍK", ["Přikryl"]),
        ("kuhr", ["Kühr"]),
        ("zolc", ["Żółć"]),
        ("lud kuh", ["Kühr"]),
        ("nanoprog", ["Kühr"]),
        ("ludek.kuhr", ["Kühr"]),
        ("00041", ["Přikryl"]),
        ("ch", ["Chalupa"]),
        ("zzz", []),
    ],
)
def test_search_ignores_case_and_diacritics(
    desk: StaffDesk, query: str, expected: list[str]
) -> None:
    assert [a.last_name for a in desk.search(query)] == expected


def test_list_is_sorted_in_czech_order(desk: StaffDesk) -> None:
    names = [a.last_name for a in desk.attendees()]
    assert names.index("Cibulka") < names.index("Čermák") < names.index("Druhá")
    assert names.index("Horák") < names.index("Chalupa") < names.index("Kühr")
    # Ż is no letter of Czech: it sorts as Z, so Żółć comes before Zrušený.
    assert names.index("Żółć") < names.index("Zrušený")


def test_person_helper_sees_everyone(desk: StaffDesk) -> None:
    assert person(desk.store, "Kühr").category == "Speaker"


def test_a_scan_that_reads_as_two_peoples_codes_names_neither(desk: StaffDesk) -> None:
    # "é" is "0" on a Czech keyboard and "2" on a French one: both are codes here.
    store = desk.store
    store.apply_import(  # type: ignore[union-attr]
        plan_import({}, [Registration(row=2, code="0", first_name="Nula", last_name="Nulová"),
                         Registration(row=3, code="2", first_name="Dva", last_name="Dvojka")])
    )  # fmt: skip
    result = desk.check_in("é")
    assert result.status is CheckInStatus.UNKNOWN and result.attendee is None
    assert desk.check_in("0").attendee.last_name == "Nulová"  # type: ignore[union-attr]


def test_well_formed_indico_code_of_nobody_is_unknown_not_invalid(desk: StaffDesk) -> None:
    # Its layout readings do not parse as JSON; that must not make the scan itself "invalid".
    result = desk.check_in('{"i": [1, "indico.example", "bm9wZQ"]}')
    assert result.status is CheckInStatus.UNKNOWN


def test_forged_kiosk_code_typed_on_a_czech_keyboard_is_invalid(desk: StaffDesk) -> None:
    forged = issue_code(new_event_keys().private, desk.event.id, "AAAAAAAAAAAAA", prague(DAY1, 8))  # type: ignore[arg-type]
    assert desk.check_in(typed_on("cs", forged)).status is CheckInStatus.INVALID


def test_picking_from_the_list_follows_the_same_rules(desk: StaffDesk, clock: FixedClock) -> None:
    kuhr = person(desk.store, "Kühr")
    picked = desk.check_in_attendee(kuhr.id)
    assert picked.status is OK and picked.entry is not None
    assert picked.entry.data == {"via": "list"}
    clock.set(prague(DAY1, 9, 30))
    assert desk.check_in(kuhr.code).status is ALREADY
    assert desk.check_in_attendee(person(desk.store, "Zrušený").id).status is (
        CheckInStatus.CANCELLED
    )
    assert desk.check_in_attendee("NOSUCHPERSON1").status is CheckInStatus.UNKNOWN


def test_first_checkins_of_today_for_a_list_of_people(desk: StaffDesk, clock: FixedClock) -> None:
    kuhr, horak = person(desk.store, "Kühr"), person(desk.store, "Horák")
    desk.check_in(kuhr.code)
    found = desk.first_checkins([kuhr.id, horak.id])
    assert list(found) == [kuhr.id]
    assert found[kuhr.id].at == prague(DAY1, 9)
    clock.set(prague(DAY2, 9))
    assert desk.first_checkins([kuhr.id, horak.id]) == {}


@pytest.mark.parametrize("typed", ["Chalupa-", "chalupa-1", "CHAL"])
def test_search_by_the_start_of_a_mixed_case_code(desk: StaffDesk, typed: str) -> None:
    assert "Chalupa" in [a.last_name for a in desk.search(typed)]


def test_search_by_the_start_of_a_kiosk_code(desk: StaffDesk) -> None:
    walk_in = desk.walk_in("Jana", "Nováková")
    assert [a.id for a in desk.search(walk_in.code[:9])] == [walk_in.attendee.id]
    assert [a.id for a in desk.search(walk_in.code[:9].lower())] == [walk_in.attendee.id]


def test_double_fire_across_midnight_records_nothing_new(desk: StaffDesk) -> None:
    code = code_of(desk.store, "Kühr")
    first = desk.check_in(code, prague(DAY1, 23, 59, 59))
    again = desk.check_in(code, prague(DAY2, 0, 0, 1))
    assert again.status is OK and again.repeat and again.entry == first.entry
    assert desk.store.checkins(first.attendee.id, DAY2) == []  # type: ignore[union-attr]
    # A real arrival on day 2 still counts.
    assert desk.check_in(code, prague(DAY2, 8)).status is OK


def test_double_fire_after_midnight_past_the_last_day_repeats_the_green_answer(
    desk: StaffDesk,
) -> None:
    code = code_of(desk.store, "Kühr")
    after_event = DAY2 + timedelta(days=1)
    first = desk.check_in(code, prague(DAY2, 23, 59, 58))
    again = desk.check_in(code, prague(after_event, 0, 0, 1))
    assert again.status is OK and again.repeat and again.entry == first.entry
    assert again.first_at == first.first_at
    # Past the scanner's window it is a new scan on a day that is not the event's.
    assert desk.check_in(code, prague(after_event, 0, 0, 5)).status is CheckInStatus.NOT_TODAY


def test_double_fire_after_midnight_into_a_day_the_ticket_lacks_repeats_the_answer(
    desk: StaffDesk,
) -> None:
    code = code_of(desk.store, "Druhá")  # a ticket for day 2 only
    desk.store.apply_import(  # type: ignore[union-attr]
        plan_import({}, [Registration(row=2, code="day1only", first_name="Jan", last_name="Prvn",
                                      days=(DAY1,))])
    )  # fmt: skip
    first = desk.check_in("day1only", prague(DAY1, 23, 59, 59))
    assert first.status is OK
    again = desk.check_in("day1only", prague(DAY2, 0, 0, 1))
    assert again.status is OK and again.repeat and again.entry == first.entry
    assert desk.check_in(code, prague(DAY2, 9)).status is OK


def test_two_letters_search_names_not_codes(desk: StaffDesk) -> None:
    # "ch" starts Chalupa's code "Chalupa-1" as well as names; only the names count.
    desk.store.apply_import(  # type: ignore[union-attr]
        plan_import({}, [Registration(row=2, code="chx9", first_name="Ema", last_name="Bílá")])
    )
    assert [a.last_name for a in desk.search("ch")] == ["Chalupa"]
    assert [a.last_name for a in desk.search("chx9")] == ["Bílá"]


def test_of_two_check_ins_on_one_day_the_earliest_counts(
    desk: StaffDesk, clock: FixedClock
) -> None:
    # Two desks that admitted someone offline; the later one's entry arrived first.
    kuhr = person(desk.store, "Kühr")
    for station, minute in (("Desk B", 10), ("Desk A", 0)):
        desk.store.append(
            JournalEntry(uuid=new_entry_uuid(), kind=EntryKind.CHECKIN, station=station,
                         at=prague(DAY1, 9, minute), day=DAY1, attendee_id=kuhr.id)
        )  # fmt: skip
    first = desk.first_checkins([kuhr.id])[kuhr.id]
    assert (first.station, first.at) == ("Desk A", prague(DAY1, 9))
    clock.set(prague(DAY1, 11))
    again = desk.check_in(kuhr.code)
    assert again.status is ALREADY and (again.station, again.first_at) == (
        "Desk A",
        prague(DAY1, 9),
    )


@pytest.mark.parametrize(("layout", "winner"), [("us", "Nulová"), ("de", "Dvojka")])
def test_with_the_scanner_layout_known_its_reading_wins(
    desk: StaffDesk, layout: str, winner: str
) -> None:
    # As above: "xyz1" is Nula's code as typed and Dvojka's "xzy1" on a German keyboard. The
    # desk's scanner check found the layout, so the scan names the person that layout means.
    desk.store.apply_import(  # type: ignore[union-attr]
        plan_import({}, [Registration(row=2, code="xyz1", first_name="Nula", last_name="Nulová"),
                         Registration(row=3, code="xzy1", first_name="Dva", last_name="Dvojka")])
    )  # fmt: skip
    desk.store.set_setting("scanner.layout", layout)
    desk.reload_settings()
    result = desk.check_in("xyz1")
    assert result.status is OK
    assert result.attendee is not None and result.attendee.last_name == winner


def test_a_known_layout_still_finds_a_scan_only_another_reading_names(desk: StaffDesk) -> None:
    # The layout setting breaks ties; it does not stop Caps Lock or other fixes from working.
    desk.store.set_setting("scanner.layout", "cs")
    desk.reload_settings()
    result = desk.check_in(caps_lock(typed_on("cs", "Chalupa-1")), prague(DAY1, 9))
    assert result.attendee is not None and result.attendee.last_name == "Chalupa"
