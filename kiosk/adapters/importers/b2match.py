"""b2match's participant list, which it exports as an Excel workbook only ("b2match-xlsx").

Recognised by its "Participant ID" column. The columns follow the organiser's filter
(Participant ID, Name, Organization, Country, Sessions, 1:1 Meetings, Activated...):
`Participant ID` is both the code and the registration id; the others are matched as in any
export (`headers`: Name is the whole name, Organization the organisation), and the rest kept as
extra fields.
"""

from __future__ import annotations

from kiosk.adapters.importers.base import table_rows
from kiosk.adapters.importers.columns import ColumnPlan
from kiosk.adapters.importers.headers import best_column, match_columns
from kiosk.adapters.importers.source import Kind, Source
from kiosk.core.registrations import RegistrationRows

PARTICIPANT_ID = ("Participant ID", "Participant-ID", "ParticipantID")


class B2matchXlsx:
    """The b2match participant workbook."""

    name = "b2match-xlsx"
    kind = Kind.XLSX

    def recognises(self, source: Source) -> bool:
        """A workbook with a Participant ID column."""
        return (
            source.kind is self.kind
            and best_column(source.table.header, PARTICIPANT_ID) is not None
        )

    def read(self, source: Source) -> RegistrationRows:
        """One row per participant."""
        table = source.table
        participant = best_column(table.header, PARTICIPANT_ID)
        pinned = (
            {} if participant is None else {"code": participant, "registration_id": participant}
        )
        match = match_columns(table, skip=set(pinned.values()))
        plan = ColumnPlan(table.header, {**match.fields, **pinned}, match.readers, match.keep)
        return table_rows(self.name, table, plan)
