"""A merge commits in chunks sized by cost; merges and imports keep the size of step they
learnt for the store's next one.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore, imports
from kiosk.adapters.storage import store as store_module
from kiosk.core.clock import FixedClock
from kiosk.core.model import EntryKind, Event, JournalEntry
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, prague

PEOPLE = [
    Registration(row=n, code=f"CHNK{n:06d}", first_name="Jana", last_name=f"Nováková {n}")
    for n in range(2, 62)
]
RECORD = store_module._RECORD_COST
NORMAL, FULL = 1, 2  # PRAGMA synchronous


@pytest.fixture
def kiosks(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> Iterator[tuple[SqliteStore, SqliteStore]]:
    """Kiosk A with the people imported and some of them checked in; kiosk B with nothing."""
    a, b = SqliteStore(tmp_path / "a.sqlite3"), SqliteStore(tmp_path / "b.sqlite3")
    for store in (a, b):
        store.create_event(*event_and_keys)
    a.apply_import(plan_import({}, PEOPLE))
    desk = StaffDesk(a, "Desk A", FixedClock(prague(DAY1, 9)))
    for person in PEOPLE[:30]:
        assert desk.check_in(person.code).status == "ok"
    yield a, b
    a.close()
    b.close()


class Steps:
    """The steps that merges and imports took, as (their size, their count or cost), with the
    size `imports.next_size` hands on made `next_size` (wall time left out)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, next_size: int) -> None:
        self.seen: list[tuple[int, int]] = []
        self.next_size = next_size

        def sized(size: int, count: int, _seconds: float) -> int:
            self.seen.append((size, count))
            return self.next_size

        monkeypatch.setattr(imports, "next_size", sized)


def own_entries(store: SqliteStore) -> list[JournalEntry]:
    return store.entries_since(store.kiosk_id())


def test_a_merge_commits_chunks_of_bounded_cost_each_a_transaction(
    kiosks: tuple[SqliteStore, SqliteStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = kiosks
    entries = own_entries(a)
    records = sum(entry.kind is EntryKind.REGISTRATION for entry in entries)
    assert records == len(PEOPLE)
    b.step_sizes["merge"] = 55  # as a merge before this one learnt it
    chunks = Steps(monkeypatch, next_size=55)
    committed: list[int] = []
    inner = store_module.begin_immediate

    def begin(conn: sqlite3.Connection, waiters: object = None) -> None:
        # What is stored as each transaction begins: the chunks before it, all committed.
        committed.append(b.connection().execute("SELECT count(*) FROM journal").fetchone()[0])
        inner(conn, waiters)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "begin_immediate", begin)
    report = b.merge(entries)
    assert (report.added, report.known, report.conflicts) == (len(entries), 0, ())
    costs = [cost for _, cost in chunks.seen]
    # A registration costs ten entries without a record: five or six of them a chunk, never
    # the whole import at once; every chunk but the last filled its size, by one entry at most.
    assert sum(costs) == records * RECORD + len(entries) - records
    assert len(costs) >= records * RECORD // 55
    assert all(55 <= cost < 55 + RECORD for cost in costs[:-1])
    assert 0 < costs[-1] < 55 + RECORD
    # One transaction a chunk, each committed before the next began.
    assert len(committed) == len(costs)
    assert committed == sorted(committed)
    assert len(set(committed)) == len(committed)
    assert b.attendees() == a.attendees()
    assert b.count_checked_in(DAY1) == 30


def test_the_size_one_merge_learnt_is_where_the_next_merge_starts(
    kiosks: tuple[SqliteStore, SqliteStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = kiosks
    entries = own_entries(a)
    chunks = Steps(monkeypatch, next_size=120)
    b.merge(entries[:40])
    assert chunks.seen[0][0] == store_module._MERGE_CHUNK
    assert all(size == 120 for size, _ in chunks.seen[1:])
    assert b.step_sizes["merge"] == 120
    chunks.seen.clear()
    chunks.next_size = 30
    b.merge(entries[40:])
    assert chunks.seen[0][0] == 120  # learnt by the merge before
    assert all(size == 30 for size, _ in chunks.seen[1:])
    assert b.attendees() == a.attendees()


def test_the_step_size_one_import_learnt_is_where_the_next_import_starts(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqliteStore(tmp_path / "k.sqlite3")
    store.create_event(*event_and_keys)
    people = PEOPLE
    more = [replace(p, row=p.row + 100, code=f"MORE{p.row:06d}") for p in PEOPLE]
    steps = Steps(monkeypatch, next_size=25)
    store.apply_import(plan_import({}, people))
    # The first import's steps: the fixed first size, then the size each step learnt.
    assert steps.seen[0] == (imports.FIRST_STEP, len(people))  # one step: all of them
    assert store.step_sizes["import"] == 25
    steps.seen.clear()
    store.apply_import(plan_import(store.registered(), [*people, *more]))
    assert [size for size, _ in steps.seen] == [25, 25, 25]
    assert [count for _, count in steps.seen] == [25, 25, 10]
    assert len(store.attendees()) == len(people) + len(more)
    store.close()


def test_the_next_step_is_sized_to_last_an_import_step() -> None:
    step = imports.STEP_SECONDS
    # Filled its size and went fast: larger; slow: smaller (never below or above the bounds).
    assert imports.next_size(200, 205, step / 2) == 410
    assert imports.next_size(200, 200, step * 2) == imports.MIN_STEP
    assert imports.next_size(1000, 1000, step * 2) == 500
    assert imports.next_size(4000, 4000, step / 10) == imports.MAX_STEP
    # A small step that went fast teaches nothing; one that took too long still does.
    assert imports.next_size(300, 20, step / 2) == 300
    assert imports.next_size(3000, 1000, step * 4) == 250


def test_chunks_are_taken_by_cost_and_never_empty() -> None:
    def entry(kind: EntryKind) -> JournalEntry:
        return JournalEntry("u", kind, "Desk", prague(DAY1, 9), origin="o", seq=1)

    checkin, walkin = entry(EntryKind.CHECKIN), entry(EntryKind.WALKIN)
    entries = iter([checkin] * 5 + [walkin] * 3 + [checkin])
    ahead: deque[JournalEntry] = deque()
    assert store_module._take(ahead, entries, 4) == [checkin] * 4
    assert store_module._take(ahead, entries, 4) == [checkin, walkin]  # a record alone fills it
    assert store_module._take(ahead, entries, 1) == [walkin]
    # Those ahead (the rest of a chunk that ended early) come first.
    ahead.extend([checkin, checkin])
    assert store_module._take(ahead, entries, 1) == [checkin]
    assert store_module._take(ahead, entries, 100) == [checkin, walkin, checkin]
    assert store_module._take(ahead, entries, 100) == []


def test_a_merge_commits_its_chunks_but_the_last_without_waiting_for_the_disk(
    kiosks: tuple[SqliteStore, SqliteStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = kiosks
    b.step_sizes["merge"] = imports.MIN_STEP
    settings: list[int] = []
    inner = store_module.begin_immediate

    def begin(conn: sqlite3.Connection, waiters: object = None) -> None:
        settings.append(conn.execute("PRAGMA synchronous").fetchone()[0])
        inner(conn, waiters)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "begin_immediate", begin)
    b.merge(own_entries(a))
    assert len(settings) > 1
    assert set(settings[:-1]) == {NORMAL} and settings[-1] == FULL
    # Afterwards the desk's own writes wait for the disk again, on the same connection.
    settings.clear()
    desk = StaffDesk(b, "Desk B", FixedClock(prague(DAY1, 10)))
    assert desk.check_in(PEOPLE[-1].code).status == "ok"
    assert settings == [FULL]
    assert b.count_checked_in(DAY1) == 31
