"""`ScheduleStore`: the imported sessions and schedule imports in the kiosk database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from kiosk.adapters.storage.connection import storage_errors
from kiosk.adapters.storage.rows import JOURNAL_COLUMNS, entry_from_row, utc_text
from kiosk.adapters.storage.store import SqliteStore
from kiosk.core.model import JournalEntry
from kiosk.core.schedule import ScheduleImport, Session

_SESSION_COLUMNS = (
    "key, source, ref, title, subtitle, start_at, end_at, room, speakers, track, kind, "
    "language, abstract, url, cancelled, import_id"
)
_IMPORT_COLUMNS = "id, source, file, format, version, title, timezone, rooms, imported_at, report"


class ScheduleStore:
    """The schedule's part of a `SqliteStore` (the workflows' `SessionStore`): sessions as
    imported, the imports, and the journal's on-site changes. It uses the store's
    `transaction()` for writes and the calling thread's `connection()` for reads, nothing else.
    """

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        # (the schedule's change counter, every session): a board asks several times a
        # minute, and reading a thousand sessions with their abstracts costs tens of ms.
        self._cache: tuple[int, tuple[Session, ...]] | None = None

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with storage_errors(self.store.path):
            cursor = self.store.connection().execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def sessions(self, source: str | None = None) -> list[Session]:
        """The imported sessions (of one `source`, or all), by start, room and key.

        Kept between calls while the schedule's change counter (raised by the triggers on
        every write to `sessions`, by any connection or process) stays where it was.
        """
        (version,) = self._read("SELECT version FROM changes WHERE topic = 'schedule'")
        cached = self._cache
        if cached is None or cached[0] != version["version"]:
            # The counter is read first: a write between the two reads makes the next call
            # read again, never keeps old sessions under a new count.
            rows = self._read(
                f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY start_at, room, key"
            )
            cached = (version["version"], tuple(_session(row) for row in rows))
            self._cache = cached
        return [s for s in cached[1] if source is None or s.source == source]

    def schedule_changes(self) -> list[JournalEntry]:
        """The journal's `schedule` entries, in clock order (then origin and number)."""
        rows = self._read(
            f"SELECT {JOURNAL_COLUMNS} FROM journal INDEXED BY journal_schedule "
            "WHERE kind = 'schedule' ORDER BY hlc, origin, seq"
        )
        return [entry_from_row(row) for row in rows]

    def last_import(self, source: str | None = None) -> ScheduleImport | None:
        """The newest import (of one `source`, or of any)."""
        where, params = ("WHERE source = ?", (source,)) if source is not None else ("", ())
        rows = self._read(
            f"SELECT {_IMPORT_COLUMNS} FROM schedule_imports {where} "
            "ORDER BY imported_at DESC, rowid DESC LIMIT 1",
            params,
        )
        return _import(rows[0]) if rows else None

    def rooms(self) -> list[str]:
        """Rooms in the order of the files they came from: each source's newest import's
        rooms, oldest source first.
        """
        rows = self._read(
            "SELECT i.rooms FROM schedule_imports i WHERE i.source IN "
            "(SELECT DISTINCT source FROM sessions) AND i.rowid = (SELECT j.rowid FROM "
            "schedule_imports j WHERE j.source = i.source ORDER BY j.imported_at DESC, "
            "j.rowid DESC LIMIT 1) ORDER BY (SELECT min(k.imported_at) FROM schedule_imports k "
            "WHERE k.source = i.source)"
        )
        names: list[str] = []
        for row in rows:
            names += [name for name in json.loads(row["rooms"]) if name not in names]
        return names

    def save_import(
        self, record: ScheduleImport, sessions: Sequence[Session], removed: Sequence[str]
    ) -> None:
        """Record an import, and in the same transaction write `sessions` (added or changed;
        unchanged ones may be left out) and delete the sessions keyed `removed`.
        """
        with self.store.transaction() as conn:
            conn.execute(
                f"INSERT INTO schedule_imports ({_IMPORT_COLUMNS}) VALUES ({', '.join('?' * 10)})",
                (
                    record.id,
                    record.source,
                    record.file,
                    record.format,
                    record.version,
                    record.title,
                    record.timezone,
                    json.dumps(list(record.rooms), ensure_ascii=False),
                    utc_text(record.imported_at),
                    json.dumps(dict(record.report), ensure_ascii=False, sort_keys=True),
                ),
            )
            _delete(conn, removed)
            updates = ", ".join(
                f"{name} = excluded.{name}" for name in _SESSION_COLUMNS.split(", ")[1:]
            )
            conn.executemany(
                f"INSERT INTO sessions ({_SESSION_COLUMNS}) VALUES ({', '.join('?' * 16)}) "
                f"ON CONFLICT (key) DO UPDATE SET {updates}",
                [_values(session, record.id) for session in sessions],
            )


def _delete(conn: sqlite3.Connection, keys: Sequence[str]) -> None:
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        conn.execute(f"DELETE FROM sessions WHERE key IN ({','.join('?' * len(chunk))})", chunk)


def _values(session: Session, import_id: str) -> tuple[Any, ...]:
    # The on-site fields (delay, moved_from, ...) are never stored: they come from the journal.
    original_start = session.start - session.delay
    return (
        session.key,
        session.source,
        session.ref,
        session.original_title or session.title,
        session.subtitle,
        utc_text(original_start),
        utc_text(session.end - session.delay),
        session.moved_from or session.room,
        json.dumps(list(session.speakers), ensure_ascii=False),
        session.track,
        session.kind,
        session.language,
        session.abstract,
        session.url,
        int(session.cancelled),
        import_id,
    )


def _session(row: dict[str, Any]) -> Session:
    return Session(
        key=row["key"],
        title=row["title"],
        start=datetime.fromisoformat(row["start_at"]),
        end=datetime.fromisoformat(row["end_at"]),
        room=row["room"],
        speakers=tuple(json.loads(row["speakers"])),
        track=row["track"],
        kind=row["kind"],
        abstract=row["abstract"],
        cancelled=bool(row["cancelled"]),
        source=row["source"],
        ref=row["ref"],
        subtitle=row["subtitle"],
        language=row["language"],
        url=row["url"],
    )


def _import(row: dict[str, Any]) -> ScheduleImport:
    return ScheduleImport(
        id=row["id"],
        source=row["source"],
        file=row["file"],
        format=row["format"],
        version=row["version"],
        title=row["title"],
        timezone=row["timezone"],
        rooms=tuple(json.loads(row["rooms"])),
        imported_at=datetime.fromisoformat(row["imported_at"]),
        report=json.loads(row["report"]),
    )
