"""pretix's check-in list exported as CSV ("pretix-checkin-csv").

pretix writes the column names in the exporting admin's language; this module knows them in
English, German and Czech. Recognised by an order code column, an attendee name column (or its
parts, "Attendee name: First name"), and a Secret column or another column only pretix writes
(Automatically checked in, Requires special attention, Checked out, Voucher code, Seat ID).

`Secret` is the content of the ticket's QR code: our code (a list exported without it cannot be
imported; pretix asks whether to include it). Name parts give first and last name (other parts,
such as title, are kept as extra fields), `Product` the category, `Company` the organisation.
One order may hold several tickets, so the registration id is the order code with the
position when the list has a position column ("FOO-2"), the order code alone when the order has
one ticket in the file, and none (the row is matched by its code) when it has several and no
position tells them apart; the order code is kept as an extra field on every row.
"""

from __future__ import annotations

from collections import Counter

from kiosk.adapters.importers.base import require_columns
from kiosk.adapters.importers.columns import ColumnPlan
from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.headers import best_column
from kiosk.adapters.importers.keys import key, keys
from kiosk.adapters.importers.source import Kind, Source
from kiosk.adapters.importers.table import Table
from kiosk.core.registrations import RegistrationRows

ORDER_CODE = ("Order code", "Bestellnummer", "Kód objednávky", "Číslo objednávky")
ATTENDEE_NAME = (
    "Attendee name", "Name Teilnehmer*in", "Name des Teilnehmers", "Teilnehmername",
    "Jméno účastníka", "Jméno návštěvníka",
)  # fmt: skip
SECRET = ("Secret", "Geheimnis", "Tajný kód", "Tajný klíč", "Tajemství")
POSITION = ("Position ID", "Positions-ID", "ID pozice")
PRODUCT = ("Product", "Produkt")
EMAIL = ("E-mail", "E-Mail", "Email")
COMPANY = ("Company", "Firma", "Společnost")
COUNTRY = ("Country", "Land", "Země")
PRETIX_ONLY = keys(
    "Automatically checked in", "Automatisch eingecheckt", "Automaticky odbaveno",
    "Requires special attention", "Benötigt besondere Behandlung",
    "Vyžaduje zvláštní pozornost", "Checked out", "Ausgecheckt", "Voucher code",
    "Gutscheincode", "Kód poukazu", "Seat ID", "Sitzplatz-ID",
)  # fmt: skip
GIVEN = keys("Given name", "First name", "Vorname", "Jméno", "Křestní jméno")
FAMILY = keys("Family name", "Last name", "Surname", "Nachname", "Familienname", "Příjmení")
_ATTENDEE_NAME = keys(*ATTENDEE_NAME)


class PretixCheckinCsv:
    """The pretix check-in list CSV."""

    name = "pretix-checkin-csv"
    kind = Kind.TEXT

    def recognises(self, source: Source) -> bool:
        """An order code column, attendee names, and the secret or a pretix-only column."""
        if source.kind is not self.kind:
            return False
        header = source.table.header
        named = best_column(header, ATTENDEE_NAME) is not None or bool(_name_parts(header))
        marked = best_column(header, SECRET) is not None or any(
            key(name) in PRETIX_ONLY for name in header
        )
        return best_column(header, ORDER_CODE) is not None and named and marked

    def read(self, source: Source) -> RegistrationRows:
        """The tickets of the list, one row each."""
        table = source.table
        header = table.header
        secret = best_column(header, SECRET)
        if secret is None:
            raise ImportFileError(
                f"{table.path}: row 1, field code: this pretix check-in list has no "
                "Secret column, which holds the QR codes; export it again with the option "
                "to include the QR-code secret"
            )
        fields = {"code": secret}
        for name, synonyms in (
            ("name", ATTENDEE_NAME),
            ("email", EMAIL),
            ("organisation", COMPANY),
            ("category", PRODUCT),
            ("country", COUNTRY),
        ):
            index = best_column(header, synonyms)
            if index is not None:
                fields[name] = index
        fields.update(_name_parts(header))
        plan = ColumnPlan(header, fields)
        require_columns(table, plan)
        rows = plan.rows(table)
        mapping = plan.mapping()
        order = best_column(header, ORDER_CODE)
        if order is not None:
            position = best_column(header, POSITION)
            ids = _registration_ids(table, order, position)
            for (_, values), rid in zip(rows, ids, strict=True):
                if rid:
                    values["registration_id"] = rid
            if any(ids):
                joined = f"{header[order]}-{header[position]}" if position is not None else None
                mapping["registration_id"] = joined or header[order]
        return RegistrationRows(self.name, mapping, rows, plan.problems(table))


def _name_parts(header: tuple[str, ...]) -> dict[str, int]:
    """first_name and last_name from "Attendee name: Given name"-like columns."""
    parts: dict[str, int] = {}
    for index, name in enumerate(header):
        whole, colon, part = name.partition(":")
        if not colon or key(whole) not in _ATTENDEE_NAME:
            continue
        if key(part) in GIVEN:
            parts.setdefault("first_name", index)
        elif key(part) in FAMILY:
            parts.setdefault("last_name", index)
    return parts


def _registration_ids(table: Table, order: int, position: int | None) -> list[str]:
    def cell(cells: tuple[str, ...], index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""

    codes = [cell(cells, order) for _, cells in table.rows]
    if position is not None:
        places = [cell(cells, position) for _, cells in table.rows]
        return [
            f"{code}-{place}" if code and place else ""
            for code, place in zip(codes, places, strict=True)
        ]
    tickets = Counter(codes)
    return [code if code and tickets[code] == 1 else "" for code in codes]
