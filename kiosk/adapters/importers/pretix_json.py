"""pretix's order data export, `<slug>_pretixdata.json` ("pretix-json").

Recognised as a JSON object with `event.orders`. Each order position is a ticket, except
add-on positions (`addon_to` set) and positions whose item is not an admission
(`admission: false`): those are not people and are left out. A position's `secret` is the code,
`ORDERCODE-positionid` the registration id; the attendee name (its parts when pretix gives
them), e-mail (else the order's), company, and the item's name (with its variation) as the
category. Order status `p` (paid) and `n` (pending) are active, `c` (cancelled) and `e`
(expired) cancelled, as is a position marked `canceled` on its own. Answers to questions are
kept as extra fields under the question's text.

Rows are numbered as the tickets would be in a sheet with a header row: the first is row 2.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.adapters.importers.errors import ImportFileError
from kiosk.adapters.importers.json_values import items, mapping, text
from kiosk.adapters.importers.source import Kind, Source
from kiosk.adapters.importers.status import ACTIVE, CANCELLED
from kiosk.core.registrations import RegistrationRows

STATUSES = {"p": ACTIVE, "n": ACTIVE, "c": CANCELLED, "e": CANCELLED}
MAPPING = {
    "code": "orders[].positions[].secret",
    "first_name": "orders[].positions[].attendee_name_parts.given_name",
    "last_name": "orders[].positions[].attendee_name_parts.family_name",
    "organisation": "orders[].positions[].company",
    "email": "orders[].positions[].attendee_email (else orders[].email)",
    "category": "items[].name",
    "status": "orders[].status",
    "registration_id": "orders[].code-positions[].positionid",
    "name": "orders[].positions[].attendee_name",
}


class PretixJson:
    """pretix order data JSON."""

    name = "pretix-json"
    kind = Kind.JSON

    def recognises(self, source: Source) -> bool:
        """A JSON object with event.orders."""
        if source.kind is not self.kind:
            return False
        return isinstance(mapping(mapping(source.document).get("event")).get("orders"), list)

    def read(self, source: Source) -> RegistrationRows:
        """One row per admission ticket."""
        event = mapping(mapping(source.document).get("event"))
        if not isinstance(event.get("orders"), list):
            raise ImportFileError(
                f"{source.path}: not pretix order data: there is no event.orders list"
            )
        products = {text(item.get("id")): item for item in items(event.get("items"))}
        questions = {
            text(question.get("id")): text(question.get("question"))
            for question in items(event.get("questions"))
        }
        rows: list[tuple[int, Mapping[str, str]]] = []
        for order in items(event.get("orders")):
            for position in items(order.get("positions")):
                product = products.get(text(position.get("item")), {})
                if position.get("addon_to") is not None or product.get("admission") is False:
                    continue
                values = _ticket(order, position, product)
                for answer in items(position.get("answers")):
                    question = questions.get(text(answer.get("question")))
                    if question and question not in values and text(answer.get("answer")):
                        values[question] = text(answer.get("answer"))
                rows.append((len(rows) + 2, values))
        return RegistrationRows(self.name, dict(MAPPING), rows)


def _ticket(
    order: Mapping[str, object], position: Mapping[str, object], product: Mapping[str, object]
) -> dict[str, str]:
    parts = mapping(position.get("attendee_name_parts"))
    status = text(order.get("status"))
    category = text(product.get("name"))
    variation = text(position.get("variation"))
    for option in items(product.get("variations")):
        if variation and text(option.get("id")) == variation and text(option.get("value")):
            category = f"{category} – {text(option.get('value'))}"
    values = {
        "code": text(position.get("secret")),
        "first_name": text(parts.get("given_name")),
        "last_name": text(parts.get("family_name")),
        "name": text(position.get("attendee_name")) or text(parts.get("full_name")),
        "email": text(position.get("attendee_email")) or text(order.get("email")),
        "organisation": text(position.get("company")),
        "category": category,
        # A position cancelled on its own, in an order that goes on (newer pretix).
        "status": CANCELLED if position.get("canceled") is True else STATUSES.get(status, status),
        "registration_id": f"{text(order.get('code'))}-{text(position.get('positionid'))}",
        "Order code": text(order.get("code")),
    }
    if order.get("checkin_attention") is True:
        values["Requires special attention"] = "Yes"
    return values
