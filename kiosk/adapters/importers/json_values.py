"""Reading values out of a JSON export: text of any JSON value, and nested lookups."""

from __future__ import annotations

from collections.abc import Mapping


def text(value: object, languages: tuple[str, ...] = ("en", "cs", "de")) -> str:
    """A JSON value as text: strings as they are, whole numbers without ".0", booleans as
    Yes/No, translated strings ({"en": ..., "de": ...}) in the first of `languages` present
    (else any), lists joined with ", ", null as "".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, Mapping):
        for language in languages:
            if value.get(language):
                return text(value[language])
        return next((text(item) for item in value.values() if text(item)), "")
    if isinstance(value, list):
        return ", ".join(part for part in map(text, value) if part)
    return str(value)


def mapping(value: object) -> Mapping[str, object]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def items(value: object) -> list[Mapping[str, object]]:
    """The objects of `value` when it is a JSON array, else none."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
