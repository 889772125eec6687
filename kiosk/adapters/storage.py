"""The SQLite store: the only place that speaks SQL. Implements `kiosk.core.ports.Store`."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.migrations import Migrations

from kiosk.adapters.resources import migrations_dir
from kiosk.core.model import (
    Attendee,
    AttendeeStatus,
    CodeKind,
    EntryKind,
    Event,
    JournalEntry,
)
from kiosk.core.registrations import ImportPlan
from kiosk.core.signing import EventKeys
from kiosk.core.text import name_sort_key, search_text

MIGRATION_SET = "kiosk"
# Keys of this kiosk's own settings.
STATION_SETTING = "station"  # the station this database acts as by default
REHEARSAL_SETTING = "rehearsal_day"  # an event day the desk's clock is moved onto
# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 5000
_ATTENDEE_COLUMNS = (
    "id, registration_id, first_name, last_name, organisation, country, email, category, "
    "status, days, extra"
)
_ACTIVE_CHECKIN = (
    "j.kind = 'checkin' AND NOT EXISTS "
    "(SELECT 1 FROM journal u WHERE u.ref = j.uuid AND u.kind = 'undo')"
)


class NoEventError(LookupError):
    """The database has no event yet: run `kiosk init` or `kiosk demo`."""


class EventExistsError(RuntimeError):
    """The database already holds an event; a kiosk database serves exactly one."""


_savepoints = itertools.count()


def _migrations() -> Migrations:
    migrations = Migrations(MIGRATION_SET)
    for path in sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")):
        sql = path.read_text(encoding="utf-8")

        def apply(db: sqlite_utils.Database, sql: str = sql) -> None:
            for statement in _statements(sql):
                db.conn.execute(statement)

        migrations(name=path.stem)(apply)
    return migrations


def _statements(sql: str) -> Iterator[str]:
    """Split a script into statements; executescript() would commit the migration's transaction."""
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending
            pending = ""
    if re.sub(r"--[^\n]*", "", pending).strip():  # anything but trailing comments
        raise ValueError(f"incomplete SQL statement at the end of a migration: {pending!r}")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL (once: it stays so). Switching needs the file to itself, and SQLite
    does not wait for that, so a kiosk that opens a new file while another does retries.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise  # not another kiosk in the way: a read-only file, a broken one
            mode = ""
        if mode in ("wal", "memory"):  # an in-memory database has no WAL, and needs none
            return
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("the database is busy: could not switch it to WAL")
        time.sleep(0.01)


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _now_text() -> str:
    return _utc_text(datetime.now(UTC))


class SqliteStore:
    """A kiosk database file: WAL, synchronous=FULL, foreign keys on, migrations applied.

    Every write is its own transaction, committed before the method returns, so a check-in
    that has been answered survives a power cut.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no hidden transactions; every write block says BEGIN itself.
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        self.db = sqlite_utils.Database(conn)
        self._event: Event | None = None
        self._depth = 0  # how many transaction() blocks are open
        # Under the write lock, so that kiosks opening a new file together apply each
        # migration once; sqlite-utils' own steps nest inside as savepoints.
        with self.transaction():
            _migrations().apply(self.db)

    def close(self) -> None:
        """Close the database file."""
        self.db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this file, in order."""
        return [migration.name for migration in Migrations(MIGRATION_SET).applied(self.db)]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction around the block: all of it is stored, or none of it.

        IMMEDIATE takes the write lock up front, so two processes that read before they write
        (numbering journal entries, checking who is in) wait for each other instead of both
        deciding on stale data. Nested blocks become savepoints of the outer transaction.
        """
        conn = self.db.conn
        if self._depth:
            name = f"nested_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                yield conn
            except BaseException:
                # An error may already have ended the whole transaction: then nothing is left
                # to roll back, and the original error is the one to report.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            else:
                conn.execute(f"RELEASE {name}")
            finally:
                self._depth -= 1
            return
        conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            # Whatever failed, the body or the COMMIT itself (a full disk), nothing of the
            # block is stored, and the connection is left ready for the next transaction.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._event = None
            raise
        finally:
            self._depth = 0

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.db.conn.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- the event -------------------------------------------------------------------------

    def has_event(self) -> bool:
        """True once `kiosk init` or `kiosk demo` has set up an event here."""
        return bool(self.db.conn.execute("SELECT 1 FROM event").fetchone())

    def create_event(self, event: Event, keys: EventKeys | None) -> Event:
        """Store the one event of this database with its key pair; refuses a second event."""
        public = keys.public if keys else event.public_key
        with self.transaction() as conn:
            # Checked under the write lock: two kiosks setting up one file make one event.
            if self.has_event():
                raise EventExistsError(f"{self.path} already holds an event")
            conn.execute(
                "INSERT INTO event (id, name, venue, timezone, days, locale, public_key, "
                "private_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.id,
                    event.name,
                    event.venue,
                    event.timezone,
                    json.dumps([d.isoformat() for d in event.days]),
                    event.locale,
                    public,
                    keys.private if keys else None,
                    _now_text(),
                ),
            )
        self._event = None
        return self.event()

    def event(self) -> Event:
        """The event this database serves; raises `NoEventError` before `kiosk init`."""
        if self._event is None:
            rows = self._rows("SELECT * FROM event")
            if not rows:
                raise NoEventError(
                    f"{self.path} has no event yet: run 'kiosk init' or 'kiosk demo'"
                )
            row = rows[0]
            self._event = Event(
                id=row["id"],
                name=row["name"],
                venue=row["venue"],
                timezone=row["timezone"],
                days=tuple(date.fromisoformat(d) for d in json.loads(row["days"])),
                locale=row["locale"],
                public_key=row["public_key"],
            )
        return self._event

    def signing_key(self) -> bytes | None:
        """The event's private key, or None on a kiosk that may only verify codes."""
        row = self.db.conn.execute("SELECT private_key FROM event").fetchone()
        return row[0] if row else None

    def setting(self, key: str) -> str | None:
        """One of this kiosk's own settings, or None when unset."""
        row = self.db.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        """Set one of this kiosk's own settings."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def clear_setting(self, key: str) -> None:
        """Remove one of this kiosk's own settings; removing an unset one does nothing."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    def add_station(self, name: str) -> None:
        """Remember a station name (a desk, a kiosk, a door); adding it again does nothing."""
        with self.transaction() as conn:
            _add_station(conn, name)

    def stations(self) -> list[str]:
        """Every station name known here."""
        return [row[0] for row in self.db.conn.execute("SELECT name FROM stations ORDER BY name")]

    # -- attendees ---------------------------------------------------------------------------

    def attendee(self, attendee_id: str) -> Attendee | None:
        """The attendee with this id, or None."""
        found = self._attendees_where("a.id = ?", (attendee_id,))
        return found[0] if found else None

    def attendee_by_code(self, code: str) -> Attendee | None:
        """The attendee one of whose codes is exactly `code`, or None."""
        owner = self.code_owners([code]).get(code)
        return self.attendee(owner) if owner else None

    def code_owners(self, codes: Sequence[str]) -> dict[str, str]:
        """For each of `codes` that admits someone, exactly as given: code -> attendee id."""
        wanted = list(dict.fromkeys(codes))
        if not wanted:
            return {}
        cursor = self.db.conn.execute(
            f"SELECT code, attendee_id FROM codes WHERE code IN ({','.join('?' * len(wanted))})",
            wanted,
        )
        return dict(cursor.fetchall())

    def attendees(self) -> list[Attendee]:
        """Every attendee, sorted by surname in the event's language."""
        return self._attendees_where("1", ())

    def registered(self) -> dict[str, Attendee]:
        """Attendees from registration imports, keyed by their registration code."""
        return {a.code: a for a in self._attendees_where("a.source = 'import'", ())}

    def search(
        self, words: Sequence[str], limit: int, code_prefix: str | None = None
    ) -> list[Attendee]:
        """Attendees with a word starting with each of `words` (folded), or a code starting with
        `code_prefix` (ignoring ASCII case); sorted by surname in the event's language, at most
        `limit`.
        """
        found: list[tuple[str, int]] = []
        if words:
            match = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
            found += self.db.conn.execute(
                "SELECT sort_key, num FROM attendees INDEXED BY attendees_num_sort WHERE num IN "
                "(SELECT rowid FROM attendees_fts WHERE attendees_fts MATCH ?) "
                "ORDER BY sort_key LIMIT ?",
                (match, limit),
            ).fetchall()
        if code_prefix:
            found += self.db.conn.execute(
                "SELECT a.sort_key, a.num FROM codes c JOIN attendees a ON a.id = c.attendee_id "
                "WHERE c.code COLLATE NOCASE >= ? AND c.code COLLATE NOCASE < ? LIMIT ?",
                (code_prefix, code_prefix + "\U0010ffff", limit),
            ).fetchall()
        nums = [num for _, num in sorted(set(found))[:limit]]
        if not nums:
            return []
        return self._attendees_where(f"a.num IN ({','.join('?' * len(nums))})", nums)

    def registration_counts(self) -> Iterable[tuple[str, AttendeeStatus, int]]:
        """(category, status, number of attendees) for every category and status present."""
        cursor = self.db.conn.execute(
            "SELECT category, status, count(*) FROM attendees GROUP BY category, status"
        )
        return [(category, AttendeeStatus(status), count) for category, status, count in cursor]

    def _attendees_where(self, where: str, params: Sequence[Any]) -> list[Attendee]:
        rows = self._rows(
            f"SELECT {_ATTENDEE_COLUMNS} FROM attendees a WHERE {where} ORDER BY a.sort_key", params
        )
        if not rows:
            return []
        codes = self._codes_of([row["id"] for row in rows])
        return [_attendee(row, codes.get(row["id"], ())) for row in rows]

    def _codes_of(self, attendee_ids: list[str]) -> dict[str, tuple[str, ...]]:
        # Registration codes first, so an attendee's main code is the one in their e-mail.
        order = "ORDER BY attendee_id, kind = 'kiosk', created_at, rowid"
        if len(attendee_ids) > 500:
            cursor = self.db.conn.execute(f"SELECT attendee_id, code FROM codes {order}")
        else:
            marks = ",".join("?" * len(attendee_ids))
            cursor = self.db.conn.execute(
                f"SELECT attendee_id, code FROM codes WHERE attendee_id IN ({marks}) {order}",
                attendee_ids,
            )
        codes: dict[str, list[str]] = {}
        for attendee_id, code in cursor:
            codes.setdefault(attendee_id, []).append(code)
        return {attendee_id: tuple(found) for attendee_id, found in codes.items()}

    def apply_import(self, plan: ImportPlan) -> None:
        """Write an import's changes in one transaction: all of them, or none."""
        locale = self.event().locale
        now = _now_text()
        with self.transaction() as conn:
            for attendee in plan.changes:
                self._upsert(conn, attendee, locale, "import", now)
                # A reissued registration code replaces the old one, which no longer admits.
                conn.execute(
                    "DELETE FROM codes WHERE attendee_id = ? AND kind = ? AND code != ?",
                    (attendee.id, str(CodeKind.REGISTRATION), attendee.code),
                )
                conn.execute(
                    "INSERT OR IGNORE INTO codes (code, attendee_id, kind, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (attendee.code, attendee.id, str(CodeKind.REGISTRATION), now),
                )

    def add_walkin(self, attendee: Attendee, code: str, entry: JournalEntry) -> JournalEntry:
        """Add a walk-in, their kiosk code and the journal entry, in one transaction."""
        locale = self.event().locale
        now = _now_text()
        with self.transaction() as conn:
            self._upsert(conn, attendee, locale, "walkin", now)
            conn.execute(
                "INSERT INTO codes (code, attendee_id, kind, created_at) VALUES (?, ?, ?, ?)",
                (code, attendee.id, str(CodeKind.KIOSK), now),
            )
            return self._append(conn, entry)

    @staticmethod
    def _upsert(
        conn: sqlite3.Connection, attendee: Attendee, locale: str, source: str, now: str
    ) -> None:
        conn.execute(
            "INSERT INTO attendees (id, registration_id, first_name, last_name, organisation, "
            "country, email, category, status, days, extra, source, search_text, sort_key, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET registration_id = excluded.registration_id, "
            "first_name = excluded.first_name, last_name = excluded.last_name, "
            "organisation = excluded.organisation, country = excluded.country, "
            "email = excluded.email, category = excluded.category, status = excluded.status, "
            "days = excluded.days, extra = excluded.extra, search_text = excluded.search_text, "
            "sort_key = excluded.sort_key, updated_at = excluded.updated_at",
            (
                attendee.id,
                attendee.registration_id,
                attendee.first_name,
                attendee.last_name,
                attendee.organisation,
                attendee.country,
                attendee.email,
                attendee.category,
                str(attendee.status),
                json.dumps([d.isoformat() for d in attendee.days]),
                json.dumps(dict(attendee.extra), ensure_ascii=False),
                source,
                search_text(
                    attendee.first_name, attendee.last_name, attendee.organisation, attendee.email
                ),
                name_sort_key(locale, attendee.last_name, attendee.first_name),
                now,
            ),
        )

    # -- the journal -------------------------------------------------------------------------

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Durably append `entry`, numbered after its station's last entry."""
        with self.transaction() as conn:
            return self._append(conn, entry)

    def first_or_append(self, entry: JournalEntry) -> tuple[JournalEntry, bool]:
        """Durably append the check-in `entry` unless its attendee is already in on its day.

        Returns the day's first active check-in and whether that is `entry`. The look and the
        write are one transaction, so two desks on one file never both admit someone.
        """
        if entry.attendee_id is None or entry.day is None:
            raise ValueError("a check-in names an attendee and a day")
        with self.transaction() as conn:
            earlier = self.checkins(entry.attendee_id, entry.day)
            if earlier:
                return earlier[0], False
            return self._append(conn, entry), True

    @staticmethod
    def _append(conn: sqlite3.Connection, entry: JournalEntry) -> JournalEntry:
        (last,) = conn.execute(
            "SELECT coalesce(max(seq), 0) FROM journal WHERE station = ?", (entry.station,)
        ).fetchone()
        numbered = replace(entry, seq=last + 1)
        _add_station(conn, entry.station)
        conn.execute(
            "INSERT INTO journal (uuid, station, seq, kind, at, day, attendee_id, code, ref, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                numbered.uuid,
                numbered.station,
                numbered.seq,
                str(numbered.kind),
                _utc_text(numbered.at),
                numbered.day.isoformat() if numbered.day else None,
                numbered.attendee_id,
                numbered.code,
                numbered.ref,
                json.dumps(dict(numbered.data), ensure_ascii=False),
            ),
        )
        return numbered

    def checkins(self, attendee_id: str, day: date) -> list[JournalEntry]:
        """The attendee's check-ins on `day` that no undo has cancelled, earliest first."""
        rows = self._rows(
            f"SELECT * FROM journal j WHERE j.attendee_id = ? AND j.day = ? AND {_ACTIVE_CHECKIN} "
            "ORDER BY j.at, j.station, j.seq",
            (attendee_id, day.isoformat()),
        )
        return [_entry(row) for row in rows]

    def first_checkins(self, attendee_ids: Sequence[str], day: date) -> dict[str, JournalEntry]:
        """The earliest active check-in on `day` of each of these attendees who has one."""
        if not attendee_ids:
            return {}
        marks = ",".join("?" * len(attendee_ids))
        rows = self._rows(
            f"SELECT * FROM journal j WHERE j.attendee_id IN ({marks}) AND j.day = ? "
            f"AND {_ACTIVE_CHECKIN} ORDER BY j.at DESC, j.station DESC, j.seq DESC",
            [*attendee_ids, day.isoformat()],
        )
        # Latest first, so that each attendee's earliest check-in is the one left standing.
        return {row["attendee_id"]: _entry(row) for row in rows}

    def journal(self) -> list[JournalEntry]:
        """The whole journal, oldest first."""
        return [
            _entry(row) for row in self._rows("SELECT * FROM journal ORDER BY at, station, seq")
        ]

    def count_checked_in(self, day: date) -> int:
        """How many attendees are checked in on `day` (undos applied)."""
        (count,) = self.db.conn.execute(
            f"SELECT count(DISTINCT j.attendee_id) FROM journal j WHERE j.day = ? "
            f"AND {_ACTIVE_CHECKIN}",
            (day.isoformat(),),
        ).fetchone()
        return int(count)

    def count_registered(self) -> int:
        """How many attendees are active (not cancelled)."""
        (count,) = self.db.conn.execute(
            "SELECT count(*) FROM attendees WHERE status = 'active'"
        ).fetchone()
        return int(count)

    def presence(self) -> Iterable[tuple[str, date, str]]:
        """(attendee id, day, category) for each day an attendee is checked in, undos applied."""
        cursor = self.db.conn.execute(
            "SELECT DISTINCT j.attendee_id, j.day, coalesce(a.category, '') FROM journal j "
            f"LEFT JOIN attendees a ON a.id = j.attendee_id WHERE {_ACTIVE_CHECKIN}"
        )
        return [(attendee_id, date.fromisoformat(day), cat) for attendee_id, day, cat in cursor]


def _add_station(conn: sqlite3.Connection, name: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO stations (name, created_at) VALUES (?, ?)", (name, _now_text())
    )


def _attendee(row: dict[str, Any], codes: tuple[str, ...]) -> Attendee:
    return Attendee(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        code=codes[0] if codes else "",
        codes=codes,
        organisation=row["organisation"],
        country=row["country"],
        email=row["email"],
        category=row["category"],
        status=AttendeeStatus(row["status"]),
        days=tuple(date.fromisoformat(d) for d in json.loads(row["days"])),
        registration_id=row["registration_id"],
        extra=json.loads(row["extra"]),
    )


def _entry(row: dict[str, Any]) -> JournalEntry:
    return JournalEntry(
        uuid=row["uuid"],
        kind=EntryKind(row["kind"]),
        station=row["station"],
        at=datetime.fromisoformat(row["at"]),
        day=date.fromisoformat(row["day"]) if row["day"] else None,
        attendee_id=row["attendee_id"],
        code=row["code"],
        ref=row["ref"],
        data=json.loads(row["data"]),
        seq=row["seq"],
    )
