"""After the event: every name, e-mail, organisation and code gone; anonymous counts kept."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.core.model import new_attendee_id

if TYPE_CHECKING:
    import sqlite3

    from kiosk.adapters.storage.store import SqliteStore

# The triggers that keep the journal append-only; a purge is the one write that may change it.
_JOURNAL_GUARDS = ("journal_no_update", "journal_no_delete")
# What a journal entry's attendee record keeps: enough for the counts, nothing about a person.
_KEPT_RECORD = (
    "json_object('category', json_extract(data, '$.attendee.category'), "
    "'status', json_extract(data, '$.attendee.status'))"
)
_COUNTS = {
    "attendees": "SELECT count(*) FROM attendees WHERE first_name != '' OR last_name != '' "
    "OR organisation != '' OR email != '' OR country != '' OR registration_id IS NOT NULL "
    "OR extra != '{}'",
    "codes": "SELECT count(*) FROM codes",
    "journal_entries": "SELECT count(*) FROM journal WHERE code IS NOT NULL "
    "OR (json_type(data, '$.attendee') = 'object' "
    f"AND json(json_extract(data, '$.attendee')) != json({_KEPT_RECORD}))",
    "print_jobs": "SELECT count(*) FROM print_jobs",
    "imports": "SELECT count(*) FROM imports",
}


def personal_data(store: SqliteStore) -> dict[str, int]:
    """How many rows of each kind hold personal data (what a purge would change)."""
    conn = store.connection()
    return {name: int(conn.execute(sql).fetchone()[0]) for name, sql in _COUNTS.items()}


def purge(store: SqliteStore) -> bool:
    """Remove the personal data from the database in one transaction, then rewrite the file
    (VACUUM) and empty its WAL, so no freed page keeps a copy. Attendees stay as anonymous
    rows (a new random id, category, status, days) and check-ins keep their day and time,
    so the counts per day and category stay as they were. True when the WAL could be emptied
    (another process reading the file keeps it from being).
    """
    conn = store.connection()
    conn.execute("PRAGMA secure_delete = ON")
    try:
        with store.transaction():
            _purge_rows(conn)
        conn.execute("VACUUM")
        (busy, _, _) = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.execute("PRAGMA secure_delete = OFF")
    return not busy


def _purge_rows(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM print_jobs")
    conn.execute("DELETE FROM outputs")  # the files are removed (or reported) by then
    conn.execute("DELETE FROM import_stage")
    conn.execute("DELETE FROM imports")
    conn.execute("DELETE FROM codes")
    # Ids of imported attendees are derived from their registration: new random ones cannot
    # be traced back to anyone.
    conn.execute("CREATE TEMP TABLE purge_ids (old TEXT PRIMARY KEY, new TEXT NOT NULL)")
    try:
        olds = {row[0] for row in conn.execute("SELECT id FROM attendees")}
        olds |= {
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT attendee_id FROM journal WHERE attendee_id IS NOT NULL"
            )
        }
        conn.executemany(
            "INSERT INTO purge_ids (old, new) VALUES (?, ?)",
            [(old, new_attendee_id()) for old in olds],
        )
        conn.execute(
            "UPDATE attendees SET id = (SELECT new FROM purge_ids WHERE old = attendees.id), "
            "registration_id = NULL, first_name = '', last_name = '', organisation = '', "
            "country = '', email = '', extra = '{}', search_text = '', sort_key = ''"
        )
        guards = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal' "
            f"AND name IN ({','.join('?' * len(_JOURNAL_GUARDS))})",
            _JOURNAL_GUARDS,
        ).fetchall()
        for name, _ in guards:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(
            "UPDATE journal SET code = NULL, "
            "attendee_id = (SELECT new FROM purge_ids WHERE old = journal.attendee_id), "
            "data = CASE WHEN json_type(data, '$.attendee') = 'object' "
            f"THEN json_set(data, '$.attendee', {_KEPT_RECORD}) ELSE data END"
        )
        for _, sql in guards:
            conn.execute(sql)
    finally:
        conn.execute("DROP TABLE temp.purge_ids")
    # The full-text index keeps its own copy of every word: built again from the blank text.
    conn.execute("INSERT INTO attendees_fts (attendees_fts) VALUES ('rebuild')")
