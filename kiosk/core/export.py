"""Check-ins for the central registration system: one row per attendee, from plain records."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from kiosk.core.clock import LocalTimeError, moment
from kiosk.core.errors import InvalidInputError
from kiosk.core.model import Attendee, EntryKind, Event, JournalEntry, utc

# The columns before the per-day pairs; `prints` comes after them.
LEADING_COLUMNS = (
    "registration_id",
    "code",
    "first_name",
    "last_name",
    "organisation",
    "category",
    "status",
)
PRINTS_COLUMN = "prints"
# The entries that make an attendee "changed since" a time.
_SINCE_KINDS = frozenset({EntryKind.CHECKIN, EntryKind.UNDO, EntryKind.PRINT})

Cell = str | int


class ExportFormat(StrEnum):
    """The file formats the export writes."""

    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


def export_format(name: str) -> ExportFormat:
    """The format called `name` (any case); raises `InvalidInputError` naming the choices."""
    try:
        return ExportFormat(name.strip().lower())
    except ValueError as error:
        choices = ", ".join(str(f) for f in ExportFormat)
        raise InvalidInputError(f"--format: {name!r} is not one of {choices}") from error


@dataclass(frozen=True)
class DayCheckin:
    """An attendee on one event day: the first check-in that still counts, if any."""

    day: date
    first_at: datetime | None = None  # in the event's time zone
    station: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The day as JSON: times in ISO 8601 with the event's offset, null when not in."""
        return {
            "day": self.day.isoformat(),
            "first_at": _iso(self.first_at),
            "station": self.station,
        }


@dataclass(frozen=True)
class CheckinRow:
    """One attendee as the export shows them; `registration_id` is "" for walk-ins."""

    registration_id: str
    code: str
    first_name: str
    last_name: str
    organisation: str
    category: str
    status: str
    days: tuple[DayCheckin, ...]
    prints: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The row as the JSON object of the export (the README's command list shows it)."""
        return {
            "registration_id": self.registration_id,
            "code": self.code,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "organisation": self.organisation,
            "category": self.category,
            "status": self.status,
            "days": [day.to_dict() for day in self.days],
            "prints": self.prints,
        }

    def cells(self) -> list[Cell]:
        """The row flattened in the order of `header`: every day's time and station in turn."""
        flat: list[Cell] = [
            self.registration_id,
            self.code,
            self.first_name,
            self.last_name,
            self.organisation,
            self.category,
            self.status,
        ]
        for day in self.days:
            flat += [_iso(day.first_at) or "", day.station or ""]
        flat.append(self.prints)
        return flat


def header(days: Sequence[date]) -> list[str]:
    """The column names of the flat table (CSV, XLSX) for an event with these days."""
    names = list(LEADING_COLUMNS)
    for day in days:
        names += [f"first_at_{day.isoformat()}", f"station_{day.isoformat()}"]
    names.append(PRINTS_COLUMN)
    return names


def checkin_rows(
    event: Event,
    attendees: Iterable[Attendee],
    journal: Iterable[JournalEntry],
    since: datetime | None = None,
) -> list[CheckinRow]:
    """One row per attendee, in the order given, cancelled ones and walk-ins included.

    An attendee is in on an event day when the journal has a `checkin` for that day that no
    `undo` refers to; the first such (by time, then origin, then number) gives the time and
    station. `prints` counts the attendee's `print` entries. With `since` (a time without an
    offset is the event's), only attendees with a check-in, undo or print at or after it are
    kept.
    """
    entries = list(journal)
    undone = {entry.ref for entry in entries if entry.kind is EntryKind.UNDO and entry.ref}
    first: dict[tuple[str, date], JournalEntry] = {}
    for entry in entries:
        if (
            entry.kind is not EntryKind.CHECKIN
            or entry.uuid in undone
            or entry.attendee_id is None
            or entry.day is None
        ):
            continue
        key = (entry.attendee_id, entry.day)
        # The journal need not come sorted (a merge appends late entries): pick by the order.
        if key not in first or _order(entry) < _order(first[key]):
            first[key] = entry
    prints = Counter(
        entry.attendee_id
        for entry in entries
        if entry.kind is EntryKind.PRINT and entry.attendee_id
    )
    changed = None if since is None else _changed_since(event, entries, since)
    return [
        _row(event, attendee, first, prints[attendee.id])
        for attendee in attendees
        if changed is None or attendee.id in changed
    ]


def _row(
    event: Event,
    attendee: Attendee,
    first: dict[tuple[str, date], JournalEntry],
    prints: int,
) -> CheckinRow:
    days = []
    for day in event.days:
        entry = first.get((attendee.id, day))
        days.append(
            DayCheckin(day)
            if entry is None
            else DayCheckin(day, event.local(entry.at), entry.station)
        )
    return CheckinRow(
        registration_id=attendee.registration_id or "",
        code=attendee.code,
        first_name=attendee.first_name,
        last_name=attendee.last_name,
        organisation=attendee.organisation,
        category=attendee.category,
        status=str(attendee.status),
        days=tuple(days),
        prints=prints,
    )


def _changed_since(event: Event, entries: list[JournalEntry], since: datetime) -> set[str]:
    """The attendees with a check-in, undo or print at or after `since`."""
    try:
        since = utc(moment(since, event.tz))
    except LocalTimeError as error:  # in a clock change's gap or fold, or out of range
        raise InvalidInputError(f"--since: {error}") from error
    # An undo names its attendee; one from an older kiosk may not, so its check-in tells.
    owner = {entry.uuid: entry.attendee_id for entry in entries if entry.kind is EntryKind.CHECKIN}
    changed: set[str] = set()
    for entry in entries:
        if entry.kind not in _SINCE_KINDS or utc(entry.at) < since:
            continue
        attendee_id = entry.attendee_id
        if attendee_id is None and entry.kind is EntryKind.UNDO and entry.ref:
            attendee_id = owner.get(entry.ref)
        if attendee_id is not None:
            changed.add(attendee_id)
    return changed


def parse_since(text: str) -> datetime:
    """`--since` as given: ISO 8601, with or without an offset (without: the event's time)."""
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInputError(f"--since: {text!r} is not an ISO 8601 time") from error


def _order(entry: JournalEntry) -> tuple[datetime, str, int]:
    return (utc(entry.at), entry.origin, entry.seq)


def _iso(at: datetime | None) -> str | None:
    # Whole seconds: what a registration system and a spreadsheet read without surprises.
    return at.isoformat(timespec="seconds") if at is not None else None
