"""A day's merges and imports leave a fixed set of prepared statements on a connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore, imports
from kiosk.core.model import Event
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys

PEOPLE = [
    Registration(row=n, code=f"STMT{n:06d}", first_name="Jana", last_name=f"Novák {n}")
    for n in range(2, 602)
]
# One of each size the store writes records in (1, up to 10, 50 and 200 a statement), then
# sizes that it has not seen.
WARM = (1, 7, 40, 150)
MORE = range(2, 25)


def prepared(store: SqliteStore) -> set[str]:
    """The SQL of the statements prepared on the calling thread's connection: those Python's
    sqlite3 keeps in its cache (this query left out, and the full-text index's own, on its
    tables 'main'.'attendees_fts_...', which it prepares as its segments come to be merged).
    """
    query = "SELECT sql FROM sqlite_stmt"
    try:
        found = store.connection().execute(query).fetchall()
    except sqlite3.OperationalError as error:  # an SQLite built without the table
        pytest.skip(f"this SQLite has no sqlite_stmt table: {error}")
    return {sql for (sql,) in found if "'main'." not in sql} - {query}


def merge_by(b: SqliteStore, a: SqliteStore, sizes: Iterable[int]) -> None:
    """Merge into `b` the entries of `a` that it lacks, in merges of these sizes."""
    entries = [entry for entry in a.journal() if entry.origin == a.kiosk_id()]
    first = len(b.journal())
    for size in sizes:
        b.merge(entries[first : first + size])
        first += size


def reimport_changing(a: SqliteStore, counts: Iterable[int]) -> None:
    """Import the export again, each time with this many people renamed."""
    for count in counts:
        changed = [replace(p, last_name=f"{p.last_name} {count}") for p in PEOPLE[:count]]
        a.apply_import(plan_import(a.registered(), [*changed, *PEOPLE[count:]]))


def test_merges_and_imports_of_any_size_reuse_their_statements(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Steps written whole, not in pieces (which only ever write fewer rows a statement), so
    # that the sizes below reach the statements they name.
    monkeypatch.setattr(imports, "STEP_PIECES", 1)
    # Spelled out as `IN (?, ?, ...)`, each length of a list was a statement of its own, and
    # so was each number of rows of a multi-row INSERT; Python's sqlite3 keeps 128 of them on
    # every connection (up to 440 KB each): 10 MB a connection after a day of syncs.
    a, b = SqliteStore(tmp_path / "a.sqlite3"), SqliteStore(tmp_path / "b.sqlite3")
    for store in (a, b):
        store.create_event(*event_and_keys)
    a.apply_import(plan_import({}, PEOPLE))
    merge_by(b, a, WARM)
    merged = prepared(b)
    merge_by(b, a, MORE)
    assert prepared(b) <= merged
    reimport_changing(a, WARM)
    imported = prepared(a)
    reimport_changing(a, MORE)
    assert prepared(a) <= imported
    # Every record arrived whole, whatever the size of the statement that wrote it.
    b.merge(a.journal())
    assert b.attendees() == a.attendees()
    assert len(b.attendees()) == len(PEOPLE)
    a.close()
    b.close()
