"""Journals from several kiosks merge into the same state in any order, with any duplicates."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.connection import migration_files, statements
from kiosk.core.clock import FixedClock
from kiosk.core.journal import entry_from_dict, entry_to_dict, hlc_of
from kiosk.core.model import (
    Attendee,
    AttendeeStatus,
    EntryKind,
    Event,
    JournalEntry,
    new_entry_uuid,
)
from kiosk.core.registrations import plan_import
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, PEOPLE, prague
from tests.fakes import MemoryStore

ORIGINS = ("a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2", "c3c3c3c3c3c3c3c3")
ATTENDEE_IDS = [f"ATTENDEE{n:05d}" for n in range(len(PEOPLE))]
AnyStore = MemoryStore | SqliteStore


@contextmanager
def new_store(kind: str, event_and_keys: tuple[Event, EventKeys]) -> Iterator[AnyStore]:
    """A store of the small test event with the same attendees (ids included) every time."""
    event, keys = event_and_keys
    plan = plan_import({}, PEOPLE)
    people = tuple(replace(a, id=i) for a, i in zip(plan.added, ATTENDEE_IDS, strict=True))
    plan = replace(plan, added=people)
    if kind == "memory":
        memory = MemoryStore(event, keys)
        memory.apply_import(plan)
        yield memory
        return
    with tempfile.TemporaryDirectory() as folder, SqliteStore(Path(folder) / "k.sqlite3") as db:
        db.create_event(event, keys)
        db.apply_import(plan)
        yield db


@st.composite
def journals(draw: st.DrawFn) -> list[JournalEntry]:
    """Entries three kiosks wrote: check-ins, undos of any kiosk's check-ins, walk-ins and
    event settings, numbered 1, 2, 3, ... per kiosk.
    """
    entries: list[JournalEntry] = []
    checkins: list[JournalEntry] = []
    seqs = dict.fromkeys(ORIGINS, 0)
    for _ in range(draw(st.integers(1, 25))):
        origin = draw(st.sampled_from(ORIGINS))
        seqs[origin] += 1
        day = draw(st.sampled_from([DAY1, DAY2]))
        at = prague(day, 9) + timedelta(seconds=draw(st.integers(0, 600)))
        base = JournalEntry(
            uuid=new_entry_uuid(),
            kind=EntryKind.CHECKIN,
            station=f"Desk {origin[0].upper()}",
            at=at,
            day=day,
            origin=origin,
            seq=seqs[origin],
        )
        # Clocks disagree: a reading anywhere in ten minutes, often the same one.
        base = replace(
            base, hlc=hlc_of(prague(DAY1, 8) + timedelta(seconds=draw(st.integers(0, 9))))
        )
        kind = draw(
            st.sampled_from(["checkin", "checkin", "undo", "walkin", "setting", "registration"])
        )
        if kind == "undo" and checkins:
            target = draw(st.sampled_from(checkins))
            entry = replace(
                base,
                kind=EntryKind.UNDO,
                day=target.day,
                attendee_id=target.attendee_id,
                code=target.code,
                ref=target.uuid,
            )
        elif kind == "walkin":
            attendee_id = f"WALKIN{len(entries):07d}"
            code = f"K1:TEST{len(entries)}"
            record = Attendee(attendee_id, "Jana", f"Nováková {len(entries)}", code, (code,))
            entry = replace(
                base,
                kind=EntryKind.WALKIN,
                attendee_id=attendee_id,
                code=code,
                data={"attendee": record.to_dict(), "code_kind": "kiosk"},
            )
        elif kind == "registration":
            attendee_id = draw(st.sampled_from(ATTENDEE_IDS))
            person = PEOPLE[ATTENDEE_IDS.index(attendee_id)]
            record = Attendee(
                attendee_id,
                person.first_name,
                person.last_name,
                person.code,
                (person.code,),
                organisation=draw(st.sampled_from(["ČVUT", "Klastr", "Firma s.r.o."])),
                status=draw(st.sampled_from(list(AttendeeStatus))),
            )
            entry = replace(
                base,
                kind=EntryKind.REGISTRATION,
                day=None,
                attendee_id=attendee_id,
                code=person.code,
                data={"attendee": record.record(), "import": "test"},
            )
        elif kind == "setting":
            value = str(draw(st.integers(0, 10)))
            entry = replace(
                base,
                kind=EntryKind.SETTING,
                day=None,
                data={"name": "checkin.repeat_seconds", "value": value},
            )
        else:
            attendee_id = draw(st.sampled_from(ATTENDEE_IDS))
            entry = replace(base, attendee_id=attendee_id, code="code")
            checkins.append(entry)
        entries.append(entry)
    return entries


def state(store: AnyStore) -> tuple[object, ...]:
    """Everything the journal decides, as plain values to compare (the store's own import of
    the test's people aside: each store made it with entries of its own).
    """
    journal = sorted(
        (entry_to_dict(e) for e in store.journal() if e.origin in ORIGINS),
        key=lambda d: d["uuid"],
    )
    return (
        journal,
        sorted(store.presence()),
        [store.count_checked_in(day) for day in (DAY1, DAY2)],
        store.event_settings(),
        [a.to_dict() for a in store.attendees()],
    )


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
@settings(max_examples=40)
@given(
    entries=journals(),
    orders=st.lists(st.randoms(use_true_random=False), min_size=2, max_size=3),
    repeats=st.integers(0, 3),
)
def test_any_order_and_any_duplicates_give_the_same_state(
    kind: str,
    event_and_keys: tuple[Event, EventKeys],
    entries: list[JournalEntry],
    orders: list,
    repeats: int,
) -> None:
    states = []
    for rng in orders:
        delivered = entries + [rng.choice(entries) for _ in range(repeats)]
        rng.shuffle(delivered)
        with new_store(kind, event_and_keys) as store:
            # In batches, as files arrive one after another.
            cut = rng.randrange(len(delivered) + 1)
            first, second = store.merge(delivered[:cut]), store.merge(delivered[cut:])
            assert first.added + second.added == len(entries)
            assert first.known + second.known == repeats
            assert not first.conflicts and not second.conflicts
            # And once more, whole: nothing changes.
            again = store.merge(entries)
            assert (again.added, again.known) == (0, len(entries))
            states.append(state(store))
    assert all(found == states[0] for found in states[1:])


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_merged_journal_answers_like_a_local_one(
    kind: str, event_and_keys: tuple[Event, EventKeys]
) -> None:
    with new_store(kind, event_and_keys) as here, new_store(kind, event_and_keys) as there:
        clock = FixedClock(prague(DAY1, 9))
        code = PEOPLE[1].code
        StaffDesk(there, "Desk", clock).check_in(code)
        walkin = StaffDesk(there, "Desk", clock).walk_in("Jana", "Nováková", organisation="ČVUT")
        # The other kiosk is named "Desk" too: the journals still merge, by kiosk id.
        theirs = there.entries_since(there.kiosk_id())
        assert [e.kind for e in theirs][-2:] == ["checkin", "walkin"]
        report = here.merge(theirs)
        assert (report.added, report.known) == (len(theirs), 0)
        # Both imported the same people (the same ids): one registry, not twins.
        assert len(here.attendees()) == len(PEOPLE) + 1
        desk = StaffDesk(here, "Desk", FixedClock(prague(DAY1, 10)))
        already = desk.check_in(code)
        assert already.status == "already" and already.first_at == prague(DAY1, 9)
        assert desk.check_in(walkin.code).attendee.organisation == "ČVUT"  # type: ignore[union-attr]
        # Our own entries come back with theirs: known, not added twice.
        ours = here.entries_since(here.kiosk_id())
        echo = here.merge(ours)
        assert (echo.added, echo.known) == (0, len(ours))


def first_checkin() -> JournalEntry:
    """The first entry of the first other kiosk: a check-in at 09:00 on the first day."""
    return JournalEntry(
        uuid=new_entry_uuid(),
        kind=EntryKind.CHECKIN,
        station="Desk",
        at=prague(DAY1, 9),
        day=DAY1,
        attendee_id=ATTENDEE_IDS[0],
        origin=ORIGINS[0],
        seq=1,
    )


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_an_entry_that_clashes_with_a_stored_one_is_reported_not_stored(
    kind: str, event_and_keys: tuple[Event, EventKeys]
) -> None:
    with new_store(kind, event_and_keys) as store:
        entry = first_checkin()
        store.merge([entry])
        forged = replace(entry, station="Elsewhere")  # same uuid, other content
        copied = replace(entry, uuid=new_entry_uuid())  # same origin and number: a copied file
        report = store.merge([forged, copied])
        assert report.added == 0 and report.conflicts == (forged.uuid, copied.uuid)
        assert [e.station for e in store.journal() if e.kind == "checkin"] == ["Desk"]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_a_clash_within_one_delivery_keeps_the_first_and_reports_the_rest(
    kind: str, event_and_keys: tuple[Event, EventKeys]
) -> None:
    with new_store(kind, event_and_keys) as store:
        entry = first_checkin()
        forged = replace(entry, station="Elsewhere")
        copied = replace(entry, uuid=new_entry_uuid())
        report = store.merge([entry, forged, entry, copied])
        assert (report.added, report.known) == (1, 1)
        assert report.conflicts == (forged.uuid, copied.uuid)
        assert [e.station for e in store.journal() if e.kind == "checkin"] == ["Desk"]


def test_entries_travel_as_json_unchanged() -> None:
    entry = JournalEntry(
        uuid=new_entry_uuid(),
        kind=EntryKind.CHECKIN,
        station="Recepce",
        at=prague(DAY1, 9, 14),
        day=DAY1,
        attendee_id="X",
        code="0042",
        data={"via": "list"},
        origin=ORIGINS[0],
        seq=7,
        hlc=hlc_of(prague(DAY1, 9, 14, 1)),
    )
    assert entry_from_dict(entry_to_dict(entry)) == entry
    # A kiosk of an earlier version sends no clock: its entry's time stands in.
    older = {key: value for key, value in entry_to_dict(entry).items() if key != "hlc"}
    assert entry_from_dict(older).hlc == hlc_of(prague(DAY1, 9, 14))


def test_an_old_file_keeps_every_entry_as_this_kiosk_s(tmp_path: Path) -> None:
    """A database made by the foundation's schema (migration 0001 only) converts unchanged."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in statements(migration_files()[0].read_text(encoding="utf-8")):
        conn.execute(statement)
    conn.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)")
    conn.execute("INSERT INTO _sqlite_migrations VALUES ('kiosk', '0001_initial', '')")
    rows = [
        ("u1", "Desk", 1, "checkin", "2023-10-23T07:00:00.000000+00:00", "2023-10-23", "A"),
        ("u2", "Desk", 2, "undo", "2023-10-23T07:01:00.000000+00:00", "2023-10-23", "A"),
        ("u3", "Desk B", 1, "checkin", "2023-10-23T07:02:00.000000+00:00", "2023-10-23", "B"),
    ]
    for uuid, station, seq, kind, at, day, attendee in rows:
        conn.execute(
            "INSERT INTO journal (uuid, station, seq, kind, at, day, attendee_id, ref, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}')",
            (uuid, station, seq, kind, at, day, attendee, "u1" if kind == "undo" else None),
        )
    conn.commit()
    conn.close()
    with SqliteStore(path) as store:
        kiosk = store.kiosk_id()
        assert len(kiosk) == 16
        assert [(e.uuid, e.origin, e.seq, e.station) for e in store.journal()] == [
            ("u1", kiosk, 1, "Desk"),
            ("u2", kiosk, 2, "Desk"),
            ("u3", kiosk, 3, "Desk B"),
        ]
        assert store.count_checked_in(DAY1) == 1
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.conn.execute("DELETE FROM journal")


def test_each_database_gets_its_own_kiosk_id(tmp_path: Path) -> None:
    ids = set()
    for n in range(3):
        with SqliteStore(tmp_path / f"{n}.sqlite3") as store:
            ids.add(store.kiosk_id())
    assert len(ids) == 3


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_two_kiosks_that_both_admitted_someone_offline_keep_both_and_say_so(
    kind: str, event_and_keys: tuple[Event, EventKeys]
) -> None:
    with new_store(kind, event_and_keys) as a, new_store(kind, event_and_keys) as b:
        code = PEOPLE[2].code
        assert StaffDesk(a, "Desk A", FixedClock(prague(DAY1, 8, 41))).check_in(code).status == "ok"
        assert StaffDesk(b, "Desk B", FixedClock(prague(DAY1, 8, 43))).check_in(code).status == "ok"
        a.merge(b.entries_since(b.kiosk_id()))
        b.merge(a.entries_since(a.kiosk_id()))
        for store in (a, b):
            again = StaffDesk(store, "Desk C", FixedClock(prague(DAY1, 9))).check_in(code)
            assert again.status == "already"
            assert (again.first_at, again.station) == (prague(DAY1, 8, 41), "Desk A")
            assert [(e.at, e.station) for e in again.also] == [(prague(DAY1, 8, 43), "Desk B")]
            assert store.count_checked_in(DAY1) == 1


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_merging_known_entries_again_adds_nothing_whatever_their_json_looks_like(
    kind: str, event_and_keys: tuple[Event, EventKeys]
) -> None:
    """A second delivery of many entries (more than one chunk) is all known, also an entry
    whose data another kiosk wrote otherwise but that reads back the same (1.0 and 1).
    """
    with new_store(kind, event_and_keys) as store:
        entries = [
            JournalEntry(new_entry_uuid(), EntryKind.CHECKIN, "Desk", prague(DAY1, 9),
                         day=DAY1, attendee_id=ATTENDEE_IDS[n % len(ATTENDEE_IDS)],
                         data={"score": 1}, origin=ORIGINS[n % 2], seq=n // 2 + 1)
            for n in range(1200)
        ]  # fmt: skip
        assert store.merge(entries).added == len(entries)
        before = len(store.journal())
        written_otherwise = [replace(entries[0], data={"score": 1.0}), *entries[1:]]
        report = store.merge(written_otherwise)
        assert (report.added, report.known, report.conflicts) == (0, len(entries), ())
        assert len(store.journal()) == before
        changed = replace(entries[5], data={"score": 2})
        assert store.merge([changed]).conflicts == (changed.uuid,)


def test_a_merge_syncs_its_last_chunk_and_with_it_every_one_before(
    event_and_keys: tuple[Event, EventKeys],
) -> None:
    """Chunks commit without waiting for the disk, as an import's steps do, but the merge's
    last commit is synced (a WAL reaches the disk in commit order), and the connection syncs
    every commit again after it.
    """
    with new_store("sqlite", event_and_keys) as store:
        assert isinstance(store, SqliteStore)
        entries = [
            replace(first_checkin(), uuid=new_entry_uuid(), seq=n + 1, attendee_id=f"X{n:05d}")
            for n in range(1500)  # more than the first chunk
        ]
        statements: list[str] = []
        conn = store.connection()
        conn.set_trace_callback(statements.append)
        try:
            assert store.merge(entries).added == len(entries)
        finally:
            conn.set_trace_callback(None)
        modes, mode = [], "FULL"
        for statement in statements:
            if statement.startswith("PRAGMA synchronous = "):
                mode = statement.rsplit(" ", 1)[1]
            elif statement == "COMMIT":
                modes.append(mode)
        assert len(modes) > 1
        assert set(modes[:-1]) == {"NORMAL"} and modes[-1] == "FULL"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_a_merge_leaves_nothing_in_the_wal_for_a_desk_to_copy(
    event_and_keys: tuple[Event, EventKeys],
) -> None:
    """A merge copies its chunks into the database itself, after each one, so the desk's next
    commit finds nothing of it to copy or to sync.
    """
    with new_store("sqlite", event_and_keys) as store:
        assert isinstance(store, SqliteStore)
        entries = [
            replace(first_checkin(), uuid=new_entry_uuid(), seq=n + 1, attendee_id=f"X{n:05d}")
            for n in range(1500)
        ]
        store.merge(entries)
        # Copied all: the next commit starts the WAL afresh, and it alone is in it.
        store.set_setting("station", "Desk B")
        conn = store.connection()
        _, in_wal, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        assert 0 < in_wal < 10


def test_entries_since_are_the_stored_entries_with_their_data_read_when_looked_at(
    event_and_keys: tuple[Event, EventKeys],
) -> None:
    with new_store("sqlite", event_and_keys) as store:
        StaffDesk(store, "Desk", FixedClock(prague(DAY1, 9))).check_in(PEOPLE[1].code)
        mine = sorted(
            (e for e in store.journal() if e.origin == store.kiosk_id()), key=lambda e: e.seq
        )
        since = store.entries_since(store.kiosk_id())
        assert since == mine
        assert [entry_to_dict(e) for e in since] == [entry_to_dict(e) for e in mine]
        assert all(dict(a.data) == b.data for a, b in zip(since, mine, strict=True))
