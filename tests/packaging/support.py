"""What the packaging tests share: the checkout, a clean environment, the commands they run."""

from __future__ import annotations

import csv
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
SCREEN = (1920, 1080)
# What a build must leave behind: caches, virtual environments, earlier builds.
NOT_SOURCES = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "*.sqlite3*",
)


def copy_sources(destination: Path) -> Path:
    """The checkout's sources in a folder of their own, so a build writes nothing into it."""
    shutil.copytree(CHECKOUT, destination, ignore=NOT_SOURCES)
    return destination


def environment(home: Path) -> dict[str, str]:
    """The caller's environment, headless, with nothing pointing back into the checkout."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "KIOSK_DB", "PYTHONSAFEPATH"}
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("LANG", "C.UTF-8")
    env["XDG_DATA_HOME"] = str(home)  # a kiosk that loses --db never writes the user's database
    return env


def demo_code() -> str:
    """A demo attendee admitted on every day of the event."""
    with (CHECKOUT / "resources" / "demo" / "attendees.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if not row.get("days") and row.get("status", "active") in {"", "active"}:
                return row["code"]
    raise AssertionError("the demo has no attendee valid on all days")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG file's header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    assert header[12:16] == b"IHDR"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def check_demo_desk(kiosk: list[str], workdir: Path, env: dict[str, str]) -> None:
    """The demo, a check-in and a screenshot of the desk, as the command `kiosk` runs them."""
    assert CHECKOUT not in workdir.resolve().parents, "run it outside the checkout"
    db = workdir / "demo.sqlite3"

    done = run([*kiosk, "--db", str(db), "demo"], workdir, env)
    assert done.returncode == 0, done.stderr

    done = run([*kiosk, "--db", str(db), "checkin", demo_code(), "--json"], workdir, env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "ok", done.stdout

    shot = workdir / "shot.png"
    done = run([*kiosk, "--db", str(db), "screenshot", "desk", "--out", str(shot)], workdir, env)
    assert done.returncode == 0, done.stderr
    assert png_size(shot) == SCREEN
    # An empty screen of one colour compresses to about 9 kB; the desk with its text to about 75.
    assert shot.stat().st_size > 30_000, "the screenshot is (nearly) blank"
