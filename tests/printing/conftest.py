"""A real CUPS with the cups-pdf virtual printer for the printing tests, started when needed.

CI installs `cups printer-driver-cups-pdf`; the session fixture `cups` starts `cupsd` when no
scheduler runs (as root; it is left running, as the system service it stands in for would be)
and adds a cups-pdf queue of the session's own, KIOSK-PDF-<pid>, which it deletes at the end: two
test runs on one machine never stop, empty or delete each other's printer. Without CUPS
installed the tests that need it are skipped, unless `CI` is set: then they fail, so a CI
machine without CUPS cannot pass them by skipping.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.adapters.printer import CupsPrinter
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.print_queue import PrintQueueStore
from kiosk.core.clock import FixedClock
from kiosk.workflows.printing import BadgePrinting
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, prague
from tests.printing.badges import StandInBadges

QUEUE_PREFIX = "KIOSK-PDF-"
QUEUE = f"{QUEUE_PREFIX}{os.getpid()}"
CUPS_PDF_LOG = Path("/var/log/cups")
CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_BACKEND = "/usr/lib/cups/backend/cups-pdf"
CUPS_PDF_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
START_TIMEOUT_S = 20.0
# cups-pdf writes its file about 0.3-0.4 s after lp returns; a loaded CI machine takes longer.
OUTPUT_TIMEOUT_S = 20.0
C_LOCALE = {**os.environ, "LC_ALL": "C", "LANG": "C"}


def _run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), capture_output=True, text=True, env=C_LOCALE, timeout=30, check=check
    )


def scheduler_running() -> bool:
    # `lpstat -r` exits 0 whether or not the scheduler runs: only its words tell.
    return "scheduler is running" in _run("lpstat", "-r", check=False).stdout


@dataclass
class Cups:
    """The test CUPS: its queue, where cups-pdf writes, and the scheduler if we started it."""

    queue: str
    pdf_dir: Path
    started: subprocess.Popen[bytes] | None  # the cupsd this session started, if it did

    def disable(self, reason: str = "out of paper") -> None:
        """Stop the printer as CUPS does on a backend error: jobs are accepted, then held."""
        _run("cupsdisable", "-r", reason, self.queue)

    def enable(self) -> None:
        _run("cupsenable", self.queue)
        _run("cupsaccept", self.queue)

    def reject(self, reason: str = "closed") -> None:
        _run("cupsreject", "-r", reason, self.queue)

    def unfinished(self) -> set[str]:
        out = _run("lpstat", "-o", self.queue).stdout
        return {line.split()[0] for line in out.splitlines() if line and not line[0].isspace()}

    def cancel_all(self) -> None:
        _run("cancel", "-a", self.queue, check=False)

    def output_of(self, cups_job: str, timeout_s: float = OUTPUT_TIMEOUT_S) -> Path:
        """The PDF cups-pdf wrote for `cups_job` (its name ends in -job_N.pdf), waited for."""
        number = cups_job.rsplit("-", 1)[1]
        pattern = re.compile(rf"-job_{number}\.pdf$")
        deadline = time.monotonic() + timeout_s
        while True:
            if self.pdf_dir.is_dir():
                for path in self.pdf_dir.iterdir():
                    if pattern.search(path.name) and _complete_pdf(path):
                        return path
            if time.monotonic() > deadline:
                raise AssertionError(f"cups-pdf wrote no file for {cups_job} in {timeout_s} s")
            time.sleep(0.05)


def _complete_pdf(path: Path) -> bool:
    try:
        return b"%%EOF" in path.read_bytes()[-64:]
    except OSError:
        return False


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the printing tests")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def cups() -> Iterator[Cups]:
    """A running CUPS with the cups-pdf queue KIOSK-PDF, enabled and accepting."""
    missing = [
        tool for tool in ("lp", "lpstat", "lpadmin", "cupsenable") if shutil.which(tool) is None
    ]
    if missing or not Path(CUPSD).exists() or not Path(CUPS_PDF_BACKEND).exists():
        _unavailable(
            "CUPS with cups-pdf is not installed (apt-get install cups printer-driver-cups-pdf)"
        )
    started: subprocess.Popen[bytes] | None = None
    if not scheduler_running():
        if os.geteuid() != 0:
            _unavailable("cupsd is not running, and only root can start it here")
        # In the foreground (-f), as our child, so the one test that pauses it knows its pid.
        started = subprocess.Popen(
            [CUPSD, "-f"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while not scheduler_running():
            if started.poll() is not None or time.monotonic() > deadline:
                started.kill()
                pytest.fail(f"cupsd did not start within {START_TIMEOUT_S} s")
            time.sleep(0.1)
    _remove_stale_queues()
    _run("lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-m", CUPS_PDF_PPD)
    home = Path(pwd.getpwuid(os.geteuid()).pw_dir)
    try:
        yield Cups(QUEUE, home / "PDF", started)
    finally:
        _run("lpadmin", "-x", QUEUE, check=False)  # its jobs go with it
        (CUPS_PDF_LOG / f"cups-pdf-{QUEUE}_log").unlink(missing_ok=True)


def _remove_stale_queues() -> None:
    """Delete the queues of test sessions that were cut off (their process is gone)."""
    for name in _run("lpstat", "-e", check=False).stdout.split():
        suffix = name.removeprefix(QUEUE_PREFIX)
        if name == suffix or not suffix.isdigit():
            continue
        try:
            os.kill(int(suffix), 0)
        except ProcessLookupError:
            _run("lpadmin", "-x", name, check=False)
            (CUPS_PDF_LOG / f"cups-pdf-{name}_log").unlink(missing_ok=True)
        except PermissionError:
            continue  # another user's live process


@pytest.fixture
def ready_cups(cups: Cups) -> Iterator[Cups]:
    """CUPS with the queue enabled, accepting and empty, and left so after the test; the PDFs
    cups-pdf wrote meanwhile are removed.
    """
    cups.cancel_all()
    cups.enable()
    before = _pdfs(cups.pdf_dir)
    yield cups
    cups.enable()
    cups.cancel_all()
    for path in _pdfs(cups.pdf_dir) - before:
        path.unlink(missing_ok=True)


def _pdfs(folder: Path) -> set[Path]:
    return set(folder.glob("*.pdf")) if folder.is_dir() else set()


@pytest.fixture
def desk_a(filled: SqliteStore) -> StaffDesk:
    """A staff desk on the small event in a real file, at 09:00 on its first day."""
    return StaffDesk(filled, "Desk A", FixedClock(prague(DAY1, 9)))


@pytest.fixture
def badges() -> StandInBadges:
    return StandInBadges()


def printing_for(
    desk: StaffDesk, badges: StandInBadges, printer: Any, **options: Any
) -> BadgePrinting:
    """Badge printing for `desk` as the composition root wires it, with this printer."""
    return BadgePrinting(desk, PrintQueueStore(desk.store), badges, printer, **options)


@pytest.fixture
def printing(desk_a: StaffDesk, badges: StandInBadges, ready_cups: Cups) -> BadgePrinting:
    """Badge printing on the real KIOSK-PDF queue."""
    desk_a.store.set_setting("print.queue", ready_cups.queue)
    return printing_for(desk_a, badges, CupsPrinter(timeout_s=10))
