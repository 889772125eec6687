"""A CSV export as a `Table`: decoded (see `encoding`), delimiter sniffed, rows as records."""

from __future__ import annotations

import csv
from pathlib import Path

from kiosk.adapters.importers.encoding import (
    BAD_NOTE,
    CP1250_NOTE,
    DecodedLines,
    decode_lines,
)
from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.table import Table, TableProblem, first_non_ascii

_DELIMITERS = ",;\t"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter among comma, semicolon and tab that splits the header line the most."""
    return max(_DELIMITERS, key=header_line.count)


def empty_file_error(path: Path) -> ImportFileError:
    """The error for a file with nothing in it."""
    return ImportFileError(f"{path}: row 1: the file is empty; it needs a header row")


def read_csv_table(path: Path, raw: bytes) -> Table:
    """The CSV file `path` (its bytes `raw`) as a table; the header is its first row.

    Rows are records, as a spreadsheet numbers them: a quoted line break stays in its row.
    Blank rows are skipped (their numbers too). A row in cp1250 inside a UTF-8 file is read and
    noted; a row in no encoding that can be decided is left out and noted. Raises
    `ImportFileError` for an empty file, a header in no known encoding and broken CSV.
    """
    decoded = decode_lines(raw)
    lines = decoded.lines
    if not lines or not lines[0].strip():
        raise empty_file_error(path)
    reader = csv.reader(lines, delimiter=sniff_delimiter(lines[0]))
    header = next(reader)
    problems: list[TableProblem] = []
    header_problem = _line_problem(decoded, range(reader.line_num), 1, header)
    if header_problem is not None:
        if header_problem.message == BAD_NOTE:
            raise ImportFileError(
                f"{path}: row 1: the column names are neither UTF-8 nor cp1250 (Windows Czech) "
                "text; save the file as CSV UTF-8"
            )
        problems.append(header_problem)
    rows: list[tuple[int, tuple[str, ...]]] = []
    number = 1
    consumed = reader.line_num
    try:
        # The reader reads lines as it goes: line_num tells which lines made each record.
        for number, values in enumerate(reader, start=2):
            problem = _line_problem(decoded, range(consumed, reader.line_num), number, values)
            consumed = reader.line_num
            if problem is not None:
                problems.append(problem)
                if problem.message == BAD_NOTE:
                    continue
            if any(value.strip() for value in values):
                rows.append((number, tuple(values)))
    except csv.Error as error:
        raise ImportFileError(
            f"{path}: row {number + 1}: the file is not valid CSV ({error}); look for a stray quote"
        ) from error
    return Table(path, tuple(name.strip() for name in header), tuple(rows), tuple(problems))


def _line_problem(
    decoded: DecodedLines, line_indexes: range, row: int, values: list[str]
) -> TableProblem | None:
    """What to report about the row made of these lines: bad wins over cp1250."""
    if any(index in decoded.bad_lines for index in line_indexes):
        return TableProblem(row, first_non_ascii(values, "\ufffd"), BAD_NOTE)
    if any(index in decoded.cp1250_lines for index in line_indexes):
        return TableProblem(row, first_non_ascii(values), CP1250_NOTE)
    return None
