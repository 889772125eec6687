"""`ScheduleFiles`: every schedule format, recognised from the file's content, and the demo's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kiosk.adapters.file_limits import MAX_SCHEDULE_BYTES, read_limited
from kiosk.adapters.resources import resource
from kiosk.adapters.schedules import frab_xml, ical, indico_json, schedule_json
from kiosk.core.errors import FileFormatError
from kiosk.core.schedule import ParsedSchedule

FORMAT_NAMES = (frab_xml.FORMAT, schedule_json.FORMAT, indico_json.FORMAT, ical.FORMAT)
# A schedule is a few megabytes at most (38C3, 1,000 events: 2 MB); anything far larger is
# the wrong file, and reading it whole would only hang the desk.
MAX_BYTES = MAX_SCHEDULE_BYTES
_HEAD = 4096


class ScheduleFiles:
    """Reads schedule files, the workflows' `ScheduleSource`: the format from the content
    (never the file name), or as named.
    """

    formats: tuple[str, ...] = FORMAT_NAMES

    def read(
        self,
        path: Path,
        timezone: str,
        *,
        locale: str = "en",
        format_name: str | None = None,
    ) -> ParsedSchedule:
        """The sessions of the schedule at `path`; times without an offset are read in the
        file's declared time zone, else `timezone` (the event's). Raises `FileFormatError`
        for a file that is no schedule at all; a bad event is a warning, never a failure.
        """
        if format_name is not None and format_name not in FORMAT_NAMES:
            raise FileFormatError(
                f"{path}: unknown schedule format {format_name!r}; known: {', '.join(FORMAT_NAMES)}"
            )
        data = _read_bytes(path)
        head = data[:_HEAD]
        if format_name in (None, frab_xml.FORMAT) and frab_xml.recognises(head):
            return frab_xml.read(path, data, timezone, locale)
        if format_name in (None, ical.FORMAT) and ical.recognises(head):
            return ical.read(path, data, timezone, locale)
        if format_name in (None, schedule_json.FORMAT, indico_json.FORMAT):
            document = (
                _json(path, data)
                if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
                in (
                    b"{",
                    b"[",
                )
                else None
            )
            if document is not None:
                if format_name in (None, schedule_json.FORMAT) and schedule_json.recognises(
                    document
                ):
                    return schedule_json.read(path, document, timezone, locale)
                if format_name in (None, indico_json.FORMAT) and indico_json.recognises(document):
                    return indico_json.read(path, document, timezone, locale)
        what = f"not {format_name}" if format_name else "in no schedule format kiosk knows"
        raise FileFormatError(f"{path}: {what} ({', '.join(FORMAT_NAMES)})")

    def demo_file(self) -> Path:
        """The demo event's agenda, in the c3voc schedule.json layout."""
        return resource("demo", "schedule.json")


def _read_bytes(path: Path) -> bytes:
    try:
        return read_limited(path, MAX_BYTES, "a schedule file")
    except OSError as error:
        raise FileFormatError(f"{path}: cannot be read: {error.strerror or error}") from error


def _json(path: Path, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise FileFormatError(f"{path}: JSON that is not UTF-8: {error}") from error
    except ValueError as error:
        raise FileFormatError(f"{path}: broken JSON: {error}") from error
