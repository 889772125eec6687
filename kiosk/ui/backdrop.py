"""The desk's background: the outcome's colour across the whole window, fading after a while."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QRegion
from PySide6.QtWidgets import QWidget

from kiosk.ui.theme import NEUTRAL_TONE, Tone

# UX.md: the colour is seen from across the queue for about 5 s, then fades while the card
# stays. One smooth fade, never a flash (no more than 3 changes a second).
COLOUR_MS = 5000
FADE_MS = 800


class OutcomeBackdrop(QWidget):
    """Paints the last outcome's tone behind the desk's widgets, then fades to the plain
    background. A new outcome replaces the colour at once.
    """

    def __init__(
        self, colour_ms: int = COLOUR_MS, fade_ms: int = FADE_MS, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.tone: Tone = NEUTRAL_TONE
        self.strength = 0.0  # 1: the tone's full colour; 0: the plain background
        self._hold = QTimer(self, singleShot=True, interval=colour_ms)
        self._fade = QVariantAnimation(self, startValue=1.0, endValue=0.0, duration=fade_ms)
        self._hold.timeout.connect(self._fade.start)
        self._fade.valueChanged.connect(self._set_strength)

    def show_tone(self, tone: Tone) -> None:
        """Colour the window with `tone` now; the neutral (idle) tone clears it."""
        self._hold.stop()
        self._fade.stop()
        unchanged = tone is self.tone and self.strength == (0.0 if tone is NEUTRAL_TONE else 1.0)
        self.tone = tone
        if tone is not NEUTRAL_TONE:
            self._hold.start()
        if unchanged:
            return  # the same colour again (a queue of green answers): nothing to repaint
        self._set_strength(0.0 if tone is NEUTRAL_TONE else 1.0)

    def _set_strength(self, value: object) -> None:
        self.strength = float(value)  # type: ignore[arg-type]
        if self.strength in (0.0, 1.0):
            self.update()  # the whole window once: rounded corners show the colour too
            return
        # Between the two, only the gaps between the widgets: repainting the whole window (the
        # list, the card) on every step of the fade would cost a scan's worth of time each.
        gaps = QRegion(self.rect())
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child.isVisible():
                gaps -= QRegion(child.geometry())
        self.update(gaps)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The plain background, then the tone's colour at the current strength."""
        super().paintEvent(event)
        if self.strength <= 0.0:
            return
        colour = QColor(self.tone.background)
        colour.setAlphaF(self.strength)
        painter = QPainter(self)
        painter.fillRect(event.rect(), colour)
        painter.end()
