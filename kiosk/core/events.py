"""Setting up an event: checking what the organiser typed before anything is stored."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.core.model import Event
from kiosk.core.signing import EventKeys, new_event_id, new_event_keys


class EventSetupError(ValueError):
    """What the organiser typed cannot make an event; the message says which part."""


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
    if not name.strip():
        raise EventSetupError("event name: it must not be empty")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise EventSetupError(
            f"time zone: {timezone!r} is not a zone like Europe/Prague"
        ) from error
    day_list = tuple(sorted(set(days)))
    if not day_list:
        raise EventSetupError("days: give at least one day, like 2023-10-23")
    keys = new_event_keys()
    event = Event(
        id=new_event_id(),
        name=name.strip(),
        timezone=timezone,
        days=day_list,
        venue=venue.strip(),
        locale=locale or locale_for_zone(timezone),
        public_key=keys.public,
    )
    return event, keys
