"""The SQLite store: the only place that speaks SQL. Implements `kiosk.core.ports.Store`."""

from kiosk.adapters.storage.connection import BUSY_TIMEOUT_MS
from kiosk.adapters.storage.feed import ChangeFeed
from kiosk.adapters.storage.store import SqliteStore

__all__ = ["BUSY_TIMEOUT_MS", "ChangeFeed", "SqliteStore"]
