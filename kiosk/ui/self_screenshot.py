"""Render the self-service screen offscreen to PNG files, in a given state."""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.core.errors import StorageError
from kiosk.ui.application import create_application
from kiosk.ui.i18n import install_translators
from kiosk.ui.screenshot import DEFAULT_SIZE
from kiosk.ui.self_service import Screen, SelfServiceWindow
from kiosk.workflows.attendee import AttendeeActions
from kiosk.workflows.unlock import StaffUnlock

PrepareSelf = Callable[[SelfServiceWindow], None]


def render_self(
    service: AttendeeActions,
    unlock: StaffUnlock,
    path: str | os.PathLike[str],
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    locale: str | None = None,
    prepare: PrepareSelf | None = None,
) -> None:
    """Draw a self-service window of `size` pixels into the PNG file `path`, in `locale` (the
    event's when None), after `prepare` scanned or opened something in it.
    """
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    language = locale or service.event.locale
    app = create_application(language)
    window = SelfServiceWindow(service, unlock, language=language)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*size)
        window.show()
        if prepare is not None:
            prepare(window)
        app.processEvents()
        if not window.grab().save(os.fspath(path), "PNG"):
            raise StorageError(f"cannot write the screenshot {path}")
    finally:
        window.tasks.wait(10_000)
        window.shut_down()
        window.deleteLater()
        install_translators(app, language)


def scanned_self(code: str) -> PrepareSelf:
    """Scan `code` (it checks the person in, by the real rules)."""

    def prepare(window: SelfServiceWindow) -> None:
        window.submit_scan(code)

    return prepare


def presented(screen: Screen, name: str, organisation: str = "") -> PrepareSelf:
    """Show `screen` for `name` of `organisation` (the printing and take-your-badge states)."""

    def prepare(window: SelfServiceWindow) -> None:
        window.present(screen, name, organisation)
        if screen is Screen.PRINTING:
            window.progress.setValue(1)

    return prepare


def opened_unlock(wrong_pin: str = "", typed: str = "") -> PrepareSelf:
    """The PIN pad, after `wrong_pin` was tried (its wait shows), with `typed` entered."""

    def prepare(window: SelfServiceWindow) -> None:
        window.open_unlock()
        if wrong_pin:
            for digit in wrong_pin + "✓":
                window.pad.press(digit)
        for digit in typed:
            window.pad.press(digit)

    return prepare
