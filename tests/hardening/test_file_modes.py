"""Everything kiosk writes is its owner's alone (0600 files, 0700 folders), whatever the umask."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kiosk.adapters import log_file
from kiosk.adapters.log_file import FILE_NAME, LogFile
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.backup import make_backup, restore
from kiosk.core.errors import StorageError
from tests.cli.test_cli import environment, passphrase_file
from tests.support import load_demo

UMASKS = [0o022, 0o000]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def run(env: dict[str, str], mask: int, *args: str) -> subprocess.CompletedProcess[str]:
    with umask(mask):  # the child inherits it
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", *args],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    return done


@pytest.mark.parametrize("mask", UMASKS, ids=oct)
def test_the_command_line_makes_every_file_and_folder_private(tmp_path: Path, mask: int) -> None:
    db = tmp_path / "data" / "event" / "kiosk.sqlite3"
    env = {
        **environment(db, tmp_path / "xdg"),
        "KIOSK_KEY_DIR": str(tmp_path / "keys"),
        "KIOSK_LOG_DIR": str(tmp_path / "logs"),
    }
    run(env, mask, "demo")
    run(env, mask, "walkin", "--first-name", "Jana", "--last-name", "Nováková",
        "--email", "jana@example.org")  # fmt: skip
    run(env, mask, "backup")
    run(env, mask, "export", "checkins", "--format", "csv", "--out", str(tmp_path / "out.csv"))
    run(env, mask, "export-event", str(tmp_path / "event.json"), "--with-private-key",
        "--passphrase-file", passphrase_file(tmp_path))  # fmt: skip
    # The sync folder's parent is a drive or share staff chose (kiosk never makes it: a
    # missing one means a drive not mounted); the folder in it is kiosk's.
    (tmp_path / "sync").mkdir()
    run(env, mask, "sync", "--dir", str(tmp_path / "sync" / "new"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "broken.csv").write_text("not,an\nexport\x00", encoding="utf-8")
    run(env, mask, "sync", "--inbox", str(inbox))

    # While a check-in process has the database open, its WAL and shared memory are there.
    with umask(mask):
        process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "checkin", "--stdin", "--json"],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("032857605093\n")
    process.stdin.flush()
    assert process.stdout.readline()
    try:
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        files += list((db.parent / "backups").iterdir())
        files += [tmp_path / "out.csv", tmp_path / "event.json"]
        files += list((tmp_path / "keys").iterdir())
        files += list((tmp_path / "sync" / "new").glob("*.journal.jsonl"))
        files += list((inbox / "failed").glob("*.reason.txt"))  # the export itself is theirs
        folders = [db.parent, db.parent.parent, db.parent / "backups", tmp_path / "keys"]
        folders += [tmp_path / "sync" / "new", inbox / "failed"]
        assert len(files) >= 11
        assert {str(path): oct(mode(path)) for path in files} == {
            str(path): oct(0o600) for path in files
        }
        assert {str(path): oct(mode(path)) for path in folders} == {
            str(path): oct(0o700) for path in folders
        }
    finally:
        process.stdin.close()
        process.wait(30)


@pytest.mark.parametrize("mask", UMASKS, ids=oct)
def test_the_store_backups_restore_and_log_are_private(tmp_path: Path, mask: int) -> None:
    db = tmp_path / "new" / "kiosk.sqlite3"
    with umask(mask):
        with SqliteStore(db) as store:
            load_demo(store)
            assert mode(db) == mode(Path(f"{db}-wal")) == mode(Path(f"{db}-shm")) == 0o600
            backup = make_backup(db)
        # A damaged database is swapped whole for the backup: the new file is private too.
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        db.write_bytes(b"garbage")
        restore(backup, db)
        log = LogFile(lambda: tmp_path / "logs")
        try:
            record = logging.LogRecord("kiosk", logging.WARNING, "x", 1, "hello", (), None)
            for _ in range(2):
                log.emit(record)
        finally:
            log.close()
    assert mode(db.parent) == mode(backup.parent) == mode(tmp_path / "logs") == 0o700
    assert mode(backup) == mode(db) == mode(tmp_path / "logs" / FILE_NAME) == 0o600


def test_an_older_database_readable_by_others_is_made_private_when_opened(tmp_path: Path) -> None:
    db = tmp_path / "kiosk.sqlite3"
    with SqliteStore(db) as store:
        load_demo(store)
    os.chmod(db, 0o644)
    with SqliteStore(db) as store:
        store.add_station("Desk B")
        assert mode(db) == mode(Path(f"{db}-wal")) == 0o600


def test_a_file_given_as_the_database_that_is_not_one_keeps_its_mode(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n" * 100, encoding="utf-8")
    os.chmod(notes, 0o644)
    with pytest.raises(StorageError):
        SqliteStore(notes)
    assert mode(notes) == 0o644


def test_the_log_rotates_into_a_few_private_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log_file, "MAX_BYTES", 2000)
    log = LogFile(lambda: tmp_path / "logs")
    record = logging.LogRecord("kiosk", logging.WARNING, "x", 1, "a line " * 20, (), None)
    with umask(0o000):
        try:
            for _ in range(200):
                log.emit(record)
        finally:
            log.close()
    files = sorted((tmp_path / "logs").iterdir())
    assert [path.name for path in files] == [FILE_NAME] + [
        f"{FILE_NAME}.{n}" for n in range(1, log_file.BACKUP_COUNT + 1)
    ]
    assert {mode(path) for path in files} == {0o600}
