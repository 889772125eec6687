"""Nothing answered is lost: processes killed at random points (checking in, importing,
merging another kiosk's journal) leave a whole file and every answer in it."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kiosk.adapters.storage import SqliteStore
from tests.cli.test_cli import copy_db, environment, kiosk_json

CODES = 2000
KILLS = 4
HEADER = "code,first_name,last_name,organisation,country,email,category"


def test_every_acknowledged_check_in_survives_sigkill(tmp_path: Path) -> None:
    env = environment(tmp_path / "kiosk.sqlite3", tmp_path / "data")
    kiosk_json(env, "init", "--event-name", "Crash", "--timezone", "Europe/Prague",
               "--days", "2023-10-23")  # fmt: skip
    export = tmp_path / "people.csv"
    codes = [f"CRASH{n:05d}" for n in range(CODES)]
    export.write_text(
        "\n".join(
            [HEADER, *(f"{code},Jan,Novák {n},,CZ,,Participant" for n, code in enumerate(codes))]
        )
        + "\n",
        encoding="utf-8",
    )
    kiosk_json(env, "import", str(export))
    rng = random.Random(7)
    acknowledged: set[str] = set()
    remaining = list(codes)
    for _ in range(KILLS):
        kill_after = rng.randrange(1, 300)
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "checkin", "--stdin", "--json",
             "--at", "2023-10-23T09:00"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("".join(code + "\n" for code in remaining).encode())
        process.stdin.flush()
        for _ in range(kill_after):
            line = process.stdout.readline()
            if not line:
                break
            answer = json.loads(line)
            assert answer["status"] in ("ok", "already")
            acknowledged.add(answer["code"])
        os.killpg(process.pid, signal.SIGKILL)  # no goodbye, no flush, mid-write
        process.wait(30)
        remaining = [code for code in remaining if code not in acknowledged]
    with sqlite3.connect(tmp_path / "kiosk.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {
            code for (code,) in conn.execute("SELECT code FROM journal WHERE kind = 'checkin'")
        }
    assert acknowledged and acknowledged <= stored


# -- a kill during an import, a sync merge -------------------------------------------------------

SEEDS = (11, 12, 13)
OLD, NEW = 600, 300  # people in the registry, people the changed export adds
CHECKED_IN_BY_A = 200
MONDAY_9 = "2023-10-23T09:00"


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process we started, and what it started."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def start_kiosk(env: dict[str, str], *args: str, **options: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args], env=env, start_new_session=True, **options
    )


class CheckIns:
    """A `kiosk checkin --stdin --json` process checking `codes` in, its answers read as they
    come: `acknowledged` holds every code it answered (so it is durable).
    """

    def __init__(self, env: dict[str, str], codes: list[str]) -> None:
        self.process = start_kiosk(env, "checkin", "--stdin", "--json", "--at", MONDAY_9,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
        self.acknowledged: set[str] = set()
        assert self.process.stdin is not None
        self.process.stdin.write("".join(code + "\n" for code in codes).encode())
        self.process.stdin.close()
        self._reader = threading.Thread(target=self._read)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.endswith(b"\n"):
                answer = json.loads(line)
                assert answer["status"] in ("ok", "already"), answer
                self.acknowledged.add(answer["code"])

    def kill(self) -> set[str]:
        kill_group(self.process)
        self._reader.join(30)
        return self.acknowledged


def registry(path: Path) -> dict[str, str]:
    """Each registered code's last name, read without kiosk (no recovery on open)."""
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return dict(
            conn.execute(
                "SELECT c.code, a.last_name FROM codes c JOIN attendees a ON a.id = c.attendee_id"
            ).fetchall()
        )


def checked_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {code for (code,) in conn.execute("SELECT code FROM journal WHERE kind='checkin'")}


def write_export(path: Path, people: dict[str, str]) -> Path:
    lines = [f"{code},Jan,{last},,CZ,,Participant" for code, last in people.items()]
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A database with OLD people imported, and the event file other kiosks join from."""
    folder = tmp_path_factory.mktemp("registered")
    env = environment(folder / "kiosk.sqlite3", folder / "data")
    kiosk_json(env, "init", "--event-name", "Crash", "--timezone", "Europe/Prague",
               "--days", "2023-10-23")  # fmt: skip
    old = {f"OLD{n:05d}": f"Novák {n}" for n in range(OLD)}
    kiosk_json(env, "import", str(write_export(folder / "old.csv", old)))
    return folder / "kiosk.sqlite3", old


def test_an_import_killed_at_any_point_leaves_the_old_registry_or_the_new_one(
    registered: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    database, old = registered
    new = {code: f"Nováková {n}" for n, code in enumerate(old)}
    new |= {f"NEW{n:05d}": f"Nový {n}" for n in range(NEW)}
    export = write_export(tmp_path / "new.csv", new)
    # Uninterrupted, for how long an import takes here.
    env = environment(copy_db(database, tmp_path / "whole.sqlite3"), tmp_path / "data")
    started = time.monotonic()
    kiosk_json(env, "import", str(export))
    took = time.monotonic() - started
    assert registry(tmp_path / "whole.sqlite3") == new
    phases = set()
    for seed in SEEDS:
        rng = random.Random(seed)
        db = copy_db(database, tmp_path / f"killed-{seed}.sqlite3")
        env = environment(db, tmp_path / "data")
        codes = list(old)
        rng.shuffle(codes)
        importer = start_kiosk(env, "import", str(export), stdout=subprocess.DEVNULL)
        checkins = CheckIns(env, codes)  # another process checks people in meanwhile
        time.sleep(rng.uniform(0.2, 0.95) * took)
        kill_group(importer)
        acknowledged = checkins.kill()
        with sqlite3.connect(db) as conn:
            phases.update(state for (state,) in conn.execute("SELECT state FROM imports"))
        registry(db)  # the file is whole even before kiosk opens it again
        assert acknowledged <= checked_in(db)
        # The next open drops an import cut off while staging, or finishes one that was
        # applying: the old registry or the new one, never a mix.
        with SqliteStore(db) as store:
            assert not [i for i in store.db["imports"].rows if i["state"] != "done"]
        after = registry(db)
        assert after in (old, new), f"seed {seed}: {len(after)} people, a mix"
        assert acknowledged <= checked_in(db)
    assert phases  # the kills found an import under way


def entries(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return set(conn.execute("SELECT uuid, kind FROM journal").fetchall())


def test_a_sync_merge_killed_at_any_point_converges_when_run_again(
    registered: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    database, old = registered
    # Kiosk A has checked everyone in and published its journal to the shared folder.
    env_a = environment(copy_db(database, tmp_path / "a.sqlite3"), tmp_path / "data")
    CheckIns(env_a, list(old)[:CHECKED_IN_BY_A]).process.wait(120)
    folder = tmp_path / "sync"
    kiosk_json(env_a, "sync", "--dir", str(folder))
    kiosk_json(env_a, "export-event", str(tmp_path / "event.json"))
    # Kiosk B joins the event and merges A's journal, once uninterrupted.
    env_b = environment(tmp_path / "b.sqlite3", tmp_path / "data")
    kiosk_json(env_b, "init", "--from-event", str(tmp_path / "event.json"))
    whole = environment(copy_db(tmp_path / "b.sqlite3", tmp_path / "whole.sqlite3"), tmp_path)
    shutil.copytree(folder, tmp_path / "sync-whole")
    started = time.monotonic()
    kiosk_json(whole, "sync", "--dir", str(tmp_path / "sync-whole"))
    took = time.monotonic() - started
    expected = entries(tmp_path / "whole.sqlite3")
    assert len(expected) >= OLD + CHECKED_IN_BY_A
    for seed in SEEDS:
        rng = random.Random(seed)
        db = copy_db(tmp_path / "b.sqlite3", tmp_path / f"b-{seed}.sqlite3")
        env = environment(db, tmp_path / "data")
        shared = tmp_path / f"sync-{seed}"
        shutil.copytree(folder, shared)
        merging = start_kiosk(env, "sync", "--dir", str(shared), stdout=subprocess.DEVNULL)
        # The merge comes at the end of the run, a chunk per transaction: most kills go there.
        time.sleep(rng.uniform(0.4, 1.0) * took)
        kill_group(merging)
        # Whole chunks or nothing: what is there is B's own and some of A's, never a torn entry.
        cut_off = entries(db)
        assert entries(tmp_path / "b.sqlite3") <= cut_off <= expected
        kiosk_json(env, "sync", "--dir", str(shared))
        assert entries(db) == expected
        assert registry(db) == registry(tmp_path / "whole.sqlite3")
        assert checked_in(db) == set(list(old)[:CHECKED_IN_BY_A])
