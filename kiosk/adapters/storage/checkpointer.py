"""Copying the WAL into the database file on a thread of its own, off the check-in's commit."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from kiosk.adapters.storage.connection import connect

logger = logging.getLogger(__name__)

# How often the thread looks for commits to copy. A desk commits a few pages per check-in, so
# a second's worth is a small checkpoint, and the WAL never grows past what one second wrote.
INTERVAL_S = 1.0


class Checkpointer:
    """Checkpoints the WAL of the database at `path` about once a second after commits, on its
    own thread and connection.

    Left to SQLite alone, the commit that takes the WAL past 1,000 pages copies all of them
    into the database and waits for the disk: with six or seven pages per check-in, one
    check-in in about 150 took 20-30 ms (300 ms for the first into a large file). With a
    `Checkpointer`, `noted` commits are copied here within about a second, so at a desk's
    pace (a scan every few seconds) a commit finds the WAL copied and SQLite's own checkpoint
    never comes. The checkpoints are PASSIVE: they never wait for a reader or writer and never
    make one wait.

    SQLite's own checkpoint stays on as the safety net: only a complete checkpoint lets the
    next writer start the WAL again from its beginning, and under commits without a pause (a
    benchmark, a merge) this thread never catches the WAL complete. Without it the WAL grew
    by every commit (84 MB in 3,000 check-ins), and a commit that makes the file longer waits
    for more (each check-in's p50 +30 %). With it, that commit copies only what this thread
    has not.
    """

    def __init__(self, path: Path, interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._failing = False

    def noted(self) -> None:
        """A commit was made: it is copied within about `interval_s`."""
        self._dirty.set()
        if self._thread is None:
            self._start()

    def _start(self) -> None:
        with self._lock:
            if self._thread is not None or self._stop.is_set():
                return
            self._thread = threading.Thread(
                target=self._run, name=f"checkpoint {self.path.name}", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """Copy what is still only in the WAL, and end the thread."""
        with self._lock:
            self._stop.set()
            thread = self._thread
        if thread is not None:
            thread.join()

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while True:
                stopping = self._stop.wait(self.interval_s)
                # At the end always: a write made outside `SqliteStore.transaction` (none is
                # known) would otherwise stay in the WAL until the next kiosk opens the file.
                if stopping or self._dirty.is_set():
                    self._dirty.clear()
                    conn = conn or self._connect()
                    if conn is not None:
                        self._checkpoint(conn)
                if stopping:
                    return
        finally:
            if conn is not None:
                conn.close()

    def _connect(self) -> sqlite3.Connection | None:
        try:
            return connect(self.path)
        except sqlite3.Error as error:
            self._failed(error)
            return None

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        # A failed checkpoint loses nothing: the pages stay in the WAL, and SQLite reads them
        # there; the next one copies them. A read-only or full disk is told once, not each time.
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except sqlite3.Error as error:
            self._failed(error)
            return
        if self._failing:
            self._failing = False
            logger.info("checkpoints of %s work again", self.path.name)

    def _failed(self, error: sqlite3.Error) -> None:
        if not self._failing:
            self._failing = True
            logger.warning("cannot checkpoint %s for now: %s", self.path.name, error)
