"""Soak benchmark: a conference day at high speed, watching memory, open files and check-ins.

    .venv/bin/python bench/soak.py            # 5,000 check-ins, 50 imports, 500 prints
    .venv/bin/python bench/soak.py --quick    # a tenth of everything, about a minute

Two kiosks (A and B) of one event check people in by turns on the main thread, each timed,
while on worker threads (as the desk's task runner runs them): kiosk A re-imports a changing
registration export (a few renamed, a few added each time), a print worker sends the reprints
the desk queues to the cups-pdf queue (when CUPS with cups-pdf is here; bench/printing.py
starts it), and both kiosks exchange journals through a shared folder every second. A lobby
board on kiosk A runs offscreen, following the change feed, its events handled between scans.
The simulated clock walks from 08:00 to 18:00 over the check-ins.

Memory (RSS, /proc/self/status; beside it SQLite's share, sqlite3_memory_used, and the blocks
Python's allocator holds) and open file handles (/proc/self/fd) are read after a
warm-up (the first import, sync and print done, the first scans made, so one-time costs such
as imports of modules and SQLite's page cache filling are not counted as growth) and at the
end, after a garbage collection. Targets: RSS growth under 10 %, no handle growth, no check-in
over 200 ms. Progress goes to stderr; the results, as JSON, to stdout and to --out (default
bench/results/soak.json).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import _sqlite3
import argparse
import ctypes
import gc
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

# bench/ is a folder of scripts: Python puts it first on sys.path when it runs one of them.
from checkin import log, machine_info, publish, summary_ms
from printing import CUPSD, QUEUE, cups_queue
from PySide6.QtWidgets import QApplication

from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.journal_folder import JournalFolder
from kiosk.adapters.storage import store as store_module
from kiosk.adapters.storage.connection import LockWaiters
from kiosk.app import Kiosk, LobbySource, open_kiosk
from kiosk.core.clock import FixedClock
from kiosk.core.errors import KioskError
from kiosk.core.events import new_event
from kiosk.core.printing import JobState
from kiosk.ui.application import create_application
from kiosk.ui.changes import ChangeWatcher
from kiosk.ui.lobby import LobbyWindow
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.staff import StaffDesk
from kiosk.workflows.sync import sync_journal

RESULTS = Path(__file__).resolve().parent / "results" / "soak.json"
TZ = ZoneInfo("Europe/Prague")
DAY_START = datetime(2023, 10, 23, 8, 0, tzinfo=TZ)
DAY_SECONDS = 10 * 3600
TARGETS = {"rss_growth_percent": 10.0, "fd_growth": 0, "slowest_checkin_ms": 200.0}
SCALES = {
    "full": {"checkins": 5000, "imports": 50, "prints": 500, "people": 6000},
    "quick": {"checkins": 500, "imports": 5, "prints": 50, "people": 1000},
}
HEADER = "code,first_name,last_name,organisation,country,email,category"
SYNC_EVERY_S = 1.0
EVENTS_EVERY = 10  # the board's events are handled every this many check-ins
REPEATS = 0.1  # share of scans that are someone already in (answer: already)
SLOWEST = 10
IDLE_STEP_S = 0.002
WARM_UP = 0.1  # share of the check-ins before the first measurement


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the day: about a minute")
    parser.add_argument("--no-print", action="store_true", help="leave CUPS out")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    return parser.parse_args(argv)


class LockWaits:
    """How long the main thread's last check-in waited for SQLite's write lock: the store's
    `begin_immediate`, wrapped (only the main thread's calls are counted).
    """

    def __init__(self) -> None:
        self.waited_ns = 0
        self._inner = store_module.begin_immediate
        store_module.begin_immediate = self._timed  # type: ignore[assignment]

    def _timed(self, conn: sqlite3.Connection, waiters: LockWaiters | None = None) -> None:
        if threading.current_thread() is not threading.main_thread():
            self._inner(conn, waiters)
            return
        started = time.perf_counter_ns()
        try:
            self._inner(conn, waiters)
        finally:
            self.waited_ns += time.perf_counter_ns() - started

    def take(self) -> int:
        waited, self.waited_ns = self.waited_ns, 0
        return waited


def run_queue_ns() -> int:
    """How long the calling thread has waited for a CPU, runnable, since it started (Linux's
    /proc/thread-self/schedstat); 0 where that cannot be read.
    """
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def sqlite_kib() -> int | None:
    """Memory SQLite holds in this process (page caches, prepared statements, schemas), from
    `sqlite3_memory_used` of the library the sqlite3 module is linked with; None where it
    cannot be found.
    """
    try:
        library = ctypes.CDLL(_sqlite3.__file__)  # its symbols and those of the libsqlite3 it uses
        used = library.sqlite3_memory_used
    except (OSError, AttributeError):
        return None
    used.restype = ctypes.c_int64
    return int(used()) // 1024


def open_files() -> list[str]:
    """What each open file descriptor points at (the listing's own descriptor is gone by then)."""
    files = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            files.append(os.readlink(f"/proc/self/fd/{fd}"))
        except FileNotFoundError:
            continue
    return sorted(files)


def resources() -> dict[str, Any]:
    gc.collect()
    files = open_files()
    return {
        "rss_kib": rss_kib(),
        # What of the RSS is SQLite's, and how many blocks Python's allocator holds: a climb in
        # one of them names where a growing RSS is.
        "sqlite_kib": sqlite_kib(),
        "python_blocks": sys.getallocatedblocks(),
        "open_files": len(files),
        "threads": threading.active_count(),
        "files": files,
    }


def write_export(path: Path, people: dict[str, str]) -> Path:
    lines = [f"{code},Jana,{last},Klastr,CZ,,Participant" for code, last in people.items()]
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


class Worker(threading.Thread):
    """A loop on a thread of its own until stopped; counts its runs and the errors it met, and
    remembers when its last step ran, to tell which work a slow check-in overlapped.
    """

    def __init__(self, name: str, step: Callable[[], bool], pause_s: float) -> None:
        super().__init__(name=name, daemon=True)
        self.step = step
        self.pause_s = pause_s
        self.stop = threading.Event()
        self.quiet = threading.Lock()  # held during a step: measurements take it to pause us
        self.runs = 0
        self.errors: Counter[str] = Counter()
        self.busy_s = 0.0
        self.span = (0.0, 0.0)  # the newest step's start and end (end 0 while running)

    def run(self) -> None:
        while not self.stop.is_set():
            with self.quiet:
                started = time.perf_counter()
                self.span = (started, 0.0)
                try:
                    worked = self.step()
                except KioskError as error:
                    self.errors[str(error)[:120]] += 1
                    worked = False
                ended = time.perf_counter()
                # A look that found nothing to do is no work a check-in could have waited for.
                self.span = (started, ended) if ended - started > IDLE_STEP_S else self.span
                self.busy_s += ended - started
                self.runs += 1
            if not worked:
                self.stop.wait(self.pause_s)

    def overlapped(self, since: float) -> bool:
        """True when a step of ours ran at some time after `since` (perf_counter seconds)."""
        _, ended = self.span
        return ended == 0.0 or ended > since


def first_print_done(day: Day, timeout_s: float = 60.0) -> int:
    """Wait until the print worker has finished a badge, and return how many it has: the first
    badge loads the badge fonts (two TrueType faces, 6-7 MB, once per process), which the
    warm-up is to take in. A `--quick` run's check-ins got to the warm-up's end before the
    first badge was printed, and counted the fonts as growth; a full day's had printed several
    by then (`prints_done_at_warm_up` says how many). Without a printer there is nothing to
    wait for.
    """
    if day.printing is None:
        return 0
    deadline = time.monotonic() + timeout_s
    while (done := day.printing.jobs.counts().get(JobState.DONE, 0)) == 0:
        if time.monotonic() > deadline:
            log("no badge printed by the end of the warm-up: the growth includes its fonts")
            break
        time.sleep(0.05)
    return done


def quiet_resources(workers: Sequence[Worker]) -> dict[str, Any]:
    """`resources()` between the workers' steps: no `lp` pipe or transaction half-open."""
    for worker in workers:
        worker.quiet.acquire()
    try:
        return resources()
    finally:
        for worker in workers:
            worker.quiet.release()


class Day:
    """The two kiosks, the shared folder, the changing export and the workers of one run."""

    def __init__(self, folder: Path, scale: dict[str, int], printer: str, seed: int) -> None:
        self.folder = folder
        self.scale = scale
        self.rng = random.Random(seed)
        self.clock = FixedClock(DAY_START)
        event, keys = new_event("Soak", "Europe/Prague", [DAY_START.date()], locale="cs")
        self.kiosks: list[Kiosk] = []
        for name in ("a", "b"):
            # As the desk opens its database: checkpoints on a thread of their own.
            path = folder / f"{name}.sqlite3"
            kiosk = open_kiosk(path, create=True, clock=self.clock, screen=True)
            kiosk.store.create_event(event, keys)
            kiosk.store.set_setting("print.auto", "never")
            self.kiosks.append(kiosk)
        self.a, self.b = self.kiosks
        self.desks = [
            StaffDesk(kiosk.store, f"Desk {name}", self.clock)
            for name, kiosk in zip("AB", self.kiosks, strict=True)
        ]
        self.people = {f"SOAK{n:06d}": f"Novák {n}" for n in range(scale["people"])}
        self.version = 0
        self.import_s: list[float] = []
        self.imports_wanted = 0
        self.import_errors: list[str] = []
        self.shared = folder / "sync"
        self.transports = [JournalFolder(self.shared, event) for _ in self.kiosks]
        self.printer = printer
        self.printing = self.a.badge_printing(self.desks[0]) if printer else None
        if self.printing is not None:
            self.a.store.set_setting("print.queue", printer)
        self.prints_queued = 0

    # -- the workers' steps ------------------------------------------------------------------

    def import_step(self) -> bool:
        """Import the next version of the export when the day has asked for it."""
        if len(self.import_s) >= self.imports_wanted:
            return False
        self.version += 1
        if self.version > 1:  # the registration system's export changes between downloads
            codes = list(self.people)
            for code in self.rng.sample(codes, max(1, len(codes) // 50)):
                self.people[code] = f"{self.people[code].split(' v')[0]} v{self.version}"
            for n in range(20):
                self.people[f"LATE{self.version:03d}{n:03d}"] = f"Pozdní {self.version}-{n}"
        export = write_export(self.folder / "export.csv", self.people)
        started = time.perf_counter()
        report = import_registrations(self.a.store, CsvRegistrations(), export, station="Desk A")
        self.import_s.append(time.perf_counter() - started)
        if report.errors:
            self.import_errors.append(f"version {self.version}: {len(report.errors)} errors")
        return True

    def sync_step(self) -> bool:
        for kiosk, transport in zip(self.kiosks, self.transports, strict=True):
            sync_journal(kiosk.store, transport)
        return False  # once a second

    def print_step(self) -> bool:
        assert self.printing is not None
        step = self.printing.process_queue()
        return step.again_in is not None and step.again_in < 0.05

    # -- the day -----------------------------------------------------------------------------

    def scans(self, count: int) -> list[tuple[int, str]]:
        """(kiosk, code) by turns; some are repeats of someone already in."""
        codes = list(self.people)
        self.rng.shuffle(codes)
        scans: list[tuple[int, str]] = []
        done: list[str] = []
        for n in range(count):
            if done and self.rng.random() < REPEATS:
                scans.append((n % 2, self.rng.choice(done)))
            else:
                code = codes.pop()
                scans.append((n % 2, code))
                done.append(code)
        return scans


def finish(app: QApplication, day: Day, workers: Sequence[Worker]) -> None:
    """Let the imports and prints the day asked for finish, sync once more, stop the workers."""
    log("waiting for the imports and prints to finish...")
    day.imports_wanted = day.scale["imports"]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        app.processEvents()
        printing_left = day.printing is not None and any(
            day.printing.jobs.counts().get(state, 0)
            for state in (JobState.QUEUED, JobState.PRINTING)
        )
        if len(day.import_s) >= day.scale["imports"] and not printing_left:
            break
        time.sleep(0.2)
    for worker in workers:
        worker.stop.set()
    for worker in workers:
        worker.join(60)
    day.sync_step()


def run(args: argparse.Namespace, folder: Path, printer: str) -> dict[str, Any]:
    scale = SCALES["quick" if args.quick else "full"]
    app = create_application("en")
    day = Day(folder, scale, printer, args.seed)
    log(f"importing {scale['people']} people into kiosk A and syncing them to B...")
    day.imports_wanted = 1
    day.import_step()
    day.sync_step()
    board_desk = StaffDesk(day.a.store, "Lobby", day.clock)
    feed = day.a.change_feed()
    board = LobbyWindow(LobbySource(day.a, board_desk), day.clock, changes=ChangeWatcher(feed))
    board.resize(1920, 1080)
    board.show()
    app.processEvents()
    workers = [
        Worker("import", day.import_step, 0.05),
        Worker("sync", day.sync_step, SYNC_EVERY_S),
    ]
    if day.printing is not None:
        workers.append(Worker("print", day.print_step, 0.1))
    for worker in workers:
        worker.start()
    scans = day.scans(scale["checkins"])
    step = timedelta(seconds=DAY_SECONDS / len(scans))
    print_every = max(1, len(scans) // scale["prints"]) if day.printing is not None else 0
    import_every = max(1, len(scans) // scale["imports"])
    # The warm-up takes in the first import on the worker thread, which opens its connection.
    warm_up = max(int(len(scans) * WARM_UP), import_every + 10)
    latencies: list[int] = []
    lock_waits: list[int] = []
    waits = LockWaits()
    slowest: list[tuple[float, int, str, str, str, float, float, float]] = []
    statuses: Counter[str] = Counter()
    samples: list[dict[str, Any]] = []
    start: dict[str, Any] = {}
    printed_at_warm_up = 0
    started = time.perf_counter()
    prints = scale["prints"] if print_every else 0
    log(f"{len(scans)} check-ins, {scale['imports']} imports, {prints} prints, two kiosks...")
    for n, (which, code) in enumerate(scans):
        day.clock.advance(seconds=step.total_seconds())
        desk = day.desks[which]
        since = time.perf_counter()
        queued, cpu = run_queue_ns(), time.thread_time_ns()
        before = time.perf_counter_ns()
        try:
            result = desk.check_in(code)
            status = str(result.status)
        except KioskError as error:
            status = f"error: {error}"[:80]
            result = None
        took = time.perf_counter_ns() - before
        cpu, queued = time.thread_time_ns() - cpu, run_queue_ns() - queued
        latencies.append(took)
        waited = waits.take()
        lock_waits.append(waited)
        statuses[status] += 1
        if not slowest or took / 1e6 > slowest[-1][0] or len(slowest) < SLOWEST:
            busy = ",".join(w.name for w in workers if w.overlapped(since))
            row = (took / 1e6, n, "AB"[which], status, busy, waited / 1e6, cpu / 1e6, queued / 1e6)
            slowest = sorted([*slowest, row])[::-1]
            slowest = slowest[:SLOWEST]
        if print_every and n % print_every == 0 and result is not None and result.attendee:
            queued = day.printing.reprint(result.attendee.id)  # type: ignore[union-attr]
            day.prints_queued += bool(queued.queued)
        if n % import_every == 0 and n:
            day.imports_wanted = min(scale["imports"], day.imports_wanted + 1)
        if n % EVENTS_EVERY == 0:
            app.processEvents()
        if n + 1 == warm_up:
            printed_at_warm_up = first_print_done(day)
            start = quiet_resources(workers)
            log(f"after the warm-up ({printed_at_warm_up} prints done): {start}")
        if (n + 1) % max(1, len(scans) // 10) == 0:
            sample = quiet_resources(workers)
            del sample["files"]
            samples.append({"checkins": n + 1, **sample})
            log(f"{n + 1} check-ins, {len(day.import_s)} imports, {sample}")
    checkins_s = time.perf_counter() - started
    finish(app, day, workers)
    app.processEvents()
    end = resources()
    board.close()
    feed.close()
    counts_a = day.desks[0].today_counts()
    counts_b = day.desks[1].today_counts()
    jobs = day.printing.jobs.counts() if day.printing is not None else {}
    for kiosk in day.kiosks:
        kiosk.store.close()
    growth = 100.0 * (end["rss_kib"] - start["rss_kib"]) / start["rss_kib"]
    slowest_ms = max(latencies) / 1e6
    return {
        "benchmark": "soak",
        "machine": machine_info(folder / "a.sqlite3"),
        "parameters": {
            **scale,
            "scale": "quick" if args.quick else "full",
            "seed": args.seed,
            "warm_up_checkins": warm_up,
            "prints_done_at_warm_up": printed_at_warm_up,
            "sync_every_s": SYNC_EVERY_S,
            "repeats": REPEATS,
        },
        "printer": printer or "none: CUPS with cups-pdf is not available here (or --no-print)",
        "checkin": summary_ms(latencies),
        "checkins_over_200_ms": sum(1 for t in latencies if t > 200e6),
        "checkin_lock_wait": summary_ms(lock_waits),
        "slowest_checkins": [
            {
                "ms": round(ms, 1),
                "lock_wait_ms": round(lock, 1),
                # The main thread's CPU time, and its time runnable but waiting for a CPU; the
                # rest of `ms` is waits for the lock, the disk and the interpreter.
                "cpu_ms": round(cpu, 1),
                "run_queue_ms": round(queued, 1),
                "scan": n,
                "kiosk": k,
                "status": s,
                "overlapped": busy,
            }
            for ms, n, k, s, busy, lock, cpu, queued in slowest
        ],
        "statuses": dict(statuses),
        "checkins_seconds": round(checkins_s, 1),
        "imports": {
            "count": len(day.import_s),
            "seconds": summary_ms([int(s * 1e9) for s in day.import_s]),
            "errors": day.import_errors,
            "people_at_the_end": len(day.people),
        },
        "prints": {"queued": day.prints_queued, "jobs": {str(k): v for k, v in jobs.items()}},
        "workers": {
            w.name: {"runs": w.runs, "busy_s": round(w.busy_s, 1), "errors": dict(w.errors)}
            for w in workers
        },
        "kiosks_agree": counts_a == counts_b,
        "today_counts": {"A": list(counts_a), "B": list(counts_b)},
        "resources": {
            "after_warm_up": {k: v for k, v in start.items() if k != "files"},
            "end": {k: v for k, v in end.items() if k != "files"},
            "files_opened": sorted((Counter(end["files"]) - Counter(start["files"])).elements()),
            "files_closed": sorted((Counter(start["files"]) - Counter(end["files"])).elements()),
            "samples": samples,
        },
        "rss_growth_percent": round(growth, 2),
        "fd_growth": end["open_files"] - start["open_files"],
        "targets": TARGETS,
        "targets_met": {
            "rss_growth_percent": growth < TARGETS["rss_growth_percent"],
            "fd_growth": end["open_files"] - start["open_files"] <= TARGETS["fd_growth"],
            "slowest_checkin_ms": slowest_ms <= TARGETS["slowest_checkin_ms"],
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-soak-") as temp:
        if args.no_print or shutil.which("lp") is None or not Path(CUPSD).exists():
            results = run(args, Path(temp), "")
        else:
            with cups_queue():
                results = run(args, Path(temp), QUEUE)
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
