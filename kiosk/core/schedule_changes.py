"""On-site schedule changes as journal entries, the schedule they make, what a re-import did."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kiosk.core.errors import InvalidInputError
from kiosk.core.journal import entry_key
from kiosk.core.model import EntryKind, Event, JournalEntry, utc
from kiosk.core.schedule import ParsedSchedule, ScheduleWarning, Session, delayed, key_ident

# A delay beyond a day is a mistyped number, not a late talk.
MAX_DELAY_MINUTES = 24 * 60
MAX_TITLE_CHARS = 300
MAX_ROOM_CHARS = 100


class ChangeKind(StrEnum):
    """What an on-site change does; the `change` field of a `schedule` entry's data."""

    DELAY = "delay"  # {"room", "from", "until", "minutes"}: the room's sessions from then on
    CANCEL = "cancel"  # {"session", "cancelled"}: cancelled, or (false) on again
    MOVE = "move"  # {"session", "room"}
    TITLE = "title"  # {"session", "title"}
    FULL = "full"  # {"session", "full"}: the room is full, or (false) has seats again


def delay_data(room: str, start: datetime, until: datetime, minutes: int) -> dict[str, Any]:
    """A delay's journal data: every session in `room` that starts from `start` up to `until`
    (the end of that event day) moves `minutes` later (earlier when negative).

    The day's end is written into the entry, so applying it needs no time zone.
    """
    return {
        "change": str(ChangeKind.DELAY),
        "room": room,
        "from": utc(start).isoformat(),
        "until": utc(until).isoformat(),
        "minutes": minutes,
    }


def cancel_data(session: Session, cancelled: bool = True) -> dict[str, Any]:
    """A cancellation's journal data (`cancelled=False` puts the session back on)."""
    return {"change": str(ChangeKind.CANCEL), "session": session.key, "cancelled": cancelled}


def full_data(session: Session, full: bool = True) -> dict[str, Any]:
    """A "room full" mark on a session (`full=False`: seats again), as journal data."""
    return {"change": str(ChangeKind.FULL), "session": session.key, "full": full}


def move_data(session: Session, room: str) -> dict[str, Any]:
    """A move to another room, as journal data."""
    return {"change": str(ChangeKind.MOVE), "session": session.key, "room": room}


def title_data(session: Session, title: str) -> dict[str, Any]:
    """A new title, as journal data."""
    return {"change": str(ChangeKind.TITLE), "session": session.key, "title": title}


@dataclass(frozen=True)
class _Change:
    kind: ChangeKind
    session: str = ""
    room: str = ""
    title: str = ""
    cancelled: bool = True
    full: bool = True
    start: datetime | None = None
    until: datetime | None = None
    minutes: int = 0


def _parse(data: Mapping[str, Any]) -> _Change | None:
    """The change an entry's data describes, or None for one this version cannot read (a newer
    kiosk's kind of change, a broken entry): it is left out rather than stopping the board.
    """
    try:
        kind = ChangeKind(data["change"])
        if kind is ChangeKind.DELAY:
            minutes = data["minutes"]
            if not isinstance(minutes, int) or isinstance(minutes, bool):
                return None
            start = datetime.fromisoformat(data["from"])
            until = datetime.fromisoformat(data["until"])
            if start.tzinfo is None or until.tzinfo is None:
                return None
            return _Change(kind, room=str(data["room"]), start=start, until=until, minutes=minutes)
        session = data["session"]
        if not isinstance(session, str) or not session:
            return None
        if kind is ChangeKind.CANCEL:
            return _Change(kind, session=session, cancelled=bool(data.get("cancelled", True)))
        if kind is ChangeKind.FULL:
            return _Change(kind, session=session, full=bool(data.get("full", True)))
        if kind is ChangeKind.MOVE:
            return _Change(kind, session=session, room=str(data["room"]))
        return _Change(kind, session=session, title=str(data["title"]))
    except (KeyError, TypeError, ValueError):
        return None


def apply_changes(sessions: Iterable[Session], changes: Iterable[JournalEntry]) -> list[Session]:
    """The schedule as shown: the imported `sessions` with every on-site change applied, in the
    journal's clock order (`entry_key`), so every kiosk holding the same entries shows the same
    schedule whatever order they arrived in. Entries of other kinds are ignored.

    A change names its session by our key; when a newer file moved that session to another
    time (so the key's start no longer matches), it still finds it by its source and id, if
    exactly one session has them. A delay names a room and a moment: every session in that
    room starting from then until the end of that day, as the schedule stands after the changes
    before it, moves; so it holds for whatever a re-import put there.
    """
    current = {s.key: s for s in sessions}
    by_ident: dict[str, list[str]] = {}
    by_room: dict[str, set[str]] = {}  # a delay looks at one room, not the whole programme
    for key, session in current.items():
        by_ident.setdefault(key_ident(key), []).append(key)
        by_room.setdefault(session.room, set()).add(key)
    ordered = sorted((e for e in changes if e.kind is EntryKind.SCHEDULE), key=entry_key)
    for entry in ordered:
        change = _parse(entry.data)
        if change is None:
            continue
        if change.kind is ChangeKind.DELAY:
            _delay(current, by_room.get(change.room, set()), change)
            continue
        key = change.session
        if key not in current:
            matches = by_ident.get(key_ident(key), [])
            if len(matches) != 1:
                continue  # not in this schedule (another file, or removed from it)
            key = matches[0]
        before = current[key]
        current[key] = _changed(before, change)
        if current[key].room != before.room:
            by_room[before.room].discard(key)
            by_room.setdefault(current[key].room, set()).add(key)
    return sorted(current.values(), key=lambda s: (s.start, s.room, s.key))


def _delay(current: dict[str, Session], keys: Iterable[str], change: _Change) -> None:
    assert change.start is not None and change.until is not None
    for key in keys:
        session = current[key]
        if change.start <= session.start < change.until:
            current[key] = delayed(session, change.minutes)


def _changed(session: Session, change: _Change) -> Session:
    if change.kind is ChangeKind.CANCEL:
        return replace(session, cancelled=change.cancelled)
    if change.kind is ChangeKind.FULL:
        return replace(session, full=change.full)
    if change.kind is ChangeKind.MOVE:
        # moved_from remembers the room the schedule gave, through any number of moves.
        original = session.moved_from or session.room
        return replace(
            session, room=change.room, moved_from="" if change.room == original else original
        )
    original = session.original_title or session.title
    return replace(
        session, title=change.title, original_title="" if change.title == original else original
    )


def find_session(sessions: Sequence[Session], text: str) -> Session:
    """The session `text` names: our key, its id part, the file's id, or its exact title
    (ignoring case); raises `InvalidInputError` when none or several match, listing them.
    """
    wanted = text.strip()
    if not wanted:
        raise InvalidInputError("which session? Give its id or key")
    for test in (
        lambda s: s.key == wanted,
        lambda s: key_ident(s.key) == wanted or key_ident(s.key).endswith("/" + wanted),
        lambda s: s.ref == wanted,
        lambda s: s.title.casefold() == wanted.casefold(),
    ):
        found = [s for s in sessions if test(s)]
        if len(found) == 1:
            return found[0]
        if found:
            listed = "; ".join(f"{s.key} ({s.title}, {s.room})" for s in found[:5])
            raise InvalidInputError(
                f"{wanted!r} names {len(found)} sessions; give the key: {listed}"
            )
    raise InvalidInputError(f"no session {wanted!r} in the schedule")


def check_minutes(minutes: int) -> int:
    """A delay in minutes, checked: not zero, at most a day either way."""
    if minutes == 0 or abs(minutes) > MAX_DELAY_MINUTES:
        raise InvalidInputError(
            f"a delay of {minutes} minutes: give 1 to {MAX_DELAY_MINUTES} minutes "
            "(negative to bring sessions forward)"
        )
    return minutes


def check_text(text: str, what: str, limit: int) -> str:
    """A room name or title typed on site, checked: one line, not empty, not too long."""
    clean = " ".join(text.split())
    if not clean:
        raise InvalidInputError(f"the {what} is empty")
    if len(clean) > limit:
        raise InvalidInputError(f"the {what} is longer than {limit} characters")
    return clean


# What a re-import compares; the on-site fields (delay, moved_from, ...) are never imported.
_COMPARED = tuple(
    f.name
    for f in fields(Session)
    if f.name not in {"key", "delay", "moved_from", "original_title", "source"}
)


@dataclass(frozen=True)
class SessionDiff:
    """One session a re-import added, changed or removed; `fields` names what changed."""

    change: str  # "added", "changed", "removed"
    session: Session  # as it is now (for "removed": as it was)
    before: Session | None = None
    fields: tuple[str, ...] = ()

    def to_dict(self, event: Event) -> dict[str, Any]:
        """The change as JSON, times in the event's time zone."""
        data: dict[str, Any] = {
            "change": self.change,
            "key": self.session.key,
            "id": self.session.ref,
            "title": self.session.title,
            "room": self.session.room,
            "start": event.local(self.session.start).isoformat(),
        }
        if self.before is not None:
            data["fields"] = list(self.fields)
            data["before"] = {
                name: _json_value(event, getattr(self.before, name)) for name in self.fields
            }
        return data


def _json_value(event: Event, value: object) -> object:
    if isinstance(value, datetime):
        return event.local(value).isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def diff_sessions(before: Sequence[Session], after: Sequence[Session]) -> list[SessionDiff]:
    """What replacing `before` (one source's stored sessions) with `after` changes.

    Sessions are matched by key; one the file moved to another time has a new key, and is
    matched by its source and id instead when exactly one session on each side has them, so
    it reads "changed: start" rather than one removed and one added.
    """
    old = {s.key: s for s in before}
    new = {s.key: s for s in after}
    added = [s for key, s in new.items() if key not in old]
    removed = [s for key, s in old.items() if key not in new]
    old_idents = _unique_idents(removed)
    new_idents = _unique_idents(added)
    paired = {ident for ident in old_idents if ident in new_idents}
    diffs: list[SessionDiff] = []
    for session in after:
        previous = old.get(session.key)
        ident = key_ident(session.key)
        if previous is None and ident in paired:
            previous = old_idents[ident]
        if previous is None:
            diffs.append(SessionDiff("added", session))
            continue
        changed = tuple(n for n in _COMPARED if getattr(previous, n) != getattr(session, n))
        if changed:
            diffs.append(SessionDiff("changed", session, previous, changed))
    diffs += [SessionDiff("removed", s) for s in removed if key_ident(s.key) not in paired]
    return diffs


def _unique_idents(sessions: Iterable[Session]) -> dict[str, Session]:
    seen: dict[str, list[Session]] = {}
    for session in sessions:
        seen.setdefault(key_ident(session.key), []).append(session)
    return {ident: found[0] for ident, found in seen.items() if len(found) == 1}


@dataclass(frozen=True)
class ScheduleImportReport:
    """What importing a schedule file did (or, with `dry_run`, would do)."""

    file: str
    parsed: ParsedSchedule
    changes: tuple[SessionDiff, ...]
    unchanged: int
    removed_other_sources: int = 0
    dry_run: bool = False
    imported_at: datetime | None = None

    @property
    def warnings(self) -> tuple[ScheduleWarning, ...]:
        """What the file got wrong, and what the import did about it."""
        return self.parsed.warnings

    def count(self, change: str) -> int:
        """How many sessions were "added", "changed" or "removed"."""
        return sum(1 for diff in self.changes if diff.change == change)

    def to_dict(self, event: Event) -> dict[str, Any]:
        """The report as JSON, times in the event's time zone."""
        return {
            "file": self.file,
            "format": self.parsed.format,
            "source": self.parsed.source,
            "title": self.parsed.title,
            "version": self.parsed.version,
            "timezone": self.parsed.timezone,
            "events": self.parsed.events,
            "sessions": len(self.parsed.sessions),
            "rooms": list(self.parsed.rooms),
            "added": self.count("added"),
            "changed": self.count("changed"),
            "removed": self.count("removed") + self.removed_other_sources,
            "unchanged": self.unchanged,
            "changes": [diff.to_dict(event) for diff in self.changes],
            "warnings": [warning.to_dict() for warning in self.warnings],
            "dry_run": self.dry_run,
            "imported_at": event.local(self.imported_at).isoformat() if self.imported_at else None,
        }


def delay_window(event: Event, start: datetime) -> tuple[datetime, datetime]:
    """From `start` to the end of its event day (the next midnight in the event's time zone):
    the stretch a delay from `start` moves sessions in.
    """
    local = event.local(start)
    next_day = local.date() + timedelta(days=1)
    until = datetime(next_day.year, next_day.month, next_day.day, tzinfo=event.tz)
    return utc(start), utc(until)
