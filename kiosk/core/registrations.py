"""Rows from a registration export: checked field by field, then merged into the attendee list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from kiosk.core.codes import MalformedCodeError, clean_scan
from kiosk.core.model import (
    DEFAULT_CATEGORY,
    Attendee,
    AttendeeStatus,
    EntryKind,
    JournalEntry,
    new_attendee_id,
    registration_attendee_id,
)
from kiosk.core.people import looks_like_email
from kiosk.core.signing import PREFIX, looks_like_kiosk_code
from kiosk.core.text import clean_field

# Columns of the generic import; any other column is kept in the attendee's extra fields.
FIELDS = ("code", "first_name", "last_name", "organisation", "country", "email", "category")
# `name` is a whole name, for exports that have no first and last name apart; it is split at its
# last space ("Petr Přikryl": first "Petr", last "Přikryl").
OPTIONAL_FIELDS = ("days", "status", "registration_id", "name")
_ALL_FIELDS = (*FIELDS, *OPTIONAL_FIELDS)
_KNOWN = frozenset(_ALL_FIELDS)
_CANCELLED = {
    "cancelled",
    "canceled",
    "c",
    "storno",
    "stornováno",
    "zrušeno",
    "zrušená",
    "refunded",
}
_ACTIVE = {"", "active", "paid", "p", "ok", "attending", "aktivní", "zaplaceno", "yes", "ano"}
# Excel turns long barcodes into numbers like 1.84416E+14, losing digits for good.
_EXCEL_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?E\+\d+$", re.IGNORECASE)
_EXCEL_TEXT = re.compile(r'^="(.*)"$')


@dataclass(frozen=True, slots=True)
class FieldError:
    """A problem with one field of one row; `row` counts the header as row 1."""

    row: int
    field: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The error as the JSON object of the command-line contract."""
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True, slots=True)
class Registration:
    """One checked row of a registration export."""

    row: int
    code: str
    first_name: str
    last_name: str
    organisation: str = ""
    country: str = ""
    email: str = ""
    category: str = DEFAULT_CATEGORY
    status: AttendeeStatus = AttendeeStatus.ACTIVE
    days: tuple[date, ...] = ()
    registration_id: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


def read_registration(
    row: int, values: Mapping[str, str], event_days: Sequence[date]
) -> tuple[Registration | None, list[FieldError]]:
    """Check one row of the generic import; the registration is None when the row must be
    skipped, and the errors say why (or what was dropped from a row that was kept).
    """
    errors: list[FieldError] = []
    text = {name: _unwrap(value) if (value := values.get(name)) else "" for name in _ALL_FIELDS}
    if text["name"] and not (text["first_name"] or text["last_name"]):
        first, _, last = " ".join(text["name"].split()).rpartition(" ")
        text["first_name"], text["last_name"] = first, last
    code, code_problem = _scannable(text["code"])
    if code_problem:
        errors.append(FieldError(row, "code", code_problem))
    elif not code:
        errors.append(FieldError(row, "code", "no code: the attendee could not be admitted"))
    elif _EXCEL_NUMBER.match(code):
        errors.append(
            FieldError(
                row, "code", f"{code!r} is a number Excel shortened; export the code column as text"
            )
        )
    elif looks_like_kiosk_code(code):
        errors.append(
            FieldError(row, "code", f"{code!r}: codes starting {PREFIX} are kiosk-issued")
        )
    elif "".join(code.split()) != code:  # a space of any kind inside
        errors.append(FieldError(row, "code", f"{code!r} contains spaces"))
    for name in ("first_name", "last_name"):
        if "\n" in text[name] or "\r" in text[name]:
            errors.append(FieldError(row, name, "contains a line break: is a quote missing?"))
    if not (text["first_name"] or text["last_name"]):
        errors.append(FieldError(row, "last_name", "no first or last name"))
    status = _status(row, text["status"], errors)
    days = _days(row, text["days"], event_days, errors)
    skip = bool(errors)
    email = clean_field(text["email"]).lower()
    if email and not looks_like_email(email):
        errors.append(
            FieldError(
                row,
                "email",
                f"{text['email']!r} is not an e-mail address; the attendee was kept without it",
            )
        )
        email = ""
    if skip:
        return None, errors
    country = clean_field(text["country"])
    known = _KNOWN
    # Every text is stored without control characters: no NUL in a name, no terminal escape.
    registration = Registration(
        row=row,
        code=code,
        first_name=clean_field(text["first_name"]),
        last_name=clean_field(text["last_name"]),
        organisation=clean_field(text["organisation"]),
        country=country.upper() if len(country) == 2 else country,
        email=email,
        category=clean_field(text["category"]) or DEFAULT_CATEGORY,
        status=status or AttendeeStatus.ACTIVE,
        days=days,
        registration_id=clean_field(text["registration_id"]) or None,
        extra={
            clean_field(k): clean_field(v)
            for k, v in values.items()
            if k not in known and clean_field(k) and clean_field(v)
        },
    )
    return registration, errors


def _scannable(code: str) -> tuple[str, str]:
    """The code as a scan of it reads (NFC, no control characters, no stray spaces around), and
    what is wrong when no scan could ever read it so.
    """
    if not code:
        return "", ""
    try:
        return clean_scan(code), ""
    except MalformedCodeError as error:
        return "", f"{code[:40]!r} cannot be scanned: {error}"


def _unwrap(value: str) -> str:
    """A value as the registration system meant it: Excel exports wrap text that must stay text
    (codes with leading zeros) as ="000555".
    """
    value = value.strip()
    if not value.startswith('="'):
        return value
    wrapped = _EXCEL_TEXT.match(value)
    return wrapped.group(1).strip() if wrapped else value


def _status(row: int, value: str, errors: list[FieldError]) -> AttendeeStatus | None:
    folded = value.casefold()
    if folded in _CANCELLED:
        return AttendeeStatus.CANCELLED
    if folded in _ACTIVE:
        return AttendeeStatus.ACTIVE
    errors.append(FieldError(row, "status", f"{value!r} is neither active nor cancelled"))
    return None


def _days(
    row: int, value: str, event_days: Sequence[date], errors: list[FieldError]
) -> tuple[date, ...]:
    days: list[date] = []
    for part in re.split(r"[\s,;|]+", value):
        if not part:
            continue
        day = _parse_day(part)
        if day is None:
            errors.append(FieldError(row, "days", f"{part!r} is not a date (2023-10-23)"))
        elif event_days and day not in event_days:
            errors.append(FieldError(row, "days", f"{part} is not a day of the event"))
        else:
            days.append(day)
    return tuple(sorted(set(days)))


def _parse_day(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class ImportPlan:
    """What an import changes: attendees to add, to update, to cancel; how many stay as they are;
    and the rows it could not take.
    """

    added: tuple[Attendee, ...] = ()
    updated: tuple[Attendee, ...] = ()
    cancelled: tuple[Attendee, ...] = ()
    unchanged: int = 0
    errors: tuple[FieldError, ...] = ()
    # For an attendee a desk corrected: the record as the file gives it, by id, when what is
    # written (the correction, with what the file changed since) differs from it. It goes into
    # the journal entry beside the record, as the baseline of the next import.
    given: Mapping[str, Attendee] = field(default_factory=dict)

    @property
    def changes(self) -> tuple[Attendee, ...]:
        """Every attendee whose stored record must be written."""
        return self.added + self.updated + self.cancelled


@dataclass
class _Matcher:
    """Finds the stored attendee a row is about: by registration id first, then by code."""

    existing: Mapping[str, Attendee]
    # registration ids the file names, with the row of each: a code never steals one of these
    ids_in_file: Mapping[str, int]
    by_registration_id: dict[str, Attendee] = field(default_factory=dict)
    # "777" -> "00777": what a stored numeric code becomes when Excel drops its leading zeros
    by_stripped_code: dict[str, str] = field(default_factory=dict)
    rows_of_attendee: dict[str, int] = field(default_factory=dict)
    rows_of_code: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for code, attendee in self.existing.items():
            if attendee.registration_id:
                self.by_registration_id[attendee.registration_id] = attendee
            if code.isdigit() and code.startswith("0"):
                self.by_stripped_code[code.lstrip("0")] = code

    def match(self, registration: Registration) -> tuple[Attendee | None, FieldError | None]:
        row, code, rid = registration.row, registration.code, registration.registration_id
        if code in self.rows_of_code:
            return None, FieldError(
                row, "code", f"{code!r} is already used in row {self.rows_of_code[code]}"
            )
        self.rows_of_code[code] = row
        if rid and self.ids_in_file[rid] != row:
            earlier = self.ids_in_file[rid]
            return None, FieldError(
                row, "registration_id", f"{rid!r} is already used in row {earlier}"
            )
        owner = self.existing.get(code)
        before = self.by_registration_id.get(rid) if rid else None
        owner_id = owner.registration_id if owner else None
        if owner is not None and before is None and owner_id and owner_id != rid:
            if rid or owner_id in self.ids_in_file:
                # The code is someone else's registration: one the file names elsewhere, or
                # one that this row says it is not.
                return None, FieldError(
                    row,
                    "code",
                    f"{code!r} belongs to registration {owner_id!r} ({owner.full_name})",
                )
        if before is not None and owner is not None and owner.id != before.id:
            return None, FieldError(
                row, "code", f"{code!r} belongs to {owner.full_name}, not to registration {rid!r}"
            )
        before = before or owner
        if before is None and code in self.by_stripped_code:
            # The row names that attendee, however damaged: they are not missing from the file.
            meant = self.existing[self.by_stripped_code[code]]
            self.rows_of_attendee.setdefault(meant.id, row)
            return None, FieldError(
                row,
                "code",
                f"{code!r} looks like "
                f"{self.by_stripped_code[code]!r} without its leading zeros: "
                "export the code column as text",
            )
        if before is not None and before.id in self.rows_of_attendee:
            earlier = self.rows_of_attendee[before.id]
            return None, FieldError(row, "code", f"row {earlier} already names this attendee")
        if before is not None:
            self.rows_of_attendee[before.id] = row
        return before, None


def import_baselines(entries: Iterable[JournalEntry]) -> dict[str, Attendee]:
    """For each attendee whose record is now a desk's correction (the newest of their
    `registration` entries says what it `edited`, or is an import's that kept a correction
    and names the file's record as `given`): the record as the registration system last gave
    it. `entries` are `registration` entries in the journal's order (its clock, then kiosk,
    then number).
    """
    newest_corrected: dict[str, bool] = {}
    given: dict[str, Attendee] = {}
    for entry in entries:
        if entry.kind is not EntryKind.REGISTRATION or not entry.attendee_id:
            continue
        # A correction keeps the baseline; an import's record that kept a correction names
        # the file's own record as `given`, the new baseline.
        corrected = "edited" in entry.data or "given" in entry.data
        newest_corrected[entry.attendee_id] = corrected
        record = entry.data.get("given", None if corrected else entry.data.get("attendee"))
        if isinstance(record, Mapping):
            try:
                given[entry.attendee_id] = Attendee.from_dict({**record, "id": entry.attendee_id})
            except (KeyError, TypeError, ValueError):
                continue  # not a record this version can read: no baseline from it
    return {
        attendee_id: given[attendee_id]
        for attendee_id, corrected in newest_corrected.items()
        if corrected and attendee_id in given
    }


def _row_record(
    registration: Registration,
    before: Attendee | None,
    event_id: str | None,
    baselines: Mapping[str, Attendee],
    given: dict[str, Attendee],
) -> Attendee:
    """What to store for a row about `before` (None: someone new). For an attendee a desk
    corrected, the correction with what the file changed since (`_with_changes_since`); when
    that is not the file's own record, the file's goes to `given`.
    """
    baseline = baselines.get(before.id) if before is not None else None
    if before is None or baseline is None:
        return _attendee(registration, before, event_id)
    from_file = _attendee(registration, baseline, None)
    after = _with_changes_since(before, baseline, from_file)
    if after != from_file:
        given[after.id] = from_file
    return after


def _with_changes_since(before: Attendee, baseline: Attendee, from_file: Attendee) -> Attendee:
    """`before` (a desk's correction of `baseline`) with what the file changed since the
    registration system gave `baseline`: a field the file did not change keeps the desk's
    value, a field it did change takes the file's (the newer word on it).
    """
    changed = {
        name: getattr(from_file, name)
        for name in _IMPORTED_FIELDS
        if getattr(from_file, name) != getattr(baseline, name)
    }
    return replace(before, **changed) if changed else before


# What a registration row sets on an attendee (the rest, id and reprint, is the kiosk's).
_IMPORTED_FIELDS = (
    "first_name",
    "last_name",
    "code",
    "codes",
    "organisation",
    "country",
    "email",
    "category",
    "status",
    "days",
    "registration_id",
    "extra",
)


def plan_import(
    existing: Mapping[str, Attendee],
    incoming: Iterable[Registration],
    *,
    cancel_missing: bool = False,
    skipped: int = 0,
    event_id: str | None = None,
    baselines: Mapping[str, Attendee] | None = None,
) -> ImportPlan:
    """Merge checked rows into the attendees already registered.

    `existing` maps registration codes to attendees. A row is matched by its registration id
    when it has one (so a reissued code updates the same person), else by its code; a row
    without a registration id keeps the stored one. Attendees keep their id (and so their
    check-ins) across re-imports. A row that turns an active attendee cancelled counts as
    cancelled, not updated. With `cancel_missing` the rows are taken as the full list: anyone
    they do not name is cancelled, unless `skipped` rows of the file were left out before (for
    errors) or any row clashes, since a row left out may name anyone. Rows that clash (a code
    twice, a code of someone else, a registration id twice, a code that lost its leading zeros)
    are left out and reported. For an attendee a desk corrected since (`baselines`: their
    record as the registration system last gave it, by id; `import_baselines`), only what the
    file changed since then is taken: re-importing the same export keeps the correction.
    """
    rows = list(incoming)
    ids_in_file: dict[str, int] = {}
    for registration in rows:
        if registration.registration_id:
            ids_in_file.setdefault(registration.registration_id, registration.row)
    added: list[Attendee] = []
    updated: list[Attendee] = []
    cancelled: list[Attendee] = []
    errors: list[FieldError] = []
    unchanged = 0
    given: dict[str, Attendee] = {}
    matcher = _Matcher(existing, ids_in_file)
    for registration in rows:
        before, error = matcher.match(registration)
        if error is not None:
            errors.append(error)
            continue
        after = _row_record(registration, before, event_id, baselines or {}, given)
        if before is None:
            added.append(after)
        elif after == before:
            unchanged += 1
        elif (before.status, after.status) == (AttendeeStatus.ACTIVE, AttendeeStatus.CANCELLED):
            cancelled.append(after)
        else:
            updated.append(after)
    if cancel_missing and (skipped or errors):
        errors.append(
            FieldError(
                1,
                "code",
                "--cancel-missing was not applied because some "
                "rows were left out; fix them and import again",
            )
        )
    elif cancel_missing:
        for before in existing.values():
            missing = before.id not in matcher.rows_of_attendee
            if missing and before.status is AttendeeStatus.ACTIVE:
                cancelled.append(replace(before, status=AttendeeStatus.CANCELLED))
    changed = {attendee.id for attendee in (*added, *updated, *cancelled)}
    given = {attendee_id: record for attendee_id, record in given.items() if attendee_id in changed}
    return ImportPlan(
        tuple(added), tuple(updated), tuple(cancelled), unchanged, tuple(errors), given
    )


def _attendee(
    registration: Registration, before: Attendee | None, event_id: str | None
) -> Attendee:
    # A reissued registration code replaces the old one; kiosk-issued codes stay valid.
    kiosk_codes = tuple(c for c in (before.codes if before else ()) if looks_like_kiosk_code(c))
    if before is not None:
        attendee_id = before.id
    elif event_id is not None:
        attendee_id = registration_attendee_id(
            event_id, registration.registration_id or f"code:{registration.code}"
        )
    else:
        attendee_id = new_attendee_id()
    return Attendee(
        id=attendee_id,
        first_name=registration.first_name,
        last_name=registration.last_name,
        code=registration.code,
        codes=(registration.code, *kiosk_codes),
        organisation=registration.organisation,
        country=registration.country,
        email=registration.email,
        category=registration.category,
        status=registration.status,
        days=registration.days,
        # A file without registration ids says nothing about them: keep the stored one.
        registration_id=registration.registration_id
        or (before.registration_id if before else None),
        extra=dict(registration.extra),
    )


@dataclass(frozen=True)
class RegistrationRows:
    """A registration export as an importer read it: its format, which of its columns became
    which of our fields (`FIELDS`, `OPTIONAL_FIELDS`), and its rows with values keyed by our
    field names (any other column by its own header). `problems` are rows or fields the importer
    could not read as they are (a row in another encoding), reported beside the row errors.
    """

    format: str
    mapping: Mapping[str, str]
    rows: Sequence[tuple[int, Mapping[str, str]]]
    problems: tuple[FieldError, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportChange:
    """One attendee an import adds, updates or cancels."""

    change: str  # "added", "updated", "cancelled"
    attendee: Attendee

    def to_dict(self) -> dict[str, Any]:
        """The change as JSON."""
        a = self.attendee
        return {"change": self.change, "id": a.id, "name": a.full_name, "code": a.code}


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with `dry_run`, would do), and every row or field it could not
    take.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    cancelled: int = 0
    errors: tuple[FieldError, ...] = field(default_factory=tuple)
    format: str = ""
    mapping: Mapping[str, str] = field(default_factory=dict)
    changes: tuple[ImportChange, ...] = ()
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The report as the JSON object of the command-line contract; a dry run lists its
        changes too.
        """
        extra: dict[str, Any] = {}
        if self.dry_run:
            extra = {"dry_run": True, "changes": [change.to_dict() for change in self.changes]}
        return {
            **extra,
            "format": self.format,
            "mapping": dict(self.mapping),
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "cancelled": self.cancelled,
            "errors": [error.to_dict() for error in self.errors],
        }


def report_from_dict(data: Mapping[str, Any]) -> ImportReport:
    """The report `ImportReport.to_dict` gave (one a store kept); raises KeyError, TypeError or
    ValueError for one that is not.
    """
    return ImportReport(
        added=int(data["added"]),
        updated=int(data["updated"]),
        unchanged=int(data["unchanged"]),
        cancelled=int(data["cancelled"]),
        errors=tuple(
            FieldError(int(error["row"]), str(error["field"]), str(error["message"]))
            for error in data["errors"]
        ),
        format=str(data["format"]),
        mapping={str(name): str(column) for name, column in data["mapping"].items()},
    )


def check_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]], event_days: Sequence[date]
) -> tuple[list[Registration], list[FieldError], int]:
    """Check every row: (the registrations to import, the errors found, how many rows were
    skipped for them).
    """
    registrations: list[Registration] = []
    errors: list[FieldError] = []
    skipped = 0
    for row, values in rows:
        registration, problems = read_registration(row, values, event_days)
        errors.extend(problems)
        if registration is None:
            skipped += 1
        else:
            registrations.append(registration)
    return registrations, errors, skipped


def report_of(
    plan: ImportPlan, row_errors: Iterable[FieldError], source: RegistrationRows | None = None
) -> ImportReport:
    """What an import planned, with the errors of its rows and of its plan, in row order, and
    the file's format and column mapping.
    """
    return ImportReport(
        added=len(plan.added),
        updated=len(plan.updated),
        unchanged=plan.unchanged,
        cancelled=len(plan.cancelled),
        errors=tuple(sorted([*row_errors, *plan.errors], key=lambda error: error.row)),
        format=source.format if source else "",
        mapping=dict(source.mapping) if source else {},
        changes=tuple(
            ImportChange(change, attendee)
            for change, attendees in (
                ("added", plan.added),
                ("updated", plan.updated),
                ("cancelled", plan.cancelled),
            )
            for attendee in attendees
        ),
    )
