"""frab and pentabarf schedule XML (frab, pretalx, c3voc, FOSDEM): schedule/day/room/event."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from kiosk.adapters.schedules.base import (
    ScheduleBuilder,
    id_text,
    next_day_if_before,
    parse_clock,
    parse_date,
    parse_duration,
    parse_stamp,
    people,
    slug,
    state_of,
    wall_time,
    where_of,
)
from kiosk.core.errors import FileFormatError
from kiosk.core.schedule import ParsedSchedule

FORMAT = "frab-xml"


def recognises(head: bytes) -> bool:
    """True for XML whose root element is a frab `<schedule>`."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"<") and b"<schedule" in head


def read(path: Path, data: bytes, event_timezone: str, locale: str) -> ParsedSchedule:
    """The sessions of a frab/pentabarf schedule.xml."""
    builder = ScheduleBuilder(path, FORMAT, event_timezone, locale)
    try:
        # defusedxml: a file from the internet may carry entity bombs or external entities.
        root: ET.Element = fromstring(data)
    except (ET.ParseError, DefusedXmlException) as error:
        raise FileFormatError(f"{path}: not readable XML: {error}") from error
    if root.tag != "schedule":
        raise FileFormatError(f"{path}: XML, but not a frab schedule (its root is <{root.tag}>)")
    conference = root.find("conference")
    title = _text(conference, "title")
    builder.declare_timezone(_text(conference, "time_zone_name") or None)
    day_change = parse_clock(_text(conference, "day_change"))
    total = sum(1 for _ in root.iter("event"))
    for day in root.findall("day"):
        _read_day(builder, day, day_change)
    if builder.events < total:
        builder.warn("", f"{total - builder.events} events outside any <day>: skipped")
        builder.events = total
    return builder.result(
        source=slug(_text(conference, "acronym") or title, "frab"),
        title=title,
        version=_text(root, "version"),
    )


def _read_day(builder: ScheduleBuilder, day: ET.Element, day_change: timedelta | None) -> None:
    day_date = parse_date(day.get("date"))
    day_start = parse_stamp(day.get("start"))
    day_end = parse_stamp(day.get("end"))
    if day_date is not None and day_change is not None:
        # Pentabarf: the day changes at `day_change`, not at midnight.
        day_start = wall_time(day_date, day_change, builder.local_zone)
        day_end = day_start + timedelta(days=1)
    if day_start is not None and day_start.tzinfo is None:
        day_start = day_start.replace(tzinfo=builder.local_zone)
    if day_end is not None and day_end.tzinfo is None:
        day_end = day_end.replace(tzinfo=builder.local_zone)
    for child in day:
        if child.tag == "room":
            builder.add_room(child.get("name") or "")
            events = child.findall("event")
            container = child.get("name") or ""
        elif child.tag == "event":
            events, container = [child], ""
        else:
            continue
        for event in events:
            builder.events += 1
            builder.guarded(
                where_of(builder.events, id_text(event.get("id"))),
                partial(_read_event, builder, event, container, day_date, (day_start, day_end)),
            )


def _read_event(
    builder: ScheduleBuilder,
    event: ET.Element,
    container: str,
    day_date: date | None,
    bounds: tuple[datetime | None, datetime | None],
) -> None:
    ref = id_text(event.get("id"))
    guid = id_text(event.get("guid"))
    title = _text(event, "title")
    where = where_of(builder.events, ref or guid, title)
    state = state_of(_text(event, "state"))
    if state == "skip":
        builder.warn(where, f"state {_text(event, 'state')!r}: not on the programme, skipped")
        return
    start_text = _text(event, "start")
    written = parse_stamp(_text(event, "date"))
    if written is not None:
        start = builder.stamp(where, written, start_text or None)
    else:
        clock = parse_clock(start_text)
        on = parse_date(_text(event, "date")) or day_date
        if clock is None or on is None:
            builder.warn(where, f"no readable start (start {start_text!r}): skipped")
            return
        start = wall_time(on, clock, builder.local_zone)
        start = next_day_if_before(start, *bounds)
    duration_text = _text(event, "duration")
    duration = parse_duration(duration_text)
    if duration is None and duration_text:
        builder.warn(where, f"duration {duration_text!r} unreadable")
    persons = event.find("persons")
    builder.add(
        where,
        ident=guid or ref,
        ref=ref or guid,
        title=title,
        start=start,
        duration=duration,
        room=_text(event, "room") or container,
        speakers=people(
            [p.text or "" for p in persons.findall("person")] if persons is not None else []
        ),
        track=_text(event, "track"),
        kind=_text(event, "type"),
        abstract=_text(event, "abstract") or _text(event, "description"),
        subtitle=_text(event, "subtitle"),
        language=_text(event, "language"),
        url=_text(event, "url"),
        cancelled=state == "cancelled",
    )


def _text(parent: ET.Element | None, name: str) -> str:
    if parent is None:
        return ""
    found = parent.find(name)
    return (found.text or "").strip() if found is not None else ""
