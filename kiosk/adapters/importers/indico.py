"""Indico's registration spreadsheet, as CSV ("indico-csv") or Excel ("indico-xlsx").

Indico writes its CSV in UTF-8 with a BOM, "ID" and "Name" first, then the registration form's
fields under their titles (which may repeat) and the columns the manager picked (Registration
date, Registration state, Price, Checked in, Check-in date, Tags...). Recognised by ID and Name
first and at least one of those Indico columns.

The spreadsheet holds no check-in secret (the QR code of an Indico ticket); unless a column of
one is there (Checkin secret, Ticket UUID), the code is the registration ID, and a row-1 note
says that Indico's tickets will not scan (export the registrants as JSON for that). `ID` is the
registration id, `Name` the whole name, form fields are matched as in any export
(`headers`), and "Registration state" Withdrawn and Rejected are cancelled (Complete, Pending,
Unpaid are active).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.adapters.importers.base import table_rows
from kiosk.adapters.importers.columns import ColumnPlan
from kiosk.adapters.importers.headers import best_column, match_columns
from kiosk.adapters.importers.keys import key, keys
from kiosk.adapters.importers.source import Kind, Source
from kiosk.adapters.importers.status import status_word
from kiosk.core.registrations import FieldError, RegistrationRows

INDICO_COLUMNS = keys(
    "Registration date", "Registration state", "Modification date", "Created by",
    "Checked in", "Check-in date", "Payment date", "Tags",
)  # fmt: skip
SECRET = ("Checkin secret", "Check-in secret", "Ticket UUID", "Ticket code")
STATE = ("Registration state",)
NO_SECRET_NOTE = (
    "the Indico spreadsheet has no check-in secrets: codes are the registration IDs, so "
    "tickets printed by Indico will not scan; import the registrants JSON for that"
)


@dataclass(frozen=True)
class IndicoTable:
    """The Indico registration spreadsheet as CSV or workbook."""

    name: str
    kind: Kind

    def recognises(self, source: Source) -> bool:
        """ID and Name first, and an Indico column."""
        if source.kind is not self.kind:
            return False
        header = source.table.header
        return (
            len(header) > 2
            and (key(header[0]), key(header[1])) == ("id", "name")
            and any(key(name) in INDICO_COLUMNS for name in header)
        )

    def read(self, source: Source) -> RegistrationRows:
        """One row per registration."""
        table = source.table
        header = table.header
        pinned = {
            name: index
            for name, index in (
                ("registration_id", best_column(header, ("ID",))),
                ("name", best_column(header, ("Name",))),
                ("code", best_column(header, SECRET)),
                ("status", best_column(header, STATE)),
            )
            if index is not None
        }
        match = match_columns(table, skip=set(pinned.values()))
        fields = {**match.fields, **pinned}
        readers = dict(match.readers)
        if "status" in pinned:
            readers["status"] = status_word
        notes: tuple[FieldError, ...] = ()
        if "code" not in pinned and "registration_id" in pinned:
            fields["code"] = pinned["registration_id"]
            notes = (FieldError(table.header_row, "code", NO_SECRET_NOTE),)
        plan = ColumnPlan(header, fields, readers, match.keep)
        read = table_rows(self.name, table, plan)
        return RegistrationRows(read.format, read.mapping, read.rows, notes + read.problems)


INDICO_CSV = IndicoTable("indico-csv", Kind.TEXT)
INDICO_XLSX = IndicoTable("indico-xlsx", Kind.XLSX)
