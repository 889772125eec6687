"""The schedule workflows on both stores: imports and re-imports with what changed, on-site
changes that survive them and travel between kiosks, the headless answer, staleness.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.adapters.schedules import ScheduleFiles
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.schedule import ScheduleStore
from kiosk.core.errors import InvalidInputError, NoEventError
from kiosk.core.events import new_event
from kiosk.core.model import EntryKind, Event, JournalEntry
from kiosk.core.schedule import ScheduleImport, Session
from kiosk.core.signing import EventKeys
from kiosk.workflows.schedule import (
    SessionStore,
    cancel_session,
    current_schedule,
    delay_room,
    import_demo_schedule,
    import_schedule,
    mark_full,
    move_session,
    now_json,
    now_text,
    retitle_session,
    schedule_now,
)
from tests.conftest import DAY1, DAY2, prague
from tests.fakes import MemoryStore

FILES = ScheduleFiles()
DEMO = json.loads(FILES.demo_file().read_text(encoding="utf-8"))
REAL_NOW = datetime(2023, 10, 23, 7, 0, tzinfo=UTC)  # the real clock when it is not the point


class MemorySessions:
    """The `SessionStore` port in dictionaries, over a `MemoryStore`'s journal."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self._sessions: dict[str, Session] = {}
        self._imports: list[ScheduleImport] = []

    def sessions(self, source: str | None = None) -> list[Session]:
        found = [s for s in self._sessions.values() if source is None or s.source == source]
        return sorted(found, key=lambda s: (s.start, s.room, s.key))

    def schedule_changes(self) -> list[JournalEntry]:
        return [e for e in self.store.journal() if e.kind is EntryKind.SCHEDULE]

    def last_import(self, source: str | None = None) -> ScheduleImport | None:
        found = [i for i in self._imports if source is None or i.source == source]
        return found[-1] if found else None

    def rooms(self) -> list[str]:
        sources = {s.source for s in self._sessions.values()}
        names: list[str] = []
        for source in dict.fromkeys(i.source for i in self._imports if i.source in sources):
            latest = self.last_import(source)
            assert latest is not None
            names += [room for room in latest.rooms if room not in names]
        return names

    def save_import(
        self, record: ScheduleImport, sessions: Sequence[Session], removed: Sequence[str]
    ) -> None:
        self._imports.append(record)
        for key in removed:
            self._sessions.pop(key, None)
        for session in sessions:
            self._sessions[session.key] = session


@pytest.fixture
def schedules(store: MemoryStore | SqliteStore) -> SessionStore:
    """The schedule's store beside the conftest's `store` (fake and real)."""
    if isinstance(store, MemoryStore):
        return MemorySessions(store)
    return ScheduleStore(store)


def demo_file(tmp_path: Path, change: Any = None, name: str = "schedule.json") -> Path:
    """The demo agenda, changed by `change(document)` when given."""
    document = json.loads(json.dumps(DEMO))
    if change is not None:
        change(document)
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def demo_events(document: dict[str, Any]) -> dict[int, tuple[list[dict[str, Any]], int]]:
    """id -> (the list it is in, its index) for every event of the demo agenda."""
    found = {}
    for day in document["schedule"]["conference"]["days"]:
        for events in day["rooms"].values():
            for index, event in enumerate(events):
                found[event["id"]] = (events, index)
    return found


def event_of(document: dict[str, Any], ident: int) -> dict[str, Any]:
    events, index = demo_events(document)[ident]
    return events[index]


def newer_version(document: dict[str, Any]) -> None:
    """A newer demo agenda: 110 renamed, 113 an hour later (14:30), 116 gone, 199 new."""
    event_of(document, 110)["title"] = "Digital twins, revisited"
    moved = event_of(document, 113)
    later = datetime.fromisoformat(moved["date"]) + timedelta(hours=1)
    moved["date"], moved["start"] = later.isoformat(), f"{later:%H:%M}"
    events, index = demo_events(document)[116]
    del events[index]
    events.append({**events[0], "id": 199, "guid": "new-199", "title": "Late addition"})


def by_ref(sessions: list[Session]) -> dict[str, Session]:
    return {s.ref: s for s in sessions}


def shown(schedules: SessionStore) -> dict[str, Session]:
    return by_ref(current_schedule(schedules))


# -- importing -----------------------------------------------------------------------------------


def test_import_then_the_same_file_again(
    store: MemoryStore | SqliteStore, schedules: SessionStore
) -> None:
    first = import_demo_schedule(store, schedules, FILES, now=REAL_NOW)
    assert (first.count("added"), first.unchanged, first.warnings) == (35, 0, ())
    again = import_demo_schedule(store, schedules, FILES, now=REAL_NOW + timedelta(hours=1))
    assert (again.count("added"), again.count("changed"), again.count("removed")) == (0, 0, 0)
    assert again.unchanged == 35
    last = schedules.last_import()
    assert last is not None and last.imported_at == REAL_NOW + timedelta(hours=1)
    data = again.to_dict(store.event())
    assert data["format"] == "schedule-json" and data["source"] == "cmr2023"
    assert data["imported_at"] == "2023-10-23T10:00:00+02:00"


def test_a_newer_version_updates_in_place_and_says_what_changed(
    store: MemoryStore | SqliteStore, schedules: SessionStore, tmp_path: Path
) -> None:
    import_demo_schedule(store, schedules, FILES, now=REAL_NOW)
    report = import_schedule(store, schedules, FILES, demo_file(tmp_path, newer_version))
    changes = {(c.change, c.session.ref): c for c in report.changes}
    assert set(changes) == {("changed", "110"), ("changed", "113"), ("removed", "116"),
                            ("added", "199")}  # fmt: skip
    assert changes["changed", "110"].fields == ("title",)
    assert set(changes["changed", "113"].fields) == {"start", "end"}
    assert report.unchanged == 32
    data = report.to_dict(store.event())
    assert (data["added"], data["changed"], data["removed"]) == (1, 2, 1)
    moved = next(c for c in data["changes"] if c["id"] == "113")
    assert moved["before"]["start"] == "2023-10-23T13:30:00+02:00"
    assert moved["start"] == "2023-10-23T14:30:00+02:00"
    now = by_ref(schedules.sessions())
    assert len(now) == 35 and "116" not in now and now["110"].title == "Digital twins, revisited"


def test_a_dry_run_writes_nothing(
    store: MemoryStore | SqliteStore, schedules: SessionStore, tmp_path: Path
) -> None:
    report = import_schedule(store, schedules, FILES, demo_file(tmp_path), dry_run=True)
    assert report.dry_run and report.count("added") == 35
    assert schedules.sessions() == [] and schedules.last_import() is None


def test_replace_all_removes_other_schedules(
    store: MemoryStore | SqliteStore, schedules: SessionStore, tmp_path: Path
) -> None:
    import_demo_schedule(store, schedules, FILES)

    def rename(document: dict[str, Any]) -> None:
        document["schedule"]["conference"]["acronym"] = "workshops"

    other = demo_file(tmp_path, rename)
    import_schedule(store, schedules, FILES, other)
    assert len(schedules.sessions()) == 70  # two schedules side by side
    report = import_schedule(store, schedules, FILES, other, replace_all=True)
    assert report.to_dict(store.event())["removed"] == 35
    assert {s.source for s in schedules.sessions()} == {"workshops"}


def test_a_bad_event_is_a_warning_and_the_rest_is_imported(
    store: MemoryStore | SqliteStore, schedules: SessionStore, tmp_path: Path
) -> None:
    def break_one(document: dict[str, Any]) -> None:
        broken = event_of(document, 104)
        broken["date"], broken["start"] = "tomorrow", "soon"

    report = import_schedule(store, schedules, FILES, demo_file(tmp_path, break_one))
    assert report.count("added") == 34
    (warning,) = report.warnings
    assert warning.file == "schedule.json" and warning.where.startswith("event 104")


def test_an_import_needs_an_event(tmp_path: Path) -> None:
    empty = SqliteStore(tmp_path / "empty.sqlite3")
    with pytest.raises(NoEventError):
        import_demo_schedule(empty, ScheduleStore(empty), FILES)
    empty.close()


# -- on-site changes -----------------------------------------------------------------------------


@pytest.fixture
def demo(store: MemoryStore | SqliteStore, schedules: SessionStore) -> SessionStore:
    import_demo_schedule(store, schedules, FILES, now=REAL_NOW)
    return schedules


def test_a_delay_moves_later_sessions_of_that_room_only(
    store: MemoryStore | SqliteStore, demo: SessionStore
) -> None:
    before = shown(demo)
    result = delay_room(store, demo, "main hall", 10, since=prague(DAY1, 10), station="Desk A")
    assert result.entry is not None and result.entry.kind is EntryKind.SCHEDULE
    after = shown(demo)
    moved = {ref for ref, s in after.items() if s.start != before[ref].start}
    expected = {
        ref
        for ref, s in before.items()
        if s.room == "Main Hall" and s.start >= prague(DAY1, 10) and s.start < prague(DAY2, 0)
    }
    assert moved == expected and "103" not in moved  # 09:30: before the moment
    assert all(after[ref].delay == timedelta(minutes=10) for ref in moved)
    assert {s.ref for s in result.sessions} == moved
    assert result.to_dict(store.event())["sessions"][0]["delay_minutes"] == 10


def test_delay_refusals(store: MemoryStore | SqliteStore, demo: SessionStore) -> None:
    with pytest.raises(InvalidInputError, match="no room 'Hall C'"):
        delay_room(store, demo, "Hall C", 10, since=prague(DAY1, 10))
    with pytest.raises(InvalidInputError, match="nothing in Main Hall starts"):
        delay_room(store, demo, "Main Hall", 10, since=prague(DAY1, 23))
    with pytest.raises(InvalidInputError, match="a delay of 0 minutes"):
        delay_room(store, demo, "Main Hall", 0, since=prague(DAY1, 10))


def test_cancel_move_retitle_and_idempotence(
    store: MemoryStore | SqliteStore, demo: SessionStore
) -> None:
    assert cancel_session(store, demo, "105").entry is not None
    assert cancel_session(store, demo, "105").entry is None  # already cancelled
    assert move_session(store, demo, "106", "seminar room b").sessions[0].room == "Seminar Room B"
    assert move_session(store, demo, "107", "Foyer").sessions[0].moved_from == "Seminar Room A"
    retitled = retitle_session(store, demo, "108", "  Industrial  symbiosis ").sessions[0]
    assert retitled.title == "Industrial symbiosis"
    with pytest.raises(InvalidInputError, match="the title is empty"):
        retitle_session(store, demo, "108", "   ")
    current = shown(demo)
    assert current["105"].cancelled and current["106"].moved_from == "Main Hall"
    assert current["108"].original_title == "Industrial symbiosis and waste heat recovery"
    assert not cancel_session(store, demo, "105", cancelled=False).sessions[0].cancelled


def test_on_site_changes_survive_a_reimport(
    store: MemoryStore | SqliteStore, demo: SessionStore, tmp_path: Path
) -> None:
    delay_room(store, demo, "Main Hall", 15, since=prague(DAY1, 10))
    cancel_session(store, demo, "113")  # which the newer file moves to 14:30
    move_session(store, demo, "110", "Foyer")  # which the newer file renames
    retitle_session(store, demo, "107", "NIS2 for manufacturers")
    import_schedule(store, demo, FILES, demo_file(tmp_path, newer_version))
    current = shown(demo)
    assert current["104"].start == prague(DAY1, 10, 30)  # 10:15 + 15
    assert current["113"].cancelled and current["113"].original_start == prague(DAY1, 14, 30)
    assert current["110"].room == "Foyer" and current["110"].title == "Digital twins, revisited"
    assert current["107"].title == "NIS2 for manufacturers"
    assert current["199"].delay == timedelta(0)


def exchange(a: Any, b: Any) -> None:
    b.merge(a.entries_since(a.kiosk_id()))
    a.merge(b.entries_since(b.kiosk_id()))


@pytest.fixture
def two_kiosks(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> Iterator[tuple[SqliteStore, SqliteStore]]:
    first, second = SqliteStore(tmp_path / "a.sqlite3"), SqliteStore(tmp_path / "b.sqlite3")
    for kiosk in (first, second):
        kiosk.create_event(*event_and_keys)
        import_demo_schedule(kiosk, ScheduleStore(kiosk), FILES)
    yield first, second
    first.close()
    second.close()


def test_two_kiosks_exchanging_journals_show_the_same_schedule(
    two_kiosks: tuple[SqliteStore, SqliteStore], event_and_keys: tuple[Event, EventKeys]
) -> None:
    a, b = two_kiosks
    on_a, on_b = ScheduleStore(a), ScheduleStore(b)
    delay_room(a, on_a, "Main Hall", 10, since=prague(DAY1, 10))
    retitle_session(a, on_a, "104", "Title from A")
    move_session(b, on_b, "104", "Foyer")
    retitle_session(b, on_b, "104", "Title from B")
    cancel_session(b, on_b, "118")
    assert current_schedule(on_a) != current_schedule(on_b)
    exchange(a, b)
    assert current_schedule(on_a) == current_schedule(on_b)
    final = shown(on_a)["104"]
    assert final.room == "Foyer" and final.delay == timedelta(minutes=10)
    assert final.title == "Title from B"  # the later by the clocks wins, on both
    # A third kiosk, a fake one, that merges them ends in the same place.
    memory = MemoryStore(*event_and_keys)
    on_memory = MemorySessions(memory)
    import_demo_schedule(memory, on_memory, FILES)
    memory.merge(b.journal())
    assert current_schedule(on_memory) == current_schedule(on_a)


# -- the answer at a moment ----------------------------------------------------------------------


def test_schedule_now_json_lists_running_and_coming_rooms(
    store: MemoryStore | SqliteStore, demo: SessionStore
) -> None:
    delay_room(store, demo, "Main Hall", 15, since=prague(DAY1, 10, 15))
    move_session(store, demo, "107", "Foyer")
    cancel_session(store, demo, "108")
    at = prague(DAY1, 10, 5)
    event = store.event()
    data = now_json(event, schedule_now(store, demo, at, now=REAL_NOW))
    assert data["at"] == "2023-10-23T10:05:00+02:00" and data["day"] == "2023-10-23"
    current = current_schedule(demo)
    expected = [
        room
        for room in dict.fromkeys(s.room for s in current)
        if any(
            s.room == room and (s.running(at) or s.start > at) and event.day_of(s.start) == DAY1
            for s in current
        )
    ]
    assert sorted(r["room"] for r in data["rooms"]) == sorted(expected)
    rooms = {r["room"]: r for r in data["rooms"]}
    hall = rooms["Main Hall"]
    assert hall["now"]["id"] == "103" and hall["now"]["delay_minutes"] == 0
    assert hall["next"]["id"] == "104" and hall["next"]["start"] == "2023-10-23T10:30:00+02:00"
    assert hall["next"]["delay_minutes"] == 15
    assert rooms["Foyer"]["next"]["moved_from"] == "Seminar Room A"
    assert rooms["Seminar Room B"]["next"]["cancelled"] is True
    assert set(hall["now"]) >= {"title", "start", "end", "cancelled", "speakers",
                                "delay_minutes", "moved_from"}  # fmt: skip
    assert data["stale"] is False and data["imported_at"] == "2023-10-23T09:00:00+02:00"
    text = now_text(event, schedule_now(store, demo, at, now=REAL_NOW))
    assert "Main Hall: now 09:30-10:15" in text and "(+15 min)" in text


def test_the_schedule_goes_stale_during_the_event(
    store: MemoryStore | SqliteStore, schedules: SessionStore
) -> None:
    imported = datetime(2023, 10, 20, 12, 0, tzinfo=UTC)
    import_demo_schedule(store, schedules, FILES, now=imported)
    on_day_one = prague(DAY1, 9)
    board = schedule_now(store, schedules, on_day_one, now=on_day_one)
    assert board.stale and board.imported_at == imported
    assert "STALE" in now_text(store.event(), board)
    # Before the event it is not stale yet; a fresh import makes it fresh again.
    assert not schedule_now(store, schedules, prague(date(2023, 10, 22), 9), now=on_day_one).stale
    import_demo_schedule(store, schedules, FILES, now=on_day_one)
    assert not schedule_now(store, schedules, on_day_one, now=on_day_one).stale


def test_times_across_the_autumn_change_in_the_answer(tmp_path: Path) -> None:
    night = date(2023, 10, 29)
    event, keys = new_event("Night", "Europe/Prague", [date(2023, 10, 28), night])
    store = MemoryStore(event, keys)
    schedules = MemorySessions(store)

    def night_agenda(document: dict[str, Any]) -> None:
        day = document["schedule"]["conference"]["days"][0]
        day["date"] = "2023-10-29"
        day["rooms"] = {
            "Hall": [
                {"id": 1, "guid": "n1", "date": "2023-10-29T01:30:00+02:00", "start": "01:30",
                 "duration": "02:00", "room": "Hall", "title": "Across the change"},
                {"id": 2, "guid": "n2", "date": "2023-10-29T03:00:00+01:00", "start": "03:00",
                 "duration": "01:00", "room": "Hall", "title": "After it"},
            ]
        }  # fmt: skip
        document["schedule"]["conference"]["days"] = [day]

    import_schedule(store, schedules, FILES, demo_file(tmp_path, night_agenda))
    data = now_json(
        event, schedule_now(store, schedules, datetime(2023, 10, 29, 0, 45, tzinfo=UTC))
    )
    (hall,) = data["rooms"]
    assert data["at"] == "2023-10-29T02:45:00+02:00"  # the first 02:45 of the night
    assert hall["now"]["start"] == "2023-10-29T01:30:00+02:00"
    assert hall["now"]["end"] == "2023-10-29T02:30:00+01:00"  # two real hours
    assert hall["next"]["start"] == "2023-10-29T03:00:00+01:00"
    # From 01:00 CEST: both move, by real minutes.
    delay_room(store, schedules, "Hall", 30, since=datetime(2023, 10, 28, 23, 0, tzinfo=UTC))
    after = shown(schedules)
    assert event.local(after["1"].end).isoformat() == "2023-10-29T03:00:00+01:00"


def test_the_demo_agenda_inside_the_demo_s_own_transaction(db_path: Path) -> None:
    """As `setup.load_demo` calls it: inside its one transaction, all or nothing."""
    from tests.support import load_demo  # noqa: PLC0415

    kiosk = SqliteStore(db_path)
    with kiosk.transaction():
        load_demo(kiosk)
        report = import_demo_schedule(kiosk, ScheduleStore(kiosk), FILES)
    assert report.count("added") == 35 and len(ScheduleStore(kiosk).sessions()) == 35
    kiosk.close()
    failed = SqliteStore(db_path.with_name("failed.sqlite3"))
    with pytest.raises(RuntimeError), failed.transaction():
        load_demo(failed)
        import_demo_schedule(failed, ScheduleStore(failed), FILES)
        raise RuntimeError("the demo's set-up failed after its agenda")
    assert ScheduleStore(failed).sessions() == [] and not failed.has_event()
    failed.close()


def test_a_full_room_is_marked_once_and_freed_again(
    store: MemoryStore | SqliteStore, demo: SessionStore
) -> None:
    marked = mark_full(store, demo, "105")
    assert marked.entry is not None and marked.sessions[0].full
    assert mark_full(store, demo, "105").entry is None  # already full: nothing recorded
    assert shown(demo)["105"].full
    assert "room full" in marked.text(store.event())
    freed = mark_full(store, demo, "105", full=False)
    assert freed.change == "seats" and not freed.sessions[0].full
