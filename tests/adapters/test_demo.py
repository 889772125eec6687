"""The built-in demo event: what `kiosk demo` and `make run` start from."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from kiosk.adapters.resources import resource
from kiosk.adapters.storage import SqliteStore
from kiosk.workflows.staff import StaffDesk
from tests.support import load_demo


def test_demo_event_loads_with_every_attendee(db_path: Path) -> None:
    store = SqliteStore(db_path)
    report = load_demo(store)
    event = store.event()
    assert event.name == "Clusters meet Regions"
    assert event.timezone == "Europe/Prague" and event.locale == "cs"
    assert event.days == (date(2023, 10, 23), date(2023, 10, 24))
    assert report.errors == () and report.added >= 100
    assert store.setting("station") == "Desk A"
    people = store.attendees()
    assert Counter(a.category for a in people).keys() == {
        "Participant",
        "Speaker",
        "Organiser",
        "Press",
    }
    assert len({a.country for a in people}) >= 10
    assert {"Luděk Kühr", "Petr Přikryl", "Magdaléna Vrabčeková"} <= {a.full_name for a in people}
    assert any(a.code.startswith("0") and a.code.isdigit() for a in people)
    assert [a.last_name for a in StaffDesk(store, "Desk A").search("zolc")] == ["Żółć"]


def test_demo_agenda_is_a_valid_two_day_schedule() -> None:
    schedule = json.loads(resource("demo", "schedule.json").read_text(encoding="utf-8"))
    conference = schedule["schedule"]["conference"]
    assert conference["time_zone_name"] == "Europe/Prague"
    days = conference["days"]
    assert [day["date"] for day in days] == ["2023-10-23", "2023-10-24"]
    by_room: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    titles = []
    for day in days:
        for room, events in day["rooms"].items():
            for event in events:
                start = datetime.fromisoformat(event["date"])
                hours, minutes = (int(part) for part in event["duration"].split(":")[:2])
                assert start.date().isoformat() == day["date"] and event["room"] == room
                by_room[room].append((start, start + timedelta(hours=hours, minutes=minutes)))
                titles.append(" ".join((event["title"], event["track"], event["type"])).lower())
    for slots in by_room.values():
        slots.sort()
        assert all(end <= next_start for (_, end), (next_start, _) in pairwise(slots))
    for topic in (
        "keynote",
        "cyber",
        "clean",
        "3d print",
        "vr",
        "panel",
        "pitch",
        "matchmaking",
        "golden",
    ):
        assert any(topic in title for title in titles), topic
