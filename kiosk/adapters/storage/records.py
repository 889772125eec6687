"""Attendee records in SQL: written by imports and walk-ins, and by entries merged from kiosks."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kiosk.adapters.storage.rows import LISTED, listed, version_of
from kiosk.core.model import Attendee, CodeKind, EntryKind, JournalEntry
from kiosk.core.redact import mask_code, redact
from kiosk.core.text import name_sort_key, search_text

logger = logging.getLogger(__name__)
# What a badge shows: a change to any of these asks for a reprint once a badge was printed.
_BADGE_FIELDS = ("first_name", "last_name", "organisation", "category")
_ATTENDEE_COLUMNS = (
    "id, registration_id, first_name, last_name, organisation, country, email, category, "
    "status, days, extra, source, search_text, sort_key, updated_at, version, badge_version"
)
_UPSERT = (
    "ON CONFLICT (id) DO UPDATE SET registration_id = excluded.registration_id, "
    "first_name = excluded.first_name, last_name = excluded.last_name, "
    "organisation = excluded.organisation, country = excluded.country, "
    "email = excluded.email, category = excluded.category, status = excluded.status, "
    "days = excluded.days, extra = excluded.extra, search_text = excluded.search_text, "
    "sort_key = excluded.sort_key, updated_at = excluded.updated_at, "
    "version = excluded.version, badge_version = excluded.badge_version"
)
_ROW_VALUES = len(_ATTENDEE_COLUMNS.split(", "))
# Attendees written by one statement: the full-text index takes a statement's rows at once
# (it writes its pending terms at every statement's start), so many rows per statement keep
# it from writing a tiny segment per attendee; 17 values a row stay far below SQLite's limit
# of bound values.
_ROWS_PER_STATEMENT = 200
# A statement's rows are padded with empty rows (skipped) up to one of these counts: each count
# is one SQL text, prepared once per connection and kept in Python's statement cache. One text
# per count of rows left the cache holding up to 128 of them (up to 440 KB each), 10 MB on
# each connection by the end of a day's syncs and imports (bench/soak.py).
_ROW_COUNTS = (1, 10, 50, _ROWS_PER_STATEMENT)
_EMPTY_ROW = (None,) * _ROW_VALUES


def _insert_sql(rows: int) -> str:
    marks = "(" + ", ".join("?" * _ROW_VALUES) + ")"
    return (
        f"INSERT INTO attendees ({_ATTENDEE_COLUMNS}) SELECT * FROM "
        f"(VALUES {', '.join([marks] * rows)}) WHERE column1 IS NOT NULL {_UPSERT}"
    )


_INSERTS = {rows: _insert_sql(rows) for rows in _ROW_COUNTS}


def apply_record(conn: sqlite3.Connection, entry: JournalEntry, locale: str, now: str) -> bool:
    """Make the attendee record `entry` carries (a registration, a desk's correction or a
    walk-in) the stored one, when it is newer than the stored one's; True when it was written.

    Newest by the entries' clock, then kiosk, then number: every kiosk that holds the same
    entries ends with the same records, whatever order they came in.
    """
    return apply_records(conn, [entry], locale, now) == 1


def apply_records(  # noqa: PLR0917 (tests stand in for it, passing its arguments on)
    conn: sqlite3.Connection,
    entries: Sequence[JournalEntry],
    locale: str,
    now: str,
    read: Mapping[str, Attendee] | None = None,
    columns: Mapping[str, tuple[Any, ...]] | None = None,
    conflicts: list[str] | None = None,
) -> int:
    """`apply_record` for each of `entries` in their order, in a few statements; returns how
    many records were written. `read` holds records already read from entries, by the
    entry's uuid (an import's own, read when it checked them), and `columns` their columns
    but the versions (`record_columns`). The codes that another attendee holds, and so were
    not given, go to `conflicts`.
    """
    read = read or {}
    records = [
        (entry, attendee)
        for entry in entries
        if (attendee := read.get(entry.uuid) or _record_of(entry))
    ]
    return sum(
        _apply_run(conn, run, locale, now, columns=columns or {}, conflicts=conflicts)
        for run in _runs(records)
    )


def read_record(entry: JournalEntry) -> Attendee | None:
    """The attendee record `entry` carries, None when it carries none; a record that does not
    read raises KeyError, TypeError or ValueError (their text may quote its fields).
    """
    data = entry.data.get("attendee")
    if not isinstance(data, Mapping) or not entry.attendee_id:
        return None
    return Attendee.from_dict({**data, "id": entry.attendee_id})


def _record_of(entry: JournalEntry) -> Attendee | None:
    try:
        return read_record(entry)
    except (KeyError, TypeError, ValueError) as error:
        # The error may quote the record's fields: a name, an e-mail.
        logger.warning(
            "journal entry %s: not an attendee record (%s)", entry.uuid, redact(str(error))
        )
        return None


def record_source(entry: JournalEntry) -> str:
    """Where the record `entry` carries came from: `walkin` or `import`. A desk's correction is
    a `registration` entry that names the source of the record it corrects, so a corrected
    walk-in stays a walk-in (its kiosk code a kiosk code) on every kiosk, whichever entry
    reaches a kiosk first.
    """
    named = entry.data.get("source")
    if named in ("walkin", "import"):
        return str(named)
    return "walkin" if entry.kind is EntryKind.WALKIN else "import"


def _runs(
    records: Sequence[tuple[JournalEntry, Attendee]],
) -> Iterator[list[tuple[JournalEntry, Attendee]]]:
    """The records in consecutive runs that name each attendee once: within a run, writing all
    records before all codes ends as writing them one by one does.
    """
    run: list[tuple[JournalEntry, Attendee]] = []
    ids: set[str] = set()
    for record in records:
        if record[1].id in ids or len(run) >= _ROWS_PER_STATEMENT:
            yield run
            run, ids = [], set()
        run.append(record)
        ids.add(record[1].id)
    if run:
        yield run


def _apply_run(
    conn: sqlite3.Connection,
    run: Sequence[tuple[JournalEntry, Attendee]],
    locale: str,
    now: str,
    *,
    columns: Mapping[str, tuple[Any, ...]],
    conflicts: list[str] | None,
) -> int:
    ids = listed(attendee.id for _, attendee in run)
    stored = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT id, version, badge_version, first_name, last_name, organisation, category "
            f"FROM attendees WHERE id IN {LISTED}",
            (ids,),
        )
    }
    held: dict[str, list[tuple[str, str]]] = {}
    for attendee_id, code, kind in conn.execute(
        f"SELECT attendee_id, code, kind FROM codes WHERE attendee_id IN {LISTED}", (ids,)
    ):
        held.setdefault(attendee_id, []).append((code, kind))
    rows: list[tuple[Any, ...]] = []
    codes: list[tuple[Attendee, CodeKind]] = []
    for entry, attendee in run:
        version = version_of(entry)
        row = stored.get(attendee.id)
        if row is not None and row[0] >= version:
            continue
        badge_version = row[1] if row is not None else entry.hlc
        if row is not None and tuple(row[2:]) != tuple(getattr(attendee, f) for f in _BADGE_FIELDS):
            badge_version = entry.hlc
        source = record_source(entry)
        given = columns.get(entry.uuid)
        if given is None or given[_SOURCE] != source:
            given = record_columns(attendee, locale=locale, source=source, now=now)
        rows.append((*given, version, badge_version))
        kind = CodeKind.KIOSK if source == "walkin" else CodeKind.REGISTRATION
        codes.append((attendee, kind))
    for first in range(0, len(rows), _ROWS_PER_STATEMENT):
        part = rows[first : first + _ROWS_PER_STATEMENT]
        count = next(count for count in _ROW_COUNTS if count >= len(part))
        part += [_EMPTY_ROW] * (count - len(part))
        conn.execute(_INSERTS[count], [value for values in part for value in values])
    _set_all_codes(conn, codes, held, now, conflicts)
    return len(rows)


def _set_all_codes(
    conn: sqlite3.Connection,
    codes: Sequence[tuple[Attendee, CodeKind]],
    held: Mapping[str, Sequence[tuple[str, str]]],
    now: str,
    conflicts: list[str] | None = None,
) -> None:
    """`set_codes` for each attendee (each named once), given the codes each `held` before.

    Only what changes is written: a code the attendee holds already stays, and only a
    registration code other than the new one is deleted.
    """
    deletes: list[tuple[str, str, str]] = []
    inserts: list[tuple[str, str, str, str]] = []
    for attendee, kind in codes:
        if not attendee.code:
            continue
        mine = held.get(attendee.id, ())
        if kind is CodeKind.REGISTRATION and any(
            kind_held == CodeKind.REGISTRATION and code != attendee.code for code, kind_held in mine
        ):
            deletes.append((attendee.id, str(CodeKind.REGISTRATION), attendee.code))
        if all(code != attendee.code for code, _ in mine):
            inserts.append((attendee.code, attendee.id, str(kind), now))
    # Deletes first: each removes only its own attendee's codes, which no insert of another
    # attendee adds, so the order among attendees does not change what is stored.
    conn.executemany("DELETE FROM codes WHERE attendee_id = ? AND kind = ? AND code != ?", deletes)
    cursor = conn.executemany(
        "INSERT OR IGNORE INTO codes (code, attendee_id, kind, created_at) VALUES (?, ?, ?, ?)",
        inserts,
    )
    if inserts and cursor.rowcount < len(inserts):
        wanted = {code: attendee_id for code, attendee_id, _, _ in inserts}
        for code, owner in conn.execute(
            f"SELECT code, attendee_id FROM codes WHERE code IN {LISTED}", (listed(wanted),)
        ):
            if owner != wanted[code]:
                if conflicts is not None:
                    conflicts.append(code)
                logger.warning("code %s of %s is held by %s", mask_code(code), wanted[code], owner)


_SOURCE = 11  # where `record_columns` puts the record's source


def record_columns(attendee: Attendee, *, locale: str, source: str, now: str) -> tuple[Any, ...]:
    """The attendee's columns as stored, in `_ATTENDEE_COLUMNS` order but the two versions."""
    return (
        attendee.id,
        attendee.registration_id,
        attendee.first_name,
        attendee.last_name,
        attendee.organisation,
        attendee.country,
        attendee.email,
        attendee.category,
        str(attendee.status),
        json.dumps([d.isoformat() for d in attendee.days]) if attendee.days else "[]",
        json.dumps(dict(attendee.extra), ensure_ascii=False) if attendee.extra else "{}",
        source,
        search_text(attendee.first_name, attendee.last_name, attendee.organisation, attendee.email),
        name_sort_key(locale, attendee.last_name, attendee.first_name),
        now,
    )
