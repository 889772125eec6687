"""The QApplication set-up: bundled fonts, the app name and the Czech translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from kiosk.adapters.resources import resource
from kiosk.core.text import language_of
from kiosk.ui.application import FONT_FAMILY, create_application, load_fonts
from kiosk.ui.i18n import install_translators

TS_FILE = resource("i18n", "kiosk_cs.ts")
UI_SOURCES = sorted(Path(__file__).resolve().parents[2].joinpath("kiosk", "ui").glob("*.py"))


def test_the_application_is_reused_named_and_set_in_dejavu(qapp):
    assert create_application("en") is qapp is QApplication.instance()
    assert qapp.applicationName() == "kiosk"
    assert QFontInfo(qapp.font()).family() == FONT_FAMILY


@pytest.mark.usefixtures("qapp")
def test_the_bundled_fonts_are_registered_with_qt():
    assert load_fonts() == [FONT_FAMILY]
    styles = QFontDatabase.styles(FONT_FAMILY)
    assert "Book" in styles
    assert "Bold" in styles


@pytest.mark.usefixtures("czech")
def test_czech_installs_kiosks_and_qts_catalogues():
    assert QCoreApplication.translate("ResultPanel", "CHECKED IN") == "ODBAVENO"
    assert QCoreApplication.translate("ResultPanel", "ALREADY CHECKED IN") == "JIŽ ODBAVENO"
    assert QCoreApplication.translate("Category", "Participant") == "Účastník"
    assert QLocale().language() == QLocale.Language.Czech


def test_english_removes_the_czech_catalogue(qapp):
    assert install_translators(qapp, "cs_CZ") == ["kiosk_cs", "qtbase_cs"]
    assert install_translators(qapp, "en") == []
    assert QCoreApplication.translate("ResultPanel", "CHECKED IN") == "CHECKED IN"


def test_a_language_without_a_catalogue_falls_back_to_english(qapp):
    try:
        assert "kiosk_xx" not in install_translators(qapp, "xx_XX")
        assert QCoreApplication.translate("ResultPanel", "CHECKED IN") == "CHECKED IN"
    finally:
        install_translators(qapp, "en")


@pytest.mark.parametrize(
    ("locale", "language"), [("cs", "cs"), ("cs_CZ", "cs"), ("cs-CZ.UTF-8", "cs"), ("EN", "en")]
)
def test_language_of(locale, language):
    assert language_of(locale) == language


def test_every_czech_string_is_translated():
    messages = ET.parse(TS_FILE).getroot().iter("message")
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")
    ]
    assert unfinished == []


def test_the_czech_catalogue_has_every_string_in_the_source(tmp_path):
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    shutil.copyfile(TS_FILE, fresh)
    subprocess.run(
        [lupdate, *map(str, UI_SOURCES), "-ts", str(fresh)], check=True, capture_output=True
    )
    new = [
        m.findtext("source")
        for m in ET.parse(fresh).getroot().iter("message")
        if m.find("translation").get("type") == "unfinished"
    ]
    assert new == [], "run pyside6-lupdate, translate, then pyside6-lrelease (kiosk/ui/i18n.py)"


def test_the_compiled_czech_catalogue_is_current(tmp_path):
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    fresh = tmp_path / "fresh.qm"
    subprocess.run([lrelease, str(TS_FILE), "-qm", str(fresh)], check=True, capture_output=True)
    assert resource("i18n", "kiosk_cs.qm").read_bytes() == fresh.read_bytes(), (
        "run pyside6-lrelease resources/i18n/kiosk_cs.ts -qm resources/i18n/kiosk_cs.qm"
    )
