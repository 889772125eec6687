"""Size limits for the files people give kiosk, checked before a file is read whole."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.core.errors import FileFormatError

# Far above any real file of each kind (a 100,000-attendee export is about 20 MB, a
# conference's schedule a few MB, an event file under a kilobyte, a badge logo a few hundred
# kilobytes), and far below what would exhaust a kiosk's memory.
MAX_IMPORT_BYTES = 256 * 1024 * 1024
MAX_SCHEDULE_BYTES = 64 * 1024 * 1024
MAX_EVENT_FILE_BYTES = 1024 * 1024
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# What the parts of an Excel workbook may unpack to: a ZIP bomb is refused before unpacking.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024


class FileTooLargeError(FileFormatError):
    """A file over its kind's size limit; the message names the file and the limit."""


def too_large(path: Path, size: int, limit: int, what: str) -> FileTooLargeError:
    """The error for a `what` at `path` of `size` bytes, over `limit`."""
    return FileTooLargeError(
        f"{path}: {_size(size)} is over the {_size(limit)} limit for {what}; not read"
    )


def read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the file at `path`, or `FileTooLargeError` for one over `limit` bytes,
    found before it is read whole (also for a file whose size the system does not tell, such
    as a pipe or /dev/zero). `OSError` is the caller's to word.
    """
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise too_large(path, size, limit, what)
        data = file.read(limit + 1)
    if len(data) > limit:
        raise too_large(path, len(data), limit, what)
    return data


def _size(count: int) -> str:
    mebibytes = count / (1024 * 1024)
    if mebibytes >= 1:
        whole = mebibytes >= 10 or mebibytes.is_integer()
        return f"{mebibytes:.0f} MiB" if whole else f"{mebibytes:.1f} MiB"
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} bytes"
