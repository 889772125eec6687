"""`PrintQueueStore`: the kiosk's badge print jobs in SQL (migration 0004), beside the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.adapters.storage.connection import storage_errors
from kiosk.adapters.storage.rows import utc_text
from kiosk.core.errors import StorageError
from kiosk.core.printing import JobState, PrintHistory, PrintJob, PrintReason

if TYPE_CHECKING:
    from kiosk.adapters.storage.store import SqliteStore

_COLUMNS = (
    "id, attendee_id, layout, copies, state, attempts, last_error, cups_job, printer, reason, "
    "station, rehearsal, self_service, next_at, created_at, updated_at"
)
_PENDING = "state IN ('queued', 'printing')"


def _job(row: sqlite3.Row | tuple[Any, ...]) -> PrintJob:
    (
        job_id,
        attendee_id,
        layout,
        copies,
        state,
        attempts,
        last_error,
        cups_job,
        printer,
        reason,
        station,
        rehearsal,
        self_service,
        next_at,
        created_at,
        updated_at,
    ) = row
    return PrintJob(
        id=job_id,
        attendee_id=attendee_id,
        layout=layout,
        copies=copies,
        state=JobState(state),
        attempts=attempts,
        last_error=last_error,
        cups_job=cups_job,
        printer=printer,
        reason=PrintReason(reason),
        station=station,
        rehearsal=bool(rehearsal),
        self_service=bool(self_service),
        next_at=datetime.fromisoformat(next_at),
        created_at=datetime.fromisoformat(created_at),
        updated_at=datetime.fromisoformat(updated_at),
    )


class PrintQueueStore:
    """The print queue of one kiosk database.

    Every change is one short write transaction of the store's (`transaction()`: the calling
    thread's connection, BEGIN IMMEDIATE), so the desk's GUI thread and a print worker never
    wait on each other for longer than a row's update, and two workers (threads or processes on
    one file) never take the same job. Nothing here waits for a printer.
    """

    def __init__(self, store: SqliteStore) -> None:
        self.store = store

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[PrintJob]:
        with storage_errors(self.store.path):
            rows = self.store.connection().execute(sql, tuple(params)).fetchall()
        return [_job(row) for row in rows]

    def _one(self, conn: sqlite3.Connection, job_id: int) -> PrintJob | None:
        row = conn.execute(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def add(
        self,
        attendee_id: str,
        layout: str,
        *,
        now: datetime,
        copies: int = 1,
        reason: PrintReason = PrintReason.CHECKIN,
        station: str = "",
        printer: str = "",
        rehearsal: bool = False,
        self_service: bool = False,
    ) -> tuple[PrintJob, bool]:
        """Queue a badge, unless one for the same attendee and layout is still pending; returns
        the job and whether it is new. The look and the insert are one transaction, so a double
        tap (or two desks on one file) queues one badge.
        """
        stamp = utc_text(now)
        with self.store.transaction() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM print_jobs WHERE attendee_id = ? AND layout = ? "
                f"AND {_PENDING} ORDER BY id LIMIT 1",
                (attendee_id, layout),
            ).fetchone()
            if row is not None:
                return _job(row), False
            cursor = conn.execute(
                "INSERT INTO print_jobs (attendee_id, layout, copies, printer, reason, station, "
                "rehearsal, self_service, next_at, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attendee_id,
                    layout,
                    copies,
                    printer,
                    str(reason),
                    station,
                    int(rehearsal),
                    int(self_service),
                    stamp,
                    stamp,
                    stamp,
                ),
            )
            job = self._one(conn, int(cursor.lastrowid or 0))
        if job is None:  # cannot happen: inserted in this very transaction
            raise StorageError(f"database {self.store.path}: the new print job is missing")
        return job, True

    def due(self, now: datetime, lease: timedelta) -> bool:
        """True when `claim` would find a job: one cheap read, so an idle worker's look costs
        the printer nothing.
        """
        with storage_errors(self.store.path):
            row = (
                self.store.connection()
                .execute(
                    "SELECT 1 FROM print_jobs WHERE (state = 'queued' AND next_at <= ?) OR "
                    "(state = 'printing' AND cups_job IS NULL AND claimed_at < ?) LIMIT 1",
                    (utc_text(now), utc_text(now - lease)),
                )
                .fetchone()
            )
        return row is not None

    def claim(self, now: datetime, lease: timedelta) -> PrintJob | None:
        """Take the oldest job that is due, marking it `printing`; None when none is due.

        A job a worker took and never handed to CUPS (the process died) is taken back into the
        queue once `lease` has passed.
        """
        stamp = utc_text(now)
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE print_jobs SET state = 'queued', claimed_at = NULL, updated_at = ? "
                "WHERE state = 'printing' AND cups_job IS NULL AND claimed_at < ?",
                (stamp, utc_text(now - lease)),
            )
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM print_jobs WHERE state = 'queued' AND next_at <= ? "
                "ORDER BY id LIMIT 1",
                (stamp,),
            ).fetchone()
            if row is None:
                return None
            job = _job(row)
            conn.execute(
                "UPDATE print_jobs SET state = 'printing', claimed_at = ?, updated_at = ? "
                "WHERE id = ?",
                (stamp, stamp, job.id),
            )
            return self._one(conn, job.id)

    def sent(self, job_id: int, cups_job: str, printer: str, now: datetime) -> None:
        """CUPS accepted the job as `cups_job` on `printer`."""
        stamp = utc_text(now)
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE print_jobs SET cups_job = ?, printer = ?, last_error = '', "
                "updated_at = ? WHERE id = ?",
                (cups_job, printer, stamp, job_id),
            )

    def done(self, job_id: int, now: datetime) -> None:
        """CUPS finished the job. Call it inside the transaction that journals the print."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE print_jobs SET state = 'done', updated_at = ? WHERE id = ?",
                (utc_text(now), job_id),
            )

    def attempt_failed(
        self, job_id: int, error: str, now: datetime, retry_at: datetime | None
    ) -> PrintJob | None:
        """Count a failed attempt: back in the queue until `retry_at`, or `failed` when None."""
        stamp = utc_text(now)
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE print_jobs SET attempts = attempts + 1, last_error = ?, cups_job = NULL, "
                "claimed_at = NULL, state = ?, next_at = ?, updated_at = ? WHERE id = ?",
                (
                    error,
                    str(JobState.QUEUED if retry_at else JobState.FAILED),
                    utc_text(retry_at) if retry_at else stamp,
                    stamp,
                    job_id,
                ),
            )
            return self._one(conn, job_id)

    def release(self, job_id: int, note: str, now: datetime) -> None:
        """Put a taken job back in the queue as it was, no attempt counted (a stopped printer)."""
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE print_jobs SET state = 'queued', cups_job = NULL, claimed_at = NULL, "
                "last_error = ?, updated_at = ? WHERE id = ?",
                (note, utc_text(now), job_id),
            )

    def retry(self, job_id: int, now: datetime) -> PrintJob | None:
        """Send a failed or waiting job again now, with its attempts counted from zero; a job
        CUPS holds or finished is left as it is. Returns the job, None when there is none.
        """
        stamp = utc_text(now)
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE print_jobs SET state = 'queued', attempts = 0, last_error = '', "
                "next_at = ?, claimed_at = NULL, updated_at = ? "
                "WHERE id = ? AND state IN ('failed', 'queued')",
                (stamp, stamp, job_id),
            )
            return self._one(conn, job_id)

    def retry_failed(self, now: datetime) -> int:
        """`retry` every failed job; returns how many."""
        stamp = utc_text(now)
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "UPDATE print_jobs SET state = 'queued', attempts = 0, last_error = '', "
                "next_at = ?, claimed_at = NULL, updated_at = ? WHERE state = 'failed'",
                (stamp, stamp),
            )
            return cursor.rowcount

    def job(self, job_id: int) -> PrintJob | None:
        """The job with this id, or None."""
        found = self._read(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", (job_id,))
        return found[0] if found else None

    def jobs(self, states: Iterable[JobState] = (), limit: int = 100) -> list[PrintJob]:
        """The newest jobs (in `states`, when given), newest first."""
        wanted = [str(state) for state in states]
        where = f"WHERE state IN ({','.join('?' * len(wanted))})" if wanted else ""
        return self._read(
            f"SELECT {_COLUMNS} FROM print_jobs {where} ORDER BY id DESC LIMIT ?",
            [*wanted, limit],
        )

    def in_cups(self) -> list[PrintJob]:
        """Jobs CUPS accepted and has not been seen to finish, oldest first."""
        return self._read(
            f"SELECT {_COLUMNS} FROM print_jobs WHERE state = 'printing' AND cups_job IS NOT NULL "
            "ORDER BY id"
        )

    def next_at(self) -> datetime | None:
        """When the next queued job falls due (it may be now or past); None when none waits."""
        with storage_errors(self.store.path):
            (text,) = (
                self.store.connection()
                .execute("SELECT min(next_at) FROM print_jobs WHERE state = 'queued'")
                .fetchone()
            )
        return datetime.fromisoformat(text) if text else None

    def counts(self) -> dict[JobState, int]:
        """How many jobs are in each state (every state named, zero included)."""
        with storage_errors(self.store.path):
            rows = (
                self.store.connection()
                .execute("SELECT state, count(*) FROM print_jobs GROUP BY state")
                .fetchall()
            )
        found = {JobState(state): count for state, count in rows}
        return {state: found.get(state, 0) for state in JobState}

    def history(self, attendee_id: str) -> PrintHistory:
        """The attendee's badges: printed (from the journal, so prints at every synced kiosk
        count), self-service reprints done or pending, and a job still pending here.
        """
        with storage_errors(self.store.path):
            conn = self.store.connection()
            printed, rehearsed, self_served = conn.execute(
                "SELECT "
                "coalesce(sum(coalesce(json_extract(data, '$.rehearsal'), 0) = 0), 0), "
                "coalesce(sum(coalesce(json_extract(data, '$.rehearsal'), 0) != 0), 0), "
                "coalesce(sum(json_extract(data, '$.reason') = 'reprint' "
                "AND coalesce(json_extract(data, '$.self_service'), 0) != 0), 0) "
                "FROM journal WHERE kind = 'print' AND attendee_id = ?",
                (attendee_id,),
            ).fetchone()
            (pending_self_served,) = conn.execute(
                f"SELECT count(*) FROM print_jobs WHERE attendee_id = ? AND {_PENDING} "
                "AND reason = 'reprint' AND self_service = 1",
                (attendee_id,),
            ).fetchone()
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM print_jobs WHERE attendee_id = ? AND {_PENDING} "
                "ORDER BY id LIMIT 1",
                (attendee_id,),
            ).fetchone()
        return PrintHistory(
            printed=int(printed),
            rehearsal_printed=int(rehearsed),
            self_service_reprints=int(self_served) + int(pending_self_served),
            pending=_job(row) if row else None,
        )
