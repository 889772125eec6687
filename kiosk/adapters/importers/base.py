"""What every export format offers the registry, and the checks the table formats share."""

from __future__ import annotations

from typing import Protocol

from kiosk.adapters.importers.columns import ColumnPlan
from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.source import Kind, Source
from kiosk.adapters.importers.table import Table
from kiosk.core.registrations import RegistrationRows

NAME_FIELDS = ("first_name", "last_name", "name")


class Format(Protocol):
    """One export format: its name for `--format`, the kind of file it comes as, whether a
    file's content is this format, and how to read it.
    """

    @property
    def name(self) -> str:
        """The format's name, as `kiosk import --format` takes it."""
        ...

    @property
    def kind(self) -> Kind:
        """The kind of file the format comes as."""
        ...

    def recognises(self, source: Source) -> bool:
        """Whether the content of `source` is this format."""
        ...

    def read(self, source: Source) -> RegistrationRows:
        """The rows of `source` read as this format; raises `ImportFileError` when it cannot."""
        ...


def table_rows(name: str, table: Table, plan: ColumnPlan) -> RegistrationRows:
    """The rows of a table format, after checking it has a code and a name column."""
    require_columns(table, plan)
    return RegistrationRows(name, plan.mapping(), plan.rows(table), plan.problems(table))


def require_columns(table: Table, plan: ColumnPlan) -> None:
    """Raise `ImportFileError` naming the file unless `plan` reads a code and some name."""
    found = ", ".join(repr(name) for name in table.header if name) or "none"
    row = table.header_row
    if "code" not in plan.fields:
        raise ImportFileError(
            f"{table.path}: row {row}, field code: no column holds the ticket code (a column "
            f"named e.g. code, Ticket code, Kód vstupenky, Barcode, Secret, QR); "
            f"found: {found}"
        )
    if not any(name in plan.fields for name in NAME_FIELDS):
        raise ImportFileError(
            f"{table.path}: row {row}, field last_name: no column holds the attendee's name "
            f"(a column named e.g. first_name, last_name, Jméno, Příjmení, Name); found: {found}"
        )
