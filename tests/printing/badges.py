"""A stand-in `BadgeRenderer` (reportlab PDFs, a page per attendee) and checks of PDF pages."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from kiosk.core.model import Attendee, Event

# The page sizes of the badge layouts kiosk ships (resources/badges), in millimetres.
LAYOUTS = {"a6": (105.0, 148.0), "a7": (74.0, 105.0), "label-62": (62.0, 100.0)}


class StandInBadges:
    """Makes small real PDFs for the printing tests, whatever the real badges look like."""

    def __init__(self) -> None:
        self.rendered: list[tuple[str, tuple[str, ...]]] = []

    def layouts(self) -> list[str]:
        return sorted(LAYOUTS)

    def page_size_mm(self, layout: str) -> tuple[float, float]:
        return LAYOUTS[layout]

    def render(self, event: Event, attendees: Sequence[Attendee], layout: str) -> bytes:
        self.rendered.append((layout, tuple(a.id for a in attendees)))
        width, height = LAYOUTS[layout]
        out = io.BytesIO()
        canvas = Canvas(out, pagesize=(width * mm, height * mm), invariant=True)
        for attendee in attendees:
            canvas.setFont("Helvetica", 9)
            canvas.drawString(5 * mm, (height - 10) * mm, event.name)
            canvas.setFont("Helvetica-Bold", 14)
            # Helvetica has no ž or ł: the printing path does not care what the text says.
            name = attendee.full_name.encode("latin-1", "replace").decode("latin-1")
            canvas.drawString(5 * mm, (height / 2) * mm, name)
            canvas.showPage()
        canvas.save()
        return out.getvalue()


PT_PER_MM = 72 / 25.4


def page_sizes_mm(path: Path) -> list[tuple[float, float]]:
    """(width, height) in millimetres of each page of the PDF at `path`."""
    pages = PdfReader(path).pages
    return [
        (float(p.mediabox.width) / PT_PER_MM, float(p.mediabox.height) / PT_PER_MM) for p in pages
    ]


def assert_pages(path: Path, layout: str, count: int) -> None:
    """The PDF at `path` has `count` pages, each of `layout`'s size (within half a millimetre)."""
    width, height = LAYOUTS[layout]
    sizes = page_sizes_mm(path)
    assert len(sizes) == count
    for w, h in sizes:
        assert w == pytest.approx(width, abs=0.5)
        assert h == pytest.approx(height, abs=0.5)
