"""The `kiosk` command line, run as a subprocess against real database files, per CLI.md."""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import __version__
from kiosk.cli import build_parser, main
from kiosk.core.layouts import typed_on

ATTENDEE_KEYS = {
    "id",
    "code",
    "codes",
    "first_name",
    "last_name",
    "organisation",
    "country",
    "email",
    "category",
    "status",
}
MONDAY_9 = "2023-10-23T09:00:00+02:00"
MONDAY_905 = "2023-10-23T09:05:00+02:00"
TUESDAY_9 = "2023-10-24T09:00:00+02:00"
# Demo attendees valid on both days.
KADLECOVA = "032857605093"
PRIKRYL = "232703522524"
ZOLC = "gx2xchjn45erkb9tpa2sm35huv4wsex8"
GENERIC_HEADER = "code,first_name,last_name,organisation,country,email,category"


PASSPHRASE = "correct horse battery staple"


def passphrase_file(folder):
    """A file whose first line is the passphrase of exported private keys (for scripts)."""
    path = Path(folder) / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return str(path)


def environment(db_path, data_home):
    # XDG_DATA_HOME too, so a test that loses KIOSK_DB never writes the user's real database.
    return {**os.environ, "KIOSK_DB": str(db_path), "XDG_DATA_HOME": str(data_home)}


def kiosk(env, *args):
    return kiosk_input(env, None, *args)


def kiosk_input(env, text: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    """A command whose stdin is `text` (not a terminal: a passphrase or PIN is its first
    line); None leaves stdin as it is.
    """
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


def kiosk_json(env, *args):
    """Run a command with --json that must succeed; the whole stdout is one JSON document."""
    done = kiosk(env, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_failed(done, *words):
    assert done.returncode != 0
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    for word in words:
        assert word in done.stderr


def write_csv(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def copy_db(source, target):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{source}{suffix}"):
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A demo database shared by tests that only read it: (env, the `kiosk demo --json` output)."""
    folder = tmp_path_factory.mktemp("demo")
    env = environment(folder / "demo.sqlite3", folder / "data")
    return env, kiosk_json(env, "demo")


@pytest.fixture
def demo_env(demo, tmp_path):
    """A private copy of the demo database, for tests that check people in."""
    env, _ = demo
    db = copy_db(env["KIOSK_DB"], tmp_path / "demo-copy.sqlite3")
    return environment(db, tmp_path / "data")


@pytest.fixture
def env(tmp_path):
    """An empty database."""
    return environment(tmp_path / "kiosk.sqlite3", tmp_path / "data")


@pytest.fixture
def event_env(env):
    """A database with an event set up by `kiosk init`, and no attendees."""
    kiosk_json(
        env,
        "init",
        "--event-name",
        "Clusters meet Regions",
        "--timezone",
        "Europe/Prague",
        "--days",
        "2023-10-23,2023-10-24",
        "--locale",
        "cs",
    )
    return env


def checkin(env, code, at, *options):
    return kiosk_json(env, "checkin", code, "--at", at, *options)


def test_version(env):
    done = kiosk(env, "--version")

    assert done.returncode == 0
    assert done.stdout.strip() == f"kiosk {__version__}"


def test_init_sets_up_the_event_once(env, tmp_path):
    args = ["init", "--event-name", "Clusters meet Regions", "--timezone", "Europe/Prague"]
    args += ["--days", "2023-10-23,2023-10-24", "--station", "Desk B"]

    data = kiosk_json(env, *args)

    event = data["event"]
    assert event["name"] == "Clusters meet Regions"
    assert event["timezone"] == "Europe/Prague"
    assert event["days"] == ["2023-10-23", "2023-10-24"]
    assert event["id"]
    assert data["station"] == "Desk B"
    assert (tmp_path / "kiosk.sqlite3").exists()

    again = kiosk(env, *args, "--json")

    assert_failed(again, "already holds an event")


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [("--timezone", "Europe/Praha", "timezone"), ("--days", "2023-10-32", "days")],
)
def test_init_rejects_bad_fields(env, tmp_path, option, value, field):
    args = {"--timezone": "Europe/Prague", "--days": "2023-10-23", option: value}

    done = kiosk(env, "init", "--event-name", "X", *[part for kv in args.items() for part in kv])

    assert done.returncode == 1
    assert_failed(done, field, value)
    assert not (tmp_path / "kiosk.sqlite3").exists()


def test_demo_imports_its_attendees(demo):
    _, data = demo

    assert data["event"]["name"] == "Clusters meet Regions"
    assert data["import"]["added"] == 150
    assert data["import"]["errors"] == []


@pytest.mark.parametrize("before_command", [True, False])
def test_db_option_takes_precedence_over_kiosk_db(demo, tmp_path, before_command):
    demo_env, _ = demo
    elsewhere = tmp_path / "elsewhere.sqlite3"
    env = environment(elsewhere, tmp_path / "data")
    option = ["--db", demo_env["KIOSK_DB"]]

    stats = kiosk_json(env, *([*option, "stats"] if before_command else ["stats", *option]))

    assert stats["registered"] == 150
    assert not elsewhere.exists()


def test_import_reports_rows_and_reimports(event_env, tmp_path):
    rows = [
        "G1,Jana,Nováková,Alfa,CZ,jana@alfa.example.cz,Participant",
        "G2,Petr,Přikryl,Beta,CZ,petr@beta.example.cz,Speaker",
        "G3,Luděk,Kühr,Gama,CZ,ludek@gama.example.cz,Press",
    ]
    first = tmp_path / "first.csv"
    write_csv(first, [GENERIC_HEADER, rows[0], ",Bez,Kódu,,,,", *rows[1:]])

    report = kiosk_json(event_env, "import", str(first))

    assert set(report) == {
        "format",
        "mapping",
        "added",
        "updated",
        "unchanged",
        "cancelled",
        "errors",
    }
    assert (report["added"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert [(e["row"], e["field"]) for e in report["errors"]] == [(3, "code")]
    assert report["errors"][0]["message"]

    second = tmp_path / "second.csv"
    write_csv(second, [GENERIC_HEADER, rows[0].replace("Jana", "Janička"), rows[1]])

    report = kiosk_json(event_env, "import", str(second))

    assert report["format"] == "csv" and report["mapping"]["code"] == "code"
    del report["format"], report["mapping"]
    assert report == {"added": 0, "updated": 1, "unchanged": 1, "cancelled": 0, "errors": []}

    refused = kiosk(event_env, "import", str(second), "--cancel-missing")
    assert_failed(refused, "would cancel 1 of 3 active attendees", "--yes")
    preview = kiosk_json(event_env, "import", str(second), "--cancel-missing", "--yes", "--dry-run")
    assert preview["dry_run"] is True and preview["cancelled"] == 1
    assert [c["change"] for c in preview["changes"]] == ["cancelled"]
    report = kiosk_json(event_env, "import", str(second), "--cancel-missing", "--yes")

    assert (report["unchanged"], report["cancelled"]) == (2, 1)
    again = kiosk_json(event_env, "import", str(second), "--cancel-missing", "--yes")
    assert (again["unchanged"], again["cancelled"]) == (2, 0)


def test_import_of_a_missing_file_fails_naming_it(event_env, tmp_path):
    missing = tmp_path / "registrace.csv"

    done = kiosk(event_env, "import", str(missing), "--json")

    assert done.returncode == 1
    assert_failed(done, str(missing))


def test_checkin_answers_per_event_day(demo_env):
    first = checkin(demo_env, KADLECOVA, MONDAY_9, "--station", "Desk B")

    assert first["status"] == "ok"
    assert ATTENDEE_KEYS <= set(first["attendee"])
    assert first["attendee"]["code"] == KADLECOVA
    assert first["attendee"]["last_name"] == "Kadlecová"
    assert first["first_at"] == MONDAY_9
    assert first["station"] == "Desk B"

    again = checkin(demo_env, KADLECOVA, MONDAY_905)

    assert again["status"] == "already"
    assert again["first_at"] == MONDAY_9
    assert again["station"] == "Desk B"

    assert checkin(demo_env, KADLECOVA, TUESDAY_9)["status"] == "ok"
    assert checkin(demo_env, KADLECOVA, "2023-10-25T09:00:00+02:00")["status"] == "not_today"


def test_checkin_of_an_unknown_code_is_a_job_done(demo):
    env, _ = demo

    data = checkin(env, "NO-SUCH-CODE", MONDAY_9)

    assert data["status"] == "unknown"
    assert data["attendee"] is None


def test_undo_lets_the_attendee_check_in_again(demo_env):
    assert checkin(demo_env, PRIKRYL, MONDAY_9)["status"] == "ok"

    undone = kiosk_json(demo_env, "undo", PRIKRYL, "--at", MONDAY_905)

    assert undone["status"] == "undone"
    again = checkin(demo_env, PRIKRYL, "2023-10-23T09:10:00+02:00")
    assert again["status"] == "ok"
    assert again["first_at"] == "2023-10-23T09:10:00+02:00"


def test_leading_zeros_and_czech_keyboard(event_env, tmp_path):
    path = tmp_path / "zeros.csv"
    write_csv(path, [GENERIC_HEADER, "000123,Jan,Nula,,,,", "123000,Eva,Tisíc,,,,"])
    kiosk_json(event_env, "import", str(path))

    assert checkin(event_env, "123", MONDAY_9)["status"] == "unknown"
    czech = typed_on("cs", "000123")
    assert czech == "ééé+ěš"
    data = checkin(event_env, czech, MONDAY_9)

    assert data["status"] == "ok"
    assert data["attendee"]["last_name"] == "Nula"
    assert data["code"] == "000123"


@pytest.mark.parametrize(
    ("text", "surname"), [("prikryl", "Přikryl"), ("kuhr", "Kühr"), ("zolc", "Żółć")]
)
def test_search_ignores_diacritics(demo, text, surname):
    env, _ = demo

    found = kiosk_json(env, "search", text)

    assert surname in [attendee["last_name"] for attendee in found]
    assert all(ATTENDEE_KEYS <= set(attendee) for attendee in found)


def test_list_sorts_surnames_in_czech(demo):
    env, _ = demo
    alphabet = ["c", "č", "d", "h", "ch", "i", "j", "r", "ř", "s", "š", "z", "ž"]

    everyone = kiosk_json(env, "list")

    assert len(everyone) == 150
    assert all(ATTENDEE_KEYS <= set(attendee) for attendee in everyone)
    firsts = []
    for attendee in everyone:
        name = attendee["last_name"].lower()
        letter = "ch" if name.startswith("ch") else name[0]
        if letter in alphabet:
            firsts.append(letter)
    assert {"c", "č", "d", "h", "ch", "j"} <= set(firsts)
    assert firsts == sorted(firsts, key=alphabet.index)


def test_stats_count_people_days_and_categories(demo_env, tmp_path):
    checkin(demo_env, KADLECOVA, MONDAY_9)
    checkin(demo_env, KADLECOVA, TUESDAY_9)
    checkin(demo_env, PRIKRYL, TUESDAY_9)
    cancel = tmp_path / "cancel.csv"
    write_csv(cancel, ["code,last_name,category,status", f"{ZOLC},Żółć,Speaker,storno"])
    assert kiosk_json(demo_env, "import", str(cancel))["cancelled"] == 1

    stats = kiosk_json(demo_env, "stats")

    assert (stats["registered"], stats["cancelled"]) == (149, 1)
    assert stats["checked_in"] == 2
    assert stats["by_day"] == {"2023-10-23": 1, "2023-10-24": 2}
    organisers = stats["by_category"]["Organiser"]
    assert organisers["checked_in"] == 2
    assert organisers["by_day"] == {"2023-10-23": 1, "2023-10-24": 2}
    assert stats["by_category"]["Speaker"]["registered"] == 14
    assert sum(c["registered"] for c in stats["by_category"].values()) == 149
    assert stats["stations"] == ["Desk A"]


def test_walkin_code_checks_in_and_resists_tampering(demo_env, tmp_path):
    walk_in = kiosk_json(
        demo_env, "walkin", "--first-name", "Jana", "--last-name", "Nováková", "--organisation", "X"
    )
    code = walk_in["code"]

    assert code.startswith("K1:")
    assert (walk_in["first_name"], walk_in["last_name"]) == ("Jana", "Nováková")
    data = checkin(demo_env, code, MONDAY_9)
    assert data["status"] == "ok"
    assert data["attendee"]["last_name"] == "Nováková"

    middle = len(code) - 20
    tampered = code[:middle] + ("B" if code[middle] == "A" else "A") + code[middle + 1 :]
    assert checkin(demo_env, tampered, MONDAY_905)["status"] == "invalid"

    other = environment(tmp_path / "other.sqlite3", tmp_path / "data")
    kiosk_json(other, "init", "--event-name", "Other", "--timezone", "UTC", "--days", "2023-10-23")
    assert checkin(other, code, "2023-10-23T09:00:00+00:00")["status"] == "wrong_event"


def test_edit_corrects_a_name_that_search_then_finds(demo_env):
    fixed = kiosk_json(demo_env, "edit", "032857605093", "--last-name", " Kadlecová  Šulcová")
    assert fixed["status"] == "edited" and fixed["changed"] == ["last_name"]
    assert fixed["attendee"]["last_name"] == "Kadlecová Šulcová" and not fixed["reprint"]
    assert [a["id"] for a in kiosk_json(demo_env, "search", "sulcova")] == [fixed["attendee"]["id"]]
    again = kiosk_json(demo_env, "edit", "032857605093", "--last-name", "Kadlecová Šulcová")
    assert again["status"] == "unchanged"
    assert_failed(kiosk(demo_env, "edit", "032857605093"), "--first-name")
    assert_failed(kiosk(demo_env, "edit", "NO-SUCH-CODE", "--first-name", "X"), "NO-SUCH-CODE")
    blank = kiosk(demo_env, "edit", "032857605093", "--first-name", "", "--last-name", " ")
    assert_failed(blank, "last_name")


def test_top_level_station_applies_to_the_command(demo_env):
    data = kiosk_json(demo_env, "--station", "Desk B", "checkin", KADLECOVA, "--at", MONDAY_9)

    assert data["station"] == "Desk B"


def test_bad_arguments_get_a_one_line_reason(env):
    done = kiosk(env, "checkin", "--json")

    assert_failed(done, "code")


def test_a_mistyped_db_path_leaves_no_file_behind(tmp_path):
    assert main(["--db", str(tmp_path / "typo.sqlite3"), "stats"]) == 1
    assert not (tmp_path / "typo.sqlite3").exists()


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name in commands.choices:
        assert f"kiosk {name}" in readme, f"'kiosk {name}' is missing from README.md"


def test_screenshot_renders_the_desk_at_the_asked_size(demo_env, tmp_path):
    out = tmp_path / "desk.png"
    env = {**demo_env, "QT_QPA_PLATFORM": "offscreen"}
    # 1024x600: the smallest touch panel a desk runs on (a 7" screen), in either language.
    data = kiosk_json(env, "screenshot", "desk", "--out", str(out), "--size", "1024x600",
                      "--lang", "cs", "--search", "prik")  # fmt: skip
    assert data == {"file": str(out), "files": [str(out)], "size": [1024, 600]}
    header = out.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")) == (
        1024,
        600,
    )


def test_bad_lang_is_refused_in_one_line(demo_env):
    done = kiosk(demo_env, "desk", "--lang", "de")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "--lang" in done.stderr


def test_a_file_that_is_not_a_database_gets_one_line(env, tmp_path):
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello\n" * 100, encoding="utf-8")
    done = kiosk(env, "--db", str(not_a_db), "stats")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"kiosk: database {not_a_db}: not a kiosk database (not an SQLite file); "
        "give the right --db"
    ]
    assert not_a_db.read_text(encoding="utf-8") == "hello\n" * 100


def test_demo_checks_in_today_on_its_rehearsal_clock(demo_env):
    data = kiosk_json(demo_env, "checkin", KADLECOVA)
    assert data["status"] == "ok" and data["day"] == "2023-10-23"
    assert kiosk_json(demo_env, "rehearsal")["rehearsal_day"] == "2023-10-23"
    assert kiosk_json(demo_env, "rehearsal", "off")["rehearsal_day"] is None
    assert kiosk_json(demo_env, "checkin", KADLECOVA)["status"] == "not_today"
    done = kiosk(demo_env, "rehearsal", "2023-10-25")
    assert done.returncode == 1 and "not a day of" in done.stderr


def test_ending_a_rehearsal_undoes_its_check_ins(demo_env):
    assert kiosk(demo_env, "checkin", KADLECOVA).stdout.startswith("REHEARSAL OK")
    assert kiosk_json(demo_env, "rehearsal", "off")["undone"] == 1
    assert kiosk_json(demo_env, "stats")["checked_in"] == 0
    kiosk_json(demo_env, "rehearsal", "2023-10-23")
    data = kiosk_json(demo_env, "checkin", KADLECOVA)
    assert data["status"] == "ok" and data["rehearsal"] is True


def test_a_second_kiosk_joins_the_event_and_verifies_its_codes_offline(event_env, tmp_path):
    shared = tmp_path / "event.json"
    exported = kiosk_json(event_env, "export-event", str(shared))
    assert exported["private_key"] is False
    assert "private_key" not in json.loads(shared.read_text(encoding="utf-8"))
    other = environment(tmp_path / "desk-b.sqlite3", tmp_path / "data-b")
    joined = kiosk_json(other, "init", "--from-event", str(shared), "--station", "Desk B")
    assert joined["event"] == exported["event"]

    walk_in = kiosk_json(event_env, "walkin", "--first-name", "Jana", "--last-name", "Nováková")
    answer = kiosk_json(other, "checkin", walk_in["code"], "--at", MONDAY_9)
    # Desk B has never seen Jana, but the code is signed for this event: admitted.
    assert answer["status"] == "ok" and answer["attendee"]["id"] == walk_in["id"]
    assert_failed(kiosk(other, "walkin", "--first-name", "A", "--last-name", "B"), "public key")


def test_a_kiosk_with_the_private_key_may_issue_codes_too(event_env, tmp_path):
    shared = tmp_path / "event.json"
    secret = passphrase_file(tmp_path)
    exported = kiosk_json(
        event_env, "export-event", str(shared), "--with-private-key", "--passphrase-file", secret
    )
    assert exported["private_key"]
    other = environment(tmp_path / "desk-c.sqlite3", tmp_path / "data-c")
    kiosk_json(other, "init", "--from-event", str(shared), "--passphrase-file", secret)
    walk_in = kiosk_json(other, "walkin", "--first-name", "Petr", "--last-name", "Nový")
    assert kiosk_json(event_env, "checkin", walk_in["code"], "--at", MONDAY_9)["status"] == "ok"


def test_init_from_a_broken_event_file_names_the_file_and_field(env, tmp_path):
    broken = tmp_path / "event.json"
    broken.write_text('{"format": "kiosk-event/1", "id": "AAAAAAAA"}', encoding="utf-8")
    assert_failed(kiosk(env, "init", "--from-event", str(broken)), str(broken), "public_key")


def test_config_lists_every_setting_in_the_contract_s_shape(demo):
    env, _ = demo
    settings = kiosk_json(env, "config")
    assert {s["name"] for s in settings} >= {"station", "rehearsal_day", "checkin.repeat_seconds"}
    for setting in settings:
        assert set(setting) == {"name", "value", "default", "type", "scope", "description"}
        assert setting["scope"] in ("kiosk", "event")
    by_name = {s["name"]: s for s in settings}
    assert by_name["station"]["value"] == "Desk A"
    assert by_name["rehearsal_day"]["value"] == "2023-10-23"


def test_config_sets_reads_and_resets_a_setting_with_its_rules(demo_env):
    data = kiosk_json(demo_env, "config", "desk.result_seconds", "20")
    assert data["value"] == "20" and data["default"] == "30"
    assert kiosk(demo_env, "config", "desk.result_seconds").stdout.strip() == "20"
    assert kiosk_json(demo_env, "config", "desk.result_seconds", "--reset")["value"] == "30"
    assert_failed(
        kiosk(demo_env, "config", "desk.result_seconds", "lots"), "desk.result_seconds", "'lots'"
    )
    assert_failed(kiosk(demo_env, "config", "desk.colour", "red"), "desk.colour")
    assert_failed(kiosk(demo_env, "config", "rehearsal_day", "2023-10-24"), "kiosk rehearsal")
    # The station setting is the station every command acts as.
    kiosk_json(demo_env, "config", "station", "Recepce")
    assert checkin(demo_env, KADLECOVA, MONDAY_9)["station"] == "Recepce"


def test_two_kiosks_both_named_desk_merge_their_journals(event_env, tmp_path):
    """The foundation could not merge these: both numbered their entries as station "Desk"."""
    shared = tmp_path / "event.json"
    secret = passphrase_file(tmp_path)
    kiosk_json(
        event_env, "export-event", str(shared), "--with-private-key", "--passphrase-file", secret
    )
    other = environment(tmp_path / "desk-2.sqlite3", tmp_path / "data-2")
    kiosk_json(other, "init", "--from-event", str(shared), "--passphrase-file", secret)
    folder = tmp_path / "sync"
    jana = kiosk_json(event_env, "walkin", "--first-name", "Jana", "--last-name", "Nováková")
    petr = kiosk_json(other, "walkin", "--first-name", "Petr", "--last-name", "Přikryl")
    assert checkin(event_env, jana["code"], MONDAY_9)["station"] == "Desk"
    assert checkin(other, petr["code"], MONDAY_905)["station"] == "Desk"
    kiosk_json(other, "config", "checkin.repeat_seconds", "5")  # an event-wide setting
    assert kiosk_json(event_env, "sync", "--dir", str(folder))["published"] == 2
    report = kiosk_json(other, "sync", "--dir", str(folder))
    assert (report["published"], report["added"], report["conflicts"]) == (3, 2, [])
    report = kiosk_json(event_env, "sync", "--dir", str(folder))
    assert (report["added"], report["known"]) == (3, 0)
    for env in (event_env, other):
        assert kiosk_json(env, "stats")["by_day"] == {"2023-10-23": 2}
        names = sorted(a["last_name"] for a in kiosk_json(env, "list"))
        assert names == ["Nováková", "Přikryl"]
        assert checkin(env, petr["code"], TUESDAY_9)["status"] == "ok"
    repeat = {s["name"]: s["value"] for s in kiosk_json(event_env, "config")}
    assert repeat["checkin.repeat_seconds"] == "5"


def test_an_empty_db_path_is_refused(env):
    assert_failed(kiosk(env, "--db", "", "stats"), "--db")


def test_sync_inbox_imports_what_arrived_and_moves_it(event_env, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_csv(inbox / "registrace.csv", [GENERIC_HEADER, "I1,Jana,Nováková,,CZ,,Participant"])
    data = kiosk_json(event_env, "sync", "--inbox", str(inbox))
    assert [(Path(f["file"]).parent.name, f["added"]) for f in data["inbox"]["imported"]] == [
        ("done", 1)
    ]
    assert kiosk(event_env, "sync", "--inbox", str(inbox)).stdout.strip().endswith("no new export")
    assert_failed(kiosk(event_env, "sync"), "--dir", "--inbox")


def test_export_event_never_writes_over_the_database(demo_env):
    db = demo_env["KIOSK_DB"]
    assert_failed(kiosk(demo_env, "export-event", db), "refusing", "database")
    assert_failed(kiosk(demo_env, "export-event", db + "-wal"), "refusing")
    assert kiosk_json(demo_env, "stats")["registered"] == 150


def test_export_checkins_writes_a_private_csv(demo_env, tmp_path):
    checkin(demo_env, KADLECOVA, MONDAY_9)
    out = tmp_path / "checkins.csv"
    data = kiosk_json(demo_env, "export", "checkins", "--format", "csv", "--out", str(out))
    assert data["rows"] == 150 and oct(out.stat().st_mode & 0o777) == "0o600"
    text = out.read_bytes().decode("utf-8-sig")
    assert "2023-10-23T09:00:00+02:00" in text and "Kadlecová" in text
    assert_failed(
        kiosk(demo_env, "export", "checkins", "--format", "csv", "--out", demo_env["KIOSK_DB"]),
        "refusing",
    )


def test_a_prague_event_speaks_czech_unless_told_otherwise(env, tmp_path):
    made = kiosk_json(env, "init", "--event-name", "Klastry", "--timezone", "Europe/Prague",
                      "--days", "2023-10-23")  # fmt: skip
    assert made["event"]["locale"] == "cs"
    other = environment(tmp_path / "vienna.sqlite3", tmp_path / "data-v")
    made = kiosk_json(other, "init", "--event-name", "Cluster", "--timezone", "Europe/Vienna",
                      "--days", "2023-10-23")  # fmt: skip
    assert made["event"]["locale"] == "en"


def test_backup_and_restore_from_the_command_line(demo_env):
    saved = kiosk_json(demo_env, "backup")["file"]
    checkin(demo_env, KADLECOVA, MONDAY_9)
    restored = kiosk_json(demo_env, "restore", saved)
    assert restored["restored_from"] == saved and restored["previous"]
    assert kiosk_json(demo_env, "stats")["checked_in"] == 0
    kiosk_json(demo_env, "restore", restored["previous"])
    assert kiosk_json(demo_env, "stats")["checked_in"] == 1


def test_schedule_full_marks_the_room_and_restore_frees_it(demo_env):
    marked = kiosk_json(demo_env, "schedule", "full", "105")
    assert marked["change"] == "full" and marked["recorded"]
    assert marked["sessions"][0]["full"] is True
    now = kiosk_json(demo_env, "schedule", "now", "--at", marked["sessions"][0]["start"])
    assert any(s and s.get("full") for room in now["rooms"] for s in room.values()
               if isinstance(s, dict))  # fmt: skip
    freed = kiosk_json(demo_env, "schedule", "full", "105", "--restore")
    assert freed["change"] == "seats" and freed["sessions"][0]["full"] is False
    assert_failed(kiosk(demo_env, "schedule", "full"), "usage: kiosk schedule full ID")


def test_the_demo_comes_with_its_logo_and_config_takes_a_logo_file(demo_env, tmp_path):
    shown = kiosk(demo_env, "config", "lobby.logo")
    assert shown.returncode == 0 and shown.stdout.startswith("(image/png, ")
    logo = tmp_path / "logo.jpg"
    logo.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 100)
    done = kiosk_json(demo_env, "config", "lobby.logo", str(logo))
    assert done["value"].startswith("data:image/jpeg;base64,") and done["scope"] == "event"
    not_an_image = tmp_path / "logo.txt"
    not_an_image.write_text("hello", encoding="utf-8")
    assert_failed(kiosk(demo_env, "config", "lobby.logo", str(not_an_image)), "logo.txt", "PNG")
    assert_failed(kiosk(demo_env, "config", "lobby.logo", str(tmp_path / "gone.png")), "gone.png")
