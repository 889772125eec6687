"""Writes the desk's outcome sounds (ok.wav, attention.wav, problem.wav); run it to remake them.

Our own tones, so no licence but ours: short, distinct by pitch and rhythm (UX.md: one sound per
outcome, since one beep for success and failure makes people walk away without looking).
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
VOLUME = 0.45
RAMP_S = 0.008  # fade in and out, so a tone starts and ends without a click

# (frequency Hz, seconds); a frequency of 0 is a pause
SOUNDS: dict[str, list[tuple[float, float]]] = {
    "ok": [(784.0, 0.09), (1047.0, 0.14)],  # rising: done
    "attention": [(659.0, 0.12), (0.0, 0.07), (659.0, 0.12)],  # two equal: look
    "problem": [(440.0, 0.16), (0.0, 0.04), (311.0, 0.30)],  # falling, low and long: stop
}


def samples(frequency: float, seconds: float) -> list[int]:
    count = int(RATE * seconds)
    ramp = int(RATE * RAMP_S)
    out = []
    for n in range(count):
        envelope = min(1.0, n / ramp, (count - n) / ramp) if frequency else 0.0
        # A touch of the third harmonic carries through a noisy lobby better than a pure sine.
        phase = 2 * math.pi * frequency * n / RATE
        value = math.sin(phase) + 0.25 * math.sin(3 * phase)
        out.append(int(32767 * VOLUME * envelope * value / 1.25))
    return out


def main() -> None:
    folder = Path(__file__).parent
    for name, tones in SOUNDS.items():
        frames = [s for frequency, seconds in tones for s in samples(frequency, seconds)]
        with wave.open(str(folder / f"{name}.wav"), "wb") as file:
            file.setnchannels(1)
            file.setsampwidth(2)
            file.setframerate(RATE)
            file.writeframes(struct.pack(f"<{len(frames)}h", *frames))


if __name__ == "__main__":
    main()
