"""The repeat filter: a code in view of a camera is one scan, however long it stays there."""

from __future__ import annotations

import time
from collections.abc import Callable

# A code seen again within this many seconds of its last sighting is the same scan: a camera
# sees a held badge in every frame, and a person takes a moment to put it away.
REPEAT_WINDOW_S = 3.0


class RepeatFilter:
    """Says whether a sighting of a code is a new scan.

    The window slides with each sighting: a badge held in front of the camera for a minute is
    one scan, and the code counts again only after it has been out of view for `window_s`.
    `monotonic` is the clock, in seconds (injected so tests need not wait).
    """

    def __init__(
        self,
        window_s: float = REPEAT_WINDOW_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if window_s < 0:
            raise ValueError(f"the repeat window must not be negative, not {window_s}")
        self.window_s = window_s
        self._monotonic = monotonic
        self._last_seen: dict[str, float] = {}

    def admit(self, code: str) -> bool:
        """Record a sighting of `code`; True when it is a new scan to handle."""
        now = self._monotonic()
        self._forget_before(now - self.window_s)
        new = code not in self._last_seen
        self._last_seen[code] = now
        return new

    def admit_all(self, codes: list[str]) -> list[str]:
        """Record a sighting of each of `codes` (one frame's); the new scans among them."""
        return [code for code in codes if self.admit(code)]

    def forget(self) -> None:
        """Forget every sighting: the next one of any code is a new scan (a screen reset)."""
        self._last_seen.clear()

    def _forget_before(self, cutoff: float) -> None:
        # Codes out of view for the whole window are dropped, so the memory holds only the
        # codes of the last few seconds, however long the kiosk runs.
        stale = [code for code, seen in self._last_seen.items() if seen <= cutoff]
        for code in stale:
            del self._last_seen[code]
