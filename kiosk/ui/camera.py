"""The camera scanner: frames decoded off the GUI thread, each code once; and its preview."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from PySide6.QtCore import QCoreApplication, QObject, QRect, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QCameraFormat,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoFrameFormat,
    QVideoSink,
)
from PySide6.QtWidgets import QWidget

from kiosk.core.ports import CodeReader
from kiosk.core.scans import RepeatFilter
from kiosk.core.settings import CAMERA_OFF
from kiosk.ui.sizing import font_with_cap_height, mm_to_px
from kiosk.ui.theme import SIZE

logger = logging.getLogger(__name__)

# The frame size asked of the camera: enough pixels for a badge's code at arm's length, few
# enough to decode every frame (bench/ui_latency.py: decoded frames per second at 1280x720).
WANTED_SIZE = (1280, 720)
MIN_FPS = 15.0


class CameraState(StrEnum):
    """Where the camera is: a status bar and the preview say it in words."""

    NO_CAMERA = "no_camera"  # the machine has no camera (the USB scanner still works)
    OFF = "off"  # camera.device is "none", or the screen stopped the camera
    STARTING = "starting"
    RUNNING = "running"
    FAILED = "failed"  # the camera named in settings is missing, busy or broke; see reason


@dataclass(frozen=True)
class CameraStatus:
    """The camera's state, which camera, and what went wrong when it failed."""

    state: CameraState
    camera: str = ""
    reason: str = ""

    @property
    def scanning(self) -> bool:
        """True while frames come from a camera."""
        return self.state in (CameraState.STARTING, CameraState.RUNNING)


# Video formats whose first plane is the picture's luma, one byte a pixel: a grayscale picture
# as it is, where converting the frame to RGB and back would cost a camera frame's budget.
_LUMA_PLANE_FORMATS = frozenset(
    {
        QVideoFrameFormat.PixelFormat.Format_NV12,
        QVideoFrameFormat.PixelFormat.Format_NV21,
        QVideoFrameFormat.PixelFormat.Format_YUV420P,
        QVideoFrameFormat.PixelFormat.Format_YUV422P,
        QVideoFrameFormat.PixelFormat.Format_YV12,
        QVideoFrameFormat.PixelFormat.Format_IMC1,
        QVideoFrameFormat.PixelFormat.Format_IMC2,
        QVideoFrameFormat.PixelFormat.Format_IMC3,
        QVideoFrameFormat.PixelFormat.Format_IMC4,
        QVideoFrameFormat.PixelFormat.Format_Y8,
    }
)


def frame_to_grayscale(frame: QVideoFrame) -> QImage:
    """A video frame of any pixel format as 8-bit grayscale, the one format the decoder
    reads; a null image when the frame holds no picture. A YUV frame gives its luma plane;
    any other becomes a QImage (`toImage()`) and then grayscale (`image_to_grayscale`).
    """
    if frame.pixelFormat() in _LUMA_PLANE_FORMATS:
        luma = _luma_plane(frame)
        if not luma.isNull():
            return luma
    return image_to_grayscale(frame.toImage())


def image_to_grayscale(image: QImage) -> QImage:
    """A QImage of any format as 8-bit grayscale (zxing-cpp refuses Mono, Indexed8,
    premultiplied ARGB and RGBX images, so every frame goes through this).
    """
    if image.isNull() or image.format() == QImage.Format.Format_Grayscale8:
        return image
    if image.format() != QImage.Format.Format_RGBX8888:
        # Qt turns RGB32 (what toImage() gives) into grayscale through its colour-space code:
        # by way of RGBX8888 a 1280x720 frame takes a quarter of the time (6 ms, not 21-28 ms,
        # on the loaded 2-core development machine).
        image = image.convertToFormat(QImage.Format.Format_RGBX8888)
    return image.convertToFormat(QImage.Format.Format_Grayscale8)


def _luma_plane(frame: QVideoFrame) -> QImage:
    """The first plane of a mapped YUV frame, copied (the mapping ends here)."""
    if not frame.map(QVideoFrame.MapMode.ReadOnly):
        return QImage()
    try:
        plane = frame.bits(0)
        return QImage(
            plane, frame.width(), frame.height(), frame.bytesPerLine(0),
            QImage.Format.Format_Grayscale8,
        ).copy()  # fmt: skip
    finally:
        frame.unmap()


def decode_frame(reader: CodeReader, frame: QVideoFrame) -> list[str]:
    """The codes `reader` finds in `frame`: the scanner's whole path from frame to texts."""
    gray = frame_to_grayscale(frame)
    if gray.isNull():
        return []
    bits = gray.constBits()  # `gray` holds the pixels until read() returns
    return reader.read(bits, gray.width(), gray.height(), gray.bytesPerLine())


class FrameWorker:
    """Decodes frames on a thread of its own, always the newest: a frame that arrives while
    the worker is busy replaces the one waiting (counted in `dropped`), so the queue never
    holds more than one frame and the codes never lag behind the camera. `offer` only swaps
    a reference, so the GUI thread never waits for a decode.
    """

    def __init__(
        self, decode: Callable[[QVideoFrame], list[str]], deliver: Callable[[list[str]], None]
    ) -> None:
        self._decode = decode
        self._deliver = deliver
        self._wake = threading.Condition()
        self._pending: QVideoFrame | None = None
        self._closing = False
        self._thread: threading.Thread | None = None
        self.offered = 0
        self.decoded = 0
        self.dropped = 0

    def offer(self, frame: QVideoFrame) -> None:
        """Hand the worker a frame; it replaces a frame still waiting."""
        with self._wake:
            if self._closing:
                return
            self.offered += 1
            if self._pending is not None:
                self.dropped += 1
            self._pending = frame
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="kiosk-camera-decoder", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the thread after the frame it is decoding; the waiting frame is dropped."""
        with self._wake:
            self._closing = True
            self._pending = None
            self._wake.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout_s)

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._closing:
                    self._wake.wait()
                frame = self._pending
                if frame is None:  # closing
                    return
                self._pending = None
            try:
                codes = self._decode(frame)
            except Exception:
                # One bad frame must not stop the scanner: log it and take the next.
                logger.exception("decoding a camera frame failed")
                codes = []
            with self._wake:
                self.decoded += 1
            if codes:
                try:
                    self._deliver(codes)
                except RuntimeError:  # the scanner was deleted while this frame was decoded
                    return


class CameraScanner(QObject):
    """Scans QR codes with a camera: `scanned(text)` once per code in view (a badge held in
    front of the camera is one scan: `RepeatFilter`), on the GUI thread.

    `device` is the `camera.device` setting: "" the system's default camera, "none" no
    camera, else a camera's id or name. Frames reach `video_sink` (from the camera, or pushed
    by a test or a benchmark), are decoded with `reader` on a worker thread that drops frames
    while it is busy, and `state_changed(CameraStatus)` tells a status bar how it goes.
    Having no camera is a state, never an exception.
    """

    scanned = Signal(str)
    state_changed = Signal(object)
    _decoded = Signal(list)  # from the worker thread; queued to the GUI thread

    def __init__(
        self,
        reader: CodeReader,
        device: str = "",
        *,
        parent: QObject | None = None,
        repeats: RepeatFilter | None = None,
    ) -> None:
        super().__init__(parent)
        self.reader = reader
        self.device = device.strip()
        self.repeats = repeats if repeats is not None else RepeatFilter()
        self.video_sink = QVideoSink(self)
        self._session = QMediaCaptureSession(self)
        self._session.setVideoSink(self.video_sink)
        self._camera: QCamera | None = None
        self._status = CameraStatus(CameraState.OFF)
        self._wanted = False  # start() was called and stop() was not
        # A camera plugged in (or back) while the screen waits for one is opened at once.
        self._devices = QMediaDevices(self)
        self._devices.videoInputsChanged.connect(self._inputs_changed)
        self._worker = FrameWorker(lambda frame: decode_frame(reader, frame), self._decoded.emit)
        self._decoded.connect(self._handle_codes, Qt.ConnectionType.QueuedConnection)
        self.video_sink.videoFrameChanged.connect(self._handle_frame)
        # The decode thread ends with the scanner, or with the app at the latest.
        worker = self._worker
        self.destroyed.connect(lambda *_: worker.close())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(worker.close)

    @property
    def status(self) -> CameraStatus:
        """The camera's state now."""
        return self._status

    @property
    def worker(self) -> FrameWorker:
        """The decode worker: how many frames it was offered, decoded and dropped."""
        return self._worker

    def start(self) -> CameraStatus:
        """Open the camera the setting names and start scanning; returns the new status
        (no camera, off, failed with a reason, or starting).
        """
        if self._status.scanning:
            return self._status
        self._wanted = True
        self._release_camera()
        if self.device.lower() == CAMERA_OFF:
            return self._set(CameraStatus(CameraState.OFF, reason=self.tr("off in settings")))
        cameras = QMediaDevices.videoInputs()
        if not cameras:
            return self._set(CameraStatus(CameraState.NO_CAMERA))
        chosen = choose_camera(cameras, self.device)
        if chosen is None:
            names = ", ".join(camera.description() for camera in cameras)
            reason = self.tr("no camera called {name} (cameras here: {names})")
            return self._set(
                CameraStatus(
                    CameraState.FAILED, reason=reason.format(name=self.device, names=names)
                )
            )
        camera = QCamera(chosen, self)
        wanted = choose_format(chosen.videoFormats())
        if wanted is not None:
            camera.setCameraFormat(wanted)
        camera.activeChanged.connect(self._active_changed)
        camera.errorOccurred.connect(self._camera_failed)
        self._camera = camera
        self._session.setCamera(camera)
        self._set(CameraStatus(CameraState.STARTING, chosen.description()))
        camera.start()
        return self._status

    def stop(self) -> None:
        """Stop the camera (the preview says it is off); `start()` opens it again."""
        self._wanted = False
        self._release_camera()
        if self._status.scanning:
            self._set(CameraStatus(CameraState.OFF, self._status.camera))

    def _release_camera(self) -> None:
        camera, self._camera = self._camera, None
        if camera is not None:
            self._session.setCamera(cast(QCamera, None))  # Qt takes nullptr: no camera
            camera.stop()
            camera.deleteLater()

    def _inputs_changed(self) -> None:
        if self._wanted and self._status.state in (CameraState.NO_CAMERA, CameraState.FAILED):
            self.start()

    def close(self) -> None:
        """Stop the camera and the decode thread (the window is closing)."""
        self.stop()
        self._worker.close()

    def _handle_frame(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            # A copy shares the frame's buffer: the signal's own frame is only lent to us.
            self._worker.offer(QVideoFrame(frame))

    def _handle_codes(self, codes: list[str]) -> None:
        for code in self.repeats.admit_all(codes):
            self.scanned.emit(code)

    def _active_changed(self, active: bool) -> None:
        if active and self._status.state is CameraState.STARTING:
            self._set(CameraStatus(CameraState.RUNNING, self._status.camera))
        elif not active and self._status.scanning and self._camera is not None:
            # Not stopped by us: unplugged, or taken by another program.
            self._camera_failed(QCamera.Error.CameraError, self.tr("the camera stopped"))

    def _camera_failed(self, _error: QCamera.Error, message: str) -> None:
        camera = self._status.camera
        self._release_camera()  # start() (or plugging a camera in) tries afresh
        self._set(CameraStatus(CameraState.FAILED, camera, message))

    def _set(self, status: CameraStatus) -> CameraStatus:
        if status != self._status:
            self._status = status
            self.state_changed.emit(status)
        return status


def choose_camera(cameras: list[QCameraDevice], device: str) -> QCameraDevice | None:
    """The camera `device` names: "" the default one, else by id, else by name (exact, then
    ignoring case); None when none matches.
    """
    if not device:
        default = QMediaDevices.defaultVideoInput()
        return default if not default.isNull() else cameras[0]
    for camera in cameras:
        if bytes(camera.id().data()).decode("utf-8", "replace") == device:
            return camera
    for match in (str.__eq__, lambda a, b: a.casefold() == b.casefold()):
        for camera in cameras:
            if match(camera.description(), device):
                return camera
    return None


def choose_format(formats: list[QCameraFormat]) -> QCameraFormat | None:
    """The camera format nearest 1280x720 that gives at least 15 frames a second (any, when
    none does); None when the camera lists none.
    """
    if not formats:
        return None
    width, height = WANTED_SIZE

    def distance(camera_format: QCameraFormat) -> tuple[bool, int, float]:
        size = camera_format.resolution()
        return (
            camera_format.maxFrameRate() < MIN_FPS,
            abs(size.width() * size.height() - width * height),
            -camera_format.maxFrameRate(),
        )

    return min(formats, key=distance)


def describe(status: CameraStatus) -> str:
    """The camera's state in words, for a status bar."""
    translate = QCoreApplication.translate
    match status.state:
        case CameraState.NO_CAMERA:
            return translate("CameraScanner", "Camera: none found")
        case CameraState.OFF:
            return translate("CameraScanner", "Camera: off")
        case CameraState.STARTING:
            return translate("CameraScanner", "Camera: starting")
        case CameraState.RUNNING:
            return translate("CameraScanner", "Camera: scanning")
    text = translate("CameraScanner", "Camera: not working ({reason})")
    return text.format(reason=status.reason)


class CameraPreview(QWidget):
    """What the camera sees, scaled to fit with its aspect kept; with no working camera, a
    message saying so and that the USB scanner still works.
    """

    def __init__(self, scanner: CameraScanner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPreview")
        self.scanner = scanner
        self._frame: QVideoFrame | None = None
        self._image: QImage | None = None
        self.setMinimumSize(mm_to_px(40, self.screen()), mm_to_px(30, self.screen()))
        self.setFont(font_with_cap_height(SIZE.note_text, screen=self.screen()))
        self.setAccessibleName(self.tr("Camera preview"))
        scanner.video_sink.videoFrameChanged.connect(self._show_frame)
        scanner.state_changed.connect(self._state_changed)

    def message(self) -> str:
        """The words shown instead of a picture; empty while the camera's picture shows."""
        status = self.scanner.status
        usb = self.tr("The USB scanner still works.")
        if self._frame is not None and status.state not in (CameraState.OFF, CameraState.FAILED):
            return ""
        match status.state:
            case CameraState.NO_CAMERA:
                return self.tr("No camera found.") + "\n" + usb
            case CameraState.OFF:
                return self.tr("The camera is off.") + "\n" + usb
            case CameraState.STARTING | CameraState.RUNNING:
                return self.tr("Starting the camera…")
        return self.tr("The camera is not working: {reason}").format(reason=status.reason) + (
            "\n" + usb
        )

    def _show_frame(self, frame: QVideoFrame) -> None:
        if frame.isValid():
            self._frame = QVideoFrame(frame)
            self._image = None  # converted when painted: at most once per repaint
            self.update()

    def _state_changed(self, status: CameraStatus) -> None:
        if not status.scanning:
            self._frame = self._image = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The newest frame, scaled to fit and centred; or the message."""
        painter = QPainter(self)
        painter.fillRect(event.rect(), Qt.GlobalColor.black)
        text = self.message()
        if text:
            painter.setPen(Qt.GlobalColor.white)
            margin = mm_to_px(SIZE.gap, self.screen())
            painter.drawText(
                self.rect().adjusted(margin, margin, -margin, -margin),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                text,  # drawText never reads markup: a camera's name shows as it is
            )
            return
        if self._image is None and self._frame is not None:
            self._image = self._frame.toImage()
        if self._image is None or self._image.isNull():
            return
        size = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        target = QRect(0, 0, size.width(), size.height())
        target.moveCenter(self.rect().center())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(target, self._image)
