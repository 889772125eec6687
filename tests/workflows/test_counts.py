"""The desk's live counters follow check-ins and undos from anywhere without a recount."""

from __future__ import annotations

from kiosk.adapters.storage import ChangeFeed, SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.journal import Changes, PresenceChange
from kiosk.core.model import EntryKind
from kiosk.workflows.counts import TodayCounter
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, prague


def test_the_counter_follows_this_desk_other_desks_and_undos(filled: SqliteStore) -> None:
    clock = FixedClock(prague(DAY1, 9))
    here = StaffDesk(filled, "Desk A", clock)
    feed = ChangeFeed(filled.path)
    counter = TodayCounter(here)
    registered = filled.count_registered()
    assert counter.counts() == (0, registered)
    counter.after_check_in(here.check_in("000412387761"))
    assert counter.counts() == (1, registered)
    # Another desk (another connection, as another process would be) admits someone; the feed
    # brings both check-ins, this desk's own again too, which must not count twice.
    there = StaffDesk(SqliteStore(filled.path), "Desk B", clock)
    there.store.add_station("Desk B")  # type: ignore[attr-defined]
    there.check_in("zzyy12")
    clock.advance(minutes=1)
    changes = feed.poll()
    assert [c.kind for c in changes.presence] == [EntryKind.CHECKIN, EntryKind.CHECKIN]
    counter.apply(changes)
    assert counter.counts()[0] == 2
    undone = there.undo("zzyy12")
    counter.apply(feed.poll())
    assert undone.entries and counter.counts()[0] == 1
    assert counter.counts()[0] == filled.count_checked_in(DAY1)


def test_a_repeat_seen_from_the_feed_too_is_not_counted_twice(filled: SqliteStore) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    feed = ChangeFeed(filled.path)
    counter = TodayCounter(desk)
    counter.counts()
    counter.after_check_in(desk.check_in("000412387761"))
    counter.apply(feed.poll())  # the same check-in, now from the feed
    assert counter.counts()[0] == 1 == filled.count_checked_in(DAY1)


def test_another_days_changes_do_not_touch_today(filled: SqliteStore) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    counter = TodayCounter(desk)
    counter.counts()
    counter.apply(Changes(frozenset(), (PresenceChange(EntryKind.CHECKIN, "someone", DAY2),)))
    assert counter.counts()[0] == 0


def test_after_the_first_count_a_check_in_costs_no_count_query(filled: SqliteStore) -> None:
    # The figure must not cost more as more people arrive: no statement that scans the day's
    # check-ins runs when the count is read or a check-in is added. (The store's one look at
    # whether the event row changed, a single-row read, is all that may run.)
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    counter = TodayCounter(desk)
    counter.counts()
    statements: list[str] = []
    connection = filled._conn()  # the test watches the store's own statements
    connection.set_trace_callback(statements.append)
    try:
        counter.after_check_in(desk.check_in("000412387761"))
        statements.clear()
        assert counter.counts()[0] == 1
    finally:
        connection.set_trace_callback(None)
    assert [s for s in statements if "FROM changes WHERE topic = 'event'" not in s] == []


def test_the_counter_keeps_figures_per_category(filled: SqliteStore) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    counter = TodayCounter(desk)
    before = {c.category: c for c in counter.by_category()}
    result = desk.check_in("000412387761")
    counter.after_check_in(result)
    after = {c.category: c for c in counter.by_category()}
    category = result.attendee.category  # type: ignore[union-attr]
    assert after[category].arrived == before[category].arrived + 1
    assert sum(c.registered for c in after.values()) == filled.count_registered()
