"""The generic CSV export (`code,first_name,last_name,...`), whatever Excel did to it.

Decoding (BOM, UTF-8, cp1250, and files that mix them) and CSV parsing are the importers'
(`kiosk.adapters.importers`); this module keeps the foundation's generic format, whose headers
are our field names written loosely ("First Name" is first_name) and whose other columns are
kept as extra fields under their normalised names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kiosk.adapters.file_limits import MAX_IMPORT_BYTES, read_limited
from kiosk.adapters.importers.csv_table import read_csv_table, sniff_delimiter
from kiosk.adapters.importers.encoding import decode
from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.source import file_digest
from kiosk.adapters.importers.table import Table
from kiosk.core.registrations import FIELDS, OPTIONAL_FIELDS, FieldError, RegistrationRows

__all__ = [
    "GENERIC_FORMAT",
    "CsvRegistrations",
    "ImportFileError",
    "decode",
    "read_rows",
    "sniff_delimiter",
]

GENERIC_FORMAT = "csv"

REQUIRED_COLUMNS = ("code",)
NAME_COLUMNS = ("first_name", "last_name")


def _normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _read_table(path: Path) -> tuple[Table, list[str]]:
    """The file as a table, and its header normalised; raises `ImportFileError` when the file
    cannot be read or lacks a required column.
    """
    try:
        raw = read_limited(path, MAX_IMPORT_BYTES, "a registration export")
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read the file: {error.strerror}") from error
    table = read_csv_table(path, raw)
    header = [_normalise_header(name) for name in table.header]
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
    return table, header


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, values by column) for each data row; the header is row 1.

    Raises `ImportFileError` when the file cannot be read or lacks a required column.
    """
    table, header = _read_table(path)
    for row, values in table.rows:
        yield row, dict(zip(header, values, strict=False))


class CsvRegistrations:
    """The generic CSV export: the `RegistrationFile` port for `kiosk import`."""

    def fingerprint(self, path: Path) -> str | None:
        """The SHA-256 of the file's bytes; None when it cannot be read."""
        return file_digest(path)

    def read(self, path: Path, format_name: str | None = None) -> RegistrationRows:
        """The file's rows, numbered as a spreadsheet shows them."""
        if format_name not in (None, GENERIC_FORMAT):
            raise ImportFileError(f"{path}: unknown format {format_name!r}")
        table, header = _read_table(path)
        rows = [(row, dict(zip(header, values, strict=False))) for row, values in table.rows]
        mapping = {name: name for name in header if name in (*FIELDS, *OPTIONAL_FIELDS)}
        problems = tuple(
            FieldError(
                problem.row,
                header[problem.column] if problem.column is not None else "",
                problem.message,
            )
            for problem in table.problems
        )
        return RegistrationRows(GENERIC_FORMAT, mapping, rows, problems)
