"""Benchmark badges: one badge from check-in to PDF bytes, and a batch of 1,000 to one PDF."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import random
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from checkin import (
    DAYS,
    STATION,
    TZ,
    build_database,
    generate,
    log,
    machine_info,
    publish,  # bench/checkin.py: the same generated attendees and figures
    summary_ms,
)

from kiosk.adapters.badge_pdf import PdfBadges
from kiosk.adapters.storage import SqliteStore
from kiosk.core.clock import FixedClock
from kiosk.core.model import AttendeeStatus
from kiosk.workflows.badges import check_badges, render_badges
from kiosk.workflows.staff import StaffDesk

RESULTS = Path(__file__).resolve().parent / "results" / "badges.json"
TARGETS = {"one_badge_p50_ms": 20, "one_badge_p99_ms": 20, "batch_seconds": 3}
SCAN_START = datetime(DAYS[0].year, DAYS[0].month, DAYS[0].day, 9, 0, tzinfo=TZ)
SCAN_STEP = timedelta(seconds=5)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=1000, help="badges in the batch")
    parser.add_argument("--singles", type=int, default=200, help="single badges to time")
    parser.add_argument("--layout", default="a6", help="layout of the single badges and batch")
    parser.add_argument("--sheet", default="a6-sheet", help="a 4-up layout for a second batch")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.singles > args.attendees:
        parser.error("--singles cannot exceed --attendees (the singles are batch attendees)")
    return args


def prepare(path: Path, count: int, seed: int) -> tuple[SqliteStore, float]:
    """A database with `count` active attendees valid on every day: each gets a badge."""
    rng = random.Random(seed)
    people = [
        dataclasses.replace(person, status=AttendeeStatus.ACTIVE, days=())
        for person in generate(rng, count, set())
    ]
    return build_database(path, people)


def single_badges(
    store: SqliteStore, renderer: PdfBadges, layout: str, count: int
) -> dict[str, Any]:
    """Check in `count` attendees one by one at the desk and make each one's badge PDF: the
    wait from the scan to the bytes a printer gets.
    """
    clock = FixedClock(SCAN_START)
    desk = StaffDesk(store, STATION, clock)
    event = store.event()
    people = store.attendees()[:count]
    checkin_ns: list[int] = []
    render_ns: list[int] = []
    render_cpu_ns: list[int] = []
    total_ns: list[int] = []
    total_cpu_ns: list[int] = []
    sizes: list[int] = []
    statuses: dict[str, int] = {}
    for number, person in enumerate(people):
        clock.set(SCAN_START + number * SCAN_STEP)
        start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
        result = desk.check_in(person.code)
        checked, cpu = time.perf_counter_ns(), time.process_time_ns()
        pdf = renderer.render(event, [result.attendee or person], layout)
        done = time.perf_counter_ns()
        render_cpu_ns.append(time.process_time_ns() - cpu)
        total_cpu_ns.append(time.process_time_ns() - start_cpu)
        checkin_ns.append(checked - start)
        render_ns.append(done - checked)
        total_ns.append(done - start)
        sizes.append(len(pdf))
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
        if (number + 1) % max(1, count // 5) == 0:
            log(f"  {number + 1}/{count} single badges")
    return {
        "layout": layout,
        "checkin_to_pdf": summary_ms(total_ns),
        # The process's CPU time: what the figures above come to on a machine doing nothing
        # else, less the waits for the disk (a check-in's commit).
        "checkin_to_pdf_cpu": summary_ms(total_cpu_ns),
        "checkin": summary_ms(checkin_ns),
        "render": summary_ms(render_ns),
        "render_cpu": summary_ms(render_cpu_ns),
        "pdf_bytes_median": sorted(sizes)[len(sizes) // 2],
        "statuses": statuses,
    }


def batch(store: SqliteStore, renderer: PdfBadges, layout: str) -> dict[str, Any]:
    """Every attendee's badge in one PDF through the workflow `kiosk badges --all` runs."""
    step = max(1, store.count_registered() // 10)

    def progress(done: int, total: int, what: str) -> None:
        if done % step == 0 or done == total:
            log(f"  {done}/{total} {what}")

    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    made = render_badges(store, renderer, layout, progress=progress)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "layout": layout,
        "badges": len(made.attendees),
        "pages": made.pages,
        "seconds": round(seconds, 3),
        # The process's own CPU time: on a machine busy with other work it stays near what an
        # idle machine's seconds would be, while `seconds` grows with the load.
        "cpu_seconds": round(cpu, 3),
        "badges_per_second": round(len(made.attendees) / seconds, 1),
        "pdf_bytes": len(made.pdf),
    }


def badge_check(store: SqliteStore, renderer: PdfBadges, layout: str) -> dict[str, Any]:
    """`kiosk badges check` over every attendee."""
    start = time.perf_counter()
    check = check_badges(store, renderer, layout)
    return {
        "layout": layout,
        "checked": check.checked,
        "issues": len(check.issues),
        "seconds": round(time.perf_counter() - start, 3),
    }


# -- check-in to job accepted by CUPS ------------------------------------------------------------
# The printing work adds this: the same single check-ins, each badge then sent to a CUPS queue
# and timed until CUPS accepts the job. It returns a dict like `single_badges` (and its own
# target), which `benchmark` reports as "cups"; None until then.


def cups_jobs(store: SqliteStore, renderer: PdfBadges, layout: str) -> dict[str, Any] | None:
    del store, renderer, layout
    return None


def benchmark(args: argparse.Namespace, path: Path) -> dict[str, Any]:
    load_start = [round(load, 2) for load in os.getloadavg()]
    log(f"generating and importing {args.attendees} attendees ...")
    store, import_seconds = prepare(path, args.attendees, args.seed)
    try:
        renderer = PdfBadges()
        start = time.perf_counter()
        renderer.render(store.event(), store.attendees()[:1], args.layout)
        first_ms = (time.perf_counter() - start) * 1000  # fonts loaded, modules warmed
        log(f"{args.singles} check-ins, each to its badge's PDF ...")
        single = single_badges(store, renderer, args.layout, args.singles)
        log(f"a batch of {args.attendees} badges, {args.layout} ...")
        one_up = batch(store, renderer, args.layout)
        log(f"a batch of {args.attendees} badges, {args.sheet} ...")
        sheet = batch(store, renderer, args.sheet)
        log("the badge check ...")
        checked = badge_check(store, renderer, args.layout)
        cups = cups_jobs(store, renderer, args.layout)
    finally:
        store.close()
    one = single["checkin_to_pdf"]
    return {
        "machine": {**machine_info(path), "loadavg_start": load_start},
        "parameters": {
            "attendees": args.attendees,
            "singles": args.singles,
            "layout": args.layout,
            "sheet": args.sheet,
            "seed": args.seed,
        },
        "import_seconds": round(import_seconds, 2),
        "first_badge_ms": round(first_ms, 1),
        "single": single,
        "batch": one_up,
        "batch_sheet": sheet,
        "check": checked,
        "cups": cups,
        "targets": TARGETS,
        "targets_met": {
            "one_badge_p50_ms": one["p50_ms"] <= TARGETS["one_badge_p50_ms"],
            "one_badge_p99_ms": one["p99_ms"] <= TARGETS["one_badge_p99_ms"],
            "batch_seconds": one_up["seconds"] <= TARGETS["batch_seconds"],
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-badges-") as temp:
        results = benchmark(args, Path(temp) / "bench.sqlite3")
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
