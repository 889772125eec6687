"""The exception desk's actions: walk-ins typed by staff, corrected names, one attendee's detail."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.detail import Attention, attendee_detail
from kiosk.core.errors import InvalidInputError
from kiosk.core.events import new_event
from kiosk.core.model import Attendee, EntryKind, JournalEntry, new_entry_uuid
from kiosk.core.people import PersonProblem, check_person
from kiosk.core.signing import looks_like_kiosk_code
from kiosk.workflows.staff import EditStatus, StaffDesk
from tests.conftest import DAY1, DAY2, person, prague
from tests.fakes import MemoryStore

AnyStore = MemoryStore | SqliteStore


def printed(store: SqliteStore, attendee_id: str, hour: int = 8) -> JournalEntry:
    """A `print` entry as the print worker journals a badge CUPS finished."""
    return store.append(
        JournalEntry(new_entry_uuid(), EntryKind.PRINT, "Desk A", prague(DAY1, hour),
                     day=DAY1, attendee_id=attendee_id, data={"layout": "a6", "reason": "checkin"})
    )  # fmt: skip


def test_the_desk_cleans_what_staff_type_and_says_which_field_is_wrong() -> None:
    details, problems = check_person(
        " Jana\u200b ",
        "Nova\u0301kova\u0301\x07",
        organisation="ČVUT\tv Praze",
        email="Jana@CVUT.cz ",
    )
    assert (details.first_name, details.last_name) == ("Jana", "Nováková")
    assert details.organisation == "ČVUT v Praze" and details.email == "jana@cvut.cz"
    assert problems == ()
    _, problems = check_person("\x00", " ", email="jana at cvut")
    assert [(p.field, p.problem) for p in problems] == [
        ("last_name", PersonProblem.NO_NAME),
        ("email", PersonProblem.NOT_AN_EMAIL),
    ]
    _, problems = check_person("A" * 201, "B")
    assert [(p.field, p.problem) for p in problems] == [("first_name", PersonProblem.TOO_LONG)]


def test_a_walk_in_is_stored_as_cleaned_and_a_bad_e_mail_is_refused(desk: StaffDesk) -> None:
    walk_in = desk.walk_in("Přemysl\x1b", "Šťastný ", email="PS@example.CZ", category="")
    assert walk_in.attendee.full_name == "Přemysl Šťastný"
    assert walk_in.attendee.email == "ps@example.cz"
    assert walk_in.attendee.category == "Participant"
    with pytest.raises(InvalidInputError, match="email"):
        desk.walk_in("Jana", "Nová", email="jana@")
    with pytest.raises(InvalidInputError, match="last_name: a first or last name"):
        desk.walk_in(" ", "\t")


def test_the_categories_to_choose_from_are_those_registered(desk: StaffDesk) -> None:
    desk.walk_in("Jana", "Nová", category="Press")
    assert desk.categories() == ["Participant", "Press", "Speaker"]


def test_a_corrected_name_is_a_journal_entry_and_is_found_by_search(desk: StaffDesk) -> None:
    kuhr = person(desk.store, "Kühr")
    result = desk.edit_attendee(kuhr.id, first_name="Luděk ", last_name="Kühr-Nový")
    assert result.status is EditStatus.EDITED and result.changed == ("last_name",)
    assert result.attendee is not None and result.attendee.full_name == "Luděk Kühr-Nový"
    assert result.attendee.organisation == kuhr.organisation  # not given: kept
    assert result.attendee.codes == kuhr.codes and result.attendee.email == kuhr.email
    entry = result.entry
    assert entry is not None and entry.kind is EntryKind.REGISTRATION
    assert entry.data["attendee"]["last_name"] == "Kühr-Nový"
    assert entry.data["edited"] == ["last_name"] and entry.data["source"] == "import"
    assert entry in desk.store.journal()
    assert [a.id for a in desk.search("kuhr-novy")] == [kuhr.id]
    assert desk.check_in(kuhr.code).attendee.last_name == "Kühr-Nový"  # type: ignore[union-attr]


def test_a_correction_that_changes_nothing_or_names_nobody_writes_nothing(
    desk: StaffDesk,
) -> None:
    kuhr = person(desk.store, "Kühr")
    before = len(desk.store.journal())
    assert desk.edit_attendee(kuhr.id, first_name=" Luděk").status is EditStatus.UNCHANGED
    assert desk.edit_attendee("NOSUCHPERSON1", last_name="X").status is EditStatus.NOT_FOUND
    with pytest.raises(InvalidInputError, match="last_name"):
        desk.edit_attendee(kuhr.id, first_name="", last_name="")
    assert len(desk.store.journal()) == before


def test_a_corrected_walk_in_keeps_its_kiosk_code(desk: StaffDesk) -> None:
    walk_in = desk.walk_in("Jana", "Novakova")
    result = desk.edit_attendee(walk_in.attendee.id, last_name="Nováková", organisation="ČVUT")
    assert result.entry is not None and result.entry.data["source"] == "walkin"
    assert desk.check_in(walk_in.code).attendee.full_name == "Jana Nováková"  # type: ignore[union-attr]
    assert desk.attendee_detail(walk_in.attendee.id).walk_in  # type: ignore[union-attr]


def test_correcting_a_printed_badge_asks_for_a_reprint(filled: SqliteStore) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    kuhr = person(filled, "Kühr")
    assert not desk.edit_attendee(kuhr.id, organisation="Klastr, z. s.").reprint  # no badge yet
    printed(filled, kuhr.id)
    result = desk.edit_attendee(kuhr.id, organisation="Klastr Nanoprogress, z. s.")
    assert result.reprint and filled.attendee(kuhr.id).reprint  # type: ignore[union-attr]
    detail = desk.attendee_detail(kuhr.id)
    assert detail is not None and Attention.REPRINT in detail.attention


def test_a_correction_reaches_another_kiosk_and_the_newest_record_wins(
    filled: SqliteStore, tmp_path: Path
) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    kuhr = person(filled, "Kühr")
    printed(filled, kuhr.id)
    walk_in = desk.walk_in("Jana", "Novakova")
    fixed_walk_in = desk.edit_attendee(walk_in.attendee.id, last_name="Nováková")
    fixed = desk.edit_attendee(kuhr.id, first_name="Ludvík")
    assert fixed.entry is not None and fixed_walk_in.entry is not None
    with SqliteStore(tmp_path / "other.sqlite3") as other:
        other.create_event(filled.event(), None)
        # The corrections arrive first, the walk-in and the import after them.
        journal = filled.journal()
        early = [fixed.entry, fixed_walk_in.entry]
        report = other.merge([*early, *(e for e in journal if e not in early)])
        assert not report.conflicts
        assert other.attendee(kuhr.id).first_name == "Ludvík"  # type: ignore[union-attr]
        assert other.attendee(kuhr.id).reprint  # type: ignore[union-attr]
        there = StaffDesk(other, "Desk B", FixedClock(prague(DAY1, 10)))
        answer = there.check_in(walk_in.code)
        assert answer.status == "ok" and answer.attendee.last_name == "Nováková"  # type: ignore[union-attr]
        assert looks_like_kiosk_code(other.attendee(walk_in.attendee.id).code)  # type: ignore[union-attr]
        assert walk_in.code not in other.registered()  # still a walk-in, not an import
        # A correction made later at the other kiosk wins at both, whatever the order.
        later = there.edit_attendee(kuhr.id, first_name="Luděk")
        assert later.entry is not None
        filled.merge([later.entry])
    assert filled.attendee(kuhr.id).first_name == "Luděk"  # type: ignore[union-attr]


def test_the_detail_shows_each_day_its_first_check_in_and_the_prints(
    store: AnyStore, clock: FixedClock
) -> None:
    desk = StaffDesk(store, "Desk A", clock)
    druha = person(store, "Druhá")  # admitted on day 2 only
    kuhr = person(store, "Kühr")
    desk.check_in(kuhr.code, prague(DAY1, 8, 41))
    desk.check_in(kuhr.code, prague(DAY1, 9, 30))  # already: not a second arrival
    undone = desk.check_in(kuhr.code, prague(DAY2, 8))
    desk.undo(kuhr.code, prague(DAY2, 8, 1))
    assert undone.entry is not None
    StaffDesk(store, "Door", clock).check_in(kuhr.code, prague(DAY2, 10, 15))
    detail = desk.attendee_detail(kuhr.id)
    assert detail is not None and detail.attendee.id == kuhr.id
    days = [(p.day, p.admits, p.first.at if p.first else None) for p in detail.presence]
    assert days == [(DAY1, True, prague(DAY1, 8, 41)), (DAY2, True, prague(DAY2, 10, 15))]
    assert detail.presence[1].first.station == "Door"  # type: ignore[union-attr]
    assert [e.kind for e in detail.records] == [EntryKind.REGISTRATION]
    assert detail.attention == () and not detail.walk_in
    other = desk.attendee_detail(druha.id)
    assert other is not None and other.attention == (Attention.NOT_TODAY,)
    assert [(p.day, p.admits, p.first) for p in other.presence] == [
        (DAY1, False, None),
        (DAY2, True, None),
    ]
    assert desk.attendee_detail("NOSUCHPERSON1") is None


def test_the_detail_lists_badge_prints_notes_and_a_cancellation(filled: SqliteStore) -> None:
    desk = StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))
    zruseny = person(filled, "Zrušený")
    first, second = printed(filled, zruseny.id, 8), printed(filled, zruseny.id, 10)
    detail = desk.attendee_detail(zruseny.id)
    assert detail is not None and detail.prints == (first, second)
    assert detail.attention == (Attention.CANCELLED,)


def test_a_note_column_from_the_registration_needs_attention() -> None:
    event, _ = new_event("E", "Europe/Prague", [DAY1, DAY2])
    attendee = Attendee(
        "A", "Jana", "Nová", extra={"Poznámka": "vozíčkář", "T-shirt": "M", "Diet": " "}
    )
    detail = attendee_detail(attendee, event, [], DAY1)
    assert detail.notes == (("Poznámka", "vozíčkář"),) and detail.extra == (("T-shirt", "M"),)
    assert detail.attention == (Attention.NOTES,)
