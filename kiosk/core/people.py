"""What staff type about a person at the desk (a walk-in, a corrected name), cleaned and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.text import display_text

# Longer than any real name or organisation: a paste of something else, not a person.
MAX_FIELD_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def looks_like_email(text: str) -> bool:
    """True when `text` has the shape of an e-mail address (something@domain.tld)."""
    return bool(_EMAIL.match(text))


class PersonProblem(StrEnum):
    """What is wrong with one field a person's details were given."""

    NO_NAME = "no_name"  # neither a first nor a last name
    NOT_AN_EMAIL = "not_an_email"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one field: the field's name, the problem, and the sentence staff read."""

    field: str
    problem: PersonProblem
    message: str


@dataclass(frozen=True)
class PersonDetails:
    """A person's details as they are stored: composed letters, no control characters, single
    spaces, the e-mail address in lower case.
    """

    first_name: str
    last_name: str
    organisation: str = ""
    email: str = ""
    category: str = ""


def check_person(
    first_name: str,
    last_name: str,
    *,
    organisation: str = "",
    email: str = "",
    category: str = "",
) -> tuple[PersonDetails, tuple[FieldProblem, ...]]:
    """The details cleaned as the desk stores them, and what is wrong with them, field by
    field: a person needs a first or a last name; an e-mail address, when given, must look
    like one; no field may be longer than `MAX_FIELD_LENGTH`.
    """
    details = PersonDetails(
        first_name=display_text(first_name),
        last_name=display_text(last_name),
        organisation=display_text(organisation),
        email=display_text(email).lower(),
        category=display_text(category),
    )
    problems: list[FieldProblem] = []
    if not (details.first_name or details.last_name):
        problems.append(
            FieldProblem("last_name", PersonProblem.NO_NAME, "a first or last name is needed")
        )
    if details.email and not looks_like_email(details.email):
        problems.append(
            FieldProblem(
                "email",
                PersonProblem.NOT_AN_EMAIL,
                f"{details.email!r} is not an e-mail address (name@example.org)",
            )
        )
    for name in ("first_name", "last_name", "organisation", "email", "category"):
        if len(getattr(details, name)) > MAX_FIELD_LENGTH:
            problems.append(
                FieldProblem(
                    name,
                    PersonProblem.TOO_LONG,
                    f"longer than {MAX_FIELD_LENGTH} characters",
                )
            )
    return details, tuple(problems)
