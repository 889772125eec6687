"""Badges as PDF with reportlab: layouts from resources/badges, DejaVu Sans, vector QR codes."""

from __future__ import annotations

import io
import json
import re
import struct
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import segno
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kiosk import __version__
from kiosk.adapters.file_limits import MAX_IMAGE_BYTES, read_limited
from kiosk.adapters.output_files import check_output_path, write_private_file
from kiosk.adapters.resources import resource
from kiosk.core.badges import (
    MM,
    BadgeContent,
    BadgeFonts,
    BadgeLayout,
    CategoryPalette,
    FontMetrics,
    PlacedText,
    badge_content,
    badge_texts,
    layout_from_json,
    palette_from_json,
)
from kiosk.core.errors import FileFormatError, InvalidInputError
from kiosk.core.model import Attendee, Event
from kiosk.core.ports import Progress

CATEGORIES_FILE = "categories.json"
# The optional event logo, beside the layouts; reportlab draws raster images only (an SVG would
# need another library), so a vector logo is exported to PNG first (README.md there).
LOGO_FILES = ("logo.png", "logo.jpg", "logo.jpeg")
# The same TrueType files the desk window uses, so a name that shows there prints the same.
REGULAR_FONT_FILE = "DejaVuSans.ttf"
BOLD_FONT_FILE = "DejaVuSans-Bold.ttf"
QR_ERROR = "m"  # 15 % of the code may be scratched or covered; segno raises it when it is free
# The QR mask pattern. Left to segno (None), it tries all eight and scores each, in pure Python:
# 6.5 ms of every badge's 8, five times the rest of the badge. Every reader decodes any mask
# (the symbol names its own); the scoring only evens out dark and light areas, and the
# checkerboard mask 0 does that for short codes. tests/adapters/test_badge_pdf.py decodes
# badges of every kind of code with zxing-cpp at 150 dpi.
QR_MASK: int | None = 0
CUT_MARK_WIDTH = 0.3  # points: thin enough to vanish in the cut, thick enough to see
CUT_MARK_GREY = 0.35
_DARK_RUN = re.compile(b"\x01+")
_RIGHT_TO_LEFT = {"R", "AL", "AN"}  # Unicode bidirectional classes of right-to-left text
_FONT_LOCK = threading.Lock()

# Streams in binary, not ASCII85: a fifth of a 1,000-badge batch's time went into reportlab's
# pure-Python ASCII85 encoder, for files 25 % larger. reportlab reads this setting when it
# writes a file; kiosk is its only user in the process.
rl_config.useA85 = 0


@dataclass(frozen=True)
class _Font:
    """A TrueType font registered with reportlab under `name`, with what fitting needs."""

    name: str
    metrics: FontMetrics
    glyphs: frozenset[int]  # the code points the font has a glyph for


def _load_font(name: str, path: Path) -> _Font:
    """Register the font at `path` with reportlab as `name` (once per process)."""
    with _FONT_LOCK:
        # Asked for a name it does not know, getFont searches every Type 1 font file it
        # ships (0.8 s): look in the registry first.
        font = pdfmetrics.getFont(name) if name in pdfmetrics.getRegisteredFontNames() else None
        if not isinstance(font, TTFont):
            try:
                # Not asciiReadable: subsets hold only the letters a document uses, not every
                # ASCII one besides; a third of a one-badge PDF's time. Text still reads back
                # as Unicode through the subsets' ToUnicode maps.
                font = TTFont(name, str(path), asciiReadable=False)
            except Exception as error:  # reportlab raises its own TTFError, or OSError
                raise FileFormatError(f"{path}: not a TrueType font reportlab can embed") from error
            pdfmetrics.registerFont(font)
    face = font.face
    ascent, descent = _line_metrics(face)

    def measure(text: str, size: float) -> float:
        return float(font.stringWidth(text, size))

    return _Font(name, FontMetrics(measure, ascent, descent), frozenset(face.charToGlyph))


def _line_metrics(face: object) -> tuple[float, float]:
    """The font's line ascent and descent in ems, from its `hhea` table: these cover accented
    capitals (Č, Ś, Ž), which the typographic ascent reportlab reports (0.76 for DejaVu) does not.
    """
    table = face.get_table("hhea")  # type: ignore[attr-defined]
    ascender, descender = struct.unpack(">hh", table[4:8])
    units = float(face.unitsPerEm)  # type: ignore[attr-defined]
    return ascender / units, -descender / units


class PdfBadges:
    """The `BadgeRenderer` port: badges as one PDF, in layouts kept as JSON files.

    Also what the badge check needs (`fitted_text`, `missing_glyphs`) and writing the PDF to a
    file for people (`write_pdf`).
    """

    def __init__(self, folder: Path | None = None, fonts_folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else resource("badges")
        self.fonts_folder = fonts_folder if fonts_folder is not None else resource("fonts")
        self._layouts: dict[str, BadgeLayout] = {}

    # -- the port ------------------------------------------------------------------------------

    def layouts(self) -> list[str]:
        """The names of the layouts there are: every *.json file of the folder but the
        categories' one, by its name without `.json`.
        """
        return sorted(
            path.stem for path in self.folder.glob("*.json") if path.name != CATEGORIES_FILE
        )

    def page_size_mm(self, layout: str) -> tuple[float, float]:
        """(width, height) of one page of `layout`, in millimetres."""
        return self.layout(layout).page

    def render(
        self,
        event: Event,
        attendees: Sequence[Attendee],
        layout: str,
        progress: Progress | None = None,
    ) -> bytes:
        """One PDF with the badges of `attendees` in this order, in `layout`; a sheet layout
        fills each page row by row before the next. `progress(done, total, what)` hears of
        each badge.
        """
        chosen = self.layout(layout)
        if not attendees:
            raise InvalidInputError("no attendees: a PDF of no badges would be one blank page")
        page_width, page_height = chosen.page[0] * MM, chosen.page[1] * MM
        out = io.BytesIO()
        # invariant: no timestamps or random ids, so the same badges make the same bytes.
        canvas = Canvas(
            out,
            pagesize=(page_width, page_height),
            invariant=True,
            # A badge printed at check-in goes straight to the printer: 30 kB more cost less
            # than compressing its fonts (2 ms). A batch is kept and copied: compress it.
            pageCompression=len(attendees) > 1,
        )
        canvas.setTitle(f"Badges: {event.name}")
        canvas.setCreator(f"kiosk {__version__}")
        logo = self._logo_form(canvas, chosen)
        slots = chosen.slots()
        total = len(attendees)
        for index, attendee in enumerate(attendees):
            slot = index % chosen.per_page
            if index and slot == 0:
                self._finish_page(canvas, chosen)
            content = badge_content(event, attendee, self.palette)
            left, top = slots[slot]
            self._draw_badge(canvas, chosen, content, left * MM, page_height - top * MM, logo=logo)
            if progress is not None:
                progress(index + 1, total, "badges")
        self._finish_page(canvas, chosen)
        canvas.save()
        return out.getvalue()

    def badges_per_page(self, layout: str) -> int:
        """How many badges one page of `layout` holds (four on a sheet of A6 on A4)."""
        return self.layout(layout).per_page

    # -- for the badge check -------------------------------------------------------------------

    def fitted_text(self, event: Event, attendee: Attendee, layout: str) -> list[PlacedText]:
        """Every text of the attendee's badge in `layout` as it would print: lines, sizes,
        places (points from the badge's top left).
        """
        content = badge_content(event, attendee, self.palette)
        return badge_texts(self.layout(layout), content, self._badge_fonts)

    def missing_glyphs(self, text: str, *, bold: bool = False) -> str:
        """The characters of `text` that would not print right (each once, in order): those
        the font has no glyph for, which print as empty boxes, and right-to-left letters
        (Arabic, Hebrew), which reportlab sets left to right and unjoined.
        """
        glyphs = (self._bold if bold else self._regular).glyphs
        missing: dict[str, None] = {}
        for char in text:
            if char.isspace():
                continue
            if ord(char) not in glyphs or unicodedata.bidirectional(char) in _RIGHT_TO_LEFT:
                missing[char] = None
        return "".join(missing)

    def check_pdf_path(self, path: Path, protected: Sequence[Path] = ()) -> None:
        """Raise `UnsafeOutputError` when `write_pdf` would refuse `path`: before the work of
        rendering a batch, not after it.
        """
        check_output_path(path, protected)

    def write_pdf(self, path: Path, data: bytes, protected: Sequence[Path] = ()) -> Path:
        """Write the PDF `data` to `path`, readable by its owner alone, never over `protected`
        (the database) nor another kiosk file; returns the path written.
        """
        return write_private_file(path, data, protected)

    # -- layouts, colours, fonts, logo ---------------------------------------------------------

    def layout(self, name: str) -> BadgeLayout:
        """The layout called `name`; raises `InvalidInputError` naming the layouts there are,
        or `FileFormatError` for a layout file that is not right.
        """
        known = self._layouts.get(name)
        if known is not None:
            return known
        names = self.layouts()
        if name not in names:
            raise InvalidInputError(
                f"no badge layout {name!r}; the layouts are: {', '.join(names) or '(none)'}"
            )
        path = self.folder / f"{name}.json"
        loaded = layout_from_json(name, _read_json(path))
        self._layouts[name] = loaded
        return loaded

    @cached_property
    def palette(self) -> CategoryPalette:
        """The category band colours (categories.json; without it, one grey for all)."""
        path = self.folder / CATEGORIES_FILE
        if not path.exists():
            return CategoryPalette(())
        return palette_from_json(_read_json(path))

    @cached_property
    def _regular(self) -> _Font:
        return _load_font("KioskSans", self.fonts_folder / REGULAR_FONT_FILE)

    @cached_property
    def _bold(self) -> _Font:
        return _load_font("KioskSans-Bold", self.fonts_folder / BOLD_FONT_FILE)

    @cached_property
    def _badge_fonts(self) -> BadgeFonts:
        return BadgeFonts(self._regular.metrics, self._bold.metrics)

    @cached_property
    def logo_path(self) -> Path | None:
        """The event's logo beside the layouts, when there is one."""
        return next((self.folder / n for n in LOGO_FILES if (self.folder / n).is_file()), None)

    @cached_property
    def _logo_image(self) -> ImageReader | None:
        if self.logo_path is None:
            return None
        try:
            data = read_limited(self.logo_path, MAX_IMAGE_BYTES, "a logo image")
        except OSError as error:
            raise FileFormatError(f"{self.logo_path}: cannot be read: {error.strerror}") from error
        try:
            return ImageReader(io.BytesIO(data))
        except Exception as error:  # Pillow's many decoding errors, its decompression bombs
            raise FileFormatError(f"{self.logo_path}: not a PNG or JPEG image") from error

    def _logo_form(self, canvas: Canvas, layout: BadgeLayout) -> str | None:
        """Put the logo in the document once, as a form every badge refers to."""
        image = self._logo_image
        if image is None or layout.logo is None:
            return None
        width, height = layout.logo.width * MM, layout.logo.height * MM
        name = "kiosk-logo"
        canvas.beginForm(name, 0, 0, width, height)
        canvas.drawImage(
            image, 0, 0, width, height, mask="auto", preserveAspectRatio=True, anchor="c"
        )
        canvas.endForm()
        return name

    # -- drawing -------------------------------------------------------------------------------

    def _draw_badge(
        self,
        canvas: Canvas,
        layout: BadgeLayout,
        content: BadgeContent,
        left: float,
        top: float,
        *,
        logo: str | None,
    ) -> None:
        """One badge whose top-left corner is at (`left`, `top`) in PDF points."""
        if layout.band is not None:
            band = layout.band.rect
            canvas.setFillColorRGB(*content.band)
            canvas.rect(
                left + band.x * MM,
                top - band.bottom * MM,
                band.width * MM,
                band.height * MM,
                stroke=0,
                fill=1,
            )
        if logo is not None and layout.logo is not None:
            canvas.saveState()
            canvas.translate(left + layout.logo.x * MM, top - layout.logo.bottom * MM)
            canvas.doForm(logo)
            canvas.restoreState()
        for text in badge_texts(layout, content, self._badge_fonts):
            canvas.setFillColorRGB(*text.colour)
            canvas.setFont(self._bold.name if text.bold else self._regular.name, text.size)
            for line in text.lines:
                canvas.drawString(left + line.x, top - line.baseline, line.text)
        if layout.qr is not None and content.code:
            square = layout.qr.square
            canvas.addLiteral(
                _qr_operators(
                    content.code,
                    left + square.x * MM,
                    top - square.y * MM,
                    square.width * MM,
                    layout.qr.quiet_zone,
                )
            )

    def _finish_page(self, canvas: Canvas, layout: BadgeLayout) -> None:
        """Cut marks over the page's badges, then the next page."""
        marks = layout.cut_marks_mm()
        if marks:
            page_height = layout.page[1] * MM
            canvas.setStrokeGray(CUT_MARK_GREY)
            canvas.setLineWidth(CUT_MARK_WIDTH)
            canvas.lines(
                [
                    (x1 * MM, page_height - y1 * MM, x2 * MM, page_height - y2 * MM)
                    for x1, y1, x2, y2 in marks
                ]
            )
        canvas.showPage()


def _qr_operators(code: str, left: float, top: float, side: float, quiet_zone: int) -> str:
    """PDF operators that fill the dark modules of `code`'s QR symbol as rectangles, in the
    square of `side` points whose top-left corner is (`left`, `top`), quiet zone included.

    The coordinate system is scaled to one unit per module with y running down, so every
    rectangle has whole-number corners: no rounding seams between modules, and each row's
    run of dark modules is a single rectangle (a few hundred per code, not one per module).
    """
    matrix = segno.make_qr(code, error=QR_ERROR, mask=QR_MASK).matrix
    module = side / (len(matrix) + 2 * quiet_zone)
    origin_x = left + quiet_zone * module
    origin_y = top - quiet_zone * module
    runs = [
        f"{match.start()} {row} {match.end() - match.start()} 1 re"
        for row, cells in enumerate(matrix)
        for match in _DARK_RUN.finditer(cells)
    ]
    return (
        f"q {module:.5f} 0 0 {-module:.5f} {origin_x:.4f} {origin_y:.4f} cm 0 g\n"
        + "\n".join(runs)
        + "\nf Q"
    )


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FileFormatError(f"{path}: cannot read the file: {error.strerror}") from error
    except (UnicodeDecodeError, ValueError) as error:
        raise FileFormatError(f"{path}: not valid JSON: {error}") from error
