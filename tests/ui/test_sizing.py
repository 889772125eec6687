"""Millimetres to pixels from the screen's physical density, with a fallback for nonsense."""

from __future__ import annotations

import math

import pytest

from kiosk.ui.sizing import FALLBACK_DPI, cap_height_mm, font_with_cap_height, mm_to_px, screen_dpi


class FakeScreen:
    def __init__(self, dpi: float) -> None:
        self.dpi = dpi

    def physicalDotsPerInch(self) -> float:
        return self.dpi


@pytest.mark.parametrize("dpi", [0.0, -1.0, math.nan, math.inf, 5.0, 5000.0])
def test_a_screen_reporting_nonsense_counts_as_96_dpi(dpi):
    screen = FakeScreen(dpi)
    assert screen_dpi(screen) == FALLBACK_DPI
    assert mm_to_px(25.4, screen) == 96


@pytest.mark.parametrize(("dpi", "pixels"), [(96.0, 35), (141.0, 50), (326.0, 116)])
def test_nine_millimetres_on_real_screens(dpi, pixels):
    assert mm_to_px(9, FakeScreen(dpi)) == pixels


def test_the_primary_screen_is_used_by_default(qapp):
    assert screen_dpi() == screen_dpi(qapp.primaryScreen())


@pytest.mark.parametrize("mm", [3.0, 8.0, 12.0])
@pytest.mark.usefixtures("qapp")
def test_fonts_get_the_asked_cap_height(mm):
    screen = FakeScreen(100.0)
    font = font_with_cap_height(mm, screen=screen)
    height = cap_height_mm(font, screen)
    # Whole pixel sizes and whole-pixel metrics: at most two pixels more, never less.
    assert mm <= height <= mm + 2 * 25.4 / 100


@pytest.mark.usefixtures("qapp")
def test_bold_fonts_are_bold():
    assert font_with_cap_height(5, bold=True).bold()
