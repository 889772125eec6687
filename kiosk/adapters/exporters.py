"""The check-in export as CSV, JSON or XLSX bytes, and written to a private file."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from kiosk.adapters.output_files import OutputWriteError, check_output_path, write_private_file
from kiosk.core.export import Cell, CheckinRow, ExportFormat, export_format, header

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry (control characters but tab, newline and carriage return):
# openpyxl refuses them, so a name pasted with one still exports, marked where it was.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
SHEET_TITLE = "Check-ins"
# Columns a spreadsheet must keep as typed text: codes like 000412 lose their zeros as numbers.
_TEXT_COLUMNS = frozenset({"registration_id", "code"})


def neutralise(text: str) -> str:
    """`text` made safe from formula injection: one that a spreadsheet would read as a
    formula gets a leading single quote, as OWASP advises; any other is returned unchanged.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _safe(cells: Sequence[Cell]) -> list[Cell]:
    return [neutralise(cell) if isinstance(cell, str) else cell for cell in cells]


def csv_bytes(days: Sequence[date], rows: Sequence[CheckinRow]) -> bytes:
    """The rows as CSV: UTF-8 with a BOM (so Excel reads it as UTF-8), commas, a header row,
    every field quoted and every text neutralised against formula injection.
    """
    text = io.StringIO()
    writer = csv.writer(text, quoting=csv.QUOTE_ALL)  # OWASP: quote every field too
    writer.writerow(_safe(header(days)))
    writer.writerows(_safe(row.cells()) for row in rows)
    return text.getvalue().encode("utf-8-sig")


def json_bytes(rows: Sequence[CheckinRow]) -> bytes:
    """The rows as a JSON list of objects (`CheckinRow.to_dict`), text exactly as stored."""
    document = [row.to_dict() for row in rows]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def xlsx_bytes(days: Sequence[date], rows: Sequence[CheckinRow]) -> bytes:
    """The rows as an Excel workbook of one sheet: a bold, frozen header row, every text a
    text cell (codes keep their leading zeros) neutralised against formula injection, and
    the print count a number.
    """
    try:
        from openpyxl import Workbook  # noqa: PLC0415 (only an XLSX export pays for it)
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
        from openpyxl.styles import Font  # noqa: PLC0415
    except ImportError as error:
        raise OutputWriteError(
            "XLSX export needs the openpyxl package: pip install 'openpyxl>=3.1'"
        ) from error
    names = header(days)
    text_columns = {index for index, name in enumerate(names) if name in _TEXT_COLUMNS}
    # Write-only: rows stream into the file, so a large event does not hold every cell object.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for name in _safe(names):
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        titles.append(cell)
    sheet.append(titles)
    for row in rows:
        cells: list[object] = []
        for index, raw in enumerate(_safe(row.cells())):
            value = _NOT_IN_XML.sub("\ufffd", raw) if isinstance(raw, str) else raw
            if index in text_columns:
                # A text format as well as a text value, so the cell stays text when edited.
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "@"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def export_bytes(format: ExportFormat, days: Sequence[date], rows: Sequence[CheckinRow]) -> bytes:
    """The rows in `format`."""
    if format is ExportFormat.CSV:
        return csv_bytes(days, rows)
    if format is ExportFormat.JSON:
        return json_bytes(rows)
    return xlsx_bytes(days, rows)


class CheckinFiles:
    """The check-in export written to files: the `CheckinWriter` port of
    `kiosk.workflows.export`.
    """

    def write_checkins(
        self,
        path: Path,
        format: ExportFormat | str,
        days: Sequence[date],
        rows: Sequence[CheckinRow],
        protected: Sequence[Path],
    ) -> Path:
        """Write the rows to `path` in `format`, mode 0600, replacing an earlier export but
        never the database, its companions or another kiosk file; returns the path written.
        """
        chosen = export_format(format)
        check_output_path(path, protected)  # refuse before rendering, not after
        return write_private_file(path, export_bytes(chosen, days, rows), protected)
