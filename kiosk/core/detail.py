"""One attendee as staff look them up: presence by day, badge prints, changes, what needs care."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kiosk.core.model import Attendee, AttendeeStatus, EntryKind, Event, JournalEntry
from kiosk.core.signing import looks_like_kiosk_code

# Columns of a registration export that hold something staff should read before admitting
# (matched on the folded column name's start): notes, needs, remarks, in English and Czech.
_NOTE_COLUMNS = (
    "note",
    "comment",
    "remark",
    "allerg",
    "alergi",
    "diet",
    "access",
    "special",
    "poznámk",
    "poznamk",
    "komentář",
    "komentar",
)


class Attention(StrEnum):
    """Why staff should look twice at an attendee."""

    CANCELLED = "cancelled"  # the registration system cancelled them
    REPRINT = "reprint"  # a badge was printed and its name or organisation changed since
    NOT_TODAY = "not_today"  # their ticket does not admit on the desk's day
    NOTES = "notes"  # the registration has a note for staff


@dataclass(frozen=True)
class DayPresence:
    """One event day: whether the ticket admits on it, and the first check-in that counts."""

    day: date
    admits: bool
    first: JournalEntry | None = None


@dataclass(frozen=True)
class AttendeeDetail:
    """Everything the desk knows of one attendee, from the registry and the journal."""

    attendee: Attendee
    walk_in: bool
    presence: tuple[DayPresence, ...]
    prints: tuple[JournalEntry, ...]  # badges printed, oldest first
    records: tuple[JournalEntry, ...]  # registrations, walk-in, corrections, by the clock
    notes: tuple[tuple[str, str], ...]  # (column, value) of the registration's notes
    extra: tuple[tuple[str, str], ...]  # every other column the registration had
    attention: tuple[Attention, ...]


def is_note_column(name: str) -> bool:
    """True when a registration column's name says it holds a note for staff."""
    folded = name.strip().casefold()
    return folded.startswith(_NOTE_COLUMNS)


def attendee_detail(
    attendee: Attendee, event: Event, entries: Iterable[JournalEntry], today: date
) -> AttendeeDetail:
    """The attendee's detail from their journal `entries` (any order), as of `today`."""
    ordered = sorted(entries, key=lambda e: (e.at, e.origin, e.seq))
    undone = {e.ref for e in ordered if e.kind is EntryKind.UNDO and e.ref}
    first: dict[date, JournalEntry] = {}
    for entry in ordered:
        if entry.kind is EntryKind.CHECKIN and entry.day and entry.uuid not in undone:
            first.setdefault(entry.day, entry)
    presence = tuple(DayPresence(day, attendee.valid_on(day), first.get(day)) for day in event.days)
    notes, extra = _notes_and_extra(attendee.extra)
    attention: list[Attention] = []
    if attendee.status is AttendeeStatus.CANCELLED:
        attention.append(Attention.CANCELLED)
    if attendee.reprint:
        attention.append(Attention.REPRINT)
    if today in event.days and not attendee.valid_on(today):
        attention.append(Attention.NOT_TODAY)
    if notes:
        attention.append(Attention.NOTES)
    return AttendeeDetail(
        attendee=attendee,
        walk_in=bool(attendee.code) and looks_like_kiosk_code(attendee.code),
        presence=presence,
        prints=tuple(e for e in ordered if e.kind is EntryKind.PRINT),
        # In the order the newest-wins rule reads them: the last is the record shown.
        records=tuple(
            sorted(
                (e for e in ordered if e.kind in (EntryKind.REGISTRATION, EntryKind.WALKIN)),
                key=lambda e: (e.hlc, e.origin, e.seq),
            )
        ),
        notes=notes,
        extra=extra,
        attention=tuple(attention),
    )


def _notes_and_extra(
    fields: Mapping[str, object],
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    notes: list[tuple[str, str]] = []
    extra: list[tuple[str, str]] = []
    for name, value in fields.items():
        text = str(value).strip()
        if text:
            (notes if is_note_column(name) else extra).append((str(name), text))
    return tuple(notes), tuple(extra)
