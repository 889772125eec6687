"""Benchmark the lobby's schedule: importing a large real schedule, and what is on now."""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from checkin import log, machine_info, median_max, publish, summary_ms

from kiosk.adapters.schedules import ScheduleFiles
from kiosk.adapters.storage import SqliteStore
from kiosk.adapters.storage.schedule import ScheduleStore
from kiosk.core.events import new_event
from kiosk.workflows.schedule import (
    cancel_session,
    current_schedule,
    delay_room,
    import_schedule,
    move_session,
    now_json,
    retitle_session,
    schedule_now,
)

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results" / "lobby.json"
# The real 38C3 schedule (about 1,000 events in 72 rooms) from the shared corpus: never shipped.
SCHEDULE = REPO.parent / "shared" / "corpus" / "schedules" / "38c3-schedule-20251206.xml"
TZ = ZoneInfo("Europe/Berlin")
DAYS = [date(2024, 12, 27), date(2024, 12, 28), date(2024, 12, 29), date(2024, 12, 30)]
# Our own targets (the issue names none): an import a desk can run while it serves, and a
# "now" well inside one repaint of the board.
TARGETS = {"import_seconds": 2.0, "schedule_now_p99_ms": 50.0}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schedule", type=Path, default=SCHEDULE, help="the schedule to import")
    parser.add_argument("--runs", type=int, default=5, help="imports to time (median, max)")
    parser.add_argument("--now-calls", type=int, default=300, help="schedule_now calls to time")
    parser.add_argument("--changes", type=int, default=60, help="on-site changes made first")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def new_store(folder: Path, name: str) -> SqliteStore:
    store = SqliteStore(folder / name)
    event, keys = new_event("38C3", "Europe/Berlin", DAYS)
    store.create_event(event, keys)
    return store


def time_imports(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    files = ScheduleFiles()
    parse, fresh, again = [], [], []
    report = None
    for run in range(args.runs):
        start = time.perf_counter()
        parsed = files.read(args.schedule, "Europe/Berlin")
        parse.append(time.perf_counter() - start)
        store = new_store(folder, f"import-{run}.sqlite3")
        schedules = ScheduleStore(store)
        start = time.perf_counter()
        report = import_schedule(store, schedules, files, args.schedule)
        fresh.append(time.perf_counter() - start)
        start = time.perf_counter()
        unchanged = import_schedule(store, schedules, files, args.schedule)
        again.append(time.perf_counter() - start)
        assert unchanged.unchanged == len(parsed.sessions)
        store.close()
        log(f"import {run + 1}/{args.runs}: {fresh[-1]:.3f} s, again {again[-1]:.3f} s")
    assert report is not None
    return {
        "file": args.schedule.name,
        "format": report.parsed.format,
        "events": report.parsed.events,
        "sessions": len(report.parsed.sessions),
        "rooms": len(report.parsed.rooms),
        "warnings": len(report.warnings),
        "runs": args.runs,
        "parse_seconds": median_max(parse),
        "import_seconds": median_max(fresh),
        "reimport_unchanged_seconds": median_max(again),
    }


def make_changes(
    store: SqliteStore, schedules: ScheduleStore, count: int, rng: random.Random
) -> int:
    """On-site changes as staff would make them during the event: delays, cancellations,
    moves and new titles, a quarter each.
    """
    sessions = current_schedule(schedules)
    rooms = sorted({s.room for s in sessions})
    made = 0
    for index in range(count):
        session = rng.choice(sessions)
        kind = index % 4
        if kind == 0:
            try:
                delay_room(store, schedules, session.room, rng.choice([5, 10, 15]),
                           since=session.start)  # fmt: skip
            except ValueError:
                continue
        elif kind == 1:
            cancel_session(store, schedules, session.key)
        elif kind == 2:
            move_session(store, schedules, session.key, rng.choice(rooms))
        else:
            retitle_session(store, schedules, session.key, f"{session.title} (updated)")
        made += 1
    return made


def time_now(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    rng = random.Random(args.seed)
    store = new_store(folder, "now.sqlite3")
    schedules = ScheduleStore(store)
    import_schedule(store, schedules, ScheduleFiles(), args.schedule)
    event = store.event()
    opening = datetime(2024, 12, 27, 10, 0, tzinfo=TZ)
    moments = [
        opening + timedelta(minutes=rng.randrange(0, 4 * 24 * 60 - 600))
        for _ in range(args.now_calls)
    ]

    def timed(label: str) -> dict[str, Any]:
        samples, json_samples, listed = [], [], []
        for at in moments:
            start = time.perf_counter_ns()
            board = schedule_now(store, schedules, at)
            samples.append(time.perf_counter_ns() - start)
            start = time.perf_counter_ns()
            data = now_json(event, board)
            json_samples.append(time.perf_counter_ns() - start)
            listed.append(len(data["rooms"]))
        log(f"schedule_now ({label}): {summary_ms(samples)['p50_ms']} ms p50")
        return {
            "schedule_now": summary_ms(samples),
            "now_json": summary_ms(json_samples),
            "rooms_listed_median": sorted(listed)[len(listed) // 2],
        }

    plain = timed("as imported")
    changes = make_changes(store, schedules, args.changes, rng)
    changed = timed(f"{changes} changes")
    store.close()
    return {
        "calls": args.now_calls,
        "moments": "random minutes from 27 Dec 10:00 to 30 Dec, Europe/Berlin",
        "as_imported": plain,
        "with_changes": {"changes": changes, **changed},
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.schedule.is_file():
        sys.exit(f"{args.schedule}: not found (the shared corpus is beside the clone)")
    with tempfile.TemporaryDirectory(prefix="kiosk-lobby-") as temp:
        folder = Path(temp)
        imports = time_imports(args, folder)
        now = time_now(args, folder)
        machine = machine_info(folder / "machine.sqlite3")
    measured = {
        "import_seconds": imports["import_seconds"]["median"],
        "schedule_now_p99_ms": now["with_changes"]["schedule_now"]["p99_ms"],
    }
    results = {
        "machine": machine,
        "parameters": {
            "schedule": args.schedule.name,
            "runs": args.runs,
            "now_calls": args.now_calls,
            "changes": args.changes,
            "seed": args.seed,
        },
        "import": imports,
        "now": now,
        # The lobby board's own figures, measured by the board's benchmark, go here.
        "board": {"repaint_ms": None, "idle_cpu_percent": None},
        "targets": TARGETS,
        "measured": measured,
        "targets_met": {name: measured[name] <= limit for name, limit in TARGETS.items()},
    }
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
