"""Fixtures for the Qt tests: an offscreen app, the demo event in a real SQLite file, a desk."""

from __future__ import annotations

import os

# Before Qt loads: without a display pytest would abort with exit 134.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.ui.application import create_application
from kiosk.ui.desk import DeskWindow
from kiosk.workflows.staff import StaffDesk
from tests.support import load_demo

PRAGUE = ZoneInfo("Europe/Prague")
# The demo event runs on 23 and 24 October 2023.
FIRST_DAY_9AM = datetime(2023, 10, 23, 9, 0, tzinfo=PRAGUE)
STATION = "Desk A"


@pytest.fixture(scope="session")
def qapp(qapp_args: list[str]) -> QApplication:
    """pytest-qt's application, set up as the real app is (bundled fonts, English)."""
    return create_application("en", qapp_args)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo event in a database file, made once; tests get a copy."""
    path = tmp_path_factory.mktemp("demo") / "kiosk.sqlite3"
    with SqliteStore(path) as store:
        load_demo(store)
    return path


@pytest.fixture
def store(demo_db: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    path = tmp_path / "kiosk.sqlite3"
    shutil.copyfile(demo_db, path)
    with SqliteStore(path) as opened:
        yield opened


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIRST_DAY_9AM)


@pytest.fixture
def desk(store: SqliteStore, clock: FixedClock) -> StaffDesk:
    store.add_station(STATION)
    return StaffDesk(store, STATION, clock)


@pytest.fixture
def make_window(qtbot, desk: StaffDesk):
    """Open a desk window on the demo event; keyword arguments go to DeskWindow."""

    def make(**options: int) -> DeskWindow:
        options.setdefault("undo_hold_ms", 300)  # a finger holds 2 s; the tests need not wait
        window = DeskWindow(desk, **options)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitUntil(window.field.hasFocus)
        return window

    return make


@pytest.fixture
def window(make_window) -> DeskWindow:
    return make_window()


@pytest.fixture
def czech(qapp: QApplication) -> Iterator[QApplication]:
    """The application switched to Czech for one test, and back to English after it."""
    yield create_application("cs")
    assert create_application("en") is qapp
