"""Indico's registrants as JSON from its API ("indico-json").

Recognised as `{"results": {"registrants": [...]}}` (or `{"registrants": [...]}`). Each
registrant's `checkin_secret` (the UUID in the ticket's QR code) is the code, `registrant_id`
the registration id; `personal_data` gives firstName, surname, email, affiliation (or
institution) and country (its code when Indico gives one), `full_name` the whole name when the
parts are missing. The API lists active registrations only; a `state` key, when present, is
read as the spreadsheet's Registration state is. `checked_in`, position, phone and tags are
kept as extra fields.

Rows are numbered as the registrants would be in a sheet with a header row: the first is row 2.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.json_values import items, mapping, text
from kiosk.adapters.importers.source import Kind, Source
from kiosk.adapters.importers.status import status_word
from kiosk.core.registrations import RegistrationRows

MAPPING = {
    "code": "registrants[].checkin_secret",
    "first_name": "registrants[].personal_data.firstName",
    "last_name": "registrants[].personal_data.surname",
    "organisation": "registrants[].personal_data.affiliation",
    "country": "registrants[].personal_data.country_code",
    "email": "registrants[].personal_data.email",
    "registration_id": "registrants[].registrant_id",
    "name": "registrants[].full_name",
}
EXTRAS = {"position": "Position", "phone": "Phone", "title": "Title"}


class IndicoJson:
    """Indico registrants JSON."""

    name = "indico-json"
    kind = Kind.JSON

    def recognises(self, source: Source) -> bool:
        """A JSON object with a registrants list."""
        return source.kind is self.kind and _registrants(source.document) is not None

    def read(self, source: Source) -> RegistrationRows:
        """One row per registrant."""
        registrants = _registrants(source.document)
        if registrants is None:
            raise ImportFileError(
                f"{source.path}: not Indico registrants: there is no results.registrants list"
            )
        rows: list[tuple[int, Mapping[str, str]]] = []
        for registrant in items(registrants):
            rows.append((len(rows) + 2, _registrant(registrant)))
        return RegistrationRows(self.name, dict(MAPPING), rows)


def _registrants(document: object) -> list[object] | None:
    found = mapping(mapping(document).get("results")).get("registrants")
    if not isinstance(found, list):
        found = mapping(document).get("registrants")
    return found if isinstance(found, list) else None


def _registrant(registrant: Mapping[str, object]) -> dict[str, str]:
    personal = mapping(registrant.get("personal_data"))
    values = {
        "code": text(registrant.get("checkin_secret")),
        "first_name": text(personal.get("firstName")),
        "last_name": text(personal.get("surname")),
        "name": text(registrant.get("full_name")),
        "email": text(personal.get("email")),
        "organisation": text(personal.get("affiliation")) or text(personal.get("institution")),
        "country": text(personal.get("country_code")) or text(personal.get("country")),
        "registration_id": text(registrant.get("registrant_id")),
    }
    if "state" in registrant:
        values["status"] = status_word(text(registrant.get("state")))
    if "checked_in" in registrant:
        values["Checked in"] = text(registrant.get("checked_in"))
    for name, label in EXTRAS.items():
        if text(personal.get(name)):
            values[label] = text(personal.get(name))
    if text(registrant.get("tags")):
        values["Tags"] = text(registrant.get("tags"))
    return values
