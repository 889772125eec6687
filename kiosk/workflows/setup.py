"""Setting up this kiosk: a new event, joining another kiosk's event, sharing it, the demo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.core.errors import CannotIssueCodesError, EventSetupError
from kiosk.core.events import new_event
from kiosk.core.images import image_uri
from kiosk.core.model import Event
from kiosk.core.ports import DemoData, EventFiles, RegistrationFile, Store
from kiosk.core.registrations import ImportReport
from kiosk.core.settings import parse_value
from kiosk.core.signing import EventKeys
from kiosk.workflows.config import change_setting
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.schedule import ScheduleSource, SessionStore, import_demo_schedule

DEFAULT_STATION = "Desk"


@dataclass(frozen=True)
class SetUp:
    """A kiosk set up for an event: the event, this kiosk's station, and its kiosk id."""

    event: Event
    station: str
    kiosk_id: str


@dataclass(frozen=True)
class PlannedEvent:
    """An event checked and ready to store, with its keys and this kiosk's station name."""

    event: Event
    keys: EventKeys
    station: str


def plan_event(
    name: str,
    timezone: str,
    days: list[date],
    *,
    venue: str = "",
    locale: str | None = None,
    station: str | None = None,
) -> PlannedEvent:
    """A new event with fresh keys, every field checked before anything is stored."""
    event, keys = new_event(name, timezone, days, venue=venue, locale=locale)
    return PlannedEvent(event, keys, parse_value("station", station or DEFAULT_STATION))


def plan_join(files: EventFiles, path: Path, *, station: str | None = None) -> PlannedEvent:
    """The event another kiosk set up, from its exported event file, checked."""
    event, keys = files.read(path)
    return PlannedEvent(event, keys, parse_value("station", station or DEFAULT_STATION))


def set_up(store: Store, planned: PlannedEvent) -> SetUp:
    """Store a planned event in an empty store; this kiosk acts as its station. A kiosk that
    joins another's event keeps its own kiosk id, so the two journals merge.
    """
    with store.transaction():
        created = store.create_event(planned.event, planned.keys)
        store.set_setting("station", planned.station)
        store.add_station(planned.station)
    return SetUp(created, planned.station, store.kiosk_id())


def export_event(
    store: Store,
    files: EventFiles,
    path: Path,
    *,
    with_private_key: bool = False,
    protected: Sequence[Path] = (),
) -> tuple[Event, bool]:
    """Write this event for another kiosk to join; with `with_private_key` it may issue codes
    too. Returns the event and whether the private key went into the file.
    """
    event = store.event()
    private = store.signing_key() if with_private_key else None
    if with_private_key and private is None:
        raise CannotIssueCodesError(
            "this kiosk has only the event's public key: it cannot share the private"
        )
    files.write(path, event, private, protected)
    return event, private is not None


def load_demo(
    store: Store,
    demo: DemoData,
    registrations: RegistrationFile,
    *,
    schedules: SessionStore | None = None,
    schedule_files: ScheduleSource | None = None,
) -> ImportReport:
    """Set up the built-in demo event with its attendees in an empty store.

    It happened in October 2023, so it runs on a rehearsal clock on its first day; on the real
    clock every scan would be "not today".
    """
    spec = demo.spec()
    try:
        days = [date.fromisoformat(str(day)) for day in spec["days"]]
        event, keys = new_event(
            str(spec["name"]),
            str(spec["timezone"]),
            days,
            venue=str(spec.get("venue", "")),
            locale=str(spec.get("locale", "en")),
        )
        planned = PlannedEvent(
            event, keys, parse_value("station", str(spec.get("station") or DEFAULT_STATION))
        )
    except (KeyError, TypeError, ValueError) as error:
        raise EventSetupError(f"the demo event's description is broken: {error}") from error
    # One transaction: a demo is either all there or not there at all.
    with store.transaction():
        set_up(store, planned)
        store.set_setting("rehearsal_day", event.days[0].isoformat())
        report = import_registrations(store, registrations, demo.attendees_file())
        change_setting(store, "lobby.logo", image_uri(demo.logo(), "the demo logo"))
        if schedules is not None and schedule_files is not None:
            import_demo_schedule(store, schedules, schedule_files)
        return report
