"""The check-in export's rows, computed from attendees and a journal held in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.errors import InvalidInputError
from kiosk.core.export import (
    CheckinRow,
    DayCheckin,
    ExportFormat,
    checkin_rows,
    export_format,
    header,
    parse_since,
)
from kiosk.core.model import (
    Attendee,
    AttendeeStatus,
    EntryKind,
    Event,
    JournalEntry,
    new_entry_uuid,
)
from kiosk.workflows.export import export_checkins
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, DAY2, person, prague
from tests.fakes import MemoryStore

EVENT = Event(id="ev1", name="Clusters", timezone="Europe/Prague", days=(DAY1, DAY2))
KUHR = Attendee(
    id="A1",
    first_name="Luděk",
    last_name="Kühr",
    code="000412",
    codes=("000412",),
    organisation="Klastr Nanoprogress",
    category="Speaker",
    registration_id="R-1",
)
ZRUSENY = Attendee(
    id="A2",
    first_name="Jan",
    last_name="Zrušený",
    code="cancelled01",
    status=AttendeeStatus.CANCELLED,
    registration_id="R-2",
)
WALKIN = Attendee(id="W1", first_name="Jana", last_name="Nováková", code="K1:ABCD")
PEOPLE = [KUHR, ZRUSENY, WALKIN]


def entry(
    kind: EntryKind,
    attendee: Attendee | None,
    at: datetime,
    *,
    station: str = "Desk A",
    origin: str = "kiosk-a",
    seq: int = 1,
    ref: str | None = None,
    day: date | None = None,
) -> JournalEntry:
    return JournalEntry(
        uuid=new_entry_uuid(),
        kind=kind,
        station=station,
        at=at.astimezone(UTC),
        day=day or EVENT.day_of(at),
        attendee_id=attendee.id if attendee else None,
        code=attendee.code if attendee else None,
        ref=ref,
        seq=seq,
        origin=origin,
    )


def checkin(attendee: Attendee, at: datetime, **kwargs: object) -> JournalEntry:
    return entry(EntryKind.CHECKIN, attendee, at, **kwargs)  # type: ignore[arg-type]


def undo(of: JournalEntry, at: datetime, *, named: bool = True) -> JournalEntry:
    return JournalEntry(
        uuid=new_entry_uuid(),
        kind=EntryKind.UNDO,
        station="Desk B",
        at=at.astimezone(UTC),
        day=of.day,
        attendee_id=of.attendee_id if named else None,
        ref=of.uuid,
        seq=99,
        origin="kiosk-b",
    )


def only(rows: Sequence[CheckinRow], attendee: Attendee) -> CheckinRow:
    (row,) = [r for r in rows if r.code == attendee.code]
    return row


def test_everyone_is_a_row_in_the_given_order_cancelled_and_walk_ins_included() -> None:
    rows = checkin_rows(EVENT, PEOPLE, [])
    assert [row.code for row in rows] == ["000412", "cancelled01", "K1:ABCD"]
    kuhr, cancelled, walk_in = rows
    assert kuhr == CheckinRow(
        registration_id="R-1",
        code="000412",
        first_name="Luděk",
        last_name="Kühr",
        organisation="Klastr Nanoprogress",
        category="Speaker",
        status="active",
        days=(DayCheckin(DAY1), DayCheckin(DAY2)),
        prints=0,
    )
    assert cancelled.status == "cancelled"
    assert walk_in.registration_id == ""


def test_first_checkin_of_each_day_by_time_whatever_the_journal_order() -> None:
    journal = [
        checkin(KUHR, prague(DAY1, 9, 30), station="Desk B", seq=2),
        checkin(KUHR, prague(DAY1, 8, 15), station="Desk A", origin="kiosk-z", seq=7),
        checkin(KUHR, prague(DAY2, 10), station="Desk C", seq=3),
    ]
    row = only(checkin_rows(EVENT, PEOPLE, journal), KUHR)
    assert row.days == (
        DayCheckin(DAY1, prague(DAY1, 8, 15), "Desk A"),
        DayCheckin(DAY2, prague(DAY2, 10), "Desk C"),
    )
    # Shown in the event's time zone, with its offset, whatever zone the entry was stored in.
    assert row.to_dict()["days"][0] == {
        "day": "2023-10-23",
        "first_at": "2023-10-23T08:15:00+02:00",
        "station": "Desk A",
    }


def test_an_undone_checkin_no_longer_counts() -> None:
    early = checkin(KUHR, prague(DAY1, 8))
    later = checkin(KUHR, prague(DAY1, 9), station="Desk B", seq=2)
    day2 = checkin(KUHR, prague(DAY2, 8), seq=3)
    journal = [early, later, day2, undo(early, prague(DAY1, 8, 5)), undo(day2, prague(DAY2, 9))]
    row = only(checkin_rows(EVENT, PEOPLE, journal), KUHR)
    assert row.days == (DayCheckin(DAY1, prague(DAY1, 9), "Desk B"), DayCheckin(DAY2))
    assert row.cells()[7:11] == ["2023-10-23T09:00:00+02:00", "Desk B", "", ""]


def test_an_undo_from_another_day_or_attendee_cancels_only_the_checkin_it_names() -> None:
    kuhr = checkin(KUHR, prague(DAY1, 8))
    other = checkin(ZRUSENY, prague(DAY1, 8))
    rows = checkin_rows(EVENT, PEOPLE, [kuhr, other, undo(other, prague(DAY2, 8))])
    assert only(rows, KUHR).days[0].first_at == prague(DAY1, 8)
    assert only(rows, ZRUSENY).days[0] == DayCheckin(DAY1)


def test_same_time_ties_go_to_the_lower_origin_then_the_lower_number() -> None:
    at = prague(DAY1, 9)
    by_origin = [
        checkin(KUHR, at, station="Desk B", origin="kiosk-b", seq=1),
        checkin(KUHR, at, station="Desk A", origin="kiosk-a", seq=5),
    ]
    assert only(checkin_rows(EVENT, PEOPLE, by_origin), KUHR).days[0].station == "Desk A"
    by_number = [
        checkin(KUHR, at, station="Third", seq=3),
        checkin(KUHR, at, station="Second", seq=2),
    ]
    assert only(checkin_rows(EVENT, PEOPLE, by_number), KUHR).days[0].station == "Second"


def test_prints_are_counted_and_do_not_check_anyone_in() -> None:
    journal = [
        entry(EntryKind.PRINT, WALKIN, prague(DAY1, 8), seq=1),
        entry(EntryKind.PRINT, WALKIN, prague(DAY1, 8, 1), seq=2),
        entry(EntryKind.WALKIN, WALKIN, prague(DAY1, 7, 59), seq=3),
    ]
    row = only(checkin_rows(EVENT, PEOPLE, journal), WALKIN)
    assert row.prints == 2 and row.days == (DayCheckin(DAY1), DayCheckin(DAY2))
    assert only(checkin_rows(EVENT, PEOPLE, journal), KUHR).prints == 0


def test_checkins_outside_the_event_days_and_of_unknown_attendees_are_left_out() -> None:
    stranger = Attendee(id="X9", first_name="Not", last_name="Synced", code="x9")
    journal = [
        checkin(KUHR, prague(date(2023, 10, 22), 9)),
        checkin(stranger, prague(DAY1, 9)),
    ]
    rows = checkin_rows(EVENT, PEOPLE, journal)
    assert len(rows) == 3
    assert only(rows, KUHR).days == (DayCheckin(DAY1), DayCheckin(DAY2))


def test_since_keeps_attendees_with_a_checkin_undo_or_print_at_or_after_it() -> None:
    kuhr = checkin(KUHR, prague(DAY1, 9))
    cancelled = checkin(ZRUSENY, prague(DAY1, 8))
    journal = [
        kuhr,
        cancelled,
        undo(cancelled, prague(DAY1, 11)),
        entry(EntryKind.PRINT, WALKIN, prague(DAY1, 12), seq=3),
    ]

    def codes(since: datetime) -> list[str]:
        return [row.code for row in checkin_rows(EVENT, PEOPLE, journal, since)]

    assert codes(prague(DAY1, 9)) == ["000412", "cancelled01", "K1:ABCD"]  # at counts
    assert codes(prague(DAY1, 9, 0, 1)) == ["cancelled01", "K1:ABCD"]
    assert codes(prague(DAY1, 11, 30)) == ["K1:ABCD"]
    assert codes(prague(DAY1, 12, 0, 1)) == []
    # The same instant in UTC, and without an offset: the event's time.
    assert codes(datetime(2023, 10, 23, 7, 0, 1, tzinfo=UTC)) == ["cancelled01", "K1:ABCD"]
    assert codes(datetime(2023, 10, 23, 9, 0, 1)) == ["cancelled01", "K1:ABCD"]
    assert codes(datetime(2023, 10, 23, 9, 0)) == ["000412", "cancelled01", "K1:ABCD"]


def test_since_finds_the_attendee_of_an_undo_that_does_not_name_one() -> None:
    early = checkin(KUHR, prague(DAY1, 8))
    journal = [early, undo(early, prague(DAY1, 10), named=False)]
    rows = checkin_rows(EVENT, PEOPLE, journal, prague(DAY1, 9))
    assert [row.code for row in rows] == ["000412"]
    assert rows[0].days[0] == DayCheckin(DAY1)


def test_since_out_of_range_is_an_input_error() -> None:
    with pytest.raises(InvalidInputError, match="--since"):
        checkin_rows(EVENT, PEOPLE, [], datetime(1, 1, 1, 0, 30))


def test_the_flat_table_has_a_time_and_station_pair_per_event_day() -> None:
    assert header(EVENT.days) == [
        "registration_id",
        "code",
        "first_name",
        "last_name",
        "organisation",
        "category",
        "status",
        "first_at_2023-10-23",
        "station_2023-10-23",
        "first_at_2023-10-24",
        "station_2023-10-24",
        "prints",
    ]
    (row,) = checkin_rows(EVENT, [KUHR], [checkin(KUHR, prague(DAY2, 8, 0, 30), station="B")])
    assert row.cells() == [
        "R-1",
        "000412",
        "Luděk",
        "Kühr",
        "Klastr Nanoprogress",
        "Speaker",
        "active",
        "",
        "",
        "2023-10-24T08:00:30+02:00",
        "B",
        0,
    ]
    assert row.to_dict() == {
        "registration_id": "R-1",
        "code": "000412",
        "first_name": "Luděk",
        "last_name": "Kühr",
        "organisation": "Klastr Nanoprogress",
        "category": "Speaker",
        "status": "active",
        "days": [
            {"day": "2023-10-23", "first_at": None, "station": None},
            {"day": "2023-10-24", "first_at": "2023-10-24T08:00:30+02:00", "station": "B"},
        ],
        "prints": 0,
    }


def test_format_and_since_are_checked() -> None:
    assert export_format(" XLSX ") is ExportFormat.XLSX
    with pytest.raises(InvalidInputError, match=r"--format: 'ods' is not one of csv, json, xlsx"):
        export_format("ods")
    assert parse_since("2023-10-23T09:00") == datetime(2023, 10, 23, 9)
    assert parse_since("2023-10-23T09:00Z").tzinfo is not None
    with pytest.raises(InvalidInputError, match="--since: 'yesterday'"):
        parse_since("yesterday")


class RecordingWriter:
    """Keeps what the workflow asked to write."""

    def __init__(self) -> None:
        self.calls: list[tuple[Path, str, tuple[date, ...], list[CheckinRow], list[Path]]] = []

    def write_checkins(
        self,
        path: Path,
        format: ExportFormat | str,
        days: Sequence[date],
        rows: Sequence[CheckinRow],
        protected: Sequence[Path],
    ) -> Path:
        self.calls.append((path, str(format), tuple(days), list(rows), list(protected)))
        return path


def test_the_desk_journal_exports_through_the_workflow(
    store: MemoryStore | SqliteStore, desk: StaffDesk, clock: FixedClock
) -> None:
    kuhr, prikryl = person(store, "Kühr"), person(store, "Přikryl")
    desk.check_in(kuhr.code, prague(DAY1, 8, 50))
    desk.check_in(prikryl.code, prague(DAY1, 9))
    desk.undo(prikryl.code, prague(DAY1, 9, 5))
    clock.set(prague(DAY2, 8))
    StaffDesk(desk.store, "Desk B", clock).check_in(kuhr.code)
    walk_in = desk.walk_in("Jana", "Nováková", organisation="=cmd|' /C calc'!A0")
    desk.check_in(walk_in.code, prague(DAY2, 8, 5))

    writer = RecordingWriter()
    report = export_checkins(
        desk.store,
        writer,
        Path("out.csv"),
        "csv",
        since=datetime(2023, 10, 23, 9, 1),  # the event's time: Kühr's day-1 scan is before
        protected_paths=[Path("kiosk.sqlite3")],
    )
    assert report.rows == 3 and report.format is ExportFormat.CSV
    assert report.to_dict() == {
        "file": "out.csv",
        "format": "csv",
        "rows": 3,
        "since": "2023-10-23T09:01:00+02:00",
    }
    ((path, fmt, days, rows, protected),) = writer.calls
    assert (path, fmt, days, protected) == (
        Path("out.csv"),
        "csv",
        (DAY1, DAY2),
        [Path("kiosk.sqlite3")],
    )
    by_name = {row.last_name: row for row in rows}
    assert set(by_name) == {"Kühr", "Přikryl", "Nováková"}
    assert by_name["Kühr"].days == (
        DayCheckin(DAY1, prague(DAY1, 8, 50), "Desk A"),
        DayCheckin(DAY2, prague(DAY2, 8), "Desk B"),
    )
    assert by_name["Přikryl"].days == (DayCheckin(DAY1), DayCheckin(DAY2))
    walked_in = by_name["Nováková"]
    assert walked_in.registration_id == "" and walked_in.code == walk_in.code
    assert walked_in.days[1] == DayCheckin(DAY2, prague(DAY2, 8, 5), "Desk A")
    assert walked_in.organisation == "=cmd|' /C calc'!A0"  # the core keeps it raw

    everyone = export_checkins(desk.store, writer, Path("all.json"), ExportFormat.JSON)
    assert everyone.rows == len(desk.store.attendees())
    cancelled = next(row for row in writer.calls[-1][3] if row.last_name == "Zrušený")
    assert cancelled.status == "cancelled"
    with pytest.raises(InvalidInputError, match="--format"):
        export_checkins(desk.store, writer, Path("x.ods"), "ods")


def test_rows_come_out_in_surname_order_with_days_in_event_time(
    store: MemoryStore | SqliteStore, desk: StaffDesk
) -> None:
    desk.check_in(person(store, "Kühr").code, prague(DAY1, 23, 59) - timedelta(minutes=1))
    rows = checkin_rows(desk.event, desk.store.attendees(), desk.store.journal())
    assert [row.last_name for row in rows] == [a.last_name for a in desk.store.attendees()]
    assert only(rows, person(store, "Kühr")).to_dict()["days"][0]["first_at"] == (
        "2023-10-23T23:58:00+02:00"
    )
