"""iCalendar (.ics) schedules: one VEVENT per session (RFC 5545, as conference tools write it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from kiosk.adapters.schedules.base import (
    ScheduleBuilder,
    decode_text,
    parse_duration,
    slug,
    wall_clock,
    where_of,
    zone,
)
from kiosk.core.schedule import ParsedSchedule

FORMAT = "ical"
_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$")
_UNESCAPE = re.compile(r"\\([\\;,nN])")


def recognises(head: bytes) -> bool:
    """True for an iCalendar file."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR")


@dataclass
class _Property:
    value: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class _Event:
    position: int
    props: dict[str, _Property] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=dict)  # CATEGORIES, ATTENDEE, ...

    def text(self, name: str) -> str:
        found = self.props.get(name)
        return _unescape(found.value) if found else ""


def read(path: Path, data: bytes, event_timezone: str, locale: str) -> ParsedSchedule:
    """The sessions of an .ics file."""
    builder = ScheduleBuilder(path, FORMAT, event_timezone, locale)
    calendar, events = _parse(decode_text(builder, data))
    builder.declare_timezone(calendar.get("X-WR-TIMEZONE"))
    builder.events = len(events)
    for event in _newest(builder, events):
        builder.guarded(
            where_of(event.position, event.text("UID")), partial(_read_event, builder, event)
        )
    name = calendar.get("X-WR-CALNAME") or calendar.get("NAME") or ""
    return builder.result(source=slug(_unescape(name), "ical"), title=_unescape(name), version="")


def _parse(text: str) -> tuple[dict[str, str], list[_Event]]:
    """The calendar's own properties and its top-level VEVENTs; lines unfolded (a line that
    starts with a space or tab continues the one before: 75-octet folding).
    """
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    calendar: dict[str, str] = {}
    events: list[_Event] = []
    stack: list[str] = []
    current: _Event | None = None
    for line in unfolded.splitlines():
        if not line.strip():
            continue
        name, params, value = _split(line)
        if name == "BEGIN":
            stack.append(value.upper())
            if stack[-1] == "VEVENT" and len(stack) == 2:
                current = _Event(len(events) + 1)
                events.append(current)
            continue
        if name == "END":
            if stack:
                stack.pop()
            if len(stack) < 2:
                current = None
            continue
        if current is not None and len(stack) == 2:  # not inside a VALARM of the event
            if name in current.props:
                current.multi.setdefault(name, [current.props[name].value]).append(value)
            else:
                current.props[name] = _Property(value, params)
        elif len(stack) == 1:
            calendar.setdefault(name, value)
    return calendar, events


def _split(line: str) -> tuple[str, dict[str, str], str]:
    """NAME;PARAM=VALUE;...:VALUE, with colons allowed inside quoted parameter values."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        return line.strip().upper(), {}, ""
    name, *raw = head.split(";")
    params: dict[str, str] = {}
    for part in raw:
        key, _, param = part.partition("=")
        params[key.strip().upper()] = param.strip().strip('"')
    return name.strip().upper(), params, value


def _unescape(text: str) -> str:
    def one(found: re.Match[str]) -> str:
        char = found.group(1)
        return "\n" if char in "nN" else char

    return _UNESCAPE.sub(one, text)


def _newest(builder: ScheduleBuilder, events: list[_Event]) -> list[_Event]:
    """Each event once: a UID listed again (an updated copy) keeps its highest SEQUENCE, the
    later copy on a tie. Events of a recurring series (RECURRENCE-ID) stay apart.
    """
    kept: dict[tuple[str, str], _Event] = {}
    order: list[tuple[str, str]] = []
    for event in events:
        uid = event.text("UID")
        if not uid:
            key = ("", str(event.position))
        else:
            key = (
                uid,
                event.props["RECURRENCE-ID"].value if "RECURRENCE-ID" in event.props else "",
            )
        if key in kept:
            if _sequence(event) >= _sequence(kept[key]):
                kept[key] = event
            builder.warn(
                where_of(event.position, uid),
                "listed twice: the newest (highest SEQUENCE, then the later) is kept",
            )
            continue
        kept[key] = event
        order.append(key)
    return [kept[key] for key in order]


def _sequence(event: _Event) -> int:
    text = event.text("SEQUENCE").strip()
    return int(text) if text.isdigit() else 0


def _when(builder: ScheduleBuilder, where: str, prop: _Property | None) -> datetime | date | None:
    """DTSTART/DTEND: UTC ("...Z"), in a TZID, floating (the calendar's X-WR-TIMEZONE, else
    the event's), or a bare date (an all-day entry).
    """
    if prop is None:
        return None
    found = _STAMP.match(prop.value.strip())
    if not found:
        builder.warn(where, f"time {prop.value!r} unreadable")
        return None
    year, month, day, hour, minute, second, utc_mark = found.groups()
    if hour is None:
        return date(int(year), int(month), int(day))
    naive = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    if utc_mark:
        return naive.replace(tzinfo=UTC)
    tzid = prop.params.get("TZID")
    if tzid:
        named = zone(tzid)
        if named is None:
            # Outlook writes Windows names ("Central Europe Standard Time") with a VTIMEZONE.
            builder.warn(
                where,
                f"unknown TZID {tzid!r}: read in {builder.declared_name or 'the event time zone'}",
            )
        else:
            return wall_clock(naive, named)
    return wall_clock(naive, builder.local_zone)


def _read_event(builder: ScheduleBuilder, event: _Event) -> None:
    uid = event.text("UID")
    title = event.text("SUMMARY")
    where = where_of(event.position, uid, title)
    start = _when(builder, where, event.props.get("DTSTART"))
    if start is None:
        builder.warn(where, "no DTSTART: skipped")
        return
    if not isinstance(start, datetime):
        builder.warn(where, "an all-day entry, not a session: skipped")
        return
    end_value = _when(builder, where, event.props.get("DTEND"))
    end = end_value if isinstance(end_value, datetime) else None
    duration: timedelta | None = None
    if end is None and "DURATION" in event.props:
        duration = parse_duration(event.text("DURATION"))
        if duration is None:
            builder.warn(where, f"DURATION {event.text('DURATION')!r} unreadable")
    if "RRULE" in event.props:
        builder.warn(where, "repeats (RRULE): only its first time is shown")
    categories = [
        part.strip()
        for value in event.multi.get("CATEGORIES", [event.text("CATEGORIES")])
        for part in re.split(r"(?<!\\),", value)
        if part.strip()
    ]
    builder.add(
        where,
        ident=uid,
        ref=uid,
        title=title,
        start=start,
        end=end,
        duration=duration,
        room=event.text("LOCATION"),
        track=_unescape(categories[0]) if categories else "",
        abstract=event.text("DESCRIPTION"),
        url=event.text("URL"),
        cancelled=event.text("STATUS").strip().upper() == "CANCELLED",
    )
