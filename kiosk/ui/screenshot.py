"""Render the desk window offscreen to PNG files, for the docs and `kiosk screenshot`."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from kiosk.core.errors import StorageError
from kiosk.ui.application import create_application
from kiosk.ui.desk import DeskWindow
from kiosk.workflows.organiser import OrganiserTools
from kiosk.workflows.staff import StaffDesk

DEFAULT_SIZE = (1920, 1080)
Prepare = Callable[[DeskWindow], None]


def render_desk(
    desk: StaffDesk,
    path: str | os.PathLike[str],
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    search: str = "",
    locale: str | None = None,
    prepare: Prepare | None = None,
    organiser: OrganiserTools | None = None,
) -> None:
    """Draw a desk window of `size` pixels for `desk` into the PNG file `path`.

    `search` is typed into the field and its results shown; `locale` defaults to the event's;
    `prepare` may then type, scan or click in the window. Makes an offscreen QApplication
    when none is running, so it works without a display.
    """
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_application(locale or desk.event.locale)
    window = DeskWindow(desk, organiser=organiser)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*size)
        window.show()
        if search:
            typed(search)(window)
        if prepare is not None:
            prepare(window)
        app.processEvents()
        if not window.grab().save(os.fspath(path), "PNG"):
            raise StorageError(f"cannot write the screenshot {path}")
    finally:
        window.close()
        window.deleteLater()


def typed(text: str) -> Prepare:
    """Type `text` into the field and show its results."""

    def prepare(window: DeskWindow) -> None:
        window.field.setText(text)
        window.search_now()

    return prepare


def scanned(code: str, then_search: str = "") -> Prepare:
    """Scan `code`, then type `then_search` when given."""

    def prepare(window: DeskWindow) -> None:
        window.field.setText(code)
        window.submit()
        if then_search:
            typed(then_search)(window)

    return prepare


def render_import_dialog(
    desk: StaffDesk,
    organiser: OrganiserTools,
    export: Path,
    path: str | os.PathLike[str],
    *,
    locale: str | None = None,
) -> None:
    """The import dialog over the desk, previewing `export`, into the PNG file `path`."""

    def previewing(window: DeskWindow) -> QDialog:
        dialog = window.open_import()
        if dialog is None:
            raise StorageError("the desk has no organiser tools to import with")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        dialog.load(export)
        deadline = time.monotonic() + 30
        while dialog.preview is None and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.01)
        return dialog

    render_dialog(desk, previewing, path, locale=locale, organiser=organiser)


def render_dialog(
    desk: StaffDesk,
    make: Callable[[DeskWindow], QDialog],
    path: str | os.PathLike[str],
    *,
    locale: str | None = None,
    organiser: OrganiserTools | None = None,
) -> None:
    """The dialog `make` opens over a desk window (the exception desk's walk-in, detail, the
    organiser's import with `organiser`), into the PNG file `path`.
    """
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_application(locale or desk.event.locale)
    window = DeskWindow(desk, organiser=organiser)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*DEFAULT_SIZE)
        window.show()
        dialog = make(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        dialog.show()
        app.processEvents()
        if not dialog.grab().save(os.fspath(path), "PNG"):
            raise StorageError(f"cannot write the screenshot {path}")
        dialog.close()
    finally:
        window.tasks.wait(10_000)
        window.close()
        window.deleteLater()
