"""The shared journal folder: own file only, half-written lines wait, other events refused."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.adapters.journal_folder import (
    MARKER,
    DuplicateKioskError,
    JournalFolder,
    WrongEventFolderError,
    _numbers,
    _numbers_of_lines,
)
from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.journal import entry_to_dict, hlc_of
from kiosk.core.model import EntryKind, Event, JournalEntry, new_entry_uuid
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from kiosk.workflows.sync import sync_journal
from tests.conftest import DAY1, PEOPLE, prague

ME, OTHER, THIRD = "1111111111111111", "2222222222222222", "3333333333333333"


def entry(origin: str, seq: int) -> JournalEntry:
    at = prague(DAY1, 9, seq)
    return JournalEntry(new_entry_uuid(), EntryKind.CHECKIN, "Desk", at, DAY1, "A", "c",
                        origin=origin, seq=seq, hlc=hlc_of(at))  # fmt: skip


@pytest.fixture
def event(event_and_keys: tuple[Event, EventKeys]) -> Event:
    return event_and_keys[0]


def test_a_kiosk_appends_only_what_it_has_not_published(tmp_path: Path, event: Event) -> None:
    folder = JournalFolder(tmp_path, event)
    mine = [entry(ME, 1), entry(ME, 2), entry(ME, 3)]
    assert folder.publish(ME, mine[:2]) == 2
    assert folder.publish(ME, mine) == 1
    # A new instance (a restarted kiosk) reads its file to know where it stands.
    assert JournalFolder(tmp_path, event).publish(ME, mine) == 0
    lines = (tmp_path / f"{ME}.journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3]
    assert list(JournalFolder(tmp_path, event).collect(ME)) == []


def test_a_half_written_line_waits_and_a_broken_one_is_skipped(
    tmp_path: Path, event: Event
) -> None:
    theirs = tmp_path / f"{OTHER}.journal.jsonl"
    first, second, third = entry(OTHER, 1), entry(OTHER, 2), entry(OTHER, 3)
    line = json.dumps(entry_to_dict(second))
    theirs.write_text(
        json.dumps(entry_to_dict(first)) + "\n{not json\n" + line[:30], encoding="utf-8"
    )
    folder = JournalFolder(tmp_path, event)
    assert [e.seq for e in folder.collect(ME)] == [1]
    folder.collected()
    with theirs.open("a", encoding="utf-8") as file:  # the rest arrives
        file.write(line[30:] + "\n" + json.dumps(entry_to_dict(third)) + "\n")
    assert [e.seq for e in folder.collect(ME)] == [2, 3]  # only what is new
    assert [e.seq for e in JournalFolder(tmp_path, event).collect(ME)] == [1, 2, 3]


def test_another_event_s_folder_is_refused(tmp_path: Path, event: Event) -> None:
    JournalFolder(tmp_path, replace(event, id="OTHEREVT", name="Golden Cluster Gala")).publish(
        OTHER, [entry(OTHER, 1)]
    )
    with pytest.raises(WrongEventFolderError, match="Golden Cluster Gala"):
        list(JournalFolder(tmp_path, event).collect(ME))
    with pytest.raises(WrongEventFolderError):
        JournalFolder(tmp_path, event).publish(ME, [entry(ME, 1)])
    assert json.loads((tmp_path / MARKER).read_text(encoding="utf-8"))["event_id"] == "OTHEREVT"


def test_lines_of_another_event_are_skipped(tmp_path: Path, event: Event) -> None:
    JournalFolder(tmp_path, event).check_event()
    stray = {**entry_to_dict(entry(OTHER, 1)), "event": "OTHEREVT"}
    ours = {**entry_to_dict(entry(OTHER, 2)), "event": event.id}
    (tmp_path / f"{OTHER}.journal.jsonl").write_text(
        json.dumps(stray) + "\n" + json.dumps(ours) + "\n", encoding="utf-8"
    )
    assert [e.seq for e in JournalFolder(tmp_path, event).collect(ME)] == [2]


def test_an_entry_travels_unchanged(tmp_path: Path, event: Event) -> None:
    sent = entry(OTHER, 1)
    JournalFolder(tmp_path, event).publish(OTHER, [sent])
    assert list(JournalFolder(tmp_path, event).collect(ME)) == [sent]


def test_a_copied_database_writing_as_this_kiosk_is_refused(tmp_path: Path, event: Event) -> None:
    mine = [entry(ME, 1), entry(ME, 2)]
    assert JournalFolder(tmp_path, event).publish(ME, mine) == 2
    assert JournalFolder(tmp_path, event).publish(ME, mine) == 0
    copy = [mine[0], entry(ME, 2)]  # the same kiosk id, another second entry
    with pytest.raises(DuplicateKioskError, match="copied"):
        JournalFolder(tmp_path, event).publish(ME, copy)


def test_the_folder_says_how_far_it_has_our_entries_so_an_exchange_reads_only_the_rest(
    tmp_path: Path, event: Event
) -> None:
    folder = JournalFolder(tmp_path, event)
    assert folder.published(ME) == 0  # nothing seen yet: it wants every entry, to check them
    mine = [entry(ME, 1), entry(ME, 2), entry(ME, 3)]
    folder.publish(ME, mine[:2])
    assert folder.published(ME) == 2
    assert folder.publish(ME, mine[2:]) == 1
    assert folder.published(ME) == 3
    assert [e.seq for e in JournalFolder(tmp_path, event).collect(OTHER)] == [1, 2, 3]


def test_a_desk_exchanging_again_reads_and_publishes_only_its_new_entries(
    tmp_path: Path, filled: SqliteStore
) -> None:
    folder = JournalFolder(tmp_path / "sync", filled.event())
    kiosk_id = filled.kiosk_id()
    assert folder.published(kiosk_id) == 0  # a new instance wants every entry, to check them
    first = sync_journal(filled, folder)
    mine = filled.entries_since(kiosk_id)
    assert first.published == len(mine)
    assert folder.published(kiosk_id) == mine[-1].seq
    assert folder.published(OTHER) == 0
    StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9))).check_in(PEOPLE[0].code)
    second = sync_journal(filled, folder)
    assert second.published == 1
    lines = (tmp_path / "sync" / f"{kiosk_id}.journal.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [e.seq for e in mine] + [mine[-1].seq + 1]
    # A copy of this database writing as this kiosk is still caught by a new instance.
    with pytest.raises(DuplicateKioskError):
        JournalFolder(tmp_path / "sync", filled.event()).publish(
            kiosk_id, [replace(e, uuid=new_entry_uuid()) for e in mine]
        )


def test_an_own_file_is_read_for_its_numbers_alike_line_by_line_or_as_json(
    tmp_path: Path, event: Event
) -> None:
    """The numbers of the lines `publish` wrote are read from their ends; a line written
    otherwise sends the whole file through the JSON reader, which skips what is no entry.
    """
    quoted = replace(entry(ME, 2), station='Desk "Vchod" \\ 2', data={"seq": 9, "uuid": "x"})
    mine = [entry(ME, 1), quoted, entry(ME, 3)]
    JournalFolder(tmp_path, event).publish(ME, mine)
    path = tmp_path / f"{ME}.journal.jsonl"
    expected = [(e.seq, e.uuid) for e in mine]
    assert _numbers(path, event.id) == expected == _numbers_of_lines(path, event.id)
    with path.open("a", encoding="utf-8") as file:  # another event's line, then a broken one
        stray = {**entry_to_dict(entry(ME, 4)), "event": "OTHEREVT"}
        file.write(json.dumps(stray, sort_keys=True) + "\n{broken\n")
    assert _numbers(path, event.id) == expected == _numbers_of_lines(path, event.id)


def test_entries_are_handed_over_again_until_they_are_said_to_be_stored(
    tmp_path: Path, event: Event
) -> None:
    JournalFolder(tmp_path, event).publish(OTHER, [entry(OTHER, 1), entry(OTHER, 2)])
    JournalFolder(tmp_path, event).publish(THIRD, [entry(THIRD, 1)])
    folder = JournalFolder(tmp_path, event)
    every = sorted((e.origin, e.seq) for e in folder.collect(ME))
    assert every == [(OTHER, 1), (OTHER, 2), (THIRD, 1)]
    # Read to the end, but the merge failed (a full disk): the next exchange gets them all.
    assert sorted((e.origin, e.seq) for e in folder.collect(ME)) == every
    folder.collected()
    assert list(folder.collect(ME)) == []
    JournalFolder(tmp_path, event).publish(OTHER, [entry(OTHER, 3)])
    assert [(e.origin, e.seq) for e in folder.collect(ME)] == [(OTHER, 3)]
