"""The journal between kiosks: entries as JSON, what a merge did, and what a change touched."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from kiosk.core.errors import FileFormatError
from kiosk.core.model import EntryKind, JournalEntry, utc

# A hybrid logical clock as text that sorts as it counts: milliseconds since 1970 (15 digits),
# then a counter (6 digits) for entries in the same millisecond or behind a clock seen ahead.
_HLC_MS_DIGITS = 15
_HLC_COUNTER_DIGITS = 6


def hlc_text(millis: int, counter: int = 0) -> str:
    """A hybrid-logical-clock reading as sortable text."""
    return f"{millis:0{_HLC_MS_DIGITS}d}.{counter:0{_HLC_COUNTER_DIGITS}d}"


def hlc_of(at: datetime) -> str:
    """The clock reading of a wall-clock time, with counter 0."""
    return hlc_text(int(utc(at).timestamp() * 1000))


def hlc_time(reading: str) -> datetime | None:
    """The wall-clock time of a clock reading (UTC), or None for an empty or broken one."""
    millis, _, _ = reading.partition(".")
    if not millis.isdigit():
        return None
    return datetime.fromtimestamp(int(millis) / 1000, tz=UTC)


def next_hlc(last: str | None, now: datetime) -> str:
    """The reading for an entry made at `now` after every entry this kiosk holds (`last` is the
    highest reading among them, its own and the ones merged from other kiosks).

    It follows the wall clock while that runs ahead, and otherwise counts on from `last`, so an
    entry always sorts after everything its kiosk had seen when it was made, however wrong the
    clocks of the kiosks are: a kiosk whose clock is behind still orders its answer after the
    check-in it merged from a kiosk whose clock is ahead.
    """
    wall = int(utc(now).timestamp() * 1000)
    if not last:
        return hlc_text(wall)
    millis_text, _, counter_text = last.partition(".")
    millis, counter = int(millis_text), int(counter_text or 0)
    if wall > millis:
        return hlc_text(wall)
    return hlc_text(millis, counter + 1)


def entry_key(entry: JournalEntry) -> tuple[str, str, int]:
    """The order in which the newest of several entries wins: clock, then kiosk, then number."""
    return (entry.hlc, entry.origin, entry.seq)


class Topic(StrEnum):
    """What a change touched, so each screen redraws only what it shows."""

    CHECKINS = "checkins"  # check-ins and undos: presence and counts
    ATTENDEES = "attendees"  # names, codes, statuses (imports, walk-ins)
    SETTINGS = "settings"  # this kiosk's settings or the event's
    EVENT = "event"  # the event itself
    SCHEDULE = "schedule"  # sessions and on-site changes to them


# Which topics a journal entry of each kind touches.
_KIND_TOPICS: Mapping[EntryKind, frozenset[Topic]] = {
    EntryKind.CHECKIN: frozenset({Topic.CHECKINS}),
    EntryKind.UNDO: frozenset({Topic.CHECKINS}),
    EntryKind.WALKIN: frozenset({Topic.ATTENDEES, Topic.CHECKINS}),
    EntryKind.SETTING: frozenset({Topic.SETTINGS}),
    EntryKind.REGISTRATION: frozenset({Topic.ATTENDEES}),
    EntryKind.PRINT: frozenset({Topic.ATTENDEES}),
    EntryKind.SCHEDULE: frozenset({Topic.SCHEDULE}),
}


def topics_of(kinds: Iterable[str]) -> frozenset[Topic]:
    """The topics that journal entries of these kinds touch; an unknown kind touches none."""
    found: set[Topic] = set()
    for kind in kinds:
        try:
            found |= _KIND_TOPICS[EntryKind(kind)]
        except (ValueError, KeyError):
            continue
    return frozenset(found)


@dataclass(frozen=True)
class PresenceChange:
    """A check-in or an undo that arrived in the journal: enough to keep a day's count."""

    kind: EntryKind  # CHECKIN or UNDO
    attendee_id: str
    day: date


@dataclass(frozen=True)
class Changes:
    """What changed in the store since the last look, by this process or any other, with the
    check-ins and undos among it, so counts follow without a recount.
    """

    topics: frozenset[Topic]
    presence: tuple[PresenceChange, ...] = ()
    kinds: frozenset[str] = frozenset()  # the kinds of the new journal entries

    @property
    def registry_changed(self) -> bool:
        """True when who is registered may have changed (an import, a walk-in, a direct
        write to the attendees), not only a badge print that touched an attendee's flags.
        """
        if self.kinds & {EntryKind.REGISTRATION.value, EntryKind.WALKIN.value}:
            return True
        return Topic.ATTENDEES in self.topics and not self.kinds

    def __contains__(self, topic: object) -> bool:
        return topic in self.topics

    def __bool__(self) -> bool:
        return bool(self.topics)


@dataclass(frozen=True)
class MergeReport:
    """What adding another kiosk's entries did: new ones stored, ones already here, clashes."""

    added: int = 0
    known: int = 0
    conflicts: tuple[str, ...] = ()  # uuids of entries that clash with a stored one

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {"added": self.added, "known": self.known, "conflicts": list(self.conflicts)}


def entry_to_dict(entry: JournalEntry) -> dict[str, Any]:
    """A journal entry as JSON, every field, so another kiosk stores it unchanged."""
    return {
        "uuid": entry.uuid,
        "origin": entry.origin,
        "seq": entry.seq,
        "hlc": entry.hlc,
        "station": entry.station,
        "kind": str(entry.kind),
        "at": utc(entry.at).isoformat(timespec="microseconds"),
        "day": entry.day.isoformat() if entry.day else None,
        "attendee_id": entry.attendee_id,
        "code": entry.code,
        "ref": entry.ref,
        "data": dict(entry.data),
    }


def entry_from_dict(data: Mapping[str, Any]) -> JournalEntry:
    """The journal entry a JSON object describes; raises `FileFormatError` naming the field."""
    try:
        entry = JournalEntry(
            uuid=_text(data, "uuid"),
            origin=_text(data, "origin"),
            seq=int(data["seq"]),
            hlc=_text(data, "hlc") if "hlc" in data else hlc_of(datetime.fromisoformat(data["at"])),
            station=str(data.get("station") or ""),
            kind=EntryKind(data["kind"]),
            at=utc(datetime.fromisoformat(_text(data, "at"))),
            day=date.fromisoformat(data["day"]) if data.get("day") else None,
            attendee_id=_optional(data, "attendee_id"),
            code=_optional(data, "code"),
            ref=_optional(data, "ref"),
            data=dict(data.get("data") or {}),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise FileFormatError(f"journal entry: {error}") from error
    if entry.seq < 1:
        raise FileFormatError(
            f"journal entry {entry.uuid}: field seq: {entry.seq} is not 1 or more"
        )
    return entry


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"field {name}: missing or not text")
    return value


def _optional(data: Mapping[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {name}: not text")
    return value
