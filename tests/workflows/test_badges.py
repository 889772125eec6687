"""Badge workflows: whose badges, in which order, to a private file, and the check before."""

from __future__ import annotations

import io
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.adapters.badge_pdf import PdfBadges
from kiosk.adapters.output_files import UnsafeOutputError
from kiosk.adapters.storage import SqliteStore
from kiosk.core.errors import InvalidInputError
from kiosk.core.model import Event
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys, issue_code
from kiosk.workflows.badges import (
    BadgeProblem,
    badge_attendees,
    check_badges,
    render_badges,
    write_badges,
)
from tests.conftest import code_of
from tests.fakes import MemoryStore

Store = MemoryStore | SqliteStore


@pytest.fixture(scope="module")
def renderer() -> PdfBadges:
    return PdfBadges()


def pages(pdf: bytes) -> list[str]:
    """Each page's text, one line of the badge a line (pypdf may indent one: stripped)."""
    return [
        "\n".join(line.strip() for line in page.extract_text().splitlines())
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def add(store: Store, *people: Registration) -> None:
    store.apply_import(plan_import(store.registered(), people))


def test_all_badges_are_the_active_attendees_sorted_by_surname(
    store: Store, renderer: PdfBadges
) -> None:
    batch = render_badges(store, renderer, "a6")
    active = [a for a in store.attendees() if a.status == "active"]
    assert list(batch.attendees) == active
    assert "Zrušený" not in {a.last_name for a in batch.attendees}  # cancelled: no badge
    # Czech order: Čermák after Cibulka, Chalupa after Horák.
    surnames = [a.last_name for a in batch.attendees]
    assert surnames.index("Cibulka") < surnames.index("Čermák")
    assert surnames.index("Horák") < surnames.index("Chalupa")
    texts = pages(batch.pdf)
    assert len(texts) == batch.pages == len(active)
    for text, attendee in zip(texts, batch.attendees, strict=True):
        assert attendee.last_name in text.splitlines()


def test_a_sheet_fills_its_pages_in_the_same_order(store: Store, renderer: PdfBadges) -> None:
    batch = render_badges(store, renderer, "a6-sheet")
    assert batch.pages == 3  # nine active attendees, four to a page
    texts = pages(batch.pdf)
    assert len(texts) == 3
    for index, attendee in enumerate(batch.attendees):
        lines = texts[index // 4].splitlines()
        assert attendee.last_name in lines
    first_page = texts[0].splitlines()
    order = [first_page.index(a.last_name) for a in batch.attendees[:4]]
    assert order == sorted(order)  # row by row from the top left


def test_a_category_is_chosen_ignoring_case_and_accents(store: Store, renderer: PdfBadges) -> None:
    batch = render_badges(store, renderer, "a6", category="SPEAKER")
    assert [a.last_name for a in batch.attendees] == ["Kühr"]
    with pytest.raises(
        InvalidInputError, match=r"nobody of category 'Press'.*Participant, Speaker"
    ):
        render_badges(store, renderer, "a6", category="Press")


def test_codes_give_badges_in_their_order(store: Store, renderer: PdfBadges) -> None:
    codes = [code_of(store, "Přikryl"), code_of(store, "Kühr")]
    batch = render_badges(store, renderer, "a7", codes=codes)
    assert [a.last_name for a in batch.attendees] == ["Přikryl", "Kühr"]
    # A code as a scanner with Caps Lock on sends it names the same person.
    assert badge_attendees(store, ["ZZYY12"])[0].last_name == "Żółć"


def test_a_code_for_nobody_or_a_cancelled_attendee_makes_no_badge(store: Store) -> None:
    with pytest.raises(InvalidInputError, match="no badge for 'nobody-1'"):
        badge_attendees(store, ["nobody-1"])
    with pytest.raises(InvalidInputError, match="Jan Zrušený is cancelled"):
        badge_attendees(store, ["cancelled01"])
    with pytest.raises(InvalidInputError, match="at least one code"):
        badge_attendees(store, [])


def test_a_kiosk_code_of_an_attendee_not_synced_yet_makes_no_badge(
    store: Store, event_and_keys: tuple[Event, EventKeys]
) -> None:
    event, keys = event_and_keys
    code = issue_code(keys.private, event.id, "ABCDEFGHIJKLM", datetime(2023, 10, 23, tzinfo=UTC))
    with pytest.raises(InvalidInputError, match="not synced to this kiosk yet"):
        badge_attendees(store, [code])


def test_an_unknown_layout_fails_before_any_work(store: Store, renderer: PdfBadges) -> None:
    with pytest.raises(InvalidInputError, match="no badge layout 'a5'"):
        render_badges(store, renderer, "a5")
    with pytest.raises(InvalidInputError, match="no badge layout 'a5'"):
        check_badges(store, renderer, "a5")


def test_progress_counts_every_badge(store: Store, renderer: PdfBadges) -> None:
    heard: list[tuple[int, int]] = []
    render_badges(
        store, renderer, "a6", progress=lambda done, total, _: heard.append((done, total))
    )
    assert heard == [(n, 9) for n in range(1, 10)]


def test_badges_are_written_to_a_private_file_never_the_database(
    filled: SqliteStore, renderer: PdfBadges, tmp_path: Path
) -> None:
    out = tmp_path / "badges.pdf"
    report = write_badges(
        filled, renderer, out, "a6-sheet", category="Participant", protected_paths=[filled.path]
    )
    assert report.path == out and out.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = report.to_dict()
    assert data["badges"] == 8 and data["pages"] == 2 and data["layout"] == "a6-sheet"
    assert data["page_size_mm"] == [210, 297]
    assert data["attendees"][0].keys() >= {"id", "code", "first_name", "last_name", "category"}
    heard: list[int] = []
    with pytest.raises(UnsafeOutputError):
        write_badges(
            filled,
            renderer,
            filled.path,
            protected_paths=[filled.path],
            progress=lambda done, _total, _what: heard.append(done),
        )
    assert heard == []  # refused before a single badge was rendered


def test_the_check_passes_names_every_layout_prints(store: Store, renderer: PdfBadges) -> None:
    for layout in renderer.layouts():
        check = check_badges(store, renderer, layout)
        assert check.ok, (layout, [issue.describe() for issue in check.issues])
        assert check.checked == 9


def test_the_check_lists_letters_the_font_lacks_and_texts_too_long(
    store: Store, renderer: PdfBadges
) -> None:
    add(
        store,
        Registration(row=20, code="cjk-1", first_name="小明", last_name="Wang",
                     organisation="北京大学"),
        Registration(row=21, code="ka-1", first_name="Nino", last_name="ბერიძე"),
        Registration(row=22, code="long-1", first_name="Jürgen", last_name="Weiß",
                     organisation="Forschungsgemeinschaft für angewandte Nanotechnologie und "
                     "Präzisionsoptik an der Technischen Universität München e.V. (FANP)"),
    )  # fmt: skip
    heard: list[int] = []
    check = check_badges(store, renderer, "cr80", progress=lambda done, _t, _w: heard.append(done))
    assert check.checked == 12 and heard[-1] == 12
    assert not check.ok
    found = {(i.attendee.code, i.field, i.problem): i for i in check.issues}
    assert set(found) == {
        ("cjk-1", "first_name", BadgeProblem.MISSING_GLYPHS),
        ("cjk-1", "organisation", BadgeProblem.MISSING_GLYPHS),
        ("long-1", "organisation", BadgeProblem.BELOW_MINIMUM),
    }  # Georgian prints: DejaVu has it
    cjk = found["cjk-1", "first_name", BadgeProblem.MISSING_GLYPHS]
    assert cjk.missing == "小明"
    assert "cannot print 小 (U+5C0F), 明 (U+660E)" in cjk.describe()
    too_long = found["long-1", "organisation", BadgeProblem.BELOW_MINIMUM]
    assert too_long.size < too_long.min_size == 5
    data = check.to_dict()
    assert data["ok"] is False and data["layout"] == "cr80" and data["checked"] == 12
    issue = next(i for i in data["issues"] if i["attendee"]["code"] == "cjk-1")
    assert issue["missing"][0] == {"char": "小", "codepoint": "U+5C0F"}
    # On A6 the long organisation fits at a readable size: only the missing letters remain.
    a6 = check_badges(store, renderer, "a6")
    assert {i.attendee.code for i in a6.issues} == {"cjk-1"}


def test_the_demo_event_passes_the_check(renderer: PdfBadges, tmp_path: Path) -> None:
    from tests.support import load_demo  # noqa: PLC0415

    store = SqliteStore(tmp_path / "demo.sqlite3")
    try:
        load_demo(store)
        for layout in ("a6", "label-62"):
            check = check_badges(store, renderer, layout)
            assert check.ok, [issue.describe() for issue in check.issues]
            assert check.checked > 100
    finally:
        store.close()


def test_an_event_with_nobody_yet_passes_the_check_but_makes_no_pdf(
    event_and_keys: tuple[Event, EventKeys], renderer: PdfBadges
) -> None:
    empty = MemoryStore(*event_and_keys)
    check = check_badges(empty, renderer, "a6")
    assert check.ok and check.checked == 0
    with pytest.raises(InvalidInputError, match="no active attendee"):
        render_badges(empty, renderer, "a6")
