"""Background work: slow jobs off the GUI thread, their progress and outcome back on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from kiosk.core.errors import KioskError

_R = TypeVar("_R")
# (done, total, what is happening): total 0 when unknown.
Progress = Callable[[int, int, str], None]
logger = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread. A worker emits its signals; they reach the relay's own slots
    queued, on the GUI thread (the slots' receiver is the relay), which call the callbacks.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
        progress: Progress | None,
    ) -> None:
        super().__init__()
        self._done = done
        self._failed = failed
        self._progress = progress
        self.finished: list[Callable[[], None]] = []
        self.progressed.connect(self._on_progress)
        self.succeeded.connect(self._on_success)
        self.failed.connect(self._on_failure)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self._progress is not None:
            self._progress(done, total, message)

    @Slot(object)
    def _on_success(self, result: object) -> None:
        try:
            self._done(result)
        finally:
            self._finish()

    @Slot(object)
    def _on_failure(self, error: object) -> None:
        try:
            self._failed(error if isinstance(error, Exception) else RuntimeError(str(error)))
        finally:
            self._finish()

    def _finish(self) -> None:
        for callback in self.finished:
            callback()


class Task(QRunnable, Generic[_R]):
    """One job for the pool: `work(progress)` on a worker thread, the rest on the GUI thread.

    The work gets a database connection of its own simply by using the store from its thread
    (`SqliteStore` opens one per thread), so its writes are transactions of their own.
    """

    def __init__(
        self,
        work: Callable[[Progress], _R],
        done: Callable[[_R], None],
        failed: Callable[[Exception], None],
        progress: Progress | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the runner drops it when the outcome has been delivered
        self._work = work
        self.relay = _Relay(done, failed, progress)  # made on the GUI thread: its slots run there

    def run(self) -> None:
        """On the worker thread: do the work and send its outcome to the GUI thread."""
        try:
            result = self._work(self.relay.progressed.emit)
        except Exception as error:
            if not isinstance(error, KioskError):
                logger.exception("a background task failed")
            self.relay.failed.emit(error)
            return
        self.relay.succeeded.emit(result)


class TaskRunner(QObject):
    """The app's one pool of worker threads for slow work (import, printing, decoding, sync,
    backups). The GUI thread hands work over and goes on; it never waits for a worker.
    """

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(threads)
        self._running: set[Task[Any]] = set()

    def run(
        self,
        work: Callable[[Progress], _R],
        *,
        done: Callable[[_R], None],
        failed: Callable[[Exception], None],
        progress: Progress | None = None,
    ) -> Task[_R]:
        """Start `work` on a worker thread; `done(result)` or `failed(error)` and every
        `progress(done, total, message)` are called on the GUI thread.
        """
        task: Task[_R] = Task(work, done, failed, progress)
        self._running.add(task)
        task.relay.finished.append(lambda: self._running.discard(task))
        self._pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        """True while a task has not delivered its outcome."""
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for the workers to finish (at exit, in tests); False when time ran out."""
        return self._pool.waitForDone(msecs)
