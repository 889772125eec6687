"""The desk's live counters: today's arrivals and the registry, kept from the change feed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from kiosk.core.checkin import CheckInResult
from kiosk.core.journal import Changes
from kiosk.core.model import AttendeeStatus, EntryKind
from kiosk.workflows.staff import StaffDesk


@dataclass(frozen=True)
class CategoryCount:
    """One category's figures for today."""

    category: str
    arrived: int
    registered: int


class TodayCounter:
    """(arrived today, registered) for a desk, in all and per category, without recounting
    after every check-in.

    It reads who is in once per event day, then follows each check-in and undo: the desk's own
    as they happen and everyone else's from the change feed's `Changes.presence`. Keeping the
    people rather than a number makes that safe: a check-in seen twice (the desk's own, then
    again from the feed; two kiosks admitting one person offline) counts once, and an undo
    asks the store about that one person only. So the cost of a check-in's count does not grow
    with the number of people already in; the registry is counted again only when it changed.
    """

    def __init__(self, desk: StaffDesk) -> None:
        self.desk = desk
        self._day: date | None = None
        self._present: dict[str, str] = {}  # attendee id -> category
        self._registered: Counter[str] = Counter()  # category -> active registrations

    def counts(self) -> tuple[int, int]:
        """(checked in today, active registrations); a new event day (or a rehearsal day
        set or ended) is read afresh.
        """
        self._follow_the_day()
        return len(self._present), self._registered.total()

    def by_category(self) -> list[CategoryCount]:
        """Today's figures per category, in the order of the most registered first."""
        self._follow_the_day()
        arrived = Counter(self._present.values())
        categories = sorted(set(arrived) | set(self._registered),
                            key=lambda c: (-self._registered[c], c))  # fmt: skip
        return [CategoryCount(c, arrived[c], self._registered[c]) for c in categories]

    def reload(self, day: date | None = None) -> None:
        """Read today's figures from the store again (at start, on a new day, after a sync
        when no change feed runs).
        """
        self._day = day or self._today()
        self._present = self.desk.store.checked_in_categories(self._day)
        self._count_registered()

    def after_check_in(self, result: CheckInResult) -> None:
        """Count an answer this desk gave."""
        attendee = result.attendee
        if result.admitted and attendee is not None and result.day == self._day:
            self._present[attendee.id] = attendee.category

    def after_undo(self, attendee_id: str) -> None:
        """Take back an undone check-in of this desk's day."""
        self._recheck(attendee_id)

    def apply(self, changes: Changes) -> None:
        """Follow what another process, thread or kiosk changed."""
        for change in changes.presence:
            if change.day != self._day:
                continue
            if change.kind is EntryKind.CHECKIN and change.attendee_id in self._present:
                continue
            self._recheck(change.attendee_id)
        if changes.registry_changed:
            self._count_registered()

    def _follow_the_day(self) -> None:
        day = self._today()
        if day != self._day:
            self.reload(day)

    def _count_registered(self) -> None:
        self._registered = Counter()
        for category, status, count in self.desk.store.registration_counts():
            if status is AttendeeStatus.ACTIVE:
                self._registered[category] += count

    def _recheck(self, attendee_id: str) -> None:
        if self._day is None:
            return
        store = self.desk.store
        if store.checkins(attendee_id, self._day):
            attendee = store.attendee(attendee_id)
            self._present[attendee_id] = attendee.category if attendee else ""
        else:
            self._present.pop(attendee_id, None)

    def _today(self) -> date:
        return self.desk.event.day_of(self.desk.now())
