"""The records the domain works with: the event, attendees and journal entries."""

from __future__ import annotations

import os
import time
from base64 import b32encode
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.core.text import clean_field

ATTENDEE_ID_BYTES = 8
# The category of anyone registered without one.
DEFAULT_CATEGORY = "Participant"


def new_attendee_id() -> str:
    """A fresh random attendee id: 8 random bytes in base32, 13 characters, unique across kiosks."""
    return b32encode(os.urandom(ATTENDEE_ID_BYTES)).decode("ascii").rstrip("=")


def registration_attendee_id(event_id: str, registration: str) -> str:
    """The attendee id for a registration (its registration id, else its code): the same on
    every kiosk, so two kiosks that import the same export make the same people, not twins.
    """
    import hashlib  # noqa: PLC0415 (imports only: a command-line check-in does without it)

    digest = hashlib.sha256(f"{event_id}\x00{registration}".encode()).digest()
    return b32encode(digest[:ATTENDEE_ID_BYTES]).decode("ascii").rstrip("=")


def new_entry_uuid() -> str:
    """A fresh journal entry id: a time-ordered (version 7, RFC 9562) UUID, the milliseconds
    since 1970 then 74 random bits, so kiosks never collide without talking.

    Ordered by time, a kiosk's new entries go at the end of the journal's uuid index instead of
    on a random page of it: a check-in's commit writes one page fewer, and its p99 fell by a
    sixth (bench/checkin.py). Made here rather than with the uuid module, which imports
    `platform`, a tenth of a command-line check-in's start-up.
    """
    raw = bytearray((time.time_ns() // 1_000_000).to_bytes(6, "big") + os.urandom(10))
    raw[6] = raw[6] & 0x0F | 0x70  # version 7
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def utc(at: datetime) -> datetime:
    """`at` as an aware UTC datetime; a naive datetime is taken to be UTC already."""
    if at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at.astimezone(UTC)


@dataclass(frozen=True)
class RetiredKey:
    """An earlier public key of the event, replaced by `kiosk rotate-key` at `retired_at`.

    Codes it signed are still admitted when `trusted`; when not (the key may have been
    stolen), only those this kiosk already holds: walk-ins registered before, or synced.
    """

    public: bytes
    retired_at: datetime
    trusted: bool = True


@dataclass(frozen=True)
class Event:
    """The one event a kiosk database serves."""

    id: str
    name: str
    timezone: str
    days: tuple[date, ...]
    venue: str = ""
    locale: str = "en"
    public_key: bytes | None = None
    retired_keys: tuple[RetiredKey, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        """The event's time zone, in which days begin and times are shown."""
        return ZoneInfo(self.timezone)

    def day_of(self, at: datetime) -> date:
        """The calendar date of `at` in the event's time zone."""
        return self.local(at).date()

    def local(self, at: datetime) -> datetime:
        """`at` in the event's time zone."""
        return utc(at).astimezone(self.tz)

    def to_dict(self) -> dict[str, Any]:
        """The event's public description as JSON (no keys): what the CLI prints and an event
        file carries.
        """
        return {
            "id": self.id,
            "name": self.name,
            "venue": self.venue,
            "timezone": self.timezone,
            "days": [day.isoformat() for day in self.days],
            "locale": self.locale,
        }


class AttendeeStatus(StrEnum):
    """Whether the registration system still counts the attendee in."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


class CodeKind(StrEnum):
    """Where a code came from."""

    REGISTRATION = "registration"
    KIOSK = "kiosk"


@dataclass(frozen=True, slots=True)
class Attendee:
    """One registered person; `code` is the main code, `codes` all that admit them."""

    id: str
    first_name: str
    last_name: str
    code: str = ""
    codes: tuple[str, ...] = ()
    organisation: str = ""
    country: str = ""
    email: str = ""
    category: str = ""
    status: AttendeeStatus = AttendeeStatus.ACTIVE
    days: tuple[date, ...] = ()
    registration_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    # Derived by the store, not part of the record: a badge was printed, and the name or
    # organisation on it has changed since.
    reprint: bool = field(default=False, compare=False)

    @property
    def full_name(self) -> str:
        """First and last name as people read them."""
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def valid_on(self, day: date) -> bool:
        """True when the ticket admits on `day`; no days listed means every event day."""
        return not self.days or day in self.days

    def to_dict(self) -> dict[str, Any]:
        """The attendee as the JSON object of the command-line contract."""
        return {
            "id": self.id,
            "code": self.code,
            "codes": list(self.codes),
            "first_name": self.first_name,
            "last_name": self.last_name,
            "organisation": self.organisation,
            "country": self.country,
            "email": self.email,
            "category": self.category,
            "status": str(self.status),
            "days": [d.isoformat() for d in self.days],
            "registration_id": self.registration_id,
            "extra": dict(self.extra),
            "reprint": self.reprint,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attendee:
        """The attendee `to_dict` described (another kiosk's record); raises KeyError,
        TypeError or ValueError for a record that is not one.
        """

        def text(name: str) -> str:
            # Another kiosk's journal is cleaned here as an import is: no NUL, no ESC.
            return clean_field(str(data.get(name) or ""))

        codes = tuple(str(code) for code in data.get("codes") or ())
        code = str(data.get("code") or (codes[0] if codes else ""))
        return cls(
            id=str(data["id"]),
            first_name=text("first_name"),
            last_name=text("last_name"),
            code=code,
            codes=codes or ((code,) if code else ()),
            organisation=text("organisation"),
            country=text("country"),
            email=text("email"),
            category=text("category"),
            status=AttendeeStatus(data.get("status") or AttendeeStatus.ACTIVE),
            days=tuple(date.fromisoformat(str(day)) for day in data.get("days") or ()),
            registration_id=str(data["registration_id"]) if data.get("registration_id") else None,
            extra=dict(data.get("extra") or {}),
        )

    def record(self) -> dict[str, Any]:
        """The attendee as a journal entry carries it to other kiosks (no derived fields)."""
        data = self.to_dict()
        del data["reprint"]
        return data


class EntryKind(StrEnum):
    """What a journal entry records."""

    CHECKIN = "checkin"
    UNDO = "undo"
    WALKIN = "walkin"
    # An attendee's record as the registration system (an import here or at another kiosk)
    # last gave it: data {"attendee": the record, "import": the import's id}.
    REGISTRATION = "registration"
    SETTING = "setting"  # an event-wide setting changed: data {"name", "value"}
    PRINT = "print"  # a badge was printed for the attendee: data {"layout", ...}
    # An on-site change to the schedule: data {"change": "delay" | "cancel" | "full" | "move" |
    # "title", ...} (kiosk/core/schedule_changes.py), so every kiosk shows the same schedule.
    SCHEDULE = "schedule"


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One thing that happened, as it goes into the append-only journal.

    An entry is identified by its `uuid`; `origin` is the id of the kiosk that wrote it and
    `seq` its number there (1, 2, 3, ...). They and `hlc` are empty until the store appends the
    entry; an entry from another kiosk keeps them. `station` is a name for people, not an
    identity. `at` is when it happened in the event's story (a rehearsal moves it); `hlc` is
    when it was written, as every kiosk orders it.
    """

    uuid: str
    kind: EntryKind
    station: str
    at: datetime
    day: date | None = None
    attendee_id: str | None = None
    code: str | None = None
    ref: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    seq: int = 0
    origin: str = ""
    # The hybrid logical clock when the entry was made (`kiosk.core.journal.next_hlc`): orders
    # entries across kiosks whose clocks disagree; "" until the store appends it.
    hlc: str = ""
