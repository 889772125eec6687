"""The schedule: import it, change it on site (as journal entries), and say what is on now."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.errors import InvalidInputError
from kiosk.core.model import EntryKind, Event, JournalEntry, new_entry_uuid, utc
from kiosk.core.ports import Store
from kiosk.core.schedule import (
    BoardState,
    ParsedSchedule,
    ScheduleImport,
    Session,
    board_state,
    schedule_stale,
)
from kiosk.core.schedule_changes import (
    MAX_ROOM_CHARS,
    MAX_TITLE_CHARS,
    ScheduleImportReport,
    apply_changes,
    cancel_data,
    check_minutes,
    check_text,
    delay_data,
    delay_window,
    diff_sessions,
    find_session,
    full_data,
    move_data,
    title_data,
)


class ScheduleSource(Protocol):
    """Reads schedule files (frab XML, schedule.json, Indico JSON, iCalendar)."""

    def read(
        self,
        path: Path,
        timezone: str,
        *,
        locale: str = "en",
        format_name: str | None = None,
    ) -> ParsedSchedule:
        """The sessions of the file at `path` and what was wrong with it; times without an
        offset in the file's declared zone, else `timezone`. Raises `FileFormatError` only for
        a file that is no schedule at all.
        """
        ...

    def demo_file(self) -> Path:
        """The built-in demo event's agenda."""
        ...


class SessionStore(Protocol):
    """Where the imported sessions and the imports are kept, and the on-site changes read."""

    def sessions(self, source: str | None = None) -> list[Session]:
        """The imported sessions (of one source, or all), as imported."""
        ...

    def schedule_changes(self) -> list[JournalEntry]:
        """The journal's `schedule` entries."""
        ...

    def last_import(self, source: str | None = None) -> ScheduleImport | None:
        """The newest import (of one source, or of any)."""
        ...

    def rooms(self) -> list[str]:
        """Room names in the order the schedule files give them."""
        ...

    def save_import(
        self, record: ScheduleImport, sessions: Sequence[Session], removed: Sequence[str]
    ) -> None:
        """Record an import; write `sessions` and delete the `removed` keys, all at once."""
        ...


# -- importing ------------------------------------------------------------------------------


def import_schedule(
    store: Store,
    schedules: SessionStore,
    source: ScheduleSource,
    path: Path,
    *,
    format_name: str | None = None,
    dry_run: bool = False,
    replace_all: bool = False,
    now: datetime | None = None,
) -> ScheduleImportReport:
    """Import the schedule file at `path` (format from its content unless named).

    A newer version of the same schedule (the same `source`: its acronym, Indico id or
    calendar name) updates it in place: sessions are added, changed and removed by our key,
    and the report lists which. Other schedules' sessions stay, unless `replace_all` (the file
    is the whole programme). A bad event is skipped with a warning naming it; the rest is
    imported. On-site changes are journal entries, never touched here, so they hold for the
    new version too. Importing the same file again writes only the import's record, which
    tells the board its data is fresh. `dry_run` reports and writes nothing.
    """
    event = store.event()
    parsed = source.read(path, event.timezone, locale=event.locale, format_name=format_name)
    before = schedules.sessions(parsed.source)
    diffs = diff_sessions(before, parsed.sessions)
    new_keys = {session.key for session in parsed.sessions}
    removed = [session.key for session in before if session.key not in new_keys]
    others = (
        [s.key for s in schedules.sessions() if s.source != parsed.source] if replace_all else []
    )
    written = [diff.session for diff in diffs if diff.change != "removed"]
    imported_at = utc(now or datetime.now(UTC))
    report = ScheduleImportReport(
        file=str(path),
        parsed=parsed,
        changes=tuple(diffs),
        unchanged=len(parsed.sessions) - len(written),
        removed_other_sources=len(others),
        dry_run=dry_run,
        imported_at=None if dry_run else imported_at,
    )
    if dry_run:
        return report
    summary = report.to_dict(event)
    del summary["changes"]  # the sessions themselves are in the table
    record = ScheduleImport(
        id=new_entry_uuid(),
        source=parsed.source,
        file=str(path),
        format=parsed.format,
        version=parsed.version,
        title=parsed.title,
        timezone=parsed.timezone,
        rooms=parsed.rooms,
        imported_at=imported_at,
        report=summary,
    )
    schedules.save_import(record, written, [*removed, *others])
    return report


def import_demo_schedule(
    store: Store, schedules: SessionStore, source: ScheduleSource, *, now: datetime | None = None
) -> ScheduleImportReport:
    """The demo event's agenda (resources/demo/schedule.json), for `setup.load_demo`."""
    return import_schedule(store, schedules, source, source.demo_file(), now=now)


# -- the schedule as shown -------------------------------------------------------------------


def current_schedule(schedules: SessionStore) -> list[Session]:
    """The schedule as shown: the imported sessions with every on-site change applied."""
    return apply_changes(schedules.sessions(), schedules.schedule_changes())


def imported_at(schedules: SessionStore, sessions: Sequence[Session]) -> datetime | None:
    """When the schedule shown was imported: of several schedules, the one imported longest
    ago (it is the one that may be out of date).
    """
    times = [
        found.imported_at
        for source in sorted({s.source for s in sessions})
        if (found := schedules.last_import(source)) is not None
    ]
    return min(times) if times else None


def schedule_now(
    store: Store, schedules: SessionStore, at: datetime, *, now: datetime | None = None
) -> BoardState:
    """What a lobby board shows at `at` (the desk's clock: a rehearsal moves it), with the
    stale flag judged by `now`, the real time (`core.schedule.schedule_stale`).
    """
    event = store.event()
    sessions = current_schedule(schedules)
    board = board_state(sessions, event, at, schedules.rooms())
    when = imported_at(schedules, sessions)
    stale = schedule_stale(event, at, when, now or datetime.now(UTC))
    return replace(board, stale=stale, imported_at=when)


def session_json(event: Event, session: Session | None) -> dict[str, Any] | None:
    """A session as the command line's JSON: times in the event's time zone."""
    if session is None:
        return None
    return {
        "key": session.key,
        "id": session.ref,
        "title": session.title,
        "subtitle": session.subtitle,
        "start": event.local(session.start).isoformat(),
        "end": event.local(session.end).isoformat(),
        "room": session.room,
        "speakers": list(session.speakers),
        "track": session.track,
        "kind": session.kind,
        "cancelled": session.cancelled,
        "full": session.full,
        "delay_minutes": int(session.delay.total_seconds() // 60),
        "original_start": event.local(session.original_start).isoformat(),
        "moved_from": session.moved_from or None,
        "original_title": session.original_title or None,
    }


def now_json(event: Event, board: BoardState) -> dict[str, Any]:
    """`kiosk schedule now --json`: every room with a session running at `at` or still to
    start that event day (one that began before midnight and still runs counts), each with
    the session running now (or null) and the next one there (or null).

    The board also keeps a session up for its first minutes after it ended (`STILL_NOW`);
    this answer says only what is running.
    """
    rooms = []
    for room in board.rooms:
        running = room.now if room.now is not None and room.now.running(board.at) else None
        if running is None and room.next is None:
            continue
        rooms.append(
            {
                "room": room.room,
                "now": session_json(event, running),
                "next": session_json(event, room.next),
            }
        )
    return {
        "at": event.local(board.at).isoformat(),
        "day": board.day.isoformat(),
        "timezone": event.timezone,
        "rooms": rooms,
        "day_over": board.day_over,
        "tomorrow_first": session_json(event, board.tomorrow_first),
        "stale": board.stale,
        "imported_at": event.local(board.imported_at).isoformat() if board.imported_at else None,
    }


def now_text(event: Event, board: BoardState) -> str:
    """`kiosk schedule now` for people: one line per room."""
    data = now_json(event, board)
    lines = [f"{event.local(board.at):%Y-%m-%d %H:%M} ({event.timezone})"]
    if board.stale:
        lines[0] += "  STALE: the schedule was imported more than a day ago"
    for room in data["rooms"]:
        parts = [
            f"{label} {_session_line(event, session)}"
            for label, session in (("now", room["now"]), ("next", room["next"]))
            if session is not None
        ]
        lines.append(f"{room['room']}: " + "; ".join(parts))
    if len(lines) == 1:
        lines.append("nothing more today" if board.day_over else "no sessions")
    first = data["tomorrow_first"]
    if first is not None:
        lines.append(f"next day, {first['room']}: {_session_line(event, first)}")
    return "\n".join(lines)


def _session_line(event: Event, session: Mapping[str, Any]) -> str:
    start = event.local(datetime.fromisoformat(session["start"]))
    end = event.local(datetime.fromisoformat(session["end"]))
    notes = []
    if session["delay_minutes"]:
        notes.append(f"{session['delay_minutes']:+d} min")
    if session["moved_from"]:
        notes.append(f"moved from {session['moved_from']}")
    if session["full"]:
        notes.append("room full")
    if session["cancelled"]:
        notes.append("CANCELLED")
    note = f" ({', '.join(notes)})" if notes else ""
    return f"{start:%H:%M}-{end:%H:%M} {session['title']} [{session['id']}]{note}"


# -- on-site changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleChangeResult:
    """What an on-site change did: the sessions it touched, as they now stand, and its
    journal entry (None when the schedule already said so and nothing was recorded).
    """

    change: str
    sessions: tuple[Session, ...]
    entry: JournalEntry | None

    def to_dict(self, event: Event) -> dict[str, Any]:
        """The result as JSON."""
        return {
            "change": self.change,
            "recorded": self.entry is not None,
            "entry": self.entry.uuid if self.entry else None,
            "sessions": [session_json(event, session) for session in self.sessions],
        }

    def text(self, event: Event) -> str:
        """The result for people."""
        data = self.to_dict(event)
        head = f"{self.change}: " + ("done" if self.entry else "nothing to change")
        lines = [head] + [f"  {s['room']}: {_session_line(event, s)}" for s in data["sessions"]]
        return "\n".join(lines)


def delay_room(
    store: Store,
    schedules: SessionStore,
    room: str,
    minutes: int,
    *,
    since: datetime,
    at: datetime | None = None,
    station: str = "",
) -> ScheduleChangeResult:
    """Delay every session in `room` that starts at `since` or later that event day by
    `minutes` (negative: earlier), as a journal entry every kiosk applies.
    """
    event = store.event()
    minutes = check_minutes(minutes)
    current = current_schedule(schedules)
    name = _room(current, room)
    start, until = delay_window(event, since)
    touched = [s.key for s in current if s.room == name and start <= s.start < until]
    if not touched:
        raise InvalidInputError(
            f"nothing in {name} starts from {event.local(start):%Y-%m-%d %H:%M} to the end of "
            "that day"
        )
    entry = _append(
        store, delay_data(name, start, until, minutes), event.day_of(start), at, station
    )
    return _result("delay", schedules, touched, entry)


def cancel_session(
    store: Store,
    schedules: SessionStore,
    session: str,
    *,
    cancelled: bool = True,
    at: datetime | None = None,
    station: str = "",
) -> ScheduleChangeResult:
    """Cancel the session `session` names (id, key or exact title); `cancelled=False` puts
    it back on.
    """
    found = find_session(current_schedule(schedules), session)
    if found.cancelled == cancelled:
        return ScheduleChangeResult("cancel" if cancelled else "restore", (found,), None)
    entry = _append(
        store, cancel_data(found, cancelled), store.event().day_of(found.start), at, station
    )
    return _result("cancel" if cancelled else "restore", schedules, [found.key], entry)


def mark_full(
    store: Store,
    schedules: SessionStore,
    session: str,
    *,
    full: bool = True,
    at: datetime | None = None,
    station: str = "",
) -> ScheduleChangeResult:
    """Mark the room of the session `session` names as full for it (`full=False`: it has
    seats again); the board says so beside the session.
    """
    found = find_session(current_schedule(schedules), session)
    change = "full" if full else "seats"
    if found.full == full:
        return ScheduleChangeResult(change, (found,), None)
    entry = _append(store, full_data(found, full), store.event().day_of(found.start), at, station)
    return _result(change, schedules, [found.key], entry)


def move_session(
    store: Store,
    schedules: SessionStore,
    session: str,
    room: str,
    *,
    at: datetime | None = None,
    station: str = "",
) -> ScheduleChangeResult:
    """Move the session `session` names to `room` (a room of the schedule, or a new one)."""
    current = current_schedule(schedules)
    found = find_session(current, session)
    wanted = check_text(room, "room", MAX_ROOM_CHARS)
    known = {s.room.casefold(): s.room for s in current}
    name = known.get(wanted.casefold(), wanted)
    if found.room == name:
        return ScheduleChangeResult("move", (found,), None)
    entry = _append(store, move_data(found, name), store.event().day_of(found.start), at, station)
    return _result("move", schedules, [found.key], entry)


def retitle_session(
    store: Store,
    schedules: SessionStore,
    session: str,
    title: str,
    *,
    at: datetime | None = None,
    station: str = "",
) -> ScheduleChangeResult:
    """Give the session `session` names a new title (a speaker's change, a typo)."""
    found = find_session(current_schedule(schedules), session)
    new_title = check_text(title, "title", MAX_TITLE_CHARS)
    if found.title == new_title:
        return ScheduleChangeResult("title", (found,), None)
    entry = _append(
        store, title_data(found, new_title), store.event().day_of(found.start), at, station
    )
    return _result("title", schedules, [found.key], entry)


def _room(sessions: Sequence[Session], text: str) -> str:
    """The room `text` names (exactly, else ignoring case), or `InvalidInputError`."""
    rooms = sorted({s.room for s in sessions})
    wanted = " ".join(text.split())
    if wanted in rooms:
        return wanted
    folded = [room for room in rooms if room.casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    shown = ", ".join(rooms[:20]) + (", ..." if len(rooms) > 20 else "")
    raise InvalidInputError(f"no room {text!r} in the schedule; rooms: {shown or '(none)'}")


def _append(
    store: Store, data: dict[str, Any], day: Any, at: datetime | None, station: str
) -> JournalEntry:
    return store.append(
        JournalEntry(
            uuid=new_entry_uuid(),
            kind=EntryKind.SCHEDULE,
            station=station,
            at=utc(at or datetime.now(UTC)),
            day=day,
            data=data,
        )
    )


def _result(
    change: str, schedules: SessionStore, keys: Sequence[str], entry: JournalEntry
) -> ScheduleChangeResult:
    wanted = set(keys)
    now_standing = tuple(s for s in current_schedule(schedules) if s.key in wanted)
    return ScheduleChangeResult(change, now_standing, entry)
