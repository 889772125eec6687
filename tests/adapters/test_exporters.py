"""The check-in export as real CSV, JSON and XLSX files, and the guard on where it may go."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from kiosk.adapters.event_file import write_event_file
from kiosk.adapters.exporters import CheckinFiles, csv_bytes, neutralise, xlsx_bytes
from kiosk.adapters.output_files import (
    OutputWriteError,
    UnsafeOutputError,
    check_output_path,
    write_private_file,
)
from kiosk.adapters.storage import SqliteStore
from kiosk.core.errors import InvalidInputError
from kiosk.core.export import CheckinRow, DayCheckin, header
from kiosk.core.model import Event
from kiosk.core.signing import EventKeys
from kiosk.workflows.export import export_checkins
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, prague

DAYS = (DAY1, DAY2)
HOSTILE = {
    '=HYPERLINK("http://x")': '\'=HYPERLINK("http://x")',
    "+420 123": "'+420 123",
    "-2+3": "'-2+3",
    "@SUM(A1)": "'@SUM(A1)",
    "\tTab": "'\tTab",
    "\rReturn": "'\rReturn",
}


def row(**fields: object) -> CheckinRow:
    values: dict[str, object] = {
        "registration_id": "R-1",
        "code": "000412",
        "first_name": "Luděk",
        "last_name": "Kühr",
        "organisation": "Klastr Nanoprogress",
        "category": "Speaker",
        "status": "active",
        "days": (DayCheckin(DAY1, prague(DAY1, 9, 14), "Desk A"), DayCheckin(DAY2)),
        "prints": 2,
    }
    values.update(fields)
    return CheckinRow(**values)  # type: ignore[arg-type]


ROWS = [
    row(),
    row(
        registration_id="",
        code="K1:WALKIN",
        first_name="=1+1",
        last_name="@Nováková",
        organisation="-Org",
        category="+Cat",
        status="cancelled",
        days=(DayCheckin(DAY1), DayCheckin(DAY2, prague(DAY2, 8), "\tDesk")),
        prints=0,
    ),
]


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that lets everyone read new files: the export must stay private regardless."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_neutralise_prefixes_formula_starts_only() -> None:
    for hostile, safe in HOSTILE.items():
        assert neutralise(hostile) == safe
    for harmless in ("", "000412", "Kühr", "a=b", " =1", "'quoted", "2023-10-23T09:00:00+02:00"):
        assert neutralise(harmless) == harmless


@pytest.mark.usefixtures("open_umask")
def test_csv_has_bom_header_and_neutralised_cells(tmp_path: Path) -> None:
    out = tmp_path / "checkins.csv"
    CheckinFiles().write_checkins(out, "csv", DAYS, ROWS, [])
    assert mode(out) == 0o600
    header_row, kuhr, walk_in = read_csv(out)
    assert header_row == header(DAYS)
    assert kuhr == [
        "R-1",
        "000412",
        "Luděk",
        "Kühr",
        "Klastr Nanoprogress",
        "Speaker",
        "active",
        "2023-10-23T09:14:00+02:00",
        "Desk A",
        "",
        "",
        "2",
    ]
    assert walk_in[:7] == ["", "K1:WALKIN", "'=1+1", "'@Nováková", "'-Org", "'+Cat", "cancelled"]
    assert walk_in[9:11] == ["2023-10-24T08:00:00+02:00", "'\tDesk"]


def test_every_hostile_start_is_neutralised_in_csv_and_xlsx() -> None:
    rows = [row(first_name=hostile) for hostile in HOSTILE]
    read = list(csv.reader(io.StringIO(csv_bytes(DAYS, rows).decode("utf-8-sig"), newline="")))
    assert [line[2] for line in read[1:]] == list(HOSTILE.values())
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(DAYS, rows))).active
    # XML reads a carriage return back as a newline; the quote in front is what matters.
    expected = [safe.replace("\r", "\n") for safe in HOSTILE.values()]
    assert [cell.value for cell in sheet["C"][1:]] == expected
    assert {cell.data_type for cell in sheet["C"][1:]} == {"s"}  # text, never a formula


@pytest.mark.usefixtures("open_umask")
def test_xlsx_keeps_codes_as_text_and_prints_as_numbers(tmp_path: Path) -> None:
    out = tmp_path / "checkins.xlsx"
    CheckinFiles().write_checkins(out, "xlsx", DAYS, ROWS, [])
    assert mode(out) == 0o600
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Check-ins"]
    sheet = book.active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0] == header(DAYS)
    code = sheet["B2"]
    assert code.value == "000412" and code.data_type == "s" and code.number_format == "@"
    assert values[1][7:12] == ["2023-10-23T09:14:00+02:00", "Desk A", None, None, 2]
    assert values[2][:7] == [
        None,
        "K1:WALKIN",
        "'=1+1",
        "'@Nováková",
        "'-Org",
        "'+Cat",
        "cancelled",
    ]
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)


def test_xlsx_replaces_characters_xml_cannot_hold() -> None:
    sheet = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes(DAYS, [row(last_name="Kü\x00hr\x1b")]))
    ).active
    assert sheet["D2"].value == "Kü\ufffdhr\ufffd"


@pytest.mark.usefixtures("open_umask")
def test_json_round_trips_raw_text(tmp_path: Path) -> None:
    out = tmp_path / "checkins.json"
    CheckinFiles().write_checkins(out, "json", DAYS, ROWS, [])
    assert mode(out) == 0o600
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document == [r.to_dict() for r in ROWS]
    assert document[1]["first_name"] == "=1+1"  # JSON keeps what was registered
    assert document[0]["days"][0] == {
        "day": "2023-10-23",
        "first_at": "2023-10-23T09:14:00+02:00",
        "station": "Desk A",
    }
    assert document[0]["days"][1] == {"day": "2023-10-24", "first_at": None, "station": None}


def test_an_earlier_export_is_replaced_and_becomes_private(tmp_path: Path) -> None:
    out = tmp_path / "checkins.csv"
    out.write_text("an old export, readable by all\n", encoding="utf-8")
    out.chmod(0o644)
    CheckinFiles().write_checkins(out, "csv", DAYS, ROWS[:1], [])
    assert mode(out) == 0o600
    assert len(read_csv(out)) == 2
    CheckinFiles().write_checkins(out, "json", DAYS, ROWS, [])  # our own export, again
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkins.csv"]  # no temporary left


@pytest.fixture
def database(db_path: Path, event_and_keys: tuple[Event, EventKeys]) -> Iterator[Path]:
    """A real kiosk database, open, so its -wal and -shm files exist beside it."""
    store = SqliteStore(db_path)
    store.create_event(*event_and_keys)
    yield db_path
    store.close()


def assert_refused(target: Path, protected: list[Path], reason: str) -> None:
    before = target.read_bytes() if target.exists() else None
    with pytest.raises(UnsafeOutputError, match=reason) as raised:
        CheckinFiles().write_checkins(target, "csv", DAYS, ROWS, protected)
    assert str(target) in str(raised.value)
    assert isinstance(raised.value, InvalidInputError)
    assert (target.read_bytes() if target.exists() else None) == before
    assert not list(target.parent.glob("*.tmp"))


def test_refuses_the_database_and_its_companions(database: Path) -> None:
    wal = database.with_name(database.name + "-wal")
    shm = database.with_name(database.name + "-shm")
    assert wal.exists() and shm.exists()
    assert_refused(database, [database], "the kiosk database")
    assert_refused(wal, [database], r"its -wal file")
    assert_refused(shm, [database], r"its -shm file")
    # Not there now, but SQLite would take it for the database's rollback journal.
    assert_refused(database.with_name(database.name + "-journal"), [database], "-journal")
    # The same database reached through a link or another spelling of its path.
    link = database.with_name("export.csv")
    link.symlink_to(database)
    assert_refused(link, [database], "the kiosk database")
    assert_refused(database.parent / "." / database.name, [database], "the kiosk database")
    hard = database.with_name("hard.csv")
    hard.hardlink_to(database)
    assert_refused(hard, [database], "the kiosk database")


def test_refuses_any_sqlite_database_even_unprotected(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    assert_refused(other, [], "an SQLite database")


def test_refuses_journal_and_event_files(
    tmp_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> None:
    journal = tmp_path / "0123abcd.journal.jsonl"
    journal.write_text('{"uuid": "x"}\n', encoding="utf-8")
    assert_refused(journal, [], "a kiosk journal file")
    assert_refused(tmp_path / "new.JOURNAL.jsonl", [], "a kiosk journal file")  # even a new one
    link = tmp_path / "peer.journal.jsonl"
    link.symlink_to(tmp_path / "elsewhere.csv")  # replacing the link would make a journal
    assert_refused(link, [], "a kiosk journal file")
    event_file = tmp_path / "event.json"
    write_event_file(event_file, event_and_keys[0])
    assert_refused(event_file, [], "a kiosk event file")


def test_refuses_a_folder_and_reports_a_missing_one(tmp_path: Path) -> None:
    with pytest.raises(UnsafeOutputError, match="is a folder"):
        check_output_path(tmp_path)
    with pytest.raises(OutputWriteError, match="cannot create a file"):
        write_private_file(tmp_path / "missing" / "out.csv", b"x")


def test_other_files_may_be_replaced(tmp_path: Path) -> None:
    for name, content in [
        ("list.json", b'{"format": "something-else"}'),
        ("notes.txt", b"SQLite format 2"),
        ("empty.csv", b""),
    ]:
        target = tmp_path / name
        target.write_bytes(content)
        assert check_output_path(target, [tmp_path / "kiosk.sqlite3"]) == target.resolve()
        assert write_private_file(target, b"new", []) == target.resolve()
        assert target.read_bytes() == b"new" and mode(target) == 0o600


def test_workflow_exports_a_real_store(filled: SqliteStore, db_path: Path, tmp_path: Path) -> None:
    desk = StaffDesk(filled, "Desk A")
    code = next(a.code for a in filled.attendees() if a.last_name == "Přikryl")
    desk.check_in(code, prague(DAY1, 9, 14))
    out = tmp_path / "export.xlsx"
    report = export_checkins(filled, CheckinFiles(), out, "xlsx", protected_paths=[db_path])
    assert report.rows == len(filled.attendees()) and report.path == out.resolve()
    sheet = openpyxl.load_workbook(out).active
    found = [line for line in sheet.iter_rows(values_only=True) if line[1] == "000412387761"]
    assert [line[7:9] for line in found] == [("2023-10-23T09:14:00+02:00", "Desk A")]
    with pytest.raises(UnsafeOutputError):
        export_checkins(filled, CheckinFiles(), db_path, "csv", protected_paths=[db_path])


def test_a_link_at_the_path_is_replaced_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    link = tmp_path / "checkins.json"
    link.symlink_to(elsewhere)
    CheckinFiles().write_checkins(link, "json", DAYS, ROWS, [])
    assert not link.is_symlink() and mode(link) == 0o600
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
