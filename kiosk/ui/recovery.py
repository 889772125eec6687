"""The screen a desk shows when its database is broken: what is wrong, and the way back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def offer_restore(
    database: Path, problem: str, backup: Path | None, parent: QWidget | None = None
) -> bool:
    """Say the database cannot be used and offer the newest good backup; True when staff
    choose to restore it.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(box.tr("The kiosk's database is damaged"))
    box.setTextFormat(Qt.TextFormat.PlainText)  # a path is data, never markup
    text = box.tr("The database {path} cannot be used: {problem}").format(
        path=database, problem=problem
    )
    if backup is None:
        box.setText(text + "\n\n" + box.tr("There is no good backup of it. Call the organisers."))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.exec()
        return False
    question = box.tr(
        "Restore the newest good backup, {backup}? Check-ins made after it come back from the other kiosks at the next sync."  # noqa: E501
    )
    box.setText(text + "\n\n" + question.format(backup=backup.name))
    restore = box.addButton(box.tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(box.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is restore
