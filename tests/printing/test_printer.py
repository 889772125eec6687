"""`CupsPrinter` against a real CUPS, and against stand-in tools that hang or are missing."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from kiosk.adapters.printer import CupsPrinter, _parse_printers
from kiosk.core.model import Attendee, Event
from kiosk.core.printing import PrintError, PrinterState, PrinterStatus
from kiosk.core.signing import EventKeys
from tests.printing.badges import StandInBadges, assert_pages
from tests.printing.conftest import Cups, _unavailable


@pytest.fixture
def pdf(badges: StandInBadges, event_and_keys: tuple[Event, EventKeys]) -> bytes:
    event, _ = event_and_keys
    return badges.render(event, [Attendee(id="X", first_name="Jana", last_name="Nová")], "a6")


def test_a_ready_queue_is_idle_and_accepting(ready_cups: Cups) -> None:
    status = CupsPrinter().status(ready_cups.queue)
    assert status == PrinterStatus(ready_cups.queue, PrinterState.IDLE, True, "")
    assert status.ready and not status.held
    assert ready_cups.queue in [found.queue for found in CupsPrinter().queues()]


def test_a_disabled_queue_is_stopped_with_cups_s_reason(ready_cups: Cups) -> None:
    ready_cups.disable("Paper jam in tray 2")
    status = CupsPrinter().status(ready_cups.queue)
    assert (status.state, status.accepting) == (PrinterState.STOPPED, True)
    assert status.message == "Paper jam in tray 2"
    assert status.held and not status.ready
    assert status.describe() == f"printer {ready_cups.queue}: stopped (Paper jam in tray 2)"


def test_a_queue_refusing_jobs_is_held_and_lp_says_so(ready_cups: Cups, pdf: bytes) -> None:
    ready_cups.reject("closed for the night")
    status = CupsPrinter().status(ready_cups.queue)
    assert (status.state, status.accepting) == (PrinterState.REJECTING, False)
    assert status.held
    with pytest.raises(PrintError, match="not accepting") as refused:
        CupsPrinter().submit(ready_cups.queue, pdf, page_mm=(105, 148))
    assert refused.value.state is PrinterState.REJECTING


def test_a_missing_queue_and_a_missing_cups_are_told_apart(
    cups: Cups, tmp_path: Path, pdf: bytes
) -> None:
    missing = CupsPrinter().status("NO-SUCH-QUEUE")
    assert missing.state is PrinterState.NO_QUEUE
    assert missing.describe() == "printer NO-SUCH-QUEUE: CUPS has no queue of this name"
    with pytest.raises(PrintError, match="no printer queue 'NO-SUCH-QUEUE'") as caught:
        CupsPrinter().submit("NO-SUCH-QUEUE", pdf, page_mm=(105, 148))
    assert caught.value.state is PrinterState.NO_QUEUE
    # lpstat and lp say "no such queue" when no scheduler runs at all: kiosk asks apart.
    nowhere = CupsPrinter(env={**os.environ, "CUPS_SERVER": str(tmp_path / "none.sock")})
    status = nowhere.status(cups.queue)
    assert status.state is PrinterState.NO_CUPS
    assert status.describe() == f"printer {cups.queue}: the printing system (CUPS) is not running"
    with pytest.raises(PrintError, match="not running") as caught:
        nowhere.submit(cups.queue, pdf, page_mm=(105, 148))
    assert caught.value.state is PrinterState.NO_CUPS
    with pytest.raises(PrintError, match="not running"):
        nowhere.queues()


def test_cups_not_installed_is_no_cups(tmp_path: Path, pdf: bytes) -> None:
    absent = CupsPrinter(lp=str(tmp_path / "lp"), lpstat=str(tmp_path / "lpstat"))
    status = absent.status("KIOSK-PDF")
    assert status.state is PrinterState.NO_CUPS and "not installed" in status.message
    with pytest.raises(PrintError, match="not installed") as caught:
        absent.submit("KIOSK-PDF", pdf, page_mm=(105, 148))
    assert caught.value.state is PrinterState.NO_CUPS


def _hanging_tool(folder: Path, name: str) -> Path:
    tool = folder / name
    tool.write_text("#!/bin/sh\nexec sleep 30\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return tool


def test_a_tool_that_does_not_answer_is_cut_off_at_the_timeout(tmp_path: Path, pdf: bytes) -> None:
    hanging = CupsPrinter(
        timeout_s=0.5,
        lp=str(_hanging_tool(tmp_path, "lp")),
        lpstat=str(_hanging_tool(tmp_path, "lpstat")),
    )
    started = time.perf_counter()
    status = hanging.status("KIOSK-PDF")
    assert status.state is PrinterState.NOT_ANSWERING
    assert status.message == "CUPS did not answer within 0.5 s (lpstat -p)"
    with pytest.raises(PrintError, match=r"did not answer within 0\.5 s \(lp\)") as caught:
        hanging.submit("KIOSK-PDF", pdf, page_mm=(105, 148))
    assert caught.value.state is PrinterState.NOT_ANSWERING
    assert time.perf_counter() - started < 3


def test_a_pdf_sent_arrives_with_its_page_size_and_the_job_finishes(
    ready_cups: Cups, pdf: bytes
) -> None:
    printer = CupsPrinter()
    job = printer.submit(ready_cups.queue, pdf, page_mm=(105, 148), title="Jana Nová")
    assert job.startswith(f"{ready_cups.queue}-")
    assert_pages(ready_cups.output_of(job), "a6", 1)
    deadline = time.monotonic() + 10
    while job in printer.unfinished(ready_cups.queue):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_what_cannot_be_printed_is_refused_before_cups(pdf: bytes) -> None:
    with pytest.raises(PrintError, match="not a PDF"):
        CupsPrinter().submit("KIOSK-PDF", b"<html>", page_mm=(105, 148))
    with pytest.raises(PrintError, match="0 x 148 mm"):
        CupsPrinter().submit("KIOSK-PDF", pdf, page_mm=(0, 148))


def test_lpstat_s_words_make_each_queue_s_state() -> None:
    text = (
        "scheduler is running\n"
        "printer Front now printing Front-12.  enabled since Mon 23 Oct 2023 09:00:00 -\n"
        "\tSpooling job, 40% done.\n"
        "printer Label is idle.  enabled since Mon 23 Oct 2023 08:00:00\n"
        "printer Old disabled since Mon 23 Oct 2023 07:00:00 -\n"
        "\tMedia empty\n"
        "Front accepting requests since Mon 23 Oct 2023 09:00:00\n"
        "Label not accepting requests since Mon 23 Oct 2023 08:00:00 -\n"
        "\tclosed\n"
        "Old accepting requests since Mon 23 Oct 2023 07:00:00\n"
    )
    assert _parse_printers(text) == {
        "Front": PrinterStatus("Front", PrinterState.PRINTING, True, "Spooling job, 40% done."),
        "Label": PrinterStatus("Label", PrinterState.REJECTING, False, "closed"),
        "Old": PrinterStatus("Old", PrinterState.STOPPED, True, "Media empty"),
    }


def test_without_cups_the_printing_tests_skip_except_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no CUPS"):
        _unavailable("no CUPS")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no CUPS; CI must run the printing tests"):
        _unavailable("no CUPS")
