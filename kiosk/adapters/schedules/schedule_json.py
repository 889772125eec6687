"""schedule.json of frab, pretalx and c3voc: version 1 (days/rooms/events) and 2 (events)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from kiosk.adapters.schedules.base import (
    ScheduleBuilder,
    as_dict,
    id_text,
    localized,
    next_day_if_before,
    parse_clock,
    parse_date,
    parse_duration,
    parse_stamp,
    people,
    slug,
    state_of,
    wall_clock,
    wall_time,
    where_of,
)
from kiosk.core.schedule import ParsedSchedule

FORMAT = "schedule-json"


def recognises(data: object) -> bool:
    """True for a JSON document with a `schedule` (or a bare `conference`) in it."""
    return isinstance(data, dict) and (
        isinstance(data.get("schedule"), dict) or isinstance(data.get("conference"), dict)
    )


def read(path: Path, data: dict[str, Any], event_timezone: str, locale: str) -> ParsedSchedule:
    """The sessions of a schedule.json."""
    builder = ScheduleBuilder(path, FORMAT, event_timezone, locale)
    schedule = as_dict(data.get("schedule")) or data
    conference = as_dict(schedule.get("conference"))
    title = localized(conference.get("title"), locale)
    builder.declare_timezone(conference.get("time_zone_name"))
    for room in conference.get("rooms") or ():
        builder.add_room(localized(room.get("name") if isinstance(room, dict) else room, locale))
    days = conference.get("days")
    if isinstance(days, list):
        for day in days:
            _read_day(builder, as_dict(day))
    events = schedule.get("events")
    if isinstance(events, list):  # version 2: one list, times with offsets
        for event in events:
            builder.events += 1
            builder.guarded(
                where_of(builder.events, id_text(as_dict(event).get("id"))),
                partial(_read_event, builder, as_dict(event), "", None, (None, None)),
            )
    return builder.result(
        source=slug(str(conference.get("acronym") or title or ""), "schedule"),
        title=title,
        version=str(schedule.get("version") or ""),
    )


def _read_day(builder: ScheduleBuilder, day: dict[str, Any]) -> None:
    day_date = parse_date(day.get("date"))
    bounds = (_aware(builder, day.get("day_start")), _aware(builder, day.get("day_end")))
    rooms = day.get("rooms")
    if isinstance(rooms, Mapping):
        listed = list(rooms.items())
    elif isinstance(rooms, list):  # a room list instead of a map: {"name", "events"}
        listed = [(str(as_dict(r).get("name") or ""), as_dict(r).get("events")) for r in rooms]
    else:
        return
    for room, events in listed:
        builder.add_room(str(room))
        for event in events if isinstance(events, list) else ():
            builder.events += 1
            builder.guarded(
                where_of(builder.events, id_text(as_dict(event).get("id"))),
                partial(_read_event, builder, as_dict(event), str(room), day_date, bounds),
            )


def _aware(builder: ScheduleBuilder, value: object) -> datetime | None:
    found = parse_stamp(value)
    if found is not None and found.tzinfo is None:
        return wall_clock(found, builder.local_zone)
    return found


def _read_event(
    builder: ScheduleBuilder,
    event: dict[str, Any],
    container: str,
    day_date: date | None,
    bounds: tuple[datetime | None, datetime | None],
) -> None:
    ref = id_text(event.get("id")) or id_text(event.get("code"))
    ident = id_text(event.get("guid")) or id_text(event.get("code")) or id_text(event.get("id"))
    title = localized(event.get("title"), builder.locale)
    where = where_of(builder.events, ref or ident, title)
    state = state_of(event.get("state"))
    if state == "skip":
        builder.warn(where, f"state {event.get('state')!r}: not on the programme, skipped")
        return
    start = _start(builder, where, event, day_date, bounds)
    if start is None:
        return
    end = parse_stamp(event.get("end"))
    duration = parse_duration(event.get("duration"))
    if end is not None:
        end = builder.stamp(where, end)
    elif duration is None and event.get("duration") not in (None, ""):
        builder.warn(where, f"duration {event.get('duration')!r} unreadable")
    room = event.get("room")
    track = event.get("track")
    builder.add(
        where,
        ident=ident or ref,
        ref=ref or ident,
        title=event.get("title"),
        start=start,
        end=end,
        duration=duration,
        room=(as_dict(room).get("name") if isinstance(room, dict) else room) or container,
        speakers=people(event.get("persons") or event.get("participants") or []),
        track=as_dict(track).get("name") if isinstance(track, dict) else track,
        kind=event.get("type"),
        abstract=localized(event.get("abstract"), builder.locale)
        or localized(event.get("description"), builder.locale),
        subtitle=event.get("subtitle"),
        language=event.get("language"),
        url=event.get("url"),
        cancelled=state == "cancelled",
    )


def _start(
    builder: ScheduleBuilder,
    where: str,
    event: dict[str, Any],
    day_date: date | None,
    bounds: tuple[datetime | None, datetime | None],
) -> datetime | None:
    """When the event starts: `date` (v1) or `start` (v2) with an offset; else `start` as a
    wall clock on its day, the night after when the day runs past midnight.
    """
    start_value = event.get("start")
    written = parse_stamp(event.get("date")) or parse_stamp(start_value)
    wall = start_value if isinstance(start_value, str) and parse_clock(start_value) else None
    if written is not None:
        return builder.stamp(where, written, wall)
    clock = parse_clock(wall)
    on = parse_date(event.get("date")) or day_date
    if clock is None or on is None:
        builder.warn(
            where, f"no readable start (date {event.get('date')!r}, start {start_value!r}): skipped"
        )
        return None
    return next_day_if_before(wall_time(on, clock, builder.local_zone), *bounds)
