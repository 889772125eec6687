"""Read registration exports in CSV, whatever Excel or the registration system did to them."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from kiosk.core.errors import FileFormatError
from kiosk.core.registrations import FIELDS, OPTIONAL_FIELDS, RegistrationRows

GENERIC_FORMAT = "csv"

REQUIRED_COLUMNS = ("code",)
NAME_COLUMNS = ("first_name", "last_name")
_DELIMITERS = ",;\t"


class ImportFileError(FileFormatError):
    """The file cannot be imported at all; the message names the file, and row and field when
    one is to blame.
    """


def decode(raw: bytes) -> str:
    """An export as text: by its BOM (UTF-8, UTF-16), else strict UTF-8, else cp1250."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1250", errors="replace")


def sniff_delimiter(header_line: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the header line the most."""
    return max(_DELIMITERS, key=header_line.count)


def _normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, values by column) for each data row; the header is row 1.

    Raises `ImportFileError` when the file cannot be read or lacks a required column.
    """
    try:
        text = decode(path.read_bytes())
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read the file: {error.strerror}") from error
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportFileError(f"{path}: row 1: the file is empty; it needs a header row")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(lines[0]))
    header = [_normalise_header(name) for name in next(reader)]
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise ImportFileError(
                f"{path}: row 1, field {column}: the header has no {column!r} "
                f"column (found: {', '.join(header)})"
            )
    if not any(column in header for column in NAME_COLUMNS):
        raise ImportFileError(
            f"{path}: row 1, field last_name: the header has neither 'first_name' nor 'last_name'"
        )
    try:
        # Rows are records, as a spreadsheet numbers them: a quoted line break stays in its row.
        for row, values in enumerate(reader, start=2):
            if any(value.strip() for value in values):
                yield row, dict(zip(header, values, strict=False))
    except csv.Error as error:
        raise ImportFileError(
            f"{path}: row {reader.line_num}: the file is not valid CSV ({error}); "
            "look for a stray quote"
        ) from error


class CsvRegistrations:
    """The generic CSV export: the `RegistrationFile` port for `kiosk import`."""

    def read(self, path: Path, format_name: str | None = None) -> RegistrationRows:
        """The file's rows, numbered as a spreadsheet shows them."""
        if format_name not in (None, GENERIC_FORMAT):
            raise ImportFileError(f"{path}: unknown format {format_name!r}")
        rows = list(read_rows(path))
        header = sorted({name for _, values in rows for name in values})
        mapping = {name: name for name in header if name in (*FIELDS, *OPTIONAL_FIELDS)}
        return RegistrationRows(GENERIC_FORMAT, mapping, rows)
