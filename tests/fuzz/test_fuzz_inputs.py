"""Fuzzing every reader of untrusted input: whatever the bytes, a clean refusion or a result.

The property: a reader either returns, or raises kiosk's own `KioskError` family with a
message that names the file; never another exception (which would be a traceback at the
desk). Example counts stay modest so that the suite stays fast.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.adapters.event_file import read_event_file
from kiosk.adapters.importers import RegistrationImporters
from kiosk.adapters.schedules.files import ScheduleFiles
from kiosk.core.codes import MalformedCodeError, clean_scan, lookups_for
from kiosk.core.errors import KioskError
from kiosk.core.registrations import check_rows
from kiosk.core.signing import CodeError, read_code

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the sample files are not at {CORPUS} (../shared/corpus)"
)
DAYS = (date(2023, 10, 23), date(2023, 10, 24))
FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ENCODINGS = ("utf-8", "utf-8-sig", "cp1250", "latin-1", "utf-16", "utf-16-le", "mac_roman")
CELL = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from('";,\t\r\n\x00='),
    max_size=12,
)


def refuses_cleanly(read: object, path: Path) -> None:
    """Call `read()`; a raised error must be kiosk's own, naming the file."""
    try:
        read()  # type: ignore[operator]
    except KioskError as error:
        assert str(path) in str(error), error


def mutated(original: bytes) -> st.SearchStrategy[bytes]:
    """`original` cut short, with bytes overwritten, or with bytes put in."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 4))):
            at = draw(st.integers(0, len(data)))
            action = draw(st.sampled_from(["cut", "overwrite", "insert"]))
            junk = draw(st.binary(min_size=1, max_size=16))
            if action == "cut":
                del data[at:]
            elif action == "overwrite":
                data[at : at + len(junk)] = junk
            else:
                data[at:at] = junk
        return bytes(data)

    return build()


# -- registration exports ------------------------------------------------------------------


@st.composite
def csv_exports(draw: st.DrawFn) -> bytes:
    """CSV files in many encodings, delimiters and quotings, some of it broken."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(
        st.lists(
            st.sampled_from(["code", "first_name", "last_name", "email", "days", "status", "name"])
            | CELL,
            min_size=1,
            max_size=7,
        )
    )
    rows = draw(st.lists(st.lists(CELL, max_size=8), max_size=6))
    quote = draw(st.sampled_from(['"', "'", ""]))
    lines = [delimiter.join(f"{quote}{cell}{quote}" for cell in row) for row in [header, *rows]]
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


def _read_registrations(path: Path) -> None:
    rows = RegistrationImporters().read(path)
    check_rows(rows.rows, DAYS)


@FUZZ
@given(data=csv_exports())
def test_any_csv_is_read_or_refused_cleanly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    refuses_cleanly(lambda: _read_registrations(path), path)


@FUZZ
@given(data=st.binary(max_size=2048))
def test_any_bytes_as_an_export_are_read_or_refused_cleanly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.bin"
    path.write_bytes(data)
    refuses_cleanly(lambda: _read_registrations(path), path)


def _workbook() -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["code", "first_name", "last_name", "email"])
    sheet.append(["A-1", "Jana", "Nováková", "jana@example.cz"])
    sheet.append([123456789012345, "Petr", "Kühr", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _workbook()


@FUZZ
@given(data=mutated(WORKBOOK))
def test_a_damaged_workbook_is_read_or_refused_cleanly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(data)
    refuses_cleanly(lambda: _read_registrations(path), path)


@needs_corpus
@FUZZ
@given(data=st.data())
def test_a_damaged_real_export_is_read_or_refused_cleanly(
    tmp_path: Path, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(p.name for p in (CORPUS / "registrations").iterdir())))
    raw = (CORPUS / "registrations" / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data.draw(mutated(raw)))
    refuses_cleanly(lambda: _read_registrations(path), path)


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * 4096)
    # The sheet says it unpacks to 3 GiB, as a bomb's does (packing 3 GiB of zeros for real
    # would take the test a minute): the size in its local header and the central directory.
    raw = bytearray(out.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    local = raw.find(name) - 30  # the name follows 30 bytes of local header
    central = raw.find(name, local + 31) - 46  # and 46 bytes of central directory entry
    assert raw[local : local + 4] == b"PK\x03\x04" and raw[central : central + 4] == b"PK\x01\x02"
    for size_at in (local + 22, central + 24):
        raw[size_at : size_at + 4] = (3 << 30).to_bytes(4, "little")
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bytes(raw))
    with pytest.raises(KioskError, match=r"bomb\.xlsx: 3072 MiB is over the 1024 MiB limit"):
        RegistrationImporters().read(path)


# -- schedules -----------------------------------------------------------------------------


def _read_schedule(path: Path) -> None:
    ScheduleFiles().read(path, "Europe/Prague")


@needs_corpus
@FUZZ
@given(data=st.data())
def test_a_damaged_schedule_is_read_or_refused_cleanly(tmp_path: Path, data: st.DataObject) -> None:
    files = sorted(
        p.name for p in (CORPUS / "schedules").iterdir() if p.suffix in {".xml", ".json", ".ics"}
    )
    name = data.draw(st.sampled_from(files))
    raw = (CORPUS / "schedules" / name).read_bytes()
    if len(raw) > 200_000:  # the 38C3 schedule: its first part is plenty, and quicker
        raw = raw[:200_000]
    path = tmp_path / name
    path.write_bytes(data.draw(mutated(raw)))
    refuses_cleanly(lambda: _read_schedule(path), path)


@FUZZ
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".xml", ".json", ".ics", ""]))
def test_any_bytes_as_a_schedule_are_read_or_refused_cleanly(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"schedule{suffix}"
    path.write_bytes(data)
    refuses_cleanly(lambda: _read_schedule(path), path)


@st.composite
def json_values(draw: st.DrawFn) -> object:
    leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    return draw(
        st.recursive(
            leaves,
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=10), inner, max_size=4)
            ),
            max_leaves=20,
        )
    )


@FUZZ
@given(document=json_values(), key=st.sampled_from(["schedule", "results", "conference", "x"]))
def test_any_json_as_a_schedule_is_read_or_refused_cleanly(
    tmp_path: Path, document: object, key: str
) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps({key: document}), encoding="utf-8")
    refuses_cleanly(lambda: _read_schedule(path), path)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<schedule><conference><title>&lol4;</title></conference></schedule>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<schedule><conference><title>&secret;</title></conference></schedule>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["bomb", "external"])
def test_xml_entities_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "schedule.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KioskError, match=r"schedule\.xml") as refused:
        _read_schedule(path)
    assert "root:" not in str(refused.value)


def test_a_schedule_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as file:
        file.truncate(65 * 1024 * 1024)  # sparse: nothing is written, nor read
    with pytest.raises(KioskError, match=r"huge\.xml: 65 MiB is over the 64 MiB limit"):
        _read_schedule(path)


def test_an_export_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(300 * 1024 * 1024)
    with pytest.raises(KioskError, match=r"huge\.csv: 300 MiB is over the 256 MiB limit"):
        RegistrationImporters().read(path)


# -- event files ---------------------------------------------------------------------------

EVENT_FIELDS = ["format", "id", "name", "venue", "timezone", "days", "locale", "public_key",
                "private_key", "private_key_encrypted", "retired_keys"]  # fmt: skip


@st.composite
def event_documents(draw: st.DrawFn) -> dict[str, object]:
    document: dict[str, object] = {
        "format": "kiosk-event/1",
        "id": "E36DU3YV",
        "name": "Clusters meet Regions",
        "venue": "",
        "timezone": "Europe/Prague",
        "days": ["2023-10-23", "2023-10-24"],
        "locale": "cs",
        "public_key": "oGyIW/zKSL5gPtc++CGvXHXW+TTv00sfeKdiFDrA3Sc=",
    }
    for field in draw(st.lists(st.sampled_from(EVENT_FIELDS), max_size=3)):
        if draw(st.booleans()):
            document.pop(field, None)
        else:
            document[field] = draw(json_values())
    return document


@FUZZ
@given(document=event_documents())
def test_any_event_file_is_read_or_refused_naming_the_file(
    tmp_path: Path, document: dict[str, object]
) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    refuses_cleanly(lambda: read_event_file(path, lambda _: "a wrong passphrase"), path)


@FUZZ
@given(data=st.binary(max_size=1024))
def test_any_bytes_as_an_event_file_are_refused_naming_the_file(
    tmp_path: Path, data: bytes
) -> None:
    path = tmp_path / "event.json"
    path.write_bytes(data)
    with pytest.raises(KioskError, match=r"event\.json"):
        read_event_file(path)


def test_an_endless_event_file_is_refused_after_its_limit() -> None:
    with pytest.raises(KioskError, match=r"/dev/zero: .* over the 1 MiB limit"):
        read_event_file(Path("/dev/zero"))


# -- the code parser -----------------------------------------------------------------------

SCANS = st.text(max_size=200) | st.from_regex(r"K1:[A-Z2-7]{0,180}", fullmatch=True)


@settings(max_examples=500, deadline=None)
@given(text=SCANS | st.builds(lambda s: "{" + s, st.text(max_size=60)) | st.builds(
    lambda s: "https://" + s, st.text(max_size=60)))  # fmt: skip
def test_any_scan_parses_or_is_malformed(text: str) -> None:
    try:
        lookups = lookups_for(clean_scan(text))
    except MalformedCodeError:
        return
    assert lookups.lookups and all(isinstance(code, str) for code in lookups.lookups)
    if lookups.kiosk:
        try:
            read_code(lookups.lookups[0])
        except CodeError:
            pass
