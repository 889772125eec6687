"""An export file read once: what kind of file it is, and its table or JSON document."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from kiosk.adapters.file_limits import (
    MAX_IMPORT_BYTES,
    MAX_UNPACKED_BYTES,
    read_limited,
    too_large,
)
from kiosk.adapters.importers.csv_table import empty_file_error, read_csv_table
from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.headers import header_score
from kiosk.adapters.importers.table import Table
from kiosk.adapters.importers.xlsx_table import read_xlsx_table

_ZIP = b"PK\x03\x04"
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # old Excel .xls (and other Office 97 files)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Kind(StrEnum):
    """The kinds of file an export comes as."""

    TEXT = "CSV"
    XLSX = "Excel workbook (.xlsx)"
    JSON = "JSON"


class Source:
    """The file at `path` with its bytes; `kind` is sniffed from the content, not the name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.raw = read_limited(path, MAX_IMPORT_BYTES, "a registration export")
        except OSError as error:
            raise ImportFileError(f"{path}: cannot read the file: {error.strerror}") from error
        self.kind = sniff(path, self.raw)

    @cached_property
    def table(self) -> Table:
        """The file as a table (CSV or workbook)."""
        if self.kind is Kind.XLSX:
            return read_xlsx_table(self.path, self.raw, header_score)
        if self.kind is Kind.TEXT:
            return read_csv_table(self.path, self.raw)
        raise ImportFileError(f"{self.path}: a JSON file, not a table")

    @cached_property
    def document(self) -> object:
        """The file as a JSON document."""
        try:
            return json.loads(self.raw.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ImportFileError(f"{self.path}: JSON that is not UTF-8 ({error})") from error
        except json.JSONDecodeError as error:
            raise ImportFileError(
                f"{self.path}: line {error.lineno}: not valid JSON ({error.msg})"
            ) from error


def sniff(path: Path, raw: bytes) -> Kind:
    """What `raw` is: a workbook, a JSON document, or text (CSV); raises `ImportFileError` for
    an empty file and for files kiosk cannot read (old .xls, OpenDocument, other archives,
    binary files).
    """
    if raw.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, ValueError, EOFError) as error:
            raise ImportFileError(f"{path}: a damaged ZIP or Excel file ({error})") from error
        if unpacked > MAX_UNPACKED_BYTES:  # a ZIP bomb, or a workbook no kiosk could hold
            raise too_large(path, unpacked, MAX_UNPACKED_BYTES, "an unpacked workbook")
        if "xl/workbook.xml" in names:
            return Kind.XLSX
        if "content.xml" in names:
            raise ImportFileError(
                f"{path}: an OpenDocument spreadsheet; save it as Excel (.xlsx) or CSV UTF-8"
            )
        raise ImportFileError(f"{path}: a ZIP archive, not an Excel workbook (.xlsx) or CSV")
    if raw.startswith(_OLE2):
        raise ImportFileError(
            f"{path}: an old Excel workbook (.xls); save it as Excel (.xlsx) or CSV UTF-8"
        )
    if raw.startswith(_UTF16_BOMS):
        return Kind.TEXT
    start = raw.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not start:
        raise empty_file_error(path)
    if b"\x00" in raw[:4096]:
        raise ImportFileError(f"{path}: not a text file, an Excel workbook (.xlsx) or JSON")
    if start[:1] in (b"{", b"["):
        return Kind.JSON
    return Kind.TEXT


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, read in pieces; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            while piece := file.read(1 << 20):
                digest.update(piece)
    except OSError:
        return None
    return digest.hexdigest()
