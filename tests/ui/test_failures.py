"""A bug below a slot of the desk: logged with its traceback, a calm message, the desk goes on."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox

from kiosk.adapters.log_file import FILE_NAME, start_logging, stop_logging
from kiosk.ui.failures import FailureReporter
from kiosk.ui.sizing import mm_to_px
from kiosk.ui.theme import SIZE
from tests.ui.test_desk import scan


@pytest.fixture
def log_folder(tmp_path):
    stop_logging()
    start_logging(tmp_path / "logs")
    yield tmp_path / "logs"
    stop_logging()


def _explode() -> None:
    raise RuntimeError("the slot's own bug")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_shown_and_the_desk_keeps_checking_in(
    qtbot, make_window, desk, log_folder
):
    window = make_window()
    reporter = FailureReporter(window).install()
    try:
        QTimer.singleShot(0, _explode)  # a slot Qt calls, with nobody around it to catch
        qtbot.waitUntil(lambda: reporter.reported == 1)
        box = reporter.message
        assert box is not None
        qtbot.waitUntil(box.isVisible)
        assert "Something went wrong" in box.text()
        assert "Traceback" not in box.text() + box.informativeText() + box.detailedText()
        assert "RuntimeError" not in box.text() + box.informativeText()
        log = (log_folder / FILE_NAME).read_text(encoding="utf-8")
        assert "Traceback (most recent call last)" in log
        assert "RuntimeError: the slot's own bug" in log
        assert "in _explode" in log

        # A second bug while the message is up is logged, and is not a second message.
        QTimer.singleShot(0, _explode)
        qtbot.waitUntil(lambda: reporter.reported == 2)
        assert reporter.message is box
        assert [box for box in window.findChildren(QMessageBox) if box.isVisible()] == [box]

        # The desk is still open, in the same mode, and still checks people in.
        box.accept()
        assert window.isVisible()
        petr = desk.search("prikryl")[0]
        window.field.setFocus()
        scan(qtbot, window, petr.code)
        assert window.panel.card.headline == "CHECKED IN"
    finally:
        reporter.uninstall()
    assert sys.excepthook is not reporter.report


def test_the_message_has_a_touch_sized_button_and_plain_text(qtbot, make_window, tmp_path):
    window = make_window()
    reporter = FailureReporter(window)
    reporter.show_message()
    box = reporter.message
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    (button,) = box.buttons()
    assert button is reporter.ok_button
    assert button.minimumHeight() == mm_to_px(SIZE.touch, window.screen())
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.grab().save(str(tmp_path / "failure.png"))
