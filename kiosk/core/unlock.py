"""Staff unlock of a self-service kiosk: salted slow hashes of the PIN and staff code, and the
growing delay after wrong PINs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

# scrypt's cost: 16 MiB and about 50 ms per try on a kiosk PC, so a stolen database file gives
# up a 4-digit PIN only after hours of work, not milliseconds.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
SCHEME = "scrypt"
MIN_PIN_DIGITS = 4
MAX_PIN_DIGITS = 12
MIN_STAFF_CODE_CHARS = 8
MAX_STAFF_CODE_CHARS = 200
# Wrong PINs wait 1, 2, 4, 8 ... seconds, never more than five minutes.
FIRST_DELAY_S = 1.0
MAX_DELAY_S = 300.0
# Seconds on a monotonic clock: time.monotonic in the app, a fake in tests.
Monotonic = Callable[[], float]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_secret(
    secret: str,
    *,
    salt: bytes | None = None,
    n: int = SCRYPT_N,
    r: int = SCRYPT_R,
    p: int = SCRYPT_P,
) -> str:
    """`secret` as "scrypt$n$r$p$salt$hash" (salt and hash in base64): what is stored."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES, maxmem=2**26
    )
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """(n, r, p, salt, hash) of a stored hash; ValueError when it is not one of ours."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise ValueError("not a scrypt hash made by kiosk")
    try:
        n, r, p = (int(part) for part in parts[1:4])
        salt, digest = (
            base64.b64decode(parts[4], validate=True),
            base64.b64decode(parts[5], validate=True),
        )
    except ValueError:
        raise ValueError("a damaged scrypt hash") from None
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or n * r > 2**22:
        raise ValueError("scrypt parameters out of range")
    if len(salt) < 8 or len(digest) < 16:
        raise ValueError("a scrypt hash with too short a salt or hash")
    return n, r, p, salt, digest


def verify_secret(secret: str, stored: str) -> bool:
    """True when `secret` is what `stored` (from `hash_secret`) was made from; False for a
    wrong secret, and for nothing stored or a damaged value.
    """
    try:
        n, r, p, salt, digest = parse_hash(stored)
    except ValueError:
        return False
    tried = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(digest), maxmem=2**26
    )
    return hmac.compare_digest(tried, digest)


def check_pin(pin: str) -> str:
    """The PIN, checked: digits only (the unlock pad has no letters), 4 to 12 of them."""
    pin = pin.strip()
    if not pin.isascii() or not pin.isdigit():
        raise ValueError("a PIN is digits only")
    if not MIN_PIN_DIGITS <= len(pin) <= MAX_PIN_DIGITS:
        raise ValueError(f"a PIN has {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits")
    return pin


def check_staff_code(code: str) -> str:
    """The staff code, checked: printable, long enough that nobody guesses it by scanning."""
    code = code.strip()
    if not code.isprintable():
        raise ValueError("a staff code has no control characters")
    if not MIN_STAFF_CODE_CHARS <= len(code) <= MAX_STAFF_CODE_CHARS:
        raise ValueError(
            f"a staff code has {MIN_STAFF_CODE_CHARS} to {MAX_STAFF_CODE_CHARS} characters"
        )
    return code


def delay_after(failures: int) -> float:
    """Seconds to wait after `failures` wrong tries in a row: 0, then 1, 2, 4, 8 ... 300."""
    if failures <= 0:
        return 0.0
    return float(min(FIRST_DELAY_S * 2.0 ** min(failures - 1, 30), MAX_DELAY_S))


@dataclass(frozen=True)
class PinAttempt:
    """The answer to a PIN: accepted, or not (and how long until the next try is taken)."""

    accepted: bool
    wait_s: float = 0.0
    refused: bool = False  # the try came during the delay and was not even looked at


class PinGuard:
    """Checks PINs against the stored hash, making each wrong try wait longer than the last.

    A try during the delay is refused unread, so guessing is no faster by typing quickly.
    """

    def __init__(
        self,
        stored: str,
        clock: Monotonic,
        *,
        failures: int = 0,
        on_failures: Callable[[int], None] | None = None,
    ) -> None:
        """`failures`: wrong tries in a row already made (kept across restarts, so switching
        the kiosk off and on does not clear the delay: the first try waits as the last one
        would have); `on_failures` is told each new count, to keep it.
        """
        self._stored = stored
        self._clock = clock
        self.failures = max(0, failures)
        self._on_failures = on_failures
        self._next_try = clock() + delay_after(self.failures)

    @property
    def enabled(self) -> bool:
        """True when a PIN is set."""
        return bool(self._stored)

    def wait_left(self) -> float:
        """Seconds until the next try is taken; 0 now."""
        return max(0.0, self._next_try - self._clock())

    def attempt(self, pin: str) -> PinAttempt:
        """Try `pin`; a wrong one (or any, with no PIN set) starts a longer delay."""
        left = self.wait_left()
        if left > 0:
            return PinAttempt(accepted=False, wait_s=left, refused=True)
        if self._stored and verify_secret(pin, self._stored):
            if self.failures:
                self._count(0)
            return PinAttempt(accepted=True)
        self._count(self.failures + 1)
        wait = delay_after(self.failures)
        self._next_try = self._clock() + wait
        return PinAttempt(accepted=False, wait_s=wait)

    def _count(self, failures: int) -> None:
        self.failures = failures
        if self._on_failures is not None:
            self._on_failures(failures)
