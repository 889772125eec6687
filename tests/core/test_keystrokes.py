"""Scanner bursts told from typing by the time between keys."""

from __future__ import annotations

from kiosk.core.keystrokes import KeyBurst


def keys(burst: KeyBurst, text: str, start: float, gap: float) -> float:
    at = start
    for char in text:
        burst.key(char, at)
        at += gap
    return at - gap


def test_fast_keys_ended_at_once_are_a_scan() -> None:
    burst = KeyBurst()
    last = keys(burst, "QR-1234", 10.0, 0.004)
    assert burst.end(last + 0.004) == "QR-1234"


def test_slow_keys_are_typing() -> None:
    burst = KeyBurst()
    last = keys(burst, "Novák", 10.0, 0.15)
    assert burst.end(last + 0.2) is None


def test_a_burst_after_typing_is_only_the_burst() -> None:
    burst = KeyBurst()
    last = keys(burst, "Nov", 10.0, 0.3)
    last = keys(burst, "ABCD99", last + 1.0, 0.005)
    assert burst.end(last + 0.005) == "ABCD99"


def test_a_short_burst_or_a_late_enter_is_not_a_scan() -> None:
    burst = KeyBurst()
    last = keys(burst, "ab", 10.0, 0.005)
    assert burst.end(last + 0.005) is None
    last = keys(burst, "ABCD99", 20.0, 0.005)
    assert burst.end(last + 0.5) is None  # a person pressed Enter after a pause


def test_backspace_inside_breaks_the_burst() -> None:
    burst = KeyBurst()
    last = keys(burst, "ABCD", 10.0, 0.005)
    burst.other_key()
    last = keys(burst, "EF", last + 0.005, 0.005)
    assert burst.end(last + 0.005) is None
