"""The built-in demo event, "Clusters meet Regions" in Prague, loaded from resources/demo/."""

from __future__ import annotations

import json
from datetime import date

from kiosk.adapters.csv_import import ImportReport, import_csv
from kiosk.adapters.resources import resource
from kiosk.adapters.storage import SqliteStore
from kiosk.core.events import new_event

STATION_SETTING = "station"


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
    store.create_event(event, keys)
    store.set_setting(STATION_SETTING, spec["station"])
    store.add_station(spec["station"])
    return import_csv(store, resource("demo", "attendees.csv"))
