"""Settings are declared once: every field has a declaration, and values are checked."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from kiosk.core.errors import SettingError
from kiosk.core.model import Event
from kiosk.core.settings import SETTINGS, Scope, Settings, parse_value, read_settings, setting


def test_every_field_of_settings_is_declared_once_with_a_description() -> None:
    assert sorted(s.field for s in SETTINGS) == sorted(f.name for f in fields(Settings))
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)
    for declared in SETTINGS:
        assert declared.description.endswith(".")
        assert declared.scope in (Scope.KIOSK, Scope.EVENT)
        # The default passes its own rules.
        assert declared.parse(declared.text(declared.default), None) == declared.default


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("desk.result_seconds", "abc", "not a whole number"),
        ("desk.result_seconds", "1", "from 3 to 600"),
        ("desk.language", "de", "one of"),
        ("station", "   ", "needs a name"),
        ("station", "x" * 41, "at most 40"),
        ("rehearsal_day", "2023-10-25", "not a day of the event"),
        ("rehearsal_day", "tomorrow", "not a date"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_setting_and_the_value(
    event_and_keys: tuple[Event, object], name: str, text: str, words: str
) -> None:
    with pytest.raises(SettingError, match=words) as caught:
        parse_value(name, text, event_and_keys[0])
    assert name in str(caught.value) and repr(text) in str(caught.value)


def test_an_unknown_setting_is_an_error_listing_the_known_ones() -> None:
    with pytest.raises(SettingError, match=r"'desk\.colour' is not a setting.*station"):
        setting("desk.colour")


def test_stored_values_are_read_and_bad_ones_fall_back_to_the_default(
    event_and_keys: tuple[Event, object],
) -> None:
    settings = read_settings(
        {
            "station": "Desk  B ",
            "rehearsal_day": "2023-10-24",
            "desk.result_seconds": "nonsense",
            "checkin.repeat_seconds": "5",
        },
        event_and_keys[0],
    )
    assert settings == Settings(
        station="Desk B", rehearsal_day=date(2023, 10, 24), repeat_seconds=5
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", ""),  # the system's default camera
        ("none", "none"),
        (" NONE ", "none"),
        ("  Logitech BRIO  ", "Logitech BRIO"),
        ("/dev/video2", "/dev/video2"),
    ],
)
def test_the_camera_is_the_default_none_or_a_named_one(text: str, value: str) -> None:
    assert parse_value("camera.device", text) == value
    assert read_settings({"camera.device": text}).camera_device == value
    assert setting("camera.device").scope is Scope.KIOSK


def test_a_camera_name_with_control_characters_is_refused() -> None:
    with pytest.raises(SettingError, match=r"camera\.device: .* control characters"):
        parse_value("camera.device", "cam\x1b[2J")
