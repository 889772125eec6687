"""The event's signing key away from the kiosk: passphrase-protected event files, and rotation.

Real kiosk processes on real files; the thief's codes are signed with the real stolen key.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.adapters.event_file import ENCRYPTED_FIELD
from kiosk.adapters.key_vault import KeyVault
from kiosk.adapters.storage import SqliteStore
from kiosk.core.model import new_attendee_id
from kiosk.core.signing import issue_code
from tests.cli.test_cli import (
    MONDAY_9,
    PASSPHRASE,
    assert_failed,
    environment,
    kiosk,
    kiosk_input,
    kiosk_json,
    passphrase_file,
)


def keyed_environment(db: Path, folder: Path) -> dict[str, str]:
    return {**environment(db, folder / "data"), "KIOSK_KEY_DIR": str(folder / "keys")}


@pytest.fixture
def first(tmp_path: Path) -> dict[str, str]:
    """A kiosk that set up the event (it holds the private key)."""
    env = keyed_environment(tmp_path / "a.sqlite3", tmp_path / "a")
    kiosk_json(env, "init", "--event-name", "Clusters meet Regions",
               "--timezone", "Europe/Prague", "--days", "2023-10-23,2023-10-24")  # fmt: skip
    return env


def private_key(env: dict[str, str]) -> bytes:
    """The event's private key as the kiosk holds it (what a thief of the kiosk gets)."""
    store = SqliteStore(env["KIOSK_DB"], key_vault=KeyVault(Path(env["KIOSK_KEY_DIR"])))
    try:
        key = store.signing_key()
    finally:
        store.close()
    assert key is not None
    return key


def forged(env: dict[str, str], key: bytes) -> str:
    """A code for a made-up attendee, signed with `key` (the thief's new walk-in)."""
    store = SqliteStore(env["KIOSK_DB"], key_vault=KeyVault(Path(env["KIOSK_KEY_DIR"])))
    try:
        event_id = store.event().id
    finally:
        store.close()
    return issue_code(key, event_id, new_attendee_id(), datetime(2023, 10, 22, tzinfo=UTC))


def status(env: dict[str, str], code: str) -> str:
    answer: str = kiosk_json(env, "checkin", code, "--at", MONDAY_9)["status"]
    return answer


def walk_in(env: dict[str, str], first_name: str) -> str:
    code: str = kiosk_json(env, "walkin", "--first-name", first_name, "--last-name", "Nová")["code"]
    return code


# -- the private key in an event file ------------------------------------------------------


def test_the_exported_private_key_is_encrypted_and_joining_needs_its_passphrase(
    first: dict[str, str], tmp_path: Path
) -> None:
    shared = tmp_path / "event.json"
    secret = passphrase_file(tmp_path)
    exported = kiosk_json(first, "export-event", str(shared), "--with-private-key",
                          "--passphrase-file", secret)  # fmt: skip
    assert exported["private_key"] is True
    data = json.loads(shared.read_text(encoding="utf-8"))
    key = private_key(first)
    assert "private_key" not in data
    assert set(data[ENCRYPTED_FIELD]) >= {"kdf", "salt", "nonce", "ciphertext"}
    raw = shared.read_bytes()
    assert base64.b64encode(key) not in raw and key not in raw and PASSPHRASE.encode() not in raw

    # A wrong passphrase is refused naming the file, and sets nothing up.
    other = keyed_environment(tmp_path / "b.sqlite3", tmp_path / "b")
    wrong = kiosk_input(other, "not the passphrase\n", "init", "--from-event", str(shared))
    assert_failed(wrong, str(shared), "wrong passphrase")
    assert not Path(other["KIOSK_DB"]).exists()
    # None at all (stdin empty, no terminal) is refused too.
    assert_failed(kiosk_input(other, "", "init", "--from-event", str(shared)), "no passphrase")

    # The right one from stdin: the new kiosk issues codes the first admits.
    joined = kiosk_input(other, PASSPHRASE + "\n", "init", "--from-event", str(shared), "--json")
    assert joined.returncode == 0, joined.stderr
    assert json.loads(joined.stdout)["warnings"] == [] and joined.stderr == ""
    assert private_key(other) == key
    assert status(first, walk_in(other, "Jana")) == "ok"


def test_exporting_the_private_key_needs_a_passphrase_long_enough(
    first: dict[str, str], tmp_path: Path
) -> None:
    shared = tmp_path / "event.json"
    refused = kiosk_input(first, "", "export-event", str(shared), "--with-private-key")
    assert_failed(refused, "no passphrase")
    short = kiosk_input(first, "short\n", "export-event", str(shared), "--with-private-key")
    assert_failed(short, "at least 10 characters")
    assert not shared.exists()
    # Without the private key there is nothing to protect, and nothing is asked.
    assert kiosk_json(first, "export-event", str(shared))["private_key"] is False
    assert_failed(
        kiosk(first, "export-event", str(shared), "--passphrase-file", passphrase_file(tmp_path)),
        "--with-private-key",
    )


def test_an_older_event_file_with_the_key_in_the_clear_is_read_with_a_warning(
    first: dict[str, str], tmp_path: Path
) -> None:
    shared = tmp_path / "event.json"
    kiosk_json(first, "export-event", str(shared))
    data = json.loads(shared.read_text(encoding="utf-8"))
    data["private_key"] = base64.b64encode(private_key(first)).decode("ascii")
    shared.write_text(json.dumps(data), encoding="utf-8")  # as kiosk wrote it before

    other = keyed_environment(tmp_path / "b.sqlite3", tmp_path / "b")
    joined = kiosk(other, "init", "--from-event", str(shared), "--json")
    assert joined.returncode == 0, joined.stderr
    assert "warning" in joined.stderr and "in the clear" in joined.stderr
    assert str(shared) in json.loads(joined.stdout)["warnings"][0]
    assert status(first, walk_in(other, "Petr")) == "ok"


# -- rotation -------------------------------------------------------------------------------


def test_a_rotated_key_keeps_old_codes_then_refuses_the_thief_s_and_reaches_other_kiosks(
    first: dict[str, str], tmp_path: Path
) -> None:
    secret = passphrase_file(tmp_path)
    shared = tmp_path / "event.json"
    kiosk_json(first, "export-event", str(shared), "--with-private-key", "--passphrase-file",
               secret)  # fmt: skip
    second = keyed_environment(tmp_path / "b.sqlite3", tmp_path / "b")
    kiosk_json(second, "init", "--from-event", str(shared), "--passphrase-file", secret)
    before = walk_in(first, "Jana")  # a real walk-in, before the theft
    stolen = private_key(first)
    thief = forged(first, stolen)

    # A plain rotation: every code the old key signed still admits.
    rotated = kiosk_json(first, "rotate-key")
    assert rotated["refuse_old"] is False and len(rotated["retired_keys"]) == 1
    assert private_key(first) != stolen
    assert status(first, thief) == "ok"

    # The key was stolen: old codes only where they are held, so the thief's are refused.
    rotated = kiosk_json(first, "rotate-key", "--refuse-old")
    assert [key["trusted"] for key in rotated["retired_keys"]] == [False, False]
    assert status(first, before) == "ok"
    answer = kiosk_json(first, "checkin", forged(first, stolen), "--at", MONDAY_9)
    assert answer["status"] == "invalid" and "retired" in answer["reason"]
    after = walk_in(first, "Eva")  # signed with the newest key

    # The second kiosk has not heard of the new key yet: its codes are not valid there.
    assert status(second, after) == "invalid"
    kiosk_json(first, "export-event", str(shared), "--with-private-key", "--passphrase-file",
               secret)  # fmt: skip
    adopted = kiosk_json(second, "rotate-key", "--from-event", str(shared),
                         "--passphrase-file", secret)  # fmt: skip
    assert adopted["adopted"] and adopted["can_issue"] and adopted["refuse_old"]
    assert private_key(second) == private_key(first)
    assert status(second, after) == "ok"
    assert status(second, forged(second, stolen)) == "invalid"
    # Jana's code from before is held by the first kiosk only: synced, it admits here too.
    assert status(second, before) == "invalid"
    folder = tmp_path / "sync"
    kiosk_json(first, "sync", "--dir", str(folder))
    kiosk_json(second, "sync", "--dir", str(folder))
    later = kiosk_json(second, "checkin", before, "--at", "2023-10-23T10:00:00+02:00")
    assert later["status"] == "already"  # the first kiosk admitted her at 9
    # And what the second kiosk issues now, the first admits.
    assert status(first, walk_in(second, "Olga")) == "ok"


def test_keys_are_taken_only_from_a_newer_file_of_the_same_event(
    first: dict[str, str], tmp_path: Path
) -> None:
    shared = tmp_path / "event.json"
    kiosk_json(first, "export-event", str(shared))
    second = keyed_environment(tmp_path / "b.sqlite3", tmp_path / "b")
    kiosk_json(second, "init", "--from-event", str(shared))
    kiosk_json(second, "rotate-key")
    # The first kiosk's file does not know the second's new key: adopting it would lose it.
    assert_failed(kiosk(second, "rotate-key", "--from-event", str(shared)), "export the event")
    other_event = keyed_environment(tmp_path / "c.sqlite3", tmp_path / "c")
    kiosk_json(other_event, "init", "--event-name", "Another", "--timezone", "Europe/Prague",
               "--days", "2023-10-23")  # fmt: skip
    assert_failed(kiosk(other_event, "rotate-key", "--from-event", str(shared)), "field id")
    # A file without the private key: a kiosk that could issue codes only checks them after.
    secret = passphrase_file(tmp_path)
    with_key = tmp_path / "with-key.json"
    kiosk_json(first, "export-event", str(with_key), "--with-private-key", "--passphrase-file",
               secret)  # fmt: skip
    third = keyed_environment(tmp_path / "d.sqlite3", tmp_path / "d")
    kiosk_json(third, "init", "--from-event", str(with_key), "--passphrase-file", secret)
    kiosk_json(first, "rotate-key")
    kiosk_json(first, "export-event", str(shared))
    assert kiosk_json(third, "rotate-key", "--from-event", str(shared))["can_issue"] is False
    assert_failed(kiosk(third, "walkin", "--first-name", "A", "--last-name", "B"), "public key")
    assert status(third, walk_in(first, "Eva")) == "ok"
