"""The desk's scanner check: scan a test code to learn whether the USB scanner and layout work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.errors import KioskError
from kiosk.core.layouts import SCANNER_TEST_CODE, US_LAYOUT, ScannerCheck, check_scanner
from kiosk.ui.inputs import SearchField
from kiosk.ui.qr import qr_image
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import SIZE, fit_to_parent, named, touch_button
from kiosk.workflows.staff import StaffDesk

QR_MM = 45.0  # big enough for any handheld scanner held at a comfortable distance


class ScannerCheckDialog(QDialog):
    """Shows the test code; the scan that comes back tells the desk's layout, which is kept in
    the setting `scanner.layout` so every later scan is read through it.
    """

    def __init__(self, desk: StaffDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scannerCheck")
        self.setWindowTitle(self.tr("Scanner check"))
        self.desk = desk
        self.check: ScannerCheck | None = None
        screen = self.screen()
        body = font_with_cap_height(SIZE.body_text * 1.4, screen=screen)
        self.instruction = QLabel(
            self.tr(
                "Scan this code with the desk's USB scanner. kiosk learns the keyboard layout"
                " the scanner types through, so every code is read right."
            ),
            wordWrap=True,
        )
        self.instruction.setFont(body)
        self.code = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "scannerTestCode")
        side = mm_to_px(QR_MM, screen)
        image = qr_image(SCANNER_TEST_CODE)
        scale = max(1, side // image.width())  # whole pixels per module: crisp for the scanner
        self.code.setPixmap(
            QPixmap.fromImage(image.scaled(image.width() * scale, image.width() * scale))
        )
        self.field = named(SearchField(), "scannerCheckField")
        self.field.setFont(font_with_cap_height(SIZE.field_text, screen=screen))
        self.field.setMinimumHeight(mm_to_px(SIZE.touch, screen))
        self.field.setPlaceholderText(self.tr("The scan appears here"))
        self.verdict = named(QLabel(wordWrap=True), "scannerVerdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)  # shows what the scanner typed
        self.verdict.setFont(font_with_cap_height(SIZE.body_text * 1.4, bold=True, screen=screen))
        self.skip_button = touch_button(self.tr("No USB scanner: skip"), self)
        self.done_button = touch_button(self.tr("Done"), self)
        self.done_button.setEnabled(False)
        self.skip_button.clicked.connect(self.reject)
        self.done_button.clicked.connect(self.accept)
        self.field.scanned.connect(self.receive)
        self.field.submitted.connect(lambda: self.receive(self.field.text()))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.instruction)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.field)
        layout.addWidget(self.verdict)
        layout.addLayout(buttons)
        fit_to_parent(self, parent, 0.6, 0.85)
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def receive(self, scanned: str) -> ScannerCheck:
        """Judge what the scanner typed; a recognised layout is saved for this desk."""
        self.field.clear()
        check = check_scanner(scanned)
        self.check = check
        text = self.verdict_text(check)
        if check.layout is not None:
            try:
                self.desk.set_setting("scanner.layout", check.layout)
            except KioskError as error:
                text += " " + self.tr("The layout could not be saved: {error}").format(error=error)
        self.verdict.setText(text)
        self.done_button.setEnabled(check.recognised)
        return check

    def verdict_text(self, check: ScannerCheck) -> str:
        """What the check found, in words for staff."""
        if check.layout is None:
            return self.tr(
                "That is not the test code on any known keyboard layout (it read “{text}”)."
                " Check the scanner's settings (keyboard mode, no prefix or suffix) and scan"
                " again."
            ).format(text=check.received)
        if check.layout == US_LAYOUT:
            text = self.tr("✓ The scanner works: codes arrive exactly as printed.")
        else:
            text = self.tr(
                "✓ The scanner works. This computer types it through the {layout} keyboard"
                " layout; kiosk reads every scan through it."
            ).format(layout=self.layout_name(check.layout))
        if check.caps_lock:
            text += " " + self.tr("Caps Lock is on: kiosk corrects it, but turn it off.")
        return text

    def layout_name(self, layout: str) -> str:
        """A layout's name for people."""
        names = {
            "cs": self.tr("Czech (QWERTZ)"),
            "de": self.tr("German (QWERTZ)"),
            "fr": self.tr("French (AZERTY)"),
        }
        return names.get(layout, layout)
