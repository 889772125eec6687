"""Rows from a registration export: checked field by field, then merged into the attendee list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from kiosk.core.model import Attendee, AttendeeStatus, new_attendee_id
from kiosk.core.signing import PREFIX, looks_like_kiosk_code

DEFAULT_CATEGORY = "Participant"
# Columns of the generic import; any other column is kept in the attendee's extra fields.
FIELDS = ("code", "first_name", "last_name", "organisation", "country", "email", "category")
OPTIONAL_FIELDS = ("days", "status", "registration_id")
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
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class FieldError:
    """A problem with one field of one row; `row` counts the header as row 1."""

    row: int
    field: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The error as the JSON object of the command-line contract."""
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True)
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
    text = {name: (values.get(name) or "").strip() for name in (*FIELDS, *OPTIONAL_FIELDS)}
    code = text["code"]
    if not code:
        errors.append(FieldError(row, "code", "no code: the attendee could not be admitted"))
    elif _EXCEL_NUMBER.match(code):
        errors.append(FieldError(row, "code", f"{code!r} is a number Excel shortened; "
                                 "export the code column as text"))  # fmt: skip
    elif looks_like_kiosk_code(code):
        errors.append(
            FieldError(row, "code", f"{code!r}: codes starting {PREFIX} are kiosk-issued")
        )
    elif any(char.isspace() for char in code):
        errors.append(FieldError(row, "code", f"{code!r} contains spaces"))
    for name in ("first_name", "last_name"):
        if "\n" in text[name] or "\r" in text[name]:
            errors.append(FieldError(row, name, "contains a line break: is a quote missing?"))
    if not (text["first_name"] or text["last_name"]):
        errors.append(FieldError(row, "last_name", "no first or last name"))
    status = _status(row, text["status"], errors)
    days = _days(row, text["days"], event_days, errors)
    skip = bool(errors)
    email = " ".join(text["email"].split()).lower()
    if email and not _EMAIL.match(email):
        errors.append(FieldError(row, "email", f"{text['email']!r} is not an e-mail address; "
                                 "the attendee was kept without it"))  # fmt: skip
        email = ""
    if skip:
        return None, errors
    country = text["country"]
    known = {*FIELDS, *OPTIONAL_FIELDS}
    registration = Registration(
        row=row,
        code=code,
        first_name=" ".join(text["first_name"].split()),
        last_name=" ".join(text["last_name"].split()),
        organisation=" ".join(text["organisation"].split()),
        country=country.upper() if len(country) == 2 else country,
        email=email,
        category=text["category"] or DEFAULT_CATEGORY,
        status=status or AttendeeStatus.ACTIVE,
        days=days,
        registration_id=text["registration_id"] or None,
        extra={k: v for k, v in values.items() if k not in known and k and v},
    )
    return registration, errors


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
    """What an import changes: attendees to add, to update, to cancel; how many stay as they are."""

    added: tuple[Attendee, ...] = ()
    updated: tuple[Attendee, ...] = ()
    cancelled: tuple[Attendee, ...] = ()
    unchanged: int = 0

    @property
    def changes(self) -> tuple[Attendee, ...]:
        """Every attendee whose stored record must be written."""
        return self.added + self.updated + self.cancelled


def plan_import(
    existing: Mapping[str, Attendee],
    incoming: Iterable[Registration],
    *,
    cancel_missing: bool = False,
    named: Set[str] = frozenset(),
) -> ImportPlan:
    """Merge checked rows into the attendees already registered, keyed by registration code.

    Attendees keep their id (and so their check-ins) across re-imports. A row that turns an
    active attendee cancelled counts as cancelled, not updated. With `cancel_missing` the file
    is taken as the full list: anyone it no longer names is cancelled; `named` holds codes the
    file names in rows that were skipped for errors, so those attendees are not cancelled.
    """
    added: list[Attendee] = []
    updated: list[Attendee] = []
    cancelled: list[Attendee] = []
    unchanged = 0
    seen: set[str] = set(named)
    for registration in incoming:
        seen.add(registration.code)
        before = existing.get(registration.code)
        after = _attendee(registration, before)
        if before is None:
            added.append(after)
        elif after == before:
            unchanged += 1
        elif (before.status, after.status) == (AttendeeStatus.ACTIVE, AttendeeStatus.CANCELLED):
            cancelled.append(after)
        else:
            updated.append(after)
    if cancel_missing:
        for code, before in existing.items():
            if code not in seen and before.status is AttendeeStatus.ACTIVE:
                cancelled.append(replace(before, status=AttendeeStatus.CANCELLED))
    return ImportPlan(tuple(added), tuple(updated), tuple(cancelled), unchanged)


def _attendee(registration: Registration, before: Attendee | None) -> Attendee:
    return Attendee(
        id=before.id if before else new_attendee_id(),
        first_name=registration.first_name,
        last_name=registration.last_name,
        code=registration.code,
        codes=before.codes if before else (registration.code,),
        organisation=registration.organisation,
        country=registration.country,
        email=registration.email,
        category=registration.category,
        status=registration.status,
        days=registration.days,
        registration_id=registration.registration_id,
        extra=dict(registration.extra),
    )
