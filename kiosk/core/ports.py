"""What the core needs from storage, as a Protocol: the adapters implement it, tests fake it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from kiosk.core.model import Attendee, AttendeeStatus, Event, JournalEntry


class Store(Protocol):
    """The kiosk's durable state: one event, its attendees and codes, and the journal."""

    def event(self) -> Event:
        """The event this store serves."""
        ...

    def signing_key(self) -> bytes | None:
        """The event's private Ed25519 key, when this kiosk may issue codes."""
        ...

    def attendee(self, attendee_id: str) -> Attendee | None:
        """The attendee with this id, or None."""
        ...

    def code_owners(self, codes: Sequence[str]) -> dict[str, str]:
        """For each of `codes` that admits someone, exactly as given: code -> attendee id."""
        ...

    def checkins(self, attendee_id: str, day: date) -> list[JournalEntry]:
        """The attendee's check-ins on `day` that no undo has cancelled, earliest first."""
        ...

    def append(self, entry: JournalEntry) -> JournalEntry:
        """Durably append `entry` to the journal; returns it numbered for its station."""
        ...

    def first_checkins(self, attendee_ids: Sequence[str], day: date) -> dict[str, JournalEntry]:
        """The earliest active check-in on `day` of each of these attendees who has one."""
        ...

    def first_or_append(self, entry: JournalEntry) -> tuple[JournalEntry, bool]:
        """Durably append the check-in `entry` unless its attendee is already in on its day, as
        one atomic step; returns the day's first active check-in and whether it is `entry`.
        """
        ...

    def add_walkin(self, attendee: Attendee, code: str, entry: JournalEntry) -> JournalEntry:
        """Durably add a new attendee with its kiosk code and the journal entry that made it."""
        ...

    def search(
        self, words: Sequence[str], limit: int, code_prefix: str | None = None
    ) -> list[Attendee]:
        """Attendees whose folded names, organisation or e-mail have words starting with each of
        `words`, or one of whose codes starts with `code_prefix` (ignoring ASCII case); at most
        `limit`, sorted by surname in the event's language.
        """
        ...

    def attendees(self) -> list[Attendee]:
        """Every attendee, sorted by surname in the event's language."""
        ...

    def registration_counts(self) -> Iterable[tuple[str, AttendeeStatus, int]]:
        """(category, status, number of attendees) for every category and status present."""
        ...

    def journal(self) -> list[JournalEntry]:
        """The whole journal, oldest first."""
        ...

    def count_checked_in(self, day: date) -> int:
        """How many attendees are checked in on `day` (undos applied)."""
        ...

    def count_registered(self) -> int:
        """How many attendees are active (not cancelled)."""
        ...

    def presence(self) -> Iterable[tuple[str, date, str]]:
        """(attendee id, day, category) for each day an attendee is checked in, undos applied;
        the category is empty for an attendee this kiosk has not synced yet.
        """
        ...
