"""Shared fixtures: an event like the demo's, stores of both kinds, a desk with a settable clock."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import settings

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.events import new_event
from kiosk.core.model import Attendee, AttendeeStatus, Event
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from tests.fakes import MemoryStore

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Key files and the log go to a folder of the test run, never the user's own (subprocesses
# inherit these too).
_RUN_FOLDER = Path(tempfile.mkdtemp(prefix="kiosk-tests-"))
os.environ.setdefault("KIOSK_KEY_DIR", str(_RUN_FOLDER / "keys"))
os.environ.setdefault("KIOSK_LOG_DIR", str(_RUN_FOLDER / "logs"))
# Tests assert behaviour, never speed: a slow CI machine must not fail a property for taking
# longer than hypothesis's default 200 ms per example.
settings.register_profile("kiosk", deadline=None)
settings.load_profile("kiosk")

PRAGUE = ZoneInfo("Europe/Prague")
DAY1, DAY2 = date(2023, 10, 23), date(2023, 10, 24)


def prague(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A time on `day` in Prague, where the demo event happens."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=PRAGUE)


PEOPLE = [
    Registration(row=2, code="e8h3tnsxa2rc6q3hmdw9kwdwjf6qh3ft", first_name="Luděk",
                 last_name="Kühr", organisation="Klastr Nanoprogress", country="CZ",
                 email="ludek.kuhr@example.cz", category="Speaker"),
    Registration(row=3, code="000412387761", first_name="Petr", last_name="Přikryl",
                 organisation="Moravskoslezský automobilový klastr", country="CZ"),
    Registration(row=4, code="0123456789", first_name="Magdaléna", last_name="Vrabčeková"),
    Registration(row=5, code="zzyy12", first_name="Małgorzata", last_name="Żółć", country="PL"),
    Registration(row=6, code="cancelled01", first_name="Jan", last_name="Zrušený",
                 status=AttendeeStatus.CANCELLED),
    Registration(row=7, code="day2only", first_name="Eva", last_name="Druhá", days=(DAY2,)),
    Registration(row=8, code="Chalupa-1", first_name="Ondřej", last_name="Chalupa"),
    Registration(row=9, code="cib-1", first_name="Radek", last_name="Cibulka"),
    Registration(row=10, code="cer-1", first_name="Jiří", last_name="Čermák"),
    Registration(row=11, code="hor-1", first_name="Jan", last_name="Horák"),
]  # fmt: skip


@pytest.fixture(scope="session")
def event_and_keys() -> tuple[Event, EventKeys]:
    return new_event("Clusters meet Regions", "Europe/Prague", [DAY1, DAY2], locale="cs")


def fill(store: MemoryStore | SqliteStore) -> None:
    store.apply_import(plan_import({}, PEOPLE))


@pytest.fixture
def filled(db_path: Path, event_and_keys: tuple[Event, EventKeys]) -> Iterator[SqliteStore]:
    """The small event in a real SQLite file only: for what only the real store does."""
    sqlite = SqliteStore(db_path)
    sqlite.create_event(*event_and_keys)
    fill(sqlite)
    yield sqlite
    sqlite.close()


@pytest.fixture(params=["memory", "sqlite"])
def store(
    request: pytest.FixtureRequest, event_and_keys: tuple[Event, EventKeys], tmp_path: Path
) -> Iterator[MemoryStore | SqliteStore]:
    """The same small event in the fake store and in a real SQLite file."""
    event, keys = event_and_keys
    if request.param == "memory":
        memory = MemoryStore(event, keys)
        fill(memory)
        yield memory
        return
    # A real file, in WAL mode, as at a venue.
    sqlite = SqliteStore(tmp_path / "rules.sqlite3")
    sqlite.create_event(event, keys)
    fill(sqlite)
    yield sqlite
    sqlite.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(prague(DAY1, 9))


@pytest.fixture
def desk(store: MemoryStore | SqliteStore, clock: FixedClock) -> StaffDesk:
    return StaffDesk(store, "Desk A", clock)


def code_of(store: MemoryStore | SqliteStore, last_name: str) -> str:
    return person(store, last_name).code


def person(store: MemoryStore | SqliteStore, last_name: str) -> Attendee:
    return next(a for a in store.attendees() if a.last_name == last_name)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kiosk.sqlite3"
