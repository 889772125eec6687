"""QR codes out of grayscale pictures (zxing-cpp, several passes) and out of image files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from kiosk.core.errors import FileFormatError
from kiosk.core.ports import Pixels


@dataclass(frozen=True)
class Pass:
    """One attempt at a picture: a binarizer, on the picture or a scaled copy of it."""

    name: str
    binarizer: zxingcpp.Binarizer
    scale: float = 1.0


# Tried in order until one finds a code, so a picture the first pass reads costs one pass; a
# camera frame with no code in it costs every pass. Measured on the 179 photographed codes of
# ../shared/corpus/qr, loaded as `kiosk decode` loads files (bench/ui_latency.py); each
# comment says what the pass adds to the ones before it.
PASSES: tuple[Pass, ...] = (
    # zxing-cpp as it comes (local-average binarizer; it also tries the picture rotated,
    # downscaled and inverted, for dark-mode phone screens): 166 of 179.
    Pass("local average", zxingcpp.Binarizer.LocalAverage),
    # One threshold for the whole picture reads codes the local binarizer breaks up (uneven
    # light, glare, a code filling the frame): +2 (qrcode-4/09, qrcode-4/34).
    Pass("global histogram", zxingcpp.Binarizer.GlobalHistogram),
    # The same on every other pixel of every other row: fewer pixels per module break up less
    # under noise and JPEG blocks: +2 (qrcode-2/12, qrcode-2/28). A quarter of the pixels and
    # no filtering, so it adds little to a camera frame's cost.
    Pass("global histogram, half size", zxingcpp.Binarizer.GlobalHistogram, 0.5),
    # Measured and left out, as they read nothing the passes above miss: the fixed-threshold
    # binarizer (133 alone), other downscales (0.66, 0.75; zxing-cpp already tries downscaled
    # copies with the local binarizer itself), upscaled copies x1.5 and x2 of small pictures, and
    # a smooth (filtered) half size, which reads the same two at five times the cost.
)

# QR codes alone: three to five times as fast as every format, and nothing else is a ticket.
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

# Images a person might pass to `kiosk decode`, for the message when a file is none of them.
_IMAGE_KINDS = "PNG, JPEG, WebP, TIFF, GIF, BMP"


class QrReader:
    """The `CodeReader` port: QR codes only, through the passes of `PASSES`.

    The first pass is zxing-cpp with its defaults (restricted to QR codes), so this reads
    every picture raw zxing-cpp reads; the later passes run only when it finds nothing.
    Texts come verbatim (zxing-cpp's plain text mode: control characters such as a
    payload's CR LF stay as they are, where its default mode would show them as "<CR>"),
    each once, in the order found.
    """

    def __init__(self, passes: tuple[Pass, ...] = PASSES) -> None:
        self.passes = passes

    def read(self, pixels: Pixels, width: int, height: int, stride: int) -> list[str]:
        """The QR codes in the `width` x `height` 8-bit grayscale picture in `pixels`, whose
        rows start every `stride` bytes.
        """
        if width <= 0 or height <= 0:
            return []
        if stride < width or len(pixels) < stride * (height - 1) + width:
            raise ValueError(
                f"{len(pixels)} bytes cannot hold a {width}x{height} picture with rows "
                f"{stride} bytes apart"
            )
        for attempt in self.passes:
            if attempt.scale == 1.0:
                found = _decode(pixels, width, height, stride, attempt.binarizer)
            else:
                found = _decode_scaled(pixels, width, height, stride, attempt)
            if found:
                return found
        return []

    def read_file(self, path: Path) -> list[str]:
        """The QR codes in the image file at `path`; raises `FileFormatError` naming the file
        when it is missing or not an image.
        """
        pixels, width, height = load_grayscale(path)
        return self.read(pixels, width, height, width)


def load_grayscale(path: Path) -> tuple[bytes, int, int]:
    """The image file at `path` as 8-bit grayscale (pixels, width, height; rows not padded),
    turned upright as its EXIF orientation says, transparency on white; raises
    `FileFormatError` naming the file when it cannot be read as an image.
    """
    # Pillow rather than QImageReader: a broken file is an exception to turn into one line,
    # where Qt's PNG reader also prints libpng's complaint on stderr.
    from PIL import Image, ImageOps, UnidentifiedImageError  # noqa: PLC0415 (files only)

    if not path.is_file():
        what = "is a folder, not an image" if path.is_dir() else "does not exist"
        raise FileFormatError(f"{path}: {what}")
    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                # A code on a transparent background: dark modules on white, as on paper
                # (converted as it is, transparent pixels would turn black).
                white = Image.new("RGBA", image.size, "white")
                image = Image.alpha_composite(white, image.convert("RGBA"))
            gray = image.convert("L")
    except UnidentifiedImageError:
        raise FileFormatError(f"{path}: not an image kiosk can read ({_IMAGE_KINDS})") from None
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise FileFormatError(f"{path}: cannot be read as an image: {error}") from None
    return gray.tobytes(), gray.width, gray.height


def _decode(
    pixels: Pixels,
    width: int,
    height: int,
    stride: int,
    binarizer: zxingcpp.Binarizer,
) -> list[str]:
    # The view does not keep `pixels` alive: the caller holds them until this returns.
    view = zxingcpp.ImageView(pixels, width, height, zxingcpp.ImageFormat.Lum, stride)
    found = zxingcpp.read_barcodes(
        view,
        formats=_QR_ONLY,
        binarizer=binarizer,
        try_invert=True,
        text_mode=zxingcpp.TextMode.Plain,
    )
    return list(dict.fromkeys(code.text for code in found))


def _decode_scaled(
    pixels: Pixels, width: int, height: int, stride: int, attempt: Pass
) -> list[str]:
    source = QImage(pixels, width, height, stride, QImage.Format.Format_Grayscale8)
    scaled = source.scaled(
        max(1, round(width * attempt.scale)),
        max(1, round(height * attempt.scale)),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )
    if scaled.format() != QImage.Format.Format_Grayscale8:
        scaled = scaled.convertToFormat(QImage.Format.Format_Grayscale8)
    bits = scaled.constBits()
    return _decode(bits, scaled.width(), scaled.height(), scaled.bytesPerLine(), attempt.binarizer)
