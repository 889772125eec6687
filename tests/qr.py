"""QR images for the decoding tests: generated with segno, and the photographed corpus."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import segno

REPO = Path(__file__).resolve().parents[1]
# CI keeps a copy of shared/ beside the clone; the photographs never ship with kiosk.
QR_CORPUS = REPO.parent / "shared" / "corpus" / "qr"
needs_qr_corpus = pytest.mark.skipif(
    not QR_CORPUS.is_dir(), reason=f"the photographed QR codes are not at {QR_CORPUS}"
)


def qr_png(
    text: str,
    *,
    scale: int = 6,
    border: int = 4,
    dark: str | None = "black",
    light: str | None = "white",
) -> bytes:
    """A PNG of `text` as a QR code (never a Micro QR: kiosk reads QR codes only)."""
    out = io.BytesIO()
    segno.make(text, micro=False).save(
        out, kind="png", scale=scale, border=border, dark=dark, light=light
    )
    return out.getvalue()


def corpus_images() -> list[Path]:
    """Every photographed code of the corpus (179 when it is there)."""
    return sorted(QR_CORPUS.glob("*/*.png")) if QR_CORPUS.is_dir() else []


def corpus_payload(image: Path) -> str:
    """The exact text of the code in `image` (its .txt beside it, UTF-8, CR LF kept)."""
    return image.with_suffix(".txt").read_bytes().decode("utf-8")
