"""An Excel workbook (.xlsx) as a `Table`: every cell as the text the user sees in Excel.

The first worksheet is read (in workbook order), with openpyxl in read-only mode and formulas
as their last computed values. Cells become text this way:

- text stays as it is, leading zeros included;
- whole numbers are written as integers ("18441583423", never "18441583423.0"), zero-padded
  when the cell's number format pads them ("000000" shows 123 as "000123"); a whole number of
  16 or more digits stored as a floating-point number (as Excel stores them, keeping only 15
  digits) comes out as Excel shows it ("1.84416E+17"), so that the import reports it as a code
  Excel shortened; one stored as an integer (by a program that wrote every digit) keeps them;
- other numbers with up to 15 significant digits, as Excel keeps them ("23.5");
- dates as ISO 8601 ("2023-10-23"), date-times as "2023-10-23 09:05" (seconds when set),
  times as "09:05"; booleans as TRUE and FALSE; empty cells as "".

Row numbers are the sheet's own. Blank rows are skipped; the header is the first row that is
not blank, or the best of the first ten by the caller's `HeaderScore`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from kiosk.adapters.importers.csv_table import empty_file_error
from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.table import Table

# Excel keeps 15 significant digits: a floating-point whole number from 10**15 on may have lost
# some.
_EXACT_LIMIT = 10**15
_ZERO_PADDED = re.compile(r"^0+$")
# Parts of a number format that are no format codes: "quoted text", [colours, locales], \x
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')

# A header picker gets each candidate row's cells and scores it; the best wins (ties: first).
HeaderScore = Callable[[Sequence[str]], int]


def read_xlsx_table(path: Path, raw: bytes, header_score: HeaderScore | None = None) -> Table:
    """The first worksheet of the workbook `path` (its bytes `raw`) as a table.

    The header is the first row that is not blank; with `header_score`, the best-scoring of
    the first ten rows that are not blank (titles above a header are common). Raises
    `ImportFileError` when the workbook cannot be read or holds nothing.
    """
    rows = _sheet_rows(path, raw)
    if not rows:
        raise empty_file_error(path)
    at = 0
    if header_score is not None:
        scores = [header_score(cells) for _, cells in rows[:10]]
        at = max(range(len(scores)), key=lambda index: (scores[index], -index))
    header_row, header = rows[at]
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    return Table(
        path,
        tuple(name.strip() for name in header[:width]),
        tuple(rows[at + 1 :]),
        header_row=header_row,
    )


def _sheet_rows(path: Path, raw: bytes) -> list[tuple[int, tuple[str, ...]]]:
    import openpyxl  # noqa: PLC0415 (only workbooks need it; it takes a while to import)
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    # What a damaged workbook raises, at opening or while its rows stream out of the ZIP:
    # broken compression, a bad checksum, broken XML (a SyntaxError), missing or odd parts.
    broken = (InvalidFileException, zipfile.BadZipFile, zlib.error, EOFError, SyntaxError,
              KeyError, IndexError, ValueError, TypeError, AttributeError, OSError)  # fmt: skip
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except broken as error:
        raise ImportFileError(f"{path}: cannot read the Excel workbook: {error}") from error
    try:
        return _rows_of(workbook)
    except broken as error:
        raise ImportFileError(f"{path}: a damaged Excel workbook: {error}") from error
    finally:
        workbook.close()


def _rows_of(workbook: Any) -> list[tuple[int, tuple[str, ...]]]:
    """The rows of the workbook's first sheet that are not blank, numbered from 1."""
    if not workbook.worksheets:
        return []
    sheet = workbook.worksheets[0]
    if hasattr(sheet, "reset_dimensions"):
        # Some programs write a wrong sheet size; read what is there instead.
        sheet.reset_dimensions()
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
        texts = tuple(cell_text(cell.value, getattr(cell, "number_format", None)) for cell in cells)
        if any(text.strip() for text in texts):
            rows.append((number, texts))
    return rows


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell's value as the text the user sees (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == time() and not _shows_time(number_format):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int):
        return _whole_number(value, number_format)
    if isinstance(value, float):
        if not value.is_integer():
            return format(value, ".15g")
        if abs(value) >= _EXACT_LIMIT:
            mantissa, exponent = f"{value:.5E}".split("E")
            return f"{mantissa.rstrip('0').rstrip('.')}E{exponent}"
        return _whole_number(int(value), number_format)
    return str(value)


def _whole_number(value: int, number_format: str | None) -> str:
    text = str(value)
    if number_format and _ZERO_PADDED.match(number_format) and value >= 0:
        return text.zfill(len(number_format))
    return text


def _shows_time(number_format: str | None) -> bool:
    codes = _FORMAT_LITERALS.sub("", (number_format or "").lower())
    return "h" in codes or "s" in codes
