"""The check-in rules: what a scan means, as a result object the screens decide how to show."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.core.codes import MalformedCodeError, ScannedText, clean_scan, lookups_for
from kiosk.core.errors import StorageError
from kiosk.core.layouts import reading_on, scanner_readings
from kiosk.core.model import (
    Attendee,
    AttendeeStatus,
    EntryKind,
    Event,
    JournalEntry,
    new_entry_uuid,
    utc,
)
from kiosk.core.signing import CodeError, read_code, verify_code

if TYPE_CHECKING:  # the port is only a type here: a check-in imports no more than it runs
    from kiosk.core.ports import Store

# Scanners that fire twice send the same code within a second or two.
REPEAT_WINDOW = timedelta(seconds=3)


class CheckInStatus(StrEnum):
    """Every answer a scan can get, in the order the rules check them."""

    INVALID = "invalid"
    WRONG_EVENT = "wrong_event"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    NOT_TODAY = "not_today"
    ALREADY = "already"
    OK = "ok"


@dataclass(frozen=True)
class CheckInResult:
    """The answer to one scan.

    `first_at` and `station` say when and where the attendee was first checked in on `day`
    (for OK, this check-in); `also` holds the day's later check-ins that still count, made at
    kiosks that were cut off from each other. `repeat` marks a scanner's double fire that
    recorded nothing.
    `reason` is a short English explanation for logs and staff, not for display as is.
    """

    status: CheckInStatus
    scanned: str
    at: datetime
    day: date | None = None
    attendee: Attendee | None = None
    code: str | None = None
    first_at: datetime | None = None
    station: str | None = None
    entry: JournalEntry | None = None
    repeat: bool = False
    also: tuple[JournalEntry, ...] = ()  # the day's other check-ins that count (other kiosks)
    reason: str = ""

    @property
    def admitted(self) -> bool:
        """True when the attendee may walk in (a first check-in or its scanner repeat)."""
        return self.status is CheckInStatus.OK


@dataclass(frozen=True)
class Match:
    """Which attendee a scan names, and by which code; or why it names none."""

    attendee: Attendee | None
    code: str | None = None
    status: CheckInStatus | None = None
    reason: str = ""


def identify(store: Store, event: Event, scanned: str, layout: str | None = None) -> Match:
    """Find the attendee a scan names, by every reading of it: as typed, and with keyboard-layout
    and Caps Lock fixes.

    A scan is taken to name someone only when every reading that matches names the same
    attendee, so a mangled scan finds the right person and never a wrong one: if another
    layout's reading of a scan is someone else's code, the scan names neither. When the desk's
    scanner `layout` is known (its scanner check found it), that layout's reading wins such a
    tie: it is what the scanner sent.
    """
    try:
        text = clean_scan(scanned)
    except MalformedCodeError as error:
        return Match(None, status=CheckInStatus.INVALID, reason=str(error))
    failure: Match | None = None
    readings: list[tuple[bool, ScannedText]] = []
    readings_text: list[str] = []  # the reading each of `readings` comes from
    for position, reading in enumerate(scanner_readings(text)):
        try:
            readings.append((position == 0, lookups_for(reading)))
            readings_text.append(reading)
        except MalformedCodeError as error:
            # Only the scan as typed can be malformed (a layout reading that does not parse is
            # simply not what the scanner meant), and even then it may be someone's exact code.
            if position == 0:
                failure = Match(None, status=CheckInStatus.INVALID, reason=str(error))
                readings.append((True, ScannedText(lookups=(reading,))))
                readings_text.append(reading)
    # Every registration code of every reading, looked up at once.
    owners = store.code_owners(
        [code for _, lookup in readings if not lookup.kiosk for code in lookup.lookups]
    )
    named: dict[str, str] = {}  # attendee id -> the code that names them, earliest reading first
    preferred = reading_on(layout, text) if layout else None
    preferred_names: set[str] = set()  # who the known layout's reading names
    for (exact, lookup), reading in zip(readings, readings_text, strict=True):
        owner = _owner(store, event, lookup, owners, exact=exact)
        if isinstance(owner, Match):
            failure = failure or (owner if owner.status else None)
            continue
        attendee_id, code = owner
        named.setdefault(attendee_id, code)
        if reading == preferred:
            preferred_names.add(attendee_id)
    if len(named) > 1 and len(preferred_names) == 1:
        (attendee_id,) = preferred_names
        return Match(
            _attendee_or_unsynced(store, attendee_id, named[attendee_id]), named[attendee_id]
        )
    if len(named) == 1:
        ((attendee_id, code),) = named.items()
        return Match(_attendee_or_unsynced(store, attendee_id, code), code)
    if len(named) > 1:
        names = ", ".join(
            _attendee_or_unsynced(store, attendee_id, code).full_name or attendee_id
            for attendee_id, code in named.items()
        )
        return Match(
            None,
            status=CheckInStatus.UNKNOWN,
            reason=f"the scan reads as several people's codes ({names}); "
            "check the scanner's keyboard layout",
        )
    return failure or Match(None, status=CheckInStatus.UNKNOWN, reason="no attendee has this code")


def _owner(
    store: Store, event: Event, lookup: ScannedText, owners: dict[str, str], *, exact: bool
) -> tuple[str, str] | Match:
    """(attendee id, code) that one reading of a scan names, else a Match saying why not."""
    if lookup.kiosk:
        return _kiosk_code(store, event, lookup.lookups[0], malformed_counts=exact)
    code = next((code for code in lookup.lookups if code in owners), "")
    return (owners[code], code) if code else Match(None)


def _attendee_or_unsynced(store: Store, attendee_id: str, code: str) -> Attendee:
    attendee = store.attendee(attendee_id)
    if attendee is None:
        # A kiosk code signed for our event, but the attendee has not synced here yet: admit,
        # and let sync fill in the name.
        attendee = Attendee(id=attendee_id, first_name="", last_name="", code=code, codes=(code,))
    return attendee


def _kiosk_code(
    store: Store, event: Event, text: str, *, malformed_counts: bool
) -> tuple[str, str] | Match:
    """(attendee id, code) for a valid kiosk code of this event, else why it is not one.

    A code signed with a key the event has retired (`kiosk rotate-key`) is admitted when that
    key is trusted; when it is not, only if this kiosk holds the code already (a walk-in
    registered here or synced before): a code made with a stolen key names nobody we know.
    """
    try:
        signed = read_code(text)
    except CodeError as error:
        if not malformed_counts:
            return Match(None)
        return Match(None, status=CheckInStatus.INVALID, reason=f"kiosk code: {error}")
    if signed.event_id != event.id:
        return Match(None, status=CheckInStatus.WRONG_EVENT, reason=f"event {signed.event_id}")
    code = text.upper()
    if event.public_key is not None and verify_code(signed, event.public_key):
        return signed.attendee_id, code
    retired = next((key for key in event.retired_keys if verify_code(signed, key.public)), None)
    if retired is None:
        return Match(None, status=CheckInStatus.INVALID, reason="kiosk code signature fails")
    if retired.trusted or store.code_owners([code]).get(code) == signed.attendee_id:
        return signed.attendee_id, code
    return Match(
        None,
        status=CheckInStatus.INVALID,
        reason=f"kiosk code signed with the key retired on {retired.retired_at:%Y-%m-%d}, "
        "whose codes are refused unless this kiosk holds them (a walk-in from before: "
        "register them again)",
    )


def check_in(
    store: Store,
    scanned: str,
    station: str,
    at: datetime,
    *,
    rehearsal: bool = False,
    repeat_window: timedelta = REPEAT_WINDOW,
    layout: str | None = None,
) -> CheckInResult:
    """Apply the check-in rules to one scan at `station` at time `at`, recording an OK.

    Rules, in order: unreadable or forged → invalid; another event's → wrong_event; not found
    → unknown; cancelled → cancelled; not an event day or not the ticket's day → not_today;
    already in today → already (with the first time and station); else ok, journalled
    durably before this returns. A repeat of the same check-in at the same station within
    `repeat_window` (three seconds) returns the first answer again and records nothing. A
    `rehearsal` check-in is marked so, and ending the rehearsal undoes it. With the desk
    scanner's `layout` known, its reading of the scan wins where readings disagree.
    """
    event = store.event()
    match = identify(store, event, scanned, layout)
    marks = _marks(rehearsal=rehearsal)
    return _admit(
        store, match, scanned, station, at, event=event, marks=marks, window=repeat_window
    )


def check_in_attendee(
    store: Store,
    attendee_id: str,
    station: str,
    at: datetime,
    *,
    rehearsal: bool = False,
    repeat_window: timedelta = REPEAT_WINDOW,
) -> CheckInResult:
    """Apply the check-in rules to an attendee staff picked from a list, not from a scan."""
    attendee = store.attendee(attendee_id)
    if attendee is None:
        match = Match(None, status=CheckInStatus.UNKNOWN, reason=f"no attendee {attendee_id}")
    else:
        match = Match(attendee, attendee.code or None)
    marks = _marks(rehearsal=rehearsal, picked=True)
    return _admit(
        store, match, "", station, at, event=store.event(), marks=marks, window=repeat_window
    )


def _marks(*, rehearsal: bool = False, picked: bool = False) -> dict[str, object]:
    """What a check-in's journal entry says about how it was made."""
    marks: dict[str, object] = {}
    if picked:
        marks["via"] = "list"
    if rehearsal:
        marks["rehearsal"] = True
    return marks


def _admit(
    store: Store,
    match: Match,
    scanned: str,
    station: str,
    at: datetime,
    *,
    event: Event,
    marks: dict[str, object],
    window: timedelta,
) -> CheckInResult:
    at = utc(at)
    day = event.day_of(at)
    base = CheckInResult(
        status=CheckInStatus.UNKNOWN,
        scanned=scanned,
        at=at,
        day=day,
        attendee=match.attendee,
        code=match.code,
    )
    attendee = match.attendee
    if attendee is None:
        return replace(base, status=match.status or CheckInStatus.UNKNOWN, reason=match.reason)
    if attendee.status is AttendeeStatus.CANCELLED:
        return replace(base, status=CheckInStatus.CANCELLED, reason="the registration is cancelled")
    # Before the day's rules: a scanner firing twice across midnight repeats the first answer,
    # even when the new day is past the event or the ticket's days (no "not today" after green).
    repeated = _double_fire_over_midnight(store, event, attendee.id, station, at, window=window)
    if repeated is not None:
        return _repeat(base, repeated)
    if day not in event.days:
        return replace(base, status=CheckInStatus.NOT_TODAY, reason=f"{day} is not an event day")
    if not attendee.valid_on(day):
        return replace(
            base, status=CheckInStatus.NOT_TODAY, reason=f"the ticket is not valid on {day}"
        )
    return _record(store, base, match, station, marks=marks, window=window)


def _record(
    store: Store,
    base: CheckInResult,
    match: Match,
    station: str,
    *,
    marks: dict[str, object],
    window: timedelta,
) -> CheckInResult:
    """Record an OK, or answer already (or a scanner's repeat) when the attendee is in."""
    at, day, attendee = base.at, base.day, match.attendee
    assert day is not None and attendee is not None
    entry = JournalEntry(
        uuid=new_entry_uuid(),
        kind=EntryKind.CHECKIN,
        station=station,
        at=at,
        day=day,
        attendee_id=attendee.id,
        code=match.code,
        data=marks,
    )
    try:
        first, recorded = store.first_or_append(entry)
    except StorageError:
        # A full disk, a read-only or a locked file refuses the write, not the reading: someone
        # already in today needs nothing written, so the door still gets the true answer.
        earlier = _checkins_if_readable(store, attendee.id, day)
        if not earlier:
            raise
        first, recorded = earlier[0], False
    if recorded:
        return replace(base, status=CheckInStatus.OK, first_at=at, station=station, entry=first)
    repeated = _double_fire(first, station, at, window)
    if repeated is None:
        # Kiosks cut off from each other may each have admitted the person: every such
        # check-in stays, and the answer names them all.
        others = tuple(e for e in store.checkins(attendee.id, day) if e.uuid != first.uuid)
        return replace(
            base,
            status=CheckInStatus.ALREADY,
            reason="already checked in today",
            first_at=first.at,
            station=first.station,
            also=others,
        )
    return _repeat(base, repeated)


def _checkins_if_readable(store: Store, attendee_id: str, day: date) -> list[JournalEntry]:
    """The attendee's check-ins of `day`; none when the file cannot even be read."""
    try:
        return list(store.checkins(attendee_id, day))
    except StorageError:
        return []


def _repeat(base: CheckInResult, repeated: JournalEntry) -> CheckInResult:
    """The first answer again, for a scanner's second fire: nothing recorded."""
    return replace(
        base,
        status=CheckInStatus.OK,
        reason="repeated scan",
        first_at=repeated.at,
        station=repeated.station,
        entry=repeated,
        repeat=True,
    )


def _double_fire(
    earlier: JournalEntry, station: str, at: datetime, window: timedelta
) -> JournalEntry | None:
    """`earlier` when the scan at `at` is the same station's scanner firing twice."""
    if earlier.station == station and timedelta(0) <= at - earlier.at <= window:
        return earlier
    return None


def _double_fire_over_midnight(
    store: Store, event: Event, attendee_id: str, station: str, at: datetime, *, window: timedelta
) -> JournalEntry | None:
    """The check-in a scan just after midnight repeats, when the first fire fell before it."""
    window_start = event.day_of(at - window)
    if window_start == event.day_of(at):
        return None
    for earlier in store.checkins(attendee_id, window_start):
        if _double_fire(earlier, station, at, window) is not None:
            return earlier
    return None
