"""The log never holds a full code or e-mail address, whatever kiosk does."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.adapters.journal_folder import JournalFolder
from kiosk.adapters.log_file import FILE_NAME, start_logging, stop_logging
from kiosk.adapters.storage import SqliteStore
from kiosk.core.model import Event
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys
from kiosk.workflows.staff import StaffDesk
from kiosk.workflows.sync import sync_journal
from tests.conftest import DAY1, prague

SECRET = "e8h3tnsxa2rc6q3hmdw9kwdwjf6qh3ft"
EMAIL = "ludek.kuhr@example.cz"


@pytest.fixture
def log_file(tmp_path: Path):
    stop_logging()
    start_logging(tmp_path / "logs")
    yield tmp_path / "logs" / FILE_NAME
    stop_logging()


def test_imports_scans_walk_ins_and_a_clashing_sync_log_no_code_or_address(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    log_file: Path,
    event_and_keys: tuple[Event, EventKeys],
) -> None:
    caplog.set_level(logging.DEBUG)
    event = event_and_keys[0]
    stores = [SqliteStore(tmp_path / f"{name}.sqlite3") for name in ("a", "b")]
    # Two registration systems gave the same code to two people: syncing makes them clash.
    people = [("R1", "Luděk"), ("R2", "Jiný")]
    for store, (registration_id, name) in zip(stores, people, strict=True):
        store.create_event(*event_and_keys)
        store.apply_import(plan_import({}, [
            Registration(row=2, code=SECRET, first_name=name, last_name="Kühr", email=EMAIL,
                         registration_id=registration_id),
        ]))  # fmt: skip
    desk = StaffDesk(stores[0], "Desk A")
    desk.check_in(SECRET, at=prague(DAY1, 9))
    desk.check_in("K1:" + "A" * 40, at=prague(DAY1, 9))  # a forged kiosk code
    desk.check_in(f"mailto:{EMAIL}", at=prague(DAY1, 9))
    walk_in = desk.walk_in("Jana", "Nováková", email="jana.novakova@example.org")
    desk.search("jana.novakova@example.org")
    folder = tmp_path / "sync"
    for store in stores + stores:
        sync_journal(store, JournalFolder(folder, event))
    # A journal line cut off mid-write, quoting a record.
    with next(folder.glob("*.journal.jsonl")).open("a", encoding="utf-8") as file:
        file.write(f'{{"code": "{SECRET}", "email": "{EMAIL}"}}\n')
    for store in stores:
        sync_journal(store, JournalFolder(folder, event))
        store.close()

    logged = caplog.text + log_file.read_text(encoding="utf-8")
    clash = [r.getMessage() for r in caplog.records if "is held by" in r.getMessage()]
    assert clash and "e8h3…(32)" in clash[0]  # the clash was logged, masked
    for secret in (SECRET, EMAIL, walk_in.code, "jana.novakova@example.org"):
        assert secret not in logged


def test_an_unexpected_error_quoting_codes_and_addresses_is_masked_in_the_log_file(
    log_file: Path,
) -> None:
    kiosk_code = "K1:" + "B" * 46
    try:
        raise ValueError(f"row 7: {SECRET} of {EMAIL} and {kiosk_code} broke something")
    except ValueError:
        logging.getLogger("kiosk.test").exception("unexpected error")
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "row 7: e8h3…(32) of l…@example.cz and K1:B…(49) broke something" in text
    for secret in (SECRET, EMAIL, kiosk_code):
        assert secret not in text
