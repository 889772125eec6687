"""The SQLite store: the only place that speaks SQL. Implements `kiosk.core.ports.Store`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.adapters.storage.connection import BUSY_TIMEOUT_MS
from kiosk.adapters.storage.store import SqliteStore

if TYPE_CHECKING:
    from kiosk.adapters.storage.feed import ChangeFeed


def __getattr__(name: str) -> object:
    # The change feed is for screens: a command-line check-in does not import it.
    if name == "ChangeFeed":
        from kiosk.adapters.storage.feed import ChangeFeed  # noqa: PLC0415

        return ChangeFeed
    raise AttributeError(name)


__all__ = ["BUSY_TIMEOUT_MS", "ChangeFeed", "SqliteStore"]
