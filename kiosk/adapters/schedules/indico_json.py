"""Indico's JSON exports: an event with its contributions, and its timetable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from kiosk.adapters.schedules.base import (
    ScheduleBuilder,
    as_dict,
    id_text,
    parse_clock,
    parse_date,
    parse_duration,
    people,
    slug,
    wall_time,
    where_of,
    zone,
)
from kiosk.core.schedule import ParsedSchedule

FORMAT = "indico-json"


def recognises(data: object) -> bool:
    """True for an Indico HTTP API answer: `results` holding conferences or a timetable."""
    if not isinstance(data, dict) or "results" not in data:
        return False
    results = data["results"]
    if data.get("_type") == "HTTPAPIResult":
        return True
    if isinstance(results, list):
        return any(isinstance(r, dict) and "contributions" in r for r in results)
    return isinstance(results, dict)


def read(path: Path, data: dict[str, Any], event_timezone: str, locale: str) -> ParsedSchedule:
    """The contributions and breaks of an Indico export: the event with its contributions
    (/export/event/ID.json?detail=contributions or sessions) or the timetable
    (/export/timetable/ID.json).
    """
    builder = ScheduleBuilder(path, FORMAT, event_timezone, locale)
    results = data.get("results")
    title, event_id = "", ""
    if isinstance(results, list):
        for conference in (as_dict(r) for r in results):
            title = title or str(conference.get("title") or "")
            event_id = event_id or id_text(conference.get("id"))
            builder.declare_timezone(conference.get("timezone"))
            for entry in _contributions(conference):
                builder.events += 1
                builder.guarded(
                    where_of(builder.events, id_text(entry.get("id"))),
                    partial(_read_entry, builder, entry),
                )
    elif isinstance(results, dict):
        for event_key, days in results.items():
            event_id = event_id or str(event_key)
            for entry in _timetable(days):
                builder.events += 1
                builder.guarded(
                    where_of(builder.events, id_text(entry.get("id"))),
                    partial(_read_entry, builder, entry),
                )
    return builder.result(
        source=slug(f"indico-{event_id}" if event_id else title, "indico"),
        title=title,
        version=str(data.get("ts") or ""),
    )


def _contributions(conference: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The contributions of an event export: its own list, and those inside its sessions."""
    for contribution in conference.get("contributions") or ():
        yield as_dict(contribution)
    for session in conference.get("sessions") or ():
        for contribution in as_dict(session).get("contributions") or ():
            found = as_dict(contribution)
            yield {**found, "session": found.get("session") or as_dict(session).get("title")}


def _timetable(days: object) -> Iterator[dict[str, Any]]:
    """The entries of a timetable export: day -> entry id -> entry, sessions holding entries."""
    for day in as_dict(days).values():
        yield from _entries(as_dict(day))


def _entries(entries: Mapping[str, Any], session: str = "") -> Iterator[dict[str, Any]]:
    for entry in (as_dict(e) for e in entries.values()):
        inner = entry.get("entries")
        if entry.get("entryType") == "Session" and isinstance(inner, Mapping) and inner:
            # A session block is its contributions; the block itself is no talk.
            yield from _entries(inner, str(entry.get("title") or entry.get("slotTitle") or ""))
        else:
            yield {"session": session, **entry} if session else entry


def _when(builder: ScheduleBuilder, value: object) -> datetime | None:
    """An Indico date, {"date", "time", "tz"}, as an aware time."""
    found = as_dict(value)
    day, clock = parse_date(found.get("date")), parse_clock(found.get("time"))
    if day is None or clock is None:
        return None
    return wall_time(day, clock, zone(found.get("tz")) or builder.local_zone)


def _read_entry(builder: ScheduleBuilder, entry: dict[str, Any]) -> None:
    ref = (
        id_text(entry.get("friendly_id"))
        or id_text(entry.get("contributionId"))
        or id_text(entry.get("id"))
    )
    ident = (
        id_text(entry.get("uniqueId")) or id_text(entry.get("db_id")) or id_text(entry.get("id"))
    )
    title = str(entry.get("title") or "")
    where = where_of(builder.events, ref or ident, title)
    start = _when(builder, entry.get("startDate"))
    if start is None:
        builder.warn(where, "no readable startDate (not in the timetable?): skipped")
        return
    end = _when(builder, entry.get("endDate"))
    duration = parse_duration(entry.get("duration"))
    is_break = entry.get("entryType") == "Break" or entry.get("_type") == "BreakTimeSchEntry"
    builder.add(
        where,
        ident=ident or ref,
        ref=ref or ident,
        title=title,
        start=start,
        end=end,
        duration=duration,
        room=entry.get("room") or entry.get("roomFullname") or "",
        speakers=people(entry.get("speakers") or entry.get("presenters") or []),
        track=entry.get("track") or entry.get("session") or "",
        kind="break" if is_break else (entry.get("type") or "talk"),
        abstract=entry.get("description") or "",
        url=entry.get("url") or "",
    )
