"""The QApplication for every kiosk screen: bundled fonts, the app name and translations."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QLocale
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.adapters.resources import resource
from kiosk.ui.i18n import install_translators

APP_NAME = "kiosk"
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

_loaded_fonts: dict[str, list[str]] = {}


def load_fonts() -> list[str]:
    """Register the bundled DejaVu Sans files with Qt (once) and return their families.

    A machine without fonts (a minimal image, a fresh kiosk) otherwise draws every glyph as a
    box; DejaVu also covers Czech, Polish and Lithuanian names and the ✓ ! ✕ outcome icons.
    """
    for name in FONT_FILES:
        if name not in _loaded_fonts:
            font_id = QFontDatabase.addApplicationFont(str(resource("fonts", name)))
            if font_id < 0:
                raise RuntimeError(f"cannot load the bundled font {name}")
            _loaded_fonts[name] = QFontDatabase.applicationFontFamilies(font_id)
    return sorted({family for families in _loaded_fonts.values() for family in families})


def create_application(locale: str, argv: Sequence[str] | None = None) -> QApplication:
    """The running QApplication (made when there is none), set up for `locale` ("cs", "en")."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1] or [APP_NAME])
    if not isinstance(app, QApplication):
        raise TypeError("kiosk needs a QApplication, not a bare QCoreApplication")
    app.setApplicationName(APP_NAME)
    load_fonts()
    font = QFont(app.font())
    font.setFamilies([FONT_FAMILY])
    app.setFont(font)
    switch_language(locale, app)
    return app


def switch_language(locale: str, app: QApplication | None = None) -> None:
    """Make `locale` ("cs", "en") the language of every text and number from now on; windows
    already open set their texts again themselves.
    """
    app = app or QApplication.instance()  # type: ignore[assignment]
    QLocale.setDefault(QLocale(locale))
    if isinstance(app, QApplication):
        install_translators(app, locale)
