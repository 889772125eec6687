"""Wiring: find the database, open the store, make a desk, and start the staff window."""

from __future__ import annotations

import contextlib
import os
from datetime import date
from pathlib import Path

from platformdirs import user_data_dir

from kiosk.adapters.demo import load_demo
from kiosk.adapters.storage import (
    REHEARSAL_SETTING,
    STATION_SETTING,
    EventExistsError,
    SqliteStore,
)
from kiosk.core.clock import Clock, RehearsalClock, system_clock
from kiosk.core.desk import Desk

DB_ENV = "KIOSK_DB"
DB_FILENAME = "kiosk.sqlite3"
DEFAULT_STATION = "Desk"


def default_db_path() -> Path:
    """The per-user database: in the platform's data folder, e.g. ~/.local/share/kiosk."""
    return Path(user_data_dir("kiosk", appauthor=False)) / DB_FILENAME


def resolve_db_path(given: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: `given` (--db), else $KIOSK_DB, else the per-user default."""
    if given:
        return Path(given)
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env)
    return default_db_path()


def open_store(path: Path, *, demo_if_empty: bool = False) -> SqliteStore:
    """Open (creating when needed) the database at `path`; set up the demo event in an empty one
    when asked.
    """
    store = SqliteStore(path)
    if demo_if_empty and not store.has_event():
        with contextlib.suppress(EventExistsError):  # another kiosk set it up meanwhile
            load_demo(store)
    return store


def station_name(store: SqliteStore, given: str | None = None) -> str:
    """The station to act as: `given`, else this database's own station, else "Desk"."""
    return given or store.setting(STATION_SETTING) or DEFAULT_STATION


def make_desk(store: SqliteStore, station: str | None = None, clock: Clock = system_clock) -> Desk:
    """A desk acting for `station` (or the database's own) on `store`, on a rehearsal clock
    when the database has a rehearsal day set (the demo does).
    """
    rehearsal_day = store.setting(REHEARSAL_SETTING)
    if rehearsal_day:
        clock = RehearsalClock(store.event(), date.fromisoformat(rehearsal_day), clock)
    return Desk(store, station_name(store, station), clock)


def run_desk(db_path: Path, station: str | None = None, lang: str | None = None) -> int:
    """Open the staff desk window on the database (the demo event when it is empty), in `lang`
    or else the event's language.
    """
    from kiosk.ui.application import create_application  # noqa: PLC0415 (Qt only for the GUI)
    from kiosk.ui.desk import DeskWindow  # noqa: PLC0415

    store = open_store(db_path, demo_if_empty=True)
    desk = make_desk(store, station)
    app = create_application(lang or desk.event.locale)
    window = DeskWindow(desk)
    window.showMaximized()
    try:
        return app.exec()
    finally:
        store.close()
