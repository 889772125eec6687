"""A table's columns as our fields: which column gives which field, read how; the rest extra."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from kiosk.adapters.importers.table import Table
from kiosk.core.registrations import FIELDS, OPTIONAL_FIELDS, FieldError

OUR_FIELDS = (*FIELDS, *OPTIONAL_FIELDS)
CellReader = Callable[[str], str]


@dataclass(frozen=True)
class ColumnPlan:
    """How a table becomes rows keyed by our field names.

    `fields` maps our field to its column's index; `readers` turn a field's cell into the value
    the import expects (a status flag into active/cancelled). Every other named column is kept
    as an extra field under its header as written; a repeated header gets " (2)", " (3)"... and
    columns without a header are dropped. Columns in `keep` are kept as extra fields even
    though a field reads them.
    """

    header: tuple[str, ...]
    fields: Mapping[str, int]
    readers: Mapping[str, CellReader] = field(default_factory=dict)
    keep: Collection[int] = ()

    def mapping(self) -> dict[str, str]:
        """Our field -> the file's column name, in our fields' order."""
        return {name: self.header[self.fields[name]] for name in OUR_FIELDS if name in self.fields}

    def extras(self) -> dict[int, str]:
        """Column index -> the key it is kept under as an extra field."""
        used = set(self.fields.values()) - set(self.keep)
        taken = set(OUR_FIELDS)
        found: dict[int, str] = {}
        for index, name in enumerate(self.header):
            if index in used or not name:
                continue
            label, number = name, 2
            while label in taken:
                label, number = f"{name} ({number})", number + 1
            taken.add(label)
            found[index] = label
        return found

    def rows(self, table: Table) -> list[tuple[int, dict[str, str]]]:
        """Each row of `table` as values by our field names, and the extra fields."""
        extras = self.extras()
        rows: list[tuple[int, dict[str, str]]] = []
        for number, cells in table.rows:
            values: dict[str, str] = {}
            for name, index in self.fields.items():
                text = cells[index] if index < len(cells) else ""
                reader = self.readers.get(name)
                values[name] = reader(text) if reader else text
            for index, label in extras.items():
                text = cells[index].strip() if index < len(cells) else ""
                if text:
                    values[label] = text
            rows.append((number, values))
        return rows

    def problems(self, table: Table) -> tuple[FieldError, ...]:
        """The table's problems as field errors: the field is ours when a field reads the
        column to blame, else the column's name ("" for the whole row).
        """
        field_of = {index: name for name, index in self.fields.items()}
        errors: list[FieldError] = []
        for problem in table.problems:
            column = problem.column
            if column is None:
                label = ""
            elif column in field_of:
                label = field_of[column]
            else:
                label = self.header[column] if column < len(self.header) else f"column {column + 1}"
            errors.append(FieldError(problem.row, label, problem.message))
        return tuple(errors)
