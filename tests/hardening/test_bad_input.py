"""Bad input, as a hostile or clumsy user gives it, is refused in one clear line: the command
line run in-process (`kiosk.cli.main`) and as a real process, on real files.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.adapters.event_file import ENCRYPTED_FIELD, read_event_file
from kiosk.adapters.schedules.files import ScheduleFiles
from kiosk.adapters.storage import SqliteStore
from kiosk.cli import main
from kiosk.core.model import Attendee
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import new_event_keys
from tests.cli.test_cli import KADLECOVA, PASSPHRASE, copy_db, environment, passphrase_file

RAW = ("\x00", "\x1b", "\x07", "\x9b", "\u202e")  # NUL, ESC, BEL, CSI, right-to-left override


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database."""
    return copy_db(demo_db, tmp_path / "kiosk.sqlite3")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must fail in one line (no traceback, no "bug"); its stderr."""
    status, out, err = run(capsys, *argv)
    assert status == 1, (out, err)
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert "unexpected error" not in err, err
    return err


def registered(db: Path) -> int:
    store = SqliteStore(db)
    try:
        return len(store.attendees())
    finally:
        store.close()


# -- outputs never over kiosk's own files --------------------------------------------------

WRITERS = {
    "export-event": lambda out: ["export-event", out],
    "export": lambda out: ["export", "checkins", "--format", "csv", "--out", out],
    "badges": lambda out: ["badges", "--all", "--out", out],
    "screenshot": lambda out: ["screenshot", "desk", "--out", out],
}


def _other_names(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """The database by other names, and other kiosk files."""
    folder = db.parent
    (folder / "link.sqlite3").symlink_to(db)
    os.link(db, folder / "hard.sqlite3")
    (folder / "sub").mkdir()
    status, backup, _ = run(capsys, "--db", str(db), "backup")
    assert status == 0
    other = folder / "other.sqlite3"
    assert main(["--db", str(other), "demo"]) == 0
    capsys.readouterr()
    return {
        "itself": str(db),
        "symlink": str(folder / "link.sqlite3"),
        "hard link": str(folder / "hard.sqlite3"),
        "relative": os.path.relpath(folder / "sub" / ".." / db.name),
        "wal": f"{db}-wal",
        "shm": f"{db}-shm",
        "lock waiters' signal": f"{db}-waiting",
        "backup": backup.strip(),
        "another kiosk's database": str(other),
    }


@pytest.mark.parametrize("command", list(WRITERS))
def test_no_command_writes_over_the_database_by_any_name(
    db: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    names = _other_names(db, capsys)
    kept = ("backup", "another kiosk's database")
    before = {name: Path(names[name]).read_bytes() for name in kept}
    for name, path in names.items():
        err = refused(capsys, "--db", str(db), *WRITERS[command](path))
        assert "refusing to write over" in err, (name, err)
    assert {name: Path(names[name]).read_bytes() for name in kept} == before
    assert registered(db) == 150


# -- event files ---------------------------------------------------------------------------


def _event_file(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """The event file an older kiosk wrote: the private key in the clear (still read)."""
    path = tmp_path / "event.json"
    secret = passphrase_file(tmp_path)
    status, _, err = run(capsys, "--db", str(db), "export-event", str(path),
                         "--with-private-key", "--passphrase-file", secret)  # fmt: skip
    assert status == 0, err
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    private = read_event_file(path, lambda _: PASSPHRASE).keys.private or b""
    del data[ENCRYPTED_FIELD]
    data["private_key"] = base64.b64encode(private).decode("ascii")
    return data


OTHER_KEY = base64.b64encode(new_event_keys().private or b"").decode("ascii")
BAD_FIELDS = [
    ("private_key", OTHER_KEY),  # another event's key: every code it signs would be refused
    ("id", "abc"),
    ("id", "aaaa!!!!"),
    ("id", 12345678),
    ("timezone", "Mars/Olympus_Mons"),
    ("timezone", "../../../etc/passwd"),
    ("timezone", ""),
    ("locale", "en\x1b[31m"),
    ("locale", 7),
    ("venue", 5),
    ("venue", "Hall\x00A"),
    ("name", ""),
    ("name", "Clusters\x1b]0;pwned\x07"),
    ("name", "x" * 500),
    ("days", []),
    ("days", "2023-10-23"),
    ("days", ["2023-13-01"]),
    ("days", ["2023-10-24", "2023-10-23"]),
    ("days", ["0001-01-01"]),
    ("public_key", 5),
    ("public_key", "not base64!"),
]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_an_event_file_field_no_kiosk_could_use_is_refused_naming_file_and_field(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: object
) -> None:
    data = _event_file(db, tmp_path, capsys)
    data[field] = value
    bad = tmp_path / "bad-event.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    joining = tmp_path / "joining.sqlite3"
    err = refused(capsys, "--db", str(joining), "init", "--from-event", str(bad))
    assert f"{bad}: field {field}" in err
    assert "\x1b" not in err and "\x00" not in err
    assert not joining.exists()


def test_an_event_file_that_is_whole_and_true_is_joined(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _event_file(db, tmp_path, capsys)
    good = tmp_path / "good-event.json"
    good.write_text(json.dumps(data), encoding="utf-8")
    joining = tmp_path / "joining.sqlite3"
    assert run(capsys, "--db", str(joining), "init", "--from-event", str(good))[0] == 0
    # It can issue codes that the first kiosk admits.
    status, out, _ = run(capsys, "--db", str(joining), "--json", "walkin",
                         "--first-name", "Jana", "--last-name", "Nová")  # fmt: skip
    assert status == 0
    code = json.loads(out)["code"]
    status, out, _ = run(capsys, "--db", str(db), "--json", "checkin", code,
                         "--at", "2023-10-23T09:00:00+02:00")  # fmt: skip
    assert json.loads(out)["status"] == "ok"


def test_an_event_file_over_its_size_limit_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "event.json"
    big.write_bytes(b" " * (2 << 20))
    err = refused(capsys, "--db", str(tmp_path / "j.sqlite3"), "init", "--from-event", str(big))
    assert f"{big}: 2 MiB is over the 1 MiB limit" in err


# -- values at the edges of their types ----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["checkin", KADLECOVA, "--at", "0001-01-01T00:00:00"], ["--at", "out of range"]),
        (["checkin", KADLECOVA, "--at", "9999-12-31T23:59:59"], ["--at", "out of range"]),
        (["checkin", KADLECOVA, "--at", "0001-01-01T00:00:00+14:00"], ["out of range"]),
        (["checkin", KADLECOVA, "--at", "9999-12-31T23:59:59-12:00"], ["out of range"]),
        (["undo", KADLECOVA, "--at", "9999-12-31T23:59:59"], ["--at", "out of range"]),
        (["schedule", "now", "--at", "0001-01-01T00:30:00"], ["--at", "out of range"]),
        (
            [
                "export",
                "checkins",
                "--format",
                "csv",
                "--out",
                "x.csv",
                "--since",
                "0001-01-01T00:00:00",
            ],
            ["--since", "out of range"],
        ),
        (["search", "a", "--limit", "99999999999999999999999"], ["limit"]),
        (["search", "a", "--limit", "-1"], ["limit"]),
        (["print", "--retry", "99999999999999999999999"], ["--retry", "not a job number"]),
        (["print", "--retry", "-5"], ["--retry"]),
        (["print", "--queue", "--wait", "nan"], ["--wait"]),
        (["print", "--queue", "--wait", "1e300"], ["--wait"]),
    ],
)
def test_values_at_the_edges_of_their_types_are_refused_in_one_line(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: list[str]
) -> None:
    argv = [str(db.parent / "x.csv") if part == "x.csv" else part for part in argv]
    err = refused(capsys, "--db", str(db), *argv)
    for word in words:
        assert word in err


# -- daylight saving time ------------------------------------------------------------------


def test_a_time_the_clocks_skip_is_refused_not_moved(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(capsys, "--db", str(db), "checkin", KADLECOVA, "--at", "2024-03-31T02:30:00")
    assert "does not exist in Europe/Prague" in err
    err = refused(capsys, "--db", str(db), "export", "checkins", "--format", "csv",
                  "--out", str(db.parent / "x.csv"), "--since", "2024-03-31T02:30")  # fmt: skip
    assert "--since" in err and "does not exist" in err


def test_a_time_the_clocks_show_twice_needs_its_offset(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(capsys, "--db", str(db), "checkin", KADLECOVA, "--at", "2023-10-29T02:30:00")
    assert "happens twice" in err
    assert "2023-10-29T02:30:00+02:00" in err and "2023-10-29T02:30:00+01:00" in err
    for offset in ("+02:00", "+01:00"):
        status, out, _ = run(capsys, "--db", str(db), "--json", "checkin", KADLECOVA,
                             "--at", f"2023-10-29T02:30:00{offset}")  # fmt: skip
        assert status == 0 and json.loads(out)["at"] == f"2023-10-29T02:30:00{offset}"


DST_CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:kiosk tests
X-WR-TIMEZONE:Europe/Prague
BEGIN:VEVENT
UID:gap-1
DTSTART:20240331T023000
DTEND:20240331T033000
SUMMARY:Night owls
LOCATION:Hall A
END:VEVENT
BEGIN:VEVENT
UID:day-1
DTSTART:20240331T100000
DTEND:20240331T110000
SUMMARY:Morning talk
LOCATION:Hall A
END:VEVENT
BEGIN:VEVENT
UID:fold-1
DTSTART:20241027T023000
DTEND:20241027T040000
SUMMARY:Autumn night talk
LOCATION:Hall A
END:VEVENT
END:VCALENDAR
"""


def test_a_schedule_session_at_a_time_the_clocks_skip_is_skipped_with_a_warning(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dst.ics"
    path.write_text(DST_CALENDAR.replace("\n", "\r\n"), encoding="utf-8")
    parsed = ScheduleFiles().read(path, "Europe/Prague")
    starts = {session.title: session.start for session in parsed.sessions}
    assert starts == {
        "Morning talk": datetime(2024, 3, 31, 8, tzinfo=UTC),
        # Shown twice by the clocks: the first 02:30, summer time's, as a programme means it.
        "Autumn night talk": datetime(2024, 10, 27, 0, 30, tzinfo=UTC),
    }
    (warning,) = parsed.warnings
    assert warning.file == "dst.ics" and warning.where == "event gap-1"
    assert "2024-03-31T02:30:00 does not exist in Europe/Prague" in warning.message


# -- a double scan over midnight after the last day ----------------------------------------


def test_a_double_scan_after_the_last_midnight_repeats_the_green_answer(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def check_in(at: str) -> dict[str, object]:
        status, out, err = run(capsys, "--db", str(db), "--json", "checkin", KADLECOVA, "--at", at)
        assert status == 0, err
        answer: dict[str, object] = json.loads(out)
        return answer

    first = check_in("2023-10-24T23:59:58+02:00")
    again = check_in("2023-10-25T00:00:01+02:00")
    assert first["status"] == "ok" and not first["repeat"]
    assert again["status"] == "ok" and again["repeat"]
    assert again["first_at"] == first["first_at"] == "2023-10-24T23:59:58+02:00"
    assert check_in("2023-10-25T00:00:10+02:00")["status"] == "not_today"


# -- undecodable bytes and control characters ----------------------------------------------


def test_undecodable_bytes_in_a_code_answer_invalid(tmp_path: Path, demo_db: Path) -> None:
    db = copy_db(demo_db, tmp_path / "kiosk.sqlite3")
    env = {**environment(db, tmp_path / "data"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    command = [sys.executable, "-m", "kiosk", "checkin", b"\xff\xfe"]
    as_text = subprocess.run(command, env=env, capture_output=True, timeout=60, check=False)
    assert as_text.returncode == 0, as_text.stderr
    assert b"INVALID" in as_text.stdout and b"not valid UTF-8" in as_text.stdout
    as_json = subprocess.run(
        [*command, "--json"], env=env, capture_output=True, timeout=60, check=False
    )
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout.decode("utf-8"))["status"] == "invalid"
    streamed = subprocess.run(
        [sys.executable, "-m", "kiosk", "checkin", "--stdin", "--json"],
        input=b"\xff\xfe\n" + KADLECOVA.encode() + b"\n",
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    answers = [json.loads(line)["status"] for line in streamed.stdout.decode().splitlines()]
    assert answers == ["invalid", "ok"]


@pytest.mark.parametrize("command", ["search", "undo"])
def test_undecodable_bytes_in_other_text_arguments_are_no_error(
    db: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # What Python makes of b"\xff" in an argument on a UTF-8 system: a lone surrogate.
    status, out, err = run(capsys, "--db", str(db), command, "\udcff\udcfe")
    assert status == 0, err
    out.encode("utf-8")  # printable


def test_control_characters_from_data_never_reach_the_terminal_raw(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Text stored raw (by an older kiosk, before names were cleaned on the way in): the
    # output still escapes it.
    store = SqliteStore(db)
    store.apply_import(plan_import({}, [Registration(2, "HOSTILE-1", "Eve", "Mallory")]))
    (hostile,) = [a for a in store.attendees() if a.code == "HOSTILE-1"]
    store.close()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE attendees SET first_name = ?, last_name = ?, organisation = ? WHERE id = ?",
            ("Eve\x1b[2J\x1b]0;pwned\x07", "Mallory\x9b31m\u202e", "Evil\x00Corp", hostile.id),
        )
    conn.close()
    status, out, _ = run(capsys, "--db", str(db), "search", "HOSTILE-1")
    assert status == 0 and "Mallory" in out
    assert not any(char in out for char in RAW)
    assert "\\x1b[2J" in out  # shown, harmless
    status, out, _ = run(capsys, "--db", str(db), "--json", "search", "HOSTILE-1")
    assert status == 0 and not any(char in out for char in RAW)
    (found,) = json.loads(out)
    assert found["last_name"] == "Mallory\x9b31m\u202e"  # the same value, escaped in JSON
    # A file name echoed in an error.
    err = refused(capsys, "--db", str(db), "import", str(db.parent / "\x1b[2Jexport.csv"))
    assert "\\x1b[2Jexport.csv" in err and "\x1b" not in err


def test_names_are_stored_without_nul_or_escapes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "--db", str(db), "--json", "walkin", "--first-name",
                         "Ev\x00a\x1b[31m", "--last-name", "Nová\u202ekov\x00á",
                         "--organisation", "A\x9bB")  # fmt: skip
    assert status == 0
    walk_in = json.loads(out)
    assert (walk_in["first_name"], walk_in["last_name"]) == ("Eva[31m", "Nováková")
    assert walk_in["organisation"] == "AB"
    export = tmp_path / "export.csv"
    export.write_text(
        "code,first_name,last_name,organisation,email\n"
        'C-1,"Jan\x1b[2J",Nov\x07ák,"Org\x1b]0;x\x07",jan\x7f@example.cz\n',
        encoding="utf-8",
    )
    status, _, err = run(capsys, "--db", str(db), "import", str(export))
    assert status == 0, err
    store = SqliteStore(db)
    try:
        people: list[Attendee] = [a for a in store.attendees() if a.code in ("C-1",)]
        everyone = store.attendees()
    finally:
        store.close()
    (jan,) = people
    assert (jan.first_name, jan.last_name, jan.organisation) == ("Jan[2J", "Novák", "Org]0;x")
    assert jan.email == "jan@example.cz"
    for person in everyone:
        text = person.first_name + person.last_name + person.organisation + person.email
        assert not any(char in text for char in RAW), person


# -- database files ------------------------------------------------------------------------


def test_an_empty_file_is_not_made_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    err = refused(capsys, "--db", str(empty), "stats")
    assert "empty (0 bytes)" in err and str(empty) in err
    assert refused(capsys, "--db", str(empty), "checkin", KADLECOVA)
    assert empty.stat().st_size == 0
    # Set up on purpose, it is.
    assert run(capsys, "--db", str(empty), "demo")[0] == 0
    assert registered(empty) == 150


def test_a_file_that_is_not_sqlite_is_never_touched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes\n")
    for argv in (["stats"], ["demo"], ["init", "--event-name", "X", "--timezone",
                 "Europe/Prague", "--days", "2023-10-23"]):  # fmt: skip
        err = refused(capsys, "--db", str(notes), *argv)
        assert "not a kiosk database" in err
    assert notes.read_bytes() == b"my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_empty_db_option_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--db" in refused(capsys, "--db", "", "stats")
