"""Clocks for a desk: the real one, and a rehearsal clock that runs on an event day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from kiosk.core.model import Event, utc

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time, as an aware UTC datetime."""
    return datetime.now(UTC)


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

    def __call__(self) -> datetime:
        """The rehearsal's current time, as an aware UTC datetime."""
        # Adding days to the local time keeps the wall-clock time across a DST change.
        return utc(self.event.local(self.base()) + self.offset)
