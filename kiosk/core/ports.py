"""What the core and the workflows need from the outside world, as Protocols: the adapters
implement them, tests fake them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.core.model import Attendee, AttendeeStatus, Event, JournalEntry

if TYPE_CHECKING:  # only named in signatures: a check-in need not import the import planner
    from kiosk.core.journal import Changes, MergeReport
    from kiosk.core.registrations import ImportPlan, RegistrationRows
    from kiosk.core.signing import EventKeys


# (done, total, what is happening): how a long job reports how far it has got.
Progress = Callable[[int, int, str], None]


class Store(Protocol):
    """The kiosk's durable state: one event, its attendees and codes, and the journal."""

    def transaction(self) -> AbstractContextManager[object]:
        """One write transaction around a block: all of it is stored, or none of it."""
        ...

    def kiosk_id(self) -> str:
        """The kiosk id of the store: the origin of the journal entries it appends."""
        ...

    def has_event(self) -> bool:
        """True once an event is set up here."""
        ...

    def create_event(self, event: Event, keys: EventKeys | None) -> Event:
        """Store the one event with its keys; raises `EventExistsError` for a second one."""
        ...

    def event(self) -> Event:
        """The event this store serves; raises `NoEventError` before one is set up."""
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
        """Durably append `entry` as this kiosk's next; returns it with its origin and number."""
        ...

    def merge(self, entries: Iterable[JournalEntry]) -> MergeReport:
        """Add entries written by other kiosks, unchanged; idempotent and order-free."""
        ...

    def entries_since(self, origin: str, after_seq: int = 0) -> list[JournalEntry]:
        """The entries of kiosk `origin` numbered after `after_seq`, in their order."""
        ...

    def kiosks_heard(self) -> list[tuple[str, str, str, int]]:
        """(kiosk id, latest station name, newest clock reading, entries) of every kiosk whose
        entries are here, newest first.
        """
        ...

    def first_checkins(self, attendee_ids: Sequence[str], day: date) -> dict[str, JournalEntry]:
        """The earliest active check-in on `day` of each of these attendees who has one."""
        ...

    def first_or_append(self, entry: JournalEntry) -> tuple[JournalEntry, bool]:
        """Durably append the check-in `entry` unless its attendee is already in on its day, as
        one atomic step; returns the day's first active check-in and whether it is `entry`.
        """
        ...

    def undo_checkins(
        self, attendee_id: str, day: date, undo: Callable[[JournalEntry], JournalEntry]
    ) -> tuple[JournalEntry, ...]:
        """Durably append `undo(check-in)` for each of the attendee's active check-ins on
        `day`, as one atomic step; returns the undo entries appended (none when nobody else's
        undo left anything to undo), so two desks undoing at once never both succeed.
        """
        ...

    def add_walkin(self, entry: JournalEntry) -> JournalEntry:
        """Durably append a `walkin` entry and add the attendee record it carries, with its
        kiosk code, in one transaction.
        """
        ...

    def add_record(self, entry: JournalEntry) -> JournalEntry:
        """Durably append a `walkin` or `registration` entry and write the attendee record it
        carries, when newer than the stored one, in one transaction.
        """
        ...

    def attendee_journal(self, attendee_id: str) -> list[JournalEntry]:
        """Every journal entry about one attendee, oldest first."""
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

    def registered(self) -> dict[str, Attendee]:
        """Attendees from registration imports, keyed by their registration code."""
        ...

    def import_baselines(self) -> dict[str, Attendee]:
        """For attendees a desk corrected: their record as the registration system last gave
        it, by id (`kiosk.core.registrations.import_baselines` of the registration entries).
        """
        ...

    def apply_import(
        self,
        plan: ImportPlan,
        *,
        station: str = "",
        source: str = "",
        format_name: str = "",
        report: Mapping[str, Any] | None = None,
        progress: Progress | None = None,
        registry: str | None = None,
        again: tuple[str, Mapping[str, Any]] | None = None,
    ) -> str:
        """Write an import's changes as `registration` journal entries and in the registry,
        never leaving it half-imported; `progress(done, total, what)` hears of each step.
        Returns the import's id. With `registry` (`registry_version` before the plan) and
        `again` (the file's fingerprint, and the report a re-import of it gives), the store
        keeps that report when nothing but this import changed the registry since.
        """
        ...

    def registry_version(self) -> str:
        """A text that changes whenever the registry or the event changes."""
        ...

    def unchanged_report(self, fingerprint: str) -> dict[str, Any] | None:
        """The report kept for a re-import of the file with this fingerprint, when an import of
        it left the registry as it is now; else None.
        """
        ...

    def last_import(self) -> dict[str, Any] | None:
        """The newest finished import: id, file, format, finished_at and its report."""
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

    def checked_in_categories(self, day: date) -> dict[str, str]:
        """Attendee id -> category of everyone checked in on `day` (undos applied)."""
        ...

    def presence(self) -> Iterable[tuple[str, date, str]]:
        """(attendee id, day, category) for each day an attendee is checked in, undos applied;
        the category is empty for an attendee this kiosk has not synced yet.
        """
        ...

    def kiosk_settings(self) -> dict[str, str]:
        """The settings of this kiosk alone, as stored: name -> text."""
        ...

    def set_setting(self, key: str, value: str) -> None:
        """Set one of this kiosk's own settings."""
        ...

    def clear_setting(self, key: str) -> None:
        """Remove one of this kiosk's own settings."""
        ...

    def event_settings(self) -> dict[str, str]:
        """The event-wide settings: each name's newest `setting` journal entry's value."""
        ...

    def add_station(self, name: str) -> None:
        """Remember a station name."""
        ...

    def stations(self) -> list[str]:
        """Every station name known here."""
        ...


class RegistrationFile(Protocol):
    """Reads registration exports, whatever system made them."""

    def read(self, path: Path, format_name: str | None = None) -> RegistrationRows:
        """The export at `path` in `format_name` (None: recognised from its content), with its
        rows numbered as a spreadsheet shows them; raises `FileFormatError` naming the file when
        it cannot be read at all.
        """
        ...

    def fingerprint(self, path: Path) -> str | None:
        """A digest of the file's bytes, or None when it cannot be read (`read` says why)."""
        ...


# Asked for the passphrase of the event file it names, when the file holds a private key.
Passphrase = Callable[[Path], str]


@dataclass(frozen=True)
class EventFileContent:
    """What an event file holds: the event, its keys (the private one only when the file has
    it), and whether that key was in the clear (a file an older kiosk wrote).
    """

    event: Event
    keys: EventKeys
    key_in_clear: bool = False


class EventFiles(Protocol):
    """Reads and writes an event's definition, for a second kiosk to join the event."""

    def read(self, path: Path, passphrase: Passphrase | None = None) -> EventFileContent:
        """The event and its keys; `passphrase` is asked only when the file holds an
        encrypted private key, and a wrong one is refused naming the file.
        """
        ...

    def write(
        self,
        path: Path,
        event: Event,
        private_key: bytes | None,
        protected: Sequence[Path] = (),
        passphrase: str | None = None,
    ) -> None:
        """Write the event, and the private key only when given, encrypted with a key
        derived from `passphrase`; never over `protected` (the database) nor another kiosk
        file.
        """
        ...


class DemoData(Protocol):
    """The built-in demo event: its description, its registration export and its logo."""

    def spec(self) -> dict[str, Any]:
        """name, timezone, days, venue, locale, station of the demo event."""
        ...

    def attendees_file(self) -> Path:
        """The demo's registration export, in the generic CSV format."""
        ...

    def logo(self) -> bytes:
        """The demo event's logo (PNG)."""
        ...


class JournalTransport(Protocol):
    """Moves journal entries between kiosks (a shared folder, a USB stick, Syncthing)."""

    def publish(self, kiosk_id: str, entries: Sequence[JournalEntry]) -> int:
        """Make these entries of this kiosk available to the others; returns how many were
        new there.
        """
        ...

    def collect(self, kiosk_id: str) -> Iterator[JournalEntry]:
        """Every entry the other kiosks have made available that this transport has not
        handed over before, stored (see `collected`).
        """
        ...

    def collected(self) -> None:
        """The entries the last `collect` handed over are stored: the next one reads on after
        them. Until this is called, the next `collect` hands them over again (a merge that
        failed half-way, a full disk, is tried again whole, and merging is idempotent).
        """
        ...

    def published(self, kiosk_id: str) -> int:
        """The highest number of this kiosk's entries known to be published (0: none, or not
        known), so that an exchange reads from the store only the entries that follow.
        """
        ...


class ChangeSource(Protocol):
    """Tells what changed in the store since the last look, by any process or kiosk."""

    def poll(self) -> Changes:
        """What changed since the last poll; empty when nothing did."""
        ...


class BadgeRenderer(Protocol):
    """Makes badges as PDF bytes, in layouts kept as data files."""

    def layouts(self) -> list[str]:
        """The names of the layouts there are ("a6", "a7", "label-62", ...)."""
        ...

    def page_size_mm(self, layout: str) -> tuple[float, float]:
        """(width, height) of one page of `layout`, in millimetres."""
        ...

    def render(self, event: Event, attendees: Sequence[Attendee], layout: str) -> bytes:
        """One PDF with the badges of `attendees` in this order, in `layout`."""
        ...


@dataclass(frozen=True)
class KioskFile:
    """A file outside the database that this kiosk wrote and that may hold personal data.

    `identity` (device, inode, size, modification time in ns) is how a recorded output was
    when written: a file at that path that is no longer so is someone else's, and is left.
    """

    kind: str
    path: Path
    identity: tuple[int, int, int, int] | None = None


class OutputRecord(Protocol):
    """Remembers the files written for people (exports, badge PDFs) for `kiosk purge`."""

    def record_output(self, kind: str, path: Path) -> None:
        """Remember that this kiosk wrote `path` just now."""
        ...


class PersonalFiles(Protocol):
    """Files kiosk wrote outside the database that may hold personal data, and their removal."""

    def find(
        self, *, kiosk_id: str, sync_dir: str, inbox_dir: str, outputs: Sequence[KioskFile]
    ) -> tuple[list[KioskFile], list[str]]:
        """What is there to remove, only in the places kiosk writes to (this kiosk's sync
        journal, the inbox's done/ and failed/, the recorded outputs still as written, the
        log files, print temporary folders); and a sentence for each place or file it leaves.
        """
        ...

    def remove(self, files: Sequence[KioskFile]) -> tuple[list[KioskFile], list[str]]:
        """Delete `files`; those deleted, and a sentence for each that could not be."""
        ...


class PersonalDataStore(Protocol):
    """The personal data a store holds, and its removal after the event (`kiosk purge`)."""

    def outputs(self) -> list[KioskFile]:
        """The files recorded as written for people (`record_output`)."""
        ...

    def personal_data(self) -> dict[str, int]:
        """How many rows of each kind hold personal data."""
        ...

    def purge_personal_data(self) -> bool:
        """Remove it, keeping anonymous counts; True when no copy is left in the file's WAL."""
        ...


class BackupFiles(Protocol):
    """The backups kept beside the database."""

    def files(self) -> list[Path]:
        """Every backup."""
        ...

    def delete(self) -> int:
        """Delete every backup; returns how many."""
        ...


# A picture's bytes as Python and Qt hand them over (bytes, QImage.constBits(), a buffer).
Pixels = bytes | bytearray | memoryview


class CodeReader(Protocol):
    """Finds the QR codes in a picture: a camera frame or an image file, as 8-bit grayscale."""

    def read(self, pixels: Pixels, width: int, height: int, stride: int) -> list[str]:
        """The texts of the QR codes in the `width` x `height` grayscale picture whose rows
        start every `stride` bytes of `pixels` (rows may be padded), verbatim, each once, in
        the order found; empty when there is none.
        """
        ...
