"""Reading scans: cleaning, registration systems' formats, keyboard layouts (with hypothesis)."""

from __future__ import annotations

import base64
import json
import string
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.codes import MalformedCodeError, clean_scan, lookups_for
from kiosk.core.layouts import (
    LAYOUT_NAMES,
    SCANNER_TEST_CODE,
    caps_lock,
    check_scanner,
    meant_on,
    scanner_readings,
    typeable_on,
    typed_on,
)

ASCII_CODE = st.text(alphabet=string.ascii_letters + string.digits + "-_.:/", min_size=1)


def test_clean_scan_strips_what_scanners_add() -> None:
    assert clean_scan("\x02 abc123\r\n") == "abc123"
    with pytest.raises(MalformedCodeError):
        clean_scan("\r\n")


def test_bare_and_numeric_codes_are_looked_up_as_they_are() -> None:
    assert lookups_for("000123").lookups == ("000123",)
    assert lookups_for("e8h3tnsxa2rc6q3hmdw9kwdwjf6qh3ft").lookups[0] == (
        "e8h3tnsxa2rc6q3hmdw9kwdwjf6qh3ft"
    )


def test_indico_payload_gives_its_secret_and_the_uuid_it_encodes() -> None:
    secret = uuid.UUID("5f0e6f33-7c44-4a8e-9a54-0a6f5b3c2d11")
    encoded = base64.urlsafe_b64encode(secret.bytes).decode().rstrip("=")
    payload = json.dumps({"i": [2, "indico.example.org", encoded]})
    lookups = lookups_for(payload).lookups
    assert lookups[0] == payload
    assert encoded in lookups and str(secret) in lookups


def test_indico_payload_with_a_plain_secret() -> None:
    assert "abc" in lookups_for('{"i":[1,"https://indico.example.org","abc"]}').lookups


@pytest.mark.parametrize("text", ['{"i": [2, "host"]}', '{"i": 3}', "{not json", "[1,2]"])
def test_broken_json_is_malformed(text: str) -> None:
    if text.startswith("["):
        assert lookups_for(text).lookups == (text,)
        return
    with pytest.raises(MalformedCodeError):
        lookups_for(text)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://pretix.example.org/democon/order/ABC12/x7k9", "x7k9"),
        ("https://t.example.org/checkin?code=x7k9&lang=cs", "x7k9"),
        ("https://t.example.org/?secret=x7k9", "x7k9"),
        ("https://t.example.org/t/%C5%BE1", "ž1"),
        ("https://t.example.org/app#x7k9", "x7k9"),
    ],
)
def test_codes_wrapped_in_urls(url: str, code: str) -> None:
    lookups = lookups_for(url).lookups
    assert lookups[0] == url and code in lookups


def test_kiosk_codes_are_recognised_case_insensitively() -> None:
    assert lookups_for("K1:ABC").kiosk and lookups_for("k1:abc").kiosk
    assert not lookups_for("K2:ABC").kiosk


def test_czech_layout_maps_the_number_row_and_swaps_y_and_z() -> None:
    assert typed_on("cs", "1234567890") == "+ěščřžýáíé"
    assert typed_on("cs", "yYzZ") == "zZyY"
    assert meant_on("cs", "+ěščřžýáíé") == "1234567890"


@pytest.mark.parametrize(
    ("layout", "sent", "typed"),
    [
        # Printed on the keys: what the US key types on each layout.
        ("cs", "-=[];'\\/`", "=´ú)ů§¨-;"),
        ("cs", ':"<>?@', '"!?:_2'),
        ("de", "-[];'/\\", "ßü+öä-#"),
        ("de", ':"<>?@&', 'ÖÄ;:_"/'),
        ("fr", ",./;'m", ";:!mù,"),
        ("fr", "<>?:", "./§M"),
    ],
)
def test_keys_as_printed_on_each_layout(layout: str, sent: str, typed: str) -> None:
    # "´" on cs is a dead key: it never arrives, so it is left as sent.
    expected = typed.replace("´", "=")
    assert typed_on(layout, sent) == expected


def test_german_and_french_maps() -> None:
    assert typed_on("de", "zy-") == "yzß"
    assert typed_on("fr", "1234567890") == "&é\"'(-è_çà"
    assert typed_on("fr", "aqzwm") == "qawz,"


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@given(text=st.text(alphabet=string.printable[:94]))
def test_every_typeable_text_reads_back_as_sent(layout: str, text: str) -> None:
    sent = "".join(char for char in text if char in typeable_on(layout))
    assert meant_on(layout, typed_on(layout, sent)) == sent


@given(code=ASCII_CODE)
def test_readings_start_with_the_scan_itself_and_include_every_layout_fix(code: str) -> None:
    readings = scanner_readings(code)
    assert readings[0] == code
    assert len(readings) == len(set(readings))
    for layout in LAYOUT_NAMES:
        if set(code) <= typeable_on(layout):
            assert code in scanner_readings(typed_on(layout, code))


@given(code=st.text(min_size=1, max_size=200))
def test_lookups_never_crash_on_any_text(code: str) -> None:
    try:
        cleaned = clean_scan(code)
    except MalformedCodeError:
        return
    try:
        found = lookups_for(cleaned)
    except MalformedCodeError:
        assert cleaned.startswith("{")
        return
    assert found.lookups[0] == cleaned


@pytest.mark.parametrize("scan", ["http://[::1", "https://x.cz:99999/a", "http://a:b@[x/T-1"])
def test_a_scan_that_only_looks_like_a_url_is_still_looked_up(scan: str) -> None:
    assert lookups_for(scan).lookups[0] == scan


@pytest.mark.parametrize("layout", LAYOUT_NAMES)
@pytest.mark.parametrize("caps", [False, True])
def test_the_scanner_check_names_the_layout_and_caps_lock(layout: str, caps: bool) -> None:
    arrived = typed_on(layout, SCANNER_TEST_CODE)
    check = check_scanner(caps_lock(arrived) if caps else arrived)
    assert (check.layout, check.caps_lock, check.exact) == (layout, caps, False)


def test_the_scanner_check_on_a_us_layout_is_exact_and_garbage_is_unrecognised() -> None:
    assert check_scanner(SCANNER_TEST_CODE + "\n").exact
    assert not check_scanner("4006381333931").recognised
    # Every layout types the test code differently: the check can always tell them apart.
    typed = {typed_on(layout, SCANNER_TEST_CODE) for layout in LAYOUT_NAMES}
    assert len(typed | {SCANNER_TEST_CODE}) == len(LAYOUT_NAMES) + 1
