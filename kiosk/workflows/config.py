"""Settings: read them all, show them, set one with its rules (`kiosk config`, the screens)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kiosk.core.clock import Clock, system_clock
from kiosk.core.errors import NoEventError, SettingError
from kiosk.core.model import EntryKind, Event, JournalEntry, new_entry_uuid
from kiosk.core.settings import SETTINGS, Scope, Setting, Settings, parse_value, read_settings
from kiosk.core.settings import setting as declared_setting

if TYPE_CHECKING:  # a type only: reading settings imports no protocols
    from kiosk.core.ports import Store


def _event_or_none(store: Store) -> Event | None:
    try:
        return store.event()
    except NoEventError:
        return None


def stored_settings(store: Store) -> dict[str, str]:
    """Every stored setting as text, each from where its scope keeps it."""
    kiosk, event = store.kiosk_settings(), store.event_settings()
    stored: dict[str, str] = {}
    for declared in SETTINGS:
        source = kiosk if declared.scope is Scope.KIOSK else event
        if declared.name in source:
            stored[declared.name] = source[declared.name]
    return stored


def current_settings(store: Store) -> Settings:
    """The settings in force on this kiosk: stored values, defaults for the rest."""
    return read_settings(stored_settings(store), _event_or_none(store))


@dataclass(frozen=True)
class SettingValue:
    """One setting as `kiosk config` shows it."""

    setting: Setting
    value: Any

    def to_dict(self) -> dict[str, Any]:
        """The setting as the JSON object of the command-line contract."""
        declared = self.setting
        value = declared.text(self.value)
        if declared.secret and value:
            value = "(set)"
        return {
            "name": declared.name,
            "value": value,
            "default": declared.text(declared.default),
            "type": declared.type,
            "scope": str(declared.scope),
            "description": declared.description,
        }


def list_settings(store: Store) -> list[SettingValue]:
    """Every declared setting with its value in force, in declaration order."""
    settings = current_settings(store)
    return [SettingValue(s, getattr(settings, s.field)) for s in SETTINGS]


def get_setting(store: Store, name: str) -> SettingValue:
    """One setting with its value in force; `SettingError` for an unknown name."""
    declared = declared_setting(name)
    return SettingValue(declared, getattr(current_settings(store), declared.field))


def change_setting(
    store: Store,
    name: str,
    text: str | None,
    *,
    station: str = "",
    clock: Clock = system_clock,
) -> SettingValue:
    """Set setting `name` to what `text` means (None: back to its default), after its rules.

    A kiosk setting is stored here; an event setting is a journal entry, so it reaches every
    kiosk of the event with the journal, and the newest one wins everywhere.
    """
    declared = declared_setting(name)
    if declared.managed_by:
        raise SettingError(f"{name}: set it with '{declared.managed_by}'")
    event = _event_or_none(store)
    value = declared.default if text is None else parse_value(name, text, event)
    stored = declared.text(value)
    if declared.scope is Scope.KIOSK:
        if text is None:
            store.clear_setting(name)
        else:
            store.set_setting(name, stored)
    else:
        if event is None:
            raise NoEventError("event settings need an event: run 'kiosk init' or 'kiosk demo'")
        at = clock()
        store.append(
            JournalEntry(
                uuid=new_entry_uuid(),
                kind=EntryKind.SETTING,
                station=station or current_settings(store).station,
                at=at,
                data={"name": name, "value": stored},
            )
        )
    return get_setting(store, name)
