"""Benchmark the lobby board: repaint times at 4K, and the CPU an idle board uses over a minute.

    .venv/bin/python bench/lobby_board.py                 # 60 s idle, 3840x2160, about 70 s
    .venv/bin/python bench/lobby_board.py --seconds 10    # a quick look

Runs offscreen (QT_QPA_PLATFORM=offscreen): Qt paints into its raster backing store exactly as
on a screen, but nothing is sent to a display, so a real panel adds the display's own cost
(the X server or compositor copying what changed). Progress goes to stderr; the results, as
JSON, go to stdout and to --out (default bench/results/lobby_board.json).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import ctypes
import json
import platform
import resource
import statistics
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import PySide6
from PySide6.QtCore import QEvent, QObject, QRectF, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.clock import FixedClock
from kiosk.ui.application import create_application
from kiosk.ui.lobby import LobbyWindow, SpeedClock
from kiosk.ui.lobby_screenshot import demo_source

RESULTS = Path(__file__).resolve().parent / "results" / "lobby_board.json"
TARGETS = {"idle_cpu_percent": 2.0}
PRAGUE = ZoneInfo("Europe/Prague")
# The demo day at its busiest, 30 s before a minute turns: an idle minute has one turn of the
# minute, six turns of the language and ten steps of the announcement.
START = datetime(2023, 10, 23, 11, 42, 30, tzinfo=PRAGUE)


class PaintCounter(QObject):
    """Counts paint events per widget, by object name."""

    def __init__(self, widgets: list[QWidget]) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """Count a paint event; let every event through."""
        if event.type() == QEvent.Type.Paint:
            self.counts[watched.objectName()] += 1
        return False


def none_leak_per_call() -> float:
    """References to None that one Qt call returning nothing drops (PySide6 6.12.0 on Python
    3.11 drops one each time, which aborts a long-running window).
    """
    rect = QRectF()
    before = sys.getrefcount(None)
    for _ in range(1000):
        rect.setWidth(1.0)
    return (before - sys.getrefcount(None)) / 1000


def cpu_seconds() -> float:
    """This process's user + system CPU time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def milliseconds(samples: list[float]) -> dict[str, float]:
    """Median, max and mean of `samples` (seconds) in milliseconds."""
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
        "mean_ms": round(statistics.fmean(samples) * 1000, 2),
    }


def _repaint(window: LobbyWindow) -> None:
    """Paint every panel that is shown, now."""
    for panel in window.panels():
        if not panel.isHidden():
            panel.repaint()


def time_repaints(app: QApplication, size: tuple[int, int], runs: int) -> dict[str, Any]:
    """Time a board drawn from nothing, a turn of the language once both languages have been
    drawn (what happens every ten seconds), and a turn of the minute (the rows again).
    """
    clock = FixedClock(START)
    window = LobbyWindow(demo_source(), clock, tick_ms=3_600_000, language_seconds=10**6)
    window.resize(*size)
    window.show()
    app.processEvents()
    cold, language, minute = [], [], []
    for _ in range(runs):
        for panel in window.panels():
            panel.renderings.clear()
        started = time.perf_counter()
        _repaint(window)
        cold.append(time.perf_counter() - started)
    for run in range(runs + 2):
        started = time.perf_counter()
        window.show_language(window.languages[run % 2])
        _repaint(window)
        if run >= 2:  # the first two draw each language once
            language.append(time.perf_counter() - started)
    for _ in range(runs):
        clock.advance(minutes=1)
        started = time.perf_counter()
        window.tick()
        _repaint(window)
        minute.append(time.perf_counter() - started)
    window.close()
    window.deleteLater()
    app.processEvents()
    return {
        "whole_board_from_nothing": milliseconds(cold),
        "language_turn": milliseconds(language),
        "minute_turn": milliseconds(minute),
        "runs": runs,
    }


def idle_cpu(app: QApplication, size: tuple[int, int], seconds: float) -> dict[str, Any]:
    """Run a board on the real event loop for `seconds` and measure the CPU it takes."""
    window = LobbyWindow(demo_source(), SpeedClock(START))
    window.resize(*size)
    window.show()
    app.processEvents()
    counter = PaintCounter([window, *window.panels()])
    QTimer.singleShot(round(seconds * 1000), app.quit)
    none_before = sys.getrefcount(None)
    wall, cpu, process = time.monotonic(), cpu_seconds(), time.process_time()
    app.exec()
    wall, cpu = time.monotonic() - wall, cpu_seconds() - cpu
    process = time.process_time() - process
    none_lost = none_before - sys.getrefcount(None)
    window.close()
    return {
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 4),
        "process_time_seconds": round(process, 4),
        "cpu_percent": round(100 * cpu / wall, 3),
        "paints": dict(sorted(counter.counts.items())),
        "paints_total": sum(counter.counts.values()),
        "none_refs_lost_per_minute": round(none_lost * 60 / wall),
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "qpa": os.environ.get("QT_QPA_PLATFORM", ""),
        "max_cached_glyph_size": os.environ.get("QT_MAX_CACHED_GLYPH_SIZE", ""),
        "loadavg": [round(load, 2) for load in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the results as JSON and write them to --out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="idle time measured")
    parser.add_argument("--size", default="3840x2160", help="the board's size, WxH")
    parser.add_argument("--repaints", type=int, default=20, help="timed repaints of each kind")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))
    app = create_application("en")
    leak = none_leak_per_call()
    if leak > 0.5:
        # Keep the process alive to the end of the measurement: references to None that are
        # never given back (the figure is reported as none_refs_lost_per_minute).
        reserve = (None,) * 5_000_000
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(reserve))
    print(f"repainting a {width}x{height} board {args.repaints} times...", file=sys.stderr)
    repaints = time_repaints(app, (width, height), args.repaints)
    print(f"an idle board for {args.seconds:g} s...", file=sys.stderr)
    idle = idle_cpu(app, (width, height), args.seconds)
    results = {
        "benchmark": "lobby_board",
        "machine": machine(),
        "parameters": {"size": [width, height], "seconds": args.seconds, "start": str(START)},
        "repaint": repaints,
        "idle": idle,
        "none_refs_lost_per_qt_call": leak,
        "targets": TARGETS,
        "targets_met": {"idle_cpu_percent": idle["cpu_percent"] <= TARGETS["idle_cpu_percent"]},
    }
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
