"""Imports as journal entries: nothing half-imported, never a long wait, reprints flagged."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.storage import SqliteStore, imports
from kiosk.core.clock import FixedClock
from kiosk.core.model import Attendee, EntryKind, Event, JournalEntry, new_entry_uuid
from kiosk.core.registrations import Registration, RegistrationRows, check_rows, plan_import
from kiosk.core.signing import EventKeys
from kiosk.workflows.registration import import_registrations
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
        # Each piece of a step (`imports.pieces`) writes its records.
        steps.append(len(entries))
        written = real_apply(conn, entries, *args)  # type: ignore[arg-type]
        if sum(steps) > imports.FIRST_STEP:  # the second step wrote some, then the power went
            raise KeyboardInterrupt("power cut")
        return written

    monkeypatch.setattr(imports, "apply_records", apply_then_lose_power)
    with pytest.raises(KeyboardInterrupt):
        empty.apply_import(plan)
    # The first step is in; the second was rolled back whole.
    assert sum(steps[:-1]) == imports.FIRST_STEP
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


class CountingCsv(CsvRegistrations):
    """The generic CSV reader, counting the files it reads."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, path: Path, format_name: str | None = None) -> RegistrationRows:
        self.reads += 1
        return super().read(path, format_name)


def export_file(tmp_path: Path, count: int, *, extra_lines: tuple[str, ...] = ()) -> Path:
    lines = ["code,first_name,last_name,organisation,email,registration_id"]
    lines += [f"C{n:05d},Jana,Dvořák {n},ČVUT,jana{n}@example.cz,R{n}" for n in range(count)]
    path = tmp_path / "export.csv"
    path.write_text("\n".join([*lines, *extra_lines]) + "\n", encoding="utf-8")
    return path


def written(store: SqliteStore) -> tuple[object, ...]:
    conn = store.connection()
    return tuple(
        conn.execute(sql).fetchall()
        for sql in (
            "SELECT count(*), max(rowid) FROM journal",
            "SELECT count(*), max(rowid), max(updated_at) FROM attendees",
            "SELECT * FROM imports ORDER BY id",
            "SELECT topic, version FROM changes ORDER BY topic",
        )
    )


def test_an_unchanged_re_import_is_answered_without_reading_the_file_and_writes_nothing(
    empty: SqliteStore, tmp_path: Path
) -> None:
    # A bad e-mail (kept without it) and a row without a code (left out): the file's own
    # errors, which a re-import reports again.
    path = export_file(tmp_path, MANY, extra_lines=(",No,Code,,,R-none", "Z1,Bad,Mail,,nope,RZ"))
    source = CountingCsv()
    first = import_registrations(empty, source, path)
    assert first.added == MANY + 1 and len(first.errors) == 2
    before = written(empty)
    again = import_registrations(empty, source, path)
    assert source.reads == 1  # the registry is as the import left it: the file is not read
    assert (again.added, again.updated, again.cancelled) == (0, 0, 0)
    assert again.unchanged == MANY + 1
    assert again.errors == first.errors
    assert (again.format, again.mapping) == (first.format, first.mapping)
    assert written(empty) == before
    # The same answer as reading the file: a dry run of the workflow against the registry.
    read_again = plan_import(empty.registered(), check_rows(source.read(path).rows, ())[0])
    assert read_again.unchanged == again.unchanged and not read_again.changes


def test_a_re_import_after_a_desk_correction_reads_the_file_and_keeps_the_correction(
    empty: SqliteStore, tmp_path: Path
) -> None:
    path = export_file(tmp_path, 5)
    source = CountingCsv()
    import_registrations(empty, source, path)
    someone = next(a for a in empty.attendees() if a.last_name == "Dvořák 3")
    StaffDesk(empty, "Desk A", FixedClock(prague(DAY1, 9))).edit_attendee(
        someone.id, last_name="Dvořáková"
    )
    # The hourly export still says "Dvořák 3": it has not changed the person since, so the
    # correction stands and nothing is written.
    before = written(empty)
    again = import_registrations(empty, source, path)
    assert source.reads == 2
    assert (again.updated, again.unchanged) == (0, 5)
    assert empty.attendee(someone.id).last_name == "Dvořáková"  # type: ignore[union-attr]
    assert written(empty)[0] == before[0]  # no journal entry
    # The registration system changes her e-mail: that is taken, the corrected name kept.
    changed = export_file(tmp_path, 5)
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("jana3@", "jana.dvorakova@"), encoding="utf-8"
    )
    third = import_registrations(empty, source, changed)
    assert (third.updated, third.unchanged) == (1, 4)
    now = empty.attendee(someone.id)
    assert now is not None and (now.last_name, now.email) == (
        "Dvořáková",
        "jana.dvorakova@example.cz",
    )
    # ... and the same file again changes nothing (its record is the new baseline).
    fourth = import_registrations(empty, source, changed)
    assert (fourth.updated, fourth.unchanged) == (0, 5)
    # When the registration system renames her too, its word is the newer one.
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("Dvořák 3", "Dvořáková-Malá"), encoding="utf-8"
    )
    fifth = import_registrations(empty, source, changed)
    assert fifth.updated == 1
    assert empty.attendee(someone.id).last_name == "Dvořáková-Malá"  # type: ignore[union-attr]
    assert import_registrations(empty, source, changed).unchanged == 5


def test_a_file_that_clashes_with_the_registry_is_read_again_each_time(
    empty: SqliteStore, tmp_path: Path
) -> None:
    path = export_file(tmp_path, 3)
    source = CountingCsv()
    import_registrations(empty, source, path)
    # Another registration claims a stored code: an error of the plan, which depends on the
    # registry, so the outcome is not remembered.
    clash = tmp_path / "clash.csv"
    clash.write_text(
        "code,first_name,last_name,registration_id\nC00001,Eva,Malá,R-other\nN1,Jan,Nový,R-new\n",
        encoding="utf-8",
    )
    first = import_registrations(empty, source, clash)
    assert first.added == 1 and [e.field for e in first.errors] == ["code"]
    second = import_registrations(empty, source, clash)
    assert source.reads == 3
    assert (second.added, second.unchanged, len(second.errors)) == (0, 1, 1)


def test_an_import_made_before_fingerprints_reads_the_file_again(
    empty: SqliteStore, tmp_path: Path
) -> None:
    """An older kiosk's import (no fingerprint kept) is no reason to skip the file."""
    path = export_file(tmp_path, 4)
    source = CountingCsv()
    import_registrations(empty, source, path)
    with empty.transaction() as conn:
        conn.execute("UPDATE imports SET fingerprint = NULL, registry = NULL, again = NULL")
    again = import_registrations(empty, source, path)
    assert source.reads == 2 and again.unchanged == 4 and not again.added


def test_an_import_sorted_by_attendee_keeps_one_entry_per_change_with_its_record(
    empty: SqliteStore,
) -> None:
    plan = plan_import({}, people(MANY), event_id=empty.event().id)
    empty.apply_import(plan, station="Desk A")
    entries = sorted(registrations(empty), key=lambda e: e.seq)
    assert [e.attendee_id for e in entries] == sorted(a.id for a in plan.changes)
    assert [e.uuid for e in entries] == sorted(e.uuid for e in entries)
    stored = {a.id: a for a in empty.attendees()}
    for entry in entries:
        assert (
            entry.data["import"]
            and Attendee.from_dict({**entry.data["attendee"], "id": entry.attendee_id})
            == stored[entry.attendee_id]
        )
    # Staged as another kiosk reads it: the stage's JSON for a prepared entry is json.dumps'.
    batch = imports.prepare(
        plan.changes[:3], import_id="I", station='Desk "A"', at=prague(DAY1, 8), locale="cs"
    )
    texts = list(imports._stage_texts(batch))
    for prepared, text in zip(batch.entries, texts, strict=True):
        entry = JournalEntry(
            prepared.uuid, EntryKind.REGISTRATION, 'Desk "A"', prague(DAY1, 8),
            attendee_id=prepared.attendee.id, code=prepared.attendee.code,
            data={"attendee": prepared.attendee.record(), "import": "I"},
        )  # fmt: skip
        assert json.loads(text) == json.loads(json.dumps(imports._staged(entry)))
