"""The error an importer raises when a file cannot be imported at all."""

from __future__ import annotations

from kiosk.core.errors import FileFormatError


class ImportFileError(FileFormatError):
    """The file cannot be imported at all; the message names the file, and row and field when
    one is to blame.
    """
