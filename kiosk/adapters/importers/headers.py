"""Which column of an export of any origin is which of our fields, by its header's name.

Rules, applied in this order (all deterministic):

1. A header is compared folded (`keys.key`): case, accents and punctuation are ignored and "#"
   reads as "number", so "PŘÍJMENÍ", "Příjmení:" and "prijmeni" are one name.
2. A header matches a field when it equals one of the field's synonyms (`SYNONYMS`, English and
   Czech, some German); never by a part of it. No synonym belongs to two fields.
3. When several columns match one field, the one whose synonym comes first in that field's
   list wins; between equals, the leftmost column. The others are kept as extra fields.
4. `registration_id` names one registration per row. A column named as an order's id (Order
   code, Kód objednávky...) whose values repeat (the tickets of one order) is not used and is
   kept as an extra field; a column named as a registration's id (Registration ID, ID
   registrace, registration_id...) is always used, and a repeated value there is a row error
   of the import. Failing both, a column named "ID", "No" or "Nr" with unique values is used.
5. `status` comes from a column of state words (Status, Stav, Registration state...); failing
   one, from a yes-no column saying the registration is cancelled (Cancelled, Zrušeno, Storno:
   yes is cancelled); failing that, from a yes-no column saying it is paid (Paid, Zaplaceno:
   active either way, and kept as an extra field so the desk shows it); failing that, from a
   column named "State" only when it holds values and every one is a state word (else "State"
   is an address field and is kept as an extra field).
6. `country` may come from a column named "Stát" (Czech for state or country) when no column
   matches better.
7. A whole-name column (Name, Celé jméno) is used beside first and last name columns: the
   import splits it only for rows without a first or a last name.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from kiosk.adapters.importers.columns import CellReader
from kiosk.adapters.importers.keys import key
from kiosk.adapters.importers.status import (
    cancelled_flag,
    is_status_word,
    paid_flag,
    status_word,
)
from kiosk.adapters.importers.table import Table

# A registration id names one ticket; an order's may be shared by the tickets of one order.
REGISTRATION_IDS = (
    "registration_id", "Registration ID", "ID registrace", "Registration number",
    "Číslo registrace", "Attendee ID", "Attendee #", "Participant ID",
)  # fmt: skip
ORDER_IDS = (
    "Order code", "Order number", "Order ID", "Kód objednávky", "Číslo objednávky",
    "ID objednávky", "Objednávka", "Bestellnummer", "Booking reference",
)  # fmt: skip
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": (
        "code", "Ticket code", "Kód vstupenky", "Kód lístku", "Kód", "Barcode", "Bar code",
        "Čárový kód", "QR", "QR code", "QR kód", "Secret", "Ticket secret", "Check-in secret",
        "Checkin secret", "Ticket UUID", "Ticket #", "Číslo vstupenky",
    ),
    "first_name": (
        "first_name", "First name", "Given name", "Firstname", "Forename", "Jméno",
        "Křestní jméno", "Vorname", "Prénom", "Attendee first name",
    ),
    "last_name": (
        "last_name", "Last name", "Surname", "Family name", "Lastname", "Příjmení", "Nachname",
        "Familienname", "Attendee last name",
    ),
    "name": (
        "name", "Full name", "Celé jméno", "Jméno a příjmení", "Attendee name",
        "Participant name", "Jméno účastníka", "Name Teilnehmer*in", "Name des Teilnehmers",
        "Teilnehmername", "Attendee", "Participant", "Účastník", "Teilnehmer",
    ),
    "organisation": (
        "organisation", "Organization", "Company", "Institution", "Affiliation", "Organizace",
        "Firma", "Společnost", "Instituce", "Company name", "Organisation name",
        "Organization name", "Název firmy", "Název organizace", "Employer", "Zaměstnavatel",
        "Unternehmen",
    ),
    "country": ("country", "Country code", "Země", "Kód země", "Land", "Pays"),
    "email": (
        "email", "E-mail", "E-mail address", "Email address", "E-mailová adresa", "Mail",
        "E-Mail-Adresse", "Attendee email",
    ),
    "category": (
        "category", "Kategorie", "Ticket type", "Typ vstupenky", "Druh vstupenky",
        "Ticket category", "Registration type", "Typ registrace", "Participant type",
        "Typ účastníka", "Product", "Produkt", "Ticket", "Vstupenka", "Tarif",
    ),
    "status": (
        "status", "Stav", "Registration state", "Registration status", "Attendee status",
        "Order status", "Ticket status", "Stav registrace", "Stav objednávky", "Stav vstupenky",
    ),
    "days": ("days", "Dny", "Valid days", "Platné dny", "Days attending", "Tage"),
    "registration_id": (*REGISTRATION_IDS, *ORDER_IDS),
}  # fmt: skip
CANCELLED_FLAGS = ("Cancelled", "Canceled", "Zrušeno", "Zrušená", "Storno", "Stornováno",
                   "Storniert")  # fmt: skip
PAID_FLAGS = ("Paid", "Zaplaceno", "Uhrazeno", "Bezahlt")
WEAK_IDS = ("ID", "No", "Nr")
WEAK_STATUS = ("State",)
WEAK_COUNTRY = ("Stát",)
_ORDER_KEYS = frozenset(key(name) for name in ORDER_IDS)
# Folded synonym -> its rank in its field's list.
_RANKS = {
    name: {key(synonym): rank for rank, synonym in reversed(list(enumerate(synonyms)))}
    for name, synonyms in SYNONYMS.items()
}


@dataclass(frozen=True)
class Match:
    """Our field -> its column; how to read a field's cells; mapped columns also kept extra."""

    fields: dict[str, int] = field(default_factory=dict)
    readers: dict[str, CellReader] = field(default_factory=dict)
    keep: frozenset[int] = frozenset()


def best_column(
    header: tuple[str, ...], synonyms: tuple[str, ...], skip: Collection[int] = ()
) -> int | None:
    """The column whose name is the earliest of `synonyms` (leftmost among equals), or None."""
    ranks = {key(synonym): rank for rank, synonym in reversed(list(enumerate(synonyms)))}
    found = [(ranks[key(name)], index) for index, name in enumerate(header)
             if index not in skip and key(name) in ranks]  # fmt: skip
    return min(found)[1] if found else None


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row are names of our fields: the likeliest header scores most."""
    return sum(1 for cell in cells if any(key(cell) in ranks for ranks in _RANKS.values()))


def match_columns(table: Table, skip: Collection[int] = ()) -> Match:
    """Our fields found among the columns of `table` (leaving out `skip`), by the rules of the
    module docstring.
    """
    header = table.header
    fields: dict[str, int] = {}
    for name, ranks in _RANKS.items():
        found = [(ranks[key(text)], index) for index, text in enumerate(header)
                 if index not in skip and key(text) in ranks]  # fmt: skip
        if found:
            fields[name] = min(found)[1]
    taken = {*skip, *fields.values()}
    _registration_id(table, fields, taken)
    readers: dict[str, CellReader] = {}
    keep: set[int] = set()
    if "status" in fields:
        readers["status"] = status_word
    else:
        _status_flag(table, fields, readers, keep, taken)
    if "country" not in fields:
        weak = best_column(header, WEAK_COUNTRY, taken)
        if weak is not None:
            fields["country"] = weak
    return Match(fields, readers, frozenset(keep))


def _registration_id(table: Table, fields: dict[str, int], taken: set[int]) -> None:
    """Rule 4: an order's code repeated on several rows is no registration id; "ID" may be."""
    rid = fields.get("registration_id")
    order_level = rid is not None and key(table.header[rid]) in _ORDER_KEYS
    if rid is not None and order_level and not _unique(table, rid):
        del fields["registration_id"]
        taken.discard(rid)
    if "registration_id" not in fields:
        weak = best_column(table.header, WEAK_IDS, taken)
        if weak is not None and _unique(table, weak):
            fields["registration_id"] = weak


def _status_flag(
    table: Table,
    fields: dict[str, int],
    readers: dict[str, CellReader],
    keep: set[int],
    taken: set[int],
) -> None:
    """Rule 5 without a column of state words: a cancelled flag, a paid flag, or "State"."""
    for synonyms, reader in ((CANCELLED_FLAGS, cancelled_flag), (PAID_FLAGS, paid_flag)):
        flag = best_column(table.header, synonyms, taken)
        if flag is not None:
            fields["status"], readers["status"] = flag, reader
            if reader is paid_flag:
                keep.add(flag)
            return
    weak = best_column(table.header, WEAK_STATUS, taken)
    values = table.column_values(weak) if weak is not None else []
    if weak is not None and values and all(map(is_status_word, values)):
        fields["status"], readers["status"] = weak, status_word


def _unique(table: Table, index: int) -> bool:
    values = table.column_values(index)
    return len(values) == len(set(values))
