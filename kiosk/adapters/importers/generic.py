"""Exports of any origin as CSV ("csv") or an Excel workbook ("xlsx"), columns found by name.

Each column is matched to our fields by its header's name, by the rules of
`kiosk.adapters.importers.headers` (synonyms in English and Czech; case, accents and
punctuation ignored; the earliest synonym, then the leftmost column, wins; repeated
registration ids and address "State" columns are not used). Every other column is kept as an
extra field under its header as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.adapters.importers.base import table_rows
from kiosk.adapters.importers.columns import ColumnPlan
from kiosk.adapters.importers.headers import match_columns
from kiosk.adapters.importers.source import Kind, Source
from kiosk.core.registrations import RegistrationRows


@dataclass(frozen=True)
class GenericTable:
    """A table with a header row, whatever made it."""

    name: str
    kind: Kind

    def recognises(self, source: Source) -> bool:
        """Any table of its kind: this format comes last, when no other recognised the file."""
        return source.kind is self.kind

    def read(self, source: Source) -> RegistrationRows:
        """The rows, with the columns `headers.match_columns` found."""
        table = source.table
        match = match_columns(table)
        plan = ColumnPlan(table.header, match.fields, match.readers, match.keep)
        return table_rows(self.name, table, plan)


GENERIC_CSV = GenericTable("csv", Kind.TEXT)
GENERIC_XLSX = GenericTable("xlsx", Kind.XLSX)
