"""Two kiosks of one event, each with its own folder, kept in step by two real Syncthings.

Everything stays on 127.0.0.1: the Syncthings find each other only by the loopback addresses
written in their configs (discovery, relays, NAT, reporting and upgrades are off). The kiosks
are the real `kiosk` command, as venue staff run it.

Without the `syncthing` program the tests are skipped on a developer's machine and fail in CI
(`CI` set), where `make test` installs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import passphrase_file
from tests.integration import syncthing

# A demo attendee admitted on both days (Ivana Kadlecová).
CODE = "032857605093"
MONDAY = "2023-10-23"
MONDAY_9 = "2023-10-23T09:00:00+02:00"
SYNC_TIMEOUT_S = 30.0


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in {"", "0", "false", "no"}


@dataclass
class Pair:
    """Two connected Syncthings, A and B, each sharing its own folder with the other."""

    a: syncthing.Instance
    b: syncthing.Instance
    connect_s: float


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    if syncthing.binary() is None:
        if in_ci():
            pytest.fail("CI must have syncthing: `make test` installs it (APT_TEST)")
        pytest.skip("syncthing is not installed (apt-get install syncthing; make test does)")
    root = tmp_path_factory.mktemp("syncthing")
    a = syncthing.prepare("kiosk-a", root / "home-a", root / "folder-a")
    b = syncthing.prepare("kiosk-b", root / "home-b", root / "folder-b")
    syncthing.configure(a, [b])
    syncthing.configure(b, [a])
    with ExitStack() as stack:
        # Registered before each start, so both are stopped whatever fails after.
        stack.callback(syncthing.stop, a)
        start_a = syncthing.start(a)
        stack.callback(syncthing.stop, b)
        start_b = syncthing.start(b)  # only after A answers: starting both at once can stall
        connect_s = start_b + syncthing.wait_connected(a, b)
        print(f"syncthing: A up in {start_a:.2f} s, B connected {connect_s:.2f} s after start")
        yield Pair(a, b, connect_s)


class Kiosk:
    """The `kiosk` command on one database file, with a data folder of its own."""

    def __init__(self, db: Path, data: Path) -> None:
        self.db = db
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "KIOSK_DB"},
            "XDG_DATA_HOME": str(data),  # never the user's own database
            "XDG_STATE_HOME": str(data / "state"),  # nor log
            "QT_QPA_PLATFORM": "offscreen",
            "LANG": os.environ.get("LANG") or "C.UTF-8",
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "--db", str(self.db), *args],
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            check=False,
        )

    def json(self, *args: str) -> Any:
        done = self.run(*args, "--json")
        assert done.returncode == 0, f"kiosk {' '.join(args)}: {done.stderr}"
        return json.loads(done.stdout)


@dataclass
class Event:
    """Kiosk A (the demo event) and kiosk B (joined with the private key), and the journal
    folder of this test as each sees it inside its own Syncthing folder."""

    a: Kiosk
    b: Kiosk
    folder_a: Path
    folder_b: Path


@pytest.fixture
def event(pair: Pair, tmp_path: Path, request: pytest.FixtureRequest) -> Event:
    """A new event for each test, in a sub-folder of the shared folder named after the test."""
    a = Kiosk(tmp_path / "a.sqlite3", tmp_path / "data-a")
    b = Kiosk(tmp_path / "b.sqlite3", tmp_path / "data-b")
    a.json("demo")
    event_file = tmp_path / "event.json"
    secret = passphrase_file(tmp_path)
    assert a.json("export-event", str(event_file), "--with-private-key",
                  "--passphrase-file", secret)["private_key"]  # fmt: skip
    b.json("init", "--from-event", str(event_file), "--station", "Desk B",
           "--passphrase-file", secret)  # fmt: skip
    name = request.node.name
    return Event(a, b, pair.a.folder / name, pair.b.folder / name)


def poll(what: str, check: Callable[[], bool], timeout: float = SYNC_TIMEOUT_S) -> float:
    """Run `check` until it is true, at most `timeout` seconds; the seconds it took."""
    began = time.monotonic()
    while True:
        if check():
            return time.monotonic() - began
        if time.monotonic() - began > timeout:
            pytest.fail(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.2)


def test_a_check_in_at_desk_a_is_already_at_desk_b(event: Event) -> None:
    first = event.a.json("checkin", CODE, "--at", "2023-10-23T09:00")
    assert (first["status"], first["station"]) == ("ok", "Desk A")
    began = time.monotonic()
    assert event.a.json("sync", "--dir", str(event.folder_a))["published"] >= 1

    def merged_at_b() -> bool:
        event.b.json("sync", "--dir", str(event.folder_b))
        return bool(event.b.json("stats")["by_day"].get(MONDAY) == 1)

    poll("A's check-in merged at B", merged_at_b)
    print(f"check-in A -> B: {time.monotonic() - began:.2f} s from A's sync to B's stats")
    second = event.b.json("checkin", CODE, "--at", "2023-10-23T09:05")
    assert second["status"] == "already", second
    assert (second["station"], second["first_at"]) == ("Desk A", MONDAY_9)
    assert event.b.json("stats")["by_day"] == {MONDAY: 1}


def test_a_walk_in_registered_at_desk_b_appears_at_desk_a(event: Event) -> None:
    jana = event.b.json("walkin", "--first-name", "Jana", "--last-name", "Nováková")
    began = time.monotonic()
    assert event.b.json("sync", "--dir", str(event.folder_b))["published"] >= 1

    def listed_at_a() -> bool:
        event.a.json("sync", "--dir", str(event.folder_a))
        return any(person["id"] == jana["id"] for person in event.a.json("list"))

    poll("B's walk-in merged at A", listed_at_a)
    print(f"walk-in B -> A: {time.monotonic() - began:.2f} s from B's sync to A's list")
    at_a = next(person for person in event.a.json("list") if person["id"] == jana["id"])
    assert (at_a["first_name"], at_a["last_name"], at_a["code"]) == (
        "Jana",
        "Nováková",
        jana["code"],
    )
    answer = event.a.json("checkin", jana["code"], "--at", "2023-10-23T09:10")
    assert (answer["status"], answer["station"]) == ("ok", "Desk A")
