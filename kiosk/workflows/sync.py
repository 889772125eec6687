"""Kiosks of one event agreeing: publish this kiosk's journal, merge the others'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.core.journal import MergeReport
from kiosk.core.ports import JournalTransport, Store


@dataclass(frozen=True)
class SyncReport:
    """What one exchange did: how many of our entries went out, and the merge of theirs."""

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
    own = store.entries_since(kiosk_id)
    transport.publish(kiosk_id, own)
    merged = store.merge(entry for entry in transport.collect(kiosk_id))
    return SyncReport(len(own), merged)
