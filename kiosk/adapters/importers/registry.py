"""`RegistrationImporters`: the `RegistrationFile` port over every format kiosk reads.

The format is picked from the file's content, never its name: first the kind of file (an
Excel workbook by its ZIP content, JSON by its first character, else text read as CSV), then
the first format of that kind, in `DETECTION_ORDER`, that recognises the content; the
generic formats ("csv", "xlsx") come last and take any table. A format named by the caller is
used as it is (an unknown name is an error listing the known ones; a file of another kind is an
error saying what the file is).
"""

from __future__ import annotations

from pathlib import Path

from kiosk.adapters.importers.b2match import B2matchXlsx
from kiosk.adapters.importers.base import Format
from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.eventbrite import EventbriteCsv
from kiosk.adapters.importers.generic import GENERIC_CSV, GENERIC_XLSX
from kiosk.adapters.importers.indico import INDICO_CSV, INDICO_XLSX
from kiosk.adapters.importers.indico_json import IndicoJson
from kiosk.adapters.importers.pretix_csv import PretixCheckinCsv
from kiosk.adapters.importers.pretix_json import PretixJson
from kiosk.adapters.importers.source import Source, file_digest
from kiosk.core.registrations import RegistrationRows

FORMATS: tuple[Format, ...] = (
    GENERIC_CSV,
    PretixCheckinCsv(),
    PretixJson(),
    EventbriteCsv(),
    INDICO_CSV,
    INDICO_XLSX,
    IndicoJson(),
    B2matchXlsx(),
    GENERIC_XLSX,
)
FORMAT_NAMES = tuple(found.name for found in FORMATS)
# Detection tries the specific formats before the generic ones, which take any table.
DETECTION_ORDER: tuple[Format, ...] = (
    *(found for found in FORMATS if found not in (GENERIC_CSV, GENERIC_XLSX)),
    GENERIC_CSV,
    GENERIC_XLSX,
)


class RegistrationImporters:
    """Reads the registration exports of pretix, Eventbrite, Indico, b2match and any CSV or
    Excel table with a header row: the `RegistrationFile` port for `kiosk import`.
    """

    formats: tuple[str, ...] = FORMAT_NAMES

    def fingerprint(self, path: Path) -> str | None:
        """The SHA-256 of the file's bytes; None when it cannot be read."""
        return file_digest(path)

    def read(self, path: Path, format_name: str | None = None) -> RegistrationRows:
        """The export at `path` in `format_name`, or in the format its content shows."""
        if format_name is not None and format_name not in FORMAT_NAMES:
            raise ImportFileError(
                f"{path}: unknown format {format_name!r}; known formats: {', '.join(FORMAT_NAMES)}"
            )
        source = Source(path)
        if format_name is not None:
            chosen = next(found for found in FORMATS if found.name == format_name)
            if chosen.kind is not source.kind:
                raise ImportFileError(
                    f"{path}: the file is {source.kind}, not {format_name} ({chosen.kind})"
                )
            return chosen.read(source)
        for candidate in DETECTION_ORDER:
            if candidate.recognises(source):
                return candidate.read(source)
        raise ImportFileError(
            f"{path}: {source.kind} in no format kiosk knows ({', '.join(FORMAT_NAMES)})"
        )
