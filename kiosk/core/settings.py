"""Every setting, declared once: name, type, default, scope, description and validation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from kiosk.core.errors import SettingError
from kiosk.core.layouts import SCANNER_LAYOUTS
from kiosk.core.model import Event

MAX_STATION_CHARS = 40


class Scope(StrEnum):
    """Where a setting applies, and so where it is kept."""

    KIOSK = "kiosk"  # this kiosk only: kept in its own database
    EVENT = "event"  # every kiosk of the event: kept in the journal, so it syncs


@dataclass(frozen=True)
class Settings:
    """The values of every setting, as the code reads them; built by `read_settings`."""

    station: str = "Desk"
    rehearsal_day: date | None = None
    result_seconds: int = 30
    search_delay_ms: int = 150
    language: str = ""
    repeat_seconds: int = 3
    sync_dir: str = ""
    inbox_dir: str = ""
    sync_seconds: int = 5
    backup_minutes: int = 5
    print_queue: str = ""
    print_layout: str = "a6"
    print_auto: str = "first"
    self_service_reprints: int = 1
    lobby_announcement: str = ""
    lobby_programme_url: str = ""
    lobby_seconds_per_page: int = 8
    lobby_logo: str = ""
    scanner_layout: str = ""
    sounds: str = "on"
    camera_device: str = ""
    unlock_pin: str = ""
    unlock_staff_code: str = ""
    unlock_failures: int = 0


# (text from the user or the store, the event) -> value; raises ValueError saying what is wrong.
Parse = Callable[[str, Event | None], Any]


@dataclass(frozen=True)
class Setting:
    """One setting: its name in `kiosk config`, the `Settings` field it fills, and its rules."""

    name: str
    field: str
    type: str
    scope: Scope
    description: str
    parse: Parse
    # Set by a workflow of its own (with rules beyond the value), not by `kiosk config`.
    managed_by: str = ""
    # A hash that is never shown: `kiosk config` says only whether it is set.
    secret: bool = False

    @property
    def default(self) -> Any:
        """The value when nothing is stored."""
        return getattr(Settings(), self.field)

    def text(self, value: Any) -> str:
        """`value` as stored and shown: dates in ISO 8601, None as empty."""
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


def _station(text: str, _event: Event | None) -> str:
    name = " ".join(text.split())
    if not name:
        raise ValueError("a station needs a name")
    if len(name) > MAX_STATION_CHARS:
        raise ValueError(f"at most {MAX_STATION_CHARS} characters")
    if not name.isprintable():
        raise ValueError("control characters are not allowed")
    return name


def _event_day(text: str, event: Event | None) -> date | None:
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("not a date like 2023-10-23") from None
    if event is not None and day not in event.days:
        days = ", ".join(d.isoformat() for d in event.days)
        raise ValueError(f"{day} is not a day of the event ({days})")
    return day


def _integer(low: int, high: int) -> Parse:
    def parse(text: str, _event: Event | None) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError("not a whole number") from None
        if not low <= value <= high:
            raise ValueError(f"must be from {low} to {high}")
        return value

    return parse


IMAGE_TYPE = "image"


def _image(text: str, _event: Event | None) -> str:
    value = text.strip()
    if value:
        from kiosk.core.images import image_bytes  # noqa: PLC0415 (only when one is set)

        image_bytes(value)  # raises ValueError saying what is wrong
    return value


def _folder(text: str, _event: Event | None) -> str:
    folder = text.strip()
    if folder and not folder.isprintable():
        raise ValueError("control characters are not allowed")
    return folder


# CUPS takes any printable character in a queue's name but space, tab, "/" and "#"; a leading
# "-" would read as an option to lp, and a quote or backslash is trouble in every shell.
_QUEUE_FORBIDDEN = frozenset(" \t/#\\'\"")
MAX_QUEUE_CHARS = 127
MAX_LAYOUT_CHARS = 40


def _print_queue(text: str, _event: Event | None) -> str:
    name = text.strip()
    if not name:
        return ""
    if len(name) > MAX_QUEUE_CHARS:
        raise ValueError(f"at most {MAX_QUEUE_CHARS} characters")
    if not name.isprintable() or any(c in _QUEUE_FORBIDDEN for c in name):
        raise ValueError("a CUPS queue name has no spaces, slashes, '#', quotes or backslashes")
    if name.startswith("-"):
        raise ValueError("a CUPS queue name does not start with '-'")
    return name


def _layout(text: str, _event: Event | None) -> str:
    name = text.strip().lower()
    if not name or len(name) > MAX_LAYOUT_CHARS:
        raise ValueError(f"a layout's name, 1 to {MAX_LAYOUT_CHARS} characters")
    if not all(c.isascii() and (c.isalnum() or c in "-_") for c in name):
        raise ValueError("letters, digits, '-' and '_' only (a6, a7, label-62, ...)")
    return name


MAX_ANNOUNCEMENT_CHARS = 500
MAX_URL_CHARS = 300


def _announcement(text: str, _event: Event | None) -> str:
    # One line, spaces collapsed: the lobby board shows its " | "-separated parts in turn.
    line = " ".join(text.split())
    if len(line) > MAX_ANNOUNCEMENT_CHARS:
        raise ValueError(f"at most {MAX_ANNOUNCEMENT_CHARS} characters")
    if not line.isprintable():
        raise ValueError("control characters are not allowed")
    return line


def _web_address(text: str, _event: Event | None) -> str:
    url = text.strip()
    if not url:
        return ""
    if len(url) > MAX_URL_CHARS:
        raise ValueError(f"at most {MAX_URL_CHARS} characters")
    scheme, separator, rest = url.partition("://")
    if not separator or scheme.lower() not in ("http", "https") or not rest:
        raise ValueError("not a web address starting with https:// or http://")
    if not url.isprintable() or any(c.isspace() for c in url):
        raise ValueError("a web address has no spaces or control characters")
    return url


MAX_CAMERA_CHARS = 200
CAMERA_OFF = "none"


def _camera(text: str, _event: Event | None) -> str:
    # "" and "none" as they are; anything else is a camera's id or its name as the system
    # lists it, matched when the camera starts (a camera may be plugged in later).
    name = text.strip()
    if name.lower() == CAMERA_OFF:
        return CAMERA_OFF
    if len(name) > MAX_CAMERA_CHARS:
        raise ValueError(f"at most {MAX_CAMERA_CHARS} characters")
    if not name.isprintable():
        raise ValueError("control characters are not allowed")
    return name


def _secret_hash(text: str, _event: Event | None) -> str:
    value = text.strip()
    if value:
        from kiosk.core.unlock import parse_hash  # noqa: PLC0415 (hashlib: only when one is set)

        parse_hash(value)  # ValueError says what is wrong
    return value


def _choice(*choices: str) -> Parse:
    def parse(text: str, _event: Event | None) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise ValueError("must be one of " + ", ".join(repr(c) for c in choices))
        return value

    return parse


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "station",
        "station",
        "text",
        Scope.KIOSK,
        "This kiosk's station name, in the journal and in other desks' answers.",
        _station,
    ),
    Setting(
        "rehearsal_day",
        "rehearsal_day",
        "date",
        Scope.KIOSK,
        "An event day the clock runs on for a rehearsal; empty: the real date.",
        _event_day,
        managed_by="kiosk rehearsal DAY|off",
    ),
    Setting(
        "desk.result_seconds",
        "result_seconds",
        "integer",
        Scope.KIOSK,
        "How long the desk shows a check-in's answer before it is ready again.",
        _integer(3, 600),
    ),
    Setting(
        "desk.sounds",
        "sounds",
        "choice: on, off",
        Scope.KIOSK,
        "A short sound for each check-in answer (one for admitted, others for a problem).",
        _choice("on", "off"),
    ),
    Setting(
        "scanner.layout",
        "scanner_layout",
        "choice: '', " + ", ".join(SCANNER_LAYOUTS),
        Scope.KIOSK,
        "The keyboard layout this desk's USB scanner types through, found by the desk's scanner"
        " check; empty: not checked, every layout's reading is tried.",
        _choice("", *SCANNER_LAYOUTS),
    ),
    Setting(
        "desk.search_delay_ms",
        "search_delay_ms",
        "integer",
        Scope.KIOSK,
        "How long the desk waits after a key before it searches.",
        _integer(0, 2000),
    ),
    Setting(
        "desk.language",
        "language",
        "choice: '', cs, en",
        Scope.KIOSK,
        "The desk's language; empty: the event's.",
        _choice("", "cs", "en"),
    ),
    Setting(
        "sync.dir",
        "sync_dir",
        "folder",
        Scope.KIOSK,
        "The folder the event's kiosks exchange journals in; empty: no sync.",
        _folder,
    ),
    Setting(
        "sync.inbox",
        "inbox_dir",
        "folder",
        Scope.KIOSK,
        "The folder the desk imports registration exports from; empty: none.",
        _folder,
    ),
    Setting(
        "sync.seconds",
        "sync_seconds",
        "integer",
        Scope.KIOSK,
        "How often the desk exchanges journals and looks in the inbox.",
        _integer(2, 3600),
    ),
    Setting(
        "print.queue",
        "print_queue",
        "text",
        Scope.KIOSK,
        "The CUPS printer queue badges go to (see 'lpstat -e'); empty: no printer.",
        _print_queue,
    ),
    Setting(
        "print.layout",
        "print_layout",
        "text",
        Scope.KIOSK,
        "The badge layout this kiosk prints (a6, a7, label-62, ...).",
        _layout,
    ),
    Setting(
        "print.auto",
        "print_auto",
        "choice: never, first, every",
        Scope.KIOSK,
        "Print a badge by itself on the first check-in of the event, on every one, or never.",
        _choice("never", "first", "every"),
    ),
    Setting(
        "print.self_service_reprints",
        "self_service_reprints",
        "integer",
        Scope.KIOSK,
        "How many reprints an attendee may ask for at a self-service kiosk.",
        _integer(0, 10),
    ),
    Setting(
        "backup.minutes",
        "backup_minutes",
        "integer",
        Scope.KIOSK,
        "How often the desk backs its database up beside it; 0: only when it closes.",
        _integer(0, 1440),
    ),
    Setting(
        "checkin.repeat_seconds",
        "repeat_seconds",
        "integer",
        Scope.EVENT,
        "A scanner firing twice at one station within this many seconds records nothing new.",
        _integer(0, 60),
    ),
    Setting(
        "lobby.announcement",
        "lobby_announcement",
        "text",
        Scope.EVENT,
        "The lobby board's announcement; parts separated by ' | ' are shown in turn.",
        _announcement,
    ),
    Setting(
        "lobby.programme_url",
        "lobby_programme_url",
        "url",
        Scope.EVENT,
        "The online programme the lobby board's QR code opens; empty: no QR code.",
        _web_address,
    ),
    Setting(
        "lobby.logo",
        "lobby_logo",
        IMAGE_TYPE,
        Scope.EVENT,
        "The event's logo on the lobby board: a PNG or JPEG file (kiosk config lobby.logo FILE),"
        " kept in the journal so every kiosk shows it; empty: none.",
        _image,
    ),
    Setting(
        "lobby.seconds_per_page",
        "lobby_seconds_per_page",
        "integer",
        Scope.KIOSK,
        "How long the lobby board shows each page of rooms when they do not all fit.",
        _integer(3, 120),
    ),
    Setting(
        "camera.device",
        "camera_device",
        "text",
        Scope.KIOSK,
        "The camera that scans QR codes: empty: the system's default; 'none': no camera; "
        "else a camera's id or name.",
        _camera,
    ),
    Setting(
        "self.pin",
        "unlock_pin",
        "scrypt hash",
        Scope.KIOSK,
        "The staff PIN that unlocks the self-service screen, as a salted scrypt hash.",
        _secret_hash,
        managed_by="kiosk self --set-pin",
        secret=True,
    ),
    Setting(
        "self.staff_code",
        "unlock_staff_code",
        "scrypt hash",
        Scope.KIOSK,
        "The staff code whose scan unlocks the self-service screen, as a salted scrypt hash.",
        _secret_hash,
        managed_by="kiosk self --set-staff-code",
        secret=True,
    ),
    Setting(
        "self.pin_failures",
        "unlock_failures",
        "integer",
        Scope.KIOSK,
        "Wrong PINs in a row at the self-service screen: a restart keeps the delay they earned.",
        _integer(0, 1000),
    ),
)
BY_NAME: Mapping[str, Setting] = {setting.name: setting for setting in SETTINGS}


def setting(name: str) -> Setting:
    """The declared setting called `name`; raises `SettingError` for an unknown one."""
    try:
        return BY_NAME[name]
    except KeyError:
        known = ", ".join(BY_NAME)
        raise SettingError(f"{name!r} is not a setting (settings: {known})") from None


def parse_value(name: str, text: str, event: Event | None = None) -> Any:
    """The value of setting `name` that `text` means; raises `SettingError` naming both."""
    declared = setting(name)
    try:
        return declared.parse(text, event)
    except ValueError as error:
        raise SettingError(f"{name}: {text!r} is not a valid value: {error}") from None


def read_settings(stored: Mapping[str, str], event: Event | None = None) -> Settings:
    """The settings that `stored` (name -> text) gives, defaults for the rest.

    A stored value that no longer passes its rules (another kiosk's, an older version's) falls
    back to the default rather than stopping the kiosk.
    """
    values: dict[str, Any] = {}
    for declared in SETTINGS:
        if declared.name in stored:
            try:
                values[declared.field] = declared.parse(stored[declared.name], event)
            except ValueError:
                continue
    return replace(Settings(), **values)
