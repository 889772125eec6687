"""Benchmark check-in beside a bare durable commit, search, counts, cold open and a CLI check-in."""

from __future__ import annotations

import argparse
import bisect
import csv
import gc
import heapq
import json
import math
import os
import platform
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.adapters.resources import resource
from kiosk.adapters.storage import SqliteStore
from kiosk.core.checkin import CheckInResult
from kiosk.core.clock import FixedClock
from kiosk.core.events import new_event
from kiosk.core.layouts import LAYOUT_NAMES, typed_on
from kiosk.core.model import Attendee, AttendeeStatus
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.text import fold, words
from kiosk.workflows.staff import StaffDesk

RESULTS = Path(__file__).resolve().parent / "results" / "checkin.json"
TARGETS = {
    "writing_checkin_p99_ratio_to_floor": 2,
    "search_p99_ms": 10,
    "open_ms": 200,
    "cli_checkin_ms": 80,
}
TZ = ZoneInfo("Europe/Prague")
DAYS = (date(2023, 10, 23), date(2023, 10, 24))
SCAN_DAY = DAYS[0]
SCAN_START = datetime(SCAN_DAY.year, SCAN_DAY.month, SCAN_DAY.day, 9, 0, tzinfo=TZ)
STATION = "Desk A"
SCAN_STEP = timedelta(seconds=0.5)
# A repeat must come more than three seconds after the first scan, or the desk takes it for a
# scanner's double fire: eight scans at half a second apart is four seconds.
REPEAT_GAP = 8
# pretix's ticket secrets: 32 characters without the look-alikes 0, 1, i, l, o.
PRETIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PRETIX_LENGTH = 32
NUMERIC_LENGTH = 12
NUMERIC_SHARE = 0.1
MIX = {"first": 0.50, "repeat": 0.20, "unknown": 0.15, "layout": 0.15}
EXPECTED = {"first": "ok", "repeat": "already", "unknown": "unknown", "layout": "ok"}
# Scans that commit a journal entry, and scans that only read (an `already` records nothing).
WRITING = ("first", "layout")
READ_ONLY = ("repeat", "unknown")
PERCENTILES = {"p50": 0.50, "p90": 0.90, "p99": 0.99}
CATEGORIES = {"Participant": 85, "Speaker": 6, "Exhibitor": 4, "Press": 3, "Organiser": 2}
# Surname endings that mark a woman's name, so generated first and last names agree.
FEMININE_ENDINGS = {"CZ": ("á",), "SK": ("á",), "PL": ("a",), "LT": ("ė",), "LV": ("a",)}
# The issue quotes the desk's counts at 65,000 checked in: the peak of a large event's day.
CHECKED_IN_TARGET = 65_000
# Extra check-ins for the larger count go in batches, one commit each: one fsync per person
# would take minutes on a real disk and tell the counts nothing.
TOP_UP_BATCH = 1000
COUNT_RUNS = 3
COLD_OPEN_RUNS = 5
CLI_AT = f"{SCAN_DAY.isoformat()}T10:00"
# The floor's row: about as small as a journal entry's columns without the JSON.
FLOOR_ROW = (STATION, SCAN_START.isoformat())
IMPORT_TOP = 10
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S.*)$")
# argv: the database.
COLD_OPEN_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from kiosk.adapters.storage import SqliteStore
from kiosk.workflows.staff import StaffDesk
t1 = time.perf_counter()
store = SqliteStore(sys.argv[1])
t2 = time.perf_counter()
store.event()
t3 = time.perf_counter()
StaffDesk(store, "bench").search("no")
t4 = time.perf_counter()
store.close()
ms = lambda a, b: round((b - a) * 1000, 3)
print(json.dumps({"import_ms": ms(t0, t1), "open_ms": ms(t1, t4), "connect_ms": ms(t1, t2),
                  "event_ms": ms(t2, t3), "search_ms": ms(t3, t4)}))
"""


@dataclass(frozen=True)
class Scan:
    """One planned scan: what the scanner sends, and what the desk should answer."""

    kind: str
    text: str
    attendee_id: str | None = None
    layout: str | None = None


@dataclass(frozen=True)
class NamePools:
    """Names and organisations from the demo data, grouped by country and grammatical gender."""

    groups: list[tuple[str, str]]
    first: dict[tuple[str, str], list[str]]
    last: dict[tuple[str, str], list[str]]
    organisations: dict[str, list[tuple[str, str]]]


class DurableFloor:
    """A bare durable SQLite commit: its own file, WAL, synchronous=FULL, and one small row per
    BEGIN IMMEDIATE ... COMMIT. A check-in cannot commit faster on the same disk, so timing one
    before each check-in shows what the check-in adds and what the disk and the machine cost.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        (mode,) = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if mode != "wal":
            raise RuntimeError(f"{path}: could not switch to WAL (got {mode!r})")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute(
            "CREATE TABLE floor (seq INTEGER PRIMARY KEY, station TEXT NOT NULL, at TEXT NOT NULL)"
        )

    def commit(self) -> None:
        """Durably store one row in its own transaction."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO floor (station, at) VALUES (?, ?)", FLOOR_ROW)
        self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close and delete the file: it is a probe, not part of the benchmark database."""
        self.conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=10_000, help="check-in scans per run")
    parser.add_argument("--runs", type=int, default=3, help="check-in runs, each on new people")
    parser.add_argument("--prefixes", type=int, default=1000)
    parser.add_argument(
        "--checked-in",
        type=int,
        default=CHECKED_IN_TARGET,
        help="time the desk's counts again with this many checked in (0: skip)",
    )
    parser.add_argument("--cli-runs", type=int, default=10, help="CLI check-ins to time (0: skip)")
    parser.add_argument("--db", type=Path, help="database file to create (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.scans < 1 or args.cli_runs < 0 or args.checked_in < 0:
        parser.error(
            "--runs and --scans must be positive, --cli-runs and --checked-in not negative"
        )
    # The runs follow each other on the scan day; past midnight the scans would be for the
    # next day, where one-day tickets are not valid.
    last_scan = SCAN_START + args.runs * args.scans * SCAN_STEP
    if last_scan.date() != SCAN_DAY:
        parser.error("--runs x --scans does not fit in the scan day at two scans a second")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- figures ----------------------------------------------------------------------------------


def rank_ns(ordered: Sequence[int], quantile: float) -> int:
    """The nearest-rank percentile of sorted samples."""
    return ordered[min(len(ordered) - 1, max(0, math.ceil(quantile * len(ordered)) - 1))]


def summary_ms(samples_ns: Sequence[int], floor_ns: Sequence[int] = ()) -> dict[str, Any]:
    """Count, p50, p90, p99, max and mean of nanosecond samples, in milliseconds; with a floor,
    also each percentile divided by the floor's same percentile (from the unrounded times).
    """
    if not samples_ns:
        return {"count": 0}
    ordered = sorted(samples_ns)
    figures: dict[str, Any] = {"count": len(ordered)}
    for name, quantile in PERCENTILES.items():
        figures[f"{name}_ms"] = round(rank_ns(ordered, quantile) / 1e6, 3)
    figures["max_ms"] = round(ordered[-1] / 1e6, 3)
    figures["mean_ms"] = round(statistics.fmean(ordered) / 1e6, 3)
    if floor_ns:
        floor = sorted(floor_ns)
        for name, quantile in PERCENTILES.items():
            ratio = rank_ns(ordered, quantile) / max(1, rank_ns(floor, quantile))
            figures[f"{name}_ratio_to_floor"] = round(ratio, 2)
    return figures


def median_of(reports: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The median of each figure across runs' reports of the same shape (nested dicts too)."""
    merged: dict[str, Any] = {}
    for key, first in reports[0].items():
        values = [report[key] for report in reports if key in report]
        if isinstance(first, Mapping):
            merged[key] = median_of(values)
        elif isinstance(first, int | float) and not isinstance(first, bool):
            middle = statistics.median(values)
            merged[key] = middle if isinstance(middle, int) else round(middle, 3)
    return merged


def timed_ns(call: Callable[[], Any]) -> tuple[Any, int]:
    start = time.perf_counter_ns()
    result = call()
    return result, time.perf_counter_ns() - start


def median_max(values: Sequence[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "max": round(max(values), 3)}


# -- machine ----------------------------------------------------------------------------------


def filesystem_of(path: Path) -> str:
    """The type of the file system holding `path` (Linux only; else "unknown")."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return "unknown"
    resolved, best, kind = str(path.resolve()), "", "unknown"
    for line in mounts:
        _, mount_point, fs_type, *_ = line.split()
        inside = resolved == mount_point or resolved.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, kind = mount_point, fs_type
    return kind


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_info(db_path: Path) -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "db_filesystem": filesystem_of(db_path.parent),
        "fsync_p50_ms": fsync_p50_ms(db_path.parent),
        "loadavg_end": [round(load, 2) for load in os.getloadavg()],
    }


def fsync_p50_ms(folder: Path, rounds: int = 200) -> float:
    """Median time of one 4 KiB write + fsync in `folder`: what a durable commit cannot beat.

    A figure far below a millisecond means the disk (or the VM) does not really flush, and the
    check-in figures are then better than real hardware will give.
    """
    samples = []
    fd, name = tempfile.mkstemp(dir=folder)
    try:
        for _ in range(rounds):
            start = time.perf_counter_ns()
            os.write(fd, b"x" * 4096)
            os.fsync(fd)
            samples.append(time.perf_counter_ns() - start)
    finally:
        os.close(fd)
        os.unlink(name)
    return round(statistics.median(samples) / 1e6, 3)


# -- generated attendees -------------------------------------------------------------------------


def name_group(country: str, last_name: str) -> tuple[str, str]:
    """(country, "f"/"m"/"") so that a Czech "Tereza" only ever gets a "-ová" surname."""
    endings = FEMININE_ENDINGS.get(country)
    if endings is None:
        return country, ""
    return country, "f" if last_name.endswith(endings) else "m"


def load_name_pools() -> NamePools:
    """First names, surnames and organisations of the demo attendees, by country and gender."""
    first: dict[tuple[str, str], list[str]] = defaultdict(list)
    last: dict[tuple[str, str], list[str]] = defaultdict(list)
    organisations: dict[str, list[tuple[str, str]]] = defaultdict(list)
    groups: list[tuple[str, str]] = []
    with resource("demo", "attendees.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            country = row["country"] or "CZ"
            group = name_group(country, row["last_name"])
            groups.append(group)
            first[group].append(row["first_name"])
            last[group].append(row["last_name"])
            domain = row["email"].rsplit("@", 1)[1].lower()
            organisations[country].append((row["organisation"], domain))
    return NamePools(groups, dict(first), dict(last), dict(organisations))


def new_code(rng: random.Random, numeric: bool) -> str:
    """A pretix-style 32-character secret, or a 12-digit barcode (often with leading zeros)."""
    if numeric:
        digits = NUMERIC_LENGTH - 1 if rng.random() < 0.5 else NUMERIC_LENGTH
        return f"{rng.randrange(10**digits):0{NUMERIC_LENGTH}d}"
    return "".join(rng.choices(PRETIX_ALPHABET, k=PRETIX_LENGTH))


def unique_codes(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """`count` new codes, none in `taken` (which they are added to)."""
    codes: list[str] = []
    while len(codes) < count:
        code = new_code(rng, rng.random() < NUMERIC_SHARE)
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def ticket_days(rng: random.Random) -> tuple[date, ...]:
    """Most tickets are for the whole event; some for one day only."""
    draw = rng.random()
    if draw < 0.75:
        return ()
    if draw < 0.90:
        return (DAYS[0],)
    if draw < 0.95:
        return DAYS
    return (DAYS[1],)


def registration(rng: random.Random, pools: NamePools, row: int, code: str) -> Registration:
    group = rng.choice(pools.groups)
    first, last = rng.choice(pools.first[group]), rng.choice(pools.last[group])
    organisation, domain = rng.choice(pools.organisations[group[0]])
    local = ".".join(("".join(words(first)), "".join(words(last))))
    return Registration(
        row=row,
        code=code,
        first_name=first,
        last_name=last,
        organisation=f"{organisation} {rng.randint(1, 400)}" if organisation else "",
        country=group[0],
        email=f"{local}{row}@{domain}",
        category=rng.choices(list(CATEGORIES), weights=list(CATEGORIES.values()))[0],
        status=AttendeeStatus.CANCELLED if rng.random() < 0.01 else AttendeeStatus.ACTIVE,
        days=ticket_days(rng),
    )


def generate(rng: random.Random, count: int, taken: set[str]) -> list[Registration]:
    pools = load_name_pools()
    codes = unique_codes(rng, count, taken)
    return [registration(rng, pools, row, code) for row, code in enumerate(codes, start=2)]


def build_database(path: Path, registrations: list[Registration]) -> tuple[SqliteStore, float]:
    """A new database with the event and `registrations`; returns it and the import's seconds.

    Its store is the desk's (`open_kiosk(..., screen=True)` opens it so): checkpoints on a
    thread of their own besides SQLite's (bench/README.md). The desk's process tuning
    (`tune_screen_process`: the GIL's switch interval, malloc arenas) is left out: it is for
    a GUI thread beside busy workers, and one thread checks in here. The floor keeps SQLite's
    default alone, a checkpoint in the commit every 1,000 pages: about one commit in 500 of
    its own.
    """
    store = SqliteStore(path, background_checkpoints=True)
    event, keys = new_event("Bench Summit", "Europe/Prague", DAYS, venue="Praha", locale="cs")
    store.create_event(event, keys)
    store.add_station(STATION)
    start = time.perf_counter()
    store.apply_import(plan_import(store.registered(), registrations))
    return store, time.perf_counter() - start


# -- check-in ------------------------------------------------------------------------------------
# -- check-in ------------------------------------------------------------------------------------


def scan_kinds(rng: random.Random, count: int) -> list[str]:
    """The kind of each scan, in the mix asked for; the first scans are all first check-ins, so
    every repeat has an earlier check-in more than three seconds before it.
    """
    sizes = {kind: round(share * count) for kind, share in MIX.items()}
    sizes["first"] = count - sum(size for kind, size in sizes.items() if kind != "first")
    warmup = min(REPEAT_GAP * 2, sizes["first"])
    rest = [kind for kind, size in sizes.items() for _ in range(size)]
    for _ in range(warmup):
        rest.remove("first")
    rng.shuffle(rest)
    return ["first"] * warmup + rest


def mangle(rng: random.Random, code: str) -> tuple[str, str] | None:
    """(layout, what arrives) for a layout that changes `code`, or None if none does."""
    for layout in rng.sample(LAYOUT_NAMES, len(LAYOUT_NAMES)):
        typed = typed_on(layout, code)
        if typed != code:
            return layout, typed
    return None


def plan_scans(
    rng: random.Random, fresh: Iterator[Attendee], count: int, taken: set[str]
) -> list[Scan]:
    """`count` scans in the mix of `MIX`; first and layout scans each take a `fresh` attendee."""
    kinds = scan_kinds(rng, count)
    unknown = iter(unique_codes(rng, kinds.count("unknown"), taken))
    admitted_at: list[int] = []
    admitted: list[str] = []
    scans: list[Scan] = []
    for index, kind in enumerate(kinds):
        if kind == "repeat":
            eligible = bisect.bisect_right(admitted_at, index - REPEAT_GAP)
            scans.append(Scan(kind, admitted[rng.randrange(eligible)]))
            continue
        if kind == "unknown":
            scans.append(Scan(kind, next(unknown)))
            continue
        attendee, scan = layout_scan(rng, fresh) if kind == "layout" else first_scan(fresh)
        scans.append(scan)
        admitted_at.append(index)
        admitted.append(attendee.code)
    return scans


def first_scan(fresh: Iterator[Attendee]) -> tuple[Attendee, Scan]:
    attendee = next(fresh)
    return attendee, Scan("first", attendee.code, attendee.id)


def layout_scan(rng: random.Random, fresh: Iterator[Attendee]) -> tuple[Attendee, Scan]:
    """The next attendee whose code some keyboard layout mangles, scanned on that layout."""
    for attendee in fresh:
        mangled = mangle(rng, attendee.code)
        if mangled is not None:
            return attendee, Scan("layout", mangled[1], attendee.id, mangled[0])
    raise ValueError("no attendee left to scan")


def admissible_on(attendees: list[Attendee], day: date) -> list[Attendee]:
    return [a for a in attendees if a.status is AttendeeStatus.ACTIVE and a.valid_on(day)]


def scan_budget(requested: int, admissible: int) -> int:
    """The scans that fit: first and layout scans (65 %) each need an attendee not yet in."""
    fits = math.floor(admissible / (MIX["first"] + MIX["layout"])) - 1
    return min(requested, fits)


def cli_codes_needed(cli_runs: int) -> int:
    """The timed CLI check-ins, one to warm the bytecode cache and one under -X importtime."""
    return cli_runs + 2 if cli_runs else 0


@dataclass(frozen=True)
class Plan:
    """Who gets scanned in each run, whose codes the CLI checks in, and who is left over (by id:
    the garbage collector walks every live Attendee during the timed phases, strings it skips).
    """

    runs: list[list[Scan]]
    cli_codes: list[str]
    spare: list[str]


def plan_runs(
    rng: random.Random, admissible: list[Attendee], args: argparse.Namespace, taken: set[str]
) -> Plan:
    """Scans for each run, every run with its own attendees, so each has first check-ins."""
    fresh = iter(rng.sample(admissible, len(admissible)))
    cli_codes = [next(fresh).code for _ in range(cli_codes_needed(args.cli_runs))]
    per_run = scan_budget(args.scans, (len(admissible) - len(cli_codes)) // args.runs)
    runs = [plan_scans(rng, fresh, per_run, taken) for _ in range(args.runs)]
    return Plan(runs, cli_codes, [attendee.id for attendee in fresh])


@dataclass
class CheckInTally:
    """What one run's scans got: time per kind beside the floor, statuses, surprises, layouts."""

    samples: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    floor: list[int] = field(default_factory=list)
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    timings: list[tuple[int, int, str, int]] = field(default_factory=list)
    unexpected: list[dict[str, Any]] = field(default_factory=list)
    layouts: Counter[str] = field(default_factory=Counter)
    resolved: Counter[str] = field(default_factory=Counter)

    def add(self, index: int, scan: Scan, result: CheckInResult, elapsed: int, floor: int) -> None:
        status = str(result.status)
        self.samples[scan.kind].append(elapsed)
        self.floor.append(floor)
        self.timings.append((elapsed, index, scan.kind, floor))
        self.statuses[scan.kind][status] += 1
        if status != EXPECTED[scan.kind]:
            self.unexpected.append({"index": index, "kind": scan.kind, "status": status})
        if scan.layout is not None:
            self.layouts[scan.layout] += 1
            found = result.attendee.id if result.attendee else None
            self.resolved[scan.layout] += found == scan.attendee_id

    def of(self, kinds: Sequence[str]) -> list[int]:
        return [ns for kind in kinds for ns in self.samples[kind]]

    def figures(self) -> dict[str, Any]:
        """The run's floor, and its scans (writing, read-only, all, by kind) beside it."""
        return {
            "floor": summary_ms(self.floor),
            "writing": summary_ms(self.of(WRITING), self.floor),
            "read_only": summary_ms(self.of(READ_ONLY), self.floor),
            "overall": summary_ms(self.of(tuple(MIX)), self.floor),
            "by_kind": {kind: summary_ms(self.samples[kind], self.floor) for kind in MIX},
        }


def run_checkins(
    desk: StaffDesk, floor: DurableFloor, scans: list[Scan], start: datetime
) -> CheckInTally:
    """Every scan through `StaffDesk.check_in`, 0.5 s apart from `start`, each right after a floor
    commit, so that both see the same disk and machine at the same moment.
    """
    tally = CheckInTally()
    for index, scan in enumerate(scans):
        _, floor_ns = timed_ns(floor.commit)
        result, elapsed = timed_ns(partial(desk.check_in, scan.text, at=start + index * SCAN_STEP))
        tally.add(index, scan, result, elapsed, floor_ns)
    return tally


def checkin_report(tallies: list[CheckInTally]) -> dict[str, Any]:
    """The median of each figure across runs, what every scan got in all runs, and each run."""
    per_run = [tally.figures() for tally in tallies]
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    layouts: Counter[str] = Counter()
    resolved: Counter[str] = Counter()
    for tally in tallies:
        for kind, counts in tally.statuses.items():
            statuses[kind].update(counts)
        layouts.update(tally.layouts)
        resolved.update(tally.resolved)
    slowest = heapq.nlargest(
        5, ((t[0], run, *t[1:]) for run, tally in enumerate(tallies) for t in tally.timings)
    )
    unexpected = [{"run": run, **u} for run, tally in enumerate(tallies) for u in tally.unexpected]
    return {
        "runs": len(tallies),
        **median_of(per_run),
        "slowest": [
            {
                "run": run,
                "index": index,
                "kind": kind,
                "ms": round(ns / 1e6, 3),
                "floor_ms": round(floor / 1e6, 3),
            }
            for ns, run, index, kind, floor in slowest
        ],
        "statuses": {kind: dict(statuses[kind]) for kind in MIX},
        "expected": EXPECTED,
        "unexpected": len(unexpected),
        "unexpected_examples": unexpected[:5],
        "layout_resolved": sum(resolved.values()),
        "layout_total": sum(layouts.values()),
        "layout_by_name": {
            name: {"resolved": resolved[name], "total": layouts[name]} for name in sorted(layouts)
        },
        "per_run": per_run,
    }


def run_start(run: int, scans_per_run: int) -> datetime:
    """Runs follow each other on the scan day, from 09:00, two scans a second."""
    return SCAN_START + run * scans_per_run * SCAN_STEP


# -- search ----------------------------------------------------------------------------------


def prefix_of(rng: random.Random, attendee: Attendee) -> str:
    """2-4 letters of a surname (or first name), lower case, with or without diacritics."""
    name = attendee.last_name if rng.random() < 0.7 else attendee.first_name
    word = "".join(char for char in name.split()[0] if char.isalpha())
    prefix = word[: rng.randint(2, 4)].lower()
    # Folding can lengthen a prefix ("weiß" -> "weiss"); keep it as many letters as typed.
    return fold(prefix)[: len(prefix)] if rng.random() < 0.5 else prefix


def pick_prefixes(rng: random.Random, attendees: list[Attendee], count: int) -> list[str]:
    prefixes: list[str] = []
    while len(prefixes) < count:
        prefix = prefix_of(rng, rng.choice(attendees))
        if len(prefix) >= 2:
            prefixes.append(prefix)
    return prefixes


def run_searches(desk: StaffDesk, prefixes: list[str]) -> dict[str, Any]:
    samples: list[int] = []
    by_length: dict[int, list[int]] = defaultdict(list)
    sizes: list[int] = []
    for prefix in prefixes:
        found, elapsed = timed_ns(partial(desk.search, prefix))
        samples.append(elapsed)
        by_length[len(prefix)].append(elapsed)
        sizes.append(len(found))
    return {
        "overall": summary_ms(samples),
        "by_prefix_length": {str(n): summary_ms(by_length[n]) for n in sorted(by_length)},
        "distinct_prefixes": len(set(prefixes)),
        "with_diacritics": sum(prefix != fold(prefix) for prefix in prefixes),
        "empty_results": sizes.count(0),
        "full_pages": sizes.count(50),
        "examples": prefixes[:12],
    }


# -- desk counts -------------------------------------------------------------------------------


def time_counts(desk: StaffDesk, runs: int = COUNT_RUNS) -> dict[str, Any]:
    """`StaffDesk.today_counts()`, which the desk window calls after every check-in to refresh its
    counts, and `StaffDesk.stats()`, the full figures behind `kiosk stats`; with how many are in.
    """

    def median_ms(call: Callable[[], object]) -> float:
        return round(statistics.median(timed_ns(call)[1] / 1e6 for _ in range(runs)), 2)

    checked_in, registered = desk.today_counts()
    return {
        "checked_in": checked_in,
        "registered": registered,
        "today_counts_ms": median_ms(desk.today_counts),
        "stats_ms": median_ms(desk.stats),
    }


def top_up(store: SqliteStore, desk: StaffDesk, spare: list[str], count: int) -> dict[str, Any]:
    """Check in `count` more attendees through the desk, a batch per transaction."""
    statuses: Counter[str] = Counter()
    start = time.perf_counter()
    for first in range(0, count, TOP_UP_BATCH):
        with store.transaction():
            for attendee_id in spare[first : min(first + TOP_UP_BATCH, count)]:
                statuses[str(desk.check_in_attendee(attendee_id).status)] += 1
    return {
        "added": count,
        "statuses": dict(statuses),
        "seconds": round(time.perf_counter() - start, 2),
    }


def desk_counts(
    store: SqliteStore, desk: StaffDesk, spare: list[str], target: int
) -> dict[str, Any]:
    """The counts on the scan day after the check-ins, then again with `target` checked in."""
    figures: dict[str, Any] = {"runs": COUNT_RUNS, "day": SCAN_DAY.isoformat()}
    figures.update(time_counts(desk))
    more = min(target - figures["checked_in"], len(spare))
    if target and more > 0:
        log(f"checking in {more} more for the counts ...")
        added = top_up(store, desk, spare, more)
        gc.collect()
        figures["larger"] = {**time_counts(desk), "top_up": added}
    return figures


# -- child processes: cold open and the CLI ---------------------------------------------------


@dataclass(frozen=True)
class Children:
    """How the timed Python processes run: from a folder of their own, so they import kiosk
    from this environment as the benchmark does (not from whatever folder it was started in),
    and with bytecode cached in that folder.

    An installed kiosk (a wheel, the one-folder app) starts from compiled bytecode; a shell with
    PYTHONDONTWRITEBYTECODE would make every start compile kiosk's modules again, which is a
    cost of that shell, not of kiosk. The prefix keeps the cache out of the source tree.
    """

    cwd: Path
    env: dict[str, str]

    @classmethod
    def in_folder(cls, folder: Path) -> Children:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        return cls(folder, env)

    def run(self, command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command, capture_output=True, text=True, check=True, cwd=self.cwd, env=self.env
        )


def cold_open(path: Path, runs: int, children: Children) -> dict[str, Any]:
    """Open the file, read the event and search once, each time in a new Python process."""
    command = [
        sys.executable,
        "-c",
        COLD_OPEN_CHILD,
        str(path),
        StaffDesk.__module__,
        StaffDesk.__name__,
    ]
    children.run(command)  # fills the bytecode cache; not timed
    results = [json.loads(children.run(command).stdout) for _ in range(runs)]
    figures: dict[str, Any] = {"runs": runs}
    for key in results[0]:
        figures[key] = median_max([result[key] for result in results])
    return figures


def cli_command() -> list[str]:
    """The `kiosk` script of this environment (what staff run), else `python -m kiosk`."""
    script = Path(sys.executable).with_name("kiosk")
    return [sys.executable, str(script)] if script.is_file() else [sys.executable, "-m", "kiosk"]


def cli_checkin_args(path: Path, code: str) -> list[str]:
    return ["--db", str(path), "checkin", code, "--at", CLI_AT, "--json"]


def cli_checkins(path: Path, codes: list[str], children: Children) -> dict[str, Any]:
    """Whole-process time of `kiosk checkin CODE` on people not yet in, each right after a bare
    `python -c pass`, so both see the same machine; the first check-in warms the cache.
    """
    command = cli_command()
    bare = [sys.executable, "-c", "pass"]
    children.run([*command, *cli_checkin_args(path, codes[0])])
    cli_ms: list[float] = []
    bare_ms: list[float] = []
    statuses: Counter[str] = Counter()
    for code in codes[1:]:
        bare_ms.append(timed_ns(partial(children.run, bare))[1] / 1e6)
        done, elapsed = timed_ns(partial(children.run, [*command, *cli_checkin_args(path, code)]))
        cli_ms.append(elapsed / 1e6)
        statuses[json.loads(done.stdout)["status"]] += 1
    shown = "python -m kiosk" if command[1:] == ["-m", "kiosk"] else "kiosk"
    return {
        "command": f"{shown} {' '.join(cli_checkin_args(Path('DB'), 'CODE'))}",
        "runs": len(cli_ms),
        "statuses": dict(statuses),
        "checkin_ms": median_max(cli_ms),
        "bare_python_ms": median_max(bare_ms),
        "ratio_to_bare_python": round(statistics.median(cli_ms) / statistics.median(bare_ms), 2),
    }


def cli_imports(path: Path, code: str, children: Children) -> dict[str, Any]:
    """One CLI check-in under `-X importtime`: its costliest imports, nested ones included."""
    command = [
        sys.executable,
        "-X",
        "importtime",
        *cli_command()[1:],
        *cli_checkin_args(path, code),
    ]
    lines = children.run(command).stderr.splitlines()
    found = [match for line in lines if (match := IMPORT_LINE.match(line))]
    imports = [
        {
            "module": match[4],
            "cumulative_ms": round(int(match[2]) / 1000, 1),
            "self_ms": round(int(match[1]) / 1000, 1),
            "depth": len(match[3]) // 2,
        }
        for match in found
    ]
    imports.sort(key=lambda row: row["cumulative_ms"], reverse=True)
    return {
        "total_ms": round(sum(int(match[1]) for match in found) / 1000, 1),
        "top": imports[:IMPORT_TOP],
    }


# -- main ------------------------------------------------------------------------------------


def targets_met(
    checkin: dict[str, Any],
    search: dict[str, Any],
    opened: dict[str, Any],
    cli: dict[str, Any] | None,
) -> dict[str, bool | None]:
    """Each target against its measured figure; None when the figure was not measured."""
    measured = {
        "writing_checkin_p99_ratio_to_floor": checkin["writing"].get("p99_ratio_to_floor"),
        "search_p99_ms": search["overall"].get("p99_ms"),
        "open_ms": opened["open_ms"]["median"],
        "cli_checkin_ms": cli["checkin_ms"]["median"] if cli else None,
    }
    return {
        name: None if measured[name] is None else measured[name] <= TARGETS[name]
        for name in TARGETS
    }


@dataclass(frozen=True)
class Workload:
    """The database, with what the timed phases will send to it."""

    store: SqliteStore
    generate_seconds: float
    import_seconds: float
    admissible: int
    plan: Plan
    prefixes: list[str]


def prepare(args: argparse.Namespace, path: Path) -> Workload:
    """Generate and import the attendees, then plan the scans and the prefixes to type.

    Only the plan is kept: the generated records would otherwise stay alive, and every full
    garbage collection during the timed phases would walk them (about 100 ms at 100,000).
    """
    rng = random.Random(args.seed)
    taken: set[str] = set()
    log(f"generating {args.attendees} attendees ...")
    start = time.perf_counter()
    registrations = generate(rng, args.attendees, taken)
    generate_seconds = time.perf_counter() - start
    log(f"importing into {path} ...")
    store, import_seconds = build_database(path, registrations)
    attendees = store.attendees()
    admissible = admissible_on(attendees, SCAN_DAY)
    plan = plan_runs(rng, admissible, args, taken)
    # A stream of its own, so the prefixes stay the same whatever the scans and runs asked.
    prefixes = pick_prefixes(random.Random(f"{args.seed}-prefixes"), attendees, args.prefixes)
    return Workload(store, generate_seconds, import_seconds, len(admissible), plan, prefixes)


def parameters(args: argparse.Namespace, path: Path, work: Workload) -> dict[str, Any]:
    return {
        "attendees": args.attendees,
        "admissible_on_scan_day": work.admissible,
        "runs": args.runs,
        "scans_requested": args.scans,
        "scans": len(work.plan.runs[0]),
        "prefixes": args.prefixes,
        "checked_in_target": args.checked_in,
        "cli_runs": args.cli_runs,
        "seed": args.seed,
        "db": str(path) if args.db else "temporary file",
        "db_megabytes": round(path.stat().st_size / 1e6, 1),
        "child_bytecode": "cached (PYTHONPYCACHEPREFIX in the work folder, warmed first)",
    }


def checkin_runs(work: Workload, desk: StaffDesk, floor: DurableFloor) -> dict[str, Any]:
    tallies: list[CheckInTally] = []
    for run, scans in enumerate(work.plan.runs):
        gc.collect()
        log(f"run {run + 1}/{len(work.plan.runs)}: {len(scans)} check-ins beside the floor ...")
        tallies.append(run_checkins(desk, floor, scans, run_start(run, len(scans))))
    return checkin_report(tallies)


def benchmark(args: argparse.Namespace, path: Path, work_dir: Path) -> dict[str, Any]:
    load_start = [round(load, 2) for load in os.getloadavg()]
    work = prepare(args, path)
    runs = work.plan.runs
    clock = FixedClock(run_start(len(runs), len(runs[0])))  # just after the last scan
    desk = StaffDesk(work.store, STATION, clock)
    floor = DurableFloor(path.with_name(f"{path.stem}-floor{path.suffix}"))
    try:
        checkin = checkin_runs(work, desk, floor)
    finally:
        floor.close()
    gc.collect()
    log(f"{len(work.prefixes)} searches ...")
    search = run_searches(desk, work.prefixes)
    log("desk counts on the scan day ...")
    stats = desk_counts(work.store, desk, work.plan.spare, args.checked_in)
    work.store.close()
    children = Children.in_folder(work_dir)
    log(f"{COLD_OPEN_RUNS} cold opens ...")
    opened = cold_open(path, COLD_OPEN_RUNS, children)
    cli: dict[str, Any] | None = None
    imports: dict[str, Any] = {}
    if work.plan.cli_codes:
        log(f"{args.cli_runs} CLI check-ins beside a bare Python start ...")
        cli = cli_checkins(path, work.plan.cli_codes[:-1], children)
        imports = cli_imports(path, work.plan.cli_codes[-1], children)
    return {
        "machine": {**machine_info(path), "loadavg_start": load_start},
        "parameters": parameters(args, path, work),
        "generate_seconds": round(work.generate_seconds, 2),
        "import_seconds": round(work.import_seconds, 2),
        "checkin": checkin,
        "search": search,
        "desk_stats": stats,
        "cold_open": opened,
        "cli_checkin": cli,
        "cli_imports_total_ms": imports.get("total_ms"),
        "cli_imports_top": imports.get("top", []),
        "targets": TARGETS,
        "targets_met": targets_met(checkin, search, opened, cli),
    }


def publish(results: dict[str, Any], out: Path) -> None:
    """The figures as JSON: written to `out` and printed on stdout (every bench script)."""
    text = json.dumps(results, indent=2, ensure_ascii=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    print(text)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as temp:
        path = args.db or Path(temp) / "bench.sqlite3"
        if path.exists():
            sys.exit(f"{path} exists; give --db a new file")
        results = benchmark(args, path, Path(temp))
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
