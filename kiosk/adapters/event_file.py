"""An event's definition as a file, so a second kiosk can join the event another one set up."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.adapters.file_limits import MAX_EVENT_FILE_BYTES, read_limited
from kiosk.core.errors import EventSetupError, FileFormatError
from kiosk.core.events import check_event
from kiosk.core.model import Event
from kiosk.core.signing import EventKeys

FORMAT = "kiosk-event/1"
_KEY_BYTES = 32


class EventFileError(FileFormatError):
    """The event file cannot be read; the message names the file and the field."""


def write_event_file(
    path: Path,
    event: Event,
    private_key: bytes | None = None,
    protected: Sequence[Path] = (),
) -> None:
    """Write the event (id, name, days, time zone, public key) to `path`; with `private_key`,
    the receiving kiosk may issue codes too, so keep such a file as secret as the key. The file
    is readable by its owner alone and never written over the database (`protected`), a
    journal or any other kiosk file but an older event file.
    """
    if event.public_key is None:
        raise EventFileError(f"{path}: the event has no public key to share")
    data: dict[str, Any] = {
        "format": FORMAT,
        **event.to_dict(),
        "public_key": base64.b64encode(event.public_key).decode("ascii"),
    }
    if private_key is not None:
        data["private_key"] = base64.b64encode(private_key).decode("ascii")
    from kiosk.adapters.output_files import write_private_file  # noqa: PLC0415 (it reads ours)

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_private_file(path, text.encode("utf-8"), protected, event_file=True)


def read_event_file(path: Path) -> tuple[Event, EventKeys]:
    """The event and its keys (the private one only if the file has it) from `path`, every
    field checked (`check_event`): a private key that does not match the public one, an
    unknown time zone or a broken id is refused here, not found out at the first scan.
    """
    try:
        raw = read_limited(path, MAX_EVENT_FILE_BYTES, "an event file")
    except OSError as error:
        raise EventFileError(f"{path}: cannot read the file: {error.strerror}") from error
    try:
        data = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise EventFileError(f"{path}: not an event file (not JSON: {error})") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise EventFileError(f"{path}: field format: not a {FORMAT} file")
    public = _key(path, data, "public_key")
    if public is None:
        raise EventFileError(f"{path}: field public_key: missing")
    event = Event(
        id=_text(path, data, "id"),
        name=_text(path, data, "name"),
        venue=_text(path, data, "venue", required=False),
        timezone=_text(path, data, "timezone"),
        days=_days(path, data),
        locale=_text(path, data, "locale", required=False) or "en",
        public_key=public,
    )
    keys = EventKeys(private=_key(path, data, "private_key"), public=public)
    try:
        check_event(event, keys)
    except EventSetupError as error:
        raise EventFileError(f"{path}: field {error}") from error
    return event, keys


def _text(path: Path, data: dict[str, Any], field: str, *, required: bool = True) -> str:
    value = data.get(field, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise EventFileError(f"{path}: field {field}: missing, empty or not text")
    return value


def _days(path: Path, data: dict[str, Any]) -> tuple[date, ...]:
    days = data.get("days")
    if not isinstance(days, list) or not days:
        raise EventFileError(f"{path}: field days: no event days")
    try:
        return tuple(date.fromisoformat(day) for day in days)
    except (ValueError, TypeError) as error:
        raise EventFileError(f"{path}: field days: not dates like 2023-10-23 ({error})") from error


def _key(path: Path, data: dict[str, Any], field: str) -> bytes | None:
    if field not in data:
        return None
    if not isinstance(data[field], str):
        raise EventFileError(f"{path}: field {field}: not base64 text")
    try:
        key = base64.b64decode(data[field], validate=True)
    except (binascii.Error, ValueError) as error:
        raise EventFileError(f"{path}: field {field}: not base64") from error
    if len(key) != _KEY_BYTES:
        raise EventFileError(f"{path}: field {field}: {len(key)} bytes where 32 belong")
    return key


class EventFileCodec:
    """Event files as the `EventFiles` port: `kiosk export-event` and `kiosk init --from-event`."""

    def read(self, path: Path) -> tuple[Event, EventKeys]:
        """The event and its keys from `path`."""
        return read_event_file(path)

    def write(
        self, path: Path, event: Event, private_key: bytes | None, protected: Sequence[Path] = ()
    ) -> None:
        """Write the event to `path`, with the private key only when given."""
        write_event_file(path, event, private_key, protected)
