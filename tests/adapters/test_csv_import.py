"""Registration CSV import: encodings, delimiters, bad rows and re-imports on a real database."""

import codecs
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kiosk.adapters.csv_import import ImportFileError, decode, read_rows
from kiosk.adapters.storage import SqliteStore
from kiosk.core.events import new_event
from kiosk.workflows.staff import StaffDesk
from tests.support import import_csv

PRAGUE = ZoneInfo("Europe/Prague")
MONDAY_9 = datetime(2023, 10, 23, 9, 0, tzinfo=PRAGUE)
HEADER = "code,first_name,last_name,organisation,country,email,category"
ROWS = [
    "A001,Jana,Nováková,Alfa s.r.o.,CZ,jana@alfa.example.cz,Participant",
    "A002,Petr,Přikryl,Beta a.s.,CZ,petr@beta.example.cz,Speaker",
    "A003,Luděk,Kühr,Gama z. s.,CZ,ludek@gama.example.cz,Press",
]


@pytest.fixture
def store(tmp_path):
    event, keys = new_event(
        "Clusters meet Regions",
        "Europe/Prague",
        [date(2023, 10, 23), date(2023, 10, 24)],
        locale="cs",
    )
    with SqliteStore(tmp_path / "k.sqlite3") as store:
        store.create_event(event, keys)
        yield store


def write_csv(tmp_path, lines, name="registrations.csv", encoding="utf-8", newline="\n"):
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode(encoding))
    return path


def errors_of(report):
    return [(error.row, error.field) for error in report.errors]


def test_generic_csv_adds_every_row(store, tmp_path):
    report = import_csv(store, write_csv(tmp_path, [HEADER, *ROWS]))

    fields = ("code", "first_name", "last_name", "organisation", "country", "email", "category")
    assert report.to_dict() == {
        "format": "csv",
        "mapping": {name: name for name in fields},
        "added": 3,
        "updated": 0,
        "unchanged": 0,
        "cancelled": 0,
        "errors": [],
    }
    jana = store.registered()["A001"]
    assert (jana.first_name, jana.last_name, jana.organisation) == (
        "Jana",
        "Nováková",
        "Alfa s.r.o.",
    )
    assert (jana.country, jana.email, jana.category) == (
        "CZ",
        "jana@alfa.example.cz",
        "Participant",
    )
    assert jana.codes == ("A001",)


def test_czech_excel_csv_in_cp1250_with_semicolons(store, tmp_path):
    lines = [
        "code;last_name;first_name;organisation",
        "C1;Kühr;Luděk;Moravskoslezský automobilový klastr",
        "C2;Přikryl;Petr;Česká klastrová platforma, z. s.",
        "C3;Vrabčeková;Magdaléna;VR Lab Ostrava s.r.o.",
    ]
    path = write_csv(tmp_path, lines, encoding="cp1250", newline="\r\n")

    report = import_csv(store, path)

    assert (report.added, report.errors) == (3, ())
    people = store.registered()
    assert (people["C1"].first_name, people["C1"].last_name) == ("Luděk", "Kühr")
    assert (people["C2"].first_name, people["C2"].last_name) == ("Petr", "Přikryl")
    assert people["C2"].organisation == "Česká klastrová platforma, z. s."
    assert (people["C3"].first_name, people["C3"].last_name) == ("Magdaléna", "Vrabčeková")


@pytest.mark.parametrize(
    ("bom", "encoding", "delimiter"),
    [
        (codecs.BOM_UTF8, "utf-8", ","),
        (codecs.BOM_UTF16_LE, "utf-16-le", "\t"),
        (codecs.BOM_UTF16_BE, "utf-16-be", ";"),
        (b"", "utf-8", ";"),
        (b"", "cp1250", "\t"),
    ],
)
def test_encodings_and_delimiters(store, tmp_path, bom, encoding, delimiter):
    row = ["Z9", "Małgorzata", "Żółć", "Přikryl & Kühr s.r.o."]
    text = "\r\n".join(
        delimiter.join(values)
        for values in (["code", "first_name", "last_name", "organisation"], row)
    )
    raw = bom + text.encode(encoding)
    path = tmp_path / "export.csv"
    path.write_bytes(raw)

    assert decode(raw) == text
    report = import_csv(store, path)

    assert (report.added, report.errors) == (1, ())
    person = store.registered()["Z9"]
    assert [person.code, person.first_name, person.last_name, person.organisation] == row


def test_codes_with_leading_zeros_stay_text(store, tmp_path):
    path = write_csv(tmp_path, ["code,first_name,last_name", "000123,Jan,Nula", "0042,Eva,Dvě"])

    import_csv(store, path)

    assert set(store.registered()) == {"000123", "0042"}
    desk = StaffDesk(store, "Desk A")
    assert desk.check_in("000123", at=MONDAY_9).status == "ok"
    assert desk.check_in("42", at=MONDAY_9).status == "unknown"


@pytest.mark.parametrize("mangled", ["1.84416E+14", "1,84416E+14", "3.2857605093e+11"])
def test_code_shortened_by_excel_is_an_error_on_its_row(store, tmp_path, mangled):
    path = write_csv(
        tmp_path,
        ["code;first_name;last_name", "B1;Jan;Dobrý", f"{mangled};Eva;Zlá", "B3;Ota;Dobrý"],
    )

    report = import_csv(store, path)

    assert report.added == 2
    assert errors_of(report) == [(3, "code")]
    assert "Excel" in report.errors[0].message
    assert set(store.registered()) == {"B1", "B3"}


def test_duplicate_code_is_an_error_on_the_later_row(store, tmp_path):
    path = write_csv(
        tmp_path, ["code,first_name,last_name", "D1,Jan,První", "D2,Eva,Jiná", "D1,Ota,Druhý"]
    )

    report = import_csv(store, path)

    assert report.added == 2
    assert errors_of(report) == [(4, "code")]
    assert store.registered()["D1"].last_name == "První"


def test_missing_code_column_fails_the_whole_file(store, tmp_path):
    path = write_csv(tmp_path, ["id,first_name,last_name", "X1,Jan,Novák"])

    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path)

    message = str(caught.value)
    assert str(path) in message
    assert "row 1" in message
    assert "code" in message
    assert store.registered() == {}


@pytest.mark.parametrize("content", [b"", b"\r\n\r\n", codecs.BOM_UTF8])
def test_empty_file_fails_naming_the_file(store, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError, match="empty"):
        list(read_rows(path))
    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path)
    assert str(path) in str(caught.value)


def test_unreadable_file_fails_naming_the_file(store, tmp_path):
    path = tmp_path / "nowhere.csv"

    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path)

    assert str(path) in str(caught.value)


def test_read_rows_numbers_rows_from_the_header_and_skips_blank_lines(tmp_path):
    path = write_csv(
        tmp_path, ["Code, First Name ,LAST-NAME", "R1,Jan,Novák", "", ",,", "R2,Eva,Malá"]
    )

    rows = list(read_rows(path))

    assert rows == [
        (2, {"code": "R1", "first_name": "Jan", "last_name": "Novák"}),
        (5, {"code": "R2", "first_name": "Eva", "last_name": "Malá"}),
    ]


def test_row_numbers_count_records_not_lines(store, tmp_path):
    path = write_csv(
        tmp_path,
        ["code,first_name,last_name,organisation", 'M1,Jan,Novák,"Alfa\nodd. 2"', ",Eva,Malá,"],
    )

    report = import_csv(store, path)

    assert store.registered()["M1"].organisation == "Alfa odd. 2"
    assert errors_of(report) == [(3, "code")]


def test_stray_quote_in_a_long_file_is_an_import_file_error(store, tmp_path):
    lines = ["code,first_name,last_name", 'Q0,Jan,"Novák']
    lines += [f"Q{n},Eva,{'Dlouhá' * 10}" for n in range(1, 3000)]
    path = write_csv(tmp_path, lines)

    with pytest.raises(ImportFileError) as caught:
        import_csv(store, path)

    assert str(path) in str(caught.value)


def test_bad_email_keeps_the_attendee_without_it(store, tmp_path):
    path = write_csv(tmp_path, [HEADER, "E1,Jan,Novák,,CZ,jan.novak(at)example.cz,"])

    report = import_csv(store, path)

    assert report.added == 1
    assert errors_of(report) == [(2, "email")]
    assert store.registered()["E1"].email == ""


def test_email_is_trimmed_and_lower_cased(store, tmp_path):
    path = write_csv(tmp_path, [HEADER, "E2,Jan,Novák,,cz,  Jan.Novak@Example.CZ ,"])

    report = import_csv(store, path)

    assert report.errors == ()
    jan = store.registered()["E2"]
    assert jan.email == "jan.novak@example.cz"
    assert jan.country == "CZ"
    assert jan.category == "Participant"


def test_days_outside_the_event_is_an_error(store, tmp_path):
    path = write_csv(
        tmp_path,
        [
            "code,first_name,last_name,days",
            "T1,Jan,Pondělní,2023-10-23",
            "T2,Eva,Úterní,24.10.2023",
            "T3,Ota,Středeční,2023-10-25",
        ],
    )

    report = import_csv(store, path)

    assert errors_of(report) == [(4, "days")]
    people = store.registered()
    assert set(people) == {"T1", "T2"}
    assert people["T1"].days == (date(2023, 10, 23),)
    assert people["T2"].days == (date(2023, 10, 24),)
    desk = StaffDesk(store, "Desk A")
    assert desk.check_in("T2", at=MONDAY_9).status == "not_today"


@pytest.mark.parametrize("status", ["cancelled", "Storno", "zrušeno"])
def test_cancelled_status_column_cancels_the_attendee(store, tmp_path, status):
    path = write_csv(
        tmp_path, ["code,first_name,last_name,status", f"S1,Jan,Zrušil,{status}", "S2,Eva,Přišla,"]
    )

    report = import_csv(store, path)

    assert report.errors == ()
    people = store.registered()
    assert (people["S1"].status, people["S2"].status) == ("cancelled", "active")
    desk = StaffDesk(store, "Desk A")
    assert desk.check_in("S1", at=MONDAY_9).status == "cancelled"
    assert desk.check_in("S2", at=MONDAY_9).status == "ok"


def test_unknown_columns_are_kept_as_extra(store, tmp_path):
    path = write_csv(
        tmp_path,
        ["code,first_name,last_name,Dietary,T-shirt", "X1,Jan,Novák,vegan,XL", "X2,Eva,Malá,,"],
    )

    import_csv(store, path)

    people = store.registered()
    assert people["X1"].extra == {"dietary": "vegan", "t_shirt": "XL"}
    assert people["X2"].extra == {}


def test_reimport_updates_in_place_and_keeps_checkins(store, tmp_path):
    import_csv(store, write_csv(tmp_path, [HEADER, *ROWS]))
    ids = {code: attendee.id for code, attendee in store.registered().items()}
    desk = StaffDesk(store, "Desk A")
    assert desk.check_in("A002", at=MONDAY_9).status == "ok"

    changed = [ROWS[0], ROWS[1].replace("Beta a.s.", "Beta Group a.s."), ROWS[2]]
    report = import_csv(store, write_csv(tmp_path, [HEADER, *changed], name="again.csv"))

    assert (report.added, report.updated, report.unchanged, report.cancelled) == (0, 1, 2, 0)
    people = store.registered()
    assert {code: attendee.id for code, attendee in people.items()} == ids
    assert people["A002"].organisation == "Beta Group a.s."
    again = desk.check_in("A002", at=datetime(2023, 10, 23, 11, 0, tzinfo=PRAGUE))
    assert again.status == "already"
    assert again.first_at == MONDAY_9
    assert desk.stats().checked_in == 1


def test_reimport_of_the_same_file_changes_nothing(store, tmp_path):
    path = write_csv(tmp_path, [HEADER, *ROWS])
    import_csv(store, path)
    before = store.registered()

    report = import_csv(store, path)

    assert (report.added, report.updated, report.unchanged, report.cancelled) == (0, 0, 3, 0)
    assert store.registered() == before


def test_bad_row_imports_the_others_and_loses_nothing(store, tmp_path):
    import_csv(store, write_csv(tmp_path, [HEADER, *ROWS]))
    before = store.registered()

    lines = [
        HEADER,
        ROWS[0].replace("Alfa s.r.o.", "Alfa Plus s.r.o."),
        "A002,,,Beta a.s.,CZ,petr@beta.example.cz,Speaker",
        ROWS[2],
        "A004,Nový,Člověk,,,,",
    ]
    report = import_csv(store, write_csv(tmp_path, lines, name="again.csv"))

    assert (report.added, report.updated, report.unchanged, report.cancelled) == (1, 1, 1, 0)
    assert errors_of(report) == [(3, "last_name")]
    after = store.registered()
    assert set(after) == {"A001", "A002", "A003", "A004"}
    assert after["A001"].organisation == "Alfa Plus s.r.o."
    assert after["A002"] == before["A002"]
    assert after["A003"] == before["A003"]


def test_cancel_missing_cancels_those_the_file_no_longer_names(store, tmp_path):
    import_csv(store, write_csv(tmp_path, [HEADER, *ROWS]))

    report = import_csv(
        store,
        write_csv(tmp_path, [HEADER, ROWS[0]], name="again.csv"),
        cancel_missing=True,
        confirmed=True,
    )

    assert (report.unchanged, report.cancelled) == (1, 2)
    statuses = {code: str(a.status) for code, a in store.registered().items()}
    assert statuses == {"A001": "active", "A002": "cancelled", "A003": "cancelled"}


def test_cancel_missing_keeps_attendees_whose_row_has_an_error(store, tmp_path):
    import_csv(store, write_csv(tmp_path, ["code,first_name,last_name,days", "V1,Jan,Novák,"]))

    report = import_csv(
        store,
        write_csv(tmp_path, ["code,first_name,last_name,days", "V1,Jan,Novák,2023-10-25"], "b.csv"),
        cancel_missing=True,
        confirmed=True,
    )

    assert errors_of(report) == [(1, "code"), (2, "days")]
    assert "--cancel-missing was not applied" in report.errors[0].message
    assert report.cancelled == 0
    assert store.registered()["V1"].status == "active"


def test_stray_quote_in_a_short_file_is_caught_at_the_name(store, tmp_path):
    path = write_csv(tmp_path, [HEADER, 'Q0,Jan,"Novák,,CZ,,', *ROWS])

    report = import_csv(store, path)

    assert errors_of(report) == [(2, "last_name")]
    assert "quote" in report.errors[0].message
    assert store.registered() == {}


def test_reissued_code_under_the_same_registration_id_updates_that_person(store, tmp_path):
    header = "code,first_name,last_name,registration_id"
    import_csv(store, write_csv(tmp_path, [header, "OLD1,Jan,Novák,R1", "KEEP,Eva,Malá,R2"]))
    desk = StaffDesk(store, "Desk A")
    assert desk.check_in("OLD1", MONDAY_9).status == "ok"

    report = import_csv(
        store, write_csv(tmp_path, [header, "NEW1,Jan,Novák,R1", "KEEP,Eva,Malá,R2"])
    )

    assert (report.added, report.updated, report.unchanged, report.errors) == (0, 1, 1, ())
    assert desk.check_in("OLD1", MONDAY_9).status == "unknown"
    again = desk.check_in("NEW1", MONDAY_9.replace(minute=5))
    assert again.status == "already" and again.attendee.last_name == "Novák"


def test_registration_id_clashes_are_row_errors(store, tmp_path):
    header = "code,first_name,last_name,registration_id"
    import_csv(store, write_csv(tmp_path, [header, "A1,Jan,Novák,R1", "B1,Eva,Malá,R2"]))

    report = import_csv(
        store,
        write_csv(tmp_path, [header, "B1,Jan,Novák,R1", "C1,Petr,Dvořák,R3", "C2,Pavel,Dvořák,R3"]),
    )

    assert errors_of(report) == [(2, "code"), (4, "registration_id")]
    assert store.registered()["B1"].first_name == "Eva"
    assert store.registered()["A1"].first_name == "Jan"
    assert "C2" not in store.registered()


def test_code_that_lost_its_leading_zeros_is_not_a_new_person(store, tmp_path):
    import_csv(store, write_csv(tmp_path, [HEADER, "00777,Olga,Nulová,,,,", *ROWS]))

    report = import_csv(
        store,
        write_csv(tmp_path, [HEADER, "777,Olga,Nulová,,,,", *ROWS]),
        cancel_missing=True,
        confirmed=True,
    )

    assert errors_of(report) == [(1, "code"), (2, "code")]
    assert "leading zeros" in report.errors[1].message
    assert "777" not in store.registered()
    assert store.registered()["00777"].status == "active"


def test_cancel_missing_is_not_applied_when_codes_are_unreadable(store, tmp_path):
    import_csv(store, write_csv(tmp_path, [HEADER, "184416000000123,Jan,Novák,,,,", *ROWS]))

    report = import_csv(
        store,
        write_csv(tmp_path, [HEADER, "1.84416E+14,Jan,Novák,,,,", *ROWS]),
        cancel_missing=True,
        confirmed=True,
    )

    assert report.cancelled == 0
    assert (1, "code") in errors_of(report) and (2, "code") in errors_of(report)
    assert store.registered()["184416000000123"].status == "active"


def test_excel_text_formula_is_unwrapped(store, tmp_path):
    report = import_csv(store, write_csv(tmp_path, [HEADER, '"=""000555""",Jan,Novák,,,,']))

    assert report.errors == ()
    assert list(store.registered()) == ["000555"]


def test_cancel_missing_keeps_a_person_whose_reissued_row_was_skipped(store, tmp_path):
    header = "code,first_name,last_name,registration_id,days"
    import_csv(store, write_csv(tmp_path, [header, "OLD1,Jan,Novák,R1,", "B1,Eva,Malá,R2,"]))

    report = import_csv(
        store,
        write_csv(tmp_path, [header, "NEW1,Jan,Novák,R1,2023-10-25", "B1,Eva,Malá,R2,"]),
        cancel_missing=True,
        confirmed=True,
    )

    assert report.cancelled == 0
    assert store.registered()["OLD1"].status == "active"


def test_a_code_never_moves_a_registration_the_file_names_elsewhere(store, tmp_path):
    header = "code,first_name,last_name,registration_id"
    import_csv(store, write_csv(tmp_path, [header, "X1,Jan,Novák,R1"]))
    desk = StaffDesk(store, "Desk A")
    desk.check_in("X1", MONDAY_9)

    report = import_csv(store, write_csv(tmp_path, [header, "X1,Petr,Nový,", "Y1,Jan,Novák,R1"]))

    assert errors_of(report) == [(2, "code")]
    jan = store.registered()["Y1"]
    assert (jan.first_name, jan.registration_id) == ("Jan", "R1")
    assert desk.check_in("Y1", MONDAY_9.replace(minute=5)).status == "already"


def test_a_file_without_registration_ids_keeps_the_stored_ones(store, tmp_path):
    import_csv(
        store, write_csv(tmp_path, ["code,first_name,last_name,registration_id", "X1,Jan,Novák,R1"])
    )

    report = import_csv(store, write_csv(tmp_path, ["code,first_name,last_name", "X1,Jan,Novák"]))

    assert (report.updated, report.unchanged) == (0, 1)
    assert store.registered()["X1"].registration_id == "R1"


def test_no_full_garbage_collection_during_an_import_and_the_setting_back_after(store, tmp_path):
    """A full collection would pause the desk's check-ins for as long as it walks the import's
    objects; the process's own setting is back once the import is done, or has failed.
    """
    import gc  # noqa: PLC0415 (this test alone)

    before = gc.get_threshold()
    during = []
    report = import_csv(
        store,
        write_csv(tmp_path, [HEADER, *ROWS]),
        progress=lambda *_: during.append(gc.get_threshold()),
    )
    assert report.added == 3
    assert during and all(t[:2] == before[:2] and t[2] > 10**6 for t in during)
    assert gc.get_threshold() == before
    with pytest.raises(ImportFileError):
        import_csv(store, write_csv(tmp_path, ["name", "Jana"], name="bad.csv"))
    assert gc.get_threshold() == before
