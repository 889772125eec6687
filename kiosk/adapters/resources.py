"""Where kiosk finds its bundled files, from a source checkout or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def root() -> Path:
    """The folder holding `resources/` and `db/`: the bundle when frozen, else the checkout."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def migrations_dir() -> Path:
    """The numbered SQL migrations."""
    return root() / "db" / "migrations"


def resource(*parts: str) -> Path:
    """A file under `resources/`, e.g. ``resource("demo", "event.json")``."""
    return root().joinpath("resources", *parts)
