"""The staff's capability: every action a staff screen or the CLI takes, for one station."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.core.checkin import (
    REPEAT_WINDOW,
    CheckInResult,
    CheckInStatus,
    check_in,
    check_in_attendee,
    identify,
)
from kiosk.core.clock import Clock, clock_for, system_clock
from kiosk.core.codes import code_prefix_of
from kiosk.core.errors import CannotIssueCodesError, InvalidInputError
from kiosk.core.model import (
    DEFAULT_CATEGORY,
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
from kiosk.core.settings import Settings
from kiosk.core.signing import issue_code, looks_like_kiosk_code
from kiosk.core.text import clean_field, words
from kiosk.workflows.config import change_setting, current_settings

if TYPE_CHECKING:  # types only: `kiosk checkin` should not import what it does not run
    from kiosk.core.detail import AttendeeDetail
    from kiosk.core.people import PersonDetails
    from kiosk.core.ports import Store

DEFAULT_SEARCH_LIMIT = 50
MAX_SEARCH_LIMIT = 10_000


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


class EditStatus(StrEnum):
    """What a correction of an attendee's name or organisation did."""

    EDITED = "edited"
    UNCHANGED = "unchanged"  # the details given are the ones stored
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class EditResult:
    """The answer to a correction: the attendee as now stored, the journal entry that carries
    the change to every kiosk, and the fields it changed.
    """

    status: EditStatus
    attendee: Attendee | None = None
    entry: JournalEntry | None = None
    changed: tuple[str, ...] = ()

    @property
    def reprint(self) -> bool:
        """True when a badge was printed before and now shows the old name: print a new one."""
        return self.attendee is not None and self.attendee.reprint


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


class StaffDesk:
    """A staff station of the event: every staff action, with the station's name and a clock.

    Built directly, it keeps the station, clock and repeat window it is given (tests, the
    benchmark); built by `from_settings`, it follows the kiosk's settings, and
    `reload_settings` picks up a change made by any process (a new station name, a rehearsal
    started or ended).
    """

    def __init__(
        self,
        store: Store,
        station: str,
        clock: Clock = system_clock,
        *,
        repeat_window: timedelta = REPEAT_WINDOW,
    ) -> None:
        self.store = store
        self.station = station
        self.clock = clock
        self.repeat_window = repeat_window
        self.settings = Settings()
        self._follow: tuple[Clock, str | None] | None = None  # (base clock, station override)

    @classmethod
    def from_settings(
        cls, store: Store, *, station: str | None = None, base_clock: Clock = system_clock
    ) -> StaffDesk:
        """A desk that runs as the kiosk's settings say: its station (unless `station` is
        given), a rehearsal clock on its rehearsal day, the event's repeat window.
        """
        desk = cls(store, station or "", base_clock)
        desk._follow = (base_clock, station)
        desk.reload_settings()
        return desk

    def reload_settings(self) -> Settings:
        """Read the settings again and, for a desk built by `from_settings`, act on them."""
        self.settings = current_settings(self.store)
        if self._follow is not None:
            base_clock, station = self._follow
            self.station = station or self.settings.station
            self.clock = clock_for(self.event, self.settings.rehearsal_day, base_clock)
            self.repeat_window = timedelta(seconds=self.settings.repeat_seconds)
        return self.settings

    def set_setting(self, name: str, text: str | None) -> Settings:
        """Change one of this desk's settings (None: back to its default) and act on it.

        For what staff change from the desk itself: the scanner's layout, the sound switch.
        """
        change_setting(self.store, name, text, station=self.station, clock=self.clock)
        return self.reload_settings()

    @property
    def event(self) -> Event:
        """The event this desk serves."""
        return self.store.event()

    def now(self) -> datetime:
        """The desk's current time (a rehearsal clock may run in the past)."""
        return utc(self.clock())

    @property
    def rehearsal_day(self) -> date | None:
        """The event day a rehearsal clock runs on, or None on the real date."""
        return self.clock.rehearsal_day

    @property
    def rehearsing(self) -> bool:
        """True when the desk runs on a rehearsal clock; its check-ins are marked as rehearsal."""
        return self.rehearsal_day is not None

    def check_in(self, scanned: str, at: datetime | None = None) -> CheckInResult:
        """Check in whoever `scanned` names, now or at `at`; see `kiosk.core.checkin.check_in`."""
        return check_in(
            self.store,
            scanned,
            self.station,
            at or self.now(),
            rehearsal=self.rehearsing,
            repeat_window=self.repeat_window,
            layout=self.settings.scanner_layout or None,
        )

    def check_in_attendee(self, attendee_id: str, at: datetime | None = None) -> CheckInResult:
        """Check in an attendee staff picked from the list, by id; the same rules as a scan."""
        return check_in_attendee(
            self.store,
            attendee_id,
            self.station,
            at or self.now(),
            rehearsal=self.rehearsing,
            repeat_window=self.repeat_window,
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
        # Looked up and undone in one step: of two desks undoing at once, one finds nothing.
        undone = self.store.undo_checkins(attendee.id, day, lambda c: self._undo_entry(c, at))
        if not undone:
            return UndoResult(
                UndoStatus.NOT_CHECKED_IN, attendee, reason=f"not checked in on {day}"
            )
        return UndoResult(UndoStatus.UNDONE, attendee, undone)

    def _undo_entry(self, checkin: JournalEntry, at: datetime) -> JournalEntry:
        """The journal entry that cancels `checkin`."""
        return JournalEntry(
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

    def _append_undos(
        self, checkins: Iterable[JournalEntry], at: datetime
    ) -> tuple[JournalEntry, ...]:
        return tuple(self.store.append(self._undo_entry(checkin, at)) for checkin in checkins)

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
        category: str = DEFAULT_CATEGORY,
        country: str = "",
        email: str = "",
    ) -> WalkIn:
        """Register someone who arrives unregistered and sign them a kiosk code.

        The details are cleaned and checked as `kiosk.core.people.check_person` says (a first
        or last name; an e-mail address that looks like one); raises `InvalidInputError`
        naming the field otherwise. A walk-in is registered, not checked in: scanning the new
        code checks them in, as for anyone else.
        """
        # The one way a walk-in's text comes in: cleaned as an import's is (no NUL, no ESC).
        first_name, last_name = clean_field(first_name), clean_field(last_name)
        organisation, category = clean_field(organisation), clean_field(category)
        country, email = clean_field(country), clean_field(email)
        details = _checked(
            first_name, last_name, organisation=organisation, email=email, category=category
        )
        private_key = self.store.signing_key()
        if private_key is None:
            raise CannotIssueCodesError("this kiosk has only the event's public key")
        at = self.now()
        event = self.event
        attendee_id = new_attendee_id()
        code = issue_code(private_key, event.id, attendee_id, at)
        attendee = Attendee(
            id=attendee_id,
            first_name=details.first_name,
            last_name=details.last_name,
            code=code,
            codes=(code,),
            organisation=details.organisation,
            country=country.strip().upper(),
            email=details.email,
            category=details.category or DEFAULT_CATEGORY,
        )
        entry = JournalEntry(
            uuid=new_entry_uuid(),
            kind=EntryKind.WALKIN,
            station=self.station,
            at=at,
            day=event.day_of(at),
            attendee_id=attendee_id,
            code=code,
            data={"attendee": attendee.record(), "code_kind": str(CodeKind.KIOSK)},
        )
        return WalkIn(attendee, code, self.store.add_walkin(entry))

    def edit_attendee(
        self,
        attendee_id: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        organisation: str | None = None,
    ) -> EditResult:
        """Correct an attendee's name or organisation (None: keep it as stored).

        The whole corrected record goes into the journal as a `registration` entry, as an
        import's would, so every kiosk that merges it shows the correction and a later import
        or correction is ordered against it by the journal's clock (the newest wins). When a
        badge was printed for them before, the attendee is flagged for a reprint. Raises
        `InvalidInputError` naming the field for details `check_person` refuses.
        """
        with self.store.transaction():
            before = self.store.attendee(attendee_id)
            if before is None:
                return EditResult(EditStatus.NOT_FOUND)
            details = _checked(
                before.first_name if first_name is None else first_name,
                before.last_name if last_name is None else last_name,
                organisation=before.organisation if organisation is None else organisation,
            )
            after = replace(
                before,
                first_name=details.first_name,
                last_name=details.last_name,
                organisation=details.organisation,
            )
            changed = tuple(
                name
                for name in ("first_name", "last_name", "organisation")
                if getattr(before, name) != getattr(after, name)
            )
            if not changed:
                return EditResult(EditStatus.UNCHANGED, before)
            at = self.now()
            source = "walkin" if looks_like_kiosk_code(before.code) else "import"
            entry = self.store.add_record(
                JournalEntry(
                    uuid=new_entry_uuid(),
                    kind=EntryKind.REGISTRATION,
                    station=self.station,
                    at=at,
                    attendee_id=attendee_id,
                    code=before.code or None,
                    data={"attendee": after.record(), "source": source, "edited": list(changed)},
                )
            )
            return EditResult(EditStatus.EDITED, self.store.attendee(attendee_id), entry, changed)

    def edit_scanned(
        self,
        scanned: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        organisation: str | None = None,
    ) -> EditResult:
        """`edit_attendee` for whoever the scanned or typed code names, by the check-in's rules."""
        attendee = identify(self.store, self.event, scanned).attendee
        if attendee is None:
            return EditResult(EditStatus.NOT_FOUND)
        return self.edit_attendee(
            attendee.id, first_name=first_name, last_name=last_name, organisation=organisation
        )

    def attendee_detail(self, attendee_id: str) -> AttendeeDetail | None:
        """Everything known of one attendee: codes, presence on each event day, badge prints,
        changes to their record, the registration's notes and what needs attention; None for
        no such attendee.
        """
        attendee = self.store.attendee(attendee_id)
        if attendee is None:
            return None
        from kiosk.core.detail import attendee_detail  # noqa: PLC0415 (staff-only, rarely used)

        entries = self.store.attendee_journal(attendee_id)
        return attendee_detail(attendee, self.event, entries, self.event.day_of(self.now()))

    def categories(self) -> list[str]:
        """The categories attendees are registered in here, sorted, for choosing one."""
        found = {category for category, _, _ in self.store.registration_counts() if category}
        return sorted(found | {DEFAULT_CATEGORY}, key=str.casefold)

    def search(self, text: str, limit: int = DEFAULT_SEARCH_LIMIT) -> list[Attendee]:
        """Attendees matching every word of `text` as a prefix, ignoring case and diacritics.

        Names, organisation and e-mail are searched; text without spaces, of four characters or
        with a digit, also matches the start of a code, ignoring case. Results are sorted by
        surname in the event's language.
        """
        if not 1 <= limit <= MAX_SEARCH_LIMIT:
            raise InvalidInputError(f"limit: {limit} is not from 1 to {MAX_SEARCH_LIMIT}")
        query = words(text)
        code_prefix = code_prefix_of(text)
        if not (query or code_prefix):
            return []
        return self.store.search(query, limit, code_prefix)

    def stations(self) -> list[str]:
        """Every station name known here: the desks, kiosks and doors that have acted."""
        return self.store.stations()

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


def _checked(
    first_name: str,
    last_name: str,
    *,
    organisation: str = "",
    email: str = "",
    category: str = "",
) -> PersonDetails:
    """The details as `check_person` cleans them; `InvalidInputError` for the first problem."""
    from kiosk.core.people import check_person  # noqa: PLC0415 (walk-ins and edits only)

    details, problems = check_person(
        first_name, last_name, organisation=organisation, email=email, category=category
    )
    if problems:
        raise InvalidInputError(f"{problems[0].field}: {problems[0].message}")
    return details


__all__ = [
    "CannotIssueCodesError",
    "CheckInResult",
    "CheckInStatus",
    "EditResult",
    "EditStatus",
    "StaffDesk",
    "Stats",
    "UndoResult",
    "UndoStatus",
    "WalkIn",
]
