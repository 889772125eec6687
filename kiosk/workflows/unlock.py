"""Staff unlock of the self-service screen: set the PIN and the staff code (stored only as
salted scrypt hashes, in this kiosk's settings), and check what staff enter or scan.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from kiosk.core.errors import SettingError, StorageError
from kiosk.core.ports import Store
from kiosk.core.unlock import Monotonic, PinGuard, check_pin, check_staff_code, hash_secret
from kiosk.core.unlock import verify_secret as _verify
from kiosk.workflows.config import current_settings

PIN_SETTING = "self.pin"
STAFF_CODE_SETTING = "self.staff_code"
FAILURES_SETTING = "self.pin_failures"
NO_UNLOCK = (
    "the self-service screen cannot be left without a way for staff to unlock it: set a PIN "
    "with 'kiosk self --set-pin' or a staff code with 'kiosk self --set-staff-code' first"
)


def set_pin(store: Store, pin: str) -> None:
    """Store the hash of the staff PIN (4 to 12 digits); the PIN itself is stored nowhere."""
    try:
        checked = check_pin(pin)
    except ValueError as error:
        raise SettingError(f"{PIN_SETTING}: {error}") from None
    store.set_setting(PIN_SETTING, hash_secret(checked))


def set_staff_code(store: Store, code: str) -> None:
    """Store the hash of the staff code (a scan of it unlocks); the code itself is stored
    nowhere.
    """
    try:
        checked = check_staff_code(code)
    except ValueError as error:
        raise SettingError(f"{STAFF_CODE_SETTING}: {error}") from None
    store.set_setting(STAFF_CODE_SETTING, hash_secret(checked))


class StaffUnlock:
    """How staff leave the self-service screen: a PIN (wrong tries wait longer each time) or
    a scan of the staff code. Holds only the hashes.
    """

    def __init__(
        self,
        pin_hash: str,
        staff_code_hash: str,
        clock: Monotonic,
        *,
        failures: int = 0,
        on_failures: Callable[[int], None] | None = None,
    ) -> None:
        self.pins = PinGuard(pin_hash, clock, failures=failures, on_failures=on_failures)
        self._staff_code_hash = staff_code_hash

    @classmethod
    def from_store(cls, store: Store, clock: Monotonic = time.monotonic) -> StaffUnlock:
        """The unlock the kiosk's settings hold, with the wrong tries made before a restart
        (kept in `self.pin_failures`, so a power cycle does not clear the delay).
        """
        settings = current_settings(store)

        def keep(failures: int) -> None:
            try:
                store.set_setting(FAILURES_SETTING, str(failures))
            except StorageError:
                pass  # the delay still holds in memory; a refused write must not open the lock

        return cls(
            settings.unlock_pin,
            settings.unlock_staff_code,
            clock,
            failures=settings.unlock_failures,
            on_failures=keep,
        )

    @property
    def possible(self) -> bool:
        """True when staff have a way to unlock: a PIN or a staff code is set."""
        return self.pins.enabled or bool(self._staff_code_hash)

    @property
    def has_pin(self) -> bool:
        """True when a PIN is set."""
        return self.pins.enabled

    def is_staff_code(self, scanned: str) -> bool:
        """True when `scanned` is the staff code (a slow hash: ask only for scans that name
        no attendee).
        """
        text = scanned.strip()
        return bool(self._staff_code_hash and text) and _verify(text, self._staff_code_hash)
