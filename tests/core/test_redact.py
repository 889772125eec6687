"""Codes and e-mail addresses as a log shows them."""

from __future__ import annotations

from kiosk.core.redact import mask_code, mask_email, redact

PRETIX = "e8h3tnsxa2rc6q3hmdw9kwdwjf6qh3ft"
KIOSK_CODE = "K1:AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQC"


def test_a_code_keeps_its_first_four_characters_and_its_length() -> None:
    assert mask_code("CMR-2023-000412") == "CMR-…(15)"
    assert mask_code(PRETIX) == "e8h3…(32)"
    assert mask_code("0123") == "…(4)"  # too short to show any of it


def test_an_address_keeps_its_first_letter_and_its_domain() -> None:
    assert mask_email("jana.novakova@example.org") == "j…@example.org"
    assert mask_email("no-at-sign-here-at-all") == "no-a…(22)"


def test_redact_masks_addresses_and_codes_inside_any_text_and_keeps_ids() -> None:
    text = (
        f"row 3: {PRETIX} of jana@example.cz clashes with {KIOSK_CODE}; attendee "
        "ABCDEFGH23456 entry 0f8e2c1a-9b7d-4e3f-8a6b-5c4d3e2f1a0b kiosk 0123456789abcdef"
    )
    masked = redact(text)
    for secret in (PRETIX, "jana@example.cz", KIOSK_CODE):
        assert secret not in masked
    for shown in ("e8h3…(32)", "j…@example.cz", f"K1:A…({len(KIOSK_CODE)})"):
        assert shown in masked
    for kept in ("ABCDEFGH23456", "0f8e2c1a-9b7d-4e3f-8a6b-5c4d3e2f1a0b", "0123456789abcdef"):
        assert kept in masked
