"""Logos as data: URIs: PNG and JPEG only, size-capped, damage refused."""

from __future__ import annotations

import pytest

from kiosk.core.errors import SettingError
from kiosk.core.images import MAX_IMAGE_BYTES, image_bytes, image_uri
from kiosk.core.settings import parse_value, read_settings

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 40


@pytest.mark.parametrize(("data", "kind"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_an_image_round_trips_through_its_uri(data: bytes, kind: str) -> None:
    uri = image_uri(data, "logo")
    assert uri.startswith(f"data:{kind};base64,") and image_bytes(uri) == data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a" + b"\0" * 10, "logo.gif: not a PNG or JPEG image"),
        (b"<svg></svg>", "not a PNG or JPEG"),
        (PNG + b"\0" * MAX_IMAGE_BYTES, "more than 256 KB"),
    ],
)
def test_other_files_and_big_ones_are_refused_by_name(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        image_uri(data, "logo.gif")


def test_the_logo_setting_refuses_text_that_is_no_image_and_an_old_bad_value_is_ignored() -> None:
    good = image_uri(PNG, "logo.png")
    assert parse_value("lobby.logo", good) == good
    for bad in ("logo.png", "data:image/png;base64,!!!", "data:text/html;base64,PGI+"):
        with pytest.raises(SettingError, match=r"lobby\.logo"):
            parse_value("lobby.logo", bad)
    assert read_settings({"lobby.logo": "data:image/png;base64,!!!"}).lobby_logo == ""
