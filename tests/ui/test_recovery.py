"""A desk whose database is damaged says so and offers the newest good backup."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.backup import make_backup
from kiosk.app import _usable
from kiosk.ui.application import create_application


def click_when_shown(text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        for button in box.buttons():
            if button.text() == text:
                button.click()

    QTimer.singleShot(20, click)


@pytest.mark.usefixtures("qapp")
def test_a_damaged_database_is_restored_from_the_newest_good_backup(store: SqliteStore):
    path = store.path
    make_backup(path)
    store.close()
    path.write_bytes(b"garbage" * 1000)
    click_when_shown("Restore the backup")
    assert _usable(path, "en", create_application)
    with SqliteStore(path) as reopened:
        assert len(reopened.attendees()) == 150


@pytest.mark.usefixtures("qapp")
def test_without_a_backup_the_desk_does_not_start(tmp_path: Path):
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    click_when_shown("Close")
    assert not _usable(path, "en", create_application)
