"""What every schedule reader shares: times, durations, text, and events made into sessions."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.core.clock import LocalTimeError, skipped
from kiosk.core.schedule import ParsedSchedule, ScheduleWarning, Session, session_key

# "H:MM", "HH:MM:SS", and frab's hours past 24 for a night session ("25:30").
_CLOCK = re.compile(r"^\s*(\d{1,3}):(\d{2})(?::(\d{2}))?\s*$")
_ISO_DURATION = re.compile(
    r"^\s*P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?\s*$",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"<[a-zA-Z/!]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
)
# A session longer than this is a data error (a festival's camping "event" is still shown).
MAX_LENGTH = timedelta(days=7)


def zone(name: object) -> ZoneInfo | None:
    """The IANA time zone `name` names, or None."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_duration(value: object) -> timedelta | None:
    """A duration as schedules write it: "H:MM", "HH:MM:SS", ISO 8601 ("PT30M", "P1DT2H") or a
    number of minutes (90, "90"); None for anything else or a negative one.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return timedelta(minutes=value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.isdigit():
        return timedelta(minutes=int(text))
    found = _CLOCK.match(text)
    if found:
        hours, minutes, seconds = found.groups()
        return timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))
    found = _ISO_DURATION.match(text)
    if found and any(found.groups()):
        weeks, days, hours, minutes, seconds = (float(part or 0) for part in found.groups())
        return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    return None


def parse_clock(value: object) -> timedelta | None:
    """A time of day "HH:MM" or "HH:MM:SS" as the time since midnight (hours may pass 24)."""
    if not isinstance(value, str):
        return None
    found = _CLOCK.match(value)
    if not found:
        return None
    hours, minutes, seconds = found.groups()
    if int(minutes) > 59 or int(seconds or 0) > 59:
        return None
    return timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0))


def parse_stamp(value: object) -> datetime | None:
    """An ISO 8601 date and time ("2024-12-27T10:30:00+01:00", "...Z", or with no offset)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if len(text) <= 10 or not text[:4].isdigit():  # a bare date, or not a date at all
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_date(value: object) -> date | None:
    """An ISO 8601 date ("2024-12-27"), or the date part of a date and time."""
    if not isinstance(value, str) or len(value.strip()) < 10:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _clock_of(moment: datetime) -> timedelta:
    """The wall clock of `moment` in its own offset, as the time since midnight."""
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second)


def wall_time(day: date, since_midnight: timedelta, tz: tzinfo) -> datetime:
    """The moment a wall clock in `tz` shows `since_midnight` after the start of `day` (the
    day after, for "25:30"), by `wall_clock`.
    """
    return wall_clock(datetime.combine(day, time()) + since_midnight, tz)


def wall_clock(naive: datetime, tz: tzinfo) -> datetime:
    """`naive` as a wall time in `tz`. One the clocks skip (the spring change) names no moment:
    `LocalTimeError`, and the event is skipped with a warning rather than moved an hour; one
    they show twice (the autumn change) is the first of the two, as a programme means it.
    """
    if skipped(naive, tz):
        raise LocalTimeError(
            f"{naive.isoformat()} does not exist in {tz} (the clocks skip it at the change "
            "to summer time)"
        )
    return naive.replace(tzinfo=tz)


class _TextOf(HTMLParser):
    """The text of an HTML fragment, with line breaks where its blocks break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        """A block starts a new line."""
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        """A block ends its line."""
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        """Text as it is."""
        self.parts.append(data)


def plain_text(value: object, *, one_line: bool = False) -> str:
    """Text without HTML (tags dropped, entities decoded, blocks as lines) and without
    runs of blank space; `one_line` joins lines, for titles, names and rooms.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _MARKUP.search(text):
        parser = _TextOf()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if one_line:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    # Keep paragraph breaks, drop runs of empty lines.
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()


def localized(value: object, locale: str) -> str:
    """A text that may be given per language ({"en": ..., "de": ...}): the event's language,
    else English, else the first given.
    """
    if isinstance(value, Mapping):
        for language in (locale, "en"):
            found = value.get(language)
            if isinstance(found, str) and found.strip():
                return found
        return next((v for v in value.values() if isinstance(v, str) and v.strip()), "")
    if value is None or isinstance(value, list | dict):
        return ""
    return str(value)


def people(value: object) -> tuple[str, ...]:
    """Speakers' names from a list of names or of person objects, or one comma-joined string."""
    if isinstance(value, str):
        names: Iterable[object] = re.split(r"[,;]\s*|\s+&\s+", value)
    elif isinstance(value, list):
        names = value
    else:
        return ()
    found: list[str] = []
    for item in names:
        if isinstance(item, Mapping):
            name = next(
                (
                    item[field]
                    for field in ("public_name", "name", "full_name", "fullName", "display_name")
                    if isinstance(item.get(field), str) and item[field].strip()
                ),
                " ".join(str(item[part]) for part in ("first_name", "last_name") if item.get(part)),
            )
        else:
            name = item
        clean = plain_text(name, one_line=True)
        if clean and clean not in found:
            found.append(clean)
    return tuple(found)


def slug(text: str, fallback: str) -> str:
    """A schedule's name as the first part of our session keys: lower case, letters, digits
    and dashes (no "/" or "@", which the key uses).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    made = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return made[:60] or fallback


def id_text(value: object) -> str:
    """An id as text (frab ids are numbers in JSON, strings in XML)."""
    if value is None or isinstance(value, bool | Mapping | list):
        return ""
    return str(value).strip()


@dataclass(frozen=True)
class _Pending:
    where: str
    ident: str
    session: Session


class ScheduleBuilder:
    """Collects a file's events as sessions, with the warnings about them; the readers feed it.

    It resolves times against the file's declared time zone (falling back to the event's),
    cleans text, checks lengths, and in `result` gives every session our key and settles
    repeated ones.
    """

    def __init__(self, path: Path, format_name: str, event_timezone: str, locale: str) -> None:
        self.path = path
        self.format = format_name
        self.locale = locale
        self.event_tz: tzinfo = zone(event_timezone) or UTC
        self.event_timezone = event_timezone
        self.declared: ZoneInfo | None = None
        self.declared_name = ""
        self.events = 0
        self.warnings: list[ScheduleWarning] = []
        self._pending: list[_Pending] = []
        self._rooms: list[str] = []
        self._contradicting: dict[str, int] = {}  # offset written -> events
        self._labelled_utc = 0
        self._guessed_zone = False

    # -- what the file says about itself ---------------------------------------------------

    def warn(self, where: str, message: str) -> None:
        """Note something wrong with the file (`where`: an event, or "" for the whole file)."""
        self.warnings.append(ScheduleWarning(self.path.name, where, message))

    def declare_timezone(self, name: object) -> None:
        """The time zone the file says its times are in (`time_zone_name`, `X-WR-TIMEZONE`)."""
        if name is None or (isinstance(name, str) and not name.strip()):
            return
        found = zone(name)
        if found is None:
            self.warn(
                "",
                f"unknown time zone {name!r}: times without an offset are read in "
                f"the event's time zone, {self.event_timezone}",
            )
            return
        self.declared, self.declared_name = found, str(name).strip()

    @property
    def local_zone(self) -> tzinfo:
        """The zone times without an offset are in: the file's, else the event's."""
        if self.declared is not None:
            return self.declared
        self._guessed_zone = True
        return self.event_tz

    def add_room(self, name: str) -> None:
        """A room the file lists (rooms keep the file's order on the board)."""
        clean = plain_text(name, one_line=True)
        if clean and clean not in self._rooms:
            self._rooms.append(clean)

    def stamp(self, where: str, written: datetime, wall: str | None = None) -> datetime:
        """An event's start as the file wrote it (`written`, with or without an offset; `wall`,
        the separate "HH:MM" start frab files also give), as an aware time.

        No offset: the wall time in the file's zone. An offset names the instant, and wins
        over a `time_zone_name` that contradicts it (pretalx writes "UTC" beside +01:00
        offsets). Except "local times labelled Z": a UTC offset, where the declared zone is
        not at UTC, on a time whose clock is exactly the written start ("10:30" beside
        "...T10:30:00Z"): that is local time with the wrong label. A start that matches
        neither is warned about, and the offset used. Warnings about the zone are counted and
        given once per file.
        """
        if written.tzinfo is None:
            return wall_clock(written, self.local_zone)
        clock = parse_clock(wall) if wall is not None else None
        own = _clock_of(written)
        if self.declared is None:
            if clock is not None and clock != own:
                self.warn(where, f"date and start {wall} disagree: the date is used")
            return written
        in_zone = _clock_of(written.astimezone(self.declared))
        if clock is None:
            # No start to check against: only an offset that is not UTC can contradict.
            actual, expected = (
                written.utcoffset(),
                self.declared.utcoffset(written.replace(tzinfo=None)),
            )
            if actual != expected and actual != timedelta(0):
                self._contradiction(written)
            return written
        if clock == in_zone:
            return written
        if clock == own:
            if written.utcoffset() == timedelta(0):
                self._labelled_utc += 1
                return written.replace(tzinfo=self.declared)
            self._contradiction(written)
            return written
        self.warn(where, f"date {written.isoformat()} and start {wall} disagree: the date is used")
        return written

    def _contradiction(self, written: datetime) -> None:
        offset = written.strftime("%z")
        label = f"{offset[:3]}:{offset[3:]}" if offset else "?"
        self._contradicting[label] = self._contradicting.get(label, 0) + 1

    # -- events ------------------------------------------------------------------------------

    def guarded(self, where: str, read: Callable[[], None]) -> None:
        """Read one event with `read`; one that breaks the reader in a way nobody foresaw (a
        year 9999 plus a duration, a list where a name belongs) is skipped with a warning,
        never the whole file.
        """
        try:
            read()
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
            self.warn(where, f"unreadable ({type(error).__name__}: {error}): skipped")

    def add(
        self,
        where: str,
        *,
        ident: str,
        ref: str,
        title: object,
        start: datetime,
        end: datetime | None = None,
        duration: timedelta | None = None,
        room: object,
        speakers: tuple[str, ...] = (),
        track: object = "",
        kind: object = "",
        abstract: object = "",
        subtitle: object = "",
        language: object = "",
        url: object = "",
        cancelled: bool = False,
    ) -> None:
        """One event of the file, as a session (keyed in `result`). Its end is `end`, else
        `start` plus `duration` in real time (a talk across the autumn clock change still
        lasts its hour).
        """
        if end is None and duration is not None:
            end = start.astimezone(UTC) + duration
        clean_title = plain_text(localized(title, self.locale), one_line=True)
        if not clean_title:
            self.warn(where, "has no title")
        clean_room = plain_text(localized(room, self.locale), one_line=True)
        if not clean_room:
            self.warn(where, "has no room")
        if end is None:
            self.warn(where, "has no end or duration: shown as starting only")
            end = start
        elif end < start:
            self.warn(where, "ends before it starts: shown as starting only")
            end = start
        elif end - start > MAX_LENGTH:
            self.warn(where, f"lasts {end - start}: more than {MAX_LENGTH.days} days")
        self.add_room(clean_room)
        session = Session(
            key="",
            title=clean_title,
            start=start.astimezone(UTC),
            end=end.astimezone(UTC),
            room=clean_room,
            speakers=speakers,
            track=plain_text(localized(track, self.locale), one_line=True),
            kind=plain_text(localized(kind, self.locale), one_line=True),
            abstract=plain_text(localized(abstract, self.locale)),
            cancelled=cancelled,
            ref=ref,
            subtitle=plain_text(localized(subtitle, self.locale), one_line=True),
            language=plain_text(localized(language, self.locale), one_line=True),
            url=plain_text(url, one_line=True) if isinstance(url, str) else "",
        )
        if not ident:
            # Nothing in the file names it: its title and room do, as well as anything can.
            basis = f"{clean_title}\x00{clean_room}".encode()
            ident = "t" + hashlib.sha256(basis).hexdigest()[:12]
        self._pending.append(_Pending(where, ident.replace("@", "_"), session))

    def result(
        self, *, source: str, title: str, version: str, rooms: Iterable[str] = ()
    ) -> ParsedSchedule:
        """The schedule read: every session with our key, file-level warnings added."""
        if self._contradicting:
            offsets = ", ".join(sorted(self._contradicting))
            self.warn(
                "",
                f"time_zone_name {self.declared_name!r} contradicts the offsets of "
                f"{sum(self._contradicting.values())} events ({offsets}): the offsets are used",
            )
        if self._labelled_utc:
            self.warn(
                "",
                f"{self._labelled_utc} events have local {self.declared_name} times labelled "
                "UTC (their start says the same clock time): read as local time",
            )
        if self._guessed_zone:
            self.warn(
                "",
                "no time zone in the file: times without an offset are read in the event's "
                f"time zone, {self.event_timezone}",
            )
        sessions: list[Session] = []
        taken: dict[str, Session] = {}
        for pending in self._pending:
            key = session_key(source, pending.ident, pending.session.start)
            session = replace(pending.session, key=key, source=source)
            if key in taken:
                variants = [key] + [k for k in taken if k.startswith(key + "~")]
                if any(replace(taken[k], key="") == replace(session, key="") for k in variants):
                    self.warn(pending.where, "listed twice: kept once")
                    continue
                number = len(variants) + 1
                self.warn(
                    pending.where,
                    f"repeats the id of another event at the same time (in "
                    f"{taken[key].room or 'no room'}): kept as {key}~{number}",
                )
                key = f"{key}~{number}"
                session = replace(session, key=key)
            taken[key] = session
            sessions.append(session)
        for room in rooms:
            self.add_room(room)
        ordered_rooms = [room for room in self._rooms if any(s.room == room for s in sessions)]
        return ParsedSchedule(
            format=self.format,
            source=source,
            title=title,
            version=version,
            timezone=self.declared_name,
            rooms=tuple(ordered_rooms),
            sessions=tuple(sessions),
            events=self.events,
            warnings=tuple(self.warnings),
        )


def decode_text(builder: ScheduleBuilder, data: bytes) -> str:
    """A text file's content: UTF-8 (with or without BOM), else Windows-1252, which reads any
    byte (an old calendar export), with a warning.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        builder.warn("", "not UTF-8: read as Windows-1252; check the accents")
        return data.decode("cp1252", errors="replace")


def where_of(position: int, ident: str = "", title: str = "") -> str:
    """How a warning names an event: its id if it has one, else its position in the file."""
    if ident:
        return f"event {ident}"
    if title:
        return f"event #{position} ({title[:40]})"
    return f"event #{position}"


def as_dict(value: object) -> dict[str, Any]:
    """`value` if it is a JSON object, else an empty one (a file that breaks its schema)."""
    return value if isinstance(value, dict) else {}


# Event states (schedule.json v2 `state`, frab's own) that mean the session will not happen,
# and those that mean it was never on the programme.
_CANCELLED_STATES = frozenset({"canceled", "cancelled", "withdrawn"})
_NOT_SCHEDULED_STATES = frozenset({"deleted", "rejected", "draft", "submitted"})


def state_of(value: object) -> str:
    """An event's state text as "cancelled", "skip" (never on the programme) or "" (on)."""
    if not isinstance(value, str):
        return ""
    state = value.strip().casefold()
    if state in _CANCELLED_STATES:
        return "cancelled"
    if state in _NOT_SCHEDULED_STATES:
        return "skip"
    return ""


def next_day_if_before(
    start: datetime, day_start: datetime | None, day_end: datetime | None
) -> datetime:
    """A start placed on its day's date but before that day began, while the day runs past
    midnight: it is the night after (frab files an event at 01:00 under the day before).
    """
    if day_start is None or day_end is None or start >= day_start:
        return start
    later = wall_time(
        start.date(),
        timedelta(days=1, hours=start.hour, minutes=start.minute, seconds=start.second),
        start.tzinfo or UTC,
    )
    return later if later <= day_end else start
