"""The decode workflow: every file answered in order, a bad one does not stop the rest."""

from __future__ import annotations

from pathlib import Path

from kiosk.adapters.decoding import QrReader
from kiosk.workflows.decoding import DecodedImage, decode_images
from tests.qr import qr_png


def test_each_file_is_answered_in_the_order_given(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(qr_png("A-1"))
    (tmp_path / "b.png").write_bytes(b"no picture")
    (tmp_path / "c.png").write_bytes(qr_png("C-3"))
    names = [str(tmp_path / name) for name in ("c.png", "b.png", "a.png")]

    decoded = decode_images(QrReader(), names)

    assert [image.file for image in decoded] == names
    assert decoded[0] == DecodedImage(names[0], ("C-3",))
    assert decoded[1].codes == ()
    assert decoded[1].error.startswith(f"{names[1]}: not an image")
    assert decoded[2].to_dict() == {"file": names[2], "codes": ["A-1"]}
    assert decoded[1].to_dict()["error"] == decoded[1].error
