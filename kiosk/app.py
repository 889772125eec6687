"""The composition root: the one place that puts the app's objects together for a database."""

from __future__ import annotations

import contextlib
import logging
import os
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.adapters.screen_process import tune_screen_process
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.connection import check_database_file
from kiosk.core.clock import Clock, system_clock
from kiosk.core.errors import EventExistsError, InvalidInputError, KioskError, StorageError
from kiosk.workflows.staff import StaffDesk

# Adapters and workflows a command may not need are imported where they are first used: a
# command-line check-in starts a new process each time, and every import is part of its wait.
if TYPE_CHECKING:
    from datetime import datetime

    from PySide6.QtCore import QObject, QTimer
    from PySide6.QtWidgets import QWidget

    from kiosk.adapters.badge_pdf import PdfBadges
    from kiosk.adapters.decoding import QrReader
    from kiosk.adapters.demo import BundledDemo
    from kiosk.adapters.event_file import EventFileCodec
    from kiosk.adapters.exporters import CheckinFiles
    from kiosk.adapters.importers import RegistrationImporters
    from kiosk.adapters.inbox_folder import InboxFolder
    from kiosk.adapters.journal_folder import JournalFolder
    from kiosk.adapters.printer import CupsPrinter
    from kiosk.adapters.schedules import ScheduleFiles
    from kiosk.adapters.storage import ChangeFeed
    from kiosk.adapters.storage.schedule import ScheduleStore
    from kiosk.core.journal import Changes
    from kiosk.core.model import Attendee, Event
    from kiosk.core.registrations import ImportReport
    from kiosk.core.schedule import BoardState
    from kiosk.ui.attendee_detail import AttendeeDetailDialog
    from kiosk.ui.camera import CameraScanner
    from kiosk.ui.desk import DeskWindow
    from kiosk.ui.lobby import BoardSettings
    from kiosk.workflows.attendee import SelfService
    from kiosk.workflows.organiser import OrganiserTools
    from kiosk.workflows.printing import BadgePrinting
    from kiosk.workflows.privacy import PurgeReport

logger = logging.getLogger(__name__)
DB_ENV = "KIOSK_DB"
DB_FILENAME = "kiosk.sqlite3"


def default_db_path() -> Path:
    """The per-user database: in the platform's data folder, e.g. ~/.local/share/kiosk."""
    from platformdirs import user_data_dir  # noqa: PLC0415

    return Path(user_data_dir("kiosk", appauthor=False)) / DB_FILENAME


def start_logging() -> None:
    """Send kiosk's log to its rotating file, found and opened at the first record (a
    check-in that logs nothing never looks for the data folder). Called once as the app or
    the command line starts.
    """
    from kiosk.adapters.log_file import start_logging as start  # noqa: PLC0415

    start()


def open_log() -> Path | None:
    """Open the log file now (before a traceback is written to it); None when it cannot be."""
    from kiosk.adapters.log_file import start_logging as start  # noqa: PLC0415

    log = start()
    return log.path if log.open() else None


def import_formats() -> tuple[str, ...]:
    """The registration export formats `kiosk import --format` takes."""
    from kiosk.adapters.importers import FORMAT_NAMES  # noqa: PLC0415

    return FORMAT_NAMES


def schedule_formats() -> tuple[str, ...]:
    """The schedule formats `kiosk schedule import --format` takes."""
    from kiosk.adapters.schedules import FORMAT_NAMES  # noqa: PLC0415

    return FORMAT_NAMES


def event_files() -> EventFileCodec:
    """Event files (`kiosk export-event`, `kiosk init --from-event`), before any database."""
    from kiosk.adapters.event_file import EventFileCodec  # noqa: PLC0415

    return EventFileCodec()


def code_reader() -> QrReader:
    """The QR decoding pipeline, for camera frames and image files (`kiosk decode`): the
    `CodeReader` port; it needs no database.
    """
    from kiosk.adapters.decoding import QrReader  # noqa: PLC0415

    return QrReader()


def camera_scanner(kiosk: Kiosk, parent: QObject | None = None) -> CameraScanner:
    """A camera scanner for a screen of this kiosk: the camera its `camera.device` setting
    names (not started yet: the screen calls `start()`), decoding with `code_reader()`.
    """
    from kiosk.ui.camera import CameraScanner  # noqa: PLC0415 (Qt only for the GUI)
    from kiosk.workflows.config import current_settings  # noqa: PLC0415

    device = current_settings(kiosk.store).camera_device
    return CameraScanner(code_reader(), device, parent=parent)


def resolve_db_path(given: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: `given` (--db), else $KIOSK_DB, else the per-user default."""
    if given is not None:
        if not os.fspath(given).strip():
            raise InvalidInputError("--db: the path is empty")
        return Path(given)
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env)
    return default_db_path()


class Kiosk:
    """Everything one kiosk database needs, made once: the store and the adapters behind the
    workflows' ports, and the capability objects each screen gets.
    """

    def __init__(self, store: SqliteStore, *, clock: Clock = system_clock) -> None:
        self.store = store
        self.clock = clock

    @cached_property
    def registrations(self) -> RegistrationImporters:
        """Registration exports of every system kiosk reads, for the import workflow."""
        from kiosk.adapters.importers import RegistrationImporters  # noqa: PLC0415

        return RegistrationImporters()

    @cached_property
    def badge_renderer(self) -> PdfBadges:
        """Badges as PDF in the layouts of resources/badges: the BadgeRenderer port, plus what
        `kiosk badges check` and writing files need.
        """
        from kiosk.adapters.badge_pdf import PdfBadges  # noqa: PLC0415

        return PdfBadges()

    @cached_property
    def schedule_store(self) -> ScheduleStore:
        """The imported sessions and imports; on-site changes come from the journal."""
        from kiosk.adapters.storage.schedule import ScheduleStore  # noqa: PLC0415

        return ScheduleStore(self.store)

    @cached_property
    def schedule_sources(self) -> ScheduleFiles:
        """Schedule files of frab, pretalx, c3voc, Indico and calendars."""
        from kiosk.adapters.schedules import ScheduleFiles  # noqa: PLC0415

        return ScheduleFiles()

    @cached_property
    def printer(self) -> CupsPrinter:
        """The printing system: CUPS, through lp and lpstat."""
        from kiosk.adapters.printer import CupsPrinter  # noqa: PLC0415

        return CupsPrinter()

    def badge_printing(self, desk: StaffDesk) -> BadgePrinting:
        """Badges for `desk`'s station: queued in this database, printed through CUPS. Queue
        on the desk's thread; `process_queue` belongs on the task runner.
        """
        from kiosk.adapters.storage.print_queue import PrintQueueStore  # noqa: PLC0415
        from kiosk.workflows.printing import BadgePrinting  # noqa: PLC0415

        return BadgePrinting(desk, PrintQueueStore(self.store), self.badge_renderer, self.printer)

    @cached_property
    def checkin_files(self) -> CheckinFiles:
        """Check-in exports (CSV, JSON, XLSX), never written over a kiosk file."""
        from kiosk.adapters.exporters import CheckinFiles  # noqa: PLC0415

        return CheckinFiles()

    @cached_property
    def event_files(self) -> EventFileCodec:
        """Event files, for set-up and for sharing the event."""
        return event_files()

    @cached_property
    def demo(self) -> BundledDemo:
        """The built-in demo event."""
        from kiosk.adapters.demo import BundledDemo  # noqa: PLC0415

        return BundledDemo()

    @property
    def path(self) -> Path:
        """The database file."""
        return self.store.path

    def staff_desk(self, station: str | None = None) -> StaffDesk:
        """The full set of staff actions, for `station` or the kiosk's own, following its
        settings (a rehearsal clock on a rehearsal day).
        """
        return StaffDesk.from_settings(self.store, station=station, base_clock=self.clock)

    def self_service(self, station: str | None = None, *, printing: bool = False) -> SelfService:
        """What an attendee-facing screen may do, and nothing more; with `printing`, it prints
        the badge of the person it just checked in, as the station's print settings say.
        """
        from kiosk.workflows.attendee import SelfService  # noqa: PLC0415

        desk = self.staff_desk(station)
        return SelfService(desk, self.badge_printing(desk) if printing else None)

    def change_feed(self) -> ChangeFeed:
        """A feed of what any process or kiosk changes in this database."""
        from kiosk.adapters.storage import ChangeFeed  # noqa: PLC0415

        return ChangeFeed(self.store.path)

    def journal_folder(self, folder: Path) -> JournalFolder:
        """The shared folder (Syncthing, a network share, a USB stick) kiosks exchange in."""
        from kiosk.adapters.journal_folder import JournalFolder  # noqa: PLC0415

        return JournalFolder(folder, self.store.event())

    def inbox(self, folder: Path) -> InboxFolder:
        """A folder where staff drop the registration system's exports."""
        from kiosk.adapters.inbox_folder import InboxFolder  # noqa: PLC0415

        return InboxFolder(folder)

    def organiser_tools(self, desk: StaffDesk) -> OrganiserTools:
        """Imports with a preview, and the background sync the kiosk's settings ask for."""
        from kiosk.workflows.organiser import OrganiserTools  # noqa: PLC0415
        from kiosk.workflows.sync import SyncService  # noqa: PLC0415

        settings = desk.settings
        sync = SyncService(
            self.store,
            self.registrations,
            transport=self.journal_folder(Path(settings.sync_dir)) if settings.sync_dir else None,
            inbox=self.inbox(Path(settings.inbox_dir)) if settings.inbox_dir else None,
            station=desk.station,
            clock=self.clock,
        )
        from kiosk.adapters.pdf_raster import PdfRaster  # noqa: PLC0415

        return OrganiserTools(
            self.store,
            self.registrations,
            station=desk.station,
            sync=sync,
            badges=self.badge_renderer,
            raster=PdfRaster(),
            badge_layout=settings.print_layout,
            schedules=self.schedule_store,
            clock=desk.clock,
        )

    def load_demo(self) -> ImportReport:
        """Set up the built-in demo event in this (empty) database."""
        from kiosk.workflows.setup import load_demo  # noqa: PLC0415

        return load_demo(
            self.store,
            self.demo,
            self.registrations,
            schedules=self.schedule_store,
            schedule_files=self.schedule_sources,
        )

    def purge_personal_data(self, *, confirmed: bool) -> PurgeReport:
        """`kiosk purge`: the personal data out of the database, its backups and the files
        this kiosk wrote in the places it knows (docs/PRIVACY.md).
        """
        from kiosk.adapters.personal_files import KioskFileSweep  # noqa: PLC0415
        from kiosk.adapters.storage.backup import BackupSet  # noqa: PLC0415
        from kiosk.workflows.privacy import purge_personal_data  # noqa: PLC0415

        return purge_personal_data(
            self.store, BackupSet(self.path), KioskFileSweep(), confirmed=confirmed
        )

    def close(self) -> None:
        """Close the database."""
        self.store.close()

    def __enter__(self) -> Kiosk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_kiosk(
    path: Path,
    *,
    create: bool = False,
    demo_if_empty: bool = False,
    clock: Clock = system_clock,
    screen: bool = False,
) -> Kiosk:
    """Open the kiosk database at `path`; `create` makes a new one, `demo_if_empty` sets up
    the demo event in an empty one. Without `create`, a missing file is an error, so a
    mistyped --db never leaves an empty database behind. A `screen` (desk, self-service,
    lobby: open all day) checkpoints the database on a thread of its own, not in its commits,
    and tunes its process for a day's run (`tune_screen_process`) before its threads start.
    """
    if screen:
        tune_screen_process()
    if not (create or demo_if_empty) and not path.exists():
        raise StorageError(f"no database at {path}: run 'kiosk init' or 'kiosk demo' first")
    # An empty file is made a database only on purpose; a file that is not SQLite never is.
    check_database_file(path, may_create=create or demo_if_empty)
    kiosk = Kiosk(SqliteStore(path, background_checkpoints=screen), clock=clock)
    if demo_if_empty and not kiosk.store.has_event():
        with contextlib.suppress(EventExistsError):  # another kiosk set it up meanwhile
            kiosk.load_demo()
    return kiosk


def backup_database(path: Path) -> Path:
    """An online backup of the database beside it (the newest of a rotating set)."""
    from kiosk.adapters.storage.backup import make_backup  # noqa: PLC0415

    if not path.exists():
        raise StorageError(f"no database at {path}")
    return make_backup(path)


def restore_database(path: Path, backup: Path | None = None) -> tuple[Path, Path | None]:
    """Restore `backup` (None: the newest good one) into the database; returns the backup
    used and the safety copy made of what was there (None when it could not be read).
    """
    from kiosk.adapters.storage.backup import newest_good, restore  # noqa: PLC0415

    chosen = backup or newest_good(path)
    if chosen is None:
        raise StorageError(f"no good backup of {path} to restore")
    return chosen, restore(chosen, path)


def database_check(path: Path) -> str:
    """'ok', or what the integrity check finds wrong with the database."""
    from kiosk.adapters.storage.backup import check  # noqa: PLC0415

    return check(path)


def run_desk(db_path: Path, station: str | None = None, lang: str | None = None) -> int:
    """Open the staff desk window on the database (the demo event when it is empty), in `lang`
    or else the desk's language setting, else the event's.
    """
    from kiosk.ui.application import create_application  # noqa: PLC0415 (Qt only for the GUI)
    from kiosk.ui.changes import ChangeWatcher  # noqa: PLC0415
    from kiosk.ui.desk import DeskWindow  # noqa: PLC0415
    from kiosk.ui.failures import FailureReporter  # noqa: PLC0415

    if db_path.exists() and not _usable(db_path, lang, create_application):
        return 1
    with open_kiosk(db_path, demo_if_empty=True, screen=True) as kiosk:
        desk = kiosk.staff_desk(station)
        app = create_application(lang or desk.settings.language or desk.event.locale)
        feed = kiosk.change_feed()
        boards: list[QWidget] = []  # lobby boards opened from the desk, kept alive
        window = DeskWindow(
            desk,
            changes=ChangeWatcher(feed),
            organiser=kiosk.organiser_tools(desk),
            printing=kiosk.badge_printing(desk),
            open_lobby=lambda screen: _open_lobby(kiosk, desk, screen, boards),
            check_scanner=True,
            camera=camera_scanner(kiosk),
        )
        FailureReporter(window).install()  # a bug below a slot: logged, said, window stays
        backups = _schedule_backups(window, db_path, desk.settings.backup_minutes)
        try:
            window.showMaximized()
            return app.exec()
        finally:
            window.tasks.wait(10_000)  # let a running import or exchange finish its step
            feed.close()
            if backups is not None:
                with contextlib.suppress(KioskError):  # a backup must never block closing
                    backup_database(db_path)


def _open_lobby(kiosk: Kiosk, desk: StaffDesk, screen: int, boards: list[QWidget]) -> None:
    """A lobby board on monitor `screen`, opened from the desk's organiser view."""
    from kiosk.ui.changes import ChangeWatcher  # noqa: PLC0415
    from kiosk.ui.lobby import LobbyWindow, show_on_screen  # noqa: PLC0415

    clock = lobby_clock(kiosk)
    board_desk = StaffDesk(kiosk.store, desk.station, clock)
    window = LobbyWindow(
        LobbySource(kiosk, board_desk), clock, changes=ChangeWatcher(kiosk.change_feed())
    )
    show_on_screen(window, screen)
    boards.append(window)


def _usable(db_path: Path, lang: str | None, create_application: Any) -> bool:
    """Check the database before the desk opens it; when it is damaged, offer to restore the
    newest good backup. False when the desk cannot start.
    """
    problem = database_check(db_path)
    if problem == "ok":
        return True
    from kiosk.adapters.storage.backup import newest_good  # noqa: PLC0415
    from kiosk.ui.recovery import offer_restore  # noqa: PLC0415

    create_application(lang or "en")
    backup = newest_good(db_path)
    if not offer_restore(db_path, problem, backup):
        return False
    restore_database(db_path, backup)
    return True


def _schedule_backups(window: DeskWindow, db_path: Path, minutes: int) -> QTimer | None:
    """Back the database up every `minutes` on a worker thread while the desk runs."""
    from PySide6.QtCore import QTimer  # noqa: PLC0415

    if minutes <= 0:
        return None
    timer = QTimer(window, interval=minutes * 60_000)

    def back_up() -> None:
        window.tasks.run(
            lambda _progress: backup_database(db_path),
            done=lambda _path: None,
            failed=lambda error: logger.warning("backup failed: %s", error),
        )

    timer.timeout.connect(back_up)
    timer.start()
    return timer


def run_self(
    db_path: Path,
    *,
    screen: int | None = None,
    station: str | None = None,
    lang: str | None = None,
) -> int:
    """Open the self-service screen frameless over the whole of monitor `screen`, on the
    database (the demo event when it is empty). Refuses to start when staff could not unlock
    it (no PIN and no staff code set).
    """
    from PySide6.QtCore import Qt  # noqa: PLC0415 (Qt only for the GUI)

    from kiosk.ui.application import create_application  # noqa: PLC0415
    from kiosk.ui.lobby import show_on_screen  # noqa: PLC0415
    from kiosk.ui.self_service import SelfServiceWindow  # noqa: PLC0415
    from kiosk.workflows.config import current_settings  # noqa: PLC0415
    from kiosk.workflows.unlock import NO_UNLOCK, StaffUnlock  # noqa: PLC0415

    with open_kiosk(db_path, demo_if_empty=True, screen=True) as kiosk:
        unlock = StaffUnlock.from_store(kiosk.store)
        if not unlock.possible:
            raise InvalidInputError(NO_UNLOCK)
        service = kiosk.self_service(station, printing=True)
        language = lang or current_settings(kiosk.store).language or service.event.locale
        app = create_application(language)
        from kiosk.ui.camera import CameraPreview  # noqa: PLC0415

        scanner = camera_scanner(kiosk)
        window = SelfServiceWindow(
            service, unlock, language=language, preview=CameraPreview(scanner)
        )
        scanner.setParent(window)
        scanner.scanned.connect(window.submit_scan)  # already one scan per code in view
        scanner.start()  # no camera is a state the preview shows, never a failure
        window.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        try:
            show_on_screen(window, screen)  # InvalidInputError names the screens there are
            window.setFocus(Qt.FocusReason.OtherFocusReason)
            return app.exec()
        finally:
            window.tasks.wait(10_000)


def render_screenshot(
    mode: str,
    db_path: Path,
    out: Path,
    *,
    size: tuple[int, int] = (1920, 1080),
    station: str | None = None,
    search: str = "",
    lang: str | None = None,
    at: datetime | None = None,
    state: str = "idle",
) -> list[Path]:
    """`kiosk screenshot`: the desk on the database (the demo when empty) into the PNG `out`,
    the lobby board, the self-service screen in `state` ("idle" or "unlock": the states after
    a scan are in the docs' set, on a demo, so a screenshot never checks anyone in), or
    ("docs") every screenshot of docs/screenshots into the folder `out`.
    """
    from kiosk.adapters.output_files import check_output_path  # noqa: PLC0415

    if mode == "docs":
        return render_docs(out, size=size)
    # Refused before anything is rendered: the database, its companions, any kiosk file.
    check_output_path(out, [db_path])
    from kiosk.ui.screenshot import render_desk  # noqa: PLC0415 (Qt only when asked)

    if mode == "lobby":
        return render_lobby_screenshot(db_path, out, size=size, at=at, lang=lang)
    if mode == "self":
        from kiosk.ui.self_screenshot import opened_unlock, render_self  # noqa: PLC0415
        from kiosk.workflows.unlock import StaffUnlock  # noqa: PLC0415

        with open_kiosk(db_path, demo_if_empty=True) as kiosk:
            service = kiosk.self_service(station)
            unlock = StaffUnlock.from_store(kiosk.store)
            prepare = opened_unlock() if state == "unlock" else None
            render_self(service, unlock, out, size=size, locale=lang, prepare=prepare)
        return [out]
    with open_kiosk(db_path, demo_if_empty=True) as kiosk:
        desk = kiosk.staff_desk(station)
        render_desk(desk, out, size=size, search=search, locale=lang or desk.settings.language)
    return [out]


def render_docs(out_dir: Path, *, size: tuple[int, int] = (1920, 1080)) -> list[Path]:
    """The desk screenshots of docs/screenshots, on the demo event at 09:14 on its first day."""
    import tempfile  # noqa: PLC0415
    from datetime import datetime  # noqa: PLC0415
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from kiosk.adapters.output_files import check_output_path  # noqa: PLC0415
    from kiosk.core.clock import FixedClock  # noqa: PLC0415
    from kiosk.ui.lobby_screenshot import render_lobby_docs  # noqa: PLC0415
    from kiosk.ui.screenshot import (  # noqa: PLC0415
        Prepare,
        render_desk,
        render_import_dialog,
        scanned,
        typed,
    )

    prague = ZoneInfo("Europe/Prague")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock(datetime(2023, 10, 23, 9, 14, tzinfo=prague))
        with open_kiosk(Path(folder) / "demo.sqlite3", demo_if_empty=True) as kiosk:
            # The screenshots show the event day itself, not a rehearsal of it.
            desk = StaffDesk(kiosk.store, kiosk.staff_desk().station, clock)
            other = StaffDesk(kiosk.store, "Desk B", clock)
            # Sorted in Czech: Čermák, Hronková, Chalupa (ch comes after h).
            cermak, hronkova, chalupa = desk.search("ch")[:3]
            other.check_in(hronkova.code, at=datetime(2023, 10, 23, 8, 52, tzinfo=prague))
            # Every state in both languages; the Czech "checked in" is someone else, since
            # the English one is in by then.
            shots: dict[str, tuple[str, Prepare | None]] = {
                "desk-idle.png": ("en", None),
                "desk-idle-cs.png": ("cs", None),
                "desk-search.png": ("en", typed("ch")),
                "desk-search-cs.png": ("cs", typed("ch")),
                "desk-ok.png": ("en", scanned(chalupa.code)),
                "desk-ok-cs.png": ("cs", scanned(cermak.code)),
                "desk-already.png": ("en", scanned(hronkova.code)),
                "desk-cs.png": ("cs", scanned(hronkova.code, then_search="ch")),
                "desk-unknown.png": ("en", scanned("CMR-2023-000000")),
                "desk-unknown-cs.png": ("cs", scanned("CMR-2023-000000")),
            }
            tools = kiosk.organiser_tools(desk)
            paths = []
            for name in [*shots, "desk-import.png"]:
                check_output_path(out_dir / name)  # never over a database or kiosk file
            for name, (locale, prepare) in shots.items():
                paths.append(out_dir / name)
                render_desk(
                    desk, paths[-1], size=size, locale=locale, prepare=prepare, organiser=tools
                )
            # A Czech Excel export: cp1250, semicolons, Czech column names.
            export = Path(folder) / "registrace.csv"
            export.write_bytes(_DOCS_EXPORT.encode("cp1250"))
            paths.append(out_dir / "desk-import.png")
            render_import_dialog(desk, tools, export, paths[-1], locale="en")
            paths += _render_exception_desk(kiosk, desk, hronkova, out_dir)
        paths += _render_self_docs(Path(folder) / "self.sqlite3", out_dir, clock, size)
    return paths + render_lobby_docs(out_dir)


def _render_exception_desk(
    kiosk: Kiosk, desk: StaffDesk, attendee: Attendee, out_dir: Path
) -> list[Path]:
    """The exception desk's screenshots in English and Czech: a walk-in being typed (with a
    mistyped e-mail address), and `attendee`'s detail after a badge print and a correction.
    """
    from datetime import timedelta  # noqa: PLC0415

    from kiosk.core.model import EntryKind, JournalEntry, new_entry_uuid  # noqa: PLC0415
    from kiosk.ui.attendee_detail import AttendeeDetailDialog  # noqa: PLC0415
    from kiosk.ui.screenshot import render_dialog  # noqa: PLC0415
    from kiosk.ui.walkin_dialog import WalkInDialog  # noqa: PLC0415

    printing = kiosk.badge_printing(desk)
    printed_at = desk.now() - timedelta(minutes=21)
    kiosk.store.append(
        JournalEntry(
            uuid=new_entry_uuid(),
            kind=EntryKind.PRINT,
            station="Desk B",
            at=printed_at,
            day=desk.event.day_of(printed_at),
            attendee_id=attendee.id,
            code=attendee.code,
            data={"layout": "a6", "reason": "checkin", "copies": 1},
        )
    )
    desk.edit_attendee(attendee.id, organisation=f"{attendee.organisation} (Brno)")

    def walk_in(window: DeskWindow) -> WalkInDialog:
        dialog = WalkInDialog(desk, window.tasks, printing, parent=window)
        typed = {
            "first_name": "Zdeňka",
            "last_name": "Šťastná-Vondráčková",
            "organisation": "Ústav fyziky plazmatu AV ČR",
            "email": "zdenka.stastna@",
        }
        for name, text in typed.items():
            dialog.fields.set_text(name, text)
        dialog.register()  # refused: the e-mail address is cut short
        return dialog

    def detail(window: DeskWindow) -> AttendeeDetailDialog:
        return AttendeeDetailDialog(desk, attendee.id, window.tasks, printing, parent=window)

    paths = []
    for locale in ("en", "cs"):
        for name, make in (("walkin", walk_in), ("detail", detail)):
            paths.append(out_dir / f"desk-{name}-{locale}.png")
            render_dialog(desk, make, paths[-1], locale=locale)
    return paths


def _render_self_docs(
    db_path: Path, out_dir: Path, clock: Clock, size: tuple[int, int]
) -> list[Path]:
    """The self-service screenshots (idle, result, printing, problem, unlock; Czech and
    English) on a demo event of their own, so the desk's check-ins do not show.
    """
    import secrets  # noqa: PLC0415

    from kiosk.core.unlock import hash_secret  # noqa: PLC0415
    from kiosk.ui.self_screenshot import (  # noqa: PLC0415
        opened_unlock,
        presented,
        render_self,
        scanned_self,
    )
    from kiosk.ui.self_service import Screen  # noqa: PLC0415
    from kiosk.workflows.attendee import SelfService  # noqa: PLC0415
    from kiosk.workflows.unlock import StaffUnlock  # noqa: PLC0415

    paths: list[Path] = []
    with open_kiosk(db_path, demo_if_empty=True) as kiosk:
        desk = StaffDesk(kiosk.store, "Kiosk 1", clock)
        service = SelfService(desk)
        # A PIN nobody knows, and a clock that stands still: a wrong try shows its wait.
        unlock = StaffUnlock(hash_secret(secrets.token_hex(8)), "", clock=lambda: 0.0)
        people = [a for a in desk.search("ch") if a.organisation]
        first, second = people[0], people[1]
        for language in ("en", "cs"):
            person = first if language == "en" else second
            shots = {
                "idle": None,
                "result": presented(Screen.TAKE, person.first_name, person.organisation),
                "printing": presented(Screen.PRINTING, person.first_name, person.organisation),
                "problem": scanned_self("CMR-2023-000000"),
                "unlock": opened_unlock(wrong_pin="1234"),
            }
            for state, prepare in shots.items():
                paths.append(out_dir / f"self-{state}-{language}.png")
                render_self(service, unlock, paths[-1], size=size, locale=language, prepare=prepare)
    return paths


_DOCS_EXPORT = (
    "Kód vstupenky;Jméno;Příjmení;Firma;Země;E-mail;Kategorie;Stav\r\n"
    "CMR-2023-0901;Radka;Křížová;Chytrá továrna s.r.o.;CZ;radka@example.cz;Účastník;Zaplaceno\r\n"
    "CMR-2023-0902;Tomáš;Šťastný;Klastr Nanoprogress;CZ;tomas@example.cz;Přednášející;"
    "Zaplaceno\r\n"
    "CMR-2023-0903;Łukasz;Żółć;Silesian Cluster;PL;lukasz@example.pl;Účastník;Zrušeno\r\n"
    ";Jan;Bezkódu;;CZ;;Účastník;Zaplaceno\r\n"
)


# -- the lobby board (kiosk lobby, kiosk screenshot lobby) ------------------------------------


class LobbySource:
    """What the lobby board reads from this kiosk: the schedule workflow's board, today's
    arrivals as the desk's counter keeps them, and the board's settings, read afresh each time.

    The arrivals are counted once a day and then followed from the change feed (`follow`), as
    the desk's are: counting them again at every check-in took the board's thread 96 ms at
    65,000 people in (bench/checkin.py, `desk_stats`).
    """

    def __init__(self, kiosk: Kiosk, desk: StaffDesk) -> None:
        from kiosk.workflows.counts import TodayCounter  # noqa: PLC0415 (screens only)

        self.kiosk = kiosk
        self.desk = desk
        self.counter = TodayCounter(desk)

    @property
    def event(self) -> Event:
        """The kiosk's event."""
        return self.desk.event

    def state(self, at: datetime) -> BoardState:
        """Now and next in every room at `at`, with on-site changes and the stale flag."""
        from kiosk.workflows.schedule import schedule_now  # noqa: PLC0415

        return schedule_now(self.kiosk.store, self.kiosk.schedule_store, at)

    def counts(self) -> tuple[int, int]:
        """(checked in today, registered)."""
        return self.counter.counts()

    def follow(self, changes: Changes) -> None:
        """Follow the check-ins, undos and registry changes another process or kiosk made."""
        self.counter.apply(changes)

    def settings(self) -> BoardSettings:
        """lobby.announcement, lobby.programme_url, lobby.seconds_per_page, lobby.logo."""
        from kiosk.core.images import image_bytes  # noqa: PLC0415
        from kiosk.ui.lobby import BoardSettings  # noqa: PLC0415
        from kiosk.workflows.config import current_settings  # noqa: PLC0415

        found = current_settings(self.kiosk.store)
        # read_settings already refused a logo that is not an image: this cannot raise.
        logo = image_bytes(found.lobby_logo) if found.lobby_logo else b""
        return BoardSettings(
            found.lobby_announcement, found.lobby_programme_url, found.lobby_seconds_per_page, logo
        )


def lobby_clock(kiosk: Kiosk, at: datetime | None = None, speed: float = 1.0) -> Clock:
    """The board's clock: from `at`, `speed` times as fast (rehearsing a day on the board);
    else the kiosk's own (a rehearsal day moves it, as on the desk).
    """
    from kiosk.core.clock import clock_for  # noqa: PLC0415
    from kiosk.ui.lobby import SpeedClock  # noqa: PLC0415
    from kiosk.workflows.config import current_settings  # noqa: PLC0415

    if at is not None or speed != 1.0:
        return SpeedClock(at if at is not None else kiosk.clock(), speed)
    return clock_for(kiosk.store.event(), current_settings(kiosk.store).rehearsal_day, kiosk.clock)


def run_lobby(
    db_path: Path,
    *,
    screen: int | None = None,
    at: datetime | None = None,
    speed: float = 1.0,
    lang: str | None = None,
) -> int:
    """Open the lobby board frameless over the whole of monitor `screen` (the primary when
    None), on the database (the demo event when it is empty). Czech and English take turns,
    or `lang` alone.
    """
    from kiosk.ui.application import create_application  # noqa: PLC0415 (Qt only for the GUI)
    from kiosk.ui.changes import ChangeWatcher  # noqa: PLC0415
    from kiosk.ui.failures import FailureReporter  # noqa: PLC0415
    from kiosk.ui.lobby import LobbyWindow, show_on_screen  # noqa: PLC0415

    with open_kiosk(db_path, demo_if_empty=True, screen=True) as kiosk:
        clock = lobby_clock(kiosk, at, speed)
        # The counts are today's on the board's clock, so a rehearsed day counts that day.
        desk = StaffDesk(kiosk.store, kiosk.staff_desk().station, clock)
        app = create_application(lang or desk.event.locale)
        feed = kiosk.change_feed()
        window = LobbyWindow(
            LobbySource(kiosk, desk),
            clock,
            changes=ChangeWatcher(feed),
            languages=(lang,) if lang else None,
        )
        FailureReporter(window).install()
        try:
            show_on_screen(window, screen)  # InvalidInputError names the screens there are
            return app.exec()
        finally:
            feed.close()


def render_lobby_screenshot(
    db_path: Path,
    out: Path,
    *,
    size: tuple[int, int] = (1920, 1080),
    at: datetime | None = None,
    lang: str | None = None,
) -> list[Path]:
    """`kiosk screenshot lobby`: the lobby board of the database (the demo when empty) at `at`
    (now when None) into the PNG `out`, in `lang` (the event's language when None).
    """
    from kiosk.ui.lobby_screenshot import render_lobby  # noqa: PLC0415 (Qt only when asked)

    with open_kiosk(db_path, demo_if_empty=True) as kiosk:
        clock = lobby_clock(kiosk, at)
        desk = StaffDesk(kiosk.store, kiosk.staff_desk().station, clock)
        render_lobby(LobbySource(kiosk, desk), out, size, clock(), language=lang)
    return [out]
