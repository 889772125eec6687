"""kiosk.core.badges: layout files, badge content, category contrast, fitting text to a box."""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.badges import (
    BLACK,
    MIN_CONTRAST,
    MM,
    WHITE,
    Align,
    BadgeFonts,
    CategoryPalette,
    FontMetrics,
    Rect,
    TextStyle,
    VAlign,
    badge_content,
    badge_texts,
    contrast_ratio,
    fit_text,
    layout_from_json,
    palette_from_json,
    parse_colour,
    place_text,
    text_colour_on,
)
from kiosk.core.errors import FileFormatError
from kiosk.core.model import Attendee, Event
from kiosk.core.text import display_text

BADGES = Path(__file__).resolve().parents[2] / "resources" / "badges"
LAYOUTS = ("a6", "a6-sheet", "a7", "cr80", "label-4x3", "label-62")
EVENT = Event(id="ABCDEFGH", name="Clusters meet Regions", timezone="Europe/Prague",
              days=(date(2023, 10, 23),))  # fmt: skip


def proportional(text: str, size: float) -> float:
    """A stand-in for a font's widths: wide capitals, narrow i and l, 0.55 em for the rest."""
    widths = {"i": 0.28, "l": 0.28, " ": 0.32, "M": 0.86, "W": 0.98}
    return sum(widths.get(c, 0.72 if c.isupper() else 0.55) for c in text) * size


FONT = FontMetrics(proportional, ascent=0.93, descent=0.24)
FONTS = BadgeFonts(FONT, FontMetrics(lambda t, s: proportional(t, s) * 1.1, 0.93, 0.24))


def style(size: float = 20, min_size: float = 10, lines: int = 2, **more: Any) -> TextStyle:
    return TextStyle(size=size, min_size=min_size, max_lines=lines, **more)


def load(name: str) -> Any:
    return json.loads((BADGES / f"{name}.json").read_text(encoding="utf-8"))


# -- layout files ------------------------------------------------------------------------------


def test_the_shipped_layouts_are_the_six_the_issue_names() -> None:
    names = sorted(p.stem for p in BADGES.glob("*.json") if p.name != "categories.json")
    assert tuple(names) == LAYOUTS


@pytest.mark.parametrize(
    ("name", "page", "badge", "per_page"),
    [
        ("a6", (105, 148), (105, 148), 1),
        ("a7", (74, 105), (74, 105), 1),
        ("a6-sheet", (210, 297), (105, 148), 4),
        ("label-62", (62, 100), (62, 100), 1),
        ("label-4x3", (101.6, 76.2), (101.6, 76.2), 1),
        ("cr80", (85.6, 54), (85.6, 54), 1),
    ],
)
def test_each_layout_has_its_size(
    name: str, page: tuple[float, float], badge: tuple[float, float], per_page: int
) -> None:
    layout = layout_from_json(name, load(name))
    assert layout.page == page
    assert layout.badge == badge
    assert layout.per_page == per_page
    assert layout.qr is not None and layout.band is not None
    assert {box.field for box in layout.texts} >= {"first_name", "last_name", "organisation"}
    # A QR code a phone and a desk scanner read: at least 25 mm with its quiet zone.
    assert layout.qr.square.width >= 25


def test_a_sheet_fills_row_by_row_from_the_top_left_and_is_centred() -> None:
    sheet = layout_from_json("a6-sheet", load("a6-sheet"))
    assert sheet.slots() == [(0, 0.5), (105, 0.5), (0, 148.5), (105, 148.5)]
    assert sheet.pages_for(9) == 3
    assert sheet.pages_for(8) == 2


def test_cut_marks_lie_on_the_cut_lines() -> None:
    sheet = layout_from_json("a6-sheet", load("a6-sheet"))
    marks = sheet.cut_marks_mm()
    assert marks
    for x1, y1, x2, y2 in marks:
        assert (x1 == x2 == 105) or (y1 == y2 == 148.5), (x1, y1, x2, y2)
        assert 0 <= min(x1, x2) and max(x1, x2) <= 210
        assert 0 <= min(y1, y2) and max(y1, y2) <= 297
    # The centre cross, and a tick at each edge where a cut line meets it.
    assert (105, 144.5, 105, 152.5) in marks
    assert (101, 148.5, 109, 148.5) in marks
    assert not layout_from_json("a6", load("a6")).cut_marks_mm()


def test_a_sheet_with_a_margin_gets_crop_marks_outside_the_badges() -> None:
    spec = {"page_mm": [210, 297], "badge_mm": [85.6, 54], "grid": [2, 5], "cut_marks": True,
            "text": [{"field": "first_name", "box_mm": [2, 2, 50, 10], "size_pt": 20}]}  # fmt: skip
    layout = layout_from_json("cards", spec)
    left, top = layout.slots()[0]
    assert left == pytest.approx(19.4) and top == pytest.approx(13.5)
    outside = [m for m in layout.cut_marks_mm() if min(m[1], m[3]) < top - 0.5]
    assert len(outside) == 3  # one over each of the three vertical cut lines


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "#123456"}, "unknown key"),
        ({"text": []}, "text: expected a list"),
        ({"page_mm": [105]}, "page_mm: expected a list of 2 numbers"),
        ({"page_mm": [0, 148]}, "above 0"),
        ({"grid": [3, 1]}, "do not fit"),
        ({"qr": {"box_mm": [80, 91, 38, 38]}}, r"qr\.box_mm.*inside the badge"),
        ({"qr": {"box_mm": [30, 90, 38, 38], "quiet_zone": 1.5}}, "quiet_zone"),
        ({"text": [{"field": "email", "box_mm": [1, 1, 9, 9], "size_pt": 9}]}, "not one of"),
        ({"text": [{"field": "country", "box_mm": [1, 1, 9, 9], "size_pt": 9, "min_pt": 10}]},
         "above size_pt"),
        ({"text": [{"field": "country", "box_mm": [1, 1, 9, 9], "size_pt": 9, "lines": 3}]},
         "lines: expected 1 or 2"),
        ({"text": [{"field": "country", "box_mm": [1, 1, 9, 9], "size_pt": 9,
                    "align": "justify"}]}, "align is left"),
        ({"band": {"box_mm": [0, 131, 105, 17], "size_pt": 20, "colour": "#FFFFFF"}},
         "band: unknown key"),
        ({"cut_marks": "yes"}, "cut_marks"),
    ],
)  # fmt: skip
def test_a_wrong_layout_file_says_what_is_wrong(change: dict[str, Any], message: str) -> None:
    spec = {**load("a6"), **change}
    with pytest.raises(FileFormatError, match=message) as raised:
        layout_from_json("mine", spec)
    assert "badge layout 'mine'" in str(raised.value)


def test_not_an_object_is_refused() -> None:
    with pytest.raises(FileFormatError, match="expected a JSON object"):
        layout_from_json("list", [1, 2])


# -- categories and contrast -------------------------------------------------------------------


def test_contrast_matches_the_figures_of_the_ux_notes() -> None:
    assert contrast_ratio(WHITE, parse_colour("#B71C1C")) == pytest.approx(6.6, abs=0.05)
    assert contrast_ratio(WHITE, parse_colour("#2E7D32")) == pytest.approx(5.1, abs=0.05)
    assert contrast_ratio(WHITE, parse_colour("#F0AD4E")) == pytest.approx(1.95, abs=0.05)
    assert contrast_ratio(BLACK, parse_colour("#F0AD4E")) == pytest.approx(10.8, abs=0.05)
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21)


@given(st.tuples(*[st.integers(0, 255)] * 3))
def test_the_words_on_any_band_colour_reach_4_5_to_1(rgb: tuple[int, int, int]) -> None:
    fill = (rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)
    assert contrast_ratio(text_colour_on(fill), fill) >= MIN_CONTRAST


def test_every_shipped_category_colour_is_readable_and_distinct() -> None:
    palette = palette_from_json(load("categories"))
    colours = [style.colour for style in palette.styles]
    assert len(set(colours)) == len(colours)
    for style_ in palette.styles:
        assert contrast_ratio(style_.text_colour, style_.colour) >= MIN_CONTRAST, style_.names
    assert contrast_ratio(text_colour_on(palette.other), palette.other) >= MIN_CONTRAST
    assert palette.colour_of("speaker") == palette.colour_of("PŘEDNÁŠEJÍCÍ")
    assert palette.colour_of("Prednasejici") == palette.colour_of("Speaker")
    assert palette.colour_of("Catering") == palette.other
    assert palette.colour_of("") == palette.colour_of("Participant")


def test_a_wrong_categories_file_says_what_is_wrong() -> None:
    with pytest.raises(FileFormatError, match=r"categories\[0\]\.colour"):
        palette_from_json({"categories": [{"names": ["Speaker"], "colour": "red"}]})
    with pytest.raises(FileFormatError, match=r"categories\[0\]\.names"):
        palette_from_json({"categories": [{"names": [], "colour": "#000000"}]})


# -- what a badge says -------------------------------------------------------------------------


def test_names_are_printed_as_registered_letter_for_letter() -> None:
    palette = palette_from_json(load("categories"))
    attendee = Attendee(id="X", first_name="Łukasz", last_name="Żółć-Brzęczyszczykiewicz",
                        organisation="Śląski Klaster", country="PL", code="abc",
                        category="Speaker")  # fmt: skip
    content = badge_content(EVENT, attendee, palette)
    assert content.fields["first_name"] == "Łukasz"
    assert content.fields["last_name"] == "Żółć-Brzęczyszczykiewicz"
    assert content.fields["full_name"] == "Łukasz Żółć-Brzęczyszczykiewicz"
    assert content.fields["event"] == "Clusters meet Regions"
    assert content.code == "abc"
    assert content.category == "Speaker"
    assert content.band == parse_colour("#B71C1C") and content.band_text == WHITE


def test_display_text_composes_and_drops_what_does_not_print() -> None:
    decomposed = unicodedata.normalize("NFD", "Vrabčeková")
    assert decomposed != "Vrabčeková"
    assert display_text(decomposed) == "Vrabčeková"
    assert display_text("  Jan\u00ad \u200bNovák\u200e\t ") == "Jan Novák"
    assert display_text("Anna\u00a0Marie") == "Anna Marie"


def test_no_category_gets_the_default_band_with_its_words() -> None:
    palette = CategoryPalette(())
    content = badge_content(EVENT, Attendee(id="X", first_name="A", last_name="B"), palette)
    assert content.category == "Participant"


# -- fitting -----------------------------------------------------------------------------------


def test_a_short_text_takes_the_largest_size() -> None:
    fitted = fit_text("Jan", 200, 100, style(), FONT)
    assert fitted.lines == ("Jan",) and fitted.size == 20 and not fitted.below_minimum


def test_a_longer_text_shrinks_before_it_wraps() -> None:
    text = "Kristina Šermukšnytė"
    fitted = fit_text(text, 150, 100, style(), FONT)
    assert fitted.lines == (text,)
    assert 10 <= fitted.size < 20
    assert proportional(text, fitted.size) <= 150
    assert proportional(text, fitted.size + 0.1) > 150  # the largest tenth of a point


def test_below_the_minimum_the_text_wraps_at_the_most_even_space() -> None:
    text = "Maria Dolores Fernández de Córdoba y Montenegro-Villaseñor"
    fitted = fit_text(text, 200, 100, style(), FONT)
    assert len(fitted.lines) == 2 and not fitted.below_minimum
    assert " ".join(fitted.lines) == text
    first, second = (proportional(line, 1) for line in fitted.lines)
    assert abs(first - second) < proportional("Montenegro-", 1)


def test_a_hyphenated_surname_breaks_after_its_hyphen_and_keeps_it() -> None:
    text = "Šermukšnytė-Vaitkevičienė"
    fitted = fit_text(text, 100, 100, style(size=30, min_size=14), FONT)
    assert fitted.lines == ("Šermukšnytė-", "Vaitkevičienė")
    assert "".join(fitted.lines) == text


def test_one_long_word_breaks_inside_only_when_it_must() -> None:
    word = "Forschungsgemeinschaftsverwaltung"
    fitted = fit_text(word, 120, 100, style(size=20, min_size=9), FONT)
    assert len(fitted.lines) == 2 and "".join(fitted.lines) == word
    assert not fitted.below_minimum
    # A space that reaches the minimum wins over an even break inside a word.
    text = "Forschungsgemeinschaftsverwaltung GmbH"
    fitted = fit_text(text, 180, 100, style(size=20, min_size=9), FONT)
    assert fitted.lines == ("Forschungsgemeinschaftsverwaltung", "GmbH")


def test_a_text_too_long_for_two_lines_shrinks_below_the_minimum_and_says_so() -> None:
    text = "Universidad Politécnica de Madrid " * 4
    fitted = fit_text(text.strip(), 100, 40, style(size=14, min_size=7), FONT)
    assert fitted.below_minimum
    assert 0 < fitted.size < 7
    assert " ".join(fitted.lines) == text.strip()
    assert all(proportional(line, fitted.size) <= 100 for line in fitted.lines)


def test_one_line_only_shrinks_and_never_wraps() -> None:
    fitted = fit_text("Moravskoslezský automobilový klastr", 60, 40, style(lines=1), FONT)
    assert len(fitted.lines) == 1 and fitted.below_minimum


def test_an_empty_text_has_no_lines() -> None:
    assert fit_text("", 100, 100, style(), FONT).lines == ()


names = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÁČĎĚŠŽłęą -/"), min_size=1, max_size=140
).map(display_text)


@given(
    text=names,
    width=st.floats(20, 400),
    height=st.floats(8, 200),
    size=st.floats(6, 60),
    ratio=st.floats(0.2, 1.0),
    lines=st.sampled_from([1, 2]),
)
def test_fitted_text_never_overflows_its_box_nor_loses_a_letter(
    *, text: str, width: float, height: float, size: float, ratio: float, lines: int
) -> None:
    chosen = style(size=size, min_size=size * ratio, lines=lines)
    fitted = fit_text(text, width, height, chosen, FONT)
    if not text:
        assert fitted.lines == ()
        return
    assert 1 <= len(fitted.lines) <= lines
    assert 0 < fitted.size <= size
    assert fitted.below_minimum == (fitted.size < chosen.min_size)
    for line in fitted.lines:
        assert proportional(line, fitted.size) <= width + 1e-6
    assert len(fitted.lines) * fitted.size * FONT.line_height <= height + 1e-6
    # Every letter is there, in order: a break drops at most the space it was made at.
    assert "".join(fitted.lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("align", list(Align))
@pytest.mark.parametrize("valign", list(VAlign))
def test_placed_lines_lie_inside_their_box(align: Align, valign: VAlign) -> None:
    rect = Rect(10, 20, 60, 20)
    text = "Maria Dolores Fernández de Córdoba y Montenegro-Villaseñor"
    placed = place_text("last_name", text, rect, style(align=align, valign=valign), FONT)
    assert len(placed.lines) == 2
    for line in placed.lines:
        assert line.x >= rect.x * MM - 1e-6
        assert line.x + line.width <= rect.right * MM + 1e-6
        assert line.baseline - FONT.ascent * placed.size >= rect.y * MM - 1e-6
        assert line.baseline + FONT.descent * placed.size <= rect.bottom * MM + 1e-6
    if align is Align.LEFT:
        assert all(line.x == pytest.approx(rect.x * MM) for line in placed.lines)
    if valign is VAlign.TOP:
        top = placed.lines[0].baseline - FONT.ascent * placed.size
        assert top == pytest.approx(rect.y * MM, abs=0.2 * placed.size)


def test_capitals_are_a_layout_choice() -> None:
    placed = place_text("category", "Přednášející", Rect(0, 0, 100, 20), style(capitals=True),
                        FONT)  # fmt: skip
    assert placed.text == "PŘEDNÁŠEJÍCÍ"


def test_a_badge_places_every_field_of_its_layout_and_the_band_words() -> None:
    layout = layout_from_json("a6", load("a6"))
    palette = palette_from_json(load("categories"))
    attendee = Attendee(id="X", first_name="Jan", last_name="Novák", code="c",
                        category="Press")  # fmt: skip
    placed = badge_texts(layout, badge_content(EVENT, attendee, palette), FONTS)
    fields = [text.field for text in placed]
    # No organisation and no country: their boxes stay empty.
    assert fields == ["event", "first_name", "last_name", "category"]
    band = placed[-1]
    assert band.text == "PRESS" and band.colour == BLACK  # black reads on amber
    assert placed[1].bold and not placed[2].bold
