"""From a USB scanner's Enter to the desk's answer painted, at a large event's peak: the
`scan_to_paint` section of `bench/ui_latency.py` (`--sections scan_to_paint`).
"""

from __future__ import annotations

import gc
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

# bench/ is a folder of scripts: Python puts it first on sys.path when it runs one of them.
from checkin import (
    SCAN_START,
    STATION,
    build_database,
    generate,
    log,
    machine_info,
    rank_ns,
    top_up,
)
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtTest import QTest

from kiosk.adapters.storage import ChangeFeed
from kiosk.core.clock import FixedClock
from kiosk.ui.application import create_application
from kiosk.ui.changes import ChangeWatcher
from kiosk.ui.desk import DeskWindow
from kiosk.workflows.staff import StaffDesk

TARGET_P99_MS = 50.0
# The scans: mostly people arriving, some showing their code a second time, some strangers.
MIX = {"first": 0.8, "again": 0.1, "unknown": 0.1}


class PaintWatch(QObject):
    """Notes when a widget gets a paint event."""

    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def scan_to_paint_section(
    attendees: int = 100_000, checked_in: int = 65_000, scans: int = 500, seed: int = 1
) -> dict[str, Any]:
    """Build the event, check `checked_in` people in, then time `scans` scans on the window."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.sqlite3"
        log(f"building {attendees} attendees ...")
        store, import_s = build_database(db_path, generate(rng, attendees, set()))
        people = [a.id for a in store.attendees() if a.status.value == "active"]
        rng.shuffle(people)
        clock = FixedClock(SCAN_START)
        desk = StaffDesk(store, STATION, clock)
        already = min(checked_in, len(people) - scans)
        log(f"checking {already} in ...")
        top_up(store, desk, people, already)
        waiting = people[already:]
        plan = _plan(rng, scans, waiting, store, people[:already])
        app = create_application("en", [])
        window = DeskWindow(desk, changes=ChangeWatcher(ChangeFeed(db_path)))
        window.resize(1920, 1080)
        window.show()
        QCoreApplication.processEvents()
        watch = PaintWatch()
        window.panel.installEventFilter(watch)
        samples: dict[str, list[int]] = {kind: [] for kind in MIX}
        statuses: Counter[str] = Counter()
        gc.collect()
        for kind, code in plan:
            clock.advance(seconds=5)  # past the scanner's double-fire window
            QTest.keyClicks(window.field, code)  # the burst; timing starts at its Enter
            QCoreApplication.processEvents()
            watch.painted = False
            start = time.perf_counter_ns()
            QTest.keyClick(window.field, Qt.Key.Key_Return)
            while not watch.painted:
                QCoreApplication.processEvents()
            samples[kind].append(time.perf_counter_ns() - start)
            statuses[window.panel.card.headline] += 1
        counts = window.counts_button.text()
        window.close()
        app.processEvents()
        every = sorted(n for values in samples.values() for n in values)
        return {
            "parameters": {"attendees": attendees, "checked_in_before": already, "scans": scans,
                           "mix": MIX, "window": "1920x1080 offscreen", "seed": seed},
            "import_seconds": round(import_s, 1),
            "enter_to_painted_ms": _summary(every),
            "by_kind_ms": {kind: _summary(sorted(v)) for kind, v in samples.items() if v},
            "answers": dict(statuses),
            "counter_after": counts,
            "target_p99_ms": TARGET_P99_MS,
            "met": _summary(every)["p99"] < TARGET_P99_MS,
            "machine": machine_info(db_path),
        }  # fmt: skip


def _plan(
    rng: random.Random, scans: int, waiting: list[str], store: Any, inside: list[str]
) -> list[tuple[str, str]]:
    """(kind, code) per scan: first check-ins of people not yet in, repeats, unknown codes."""
    codes = {a.id: a.code for a in store.attendees()}
    fresh = iter(waiting)
    plan = []
    for _ in range(scans):
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "first":
            code = codes[next(fresh)]
        elif kind == "again":
            code = codes[rng.choice(inside)]
        else:
            code = f"NOBODY-{rng.randrange(10**9):09d}"
        plan.append((kind, code))
    return plan


def _summary(ordered: Sequence[int]) -> dict[str, float]:
    if not ordered:
        return {}
    return {
        "n": len(ordered),
        "p50": round(rank_ns(ordered, 0.50) / 1e6, 2),
        "p99": round(rank_ns(ordered, 0.99) / 1e6, 2),
        "max": round(ordered[-1] / 1e6, 2),
        "mean": round(statistics.fmean(ordered) / 1e6, 2),
    }
