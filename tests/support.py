"""The demo and CSV imports wired as the app wires them, for tests that set up a database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.adapters.csv_import import CsvRegistrations
from kiosk.adapters.demo import BundledDemo
from kiosk.core.ports import Store
from kiosk.core.registrations import ImportReport
from kiosk.workflows.registration import import_registrations
from kiosk.workflows.setup import load_demo as load_demo_workflow


def load_demo(store: Store) -> ImportReport:
    """The built-in demo event in `store`, as `kiosk demo` sets it up."""
    return load_demo_workflow(store, BundledDemo(), CsvRegistrations())


def import_csv(store: Store, path: Path, **options: Any) -> ImportReport:
    """Import a generic CSV export into `store`, as `kiosk import` does; `options` are the
    workflow's (cancel_missing, confirmed, dry_run, ...).
    """
    return import_registrations(store, CsvRegistrations(), path, **options)
