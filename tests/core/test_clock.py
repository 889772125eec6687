"""The rehearsal clock: real time of day, moved onto an event day."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock, RehearsalClock
from kiosk.core.model import Event
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, PRAGUE, code_of, prague
from tests.fakes import MemoryStore


def test_today_reads_as_the_rehearsal_day_at_the_same_local_time(
    event_and_keys: tuple[Event, EventKeys],
) -> None:
    event, _ = event_and_keys
    real = FixedClock(datetime(2026, 11, 27, 10, 15, tzinfo=PRAGUE))  # CET; October 2023 was CEST
    clock = RehearsalClock(event, DAY1, real)
    assert clock() == prague(DAY1, 10, 15)
    real.advance(hours=14)  # past midnight: the next event day
    assert clock() == prague(DAY2, 0, 15)
    assert event.day_of(clock()) == DAY2


AUTUMN_NIGHT = date(2023, 10, 29)  # Prague: 03:00 CEST is 02:00 CET again


@pytest.mark.parametrize(
    ("real_start", "day"),
    [
        # 01:00 of the real autumn change night, rehearsing an ordinary day.
        (datetime(2023, 10, 28, 23, 0, tzinfo=UTC), DAY1),
        # 01:00 of an ordinary real night, rehearsing the autumn change day.
        (datetime(2026, 11, 27, 0, 0, tzinfo=UTC), AUTUMN_NIGHT),
    ],
)
def test_rehearsal_clock_runs_on_through_the_autumn_night(
    event_and_keys: tuple[Event, EventKeys], real_start: datetime, day: date
) -> None:
    event, _ = event_and_keys
    real = FixedClock(real_start)
    clock = RehearsalClock(event, day, real)
    readings = []
    for _ in range(5 * 12):  # five hours of real time, five minutes apart
        readings.append(clock())
        real.advance(minutes=5)
    steps = {later - earlier for earlier, later in itertools.pairwise(readings)}
    assert steps == {timedelta(minutes=5)}  # never back, never the same hour twice
    assert event.local(readings[0]).replace(tzinfo=None) == datetime.combine(day, time(1))
    assert event.local(readings[-1]).date() == day


def test_rehearsal_check_ins_are_marked_and_ending_the_rehearsal_undoes_them(
    store: MemoryStore | SqliteStore,
) -> None:
    real = FixedClock(datetime(2026, 11, 27, 9, 0, tzinfo=PRAGUE))
    rehearsal = StaffDesk(store, "Desk A", RehearsalClock(store.event(), DAY1, real))
    assert rehearsal.rehearsing
    rehearsed = rehearsal.check_in(code_of(store, "Kühr"))
    assert rehearsed.status == "ok" and rehearsed.entry is not None
    assert rehearsed.entry.data == {"rehearsal": True}
    # A real check-in on the real event day, by a desk on a fixed clock.
    StaffDesk(store, "Desk B", FixedClock(prague(DAY1, 9, 30))).check_in(code_of(store, "Horák"))
    assert rehearsal.today_counts() == (2, 9)

    undone = rehearsal.end_rehearsal()

    assert [entry.ref for entry in undone] == [rehearsed.entry.uuid]
    assert rehearsal.today_counts() == (1, 9)
    assert rehearsal.end_rehearsal() == ()
