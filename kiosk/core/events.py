"""Setting up an event: checking what the organiser typed before anything is stored."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.core.clock import EARLIEST, LATEST
from kiosk.core.errors import EventSetupError
from kiosk.core.model import Event, RetiredKey, utc
from kiosk.core.signing import EventKeys, is_event_id, keys_match, new_event_id, new_event_keys
from kiosk.core.text import clean_field

# Longer than any event's name or venue; a badge or a window title could not show more.
MAX_NAME_CHARS = 200
# A year of days: more is not one event.
MAX_DAYS = 366
# Rotations an event may go through: far more than any event needs.
MAX_RETIRED_KEYS = 100
_KEY_BYTES = 32
# A language, with a region or script if given: "cs", "en", "cs_CZ", "pt-BR", "zh-Hant".
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")


def parse_days(text: str) -> list[date]:
    """The dates in "2023-10-23,2023-10-24" (commas or spaces); `new_event` checks the rest."""
    days: list[date] = []
    for part in text.replace(",", " ").split():
        try:
            days.append(date.fromisoformat(part))
        except ValueError as error:
            raise EventSetupError(f"days: {part!r} is not a date like 2023-10-23") from error
    return days


# The language of an event held in a time zone, when the organiser does not say: a Prague
# event sorts names and speaks to its staff in Czech. Anything else defaults to English.
_ZONE_LOCALES = {"Europe/Prague": "cs", "Europe/Bratislava": "sk"}
DEFAULT_LOCALE = "en"


def locale_for_zone(timezone: str) -> str:
    """The language an event in `timezone` most likely speaks."""
    return _ZONE_LOCALES.get(timezone, DEFAULT_LOCALE)


def new_event(
    name: str,
    timezone: str,
    days: Iterable[date],
    *,
    venue: str = "",
    locale: str | None = None,
) -> tuple[Event, EventKeys]:
    """A new event with a fresh id and signing keys, after checking every field; without a
    `locale`, the event speaks the language of its time zone (Europe/Prague: Czech).
    """
    keys = new_event_keys()
    event = Event(
        id=new_event_id(),
        name=clean_field(name),
        timezone=timezone,
        days=tuple(sorted(set(days))),
        venue=clean_field(venue),
        locale=locale or locale_for_zone(timezone),
        public_key=keys.public,
    )
    check_event(event, keys)
    return event, keys


def check_event(event: Event, keys: EventKeys | None = None) -> None:
    """Raise `EventSetupError` naming the first field of `event` (and `keys`) that no kiosk
    could work with: an id that is not an event id, an empty, over-long or control-character
    name or venue, an unknown time zone, no days or days out of order or range, a locale that
    is not a language, or a private key that does not match the public one.
    """
    if not is_event_id(event.id):
        raise EventSetupError(f"id: {event.id[:40]!r} is not an event id (8 capitals and digits)")
    for field, value in (("name", event.name), ("venue", event.venue)):
        if value != clean_field(value):
            raise EventSetupError(f"{field}: control characters or stray spaces in {value!r}")
        if len(value) > MAX_NAME_CHARS:
            raise EventSetupError(f"{field}: {len(value)} characters; at most {MAX_NAME_CHARS}")
    if not event.name:
        raise EventSetupError("name: the event name must not be empty")
    try:
        ZoneInfo(event.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise EventSetupError(
            f"timezone: {event.timezone[:60]!r} is not a zone like Europe/Prague"
        ) from error
    _check_days(event.days)
    if not _LOCALE.fullmatch(event.locale):
        raise EventSetupError(f"locale: {event.locale[:40]!r} is not a language like cs or en")
    if keys is not None and not keys_match(keys):
        raise EventSetupError(
            "private_key: it does not belong to the event's public key; "
            "the codes it signed would be refused everywhere"
        )
    _check_retired(event)


def _check_retired(event: Event) -> None:
    if len(event.retired_keys) > MAX_RETIRED_KEYS:
        raise EventSetupError(f"retired_keys: more than {MAX_RETIRED_KEYS}")
    seen = {event.public_key}
    for key in event.retired_keys:
        if len(key.public) != _KEY_BYTES:
            raise EventSetupError(f"retired_keys: {len(key.public)} bytes where 32 belong")
        if key.public in seen:
            raise EventSetupError("retired_keys: a key twice, or the event's own key")
        seen.add(key.public)


def rotated_event(event: Event, keys: EventKeys, at: datetime, *, refuse_old: bool) -> Event:
    """`event` with the new key pair's public half as its key. The key it had is retired at
    `at`: codes it signed stay admitted (trusted) unless `refuse_old`, which makes every
    retired key untrusted: their codes are then admitted only where the code is already held
    (a walk-in registered or synced before), so a thief's new codes are refused.
    """
    if event.public_key is None:
        raise EventSetupError("public_key: the event has none to rotate")
    retired = [replace(key, trusted=key.trusted and not refuse_old) for key in event.retired_keys]
    retired.append(RetiredKey(event.public_key, utc(at), trusted=not refuse_old))
    rotated = replace(event, public_key=keys.public, retired_keys=tuple(retired))
    check_event(rotated, keys)
    return rotated


def adopted_event(here: Event, there: Event) -> Event:
    """The event `here` of this kiosk with the keys of `there`, the same event exported by the
    kiosk that rotated them last. Refused when it is another event, or when `there` does not
    know this kiosk's current key (it is older than this kiosk's keys, or another kiosk
    rotated them separately): adopting it would drop a key whose codes are in use.
    """
    if there.id != here.id:
        raise EventSetupError(
            f"id: the file is event {there.id} ({there.name!r}); this kiosk serves {here.id}"
        )
    known = {there.public_key, *(key.public for key in there.retired_keys)}
    if here.public_key not in known:
        raise EventSetupError(
            "public_key: the file does not know this kiosk's current key (it is older, or "
            "another kiosk rotated the key too): export the event again from the kiosk that "
            "rotated it last"
        )
    adopted = replace(here, public_key=there.public_key, retired_keys=there.retired_keys)
    check_event(adopted)
    return adopted


def _check_days(days: tuple[date, ...]) -> None:
    if not days:
        raise EventSetupError("days: give at least one day, like 2023-10-23")
    if len(days) > MAX_DAYS:
        raise EventSetupError(f"days: {len(days)} days; an event has at most {MAX_DAYS}")
    if list(days) != sorted(set(days)):
        raise EventSetupError("days: each day once, in order")
    if days[0] < EARLIEST.date() or days[-1] > LATEST.date():
        raise EventSetupError(f"days: {days[0]} to {days[-1]} is out of range")


def retired_keys_json(keys: Iterable[RetiredKey]) -> list[dict[str, object]]:
    """Retired keys as JSON, as the database and event files keep them."""
    return [
        {
            "public_key": base64.b64encode(key.public).decode("ascii"),
            "retired_at": utc(key.retired_at).isoformat(),
            "trusted": key.trusted,
        }
        for key in keys
    ]


def retired_keys_from_json(data: object) -> tuple[RetiredKey, ...]:
    """The retired keys `retired_keys_json` wrote; `EventSetupError` saying what is wrong."""
    if not isinstance(data, list):
        raise EventSetupError("retired_keys: not a list")
    keys = []
    for item in data:
        if not isinstance(item, dict):
            raise EventSetupError("retired_keys: an item is not an object")
        public, retired_at, trusted = (item.get(k) for k in ("public_key", "retired_at", "trusted"))
        if not isinstance(public, str) or not isinstance(retired_at, str):
            raise EventSetupError("retired_keys: public_key and retired_at must be text")
        if not isinstance(trusted, bool):
            raise EventSetupError("retired_keys: trusted must be true or false")
        try:
            key = base64.b64decode(public, validate=True)
            at = datetime.fromisoformat(retired_at)
        except (binascii.Error, ValueError) as error:
            raise EventSetupError(f"retired_keys: {error}") from None
        if at.tzinfo is None:
            raise EventSetupError("retired_keys: retired_at needs its offset")
        keys.append(RetiredKey(key, utc(at), trusted))
    return tuple(keys)
