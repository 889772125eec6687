"""Translations: kiosk's own Qt catalogues from resources/i18n, plus Qt's for its dialogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from kiosk.adapters.resources import resource
from kiosk.core.text import language_of

CATALOGUE = "kiosk"
# Strings are written in English in the source, so English needs no catalogue.
SOURCE_LANGUAGE = "en"
# Qt's own catalogue for its standard widgets (the line edit's context menu, dialog buttons).
QT_CATALOGUE = "qtbase"

_installed: list[QTranslator] = []


def translations_dir() -> Path:
    """Where kiosk's compiled .qm catalogues live."""
    return resource("i18n")


def install_translators(app: QCoreApplication, locale: str) -> list[str]:
    """Replace the translators installed by an earlier call with those for `locale`.

    Returns the catalogues loaded ("kiosk_cs", "qtbase_cs"); none for English.
    """
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = language_of(locale) or SOURCE_LANGUAGE
    if language == SOURCE_LANGUAGE:
        return []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded: list[str] = []
    for catalogue, folder in ((CATALOGUE, str(translations_dir())), (QT_CATALOGUE, qt_dir)):
        translator = QTranslator(app)
        name = f"{catalogue}_{language}"
        if translator.load(name, folder) and app.installTranslator(translator):
            _installed.append(translator)
            loaded.append(name)
    return loaded
