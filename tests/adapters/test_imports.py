"""Imports as journal entries: nothing half-imported, never a long wait, reprints flagged."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore, imports
from kiosk.core.clock import FixedClock
from kiosk.core.model import EntryKind, Event, JournalEntry, new_entry_uuid
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, PEOPLE, prague

MANY = 1200  # more than one apply step


def people(count: int, organisation: str = "Klastr") -> list[Registration]:
    return [
        Registration(row=n + 2, code=f"M{n:06d}", first_name="Jan", last_name=f"Novák {n}",
                     organisation=organisation, registration_id=f"R{n}")
        for n in range(count)
    ]  # fmt: skip


@pytest.fixture
def empty(db_path: Path, event_and_keys: tuple[Event, EventKeys]) -> SqliteStore:
    store = SqliteStore(db_path)
    store.create_event(*event_and_keys)
    return store


def registrations(store: SqliteStore) -> list[JournalEntry]:
    return [e for e in store.journal() if e.kind is EntryKind.REGISTRATION]


def test_each_change_is_one_registration_entry_and_the_same_file_writes_nothing(
    empty: SqliteStore,
) -> None:
    plan = plan_import({}, PEOPLE, event_id=empty.event().id)
    empty.apply_import(plan, station="Desk A", source="export.csv", format_name="csv")
    entries = registrations(empty)
    assert len(entries) == len(PEOPLE)
    assert {e.attendee_id for e in entries} == {a.id for a in empty.attendees()}
    assert all(e.station == "Desk A" and e.hlc for e in entries)
    again = plan_import(empty.registered(), PEOPLE, event_id=empty.event().id)
    assert not again.changes and again.unchanged == len(PEOPLE)
    assert empty.last_import()["file"] == "export.csv"  # type: ignore[index]


def test_two_kiosks_importing_the_same_rows_make_the_same_people(
    empty: SqliteStore, event_and_keys: tuple[Event, EventKeys], tmp_path: Path
) -> None:
    other = SqliteStore(tmp_path / "other.sqlite3")
    other.create_event(*event_and_keys)
    event_id = empty.event().id
    for store in (empty, other):
        store.apply_import(plan_import({}, PEOPLE, event_id=event_id))
    empty.merge(other.entries_since(other.kiosk_id()))
    assert len(empty.attendees()) == len(PEOPLE)


def test_an_import_cut_off_while_staging_leaves_the_registry_as_it_was(
    empty: SqliteStore, db_path: Path
) -> None:
    empty.apply_import(plan_import({}, people(10), event_id=empty.event().id))
    before = empty.attendees()
    plan = plan_import(empty.registered(), people(MANY, "ČVUT"), event_id=empty.event().id)
    entries = [
        JournalEntry(new_entry_uuid(), EntryKind.REGISTRATION, "Desk", prague(DAY1, 8),
                     attendee_id=a.id, code=a.code, data={"attendee": a.record()})
        for a in plan.changes
    ]  # fmt: skip
    # Staged, then the power went: the step that marks it 'applying' never ran.
    with empty.transaction() as conn:
        conn.execute(
            "INSERT INTO imports (id, file, state, started_at) VALUES ('cut', 'x.csv', "
            "'staging', '')"
        )
    empty.close()
    reopened = SqliteStore(db_path)
    assert reopened.attendees() == before
    assert not reopened.db.conn.execute("SELECT count(*) FROM imports WHERE id = 'cut'").fetchone()[
        0
    ]
    assert entries  # the plan had work to do


def test_an_import_cut_off_while_applying_is_finished_at_the_next_open(
    empty: SqliteStore, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = plan_import({}, people(MANY), event_id=empty.event().id)
    real_apply = imports.apply_records
    steps: list[int] = []

    def apply_then_lose_power(conn: object, entries: list[JournalEntry], *args: object) -> int:
        steps.append(len(entries))
        written = real_apply(conn, entries, *args)  # type: ignore[arg-type]
        if len(steps) == 2:  # the second step wrote its records, then the power went
            raise KeyboardInterrupt("power cut")
        return written

    monkeypatch.setattr(imports, "apply_records", apply_then_lose_power)
    with pytest.raises(KeyboardInterrupt):
        empty.apply_import(plan)
    # The first step is in; the second was rolled back whole.
    assert steps[0] == imports.FIRST_STEP
    assert len(empty.attendees()) == imports.FIRST_STEP
    empty.close()
    monkeypatch.setattr(imports, "apply_records", real_apply)
    reopened = SqliteStore(db_path)
    assert len(reopened.attendees()) == MANY
    assert len(registrations(reopened)) == MANY
    state = reopened.db.conn.execute("SELECT state FROM imports").fetchall()
    assert state == [("done",)]


def test_a_check_in_goes_in_between_the_steps_of_a_large_import(empty: SqliteStore) -> None:
    """The desk does not wait for the whole import: its check-in is journalled among the
    import's entries, between two of its steps.
    """
    empty.apply_import(plan_import({}, PEOPLE, event_id=empty.event().id))
    plan = plan_import(empty.registered(), people(MANY), event_id="E")
    started = threading.Event()
    real_apply = imports.apply_records

    def signal_then_apply(*args: object, **kwargs: object) -> int:
        started.set()
        return real_apply(*args, **kwargs)  # type: ignore[arg-type]

    imports.apply_records = signal_then_apply  # type: ignore[assignment]
    try:
        worker = threading.Thread(target=empty.apply_import, args=(plan,))
        worker.start()
        started.wait(30)
        desk = StaffDesk(empty, "Desk A", FixedClock(prague(DAY1, 9)))
        result = desk.check_in(PEOPLE[0].code)
        worker.join(60)
    finally:
        imports.apply_records = real_apply  # type: ignore[assignment]
    assert result.status == "ok"
    journal = sorted(empty.journal(), key=lambda e: e.seq)
    position = next(n for n, e in enumerate(journal) if e.kind is EntryKind.CHECKIN)
    later_registrations = [e for e in journal[position:] if e.kind is EntryKind.REGISTRATION]
    assert later_registrations, "the check-in waited for the whole import"


def test_a_changed_name_after_a_badge_print_asks_for_a_reprint(empty: SqliteStore) -> None:
    empty.apply_import(plan_import({}, PEOPLE, event_id=empty.event().id))
    kuhr = next(a for a in empty.attendees() if a.last_name == "Kühr")
    assert not kuhr.reprint
    empty.append(JournalEntry(new_entry_uuid(), EntryKind.PRINT, "Desk A", prague(DAY1, 8),
                              attendee_id=kuhr.id, data={"layout": "a6"}))  # fmt: skip
    same = plan_import(empty.registered(), PEOPLE, event_id=empty.event().id)
    assert not same.changes
    renamed = [replace(PEOPLE[0], organisation="Klastr Nanoprogress, z. s.")]
    empty.apply_import(plan_import(empty.registered(), renamed, event_id=empty.event().id))
    assert empty.attendee(kuhr.id).reprint  # type: ignore[union-attr]
    empty.append(JournalEntry(new_entry_uuid(), EntryKind.PRINT, "Desk A", prague(DAY1, 8, 5),
                              attendee_id=kuhr.id, data={"layout": "a6"}))  # fmt: skip
    assert not empty.attendee(kuhr.id).reprint  # type: ignore[union-attr]


def test_after_an_import_the_connection_syncs_every_commit_again(empty: SqliteStore) -> None:
    """The import's steps commit without waiting for the disk; a check-in after it must not."""
    synced: list[int] = []

    def note_sync(*_: object) -> None:
        synced.append(empty.connection().execute("PRAGMA synchronous").fetchone()[0])

    empty.apply_import(plan_import({}, people(MANY), event_id="E"), progress=note_sync)
    assert synced and set(synced) == {2}  # FULL between the steps, where a check-in goes in
    assert empty.connection().execute("PRAGMA synchronous").fetchone()[0] == 2
    assert len(empty.attendees()) == MANY


def test_a_batched_import_stores_each_code_once_and_replaces_a_reissued_one(
    empty: SqliteStore,
) -> None:
    first = people(MANY)
    empty.apply_import(plan_import({}, first, event_id="E"))
    reissued = [replace(r, code=f"N{n:06d}") if n % 2 else r for n, r in enumerate(first)]
    plan = plan_import(empty.registered(), reissued, event_id="E")
    assert len(plan.updated) == MANY // 2
    empty.apply_import(plan)
    codes = dict(empty.connection().execute("SELECT code, attendee_id FROM codes").fetchall())
    assert len(codes) == MANY
    assert {a.code for a in empty.attendees()} == {r.code for r in reissued}
    assert all(codes[a.code] == a.id for a in empty.attendees())
