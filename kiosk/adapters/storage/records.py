"""Attendee records in SQL: written by imports and walk-ins, and by entries merged from kiosks."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping

from kiosk.adapters.storage.rows import version_of
from kiosk.core.model import Attendee, CodeKind, EntryKind, JournalEntry
from kiosk.core.redact import mask_code, redact
from kiosk.core.text import name_sort_key, search_text

logger = logging.getLogger(__name__)
# What a badge shows: a change to any of these asks for a reprint once a badge was printed.
_BADGE_FIELDS = ("first_name", "last_name", "organisation", "category")


def apply_record(conn: sqlite3.Connection, entry: JournalEntry, locale: str, now: str) -> bool:
    """Make the attendee record `entry` carries (a registration, a desk's correction or a
    walk-in) the stored one, when it is newer than the stored one's; True when it was written.

    Newest by the entries' clock, then kiosk, then number: every kiosk that holds the same
    entries ends with the same records, whatever order they came in.
    """
    data = entry.data.get("attendee")
    if not isinstance(data, Mapping) or not entry.attendee_id:
        return False
    try:
        attendee = Attendee.from_dict({**data, "id": entry.attendee_id})
    except (KeyError, TypeError, ValueError) as error:
        # The error may quote the record's fields: a name, an e-mail.
        logger.warning(
            "journal entry %s: not an attendee record (%s)", entry.uuid, redact(str(error))
        )
        return False
    version = version_of(entry)
    row = conn.execute(
        "SELECT version, badge_version, first_name, last_name, organisation, category "
        "FROM attendees WHERE id = ?",
        (attendee.id,),
    ).fetchone()
    if row is not None and row[0] >= version:
        return False
    badge_version = row[1] if row is not None else entry.hlc
    if row is not None and tuple(row[2:]) != tuple(getattr(attendee, f) for f in _BADGE_FIELDS):
        badge_version = entry.hlc
    source = record_source(entry)
    upsert_attendee(
        conn,
        attendee,
        locale=locale,
        source=source,
        now=now,
        version=version,
        badge_version=badge_version,
    )
    kind = CodeKind.KIOSK if source == "walkin" else CodeKind.REGISTRATION
    set_codes(conn, attendee, kind, now)
    return True


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


def set_codes(conn: sqlite3.Connection, attendee: Attendee, kind: CodeKind, now: str) -> None:
    """Store the attendee's main code of `kind`; a reissued registration code replaces the old
    one, which no longer admits. A code another attendee holds stays theirs.
    """
    if not attendee.code:
        return
    if kind is CodeKind.REGISTRATION:
        conn.execute(
            "DELETE FROM codes WHERE attendee_id = ? AND kind = ? AND code != ?",
            (attendee.id, str(CodeKind.REGISTRATION), attendee.code),
        )
    inserted = conn.execute(
        "INSERT OR IGNORE INTO codes (code, attendee_id, kind, created_at) VALUES (?, ?, ?, ?)",
        (attendee.code, attendee.id, str(kind), now),
    )
    if not inserted.rowcount:
        (owner,) = conn.execute(
            "SELECT attendee_id FROM codes WHERE code = ?", (attendee.code,)
        ).fetchone()
        if owner != attendee.id:
            logger.warning(
                "code %s of %s is held by %s", mask_code(attendee.code), attendee.id, owner
            )


def upsert_attendee(
    conn: sqlite3.Connection,
    attendee: Attendee,
    *,
    locale: str,
    source: str,
    now: str,
    version: str = "",
    badge_version: str = "",
) -> None:
    """Insert the attendee, or replace the stored record of the same id."""
    conn.execute(
        "INSERT INTO attendees (id, registration_id, first_name, last_name, organisation, "
        "country, email, category, status, days, extra, source, search_text, sort_key, "
        "updated_at, version, badge_version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET registration_id = excluded.registration_id, "
        "first_name = excluded.first_name, last_name = excluded.last_name, "
        "organisation = excluded.organisation, country = excluded.country, "
        "email = excluded.email, category = excluded.category, status = excluded.status, "
        "days = excluded.days, extra = excluded.extra, search_text = excluded.search_text, "
        "sort_key = excluded.sort_key, updated_at = excluded.updated_at, "
        "version = excluded.version, badge_version = excluded.badge_version",
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
            version,
            badge_version,
        ),
    )
