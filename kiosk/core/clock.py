"""Clocks for a desk: the real one, and a rehearsal clock that runs on an event day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol

from kiosk.core.errors import InvalidInputError
from kiosk.core.model import Event, utc

# The moments kiosk accepts: a day either side of datetime's own limits, so that moving a
# time by a day or a time zone (a check-in's day, a repeat window) can never overflow.
EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, tzinfo=UTC)


def skipped(wall: datetime, tz: tzinfo) -> bool:
    """True when the clocks in `tz` skip the wall time `wall` (naive): the spring change's
    hour, which Python would silently move on by an hour.
    """
    try:
        shown = wall.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    except OverflowError:
        return False  # out of range altogether, which the caller tells apart
    return shown != wall


class LocalTimeError(InvalidInputError):
    """A time that names no single moment: skipped or repeated by a clock change, or out of
    range; the message says which, and what to give instead.
    """


def moment(at: datetime, tz: tzinfo) -> datetime:
    """`at` as an aware moment; a time without an offset is the wall clock in `tz`.

    Raises `LocalTimeError` for a wall time the clocks skip (the spring change: 02:30 on
    2024-03-31 in Prague never happens) and for one they show twice (the autumn change: 02:30
    on 2023-10-29 happens at +02:00 and again at +01:00), rather than silently move it or pick
    one: a time with its offset names the moment. Also for a moment out of range.
    """
    given = at
    if at.tzinfo is None:
        first, second = at.replace(tzinfo=tz, fold=0), at.replace(tzinfo=tz, fold=1)
        if skipped(at, tz):
            raise LocalTimeError(
                f"{at.isoformat()} does not exist in {tz}: the clocks skip it "
                "(summer time begins); give the time after the change, or with its offset"
            )
        before, after = first.utcoffset(), second.utcoffset()
        if before != after:
            raise LocalTimeError(
                f"{at.isoformat()} happens twice in {tz} (summer time ends): give its offset, "
                f"{first.isoformat()} or {second.isoformat()}"
            )
        at = first
    try:
        instant = at.astimezone(UTC)
    except OverflowError:
        instant = None
    if instant is None or not EARLIEST <= instant <= LATEST:
        raise LocalTimeError(
            f"{given.isoformat()} is out of range "
            f"(from {EARLIEST.date().isoformat()} to {LATEST.date().isoformat()})"
        )
    return at


class Clock(Protocol):
    """Tells the time; says which event day it is moved onto when it runs a rehearsal."""

    def __call__(self) -> datetime:
        """The current time, as an aware datetime."""
        ...

    @property
    def rehearsal_day(self) -> date | None:
        """The event day a rehearsal clock runs on; None for a clock on the real date."""
        ...


class SystemClock:
    """The operating system's clock."""

    rehearsal_day: date | None = None

    def __call__(self) -> datetime:
        """The current time, as an aware UTC datetime."""
        return datetime.now(UTC)


system_clock = SystemClock()


class RehearsalClock:
    """The real time of day, moved onto an event day: for rehearsals and the demo.

    Started today, it reads `day` at today's local time; after midnight it reads the day after,
    so a rehearsal that runs past midnight moves on to the next event day as the event would.
    It runs at the base clock's pace, a fixed time ahead or behind: never backwards, nor an
    hour twice, when either night is a daylight saving change (the wall clock it shows is
    then an hour off the real one until the rehearsal is started again).
    """

    def __init__(self, event: Event, day: date, base: Clock = system_clock) -> None:
        self.event = event
        self.day = day
        self.base = base
        started = utc(base())
        local = event.local(started)
        # Adding days to the local time keeps the wall-clock time across a DST change.
        moved = utc(local + timedelta(days=(day - local.date()).days))
        self.shift = moved - started

    @property
    def rehearsal_day(self) -> date:
        """The event day this rehearsal runs on."""
        return self.day

    def __call__(self) -> datetime:
        """The rehearsal's current time, as an aware UTC datetime."""
        return utc(self.base()) + self.shift


def clock_for(event: Event, rehearsal_day: date | None, base: Clock = system_clock) -> Clock:
    """The clock a station of `event` runs on: `base`, moved onto `rehearsal_day` when set."""
    if rehearsal_day is None:
        return base
    return RehearsalClock(event, rehearsal_day, base)


class FixedClock:
    """A clock that stands still until moved: for screenshots of a set moment, and tests."""

    rehearsal_day: date | None = None

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        """The time it was set to."""
        return self.at

    def set(self, at: datetime) -> None:
        """Move the clock to `at`."""
        self.at = at

    def advance(self, **delta: float) -> None:
        """Move the clock on, e.g. ``advance(seconds=4)``."""
        self.at += timedelta(**delta)
