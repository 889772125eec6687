"""Rows of the kiosk database as the core's records, and the SQL pieces the store shares."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from kiosk.core.model import Attendee, AttendeeStatus, EntryKind, JournalEntry

ATTENDEE_COLUMNS = (
    "id, registration_id, first_name, last_name, organisation, country, email, category, "
    "status, days, extra"
)
JOURNAL_COLUMNS = "uuid, origin, seq, hlc, station, kind, at, day, attendee_id, code, ref, data"
# Ties in time are broken by origin and number, so every kiosk orders a merged journal alike.
JOURNAL_ORDER = "j.at, j.origin, j.seq"
JOURNAL_ORDER_DESC = "j.at DESC, j.origin DESC, j.seq DESC"
ACTIVE_CHECKIN = (
    "j.kind = 'checkin' AND NOT EXISTS "
    "(SELECT 1 FROM journal u WHERE u.ref = j.uuid AND u.kind = 'undo')"
)

# A list of any length bound as one JSON array, so a statement has one SQL text whatever the
# length: `f"... WHERE uuid IN {LISTED}", (listed(uuids),)`. Spelled out as `IN (?, ?, ...)`,
# every length is a statement of its own, and Python's sqlite3 keeps the 128 newest on each
# connection (100 KB for 500 values): they added up to 10 MB on each connection of a day's
# syncs and imports (bench/soak.py). SQLite still looks each value up in the column's index.
LISTED = "(SELECT value FROM json_each(?))"


def listed(values: Iterable[str | int]) -> str:
    """`values` as the JSON array that `LISTED` reads: text without NUL characters (where
    SQLite's JSON ends a string) or integers.
    """
    return json.dumps(list(values))


# Enum lookups by value, without the enum's own (slower) call, for rows read by the thousand.
_STATUSES = {str(status): status for status in AttendeeStatus}
_KINDS = {str(kind): kind for kind in EntryKind}


def utc_text(at: datetime) -> str:
    """A time as stored: UTC, ISO 8601 with microseconds, so text order is time order."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def now_text() -> str:
    """The current time as stored."""
    return utc_text(datetime.now(UTC))


def attendee_from_row(row: dict[str, Any], codes: tuple[str, ...]) -> Attendee:
    """An attendee from its row and its codes (registration codes first)."""
    return Attendee(
        reprint=bool(row.get("reprint")),
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        code=codes[0] if codes else "",
        codes=codes,
        organisation=row["organisation"],
        country=row["country"],
        email=row["email"],
        category=row["category"],
        status=_STATUSES.get(row["status"]) or AttendeeStatus(row["status"]),
        # Most attendees have neither days nor extra fields: no JSON to parse for them.
        days=tuple(date.fromisoformat(d) for d in json.loads(row["days"]))
        if row["days"] != "[]"
        else (),
        registration_id=row["registration_id"],
        extra=json.loads(row["extra"]) if row["extra"] != "{}" else {},
    )


def entry_from_row(row: dict[str, Any]) -> JournalEntry:
    """A journal entry from its row."""
    return JournalEntry(
        uuid=row["uuid"],
        origin=row["origin"],
        seq=row["seq"],
        hlc=row["hlc"],
        kind=_KINDS.get(row["kind"]) or EntryKind(row["kind"]),
        station=row["station"],
        at=datetime.fromisoformat(row["at"]),
        day=date.fromisoformat(row["day"]) if row["day"] else None,
        attendee_id=row["attendee_id"],
        code=row["code"],
        ref=row["ref"],
        data=json.loads(row["data"]),
    )


class JsonData(Mapping[str, Any]):
    """An entry's data, read from its JSON when first looked at. Publishing reads every entry
    of this kiosk at a transport's first exchange, but looks into the data only of those the
    transport lacks: reading the JSON of the others was half of that read (an import's
    records are most of a kiosk's data).
    """

    __slots__ = ("_read", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._read: dict[str, Any] | None = None

    def _data(self) -> dict[str, Any]:
        if self._read is None:
            self._read = json.loads(self._text)
        return self._read

    def __getitem__(self, key: str) -> Any:
        return self._data()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __len__(self) -> int:
        return len(self._data())

    def __repr__(self) -> str:
        return repr(self._data())


def entry_from_values(row: tuple[Any, ...], *, lazy: bool = False) -> JournalEntry:
    """A journal entry from a row of `JOURNAL_COLUMNS`, as a tuple (read by the thousand);
    `lazy`: its data read from the JSON only when looked at (`JsonData`).
    """
    uuid, origin, seq, hlc, station, kind, at, day, attendee_id, code, ref, data = row
    return JournalEntry(
        uuid=uuid,
        origin=origin,
        seq=seq,
        hlc=hlc,
        kind=_KINDS.get(kind) or EntryKind(kind),
        station=station,
        at=datetime.fromisoformat(at),
        day=date.fromisoformat(day) if day else None,
        attendee_id=attendee_id,
        code=code,
        ref=ref,
        data=JsonData(data) if lazy else json.loads(data),
    )


def entry_values(entry: JournalEntry) -> tuple[Any, ...]:
    """The values of `JOURNAL_COLUMNS` for an entry, in that order."""
    return (
        entry.uuid,
        entry.origin,
        entry.seq,
        entry.hlc,
        entry.station,
        str(entry.kind),
        utc_text(entry.at),
        entry.day.isoformat() if entry.day else None,
        entry.attendee_id,
        entry.code,
        entry.ref,
        json.dumps(dict(entry.data), ensure_ascii=False, sort_keys=True),
    )


def version_of(entry: JournalEntry) -> str:
    """An entry's place in the newest-wins order as text that sorts the same way."""
    return f"{entry.hlc}|{entry.origin}|{entry.seq:012d}"
