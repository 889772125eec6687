"""Badges: choose whose, render them to one PDF or a file, and check every badge's text first."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from kiosk.core.badges import DEFAULT_LAYOUT, PlacedText
from kiosk.core.checkin import identify
from kiosk.core.errors import InvalidInputError
from kiosk.core.model import Attendee, AttendeeStatus, Event
from kiosk.core.ports import BadgeRenderer, OutputRecord, Progress, Store
from kiosk.core.text import fold


class BadgeMaker(BadgeRenderer, Protocol):
    """A `BadgeRenderer` that reports its progress and writes files for people
    (`kiosk.adapters.badge_pdf.PdfBadges`).
    """

    def render(
        self,
        event: Event,
        attendees: Sequence[Attendee],
        layout: str,
        progress: Progress | None = None,
    ) -> bytes:
        """One PDF with the badges of `attendees` in this order, in `layout`;
        `progress(done, total, what)` hears of each badge.
        """
        ...

    def badges_per_page(self, layout: str) -> int:
        """How many badges one page of `layout` holds (four on a sheet of A6 on A4)."""
        ...

    def check_pdf_path(self, path: Path, protected: Sequence[Path] = ()) -> None:
        """Raise `InvalidInputError` when `write_pdf` would refuse `path`."""
        ...

    def write_pdf(self, path: Path, data: bytes, protected: Sequence[Path] = ()) -> Path:
        """Write `data` to `path`, readable by its owner alone, never over `protected` nor
        another kiosk file; returns the path written.
        """
        ...


class BadgeInspector(Protocol):
    """What the badge check asks of a renderer: each text as it would print, and the letters
    its fonts lack.
    """

    def layouts(self) -> list[str]:
        """The names of the layouts there are."""
        ...

    def fitted_text(self, event: Event, attendee: Attendee, layout: str) -> list[PlacedText]:
        """Every text of the attendee's badge in `layout`, fitted and placed."""
        ...

    def missing_glyphs(self, text: str, *, bold: bool = False) -> str:
        """The characters of `text` that would not print right in the (bold) font, each once:
        no glyph for them, or a right-to-left script the renderer cannot set.
        """
        ...


@dataclass(frozen=True)
class BadgeBatch:
    """Badges rendered: the PDF, whose badges in order, the layout and how many pages."""

    pdf: bytes
    attendees: tuple[Attendee, ...]
    layout: str
    pages: int


@dataclass(frozen=True)
class BadgeReport:
    """Badges written to a file."""

    path: Path
    layout: str
    attendees: tuple[Attendee, ...]
    pages: int
    page_size_mm: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON: the file, layout, counts and the attendees in badge order."""
        return {
            "file": str(self.path),
            "layout": self.layout,
            "badges": len(self.attendees),
            "pages": self.pages,
            "page_size_mm": list(self.page_size_mm),
            "attendees": [attendee.to_dict() for attendee in self.attendees],
        }


class BadgeProblem:
    """What the badge check can find wrong with a text."""

    # Letters the font lacks (they would print as boxes), or right-to-left ones (reversed).
    MISSING_GLYPHS = "missing_glyphs"
    BELOW_MINIMUM = "below_minimum"  # shrunk below the layout's smallest size to fit


@dataclass(frozen=True)
class BadgeIssue:
    """One text of one badge that needs the organiser's eye."""

    attendee: Attendee
    field: str  # first_name, last_name, organisation, ..., or category (the band)
    problem: str  # a BadgeProblem
    text: str
    missing: str = ""  # the characters the font lacks
    size: float = 0.0  # points: the size it fits at
    min_size: float = 0.0  # points: the layout's smallest size for the field

    def to_dict(self) -> dict[str, Any]:
        """The issue as JSON."""
        return {
            "attendee": {
                "id": self.attendee.id,
                "code": self.attendee.code,
                "first_name": self.attendee.first_name,
                "last_name": self.attendee.last_name,
            },
            "field": self.field,
            "problem": self.problem,
            "text": self.text,
            "missing": [{"char": char, "codepoint": codepoint(char)} for char in self.missing],
            "size_pt": self.size,
            "min_pt": self.min_size,
        }

    def describe(self) -> str:
        """One line for people."""
        who = self.attendee.full_name or self.attendee.id
        if self.problem == BadgeProblem.MISSING_GLYPHS:
            letters = ", ".join(f"{char} ({codepoint(char)})" for char in self.missing)
            return (
                f"{who} ({self.attendee.code}): {self.field} {self.text!r}: cannot print {letters}"
            )
        return (
            f"{who} ({self.attendee.code}): {self.field} {self.text!r} fits only at "
            f"{self.size:g} pt, below the layout's {self.min_size:g} pt"
        )


def codepoint(char: str) -> str:
    """'U+4E2D' for '中'."""
    return f"U+{ord(char):04X}"


@dataclass(frozen=True)
class BadgeCheck:
    """The badge check of one layout: how many badges, and every text to fix."""

    layout: str
    checked: int
    issues: tuple[BadgeIssue, ...]

    @property
    def ok(self) -> bool:
        """True when every badge prints every letter at a readable size."""
        return not self.issues

    def to_dict(self) -> dict[str, Any]:
        """The check as JSON."""
        return {
            "layout": self.layout,
            "checked": self.checked,
            "ok": self.ok,
            "issues": [issue.to_dict() for issue in self.issues],
        }


def badge_attendees(
    store: Store, codes: Sequence[str] | None = None, category: str | None = None
) -> list[Attendee]:
    """Whose badges to make: the attendees `codes` name, in that order (a code as scanned
    works: keyboard layouts, URLs), or with no codes every active attendee, sorted by surname
    in the event's language; with `category`, only that category (ignoring case and accents).

    Raises `InvalidInputError` for a code that names nobody or a cancelled attendee, and for a
    selection with nobody in it.
    """
    if codes is not None:
        if not codes:
            raise InvalidInputError("give at least one code, or ask for all attendees")
        event = store.event()
        chosen = []
        for code in codes:
            match = identify(store, event, code)
            if match.attendee is None:
                raise InvalidInputError(f"no badge for {code!r}: {match.reason or match.status}")
            if store.attendee(match.attendee.id) is None:  # a kiosk code, its name not here yet
                raise InvalidInputError(
                    f"no badge for {code!r}: the attendee has not synced to this kiosk yet"
                )
            if match.attendee.status is AttendeeStatus.CANCELLED:
                raise InvalidInputError(
                    f"no badge for {code!r}: {match.attendee.full_name} is cancelled"
                )
            chosen.append(match.attendee)
    else:
        chosen = [a for a in store.attendees() if a.status is AttendeeStatus.ACTIVE]
    if category is not None:
        wanted = fold(category.strip())
        everyone = chosen
        chosen = [a for a in everyone if fold(a.category.strip()) == wanted]
        if not chosen:
            known = sorted({a.category for a in everyone if a.category})
            raise InvalidInputError(
                f"nobody of category {category!r}; the categories are: "
                f"{', '.join(known) or '(none)'}"
            )
    if not chosen:
        raise InvalidInputError("no active attendee to make a badge for")
    return chosen


def render_badges(
    store: Store,
    renderer: BadgeMaker,
    layout: str = DEFAULT_LAYOUT,
    *,
    codes: Sequence[str] | None = None,
    category: str | None = None,
    progress: Progress | None = None,
) -> BadgeBatch:
    """The badges of the attendees `badge_attendees` picks, as one PDF in `layout` (a sheet
    layout fills its pages in that order); `progress(done, total, what)` hears of each badge.
    Reads only: printing them is recorded by whoever prints.
    """
    renderer.page_size_mm(layout)  # an unknown layout fails before any work
    attendees = badge_attendees(store, codes, category)
    pdf = renderer.render(store.event(), attendees, layout, progress)
    pages = math.ceil(len(attendees) / renderer.badges_per_page(layout))
    return BadgeBatch(pdf, tuple(attendees), layout, pages)


def write_badges(
    store: Store,
    renderer: BadgeMaker,
    path: Path,
    layout: str = DEFAULT_LAYOUT,
    *,
    codes: Sequence[str] | None = None,
    category: str | None = None,
    progress: Progress | None = None,
    protected_paths: Sequence[Path] = (),
    record: OutputRecord | None = None,
) -> BadgeReport:
    """`render_badges` into the PDF file `path`, readable by its owner alone and never
    written over `protected_paths` (the database) or another kiosk file; `record` remembers
    it for `kiosk purge`.
    """
    renderer.check_pdf_path(path, protected_paths)  # refused now, not after the rendering
    batch = render_badges(
        store, renderer, layout, codes=codes, category=category, progress=progress
    )
    written = renderer.write_pdf(path, batch.pdf, protected_paths)
    if record is not None:
        record.record_output("badges", written)
    return BadgeReport(written, layout, batch.attendees, batch.pages, renderer.page_size_mm(layout))


def check_badges(
    store: Store,
    inspector: BadgeInspector,
    layout: str = DEFAULT_LAYOUT,
    *,
    category: str | None = None,
    progress: Progress | None = None,
) -> BadgeCheck:
    """Set every active attendee's badge text in `layout` and list each text with a letter
    the font lacks (which ones) and each that fits only below the layout's smallest size, so
    the organiser fixes them before the event. Reads only.
    """
    names = inspector.layouts()
    if layout not in names:
        raise InvalidInputError(
            f"no badge layout {layout!r}; the layouts are: {', '.join(names) or '(none)'}"
        )
    event = store.event()
    if category is None:  # an event with nobody registered yet passes, with 0 checked
        attendees = [a for a in store.attendees() if a.status is AttendeeStatus.ACTIVE]
    else:
        attendees = badge_attendees(store, None, category)
    issues: list[BadgeIssue] = []
    for done, attendee in enumerate(attendees, start=1):
        for text in inspector.fitted_text(event, attendee, layout):
            missing = inspector.missing_glyphs(text.text, bold=text.bold)
            if missing:
                issues.append(
                    BadgeIssue(
                        attendee,
                        text.field,
                        BadgeProblem.MISSING_GLYPHS,
                        text.text,
                        missing=missing,
                        size=text.size,
                        min_size=text.min_size,
                    )
                )
            if text.below_minimum:
                issues.append(
                    BadgeIssue(
                        attendee,
                        text.field,
                        BadgeProblem.BELOW_MINIMUM,
                        text.text,
                        size=text.size,
                        min_size=text.min_size,
                    )
                )
        if progress is not None:
            progress(done, len(attendees), "badges checked")
    return BadgeCheck(layout, len(attendees), tuple(issues))
