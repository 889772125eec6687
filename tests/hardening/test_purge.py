"""`kiosk purge`: after the event no name, e-mail or code is left on disk; the counts stay."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.core.text import fold
from tests.cli.test_cli import assert_failed, environment, kiosk, kiosk_json


def on_disk(db: Path) -> bytes:
    """Every byte of the database, its WAL and every file in the folder beside it."""
    found = b""
    for path in sorted(db.parent.rglob("*")):
        if path.is_file():
            found += path.read_bytes()
    return found


def test_purge_leaves_no_personal_data_and_the_same_counts(tmp_path: Path) -> None:
    db = tmp_path / "event" / "kiosk.sqlite3"
    env = environment(db, tmp_path / "xdg")
    kiosk_json(env, "demo")
    kiosk_json(env, "rehearsal", "off")
    people = kiosk_json(env, "list")
    first, second = people[3], people[7]
    kiosk_json(env, "checkin", first["code"], "--at", "2023-10-23T09:00")
    kiosk_json(env, "checkin", second["code"], "--at", "2023-10-24T10:00")
    walk_in = kiosk_json(env, "walkin", "--first-name", "Žofie", "--last-name", "Purgová",
                         "--email", "zofie.purgova@example.org", "--organisation", "Tajná s.r.o.",
                         "--category", "Press")  # fmt: skip
    code = walk_in["code"]
    kiosk_json(env, "checkin", code, "--at", "2023-10-23T11:00")
    kiosk_json(env, "config", "print.queue", "no-such-printer")
    kiosk_json(env, "print", first["code"], "--wait", "0")  # a job that waits in the queue
    kiosk_json(env, "backup")
    before = kiosk_json(env, "stats")
    secrets = [
        first["code"], first["email"], first["last_name"],
        second["code"], code, "Purgová", fold("Purgová"), "zofie.purgova@example.org",
        "Tajná s.r.o.",
    ]  # fmt: skip
    assert first["email"]
    assert [secret for secret in secrets if secret.encode() not in on_disk(db)] == []

    # Without --yes nothing happens, and the reason says what would go.
    refused = kiosk(env, "purge")
    assert_failed(refused, "--yes", f"{len(people) + 1} attendee(s)", "backup(s)")
    assert [secret for secret in secrets if secret.encode() not in on_disk(db)] == []

    report = kiosk_json(env, "purge", "--yes")
    assert report["removed"]["attendees"] == len(people) + 1
    assert report["removed"]["backups"] == 1
    assert report["removed"]["print_jobs"] == 1
    assert report["removed"]["codes"] == len(people) + 1
    assert report["wal_emptied"] is True
    disk = on_disk(db)
    assert [secret for secret in secrets if secret.encode() in disk] == []
    assert kiosk_json(env, "stats") == before
    assert kiosk_json(env, "search", "Purgová") == []
    people_after = kiosk_json(env, "list")
    assert len(people_after) == len(people) + 1
    assert {person["first_name"] + person["email"] for person in people_after} == {""}
    # Nothing left to purge; the kiosk still works for the counts.
    again = json.loads(kiosk(env, "purge", "--yes", "--json").stdout)
    assert again["removed"] == {"attendees": 0, "codes": 0, "journal_entries": 0,
                                "print_jobs": 0, "imports": 0, "backups": 0}  # fmt: skip


def test_purge_removes_the_files_this_kiosk_wrote_and_only_those(tmp_path: Path) -> None:
    db = tmp_path / "event" / "kiosk.sqlite3"
    logs, temporary = tmp_path / "logs", tmp_path / "tmp"
    temporary.mkdir()
    env = {**environment(db, tmp_path / "xdg"), "KIOSK_KEY_DIR": str(tmp_path / "keys"),
           "KIOSK_LOG_DIR": str(logs), "TMPDIR": str(temporary)}  # fmt: skip
    kiosk_json(env, "demo")
    person = kiosk_json(env, "list")[2]
    secret = person["last_name"].encode()
    sync, inbox = tmp_path / "sync", tmp_path / "inbox"
    inbox.mkdir()
    kiosk_json(env, "config", "sync.dir", str(sync))
    kiosk_json(env, "config", "sync.inbox", str(inbox))
    kiosk_json(env, "checkin", person["code"], "--at", "2023-10-23T09:00")
    kiosk_json(env, "sync", "--dir", str(sync))
    own = next(sync.glob("*.journal.jsonl"))
    other_kiosk = sync / "0123456789abcdef.journal.jsonl"  # another kiosk's: its own to purge
    other_kiosk.write_bytes(own.read_bytes())
    header = "code,first_name,last_name,organisation,country,email,category"
    (inbox / "good.csv").write_text(f"{header}\nP1,Jana,Purgová,,CZ,,Participant\n", "utf-8")
    (inbox / "bad.csv").write_text("not,an\nexport\x00", "utf-8")
    kiosk_json(env, "sync", "--inbox", str(inbox))
    waiting = inbox / "arrived-later.csv"  # staff's, not imported yet
    waiting.write_text(f"{header}\nP2,Petr,Čekal,,CZ,,Participant\n", "utf-8")
    export = tmp_path / "out" / "checkins.csv"
    export.parent.mkdir()
    kiosk_json(env, "export", "checkins", "--format", "csv", "--out", str(export))
    badges = tmp_path / "out" / "badges.pdf"
    kiosk_json(env, "badges", "--code", person["code"], "--out", str(badges))
    replaced = tmp_path / "out" / "again.csv"  # exported, then overwritten by someone else
    kiosk_json(env, "export", "checkins", "--format", "json", "--out", str(replaced))
    replaced.unlink()
    replaced.write_text("the organiser's own file\n", "utf-8")
    moved = tmp_path / "out" / "moved.csv"  # exported, then moved: out of kiosk's sight
    kiosk_json(env, "export", "checkins", "--format", "csv", "--out", str(moved))
    moved.rename(tmp_path / "elsewhere.csv")
    print_left = temporary / "kiosk-print-abc123"  # a print cut off before lp returned
    print_left.mkdir()
    (print_left / "badge.pdf").write_bytes(b"%PDF-1.4 " + secret)
    (logs / "kiosk.log").parent.mkdir(exist_ok=True)
    (logs / "kiosk.log").write_text(f"WARNING a name: {person['last_name']}\n", "utf-8")
    (logs / "kiosk.log.1").write_text("older\n", "utf-8")
    unrelated = [logs / "notes.txt", temporary / "kiosk-printer.txt", sync / "README.txt"]
    for path in unrelated:
        path.write_text("not kiosk's\n", "utf-8")
    gone = [own, inbox / "done" / "good.csv", inbox / "failed" / "bad.csv",
            inbox / "failed" / "bad.csv.reason.txt", export, badges, print_left,
            logs / "kiosk.log", logs / "kiosk.log.1"]  # fmt: skip
    assert all(path.exists() for path in gone)

    # Without --yes the files are counted, not touched.
    assert_failed(kiosk(env, "purge"), "other file(s)")
    assert all(path.exists() for path in gone)

    report = kiosk_json(env, "purge", "--yes")
    assert {Path(file["path"]) for file in report["files"]} == {p.resolve() for p in gone}
    assert {file["kind"] for file in report["files"]} == {
        "sync journal", "inbox done", "inbox failed", "export", "badges", "log",
        "print temporary folder"}  # fmt: skip
    assert report["failures"] == []
    assert [path for path in gone if path.exists()] == []
    left = " ".join(report["left"])
    assert str(replaced) in left and "1 other kiosk" in left and "1 file(s) not imported" in left
    # Nothing outside what kiosk wrote was touched.
    for path in [*unrelated, other_kiosk, waiting, replaced, tmp_path / "elsewhere.csv",
                 sync / "kiosk-event.json"]:  # fmt: skip
        assert path.exists(), path
    # The database forgot the outputs with everything else: a second purge finds nothing.
    assert kiosk_json(env, "purge", "--yes")["files"] == []
