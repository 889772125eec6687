"""Opening a kiosk database: pragmas, WAL, migrations, and SQLite's errors in kiosk's words."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from kiosk.adapters.faults import sqlite_fault
from kiosk.core.errors import StorageError

MIGRATION_SET = "kiosk"
# How long a connection waits for another's write transaction before giving up. The GUI thread
# waits no longer than this for a lock: writers hold it for one short transaction each.
BUSY_TIMEOUT_MS = 5000
# While waiting for the write lock, look again this often. SQLite's own busy handler sleeps up
# to 100 ms between looks, so a writer that pauses only briefly between its steps (a large
# import) would keep the lock from a waiting check-in for its whole run.
_LOCK_POLL_S = 0.001
# A waiter touches the signal file this often while it waits, and a long writer takes a touch
# this recent for someone waiting now (a file's time has a few milliseconds' resolution).
SIGNAL_EVERY_S = 0.01
SIGNAL_FRESH_S = 0.03


@contextmanager
def storage_errors(path: Path | str) -> Iterator[None]:
    """Turn SQLite's errors inside the block into a `StorageError` that names the database."""
    try:
        yield
    except sqlite3.Error as error:
        raise sqlite_fault(path, error) from error


def check_database_file(path: Path, *, may_create: bool) -> None:
    """Refuse (`StorageError`) a file at `path` that is not a database kiosk may open: one that
    is not SQLite (a text file, a PDF given as --db by mistake) and, unless `may_create` (init,
    demo), an empty one, which SQLite would silently turn into a new database. A missing file
    is left to the caller.
    """
    if path.is_dir():
        raise StorageError(f"database {path}: is a folder, not a database file")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as error:
        raise StorageError(f"database {path}: cannot read it: {error.strerror}") from error
    if size == 0:
        # A database in WAL mode may be all in its -wal file until the first checkpoint.
        wal = Path(f"{path}-wal")
        if may_create or (wal.exists() and wal.stat().st_size > 0):
            return
        raise StorageError(
            f"database {path}: the file is empty (0 bytes), not a kiosk database; "
            "give the right --db, or run 'kiosk init' or 'kiosk demo' to make one there"
        )
    if not os.access(path, os.R_OK):
        raise StorageError(f"database {path}: cannot read it: {os.strerror(errno.EACCES)}")
    if not is_sqlite_database(path):
        raise StorageError(
            f"database {path}: not a kiosk database (not an SQLite file); give the right --db"
        )


def is_sqlite_database(path: Path) -> bool:
    """False when SQLite says the file at `path` is not a database; True otherwise (a
    database, or one SQLite cannot open now, which opening it for real then reports).

    Asked of SQLite rather than read from the file's first bytes: closing any descriptor of a
    file drops every POSIX lock this process holds on it, SQLite's among them. Another process
    closing its connection then took itself for the last one, checkpointed and reset the WAL,
    and this process's connections went on reading the file as it was: a second store on the
    same file in one process never saw an undo made by `kiosk undo`. SQLite keeps its own
    descriptors of a file open until its last connection to it closes.
    """
    try:
        conn = read_only(path)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        return error.sqlite_errorname != "SQLITE_NOTADB"
    return True


def read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at `path` (a backup's source, a check). Opened
    by a file: URI, which the path goes into escaped: a folder named "Akce #2" or "100%" is
    read as named, not cut at the "#" nor decoded.
    """
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around the block (unless the connection is in one already): each
    statement in it reads the file as the first one did, whatever other connections commit.
    """
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection to the kiosk database at `path`: WAL, synchronous=FULL, foreign keys on.

    `isolation_level=None`: no hidden transactions; every write block says BEGIN itself.
    `check_same_thread=False` only so that the store can close every thread's connection when
    it closes; each connection is used by the one thread that opened it.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _use_wal(conn)
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


class LockWaiters:
    """Who is waiting for a database's write lock: this process's threads, counted, and
    other processes, seen by the signal file beside the database (`WAIT_SIGNAL`) that every
    waiter touches while it waits. A long writer (an import, a merge) that looks at it
    between the pieces of its steps ends its transaction as soon as a check-in waits,
    instead of at the step's end.
    """

    def __init__(self, signal: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._count = 0
        self._signal = signal
        self._touched = -SIGNAL_EVERY_S

    def __bool__(self) -> bool:
        if self._count > 0:
            return True
        if self._signal is None:
            return False
        try:
            touched = os.stat(self._signal).st_mtime
        except OSError:
            return False
        # Either way: a clock set back leaves a touch "in the future" for a while.
        return abs(time.time() - touched) < SIGNAL_FRESH_S

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Count the calling thread as waiting inside the block (and say so to other
        processes: `still_waiting`).
        """
        with self._lock:
            self._count += 1
        try:
            self.still_waiting()
            yield
        finally:
            with self._lock:
                self._count -= 1

    def still_waiting(self) -> None:
        """Touch the signal file, at most every `SIGNAL_EVERY_S`: as long as it is fresh,
        other processes' long writers see someone waiting.
        """
        now = time.monotonic()
        if self._signal is None or now - self._touched < SIGNAL_EVERY_S:
            return
        self._touched = now
        try:
            self._signal.touch(mode=0o600)
        except OSError:
            # A read-only folder: other processes' steps are not cut short, and the wait
            # lasts a whole step, as before there was a signal.
            self._signal = None


def begin_immediate(conn: sqlite3.Connection, waiters: LockWaiters | None = None) -> None:
    """BEGIN IMMEDIATE, waiting up to `BUSY_TIMEOUT_MS` for the write lock, looking every
    millisecond, so it is taken in the first pause of whoever holds it; counted among
    `waiters` while it waits.
    """
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        if _try_begin(conn):
            return
        with waiters.waiting() if waiters is not None else nullcontext():
            deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
            while True:
                time.sleep(_LOCK_POLL_S)
                if _try_begin(conn, give_up=time.monotonic() > deadline):
                    return
                if waiters is not None:
                    waiters.still_waiting()
    finally:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _try_begin(conn: sqlite3.Connection, *, give_up: bool = False) -> bool:
    """BEGIN IMMEDIATE once: True when it began, False when another holds the write lock
    (raised when `give_up`).
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        text = str(error)
        if ("locked" not in text and "busy" not in text) or give_up:
            raise
        return False
    return True


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


def migration_files() -> list[Path]:
    """The numbered SQL migrations, in order; a `StorageError` when none can be found."""
    from kiosk.adapters import resources  # noqa: PLC0415 (only when a file needs migrating)

    try:
        return resources.migration_files()
    except resources.MissingResourcesError as error:
        raise StorageError(f"{error}; reinstall kiosk") from error


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the migrations this file lacks, with sqlite-utils' `Migrations`.

    The caller holds the write lock, so kiosks opening a new file together apply each
    migration once; sqlite-utils' own steps nest inside as savepoints.
    """
    import sqlite_utils  # noqa: PLC0415 (only when the file needs a look at its migrations)
    from sqlite_utils.migrations import Migrations  # noqa: PLC0415

    migrations = Migrations(MIGRATION_SET)
    for path in migration_files():
        sql = path.read_text(encoding="utf-8")

        def apply(db: sqlite_utils.Database, sql: str = sql) -> None:
            for statement in statements(sql):
                db.conn.execute(statement)

        migrations(name=path.stem)(apply)
    migrations.apply(sqlite_utils.Database(conn))


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations applied to this file, in order."""
    import sqlite_utils  # noqa: PLC0415
    from sqlite_utils.migrations import Migrations  # noqa: PLC0415

    db = sqlite_utils.Database(conn)
    return [migration.name for migration in Migrations(MIGRATION_SET).applied(db)]


def _migration_names() -> set[str]:
    """The migrations' names, from a bare listing of their folder: `importlib.resources` and
    sqlite-utils cost a command-line check-in more than the rest of its work.
    """
    import kiosk.db  # noqa: PLC0415 (a package with nothing in it but these files)

    names: set[str] = set()
    for folder in kiosk.db.__path__:
        try:
            listing = os.listdir(os.path.join(folder, "migrations"))
        except OSError:
            continue
        names.update(
            name[: -len(".sql")]
            for name in listing
            if name.endswith(".sql") and name[:4].isdigit() and name[4:5] == "_"
        )
    return names


def pending_migrations(conn: sqlite3.Connection) -> bool:
    """True when the file lacks one of the migrations: one query and a folder listing."""
    try:
        rows = conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
        ).fetchall()
    except sqlite3.OperationalError:
        return True  # no migrations table yet: a new file
    names = _migration_names()
    # No names found: the installation is broken, and migrate() says so.
    return not names or not names <= {name for (name,) in rows}


def statements(sql: str) -> Iterator[str]:
    """Split a script into statements; executescript() would commit the migration's transaction."""
    pending = ""
    for line in sql.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                yield pending
            pending = ""
    if re.sub(r"--[^\n]*", "", pending).strip():  # anything but trailing comments
        raise StorageError(f"incomplete SQL statement at the end of a migration: {pending!r}")
