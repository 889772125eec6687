"""Badges as data: layouts, what a badge says, category colours, and text fitted to its box."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from kiosk.core.errors import FileFormatError
from kiosk.core.model import Attendee, Event
from kiosk.core.text import display_text, fold

MM = 72 / 25.4  # PDF points per millimetre
# Line height as a multiple of the font size; a font taller than this (ascent + descent) gets
# its own height instead, so no line ever reaches into the next or out of its box.
LEADING = 1.2
# Font sizes are chosen in steps of a tenth of a point: finer differences do not show on paper,
# and round sizes make the chosen size the same on every machine.
SIZE_STEP = 0.1
DEFAULT_LAYOUT = "a6"
# What a text box may show: an attendee's fields and the event's.
FIELDS = ("first_name", "last_name", "full_name", "organisation", "country", "event", "venue")
# Characters a line may be broken after when a text takes two lines; a space is dropped at the
# break, these stay at the end of the first line.
BREAK_AFTER = "-‐–—/"

RGB = tuple[float, float, float]
BLACK: RGB = (0.0, 0.0, 0.0)
WHITE: RGB = (1.0, 1.0, 1.0)
# WCAG AA for text: the band's words must reach this contrast against the band.
MIN_CONTRAST = 4.5

# (text, size in points) -> the width of `text` set in that size, in points.
Measure = Callable[[str, float], float]


class Align(StrEnum):
    """Where the lines of a text box sit across it."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class VAlign(StrEnum):
    """Where the lines of a text box sit from top to bottom."""

    TOP = "top"
    MIDDLE = "middle"
    BOTTOM = "bottom"


@dataclass(frozen=True)
class Rect:
    """A rectangle in millimetres from the top-left corner of a badge (or of a page)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        """The right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> float:
        """The bottom edge."""
        return self.y + self.height

    def inset(self, dx: float, dy: float = 0.0) -> Rect:
        """The rectangle less `dx` on the left and right and `dy` above and below."""
        return Rect(self.x + dx, self.y + dy, self.width - 2 * dx, self.height - 2 * dy)


@dataclass(frozen=True)
class TextStyle:
    """How a text box sets its text: the largest and the smallest size in points, at most how
    many lines, bold or not, alignment, capitals, colour.
    """

    size: float
    min_size: float
    max_lines: int = 2
    bold: bool = False
    align: Align = Align.CENTER
    valign: VAlign = VAlign.MIDDLE
    capitals: bool = False
    colour: RGB = BLACK


@dataclass(frozen=True)
class TextBox:
    """One field of the badge (`FIELDS`) in its rectangle."""

    field: str
    rect: Rect
    style: TextStyle


@dataclass(frozen=True)
class BandBox:
    """The category band: a coloured rectangle with the category's words on it."""

    rect: Rect
    style: TextStyle
    padding: float = 2.0  # mm kept free on the left and right of the words


@dataclass(frozen=True)
class QrBox:
    """Where the attendee's QR code goes: the largest square in `rect`, quiet zone included."""

    rect: Rect
    quiet_zone: int = 4  # modules of white around the code, as the QR standard asks

    @property
    def square(self) -> Rect:
        """The square the code and its quiet zone fill, centred in the rectangle."""
        side = min(self.rect.width, self.rect.height)
        return Rect(
            self.rect.x + (self.rect.width - side) / 2,
            self.rect.y + (self.rect.height - side) / 2,
            side,
            side,
        )


@dataclass(frozen=True)
class BadgeLayout:
    """A badge layout as its data file describes it; every length in millimetres.

    `page` is one PDF page, `badge` one badge; `columns` x `rows` badges share a page (a sheet
    of four A6 on A4), filled row by row from the top left.
    """

    name: str
    description: str
    page: tuple[float, float]
    badge: tuple[float, float]
    texts: tuple[TextBox, ...]
    band: BandBox | None = None
    qr: QrBox | None = None
    logo: Rect | None = None
    columns: int = 1
    rows: int = 1
    cut_marks: bool = False

    @property
    def per_page(self) -> int:
        """How many badges one page holds."""
        return self.columns * self.rows

    def pages_for(self, badges: int) -> int:
        """How many pages `badges` badges fill."""
        return math.ceil(badges / self.per_page)

    def slots(self) -> list[tuple[float, float]]:
        """The top-left corner of each badge on a page, in the order badges fill it: row by
        row from the top left; the grid is centred on the page.
        """
        left, top = self._grid_origin()
        width, height = self.badge
        return [
            (left + column * width, top + row * height)
            for row in range(self.rows)
            for column in range(self.columns)
        ]

    def cut_marks_mm(self, length: float = 4.0) -> list[tuple[float, float, float, float]]:
        """Short lines (x1, y1, x2, y2, page millimetres from the top left) on the lines a
        sheet is cut along: a cross where four badges meet, a tick where a cut line meets the
        grid's edge, and crop marks in the page's margin where it has room for them. They lie
        on the cut itself, so cutting removes them. None when the layout has no cut marks.
        """
        if not self.cut_marks:
            return []
        left, top = self._grid_origin()
        width, height = self.badge
        right, bottom = left + self.columns * width, top + self.rows * height
        xs = [left + column * width for column in range(self.columns + 1)]
        ys = [top + row * height for row in range(self.rows + 1)]
        marks: list[tuple[float, float, float, float]] = []
        for x in xs[1:-1]:
            marks += [(x, top, x, top + length), (x, bottom - length, x, bottom)]
            marks += [(x, y - length, x, y + length) for y in ys[1:-1]]
        for y in ys[1:-1]:
            marks += [(left, y, left + length, y), (right - length, y, right, y)]
            marks += [(x - length, y, x + length, y) for x in xs[1:-1]]
        gap = 1.0  # crop marks stop short of the badge so a slightly skewed cut hides them
        page_width, page_height = self.page
        if top >= length + gap:
            marks += [(x, top - gap - length, x, top - gap) for x in xs]
        if page_height - bottom >= length + gap:
            marks += [(x, bottom + gap, x, bottom + gap + length) for x in xs]
        if left >= length + gap:
            marks += [(left - gap - length, y, left - gap, y) for y in ys]
        if page_width - right >= length + gap:
            marks += [(right + gap, y, right + gap + length, y) for y in ys]
        return marks

    def _grid_origin(self) -> tuple[float, float]:
        return (
            (self.page[0] - self.columns * self.badge[0]) / 2,
            (self.page[1] - self.rows * self.badge[1]) / 2,
        )


# -- layout files ------------------------------------------------------------------------------

_LAYOUT_KEYS = {
    "description",
    "page_mm",
    "badge_mm",
    "grid",
    "cut_marks",
    "text",
    "band",
    "qr",
    "logo",
}
_STYLE_KEYS = {"size_pt", "min_pt", "lines", "bold", "align", "valign", "capitals", "colour"}
_TEXT_KEYS = {"field", "box_mm", *_STYLE_KEYS}
_BAND_KEYS = {"box_mm", "padding_mm", *_STYLE_KEYS} - {"colour"}
_QR_KEYS = {"box_mm", "quiet_zone"}
_LOGO_KEYS = {"box_mm"}
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_SIZE_LIMIT_MM = 2000.0  # a page larger than two metres is a typing error


class _LayoutError(ValueError):
    """A problem in a layout file, worded for the organiser who edits it."""


def layout_from_json(name: str, data: object) -> BadgeLayout:
    """The layout a layout file's JSON describes (resources/badges/README.md has the format);
    raises `FileFormatError` naming the layout and what is wrong.
    """
    try:
        return _layout(name, data)
    except _LayoutError as error:
        raise FileFormatError(f"badge layout {name!r}: {error}") from None


def _layout(name: str, data: object) -> BadgeLayout:
    spec = _object(data, "the layout", _LAYOUT_KEYS, required={"page_mm", "text"})
    page = _size(spec["page_mm"], "page_mm")
    badge = _size(spec.get("badge_mm", spec["page_mm"]), "badge_mm")
    columns, rows = _grid(spec.get("grid", [1, 1]))
    if columns * badge[0] > page[0] + 0.01 or rows * badge[1] > page[1] + 0.01:
        raise _LayoutError(f"{columns} x {rows} badges of {badge} mm do not fit a {page} mm page")
    outline = Rect(0, 0, *badge)
    texts_data = spec["text"]
    if not isinstance(texts_data, list) or not texts_data:
        raise _LayoutError("text: expected a list of text boxes")
    texts = tuple(_text_box(item, index, outline) for index, item in enumerate(texts_data))
    band = None
    if spec.get("band") is not None:
        band_spec = _object(spec["band"], "band", _BAND_KEYS, required={"box_mm", "size_pt"})
        band = BandBox(
            _box(band_spec["box_mm"], "band.box_mm", outline),
            _style(band_spec, "band"),
            _number(band_spec.get("padding_mm", 2.0), "band.padding_mm", minimum=0),
        )
    qr = None
    if spec.get("qr") is not None:
        qr_spec = _object(spec["qr"], "qr", _QR_KEYS, required={"box_mm"})
        quiet = qr_spec.get("quiet_zone", 4)
        if not isinstance(quiet, int) or isinstance(quiet, bool) or not 0 <= quiet <= 8:
            raise _LayoutError("qr.quiet_zone: expected a whole number of modules, 0 to 8")
        qr = QrBox(_box(qr_spec["box_mm"], "qr.box_mm", outline), quiet)
    logo = None
    if spec.get("logo") is not None:
        logo_spec = _object(spec["logo"], "logo", _LOGO_KEYS, required={"box_mm"})
        logo = _box(logo_spec["box_mm"], "logo.box_mm", outline)
    cut_marks = spec.get("cut_marks", False)
    if not isinstance(cut_marks, bool):
        raise _LayoutError("cut_marks: expected true or false")
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise _LayoutError("description: expected text")
    return BadgeLayout(
        name=name,
        description=description,
        page=page,
        badge=badge,
        texts=texts,
        band=band,
        qr=qr,
        logo=logo,
        columns=columns,
        rows=rows,
        cut_marks=cut_marks,
    )


def _object(
    data: object, where: str, allowed: set[str], required: Iterable[str] = ()
) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _LayoutError(f"{where}: expected a JSON object")
    unknown = sorted(set(data) - allowed)
    if unknown:  # a misspelt key would otherwise be ignored without a word
        raise _LayoutError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = sorted(set(required) - set(data))
    if missing:
        raise _LayoutError(f"{where}: missing {', '.join(missing)}")
    return data


def _number(value: object, where: str, *, minimum: float = 0.0, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _LayoutError(f"{where}: expected a number")
    if value < minimum or (strict and value == minimum):
        bound = "above" if strict else "at least"
        raise _LayoutError(f"{where}: expected a number {bound} {minimum:g}, not {value}")
    return float(value)


def _numbers(value: object, count: int, where: str) -> list[float]:
    if not isinstance(value, list) or len(value) != count:
        raise _LayoutError(f"{where}: expected a list of {count} numbers")
    return [_number(item, where) for item in value]


def _size(value: object, where: str) -> tuple[float, float]:
    width, height = _numbers(value, 2, where)
    if not (0 < width <= _SIZE_LIMIT_MM and 0 < height <= _SIZE_LIMIT_MM):
        raise _LayoutError(f"{where}: width and height must be above 0 and at most 2000 mm")
    return width, height


def _grid(value: object) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(item, int) and not isinstance(item, bool) for item in value)
        or not all(1 <= item <= 20 for item in value)
    ):
        raise _LayoutError("grid: expected [columns, rows], whole numbers from 1 to 20")
    return value[0], value[1]


def _box(value: object, where: str, outline: Rect) -> Rect:
    x, y, width, height = _numbers(value, 4, where)
    box = Rect(x, y, width, height)
    slack = 0.01  # millimetres: decimal fractions in the file must not fail an exact fit
    if (
        width <= 0
        or height <= 0
        or box.right > outline.right + slack
        or box.bottom > outline.bottom + slack
    ):
        raise _LayoutError(
            f"{where}: [x, y, width, height] {value} must lie inside the badge "
            f"({outline.width:g} x {outline.height:g} mm)"
        )
    return box


def _style(spec: Mapping[str, Any], where: str) -> TextStyle:
    size = _number(spec["size_pt"], f"{where}.size_pt", strict=True)
    min_size = _number(spec.get("min_pt", size), f"{where}.min_pt", strict=True)
    if min_size > size:
        raise _LayoutError(f"{where}: min_pt {min_size:g} is above size_pt {size:g}")
    lines = spec.get("lines", 2)
    if lines not in (1, 2) or isinstance(lines, bool):
        raise _LayoutError(f"{where}.lines: expected 1 or 2")
    flags = {}
    for flag in ("bold", "capitals"):
        flags[flag] = spec.get(flag, False)
        if not isinstance(flags[flag], bool):
            raise _LayoutError(f"{where}.{flag}: expected true or false")
    try:
        align = Align(spec.get("align", Align.CENTER))
        valign = VAlign(spec.get("valign", VAlign.MIDDLE))
    except ValueError:
        raise _LayoutError(
            f"{where}: align is left, center or right; valign is top, middle or bottom"
        ) from None
    return TextStyle(
        size=size,
        min_size=min_size,
        max_lines=lines,
        bold=flags["bold"],
        align=align,
        valign=valign,
        capitals=flags["capitals"],
        colour=_colour(spec.get("colour", "#000000"), f"{where}.colour"),
    )


def _text_box(data: object, index: int, outline: Rect) -> TextBox:
    where = f"text[{index}]"
    spec = _object(data, where, _TEXT_KEYS, required={"field", "box_mm", "size_pt"})
    field = spec["field"]
    if field not in FIELDS:
        raise _LayoutError(f"{where}.field: {field!r} is not one of {', '.join(FIELDS)}")
    return TextBox(field, _box(spec["box_mm"], f"{where}.box_mm", outline), _style(spec, where))


def _colour(value: object, where: str) -> RGB:
    if not isinstance(value, str) or not _HEX_COLOUR.fullmatch(value):
        raise _LayoutError(f"{where}: expected a colour as #RRGGBB, not {value!r}")
    return parse_colour(value)


def parse_colour(text: str) -> RGB:
    """'#RRGGBB' as (red, green, blue), each from 0 to 1."""
    return (int(text[1:3], 16) / 255, int(text[3:5], 16) / 255, int(text[5:7], 16) / 255)


# -- category colours --------------------------------------------------------------------------


def relative_luminance(colour: RGB) -> float:
    """WCAG 2's relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        if channel <= 0.04045:
            return channel / 12.92
        return float(((channel + 0.055) / 1.055) ** 2.4)

    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(fill: RGB) -> RGB:
    """Black or white, whichever reads better on `fill`: one of them always reaches 4.58:1."""
    return BLACK if contrast_ratio(BLACK, fill) >= contrast_ratio(WHITE, fill) else WHITE


@dataclass(frozen=True)
class CategoryStyle:
    """The band colour of the categories whose names (in any language) are `names`."""

    names: tuple[str, ...]
    colour: RGB

    @property
    def text_colour(self) -> RGB:
        """The colour of the words on the band."""
        return text_colour_on(self.colour)


@dataclass(frozen=True)
class CategoryPalette:
    """Band colours by category; `other` colours any category not listed, and an attendee
    with no category gets the band of `unnamed` (the walk-in default, "Participant").
    """

    styles: tuple[CategoryStyle, ...]
    other: RGB = (0.878, 0.878, 0.878)
    unnamed: str = "Participant"

    def colour_of(self, category: str) -> RGB:
        """The band colour for `category`, matched ignoring case and diacritics."""
        key = fold(category.strip() or self.unnamed)
        for style in self.styles:
            if key in (fold(name) for name in style.names):
                return style.colour
        return self.other


def palette_from_json(data: object) -> CategoryPalette:
    """The palette categories.json describes; raises `FileFormatError` saying what is wrong."""
    try:
        spec = _object(data, "categories", {"categories", "other", "unnamed"}, {"categories"})
        entries = spec["categories"]
        if not isinstance(entries, list):
            raise _LayoutError("categories: expected a list")
        styles = []
        for index, entry in enumerate(entries):
            item = _object(entry, f"categories[{index}]", {"names", "colour"}, {"names", "colour"})
            names = item["names"]
            if (
                not isinstance(names, list)
                or not names
                or not all(isinstance(name, str) and name.strip() for name in names)
            ):
                raise _LayoutError(f"categories[{index}].names: expected a list of names")
            styles.append(
                CategoryStyle(tuple(names), _colour(item["colour"], f"categories[{index}].colour"))
            )
        unnamed = spec.get("unnamed", "Participant")
        if not isinstance(unnamed, str) or not unnamed.strip():
            raise _LayoutError("unnamed: expected a category name")
        return CategoryPalette(
            tuple(styles), _colour(spec.get("other", "#E0E0E0"), "other"), unnamed.strip()
        )
    except _LayoutError as error:
        raise FileFormatError(f"badge categories: {error}") from None


# -- what a badge says -------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeContent:
    """What one badge says, before any layout places it."""

    attendee_id: str
    code: str  # the attendee's main code: what the QR code holds
    fields: Mapping[str, str]  # every one of FIELDS, display-ready
    category: str  # the words on the band
    band: RGB
    band_text: RGB


def badge_content(event: Event, attendee: Attendee, palette: CategoryPalette) -> BadgeContent:
    """The badge of `attendee` at `event`: names letter for letter as registered, the band's
    colour and words from the category (never the colour alone).
    """
    category = display_text(attendee.category) or palette.unnamed
    band = palette.colour_of(category)
    fields = {
        "first_name": attendee.first_name,
        "last_name": attendee.last_name,
        "full_name": attendee.full_name,
        "organisation": attendee.organisation,
        "country": attendee.country,
        "event": event.name,
        "venue": event.venue,
    }
    return BadgeContent(
        attendee_id=attendee.id,
        code=attendee.code,
        fields={name: display_text(value) for name, value in fields.items()},
        category=category,
        band=band,
        band_text=text_colour_on(band),
    )


# -- fitting text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FontMetrics:
    """What fitting needs of a font: its widths, and its height above and below the baseline
    as fractions of the size (the font's line ascent and descent, accents included).
    """

    measure: Measure
    ascent: float
    descent: float

    @property
    def line_height(self) -> float:
        """One line's height, as a multiple of the size."""
        return max(LEADING, self.ascent + self.descent)


@dataclass(frozen=True)
class BadgeFonts:
    """The regular and the bold font of a badge."""

    regular: FontMetrics
    bold: FontMetrics

    def of(self, style: TextStyle) -> FontMetrics:
        """The font a style sets its text in."""
        return self.bold if style.bold else self.regular


@dataclass(frozen=True)
class FittedText:
    """A text set to fit its box: its lines, their size, and whether it had to go below the
    box's smallest size (the badge check reports those).
    """

    lines: tuple[str, ...]
    size: float
    below_minimum: bool = False


def fit_text(
    text: str,
    width: float,
    height: float,
    style: TextStyle,
    font: FontMetrics,
) -> FittedText:
    """Set `text` in a box `width` x `height` points: on one line at the largest size up to
    `style.size` that fits; when that is below `style.min_size` and the style allows two lines,
    on two lines broken where they come out most even (at a space or after a hyphen or slash;
    inside a word only when no such break reaches the minimum and that one does, or the text
    has no such break), again at the largest size that fits. When even
    that is below the minimum, the text takes the size that fits, however small, and is marked
    `below_minimum`: it never overflows its box and never loses a letter.
    """
    if not text:
        return FittedText((), 0.0)
    one = FittedText((text,), _largest_size((text,), width, height, style.size, font))
    if one.size >= style.min_size or style.max_lines < 2 or len(text) < 2:
        return _flagged(one, style)
    two = _best_two_lines(_soft_breaks(text), width, height, style, font)
    if two is None or two.size < style.min_size:
        # Inside a word only when no space or hyphen does it: the break then reaches the
        # minimum where none of those does, or the text has none.
        hard = _best_two_lines(_hard_breaks(text), width, height, style, font)
        if hard is not None and (two is None or hard.size >= style.min_size):
            two = hard
    if two is None or two.size <= one.size:
        return _flagged(one, style)
    return _flagged(two, style)


def _flagged(fitted: FittedText, style: TextStyle) -> FittedText:
    return FittedText(fitted.lines, fitted.size, fitted.size < style.min_size)


def _largest_size(
    lines: Sequence[str], width: float, height: float, largest: float, font: FontMetrics
) -> float:
    """The largest size, in steps of SIZE_STEP and at most `largest`, at which every line fits
    `width` and all of them fit `height`.
    """
    limit = min(largest, height / (len(lines) * font.line_height))
    for line in lines:
        unit = font.measure(line, 1.0)  # widths grow in proportion to the size
        if unit > 0:
            limit = min(limit, width / unit)
    size = round(math.floor(limit / SIZE_STEP) * SIZE_STEP, 1)
    if size > limit:  # limit / SIZE_STEP came out a hair above a whole number
        size = round(size - SIZE_STEP, 1)
    if size <= 0:
        return limit  # too long for even the smallest step: the exact size that fits
    # Guard against a measure that is not exactly proportional (rounding in the font's widths).
    while size > SIZE_STEP and any(font.measure(line, size) > width for line in lines):
        size = round(size - SIZE_STEP, 1)
    return size


def _soft_breaks(text: str) -> list[tuple[str, str]]:
    breaks = []
    for index, char in enumerate(text):
        if char == " ":
            breaks.append((text[:index], text[index + 1 :]))
        elif char in BREAK_AFTER and 0 < index < len(text) - 1:
            breaks.append((text[: index + 1], text[index + 1 :]))
    return [(first, second) for first, second in breaks if first.strip() and second.strip()]


def _hard_breaks(text: str) -> list[tuple[str, str]]:
    return [
        (text[:index].rstrip(), text[index:].lstrip())
        for index in range(1, len(text))
        if text[:index].strip() and text[index:].strip()
    ]


def _best_two_lines(
    breaks: Iterable[tuple[str, str]],
    width: float,
    height: float,
    style: TextStyle,
    font: FontMetrics,
) -> FittedText | None:
    """The break whose wider line is narrowest (so the two lines can be largest), set in the
    largest size that fits; None when there is no break.
    """
    best: tuple[float, tuple[str, str]] | None = None
    for first, second in breaks:
        wider = max(font.measure(first, 1.0), font.measure(second, 1.0))
        if best is None or wider < best[0]:
            best = (wider, (first, second))
    if best is None:
        return None
    lines = best[1]
    return FittedText(lines, _largest_size(lines, width, height, style.size, font))


# -- placing text on a badge -------------------------------------------------------------------


@dataclass(frozen=True)
class PlacedLine:
    """One line of text where it is drawn: `x` of its left end and its `baseline`, in points
    from the badge's top-left corner; `width` in points.
    """

    text: str
    x: float
    baseline: float
    width: float


@dataclass(frozen=True)
class PlacedText:
    """A field's text fitted and placed on a badge: what a renderer draws and the badge check
    inspects.
    """

    field: str  # one of FIELDS, or "category" for the band's words
    text: str  # the whole text as printed (capitals applied)
    size: float
    min_size: float
    bold: bool
    colour: RGB
    lines: tuple[PlacedLine, ...]
    below_minimum: bool
    box: tuple[float, float, float, float]  # (x, y, width, height) in points: the text's room

    @property
    def printed(self) -> str:
        """The lines as printed, joined by spaces where they were broken."""
        return " ".join(line.text for line in self.lines)


def place_text(
    field: str, text: str, rect: Rect, style: TextStyle, font: FontMetrics
) -> PlacedText:
    """`text` fitted into `rect` (millimetres) in `style`, each line placed by the style's
    alignment: every line lies within the rectangle.
    """
    shown = text.upper() if style.capitals else text
    x, y, width, height = rect.x * MM, rect.y * MM, rect.width * MM, rect.height * MM
    fitted = fit_text(shown, width, height, style, font)
    size = fitted.size
    line_height = size * font.line_height
    block = line_height * len(fitted.lines)
    if style.valign is VAlign.TOP:
        top = y
    elif style.valign is VAlign.BOTTOM:
        top = y + height - block
    else:
        top = y + (height - block) / 2
    # The glyphs' height (ascent + descent) is centred in each line's height.
    above = (line_height - size * (font.ascent + font.descent)) / 2 + size * font.ascent
    lines = []
    for index, line in enumerate(fitted.lines):
        line_width = font.measure(line, size)
        if style.align is Align.LEFT:
            left = x
        elif style.align is Align.RIGHT:
            left = x + width - line_width
        else:
            left = x + (width - line_width) / 2
        lines.append(PlacedLine(line, left, top + index * line_height + above, line_width))
    return PlacedText(
        field=field,
        text=shown,
        size=size,
        min_size=style.min_size,
        bold=style.bold,
        colour=style.colour,
        lines=tuple(lines),
        below_minimum=fitted.below_minimum,
        box=(x, y, width, height),
    )


def badge_texts(layout: BadgeLayout, content: BadgeContent, fonts: BadgeFonts) -> list[PlacedText]:
    """Every text of one badge in `layout`, fitted and placed: the text boxes in the layout's
    order, then the band's words (field "category", in the band's text colour).
    """
    placed = [
        place_text(box.field, content.fields[box.field], box.rect, box.style, fonts.of(box.style))
        for box in layout.texts
        if content.fields[box.field]
    ]
    if layout.band is not None:
        band = layout.band
        style = replace(band.style, colour=content.band_text)
        room = band.rect.inset(band.padding)
        placed.append(place_text("category", content.category, room, style, fonts.of(style)))
    return placed
