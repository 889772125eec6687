"""An in-memory `kiosk.core.ports.Store`, so core tests run with no disk and no SQL."""

from __future__ import annotations

import contextlib
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from kiosk.core.errors import EventExistsError
from kiosk.core.journal import MergeReport, entry_key, next_hlc
from kiosk.core.model import (
    Attendee,
    AttendeeStatus,
    EntryKind,
    Event,
    JournalEntry,
    new_entry_uuid,
    utc,
)
from kiosk.core.registrations import ImportPlan, import_baselines
from kiosk.core.signing import EventKeys
from kiosk.core.text import name_sort_key, search_text


class MemoryStore:
    """Keeps everything in dictionaries; behaves like SqliteStore for the core's purposes."""

    def __init__(self, event: Event, keys: EventKeys | None) -> None:
        self._event = event
        self._private = keys.private if keys else None
        self._attendees: dict[str, Attendee] = {}
        self._sources: dict[str, str] = {}
        self._codes: dict[str, str] = {}
        self._settings: dict[str, str] = {}
        self._stations: set[str] = set()
        self._kiosk_id = secrets.token_hex(8)
        self._versions: dict[str, tuple[str, str, int]] = {}
        self._last_import: dict | None = None
        self.entries: list[JournalEntry] = []

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def kiosk_id(self) -> str:
        return self._kiosk_id

    def has_event(self) -> bool:
        return True

    def create_event(self, event: Event, keys: EventKeys | None) -> Event:  # noqa: ARG002
        raise EventExistsError("the memory store holds its event from the start")

    def event(self) -> Event:
        return self._event

    def signing_key(self) -> bytes | None:
        return self._private

    def attendee(self, attendee_id: str) -> Attendee | None:
        return self._attendees.get(attendee_id)

    def code_owners(self, codes: Sequence[str]) -> dict[str, str]:
        return {code: self._codes[code] for code in codes if code in self._codes}

    def apply_import(
        self,
        plan: ImportPlan,
        *,
        station: str = "",
        source: str = "",
        format_name: str = "",
        report: dict | None = None,
        progress=None,
        registry: str | None = None,  # noqa: ARG002 (the fake keeps no re-import reports)
        again: object = None,  # noqa: ARG002
    ) -> str:
        import_id = new_entry_uuid()
        for attendee in plan.changes:
            entry = self.append(
                JournalEntry(
                    uuid=new_entry_uuid(),
                    kind=EntryKind.REGISTRATION,
                    station=station,
                    at=datetime.now(UTC),
                    attendee_id=attendee.id,
                    code=attendee.code,
                    data={
                        "attendee": attendee.record(),
                        "import": import_id,
                        **(
                            {"given": plan.given[attendee.id].record()}
                            if attendee.id in plan.given
                            else {}
                        ),
                    },
                )
            )
            self._apply_record(entry)
        self._last_import = {"id": import_id, "file": source, "format": format_name,
                             "report": report or {}}  # fmt: skip
        if progress is not None:
            progress(len(plan.changes), len(plan.changes), "import")
        return import_id

    def last_import(self) -> dict | None:
        return self._last_import

    def registry_version(self) -> str:
        return ""

    def unchanged_report(self, fingerprint: str) -> dict | None:  # noqa: ARG002
        return None

    def _apply_record(self, entry: JournalEntry) -> None:
        """The newest record wins, as in the real store."""
        attendee = Attendee.from_dict({**entry.data["attendee"], "id": entry.attendee_id})
        version = entry_key(entry)
        if attendee.id in self._versions and self._versions[attendee.id] >= version:
            return
        self._versions[attendee.id] = version
        self._attendees[attendee.id] = attendee
        named = entry.data.get("source")
        walkin = named == "walkin" or (named is None and entry.kind is EntryKind.WALKIN)
        self._sources[attendee.id] = "walkin" if walkin else "import"
        if entry.kind is EntryKind.REGISTRATION:
            for code, owner in list(self._codes.items()):
                if owner == attendee.id and code != attendee.code and code not in attendee.codes:
                    del self._codes[code]
        self._codes.setdefault(attendee.code, attendee.id)

    def import_baselines(self) -> dict[str, Attendee]:
        return import_baselines(e for e in self.journal() if e.kind is EntryKind.REGISTRATION)

    def registered(self) -> dict[str, Attendee]:
        return {
            a.code: a
            for a in self._sorted(list(self._attendees.values()))
            if self._sources.get(a.id) == "import"
        }

    def checkins(self, attendee_id: str, day: date) -> list[JournalEntry]:
        undone = {e.ref for e in self.entries if e.kind is EntryKind.UNDO}
        found = [
            e
            for e in self.entries
            if e.kind is EntryKind.CHECKIN
            and e.attendee_id == attendee_id
            and e.day == day
            and e.uuid not in undone
        ]
        return sorted(found, key=_order)

    def append(self, entry: JournalEntry) -> JournalEntry:
        origin = self._kiosk_id
        seq = 1 + max((e.seq for e in self.entries if e.origin == origin), default=0)
        newest = max((e.hlc for e in self.entries), default=None)
        hlc = next_hlc(newest, datetime.now(UTC))
        numbered = replace(entry, origin=origin, seq=seq, at=utc(entry.at), hlc=hlc)
        self._stations.add(entry.station)
        self.entries.append(numbered)
        return numbered

    def merge(self, entries: Iterable[JournalEntry]) -> MergeReport:
        added = known = 0
        conflicts = []
        for entry in entries:
            stored = next(
                (
                    e
                    for e in self.entries
                    if e.uuid == entry.uuid or (e.origin, e.seq) == (entry.origin, entry.seq)
                ),
                None,
            )
            if stored is None:
                if entry.kind in (EntryKind.WALKIN, EntryKind.REGISTRATION):
                    self._apply_record(entry)
                self._stations.add(entry.station)
                self.entries.append(replace(entry, at=utc(entry.at)))
                added += 1
            elif stored == replace(entry, at=utc(entry.at)):
                known += 1
            else:
                conflicts.append(entry.uuid)
        return MergeReport(added, known, tuple(conflicts))

    def entries_since(self, origin: str, after_seq: int = 0) -> list[JournalEntry]:
        return sorted(
            (e for e in self.entries if e.origin == origin and e.seq > after_seq),
            key=lambda e: e.seq,
        )

    def kiosks_heard(self) -> list[tuple[str, str, str, int]]:
        heard = {}
        for entry in sorted(self.entries, key=lambda e: e.seq):
            _, newest, count = heard.get(entry.origin, ("", "", 0))
            heard[entry.origin] = (entry.station, max(newest, entry.hlc), count + 1)
        rows = [(origin, *values) for origin, values in heard.items()]
        return sorted(rows, key=lambda row: row[2], reverse=True)

    def kiosk_settings(self) -> dict[str, str]:
        return dict(self._settings)

    def set_setting(self, key: str, value: str) -> None:
        self._settings[key] = value

    def clear_setting(self, key: str) -> None:
        self._settings.pop(key, None)

    def event_settings(self) -> dict[str, str]:
        values = {}
        for entry in sorted(self.entries, key=entry_key):
            if entry.kind is EntryKind.SETTING:
                values[entry.data["name"]] = str(entry.data["value"])
        return values

    def add_station(self, name: str) -> None:
        self._stations.add(name)

    def stations(self) -> list[str]:
        return sorted(self._stations)

    def first_checkins(self, attendee_ids: Sequence[str], day: date) -> dict[str, JournalEntry]:
        found = {attendee_id: self.checkins(attendee_id, day) for attendee_id in attendee_ids}
        return {attendee_id: entries[0] for attendee_id, entries in found.items() if entries}

    def first_or_append(self, entry: JournalEntry) -> tuple[JournalEntry, bool]:
        assert entry.attendee_id is not None and entry.day is not None
        earlier = self.checkins(entry.attendee_id, entry.day)
        if earlier:
            return earlier[0], False
        return self.append(entry), True

    def undo_checkins(
        self, attendee_id: str, day: date, undo: Callable[[JournalEntry], JournalEntry]
    ) -> tuple[JournalEntry, ...]:
        return tuple(self.append(undo(c)) for c in self.checkins(attendee_id, day))

    def add_walkin(self, entry: JournalEntry) -> JournalEntry:
        return self.add_record(entry)

    def add_record(self, entry: JournalEntry) -> JournalEntry:
        appended = self.append(entry)
        self._apply_record(appended)
        return appended

    def attendee_journal(self, attendee_id: str) -> list[JournalEntry]:
        return [e for e in self.journal() if e.attendee_id == attendee_id]

    def search(
        self, words: Sequence[str], limit: int, code_prefix: str | None = None
    ) -> list[Attendee]:
        def matches(attendee: Attendee) -> bool:
            indexed = search_text(
                attendee.first_name, attendee.last_name, attendee.organisation, attendee.email
            ).split()
            if words and all(any(w.startswith(q) for w in indexed) for q in words):
                return True
            return code_prefix is not None and any(
                c.lower().startswith(code_prefix.lower()) for c in attendee.codes
            )

        return self._sorted([a for a in self._attendees.values() if matches(a)])[:limit]

    def attendees(self) -> list[Attendee]:
        return self._sorted(list(self._attendees.values()))

    def journal(self) -> list[JournalEntry]:
        return sorted(self.entries, key=_order)

    def count_checked_in(self, day: date) -> int:
        return sum(1 for _, present_day, _ in self.presence() if present_day == day)

    def checked_in_categories(self, day: date) -> dict[str, str]:
        return {person: cat for person, present_day, cat in self.presence() if present_day == day}

    def count_registered(self) -> int:
        return sum(1 for a in self._attendees.values() if a.status is AttendeeStatus.ACTIVE)

    def registration_counts(self) -> Iterable[tuple[str, AttendeeStatus, int]]:
        counts = Counter((a.category, a.status) for a in self._attendees.values())
        return [(category, status, n) for (category, status), n in counts.items()]

    def presence(self) -> Iterable[tuple[str, date, str]]:
        undone = {e.ref for e in self.entries if e.kind is EntryKind.UNDO}
        found = set()
        for e in self.entries:
            if e.kind is EntryKind.CHECKIN and e.uuid not in undone and e.attendee_id and e.day:
                attendee = self._attendees.get(e.attendee_id)
                found.add((e.attendee_id, e.day, attendee.category if attendee else ""))
        return found

    def _sorted(self, attendees: list[Attendee]) -> list[Attendee]:
        locale = self._event.locale
        return sorted(attendees, key=lambda a: name_sort_key(locale, a.last_name, a.first_name))


def _order(entry: JournalEntry) -> tuple[object, ...]:
    """The journal's order: time, then origin and number, as the real store sorts it."""
    return (entry.at, entry.origin, entry.seq)
