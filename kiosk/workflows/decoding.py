"""`kiosk decode`: what QR codes are in image files, so staff can check a ticket that will not
scan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.errors import KioskError


class CodeImageFiles(Protocol):
    """Reads the QR codes in image files (`kiosk.adapters.decoding.QrReader`)."""

    def read_file(self, path: Path) -> list[str]:
        """The texts of the QR codes in the image at `path`, verbatim; raises a `KioskError`
        naming the file when it cannot be read as an image.
        """
        ...


@dataclass(frozen=True)
class DecodedImage:
    """One file's answer: its codes (none found: empty), or why it could not be read."""

    file: str
    codes: tuple[str, ...] = field(default=())
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The element of `kiosk decode --json`: file and codes (CLI.md), and an error when
        the file could not be read.
        """
        data: dict[str, Any] = {"file": self.file, "codes": list(self.codes)}
        if self.error:
            data["error"] = self.error
        return data


def decode_images(reader: CodeImageFiles, files: Sequence[str]) -> list[DecodedImage]:
    """The codes in each of `files`, in the order given. A file that cannot be read gets its
    reason and does not stop the others: staff checking a stack of tickets see every answer.
    """
    decoded = []
    for name in files:
        try:
            codes = reader.read_file(Path(name))
        except KioskError as error:
            decoded.append(DecodedImage(name, error=str(error)))
        else:
            decoded.append(DecodedImage(name, tuple(codes)))
    return decoded
