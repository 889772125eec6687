"""The self-service lock: keys that would leave the screen, the hidden corner staff hold, and
the PIN pad that unlocks it.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.core.unlock import MAX_PIN_DIGITS, PinGuard
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import named, touch_button

# Staff hold the top-left corner this long to open the PIN pad; a tap or a lean does nothing.
HOLD_MS = 3000
CORNER_MM = 20.0
PAD_KEY_MM = 20.0
PAD_TEXT_MM = 7.0
CANCEL_TEXT_MM = 5.0  # the screen's smallest text: capitals of 4.8 mm at least (UX.md)
COUNTDOWN_MS = 250
# Keys that close windows, switch them or quit, with any modifier: the screen takes none.
_LEAVING_KEYS = frozenset(
    {
        Qt.Key.Key_Escape,
        Qt.Key.Key_F4,
        Qt.Key.Key_Close,
        Qt.Key.Key_Exit,
        Qt.Key.Key_Cancel,
        Qt.Key.Key_Back,
        Qt.Key.Key_Menu,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Alt,
        Qt.Key.Key_Backtab,
        Qt.Key.Key_PowerOff,
        Qt.Key.Key_Sleep,
        Qt.Key.Key_Suspend,
        Qt.Key.Key_Hibernate,
        Qt.Key.Key_LogOff,
    }
)
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


def is_leaving_key(event: QKeyEvent) -> bool:
    """True for a key that would close, switch or quit (Esc, Alt+F4, Ctrl+W, Ctrl+Q, Alt+Tab,
    the Super key, ...): any key with Ctrl, Alt or Meta held counts, as none is a scan.
    """
    if event.key() in _LEAVING_KEYS:
        return True
    return bool(event.modifiers() & _COMMAND_MODIFIERS)


class HoldCorner(QWidget):
    """An invisible square in a corner: held for `hold_ms`, it emits `held` (staff's way in)."""

    held = Signal()

    def __init__(self, parent: QWidget, hold_ms: int = HOLD_MS) -> None:
        super().__init__(parent)
        self.setObjectName("holdCorner")
        side = mm_to_px(CORNER_MM, parent.screen())
        self.setFixedSize(side, side)
        self._timer = QTimer(self, singleShot=True, interval=hold_ms)
        self._timer.timeout.connect(self.held)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A finger down starts the count."""
        self._timer.start()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Lifted too soon: nothing happens."""
        self._timer.stop()
        event.accept()


class UnlockPad(QWidget):
    """The PIN pad: digits, erase, OK; a wrong PIN shows the wait before the next try."""

    accepted = Signal()
    cancelled = Signal()
    touched = Signal()

    def __init__(self, guard: PinGuard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPad")
        self.guard = guard
        self.pin = ""
        screen = self.screen()
        text = font_with_cap_height(PAD_TEXT_MM, screen=screen)
        self.title = named(QLabel(), "unlockTitle")
        self.dots = named(QLabel(), "pinDots")
        self.message = named(QLabel(), "unlockMessage")
        for label in (self.title, self.dots, self.message):
            label.setFont(text)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.keys: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(mm_to_px(3, screen))
        for index, key in enumerate("123456789⌫0✓"):
            button = self._key(key, text)
            grid.addWidget(button, index // 3, index % 3)
        self.cancel_button = named(touch_button("", self), "unlockCancel")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.setFont(font_with_cap_height(CANCEL_TEXT_MM, bold=True, screen=screen))
        self.cancel_button.clicked.connect(self.cancel)
        outer = QVBoxLayout(self)
        outer.setSpacing(mm_to_px(4, screen))
        outer.addStretch(1)
        outer.addWidget(self.title)
        outer.addWidget(self.dots)
        outer.addWidget(self.message)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addLayout(grid)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self._countdown = QTimer(self, interval=COUNTDOWN_MS)
        self._countdown.timeout.connect(self._show_wait)
        self.retranslate()

    def _key(self, key: str, font: QFont) -> QPushButton:
        button = touch_button(key, self)
        button.setFont(font)
        side = mm_to_px(PAD_KEY_MM, self.screen())
        button.setFixedSize(side, side)
        button.setStyleSheet("padding: 0")  # the glyph needs the whole key
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the window
        button.clicked.connect(lambda _checked=False, k=key: self.press(k))
        self.keys[key] = button
        return button

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Staff only: enter the PIN"))
        self.cancel_button.setText(self.tr("Back to the kiosk"))
        self._show_wait()
        self._show_dots()

    def reset(self) -> None:
        """An empty PIN, ready for staff."""
        self.pin = ""
        self._show_dots()
        self._show_wait()

    def press(self, key: str) -> None:
        """A key of the pad (or a digit typed on a keyboard): "⌫" erases, "✓" tries the PIN."""
        self.touched.emit()
        if self.guard.wait_left() > 0 and key != "⌫":
            return  # the keys are off until the wait is over, typed ones too
        if key == "⌫":
            self.pin = self.pin[:-1]
        elif key == "✓":
            self.submit()
            return
        elif key.isdigit() and len(self.pin) < MAX_PIN_DIGITS:
            self.pin += key
        self._show_dots()

    def submit(self) -> None:
        """Try the PIN entered; a wrong one is cleared and the wait before the next shown."""
        if not self.pin:
            return
        attempt = self.guard.attempt(self.pin)
        self.pin = ""
        self._show_dots()
        if attempt.accepted:
            self.message.clear()
            self.accepted.emit()
            return
        self._show_wait()

    def cancel(self) -> None:
        """Back to the attendees' screen, still locked."""
        self.reset()
        self.cancelled.emit()

    def _show_dots(self) -> None:
        self.dots.setText("● " * len(self.pin) if self.pin else "–")

    def _show_wait(self) -> None:
        left = self.guard.wait_left()
        waiting = left > 0
        for key, button in self.keys.items():
            button.setEnabled(not waiting or key == "⌫")
        if waiting:
            self.message.setText(
                self.tr("Wrong PIN. Try again in {seconds} s").format(seconds=math.ceil(left))
            )
            self._countdown.start()
        else:
            self._countdown.stop()
            if self.guard.failures:
                self.message.setText(self.tr("Wrong PIN. Try again"))
            else:
                self.message.setText("")
