"""The built-in demo event, "Clusters meet Regions" in Prague, loaded from resources/demo/."""

from __future__ import annotations

import json
from datetime import date

from kiosk.adapters.csv_import import ImportReport, import_csv
from kiosk.adapters.resources import resource
from kiosk.adapters.storage import REHEARSAL_SETTING, STATION_SETTING, SqliteStore
from kiosk.core.events import new_event


def load_demo(store: SqliteStore) -> ImportReport:
    """Set up the demo event with its attendees in an empty database."""
    spec = json.loads(resource("demo", "event.json").read_text(encoding="utf-8"))
    event, keys = new_event(
        spec["name"],
        spec["timezone"],
        [date.fromisoformat(day) for day in spec["days"]],
        venue=spec["venue"],
        locale=spec["locale"],
    )
    # One transaction: a demo is either all there or not there at all. It happened in October
    # 2023, so it runs on a rehearsal clock; on the real one every scan would be "not today".
    with store.transaction():
        store.create_event(event, keys)
        store.set_setting(STATION_SETTING, spec["station"])
        store.set_setting(REHEARSAL_SETTING, event.days[0].isoformat())
        store.add_station(spec["station"])
        return import_csv(store, resource("demo", "attendees.csv"))
