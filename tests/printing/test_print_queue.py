"""The print queue in SQLite: its migration, one job per badge, and workers that never collide."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.adapters.storage import ChangeFeed, SqliteStore
from kiosk.adapters.storage.print_queue import PrintQueueStore
from kiosk.core.model import EntryKind, JournalEntry, new_entry_uuid
from kiosk.core.printing import JobState, PrintReason
from tests.conftest import DAY1, person, prague

NOW = datetime(2026, 1, 1, 9, tzinfo=UTC)
LEASE = timedelta(seconds=120)


def test_the_migration_applies_to_a_database_with_data_and_keeps_it(filled: SqliteStore) -> None:
    """A file made before the print queue existed gets it, and loses nothing."""
    attendees = filled.attendees()
    journal = filled.journal()
    conn = filled.connection()
    # Make the file as it was before migration 0004.
    with filled.transaction():
        for trigger in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER print_jobs_changed_{trigger}")
        conn.execute("DROP TABLE print_jobs")
        conn.execute("DELETE FROM changes WHERE topic = 'prints'")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_print_queue'")
    path = filled.path
    filled.close()
    with SqliteStore(path) as reopened:
        assert reopened.applied_migrations()[-1] == "0004_print_queue"
        assert reopened.attendees() == attendees
        assert reopened.journal() == journal
        job, new = PrintQueueStore(reopened).add(attendees[0].id, "a6", now=NOW)
        assert new and job.state is JobState.QUEUED


def test_a_badge_is_queued_once_while_it_is_pending(filled: SqliteStore) -> None:
    queue = PrintQueueStore(filled)
    kuhr = person(filled, "Kühr").id
    first, new = queue.add(kuhr, "a6", now=NOW, station="Desk A", printer="KIOSK-PDF")
    assert new
    assert (first.state, first.attempts, first.printer, first.station) == (
        JobState.QUEUED,
        0,
        "KIOSK-PDF",
        "Desk A",
    )
    again, new = queue.add(kuhr, "a6", now=NOW, reason=PrintReason.REPRINT)
    assert (again.id, new) == (first.id, False)
    other_layout, new = queue.add(kuhr, "a7", now=NOW)
    assert new and other_layout.id != first.id
    taken = queue.claim(NOW, LEASE)
    assert taken is not None and taken.id == first.id and taken.state is JobState.PRINTING
    queue.sent(first.id, "KIOSK-PDF-1", "KIOSK-PDF", NOW)
    assert queue.add(kuhr, "a6", now=NOW)[1] is False  # CUPS has it: still on its way
    queue.done(first.id, NOW)
    assert queue.add(kuhr, "a6", now=NOW)[1] is True  # printed: a new badge is a new job


def test_jobs_are_taken_oldest_first_when_due_and_never_twice(filled: SqliteStore) -> None:
    queue = PrintQueueStore(filled)
    ids = [queue.add(a.id, "a6", now=NOW)[0].id for a in filled.attendees()]
    queue.attempt_failed(ids[0], "no paper", NOW, NOW + timedelta(seconds=4))
    assert queue.next_at() == NOW
    # The first waits out its retry delay; the others go in order.
    taken: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            while (job := queue.claim(NOW, LEASE)) is not None:
                taken.append(job.id)
        except BaseException as error:
            errors.append(error)

    # Two workers, each with its own connection, race for the jobs.
    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(taken) == ids[1:]
    assert queue.next_at() == NOW + timedelta(seconds=4)
    later = queue.claim(NOW + timedelta(seconds=4), LEASE)
    assert later is not None and later.id == ids[0] and later.attempts == 1


def test_a_job_taken_and_never_sent_goes_back_after_the_lease(filled: SqliteStore) -> None:
    queue = PrintQueueStore(filled)
    job, _ = queue.add(person(filled, "Kühr").id, "a6", now=NOW)
    assert queue.claim(NOW, LEASE) is not None  # the worker dies here
    assert not queue.due(NOW + LEASE - timedelta(seconds=1), LEASE)
    assert queue.due(NOW + LEASE + timedelta(seconds=1), LEASE)
    again = queue.claim(NOW + LEASE + timedelta(seconds=1), LEASE)
    assert again is not None and again.id == job.id and again.attempts == 0
    # One CUPS accepted is never taken back: CUPS will print it.
    queue.sent(job.id, "KIOSK-PDF-9", "KIOSK-PDF", NOW)
    assert not queue.due(NOW + 10 * LEASE, LEASE)
    assert [j.id for j in queue.in_cups()] == [job.id]


def test_failed_jobs_wait_for_staff_and_retry_starts_their_attempts_again(
    filled: SqliteStore,
) -> None:
    queue = PrintQueueStore(filled)
    job, _ = queue.add(person(filled, "Kühr").id, "a6", now=NOW)
    queue.claim(NOW, LEASE)
    failed = queue.attempt_failed(job.id, "no such queue", NOW, None)
    assert failed is not None and (failed.state, failed.attempts) == (JobState.FAILED, 1)
    assert failed.last_error == "no such queue"
    assert not queue.due(NOW + timedelta(days=1), LEASE)
    assert queue.counts() == {
        JobState.QUEUED: 0,
        JobState.PRINTING: 0,
        JobState.DONE: 0,
        JobState.FAILED: 1,
    }
    assert queue.retry_failed(NOW) == 1
    retried = queue.job(job.id)
    assert retried is not None and (retried.state, retried.attempts) == (JobState.QUEUED, 0)
    assert queue.retry(12345, NOW) is None


def test_history_counts_prints_from_the_journal_and_pending_self_service_reprints(
    filled: SqliteStore,
) -> None:
    queue = PrintQueueStore(filled)
    kuhr = person(filled, "Kühr")

    def printed(**data: object) -> None:
        filled.append(
            JournalEntry(
                uuid=new_entry_uuid(),
                kind=EntryKind.PRINT,
                station="Desk A",
                at=prague(DAY1, 9),
                day=DAY1,
                attendee_id=kuhr.id,
                data={"layout": "a6", "printer": "P", "job": "P-1", **data},
            )
        )

    assert queue.history(kuhr.id).printed == 0
    printed(reason="checkin")
    printed(reason="checkin", rehearsal=True)
    printed(reason="reprint", self_service=True)
    job, _ = queue.add(kuhr.id, "a6", now=NOW, reason=PrintReason.REPRINT, self_service=True)
    history = queue.history(kuhr.id)
    assert (history.printed, history.rehearsal_printed, history.self_service_reprints) == (2, 1, 2)
    assert history.pending is not None and history.pending.id == job.id


def test_a_change_to_the_queue_moves_the_change_feed_without_upsetting_it(
    filled: SqliteStore, db_path: Path
) -> None:
    feed = ChangeFeed(db_path)
    try:
        PrintQueueStore(filled).add(person(filled, "Kühr").id, "a6", now=NOW)
        # The feed knows no "prints" topic yet: it sees a commit and names nothing it shows.
        assert feed.poll().topics == frozenset()
        (version,) = (
            filled.connection()
            .execute("SELECT version FROM changes WHERE topic = 'prints'")
            .fetchone()
        )
        assert version == 1
    finally:
        feed.close()
