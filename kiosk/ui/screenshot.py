"""Render the desk window offscreen to PNG files, for the docs and `kiosk screenshot desk`."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.adapters.demo import load_demo
from kiosk.adapters.storage import STATION_SETTING, SqliteStore
from kiosk.core.desk import Desk
from kiosk.ui.application import create_application
from kiosk.ui.desk import DeskWindow

DEFAULT_SIZE = (1920, 1080)
Prepare = Callable[[DeskWindow], None]


def render_desk(
    desk: Desk,
    path: str | os.PathLike[str],
    size: tuple[int, int] = DEFAULT_SIZE,
    *,
    search: str = "",
    locale: str | None = None,
    prepare: Prepare | None = None,
) -> None:
    """Draw a desk window of `size` pixels for `desk` into the PNG file `path`.

    `search` is typed into the field and its results shown; `locale` defaults to the event's;
    `prepare` may then type, scan or click in the window. Makes an offscreen QApplication
    when none is running, so it works without a display.
    """
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_application(locale or desk.event.locale)
    window = DeskWindow(desk)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*size)
        window.show()
        if search:
            _type_and_search(search)(window)
        if prepare is not None:
            prepare(window)
        app.processEvents()
        if not window.grab().save(os.fspath(path), "PNG"):
            raise OSError(f"cannot write {path}")
    finally:
        window.close()
        window.deleteLater()


def _type_and_search(text: str) -> Prepare:
    def prepare(window: DeskWindow) -> None:
        window.field.setText(text)
        window.search_now()

    return prepare


def _scan(code: str, then_search: str = "") -> Prepare:
    def prepare(window: DeskWindow) -> None:
        window.field.setText(code)
        window.submit()
        if then_search:
            _type_and_search(then_search)(window)

    return prepare


def render_docs(out_dir: Path) -> list[Path]:
    """The desk screenshots of docs/screenshots, on the demo event at 09:14 on its first day."""
    prague = ZoneInfo("Europe/Prague")
    out_dir.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        SqliteStore(Path(folder) / "demo.sqlite3") as store,
    ):
        load_demo(store)
        station = store.setting(STATION_SETTING) or "Desk A"
        desk = Desk(store, station, lambda: datetime(2023, 10, 23, 9, 14, tzinfo=prague))
        store.add_station("Desk B")
        other = Desk(store, "Desk B", desk.clock)
        # Sorted in Czech: Čermák, Hronková, Chalupa (ch comes after h).
        _, hronkova, chalupa = desk.search("ch")[:3]
        other.check_in(hronkova.code, at=datetime(2023, 10, 23, 8, 52, tzinfo=prague))
        shots = {
            "desk-search.png": ("en", _type_and_search("ch")),
            "desk-ok.png": ("en", _scan(chalupa.code)),
            "desk-already.png": ("en", _scan(hronkova.code)),
            "desk-unknown.png": ("en", _scan("CMR-2023-000000")),
            "desk-cs.png": ("cs", _scan(hronkova.code, then_search="ch")),
        }
        paths = []
        for name, (locale, prepare) in shots.items():
            paths.append(out_dir / name)
            render_desk(desk, paths[-1], locale=locale, prepare=prepare)
        return paths


if __name__ == "__main__":
    for written in render_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(written)
