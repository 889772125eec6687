"""The change feed: what any process or kiosk changed in a database file since the last look."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from kiosk.adapters.storage.connection import connect, read_snapshot, storage_errors
from kiosk.core.journal import Changes, PresenceChange, Topic, topics_of
from kiosk.core.model import EntryKind

_NOTHING = Changes(frozenset())


class ChangeFeed:
    """Looks, as cheaply as SQLite allows, for commits since the last `poll`.

    It has a connection of its own, so `PRAGMA data_version` moves on every commit by any other
    connection: this process's store (on any thread) and every other process alike. Only then
    does it read what changed: the journal's entries since its highest rowid (the journal only
    grows) and the per-topic counters that triggers raise (migration 0002). Use it from one
    thread; a screen polls it a few times a second.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with storage_errors(self.path):
            self._conn: sqlite3.Connection | None = connect(self.path)
            self._data_version = self._read_data_version()
            self._journal_mark = self._read_journal_mark()
            self._versions = self._read_versions()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("the change feed is closed")
        return self._conn

    def _read_data_version(self) -> int:
        (version,) = self._connection().execute("PRAGMA data_version").fetchone()
        return int(version)

    def _read_journal_mark(self) -> int:
        (mark,) = (
            self._connection().execute("SELECT coalesce(max(rowid), 0) FROM journal").fetchone()
        )
        return int(mark)

    def _read_versions(self) -> dict[str, int]:
        return dict(self._connection().execute("SELECT topic, version FROM changes").fetchall())

    def poll(self) -> Changes:
        """What changed since the last poll (or since the feed was made); empty when nothing."""
        with storage_errors(self.path):
            version = self._read_data_version()
            if version == self._data_version:
                return _NOTHING
            self._data_version = version
            conn = self._connection()
            # One read transaction, so the journal and the counters are read at the same moment.
            with read_snapshot(conn):
                kinds = [
                    kind
                    for (kind,) in conn.execute(
                        "SELECT DISTINCT kind FROM journal WHERE rowid > ?", (self._journal_mark,)
                    )
                ]
                presence = tuple(
                    PresenceChange(EntryKind(kind), attendee_id, date.fromisoformat(day))
                    for kind, attendee_id, day in conn.execute(
                        "SELECT kind, attendee_id, day FROM journal WHERE rowid > ? "
                        "AND kind IN ('checkin', 'undo') AND attendee_id IS NOT NULL "
                        "AND day IS NOT NULL ORDER BY rowid",
                        (self._journal_mark,),
                    )
                )
                mark = self._read_journal_mark()
                versions = self._read_versions()
        topics = set(topics_of(kinds))
        for topic, count in versions.items():
            if count != self._versions.get(topic):
                if topic in Topic.__members__.values():
                    topics.add(Topic(topic))
        self._journal_mark = mark
        self._versions = versions
        return Changes(frozenset(topics), presence, frozenset(kinds))

    def close(self) -> None:
        """Close the feed's connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
