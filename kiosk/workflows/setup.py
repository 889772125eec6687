"""Setting up this kiosk: a new event, joining another kiosk's event, sharing it, the demo."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.errors import CannotIssueCodesError, EventSetupError, InvalidInputError
from kiosk.core.events import adopted_event, new_event, rotated_event
from kiosk.core.images import image_uri
from kiosk.core.model import Event
from kiosk.core.ports import DemoData, EventFiles, Passphrase, RegistrationFile, Store
from kiosk.core.registrations import ImportReport
from kiosk.core.settings import parse_value
from kiosk.core.signing import EventKeys, new_event_keys
from kiosk.workflows.config import change_setting
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.schedule import ScheduleSource, SessionStore, import_demo_schedule

DEFAULT_STATION = "Desk"
# The shortest passphrase a private key is exported under: it is tried offline, at leisure.
MIN_PASSPHRASE_CHARS = 10
CLEAR_KEY_WARNING = (
    "{path} holds the event's private key in the clear (written by an older kiosk): delete "
    "it now that it is read, and consider 'kiosk rotate-key' if others may have copied it"
)


@dataclass(frozen=True)
class SetUp:
    """A kiosk set up for an event: the event, this kiosk's station, and its kiosk id."""

    event: Event
    station: str
    kiosk_id: str


@dataclass(frozen=True)
class PlannedEvent:
    """An event checked and ready to store, with its keys and this kiosk's station name;
    `warnings` for the person joining (a private key that came in the clear).
    """

    event: Event
    keys: EventKeys
    station: str
    warnings: tuple[str, ...] = ()


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


def plan_join(
    files: EventFiles,
    path: Path,
    *,
    station: str | None = None,
    passphrase: Passphrase | None = None,
) -> PlannedEvent:
    """The event another kiosk set up, from its exported event file, checked; an encrypted
    private key is opened with `passphrase` (asked only then).
    """
    content = files.read(path, passphrase)
    warnings = (CLEAR_KEY_WARNING.format(path=path),) if content.key_in_clear else ()
    return PlannedEvent(
        content.event,
        content.keys,
        parse_value("station", station or DEFAULT_STATION),
        warnings,
    )


def set_up(store: Store, planned: PlannedEvent) -> SetUp:
    """Store a planned event in an empty store; this kiosk acts as its station. A kiosk that
    joins another's event keeps its own kiosk id, so the two journals merge.
    """
    with store.transaction():
        created = store.create_event(planned.event, planned.keys)
        store.set_setting("station", planned.station)
        store.add_station(planned.station)
    return SetUp(created, planned.station, store.kiosk_id())


def check_passphrase(passphrase: str) -> str:
    """`passphrase` when it is long enough to protect a private key in a file."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise InvalidInputError(
            f"the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters: "
            "the file can be tried offline"
        )
    return passphrase


def export_event(
    store: Store,
    files: EventFiles,
    path: Path,
    *,
    with_private_key: bool = False,
    passphrase: str | None = None,
    protected: Sequence[Path] = (),
) -> tuple[Event, bool]:
    """Write this event for another kiosk to join; with `with_private_key` it may issue codes
    too, and the key is encrypted under `passphrase` (required then, at least
    `MIN_PASSPHRASE_CHARS` long). Returns the event and whether the private key went in.
    """
    event = store.event()
    private = store.signing_key() if with_private_key else None
    if with_private_key and private is None:
        raise CannotIssueCodesError(
            "this kiosk has only the event's public key: it cannot share the private"
        )
    if private is not None:
        if passphrase is None:
            raise InvalidInputError("the private key is exported only under a passphrase")
        check_passphrase(passphrase)
    files.write(path, event, private, protected, passphrase if private is not None else None)
    return event, private is not None


class KeyStore(Store, Protocol):
    """A store whose event keys can be replaced (`kiosk rotate-key`)."""

    def replace_keys(self, event: Event, private_key: bytes | None) -> Event:
        """Store `event`'s public and retired keys, and `private_key` sealed (or none)."""
        ...


@dataclass(frozen=True)
class KeyRotation:
    """What `kiosk rotate-key` did: the event with its keys now, whether this kiosk can issue
    codes, whether the old keys' codes are refused unless held here, and any warnings.
    """

    event: Event
    can_issue: bool
    refuse_old: bool
    adopted: bool = False
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The rotation as the command line's JSON."""
        return {
            "event": self.event.to_dict(),
            "public_key": (self.event.public_key or b"").hex(),
            "retired_keys": [
                {
                    "public_key": key.public.hex(),
                    "retired_at": key.retired_at.isoformat(),
                    "trusted": key.trusted,
                }
                for key in self.event.retired_keys
            ],
            "can_issue": self.can_issue,
            "refuse_old": self.refuse_old,
            "adopted": self.adopted,
            "warnings": list(self.warnings),
        }


def rotate_key(store: KeyStore, at: datetime, *, refuse_old: bool = False) -> KeyRotation:
    """Give the event a new signing key pair; the old public key is retired at `at`. Codes it
    signed stay valid unless `refuse_old`, which then admits them only where the code is held
    already (walk-ins registered or synced before). Other kiosks learn the new key from an
    event file (`adopt_keys`).
    """
    keys = new_event_keys()
    event = rotated_event(store.event(), keys, at, refuse_old=refuse_old)
    return KeyRotation(store.replace_keys(event, keys.private), True, refuse_old)


def adopt_keys(
    store: KeyStore, files: EventFiles, path: Path, *, passphrase: Passphrase | None = None
) -> KeyRotation:
    """Take the keys of the event file `path`, exported by the kiosk that rotated them, for
    this kiosk's event: its public and retired keys, and its private key if it has one (a
    kiosk adopting a file without it can no longer issue codes: its old key is retired).
    """
    content = files.read(path, passphrase)
    try:
        event = adopted_event(store.event(), content.event)
    except EventSetupError as error:
        raise EventSetupError(f"{path}: field {error}") from error
    warnings = (CLEAR_KEY_WARNING.format(path=path),) if content.key_in_clear else ()
    stored = store.replace_keys(event, content.keys.private)
    refuse_old = any(not key.trusted for key in stored.retired_keys)
    return KeyRotation(
        stored, content.keys.private is not None, refuse_old, adopted=True, warnings=warnings
    )


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
