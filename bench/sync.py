"""Benchmark a large import, its unchanged re-import, a merge of kiosks, and check-ins meanwhile."""

from __future__ import annotations

import argparse
import csv
import gc
import io
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

# bench/ is a folder of scripts: Python puts it first on sys.path when it runs one of them.
from checkin import (
    DAYS,
    TZ,
    Children,
    NamePools,
    cli_command,
    load_name_pools,
    log,
    machine_info,
    publish,
    summary_ms,
    timed_ns,
    unique_codes,
)

from kiosk.adapters.event_file import EventFileCodec
from kiosk.adapters.journal_folder import JournalFolder
from kiosk.adapters.storage import imports as staged_imports
from kiosk.adapters.storage.connection import read_only
from kiosk.app import Kiosk, open_kiosk
from kiosk.core.journal import next_hlc
from kiosk.core.model import AttendeeStatus, EntryKind, Event, JournalEntry, new_entry_uuid
from kiosk.core.registrations import ImportReport
from kiosk.core.text import words
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.setup import export_event, plan_event, plan_join, set_up
from kiosk.workflows.staff import StaffDesk
from kiosk.workflows.sync import sync_journal

RESULTS = Path(__file__).resolve().parent / "results" / "sync.json"
# From the issue: a 100,000-row import, its unchanged re-import, a merge of 10 x 10,000 entries,
# no check-in waiting more than 200 ms during an import, and the import's peak memory.
TARGETS = {
    "import_seconds": 5,
    "reimport_seconds": 2,
    "merge_seconds": 2,
    "checkin_wait_max_ms": 200,
    "peak_rss_mb": 300,
}
EVENT_NAME = "Bench Summit"
TIMEZONE = "Europe/Prague"
MAIN_STATION = "Desk A"  # the organiser's kiosk, which imports (as `kiosk import` would)
DESK_STATION = "Desk B"  # the desk that keeps checking people in meanwhile
# What Czech Excel writes for "CSV (oddělený středníkem)": cp1250, semicolons, CRLF.
ENCODING = "cp1250"
HEADER = ("Kód vstupenky", "Jméno", "Příjmení", "Organizace", "Země", "E-mail", "Kategorie", "Stav")
# Countries whose names cp1250 can write; the demo's Latvian or Danish names it cannot.
COUNTRIES = ("CZ", "SK", "PL", "DE", "AT")
CATEGORIES = {
    "Účastník": 85,
    "Přednášející": 6,
    "Vystavovatel": 4,
    "Novinář": 3,
    "Organizátor": 2,
}
# Registration states as a Czech registration system words them; 1 % are cancelled.
STATES = {"Zaplaceno": 90, "Potvrzeno": 6, "Nezaplaceno": 3, "Zrušeno": 1}
# The desk's people are imported before the large import; a check-in every 20 ms needs about
# 50 of them a second, and each one can come on both days.
DESK_PEOPLE_MAX = 5000
DESK_PEOPLE_MIN = 500
CHECKIN_PERIOD_S = 0.020
SLOW_MS = 200
SLOWEST = 5
# The other kiosks' journals: check-ins through the day, a few undone, some picked from the list.
UNDO_SHARE = 0.02
LIST_SHARE = 0.05
UNDO_RECENT = 50  # an undo takes back one of the kiosk's last few check-ins
KIOSK_DAY_START = 8  # o'clock
KIOSK_DAY_HOURS = 9
BRIEF_REPORT = ("format", "added", "updated", "unchanged")
CHILD = "--child"
CHILD_KINDS = ("fresh", "dry-run", "reimport")
KIB_PER_MB = 1e6 / 1024


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the export")
    parser.add_argument("--kiosks", type=int, default=10, help="other kiosks to merge")
    parser.add_argument("--entries", type=int, default=10_000, help="journal entries per kiosk")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--db-dir", type=Path, help="an empty folder to build in and keep (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.kiosks < 1 or args.entries < 1:
        parser.error("--rows, --kiosks and --entries must be positive")
    if args.db_dir and args.db_dir.exists() and any(args.db_dir.iterdir()):
        parser.error(f"--db-dir {args.db_dir} is not empty")
    return args


def seconds_of(ns: int) -> float:
    return round(ns / 1e9, 3)


def mb_of(kib: int) -> float:
    return round(kib / KIB_PER_MB, 1)


def peak_kib(pid: int | str = "self") -> int | None:
    """The peak resident set of a process's memory in KiB (Linux's VmHWM), or None when it has
    ended or there is no /proc.

    Not ru_maxrss: on Linux a process keeps, across fork and exec, the peak of the process that
    started it, so a child of a large parent reports at least the parent's peak.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def own_peak_kib() -> int:
    """This process's peak resident set in KiB (ru_maxrss where there is no /proc)."""
    found = peak_kib()
    if found is not None:
        return found
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes


# -- the export ---------------------------------------------------------------------------------


def writable(text: str) -> bool:
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def czech_pools(pools: NamePools) -> NamePools:
    """The demo's Czech, Slovak, Polish, German and Austrian names, organisations and domains."""
    first = {g: [n for n in names if writable(n)] for g, names in pools.first.items()}
    last = {g: [n for n in names if writable(n)] for g, names in pools.last.items()}
    organisations = {
        country: [(name, domain) for name, domain in found if writable(name)]
        for country, found in pools.organisations.items()
        if country in COUNTRIES
    }
    groups = [
        group
        for group in pools.groups
        if group[0] in COUNTRIES and first[group] and last[group] and organisations[group[0]]
    ]
    return NamePools(groups, first, last, organisations)


def export_row(rng: random.Random, pools: NamePools, number: int, code: str) -> list[str]:
    group = rng.choice(pools.groups)
    first, last = rng.choice(pools.first[group]), rng.choice(pools.last[group])
    organisation, domain = rng.choice(pools.organisations[group[0]])
    local = ".".join(("".join(words(first)), "".join(words(last))))
    return [
        code,
        first,
        last,
        organisation,
        group[0],
        f"{local}{number}@{domain}",
        rng.choices(list(CATEGORIES), weights=list(CATEGORIES.values()))[0],
        rng.choices(list(STATES), weights=list(STATES.values()))[0],
    ]


def write_export(
    path: Path, rng: random.Random, pools: NamePools, count: int, taken: set[str]
) -> list[str]:
    """A Czech Excel export of `count` people with new codes; returns the codes."""
    codes = unique_codes(rng, count, taken)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(export_row(rng, pools, n, code) for n, code in enumerate(codes, start=1))
    path.write_bytes(text.getvalue().encode(ENCODING))
    return codes


# -- kiosks ------------------------------------------------------------------------------------


def new_kiosk(path: Path, *, screen: bool = False) -> Kiosk:
    """A new database with the event, set up as `kiosk init` does (opened as the desk window
    opens it when `screen`)."""
    kiosk = open_kiosk(path, create=True, screen=screen)
    planned = plan_event(
        EVENT_NAME, TIMEZONE, list(DAYS), venue="Praha", locale="cs", station=MAIN_STATION
    )
    set_up(kiosk.store, planned)
    return kiosk


def import_file(kiosk: Kiosk, path: Path, *, dry_run: bool = False) -> ImportReport:
    """What `kiosk import FILE` runs, at the station that imports."""
    return import_registrations(
        kiosk.store, kiosk.registrations, path, dry_run=dry_run, station=MAIN_STATION
    )


def report_figures(report: ImportReport) -> dict[str, Any]:
    return {
        "format": report.format,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "cancelled": report.cancelled,
        "errors": len(report.errors),
        "mapping": dict(report.mapping),
    }


# -- child processes: one import each, so each has its own peak memory -------------------------


@contextmanager
def timing(owner: object, name: str, spent: dict[str, int]) -> Iterator[None]:
    """Add the time spent in `owner.name` to `spent[name]` while the block runs."""
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return original(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0) + time.perf_counter_ns() - start

    setattr(owner, name, timed)
    try:
        yield
    finally:
        setattr(owner, name, original)


def child_main(argv: Sequence[str]) -> int:
    """One import in this process, as `kiosk import` runs it; its figures as JSON on stdout."""
    parser = argparse.ArgumentParser(prog="sync.py --child")
    parser.add_argument("kind", choices=CHILD_KINDS)
    parser.add_argument("db", type=Path)
    parser.add_argument("export", type=Path)
    args = parser.parse_args(argv)
    start = time.perf_counter_ns()
    kiosk = open_kiosk(args.db) if args.kind == "reimport" else new_kiosk(args.db)
    setup_ns = time.perf_counter_ns() - start
    baseline = own_peak_kib()
    spent: dict[str, int] = {}
    with ExitStack() as stack:
        # Timers around the store's write and its two phases (kiosk's code is not changed).
        stack.enter_context(timing(kiosk.store, "apply_import", spent))
        stack.enter_context(timing(staged_imports, "start", spent))
        stack.enter_context(timing(staged_imports, "apply", spent))
        report, elapsed = timed_ns(
            partial(import_file, kiosk, args.export, dry_run=args.kind == "dry-run")
        )
    kiosk.close()
    print(
        json.dumps(
            {
                "seconds": seconds_of(elapsed),
                "writing_seconds": seconds_of(spent.get("apply_import", 0)),
                "staging_seconds": seconds_of(spent.get("start", 0)),
                "applying_seconds": seconds_of(spent.get("apply", 0)),
                "setup_seconds": seconds_of(setup_ns),
                "baseline_rss_kib": baseline,
                "peak_rss_kib": own_peak_kib(),
                "report": report_figures(report),
            }
        )
    )
    return 0


class Child:
    """A child process, its time, and its peak memory as last seen while it ran."""

    def __init__(self, command: Sequence[str], children: Children, name: str) -> None:
        self.command = list(command)
        self.stdout = children.cwd / f"{name}.out"
        self.stderr = children.cwd / f"{name}.err"
        self.start = time.perf_counter_ns()
        with self.stdout.open("wb") as out, self.stderr.open("wb") as err:
            # Output to files, not pipes: a child blocked on a full pipe would never finish.
            self.process = subprocess.Popen(
                self.command, stdout=out, stderr=err, cwd=children.cwd, env=children.env
            )
        self.seconds: float | None = None
        self.peak_kib: int | None = None

    def done(self) -> bool:
        """Whether it has ended; while it runs, note its peak memory so far."""
        if self.seconds is None:
            # Its peak only grows, and an ended process has none: the last look is the peak
            # but for what it grew in its last moments.
            self.peak_kib = peak_kib(self.process.pid) or self.peak_kib
            if self.process.poll() is not None:
                self.seconds = seconds_of(time.perf_counter_ns() - self.start)
        return self.seconds is not None

    def wait(self) -> Child:
        if self.seconds is None:
            self.process.wait()
            self.seconds = seconds_of(time.perf_counter_ns() - self.start)
        return self

    def output(self) -> str:
        self.wait()
        if self.process.returncode:
            error = self.stderr.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"{' '.join(self.command)} failed:\n{error}")
        return self.stdout.read_text(encoding="utf-8")


def import_child(kind: str, db: Path, export: Path, children: Children) -> dict[str, Any]:
    """Run one import in a child process: its own figures, its whole time and peak memory."""
    command = [sys.executable, str(Path(__file__).resolve()), CHILD, kind, str(db), str(export)]
    child = Child(command, children, f"child-{kind}")
    figures: dict[str, Any] = json.loads(child.output())
    figures["process_seconds"] = child.seconds
    figures["peak_rss_mb"] = mb_of(figures["peak_rss_kib"])
    figures["baseline_rss_mb"] = mb_of(figures["baseline_rss_kib"])
    return figures


# -- 1. the fresh import, 2. the unchanged re-import ---------------------------------------------


def fresh_import(db: Path, export: Path, rows: int, children: Children) -> dict[str, Any]:
    log(f"fresh import of {rows} rows in a child process ...")
    figures = import_child("fresh", db, export, children)
    log(f"  {figures['seconds']} s; a dry run of the same file in a new database ...")
    dry = import_child("dry-run", db.with_name("dry-run.sqlite3"), export, children)
    return {
        "seconds": figures["seconds"],
        "rows_per_second": round(rows / figures["seconds"]) if figures["seconds"] else None,
        # Everything but the store's write: reading, decoding, checking rows, planning.
        "reading_planning_seconds": round(figures["seconds"] - figures["writing_seconds"], 3),
        "writing_seconds": figures["writing_seconds"],
        "staging_seconds": figures["staging_seconds"],
        "applying_seconds": figures["applying_seconds"],
        "dry_run_seconds": dry["seconds"],
        "setup_seconds": figures["setup_seconds"],
        "process_seconds": figures["process_seconds"],
        "peak_rss_mb": figures["peak_rss_mb"],
        "baseline_rss_mb": figures["baseline_rss_mb"],
        "dry_run_peak_rss_mb": dry["peak_rss_mb"],
        "report": figures["report"],
    }


def written_state(db: Path) -> dict[str, Any]:
    """What any write would change: row counts and highest rowids, the change counters."""
    conn = read_only(db)
    try:
        state: dict[str, Any] = {}
        for table in ("journal", "attendees", "codes", "imports", "import_stage", "stations"):
            count, top = conn.execute(f"SELECT count(*), max(rowid) FROM {table}").fetchone()
            state[table] = {"count": count, "max_rowid": top}
        state["attendees"]["max_updated_at"] = conn.execute(
            "SELECT max(updated_at) FROM attendees"
        ).fetchone()[0]
        state["changes"] = dict(conn.execute("SELECT topic, version FROM changes").fetchall())
        return state
    finally:
        conn.close()


def unchanged_reimport(db: Path, export: Path, children: Children) -> dict[str, Any]:
    log("unchanged re-import in a child process ...")
    before = written_state(db)
    figures = import_child("reimport", db, export, children)
    after = written_state(db)
    report = figures["report"]
    nothing = before == after and not (report["added"] or report["updated"] or report["cancelled"])
    log(f"  {figures['seconds']} s, wrote nothing: {nothing}")
    return {
        "seconds": figures["seconds"],
        "unchanged_wrote_nothing": nothing,
        "setup_seconds": figures["setup_seconds"],
        "process_seconds": figures["process_seconds"],
        "peak_rss_mb": figures["peak_rss_mb"],
        "baseline_rss_mb": figures["baseline_rss_mb"],
        "report": report,
        "journal_before_after": [before["journal"]["count"], after["journal"]["count"]],
        "attendees_max_rowid_before_after": [
            before["attendees"]["max_rowid"],
            after["attendees"]["max_rowid"],
        ],
        "changed": sorted(name for name in before if before[name] != after.get(name)),
    }


# -- 3. the merge of the other kiosks' journals ----------------------------------------------------


Person = tuple[str, str]  # (attendee id, code)


def at_on(day: date, hour: float) -> datetime:
    midnight = datetime(day.year, day.month, day.day, tzinfo=TZ)
    return midnight + timedelta(hours=hour)


def kiosk_entries(
    rng: random.Random,
    origin: str,
    station: str,
    people: dict[date, list[Person]],
    count: int,
) -> list[JournalEntry]:
    """`count` entries of one kiosk, as its desk would have written them: check-ins through each
    event day (half the entries each), now and then an undo of one of its recent check-ins.
    """
    entries: list[JournalEntry] = []
    hlc: str | None = None
    for index, day in enumerate(DAYS):
        share = count // len(DAYS) + (index < count % len(DAYS))
        step = KIOSK_DAY_HOURS / max(1, share)
        queue = iter(people[day])
        recent: list[JournalEntry] = []
        for n in range(share):
            at = at_on(day, KIOSK_DAY_START + (n + rng.random() * 0.9) * step)
            hlc = next_hlc(hlc, at)
            uuid, seq = new_entry_uuid(), len(entries) + 1
            if recent and rng.random() < UNDO_SHARE:
                undone = recent.pop(rng.randrange(len(recent)))
                entry = JournalEntry(
                    uuid=uuid,
                    kind=EntryKind.UNDO,
                    station=station,
                    at=at,
                    day=day,
                    attendee_id=undone.attendee_id,
                    code=undone.code,
                    ref=undone.uuid,
                    seq=seq,
                    origin=origin,
                    hlc=hlc,
                )
            else:
                attendee_id, code = next(queue)
                entry = JournalEntry(
                    uuid=uuid,
                    kind=EntryKind.CHECKIN,
                    station=station,
                    at=at,
                    day=day,
                    attendee_id=attendee_id,
                    code=code,
                    data={"via": "list"} if rng.random() < LIST_SHARE else {},
                    seq=seq,
                    origin=origin,
                    hlc=hlc,
                )
                recent = [*recent[-UNDO_RECENT + 1 :], entry]
            entries.append(entry)
    return entries


def presence(entries: Sequence[JournalEntry]) -> Counter[str]:
    """Attendees in per day after these entries: check-ins no undo refers to."""
    undone = {entry.ref for entry in entries if entry.kind is EntryKind.UNDO}
    present = {
        (entry.attendee_id, entry.day)
        for entry in entries
        if entry.kind is EntryKind.CHECKIN and entry.uuid not in undone
    }
    return Counter(day.isoformat() for _, day in present if day is not None)


@dataclass
class TimedFolder:
    """A `JournalFolder` with the time spent publishing and reading files counted; the rest of an
    exchange is the store's merge.
    """

    folder: JournalFolder
    publish_ns: int = 0
    collect_ns: int = 0

    def publish(self, kiosk_id: str, entries: Sequence[JournalEntry]) -> int:
        start = time.perf_counter_ns()
        published: int = self.folder.publish(kiosk_id, entries)
        self.publish_ns += time.perf_counter_ns() - start
        return published

    def published(self, kiosk_id: str) -> int:
        return self.folder.published(kiosk_id)

    def collect(self, kiosk_id: str) -> Iterator[JournalEntry]:
        found = self.folder.collect(kiosk_id)
        while True:
            start = time.perf_counter_ns()
            entry = next(found, None)
            self.collect_ns += time.perf_counter_ns() - start
            if entry is None:
                return
            yield entry

    def collected(self) -> None:
        self.folder.collected()


def build_kiosks(
    main: Kiosk, work: Path, folder: Path, args: argparse.Namespace, rng: random.Random
) -> Counter[str]:
    """The other kiosks: each joins the event from its exported file, gets its journal (stored
    with `merge`, as its own entries) and publishes it to the shared folder. Returns who is in
    per day once all of them are merged.
    """
    event = main.store.event()
    codec = EventFileCodec()
    event_file = work / "event.json"
    export_event(main.store, codec, event_file)
    people = sorted(
        (attendee.id, attendee.code)
        for attendee in main.store.registered().values()
        if attendee.status is AttendeeStatus.ACTIVE
    )
    # Each kiosk admits its own share of the people on each day, as separate entrances would.
    shuffled = {day: rng.sample(people, len(people)) for day in DAYS}
    per_day = args.entries // len(DAYS) + 1
    expected: list[JournalEntry] = []
    for number in range(args.kiosks):
        station = f"Entrance {number + 1}"
        path = work / f"kiosk-{number + 1:02d}.sqlite3"
        with open_kiosk(path, create=True) as kiosk:
            set_up(kiosk.store, plan_join(codec, event_file, station=station))
            own = {
                day: list(
                    itertools.islice(
                        itertools.cycle(shuffled[day]), number * per_day, (number + 1) * per_day
                    )
                )
                for day in DAYS
            }
            kiosk_id = kiosk.store.kiosk_id()
            entries = kiosk_entries(rng, kiosk_id, station, own, args.entries)
            kiosk.store.merge(entries)
            JournalFolder(folder, event).publish(kiosk_id, kiosk.store.entries_since(kiosk_id))
            expected += entries
    return presence(expected)


def merge_kiosks(db: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    folder = work / "sync"
    rng = random.Random(f"{args.seed}-kiosks")
    foreign = args.kiosks * args.entries
    log(f"{args.kiosks} kiosks x {args.entries} entries, published to {folder} ...")
    with open_kiosk(db) as main:
        event: Event = main.store.event()
        start = time.perf_counter_ns()
        expected = build_kiosks(main, work, folder, args, rng)
        build_ns = time.perf_counter_ns() - start
        # The import's own entries go out in the exchange after it, before the others arrive.
        kiosk_id = main.store.kiosk_id()
        own = main.store.entries_since(kiosk_id)
        _, first_publish_ns = timed_ns(partial(JournalFolder(folder, event).publish, kiosk_id, own))
        own_count = len(own)
        del own
        gc.collect()
        log(f"merging {foreign} entries into the main kiosk ...")
        # A new JournalFolder, as `kiosk sync --dir` makes each time it runs.
        transport = TimedFolder(JournalFolder(folder, event))
        spent: dict[str, int] = {}
        with timing(main.store, "entries_since", spent):
            report, merge_ns = timed_ns(partial(sync_journal, main.store, transport))
        own_ns = spent.get("entries_since", 0)
        log(f"  {seconds_of(merge_ns)} s; the same exchange again ...")
        again, again_ns = timed_ns(partial(sync_journal, main.store, JournalFolder(folder, event)))
        found = {day.isoformat(): main.store.count_checked_in(day) for day in DAYS}
    merged = report.merged
    return {
        "kiosks": args.kiosks,
        "entries_per_kiosk": args.entries,
        "foreign_entries": foreign,
        "seconds": seconds_of(merge_ns),
        "entries_per_second": round(foreign / (merge_ns / 1e9)),
        # The exchange's steps: this kiosk's entries read from the store, published (which
        # reads this kiosk's own file to learn what it holds), the others' files read, merged.
        "own_entries_seconds": seconds_of(own_ns),
        "publish_seconds": seconds_of(transport.publish_ns),
        "collect_seconds": seconds_of(transport.collect_ns),
        "store_merge_seconds": seconds_of(
            merge_ns - own_ns - transport.publish_ns - transport.collect_ns
        ),
        "report": {"published": report.published, **merged.to_dict()},
        "all_added": merged.added == foreign and not merged.conflicts,
        "checked_in": {day: {"expected": expected[day], "found": found[day]} for day in found},
        "presence_matches": all(expected[day] == found[day] for day in found),
        "first_publish": {"entries": own_count, "seconds": seconds_of(first_publish_ns)},
        "again": {
            "seconds": seconds_of(again_ns),
            "added": again.merged.added,
            "known": again.merged.known,
        },
        "build_seconds": seconds_of(build_ns),
    }


# -- 4. check-ins while an import runs ---------------------------------------------------------


class VenueClock:
    """Real time passing from 09:00 on an event day, so that the desk's "today" is that day."""

    rehearsal_day: date | None = None

    def __init__(self, day: date) -> None:
        self.day = day
        self.started = time.perf_counter()

    def __call__(self) -> datetime:
        return at_on(self.day, 9) + timedelta(seconds=time.perf_counter() - self.started)


@dataclass
class DeskTally:
    """Each check-in's wait, when it began (wall clock, to set beside the import's own times)
    and its answer.
    """

    waits_ns: list[int] = field(default_factory=list)
    began: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    def figures(self, since: float, window: tuple[float, float] | None) -> dict[str, Any]:
        slow_ns = SLOW_MS * 1_000_000
        slowest = sorted(zip(self.waits_ns, self.began, strict=True), reverse=True)[:SLOWEST]
        figures: dict[str, Any] = {
            **summary_ms(self.waits_ns),
            f"over_{SLOW_MS}_ms": sum(wait > slow_ns for wait in self.waits_ns),
            "statuses": dict(self.statuses),
            "slowest": [
                {"ms": round(wait / 1e6, 1), "after_s": round(began - since, 2)}
                for wait, began in slowest
            ],
        }
        if window is not None:
            during = [
                wait
                for wait, began in zip(self.waits_ns, self.began, strict=True)
                if window[0] <= began <= window[1]
            ]
            figures["while_writing"] = {
                **summary_ms(during),
                f"over_{SLOW_MS}_ms": sum(wait > slow_ns for wait in during),
            }
        return figures


def check_in_while(
    running: Callable[[], bool], desk: StaffDesk, clock: VenueClock, codes: list[str]
) -> DeskTally:
    """Check someone in every CHECKIN_PERIOD_S while `running()`: everyone once on the first day,
    then again on the second; after that only repeats (answered `already`) are left.
    """
    queue = itertools.chain(((day, code) for day in DAYS for code in codes), itertools.repeat(None))
    tally = DeskTally()
    next_at = time.perf_counter()
    for n, item in enumerate(queue):
        if not running():
            break
        clock.day, code = item if item is not None else (DAYS[-1], codes[n % len(codes)])
        tally.began.append(time.time())
        result, wait = timed_ns(partial(desk.check_in, code))
        tally.waits_ns.append(wait)
        tally.statuses[str(result.status)] += 1
        next_at += CHECKIN_PERIOD_S
        delay = next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        else:
            next_at = time.perf_counter()  # the queue is behind: the next person steps up now
    return tally


def write_window(kiosk: Kiosk) -> tuple[float, float] | None:
    """When the newest import wrote (from staging to done), as Unix times."""
    row = (
        kiosk.store.connection()
        .execute(
            "SELECT started_at, finished_at FROM imports WHERE state = 'done' "
            "ORDER BY started_at DESC LIMIT 1"
        )
        .fetchone()
    )
    if row is None or row[1] is None:
        return None
    return datetime.fromisoformat(row[0]).timestamp(), datetime.fromisoformat(row[1]).timestamp()


def desk_kiosk(path: Path, desk_export: Path) -> tuple[Kiosk, StaffDesk, VenueClock]:
    """A kiosk with the desk's people, and the desk (and its clock) that will check them in,
    opened as the desk window opens it."""
    kiosk = new_kiosk(path, screen=True)
    import_file(kiosk, desk_export)
    clock = VenueClock(DAYS[0])
    return kiosk, StaffDesk(kiosk.store, DESK_STATION, clock), clock


def during_thread_import(
    work: Path, export: Path, desk_export: Path, codes: list[str]
) -> dict[str, Any]:
    """The import on a worker thread of this process, as the desk window runs one."""
    log("check-ins while a worker thread imports ...")
    kiosk, desk, clock = desk_kiosk(work / "desk-thread.sqlite3", desk_export)
    outcome: dict[str, Any] = {}

    def run() -> None:
        start = time.perf_counter_ns()
        try:
            report = report_figures(import_file(kiosk, export))
            outcome["report"] = {key: report[key] for key in BRIEF_REPORT}
        except BaseException as error:
            outcome["error"] = repr(error)
            raise
        finally:
            outcome["seconds"] = seconds_of(time.perf_counter_ns() - start)

    worker = threading.Thread(target=run, name="import")
    gc.collect()
    since = time.time()
    worker.start()
    tally = check_in_while(worker.is_alive, desk, clock, codes)
    worker.join()
    if "error" in outcome:
        raise RuntimeError(f"the import thread failed: {outcome['error']}")
    figures = {
        "import_seconds": outcome["seconds"],
        "import_report": outcome["report"],
        **tally.figures(since, write_window(kiosk)),
    }
    kiosk.close()
    log(f"  {figures['count']} check-ins, max {figures.get('max_ms')} ms")
    return figures


def during_process_import(
    work: Path, export: Path, desk_export: Path, codes: list[str], children: Children
) -> dict[str, Any]:
    """`kiosk import FILE --json` in a process of its own, as at a venue."""
    log("check-ins while `kiosk import` runs in another process ...")
    path = work / "desk-process.sqlite3"
    kiosk, desk, clock = desk_kiosk(path, desk_export)
    args = ["--db", str(path), "import", str(export), "--json"]
    gc.collect()
    since = time.time()
    child = Child([*cli_command(), *args], children, "cli-import")
    tally = check_in_while(lambda: not child.done(), desk, clock, codes)
    report = json.loads(child.output())
    figures = {
        "command": "kiosk --db DB import FILE --json",
        "import_seconds": child.seconds,
        "import_report": {key: report.get(key) for key in BRIEF_REPORT},
        "import_peak_rss_mb": None if child.peak_kib is None else mb_of(child.peak_kib),
        **tally.figures(since, write_window(kiosk)),
    }
    kiosk.close()
    log(f"  {figures['count']} check-ins, max {figures.get('max_ms')} ms")
    return figures


# -- main ------------------------------------------------------------------------------------


def measured(results: dict[str, Any]) -> dict[str, float | None]:
    during = results["checkin_during_import"]
    waits = [variant.get("max_ms") for variant in during.values()]
    memory = [results["fresh_import"]["peak_rss_mb"], results["unchanged_reimport"]["peak_rss_mb"]]
    return {
        "import_seconds": results["fresh_import"]["seconds"],
        "reimport_seconds": results["unchanged_reimport"]["seconds"],
        "merge_seconds": results["merge"]["seconds"],
        "checkin_wait_max_ms": None if None in waits else max(waits),
        "peak_rss_mb": max(memory),
    }


def benchmark(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    load_start = [round(load, 2) for load in os.getloadavg()]
    children = Children.in_folder(work)
    rng = random.Random(args.seed)
    taken: set[str] = set()
    export, desk_export = work / "registrace.csv", work / "desk.csv"
    desk_people = min(DESK_PEOPLE_MAX, max(DESK_PEOPLE_MIN, args.rows // 20))
    log(f"writing a Czech Excel export of {args.rows} rows and one of {desk_people} ...")
    start = time.perf_counter_ns()
    pools = czech_pools(load_name_pools())
    write_export(export, rng, pools, args.rows, taken)
    desk_codes = write_export(desk_export, rng, pools, desk_people, taken)
    generate_ns = time.perf_counter_ns() - start
    main_db = work / "main.sqlite3"
    results: dict[str, Any] = {
        "parameters": {
            "rows": args.rows,
            "kiosks": args.kiosks,
            "entries": args.entries,
            "seed": args.seed,
            "desk_people": desk_people,
            "checkin_period_ms": CHECKIN_PERIOD_S * 1000,
            "export": f"{ENCODING}, ';', CRLF, {len(HEADER)} Czech columns",
            "export_megabytes": round(export.stat().st_size / 1e6, 1),
            "db_dir": str(args.db_dir) if args.db_dir else "temporary folder",
            # How the import splits its writing into transactions (kiosk's own settings).
            "import_steps": {
                "step_seconds": staged_imports.STEP_SECONDS,
                "first_step": staged_imports.FIRST_STEP,
                "min_step": staged_imports.MIN_STEP,
                "max_step": staged_imports.MAX_STEP,
                "stage_piece": staged_imports.STAGE_PIECE,
                "pause_ms": staged_imports.STEP_PAUSE_S * 1000,
                "steps_synced": "the last only (synchronous=NORMAL before it)",
            },
        },
        "generate_seconds": seconds_of(generate_ns),
    }
    results["fresh_import"] = fresh_import(main_db, export, args.rows, children)
    results["unchanged_reimport"] = unchanged_reimport(main_db, export, children)
    results["merge"] = merge_kiosks(main_db, work, args)
    results["parameters"]["main_db_megabytes"] = round(main_db.stat().st_size / 1e6, 1)
    gc.collect()
    results["checkin_during_import"] = {
        "thread": during_thread_import(work, export, desk_export, desk_codes),
        "process": during_process_import(work, export, desk_export, desk_codes, children),
    }
    figures = measured(results)
    met = {
        name: None if (got := figures[name]) is None else got <= TARGETS[name] for name in TARGETS
    }
    return {
        "machine": {**machine_info(main_db), "loadavg_start": load_start},
        **results,
        "targets": TARGETS,
        "measured": figures,
        "targets_met": met,
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == [CHILD]:
        return child_main(argv[1:])
    args = parse_args(argv)
    with ExitStack() as stack:
        if args.db_dir:
            args.db_dir.mkdir(parents=True, exist_ok=True)
            work = args.db_dir
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kiosk-sync-")))
        results = benchmark(args, work)
    publish(results, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
