"""Eventbrite's attendee report as CSV ("eventbrite-csv").

Recognised by its "Attendee #" and "Order #" columns beside "Ticket Type" or "Attendee
Status". `Attendee #` is per ticket: the registration id, and the code unless a "Barcode #"
column holds the barcode. `Order #` repeats for the tickets of one order and is kept as an
extra field. `Attendee Status` Attending and Checked In are active; Refunded, Cancelled,
Deleted, Not Attending and Transferred are cancelled. First Name, Last Name, Email, Company and
Ticket Type (the category) are ours; the rest (US dates, prices with currency suffixes, home
address, custom questions) are kept as extra fields as written.
"""

from __future__ import annotations

from kiosk.adapters.importers.base import table_rows
from kiosk.adapters.importers.columns import ColumnPlan
from kiosk.adapters.importers.headers import best_column
from kiosk.adapters.importers.source import Kind, Source
from kiosk.adapters.importers.status import status_word
from kiosk.core.registrations import RegistrationRows

ATTENDEE = ("Attendee #", "Attendee No", "Attendee ID")
ORDER = ("Order #", "Order No", "Order ID")
BARCODE = ("Barcode #", "Barcode")
COLUMNS = {
    "first_name": ("First Name",),
    "last_name": ("Last Name",),
    "email": ("Email", "Email Address"),
    "organisation": ("Company",),
    "category": ("Ticket Type",),
    "status": ("Attendee Status",),
}


class EventbriteCsv:
    """The Eventbrite attendee report."""

    name = "eventbrite-csv"
    kind = Kind.TEXT

    def recognises(self, source: Source) -> bool:
        """Attendee # and Order #, with Ticket Type or Attendee Status."""
        if source.kind is not self.kind:
            return False
        header = source.table.header
        typed = any(
            best_column(header, COLUMNS[name]) is not None for name in ("category", "status")
        )
        found = (best_column(header, names) for names in (ATTENDEE, ORDER))
        return all(index is not None for index in found) and typed

    def read(self, source: Source) -> RegistrationRows:
        """One row per ticket."""
        table = source.table
        header = table.header
        fields: dict[str, int] = {}
        attendee = best_column(header, ATTENDEE)
        barcode = best_column(header, BARCODE)
        if attendee is not None:
            fields["registration_id"] = attendee
        code = barcode if barcode is not None else attendee
        if code is not None:
            fields["code"] = code
        for name, synonyms in COLUMNS.items():
            index = best_column(header, synonyms)
            if index is not None:
                fields[name] = index
        plan = ColumnPlan(header, fields, {"status": status_word})
        return table_rows(self.name, table, plan)
