"""Registration exports of real systems: detection by content, column mapping, encodings,
workbooks, JSON exports, and imports of them into both stores.
"""

import base64
import codecs
import json
import uuid
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.importers import FORMAT_NAMES, ImportFileError, RegistrationImporters, encoding
from kiosk.adapters.importers.encoding import BAD_NOTE, CP1250_NOTE
from kiosk.adapters.importers.headers import SYNONYMS
from kiosk.adapters.importers.keys import key
from kiosk.adapters.importers.xlsx_table import cell_text
from kiosk.core.errors import FileFormatError
from kiosk.core.registrations import check_rows
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, prague

REPO = Path(__file__).resolve().parents[2]
# CI keeps a copy of shared/ beside the clone; the sample exports must never ship with kiosk.
CORPUS = REPO.parent / "shared" / "corpus" / "registrations"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the sample exports are not at {CORPUS} (../shared/corpus)"
)
IMPORTERS = RegistrationImporters()

PRETIX_HEADER = [
    "Order code", "Attendee name", "Attendee name: Title", "Attendee name: First name",
    "Attendee name: Family name", "Product", "Price", "Checked in", "Checked out",
    "Automatically checked in", "Secret", "E-mail", "Company", "Voucher code", "Order date",
    "Requires special attention", "Comment", "Country", "State",
]  # fmt: skip
EVENTBRITE_HEADER = (
    "Order #,Order Date,First Name,Last Name,Email,Quantity,Price Tier,Ticket Type,Attendee #,"
    "Group,Order Type,Currency,Total Paid (USD),Attendee Status,Home Country,Job Title,Company"
)
INDICO_HEADER = [
    "ID", "Name", "First Name", "Last Name", "Email Address", "Affiliation", "Country",
    "Dietary needs", "Dietary needs", "Registration date", "Registration state", "Price",
    "Checked in", "Check-in date",
]  # fmt: skip


def write_text(tmp_path, lines, name="export.csv", *, encoding="utf-8", newline="\r\n", bom=b""):
    path = tmp_path / name
    path.write_bytes(bom + newline.join(lines).encode(encoding) + newline.encode(encoding))
    return path


def write_csv_rows(tmp_path, rows, name="export.csv", delimiter=","):
    def quoted(cell):
        cell = str(cell)
        return f'"{cell}"' if any(c in cell for c in f'{delimiter}"\n') else cell

    return write_text(tmp_path, [delimiter.join(map(quoted, row)) for row in rows], name)


def write_xlsx(tmp_path, rows, name="export.xlsx", formats=None):
    """A real workbook: `rows` of cell values; `formats` maps a cell ("A2") to its number format."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    path = tmp_path / name
    workbook.save(path)
    return path


def write_json(tmp_path, document, name="export.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def pretix_rows():
    return [
        PRETIX_HEADER,
        ["ABC12", "Jana Nováková", "", "Jana", "Nováková", "Speaker", "0.00", "", "", "No",
         "s3cr3tjana", "jana@example.cz", "Alfa s.r.o.", "", "2023-09-01", "No", "", "CZ", "CA"],
        ["XYZ99", "Petr Přikryl", "Ing.", "Petr", "Přikryl", "Ticket", "23.00", "", "", "No",
         "s3cr3tpetr", "petr@example.cz", "", "", "2023-09-02", "Yes", "", "", ""],
        ["XYZ99", "Eva Malá", "", "Eva", "Malá", "Ticket", "23.00", "", "", "No",
         "s3cr3teva", "eva@example.cz", "", "", "2023-09-02", "No", "", "", ""],
    ]  # fmt: skip


def pretix_document():
    items = [
        {"id": 1, "name": {"en": "Conference ticket", "cs": "Vstupenka"}, "admission": True},
        {"id": 2, "name": "Workshop add-on", "admission": True},
        {"id": 3, "name": "T-shirt", "admission": False},
    ]
    questions = [{"id": 7, "question": {"en": "Dietary needs"}}]

    def position(pid, secret, name, item=1, addon_to=None, **more):
        return {
            "id": 100 + pid, "positionid": pid, "item": item, "variation": None,
            "attendee_name": name, "attendee_email": more.get("email"),
            "company": more.get("company"), "secret": secret, "addon_to": addon_to,
            "answers": more.get("answers", []),
        }  # fmt: skip

    orders = [
        {"code": "PAID1", "status": "p", "email": "buyer@alfa.example.cz", "positions": [
            position(1, "secretpaid1", "Jana Nováková", company="Alfa s.r.o.",
                     answers=[{"question": 7, "answer": "vegan"}]),
            position(2, "secretpaid2", "Petr Přikryl", email="petr@beta.example.cz"),
            position(3, "secretaddon", "Petr Přikryl", item=2, addon_to=102),
            position(4, "secretshirt", "", item=3),
        ]},
        {"code": "PEND1", "status": "n", "email": "eva@example.cz",
         "positions": [position(1, "secretpending", "Eva Malá")]},
        {"code": "CANC1", "status": "c", "email": "ota@example.cz",
         "positions": [position(1, "secretcancelled", "Ota Zrušený")]},
        {"code": "EXPD1", "status": "e", "email": "iva@example.cz",
         "positions": [position(1, "secretexpired", "Iva Prošlá")]},
    ]  # fmt: skip
    return {"event": {"name": "Demo", "slug": "demo", "items": items, "questions": questions,
                      "orders": orders}}  # fmt: skip


def indico_document():
    return {
        "results": {
            "registrants": [
                {
                    "registrant_id": "3456",
                    "checked_in": False,
                    "checkin_secret": "0d9fd8b4-3c5f-4b42-9d1c-6f0f6b5a8e21",
                    "full_name": "Dr. Magdaléna Vrabčeková",
                    "personal_data": {
                        "firstName": "Magdaléna",
                        "surname": "Vrabčeková",
                        "email": "magda@vrlab.example.cz",
                        "institution": "VR Lab Ostrava",
                        "country": "Czechia",
                        "country_code": "CZ",
                        "position": "Researcher",
                    },
                },
                {
                    "registrant_id": "3457",
                    "checked_in": True,
                    "checkin_secret": "5b2f4c9e-8a1d-4e3f-b6a7-c8d9e0f1a2b3",
                    "full_name": "Luděk Kühr",
                    "personal_data": {"email": "ludek@example.cz"},
                },
            ]
        }
    }


def indico_rows():
    return [
        INDICO_HEADER,
        [12, "Jana Nováková", "Jana", "Nováková", "jana@example.cz", "Alfa", "Czechia",
         "vegan", "no nuts", "2023-09-01 10:00", "Complete", "0", "No", ""],
        [13, "Petr Přikryl", "Petr", "Přikryl", "petr@example.cz", "Beta", "Czechia",
         "", "", "2023-09-02 11:00", "Withdrawn", "0", "No", ""],
        [14, "Eva Malá", "Eva", "Malá", "eva@example.cz", "", "", "", "", "2023-09-03 12:00",
         "Rejected", "0", "No", ""],
        [15, "Ota Čekal", "Ota", "Čekal", "ota@example.cz", "", "", "", "", "2023-09-04 13:00",
         "Pending", "0", "No", ""],
    ]  # fmt: skip


def b2match_rows():
    return [
        ["Participant ID", "Name", "Organization", "Country", "Sessions", "1:1 Meetings",
         "Activated"],
        [58213, "Radek Cibulka", "Klastr Nanoprogress", "Czech Republic", 2, 5, "Yes"],
        [58214, "Jiří Čermák", "Moravskoslezský automobilový klastr", "Czech Republic", 1, 0,
         "No"],
    ]  # fmt: skip


def write_indico_csv(tmp_path):
    """Indico's spreadsheet as CSV: UTF-8 with a BOM."""
    path = write_csv_rows(tmp_path, indico_rows())
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())
    return path


def by_code(rows):
    return {values["code"]: values for _, values in rows.rows}


# ---- detection ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "make"),
    [
        ("csv", lambda tmp: write_text(tmp, ["code;Jméno;Příjmení", "A1;Jan;Novák"])),
        ("pretix-checkin-csv", lambda tmp: write_csv_rows(tmp, pretix_rows())),
        ("pretix-json", lambda tmp: write_json(tmp, pretix_document(), "demo_pretixdata.json")),
        (
            "eventbrite-csv",
            lambda tmp: write_text(
                tmp,
                [EVENTBRITE_HEADER, "1,11/29/24 22:28,J,D,j@x.cz,1,,GA,42,,,USD,0,Attending,,,"],
            ),
        ),
        ("indico-csv", write_indico_csv),
        ("indico-xlsx", lambda tmp: write_xlsx(tmp, indico_rows())),
        ("indico-json", lambda tmp: write_json(tmp, indico_document())),
        ("b2match-xlsx", lambda tmp: write_xlsx(tmp, b2match_rows())),
        ("xlsx", lambda tmp: write_xlsx(tmp, [["Kód", "Jméno", "Příjmení"], ["A1", "Jan", "Nov"]])),
    ],
)
def test_each_format_is_recognised_by_its_content(tmp_path, expected, make):
    path = make(tmp_path)
    # The name says nothing: the content does.
    renamed = path.rename(tmp_path / "registrations.dat")

    assert IMPORTERS.read(renamed).format == expected
    assert IMPORTERS.read(renamed, expected).format == expected


def test_the_format_names_are_the_ones_the_cli_offers():
    assert FORMAT_NAMES == IMPORTERS.formats
    assert set(FORMAT_NAMES) == {
        "csv", "pretix-checkin-csv", "pretix-json", "eventbrite-csv", "indico-csv",
        "indico-xlsx", "indico-json", "b2match-xlsx", "xlsx",
    }  # fmt: skip


def test_no_synonym_belongs_to_two_fields():
    seen: dict[str, str] = {}
    for field, synonyms in SYNONYMS.items():
        for synonym in synonyms:
            assert seen.setdefault(key(synonym), field) == field, synonym


# ---- generic CSV: headers, mapping, ambiguity -----------------------------------------------


def test_czech_headers_match_whatever_their_case_accents_and_punctuation(tmp_path):
    header = "KÓD VSTUPENKY;jmeno;Příjmení:;SPOLEČNOST;Zeme;E-Mail;kategorie;Stav;ID registrace"
    path = write_text(tmp_path, [header, "000123;Jana;Nováková;Alfa;CZ;j@a.cz;VIP;Zrušeno;R-1"])

    read = IMPORTERS.read(path)

    assert read.format == "csv"
    assert read.mapping == {
        "code": "KÓD VSTUPENKY",
        "first_name": "jmeno",
        "last_name": "Příjmení:",
        "organisation": "SPOLEČNOST",
        "country": "Zeme",
        "email": "E-Mail",
        "category": "kategorie",
        "status": "Stav",
        "registration_id": "ID registrace",
    }
    [(row, values)] = read.rows
    assert row == 2
    assert values["code"] == "000123"
    assert values["status"] == "cancelled"


def test_english_synonyms_and_extras_under_their_own_header(tmp_path):
    path = write_csv_rows(
        tmp_path,
        [
            ["Given name", "Surname", "Full name", "Institution", "Ticket type", "Barcode",
             "T-shirt size", "Email address"],
            ["Jan", "Novák", "Jan Novák", "Gama", "Press", "0042", "XL", "jan@example.cz"],
        ],
    )  # fmt: skip

    read = IMPORTERS.read(path)

    assert read.mapping == {
        "code": "Barcode",
        "first_name": "Given name",
        "last_name": "Surname",
        "organisation": "Institution",
        "email": "Email address",
        "category": "Ticket type",
        "name": "Full name",
    }
    [(_, values)] = read.rows
    assert values["T-shirt size"] == "XL"
    assert values["code"] == "0042"


def test_the_earliest_synonym_wins_then_the_leftmost_column(tmp_path):
    path = write_csv_rows(
        tmp_path,
        [
            ["QR", "Ticket code", "Name", "Company", "Firma", "Firma"],
            ["qr-1", "T-1", "Jan Novák", "Alfa", "Beta", "Gama"],
        ],
    )

    read = IMPORTERS.read(path)

    assert read.mapping["code"] == "Ticket code"  # "Ticket code" comes before "QR"
    assert read.mapping["organisation"] == "Company"
    [(_, values)] = read.rows
    assert values["code"] == "T-1"
    assert values["QR"] == "qr-1"
    # The losers stay as extra fields; a repeated header is numbered.
    assert (values["Firma"], values["Firma (2)"]) == ("Beta", "Gama")


def test_a_repeated_order_code_is_no_registration_id(tmp_path):
    path = write_text(
        tmp_path,
        ["Code,First name,Last name,Order code", "A1,Jan,Nov,ORD1", "A2,Eva,Mal,ORD1"],
    )

    read = IMPORTERS.read(path)

    assert "registration_id" not in read.mapping
    assert [values["Order code"] for _, values in read.rows] == ["ORD1", "ORD1"]


def test_a_repeated_registration_id_is_used_and_reported_by_the_import(tmp_path):
    path = write_text(
        tmp_path,
        ["Code,First name,Last name,ID registrace", "A1,Jan,Nov,R1", "A2,Eva,Mal,R1"],
    )

    read = IMPORTERS.read(path)

    assert read.mapping["registration_id"] == "ID registrace"
    assert [values["registration_id"] for _, values in read.rows] == ["R1", "R1"]


def test_a_state_column_is_a_status_only_when_it_holds_states(tmp_path):
    address = write_text(tmp_path, ["Code,Name,State", "A1,Jan Novák,CA", "A2,Eva Malá,NY"])
    states = write_text(
        tmp_path, ["Code,Name,State", "A1,Jan Novák,Active", "A2,Eva Malá,Refunded"], "s.csv"
    )

    assert "status" not in IMPORTERS.read(address).mapping
    assert IMPORTERS.read(address).rows[0][1]["State"] == "CA"
    read = IMPORTERS.read(states)
    assert read.mapping["status"] == "State"
    assert [values["status"] for _, values in read.rows] == ["active", "cancelled"]


@pytest.mark.parametrize(
    ("header", "cells", "status", "kept"),
    [
        ("Zrušeno", ["ano", "ne", ""], ["cancelled", "active", "active"], False),
        ("Cancelled", ["TRUE", "FALSE", "x"], ["cancelled", "active", "cancelled"], False),
        ("Zaplaceno", ["ano", "ne", ""], ["active", "active", "active"], True),
    ],
)
def test_yes_no_columns_give_the_status(tmp_path, header, cells, status, kept):
    lines = [f"Kód;Jméno;Příjmení;{header}"]
    lines += [f"K{n};Jan;Novák;{cell}" for n, cell in enumerate(cells)]

    read = IMPORTERS.read(write_text(tmp_path, lines))

    assert read.mapping["status"] == header
    assert [values["status"] for _, values in read.rows] == status
    assert (header in read.rows[0][1]) is kept


def test_a_file_without_a_code_column_names_the_file_and_what_it_found(tmp_path):
    path = write_text(tmp_path, ["Jméno;Příjmení;Firma", "Jan;Novák;Alfa"])

    with pytest.raises(FileFormatError) as caught:
        IMPORTERS.read(path)

    message = str(caught.value)
    assert str(path) in message
    assert "row 1, field code" in message
    assert "'Jméno'" in message


# ---- encodings --------------------------------------------------------------------------------


def test_czech_excel_csv_in_cp1250_with_semicolons(tmp_path):
    lines = [
        "Kód vstupenky;Příjmení;Jméno;Organizace",
        "C1;Kühr;Luděk;Moravskoslezský automobilový klastr",
        "C2;Přikryl;Petr;Česká klastrová platforma, z. s.",
        "C3;Żółć;Małgorzata;Łódź",
    ]
    path = write_text(tmp_path, lines, encoding="cp1250")

    read = IMPORTERS.read(path)

    assert read.problems == ()
    people = by_code(read)
    assert (people["C1"]["first_name"], people["C1"]["last_name"]) == ("Luděk", "Kühr")
    assert people["C2"]["organisation"] == "Česká klastrová platforma, z. s."
    assert (people["C3"]["last_name"], people["C3"]["organisation"]) == ("Żółć", "Łódź")


def mixed_file(tmp_path):
    """UTF-8, with rows 3 and 7 saved as cp1250 by another program, row 5 damaged UTF-8, and
    row 8 in cp1250 with a character no name has (so it could be anything).
    """
    parts = [
        b"code,first_name,last_name,organisation\r\n",
        "M1,Jana,Nováková,Alfa\r\n".encode(),
        "M2,Luděk,Kühr,Gama\r\n".encode("cp1250"),
        "M3,Petr,Novák,Beta\r\n".encode(),
        b"M4,Eva,Mal\xc3\xa1,Delt\xff\r\n",
        '"M5","Ota","Přikryl","Epsilon\r\nodd. 2"\r\n'.encode(),
        "M6,Iva,Żółć,Zeta\r\n".encode("cp1250"),
        "M7,Jan,Novák,Alfa – Beta\r\n".encode("cp1250"),
    ]
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"".join(parts))
    return path


def test_a_file_mixing_utf8_and_cp1250_is_read_row_by_row_and_says_so(tmp_path):
    read = IMPORTERS.read(mixed_file(tmp_path))

    people = by_code(read)
    assert (people["M1"]["last_name"], people["M2"]["first_name"]) == ("Nováková", "Luděk")
    assert people["M2"]["last_name"] == "Kühr"
    assert people["M5"]["organisation"] == "Epsilon\r\nodd. 2"
    assert people["M6"]["last_name"] == "Żółć"
    assert "M4" not in people  # the damaged row is left out...
    assert [(p.row, p.field, p.message) for p in read.problems] == [
        (3, "first_name", CP1250_NOTE),
        (5, "organisation", BAD_NOTE),  # ...and reported
        (7, "last_name", CP1250_NOTE),
        (8, "last_name", BAD_NOTE),
    ]
    assert "row 7" not in CP1250_NOTE and "cp1250 (Windows Czech)" in CP1250_NOTE


def test_a_mixed_file_reports_the_same_rows_through_the_foundation_reader(tmp_path):
    read = CsvRegistrations().read(mixed_file(tmp_path))

    assert [(p.row, p.field) for p in read.problems] == [
        (3, "first_name"),
        (5, "organisation"),
        (7, "last_name"),
        (8, "last_name"),
    ]
    assert [row for row, _ in read.rows] == [2, 3, 4, 6, 7]


def test_utf8_with_a_bom_and_utf16_exports_read_as_themselves(tmp_path):
    lines = ["Kód;Jméno;Příjmení", "Z9;Małgorzata;Żółć"]
    with_bom = write_text(tmp_path, lines, bom=codecs.BOM_UTF8)
    utf16 = write_text(tmp_path, lines, "u16.csv", encoding="utf-16-le", bom=codecs.BOM_UTF16_LE)

    for path in (with_bom, utf16):
        read = IMPORTERS.read(path)
        assert (read.mapping["code"], read.problems) == ("Kód", ())
        assert read.rows[0][1]["last_name"] == "Żółć"


# ---- pretix -----------------------------------------------------------------------------------


def test_pretix_checkin_list_maps_secret_names_and_orders(tmp_path):
    read = IMPORTERS.read(write_csv_rows(tmp_path, pretix_rows()))

    assert read.format == "pretix-checkin-csv"
    assert read.mapping == {
        "code": "Secret",
        "first_name": "Attendee name: First name",
        "last_name": "Attendee name: Family name",
        "organisation": "Company",
        "country": "Country",
        "email": "E-mail",
        "category": "Product",
        "registration_id": "Order code",
        "name": "Attendee name",
    }
    people = by_code(read)
    jana, petr = people["s3cr3tjana"], people["s3cr3tpetr"]
    assert jana["registration_id"] == "ABC12"  # an order of one ticket
    assert "registration_id" not in petr  # two tickets, no position: matched by the code
    assert petr["Order code"] == "XYZ99"
    assert petr["Attendee name: Title"] == "Ing."
    assert "status" not in jana and jana["State"] == "CA"  # the address's state


@pytest.mark.parametrize(
    "header",
    [
        ["Bestellnummer", "Name Teilnehmer*in", "Name Teilnehmer*in: Vorname",
         "Name Teilnehmer*in: Nachname", "Produkt", "Preis", "Eingecheckt",
         "Automatisch eingecheckt", "Secret", "E-Mail", "Firma"],
        ["Kód objednávky", "Jméno účastníka", "Jméno účastníka: Jméno",
         "Jméno účastníka: Příjmení", "Produkt", "Cena", "Odbaveno", "Automaticky odbaveno",
         "Tajný kód", "E-mail", "Společnost"],
    ],
    ids=["de", "cs"],
)  # fmt: skip
def test_pretix_checkin_list_in_german_and_czech(tmp_path, header):
    row = ["ABC12", "Jana Nováková", "Jana", "Nováková", "Ticket", "0", "", "Nein", "sec-1",
           "jana@example.cz", "Alfa"]  # fmt: skip
    read = IMPORTERS.read(write_csv_rows(tmp_path, [header, row]))

    assert read.format == "pretix-checkin-csv"
    [(_, values)] = read.rows
    assert (values["code"], values["first_name"], values["last_name"]) == (
        "sec-1",
        "Jana",
        "Nováková",
    )
    assert (values["category"], values["organisation"]) == ("Ticket", "Alfa")
    assert values["registration_id"] == "ABC12"


def test_pretix_checkin_list_without_secrets_says_how_to_export_it(tmp_path):
    rows = [[cell for header, cell in zip(PRETIX_HEADER, row, strict=True) if header != "Secret"]
            for row in pretix_rows()]  # fmt: skip

    with pytest.raises(ImportFileError, match="Secret column"):
        IMPORTERS.read(write_csv_rows(tmp_path, rows))


def test_pretix_json_leaves_out_add_ons_and_merchandise_and_reads_order_states(tmp_path):
    read = IMPORTERS.read(write_json(tmp_path, pretix_document(), "demo_pretixdata.json"))

    people = by_code(read)
    assert set(people) == {
        "secretpaid1", "secretpaid2", "secretpending", "secretcancelled", "secretexpired",
    }  # fmt: skip
    statuses = {code: values["status"] for code, values in people.items()}
    assert statuses == {
        "secretpaid1": "active", "secretpaid2": "active", "secretpending": "active",
        "secretcancelled": "cancelled", "secretexpired": "cancelled",
    }  # fmt: skip
    jana = people["secretpaid1"]
    assert (jana["registration_id"], jana["name"], jana["category"]) == (
        "PAID1-1",
        "Jana Nováková",
        "Conference ticket",
    )
    assert (jana["email"], jana["organisation"]) == ("buyer@alfa.example.cz", "Alfa s.r.o.")
    assert jana["Dietary needs"] == "vegan"
    assert people["secretpaid2"]["email"] == "petr@beta.example.cz"
    assert [row for row, _ in read.rows] == [2, 3, 4, 5, 6]


# ---- Eventbrite and Indico ----------------------------------------------------------------------


def test_eventbrite_refunded_and_deleted_attendees_are_cancelled(tmp_path):
    lines = [
        EVENTBRITE_HEADER,
        "111,11/29/24 22:28,John,Doe,jd@x.test,2,,General Admission,0018441583423,,Free Order,"
        "USD,0,Attending,US,Eng,Acme",
        "111,11/29/24 22:28,Jane,Doe,jd2@x.test,2,,VIP,0018441583424,,Free Order,USD,0,"
        "Refunded,US,Eng,Acme",
        "222,11/30/24 09:05,Joe,Bloggs,jb@x.test,1,,VIP,0018441583425,,Free Order,USD,0,"
        "Not Attending,US,Eng,Acme",
        "333,11/30/24 09:06,Ann,Other,ao@x.test,1,,VIP,0018441583426,,Free Order,USD,0,"
        "Deleted,US,Eng,Acme",
    ]

    read = IMPORTERS.read(write_text(tmp_path, lines))

    assert read.format == "eventbrite-csv"
    assert (read.mapping["code"], read.mapping["registration_id"]) == ("Attendee #", "Attendee #")
    people = by_code(read)
    assert [values["status"] for values in people.values()] == [
        "active", "cancelled", "cancelled", "cancelled",
    ]  # fmt: skip
    john = people["0018441583423"]
    assert (john["Order #"], john["Order Date"], john["Total Paid (USD)"]) == (
        "111",
        "11/29/24 22:28",
        "0",
    )
    assert john["category"] == "General Admission"


def test_indico_csv_with_a_bom_reads_states_and_says_codes_are_ids(tmp_path):
    read = IMPORTERS.read(write_indico_csv(tmp_path))

    assert read.format == "indico-csv"
    assert read.mapping == {
        "code": "ID",
        "first_name": "First Name",
        "last_name": "Last Name",
        "organisation": "Affiliation",
        "country": "Country",
        "email": "Email Address",
        "status": "Registration state",
        "registration_id": "ID",
        "name": "Name",
    }
    people = by_code(read)
    assert {code: values["status"] for code, values in people.items()} == {
        "12": "active", "13": "cancelled", "14": "cancelled", "15": "active",
    }  # fmt: skip
    assert (people["12"]["Dietary needs"], people["12"]["Dietary needs (2)"]) == (
        "vegan",
        "no nuts",
    )
    [note] = read.problems
    assert (note.row, note.field) == (1, "code")
    assert "Indico" in note.message


def test_indico_xlsx_reads_ids_dates_and_booleans_as_text(tmp_path):
    rows = indico_rows()
    rows[1][9] = datetime(2023, 9, 1, 10, 0)
    rows[1][12] = True
    path = write_xlsx(tmp_path, rows)

    read = IMPORTERS.read(path)

    assert read.format == "indico-xlsx"
    jana = by_code(read)["12"]
    assert (jana["Registration date"], jana["Checked in"]) == ("2023-09-01 10:00", "TRUE")


def test_indico_json_registrants_use_the_checkin_secret(tmp_path):
    read = IMPORTERS.read(write_json(tmp_path, indico_document()))

    assert read.format == "indico-json"
    people = by_code(read)
    magda = people["0d9fd8b4-3c5f-4b42-9d1c-6f0f6b5a8e21"]
    assert (magda["first_name"], magda["last_name"], magda["organisation"]) == (
        "Magdaléna",
        "Vrabčeková",
        "VR Lab Ostrava",
    )
    assert (magda["country"], magda["registration_id"], magda["Position"]) == (
        "CZ",
        "3456",
        "Researcher",
    )
    ludek = people["5b2f4c9e-8a1d-4e3f-b6a7-c8d9e0f1a2b3"]
    assert (ludek["name"], ludek["first_name"], ludek["Checked in"]) == ("Luděk Kühr", "", "Yes")


# ---- workbooks ----------------------------------------------------------------------------------


def test_xlsx_cells_come_out_as_the_user_sees_them(tmp_path):
    rows = [
        ["Title of the export"],
        [],
        ["Kód", "Jméno", "Příjmení", "Dny", "Cena"],
        [18441583423, "Jan", "Novák", date(2023, 10, 23), 23.5],
        [18441583424.0, "Eva", "Malá", datetime(2023, 10, 24), 100.0],
        ["000412387761", "Ota", "Nula", None, None],
        [412387762, "Iva", "Nula", None, None],
        # 18 digits: Excel keeps 15 of them, and shows this as 1.84416E+17.
        [184416000000000123, "Max", "Dlouhý", None, None],
    ]
    path = write_xlsx(tmp_path, rows, formats={"A7": "000000000000", "D5": "d.m.yyyy"})

    read = IMPORTERS.read(path)

    assert read.format == "xlsx"
    assert read.mapping == {"code": "Kód", "first_name": "Jméno", "last_name": "Příjmení",
                            "days": "Dny"}  # fmt: skip
    codes = [values["code"] for _, values in read.rows]
    assert codes == [
        "18441583423",
        "18441583424",
        "000412387761",
        "000412387762",
        "1.84416E+17",
    ]
    # The sheet's own row numbers, under a title and a blank row.
    assert [row for row, _ in read.rows] == [4, 5, 6, 7, 8]
    first, second = read.rows[0][1], read.rows[1][1]
    assert (first["days"], second["days"]) == ("2023-10-23", "2023-10-24")
    assert (first["Cena"], second["Cena"]) == ("23.5", "100")
    registrations, errors, _ = check_rows(read.rows, [DAY1, DAY2])
    assert [(e.row, e.field) for e in errors] == [(8, "code")]
    assert "Excel" in errors[0].message
    assert registrations[0].days == (DAY1,)


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (184416000000000123, None, "184416000000000123"),  # an integer written digit by digit
        (1.84416e17, None, "1.84416E+17"),
        (123.0, "000000", "000123"),
        (0.1 + 0.2, None, "0.3"),
        (datetime(2023, 10, 23, 9, 5, 30), "yyyy-mm-dd hh:mm:ss", "2023-10-23 09:05:30"),
        (datetime(2023, 10, 23), "d.m.yyyy", "2023-10-23"),
        (datetime(2023, 10, 23), "d.m.yyyy h:mm", "2023-10-23 00:00"),
        (False, None, "FALSE"),
        (None, None, ""),
    ],
)
def test_cell_text(value, number_format, text):
    assert cell_text(value, number_format) == text


def test_b2match_participants(tmp_path):
    read = IMPORTERS.read(write_xlsx(tmp_path, b2match_rows()))

    assert read.format == "b2match-xlsx"
    assert read.mapping == {
        "code": "Participant ID",
        "organisation": "Organization",
        "country": "Country",
        "registration_id": "Participant ID",
        "name": "Name",
    }
    radek = by_code(read)["58213"]
    assert (radek["name"], radek["1:1 Meetings"], radek["Activated"]) == (
        "Radek Cibulka",
        "5",
        "Yes",
    )


# ---- files that cannot be imported --------------------------------------------------------------


def test_an_unknown_format_lists_the_known_ones(tmp_path):
    path = write_text(tmp_path, ["code,first_name,last_name", "A1,Jan,Novák"])

    with pytest.raises(FileFormatError) as caught:
        IMPORTERS.read(path, "pretix-xml")

    message = str(caught.value)
    assert str(path) in message and "'pretix-xml'" in message
    assert all(name in message for name in FORMAT_NAMES)


def test_a_format_of_another_kind_of_file_says_what_the_file_is(tmp_path):
    path = write_text(tmp_path, ["code,first_name,last_name", "A1,Jan,Novák"])

    with pytest.raises(FileFormatError, match=r"is CSV, not pretix-json \(JSON\)"):
        IMPORTERS.read(path, "pretix-json")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 100, "old Excel workbook (.xls)"),
        (b'{"schedule": {"version": "1"}}', "JSON in no format kiosk knows"),
        (b'{"event": ', "not valid JSON"),
        (b"hello world\r\nthis is not an export\r\n", "no column holds the ticket code"),
    ],
)
def test_an_unrecognisable_file_is_an_error_naming_it(tmp_path, content, words):
    path = tmp_path / "mystery.bin"
    path.write_bytes(content)

    with pytest.raises(FileFormatError) as caught:
        IMPORTERS.read(path)

    assert str(path) in str(caught.value)
    assert words in str(caught.value)


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_an_empty_file_is_an_error_naming_it(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError, match="empty") as caught:
        IMPORTERS.read(path)

    assert str(path) in str(caught.value)


def test_an_empty_workbook_and_a_missing_file_are_errors_naming_them(tmp_path):
    empty = write_xlsx(tmp_path, [])
    missing = tmp_path / "nowhere.xlsx"

    with pytest.raises(ImportFileError, match="empty") as caught:
        IMPORTERS.read(empty)
    assert str(empty) in str(caught.value)
    with pytest.raises(ImportFileError, match="cannot read the file") as caught:
        IMPORTERS.read(missing)
    assert str(missing) in str(caught.value)


# ---- the real sample exports ---------------------------------------------------------------------


@needs_corpus
def test_the_real_pretix_checkin_list():
    read = IMPORTERS.read(CORPUS / "pretix-checkinlist.csv")

    assert read.format == "pretix-checkin-csv"
    assert read.mapping["code"] == "Secret"
    people = by_code(read)
    peter = people["hutjztuxhkbtwnesv2suqv26k6ttytxx"]
    andrea = people["ggsngqtnmhx74jswjngw3fk8pfwz2a7k"]
    assert (peter["first_name"], peter["last_name"], peter["name"]) == (
        "Peter",
        "Jones",
        "Mr Peter A Jones",
    )
    assert (andrea["first_name"], andrea["last_name"]) == ("Andrea", "Zulu")
    # Two tickets of order FOO: no registration id that both would share.
    assert "registration_id" not in peter and "registration_id" not in andrea
    assert peter["Order code"] == andrea["Order code"] == "FOO"
    assert peter["category"] == "Ticket"


@needs_corpus
def test_the_real_eventbrite_attendee_report():
    read = IMPORTERS.read(CORPUS / "eventbrite-attendee-report.csv")

    assert read.format == "eventbrite-csv"
    assert [values["code"] for _, values in read.rows] == [
        "18441583423",
        "18441700883",
        "18443939943",
    ]
    john = read.rows[0][1]
    assert (john["first_name"], john["last_name"], john["organisation"]) == (
        "John",
        "Doe",
        "Company1Name",
    )
    assert (john["status"], john["Order Date"], john["Job Title"]) == (
        "active",
        "11/29/24 22:28",
        "JobTitle1",
    )


# ---- end to end: through the import workflow into both stores --------------------------------


def test_importing_pretix_json_admits_the_paid_and_pending_only(store, tmp_path):
    path = write_json(tmp_path, pretix_document(), "demo_pretixdata.json")

    report = import_registrations(store, IMPORTERS, path)

    assert (report.format, report.added, report.errors) == ("pretix-json", 5, ())
    people = store.registered()
    assert people["secretpaid1"].registration_id == "PAID1-1"
    assert people["secretpaid1"].extra["Dietary needs"] == "vegan"
    assert str(people["secretexpired"].status) == "cancelled"
    desk = StaffDesk(store, "Desk A")
    at = prague(DAY1, 9)
    assert desk.check_in("secretpending", at=at).status == "ok"
    assert desk.check_in("secretcancelled", at=at).status == "cancelled"
    assert desk.check_in("secretaddon", at=at).status == "unknown"

    again = import_registrations(store, IMPORTERS, path)

    assert (again.added, again.updated, again.unchanged) == (0, 0, 5)


@needs_corpus
def test_importing_the_real_exports(store):
    pretix = import_registrations(store, IMPORTERS, CORPUS / "pretix-checkinlist.csv")
    eventbrite = import_registrations(store, IMPORTERS, CORPUS / "eventbrite-attendee-report.csv")

    assert (pretix.format, pretix.added, pretix.errors) == ("pretix-checkin-csv", 2, ())
    assert (eventbrite.format, eventbrite.added, eventbrite.errors) == ("eventbrite-csv", 3, ())
    people = store.registered()
    assert people["hutjztuxhkbtwnesv2suqv26k6ttytxx"].full_name == "Peter Jones"
    assert people["hutjztuxhkbtwnesv2suqv26k6ttytxx"].email == "dummy@dummy.test"
    assert people["18441700883"].registration_id == "18441700883"
    assert people["18441700883"].organisation == "Company2Name"


def test_importing_workbooks_and_indico_json(store, tmp_path):
    b2match = import_registrations(store, IMPORTERS, write_xlsx(tmp_path, b2match_rows()))
    indico = import_registrations(store, IMPORTERS, write_json(tmp_path, indico_document()))

    assert (b2match.added, b2match.errors) == (2, ())
    assert (indico.added, indico.errors) == (2, ())
    people = store.registered()
    assert (people["58214"].first_name, people["58214"].last_name) == ("Jiří", "Čermák")
    assert people["58214"].country == "Czech Republic"
    magda = people["0d9fd8b4-3c5f-4b42-9d1c-6f0f6b5a8e21"]
    assert (magda.country, magda.organisation) == ("CZ", "VR Lab Ostrava")
    # An Indico ticket's QR code holds the secret as base64 of the UUID's bytes.
    secret = base64.urlsafe_b64encode(uuid.UUID(magda.code).bytes).decode().rstrip("=")
    scan = json.dumps({"i": [2, "indico.example.org", secret]})
    assert StaffDesk(store, "Desk A").check_in(scan, at=prague(DAY2, 9)).status == "ok"


def test_importing_a_mixed_file_imports_what_it_can_and_reports_the_rest(store, tmp_path):
    report = import_registrations(store, IMPORTERS, mixed_file(tmp_path))

    assert report.added == 5
    assert [(error.row, error.field) for error in report.errors] == [
        (3, "first_name"),
        (5, "organisation"),
        (7, "last_name"),
        (8, "last_name"),
    ]
    people = store.registered()
    assert (people["M2"].first_name, people["M2"].last_name) == ("Luděk", "Kühr")
    assert "M4" not in people


def test_importing_eventbrite_refunds_cancels_a_stored_attendee(store, tmp_path):
    header = EVENTBRITE_HEADER
    row = "1,11/29/24 22:28,Jan,Novák,jn@x.test,1,,GA,5550001,,Free,USD,0,{},CZ,Dev,Alfa"
    first = write_text(tmp_path, [header, row.format("Attending")], "first.csv")
    second = write_text(tmp_path, [header, row.format("Refunded")], "second.csv")

    import_registrations(store, IMPORTERS, first)
    report = import_registrations(store, IMPORTERS, second)

    assert (report.cancelled, report.errors) == (1, ())
    assert str(store.registered()["5550001"].status) == "cancelled"


@pytest.mark.parametrize(
    "raw",
    [
        "code;Jméno\r\nA1;Luděk\r\nA2;Žofie\r\n".encode(),
        "code;Jméno\r\nA1;Luděk\r\nA2;Žofie".encode("cp1250"),
        b"code,name\rA1,Old Mac\rA2,x\n\nA3,y\r\n",
        "code;Jméno\nA1;Luděk\n".encode() + "A2;Žofie\n".encode("cp1250") + b"A3;\xff\xfe\n",
        b"",
    ],
)
def test_a_file_read_a_piece_at_a_time_gives_the_lines_read_at_once(
    raw: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large files are decoded and split in pieces (so a desk's check-in on another thread
    never waits for one long call); the lines and their kinds are those of the whole file.
    """
    whole = encoding.decode_lines(raw)
    for piece in (1, 3, 7, 16):
        monkeypatch.setattr(encoding, "_PIECE", piece)
        assert encoding.decode_lines(raw) == whole
