"""`kiosk decode`: the QR codes in image files, per CLI.md, with no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.qr import QR_CORPUS, needs_qr_corpus, qr_png


def kiosk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A database path that does not exist: decoding needs none, and must not make one.
    env = {**os.environ, "KIOSK_DB": str(tmp_path / "none.sqlite3"),
           "XDG_DATA_HOME": str(tmp_path / "data")}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "decode", *args],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        cwd=tmp_path,
    )


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "ticket.png").write_bytes(qr_png("CMR-2023-0001"))
    (tmp_path / "vcard.png").write_bytes(qr_png("BEGIN:VCARD\r\nN:Nová;Jana\r\nEND:VCARD"))
    (tmp_path / "dark.png").write_bytes(qr_png("CMR-2023-0002", dark="white", light="black"))
    blank = qr_png("x", dark="white", light="white")  # a white square: no code
    (tmp_path / "blank.png").write_bytes(blank)
    (tmp_path / "notes.txt").write_text("not a picture\n", encoding="utf-8")
    return {path.stem: path for path in tmp_path.iterdir()}


def test_json_lists_each_file_as_given_with_its_codes_in_order(
    tmp_path: Path, images: dict[str, Path]
) -> None:
    done = kiosk(tmp_path, "ticket.png", str(images["vcard"]), "./dark.png", "blank.png", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout) == [
        {"file": "ticket.png", "codes": ["CMR-2023-0001"]},
        {"file": str(images["vcard"]), "codes": ["BEGIN:VCARD\r\nN:Nová;Jana\r\nEND:VCARD"]},
        {"file": "./dark.png", "codes": ["CMR-2023-0002"]},
        {"file": "blank.png", "codes": []},
    ]
    assert not (tmp_path / "none.sqlite3").exists()


@pytest.mark.usefixtures("images")
def test_text_is_one_line_per_file_with_each_code_quoted(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "ticket.png", "vcard.png", "blank.png")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        'ticket.png: "CMR-2023-0001"',
        'vcard.png: "BEGIN:VCARD\\r\\nN:Nová;Jana\\r\\nEND:VCARD"',
        "blank.png: no QR code",
    ]


@pytest.mark.usefixtures("images")
def test_a_file_that_is_no_image_is_one_line_on_stderr_and_a_failure(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "notes.txt", "ticket.png", "missing.png")
    assert done.returncode == 1
    # The files that could be read are still answered; each other one is a line naming it.
    assert done.stdout.splitlines() == ['ticket.png: "CMR-2023-0001"']
    assert done.stderr.splitlines() == [
        "kiosk: notes.txt: not an image kiosk can read (PNG, JPEG, WebP, TIFF, GIF, BMP)",
        "kiosk: missing.png: does not exist",
    ]
    assert "Traceback" not in done.stderr


@pytest.mark.usefixtures("images")
def test_with_json_an_unreadable_file_has_its_error_in_its_element(tmp_path: Path) -> None:
    done = kiosk(tmp_path, "ticket.png", "notes.txt", "--json")
    assert done.returncode == 1
    assert json.loads(done.stdout) == [
        {"file": "ticket.png", "codes": ["CMR-2023-0001"]},
        {
            "file": "notes.txt",
            "codes": [],
            "error": "notes.txt: not an image kiosk can read (PNG, JPEG, WebP, TIFF, GIF, BMP)",
        },
    ]
    assert done.stderr.splitlines() == [
        "kiosk: notes.txt: not an image kiosk can read (PNG, JPEG, WebP, TIFF, GIF, BMP)"
    ]


def test_decode_needs_an_image(tmp_path: Path) -> None:
    done = kiosk(tmp_path)
    assert done.returncode == 2
    assert "IMAGE" in done.stderr


@needs_qr_corpus
def test_a_photographed_code_decodes(tmp_path: Path) -> None:
    photo = QR_CORPUS / "qrcode-1" / "1.png"
    done = kiosk(tmp_path, str(photo), "--json")
    assert done.returncode == 0, done.stderr
    expected = photo.with_suffix(".txt").read_bytes().decode("utf-8")
    assert json.loads(done.stdout) == [{"file": str(photo), "codes": [expected]}]
