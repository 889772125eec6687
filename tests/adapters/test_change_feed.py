"""The change feed tells what any connection, thread or process changed, and nothing else."""

from __future__ import annotations

import subprocess
import sys
import threading

from kiosk.adapters.storage import ChangeFeed, SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.journal import Topic
from kiosk.core.registrations import Registration, plan_import
from kiosk.workflows.config import change_setting
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, prague


def test_nothing_changed_is_an_empty_answer(filled: SqliteStore) -> None:
    feed = ChangeFeed(filled.path)
    assert not feed.poll() and feed.poll().topics == frozenset()


def test_each_kind_of_write_names_its_topic(filled: SqliteStore) -> None:
    feed = ChangeFeed(filled.path)
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    desk.check_in("000412387761")
    assert feed.poll().topics == {Topic.CHECKINS}
    desk.walk_in("Jana", "Nováková")
    assert feed.poll().topics == {Topic.CHECKINS, Topic.ATTENDEES}
    renamed = Registration(row=2, code="000412387761", first_name="Petr", last_name="Příhoda")
    filled.apply_import(plan_import(filled.registered(), [renamed]))
    assert feed.poll().topics == {Topic.ATTENDEES}
    change_setting(filled, "desk.result_seconds", "20")
    assert feed.poll().topics == {Topic.SETTINGS}
    change_setting(filled, "checkin.repeat_seconds", "5")  # an event setting: a journal entry
    assert feed.poll().topics == {Topic.SETTINGS}
    assert not feed.poll()


def test_a_worker_thread_s_write_is_seen(filled: SqliteStore) -> None:
    feed = ChangeFeed(filled.path)
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    thread = threading.Thread(target=lambda: desk.check_in("0123456789"))
    thread.start()
    thread.join()
    assert Topic.CHECKINS in feed.poll()


def test_another_process_s_check_in_is_seen(filled: SqliteStore) -> None:
    db_path = filled.path
    feed = ChangeFeed(db_path)
    code = (
        "from kiosk.adapters.storage import SqliteStore\n"
        "from kiosk.core.clock import FixedClock\n"
        "from kiosk.workflows.staff import StaffDesk\n"
        "from tests.conftest import DAY1, prague\n"
        f"desk = StaffDesk(SqliteStore({str(db_path)!r}), 'Desk B', FixedClock(prague(DAY1, 9)))\n"
        "print(desk.check_in('zzyy12').status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "ok"
    assert feed.poll().topics == {Topic.CHECKINS}
