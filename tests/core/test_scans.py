"""The repeat filter: the same code is one scan while in view, and again after 3 s away."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.scans import REPEAT_WINDOW_S, RepeatFilter


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticker() -> Ticker:
    return Ticker()


def test_the_window_is_three_seconds() -> None:
    assert REPEAT_WINDOW_S == 3.0


def test_a_code_seen_again_within_the_window_is_not_a_new_scan(ticker: Ticker) -> None:
    repeats = RepeatFilter(monotonic=ticker)
    assert repeats.admit("A")
    ticker.now += 2.9
    assert not repeats.admit("A")


def test_another_code_is_a_new_scan_at_once(ticker: Ticker) -> None:
    repeats = RepeatFilter(monotonic=ticker)
    assert repeats.admit_all(["A", "B"]) == ["A", "B"]
    assert repeats.admit_all(["B", "C"]) == ["C"]


def test_a_badge_held_in_view_for_a_minute_is_one_scan(ticker: Ticker) -> None:
    repeats = RepeatFilter(monotonic=ticker)
    admitted = []
    for _frame in range(60 * 15):  # a minute at 15 decoded frames a second
        admitted += repeats.admit_all(["BADGE"])
        ticker.now += 1 / 15
    assert admitted == ["BADGE"]


def test_a_code_counts_again_after_three_seconds_out_of_view(ticker: Ticker) -> None:
    repeats = RepeatFilter(monotonic=ticker)
    assert repeats.admit("A")
    for _second in range(10):  # held in view for 10 s, seen every second
        ticker.now += 1
        assert not repeats.admit("A")
    ticker.now += 2.5  # taken away, back within 3 s
    assert not repeats.admit("A")
    ticker.now += 3.0  # away for 3 s since the last sighting
    assert repeats.admit("A")


def test_forget_makes_the_next_sighting_new(ticker: Ticker) -> None:
    repeats = RepeatFilter(monotonic=ticker)
    repeats.admit("A")
    repeats.forget()
    assert repeats.admit("A")


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        RepeatFilter(-1)


# (code index, seconds since the previous sighting)
sightings = st.lists(st.tuples(st.integers(0, 3), st.floats(0, 5, allow_nan=False)), max_size=60)


@given(sightings)
def test_a_sighting_is_new_exactly_when_its_code_was_out_of_view_for_the_window(
    steps: list[tuple[int, float]],
) -> None:
    ticker = Ticker()
    repeats = RepeatFilter(monotonic=ticker)
    last_seen: dict[str, float] = {}
    for index, gap in steps:
        ticker.now += gap
        code = f"code-{index}"
        expected = code not in last_seen or ticker.now - last_seen[code] >= REPEAT_WINDOW_S
        assert repeats.admit(code) == expected
        last_seen[code] = ticker.now
