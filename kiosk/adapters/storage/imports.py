"""Large imports in short steps: staged first, then applied, and finished after a crash."""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from kiosk.adapters.storage.records import apply_records, record_columns
from kiosk.adapters.storage.rows import JOURNAL_COLUMNS, LISTED, listed, now_text, utc_text
from kiosk.core.errors import (
    DatabaseBusyError,
    DiskFullError,
    KioskError,
    ReadOnlyError,
    StorageError,
)
from kiosk.core.journal import entry_from_dict, entry_to_dict
from kiosk.core.model import Attendee, EntryKind, JournalEntry, new_entry_uuid

if TYPE_CHECKING:
    from kiosk.adapters.storage.store import SqliteStore
    from kiosk.core.ports import Progress

logger = logging.getLogger(__name__)
# Faults that clear by themselves or with staff's help, leaving the file as it was.
TRANSIENT = (DiskFullError, ReadOnlyError, DatabaseBusyError)
# Each write transaction of an import ends after about this long, or sooner when someone waits
# for the write lock (`STEP_PIECES`), so a check-in that arrives meanwhile never waits for the
# whole import (bench/sync.py measures the longest wait). The store's first step has a fixed
# size; each next one, of this import or the store's next (`SqliteStore.step_sizes`), is sized
# from how fast the last one went, within these bounds.
STEP_SECONDS = 0.25
FIRST_STEP = 200
MIN_STEP = 100
MAX_STEP = 5000
# Staged entries written at a time: a few milliseconds' worth (20 to 45 us each here), after
# each of which a staging step ends when a check-in waits for the write lock. Steps of 2,000
# entries made a check-in wait for the whole step, 40 to 100 ms on this VM, and on a slower
# kiosk more than the 200 ms the door allows.
STAGE_PIECE = 100
# The page cache of the importing connection while it writes (SQLite's default is 2 MiB).
IMPORT_CACHE_KIB = 32 * 1024
# Between steps the import lets go of the write lock this long: a check-in waiting for it
# (looking every millisecond) goes in then.
STEP_PAUSE_S = 0.003
# Each step is written in pieces of about 10 ms, and ends after the piece in which someone
# began to wait for the write lock (`SqliteStore.lock_waiters`): a check-in waits for that
# piece, not for the rest of the step. Before, a step lasted 80 ms, and on a busy machine up
# to twice that (other threads' turns for the CPU between its statements), and a check-in
# waited for all of it: 180 ms (bench/soak.py). Longer steps, cut short only when someone
# waits, write the hot pages of the indexes fewer times: applying a 100,000-row import took
# 21-22 s in steps of 250 ms, 27-33 s in steps of 80 ms.
STEP_PIECES = 25


@dataclass(frozen=True, slots=True)
class Prepared:
    """One `registration` entry of an import, made ready before any lock is taken: its
    record as another kiosk reads it back, and the record's columns but its versions (folded
    search text, sort key: the slow part). Its data, as the journal stores it (JSON), is made
    as it is staged and read back from the stage as it is applied (not held meanwhile: it is
    the largest part of an entry); `data` holds it only for a record that read back otherwise.
    """

    uuid: str
    attendee: Attendee
    columns: tuple[Any, ...]
    data: str | None = None


@dataclass(frozen=True)
class Batch:
    """An import's entries as `prepare` made them: all from one station at one time."""

    import_id: str
    station: str
    at: datetime
    entries: list[Prepared]


def prepare(
    changes: Sequence[Attendee],
    *,
    import_id: str,
    station: str,
    at: datetime,
    locale: str,
    given: Mapping[str, Attendee] | None = None,
) -> Batch:
    """The entries for an import's changed attendees, in the order of their ids.

    In id order, each step's writes to the indexes keyed by attendee id (the registry's,
    the codes', the journal's) land beside each other instead of on a page each: a step
    rewrites a few pages of each instead of one per attendee. Every record must read back as
    one (`Attendee.from_dict`, as another kiosk reads it), or nothing is staged.
    """
    now = utc_text(at)
    # Fresh uuids, handed out in their order (those made in one millisecond differ in their
    # random part): each step's go into the journal's uuid index beside each other too.
    uuids = _sorted([new_entry_uuid() for _ in changes], str)
    entries: list[Prepared] = []
    for uuid, attendee in zip(uuids, _sorted(list(changes), _by_id), strict=True):
        record = attendee.record()
        try:
            read = Attendee.from_dict(record)
        except (KeyError, TypeError, ValueError) as error:
            raise StorageError(f"attendee {attendee.id}: not a valid record: {error}") from None
        # The same object when it reads back unchanged (nearly always): no second copy held.
        kept = attendee if read == attendee else read
        columns = record_columns(kept, locale=locale, source="import", now=now)
        from_file = given.get(attendee.id) if given else None
        if from_file is not None:  # a desk's correction kept: the file's record beside it
            data: str | None = _data_text(record, import_id, from_file.record())
        else:
            data = None if kept is attendee else _data_text(record, import_id)
        entries.append(Prepared(uuid, kept, columns, data))
    return Batch(import_id, station, at, entries)


def _by_id(attendee: Attendee) -> str:
    return attendee.id


def _data_text(
    record: Mapping[str, Any], import_id: str, given: Mapping[str, Any] | None = None
) -> str:
    """An import entry's data as the journal stores it: `json.dumps` of {"attendee": record,
    "import": id} with sorted keys, and "given" (the file's record, when it differs from the
    one written: a desk's correction kept) between them.
    """
    attendee = json.dumps(record, ensure_ascii=False, sort_keys=True)
    if given is not None:
        attendee += ', "given": ' + json.dumps(given, ensure_ascii=False, sort_keys=True)
    return f'{{"attendee": {attendee}, "import": {json.dumps(import_id)}}}'


# Where the data begins in a prepared entry's stage text (`_stage_texts`): after the code,
# whose quotes JSON escapes, so this text cannot occur before it.
_DATA_MARK = ', "ref": null, "data": '


_T = TypeVar("_T")
# Sorted a piece at a time, then merged: one sort of a hundred thousand items holds the
# interpreter (and a desk's check-in on another thread) for a tenth of a second.
_SORT_PIECE = 4096


def _sorted(items: list[_T], key: Callable[[_T], str]) -> list[_T]:
    """`sorted(items, key=key)`, never holding the interpreter for long."""
    pieces = [
        sorted(items[n : n + _SORT_PIECE], key=key) for n in range(0, len(items), _SORT_PIECE)
    ]
    if len(pieces) < 2:  # one piece is sorted already
        return pieces[0] if pieces else []
    return list(heapq.merge(*pieces, key=key))


def start(
    store: SqliteStore,
    import_id: str,
    entries: Sequence[JournalEntry] | Batch,
    *,
    source: str,
    format_name: str,
    report: Mapping[str, Any],
) -> None:
    """Record the import and stage its entries, in steps when there are many."""
    now = now_text()
    with unsynced(store), store.transaction() as conn:
        conn.execute(
            "INSERT INTO imports (id, file, format, state, started_at, report) "
            "VALUES (?, ?, ?, 'staging', ?, ?)",
            (import_id, source, format_name, now, json.dumps(report, ensure_ascii=False)),
        )
    texts = _stage_texts(entries)
    staged, total = 0, _count(entries)
    with own_checkpoints(store), store.stepping():
        while staged < total:
            time.sleep(STEP_PAUSE_S)
            began = time.monotonic()
            with unsynced(store), store.transaction() as conn:
                # Pieces of a few milliseconds, as an import's steps are written: the step
                # ends after the piece in which a check-in began to wait for the lock, or
                # once it has lasted a step's time, however slow the machine.
                while staged < total:
                    piece = list(itertools.islice(texts, STAGE_PIECE))
                    conn.executemany(
                        "INSERT INTO import_stage (import_id, n, entry) VALUES (?, ?, ?)",
                        ((import_id, staged + n, text) for n, text in enumerate(piece)),
                    )
                    staged += len(piece)
                    if store.lock_waiters or time.monotonic() - began >= STEP_SECONDS:
                        break
            checkpoint(store)
    with unsynced(store), store.transaction() as conn:
        conn.execute("UPDATE imports SET state = 'applying' WHERE id = ?", (import_id,))


def _count(entries: Sequence[JournalEntry] | Batch) -> int:
    return len(entries.entries) if isinstance(entries, Batch) else len(entries)


def _stage_texts(entries: Sequence[JournalEntry] | Batch) -> Iterator[str]:
    """Each entry as the stage holds it: the JSON of `_staged`, for prepared entries put
    together around the JSON of their data (as `json.dumps` would give it).
    """
    if not isinstance(entries, Batch):
        for entry in entries:
            yield json.dumps(_staged(entry), ensure_ascii=False)
        return
    head = (
        '{"uuid": "%s", "origin": "-", "seq": 1, "hlc": "-", '
        f'"station": {_json_text(entries.station)}, "kind": "registration", '
        f'"at": "{utc_text(entries.at)}", "day": null, "attendee_id": '
    )
    for prepared in entries.entries:
        attendee = prepared.attendee
        data = prepared.data or _data_text(attendee.record(), entries.import_id)
        yield (
            f"{head % prepared.uuid}{_json_text(attendee.id)}, "
            f'"code": {_json_text(attendee.code)}{_DATA_MARK}{data}}}'
        )


def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _staged(entry: JournalEntry) -> dict[str, Any]:
    # Origin, number and clock are given when the entry is appended, step by step.
    return {**entry_to_dict(entry), "origin": "-", "seq": 1, "hlc": "-"}


def _unstaged(text: str) -> JournalEntry:
    return replace(entry_from_dict(json.loads(text)), origin="", seq=0, hlc="")


def apply(
    store: SqliteStore,
    import_id: str,
    progress: Progress | None = None,
    *,
    staged: Batch | None = None,
    registry: str | None = None,
    again: tuple[str, Mapping[str, Any]] | None = None,
) -> bool:
    """Append the staged entries and write their records, a short step at a time, then mark
    the import done. Entries already in the journal (a step finished before a crash) are
    skipped. `staged` are the entries `start` staged, when the caller still holds them: they
    are then not read back from the stage (each is let go once written).

    Returns True when, since the registry was at version `registry` (`registry_version`,
    read before the import was planned), nothing but this import wrote to it, and every
    record and code it carries went in: a re-import of the same rows would then find every
    one of them unchanged. Then `again`, the file's fingerprint and the report such a
    re-import gives, is kept with the import, for `unchanged_report`.
    """
    locale = store.event().locale
    (total,) = (
        store.connection()
        .execute("SELECT count(*) FROM import_stage WHERE import_id = ?", (import_id,))
        .fetchone()
    )
    done = next_n = 0
    size = store.step_sizes.get("import", FIRST_STEP)
    alone = staged is not None and registry is not None
    expected = registry
    with own_checkpoints(store), store.stepping():
        while True:
            began = time.monotonic()
            with unsynced(store), store.transaction() as conn:
                alone = alone and registry_version(conn) == expected
                if staged is None:
                    step = [
                        (n, _unstaged(text))
                        for n, text in conn.execute(
                            "SELECT n, entry FROM import_stage WHERE import_id = ? AND n >= ? "
                            "ORDER BY n LIMIT ?",
                            (import_id, next_n, size),
                        )
                    ]
                    if not step:
                        break
                    apply_step(store, conn, [entry for _, entry in step], locale)
                    last_n, count = step[-1][0], len(step)
                else:
                    part = staged.entries[next_n : next_n + size]
                    if not part:
                        break
                    count = 0
                    for piece in pieces(part, size):
                        written, whole = _apply_prepared(
                            store, conn, staged, piece, locale=locale, first=next_n + count
                        )
                        alone = alone and whole and written == len(piece)
                        count += len(piece)
                        if store.lock_waiters:
                            break
                    last_n = next_n + count - 1
                    # Written: let go of them (a large import's peak memory is what it holds).
                    staged.entries[next_n : next_n + count] = [_DONE] * count
                conn.execute(
                    "DELETE FROM import_stage WHERE import_id = ? AND n <= ?", (import_id, last_n)
                )
                expected = registry_version(conn)
            next_n = last_n + 1
            done += count
            size = store.step_sizes["import"] = next_size(size, count, time.monotonic() - began)
            if progress is not None:
                progress(done, total, "import")
            checkpoint(store)
            time.sleep(STEP_PAUSE_S)
    # Synced to disk, and every step before it with it: an import reported done stays done.
    with store.transaction() as conn:
        alone = alone and registry_version(conn) == expected
        conn.execute(
            "UPDATE imports SET state = 'done', finished_at = ? WHERE id = ?",
            (now_text(), import_id),
        )
        if alone and again is not None:
            conn.execute(
                "UPDATE imports SET fingerprint = ?, registry = ?, again = ? WHERE id = ?",
                (again[0], expected, json.dumps(again[1], ensure_ascii=False), import_id),
            )
    return alone


# What a written entry's place holds until the import ends.
_DONE = Prepared("", Attendee("", "", ""), ())


def registry_version(conn: sqlite3.Connection) -> str:
    """The change feed's counters of the registry and the event as one text: every write to
    attendees, codes or the event raises one of them (migration 0002), so the same text means
    nothing an import plans against has changed.
    """
    rows = conn.execute(
        "SELECT topic, version FROM changes WHERE topic IN ('attendees', 'event') ORDER BY topic"
    ).fetchall()
    return " ".join(f"{topic}:{version}" for topic, version in rows)


def unchanged_report(store: SqliteStore, fingerprint: str) -> dict[str, Any] | None:
    """The report a re-import of the file `fingerprint` gives, when an import of it left the
    registry as it is now; else None (the file must be read).
    """
    conn = store.connection()
    row = conn.execute(
        "SELECT again, registry FROM imports WHERE fingerprint = ? AND state = 'done' "
        "ORDER BY finished_at DESC LIMIT 1",
        (fingerprint,),
    ).fetchone()
    if row is None or row[1] != registry_version(conn):
        return None
    found = json.loads(row[0])
    return found if isinstance(found, dict) else None


def _apply_prepared(
    store: SqliteStore,
    conn: sqlite3.Connection,
    batch: Batch,
    part: Sequence[Prepared],
    *,
    locale: str,
    first: int,
) -> tuple[int, bool]:
    """Append one step's prepared entries (staged from number `first` on), numbered and
    clocked, and write their records; returns how many records were written, and whether
    every code went in.
    """
    staged = conn.execute(
        "SELECT entry FROM import_stage WHERE import_id = ? AND n >= ? AND n < ? ORDER BY n",
        (batch.import_id, first, first + len(part)),
    ).fetchall()
    if len(staged) != len(part):
        raise StorageError(f"import {batch.import_id}: its stage lacks entries from {first} on")
    origin, seqs, hlcs = store.number_in(conn, len(part), [batch.station])
    at = utc_text(batch.at)
    conn.executemany(
        f"INSERT INTO journal ({JOURNAL_COLUMNS}) VALUES ({', '.join('?' * 12)})",
        (
            (e.uuid, origin, seq, hlc, batch.station, _REGISTRATION, at, None, e.attendee.id,
             e.attendee.code, None, text[text.index(_DATA_MARK) + len(_DATA_MARK) : -1])
            for e, seq, hlc, (text,) in zip(part, seqs, hlcs, staged, strict=True)
        ),
    )  # fmt: skip
    # The entries as the records' writing reads them: their place in the newest-wins order
    # and their kind; the records themselves are the prepared ones (`read`).
    data = {"import": batch.import_id}
    entries = [
        JournalEntry(e.uuid, EntryKind.REGISTRATION, batch.station, batch.at,
                     attendee_id=e.attendee.id, code=e.attendee.code, data=data,
                     origin=origin, seq=seq, hlc=hlc)
        for e, seq, hlc in zip(part, seqs, hlcs, strict=True)
    ]  # fmt: skip
    read = {e.uuid: e.attendee for e in part}
    columns = {e.uuid: e.columns for e in part}
    conflicts: list[str] = []
    written = apply_records(conn, entries, locale, now_text(), read, columns, conflicts)
    return written, not conflicts


_REGISTRATION = str(EntryKind.REGISTRATION)


def apply_step(
    store: SqliteStore,
    conn: sqlite3.Connection,
    entries: Sequence[JournalEntry],
    locale: str,
) -> None:
    """Append one step's entries that are not in the journal yet, and write their records."""
    uuids = listed(entry.uuid for entry in entries)
    known = {
        uuid
        for (uuid,) in conn.execute(f"SELECT uuid FROM journal WHERE uuid IN {LISTED}", (uuids,))
    }
    appended = store.append_in(conn, [entry for entry in entries if entry.uuid not in known])
    apply_records(conn, appended, locale, now_text())


@contextmanager
def unsynced(store: SqliteStore, *, synced: bool = False) -> Iterator[None]:
    """The block's transactions are committed without waiting for the disk (each wait costs
    a step more than its writing on a busy machine). A power cut may then lose the last
    steps, but whole: each removes the entries it applied from the stage in the same
    transaction, so the import is finished from the stage when the file is next opened. The
    import's last transaction is synced, and with it everything before. `synced`: this block
    is such a last one, and commits as every other write does.
    """
    conn = store.connection()
    # Inside the caller's transaction, its own setting holds.
    if synced or conn.in_transaction:
        yield
        return
    conn.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        if not conn.in_transaction:
            conn.execute("PRAGMA synchronous = FULL")


@contextmanager
def own_checkpoints(store: SqliteStore) -> Iterator[None]:
    """No automatic checkpoint inside the block's commits: each step's commit would copy its
    pages into the database and wait for the disk before the step counts as done (and before
    a waiting check-in gets the lock), so the steps (timed to last `STEP_SECONDS`) would take
    fewer rows each. The block checkpoints after each step instead (`checkpoint`), when the
    write lock is free for a check-in. A merge's chunks do the same. (Every few steps instead
    left a few steps of unsynced WAL for a check-in's synced commit to write out: check-ins
    during an import waited twice as long, bench/sync.py.)

    And a larger page cache meanwhile (`IMPORT_CACHE_KIB`): the steps write all over the
    indexes of codes, names and entries, and pages read again from the file cost each step as
    much as its writing.

    And statement journals in memory (`temp_store = MEMORY`): every statement that writes
    several rows (an import's attendees, a few hundred each) or fires triggers first copies
    each page it changes to its statement journal, so that it can be undone alone; in a
    temporary file that was a write call per page, half of what a 100,000-row import wrote
    (bench/sync.py's export: 6.4 GB, 3.4 GB without). It holds a statement's pages, not the
    database's, and changes nothing of what is committed or when.
    """
    conn = store.connection()
    (pages,) = conn.execute("PRAGMA wal_autocheckpoint").fetchone()
    (cache,) = conn.execute("PRAGMA cache_size").fetchone()
    (temp,) = conn.execute("PRAGMA temp_store").fetchone()
    # SQLite refuses to change it inside a transaction (an import inside the caller's one).
    own_transaction = not conn.in_transaction
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    if own_transaction:
        conn.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        if own_transaction and not conn.in_transaction:
            conn.execute(f"PRAGMA temp_store = {int(temp)}")


def checkpoint(store: SqliteStore) -> None:
    """Copy what the WAL holds into the database, as far as no reader needs it still, without
    waiting for any (the desk's next commit then starts the WAL afresh and copies nothing).
    """
    conn = store.connection()
    if not conn.in_transaction:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def pieces(
    step: Sequence[_T], size: int, cost: Callable[[_T], int] = lambda _: 1
) -> Iterator[Sequence[_T]]:
    """`step` (of a cost about `size`) in consecutive pieces of about a `STEP_PIECES`th of
    that each, at least one item each.
    """
    most = max(1, size // STEP_PIECES)
    start = taken = 0
    for end, item in enumerate(step, 1):
        taken += cost(item)
        if taken >= most:
            yield step[start:end]
            start, taken = end, 0
    if start < len(step):
        yield step[start:]


def next_size(size: int, count: int, seconds: float) -> int:
    """How many entries the next step takes to last about `STEP_SECONDS`."""
    if count < size and seconds <= STEP_SECONDS:  # a quick last step: nothing to learn from
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
