"""CUPS through its command-line tools: `lp` prints a badge PDF, `lpstat` tells a queue's state."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from kiosk.core.printing import PrintError, PrinterState, PrinterStatus

logger = logging.getLogger(__name__)

# How long one `lp` or `lpstat` may take. CUPS answers a local request in milliseconds; one that
# has not answered in this time (a hung scheduler, a network printer server gone) is a failed
# attempt, never a worker stuck for good.
DEFAULT_TIMEOUT_S = 10.0

_REQUEST_ID = re.compile(r"request id is (\S+)")
# lpstat -p: "printer Q is idle.  enabled since ...", "printer Q now printing Q-3.  enabled since
# ...", "printer Q disabled since ... -" (then CUPS's reason on tab-indented lines).
_PRINTER_LINE = re.compile(r"^printer (\S+) (is idle|now printing|disabled)\b")
# lpstat -a: "Q accepting requests since ...", "Q not accepting requests since ... -".
_ACCEPT_LINE = re.compile(r"^(\S+) (accepting|not accepting) requests\b")
_JOB_LINE = re.compile(r"^(\S+-\d+)\s")


def _page_size_option(page_mm: tuple[float, float]) -> str:
    """CUPS's custom page size for `page_mm`: cups-pdf's PPD (and most label printers') has no
    A6, but every PPD with custom sizes takes Custom.WxHmm.
    """
    width, height = page_mm
    if not (width > 0 and height > 0):
        raise PrintError(f"a badge page of {width} x {height} mm cannot be printed")
    return f"PageSize=Custom.{width:g}x{height:g}mm"


class CupsPrinter:
    """Prints PDF files on CUPS queues with `lp` and reads their state with `lpstat`.

    The PDF goes to CUPS as a file, so it stays vector all the way to the printer's driver.
    Every command runs with a timeout and in the C locale (lpstat's words are parsed). Errors
    are `PrintError`s whose `state` tells a missing queue, a scheduler that is not running (or
    tools not installed), and one that does not answer, apart.
    """

    def __init__(
        self,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        lp: str = "lp",
        lpstat: str = "lpstat",
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self.lp = lp
        self.lpstat = lpstat
        # CUPS_SERVER and friends pass through; the locale does not, so the words stay English.
        base = dict(os.environ if env is None else env)
        self.env = {**base, "LC_ALL": "C", "LANG": "C", "LANGUAGE": "C"}

    def _run(self, args: Sequence[str], what: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                list(args),
                capture_output=True,
                text=True,
                timeout=self.timeout_s,
                env=self.env,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except FileNotFoundError:
            raise PrintError(
                f"CUPS is not installed here ({args[0]} not found)", PrinterState.NO_CUPS
            ) from None
        except subprocess.TimeoutExpired:
            # subprocess.run killed the command: nothing of it is left running.
            raise PrintError(
                f"CUPS did not answer within {self.timeout_s:g} s ({what})",
                PrinterState.NOT_ANSWERING,
            ) from None
        except OSError as error:
            raise PrintError(f"could not run {args[0]}: {error}", PrinterState.NO_CUPS) from None

    def _scheduler_running(self) -> bool:
        # `lpstat -r` exits 0 either way: only its words tell.
        done = self._run([self.lpstat, "-r"], "lpstat -r")
        return "scheduler is running" in done.stdout

    def _failure(self, queue: str, done: subprocess.CompletedProcess[str], what: str) -> PrintError:
        """What a failed `lp` or `lpstat` on `queue` means. Both say a queue does not exist when
        no scheduler runs at all, so that is asked apart.
        """
        text = " ".join((done.stderr or done.stdout).split())
        if "not accepting" in text:
            return PrintError(f"printer {queue} is not accepting jobs", PrinterState.REJECTING)
        if not self._scheduler_running():
            return PrintError("the printing system (CUPS) is not running", PrinterState.NO_CUPS)
        if "does not exist" in text or "Invalid destination" in text or "No destinations" in text:
            return PrintError(f"there is no printer queue {queue!r}", PrinterState.NO_QUEUE)
        return PrintError(f"{what} failed: {text or f'exit status {done.returncode}'}")

    def status(self, queue: str) -> PrinterStatus:
        """The state of `queue`: never raises; a queue that cannot be asked says why in its
        state (`no_queue`, `no_cups`, `not_answering`, `failed`).
        """
        try:
            done = self._run([self.lpstat, "-r", "-p", queue, "-a", queue], "lpstat -p")
        except PrintError as error:
            return PrinterStatus(queue, error.state, message=str(error))
        if "scheduler is not running" in done.stdout:
            return PrinterStatus(
                queue, PrinterState.NO_CUPS, message="the printing system (CUPS) is not running"
            )
        found = _parse_printers(done.stdout).get(queue)
        if done.returncode != 0 or found is None:
            failure = self._failure(queue, done, "lpstat")
            if failure.state is PrinterState.NO_QUEUE:
                return PrinterStatus(queue, failure.state, message="CUPS has no queue of this name")
            return PrinterStatus(queue, failure.state, message=str(failure))
        return found

    def queues(self) -> list[PrinterStatus]:
        """Every CUPS queue with its state, by name; raises `PrintError` when CUPS cannot be
        asked (`no_cups`, `not_answering`).
        """
        done = self._run([self.lpstat, "-r", "-p", "-a"], "lpstat -p")
        if "scheduler is not running" in done.stdout:
            raise PrintError("the printing system (CUPS) is not running", PrinterState.NO_CUPS)
        if done.returncode != 0 and "No destinations" not in done.stderr:
            text = " ".join(done.stderr.split())
            raise PrintError(f"lpstat failed: {text or f'exit status {done.returncode}'}")
        return sorted(_parse_printers(done.stdout).values(), key=lambda s: s.queue)

    def submit(
        self,
        queue: str,
        pdf: bytes,
        *,
        page_mm: tuple[float, float],
        title: str = "badge",
        copies: int = 1,
    ) -> str:
        """Send `pdf` to `queue` on pages of `page_mm` (width, height); returns CUPS's request
        id (`QUEUE-12`). Raises `PrintError` when CUPS did not take it.
        """
        if not pdf.startswith(b"%PDF"):
            raise PrintError("the badge is not a PDF")
        option = _page_size_option(page_mm)
        with tempfile.TemporaryDirectory(prefix="kiosk-print-") as folder:
            path = Path(folder) / "badge.pdf"
            path.write_bytes(pdf)
            # lp has sent the file to the scheduler by the time it prints the request id, so the
            # file can go as soon as it returns.
            done = self._run(
                [
                    self.lp,
                    "-d",
                    queue,
                    "-n",
                    str(copies),
                    "-o",
                    option,
                    "-t",
                    title,
                    "--",
                    str(path),
                ],
                "lp",
            )
        if done.returncode != 0:
            raise self._failure(queue, done, "lp")
        found = _REQUEST_ID.search(done.stdout)
        if found is None:
            raise PrintError(f"lp gave no request id: {' '.join(done.stdout.split())!r}")
        return found.group(1)

    def unfinished(self, queue: str) -> set[str]:
        """Request ids of `queue`'s jobs that CUPS has not finished (pending, held, printing);
        raises `PrintError` when it cannot be asked.
        """
        done = self._run([self.lpstat, "-o", queue], "lpstat -o")
        if done.returncode != 0:
            raise self._failure(queue, done, "lpstat -o")
        return {
            found.group(1)
            for line in done.stdout.splitlines()
            if (found := _JOB_LINE.match(line)) is not None
        }


def _parse_printers(text: str) -> dict[str, PrinterStatus]:
    """`lpstat -p -a` output as each queue's state, its reason and whether it accepts jobs."""
    states: dict[str, PrinterState] = {}
    messages: dict[str, list[str]] = {}
    accepting: dict[str, bool] = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith(("\t", " ")):
            # A reason line belongs to the printer (or acceptance) line above it.
            if current is not None and line.strip() and line.strip() != "reason unknown":
                reasons = messages.setdefault(current, [])
                if line.strip() not in reasons:
                    reasons.append(line.strip())
            continue
        current = None
        if found := _PRINTER_LINE.match(line):
            current, word = found.groups()
            states[current] = {
                "is idle": PrinterState.IDLE,
                "now printing": PrinterState.PRINTING,
                "disabled": PrinterState.STOPPED,
            }[word]
        elif found := _ACCEPT_LINE.match(line):
            current, word = found.groups()
            accepting[current] = word == "accepting"
    result: dict[str, PrinterStatus] = {}
    for queue, printing in states.items():
        ok = accepting.get(queue, False)
        state = printing if printing is PrinterState.STOPPED or ok else PrinterState.REJECTING
        result[queue] = PrinterStatus(queue, state, ok, "; ".join(messages.get(queue, [])))
    return result
