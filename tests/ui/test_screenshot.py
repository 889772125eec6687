"""Offscreen screenshots of the desk window."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from kiosk.ui.screenshot import render_desk


def test_render_desk_writes_a_png_of_the_asked_size(desk, tmp_path):
    path = tmp_path / "desk.png"
    render_desk(desk, path, size=(1024, 640), locale="en")
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1024, 640)


def test_render_desk_can_show_a_scan_first(desk, tmp_path):
    path = tmp_path / "ok.png"
    code = desk.search("prikryl")[0].code

    def scan(window):
        window.field.setText(code)
        window.submit()

    render_desk(desk, path, size=(1280, 800), locale="en", prepare=scan)
    image = QImage(str(path))
    green = QColor("#2E7D32").rgb()
    pixels = (image.pixel(x, y) for x in range(0, 1280, 8) for y in range(0, 800, 8))
    assert any(pixel == green for pixel in pixels)
    assert desk.stats().checked_in == 1


def test_render_desk_can_show_search_results(desk, tmp_path):
    shown = []
    render_desk(
        desk,
        tmp_path / "search.png",
        size=(800, 600),
        locale="en",
        search="prikryl",
        prepare=lambda window: shown.append(window.model.attendee(0).full_name),
    )
    assert shown == ["Petr Přikryl"]
