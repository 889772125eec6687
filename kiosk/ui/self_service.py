"""The self-service screen: an attendee scans their own code, is welcomed and takes their badge;
staff alone can leave it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Qt, QTimer, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.checkin import CheckInResult, CheckInStatus
from kiosk.core.text import language_of
from kiosk.ui.i18n import install_translators
from kiosk.ui.self_badge import PRINT_TIMEOUT_MS, BadgeWatcher
from kiosk.ui.self_lock import HOLD_MS, HoldCorner, UnlockPad, is_leaving_key
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.tasks import TaskRunner
from kiosk.ui.theme import ATTENTION_TONE, NEUTRAL_TONE, OK_TONE, STOP_TONE, Tone, named
from kiosk.workflows.attendee import AttendeeActions
from kiosk.workflows.unlock import StaffUnlock

# UX.md: back to the start 5 s after a result, and after 30 s with nobody touching anything.
RESULT_MS = 5_000
INACTIVITY_MS = 30_000
# A code held in front of the camera is read again and again: the same code is one scan while
# its answer shows and this long after. (The shared repeat filter of kiosk/core can replace
# this guard: see `SelfServiceWindow.submit_scan`.)
SAME_CODE_S = 3.0
# Keys further apart than this are a person at a keyboard, not a scanner's burst.
KEY_GAP_S = 1.0
LANGUAGES = ("cs", "en")
LANGUAGE_TOGGLE = "Čeština / English"  # each language in its own words, never flags alone
logger = logging.getLogger(__name__)


class Screen(StrEnum):
    """What the screen shows."""

    IDLE = "idle"
    CHECKING = "checking"
    WELCOME = "welcome"  # checked in, no badge to print
    PRINTING = "printing"
    TAKE = "take"  # the badge is out
    ALREADY = "already"
    PROBLEM = "problem"
    PRINT_FAILED = "print_failed"
    UNLOCK = "unlock"  # the PIN pad
    UNLOCKED = "unlocked"


# Answers that stay up for RESULT_MS, then the screen goes home.
RESULTS = frozenset(
    {Screen.WELCOME, Screen.TAKE, Screen.ALREADY, Screen.PROBLEM, Screen.PRINT_FAILED}
)
# While these show, every scan is ignored (UX.md: the attendee waits for the answer).
BUSY = frozenset({Screen.CHECKING, Screen.PRINTING})


class SelfSizes:
    """Cap heights in millimetres: 4.8 mm at least (UX.md), 7.3 mm for what must be read."""

    headline = 16.0
    icon = 24.0
    name = 12.0
    message = 7.3
    small = 5.0
    gap = 4.0
    touch = 15.0


class SelfServiceWindow(QWidget):
    """The attendee's screen. It holds only the attendee capability (no search, no list, no
    counts) and the staff unlock; scans come from a keyboard-wedge scanner typing anywhere in
    the window or from `submit_scan` (the camera scanner's `scanned` signal).

    Staff hold the top-left corner for 3 s to open the PIN pad, or scan the staff code.
    """

    def __init__(
        self,
        service: AttendeeActions,
        unlock: StaffUnlock,
        parent: QWidget | None = None,
        *,
        preview: QWidget | None = None,
        language: str | None = None,
        tasks: TaskRunner | None = None,
        clock: Callable[[], float] = time.monotonic,
        result_ms: int = RESULT_MS,
        inactivity_ms: int = INACTIVITY_MS,
        print_timeout_ms: int = PRINT_TIMEOUT_MS,
        hold_ms: int = HOLD_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("selfService")
        self.service = service
        self.unlock = unlock
        self.tasks = tasks or TaskRunner(self)
        self._clock = clock
        self._result_ms = result_ms
        self._inactivity_ms = inactivity_ms
        self.home_language = language_of(language or service.event.locale) or "en"
        self.language = self.home_language
        self.screen_state = Screen.IDLE
        self._may_close = False
        self._keys = ""
        self._last_key = -math.inf
        self._last_code = ""
        self._ignore_until = -math.inf
        self._name = self._organisation = self._reason = ""
        self._home_timer = QTimer(self, singleShot=True)
        self._home_timer.timeout.connect(self.go_home)
        self.badge = BadgeWatcher(service, self.tasks, self, timeout_ms=print_timeout_ms)
        self.badge.printed.connect(lambda: self._present(Screen.TAKE))
        self.badge.failed.connect(lambda: self._present(Screen.PRINT_FAILED))
        self.badge.progressed.connect(self._progressed)
        self._build(preview)
        self.corner = HoldCorner(self, hold_ms)
        self.corner.held.connect(self.open_unlock)
        self.setStyleSheet(_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._present(Screen.IDLE)

    # -- building --------------------------------------------------------------------------

    def _label(self, name: str, cap_mm: float, *, bold: bool = False) -> QLabel:
        label = named(QLabel(wordWrap=True), name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # names and reasons are data
        label.setFont(font_with_cap_height(cap_mm, bold=bold, screen=self.screen()))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A long name wraps or is cut at the edge; it never widens the window.
        policy = label.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        label.setSizePolicy(policy)
        return label

    def _button(self, name: str, text: str) -> QPushButton:
        button = named(QPushButton(text), name)
        button.setFont(font_with_cap_height(SelfSizes.small, bold=True, screen=self.screen()))
        button.setMinimumHeight(mm_to_px(SelfSizes.touch, self.screen()))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scanner's keys stay with the window
        return button

    def _build(self, preview: QWidget | None) -> None:
        gap = mm_to_px(SelfSizes.gap, self.screen())
        self.event_label = self._label("eventName", SelfSizes.small, bold=True)
        self.event_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.language_button = self._button("languageButton", LANGUAGE_TOGGLE)
        self.language_button.clicked.connect(self.toggle_language)
        top = QHBoxLayout()
        top.addSpacing(mm_to_px(20, self.screen()))  # the hold corner
        top.addWidget(self.event_label, 1)
        top.addWidget(self.language_button)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_idle(preview, gap))
        self.pages.addWidget(self._build_result(gap))
        self.pad = UnlockPad(self.unlock.pins)
        self.pad.accepted.connect(lambda: self._present(Screen.UNLOCKED))
        self.pad.cancelled.connect(self.go_home)
        self.pad.touched.connect(self._touched)
        self.pages.addWidget(self.pad)
        self.pages.addWidget(self._build_unlocked(gap))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(gap * 2, gap, gap * 2, gap * 2)
        outer.setSpacing(gap)
        outer.addLayout(top)
        outer.addWidget(self.pages, 1)

    def _build_idle(self, preview: QWidget | None, gap: int) -> QWidget:
        page = named(QWidget(), "idlePage")
        self.attract = self._label("attract", SelfSizes.message * 1.4, bold=True)
        self.hint = self._label("hint", SelfSizes.message)
        if preview is None:
            self.preview: QWidget = self._label("previewPlaceholder", SelfSizes.small)
        else:
            self.preview = preview
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.setMinimumHeight(mm_to_px(60, self.screen()))
        layout = QVBoxLayout(page)
        layout.setSpacing(gap * 2)
        layout.addStretch(1)
        layout.addWidget(self.attract)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        return page

    def _build_result(self, gap: int) -> QWidget:
        page = named(QWidget(), "resultPage")
        self.band = named(QFrame(), "band")
        self.icon = self._label("icon", SelfSizes.icon, bold=True)
        self.headline = self._label("headline", SelfSizes.headline, bold=True)
        for label in (self.icon, self.headline):  # one word each: they take what they need
            label.setWordWrap(False)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        band = QHBoxLayout(self.band)
        band.setContentsMargins(gap * 2, gap, gap * 2, gap)
        band.addStretch(1)
        band.addWidget(self.icon)
        band.addWidget(self.headline)
        band.addStretch(1)
        self.name_label = self._label("name", SelfSizes.name, bold=True)
        self.organisation_label = self._label("organisation", SelfSizes.message)
        self.message = self._label("message", SelfSizes.message, bold=True)
        self.progress = named(QProgressBar(), "progress")
        self.progress.setRange(0, 3)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(mm_to_px(8, self.screen()))
        layout = QVBoxLayout(page)
        layout.setSpacing(gap * 2)
        layout.addWidget(self.band)
        layout.addStretch(1)
        layout.addWidget(self.name_label)
        layout.addWidget(self.organisation_label)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        return page

    def _build_unlocked(self, gap: int) -> QWidget:
        page = named(QWidget(), "unlockedPage")
        self.unlocked_label = self._label("unlockedLabel", SelfSizes.message, bold=True)
        self.exit_button = self._button("exitButton", "")
        self.exit_button.clicked.connect(self.leave)
        self.back_button = self._button("backButton", "")
        self.back_button.clicked.connect(self.go_home)
        layout = QVBoxLayout(page)
        layout.setSpacing(gap * 2)
        layout.addStretch(1)
        layout.addWidget(self.unlocked_label)
        for button in (self.back_button, self.exit_button):
            button.setMinimumWidth(mm_to_px(90, self.screen()))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        return page

    # -- scans -----------------------------------------------------------------------------

    @Slot(str)
    def submit_scan(self, text: str) -> None:
        """A scanned code (the camera scanner's `scanned` signal, or a wedge scanner's Enter).

        Ignored while checking or printing, and while the same code's answer shows and
        SAME_CODE_S after it (a badge held in front of the camera is one scan). The lead may
        swap this guard for the shared repeat filter of kiosk/core/scans.py here.
        """
        code = text.strip()
        if not code or self.screen_state in BUSY:
            return
        if code == self._last_code and (
            self.screen_state in RESULTS or self._clock() < self._ignore_until
        ):
            return
        if self.screen_state in (Screen.UNLOCK, Screen.UNLOCKED):
            if self._is_staff_code(code):
                self._present(Screen.UNLOCKED)
            return
        self._last_code = code
        self._present(Screen.CHECKING)
        self.repaint()
        try:
            if self.service.lookup(code) is None and self._is_staff_code(code):
                self._last_code = ""
                self._present(Screen.UNLOCKED)
                return
            result = self.service.check_in(code)
        except Exception:
            logger.exception("a self-service check-in failed")
            self._show_problem(self.tr("Something went wrong."))
            return
        self._show_result(result)

    def _is_staff_code(self, code: str) -> bool:
        try:
            return self.unlock.is_staff_code(code)
        except Exception:
            logger.exception("could not check the staff code")
            return False

    def _show_result(self, result: CheckInResult) -> None:
        attendee = result.attendee
        status = result.status
        if status is CheckInStatus.OK and attendee is not None:
            self._name, self._organisation = attendee.first_name, attendee.organisation
            self._start_badge()
        elif status is CheckInStatus.ALREADY:
            self._present(Screen.ALREADY)  # no name: the code may not be the holder's own
        elif status is CheckInStatus.CANCELLED:
            self._show_problem(self.tr("This registration was cancelled."))
        elif status is CheckInStatus.NOT_TODAY:
            self._show_problem(self.tr("This ticket is not valid today."))
        else:
            self._show_problem(self.tr("This code is not a ticket for this event."))

    def _start_badge(self) -> None:
        try:
            queued = self.service.print_badge()
        except Exception:
            logger.exception("could not queue a self-service badge")
            self._present(Screen.PRINT_FAILED)
            return
        if queued is None:
            self._present(Screen.WELCOME)
        elif queued.queued and queued.job is not None:
            self._present(Screen.PRINTING)
            self.badge.watch(queued.job.id)
        else:
            self._present(Screen.PRINT_FAILED)

    def _show_problem(self, reason: str) -> None:
        self._name = self._organisation = ""
        self._reason = reason
        self._present(Screen.PROBLEM)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    # -- the states --------------------------------------------------------------------------

    def go_home(self) -> None:
        """Back to the start: the attract screen in the event's language."""
        if self.screen_state in BUSY:
            return
        if self.screen_state in RESULTS:
            self._ignore_until = self._clock() + SAME_CODE_S
        self.pad.reset()
        if self.language != self.home_language:
            self.set_language(self.home_language)
        self._present(Screen.IDLE)

    def open_unlock(self) -> None:
        """The PIN pad for staff (the corner held); nothing when only a staff code is set."""
        if self.screen_state in BUSY or not self.unlock.has_pin:
            return
        self.pad.reset()
        self._present(Screen.UNLOCK)

    def leave(self) -> None:
        """Staff chose to exit: the window closes (only once unlocked)."""
        if self.screen_state is Screen.UNLOCKED:
            self._may_close = True
            self.close()

    def shut_down(self) -> None:
        """Close the window whatever its state: the application quitting, a screenshot done."""
        self._may_close = True
        self.close()

    def present(self, screen: Screen, name: str = "", organisation: str = "") -> None:
        """Show `screen` with `name` and `organisation` (screenshots of a given state)."""
        self._name, self._organisation = name, organisation
        self._present(screen)

    def _present(self, screen: Screen) -> None:
        self.screen_state = screen
        if screen is Screen.IDLE:
            self._name = self._organisation = self._reason = ""
            for label in (self.name_label, self.organisation_label, self.message):
                label.clear()  # nothing of the last person stays, even on a hidden page
            self.pages.setCurrentIndex(0)
        elif screen is Screen.UNLOCK:
            self.pages.setCurrentIndex(2)
        elif screen is Screen.UNLOCKED:
            self.pages.setCurrentIndex(3)
        else:
            self.pages.setCurrentIndex(1)
        if screen in RESULTS:
            self._home_timer.start(self._result_ms)
        elif screen is Screen.IDLE or screen in BUSY:
            self._home_timer.stop()
        else:
            self._home_timer.start(self._inactivity_ms)
        self._retranslate()

    def _tone(self) -> tuple[Tone, str, str, str, str]:
        """The state's tone, icon, one-word headline, line under the name, and message."""
        screen = self.screen_state
        organisation = self._organisation
        if screen is Screen.CHECKING:
            return NEUTRAL_TONE, "…", self.tr("Checking"), "", self.tr("Checking your ticket…")
        if screen is Screen.WELCOME:
            message = self.tr("You are checked in. Enjoy the event!")
            return OK_TONE, "✓", self.tr("Welcome"), organisation, message
        if screen is Screen.PRINTING:
            message = self.tr("Your badge is printing…")
            return OK_TONE, "✓", self.tr("Welcome"), organisation, message
        if screen is Screen.TAKE:
            message = self.tr("Please take your badge.")
            return OK_TONE, "✓", self.tr("Welcome"), organisation, message
        if screen is Screen.ALREADY:
            return (
                ATTENTION_TONE,
                "!",
                self.tr("Already"),
                self.tr("You are already checked in."),
                self.tr("Please see our staff for a new badge."),
            )
        if screen is Screen.PRINT_FAILED:
            message = self.tr("Printing failed. Please see our staff.")
            return STOP_TONE, "✕", self.tr("Problem"), organisation, message
        return STOP_TONE, "✕", self.tr("Problem"), self._reason, self.tr("Please see our staff.")

    def _retranslate(self) -> None:
        self.event_label.setText(self.service.event.name)
        self.attract.setText(self.tr("Scan the QR code from your registration e-mail"))
        self.hint.setText(
            self.tr("Hold the code about 20 cm from the camera, so that you see it in the picture.")
        )
        if isinstance(self.preview, QLabel):
            self.preview.setText(self.tr("Camera: hold your code here"))
        self.unlocked_label.setText(self.tr("Unlocked for staff."))
        self.exit_button.setText(self.tr("Exit self-service"))
        self.back_button.setText(self.tr("Back to the kiosk"))
        self.pad.retranslate()
        if self.pages.currentIndex() == 1:
            tone, icon, headline, line, message = self._tone()
            self.band.setStyleSheet(
                f"QFrame#band {{ background: {tone.background}; border-radius: 12px; }}"
                f"QLabel {{ color: {tone.foreground}; }}"
            )
            self.band.setProperty("tone", tone.name)
            self.icon.setText(icon)
            self.headline.setText(headline)
            self.name_label.setText(self._name)
            self.organisation_label.setText(line)
            self.message.setText(message)
            self.progress.setVisible(self.screen_state is Screen.PRINTING)

    # -- language --------------------------------------------------------------------------

    def toggle_language(self) -> None:
        """Czech to English and back; the screen goes back to the event's at the start."""
        self._touched()
        index = LANGUAGES.index(self.language) if self.language in LANGUAGES else 0
        self.set_language(LANGUAGES[(index + 1) % len(LANGUAGES)])

    def set_language(self, language: str) -> None:
        """Show every text in `language` ("cs", "en")."""
        self.language = language
        app = QCoreApplication.instance()
        if app is not None:
            install_translators(app, language)
        QLocale.setDefault(QLocale(language))
        self._retranslate()

    def _touched(self) -> None:
        """Someone is using the screen: the inactivity count starts again."""
        if self.screen_state not in BUSY and self.screen_state not in RESULTS:
            self._home_timer.start(self._inactivity_ms)

    # -- the lock --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """No shortcut of Qt's or anyone's may act on a leaving key: take it here first."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if is_leaving_key(event):
                event.accept()
                return True
        return super().event(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: ARG002 (Qt's signature)
        """Tab ends a scan here; it never moves the focus."""
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A wedge scanner types the code and Enter or Tab; leaving keys are swallowed."""
        event.accept()
        if is_leaving_key(event):
            return
        key = event.key()
        if self.screen_state is Screen.UNLOCK:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.pad.press("✓")
            elif key == Qt.Key.Key_Backspace:
                self.pad.press("⌫")
            elif event.text().isdigit():
                self.pad.press(event.text())
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            code, self._keys = self._keys, ""
            self.submit_scan(code)
            return
        text = event.text()
        if text and text.isprintable():
            now = self._clock()
            if now - self._last_key > KEY_GAP_S:
                self._keys = ""  # stray keys before a pause are not part of this scan
            self._last_key = now
            self._keys += text

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing is ignored unless staff unlocked the screen and chose to exit."""
        if self._may_close:
            self.badge.stop()
            event.accept()
        else:
            event.ignore()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the hold corner over the top-left corner, above everything."""
        super().resizeEvent(event)
        self.corner.move(0, 0)
        self.corner.raise_()


_STYLE = """
QWidget#selfService { background: #F5F7F8; }
QWidget#selfService QLabel { color: #102027; }
QLabel#previewPlaceholder {
    background: #ECEFF1; color: #37474F; border: 4px dashed #546E7A; border-radius: 16px;
}
QLabel#hint { color: #263238; }
QPushButton {
    background: #ECEFF1; color: #102027; border: 2px solid #607D8B; border-radius: 8px;
    padding: 0 24px;
}
QPushButton:pressed { background: #CFD8DC; }
QPushButton:disabled { color: #5F6F77; border-color: #CFD8DC; }
QProgressBar { border: 2px solid #2E7D32; border-radius: 6px; background: #FFFFFF; }
QProgressBar::chunk { background: #2E7D32; }
"""
