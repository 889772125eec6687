"""QR codes drawn on screen: the lobby's programme link, the desk's scanner test code."""

from __future__ import annotations

import segno
from PySide6.QtGui import QImage


def qr_image(text: str) -> QImage:
    """The QR code of `text` in black on white, one pixel per module, with a four-module
    quiet zone (a light border a scanner needs, on a dark board more than anywhere).
    """
    code = segno.make(text, error="m", micro=False)
    rows = [bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(border=4)]
    size = len(rows)
    stride = (size + 3) // 4 * 4  # QImage rows start on 32-bit boundaries
    data = b"".join(row.ljust(stride, b"\xff") for row in rows)
    # copy(): the image owns its pixels rather than borrowing the bytes object's.
    return QImage(data, size, size, stride, QImage.Format.Format_Grayscale8).copy()
