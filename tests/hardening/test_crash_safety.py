"""Nothing answered is lost: a check-in process killed at random points keeps every answer."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.cli.test_cli import environment, kiosk_json

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
