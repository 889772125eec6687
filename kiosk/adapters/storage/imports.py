"""Large imports in short steps: staged first, then applied, and finished after a crash."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kiosk.adapters.storage.records import apply_records
from kiosk.adapters.storage.rows import LISTED, listed, now_text
from kiosk.core.errors import DatabaseBusyError, DiskFullError, KioskError, ReadOnlyError
from kiosk.core.journal import entry_from_dict, entry_to_dict
from kiosk.core.model import Attendee, JournalEntry

if TYPE_CHECKING:
    from kiosk.adapters.storage.store import SqliteStore
    from kiosk.core.ports import Progress

logger = logging.getLogger(__name__)
# Faults that clear by themselves or with staff's help, leaving the file as it was.
TRANSIENT = (DiskFullError, ReadOnlyError, DatabaseBusyError)
# Each write transaction of an import ends after about this long, so a check-in that arrives
# meanwhile waits for one short step at most, never for the whole import (bench/sync.py
# measures the longest wait). The first step has a fixed size; each next one is sized from
# how fast the last one went, within these bounds.
STEP_SECONDS = 0.08
FIRST_STEP = 200
MIN_STEP = 100
MAX_STEP = 5000
STAGE_STEP = 2000
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
    with _unsynced(store), store.transaction() as conn:
        conn.execute(
            "INSERT INTO imports (id, file, format, state, started_at, report) "
            "VALUES (?, ?, ?, 'staging', ?, ?)",
            (import_id, source, format_name, now, json.dumps(report, ensure_ascii=False)),
        )
    for first in range(0, len(entries), STAGE_STEP):
        time.sleep(STEP_PAUSE_S)
        with _unsynced(store), store.transaction() as conn:
            conn.executemany(
                "INSERT INTO import_stage (import_id, n, entry) VALUES (?, ?, ?)",
                (
                    (import_id, first + n, json.dumps(_staged(entry), ensure_ascii=False))
                    for n, entry in enumerate(entries[first : first + STAGE_STEP])
                ),
            )
    with _unsynced(store), store.transaction() as conn:
        conn.execute("UPDATE imports SET state = 'applying' WHERE id = ?", (import_id,))


def _staged(entry: JournalEntry) -> dict[str, Any]:
    # Origin, number and clock are given when the entry is appended, step by step.
    return {**entry_to_dict(entry), "origin": "-", "seq": 1, "hlc": "-"}


def _unstaged(text: str) -> JournalEntry:
    return replace(entry_from_dict(json.loads(text)), origin="", seq=0, hlc="")


def apply(
    store: SqliteStore,
    import_id: str,
    progress: Progress | None = None,
    staged: Sequence[JournalEntry] | None = None,
    read: dict[str, Attendee] | None = None,
) -> None:
    """Append the staged entries and write their records, a short step at a time, then mark
    the import done. Entries already in the journal (a step finished before a crash) are
    skipped. `staged` are the entries `start` staged, when the caller still holds them: they
    are then not read back from the stage; `read` are their records, by entry uuid, when the
    caller has read them from the entries already (each is let go once written).
    """
    locale = store.event().locale
    (total,) = (
        store.connection()
        .execute("SELECT count(*) FROM import_stage WHERE import_id = ?", (import_id,))
        .fetchone()
    )
    done = next_n = 0
    size = FIRST_STEP
    while True:
        began = time.monotonic()
        with _unsynced(store), store.transaction() as conn:
            if staged is None:
                step = [
                    (n, _unstaged(text))
                    for n, text in conn.execute(
                        "SELECT n, entry FROM import_stage WHERE import_id = ? AND n >= ? "
                        "ORDER BY n LIMIT ?",
                        (import_id, next_n, size),
                    )
                ]
            else:
                step = [(n, staged[n]) for n in range(next_n, min(next_n + size, len(staged)))]
            if not step:
                break
            apply_step(store, conn, [entry for _, entry in step], locale, read)
            conn.execute(
                "DELETE FROM import_stage WHERE import_id = ? AND n <= ?", (import_id, step[-1][0])
            )
        if read:
            for _, entry in step:
                read.pop(entry.uuid, None)
        next_n = step[-1][0] + 1
        done += len(step)
        size = _next_size(size, len(step), time.monotonic() - began)
        if progress is not None:
            progress(done, total, "import")
        time.sleep(STEP_PAUSE_S)
    # Synced to disk, and every step before it with it: an import reported done stays done.
    with store.transaction() as conn:
        conn.execute(
            "UPDATE imports SET state = 'done', finished_at = ? WHERE id = ?",
            (now_text(), import_id),
        )


def apply_step(
    store: SqliteStore,
    conn: sqlite3.Connection,
    entries: Sequence[JournalEntry],
    locale: str,
    read: Mapping[str, Attendee] | None = None,
) -> None:
    """Append one step's entries that are not in the journal yet, and write their records."""
    uuids = listed(entry.uuid for entry in entries)
    known = {
        uuid
        for (uuid,) in conn.execute(f"SELECT uuid FROM journal WHERE uuid IN {LISTED}", (uuids,))
    }
    appended = store.append_in(conn, [entry for entry in entries if entry.uuid not in known])
    apply_records(conn, appended, locale, now_text(), read)


@contextmanager
def _unsynced(store: SqliteStore) -> Iterator[None]:
    """The block's transactions are committed without waiting for the disk (each wait costs
    a step more than its writing on a busy machine). A power cut may then lose the last
    steps, but whole: each removes the entries it applied from the stage in the same
    transaction, so the import is finished from the stage when the file is next opened. The
    import's last transaction is synced, and with it everything before.
    """
    conn = store.connection()
    if conn.in_transaction:  # inside the caller's transaction: its own setting holds
        yield
        return
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        if not conn.in_transaction:
            conn.execute("PRAGMA synchronous = FULL")


def _next_size(size: int, count: int, seconds: float) -> int:
    """How many entries the next step takes to last about `STEP_SECONDS`."""
    if count < size:  # the last step: nothing to learn from
        return size
    rate = count / max(seconds, 1e-3)
    return max(MIN_STEP, min(MAX_STEP, int(rate * STEP_SECONDS)))


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
