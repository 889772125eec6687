"""Kiosk-issued codes: compact, alphanumeric, verifiable offline, tamper-evident."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.core.model import new_attendee_id, new_entry_uuid
from kiosk.core.signing import (
    CodeError,
    issue_code,
    new_event_id,
    new_event_keys,
    read_code,
    verify_code,
)

KEYS = new_event_keys()
EVENT = new_event_id()
QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_code_round_trip() -> None:
    attendee = new_attendee_id()
    at = datetime(2023, 10, 23, 7, 5, 30, tzinfo=UTC)
    code = issue_code(KEYS.private, EVENT, attendee, at)  # type: ignore[arg-type]
    read = read_code(code)
    assert (read.event_id, read.attendee_id) == (EVENT, attendee)
    assert read.issued_at == datetime(2023, 10, 23, 7, 5, tzinfo=UTC)
    assert verify_code(read, KEYS.public)
    assert not verify_code(read, new_event_keys().public)


def test_code_is_short_and_fits_qr_alphanumeric_mode() -> None:
    code = issue_code(KEYS.private, EVENT, new_attendee_id(), datetime.now(UTC))  # type: ignore[arg-type]
    assert set(code) <= QR_ALPHANUMERIC
    assert len(code) <= 140


def test_lowercase_reading_of_a_code_still_verifies() -> None:
    code = issue_code(KEYS.private, EVENT, new_attendee_id(), datetime.now(UTC))  # type: ignore[arg-type]
    assert verify_code(read_code(code.lower()), KEYS.public)


@pytest.mark.parametrize("text", ["K1:", "K1:AAAA", "K1:" + "A" * 131 + "!", "X1:ABC"])
def test_malformed_codes_raise(text: str) -> None:
    with pytest.raises(CodeError):
        read_code(text)


@settings(max_examples=60)
@given(position=st.integers(min_value=3, max_value=134), replacement=st.sampled_from("AB27"))
def test_any_altered_character_breaks_the_code(position: int, replacement: str) -> None:
    code = issue_code(KEYS.private, EVENT, "AAAAAAAAAAAAA", datetime(2023, 10, 23, tzinfo=UTC))  # type: ignore[arg-type]
    if code[position] == replacement:
        return
    altered = code[:position] + replacement + code[position + 1 :]
    try:
        read = read_code(altered)
    except CodeError:
        return
    assert not verify_code(read, KEYS.public)


def test_code_makes_a_small_alphanumeric_qr_code() -> None:
    code = issue_code(KEYS.private, EVENT, new_attendee_id(), datetime.now(UTC))  # type: ignore[arg-type]
    qr = segno.make_qr(code, error="m", boost_error=False)
    assert qr.mode == "alphanumeric"
    assert qr.version == 6


def test_journal_entry_ids_are_time_ordered_version_7_uuids() -> None:
    before = time.time_ns() // 1_000_000
    made = [new_entry_uuid() for _ in range(1000)]
    after = time.time_ns() // 1_000_000
    assert len(set(made)) == 1000
    for text in made:
        parsed = uuid.UUID(text)
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122 and str(parsed) == text
        assert before <= parsed.int >> 80 <= after  # the milliseconds it was made at
    # Made in later milliseconds, later in the text's order: new entries append to the index.
    time.sleep(0.002)
    assert new_entry_uuid() > max(made)
