"""The desk's live counters: today's arrivals and the registry, kept from the change feed."""

from __future__ import annotations

from datetime import date

from kiosk.core.checkin import CheckInResult
from kiosk.core.journal import Changes, Topic
from kiosk.core.model import EntryKind
from kiosk.workflows.staff import StaffDesk


class TodayCounter:
    """(arrived today, registered) for a desk, without recounting after every check-in.

    It reads who is in once per event day, then follows each check-in and undo: the desk's own
    as they happen and everyone else's from the change feed's `Changes.presence`. Keeping the
    people rather than a number makes that safe: a check-in seen twice (the desk's own, then
    again from the feed; two kiosks admitting one person offline) counts once, and an undo
    asks the store about that one person only. So the cost of a check-in's count does not grow
    with the number of people already in.
    """

    def __init__(self, desk: StaffDesk) -> None:
        self.desk = desk
        self._day: date | None = None
        self._present: set[str] = set()
        self._registered = 0

    def counts(self) -> tuple[int, int]:
        """(checked in today, active registrations); a new event day (or a rehearsal day
        set or ended) is read afresh.
        """
        day = self._today()
        if day != self._day:
            self.reload(day)
        return len(self._present), self._registered

    def reload(self, day: date | None = None) -> None:
        """Read today's figures from the store again (at start, on a new day, after a sync
        when no change feed runs).
        """
        self._day = day or self._today()
        store = self.desk.store
        self._present = store.checked_in_ids(self._day)
        self._registered = store.count_registered()

    def after_check_in(self, result: CheckInResult) -> None:
        """Count an answer this desk gave."""
        if result.admitted and result.attendee is not None and result.day == self._day:
            self._present.add(result.attendee.id)

    def after_undo(self, attendee_id: str) -> None:
        """Take back an undone check-in of this desk's day."""
        self._recheck(attendee_id)

    def apply(self, changes: Changes) -> None:
        """Follow what another process, thread or kiosk changed."""
        for change in changes.presence:
            if change.day != self._day:
                continue
            if change.kind is EntryKind.CHECKIN:
                self._present.add(change.attendee_id)
            else:
                self._recheck(change.attendee_id)
        if Topic.ATTENDEES in changes:
            self._registered = self.desk.store.count_registered()

    def _recheck(self, attendee_id: str) -> None:
        if self._day is None:
            return
        if self.desk.store.checkins(attendee_id, self._day):
            self._present.add(attendee_id)
        else:
            self._present.discard(attendee_id)

    def _today(self) -> date:
        return self.desk.event.day_of(self.desk.now())
