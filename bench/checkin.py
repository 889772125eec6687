"""Benchmark check-in, search-as-you-type and cold open on a large generated event database."""

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
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.adapters.resources import resource
from kiosk.adapters.storage import SqliteStore
from kiosk.core.checkin import CheckInResult
from kiosk.core.desk import Desk
from kiosk.core.events import new_event
from kiosk.core.layouts import LAYOUT_NAMES, typed_on
from kiosk.core.model import Attendee, AttendeeStatus
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.text import fold, words

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results" / "checkin.json"
TARGETS = {"checkin_p99_ms": 5, "search_p99_ms": 10, "open_ms": 200}
TZ = ZoneInfo("Europe/Prague")
DAYS = (date(2023, 10, 23), date(2023, 10, 24))
SCAN_DAY = DAYS[0]
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
CATEGORIES = {"Participant": 85, "Speaker": 6, "Exhibitor": 4, "Press": 3, "Organiser": 2}
# Surname endings that mark a woman's name, so generated first and last names agree.
FEMININE_ENDINGS = {"CZ": ("á",), "SK": ("á",), "PL": ("a",), "LT": ("ė",), "LV": ("a",)}
COLD_OPEN_RUNS = 5
COLD_OPEN_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from kiosk.adapters.storage import SqliteStore
from kiosk.core.desk import Desk
t1 = time.perf_counter()
store = SqliteStore(sys.argv[1])
t2 = time.perf_counter()
store.event()
t3 = time.perf_counter()
Desk(store, "bench").search("no")
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


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attendees", type=int, default=100_000)
    parser.add_argument("--scans", type=int, default=10_000)
    parser.add_argument("--prefixes", type=int, default=1000)
    parser.add_argument("--db", type=Path, help="database file to create (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- figures ----------------------------------------------------------------------------------


def summary_ms(samples_ns: Sequence[int]) -> dict[str, Any]:
    """Count, p50, p90, p99, max and mean of nanosecond samples, in milliseconds."""
    if not samples_ns:
        return {"count": 0}
    ordered = sorted(samples_ns)

    def rank(quantile: float) -> float:
        index = min(len(ordered) - 1, max(0, math.ceil(quantile * len(ordered)) - 1))
        return round(ordered[index] / 1e6, 3)

    return {
        "count": len(ordered),
        "p50_ms": rank(0.50),
        "p90_ms": rank(0.90),
        "p99_ms": rank(0.99),
        "max_ms": round(ordered[-1] / 1e6, 3),
        "mean_ms": round(statistics.fmean(ordered) / 1e6, 3),
    }


def timed_ns(call: Callable[[], Any]) -> tuple[Any, int]:
    start = time.perf_counter_ns()
    result = call()
    return result, time.perf_counter_ns() - start


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
    """A new database with the event and `registrations`; returns it and the import's seconds."""
    store = SqliteStore(path)
    event, keys = new_event("Bench Summit", "Europe/Prague", DAYS, venue="Praha", locale="cs")
    store.create_event(event, keys)
    store.add_station(STATION)
    start = time.perf_counter()
    store.apply_import(plan_import(store.registered(), registrations))
    return store, time.perf_counter() - start


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
    rng: random.Random, admissible: list[Attendee], count: int, taken: set[str]
) -> list[Scan]:
    """`count` scans in the mix of `MIX`; first and layout scans each use a new attendee."""
    kinds = scan_kinds(rng, count)
    fresh = iter(rng.sample(admissible, len(admissible)))
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


@dataclass
class CheckInTally:
    """What the scans got: time per kind, status counts, surprises, and layout fixes."""

    samples: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    timings: list[tuple[int, int, str]] = field(default_factory=list)
    unexpected: list[dict[str, Any]] = field(default_factory=list)
    layouts: Counter[str] = field(default_factory=Counter)
    resolved: Counter[str] = field(default_factory=Counter)

    def add(self, index: int, scan: Scan, result: CheckInResult, elapsed: int) -> None:
        status = str(result.status)
        self.samples[scan.kind].append(elapsed)
        self.timings.append((elapsed, index, scan.kind))
        self.statuses[scan.kind][status] += 1
        if status != EXPECTED[scan.kind]:
            self.unexpected.append({"index": index, "kind": scan.kind, "status": status})
        if scan.layout is not None:
            self.layouts[scan.layout] += 1
            found = result.attendee.id if result.attendee else None
            self.resolved[scan.layout] += found == scan.attendee_id

    def report(self) -> dict[str, Any]:
        return {
            "overall": summary_ms([ns for kind in self.samples.values() for ns in kind]),
            "by_kind": {kind: summary_ms(self.samples[kind]) for kind in MIX},
            "slowest": [
                {"index": index, "kind": kind, "ms": round(ns / 1e6, 3)}
                for ns, index, kind in heapq.nlargest(5, self.timings)
            ],
            "statuses": {kind: dict(self.statuses[kind]) for kind in MIX},
            "expected": EXPECTED,
            "unexpected": len(self.unexpected),
            "unexpected_examples": self.unexpected[:5],
            "layout_resolved": sum(self.resolved.values()),
            "layout_total": sum(self.layouts.values()),
            "layout_by_name": {
                name: {"resolved": self.resolved[name], "total": self.layouts[name]}
                for name in sorted(self.layouts)
            },
        }


def run_checkins(desk: Desk, scans: list[Scan]) -> dict[str, Any]:
    """Every scan through `Desk.check_in`, 0.5 s apart from 09:00 on the first event day."""
    start = datetime(SCAN_DAY.year, SCAN_DAY.month, SCAN_DAY.day, 9, 0, tzinfo=TZ)
    tally = CheckInTally()
    for index, scan in enumerate(scans):
        at = start + index * SCAN_STEP
        result, elapsed = timed_ns(partial(desk.check_in, scan.text, at=at))
        tally.add(index, scan, result, elapsed)
    return tally.report()


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


def run_searches(desk: Desk, prefixes: list[str]) -> dict[str, Any]:
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


# -- cold open ---------------------------------------------------------------------------------


def cold_open(path: Path, runs: int) -> dict[str, Any]:
    """Open the file, read the event and search once, each time in a new Python process."""
    results = []
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-c", COLD_OPEN_CHILD, str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        results.append(json.loads(completed.stdout))
    figures: dict[str, Any] = {"runs": runs}
    for key in results[0]:
        values = [result[key] for result in results]
        figures[key] = {"median": statistics.median(values), "max": max(values)}
    return figures


# -- main ------------------------------------------------------------------------------------


def targets_met(
    checkin: dict[str, Any], search: dict[str, Any], opened: dict[str, Any]
) -> dict[str, bool]:
    measured = {
        "checkin_p99_ms": checkin["overall"]["p99_ms"],
        "search_p99_ms": search["overall"]["p99_ms"],
        "open_ms": opened["open_ms"]["median"],
    }
    return {name: measured[name] <= TARGETS[name] for name in TARGETS}


@dataclass(frozen=True)
class Workload:
    """The database, with what the timed phases will send to it."""

    store: SqliteStore
    generate_seconds: float
    import_seconds: float
    admissible: int
    scans: list[Scan]
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
    scans = plan_scans(rng, admissible, scan_budget(args.scans, len(admissible)), taken)
    prefixes = pick_prefixes(rng, attendees, args.prefixes)
    return Workload(store, generate_seconds, import_seconds, len(admissible), scans, prefixes)


def time_stats(desk: Desk, runs: int = 3) -> dict[str, Any]:
    """`Desk.today_counts()`, which the desk window calls after every check-in to refresh its
    counts, and `Desk.stats()`, the full figures behind `kiosk stats`."""

    def median_ms(call: Callable[[], object]) -> float:
        return round(statistics.median(timed_ns(call)[1] / 1e6 for _ in range(runs)), 2)

    return {
        "runs": runs,
        "today_counts_ms": median_ms(desk.today_counts),
        "stats_ms": median_ms(desk.stats),
    }


def parameters(args: argparse.Namespace, path: Path, work: Workload) -> dict[str, Any]:
    return {
        "attendees": args.attendees,
        "admissible_on_scan_day": work.admissible,
        "scans_requested": args.scans,
        "scans": len(work.scans),
        "prefixes": args.prefixes,
        "seed": args.seed,
        "db": str(path) if args.db else "temporary file",
        "db_megabytes": round(path.stat().st_size / 1e6, 1),
    }


def benchmark(args: argparse.Namespace, path: Path) -> dict[str, Any]:
    work = prepare(args, path)
    desk = Desk(work.store, STATION)
    gc.collect()
    log(f"{len(work.scans)} check-ins ...")
    checkin = run_checkins(desk, work.scans)
    gc.collect()
    log(f"{len(work.prefixes)} searches ...")
    search = run_searches(desk, work.prefixes)
    log("desk stats ...")
    stats = time_stats(desk)
    work.store.close()
    log(f"{COLD_OPEN_RUNS} cold opens ...")
    opened = cold_open(path, COLD_OPEN_RUNS)
    return {
        "machine": machine_info(path),
        "parameters": parameters(args, path, work),
        "generate_seconds": round(work.generate_seconds, 2),
        "import_seconds": round(work.import_seconds, 2),
        "checkin": checkin,
        "search": search,
        "cold_open": opened,
        "desk_stats": stats,
        "targets": TARGETS,
        "targets_met": targets_met(checkin, search, opened),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as temp:
        path = args.db or Path(temp) / "bench.sqlite3"
        if path.exists():
            sys.exit(f"{path} exists; give --db a new file")
        results = benchmark(args, path)
    text = json.dumps(results, indent=2, ensure_ascii=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
