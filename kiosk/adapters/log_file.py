"""kiosk's log: a rotating, owner-only file in the data folder, with codes and e-mails masked."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.adapters.private_files import create_private_file, private_folder

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

LOG_DIR_ENV = "KIOSK_LOG_DIR"
FILE_NAME = "kiosk.log"
# A few days of warnings fit in one file; five of them at most are kept.
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


def log_folder() -> Path:
    """Where the log lives: $KIOSK_LOG_DIR, else `logs` in the per-user data folder."""
    given = os.environ.get(LOG_DIR_ENV)
    if given:
        return Path(given)
    from platformdirs import user_data_dir  # noqa: PLC0415

    return Path(user_data_dir("kiosk", appauthor=False)) / "logs"


class RedactingFormatter(logging.Formatter):
    """Every line, traceback included, with e-mail addresses and kiosk codes masked: the
    call sites mask what they pass, and this catches what an error's text quotes.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as a line, masked."""
        from kiosk.core.redact import redact  # noqa: PLC0415 (a command that logs nothing skips it)

        return redact(super().format(record))


class LogFile(logging.Handler):
    """The log file, opened at the first record: a command that logs nothing (a check-in)
    neither imports `logging.handlers` nor touches the disk.
    """

    def __init__(self, folder: Callable[[], Path]) -> None:
        super().__init__()
        self._folder = folder
        self._file: RotatingFileHandler | None = None
        self.setFormatter(RedactingFormatter(FORMAT))

    @property
    def path(self) -> Path:
        """The log file's path."""
        return self._folder() / FILE_NAME

    def open(self) -> bool:
        """Open the file now, unless it is open; False when it cannot be (no such folder
        can be made, a full or read-only disk).
        """
        if self._file is None:
            try:
                self._file = _rotating(self.path)
            except OSError:
                return False
            self._file.setFormatter(self.formatter)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record, opening the file first when this is the first."""
        if not self.open():
            return  # no log can be written: the kiosk goes on without one
        try:
            if self._file is not None:
                self._file.emit(record)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        """Close the file, if it was opened."""
        if self._file is not None:
            self._file.close()
            self._file = None
        super().close()


def _rotating(path: Path) -> RotatingFileHandler:
    from logging.handlers import RotatingFileHandler  # noqa: PLC0415

    class PrivateRotatingFileHandler(RotatingFileHandler):
        """Each file it opens, the first and every one after a rotation, is mode 0600."""

        def _open(self) -> object:  # type: ignore[override]
            create_private_file(Path(self.baseFilename))
            return super()._open()

    private_folder(path.parent)
    return PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )


def start_logging(folder: Path | None = None) -> LogFile:
    """Send kiosk's log records (INFO and above) to the log file; once per process: a second
    call returns the handler of the first.
    """
    logger = logging.getLogger("kiosk")
    for handler in logger.handlers:
        if isinstance(handler, LogFile):
            return handler
    handler = LogFile((lambda: folder) if folder is not None else log_folder)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return handler


def stop_logging() -> None:
    """Detach and close the log file (tests, and a process that moves its log)."""
    logger = logging.getLogger("kiosk")
    for handler in list(logger.handlers):
        if isinstance(handler, LogFile):
            logger.removeHandler(handler)
            handler.close()
