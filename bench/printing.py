"""Benchmark badge printing through a real CUPS: check-in to job accepted, and a stopped printer."""

from __future__ import annotations

import argparse
import io
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from checkin import log, machine_info, publish, summary_ms

from kiosk.adapters.printer import CupsPrinter
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.print_queue import PrintQueueStore
from kiosk.core.clock import FixedClock
from kiosk.core.events import new_event
from kiosk.core.model import Attendee, Event
from kiosk.core.printing import JobState
from kiosk.core.registrations import Registration, plan_import
from kiosk.workflows.printing import BadgePrinting, StepOutcome
from kiosk.workflows.staff import StaffDesk

RESULTS = Path(__file__).resolve().parent / "results" / "printing.json"
QUEUE = "KIOSK-PDF"
CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_PPD = "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"
TZ = ZoneInfo("Europe/Prague")
DAY = date(2023, 10, 23)
FIRST = ("Jana", "Petr", "Małgorzata", "Luděk", "Zdeňka", "Jiří", "Eva", "Ondřej", "Łukasz")
LAST = ("Nováková", "Přikryl", "Żółć", "Kühr", "Šťastná", "Čermák", "Dvořák", "Chalupa")
ORGS = ("Klastr Nanoprogress", "Moravskoslezský automobilový klastr", "Silesian Cluster", "")
STAND_IN_PAGES = {"a6": (105.0, 148.0), "a7": (74.0, 105.0), "label-62": (62.0, 100.0)}
C_LOCALE = {**os.environ, "LC_ALL": "C", "LANG": "C"}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--badges", type=int, default=200, help="check-ins that print a badge")
    parser.add_argument(
        "--stopped", type=int, default=50, help="check-ins while the printer is stopped"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0.5,
        help="seconds between check-ins, as a busy desk scans (0: back to back, a burst)",
    )
    parser.add_argument("--layout", default="a6")
    parser.add_argument(
        "--renderer",
        choices=["auto", "kiosk", "stand-in"],
        default="auto",
        help="kiosk: kiosk.adapters.badge_pdf.PdfBadges; stand-in: a plain reportlab page; "
        "auto: kiosk's when it is there",
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    return parser.parse_args(argv)


# -- the renderer -------------------------------------------------------------------------------


class StandInBadges:
    """A plain reportlab page with the name: for when kiosk's badges are not there."""

    def layouts(self) -> list[str]:
        return sorted(STAND_IN_PAGES)

    def page_size_mm(self, layout: str) -> tuple[float, float]:
        return STAND_IN_PAGES[layout]

    def render(self, event: Event, attendees: Sequence[Attendee], layout: str) -> bytes:
        from reportlab.lib.units import mm  # noqa: PLC0415
        from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415

        width, height = STAND_IN_PAGES[layout]
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(width * mm, height * mm), invariant=True)
        for attendee in attendees:
            canvas.drawString(5 * mm, (height - 10) * mm, event.name)
            name = attendee.full_name.encode("latin-1", "replace").decode("latin-1")
            canvas.drawString(5 * mm, height / 2 * mm, name)
            canvas.showPage()
        canvas.save()
        return out.getvalue()


def pick_renderer(choice: str) -> tuple[Any, str]:
    if choice in ("auto", "kiosk"):
        try:
            from kiosk.adapters.badge_pdf import PdfBadges  # noqa: PLC0415
        except ImportError:
            if choice == "kiosk":
                raise
        else:
            return PdfBadges(), "kiosk.adapters.badge_pdf.PdfBadges"
    return StandInBadges(), "stand-in (bench/printing.py: reportlab page, name only, no QR)"


class Timed:
    """Wraps an object; remembers how long each call of the named methods took."""

    def __init__(self, inner: Any, methods: Sequence[str]) -> None:
        self._inner = inner
        self.last_ns: dict[str, int] = {}
        for name in methods:
            setattr(self, name, self._timed(name))

    def _timed(self, name: str) -> Callable[..., Any]:
        method = getattr(self._inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter_ns()
            try:
                return method(*args, **kwargs)
            finally:
                self.last_ns[name] = self.last_ns.get(name, 0) + time.perf_counter_ns() - start

        return call

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def take(self, name: str) -> int:
        return self.last_ns.pop(name, 0)


# -- CUPS ---------------------------------------------------------------------------------------


def _cups(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), capture_output=True, text=True, env=C_LOCALE, timeout=30, check=check
    )


def scheduler_running() -> bool:
    return "scheduler is running" in _cups("lpstat", "-r", check=False).stdout


@contextmanager
def cups_queue() -> Iterator[None]:
    """CUPS running with the cups-pdf queue KIOSK-PDF; a cupsd started here is stopped after."""
    if shutil.which("lp") is None or not Path(CUPSD).exists():
        sys.exit("CUPS is not installed: apt-get install cups printer-driver-cups-pdf")
    started = None
    if not scheduler_running():
        if os.geteuid() != 0:
            sys.exit("cupsd is not running, and only root can start it")
        started = subprocess.Popen(
            [CUPSD, "-f"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while not scheduler_running():
            if time.monotonic() > deadline:
                started.kill()
                sys.exit("cupsd did not start")
            time.sleep(0.1)
    if _cups("lpstat", "-p", QUEUE, check=False).returncode != 0:
        _cups("lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-m", CUPS_PDF_PPD)
    _cups("cupsenable", QUEUE)
    _cups("cupsaccept", QUEUE)
    # cups-pdf writes every badge to the home folder of the user who printed it.
    out_dir = Path(pwd.getpwuid(os.geteuid()).pw_dir) / "PDF"
    before = set(out_dir.glob("*.pdf")) if out_dir.is_dir() else set()
    try:
        yield
    finally:
        _cups("cupsenable", QUEUE, check=False)
        if out_dir.is_dir():
            for path in set(out_dir.glob("*.pdf")) - before:
                path.unlink(missing_ok=True)
        if started is not None:
            started.send_signal(signal.SIGTERM)
            started.wait(10)


# -- the run ------------------------------------------------------------------------------------


def registrations(count: int) -> list[Registration]:
    return [
        Registration(
            row=n + 2,
            code=f"BENCH-{n:06d}",
            first_name=FIRST[n % len(FIRST)],
            last_name=LAST[(n // len(FIRST)) % len(LAST)],
            organisation=ORGS[n % len(ORGS)],
            category="Participant",
        )
        for n in range(count)
    ]


def wait_until_done(printing: BadgePrinting, timeout_s: float) -> float:
    """Step the worker until every job is done; seconds it took."""
    start = time.perf_counter()
    deadline = start + timeout_s
    while True:
        counts = printing.jobs.counts()
        if counts[JobState.QUEUED] == counts[JobState.PRINTING] == 0:
            return time.perf_counter() - start
        if time.perf_counter() > deadline:
            raise SystemExit(f"jobs not done after {timeout_s} s: {counts}")
        step = printing.process_queue()
        time.sleep(min(step.again_in or 0.05, 0.05))


def benchmark(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    load_start = [round(load, 2) for load in os.getloadavg()]
    total = args.badges + args.stopped + 1
    path = folder / "bench.sqlite3"
    store = SqliteStore(path)
    event, keys = new_event("Clusters meet Regions", "Europe/Prague", [DAY], locale="cs")
    store.create_event(event, keys)
    store.apply_import(plan_import({}, registrations(total)))
    store.set_setting("print.queue", QUEUE)
    store.set_setting("print.layout", args.layout)
    store.set_setting("print.auto", "first")
    renderer, renderer_name = pick_renderer(args.renderer)
    timed_renderer = Timed(renderer, ["render"])
    printer = Timed(CupsPrinter(), ["status", "submit", "unfinished"])
    desk = StaffDesk(store, "Desk A", FixedClock(datetime(2023, 10, 23, 9, tzinfo=TZ)))
    printing = BadgePrinting(desk, PrintQueueStore(store), timed_renderer, printer)
    codes = iter(f"BENCH-{n:06d}" for n in range(total))

    def one_badge() -> dict[str, int]:
        code = next(codes)
        t0 = time.perf_counter_ns()
        result = desk.check_in(code)
        t1 = time.perf_counter_ns()
        queued = printing.after_check_in(result)
        t2 = time.perf_counter_ns()
        step = printing.process_queue()
        t3 = time.perf_counter_ns()
        if result.status != "ok" or queued is None or step.outcome is not StepOutcome.SENT:
            raise SystemExit(f"{code}: {result.status}, {queued}, {step.outcome} {step.error}")
        return {
            "checkin": t1 - t0,
            "enqueue": t2 - t1,
            "step": t3 - t2,
            "to_accepted": t3 - t0,
            "render": timed_renderer.take("render"),
            "lpstat": printer.take("status"),
            "lp": printer.take("submit"),
            "lpstat_o": printer.take("unfinished"),
        }

    log("warming up (fonts, first lp)")
    one_badge()
    wait_until_done(printing, 60)
    log(f"{args.badges} check-ins, each badge sent to CUPS")
    started = time.perf_counter()
    samples = []
    for n in range(args.badges):
        # Paced from the start, not after each badge: a slow badge does not slow the arrivals.
        pause = started + n * args.interval - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        samples.append(one_badge())
    sent_s = time.perf_counter() - started
    all_done_s = sent_s + wait_until_done(printing, 600)

    log(f"{args.stopped} check-ins with the printer stopped")
    _cups("cupsdisable", "-r", "bench: out of paper", QUEUE)
    stopped: list[dict[str, int]] = []
    try:
        for _ in range(args.stopped):
            code = next(codes)
            t0 = time.perf_counter_ns()
            result = desk.check_in(code)
            t1 = time.perf_counter_ns()
            printing.after_check_in(result)
            t2 = time.perf_counter_ns()
            step = printing.process_queue()
            t3 = time.perf_counter_ns()
            if step.outcome is not StepOutcome.HELD:
                raise SystemExit(f"printer stopped, but the step was {step.outcome}")
            stopped.append({"checkin": t1 - t0, "enqueue": t2 - t1, "step": t3 - t2})
    finally:
        _cups("cupsenable", QUEUE)
    backlog_s = wait_until_done(printing, 600)
    store.close()

    def figures(rows: list[dict[str, int]]) -> dict[str, Any]:
        # A step asks CUPS about the jobs it holds only when it holds some: count those steps.
        return {
            name: summary_ms([row[name] for row in rows if row[name] or name != "lpstat_o"])
            for name in rows[0]
        }

    return {
        "machine": {**machine_info(path), "loadavg_start": load_start},
        "parameters": {
            "badges": args.badges,
            "stopped": args.stopped,
            "interval_s": args.interval,
            "layout": args.layout,
            "page_mm": list(renderer.page_size_mm(args.layout)),
            "renderer": renderer_name,
            "printer": f"CUPS {QUEUE} (cups-pdf, Ghostscript)",
        },
        "accepted": figures(samples),
        "throughput": {
            "sent_seconds": round(sent_s, 3),
            "all_printed_seconds": round(all_done_s, 3),
            "badges_per_minute": round(args.badges / all_done_s * 60, 1),
        },
        "printer_stopped": {
            **figures(stopped),
            "backlog_printed_seconds": round(backlog_s, 3),
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with cups_queue(), tempfile.TemporaryDirectory(prefix="kiosk-bench-print-") as temp:
        results = benchmark(args, Path(temp))
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
