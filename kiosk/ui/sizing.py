"""Physical sizes for touch screens: millimetres to pixels from the screen's real density."""

from __future__ import annotations

import math

from PySide6.QtGui import QFont, QFontMetricsF, QGuiApplication, QScreen

MM_PER_INCH = 25.4
# What Qt assumes when it knows nothing, and about what a 24" full-HD monitor has.
FALLBACK_DPI = 96.0
# Outside this range the screen reports a made-up physical size (0 mm, or a TV's EDID saying
# 1 x 1 cm); phones reach about 560, so anything beyond is nonsense for a desk.
MIN_PLAUSIBLE_DPI = 50.0
MAX_PLAUSIBLE_DPI = 700.0
_PROBE_PIXELS = 100


def screen_dpi(screen: QScreen | None = None) -> float:
    """Logical pixels per physical inch of `screen` (the primary screen when None).

    Qt computes it from the screen's reported millimetres and its device-independent
    geometry, so it already accounts for a device-pixel ratio; sizes set on widgets use it
    directly. Falls back to 96 dpi when there is no screen or its answer is implausible.
    """
    screen = screen or QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 0.0
    if not math.isfinite(dpi) or not MIN_PLAUSIBLE_DPI <= dpi <= MAX_PLAUSIBLE_DPI:
        return FALLBACK_DPI
    return dpi


def mm_to_px(mm: float, screen: QScreen | None = None) -> int:
    """`mm` millimetres on `screen` in whole logical pixels, rounded up, at least 1."""
    return max(1, math.ceil(mm * screen_dpi(screen) / MM_PER_INCH - 1e-9))


def font_with_cap_height(
    mm: float, base: QFont | None = None, *, bold: bool = False, screen: QScreen | None = None
) -> QFont:
    """A copy of `base` (the application font when None) sized so capitals are `mm` tall.

    Legibility standards give capital-letter heights, not point sizes; the ratio of cap height
    to pixel size depends on the typeface, so it is measured rather than assumed.
    """
    font = QFont(base if base is not None else QGuiApplication.font())
    font.setBold(bold)
    font.setPixelSize(_PROBE_PIXELS)
    cap_ratio = QFontMetricsF(font).capHeight() / _PROBE_PIXELS or 0.73
    font.setPixelSize(max(1, math.ceil(mm * screen_dpi(screen) / MM_PER_INCH / cap_ratio)))
    return font


def cap_height_mm(font: QFont, screen: QScreen | None = None) -> float:
    """How tall the capitals of `font` are on `screen`, in millimetres."""
    return QFontMetricsF(font).capHeight() * MM_PER_INCH / screen_dpi(screen)
