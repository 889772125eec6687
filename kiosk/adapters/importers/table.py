"""A spreadsheet-like export as read: a header row, numbered rows of text cells, and problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class TableProblem:
    """Something about one row the reader could not read as it is: `column` is the index of the
    cell to blame (None: the whole row); rows count as a spreadsheet shows them.
    """

    row: int
    column: int | None
    message: str


@dataclass(frozen=True)
class Table:
    """The cells of an export as the user sees them, as text.

    `header` holds the column names as written (stripped); `rows` the data rows that are not
    blank, each with its row number as a spreadsheet shows it (the header is row 1 in a CSV
    file; a workbook keeps its own row numbers). Rows a reader had to leave out are not in
    `rows`; `problems` says why, and notes rows read in an unexpected way.
    """

    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    problems: tuple[TableProblem, ...] = ()
    header_row: int = 1

    def column_values(self, index: int) -> list[str]:
        """The stripped, non-blank values of one column, in row order."""
        found = (cells[index].strip() for _, cells in self.rows if index < len(cells))
        return [value for value in found if value]


def first_non_ascii(cells: tuple[str, ...] | list[str], marker: str | None = None) -> int | None:
    """The index of the first cell holding `marker`, or (None) any non-ASCII character."""
    for index, cell in enumerate(cells):
        if (marker in cell) if marker else not cell.isascii():
            return index
    return None
