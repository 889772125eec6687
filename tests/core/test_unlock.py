"""Staff unlock rules: salted scrypt hashes of the PIN and staff code, the growing delay."""

from __future__ import annotations

import pytest

from kiosk.core.unlock import (
    PinGuard,
    check_pin,
    check_staff_code,
    delay_after,
    hash_secret,
    parse_hash,
    verify_secret,
)

# A cheap cost keeps the tests quick; the parameters travel in the stored value.
CHEAP = {"n": 2**10, "r": 8, "p": 1}


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_hash_holds_its_salt_and_parameters_and_verifies_only_its_secret():
    stored = hash_secret("2468", **CHEAP)
    n, r, p, salt, digest = parse_hash(stored)
    assert (n, r, p) == (2**10, 8, 1)
    assert len(salt) == 16 and len(digest) == 32
    assert "2468" not in stored
    assert verify_secret("2468", stored)
    assert not verify_secret("2469", stored)
    assert not verify_secret("", stored)


def test_the_same_pin_hashes_differently_each_time_and_the_default_cost_is_slow():
    assert hash_secret("2468", **CHEAP) != hash_secret("2468", **CHEAP)
    n, r, _p, _salt, _digest = parse_hash(hash_secret("2468"))
    assert n * r >= 2**17  # scrypt's interactive-login cost at least


@pytest.mark.parametrize(
    "stored",
    ["", "2468", "scrypt$16384$8$1$", "scrypt$1000$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==",
     "bcrypt$16384$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA==", "scrypt$16384$8$1$!!$!!"],
)  # fmt: skip
def test_nothing_stored_or_a_damaged_hash_never_verifies(stored):
    assert not verify_secret("2468", stored)
    with pytest.raises(ValueError):
        parse_hash(stored)


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "١٢٣٤", ""])
def test_a_pin_is_4_to_12_ascii_digits(pin):
    with pytest.raises(ValueError):
        check_pin(pin)


def test_a_staff_code_is_long_and_printable():
    assert check_staff_code(" STAFF-2023-x ") == "STAFF-2023-x"
    for bad in ("short", "STAFF\x00CODE-LONG"):
        with pytest.raises(ValueError):
            check_staff_code(bad)


def test_the_delay_doubles_after_each_wrong_try_up_to_five_minutes():
    assert [delay_after(n) for n in range(6)] == [0, 1, 2, 4, 8, 16]
    assert delay_after(40) == 300


def test_wrong_pins_wait_longer_each_time_and_tries_during_the_wait_are_not_read():
    clock = FakeMonotonic()
    guard = PinGuard(hash_secret("2468", **CHEAP), clock)
    first = guard.attempt("1111")
    assert (first.accepted, first.wait_s) == (False, 1.0)
    during = guard.attempt("2468")  # the right PIN, but too soon: refused unread
    assert during.refused and not during.accepted
    clock.now += 1.0
    assert guard.attempt("2222").wait_s == 2.0
    clock.now += 1.5
    assert guard.wait_left() == pytest.approx(0.5)
    clock.now += 0.5
    assert guard.attempt("2468").accepted
    assert guard.failures == 0
    assert guard.attempt("0000").wait_s == 1.0  # after a success the delays start again


def test_with_no_pin_set_no_pin_unlocks():
    guard = PinGuard("", FakeMonotonic())
    assert not guard.enabled
    assert not guard.attempt("").accepted
