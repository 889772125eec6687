"""Kiosks of one event agreeing: publish this kiosk's journal, merge the others'."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kiosk.core.clock import Clock, system_clock
from kiosk.core.errors import KioskError
from kiosk.core.journal import MergeReport, hlc_time
from kiosk.core.ports import JournalTransport, RegistrationFile, Store
from kiosk.workflows.inbox import Inbox, InboxReport, process_inbox


@dataclass(frozen=True)
class SyncReport:
    """What one exchange did: how many of our entries went out new, and the merge of theirs."""

    published: int
    merged: MergeReport

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON."""
        return {"published": self.published, **self.merged.to_dict()}


def sync_journal(store: Store, transport: JournalTransport) -> SyncReport:
    """Publish every entry this kiosk wrote, then merge every entry the others published.

    Safe to run at any time and as often as wanted: merging is idempotent and order-free, so
    kiosks that exchange in any order end up with the same journal.
    """
    kiosk_id = store.kiosk_id()
    # Only what the transport lacks: reading the whole journal at every exchange would cost
    # more each time as the day goes on.
    after = transport.published(kiosk_id)
    published = transport.publish(kiosk_id, store.entries_since(kiosk_id, after))
    merged = store.merge(entry for entry in transport.collect(kiosk_id))
    # Only now: a merge that fails half-way leaves the transport to hand it all over again.
    transport.collected()
    return SyncReport(published, merged)


@dataclass(frozen=True)
class KioskHeard:
    """A kiosk whose entries are here: its station, when it last wrote, how much."""

    kiosk_id: str
    station: str
    last_at: datetime | None
    entries: int
    this_kiosk: bool


@dataclass(frozen=True)
class SyncStatus:
    """What the last exchange did, and what this kiosk knows of the others."""

    at: datetime
    journal: SyncReport | None = None
    journal_error: str = ""
    inbox: InboxReport | None = None
    inbox_error: str = ""
    last_import: Mapping[str, Any] | None = None
    kiosks: tuple[KioskHeard, ...] = ()

    @property
    def ok(self) -> bool:
        """True when neither part failed."""
        return not (self.journal_error or self.inbox_error)


class SyncService:
    """The exchanges a desk runs every few seconds in the background: the inbox, then the
    journals. It keeps the transport and the inbox, which remember what they have read.
    """

    def __init__(
        self,
        store: Store,
        registrations: RegistrationFile,
        *,
        transport: JournalTransport | None = None,
        inbox: Inbox | None = None,
        station: str = "",
        clock: Clock = system_clock,
    ) -> None:
        self.store = store
        self.registrations = registrations
        self.transport = transport
        self.inbox = inbox
        self.station = station
        self.clock = clock

    @property
    def enabled(self) -> bool:
        """True when there is a sync folder or an inbox to look at."""
        return self.transport is not None or self.inbox is not None

    def run_once(self) -> SyncStatus:
        """Import what arrived in the inbox, exchange journals; a failing part (a folder gone,
        a file of another event) is reported, and the other part still runs.
        """
        journal: SyncReport | None = None
        inbox: InboxReport | None = None
        journal_error = inbox_error = ""
        if self.inbox is not None:
            try:
                inbox = process_inbox(
                    self.store, self.registrations, self.inbox, station=self.station
                )
            except KioskError as error:
                inbox_error = str(error)
        if self.transport is not None:
            try:
                journal = sync_journal(self.store, self.transport)
            except KioskError as error:
                journal_error = str(error)
        return replace(
            self.status(),
            journal=journal,
            journal_error=journal_error,
            inbox=inbox,
            inbox_error=inbox_error,
        )

    def status(self) -> SyncStatus:
        """The kiosks heard from and the last import, without exchanging anything."""
        own = self.store.kiosk_id()
        kiosks = tuple(
            KioskHeard(kiosk_id, station, hlc_time(hlc), count, kiosk_id == own)
            for kiosk_id, station, hlc, count in self.store.kiosks_heard()
        )
        return SyncStatus(at=self.clock(), last_import=self.store.last_import(), kiosks=kiosks)
