"""The built-in demo event, "Clusters meet Regions" in Prague, as files in resources/demo/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.adapters.resources import resource
from kiosk.core.errors import FileFormatError


class BundledDemo:
    """The `DemoData` port: the demo's description and registration export, as shipped."""

    def spec(self) -> dict[str, Any]:
        """name, timezone, days, venue, locale and station of the demo event."""
        path = resource("demo", "event.json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise FileFormatError(f"{path}: the demo event cannot be read: {error}") from error
        if not isinstance(data, dict):
            raise FileFormatError(f"{path}: the demo event is not a JSON object")
        return data

    def attendees_file(self) -> Path:
        """The demo's registration export, in the generic CSV format."""
        return resource("demo", "attendees.csv")

    def logo(self) -> bytes:
        """The demo event's logo (PNG)."""
        return resource("demo", "logo.png").read_bytes()
