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
from kiosk.ui.application import switch_language
from kiosk.ui.attendee_detail import AttendeeDetailDialog
from kiosk.ui.backdrop import COLOUR_MS, OutcomeBackdrop
from kiosk.ui.badge_check import BadgeCheckDialog
from kiosk.ui.badge_preview import BadgePreviewDialog
from kiosk.ui.camera import CameraPreview, CameraScanner, CameraStatus
from kiosk.ui.camera import describe as describe_camera
from kiosk.ui.changes import ChangeWatcher
from kiosk.ui.counts_dialog import CountsDialog
from kiosk.ui.fault_status import FaultIndicator
from kiosk.ui.hold_button import HOLD_MS, HoldButton
from kiosk.ui.import_dialog import ImportDialog
from kiosk.ui.inputs import FocusKeeper, ResultsView, SearchField
from kiosk.ui.models import (
    AttendeeTableModel,
)
from kiosk.ui.printer_status import PrinterIndicator, PrintWorker
from kiosk.ui.result_panel import Card, ResultPanel
from kiosk.ui.scanner_check import ScannerCheckDialog
from kiosk.ui.schedule_changes import ScheduleChangesDialog
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.sounds import OutcomeSounds
from kiosk.ui.sync_status import SyncIndicator, SyncScheduler
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import SIZE, STYLESHEET, named
from kiosk.ui.walkin_dialog import WalkInDialog, WalkInOutcome
from kiosk.workflows.counts import TodayCounter
from kiosk.workflows.organiser import OrganiserTools
from kiosk.workflows.printing import BadgePrinting
from kiosk.workflows.staff import StaffDesk

MIN_SEARCH_CHARS = 2
CAMERA_PREVIEW_MM = 40.0  # enough to aim a phone at; the list keeps the rest
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
        undo_hold_ms: int = HOLD_MS,
        colour_ms: int = COLOUR_MS,
        check_scanner: bool = False,
        camera: CameraScanner | None = None,
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
        self.counter = TodayCounter(desk)
        self.setStyleSheet(resource(*STYLESHEET).read_text(encoding="utf-8"))
        self.field = named(SearchField(), "scanField")
        self.model = AttendeeTableModel(self)
        self.results = ResultsView(self.model)
        self.panel = ResultPanel(clear_after_ms)
        self.backdrop = named(OutcomeBackdrop(colour_ms), "central")
        self.sounds = OutcomeSounds(muted=settings.sounds == "off", parent=self)
        self._make_buttons(undo_hold_ms, organiser)
        self._make_status_bar_parts(organiser, printing)
        self._search_timer = QTimer(self, singleShot=True, interval=search_delay_ms)
        self._lay_out()
        self._connect()
        self._focus_keeper = FocusKeeper(self, self.field)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._focus_keeper)
        self._set_texts()
        self._set_undo(None)
        self._update_check_in_button()
        self.resize(self.screen().availableGeometry().size())
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.camera = camera
        if camera is not None:
            self._use_camera(camera)
        if check_scanner and not settings.scanner_layout:
            # At every start until a scan of the test code settles it (a skip does not).
            QTimer.singleShot(0, self.open_scanner_check)

    def _make_buttons(self, undo_hold_ms: int, organiser: OrganiserTools | None) -> None:
        """The buttons beside the list and under the card (their texts come from `_set_texts`)."""
        self.check_in_button = self._button("checkInButton")
        self.undo_button = named(HoldButton("", undo_hold_ms), "undoButton")
        self._style_button(self.undo_button)
        self.clear_button = self._button("clearButton")
        self.badge_button = self._button("badgeButton")
        self.badge_button.setVisible(organiser is not None and organiser.badges is not None)
        self.badge_button.setEnabled(False)
        self._badge_attendee: Attendee | None = None  # whose badge the Badge… button shows
        self._card_attendee: Attendee | None = None  # whom the card shows, for Details…
        self.walk_in_button = self._button("walkInButton")
        self.detail_button = self._button("detailButton")
        self.detail_button.setEnabled(False)

    def _make_status_bar_parts(
        self, organiser: OrganiserTools | None, printing: BadgePrinting | None
    ) -> None:
        """The event and counts, and the printer, sync and import of the organiser's tools."""
        self.event_label = QLabel()
        # The day's figures; a tap shows them per category.
        self.counts_button = self._button("countsButton")
        self.fault_indicator = FaultIndicator()
        self.sync_indicator = SyncIndicator(self.desk.event)
        self.camera_label = QLabel()
        self.camera_label.setVisible(False)
        self.camera_preview: CameraPreview | None = None
        self.printer_indicator = PrinterIndicator()
        for label in (
            self.event_label,
            self.camera_label,
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
        self.import_button = self._button("importButton")
        self.import_button.setVisible(organiser is not None)
        self.check_badges_button = self._button("checkBadgesButton")
        self.check_badges_button.setVisible(organiser is not None and organiser.badges is not None)
        self.schedule_button = self._button("scheduleButton")
        self.schedule_button.setVisible(organiser is not None and organiser.schedules is not None)
        self.lobby_button = self._button("lobbyButton")
        self.scanner_button = self._button("scannerButton")
        self.sound_button = self._button("soundButton")
        # Labelled in each language, not with flags: whoever reads either finds it.
        self.language_button = self._button("languageButton")
        self.sound_button.setCheckable(True)
        self.sound_button.setChecked(not self.sounds.muted)
        self._label_sound_button()
        self.lobby_button.setVisible(self._open_lobby is not None)
        self.sync: SyncScheduler | None = None
        if organiser is not None and organiser.sync is not None and organiser.sync.enabled:
            self.sync = SyncScheduler(
                organiser.sync, self.tasks, self.desk.settings.sync_seconds, parent=self
            )
            self.sync.updated.connect(self.sync_indicator.show_status)
            self.sync.updated.connect(self._after_sync)

    def _button(self, name: str) -> QPushButton:
        return self._style_button(named(QPushButton(), name))

    def _style_button(self, button: QPushButton) -> QPushButton:
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
        top.addWidget(self.sound_button)
        top.addWidget(self.language_button)
        left = self._left = QVBoxLayout()
        left.setSpacing(gap)
        left.addWidget(self.results, 1)
        below = QHBoxLayout()
        below.setSpacing(gap)
        below.addWidget(self.check_in_button, 2)
        below.addWidget(self.walk_in_button, 1)
        left.addLayout(below)
        right = QVBoxLayout()
        right.setSpacing(gap)
        right.addWidget(self.panel, 1)
        self.undo_button.setMinimumWidth(mm_to_px(SIZE.wide_button, self.screen()))
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.detail_button)
        actions.addWidget(self.badge_button)
        actions.addWidget(self.undo_button)
        right.addLayout(actions)
        middle = QHBoxLayout()
        middle.setSpacing(gap * 2)
        middle.addLayout(left, 9)
        middle.addLayout(right, 11)
        central = self.backdrop
        outer = QVBoxLayout(central)
        outer.setContentsMargins(gap * 2, gap * 2, gap * 2, gap)
        outer.setSpacing(gap * 2)
        outer.addLayout(top)
        outer.addLayout(middle, 1)
        self.setCentralWidget(central)
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        status.addWidget(self.event_label, 1)
        for part in (
            self.fault_indicator, self.camera_label, self.printer_indicator, self.sync_indicator,
            self.import_button, self.check_badges_button, self.schedule_button,
            self.lobby_button, self.scanner_button, self.counts_button,
        ):  # fmt: skip
            status.addPermanentWidget(part)

    def _connect(self) -> None:
        self.field.textChanged.connect(self._text_changed)
        self.field.submitted.connect(self.submit)
        self.field.scanned.connect(self.scan)
        self.field.stepped.connect(self.results.step)
        self._search_timer.timeout.connect(self.search_now)
        self.results.clicked.connect(self._row_tapped)
        self.results.selectionModel().selectionChanged.connect(self._update_check_in_button)
        self.model.modelReset.connect(self._update_check_in_button)
        self.check_in_button.clicked.connect(self.check_in_selected)
        self.undo_button.held.connect(self.undo)
        self.undo_button.too_short.connect(self._hold_hint)
        self.clear_button.clicked.connect(self.clear)
        self.panel.expired.connect(self._forget_undo)
        self.panel.expired.connect(lambda: self._set_card_attendee(None))
        self.panel.expired.connect(lambda: self.backdrop.show_tone(self.panel.card.tone))
        self.import_button.clicked.connect(self.open_import)
        self.badge_button.clicked.connect(self.open_badge)
        self.check_badges_button.clicked.connect(self.open_badge_check)
        self.lobby_button.clicked.connect(self.choose_lobby_screen)
        self.schedule_button.clicked.connect(self.open_schedule)
        self.scanner_button.clicked.connect(self.open_scanner_check)
        self.counts_button.clicked.connect(self.open_counts)
        self.walk_in_button.clicked.connect(self.open_walk_in)
        self.detail_button.clicked.connect(self.open_detail)
        self.results.selectionModel().selectionChanged.connect(self._update_detail_button)
        self.sound_button.toggled.connect(self.set_sound)
        self.language_button.clicked.connect(self.toggle_language)

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

    def scan(self, code: str) -> None:
        """A scanner's burst: check in the code it sent, whatever the list has selected.

        What staff had typed before the burst stays in the field. A burst that names nobody
        and does not look like a code (a fast typist, a scanner in keyboard mode typing a
        name) is searched for, as typed text is.
        """
        result = self._safely(lambda: self.desk.check_in(code))
        if result is None:
            return
        if result.status is CheckInStatus.UNKNOWN and typed_text(code) is not TypedText.CODE:
            self.field.setText(self.field.text() + code)
            self.search_now()
            self._show(self.panel.pick_card(self.model.rowCount(), self.field.text()))
            return
        self._show_result(result, clear_field=False)

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

    def _show_result(self, result: CheckInResult, *, clear_field: bool = True) -> None:
        if clear_field:
            self.field.clear()
        self._badge_attendee = result.attendee if result.attendee and result.attendee.code else None
        self._set_card_attendee(result.attendee)
        self.badge_button.setEnabled(self._badge_attendee is not None)
        if self.printer is not None:
            self.printer.after_check_in(result)
        admitted = result.attendee if result.admitted else None
        self.counter.after_check_in(result)
        card = self.panel.card_for(result, self.desk.event)
        self._show(card, admitted.id if admitted else None)
        self.sounds.play(card.tone)
        self._refresh_labels()

    def undo(self) -> None:
        """Undo the check-in the panel shows, and say so."""
        if self._undo_attendee is None:
            return
        attendee_id = self._undo_attendee
        outcome = self._safely(lambda: self.desk.undo_attendee(attendee_id))
        if outcome is not None:
            self.counter.after_undo(attendee_id)
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
        self._set_card_attendee(None)
        self._show(self.panel.ready_card())

    def _hold_hint(self) -> None:
        self.statusBar().showMessage(self.tr("Hold the button for 2 seconds to undo"), 4000)

    def _show(self, card: Card, undo_attendee: str | None = None) -> None:
        self.panel.show_card(card)
        self.backdrop.show_tone(card.tone)
        self._set_undo(undo_attendee)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _forget_undo(self) -> None:
        self._set_undo(None)

    def _set_undo(self, attendee_id: str | None) -> None:
        self._undo_attendee = attendee_id
        self.undo_button.setEnabled(attendee_id is not None)

    def _update_check_in_button(self) -> None:
        self.check_in_button.setEnabled(self.results.selected_row() is not None)

    def open_scanner_check(self) -> ScannerCheckDialog:
        """The scanner check: scan the test code; the layout found is kept for this desk."""
        dialog = ScannerCheckDialog(self.desk, self)
        dialog.setModal(True)
        dialog.finished.connect(lambda _: self.field.setFocus(Qt.FocusReason.OtherFocusReason))
        dialog.show()
        return dialog

    # -- the camera --------------------------------------------------------------------------

    def _use_camera(self, camera: CameraScanner) -> None:
        """Scans from the camera check in as the USB scanner's do; its state is in the status
        bar and its preview under the results while it runs.
        """
        camera.setParent(self)
        self.camera_label.setVisible(True)
        self.camera_preview = CameraPreview(camera)
        self.camera_preview.setFixedHeight(mm_to_px(CAMERA_PREVIEW_MM, self.screen()))
        self._left.insertWidget(1, self.camera_preview)
        camera.scanned.connect(self.scan)
        camera.state_changed.connect(self._show_camera_state)
        self._show_camera_state(camera.start())

    def _show_camera_state(self, status: CameraStatus) -> None:
        self.camera_label.setText(describe_camera(status))
        if self.camera_preview is not None:
            self.camera_preview.setVisible(status.scanning)

    # -- the exception desk: walk-ins, details and name fixes ---------------------------------

    def open_walk_in(self) -> WalkInDialog:
        """Register someone who arrives unregistered; returned for tests."""
        printing = self.printer.printing if self.printer is not None else None
        dialog = WalkInDialog(self.desk, self.tasks, printing, parent=self)
        dialog.registered.connect(self._walked_in)
        dialog.finished.connect(lambda _: self.field.setFocus(Qt.FocusReason.OtherFocusReason))
        dialog.show()
        return dialog

    def _walked_in(self, outcome: WalkInOutcome) -> None:
        if self.printer is not None and outcome.printing:
            self.printer.kick()  # the badge now, not at the worker's next look
        attendee = outcome.walk_in.attendee
        self._show(self.panel.walk_in_card(attendee, outcome.not_printed))
        self._set_card_attendee(attendee)
        self._refresh_labels()

    def open_detail(self) -> AttendeeDetailDialog | None:
        """The selected row's attendee in detail, else the card's; returned for tests."""
        row = self.results.selected_row()
        attendee = self.model.attendee(row) if row is not None else self._card_attendee
        if attendee is None:
            return None
        printing = self.printer.printing if self.printer is not None else None
        dialog = AttendeeDetailDialog(self.desk, attendee.id, self.tasks, printing, parent=self)
        dialog.changed.connect(self._after_edit)
        dialog.finished.connect(lambda _: self.field.setFocus(Qt.FocusReason.OtherFocusReason))
        dialog.show()
        return dialog

    def _after_edit(self) -> None:
        if self.printer is not None:
            self.printer.kick()
        if self.model.rowCount():
            self._refresh_results()

    def _set_card_attendee(self, attendee: Attendee | None) -> None:
        self._card_attendee = attendee if attendee is not None and attendee.id else None
        self._update_detail_button()

    def _update_detail_button(self) -> None:
        has_one = self.results.selected_row() is not None or self._card_attendee is not None
        self.detail_button.setEnabled(has_one)

    def open_counts(self) -> CountsDialog | None:
        """Today's figures per category; returned for tests."""
        counts = self._safely(self.counter.by_category)
        if counts is None:
            return None
        dialog = CountsDialog(counts, self)
        dialog.finished.connect(lambda _: self.field.setFocus(Qt.FocusReason.OtherFocusReason))
        dialog.show()
        return dialog

    def set_sound(self, on: bool) -> None:
        """The mute switch: sounds on or off at this desk, kept in its settings."""
        self.sounds.muted = not on
        self._label_sound_button()
        self._safely(lambda: self.desk.set_setting("desk.sounds", "on" if on else "off"))
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_texts(self) -> None:
        """Every text the desk shows, in the current language (at start and on a switch)."""
        self.field.setPlaceholderText(self.tr("Search name or scan code"))
        for button, text in (
            (self.check_in_button, self.tr("Check in")),
            (self.walk_in_button, self.tr("Walk-in…")),
            (self.detail_button, self.tr("Details…")),
            (self.undo_button, self.tr("Hold to undo")),
            (self.clear_button, self.tr("Clear")),
            (self.badge_button, self.tr("Badge…")),
            (self.import_button, self.tr("Import…")),
            (self.check_badges_button, self.tr("Check badges…")),
            (self.schedule_button, self.tr("Schedule…")),
            (self.lobby_button, self.tr("Lobby board…")),
            (self.scanner_button, self.tr("Scanner…")),
            (self.language_button, "Čeština / English"),
        ):
            button.setText(text)
        self._label_sound_button()
        self.model.headerDataChanged.emit(
            Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
        )
        if self.panel.card.idle:
            self.panel.show_ready()
        self._refresh_labels()

    def toggle_language(self) -> None:
        """The one-tap switch: Czech to English and back, kept for this desk."""
        language = "en" if QLocale().language() == QLocale.Language.Czech else "cs"
        self.set_language(language)

    def set_language(self, language: str) -> None:
        """Show the desk in `language` ("cs", "en") from now on, here and at the next start."""
        switch_language(language)
        self._safely(lambda: self.desk.set_setting("desk.language", language))
        self._set_texts()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _label_sound_button(self) -> None:
        # Words, not only a speaker icon: the switch's state must be readable at a glance.
        self.sound_button.setText(
            self.tr("♪ Sound on") if not self.sounds.muted else self.tr("Sound off")
        )

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
            self.counter.reload()
            self._refresh_labels()

    def apply_changes(self, changes: Changes) -> None:
        """Show what another process, kiosk or thread changed: counts, check-in marks in the
        results, the station's settings. Only what changed is read again.
        """
        try:
            if Topic.SETTINGS in changes or Topic.EVENT in changes:
                self.desk.reload_settings()
            self.counter.apply(changes)
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
            checked_in, registered = self.counter.counts()
        except Exception:
            logger.exception("could not count today's check-ins")
            self.counts_button.setText("")
            return
        self.counts_button.setText(
            self.tr("In today: {count} of {registered}").format(
                count=checked_in, registered=registered
            )
        )
