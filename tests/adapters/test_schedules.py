"""Schedule files of real systems: every sample file, the demo agenda, detection by content,
and each way real files break their schemas; the sessions table and its change feed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.adapters.schedules import FORMAT_NAMES, ScheduleFiles
from kiosk.adapters.storage import ChangeFeed, SqliteStore
from kiosk.adapters.storage.schedule import ScheduleStore
from kiosk.core.errors import FileFormatError
from kiosk.core.journal import Topic
from kiosk.core.model import Event
from kiosk.core.schedule import ParsedSchedule, Session
from kiosk.workflows.schedule import cancel_session, import_schedule

REPO = Path(__file__).resolve().parents[2]
# CI keeps a copy of shared/ beside the clone; the sample schedules must never ship with kiosk.
CORPUS = REPO.parent / "shared" / "corpus" / "schedules"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the sample schedules are not at {CORPUS} (../shared/corpus)"
)
FILES = ScheduleFiles()
PRAGUE = ZoneInfo("Europe/Prague")
BERLIN = ZoneInfo("Europe/Berlin")
# The schemas beside the samples are no schedules: they must be refused, clearly.
SCHEMAS = {"schema.json", "schema2.json", "schedule.xml.xsd"}


def corpus_files() -> list[str]:
    return sorted(p.name for p in CORPUS.iterdir()) if CORPUS.is_dir() else []


def read(path: Path, timezone: str = "Europe/Prague") -> ParsedSchedule:
    return FILES.read(path, timezone)


def local(session: Session, tz: ZoneInfo = PRAGUE) -> str:
    return session.start.astimezone(tz).isoformat()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def count_events(path: Path) -> int:
    """The events a sample holds, counted without kiosk's readers."""
    data = path.read_bytes()
    if path.suffix == ".xml":
        return len(re.findall(rb"<event[\s>]", data))
    if path.suffix == ".ics":
        return data.count(b"BEGIN:VEVENT")
    schedule = json.loads(data)["schedule"]
    days = schedule["conference"].get("days", [])
    return sum(len(events) for day in days for events in day["rooms"].values()) + len(
        schedule.get("events", [])
    )


# -- the sample files ----------------------------------------------------------------------------

# What each sample gets wrong, as the import must say it (a part of each warning's text).
EXPECTED_WARNINGS = {
    "38c3-schedule-20251206.xml": [],
    "fosdem2018-excerpt-sojourner-fixture.xml": ["no time zone in the file"],
    "frab-camp2019.json": [],
    "pretalx-democon.json": ["time_zone_name 'UTC' contradicts the offsets of 36 events"],
    "pyconuk2015.ics": ["has no end or duration"] * 5 + ["has no title"] * 4,
}


@needs_corpus
@pytest.mark.parametrize("name", corpus_files())
def test_every_sample_file_imports_or_is_refused_clearly(name: str, tmp_path: Path) -> None:
    path = CORPUS / name
    if name in SCHEMAS:
        with pytest.raises(FileFormatError, match="in no schedule format kiosk knows"):
            read(path)
        return
    parsed = read(path)
    expected = count_events(path)
    assert parsed.events == expected
    assert len(parsed.sessions) == expected  # nothing dropped
    assert len({s.key for s in parsed.sessions}) == expected
    for session in parsed.sessions:
        assert session.start.tzinfo is not None and session.start.utcoffset() == timedelta(0)
        assert session.end >= session.start
    messages = [warning.message for warning in parsed.warnings]
    wanted = EXPECTED_WARNINGS[name]
    assert len(messages) == len(wanted), messages
    for part, message in zip(sorted(wanted), sorted(messages), strict=True):
        assert part in message
    assert all(warning.file == name for warning in parsed.warnings)
    # And the whole file goes into a kiosk's database.
    store = SqliteStore(tmp_path / "kiosk.sqlite3")
    store.create_event(Event("E", "Event", "Europe/Prague", (date(2023, 10, 23),)), None)
    report = import_schedule(store, ScheduleStore(store), FILES, path)
    assert report.count("added") == expected
    assert len(ScheduleStore(store).sessions()) == expected
    store.close()


@needs_corpus
def test_38c3_rooms_zone_and_the_night_after_each_day() -> None:
    path = CORPUS / "38c3-schedule-20251206.xml"
    parsed = read(path)
    assert (parsed.format, parsed.source, parsed.timezone) == ("frab-xml", "38c3", "Europe/Berlin")
    assert len(parsed.rooms) == 72 and parsed.rooms[0] == "Saal 1"
    # Independently: the events whose date is the day after the <day> they are filed under.
    night = set()
    for day in ET.parse(path).getroot().iter("day"):
        for event in day.iter("event"):
            if event.findtext("date", "")[:10] != day.get("date"):
                night.add(event.get("guid"))
    assert len(night) == 58
    by_guid = {s.key.split("/")[1].split("@")[0]: s for s in parsed.sessions}
    opening = by_guid["270fa44c-821a-577f-8ca3-33e8d4a8c2a7"]
    assert local(opening, BERLIN) == "2024-12-27T10:30:00+01:00"
    assert opening.end - opening.start == timedelta(minutes=30)
    assert opening.speakers == ("Gabriela Bogk", "Senficon", "Aline Blankertz")
    for guid in night:
        assert by_guid[guid].start.astimezone(BERLIN).hour < 12


@needs_corpus
def test_pretalx_offsets_win_over_its_utc_time_zone_name() -> None:
    parsed = read(CORPUS / "pretalx-democon.json")
    first = min(parsed.sessions, key=lambda s: s.start)
    assert local(first) == "2020-12-14T09:00:00+01:00"


@needs_corpus
def test_pentabarf_times_are_read_in_the_event_s_zone_when_the_file_names_none() -> None:
    parsed = read(CORPUS / "fosdem2018-excerpt-sojourner-fixture.xml", "Europe/Brussels")
    keynote = next(s for s in parsed.sessions if s.ref == "6245")
    assert keynote.start.astimezone(ZoneInfo("Europe/Brussels")).isoformat() == (
        "2018-02-03T10:00:00+01:00"
    )
    assert keynote.subtitle == "Twenty Years of OSI Stewardship"


@needs_corpus
def test_icalendar_folding_and_escapes() -> None:
    parsed = read(CORPUS / "pyconuk2015.ics")
    titles = {s.title for s in parsed.sessions}
    assert "Keynote: Van Lindberg, PSF Chair" in titles
    assert "End of Conference, pack up, see you in 2016!" in titles
    first = parsed.sessions[0]
    assert first.ref.endswith("linux-7")  # the UID's folded line joined
    assert first.start == datetime(2015, 9, 18, 7, 0, tzinfo=UTC)


def test_the_demo_agenda() -> None:
    parsed = read(FILES.demo_file())
    assert (parsed.source, parsed.events, len(parsed.sessions)) == ("cmr2023", 35, 35)
    assert parsed.warnings == ()
    assert parsed.rooms == ("Main Hall", "Seminar Room A", "Seminar Room B", "Matchmaking Area")
    opening = next(s for s in parsed.sessions if s.ref == "102")
    assert local(opening) == "2023-10-23T09:00:00+02:00"
    assert opening.speakers == ("Zdeňka Řezníčková",)
    assert {s.day(Event("E", "x", "Europe/Prague", ())) for s in parsed.sessions} == {
        date(2023, 10, 23),
        date(2023, 10, 24),
    }


# -- detection -----------------------------------------------------------------------------------


def test_the_format_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    demo = FILES.demo_file().read_text(encoding="utf-8")
    assert FILES.read(write(tmp_path, "agenda.txt", demo), "Europe/Prague").format == (
        "schedule-json"
    )
    with pytest.raises(FileFormatError, match="not ical"):
        FILES.read(write(tmp_path, "x.ics", demo), "Europe/Prague", format_name="ical")
    with pytest.raises(FileFormatError, match="unknown schedule format"):
        FILES.read(write(tmp_path, "x.json", demo), "Europe/Prague", format_name="pdf")
    with pytest.raises(FileFormatError, match="in no schedule format"):
        FILES.read(write(tmp_path, "x.csv", "a,b\n1,2\n"), "Europe/Prague")
    with pytest.raises(FileFormatError, match="broken JSON"):
        FILES.read(write(tmp_path, "x.json", '{"schedule": '), "Europe/Prague")
    with pytest.raises(FileFormatError, match="cannot be read"):
        FILES.read(tmp_path / "missing.xml", "Europe/Prague")
    assert set(FORMAT_NAMES) == {"frab-xml", "schedule-json", "indico-json", "ical"}


def test_xml_entity_bombs_are_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><schedule><version>&b;</version></schedule>'
    )
    with pytest.raises(FileFormatError, match="not readable XML"):
        read(write(tmp_path, "bomb.xml", bomb))


# -- frab XML ------------------------------------------------------------------------------------

FRAB = """<?xml version="1.0" encoding="UTF-8"?>
<schedule>
  <version>v2</version>
  <conference><acronym>night23</acronym><title>Night</title>
    <time_zone_name>Europe/Prague</time_zone_name><day_change>06:00:00</day_change></conference>
  <day index="1" date="2023-10-23">
    <room name="Hall">
      <event id="1" guid="g-1"><start>22:00</start><duration>01:30:00</duration>
        <room>Hall</room><title>Late &lt;b&gt;show&lt;/b&gt;</title>
        <abstract>&lt;p&gt;First &amp;amp; best.&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;</abstract>
        <persons><person id="1">Jana Nováková</person></persons></event>
      <event id="2" guid="g-2"><start>01:00</start><duration>00:45</duration>
        <room>Hall</room><title>After midnight</title></event>
      <event id="3" guid="g-3"><start>soon</start><duration>00:45</duration>
        <room>Hall</room><title>No start</title></event>
      <event id="4"><start>23:30</start><duration>1:00</duration><title>Same id</title></event>
      <event id="5" guid="g-5"><start>20:00</start><duration>00:30</duration>
        <title>Called off</title><state>CANCELED</state></event>
      <event id="6" guid="g-6"><start>20:30</start><duration>00:30</duration>
        <title>Never</title><state>REJECTED</state></event>
    </room>
    <room name="Club">
      <event id="4"><start>23:30</start><duration>1:00</duration><title>Same id</title></event>
      <event id="4"><start>23:30</start><duration>1:00</duration><title>Same id</title></event>
    </room>
  </day>
</schedule>
"""


def test_frab_xml_night_ids_html_and_bad_events(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, "night.xml", FRAB))
    assert parsed.events == 8 and parsed.source == "night23" and parsed.version == "v2"
    by_ref = {s.ref: s for s in parsed.sessions if s.ref != "4"}
    late = by_ref["1"]
    assert late.title == "Late show"
    assert late.abstract == "First & best.\n\nSecond"
    assert late.end - late.start == timedelta(hours=1, minutes=30)
    assert local(by_ref["2"]) == "2023-10-24T01:00:00+02:00"  # filed under the day before
    assert by_ref["5"].cancelled
    assert "3" not in by_ref and "6" not in by_ref
    same = [s for s in parsed.sessions if s.ref == "4"]
    assert sorted(s.room for s in same) == ["Club", "Hall"]
    assert same[1].key == same[0].key + "~2"
    text = "\n".join(str(w) for w in parsed.warnings)
    assert "night.xml: event 3: no readable start" in text
    assert "event 6: state 'REJECTED'" in text
    assert "event 4: repeats the id of another event at the same time (in Hall)" in text
    assert "event 4: listed twice: kept once" in text


# -- schedule.json -------------------------------------------------------------------------------


def schedule_json(events: list[dict[str, object]], tz: str = "Europe/Berlin") -> str:
    return json.dumps(
        {
            "schedule": {
                "version": "1",
                "conference": {
                    "acronym": "tz",
                    "title": "TZ",
                    "time_zone_name": tz,
                    "days": [
                        {
                            "index": 1,
                            "date": "2023-10-23",
                            "day_start": "2023-10-23T04:00:00+02:00",
                            "day_end": "2023-10-24T03:59:00+02:00",
                            "rooms": {"Hall": events},
                        }
                    ],
                },
            }
        }
    )


def event(ident: int, **fields: object) -> dict[str, object]:
    return {"id": ident, "guid": f"g-{ident}", "room": "Hall", "title": f"T{ident}", **fields}


def test_schedule_json_times_durations_and_text(tmp_path: Path) -> None:
    events = [
        event(1, date="2023-10-23T10:00:00+02:00", start="10:00", duration="PT45M"),
        event(2, start="11:00", duration=90),  # no date: the day's date, the file's zone
        event(3, start="02:00", duration="1:30"),  # before the day started: the night after
        event(4, date="2023-10-23T12:00:00+02:00", start="12:00", duration="00:30:00",
              title={"de": "Titel", "en": "Title"}, persons="Jana Nováková, Petr Přikryl"),
        event(5, date="2023-10-23T13:00:00+02:00", start="13:00", duration="soon"),
        event(6, date="2023-10-23T14:00:00+02:00", start="15:00", duration="00:30"),
        event(7, date="9999-12-31T23:30:00+00:00", duration="02:00"),  # past the last year
        "not an event at all",
    ]  # fmt: skip
    parsed = read(write(tmp_path, "s.json", schedule_json(events)))
    by_ref = {s.ref: s for s in parsed.sessions}
    assert by_ref["1"].end - by_ref["1"].start == timedelta(minutes=45)
    assert local(by_ref["2"]) == "2023-10-23T11:00:00+02:00"
    assert by_ref["2"].end - by_ref["2"].start == timedelta(minutes=90)
    assert local(by_ref["3"]) == "2023-10-24T02:00:00+02:00"
    assert by_ref["4"].title == "Title"
    assert by_ref["4"].speakers == ("Jana Nováková", "Petr Přikryl")
    assert by_ref["5"].end == by_ref["5"].start  # an unreadable duration: starting only
    assert local(by_ref["6"]) == "2023-10-23T14:00:00+02:00"
    text = "\n".join(w.message for w in parsed.warnings)
    assert "duration 'soon' unreadable" in text
    assert "disagree: the date is used" in text
    places = "\n".join(str(w) for w in parsed.warnings)
    assert "s.json: event 7: unreadable (OverflowError" in places
    assert "s.json: event #8: no readable start" in places
    assert parsed.events == 8 and len(parsed.sessions) == 6


def test_local_times_labelled_utc_are_read_as_local(tmp_path: Path) -> None:
    events = [event(1, date="2023-10-23T10:00:00Z", start="10:00", duration="00:30")]
    parsed = read(write(tmp_path, "z.json", schedule_json(events)))
    assert local(parsed.sessions[0]) == "2023-10-23T10:00:00+02:00"
    assert "labelled UTC" in parsed.warnings[0].message
    # A real UTC time beside its local start is left alone.
    events = [event(1, date="2023-10-23T08:00:00Z", start="10:00", duration="00:30")]
    parsed = read(write(tmp_path, "z.json", schedule_json(events)))
    assert local(parsed.sessions[0]) == "2023-10-23T10:00:00+02:00"
    assert parsed.warnings == ()


def test_schedule_json_version_2_events_and_states(tmp_path: Path) -> None:
    document = {
        "schedule": {
            "version": "2",
            "conference": {"acronym": "v2", "title": "V2", "time_zone_name": "Europe/Prague"},
            "events": [
                {"guid": "a", "code": "ABC", "start": "2023-10-23T09:00:00+02:00",
                 "end": "2023-10-23T09:45:00+02:00", "room": {"name": "Hall", "guid": "r"},
                 "title": "Opening", "participants": [{"name": "Jana", "role": "SPEAKER"}]},
                {"guid": "b", "start": "2023-10-23T10:00:00+02:00", "duration": "PT1H",
                 "room": {"name": "Hall"}, "title": "Off", "state": "CANCELED"},
                {"guid": "c", "start": "2023-10-23T11:00:00+02:00", "duration": "PT1H",
                 "room": {"name": "Hall"}, "title": "Gone", "state": "DELETED"},
            ],
        }
    }  # fmt: skip
    parsed = read(write(tmp_path, "v2.json", json.dumps(document)))
    assert parsed.events == 3
    opening, off = parsed.sessions
    assert (opening.ref, opening.room, opening.speakers) == ("ABC", "Hall", ("Jana",))
    assert opening.end - opening.start == timedelta(minutes=45)
    assert off.cancelled and not opening.cancelled


# -- Indico ----------------------------------------------------------------------------------------


def indico_date(day: str, clock: str) -> dict[str, str]:
    return {"date": day, "time": clock, "tz": "Europe/Zurich"}


def test_indico_event_export_with_sessions(tmp_path: Path) -> None:
    contribution = {
        "_type": "Contribution",
        "id": "1",
        "title": "<p>Opening</p>",
        "startDate": indico_date("2023-10-23", "08:00:00"),
        "endDate": indico_date("2023-10-23", "08:20:00"),
        "duration": 20,
        "room": "",
        "roomFullname": "",
        "speakers": [{"fullName": "Dr. Jana Nováková"}],
        "track": None,
        "session": None,
        "description": "<b>Welcome</b> &amp; hello",
    }
    in_session = {
        **contribution,
        "id": "3",
        "title": "Deep dive",
        "room": "160-1-009",
        "startDate": indico_date("2023-10-23", "14:00:00"),
        "endDate": None,
    }
    document = {
        "count": 1, "_type": "HTTPAPIResult",
        "results": [{"_type": "Conference", "id": "137346", "title": "Export Test",
                     "timezone": "Europe/Zurich", "contributions": [contribution],
                     "sessions": [{"title": "Afternoon", "contributions": [in_session]}]}],
    }  # fmt: skip
    parsed = read(write(tmp_path, "indico.json", json.dumps(document)))
    assert (parsed.format, parsed.source, parsed.events) == ("indico-json", "indico-137346", 2)
    opening, deep = parsed.sessions
    assert opening.title == "Opening" and opening.abstract == "Welcome & hello"
    assert opening.speakers == ("Dr. Jana Nováková",)
    assert local(opening, ZoneInfo("Europe/Zurich")) == "2023-10-23T08:00:00+02:00"
    assert deep.room == "160-1-009" and deep.track == "Afternoon"
    assert deep.end - deep.start == timedelta(minutes=20)  # from the duration in minutes
    assert any("has no room" in w.message for w in parsed.warnings)


def test_indico_timetable_export(tmp_path: Path) -> None:
    entry = {
        "_type": "ContribSchEntry",
        "entryType": "Contribution",
        "id": "c0",
        "contributionId": "0",
        "uniqueId": "a137346t0",
        "title": "Contrib 1",
        "startDate": indico_date("2013-04-29", "16:00:00"),
        "endDate": indico_date("2013-04-29", "16:30:00"),
        "room": "160-1-009",
        "presenters": [{"name": "Pedro"}],
    }
    coffee = {
        **entry,
        "entryType": "Break",
        "id": "b1",
        "uniqueId": "a137346b1",
        "title": "Coffee",
        "startDate": indico_date("2013-04-29", "16:30:00"),
        "endDate": indico_date("2013-04-29", "17:00:00"),
    }
    block = {
        "entryType": "Session",
        "title": "Block",
        "id": "s1",
        "startDate": indico_date("2013-04-29", "17:00:00"),
        "entries": {
            "c2": {
                **entry,
                "id": "c2",
                "uniqueId": "a137346t2",
                "title": "Inside",
                "startDate": indico_date("2013-04-29", "17:00:00"),
                "endDate": indico_date("2013-04-29", "17:15:00"),
            }
        },
    }
    days = {"20130429": {"c0": entry, "b1": coffee, "s1": block}}
    document = {"_type": "HTTPAPIResult", "results": {"137346": days}}
    parsed = read(write(tmp_path, "timetable.json", json.dumps(document)))
    assert [s.title for s in parsed.sessions] == ["Contrib 1", "Coffee", "Inside"]
    assert parsed.sessions[1].is_break and parsed.sessions[2].track == "Block"
    assert parsed.sessions[0].speakers == ("Pedro",)


# -- iCalendar -----------------------------------------------------------------------------------

ICS = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "X-WR-CALNAME:Floating Conf",
        "X-WR-TIMEZONE:Europe/Prague",
        "BEGIN:VEVENT",
        "UID:float-1",
        "DTSTART:20231023T090000",
        "DTEND:20231023T093000",
        "SUMMARY:Floating time\\, in the calendar's zone",
        "LOCATION:Main Hall",
        "CATEGORIES:Plenary,Opening",
        "DESCRIPTION:Line one\\nLine <i>two</i>",
        "BEGIN:VALARM",
        "SUMMARY:not the event's",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:tz-1",
        "DTSTART;TZID=America/New_York:20231023T040000",
        "DURATION:PT1H30M",
        "SUMMARY:In New York time",
        "LOCATION:Main Hall",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:off-1",
        "SEQUENCE:0",
        "DTSTART:20231023T100000Z",
        "DTEND:20231023T110000Z",
        "SUMMARY:Old version",
        "LOCATION:Room B",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:off-1",
        "SEQUENCE:2",
        "STATUS:CANCELLED",
        "DTSTART:20231023T100000Z",
        "DTEND:20231023T110000Z",
        "SUMMARY:Cancelled talk with a very long title that the calendar folded over two li",
        " nes",
        "LOCATION:Room B",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:allday",
        "DTSTART;VALUE=DATE:20231023",
        "SUMMARY:Day one",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:weekly",
        "DTSTART;TZID=Europe/Prague:20231023T120000",
        "DTEND;TZID=Europe/Prague:20231023T130000",
        "RRULE:FREQ=DAILY;COUNT=2",
        "SUMMARY:Lunch",
        "LOCATION:Foyer",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def test_icalendar_zones_statuses_and_updates(tmp_path: Path) -> None:
    parsed = read(write(tmp_path, "conf.ics", ICS), "Europe/London")
    assert parsed.source == "floating-conf" and parsed.timezone == "Europe/Prague"
    assert parsed.events == 6
    by_ref = {s.ref: s for s in parsed.sessions}
    floating = by_ref["float-1"]
    assert local(floating) == "2023-10-23T09:00:00+02:00"  # X-WR-TIMEZONE, not the event's
    assert floating.title == "Floating time, in the calendar's zone"
    assert floating.abstract == "Line one\nLine two" and floating.track == "Plenary"
    new_york = by_ref["tz-1"]
    assert local(new_york) == "2023-10-23T10:00:00+02:00"
    assert new_york.end - new_york.start == timedelta(minutes=90)
    cancelled = by_ref["off-1"]
    assert cancelled.cancelled and cancelled.title.endswith("over two lines")
    assert "allday" not in by_ref
    text = "\n".join(str(w) for w in parsed.warnings)
    assert "event off-1: listed twice" in text
    assert "event allday: an all-day entry" in text
    assert "event weekly: repeats (RRULE)" in text


def test_not_utf8_calendar_is_read_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "old.ics"
    path.write_bytes(ICS.replace("Main Hall", "Salle Brûlée").encode("cp1252"))
    parsed = read(path)
    assert "Salle Brûlée" in parsed.rooms
    assert any("not UTF-8" in w.message for w in parsed.warnings)


def test_the_os_time_zone_is_never_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time  # noqa: PLC0415

    path = write(tmp_path, "conf.ics", ICS)
    before = read(path)
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        assert read(path) == before
    finally:
        monkeypatch.undo()
        time.tzset()


# -- the sessions table ------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "kiosk.sqlite3")
    store.create_event(
        Event("E", "Clusters", "Europe/Prague", (date(2023, 10, 23), date(2023, 10, 24))), None
    )
    yield store  # type: ignore[misc]
    store.close()


def test_the_migration_and_the_change_feed(db: SqliteStore) -> None:
    assert "0005_schedule" in db.applied_migrations()
    feed = ChangeFeed(db.path)
    schedules = ScheduleStore(db)
    import_schedule(db, schedules, FILES, FILES.demo_file())
    assert feed.poll().topics == {Topic.SCHEDULE}
    import_schedule(db, schedules, FILES, FILES.demo_file())  # unchanged: the import's row only
    assert feed.poll().topics == {Topic.SCHEDULE}
    cancel_session(db, schedules, "102")  # a journal entry
    assert feed.poll().topics == {Topic.SCHEDULE}
    assert not feed.poll()
    feed.close()


def test_sessions_round_trip_and_rooms_keep_the_file_s_order(db: SqliteStore) -> None:
    schedules = ScheduleStore(db)
    import_schedule(db, schedules, FILES, FILES.demo_file())
    assert schedules.sessions() == sorted(
        read(FILES.demo_file()).sessions, key=lambda s: (s.start, s.room, s.key)
    )
    assert schedules.rooms() == [
        "Main Hall",
        "Seminar Room A",
        "Seminar Room B",
        "Matchmaking Area",
    ]
    last = schedules.last_import()
    assert last is not None and last.source == "cmr2023" and last.report["added"] == 35
    assert schedules.sessions("other") == [] and schedules.last_import("other") is None


def test_another_connection_s_import_is_seen_at_once(db: SqliteStore) -> None:
    reader = ScheduleStore(db)
    assert reader.sessions() == []  # read, and kept
    other = SqliteStore(db.path)  # another process's connection, as good as
    import_schedule(other, ScheduleStore(other), FILES, FILES.demo_file())
    other.close()
    assert len(reader.sessions()) == 35
