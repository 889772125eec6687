"""Capabilities per screen: an attendee-facing screen can check in the scanned person only."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from kiosk.workflows.attendee import SelfService
from kiosk.workflows.staff import StaffDesk
from tests.conftest import code_of

ROOT = Path(__file__).resolve().parents[2]


def test_self_service_checks_in_the_scanned_person(desk, clock) -> None:
    kiosk = SelfService(desk)
    result = kiosk.check_in(code_of(desk.store, "Kühr"))
    assert result.status == "ok" and result.attendee.last_name == "Kühr"
    clock.advance(minutes=5)
    again = kiosk.check_in(code_of(desk.store, "Kühr"))
    assert again.status == "already" and again.station == "Desk A"
    assert kiosk.lookup(code_of(desk.store, "Přikryl")).last_name == "Přikryl"
    assert kiosk.lookup("no such code") is None


def test_self_service_says_only_that_a_bad_scan_admits_nobody(desk: StaffDesk) -> None:
    result = SelfService(desk).check_in("no such code")
    assert result.status == "unknown"
    assert result.reason == "this code does not admit anyone"
    assert result.attendee is None


def test_the_type_checker_stops_a_self_service_screen_calling_staff_actions(
    tmp_path: Path,
) -> None:
    screen = tmp_path / "self_service_screen.py"
    screen.write_text(
        textwrap.dedent(
            """
            from kiosk.workflows.attendee import AttendeeActions, SelfService


            def scanned(actions: AttendeeActions, code: str) -> None:
                actions.check_in(code)
                actions.lookup(code)
                actions.search(code)
                actions.undo(code)
                actions.walk_in("Jana", "Nováková")
                actions.attendees()


            def concrete(kiosk: SelfService) -> None:
                kiosk.check_in("x")
                kiosk.search("x")
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(screen)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=300,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    refused = sorted(line.split('has no attribute "')[1].split('"')[0] for line in errors)
    assert refused == ["attendees", "search", "search", "undo", "walk_in"], done.stdout
