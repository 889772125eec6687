"""The registry's sort order in memory: each attendee's rank, so a search sorts its matches fast."""

from __future__ import annotations

import sqlite3
import threading
from array import array


class SortOrder:
    """Each attendee's place in the registry's sort order (surname, then first name, in the
    event's collation; rows of equal keys by row number), by row number, read from the file
    and kept while the registry stays as it was.

    A search by the first two letters of a name matches thousands of people and shows the
    first fifty by name. Sorting them in SQL reads each match's sort key from an index, a
    B-tree search apiece: 5 ms for 5,000 matches among 100,000 people (bench/checkin.py).
    Ranked here, each costs a look-up in an array.

    The ranks are read again (30-40 ms at 100,000 people) only once the registry has held
    still since the search before: during an import or a sync every step changes it, and a
    search then sorts in SQL instead of reading ranks that the next step makes stale.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[int, array[int]] | None = None
        self._seen: int | None = None

    def ranks(self, conn: sqlite3.Connection) -> array[int] | None:
        """The ranks of the registry as `conn` reads it (call it inside the read transaction
        of the search, so the ranks and the search see the same rows), indexed by row
        number; None when they are not at hand: sort in SQL.
        """
        (version,) = conn.execute(
            "SELECT version FROM changes WHERE topic = 'attendees'"
        ).fetchone()
        with self._lock:
            kept, seen, self._seen = self._kept, self._seen, version
        if kept is not None and kept[0] == version:
            return kept[1]
        if seen != version:
            return None  # changed since the last search: maybe still changing
        ranks = _read_ranks(conn)
        with self._lock:
            self._kept = (version, ranks)
        return ranks


def _read_ranks(conn: sqlite3.Connection) -> array[int]:
    (top,) = conn.execute("SELECT coalesce(max(num), 0) FROM attendees").fetchone()
    ranks = array("q", bytes(8 * (top + 1)))
    nums = conn.execute(
        "SELECT num FROM attendees INDEXED BY attendees_sort ORDER BY sort_key, num"
    )
    for rank, (num,) in enumerate(nums):
        ranks[num] = rank
    return ranks
