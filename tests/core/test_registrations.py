"""The import planner's matching and clash rules, on plain records: no file, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from kiosk.core.model import Attendee, AttendeeStatus, EntryKind, JournalEntry
from kiosk.core.registrations import Registration, import_baselines, plan_import


def row(
    number: int, code: str, last: str, rid: str | None = None, **fields: object
) -> Registration:
    return Registration(
        row=number, code=code, first_name="A", last_name=last, registration_id=rid, **fields
    )


def stored(*rows: Registration) -> dict[str, Attendee]:
    plan = plan_import({}, rows)
    assert not plan.errors
    return {attendee.code: attendee for attendee in plan.added}


def test_a_new_row_is_added_and_the_same_row_again_is_unchanged() -> None:
    existing = stored(row(2, "c1", "Kühr", "R1"))
    plan = plan_import(existing, [row(2, "c1", "Kühr", "R1"), row(3, "c2", "Přikryl", "R2")])
    assert [a.last_name for a in plan.added] == ["Přikryl"]
    assert plan.unchanged == 1 and not plan.updated and not plan.errors


def test_a_reissued_code_under_the_same_registration_id_updates_that_person() -> None:
    existing = stored(row(2, "old", "Kühr", "R1"))
    plan = plan_import(existing, [row(2, "new", "Kühr", "R1")])
    (updated,) = plan.updated
    assert updated.id == existing["old"].id and updated.code == "new"


def test_the_same_code_twice_in_a_file_is_an_error_on_the_later_row() -> None:
    plan = plan_import({}, [row(2, "c1", "Kühr"), row(5, "c1", "Přikryl")])
    assert [a.last_name for a in plan.added] == ["Kühr"]
    assert [(e.row, e.field) for e in plan.errors] == [(5, "code")]


def test_the_same_registration_id_twice_is_an_error_on_the_later_row() -> None:
    plan = plan_import({}, [row(2, "c1", "Kühr", "R1"), row(3, "c2", "Přikryl", "R1")])
    assert [(e.row, e.field) for e in plan.errors] == [(3, "registration_id")]


def test_a_code_never_moves_to_another_registration() -> None:
    existing = stored(row(2, "c1", "Kühr", "R1"))
    plan = plan_import(existing, [row(2, "c1", "Vrabčeková", "R2")])
    assert not plan.added and not plan.updated
    assert [(e.row, e.field) for e in plan.errors] == [(2, "code")]
    assert "R1" in plan.errors[0].message


def test_a_code_that_lost_its_leading_zeros_is_an_error_not_a_new_person() -> None:
    existing = stored(row(2, "000412387761", "Přikryl"))
    plan = plan_import(existing, [row(2, "412387761", "Přikryl")], cancel_missing=True)
    assert not plan.added
    assert "leading zeros" in plan.errors[0].message
    # The damaged row still names the attendee, so --cancel-missing does not cancel them.
    assert not plan.cancelled


def test_cancel_missing_cancels_only_whom_a_clean_file_leaves_out() -> None:
    existing = stored(row(2, "c1", "Kühr"), row(3, "c2", "Přikryl"))
    plan = plan_import(existing, [row(2, "c1", "Kühr")], cancel_missing=True)
    assert [(a.last_name, a.status) for a in plan.cancelled] == [
        ("Přikryl", AttendeeStatus.CANCELLED)
    ]
    skipped = plan_import(existing, [row(2, "c1", "Kühr")], cancel_missing=True, skipped=1)
    assert not skipped.cancelled
    assert skipped.errors[-1].row == 1 and "--cancel-missing" in skipped.errors[-1].message


def test_a_row_that_cancels_counts_as_cancelled_not_updated() -> None:
    existing = stored(row(2, "c1", "Kühr"))
    plan = plan_import(existing, [row(2, "c1", "Kühr", status=AttendeeStatus.CANCELLED)])
    assert [a.id for a in plan.cancelled] == [existing["c1"].id] and not plan.updated


def test_kiosk_issued_codes_survive_a_reissued_registration_code() -> None:
    existing = stored(row(2, "old", "Kühr", "R1"))
    before = existing["old"]
    with_kiosk_code = replace(before, codes=(*before.codes, "K1:ABCDEF"))
    plan = plan_import({"old": with_kiosk_code}, [row(2, "new", "Kühr", "R1")])
    assert plan.updated[0].codes == ("new", "K1:ABCDEF")


def _record(attendee: Attendee, **data: object) -> JournalEntry:
    return JournalEntry(
        uuid=f"u-{len(data)}-{attendee.last_name}",
        kind=EntryKind.REGISTRATION,
        station="Desk A",
        at=datetime(2023, 10, 23, 8, tzinfo=UTC),
        attendee_id=attendee.id,
        code=attendee.code,
        data={"attendee": attendee.record(), **data},
    )


def test_the_baseline_of_a_corrected_attendee_is_what_the_registration_system_last_gave():
    given = Attendee(
        id="A1", first_name="Jana", last_name="Dvorak", code="C1", codes=("C1",),
        category="Participant",
    )  # fmt: skip
    fixed = replace(given, last_name="Dvořáková")
    other = Attendee(id="A2", first_name="Petr", last_name="Přikryl", code="C2", codes=("C2",))
    entries = [_record(given, **{"import": "i1"}), _record(fixed, edited=["last_name"]),
               _record(other, **{"import": "i1"})]  # fmt: skip
    assert import_baselines(entries) == {"A1": given}  # A2 was never corrected
    # An import that kept the correction names the file's record: the new baseline.
    newer = replace(given, email="jana@example.cz")
    kept = _record(replace(fixed, email=newer.email), given=newer.record(), **{"import": "i2"})
    assert import_baselines([*entries, kept]) == {"A1": newer}
    # An import that took the file's record as it is ends the correction.
    assert import_baselines([*entries, _record(newer, **{"import": "i3"})]) == {}


def test_a_row_keeps_a_desk_correction_and_takes_only_what_the_file_changed_since():
    given = Attendee(
        id="A1", first_name="Jana", last_name="Dvorak", code="C1", codes=("C1",),
        category="Participant",
    )  # fmt: skip
    fixed = replace(given, last_name="Dvořáková")
    row = Registration(row=2, code="C1", first_name="Jana", last_name="Dvorak")
    same = plan_import({"C1": fixed}, [row], baselines={"A1": given})
    assert not same.changes and same.unchanged == 1
    moved = replace(row, email="jana@example.cz")
    plan = plan_import({"C1": fixed}, [moved], baselines={"A1": given})
    assert [(a.last_name, a.email) for a in plan.updated] == [("Dvořáková", "jana@example.cz")]
    assert plan.given["A1"].last_name == "Dvorak"  # the file's record, the next baseline
    renamed = plan_import({"C1": fixed}, [replace(row, last_name="Malá")], baselines={"A1": given})
    assert [a.last_name for a in renamed.updated] == ["Malá"] and renamed.given == {}
