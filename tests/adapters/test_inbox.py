"""The inbox folder: only finished files, each imported once, bad ones set aside with a reason."""

from __future__ import annotations

from pathlib import Path

from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.inbox_folder import InboxFolder
from kiosk.workflows.inbox import process_inbox

HEADER = "code,first_name,last_name,organisation,country,email,category"


def test_a_file_is_ready_only_once_it_stops_changing(tmp_path: Path) -> None:
    inbox = InboxFolder(tmp_path)
    export = tmp_path / "registrace.csv"
    export.write_text(HEADER + "\n", encoding="utf-8")
    assert inbox.ready() == []  # first look: just seen
    with export.open("a", encoding="utf-8") as file:  # still being copied
        file.write("A1,Jana,Nováková,,,,\n")
    assert inbox.ready() == []
    assert inbox.ready() == [export]
    (tmp_path / "~$registrace.xlsx").write_text("lock", encoding="utf-8")
    (tmp_path / ".syncthing.x.csv.tmp").write_text("partial", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    inbox.ready()
    assert inbox.ready() == [export]


def test_each_file_is_imported_once_and_a_bad_one_is_set_aside(store, tmp_path: Path) -> None:
    inbox_dir = tmp_path / "inbox"
    inbox_dir.mkdir()
    (inbox_dir / "good.csv").write_text(
        HEADER + "\nNEW1,Jana,Nováková,ČVUT,CZ,,Participant\n", encoding="utf-8"
    )
    (inbox_dir / "notes.txt").write_text("not an export at all\n", encoding="utf-8")
    inbox = InboxFolder(inbox_dir)
    inbox.ready()
    report = process_inbox(store, CsvRegistrations(), inbox, station="Desk A")
    assert [(p.parent.name, p.name, r.added) for p, r in report.imported] == [
        ("done", "good.csv", 1)
    ]
    ((failed, reason),) = report.failed
    assert failed == inbox_dir / "failed" / "notes.txt"
    assert (inbox_dir / "failed" / "notes.txt.reason.txt").read_text(encoding="utf-8").strip()
    assert "notes.txt" in reason
    assert sorted(p.name for p in inbox_dir.iterdir()) == ["done", "failed"]
    again = process_inbox(store, CsvRegistrations(), inbox)
    assert (again.imported, again.failed) == ((), ())
    assert "NEW1" in store.registered()
