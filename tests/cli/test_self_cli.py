"""`kiosk self`: setting its PIN and staff code, refusing to start without them, screenshots."""

from __future__ import annotations

import json

from PySide6.QtGui import QImage

from tests.cli.test_cli import environment, kiosk, kiosk_input

PIN = "97531864"


def test_kiosk_self_will_not_start_without_a_way_to_unlock_it(tmp_path):
    env = {**environment(tmp_path / "k.sqlite3", tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    assert kiosk(env, "demo").returncode == 0
    done = kiosk(env, "self")
    assert done.returncode == 1
    assert "--set-pin" in done.stderr and "--set-staff-code" in done.stderr


def test_the_pin_is_read_from_stdin_and_stored_as_a_hash_only(tmp_path):
    db = tmp_path / "k.sqlite3"
    env = environment(db, tmp_path)
    assert kiosk(env, "demo").returncode == 0
    done = kiosk_input(env, f"{PIN}\n", "self", "--set-pin")
    assert done.returncode == 0, done.stderr
    assert PIN not in done.stdout
    shown = json.loads(kiosk(env, "config", "self.pin", "--json").stdout)
    assert shown["value"] == "(set)"
    files = [db, tmp_path / "k.sqlite3-wal"]
    assert not [path for path in files if path.exists() and PIN.encode() in path.read_bytes()]
    assert db.exists()


def test_a_bad_pin_or_staff_code_is_refused_in_one_line(tmp_path):
    env = environment(tmp_path / "k.sqlite3", tmp_path)
    assert kiosk(env, "demo").returncode == 0
    done = kiosk_input(env, "12\n", "self", "--set-pin")
    assert done.returncode == 1
    assert done.stderr.strip() == "kiosk: self.pin: a PIN has 4 to 12 digits"
    done = kiosk_input(env, "short\n", "self", "--set-staff-code")
    assert done.returncode == 1 and "self.staff_code" in done.stderr
    done = kiosk(env, "config", "self.pin", PIN)
    assert done.returncode == 1 and "kiosk self --set-pin" in done.stderr


def test_kiosk_screenshot_self_renders_the_start_screen(tmp_path):
    env = {**environment(tmp_path / "k.sqlite3", tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "self.png"
    done = kiosk(env, "screenshot", "self", "--out", str(out), "--size", "1280x800")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)
    done = kiosk(env, "screenshot", "self", "--state", "unlock", "--out", str(out), "--lang", "cs")
    assert done.returncode == 0, done.stderr
