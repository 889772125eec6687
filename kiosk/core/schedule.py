"""The schedule: sessions per room, on-site changes, and what a lobby board shows right now."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from kiosk.core.model import Event, utc

# A session that just started stays "now" this long, even when the next one has begun
# (people still look for the talk that started a minute ago; UX.md).
STILL_NOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Session:
    """One session of the schedule, with the on-site changes applied.

    `key` is our own stable identity (the source, its id or guid, and the original start: real
    files repeat ids); `start` and `end` are aware datetimes. `delay`, `moved_from`,
    `original_title` and `cancelled` say what changed on site, so the board can say "+10 min",
    "moved from Hall B" and strike a cancelled session through.
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
    delay: timedelta = timedelta(0)
    moved_from: str = ""
    original_title: str = ""

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
    the room to start after `at` that day.
    """
    at = utc(at)
    day = event.day_of(at)
    today = sessions_of_day(sessions, event, day)
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
