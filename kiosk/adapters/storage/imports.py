"""Large imports in short steps: staged first, then applied, and finished after a crash."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kiosk.adapters.storage.records import apply_record
from kiosk.adapters.storage.rows import now_text
from kiosk.core.errors import DatabaseBusyError, DiskFullError, KioskError, ReadOnlyError
from kiosk.core.journal import entry_from_dict, entry_to_dict
from kiosk.core.model import JournalEntry

if TYPE_CHECKING:
    from kiosk.adapters.storage.store import SqliteStore
    from kiosk.core.ports import Progress

logger = logging.getLogger(__name__)
# Faults that clear by themselves or with staff's help, leaving the file as it was.
TRANSIENT = (DiskFullError, ReadOnlyError, DatabaseBusyError)
# Entries per write transaction: about 20-100 ms each on this 2-core machine, so a check-in
# that arrives meanwhile waits for one step at most, never for the whole import
# (bench/sync.py measures the longest wait).
APPLY_STEP = 100
STAGE_STEP = 1000
# Between steps the import lets go of the write lock this long: a check-in waiting for it
# (looking every millisecond) goes in then.
STEP_PAUSE_S = 0.003


def start(
    store: SqliteStore,
    import_id: str,
    entries: Sequence[JournalEntry],
    *,
    source: str,
    format_name: str,
    report: Mapping[str, Any],
) -> None:
    """Record the import and stage its entries, in steps when there are many."""
    now = now_text()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO imports (id, file, format, state, started_at, report) "
            "VALUES (?, ?, ?, 'staging', ?, ?)",
            (import_id, source, format_name, now, json.dumps(report, ensure_ascii=False)),
        )
    for first in range(0, len(entries), STAGE_STEP):
        time.sleep(STEP_PAUSE_S)
        with store.transaction() as conn:
            conn.executemany(
                "INSERT INTO import_stage (import_id, n, entry) VALUES (?, ?, ?)",
                (
                    (import_id, first + n, json.dumps(_staged(entry), ensure_ascii=False))
                    for n, entry in enumerate(entries[first : first + STAGE_STEP])
                ),
            )
    with store.transaction() as conn:
        conn.execute("UPDATE imports SET state = 'applying' WHERE id = ?", (import_id,))


def _staged(entry: JournalEntry) -> dict[str, Any]:
    # Origin, number and clock are given when the entry is appended, step by step.
    return entry_to_dict(replace(entry, origin="-", seq=1, hlc="-"))


def apply(store: SqliteStore, import_id: str, progress: Progress | None = None) -> None:
    """Append the staged entries and write their records, a step at a time, then mark the
    import done. Entries already in the journal (a step finished before a crash) are skipped.
    """
    locale = store.event().locale
    (total,) = (
        store.connection()
        .execute("SELECT count(*) FROM import_stage WHERE import_id = ?", (import_id,))
        .fetchone()
    )
    done = 0
    while True:
        with store.transaction() as conn:
            rows = conn.execute(
                "SELECT n, entry FROM import_stage WHERE import_id = ? ORDER BY n LIMIT ?",
                (import_id, APPLY_STEP),
            ).fetchall()
            if not rows:
                conn.execute(
                    "UPDATE imports SET state = 'done', finished_at = ? WHERE id = ?",
                    (now_text(), import_id),
                )
                return
            now = now_text()
            for _, text in rows:
                entry = replace(entry_from_dict(json.loads(text)), origin="", seq=0, hlc="")
                if conn.execute("SELECT 1 FROM journal WHERE uuid = ?", (entry.uuid,)).fetchone():
                    continue
                apply_record(conn, store.append_in(conn, entry), locale, now)
            conn.execute(
                "DELETE FROM import_stage WHERE import_id = ? AND n <= ?", (import_id, rows[-1][0])
            )
        done += len(rows)
        if progress is not None:
            progress(done, total, "import")
        time.sleep(STEP_PAUSE_S)


def recover(store: SqliteStore) -> int:
    """Drop the imports cut off while staging (they changed nothing) and finish those cut off
    while applying; returns how many were finished. One that fails again is marked failed and
    left: a kiosk must open whatever an import did. One stopped by a fault that passes (a full
    disk, a read-only file, a lock held elsewhere) stays applying, for the next open to finish.
    """
    with store.transaction() as conn:
        staging = [row[0] for row in conn.execute("SELECT id FROM imports WHERE state = 'staging'")]
        for import_id in staging:
            conn.execute("DELETE FROM import_stage WHERE import_id = ?", (import_id,))
            conn.execute("DELETE FROM imports WHERE id = ?", (import_id,))
        applying = [
            row[0] for row in conn.execute("SELECT id FROM imports WHERE state = 'applying'")
        ]
    finished = 0
    for import_id in applying:
        try:
            apply(store, import_id)
        except TRANSIENT as error:
            logger.warning("import %s could not be finished now: %s", import_id, error)
            continue
        except (sqlite3.Error, KioskError, ValueError) as error:
            logger.error("import %s could not be finished: %s", import_id, error)
            with store.transaction() as conn:
                conn.execute(
                    "UPDATE imports SET state = 'failed', finished_at = ? WHERE id = ?",
                    (now_text(), import_id),
                )
        else:
            finished += 1
    return finished


def last(store: SqliteStore) -> dict[str, Any] | None:
    """The newest finished import: id, file, format, when, and its report."""
    row = (
        store.connection()
        .execute(
            "SELECT id, file, format, finished_at, report FROM imports WHERE state = 'done' "
            "ORDER BY finished_at DESC LIMIT 1"
        )
        .fetchone()
    )
    if row is None:
        return None
    import_id, file, format_name, finished_at, report = row
    return {
        "id": import_id,
        "file": file,
        "format": format_name,
        "finished_at": finished_at,
        "report": json.loads(report),
    }
