"""The schedule in the core: the board at a moment, on-site changes in clock order, what a
re-import changed, staleness, and the autumn clock change.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kiosk.core.errors import InvalidInputError
from kiosk.core.journal import entry_key, hlc_text
from kiosk.core.model import EntryKind, Event, JournalEntry, new_entry_uuid
from kiosk.core.schedule import (
    STALE_AFTER,
    Session,
    board_state,
    key_ident,
    schedule_stale,
    session_key,
)
from kiosk.core.schedule_changes import (
    apply_changes,
    cancel_data,
    check_minutes,
    delay_data,
    delay_window,
    diff_sessions,
    find_session,
    full_data,
    move_data,
    title_data,
)

PRAGUE = ZoneInfo("Europe/Prague")
DAY1, DAY2 = date(2023, 10, 23), date(2023, 10, 24)
EVENT = Event(id="EVT", name="Clusters meet Regions", timezone="Europe/Prague", days=(DAY1, DAY2))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PRAGUE)


def talk(ident: str, room: str, start: datetime, minutes: int = 30, **fields: object) -> Session:
    return Session(
        key=session_key("demo", ident, start),
        title=str(fields.pop("title", f"Talk {ident}")),
        start=start.astimezone(UTC),
        end=(start + timedelta(minutes=minutes)).astimezone(UTC),
        room=room,
        source="demo",
        ref=ident,
        **fields,  # type: ignore[arg-type]
    )


class Journal:
    """Schedule entries numbered as a store numbers them, on one kiosk's clock."""

    def __init__(self, origin: str = "kiosk-a") -> None:
        self.origin = origin
        self.entries: list[JournalEntry] = []
        self.millis = 1_700_000_000_000

    def add(self, data: dict[str, object], origin: str | None = None) -> JournalEntry:
        self.millis += 1000
        entry = JournalEntry(
            uuid=new_entry_uuid(),
            kind=EntryKind.SCHEDULE,
            station="Desk A",
            at=datetime.now(UTC),
            data=data,
            origin=origin or self.origin,
            seq=len(self.entries) + 1,
            hlc=hlc_text(self.millis),
        )
        self.entries.append(entry)
        return entry


DAY_SESSIONS = [
    talk("1", "Main Hall", at(DAY1, 9)),
    talk("2", "Main Hall", at(DAY1, 10)),
    talk("3", "Main Hall", at(DAY1, 11)),
    talk("4", "Seminar Room A", at(DAY1, 10)),
    talk("5", "Main Hall", at(DAY2, 9)),
]


def by_ref(sessions: list[Session]) -> dict[str, Session]:
    return {s.ref: s for s in sessions}


# -- keys ----------------------------------------------------------------------------------------


def test_a_key_is_source_id_and_start_in_utc() -> None:
    key = session_key("38c3", "270fa44c", datetime(2024, 12, 27, 10, 30, tzinfo=ZoneInfo("CET")))
    assert key == "38c3/270fa44c@2024-12-27T09:30Z"
    assert key_ident(key) == "38c3/270fa44c"


# -- the board -----------------------------------------------------------------------------------


def test_the_board_shows_now_and_next_per_room() -> None:
    board = board_state(DAY_SESSIONS, EVENT, at(DAY1, 10, 10))
    rooms = {room.room: room for room in board.rooms}
    assert rooms["Main Hall"].now.ref == "2" and rooms["Main Hall"].next.ref == "3"
    assert rooms["Seminar Room A"].now.ref == "4" and rooms["Seminar Room A"].next is None
    assert not board.day_over


def test_a_session_running_past_midnight_belongs_to_the_next_day_while_it_runs() -> None:
    party = talk("party", "Club", at(DAY1, 22), minutes=180)
    breakfast = talk("breakfast", "Club", at(DAY2, 8))
    board = board_state([party, breakfast], EVENT, at(DAY2, 0, 30))
    assert board.day == DAY2
    (club,) = board.rooms
    assert club.now == party and club.next == breakfast
    # Once it is over, it is yesterday's again.
    (club,) = board_state([party, breakfast], EVENT, at(DAY2, 2)).rooms
    assert club.now is None and club.next == breakfast


def test_dst_sessions_across_the_autumn_change_keep_their_real_length() -> None:
    # 29 October 2023: Prague's clocks go from 03:00 CEST back to 02:00 CET.
    change_day = date(2023, 10, 29)
    event = Event(id="E", name="Night", timezone="Europe/Prague", days=(change_day,))
    night = Session(
        key="n",
        title="Night session",
        start=datetime(2023, 10, 29, 1, 30, tzinfo=PRAGUE).astimezone(UTC),  # CEST
        end=datetime(2023, 10, 29, 1, 30, tzinfo=PRAGUE).astimezone(UTC) + timedelta(hours=2),
        room="Hall",
    )
    after = talk("after", "Hall", datetime(2023, 10, 29, 3, 0, tzinfo=PRAGUE))
    assert event.local(night.start).isoformat() == "2023-10-29T01:30:00+02:00"
    assert event.local(night.end).isoformat() == "2023-10-29T02:30:00+01:00"
    assert event.local(after.start).utcoffset() == timedelta(hours=1)
    # At 02:15 CET (the second 02:15 of the night) the night session still runs.
    second_0215 = datetime(2023, 10, 29, 1, 15, tzinfo=UTC)
    (hall,) = board_state([night, after], event, second_0215).rooms
    assert hall.now == night and hall.next == after
    # A delay across the change moves by real minutes.
    start, until = delay_window(event, night.start)
    journal = Journal()
    journal.add(delay_data("Hall", start, until, 60))
    moved = by_ref(apply_changes([night, after], journal.entries))
    assert moved["after"].start - after.start == timedelta(hours=1)
    assert until == datetime(2023, 10, 30, tzinfo=PRAGUE).astimezone(UTC)
    assert until - start == timedelta(hours=23, minutes=30)  # a 25-hour day, from 01:30 CEST


# -- on-site changes -----------------------------------------------------------------------------


def test_a_delay_moves_later_sessions_of_that_room_that_day_only() -> None:
    journal = Journal()
    start, until = delay_window(EVENT, at(DAY1, 10))
    journal.add(delay_data("Main Hall", start, until, 15))
    shown = by_ref(apply_changes(DAY_SESSIONS, journal.entries))
    assert shown["1"].start == at(DAY1, 9)  # before the moment
    assert shown["2"].start == at(DAY1, 10, 15) and shown["2"].delay == timedelta(minutes=15)
    assert shown["3"].start == at(DAY1, 11, 15) and shown["3"].original_start == at(DAY1, 11)
    assert shown["3"].end - shown["3"].start == timedelta(minutes=30)
    assert shown["4"].start == at(DAY1, 10)  # another room
    assert shown["5"].start == at(DAY2, 9)  # the next day


def test_delays_add_up_and_follow_the_schedule_as_it_stands() -> None:
    journal = Journal()
    journal.add(delay_data("Main Hall", *delay_window(EVENT, at(DAY1, 10)), 15))
    # Staff look at the board: talk 3 now says 11:15; they delay from there by 10 more.
    journal.add(delay_data("Main Hall", *delay_window(EVENT, at(DAY1, 11, 15)), 10))
    shown = by_ref(apply_changes(DAY_SESSIONS, journal.entries))
    assert shown["2"].start == at(DAY1, 10, 15)
    assert shown["3"].start == at(DAY1, 11, 25) and shown["3"].delay == timedelta(minutes=25)


def test_cancel_move_and_retitle_and_back() -> None:
    journal = Journal()
    two = DAY_SESSIONS[1]
    journal.add(cancel_data(two))
    journal.add(move_data(two, "Foyer"))
    journal.add(title_data(two, "Clusters, revisited"))
    shown = by_ref(apply_changes(DAY_SESSIONS, journal.entries))["2"]
    assert shown.cancelled and shown.room == "Foyer" and shown.moved_from == "Main Hall"
    assert shown.title == "Clusters, revisited" and shown.original_title == "Talk 2"
    journal.add(cancel_data(two, cancelled=False))
    journal.add(move_data(two, "Seminar Room A"))
    journal.add(move_data(two, "Main Hall"))
    journal.add(title_data(two, "Talk 2"))
    shown = by_ref(apply_changes(DAY_SESSIONS, journal.entries))["2"]
    assert shown == two


def test_a_moved_session_takes_the_delays_of_its_new_room() -> None:
    journal = Journal()
    journal.add(move_data(DAY_SESSIONS[1], "Seminar Room A"))
    journal.add(delay_data("Seminar Room A", *delay_window(EVENT, at(DAY1, 9, 30)), 5))
    shown = by_ref(apply_changes(DAY_SESSIONS, journal.entries))
    assert shown["2"].room == "Seminar Room A" and shown["2"].start == at(DAY1, 10, 5)
    assert shown["3"].start == at(DAY1, 11)


def test_changes_apply_in_clock_order_whatever_order_they_arrive_in() -> None:
    a, b = Journal("kiosk-a"), Journal("kiosk-b")
    two = DAY_SESSIONS[1]
    from_a = a.add(title_data(two, "From A"))
    b.millis = a.millis - 1000  # the same clock reading: the origin decides
    from_b = b.add(title_data(two, "From B"))
    a.add(move_data(two, "Foyer"))
    assert from_a.hlc == from_b.hlc
    entries = [*a.entries, *b.entries]
    expected = apply_changes(DAY_SESSIONS, entries)
    for seed in range(5):
        shuffled = entries[:]
        random.Random(seed).shuffle(shuffled)
        assert apply_changes(DAY_SESSIONS, shuffled) == expected
    newest = max([from_a, from_b], key=entry_key)
    assert by_ref(expected)["2"].title == newest.data["title"] == "From B"
    assert by_ref(expected)["2"].room == "Foyer"


def test_a_change_finds_a_session_a_newer_file_moved_in_time() -> None:
    journal = Journal()
    journal.add(cancel_data(DAY_SESSIONS[2]))
    rescheduled = talk("3", "Main Hall", at(DAY1, 14))  # the organisers moved it: a new key
    shown = by_ref(apply_changes([*DAY_SESSIONS[:2], rescheduled], journal.entries))
    assert shown["3"].cancelled and shown["3"].start == at(DAY1, 14)


def test_broken_and_unknown_changes_are_left_out() -> None:
    journal = Journal()
    journal.add({"change": "teleport", "session": DAY_SESSIONS[0].key})
    journal.add({"change": "delay", "room": "Main Hall", "from": "yesterday", "minutes": 5})
    journal.add({"change": "delay", "room": "Main Hall", "minutes": True})
    journal.add({"change": "cancel"})
    journal.add(cancel_data(talk("404", "Nowhere", at(DAY1, 9))))
    assert apply_changes(DAY_SESSIONS, journal.entries) == sorted(
        DAY_SESSIONS, key=lambda s: (s.start, s.room, s.key)
    )


def test_find_session_by_key_id_or_title_and_ambiguity() -> None:
    twin = talk("2", "Seminar Room A", at(DAY1, 15))  # a repeated id
    sessions = [*DAY_SESSIONS, twin]
    assert find_session(sessions, DAY_SESSIONS[0].key) == DAY_SESSIONS[0]
    assert find_session(sessions, "1") == DAY_SESSIONS[0]
    assert find_session(sessions, "talk 4") == DAY_SESSIONS[3]
    with pytest.raises(InvalidInputError, match="names 2 sessions"):
        find_session(sessions, "2")
    assert find_session(sessions, twin.key) == twin
    with pytest.raises(InvalidInputError, match="no session"):
        find_session(sessions, "99")


def test_delay_minutes_are_checked() -> None:
    assert check_minutes(-10) == -10
    for wrong in (0, 24 * 60 + 1):
        with pytest.raises(InvalidInputError):
            check_minutes(wrong)


# -- re-imports ----------------------------------------------------------------------------------


def test_diff_names_added_changed_and_removed() -> None:
    newer = [
        DAY_SESSIONS[0],
        Session(**{**DAY_SESSIONS[1].__dict__, "title": "Renamed", "room": "Foyer"}),
        talk("3", "Main Hall", at(DAY1, 14)),  # moved in time: a new key, the same id
        talk("6", "Main Hall", at(DAY1, 16)),
    ]
    diffs = {(d.change, d.session.ref): d for d in diff_sessions(DAY_SESSIONS, newer)}
    assert set(diffs) == {
        ("changed", "2"),
        ("changed", "3"),
        ("added", "6"),
        ("removed", "4"),
        ("removed", "5"),
    }
    assert diffs["changed", "2"].fields == ("title", "room")
    assert set(diffs["changed", "3"].fields) == {"start", "end"}
    assert diff_sessions(DAY_SESSIONS, DAY_SESSIONS) == []


# -- staleness -----------------------------------------------------------------------------------


def test_stale_only_on_event_days_and_after_a_day() -> None:
    imported = at(DAY1, 8)
    now = imported + STALE_AFTER + timedelta(minutes=1)
    assert schedule_stale(EVENT, at(DAY2, 9), imported, now)
    assert not schedule_stale(EVENT, at(DAY2, 9), imported, imported + timedelta(hours=23))
    assert not schedule_stale(EVENT, at(date(2023, 10, 25), 9), imported, now)  # event over
    assert not schedule_stale(EVENT, at(DAY2, 9), None, now)  # no schedule at all


def test_a_room_full_mark_and_seats_again() -> None:
    journal = Journal()
    two = DAY_SESSIONS[1]
    journal.add(full_data(two))
    assert by_ref(apply_changes(DAY_SESSIONS, journal.entries))["2"].full
    journal.add(full_data(two, full=False))
    assert by_ref(apply_changes(DAY_SESSIONS, journal.entries))["2"] == two
