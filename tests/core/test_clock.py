"""The rehearsal clock: real time of day, moved onto an event day."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiosk.core.clock import RehearsalClock
from kiosk.core.model import Event
from kiosk.core.signing import EventKeys
from tests.conftest import DAY1, DAY2, PRAGUE, Clock, prague


def test_today_reads_as_the_rehearsal_day_at_the_same_local_time(
    event_and_keys: tuple[Event, EventKeys],
) -> None:
    event, _ = event_and_keys
    real = Clock(datetime(2026, 11, 27, 10, 15, tzinfo=PRAGUE))  # CET; October 2023 was CEST
    clock = RehearsalClock(event, DAY1, real)
    assert clock() == prague(DAY1, 10, 15)
    real.now += timedelta(hours=14)  # past midnight: the next event day
    assert clock() == prague(DAY2, 0, 15)
    assert event.day_of(clock()) == DAY2
