"""`SqliteStore`: the kiosk database, one connection per thread, every write one transaction."""

from __future__ import annotations

import collections
import functools
import heapq
import itertools
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from kiosk.adapters.faults import sqlite_fault
from kiosk.adapters.private_files import WAIT_SIGNAL, prepare_database
from kiosk.adapters.storage.checkpointer import Checkpointer
from kiosk.adapters.storage.connection import (
    LockWaiters,
    applied_migrations,
    begin_immediate,
    connect,
    is_sqlite_database,
    migrate,
    migration_files,
    pending_migrations,
    read_snapshot,
    storage_errors,
)
from kiosk.adapters.storage.rows import (
    ACTIVE_CHECKIN,
    ATTENDEE_COLUMNS,
    JOURNAL_COLUMNS,
    JOURNAL_ORDER,
    JOURNAL_ORDER_DESC,
    LISTED,
    attendee_from_row,
    entry_from_row,
    entry_from_values,
    entry_values,
    listed,
    now_text,
)
from kiosk.adapters.storage.sort_order import SortOrder
from kiosk.core.errors import (
    EventExistsError,
    EventSetupError,
    KioskError,
    NoEventError,
    StorageError,
)
from kiosk.core.journal import next_hlc
from kiosk.core.model import (
    Attendee,
    AttendeeStatus,
    EntryKind,
    Event,
    JournalEntry,
    RetiredKey,
    new_entry_uuid,
)

if TYPE_CHECKING:
    from kiosk.adapters.key_vault import KeyVault
    from kiosk.core.journal import MergeReport
    from kiosk.core.ports import KioskFile, Progress
    from kiosk.core.registrations import ImportPlan
    from kiosk.core.signing import EventKeys

logger = logging.getLogger(__name__)
# A badge was printed, and what it shows changed after the newest print.
_REPRINT = (
    "a.badge_version > (SELECT max(p.hlc) FROM journal p "
    "WHERE p.kind = 'print' AND p.attendee_id = a.id)"
)
_P = ParamSpec("_P")
_R = TypeVar("_R")
_savepoints = itertools.count()
# A merge's chunks (one transaction each) are sized by cost to last about as long as an
# import's step (`imports.STEP_SECONDS`): an entry that carries an attendee record (a
# registration, a walk-in) writes the registry's row, its search terms and codes besides
# itself, and costs `_RECORD_COST`; any other entry costs 1. The size is learnt from each
# chunk and kept for the store's next merge (`SqliteStore.step_sizes`): a first chunk of 500
# entries, one exchange's re-import of 150 registrations, kept the write lock from the desk
# for 0.2 to 2.5 s on a busy machine (bench/soak.py). Looked up in one statement each: one
# value per entry, far below SQLite's limit.
_MERGE_CHUNK = 200  # the cost of a store's first chunk, before one has been timed
_RECORD_COST = 10
_RECORD_KINDS = (EntryKind.WALKIN, EntryKind.REGISTRATION)


def _storage_errors(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """SQLite's errors from `method` as a `StorageError` naming the database."""

    @functools.wraps(method)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except sqlite3.Error as error:
            store = args[0]
            raise sqlite_fault(getattr(store, "path", "?"), error) from error

    return wrapper


class _ThreadState(threading.local):
    """One thread's own connection to the file, and how deep its transaction blocks are nested."""

    conn: sqlite3.Connection | None = None
    depth: int = 0
    stepping: bool = False  # the thread's writes are a long writer's steps (`stepping`)


class SqliteStore:
    """A kiosk database file: WAL, synchronous=FULL, foreign keys on, migrations applied.

    Each thread gets its own connection on first use, so a worker's write is its own
    transaction and never a savepoint inside the GUI thread's. Every write is one `BEGIN
    IMMEDIATE` transaction, committed before the method returns, so a check-in that has been
    answered survives a power cut.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        key_vault: KeyVault | None = None,
        background_checkpoints: bool = False,
    ) -> None:
        """`background_checkpoints`: copy the WAL into the file on a thread of its own
        (`Checkpointer`), so that a commit at a desk's pace never does: for a screen that runs
        all day. A one-shot command leaves it to SQLite, and exits without a thread to wait for.
        """
        self.path = Path(path)
        self._vault = key_vault
        if str(path) == ":memory:":
            raise StorageError("a kiosk database is a file: every thread opens its own connection")
        if not self.path.exists():
            migration_files()  # an incomplete installation says so before it makes a file
        try:
            # Owner-only before SQLite opens it: SQLite gives the -wal and -shm files its mode.
            prepare_database(self.path, is_database=is_sqlite_database)
        except OSError as error:
            raise StorageError(f"database {self.path}: {error.strerror or error}") from error
        self._state = _ThreadState()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._checkpointer = Checkpointer(self.path) if background_checkpoints else None
        # Stations this store has written to the file: a desk's every check-in need not write
        # its name again. Forgotten when a transaction is rolled back (it may have held one).
        self._stations_added: set[str] = set()
        self._event: Event | None = None
        self._event_version = -1  # the `changes` version of the event row `_event` was read at
        self._sort_order = SortOrder()
        self._kiosk_id: str | None = None
        # The size of the short write steps the store's imports and merges last took, learnt
        # from their times (`imports.next_size`): the next import or merge starts with it. A
        # re-import or an exchange is most often one step, and a size learnt within one
        # never served: each began at a fixed size, whatever it had cost the time before.
        self.step_sizes: dict[str, int] = {}
        # Those waiting for the write lock (this process's threads, but those writing in
        # steps, and other processes): each step of a merge or an import ends early when one
        # waits (`stepping`).
        self.lock_waiters = LockWaiters(Path(f"{self.path}{WAIT_SIGNAL}"))
        with storage_errors(self.path):
            conn = self._conn()
            if pending_migrations(conn):
                with self.transaction():
                    migrate(conn)
            # An import cut off by a crash is finished (or dropped) before anything reads.
            unfinished = conn.execute(
                "SELECT 1 FROM imports WHERE state IN ('staging', 'applying') LIMIT 1"
            ).fetchone()
            if unfinished:
                self.recover_imports()
            clear_key = conn.execute(
                "SELECT 1 FROM event WHERE length(private_key) = 32 LIMIT 1"
            ).fetchone()
        if clear_key:
            try:
                self.seal_signing_key()
            except KioskError as error:
                # A read-only file or config folder: the kiosk still works, and the key is
                # sealed at a later open.
                logger.warning("the event's private key stays unsealed for now: %s", error)

    def _conn(self) -> sqlite3.Connection:
        """The calling thread's connection, opened on first use."""
        conn = self._state.conn
        if conn is None:
            conn = connect(self.path)
            with self._lock:
                self._connections.append(conn)
            self._state.conn = conn
        return conn

    def connection(self) -> sqlite3.Connection:
        """The calling thread's connection (this package's own modules read through it)."""
        return self._conn()

    @property
    def db(self) -> Any:
        """The calling thread's connection as a sqlite-utils `Database`, to look inside."""
        import sqlite_utils  # noqa: PLC0415

        return sqlite_utils.Database(self._conn())

    def close(self) -> None:
        """Close every thread's connection to the file (checkpointed first, when the store
        checkpoints in the background).
        """
        if self._checkpointer is not None:
            self._checkpointer.stop()
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._state = _ThreadState()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @_storage_errors
    def applied_migrations(self) -> list[str]:
        """Names of the migrations applied to this file, in order."""
        return applied_migrations(self._conn())

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction around the block: all of it is stored, or none of it.

        IMMEDIATE takes the write lock up front, so two processes that read before they write
        (numbering journal entries, checking who is in) wait for each other instead of both
        deciding on stale data. Blocks nested on the same thread become savepoints of the
        outer transaction; another thread's block is a transaction of its own.
        """
        conn = self._conn()
        state = self._state
        with storage_errors(self.path):
            if state.depth:
                try:
                    yield from self._savepoint(conn, state)
                except BaseException:
                    self._stations_added.clear()
                    raise
                return
            begin_immediate(conn, None if state.stepping else self.lock_waiters)
            state.depth = 1
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                # Whatever failed, the body or the COMMIT itself (a full disk), nothing of the
                # block is stored, and the connection is left ready for the next transaction.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                self._event = None
                self._stations_added.clear()
                raise
            finally:
                state.depth = 0
            if self._checkpointer is not None:
                self._checkpointer.noted()

    @contextmanager
    def stepping(self) -> Iterator[None]:
        """The calling thread's transactions inside the block are the short steps of a long
        writer (an import, a merge), which looks at `lock_waiters` between the pieces of each
        step and ends it when another thread waits. Its own waits for the lock are not
        counted there: two such writers would end each other's steps.
        """
        state = self._state
        outer, state.stepping = state.stepping, True
        try:
            yield
        finally:
            state.stepping = outer

    @staticmethod
    def _savepoint(conn: sqlite3.Connection, state: _ThreadState) -> Iterator[sqlite3.Connection]:
        name = f"nested_{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        state.depth += 1
        try:
            yield conn
        except BaseException:
            # An error may already have ended the whole transaction: then nothing is left to
            # roll back, and the original error is the one to report.
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        else:
            conn.execute(f"RELEASE {name}")
        finally:
            state.depth -= 1

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self._conn().execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # -- the kiosk and its event ---------------------------------------------------------------

    @_storage_errors
    def kiosk_id(self) -> str:
        """The kiosk id of this database: random, made when the file was created."""
        if self._kiosk_id is None:
            (self._kiosk_id,) = self._conn().execute("SELECT id FROM kiosk").fetchone()
        return self._kiosk_id

    @_storage_errors
    def has_event(self) -> bool:
        """True once `kiosk init` or `kiosk demo` has set up an event here."""
        return bool(self._conn().execute("SELECT 1 FROM event").fetchone())

    @_storage_errors
    def create_event(self, event: Event, keys: EventKeys | None) -> Event:
        """Store the one event of this database with its key pair; refuses a second event."""
        public = keys.public if keys else event.public_key
        with self.transaction() as conn:
            # Checked under the write lock: two kiosks setting up one file make one event.
            if self.has_event():
                raise EventExistsError(f"{self.path} already holds an event")
            conn.execute(
                "INSERT INTO event (id, name, venue, timezone, days, locale, public_key, "
                "private_key, retired_keys, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    event.id,
                    event.name,
                    event.venue,
                    event.timezone,
                    json.dumps([d.isoformat() for d in event.days]),
                    event.locale,
                    public,
                    self._seal(keys.private, event.id) if keys and keys.private else None,
                    _retired_keys_text(event.retired_keys),
                    now_text(),
                ),
            )
        self._event = None
        return self.event()

    @_storage_errors
    def replace_keys(self, event: Event, private_key: bytes | None) -> Event:
        """Give the event `event`'s public and retired keys, and `private_key` (sealed; None:
        this kiosk can no longer issue codes), after `kiosk rotate-key`. The old sealed key's
        bytes are overwritten in the file (secure_delete) and the WAL is emptied.
        """
        conn = self._conn()
        conn.execute("PRAGMA secure_delete = ON")
        try:
            with self.transaction():
                if self.event().id != event.id:
                    raise EventSetupError(f"{self.path} serves another event")
                conn.execute(
                    "UPDATE event SET public_key = ?, private_key = ?, retired_keys = ? "
                    "WHERE id = ?",
                    (
                        event.public_key,
                        self._seal(private_key, event.id) if private_key else None,
                        _retired_keys_text(event.retired_keys),
                        event.id,
                    ),
                )
                self._event = None
        finally:
            conn.execute("PRAGMA secure_delete = OFF")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return self.event()

    @_storage_errors
    def event(self) -> Event:
        """The event this database serves; raises `NoEventError` before `kiosk init`.

        Kept between calls, and read again when the event's row has changed since, in any
        process: a desk left open sees a key rotated or adopted with `kiosk rotate-key`.
        """
        (version,) = (
            self._conn().execute("SELECT version FROM changes WHERE topic = 'event'").fetchone()
        )
        if self._event is None or version != self._event_version:
            self._event_version = version
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
                retired_keys=_retired_keys(row["retired_keys"]),
            )
        return self._event

    @property
    def key_vault(self) -> KeyVault:
        """What seals the event's private key in this file (docs/CODES.md)."""
        if self._vault is None:
            from kiosk.adapters.key_vault import KeyVault  # noqa: PLC0415 (keys only)

            self._vault = KeyVault()
        return self._vault

    def _seal(self, private_key: bytes, event_id: str) -> bytes:
        return self.key_vault.seal(private_key, event_id=event_id, kiosk_id=self.kiosk_id())

    @_storage_errors
    def signing_key(self) -> bytes | None:
        """The event's private key, or None on a kiosk that may only verify codes; a
        `CannotIssueCodesError` when it is sealed with a key file this machine lacks.
        """
        row = self._conn().execute("SELECT id, private_key FROM event").fetchone()
        if row is None or row[1] is None:
            return None
        return self.key_vault.open(row[1], event_id=row[0], kiosk_id=self.kiosk_id())

    @_storage_errors
    def seal_signing_key(self) -> bool:
        """Seal a private key an older kiosk stored in the clear; True when there was one.

        The clear bytes are overwritten where they were (secure_delete) and the WAL that
        held them is emptied, so the file keeps no readable copy.
        """
        conn = self._conn()
        conn.execute("PRAGMA secure_delete = ON")
        try:
            with self.transaction():
                row = conn.execute(
                    "SELECT id, private_key FROM event WHERE length(private_key) = 32"
                ).fetchone()
                if row is None:
                    return False
                conn.execute(
                    "UPDATE event SET private_key = ? WHERE id = ?",
                    (self._seal(row[1], row[0]), row[0]),
                )
        finally:
            conn.execute("PRAGMA secure_delete = OFF")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True

    # -- settings --------------------------------------------------------------------------------

    @_storage_errors
    def kiosk_settings(self) -> dict[str, str]:
        """The settings of this kiosk alone, as stored: name -> text."""
        return dict(self._conn().execute("SELECT key, value FROM settings").fetchall())

    @_storage_errors
    def setting(self, key: str) -> str | None:
        """One of this kiosk's own settings, or None when unset."""
        row = self._conn().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @_storage_errors
    def set_setting(self, key: str, value: str) -> None:
        """Set one of this kiosk's own settings."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @_storage_errors
    def clear_setting(self, key: str) -> None:
        """Remove one of this kiosk's own settings; removing an unset one does nothing."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    @_storage_errors
    def event_settings(self) -> dict[str, str]:
        """The event-wide settings: for each name, the value of its newest `setting` entry.

        Newest by the hybrid logical clock, then origin and number, so every kiosk that holds
        the same entries agrees, whatever order they arrived in and whatever its clock says.
        """
        rows = self._conn().execute(
            "SELECT json_extract(data, '$.name'), json_extract(data, '$.value') FROM journal j "
            "WHERE kind = 'setting' ORDER BY j.hlc, j.origin, j.seq"
        )
        return {name: str(value) for name, value in rows if isinstance(name, str)}

    @_storage_errors
    def add_station(self, name: str) -> None:
        """Remember a station name (a desk, a kiosk, a door); adding it again does nothing."""
        with self.transaction() as conn:
            _add_station(conn, name)

    @_storage_errors
    def stations(self) -> list[str]:
        """Every station name known here."""
        return [row[0] for row in self._conn().execute("SELECT name FROM stations ORDER BY name")]

    # -- attendees -------------------------------------------------------------------------------

    @_storage_errors
    def attendee(self, attendee_id: str) -> Attendee | None:
        """The attendee with this id, or None."""
        found = self._attendees_where("a.id = ?", (attendee_id,))
        return found[0] if found else None

    @_storage_errors
    def attendee_by_code(self, code: str) -> Attendee | None:
        """The attendee one of whose codes is exactly `code`, or None."""
        owner = self.code_owners([code]).get(code)
        return self.attendee(owner) if owner else None

    @_storage_errors
    def code_owners(self, codes: Sequence[str]) -> dict[str, str]:
        """For each of `codes` that admits someone, exactly as given: code -> attendee id."""
        wanted = list(dict.fromkeys(codes))
        if not wanted:
            return {}
        cursor = self._conn().execute(
            f"SELECT code, attendee_id FROM codes WHERE code IN ({','.join('?' * len(wanted))})",
            wanted,
        )
        return dict(cursor.fetchall())

    @_storage_errors
    def attendees(self) -> list[Attendee]:
        """Every attendee, sorted by surname in the event's language."""
        return self._attendees_where("1", ())

    @_storage_errors
    def registered(self) -> dict[str, Attendee]:
        """Attendees from registration imports, keyed by their registration code."""
        return {a.code: a for a in self._attendees_where("a.source = 'import'", ())}

    @_storage_errors
    def import_baselines(self) -> dict[str, Attendee]:
        """For attendees a desk corrected: their record as the registration system last gave
        it, by id; read from the registration entries of those attendees alone.
        """
        from kiosk.core.registrations import import_baselines  # noqa: PLC0415 (imports only)

        rows = self._conn().execute(
            f"SELECT {JOURNAL_COLUMNS} FROM journal WHERE kind = 'registration' AND attendee_id "
            "IN (SELECT attendee_id FROM journal WHERE kind = 'registration' "
            "AND json_extract(data, '$.edited') IS NOT NULL) ORDER BY hlc, origin, seq"
        )
        return import_baselines(entry_from_values(row) for row in rows)

    @_storage_errors
    def search(
        self, words: Sequence[str], limit: int, code_prefix: str | None = None
    ) -> list[Attendee]:
        """Attendees with a word starting with each of `words` (folded), or a code starting with
        `code_prefix` (ignoring ASCII case); sorted by surname in the event's language, at most
        `limit`.
        """
        conn = self._conn()
        match = " ".join('"' + word.replace('"', '""') + '"*' for word in words)
        with read_snapshot(conn):
            ranks = self._sort_order.ranks(conn)
            if ranks is None:
                nums = _sorted_matches(conn, match, code_prefix, limit)
            else:
                found = _all_matches(conn, match, code_prefix, limit)
                nums = heapq.nsmallest(limit, found, key=ranks.__getitem__)
            if not nums:
                return []
            return self._attendees_where(f"a.num IN {LISTED}", [listed(nums)])

    @_storage_errors
    def registration_counts(self) -> Iterable[tuple[str, AttendeeStatus, int]]:
        """(category, status, number of attendees) for every category and status present."""
        cursor = self._conn().execute(
            "SELECT category, status, count(*) FROM attendees GROUP BY category, status"
        )
        return [(category, AttendeeStatus(status), count) for category, status, count in cursor]

    def _attendees_where(self, where: str, params: Sequence[Any]) -> list[Attendee]:
        rows = self._rows(
            f"SELECT {ATTENDEE_COLUMNS}, {_REPRINT} AS reprint FROM attendees a WHERE {where} "
            "ORDER BY a.sort_key",
            params,
        )
        if not rows:
            return []
        codes = self._codes_of([row["id"] for row in rows])
        return [attendee_from_row(row, codes.get(row["id"], ())) for row in rows]

    def _codes_of(self, attendee_ids: list[str]) -> dict[str, tuple[str, ...]]:
        # Registration codes first, so an attendee's main code is the one in their e-mail.
        order = "ORDER BY attendee_id, kind = 'kiosk', created_at, rowid"
        conn = self._conn()
        if len(attendee_ids) > 500:
            cursor = conn.execute(f"SELECT attendee_id, code FROM codes {order}")
        else:
            cursor = conn.execute(
                f"SELECT attendee_id, code FROM codes WHERE attendee_id IN {LISTED} {order}",
                (listed(attendee_ids),),
            )
        codes: dict[str, list[str]] = {}
        for attendee_id, code in cursor:
            codes.setdefault(attendee_id, []).append(code)
        return {attendee_id: tuple(found) for attendee_id, found in codes.items()}

    @_storage_errors
    def apply_import(
        self,
        plan: ImportPlan,
        *,
        station: str = "",
        source: str = "",
        format_name: str = "",
        report: Mapping[str, Any] | None = None,
        progress: Progress | None = None,
        registry: str | None = None,
        again: tuple[str, Mapping[str, Any]] | None = None,
    ) -> str:
        """Write an import's changes: for each attendee added, updated or cancelled, the record
        as a `registration` journal entry (so it reaches every kiosk) and in the registry.

        A few changes go in one transaction. Many are first staged in short transactions, then
        applied in short transactions, so a check-in never waits long for the write lock; an
        import cut off while staging changed nothing, and one cut off while applying is
        finished when the file is next opened (`recover_imports`). Returns the import's id.

        `registry` is the `registry_version` read before the plan; `again` the file's
        fingerprint and the report a re-import of it would give: it is kept when nothing but
        this import wrote to the registry since, and `unchanged_report` answers with it.
        """
        from kiosk.adapters.storage import imports  # noqa: PLC0415 (imports only)

        import_id = new_entry_uuid()
        batch = imports.prepare(
            plan.changes,
            import_id=import_id,
            station=station,
            at=datetime.now(UTC),
            locale=self.event().locale,
            given=plan.given,
        )
        imports.start(
            self, import_id, batch, source=source, format_name=format_name, report=report or {}
        )
        imports.apply(self, import_id, progress, staged=batch, registry=registry, again=again)
        return import_id

    @_storage_errors
    def registry_version(self) -> str:
        """A text that changes whenever the registry or the event does (any write to attendees,
        codes or the event): an import reads it before its plan.
        """
        from kiosk.adapters.storage import imports  # noqa: PLC0415 (imports only)

        return imports.registry_version(self._conn())

    @_storage_errors
    def unchanged_report(self, fingerprint: str) -> dict[str, Any] | None:
        """The report a re-import of the file with this fingerprint gives, when an import of it
        left the registry as it is now (nothing has written to it since); else None.
        """
        from kiosk.adapters.storage import imports  # noqa: PLC0415 (imports only)

        return imports.unchanged_report(self, fingerprint)

    @_storage_errors
    def recover_imports(self) -> int:
        """Drop imports cut off while staging and finish those cut off while applying; returns
        how many were finished.
        """
        from kiosk.adapters.storage import imports  # noqa: PLC0415

        return imports.recover(self)

    @_storage_errors
    def last_import(self) -> dict[str, Any] | None:
        """The newest finished import: file, format, when, and its report."""
        from kiosk.adapters.storage import imports  # noqa: PLC0415

        return imports.last(self)

    @_storage_errors
    def record_output(self, kind: str, path: Path) -> None:
        """Remember that this kiosk just wrote `path` for people (a check-in export, badge
        PDFs), as it is now, so `kiosk purge` can remove it while it is still that file.
        """
        try:
            written = Path(path).resolve()
            found = written.stat()
        except OSError:
            return  # nothing there to remember
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO outputs (path, kind, device, inode, size, mtime_ns, "
                "written_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (str(written), kind, found.st_dev, found.st_ino, found.st_size,
                 found.st_mtime_ns, now_text()),
            )  # fmt: skip

    @_storage_errors
    def outputs(self) -> list[KioskFile]:
        """The files recorded by `record_output`, oldest first."""
        from kiosk.core.ports import KioskFile  # noqa: PLC0415 (purge only)

        rows = self._conn().execute(
            "SELECT kind, path, device, inode, size, mtime_ns FROM outputs ORDER BY written_at"
        )
        return [
            KioskFile(kind, Path(path), (device, inode, size, mtime))
            for kind, path, device, inode, size, mtime in rows
        ]

    @_storage_errors
    def personal_data(self) -> dict[str, int]:
        """How many rows of each kind hold personal data: attendees, codes, journal entries,
        print jobs, imports (what `purge_personal_data` would change).
        """
        from kiosk.adapters.storage import purge  # noqa: PLC0415 (after the event only)

        return purge.personal_data(self)

    @_storage_errors
    def purge_personal_data(self) -> bool:
        """Remove every name, e-mail, organisation, code and import row, keeping anonymous
        attendees and check-ins for the counts; rewrite the file and empty its WAL. True when
        the WAL could be emptied (no other process was reading).
        """
        from kiosk.adapters.storage import purge  # noqa: PLC0415

        return purge.purge(self)

    @_storage_errors
    def add_walkin(self, entry: JournalEntry) -> JournalEntry:
        """Append a `walkin` entry and add the attendee and kiosk code it carries, at once."""
        return self.add_record(entry)

    @_storage_errors
    def add_record(self, entry: JournalEntry) -> JournalEntry:
        """Append a `walkin` or `registration` entry and write the attendee record it carries
        (when newer than the stored one), at once.
        """
        with self.transaction() as conn:
            appended = self._append(conn, entry)
            from kiosk.adapters.storage.records import apply_record  # noqa: PLC0415

            apply_record(conn, appended, self.event().locale, now_text())
            return appended

    # -- the journal -----------------------------------------------------------------------------

    @_storage_errors
    def append(self, entry: JournalEntry) -> JournalEntry:
        """Durably append `entry` as this kiosk's next one; returns it with origin and number."""
        with self.transaction() as conn:
            return self._append(conn, entry)

    @_storage_errors
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

    @_storage_errors
    def undo_checkins(
        self, attendee_id: str, day: date, undo: Callable[[JournalEntry], JournalEntry]
    ) -> tuple[JournalEntry, ...]:
        """Durably append `undo(check-in)` for each of the attendee's active check-ins on `day`;
        returns the undos appended. The look and the writes are one transaction, so of two
        desks undoing the same check-in at once, one undoes it and the other finds it undone.
        """
        with self.transaction() as conn:
            return tuple(self._append(conn, undo(c)) for c in self.checkins(attendee_id, day))

    def append_in(
        self, conn: sqlite3.Connection, entries: Sequence[JournalEntry]
    ) -> list[JournalEntry]:
        """`append` of several entries, in order, inside a transaction the caller holds (this
        package's own steps): numbered and clocked once for all of them.
        """
        if not entries:
            return []
        origin, seqs, hlcs = self.number_in(conn, len(entries), [e.station for e in entries])
        numbered = [
            replace(entry, origin=origin, seq=seq, hlc=hlc)
            for entry, seq, hlc in zip(entries, seqs, hlcs, strict=True)
        ]
        _insert_entries(conn, numbered)
        return numbered

    def number_in(
        self, conn: sqlite3.Connection, count: int, stations: Iterable[str]
    ) -> tuple[str, range, list[str]]:
        """The kiosk's id, and the numbers and clock readings of its next `count` entries,
        inside a transaction the caller holds; the entries' `stations` are remembered.
        """
        origin = self.kiosk_id()
        (last,) = conn.execute(
            "SELECT coalesce(max(seq), 0) FROM journal WHERE origin = ?", (origin,)
        ).fetchone()
        (hlc,) = conn.execute("SELECT max(hlc) FROM journal").fetchone()
        # The clock reads the machine's time, not the entry's `at`: a rehearsal or a
        # back-dated entry is still written after everything this kiosk has seen.
        now = datetime.now(UTC)
        hlcs: list[str] = []
        for _ in range(count):
            hlc = next_hlc(hlc, now)
            hlcs.append(hlc)
        for station in dict.fromkeys(stations):
            if station not in self._stations_added:
                _add_station(conn, station)
                self._stations_added.add(station)
        return origin, range(last + 1, last + 1 + count), hlcs

    def _append(self, conn: sqlite3.Connection, entry: JournalEntry) -> JournalEntry:
        return self.append_in(conn, [entry])[0]

    @_storage_errors
    def merge(self, entries: Iterable[JournalEntry]) -> MergeReport:
        """Add journal entries written elsewhere, unchanged, a chunk per transaction.

        Idempotent and order-free: an entry already here (by uuid) is skipped, and what the
        journal then derives (presence, walk-ins, event settings) depends only on which entries
        are stored. An entry that clashes with a stored one (same uuid, other content; or the
        same origin and number under another uuid: a copied database) is not stored and is
        reported. Each chunk commits on its own, so a check-in waits for one chunk at most,
        never for a whole exchange; a merge cut off after some chunks is finished by the next.
        """
        from kiosk.core.journal import MergeReport  # noqa: PLC0415 (sync only)

        added = known = 0
        conflicts: list[str] = []
        locale, now = self.event().locale, now_text()
        from kiosk.adapters.storage import imports  # noqa: PLC0415 (sync only)
        from kiosk.adapters.storage.records import apply_records  # noqa: PLC0415

        iterator = iter(entries)
        # The entries taken from `entries` but not merged yet: the one after a chunk (is there
        # one?), and the rest of a chunk that ended early.
        ahead = collections.deque(itertools.islice(iterator, 1))
        with imports.own_checkpoints(self), self.stepping():
            size = self.step_sizes.get("merge", _MERGE_CHUNK)
            while ahead:
                chunk = _take(ahead, iterator, size)
                if not ahead:
                    ahead.extend(itertools.islice(iterator, 1))
                began = time.monotonic()
                # The chunk's Python work (each entry's row, each record read and its search
                # text and sort key) before the write lock, which the desk may be waiting for.
                rows = [entry_values(entry) for entry in chunk]
                read, columns = _records_read(chunk, locale, now)
                # Every chunk but the last commits without waiting for the disk, as an
                # import's steps do: the wait was a third of the chunks that kept the desk
                # waiting over 100 ms (bench/soak.py). The last one is synced, and with it
                # every chunk before (a WAL's commits reach the disk in their order). A power
                # cut in between loses the last chunks whole, and nothing after them: no
                # check-in or chunk is durable before them. Their entries are still in the
                # other kiosks' files, which the next exchange reads again from their start (a
                # transport keeps how far it read in memory alone), and merging them again
                # adds them.
                wrote = False
                with imports.unsynced(self, synced=not ahead), self.transaction() as conn:
                    # In pieces, ending early when a check-in waits for the lock: the rest
                    # of the chunk is merged with the next.
                    done = 0
                    for piece in imports.pieces(chunk, size, _cost):
                        piece_rows = rows[done : done + len(piece)]
                        new, piece_known = self._merge_chunk(piece, piece_rows, conflicts)
                        known += piece_known
                        done += len(piece)
                        if new:
                            records = [e for e, _ in new if e.kind in _RECORD_KINDS]
                            apply_records(conn, records, locale, now, read, columns)
                            for station in dict.fromkeys(entry.station for entry, _ in new):
                                _add_station(conn, station)
                            conn.executemany(_INSERT_ENTRY, (values for _, values in new))
                            added += len(new)
                            wrote = True
                        if self.lock_waiters:
                            break
                ahead.extendleft(reversed(chunk[done:]))
                # The next chunk as large as lasts about as long as an import's step.
                cost = sum(map(_cost, chunk[:done]))
                size = imports.next_size(size, cost, time.monotonic() - began)
                self.step_sizes["merge"] = size
                if wrote:
                    imports.checkpoint(self)
                time.sleep(imports.STEP_PAUSE_S)  # a waiting check-in goes in here
        return MergeReport(added, known, tuple(conflicts))

    def _merge_chunk(
        self,
        chunk: Sequence[JournalEntry],
        rows: Sequence[tuple[Any, ...]],
        conflicts: list[str],
    ) -> tuple[list[tuple[JournalEntry, tuple[Any, ...]]], int]:
        """The entries of `chunk` to store, in order, with their columns (`rows`: each
        entry's `entry_values`), and how many are here already; the uuids of those that clash
        with a stored entry (or one earlier in the chunk) go to `conflicts`.

        Stored entries are compared as rows: an entry is the one stored when its columns are
        the stored ones (what it would be stored as), and only rows that differ are read as
        entries to compare (JSON data that reads back the same, written otherwise).
        """
        for entry in chunk:
            if not entry.origin or entry.seq < 1:
                raise ValueError(f"journal entry {entry.uuid} has no origin and number")
        by_uuid: dict[str, tuple[Any, ...]] = {}
        by_place: dict[tuple[str, int], tuple[Any, ...]] = {}
        conn = self._conn()

        def look_up(where: str, fixed: list[Any], values: Sequence[Any]) -> None:
            for row in conn.execute(
                f"SELECT {JOURNAL_COLUMNS} FROM journal WHERE {where} {LISTED}",
                [*fixed, listed(values)],
            ):
                by_uuid[row[0]] = by_place[row[1], row[2]] = row

        # By uuid; then the ones not found by origin and number (the unique key: one
        # statement per kiosk), which an entry found by uuid holds already or clashes with.
        look_up("uuid IN", [], [entry.uuid for entry in chunk])
        places: dict[str, list[int]] = {}
        for entry in chunk:
            if entry.uuid not in by_uuid:
                places.setdefault(entry.origin, []).append(entry.seq)
        for origin, seqs in places.items():
            look_up("origin = ? AND seq IN", [origin], seqs)
        new: list[tuple[JournalEntry, tuple[Any, ...]]] = []
        known = 0
        for entry, values in zip(chunk, rows, strict=True):
            found = by_uuid.get(entry.uuid) or by_place.get((entry.origin, entry.seq))
            if found is None:
                new.append((entry, values))
                by_uuid[entry.uuid] = by_place[entry.origin, entry.seq] = values
            elif found == values or _row_entry(found) == _row_entry(values):
                known += 1
            else:
                conflicts.append(entry.uuid)
        return new, known

    @_storage_errors
    def entries_since(self, origin: str, after_seq: int = 0) -> list[JournalEntry]:
        """The entries of kiosk `origin` numbered after `after_seq`, in their order (their
        data read when looked at: a transport looks at that of the entries it lacks alone).
        """
        cursor = self._conn().execute(
            f"SELECT {JOURNAL_COLUMNS} FROM journal WHERE origin = ? AND seq > ? ORDER BY seq",
            (origin, after_seq),
        )
        return [entry_from_values(row, lazy=True) for row in cursor]

    @_storage_errors
    def kiosks_heard(self) -> list[tuple[str, str, str, int]]:
        """(kiosk id, its latest station name, its newest clock reading, entries) for every
        kiosk whose entries are here, this one included, newest first.
        """
        rows = self._conn().execute(
            "SELECT j.origin, (SELECT station FROM journal s WHERE s.origin = j.origin "
            "ORDER BY s.seq DESC LIMIT 1), max(j.hlc), count(*) FROM journal j "
            "GROUP BY j.origin ORDER BY max(j.hlc) DESC"
        )
        return [(origin, station or "", hlc, count) for origin, station, hlc, count in rows]

    @_storage_errors
    def checkins(self, attendee_id: str, day: date) -> list[JournalEntry]:
        """The attendee's check-ins on `day` that no undo has cancelled, earliest first."""
        rows = self._rows(
            f"SELECT {JOURNAL_COLUMNS} FROM journal j WHERE j.attendee_id = ? AND j.day = ? "
            f"AND {ACTIVE_CHECKIN} ORDER BY {JOURNAL_ORDER}",
            (attendee_id, day.isoformat()),
        )
        return [entry_from_row(row) for row in rows]

    @_storage_errors
    def first_checkins(self, attendee_ids: Sequence[str], day: date) -> dict[str, JournalEntry]:
        """The earliest active check-in on `day` of each of these attendees who has one."""
        if not attendee_ids:
            return {}
        rows = self._rows(
            f"SELECT {JOURNAL_COLUMNS} FROM journal j WHERE j.attendee_id IN {LISTED} "
            f"AND j.day = ? AND {ACTIVE_CHECKIN} ORDER BY {JOURNAL_ORDER_DESC}",
            [listed(attendee_ids), day.isoformat()],
        )
        # Latest first, so that each attendee's earliest check-in is the one left standing.
        return {row["attendee_id"]: entry_from_row(row) for row in rows}

    @_storage_errors
    def attendee_journal(self, attendee_id: str) -> list[JournalEntry]:
        """Every entry about one attendee (records, check-ins, undos, prints), oldest first."""
        rows = self._rows(
            f"SELECT {JOURNAL_COLUMNS} FROM journal j "
            f"WHERE j.attendee_id = ? ORDER BY {JOURNAL_ORDER}",
            (attendee_id,),
        )
        return [entry_from_row(row) for row in rows]

    @_storage_errors
    def journal(self) -> list[JournalEntry]:
        """The whole journal, oldest first (ties by origin and number)."""
        rows = self._rows(f"SELECT {JOURNAL_COLUMNS} FROM journal j ORDER BY {JOURNAL_ORDER}")
        return [entry_from_row(row) for row in rows]

    @_storage_errors
    def count_checked_in(self, day: date) -> int:
        """How many attendees are checked in on `day` (undos applied)."""
        (count,) = (
            self._conn()
            .execute(
                f"SELECT count(DISTINCT j.attendee_id) FROM journal j WHERE j.day = ? "
                f"AND {ACTIVE_CHECKIN}",
                (day.isoformat(),),
            )
            .fetchone()
        )
        return int(count)

    @_storage_errors
    def checked_in_categories(self, day: date) -> dict[str, str]:
        """Attendee id -> category of everyone checked in on `day` (undos applied)."""
        rows = self._conn().execute(
            "SELECT DISTINCT j.attendee_id, coalesce(a.category, '') FROM journal j "
            f"LEFT JOIN attendees a ON a.id = j.attendee_id WHERE j.day = ? AND {ACTIVE_CHECKIN}",
            (day.isoformat(),),
        )
        return dict(rows.fetchall())

    @_storage_errors
    def count_registered(self) -> int:
        """How many attendees are active (not cancelled)."""
        (count,) = (
            self._conn()
            .execute("SELECT count(*) FROM attendees WHERE status = 'active'")
            .fetchone()
        )
        return int(count)

    @_storage_errors
    def presence(self) -> Iterable[tuple[str, date, str]]:
        """(attendee id, day, category) for each day an attendee is checked in, undos applied."""
        cursor = self._conn().execute(
            "SELECT DISTINCT j.attendee_id, j.day, coalesce(a.category, '') FROM journal j "
            f"LEFT JOIN attendees a ON a.id = j.attendee_id WHERE {ACTIVE_CHECKIN}"
        )
        return [(attendee_id, date.fromisoformat(day), cat) for attendee_id, day, cat in cursor]


def _sorted_matches(
    conn: sqlite3.Connection, match: str, code_prefix: str | None, limit: int
) -> list[int]:
    """The row numbers of a search's first `limit` matches by name, sorted in SQL."""
    found: list[tuple[str, int]] = []
    if match:
        found += conn.execute(
            "SELECT sort_key, num FROM attendees INDEXED BY attendees_num_sort WHERE num IN "
            "(SELECT rowid FROM attendees_fts WHERE attendees_fts MATCH ?) "
            "ORDER BY sort_key LIMIT ?",
            (match, limit),
        ).fetchall()
    if code_prefix:
        found += _code_matches(conn, code_prefix, limit)
    return [num for _, num in sorted(set(found))[:limit]]


def _all_matches(
    conn: sqlite3.Connection, match: str, code_prefix: str | None, limit: int
) -> set[int]:
    """The row numbers of every match of a search's words, and of up to `limit` codes."""
    found: set[int] = set()
    if match:
        rows = conn.execute("SELECT rowid FROM attendees_fts WHERE attendees_fts MATCH ?", (match,))
        found.update(num for (num,) in rows)
    if code_prefix:
        found.update(num for _, num in _code_matches(conn, code_prefix, limit))
    return found


def _code_matches(conn: sqlite3.Connection, code_prefix: str, limit: int) -> list[tuple[str, int]]:
    """(sort key, row number) of up to `limit` attendees with a code starting with
    `code_prefix`, ignoring ASCII case: any of them, not the first by name, so that a
    prefix of a digit or two does not sort most of the registry.
    """
    return conn.execute(
        "SELECT a.sort_key, a.num FROM codes c JOIN attendees a ON a.id = c.attendee_id "
        "WHERE c.code COLLATE NOCASE >= ? AND c.code COLLATE NOCASE < ? LIMIT ?",
        (code_prefix, code_prefix + "\U0010ffff", limit),
    ).fetchall()


def _cost(entry: JournalEntry) -> int:
    """What merging `entry` costs, in entries without a record (see `_MERGE_CHUNK`)."""
    return _RECORD_COST if entry.kind in _RECORD_KINDS else 1


def _records_read(
    chunk: Sequence[JournalEntry], locale: str, now: str
) -> tuple[dict[str, Attendee], dict[str, tuple[Any, ...]]]:
    """The attendee records the chunk's entries carry, and their columns as stored (but the
    versions), by entry uuid: what `apply_records` would make of them under the write lock.
    A record that does not read is left out; `apply_records` reports it.
    """
    from kiosk.adapters.storage.records import (  # noqa: PLC0415
        read_record,
        record_columns,
        record_source,
    )

    read: dict[str, Attendee] = {}
    columns: dict[str, tuple[Any, ...]] = {}
    for entry in chunk:
        if entry.kind not in _RECORD_KINDS:
            continue
        try:
            attendee = read_record(entry)
        except (KeyError, TypeError, ValueError):
            continue
        if attendee is None:
            continue
        read[entry.uuid] = attendee
        source = record_source(entry)
        columns[entry.uuid] = record_columns(attendee, locale=locale, source=source, now=now)
    return read, columns


def _take(
    ahead: collections.deque[JournalEntry], entries: Iterator[JournalEntry], size: int
) -> list[JournalEntry]:
    """The next entries, those `ahead` first, then of `entries`, up to a cost of `size` (at
    least one entry).
    """
    chunk: list[JournalEntry] = []
    cost = 0
    while cost < size:
        entry = ahead.popleft() if ahead else next(entries, None)
        if entry is None:
            break
        chunk.append(entry)
        cost += _cost(entry)
    return chunk


_INSERT_ENTRY = f"INSERT INTO journal ({JOURNAL_COLUMNS}) VALUES ({', '.join('?' * 12)})"


def _row_entry(row: tuple[Any, ...]) -> JournalEntry:
    """The entry a row of `JOURNAL_COLUMNS` (stored, or `entry_values`) reads back as."""
    return entry_from_values(row)


def _insert_entries(conn: sqlite3.Connection, entries: Iterable[JournalEntry]) -> None:
    conn.executemany(_INSERT_ENTRY, (entry_values(entry) for entry in entries))


def _add_station(conn: sqlite3.Connection, name: str) -> None:
    if not name:  # an entry made by no station (a test's import)
        return
    conn.execute(
        "INSERT OR IGNORE INTO stations (name, created_at) VALUES (?, ?)", (name, now_text())
    )


def _retired_keys(text: str) -> tuple[RetiredKey, ...]:
    """The event's retired keys from their column; most events never rotate theirs."""
    if text == "[]":
        return ()
    from kiosk.core.events import retired_keys_from_json  # noqa: PLC0415 (rotated events only)

    return retired_keys_from_json(json.loads(text))


def _retired_keys_text(keys: tuple[RetiredKey, ...]) -> str:
    if not keys:
        return "[]"
    from kiosk.core.events import retired_keys_json  # noqa: PLC0415 (rotated events only)

    return json.dumps(retired_keys_json(keys))
