"""The desk's outcome sounds: one for admitted, one for "look again", one for a refusal."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

from kiosk.adapters.resources import resource
from kiosk.ui.theme import ATTENTION_TONE, OK_TONE, STOP_TONE, Tone

# Which sound each outcome tone plays; the undone and idle tones are silent (staff did them).
SOUND_FILES: dict[str, str] = {
    OK_TONE.name: "ok.wav",
    ATTENTION_TONE.name: "attention.wav",
    STOP_TONE.name: "problem.wav",
}


class OutcomeSounds(QObject):
    """Plays the sound of an outcome's tone, unless muted.

    A machine without a sound device plays nothing and says nothing: a sound is a help, never a
    reason to fail a check-in. `played` tells which sound the desk asked for, device or not.
    """

    played = Signal(str)

    def __init__(self, *, muted: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.muted = muted
        self._effects: dict[str, QSoundEffect] = {}
        # Without an output device QSoundEffect only warns on every play: load nothing then.
        if QMediaDevices.audioOutputs():
            for tone, file_name in SOUND_FILES.items():
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(resource("sounds", file_name))))
                self._effects[tone] = effect

    @property
    def audible(self) -> bool:
        """True when there is a sound device to play on."""
        return bool(self._effects)

    def play(self, tone: Tone) -> str | None:
        """Play `tone`'s sound; returns its file name, or None for a silent tone or when muted."""
        name = SOUND_FILES.get(tone.name)
        if name is None or self.muted:
            return None
        effect = self._effects.get(tone.name)
        if effect is not None and effect.status() is not QSoundEffect.Status.Error:
            effect.play()
        self.played.emit(name)
        return name
