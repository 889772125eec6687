"""Importing a registration export: read, check every row, plan against what is stored, write."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import kiosk
from kiosk.core.errors import KioskError
from kiosk.core.ports import Progress, RegistrationFile, Store
from kiosk.core.registrations import (
    ImportPlan,
    ImportReport,
    check_rows,
    plan_import,
    report_from_dict,
    report_of,
)

# --cancel-missing cancelling more than this share of the active attendees is, most often, an
# empty or cut-off export: it is refused unless the organiser confirms.
CANCEL_MISSING_LIMIT = 0.20


class ImportRefusedError(KioskError):
    """The import would do something drastic that the organiser has not confirmed."""


def import_registrations(
    store: Store,
    source: RegistrationFile,
    path: Path,
    *,
    cancel_missing: bool = False,
    format_name: str | None = None,
    dry_run: bool = False,
    confirmed: bool = False,
    station: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import the export at `path`, read by `source`.

    Every good row is imported; rows with errors are skipped and reported with their row and
    field. Nothing is deleted: check-ins survive every import, and a cancelled attendee keeps
    their history. Each attendee added, changed or cancelled becomes a `registration` journal
    entry, so every kiosk of the event ends with the same registry. Importing the same file
    again writes nothing. With `dry_run` nothing is written at all; the report lists what
    would change. `cancel_missing` takes the file as the whole registry; it is refused when it
    would cancel more than a fifth of the active attendees, unless `confirmed`.
    """
    with _no_full_collections():
        return _import(
            store,
            source,
            path,
            cancel_missing=cancel_missing,
            format_name=format_name,
            dry_run=dry_run,
            confirmed=confirmed,
            station=station,
            progress=progress,
        )


def _import(
    store: Store,
    source: RegistrationFile,
    path: Path,
    *,
    cancel_missing: bool,
    format_name: str | None,
    dry_run: bool,
    confirmed: bool,
    station: str,
    progress: Progress | None,
) -> ImportReport:
    event = store.event()
    fingerprint = _fingerprint(source, path, format_name, cancel_missing=cancel_missing)
    if fingerprint is not None:
        kept = store.unchanged_report(fingerprint)
        if kept is not None:
            # This file was imported into the registry as it is now: every row is unchanged.
            try:
                return replace(report_from_dict(kept), dry_run=dry_run)
            except (KeyError, TypeError, ValueError, AttributeError):
                pass  # a report this version cannot read: read the file
    # Read before the registry: any write to it after this shows in the version.
    registry = store.registry_version()
    read = source.read(path, format_name)
    registrations, errors, skipped = check_rows(read.rows, event.days)
    # A row the importer could not read at all (its bytes in no encoding it could decide) is
    # left out too: --cancel-missing must not take its person for missing.
    unread = {problem.row for problem in read.problems} - {row for row, _ in read.rows}
    skipped += len(unread)
    existing = store.registered()
    plan = plan_import(
        existing,
        registrations,
        cancel_missing=cancel_missing,
        skipped=skipped,
        event_id=event.id,
        baselines=store.import_baselines(),
    )
    _let_go(existing)
    report = report_of(plan, [*read.problems, *errors], read)
    again = None
    if fingerprint is not None and not plan.errors:
        # Once these changes are in, each row of the file matches a stored attendee equal to
        # it; the file's own errors stay. (Errors of the plan, a code someone else holds, may
        # change with the registry: such a file is read again.)
        again = report_of(ImportPlan(unchanged=len(registrations)), [*read.problems, *errors], read)
    if cancel_missing and not confirmed:
        missing = len(plan.cancelled)
        active = store.count_registered()
        if active and missing > CANCEL_MISSING_LIMIT * active:
            raise ImportRefusedError(
                f"{path}: --cancel-missing would cancel {missing} of {active} active attendees "
                f"({missing / active:.0%}); is the export complete? Run again with --yes to "
                "cancel them"
            )
    if dry_run:
        return replace(report, dry_run=True)
    if plan.changes:
        # The rows as read and checked are done with: let them go before the writing, which
        # holds its own entries (a large file's peak memory is the sum of what is held).
        format_read = read.format
        _let_go(registrations)
        if isinstance(read.rows, list):
            _let_go(read.rows)
        del read, registrations
        # The file must be the one read: one rewritten meanwhile is not remembered.
        same = (
            again is not None
            and _fingerprint(source, path, format_name, cancel_missing=cancel_missing)
            == fingerprint
        )
        store.apply_import(
            plan,
            station=station,
            source=str(path),
            format_name=format_read,
            report=report.to_dict(),
            progress=progress,
            registry=registry,
            again=(fingerprint, again.to_dict()) if same and fingerprint and again else None,
        )
    return report


def _let_go(items: list[Any] | dict[Any, Any]) -> None:
    """Empty a large list or dict an item at a time: let go at once, its hundreds of thousands
    of objects are freed in one go that holds the interpreter (a desk's check-in on another
    thread included) for as long as it takes.
    """
    if isinstance(items, dict):
        while items:
            items.popitem()
    else:
        while items:
            items.pop()


def _fingerprint(
    source: RegistrationFile, path: Path, format_name: str | None, *, cancel_missing: bool
) -> str | None:
    """The file's digest with what else decides an import's outcome: the format asked for,
    --cancel-missing, and this version of kiosk (its importers and checks).
    """
    digest = source.fingerprint(path)
    if digest is None:
        return None
    return f"{digest} {format_name or '-'} {int(cancel_missing)} {kiosk.__version__}"


_collections_lock = threading.Lock()
_collections_paused = 0
_thresholds = gc.get_threshold()


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """No full garbage collection while an import runs: one pauses every thread of the
    process, a check-in on the desk's included, for as long as it takes to walk the import's
    hundreds of thousands of objects. The import makes no reference cycles to reclaim; the
    young generations are still collected.
    """
    global _collections_paused, _thresholds  # noqa: PLW0603 (one setting of the process)
    with _collections_lock:
        if not _collections_paused:
            _thresholds = gc.get_threshold()
            gc.set_threshold(_thresholds[0], _thresholds[1], 1 << 30)
        _collections_paused += 1
    try:
        yield
    finally:
        with _collections_lock:
            _collections_paused -= 1
            if not _collections_paused:
                gc.set_threshold(*_thresholds)
