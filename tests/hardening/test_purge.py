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
