"""Registration states and yes/no flags of exports, read as our "active" or "cancelled".

Each reader returns "active" or "cancelled" for a word it knows, "" for an empty cell (which
the import takes as active), and any other text unchanged, for the import to report.
"""

from __future__ import annotations

from kiosk.adapters.importers.keys import key, keys

ACTIVE = "active"
CANCELLED = "cancelled"

CANCELLED_WORDS = keys(
    "cancelled", "canceled", "cancellation", "refunded", "deleted", "not attending",
    "withdrawn", "rejected", "expired", "void", "voided", "declined", "transferred",
    "storno", "stornováno", "stornována", "zrušeno", "zrušená", "zrušen", "odmítnuto",
    "vráceno", "odhlášen", "odhlášena", "storniert", "abgesagt", "erstattet", "abgelaufen",
    "abgelehnt", "zurückgezogen",
)  # fmt: skip
ACTIVE_WORDS = keys(
    "active", "paid", "attending", "checked in", "complete", "completed", "confirmed",
    "registered", "pending", "unpaid", "approved", "valid", "ok",
    "aktivní", "zaplaceno", "zaplacená", "nezaplaceno", "čeká na platbu", "potvrzeno",
    "potvrzená", "přihlášen", "přihlášena", "registrován", "registrována", "platná",
    "aktiv", "bezahlt", "ausstehend", "bestätigt", "angemeldet",
)  # fmt: skip
TRUE_WORDS = keys("yes", "y", "true", "1", "x", "ano", "a", "ja", "wahr", "pravda")
_TICKS = frozenset("✓✔☑✅")
FALSE_WORDS = keys("no", "n", "false", "0", "ne", "nein", "falsch", "nepravda", "")


def is_status_word(value: str) -> bool:
    """Whether `value` is a state this module knows (or empty)."""
    folded = key(value)
    return folded in CANCELLED_WORDS or folded in ACTIVE_WORDS or not folded


def status_word(value: str) -> str:
    """A state word ("Zrušeno", "Refunded", "Withdrawn", "Paid") as active or cancelled."""
    folded = key(value)
    if not folded:
        return ""
    if folded in CANCELLED_WORDS:
        return CANCELLED
    if folded in ACTIVE_WORDS or folded in TRUE_WORDS:
        return ACTIVE
    return value


def is_true(value: str) -> bool:
    """Whether a yes-no cell says yes ("Yes", "ano", "TRUE", "1", "x", a tick)."""
    return key(value) in TRUE_WORDS or value.strip() in _TICKS


def cancelled_flag(value: str) -> str:
    """A "Cancelled" / "Zrušeno" yes-no cell: yes is cancelled, no or empty is active."""
    folded = key(value)
    if is_true(value) or folded in CANCELLED_WORDS:
        return CANCELLED
    if folded in FALSE_WORDS:
        return ACTIVE
    return value


def paid_flag(value: str) -> str:
    """A "Paid" / "Zaplaceno" yes-no cell: active either way (an unpaid registration still
    comes to the desk, as pretix's pending orders do); the column is kept as an extra field.
    """
    folded = key(value)
    if is_true(value) or folded in FALSE_WORDS or folded in ACTIVE_WORDS:
        return ACTIVE
    if folded in CANCELLED_WORDS:
        return CANCELLED
    return value
