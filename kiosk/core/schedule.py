"""The schedule: sessions per room, on-site changes, and what a lobby board shows right now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from kiosk.core.model import Event, utc

# A session that just started stays "now" this long, even when the next one has begun
# (people still look for the talk that started a minute ago; UX.md).
STILL_NOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Session:
    """One session of the schedule, with the on-site changes applied.

    `key` is our own stable identity (the source, its id or guid, and the original start: real
    files repeat ids); `start` and `end` are aware datetimes. `delay`, `moved_from`,
    `original_title`, `cancelled` and `full` say what changed on site, so the board can say
    "+10 min", "moved from Hall B", "room full" and strike a cancelled session through.
    """

    key: str
    title: str
    start: datetime
    end: datetime
    room: str
    speakers: tuple[str, ...] = ()
    track: str = ""
    kind: str = ""  # "talk", "keynote", "break", "workshop", ... as the source says
    abstract: str = ""
    cancelled: bool = False
    full: bool = False  # the room has no seat left: the board sends people elsewhere
    delay: timedelta = timedelta(0)
    moved_from: str = ""
    original_title: str = ""
    # Where it came from: the schedule's own name for itself (`ParsedSchedule.source`) and the
    # id people see in the file (frab's numeric id, a pretalx code, an iCalendar UID).
    source: str = ""
    ref: str = ""
    subtitle: str = ""
    language: str = ""
    url: str = ""

    @property
    def original_start(self) -> datetime:
        """The start the schedule gave, before any on-site delay."""
        return self.start - self.delay

    @property
    def is_break(self) -> bool:
        """True for coffee, lunch and other breaks (shown, never as a talk)."""
        return self.kind.casefold() in {"break", "pause", "přestávka", "lunch", "oběd", "coffee"}

    def day(self, event: Event) -> date:
        """The event day the session belongs to (its start, in the event's time zone)."""
        return event.day_of(self.start)

    def running(self, at: datetime) -> bool:
        """True while the session is on at `at`."""
        return self.start <= utc(at) < self.end


def session_key(source: str, ident: str, start: datetime) -> str:
    """Our own identity of a session: the schedule's name, the file's guid, code or id, and the
    start the file gave it (UTC, to the minute), because real files repeat ids.

    E.g. ``38c3/270fa44c-821a-577f-8ca3-33e8d4a8c2a7@2024-12-27T09:30Z``.
    """
    return f"{source}/{ident}@{utc(start):%Y-%m-%dT%H:%M}Z"


def key_ident(key: str) -> str:
    """The source and id part of a session key, without its start: what still names the
    session when a newer version of the file moves it to another time.
    """
    ident, at, _ = key.rpartition("@")
    return ident if at else key


@dataclass(frozen=True)
class RoomNow:
    """One room on the board: the session on now and the next one there that day."""

    room: str
    now: Session | None
    next: Session | None


@dataclass(frozen=True)
class BoardState:
    """What a lobby board shows at `at` (aware, UTC), in room order."""

    at: datetime
    day: date
    rooms: tuple[RoomNow, ...]
    # Nothing left today anywhere: the board says so, and shows tomorrow's first session.
    day_over: bool = False
    tomorrow_first: Session | None = None
    # The schedule data may be out of date (`schedule_stale`): the board says so, visibly.
    stale: bool = False
    imported_at: datetime | None = None  # when the schedule was last imported (UTC)


def sessions_of_day(sessions: Iterable[Session], event: Event, day: date) -> list[Session]:
    """The sessions of event day `day`, by start then room."""
    return sorted(
        (s for s in sessions if s.day(event) == day), key=lambda s: (s.start, s.room, s.key)
    )


def board_state(
    sessions: Sequence[Session], event: Event, at: datetime, rooms: Sequence[str] = ()
) -> BoardState:
    """What the board shows at `at`: for every room with sessions that day (in `rooms` order
    first, then by name), the session now and the next one.

    "Now" is the session running at `at` (of two overlapping, the one that started last), or
    else one that started less than `STILL_NOW` ago and is already over. A cancelled session is
    still returned, marked, so the board can strike it through. "Next" is the first session in
    the room to start after `at` that day. A session that started on an earlier day and is
    still running at `at` (a party past midnight) belongs to this day too.
    """
    at = utc(at)
    day = event.day_of(at)
    today = sessions_of_day(sessions, event, day)
    overnight = [s for s in sessions if s.running(at) and s.day(event) < day]
    if overnight:
        today = sorted([*overnight, *today], key=lambda s: (s.start, s.room, s.key))
    names = list(dict.fromkeys([*rooms, *sorted({s.room for s in today})]))
    states = []
    for room in names:
        here = [s for s in today if s.room == room]
        if not here:
            continue
        running = [s for s in here if s.running(at)]
        # A session in its first minutes stays up even if it was short or ended early.
        recent = [s for s in here if s.start <= at and at - s.start < STILL_NOW]
        candidates = running or recent
        now = max(candidates, key=lambda s: s.start) if candidates else None
        upcoming = [s for s in here if s.start > at]
        states.append(RoomNow(room, now, upcoming[0] if upcoming else None))
    later_today = any(s.end > at for s in today)
    tomorrow = sorted(
        (s for s in sessions if s.day(event) > day and not s.cancelled), key=lambda s: s.start
    )
    return BoardState(
        at=at,
        day=day,
        rooms=tuple(states),
        day_over=not later_today,
        tomorrow_first=tomorrow[0] if tomorrow and not later_today else None,
    )


def delayed(session: Session, minutes: int) -> Session:
    """The session moved later by `minutes` (earlier when negative), length kept."""
    shift = timedelta(minutes=minutes)
    return replace(
        session, start=session.start + shift, end=session.end + shift, delay=session.delay + shift
    )


# The schedule data counts as old when, on an event day, the last import is more than this
# long ago: programmes change daily during an event (pretalx and frab publish new versions),
# so a kiosk still on the day before's file may show a talk that has moved. A day, not less:
# an import in the evening is still fresh the next morning.
STALE_AFTER = timedelta(hours=24)


def schedule_stale(event: Event, at: datetime, imported_at: datetime | None, now: datetime) -> bool:
    """True when the board at `at` (an event day) shows a schedule last imported more than
    `STALE_AFTER` before `now`, the real time: a rehearsal moves `at`, never the data's age.
    Before and after the event, and with no schedule at all, nothing is stale.
    """
    if imported_at is None or event.day_of(at) not in event.days:
        return False
    return utc(now) - utc(imported_at) > STALE_AFTER


@dataclass(frozen=True)
class ScheduleWarning:
    """Something a schedule file got wrong, and what the import did about it."""

    file: str
    where: str  # "event 2 (guid ...)", "event #17", "" for the whole file
    message: str

    def __str__(self) -> str:
        place = f"{self.file}: {self.where}" if self.where else self.file
        return f"{place}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        """The warning as JSON."""
        return {"file": self.file, "where": self.where, "message": self.message}


@dataclass(frozen=True)
class ParsedSchedule:
    """What a schedule file holds: its sessions (aware times, our keys) and what was wrong.

    `events` counts every event the file lists, those skipped included; `source` is the
    schedule's own name for itself (its acronym, Indico event id, calendar name), the first
    part of every session key, so a newer version of the same schedule replaces this one.
    """

    format: str
    source: str
    title: str
    version: str
    timezone: str  # the time zone the file declares ("" when none or unknown)
    rooms: tuple[str, ...]  # in the file's order
    sessions: tuple[Session, ...]
    events: int
    warnings: tuple[ScheduleWarning, ...] = ()


@dataclass(frozen=True)
class ScheduleImport:
    """One import of a schedule file, as the store keeps it: for "what changed" and staleness."""

    id: str
    source: str
    file: str
    format: str
    version: str
    title: str
    timezone: str
    rooms: tuple[str, ...]
    imported_at: datetime  # UTC
    report: Mapping[str, Any] = field(default_factory=dict)
