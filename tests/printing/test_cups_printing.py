"""Badges through a real CUPS and cups-pdf: what reaches the printer, what never waits for it."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.adapters.printer import CupsPrinter
from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.model import EntryKind
from kiosk.core.printing import MAX_ATTEMPTS, JobState, PrinterState
from kiosk.core.registrations import plan_import
from kiosk.workflows.printing import BadgePrinting, EnqueueStatus, StepOutcome
from kiosk.workflows.staff import StaffDesk
from tests.conftest import DAY1, PEOPLE, code_of, person, prague
from tests.printing.badges import StandInBadges, assert_pages, page_sizes_mm
from tests.printing.conftest import Cups, printing_for


def print_entries(store: SqliteStore, attendee_id: str) -> list[dict[str, object]]:
    return [
        dict(e.data)
        for e in store.journal()
        if e.kind is EntryKind.PRINT and e.attendee_id == attendee_id
    ]


def test_a_check_in_prints_its_badge_on_the_layout_s_page(
    desk_a: StaffDesk, printing: BadgePrinting, ready_cups: Cups
) -> None:
    result = desk_a.check_in(code_of(desk_a.store, "Přikryl"))
    assert result.status == "ok"
    queued = printing.after_check_in(result)
    assert queued is not None and queued.status is EnqueueStatus.QUEUED
    steps = printing.drain(timeout_s=20)
    assert steps[0].outcome is StepOutcome.SENT
    finished = [job for step in steps for job in step.finished]
    assert [job.id for job in finished] == [queued.job.id]
    job = finished[0]
    assert job.state is JobState.DONE and job.printer == ready_cups.queue
    assert job.cups_job and job.cups_job.startswith(f"{ready_cups.queue}-")
    assert_pages(ready_cups.output_of(job.cups_job), "a6", 1)
    assert print_entries(desk_a.store, result.attendee.id) == [
        {"layout": "a6", "printer": ready_cups.queue, "job": job.cups_job, "reason": "checkin",
         "copies": 1}
    ]  # fmt: skip


@pytest.mark.parametrize("layout", ["a7", "label-62"])
def test_each_layout_reaches_the_printer_on_its_own_page_size(
    desk_a: StaffDesk, printing: BadgePrinting, ready_cups: Cups, layout: str
) -> None:
    attendee = person(desk_a.store, "Kühr")
    queued = printing.reprint(attendee.id, layout=layout)
    assert queued.status is EnqueueStatus.QUEUED
    printing.drain(timeout_s=20)
    job = printing.jobs.job(queued.job.id)
    assert job is not None and job.state is JobState.DONE and job.cups_job
    assert_pages(ready_cups.output_of(job.cups_job), layout, 1)


def test_a_stopped_printer_holds_the_badge_in_our_queue_and_never_the_check_in(
    desk_a: StaffDesk, printing: BadgePrinting, ready_cups: Cups, filled: SqliteStore
) -> None:
    ready_cups.disable("out of paper")
    # The worker looks at the printer meanwhile, as the desk's task runner would.
    result = desk_a.check_in(code_of(filled, "Přikryl"))
    queued = printing.after_check_in(result)
    step = printing.process_queue()
    assert step.outcome is StepOutcome.HELD
    assert step.printer is not None and step.printer.state is PrinterState.STOPPED
    assert "out of paper" in step.error
    job = printing.jobs.job(queued.job.id)
    assert job is not None and (job.state, job.attempts, job.cups_job) == (JobState.QUEUED, 0, None)
    assert ready_cups.unfinished() == set()  # nothing of ours piles up in CUPS to print twice
    # Another desk on the same file checks people in while the printer is stopped.
    other = StaffDesk(SqliteStore(filled.path), "Desk B", FixedClock(prague(DAY1, 9, 1)))
    try:
        started = time.perf_counter()
        again = other.check_in(code_of(filled, "Vrabčeková"))
        assert again.status == "ok"
        assert printing.after_check_in(again) is not None
        assert time.perf_counter() - started < 1.0  # no printer involved: milliseconds
        assert other.store.count_checked_in(DAY1) == 2
    finally:
        other.store.close()
    assert printing.process_queue().outcome is StepOutcome.HELD
    assert printing.jobs.counts()[JobState.QUEUED] == 2
    # The paper is back: the next steps print both, and journal them.
    ready_cups.enable()
    steps = printing.drain(timeout_s=30)
    done = [job for step in steps for job in step.finished]
    assert len(done) == 2 and all(job.state is JobState.DONE for job in done)
    for finished in done:
        assert_pages(ready_cups.output_of(finished.cups_job or ""), "a6", 1)
    assert printing.jobs.counts()[JobState.DONE] == 2


class StopsAfterLooking:
    """The printer stops between the worker's look and its `lp`: CUPS accepts and holds it."""

    def __init__(self, printer: CupsPrinter, cups: Cups) -> None:
        self.printer = printer
        self.cups = cups

    def __getattr__(self, name: str) -> object:
        return getattr(self.printer, name)

    def submit(self, queue: str, pdf: bytes, **options: object) -> str:
        self.cups.disable("jammed")
        return self.printer.submit(queue, pdf, **options)


def test_a_job_cups_accepted_as_the_printer_stopped_stays_printing_until_it_comes_out(
    desk_a: StaffDesk, badges: StandInBadges, ready_cups: Cups
) -> None:
    desk_a.store.set_setting("print.queue", ready_cups.queue)
    printing = printing_for(desk_a, badges, StopsAfterLooking(CupsPrinter(), ready_cups))
    attendee = person(desk_a.store, "Kühr")
    queued = printing.reprint(attendee.id)
    assert printing.process_queue().outcome is StepOutcome.SENT
    job = printing.jobs.job(queued.job.id)
    assert job is not None and job.state is JobState.PRINTING and job.cups_job
    assert job.cups_job in ready_cups.unfinished()  # accepted, held by the stopped printer
    time.sleep(0.5)
    step = printing.process_queue()
    assert step.finished == () and step.again_in is not None
    assert printing.jobs.job(job.id).state is JobState.PRINTING
    assert print_entries(desk_a.store, attendee.id) == []  # not printed: not journalled
    ready_cups.enable()
    printing.drain(timeout_s=20)
    assert printing.jobs.job(job.id).state is JobState.DONE
    assert_pages(ready_cups.output_of(job.cups_job), "a6", 1)
    assert len(print_entries(desk_a.store, attendee.id)) == 1


def test_a_queue_that_does_not_exist_fails_the_job_clearly_and_retries_it(
    desk_a: StaffDesk, badges: StandInBadges, ready_cups: Cups
) -> None:
    store = desk_a.store
    store.set_setting("print.queue", "NO-SUCH-QUEUE")
    wall = FixedClock(datetime(2026, 1, 1, 9, tzinfo=UTC))
    printing = printing_for(desk_a, badges, CupsPrinter(timeout_s=10), wall=wall)
    queued = printing.reprint(person(store, "Kühr").id)
    step = printing.process_queue()
    assert step.outcome is StepOutcome.FAILED
    assert step.error == "printer NO-SUCH-QUEUE: CUPS has no queue of this name"
    job = step.job
    assert job is not None and (job.state, job.attempts) == (JobState.QUEUED, 1)
    assert job.next_at == wall() + timedelta(seconds=2)
    # Not due yet: the step waits and asks to be called at the retry's time.
    waiting = printing.process_queue()
    assert waiting.outcome is StepOutcome.WAITING and waiting.again_in == pytest.approx(2)
    delays = []
    for attempt in range(2, MAX_ATTEMPTS + 1):
        wall.set(job.next_at)
        step = printing.process_queue()
        assert step.outcome is StepOutcome.FAILED and step.job is not None
        job = step.job
        assert job.attempts == attempt
        delays.append((job.next_at - wall()).total_seconds())
    assert job.state is JobState.FAILED  # out of attempts: waits for staff
    assert delays[:-1] == [4, 8, 16]
    assert printing.process_queue().outcome is StepOutcome.IDLE
    # Staff fix the setting and retry: it prints.
    store.set_setting("print.queue", ready_cups.queue)
    again = printing.retry(job.id)
    assert (again.state, again.attempts, again.last_error) == (JobState.QUEUED, 0, "")
    wall.set(wall() + timedelta(seconds=1))
    printing.drain(timeout_s=20, sleep=lambda s: time.sleep(min(s, 0.25)))
    done = printing.jobs.job(queued.job.id)
    assert done is not None and done.state is JobState.DONE


def test_no_cups_is_a_failed_attempt_told_apart_from_a_missing_queue(
    desk_a: StaffDesk, badges: StandInBadges, tmp_path: Path
) -> None:
    desk_a.store.set_setting("print.queue", "KIOSK-PDF")
    gone = CupsPrinter(env={**os.environ, "CUPS_SERVER": str(tmp_path / "no-cupsd.sock")})
    printing = printing_for(desk_a, badges, gone)
    printing.reprint(person(desk_a.store, "Kühr").id)
    step = printing.process_queue()
    assert step.outcome is StepOutcome.FAILED
    assert step.printer is not None and step.printer.state is PrinterState.NO_CUPS
    assert "not running" in step.error
    assert step.job is not None and step.job.attempts == 1


def test_a_printing_system_that_does_not_answer_fails_the_attempt_and_never_the_desk(
    desk_a: StaffDesk, printing: BadgePrinting, cups: Cups, filled: SqliteStore
) -> None:
    if cups.started is None:
        pytest.skip("only a cupsd this test session started is paused")
    printing.printer = CupsPrinter(timeout_s=1)
    printing.reprint(person(filled, "Kühr").id)
    answers: list[object] = []
    os.kill(cups.started.pid, signal.SIGSTOP)  # cupsd hangs: it takes connections, never answers
    try:
        worker = threading.Thread(target=lambda: answers.append(printing.process_queue()))
        started = time.perf_counter()
        worker.start()
        # Meanwhile the desk checks people in on its own thread, as fast as ever.
        for name in ("Přikryl", "Vrabčeková", "Chalupa"):
            checked = time.perf_counter()
            assert desk_a.check_in(code_of(filled, name)).status == "ok"
            assert time.perf_counter() - checked < 0.5
        worker.join(10)
        took = time.perf_counter() - started
    finally:
        os.kill(cups.started.pid, signal.SIGCONT)
    assert not worker.is_alive() and took < 5
    (step,) = answers
    assert step.outcome is StepOutcome.FAILED
    assert "did not answer within 1 s" in step.error
    assert step.job.attempts == 1 and step.job.state is JobState.QUEUED


def test_the_journal_says_printed_and_a_renamed_attendee_needs_a_reprint(
    desk_a: StaffDesk, printing: BadgePrinting, filled: SqliteStore
) -> None:
    attendee = person(filled, "Přikryl")
    printing.after_check_in(desk_a.check_in(attendee.code))
    printing.drain(timeout_s=20)
    assert len(print_entries(filled, attendee.id)) == 1
    assert filled.attendee(attendee.id).reprint is False
    # The registration system corrects the name; the re-import marks the badge out of date.
    renamed = [replace(p, first_name="Petra") if p.last_name == "Přikryl" else p for p in PEOPLE]
    filled.apply_import(plan_import(filled.registered(), renamed))
    changed = filled.attendee(attendee.id)
    assert changed is not None and changed.first_name == "Petra" and changed.reprint is True
    queued = printing.reprint(attendee.id)
    assert queued.status is EnqueueStatus.QUEUED
    printing.drain(timeout_s=20)
    assert filled.attendee(attendee.id).reprint is False
    assert [e["reason"] for e in print_entries(filled, attendee.id)] == ["checkin", "reprint"]


def test_kiosk_s_own_badges_reach_the_printer_on_their_page_size(
    desk_a: StaffDesk, ready_cups: Cups, filled: SqliteStore
) -> None:
    badge_pdf = pytest.importorskip("kiosk.adapters.badge_pdf")
    renderer = badge_pdf.PdfBadges()
    filled.set_setting("print.queue", ready_cups.queue)
    printing = printing_for(desk_a, renderer, CupsPrinter())
    zolc = person(filled, "Żółć")
    for layout in ("a6", "label-62"):
        queued = printing.reprint(zolc.id, layout=layout)
        printing.drain(timeout_s=30)
        job = printing.jobs.job(queued.job.id)
        assert job is not None and job.state is JobState.DONE and job.cups_job
        width, height = renderer.page_size_mm(layout)
        ((w, h),) = page_sizes_mm(ready_cups.output_of(job.cups_job))
        assert (w, h) == (pytest.approx(width, abs=0.5), pytest.approx(height, abs=0.5))


def test_badges_that_failed_while_cups_was_down_print_by_themselves_when_it_is_back(
    desk_a: StaffDesk, badges: StandInBadges, ready_cups: Cups, tmp_path: Path
) -> None:
    store = desk_a.store
    store.set_setting("print.queue", ready_cups.queue)
    wall = FixedClock(datetime(2026, 1, 1, 9, tzinfo=UTC))
    gone = CupsPrinter(env={**os.environ, "CUPS_SERVER": str(tmp_path / "no-cupsd.sock")})
    printing = printing_for(desk_a, badges, gone, wall=wall)
    queued = printing.reprint(person(store, "Kühr").id)
    for _ in range(MAX_ATTEMPTS):
        step = printing.process_queue()
        assert step.outcome is StepOutcome.FAILED
        assert step.job is not None
        wall.set(step.job.next_at)
    failed = printing.jobs.job(queued.job.id)
    assert failed is not None and failed.state is JobState.FAILED  # out of attempts
    assert printing.process_queue().outcome is StepOutcome.IDLE  # nothing due: it waits
    printing.printer = CupsPrinter(timeout_s=10)  # CUPS is back; nobody presses Retry
    printing.drain(timeout_s=20, sleep=lambda s: time.sleep(min(s, 0.25)))
    done = printing.jobs.job(queued.job.id)
    assert done is not None and done.state is JobState.DONE
