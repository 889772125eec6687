"""Clocks for a desk: the real one, and a rehearsal clock that runs on an event day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from kiosk.core.model import Event, utc


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
    """

    def __init__(self, event: Event, day: date, base: Clock = system_clock) -> None:
        self.event = event
        self.day = day
        self.base = base
        self.offset = timedelta(days=(day - event.day_of(base())).days)

    @property
    def rehearsal_day(self) -> date:
        """The event day this rehearsal runs on."""
        return self.day

    def __call__(self) -> datetime:
        """The rehearsal's current time, as an aware UTC datetime."""
        # Adding days to the local time keeps the wall-clock time across a DST change.
        return utc(self.event.local(self.base()) + self.offset)


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
