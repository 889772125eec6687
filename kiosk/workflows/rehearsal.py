"""Rehearsals: run the desks' clock on an event day before the event, and end it cleanly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kiosk.core.clock import Clock, clock_for, system_clock
from kiosk.core.settings import parse_value
from kiosk.workflows.config import current_settings
from kiosk.workflows.staff import StaffDesk

REHEARSAL_SETTING = "rehearsal_day"


@dataclass(frozen=True)
class Rehearsal:
    """Whether a rehearsal runs, on which day, what time the desks read, and how many
    rehearsal check-ins ending it undid.
    """

    day: date | None
    now: datetime
    undone: int = 0


def rehearsal_status(desk: StaffDesk, base_clock: Clock = system_clock) -> Rehearsal:
    """The rehearsal in force, as the kiosk's settings say."""
    day = current_settings(desk.store).rehearsal_day
    return Rehearsal(day, clock_for(desk.event, day, base_clock)())


def start_rehearsal(desk: StaffDesk, day_text: str, base_clock: Clock = system_clock) -> Rehearsal:
    """Run the desks' clock on `day_text`, which must be one of the event's days."""
    day = parse_value(REHEARSAL_SETTING, day_text, desk.event)
    desk.store.set_setting(REHEARSAL_SETTING, day.isoformat())
    return rehearsal_status(desk, base_clock)


def end_rehearsal(desk: StaffDesk, base_clock: Clock = system_clock) -> Rehearsal:
    """Stop the rehearsal: its check-ins that still count are undone (the journal keeps both),
    so the real event starts with nobody in, and the desks go back to the real date.
    """
    with desk.store.transaction():
        undone = len(desk.end_rehearsal())
        desk.store.clear_setting(REHEARSAL_SETTING)
    status = rehearsal_status(desk, base_clock)
    return Rehearsal(status.day, status.now, undone)
