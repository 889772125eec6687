"""The staff desk window: one search-and-scan field, live results and a big result card."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import (
    QDate,
    QLocale,
    QModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.adapters.resources import resource
from kiosk.core.checkin import CheckInResult, CheckInStatus
from kiosk.core.codes import TypedText, typed_text
from kiosk.core.errors import KioskError
from kiosk.core.journal import Changes, Topic
from kiosk.core.model import Attendee
from kiosk.ui.badge_check import BadgeCheckDialog
from kiosk.ui.badge_preview import BadgePreviewDialog
from kiosk.ui.changes import ChangeWatcher
from kiosk.ui.fault_status import FaultIndicator
from kiosk.ui.import_dialog import ImportDialog
from kiosk.ui.inputs import FocusKeeper, ResultsView, SearchField
from kiosk.ui.models import (
    AttendeeTableModel,
)
from kiosk.ui.printer_status import PrinterIndicator, PrintWorker
from kiosk.ui.result_panel import Card, ResultPanel
from kiosk.ui.schedule_changes import ScheduleChangesDialog
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.sync_status import SyncIndicator, SyncScheduler
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, STYLESHEET, named
from kiosk.workflows.organiser import OrganiserTools
from kiosk.workflows.printing import BadgePrinting
from kiosk.workflows.staff import StaffDesk

MIN_SEARCH_CHARS = 2
_R = TypeVar("_R")
logger = logging.getLogger(__name__)


class DeskWindow(QMainWindow):
    """One staff station: search or scan, check in, undo, and today's count.

    With `changes`, it follows what any process or kiosk changes in the database: counts,
    the results' check-in marks, the station and a rehearsal started or ended elsewhere.
    The answer's display time and the search delay come from the desk's settings unless given.
    """

    def __init__(
        self,
        desk: StaffDesk,
        parent: QWidget | None = None,
        *,
        changes: ChangeWatcher | None = None,
        organiser: OrganiserTools | None = None,
        printing: BadgePrinting | None = None,
        open_lobby: Callable[[int], None] | None = None,
        tasks: TaskRunner | None = None,
        clear_after_ms: int | None = None,
        search_delay_ms: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.organiser = organiser
        self._open_lobby = open_lobby
        self.tasks = tasks or TaskRunner(self)
        settings = desk.settings
        if clear_after_ms is None:
            clear_after_ms = settings.result_seconds * 1000
        if search_delay_ms is None:
            search_delay_ms = settings.search_delay_ms
        self.changes = changes
        if changes is not None:
            changes.setParent(self)
            changes.changed.connect(self.apply_changes)
        self._undo_attendee: str | None = None  # whose check-in the Undo button cancels
        self.setStyleSheet(resource(*STYLESHEET).read_text(encoding="utf-8"))
        self.field = named(SearchField(), "scanField")
        self.field.setPlaceholderText(self.tr("Search name or scan code"))
        self.model = AttendeeTableModel(self)
        self.results = ResultsView(self.model)
        self.panel = ResultPanel(clear_after_ms)
        self.check_in_button = self._button("checkInButton", self.tr("Check in"))
        self.undo_button = self._button("undoButton", self.tr("Undo"))
        self.clear_button = self._button("clearButton", self.tr("Clear"))
        self.badge_button = self._button("badgeButton", self.tr("Badge…"))
        self.badge_button.setVisible(organiser is not None and organiser.badges is not None)
        self.badge_button.setEnabled(False)
        self._badge_attendee: Attendee | None = None  # whose badge the Badge… button shows
        self._make_status_bar_parts(organiser, printing)
        self._search_timer = QTimer(self, singleShot=True, interval=search_delay_ms)
        self._lay_out()
        self._connect()
        self._focus_keeper = FocusKeeper(self, self.field)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._focus_keeper)
        self._refresh_labels()
        self._set_undo(None)
        self._update_check_in_button()
        self.resize(self.screen().availableGeometry().size())
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _make_status_bar_parts(
        self, organiser: OrganiserTools | None, printing: BadgePrinting | None
    ) -> None:
        """The event and counts, and the printer, sync and import of the organiser's tools."""
        self.event_label = QLabel()
        self.counts_label = QLabel()
        self.fault_indicator = FaultIndicator()
        self.sync_indicator = SyncIndicator(self.desk.event)
        self.printer_indicator = PrinterIndicator()
        for label in (
            self.event_label,
            self.counts_label,
            self.fault_indicator,
            self.sync_indicator,
            self.printer_indicator,
        ):
            label.setFont(font_with_cap_height(SIZE.body_text, screen=self.screen()))
            label.setTextFormat(Qt.TextFormat.PlainText)  # names come from data, never markup
        self.printer_indicator.setVisible(printing is not None)
        self.printer = (
            PrintWorker(printing, self.tasks, self.printer_indicator) if printing else None
        )
        self.import_button = self._button("importButton", self.tr("Import…"))
        self.import_button.setVisible(organiser is not None)
        self.check_badges_button = self._button("checkBadgesButton", self.tr("Check badges…"))
        self.check_badges_button.setVisible(organiser is not None and organiser.badges is not None)
        self.schedule_button = self._button("scheduleButton", self.tr("Schedule…"))
        self.schedule_button.setVisible(organiser is not None and organiser.schedules is not None)
        self.lobby_button = self._button("lobbyButton", self.tr("Lobby board…"))
        self.lobby_button.setVisible(self._open_lobby is not None)
        self.sync: SyncScheduler | None = None
        if organiser is not None and organiser.sync is not None and organiser.sync.enabled:
            self.sync = SyncScheduler(
                organiser.sync, self.tasks, self.desk.settings.sync_seconds, parent=self
            )
            self.sync.updated.connect(self.sync_indicator.show_status)
            self.sync.updated.connect(self._after_sync)

    def _button(self, name: str, text: str) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setFont(font_with_cap_height(SIZE.button_text, bold=True, screen=self.screen()))
        button.setMinimumHeight(mm_to_px(SIZE.touch, self.screen()))
        # Tab still reaches buttons, but a tap leaves the focus in the field for the scanner.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _lay_out(self) -> None:
        gap = mm_to_px(SIZE.gap, self.screen())
        self.field.setFont(font_with_cap_height(SIZE.field_text, screen=self.screen()))
        self.field.setMinimumHeight(mm_to_px(SIZE.touch, self.screen()))
        top = QHBoxLayout()
        top.setSpacing(gap)
        top.addWidget(self.field, 1)
        top.addWidget(self.clear_button)
        left = QVBoxLayout()
        left.setSpacing(gap)
        left.addWidget(self.results, 1)
        left.addWidget(self.check_in_button)
        right = QVBoxLayout()
        right.setSpacing(gap)
        right.addWidget(self.panel, 1)
        self.undo_button.setMinimumWidth(mm_to_px(SIZE.wide_button, self.screen()))
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.badge_button)
        actions.addWidget(self.undo_button)
        right.addLayout(actions)
        middle = QHBoxLayout()
        middle.setSpacing(gap * 2)
        middle.addLayout(left, 9)
        middle.addLayout(right, 11)
        central = named(QWidget(), "central")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(gap * 2, gap * 2, gap * 2, gap)
        outer.setSpacing(gap * 2)
        outer.addLayout(top)
        outer.addLayout(middle, 1)
        self.setCentralWidget(central)
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.event_label, 1)
        status.addPermanentWidget(self.fault_indicator)
        status.addPermanentWidget(self.printer_indicator)
        status.addPermanentWidget(self.sync_indicator)
        status.addPermanentWidget(self.import_button)
        status.addPermanentWidget(self.check_badges_button)
        status.addPermanentWidget(self.schedule_button)
        status.addPermanentWidget(self.lobby_button)
        status.addPermanentWidget(self.counts_label)

    def _connect(self) -> None:
        self.field.textChanged.connect(self._text_changed)
        self.field.submitted.connect(self.submit)
        self.field.stepped.connect(self.results.step)
        self._search_timer.timeout.connect(self.search_now)
        self.results.clicked.connect(self._row_tapped)
        self.results.selectionModel().selectionChanged.connect(self._update_check_in_button)
        self.model.modelReset.connect(self._update_check_in_button)
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.undo_button.clicked.connect(self.undo)
        self.clear_button.clicked.connect(self.clear)
        self.panel.expired.connect(self._forget_undo)
        self.import_button.clicked.connect(self.open_import)
        self.badge_button.clicked.connect(self.open_badge)
        self.check_badges_button.clicked.connect(self.open_badge_check)
        self.lobby_button.clicked.connect(self.choose_lobby_screen)
        self.schedule_button.clicked.connect(self.open_schedule)

    # -- searching -----------------------------------------------------------------------

    def _text_changed(self, text: str) -> None:
        # A stale selection must never be what Enter checks in after the text changed.
        self.results.clearSelection()
        if len(text.strip()) < MIN_SEARCH_CHARS:
            self._search_timer.stop()
            self.model.set_attendees([])
        else:
            self._search_timer.start()

    def search_now(self) -> None:
        """Show the attendees matching the field's text now, without waiting for the pause."""
        self._search_timer.stop()
        text = self.field.text()
        found = self.desk.search(text) if len(text.strip()) >= MIN_SEARCH_CHARS else []
        self.model.set_attendees(found, self._checked_in_today(found))

    def _checked_in_today(self, attendees: Sequence[Attendee]) -> dict[str, datetime]:
        event = self.desk.event
        first = self.desk.first_checkins(attendee.id for attendee in attendees)
        return {attendee_id: event.local(entry.at) for attendee_id, entry in first.items()}

    # -- checking in ---------------------------------------------------------------------

    def submit(self) -> None:
        """Enter in the field: check in the selected row, or else take the text as a scan."""
        if self.results.selected_row() is not None:
            self.check_in_selected()
            return
        text = self.field.text()
        if not text.strip():
            return
        result = self._safely(lambda: self.desk.check_in(text))
        if result is None:
            return
        if result.status is CheckInStatus.UNKNOWN and typed_text(text) is not TypedText.CODE:
            self.search_now()
            self._show(self.panel.pick_card(self.model.rowCount(), text))
            return
        self._show_result(result)

    def check_in_selected(self) -> None:
        """Check in the attendee selected in the results, if any."""
        row = self.results.selected_row()
        if row is not None:
            self.check_in_attendee(self.model.attendee(row))

    def check_in_attendee(self, attendee: Attendee) -> None:
        """Check in `attendee`, picked from the results, by the same rules as a scan."""
        result = self._safely(lambda: self.desk.check_in_attendee(attendee.id))
        if result is not None:
            self._show_result(result)

    def _row_tapped(self, index: QModelIndex) -> None:
        self.check_in_attendee(self.model.attendee(index.row()))

    def _show_result(self, result: CheckInResult) -> None:
        self.field.clear()
        self._badge_attendee = result.attendee if result.attendee and result.attendee.code else None
        self.badge_button.setEnabled(self._badge_attendee is not None)
        if self.printer is not None:
            self.printer.after_check_in(result)
        admitted = result.attendee if result.admitted else None
        self._show(self.panel.card_for(result, self.desk.event), admitted.id if admitted else None)
        self._refresh_labels()

    def undo(self) -> None:
        """Undo the check-in the panel shows, and say so."""
        if self._undo_attendee is None:
            return
        attendee_id = self._undo_attendee
        outcome = self._safely(lambda: self.desk.undo_attendee(attendee_id))
        if outcome is not None:
            self._show(self.panel.card_for_undo(outcome))
            self._refresh_labels()

    def _safely(self, action: Callable[[], _R]) -> _R | None:
        """Run a desk action; if storage fails, say so on the card and in the status bar
        instead of failing silently, until an action succeeds again.

        The window must survive anything below it: staff can retry, or check people in on paper.
        """
        try:
            result = action()
        except Exception as error:
            logger.exception("a desk action failed")
            self.field.clear()  # ready for the retry scan, which would otherwise append
            self._show(self.panel.failure_card(self.fault_indicator.reason(error)))
            self.fault_indicator.show_fault(error)
            return None
        self.fault_indicator.clear_fault()
        return result

    def clear(self) -> None:
        """Empty the field and the results, and show the idle card."""
        self.field.clear()
        self._show(self.panel.ready_card())

    def _show(self, card: Card, undo_attendee: str | None = None) -> None:
        self.panel.show_card(card)
        self._set_undo(undo_attendee)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_undo(self) -> None:
        self._set_undo(None)

    def _set_undo(self, attendee_id: str | None) -> None:
        self._undo_attendee = attendee_id
        self.undo_button.setEnabled(attendee_id is not None)

    def _update_check_in_button(self) -> None:
        self.check_in_button.setEnabled(self.results.selected_row() is not None)

    def open_badge_check(self) -> BadgeCheckDialog | None:
        """The check of every badge's text (organiser tools only); returned for tests."""
        if self.organiser is None or self.organiser.badges is None:
            return None
        dialog = BadgeCheckDialog(self.organiser, self.tasks, self)
        dialog.show()
        return dialog

    def open_schedule(self) -> ScheduleChangesDialog | None:
        """On-site schedule changes (organiser tools only); returned for tests."""
        if self.organiser is None or self.organiser.schedules is None:
            return None
        dialog = ScheduleChangesDialog(self.organiser, self)
        dialog.show()
        return dialog

    def choose_lobby_screen(self) -> None:
        """Ask which monitor the lobby board goes on, and open it there."""
        if self._open_lobby is None:
            return
        screens = QGuiApplication.screens()
        names = [f"{n}: {s.name() or '?'} {s.size().width()}x{s.size().height()}"
                 for n, s in enumerate(screens)]  # fmt: skip
        choice, ok = QInputDialog.getItem(
            self, self.tr("Lobby board"), self.tr("Show the board on:"), names, 0, False
        )
        if ok and choice:
            self.open_lobby(names.index(choice))

    def open_lobby(self, screen: int) -> None:
        """Open the lobby board on monitor `screen` (the organiser's choice)."""
        if self._open_lobby is None:
            return
        try:
            self._open_lobby(screen)
        except KioskError as error:
            self._show(self.panel.message_card(str(error)))

    def open_badge(self) -> BadgePreviewDialog | None:
        """The badge preview of the attendee the card shows; returned for tests."""
        if self.organiser is None or self._badge_attendee is None:
            return None
        printing = self.printer.printing if self.printer is not None else None
        dialog = BadgePreviewDialog(
            self._badge_attendee, self.organiser, self.tasks, printing, parent=self
        )
        dialog.setModal(True)
        dialog.show()
        return dialog

    def open_import(self) -> ImportDialog | None:
        """The import dialog (organiser tools only); returned for tests and screenshots."""
        if self.organiser is None:
            return None
        dialog = ImportDialog(self.organiser, self.tasks, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _after_sync(self, _status: object) -> None:
        # A window without a change feed still shows what the exchange brought in.
        if self.changes is None:
            self._refresh_labels()

    def apply_changes(self, changes: Changes) -> None:
        """Show what another process, kiosk or thread changed: counts, check-in marks in the
        results, the station's settings. Only what changed is read again.
        """
        try:
            if Topic.SETTINGS in changes or Topic.EVENT in changes:
                self.desk.reload_settings()
            if Topic.ATTENDEES in changes or Topic.CHECKINS in changes:
                if self.model.rowCount():
                    self._refresh_results()
        except Exception:
            logger.exception("could not show a change made elsewhere")
        self._refresh_labels()

    def _refresh_results(self) -> None:
        """The same search again, keeping the selected person selected."""
        row = self.results.selected_row()
        selected = self.model.attendee(row).id if row is not None else None
        self.search_now()
        for index in range(self.model.rowCount()):
            if self.model.attendee(index).id == selected:
                self.results.selectRow(index)

    def _refresh_labels(self) -> None:
        event = self.desk.event
        station = self.desk.station
        title = self.tr("{event} — {station}").format(event=event.name, station=station)
        self.setWindowTitle(title)
        where = self.tr("{event} · station {station}").format(event=event.name, station=station)
        day = self.desk.rehearsal_day
        if day is not None:
            # Staff must see that the desk is not on today's date.
            where += " · " + self.tr("REHEARSAL: the date is set to {day}").format(
                day=QLocale().toString(QDate(day.year, day.month, day.day))
            )
        self.event_label.setText(where)
        try:
            checked_in, registered = self.desk.today_counts()
        except Exception:
            logger.exception("could not count today's check-ins")
            self.counts_label.setText("")
            return
        self.counts_label.setText(
            self.tr("Checked in today: {count} / registered {registered}").format(
                count=checked_in, registered=registered
            )
        )
