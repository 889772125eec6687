"""Codes signed with a retired key, on the fake and the real store: trusted, or only if held."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.checkin import CheckInStatus, identify
from kiosk.core.errors import EventSetupError
from kiosk.core.events import adopted_event, new_event, rotated_event
from kiosk.core.model import new_attendee_id
from kiosk.core.signing import issue_code, new_event_keys
from tests.conftest import DAY1, DAY2
from tests.fakes import MemoryStore

ROTATED_AT = datetime(2023, 10, 22, 12, tzinfo=UTC)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
@pytest.mark.parametrize("refuse_old", [False, True])
def test_a_retired_key_s_codes_are_admitted_while_it_is_trusted(
    tmp_path: Path, kind: str, *, refuse_old: bool
) -> None:
    event, old = new_event("Clusters meet Regions", "Europe/Prague", [DAY1, DAY2])
    new = new_event_keys()
    rotated = rotated_event(event, new, ROTATED_AT, refuse_old=refuse_old)
    assert rotated.public_key == new.public and rotated.id == event.id
    assert [(key.public, key.trusted) for key in rotated.retired_keys] == [
        (old.public, not refuse_old)
    ]
    if kind == "memory":
        store: MemoryStore | SqliteStore = MemoryStore(rotated, new)
    else:
        store = SqliteStore(tmp_path / "rotated.sqlite3")
        store.create_event(rotated, new)
        assert store.event() == rotated  # the retired keys survive the database
    assert old.private is not None and new.private is not None
    attendee = new_attendee_id()
    before = issue_code(old.private, event.id, attendee, ROTATED_AT)
    match = identify(store, store.event(), before)
    if refuse_old:
        assert match.status is CheckInStatus.INVALID and "retired" in match.reason
    else:
        assert match.attendee is not None and match.attendee.id == attendee
    after = issue_code(new.private, event.id, attendee, ROTATED_AT)
    assert identify(store, store.event(), after).attendee is not None
    stranger = new_event_keys().private or b""
    forged = identify(store, store.event(), issue_code(stranger, event.id, attendee, ROTATED_AT))
    assert forged.status is CheckInStatus.INVALID


def test_keys_are_adopted_only_from_a_file_that_knows_this_kiosk_s_key() -> None:
    event, _ = new_event("Clusters meet Regions", "Europe/Prague", [DAY1])
    once = rotated_event(event, new_event_keys(), ROTATED_AT, refuse_old=False)
    twice = rotated_event(once, new_event_keys(), ROTATED_AT, refuse_old=True)
    assert adopted_event(event, twice).public_key == twice.public_key
    assert all(not key.trusted for key in adopted_event(once, twice).retired_keys)
    with pytest.raises(EventSetupError, match="public_key"):
        adopted_event(twice, once)  # an older file
    other, _ = new_event("Another", "Europe/Prague", [DAY1])
    with pytest.raises(EventSetupError, match="id"):
        adopted_event(other, twice)
