"""Tell a USB scanner's burst of keys from a person typing, by the time between the keys."""

from __future__ import annotations

# A keyboard-wedge scanner sends a whole code in a few milliseconds per key and ends it with
# Enter or Tab; people rarely type four keys under 50 ms apart and then Enter as fast.
BURST_GAP_S = 0.05
MIN_BURST_CHARS = 4


class KeyBurst:
    """Follows the keys typed into one field; `end` says whether Enter or Tab closed a burst."""

    def __init__(self, gap_s: float = BURST_GAP_S, min_chars: int = MIN_BURST_CHARS) -> None:
        self._gap_s = gap_s
        self._min_chars = min_chars
        self._chars: list[str] = []
        self._last_at: float | None = None

    def key(self, text: str, at: float) -> None:
        """A key that typed `text` arrived at `at` (seconds, any monotonic clock)."""
        if self._last_at is None or at - self._last_at > self._gap_s:
            self._chars = []  # a pause: whatever came before was typed, not scanned
        self._chars.append(text)
        self._last_at = at

    def other_key(self) -> None:
        """A key that typed nothing (Backspace, arrows): no scanner sends one inside a code."""
        self.reset()

    def end(self, at: float) -> str | None:
        """Enter or Tab at `at`: the scanned text it ends, or None when a person typed."""
        burst = "".join(self._chars)
        fast_end = self._last_at is not None and at - self._last_at <= self._gap_s
        self.reset()
        return burst if fast_end and len(burst) >= self._min_chars else None

    def reset(self) -> None:
        """Forget the keys so far (the field was cleared or changed from elsewhere)."""
        self._chars = []
        self._last_at = None
