"""Render the lobby board offscreen to PNG, for the docs and `kiosk screenshot lobby`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.adapters.resources import resource
from kiosk.core.clock import FixedClock, system_clock
from kiosk.core.errors import StorageError
from kiosk.core.journal import Changes
from kiosk.core.model import Event
from kiosk.core.schedule import BoardState, Session, board_state, delayed
from kiosk.ui.application import create_application
from kiosk.ui.lobby import BoardSettings, BoardSource, LobbyWindow

DEFAULT_SIZE = (1920, 1080)


class StaticBoardSource:
    """A board source over a fixed list of sessions, counts and settings: for screenshots,
    tests and a board without a schedule workflow behind it.
    """

    def __init__(
        self,
        event: Event,
        sessions: Sequence[Session],
        *,
        rooms: Sequence[str] = (),
        counts: tuple[int, int] = (0, 0),
        settings: BoardSettings | None = None,
    ) -> None:
        self.event = event
        self.sessions = list(sessions)
        self.rooms = tuple(rooms)
        self.arrivals = counts
        self.board_settings = settings or BoardSettings()

    def state(self, at: datetime) -> BoardState:
        """What is on now and next at `at`."""
        return board_state(self.sessions, self.event, at, self.rooms)

    def counts(self) -> tuple[int, int]:
        """(arrived today, registered)."""
        return self.arrivals

    def follow(self, changes: Changes) -> None:
        """Nothing to follow: the figures are the ones given."""

    def settings(self) -> BoardSettings:
        """The board's settings."""
        return self.board_settings


def render_lobby(
    source: BoardSource,
    path: str | os.PathLike[str],
    size: tuple[int, int] = DEFAULT_SIZE,
    at: datetime | None = None,
    *,
    language: str | None = None,
) -> None:
    """Draw a lobby board of `size` pixels at the moment `at` (now when None) into the PNG file
    `path`, in `language` ("en", "cs"; the event's when None). Makes an offscreen
    QApplication when none is running, so it works without a display.
    """
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # The board has words of its own in both languages; the app's catalogue is for others.
        create_application("en")
    app = QApplication.instance()
    assert app is not None
    clock = FixedClock(at if at is not None else system_clock())
    window = LobbyWindow(source, clock, languages=(language,) if language else None)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*size)
        window.show()
        app.processEvents()
        if not window.grab().save(os.fspath(path), "PNG"):
            raise StorageError(f"cannot write the screenshot {path}")
    finally:
        window.close()
        window.deleteLater()


# -- the demo day: "Clusters meet Regions", with on-site changes -------------------------------

PRAGUE = ZoneInfo("Europe/Prague")
DEMO_DAYS = (date(2023, 10, 23), date(2023, 10, 24))
DEMO_ROOMS = ("Main Hall", "Seminar Room A", "Seminar Room B", "Matchmaking Area")
DEMO_URL = "https://cmr2023.example.org/programme"
DEMO_ANNOUNCEMENT = (
    "Lunch is served in the foyer from 12:30 | Oběd se podává ve foyer od 12:30"
    " | Wi-Fi: CMR2023, the password is on your badge | Wi-Fi: CMR2023, heslo najdete na jmenovce"
)

# (day, start, minutes, room, kind, title, speakers): resources/demo/schedule.json, abridged.
_DEMO_PROGRAMME: tuple[tuple[int, str, int, str, str, str, str], ...] = (
    (0, "08:00", 60, "Main Hall", "break", "Registration and welcome coffee", ""),
    (0, "09:00", 30, "Main Hall", "talk", "Opening of Clusters meet Regions 2023",
     "Zdeňka Řezníčková"),
    (0, "09:30", 45, "Main Hall", "keynote", "Clusters as engines of regional competitiveness",
     "Luděk Kühr"),
    (0, "10:15", 45, "Main Hall", "keynote",
     "European cluster policy: what comes after Euroclusters", "Françoise Lefèvre"),
    (0, "11:00", 30, "Main Hall", "break", "Coffee break", ""),
    (0, "11:30", 30, "Main Hall", "talk",
     "Predictive maintenance with machine learning on the shop floor", "Jiří Čermák"),
    (0, "12:00", 30, "Main Hall", "talk",
     "From pilot to production: scaling industrial AI in SMEs", "Sabine Groß"),
    (0, "12:30", 60, "Main Hall", "break", "Lunch", ""),
    (0, "15:00", 30, "Main Hall", "break", "Coffee break", ""),
    (0, "15:30", 90, "Main Hall", "panel",
     "Panel: clusters and regions as partners in smart specialisation",
     "Luděk Kühr, Zsófia Szőke, Zdeňka Řezníčková, Álvaro Núñez, Françoise Lefèvre"),
    (0, "18:00", 45, "Main Hall", "ceremony", "Předání ocenění Czech Golden Cluster",
     "Magdaléna Vrabčeková, Luděk Kühr"),
    (0, "18:45", 75, "Main Hall", "networking", "Networking dinner", ""),
    (0, "11:30", 30, "Seminar Room A", "talk", "NIS2 and what it means for manufacturers",
     "Tomáš Hrubý"),
    (0, "12:00", 30, "Seminar Room A", "talk", "Securing OT networks in mixed-vendor plants",
     "Małgorzata Żółć"),
    (0, "13:30", 45, "Seminar Room A", "talk",
     "Additive manufacturing for on-demand spare parts", "Pieter van der Berg"),
    (0, "14:15", 45, "Seminar Room A", "talk", "Metal 3D printing in a regional supply chain",
     "Ondřej Chalupa"),
    (0, "11:30", 30, "Seminar Room B", "talk", "Industrial symbiosis and waste heat recovery",
     "Søren Østergaard"),
    (0, "12:00", 30, "Seminar Room B", "talk", "Vodíková údolí v českých regionech",
     "Kateřina Šťastná"),
    (0, "13:30", 45, "Seminar Room B", "talk", "Digital twins for factory layout planning",
     "Åsa Lindqvist"),
    (0, "14:15", 45, "Seminar Room B", "talk", "VR training for industrial workers",
     "Magdaléna Vrabčeková"),
    (1, "08:30", 30, "Main Hall", "break", "Morning coffee", ""),
    (1, "09:00", 45, "Main Hall", "keynote",
     "Industry 5.0: human-centric manufacturing and the role of regions", "Álvaro Núñez"),
    (1, "10:00", 90, "Main Hall", "talk", "Pitching session: startups pitch to clusters",
     "Zsófia Szőke, Ondřej Chalupa"),
)  # fmt: skip


def demo_event() -> Event:
    """The demo event, as resources/demo/event.json describes it."""
    return Event(
        id="CMR2023X",
        name="Clusters meet Regions",
        timezone="Europe/Prague",
        days=DEMO_DAYS,
        venue="Institute of Physics of the Czech Academy of Sciences, Praha 8",
        locale="cs",
    )


def demo_sessions() -> list[Session]:
    """The demo's programme with four on-site changes on its first day: the late morning in
    the Main Hall runs ten minutes late, "Securing OT networks" moved to the Matchmaking Area,
    "Industrial symbiosis" is cancelled and the NIS2 talk's room is full.
    """
    sessions = []
    for number, (day, start, minutes, room, kind, title, speakers) in enumerate(_DEMO_PROGRAMME):
        hour, minute = map(int, start.split(":"))
        begin = datetime.combine(DEMO_DAYS[day], datetime.min.time(), PRAGUE).replace(
            hour=hour, minute=minute
        )
        session = Session(
            key=f"demo/{number}",
            title=title,
            start=begin,
            end=begin + timedelta(minutes=minutes),
            room=room,
            speakers=tuple(name.strip() for name in speakers.split(",") if name.strip()),
            kind=kind,
        )
        if day == 0 and room == "Main Hall" and start in ("11:30", "12:00"):
            session = delayed(session, 10)
        if title.startswith("Securing OT networks"):
            session = replace(session, room="Matchmaking Area", moved_from="Seminar Room A")
        if title.startswith("Industrial symbiosis"):
            session = replace(session, cancelled=True)
        if title.startswith("NIS2"):
            session = replace(session, full=True)
        sessions.append(session)
    return sessions


def demo_source(*, counts: tuple[int, int] = (112, 148)) -> StaticBoardSource:
    """The demo event's board: its programme with the on-site changes, an announcement, the
    programme's address, its logo and 112 of 148 arrived.
    """
    return StaticBoardSource(
        demo_event(),
        demo_sessions(),
        rooms=DEMO_ROOMS,
        counts=counts,
        settings=BoardSettings(
            DEMO_ANNOUNCEMENT, DEMO_URL, logo=resource("demo", "logo.png").read_bytes()
        ),
    )


def _at(day: int, hour: int, minute: int) -> datetime:
    return datetime.combine(DEMO_DAYS[day], datetime.min.time(), PRAGUE).replace(
        hour=hour, minute=minute
    )


# name: (size, language, moment)
DOCS_SHOTS: dict[str, tuple[tuple[int, int], str, datetime]] = {
    "lobby-1080p.png": ((1920, 1080), "en", _at(0, 11, 42)),
    "lobby-1080p-cs.png": ((1920, 1080), "cs", _at(0, 11, 42)),
    "lobby-4k.png": ((3840, 2160), "cs", _at(0, 11, 12)),
    "lobby-portrait.png": ((1080, 1920), "en", _at(0, 11, 42)),
    "lobby-evening.png": ((1920, 1080), "en", _at(0, 20, 10)),
}


def render_lobby_docs(out_dir: Path) -> list[Path]:
    """The lobby board's screenshots of docs/screenshots, on the demo day."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = demo_source()
    paths = []
    for name, (size, language, at) in DOCS_SHOTS.items():
        paths.append(out_dir / name)
        render_lobby(source, paths[-1], size, at, language=language)
    return paths
