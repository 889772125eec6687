"""One station's view of the event: check in, undo, walk-ins, search, lists and counts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from kiosk.core.checkin import (
    CheckInResult,
    CheckInStatus,
    check_in,
    check_in_attendee,
    identify,
)
from kiosk.core.clock import Clock, RehearsalClock, system_clock
from kiosk.core.model import (
    Attendee,
    AttendeeStatus,
    CodeKind,
    EntryKind,
    Event,
    JournalEntry,
    new_attendee_id,
    new_entry_uuid,
    utc,
)
from kiosk.core.ports import Store
from kiosk.core.signing import issue_code
from kiosk.core.text import words

DEFAULT_SEARCH_LIMIT = 50
MIN_CODE_PREFIX = 4


class UndoStatus(StrEnum):
    """What an undo did."""

    UNDONE = "undone"
    NOT_CHECKED_IN = "not_checked_in"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class UndoResult:
    """The answer to an undo: the check-ins it cancelled today, as journal entries."""

    status: UndoStatus
    attendee: Attendee | None = None
    entries: tuple[JournalEntry, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class WalkIn:
    """A walk-in registered at the desk, with the signed code printed on their badge."""

    attendee: Attendee
    code: str
    entry: JournalEntry


class CannotIssueCodesError(RuntimeError):
    """Raised when this kiosk holds only the event's public key, so it cannot sign new codes."""


@dataclass(frozen=True)
class CategoryCount:
    """Registered and checked-in attendees of one category."""

    registered: int = 0
    checked_in: int = 0
    by_day: dict[date, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Stats:
    """Counts for the event: active registrations, and check-ins in total, per day, per category.

    `checked_in` counts people who came on at least one day.
    """

    registered: int
    cancelled: int
    checked_in: int
    by_day: dict[date, int]
    by_category: dict[str, CategoryCount]


class Desk:
    """A station of the event: every staff action, with the station's name and a clock."""

    def __init__(self, store: Store, station: str, clock: Clock = system_clock) -> None:
        self.store = store
        self.station = station
        self.clock = clock

    @property
    def event(self) -> Event:
        """The event this desk serves."""
        return self.store.event()

    def now(self) -> datetime:
        """The desk's current time (a rehearsal clock may run in the past)."""
        return utc(self.clock())

    @property
    def rehearsing(self) -> bool:
        """True when the desk runs on a rehearsal clock; its check-ins are marked as rehearsal."""
        return isinstance(self.clock, RehearsalClock)

    def check_in(self, scanned: str, at: datetime | None = None) -> CheckInResult:
        """Check in whoever `scanned` names, now or at `at`; see `kiosk.core.checkin.check_in`."""
        return check_in(
            self.store, scanned, self.station, at or self.now(), rehearsal=self.rehearsing
        )

    def check_in_attendee(self, attendee_id: str, at: datetime | None = None) -> CheckInResult:
        """Check in an attendee staff picked from the list, by id; the same rules as a scan."""
        return check_in_attendee(
            self.store, attendee_id, self.station, at or self.now(), rehearsal=self.rehearsing
        )

    def first_checkins(
        self, attendee_ids: Iterable[str], day: date | None = None
    ) -> dict[str, JournalEntry]:
        """The first check-in of `day` (default: today) of each of these attendees who has one."""
        return self.store.first_checkins(list(attendee_ids), day or self.event.day_of(self.now()))

    def undo(self, scanned: str, at: datetime | None = None) -> UndoResult:
        """Cancel today's check-ins of whoever `scanned` names, as journal entries."""
        match = identify(self.store, self.event, scanned)
        if match.attendee is None:
            return UndoResult(UndoStatus.NOT_FOUND, reason=match.reason)
        return self._undo_day(match.attendee, at)

    def undo_attendee(self, attendee_id: str, at: datetime | None = None) -> UndoResult:
        """Cancel today's check-ins of the attendee with this id (the one a screen shows)."""
        attendee = self.store.attendee(attendee_id)
        if attendee is None:
            return UndoResult(UndoStatus.NOT_FOUND, reason=f"no attendee {attendee_id}")
        return self._undo_day(attendee, at)

    def _undo_day(self, attendee: Attendee, at: datetime | None) -> UndoResult:
        at = utc(at or self.now())
        day = self.event.day_of(at)
        active = self.store.checkins(attendee.id, day)
        if not active:
            return UndoResult(
                UndoStatus.NOT_CHECKED_IN, attendee, reason=f"not checked in on {day}"
            )
        return UndoResult(UndoStatus.UNDONE, attendee, self._append_undos(active, at))

    def _append_undos(
        self, checkins: Iterable[JournalEntry], at: datetime
    ) -> tuple[JournalEntry, ...]:
        return tuple(
            self.store.append(
                JournalEntry(
                    uuid=new_entry_uuid(),
                    kind=EntryKind.UNDO,
                    station=self.station,
                    at=at,
                    day=checkin.day,
                    attendee_id=checkin.attendee_id,
                    code=checkin.code,
                    ref=checkin.uuid,
                    data={"rehearsal": True} if checkin.data.get("rehearsal") else {},
                )
            )
            for checkin in checkins
        )

    def end_rehearsal(self) -> tuple[JournalEntry, ...]:
        """Undo every check-in made on a rehearsal clock that still counts, so the real event
        starts with nobody in; the journal keeps both, as it keeps everything.
        """
        entries = self.store.journal()
        undone = {entry.ref for entry in entries if entry.kind is EntryKind.UNDO}
        rehearsed = [
            entry
            for entry in entries
            if entry.kind is EntryKind.CHECKIN
            and entry.data.get("rehearsal")
            and entry.uuid not in undone
        ]
        return self._append_undos(rehearsed, system_clock())

    def today_counts(self) -> tuple[int, int]:
        """(checked in today, active registrations): the figures a desk shows all day, counted
        by the store rather than from every attendee.
        """
        return (
            self.store.count_checked_in(self.event.day_of(self.now())),
            self.store.count_registered(),
        )

    def walk_in(
        self,
        first_name: str,
        last_name: str,
        *,
        organisation: str = "",
        category: str = "Participant",
        country: str = "",
        email: str = "",
    ) -> WalkIn:
        """Register someone who arrives unregistered and sign them a kiosk code."""
        first_name, last_name = first_name.strip(), last_name.strip()
        if not (first_name or last_name):
            raise ValueError("a walk-in needs a first or last name")
        private_key = self.store.signing_key()
        if private_key is None:
            raise CannotIssueCodesError("this kiosk has only the event's public key")
        at = self.now()
        event = self.event
        attendee_id = new_attendee_id()
        code = issue_code(private_key, event.id, attendee_id, at)
        attendee = Attendee(
            id=attendee_id,
            first_name=first_name,
            last_name=last_name,
            code=code,
            codes=(code,),
            organisation=organisation.strip(),
            country=country.strip().upper(),
            email=email.strip(),
            category=category.strip(),
        )
        entry = JournalEntry(
            uuid=new_entry_uuid(),
            kind=EntryKind.WALKIN,
            station=self.station,
            at=at,
            day=event.day_of(at),
            attendee_id=attendee_id,
            code=code,
            data={"attendee": attendee.to_dict(), "code_kind": str(CodeKind.KIOSK)},
        )
        return WalkIn(attendee, code, self.store.add_walkin(attendee, code, entry))

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[Attendee]:
        """Attendees matching every word of `text` as a prefix, ignoring case and diacritics.

        Names, organisation and e-mail are searched; text without spaces, of four characters or
        with a digit, also matches the start of a code, ignoring case. Results are sorted by
        surname in the event's language.
        """
        query = words(text)
        typed = text.strip()
        # A short run of letters is the start of a name; as a code prefix it would match
        # hundreds of random secrets at a large event and push the names off the list.
        code_shaped = len(typed) >= MIN_CODE_PREFIX or any(char.isdigit() for char in typed)
        no_spaces = not any(char.isspace() for char in typed)
        code_prefix = typed if typed and no_spaces and code_shaped else None
        if not (query or code_prefix):
            return []
        return self.store.search(query, limit, code_prefix)

    def attendees(self) -> list[Attendee]:
        """Every attendee, sorted by surname, then first name, in the event's language."""
        return self.store.attendees()

    def stats(self) -> Stats:
        """Registered and checked-in counts, per day and per category."""
        registered: Counter[str] = Counter()
        cancelled = 0
        for category, status, count in self.store.registration_counts():
            if status is AttendeeStatus.ACTIVE:
                registered[category] += count
            else:
                cancelled += count
        by_day: Counter[date] = Counter()
        came: set[str] = set()
        category_days: dict[str, Counter[date]] = defaultdict(Counter)
        category_came: dict[str, set[str]] = defaultdict(set)
        for attendee_id, day, category in self.store.presence():
            by_day[day] += 1
            came.add(attendee_id)
            category_days[category][day] += 1
            category_came[category].add(attendee_id)
        categories = sorted(set(registered) | set(category_days))
        return Stats(
            registered=registered.total(),
            cancelled=cancelled,
            checked_in=len(came),
            by_day=dict(sorted(by_day.items())),
            by_category={
                category: CategoryCount(
                    registered=registered[category],
                    checked_in=len(category_came[category]),
                    by_day=dict(sorted(category_days[category].items())),
                )
                for category in categories
            },
        )


__all__ = [
    "CannotIssueCodesError",
    "CheckInResult",
    "CheckInStatus",
    "Desk",
    "Stats",
    "UndoResult",
    "UndoStatus",
    "WalkIn",
]
