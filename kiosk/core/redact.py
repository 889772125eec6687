"""Codes and e-mail addresses as a log may show them: enough to tell them apart, never whole."""

from __future__ import annotations

import re

# What a code keeps in a log: its first characters, then its length.
SHOWN = 4
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@([\w-]+(?:\.[\w-]+)+)")
# Kiosk-issued codes (docs/CODES.md), and any long run of letters mixed with digits: the
# shape of most registration systems' secrets (pretix's are 32). Ids kiosk logs (attendee
# ids: 13; kiosk ids: 16; entry UUIDs: dashed) are shorter and stay readable.
_CODE = re.compile(
    r"\bK1:[A-Z2-7]{8,}|\b(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{20,}\b",
    re.IGNORECASE,
)


def mask_code(code: str) -> str:
    """A code (or any scanned text) as a log shows it: `CMR-…(13)`, the first four characters
    and the length; a short one shows only its length.
    """
    if len(code) <= SHOWN * 2:
        return f"…({len(code)})"
    return f"{code[:SHOWN]}…({len(code)})"


def mask_email(address: str) -> str:
    """An e-mail address as a log shows it: `j…@example.org`."""
    local, at, domain = address.rpartition("@")
    if not at:
        return mask_code(address)
    return f"{local[:1]}…@{domain}"


def redact(text: str) -> str:
    """`text` with every e-mail address and every code that can be told from other text
    (kiosk codes, long secrets of letters and digits) masked: for messages that quote what a
    user typed or a file held (an error's text, a traceback). Call sites mask the codes they
    pass with `mask_code`: a short registration code looks like any other word.
    """
    text = _EMAIL.sub(lambda found: mask_email(found.group(0)), text)
    return _CODE.sub(lambda found: mask_code(found.group(0)), text)
