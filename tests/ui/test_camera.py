"""The camera scanner fed real video frames: every pixel format, the photographed codes,
frames dropped while the decoder is busy, one scan per code in view; and its preview.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtCore import QLoggingCategory, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtMultimedia import QVideoFrame, QVideoFrameFormat

from kiosk.adapters.decoding import QrReader
from kiosk.core.scans import RepeatFilter
from kiosk.ui.camera import (
    CameraPreview,
    CameraScanner,
    CameraState,
    CameraStatus,
    decode_frame,
    describe,
    frame_to_grayscale,
)
from tests.qr import corpus_images, corpus_payload, needs_qr_corpus, qr_png

FORMATS = [
    QImage.Format.Format_RGB32,
    QImage.Format.Format_ARGB32,
    QImage.Format.Format_ARGB32_Premultiplied,
    QImage.Format.Format_RGB888,
    QImage.Format.Format_BGR888,
    QImage.Format.Format_RGBX8888,
    QImage.Format.Format_RGBA8888,
    QImage.Format.Format_RGB16,
    QImage.Format.Format_Grayscale8,
    QImage.Format.Format_Grayscale16,
    QImage.Format.Format_Mono,
    QImage.Format.Format_MonoLSB,
    QImage.Format.Format_Indexed8,
]


@pytest.fixture(autouse=True)
def quiet_multimedia() -> None:
    # "No RHI backend. Using CPU conversion." and the missing-pipewire notes, once per frame.
    QLoggingCategory.setFilterRules("qt.multimedia.*=false")


class Ticker:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def make_scanner(qapp) -> Iterator:  # noqa: ARG001 (the app comes before any QObject)
    made: list[CameraScanner] = []

    def make(reader=None, device: str = "", repeats: RepeatFilter | None = None) -> CameraScanner:
        scanner = CameraScanner(reader or QrReader(), device, repeats=repeats)
        made.append(scanner)
        return scanner

    yield make
    for scanner in made:
        scanner.close()


def camera_frame(text: str, size: tuple[int, int] = (641, 361)) -> QImage:
    """A camera-like picture: the code of `text` in the middle of a grey-white scene of an
    odd width (so rows of most formats are padded), as ARGB32.
    """
    code = QImage.fromData(qr_png(text, scale=5))
    scene = QImage(*size, QImage.Format.Format_ARGB32)
    scene.fill(QColor(235, 235, 230))
    painter = QPainter(scene)
    painter.drawImage((size[0] - code.width()) // 2, (size[1] - code.height()) // 2, code)
    painter.end()
    return scene


def push(scanner: CameraScanner, image: QImage) -> None:
    scanner.video_sink.setVideoFrame(QVideoFrame(image))


def wait_idle(qtbot, scanner: CameraScanner, decoded: int) -> None:
    """Wait until the worker has decoded `decoded` frames and its answers have arrived."""
    qtbot.waitUntil(lambda: scanner.worker.decoded >= decoded)
    qtbot.wait(20)  # the queued answer, if any


@pytest.mark.parametrize("size", [(641, 361), (1280, 720), (333, 333)])
@pytest.mark.parametrize("image_format", FORMATS, ids=lambda f: f.name.removeprefix("Format_"))
def test_a_frame_of_every_pixel_format_and_odd_width_is_scanned(
    qtbot, make_scanner, image_format: QImage.Format, size: tuple[int, int]
) -> None:
    text = f"CMR-{image_format.name}-{size[0]}"
    image = camera_frame(text, size).convertToFormat(image_format)
    assert image.format() == image_format
    scanner = make_scanner()
    with qtbot.waitSignal(scanner.scanned, timeout=5000) as scanned:
        push(scanner, image)
    assert scanned.args == [text]


def yuv_frame(image: QImage, pixel_format: QVideoFrameFormat.PixelFormat) -> QVideoFrame:
    """A planar YUV frame of `image` as a camera's backend hands one over: its gray as the
    luma plane (row by row, through the frame's own stride), neutral colour planes.
    """
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = gray.width(), gray.height()
    frame = QVideoFrame(QVideoFrameFormat(QSize(width, height), pixel_format))
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    luma, stride, pixels = frame.bits(0), frame.bytesPerLine(0), bytes(gray.constBits())
    for y in range(height):
        start = y * gray.bytesPerLine()
        luma[y * stride : y * stride + width] = pixels[start : start + width]
    for plane in range(1, frame.planeCount()):
        chroma = frame.bits(plane)
        chroma[:] = bytes([128]) * len(chroma)
    frame.unmap()
    return frame


@pytest.mark.parametrize(
    "pixel_format",
    [
        QVideoFrameFormat.PixelFormat.Format_NV12,
        QVideoFrameFormat.PixelFormat.Format_NV21,
        QVideoFrameFormat.PixelFormat.Format_YUV420P,
        QVideoFrameFormat.PixelFormat.Format_YV12,
    ],
    ids=lambda f: f.name.removeprefix("Format_"),
)
def test_a_yuv_camera_frame_is_read_from_its_luma(
    qtbot, make_scanner, pixel_format: QVideoFrameFormat.PixelFormat
) -> None:
    frame = yuv_frame(camera_frame("CMR-YUV", (642, 362)), pixel_format)
    gray = frame_to_grayscale(frame)
    assert (gray.format(), gray.width(), gray.height()) == (
        QImage.Format.Format_Grayscale8, 642, 362,
    )  # fmt: skip
    scanner = make_scanner()
    with qtbot.waitSignal(scanner.scanned, timeout=5000) as scanned:
        scanner.video_sink.setVideoFrame(frame)
    assert scanned.args == ["CMR-YUV"]


def test_a_packed_yuyv_frame_goes_through_a_qimage(qtbot, make_scanner) -> None:
    # No plane of its own holds the luma: the frame becomes a QImage first (toImage()).
    gray = camera_frame("CMR-YUYV", (642, 362)).convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = gray.width(), gray.height()
    frame = QVideoFrame(
        QVideoFrameFormat(QSize(width, height), QVideoFrameFormat.PixelFormat.Format_YUYV)
    )
    assert frame.map(QVideoFrame.MapMode.WriteOnly)
    packed, stride, pixels = frame.bits(0), frame.bytesPerLine(0), bytes(gray.constBits())
    for y in range(height):
        row = pixels[y * gray.bytesPerLine() : y * gray.bytesPerLine() + width]
        line = bytearray(width * 2)
        line[0::2] = row  # Y0 U Y1 V ...: luma in every other byte, neutral colour between
        line[1::2] = bytes([128]) * width
        packed[y * stride : y * stride + width * 2] = bytes(line)
    frame.unmap()
    scanner = make_scanner()
    with qtbot.waitSignal(scanner.scanned, timeout=5000) as scanned:
        scanner.video_sink.setVideoFrame(frame)
    assert scanned.args == ["CMR-YUYV"]


def test_zxing_cpp_alone_refuses_formats_the_scanner_reads() -> None:
    # Why the scanner converts every frame to grayscale first (STACK.md).
    image = camera_frame("CMR-1").convertToFormat(QImage.Format.Format_Mono)
    with pytest.raises((ValueError, TypeError)):
        zxingcpp.read_barcodes(image)
    assert decode_frame(QrReader(), QVideoFrame(image)) == ["CMR-1"]


def test_an_inverted_code_on_a_dark_mode_phone_is_scanned(qtbot, make_scanner) -> None:
    image = QImage.fromData(qr_png("CMR-DARK", dark="white", light="black"))
    scanner = make_scanner()
    with qtbot.waitSignal(scanner.scanned, timeout=5000) as scanned:
        push(scanner, image.convertToFormat(QImage.Format.Format_RGB32))
    assert scanned.args == ["CMR-DARK"]


@needs_qr_corpus
def test_the_photographed_codes_come_through_the_camera_path(qtbot, make_scanner) -> None:
    scanned: list[str] = []
    scanner = make_scanner(repeats=RepeatFilter(0))  # every sighting counts here
    scanner.scanned.connect(scanned.append)
    read, raw_read = 0, 0
    for number, path in enumerate(corpus_images(), start=1):
        expected = corpus_payload(path)
        image = QImage(str(path))
        before = len(scanned)
        push(scanner, image)
        wait_idle(qtbot, scanner, number)
        read += expected in scanned[before:]
        gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
        view = zxingcpp.ImageView(
            gray.constBits(), gray.width(), gray.height(), zxingcpp.ImageFormat.Lum,
            gray.bytesPerLine(),
        )  # fmt: skip
        raw = zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode)
        raw_read += expected in [code.text for code in raw]
    assert scanner.worker.dropped == 0  # one at a time: every photograph was decoded
    # Counted, not timed; when this was written: 165 raw, 169 through the scanner.
    assert read > raw_read >= 160


class GatedReader:
    """The real reader, held at its first frame until the test opens the gate."""

    def __init__(self) -> None:
        self.reader = QrReader()
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.threads: set[int] = set()
        self.calls = 0

    def read(self, pixels, width: int, height: int, stride: int) -> list[str]:
        self.threads.add(threading.get_ident())
        self.calls += 1
        self.entered.set()
        assert self.gate.wait(30), "the test never opened the gate"
        return self.reader.read(pixels, width, height, stride)


def test_frames_arriving_while_the_worker_is_busy_are_dropped_but_the_newest(
    qtbot, make_scanner
) -> None:
    reader = GatedReader()
    scanner = make_scanner(reader)
    scanned: list[str] = []
    scanner.scanned.connect(scanned.append)
    frames = [camera_frame(f"FRAME-{n}", (320, 240)) for n in range(40)]

    push(scanner, frames[0])
    assert reader.entered.wait(10)
    # The worker is stuck in its first decode; the GUI thread goes on taking frames (were it
    # waiting for the decode, these pushes would never return: the gate is still shut).
    for frame in frames[1:]:
        push(scanner, frame)
    assert scanner.worker.decoded == 0
    reader.gate.set()
    wait_idle(qtbot, scanner, 2)
    qtbot.waitUntil(lambda: len(scanned) == 2)

    assert scanner.worker.offered == 40
    assert scanner.worker.decoded == 2 == reader.calls  # the first, then the newest only
    assert scanner.worker.dropped == 38
    assert scanned == ["FRAME-0", "FRAME-39"]
    assert threading.get_ident() not in reader.threads  # decoded off the GUI thread


def test_a_badge_held_in_view_is_one_scan_until_it_is_away_for_three_seconds(
    qtbot, make_scanner
) -> None:
    ticker = Ticker()
    scanner = make_scanner(repeats=RepeatFilter(monotonic=ticker))
    scanned: list[str] = []
    scanner.scanned.connect(scanned.append)
    frame = camera_frame("BADGE-1")
    for number in range(1, 11):  # ten frames over five seconds, the badge always in view
        push(scanner, frame)
        wait_idle(qtbot, scanner, number)
        ticker.now += 0.5
    assert scanned == ["BADGE-1"]
    ticker.now += 3.0  # away for three seconds, then shown again
    push(scanner, frame)
    qtbot.waitUntil(lambda: len(scanned) == 2)
    assert scanned == ["BADGE-1", "BADGE-1"]


def test_with_no_camera_the_scanner_says_so_and_still_takes_frames(qtbot, make_scanner) -> None:
    scanner = make_scanner()
    with qtbot.waitSignal(scanner.state_changed) as changed:
        status = scanner.start()
    assert status == CameraStatus(CameraState.NO_CAMERA) == changed.args[0]
    assert not status.scanning
    with qtbot.waitSignal(scanner.scanned, timeout=5000):
        push(scanner, camera_frame("STILL-WORKS"))


def test_a_camera_turned_off_in_settings_stays_off(make_scanner) -> None:
    scanner = make_scanner(device="None")
    assert scanner.start().state is CameraState.OFF
    scanner.stop()
    assert scanner.status.state is CameraState.OFF


def test_closing_ends_the_decode_thread(qtbot, make_scanner) -> None:
    scanner = make_scanner()
    with qtbot.waitSignal(scanner.scanned, timeout=5000):
        push(scanner, camera_frame("LAST"))
    scanner.close()
    assert not any(t.name == "kiosk-camera-decoder" for t in threading.enumerate())


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (CameraStatus(CameraState.NO_CAMERA), "none found"),
        (CameraStatus(CameraState.OFF), "off"),
        (CameraStatus(CameraState.STARTING), "starting"),
        (CameraStatus(CameraState.RUNNING, "USB Camera"), "scanning"),
        (CameraStatus(CameraState.FAILED, reason="busy"), "not working (busy)"),
    ],
)
def test_each_state_has_words_for_the_status_bar(status: CameraStatus, words: str) -> None:
    assert describe(status) == f"Camera: {words}"


# -- the preview -------------------------------------------------------------------------------


def test_with_no_camera_the_preview_says_so_and_that_the_usb_scanner_works(
    qtbot, make_scanner, tmp_path: Path
) -> None:
    scanner = make_scanner()
    preview = CameraPreview(scanner)
    qtbot.addWidget(preview)
    preview.resize(480, 320)
    scanner.start()
    assert preview.message() == "No camera found.\nThe USB scanner still works."
    preview.grab().save(str(tmp_path / "no-camera.png"))


def test_a_failed_camera_shows_its_reason_as_plain_text(qtbot, make_scanner) -> None:
    scanner = make_scanner()
    preview = CameraPreview(scanner)
    qtbot.addWidget(preview)
    scanner._set(CameraStatus(CameraState.FAILED, "<b>Cam</b>", "<i>device busy</i>"))
    assert preview.message() == (
        "The camera is not working: <i>device busy</i>\nThe USB scanner still works."
    )


def test_the_preview_shows_the_newest_frame_scaled_to_fit_with_its_aspect(
    qtbot, make_scanner, tmp_path: Path
) -> None:
    scanner = make_scanner()
    preview = CameraPreview(scanner)
    qtbot.addWidget(preview)
    preview.resize(400, 400)
    preview.show()
    scanner._set(CameraStatus(CameraState.RUNNING, "Test camera"))
    frame = QImage(320, 180, QImage.Format.Format_RGB32)  # 16:9 into a square: bars above, below
    frame.fill(QColor("white"))
    push(scanner, frame)
    assert preview.message() == ""
    shot = preview.grab().toImage()
    shot.save(str(tmp_path / "frame.png"))
    ratio = shot.width() / preview.width()  # device pixels
    assert QColor(shot.pixel(shot.width() // 2, shot.height() // 2)) == QColor("white")
    assert QColor(shot.pixel(shot.width() // 2, int(10 * ratio))) == QColor(Qt.GlobalColor.black)
    assert QColor(shot.pixel(int(5 * ratio), shot.height() // 2)) == QColor("white")


def test_a_code_shown_to_the_desks_camera_checks_the_person_in(qtbot, make_scanner, desk):
    from kiosk.ui.desk import DeskWindow  # noqa: PLC0415

    scanner = make_scanner()
    window = DeskWindow(desk, camera=scanner)
    qtbot.addWidget(window)
    window.show()
    assert window.camera_label.isVisible()
    assert window.camera_label.text() == "Camera: none found"  # no camera on this machine
    (petr,) = desk.search("prikryl")
    push(scanner, camera_frame(petr.code))
    qtbot.waitUntil(lambda: window.panel.card.headline == "CHECKED IN", timeout=10000)
    assert window.panel.name.text() == "Petr Přikryl"
