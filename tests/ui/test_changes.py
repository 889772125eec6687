"""Screens follow changes made by any process: the change feed as a Qt signal."""

from __future__ import annotations

import os
import subprocess
import sys

from kiosk.adapters.storage import ChangeFeed
from kiosk.app import LobbySource, open_kiosk
from kiosk.core.errors import StorageError
from kiosk.core.journal import Changes, Topic
from kiosk.ui.changes import ChangeWatcher
from kiosk.ui.desk import DeskWindow
from kiosk.ui.lobby import LobbyWindow
from kiosk.workflows.config import change_setting
from kiosk.workflows.staff import StaffDesk

KADLECOVA = "032857605093"


def test_a_check_in_by_another_process_reaches_the_desk_s_counters_within_a_second(
    qtbot, desk, store
):
    feed = ChangeFeed(store.path)
    window = DeskWindow(desk, changes=ChangeWatcher(feed))
    qtbot.addWidget(window)
    window.show()
    window.field.setText("kadlecová")
    window.search_now()
    assert window.counts_button.text() == "In today: 0 of 150"
    assert window.model.data(window.model.index(0, 3)) == ""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "--db", str(store.path), "checkin", KADLECOVA,
         "--at", "2023-10-23T08:58", "--station", "Desk B"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(
        lambda: window.counts_button.text() == "In today: 1 of 150",
        timeout=1000,
    )
    # The results list shows the new check-in too, without anyone typing again.
    qtbot.waitUntil(lambda: window.model.data(window.model.index(0, 3)) == "✓ 08:58", timeout=1000)
    feed.close()


def test_a_setting_changed_elsewhere_reaches_the_desk(qtbot, desk, store):
    watcher = ChangeWatcher(ChangeFeed(store.path))
    seen: list[Changes] = []
    watcher.changed.connect(seen.append)
    window = DeskWindow(desk, changes=watcher)
    qtbot.addWidget(window)
    change_setting(store, "desk.result_seconds", "12")
    qtbot.waitUntil(lambda: bool(seen), timeout=1000)
    assert seen[0].topics == {Topic.SETTINGS}
    assert desk.settings.result_seconds == 12


class BrokenFeed:
    def __init__(self) -> None:
        self.calls = 0

    def poll(self) -> Changes:
        self.calls += 1
        raise StorageError("database gone: disk I/O error")


def test_a_feed_that_fails_keeps_the_screen_alive(qtbot):
    broken = BrokenFeed()
    watcher = ChangeWatcher(broken, interval_ms=10)
    qtbot.waitUntil(lambda: broken.calls >= 3, timeout=2000)
    watcher.stop()


def test_the_lobby_s_arrivals_follow_check_ins_and_undos_made_by_another_process(
    qtbot, store, clock
):
    # A second store on the file in this process, as the desk's lobby board beside its desk.
    with open_kiosk(store.path) as kiosk:
        board_desk = StaffDesk(kiosk.store, "Lobby", clock)
        feed = ChangeFeed(store.path)
        window = LobbyWindow(LobbySource(kiosk, board_desk), clock, changes=ChangeWatcher(feed))
        qtbot.addWidget(window)
        window.show()
        assert window.counts == (0, 150)

        def desk_b(command: str) -> None:
            done = subprocess.run(
                [sys.executable, "-m", "kiosk", "--db", str(store.path), command, KADLECOVA,
                 "--at", "2023-10-23T08:58", "--station", "Desk B"],
                capture_output=True, text=True, timeout=60, check=False,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )  # fmt: skip
            assert done.returncode == 0, done.stderr

        desk_b("checkin")
        qtbot.waitUntil(lambda: window.counts == (1, 150), timeout=2000)
        desk_b("undo")
        qtbot.waitUntil(lambda: window.counts == (0, 150), timeout=2000)
        # What it follows is what a fresh count finds.
        assert board_desk.today_counts() == (0, 150)
        feed.close()
