"""Background work: a real worker thread, its progress and outcome back on the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from kiosk.core.errors import FileFormatError
from kiosk.ui.tasks import TaskRunner
from tests.support import import_csv

HEADER = "code,first_name,last_name,organisation,country,email,category"


def test_work_runs_off_the_gui_thread_and_reports_back_on_it(qtbot):
    runner = TaskRunner()
    gui = threading.get_ident()
    where: dict[str, int] = {}
    progress: list[tuple[int, int, str]] = []
    results: list[int] = []

    def work(report) -> int:
        where["work"] = threading.get_ident()
        for step in range(3):
            report(step + 1, 3, f"step {step + 1}")
        return 42

    def done(result: int) -> None:
        where["done"] = threading.get_ident()
        results.append(result)

    def on_progress(done_steps: int, total: int, message: str) -> None:
        where["progress"] = threading.get_ident()
        progress.append((done_steps, total, message))

    runner.run(work, done=done, failed=lambda _error: None, progress=on_progress)
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert where["work"] != gui
    assert where["done"] == gui and where["progress"] == gui
    assert progress == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    assert not runner.busy


def test_a_failure_comes_back_as_the_error_on_the_gui_thread(qtbot, tmp_path):
    runner = TaskRunner()
    errors: list[Exception] = []
    threads: list[int] = []

    def failed(error: Exception) -> None:
        threads.append(threading.get_ident())
        errors.append(error)

    def work(_report) -> None:
        raise FileFormatError(f"{tmp_path}/x.csv: row 1, field code: no 'code' column")

    runner.run(work, done=lambda _result: None, failed=failed)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], FileFormatError) and "row 1" in str(errors[0])
    assert threads == [threading.get_ident()]


def test_an_import_in_the_background_while_the_desk_checks_people_in(
    qtbot, window, store, tmp_path: Path
):
    """The worker writes through the same store object as the window: its own connection, its
    own transactions. Every check-in and every imported row is there afterwards.
    """
    rows = [HEADER] + [
        f"WALK{n:05d},Jana,Nováková {n},ČVUT,CZ,jana{n}@example.cz,Participant" for n in range(2000)
    ]
    export = tmp_path / "more.csv"
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    runner = TaskRunner()
    reports = []
    runner.run(lambda _report: import_csv(store, export), done=reports.append, failed=print)
    codes = [
        a.code
        for a in store.attendees()
        if a.status == "active" and a.valid_on(window.desk.now().date())
    ][:40]
    for code in codes:
        window.field.setText(code)
        window.submit()
        assert window.panel.card.headline == "CHECKED IN", code
    qtbot.waitUntil(lambda: bool(reports), timeout=30_000)
    assert reports[0].added == 2000 and not reports[0].errors
    assert window.desk.store.count_checked_in(window.desk.now().date()) == len(codes)
    assert len(store.attendees()) == 150 + 2000
