"""A button that acts only when held: undo without a confirmation dialog, never by a brush."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QPushButton, QWidget

HOLD_MS = 2000  # UX.md: long-press or hold 2 s
_TICK_MS = 40


class HoldButton(QPushButton):
    """Emits `held` once it has been pressed for `hold_ms`; shows its progress as a fill.

    A tap that lets go early emits `too_short`, so the window can say "hold to undo". From the
    keyboard (Space or Enter on a focused button) it acts at once: reaching it with Tab is
    already deliberate.
    """

    held = Signal()
    too_short = Signal()

    def __init__(self, text: str, hold_ms: int = HOLD_MS, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.hold_ms = hold_ms
        self.progress = 0.0
        self._pressed = QElapsedTimer()
        self._tick = QTimer(self, interval=_TICK_MS)
        self._tick.timeout.connect(self._advance)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start holding."""
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            self._pressed.start()
            self._tick.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Let go: before the time is up, nothing happens but a hint."""
        holding = self._tick.isActive()
        self._stop()
        if holding:
            self.too_short.emit()
        # Not QPushButton's release: a click must not act.
        self.setDown(False)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Space or Enter on the focused button acts at once."""
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.isEnabled():
                self.held.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        """Swallow the release of Space, which would otherwise click."""
        if event.key() == Qt.Key.Key_Space:
            event.accept()
            return
        super().keyReleaseEvent(event)

    def _advance(self) -> None:
        self.progress = min(1.0, self._pressed.elapsed() / self.hold_ms)
        self.update()
        if self.progress >= 1.0:
            self._stop()
            self.setDown(False)
            self.held.emit()

    def _stop(self) -> None:
        self._tick.stop()
        self.progress = 0.0
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The button, with the part of the hold done filled from the left."""
        super().paintEvent(event)
        if self.progress <= 0.0:
            return
        painter = QPainter(self)
        fill = QColor(self.palette().highlight().color())
        fill.setAlphaF(0.45)
        painter.fillRect(0, 0, int(self.width() * self.progress), self.height(), fill)
        painter.end()
