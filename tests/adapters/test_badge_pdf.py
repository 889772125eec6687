"""PdfBadges: page sizes, exact Unicode names, QR codes that decode, text that never overflows."""

from __future__ import annotations

import io
import json
import shutil
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from kiosk.adapters.badge_pdf import PdfBadges
from kiosk.adapters.output_files import UnsafeOutputError
from kiosk.core.badges import MM, PlacedText
from kiosk.core.errors import FileFormatError, InvalidInputError
from kiosk.core.model import Attendee, Event
from kiosk.core.signing import issue_code, new_event_keys

LAYOUTS = ["a6", "a6-sheet", "a7", "cr80", "label-4x3", "label-62"]
PAGE_POINTS = {
    "a6": (297.64, 419.53),
    "a6-sheet": (595.28, 841.89),  # A4
    "a7": (209.76, 297.64),
    "cr80": (242.65, 153.07),
    "label-4x3": (288.0, 216.0),  # 4 x 3 inches
    "label-62": (175.75, 283.46),
}
EVENT = Event(id="ABCDEFGH", name="Clusters meet Regions", timezone="Europe/Prague",
              days=(date(2023, 10, 23),))  # fmt: skip
LONG_ORGANISATION = (
    "Forschungsgemeinschaft für angewandte Nanotechnologie und Präzisionsoptik an der "
    "Technischen Universität München e.V. (FANP)"
)
# Real-world long names and one of each language whose letters Helvetica cannot print.
PEOPLE = [
    ("Maria Dolores", "Fernández de Córdoba y Montenegro-Villaseñor",
     "Universidad Politécnica de Madrid", "ES", "Speaker"),
    ("Kristina", "Šermukšnytė-Vaitkevičienė", "Baltijos lazerių klasteris", "LT", "Participant"),
    ("Řehoř", "Šťastný-Žďárský", "Moravskoslezský automobilový klastr", "CZ", "Organiser"),
    ("Małgorzata", "Żółć-Brzęczyszczykiewicz", "Śląski Klaster Przemysłowy", "PL", "Press"),
    ("Jürgen", "Weiß-Großmann", LONG_ORGANISATION, "DE", "Staff"),
    ("Őrs", "Kőműves-Szűcs", "Győri Járműipari Klaszter", "HU", "Exhibitor"),
    ("Ștefania", "Țăranu-Mîndrescu", "Clusterul Regional Nord-Est", "RO", "Sponsor"),
    ("Çağrı İsmail", "Yılmaz-Öztürk", "İstanbul Teknoloji Kümesi", "TR", "VIP"),
    ("Nino", "ბერიძე", "Georgian Innovation Cluster", "GE", "Účastník"),
]  # fmt: skip
CODES = [
    "e8h3tnsxa2rc6q3hmdw9kwdwjf6qh3ft",  # pretix secret
    "000412387761",  # numeric barcode, leading zeros kept
    "CMR-2023-0901",
    "https://tickets.example.org/t/AB12CD34",
    "zzyy12",
    "6m8qvwkwk4pjdtkd5mpp2ens9dnu42nu",
    "032857605093",
    "bm5r9crgsxuhaccmsss2hutxt4tqnpf3",
    "4fc9mgv6nufhenah23jj9nath5fq4pf8",
]
# Every letter of the alphabets of Europe's languages (and Georgian and Armenian).
ALPHABETS = {
    "Czech": "ÁČĎÉĚÍŇÓŘŠŤÚŮÝŽáčďéěíňóřšťúůýž",
    "Slovak": "ÄĹĽŔÔäĺľŕô",
    "Polish": "ĄĆĘŁŃÓŚŹŻąćęłńóśźż",
    "Lithuanian": "ĄČĘĖĮŠŲŪŽąčęėįšųūž",
    "Latvian": "ĀČĒĢĪĶĻŅŠŪŽāčēģīķļņšūž",
    "Estonian": "ÄÕÖÜŠŽäõöüšž",
    "German": "ÄÖÜẞäöüß",
    "Hungarian": "ÁÉÍÓÖŐÚÜŰáéíóöőúüű",
    "Romanian": "ĂÂÎȘȚăâîșțŞŢşţ",
    "Turkish": "ÇĞİÖŞÜçğıöşü",
    "South Slavic": "ČĆĐŠŽčćđšž",
    "Nordic": "ÅÆØÐÞåæøðþ",
    "Romance": "ÀÂÇÈÉÊËÎÏÑÒÔÙÛÜŸŒàâçèéêëîïñòôùûüÿœ·ŀĿ",
    "Maltese and Welsh": "ĊĠĦŻċġħżŴŶŵŷ",
    "Greek": "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩάέήίόύώϊϋΐΰαβγδεζηθικλμνξοπρσςτυφχψω",
    "Cyrillic": "АБВГҐДЂЃЕЀЁЄЖЗЅИЍІЇЙЈКЛЉМНЊОПРСТЋЌУЎФХЦЧЏШЩЪЫЬЭЮЯ"
    "абвгґдђѓеѐёєжзѕиѝіїйјклљмнњопрстћќуўфхцчџшщъыьэюя",
    "Georgian": "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
    "Armenian": "ԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄՅՆՇՈՉՊՋՌՍՎՏՐՑՒՓՔՕՖաբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
    "punctuation": "’'‐-–.,()&/",
}


@pytest.fixture(scope="module")
def renderer() -> PdfBadges:
    return PdfBadges()


def attendees(count: int = len(PEOPLE)) -> list[Attendee]:
    made = []
    for index in range(count):
        first, last, organisation, country, category = PEOPLE[index % len(PEOPLE)]
        code = CODES[index % len(CODES)]
        made.append(
            Attendee(
                id=f"A{index}",
                first_name=first,
                last_name=last,
                code=code,
                codes=(code,),
                organisation=organisation,
                country=country,
                category=category,
            )
        )
    return made


def pdf_text(pdf: bytes) -> list[str]:
    """Each page's text, one line of the badge a line (pypdf may indent one: stripped)."""
    return [
        "\n".join(line.strip() for line in page.extract_text().splitlines())
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


def pages_of(pdf: bytes, dpi: int = 150) -> Iterator[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            yield page.render(scale=dpi / 72).to_pil()
    finally:
        document.close()


def decoded(image: Image.Image) -> set[str]:
    return {found.text for found in zxingcpp.read_barcodes(image)}


def test_the_layouts_are_the_data_files(renderer: PdfBadges) -> None:
    assert renderer.layouts() == LAYOUTS
    assert renderer.page_size_mm("a6") == (105, 148)
    assert renderer.page_size_mm("a6-sheet") == (210, 297)
    assert renderer.badges_per_page("a6-sheet") == 4


def test_an_unknown_layout_names_the_layouts_there_are(renderer: PdfBadges) -> None:
    with pytest.raises(InvalidInputError, match=r"no badge layout 'a5'.*a6, a6-sheet, a7"):
        renderer.render(EVENT, attendees(1), "a5")


def test_no_attendees_make_no_blank_pdf(renderer: PdfBadges) -> None:
    with pytest.raises(InvalidInputError, match="no attendees"):
        renderer.render(EVENT, [], "a6")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_layout_has_its_page_size_and_page_count(renderer: PdfBadges, layout: str) -> None:
    pdf = renderer.render(EVENT, attendees(), layout)
    reader = PdfReader(io.BytesIO(pdf))
    # Nine badges: one a page, or four a sheet (4 + 4 + 1).
    assert len(reader.pages) == (3 if layout == "a6-sheet" else 9)
    for page in reader.pages:
        box = page.mediabox
        assert float(box.width) == pytest.approx(PAGE_POINTS[layout][0], abs=0.01)
        assert float(box.height) == pytest.approx(PAGE_POINTS[layout][1], abs=0.01)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_names_print_letter_for_letter_as_registered(renderer: PdfBadges, layout: str) -> None:
    people = attendees()
    pdf = renderer.render(EVENT, people, layout)
    pages = pdf_text(pdf)
    per_page = renderer.badges_per_page(layout)
    for index, attendee in enumerate(people):
        text = pages[index // per_page]
        lines = set(text.splitlines())
        # Every line the fitting chose is a line of the PDF exactly, as Unicode text.
        for placed in renderer.fitted_text(EVENT, attendee, layout):
            for line in placed.lines:
                assert line.text in lines, (layout, placed.field, line.text)
        # And the whole name, wrapped or not, letter for letter in order.
        squeezed = "".join(text.split())
        for name in (attendee.first_name, attendee.last_name, attendee.organisation):
            assert "".join(name.split()) in squeezed, (layout, name)
    assert "\x00" not in "".join(pages)  # no glyph was missing


def test_a_hyphenated_name_wraps_after_its_hyphen(renderer: PdfBadges) -> None:
    # Set as a first name, in large bold type, it does not fit one line of an A6 badge.
    attendee = Attendee(id="X", first_name="Šermukšnytė-Vaitkevičienė", last_name="K", code="k")
    placed = {p.field: p for p in renderer.fitted_text(EVENT, attendee, "a6")}
    name = placed["first_name"]
    assert [line.text for line in name.lines] == ["Šermukšnytė-", "Vaitkevičienė"]
    assert not name.below_minimum and name.size >= 18


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_qr_code_at_150_dpi_decodes_to_the_attendees_code(
    renderer: PdfBadges, layout: str
) -> None:
    people = attendees()
    pdf = renderer.render(EVENT, people, layout)
    per_page = renderer.badges_per_page(layout)
    for number, image in enumerate(pages_of(pdf)):
        on_page = people[number * per_page : (number + 1) * per_page]
        assert decoded(image) == {attendee.code for attendee in on_page}, (layout, number)


def test_a_kiosk_issued_code_decodes_even_on_the_smallest_badge(renderer: PdfBadges) -> None:
    keys = new_event_keys()
    code = issue_code(keys.private, EVENT.id, "ABCDEFGHIJKLM", datetime(2023, 10, 23, tzinfo=UTC))
    assert len(code) == 135
    walk_in = Attendee(id="ABCDEFGHIJKLM", first_name="Jan", last_name="Novák", code=code)
    for layout in ("cr80", "label-62"):
        (image,) = pages_of(renderer.render(EVENT, [walk_in], layout))
        assert decoded(image) == {code}, layout


def test_the_qr_code_is_vector_graphics_not_an_image(renderer: PdfBadges) -> None:
    pdf = renderer.render(EVENT, attendees(1), "a6")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert list(page.images) == []
    assert b" re\n" in page.get_contents().get_data()  # type: ignore[union-attr]


def _font_name(placed: PlacedText) -> str:
    return "KioskSans-Bold" if placed.bold else "KioskSans"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_long_texts_stay_inside_their_boxes_measured_with_the_real_font(
    renderer: PdfBadges, layout: str
) -> None:
    hhea = {"KioskSans": renderer._regular.metrics, "KioskSans-Bold": renderer._bold.metrics}
    for attendee in attendees():
        for placed in renderer.fitted_text(EVENT, attendee, layout):
            x, y, width, height = placed.box
            metrics = hhea[_font_name(placed)]
            for line in placed.lines:
                real = pdfmetrics.stringWidth(line.text, _font_name(placed), placed.size)
                assert line.x >= x - 1e-6, (layout, line.text)
                assert line.x + real <= x + width + 1e-6, (layout, line.text)
                assert line.baseline - metrics.ascent * placed.size >= y - 1e-6
                assert line.baseline + metrics.descent * placed.size <= y + height + 1e-6


@pytest.mark.parametrize("layout", LAYOUTS)
def test_no_drawn_letter_leaves_its_badge(renderer: PdfBadges, layout: str) -> None:
    """Each glyph's box as pdfium reads it from the PDF lies on the badge it belongs to."""
    chosen = renderer.layout(layout)
    badge_width, badge_height = chosen.badge[0] * MM, chosen.badge[1] * MM
    page_height = chosen.page[1] * MM
    cells = [(left * MM, page_height - top * MM - badge_height) for left, top in chosen.slots()]
    pdf = renderer.render(EVENT, attendees(), layout)
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            text_page = page.get_textpage()
            for index in range(text_page.count_chars()):
                left, bottom, right, top = text_page.get_charbox(index)
                if right - left <= 0:
                    continue  # a space or a line break pdfium made up
                centre = ((left + right) / 2, (bottom + top) / 2)
                cell = next(
                    (x, y)
                    for x, y in cells
                    if x <= centre[0] <= x + badge_width and y <= centre[1] <= y + badge_height
                )
                tolerance = 0.5  # points: pdfium rounds glyph boxes
                assert left >= cell[0] - tolerance and right <= cell[0] + badge_width + tolerance
                assert bottom >= cell[1] - tolerance and top <= cell[1] + badge_height + tolerance
    finally:
        document.close()


def test_a_120_character_organisation_shrinks_then_wraps_to_two_lines(
    renderer: PdfBadges,
) -> None:
    assert len(LONG_ORGANISATION) >= 120
    jurgen = attendees(5)[4]
    placed = {p.field: p for p in renderer.fitted_text(EVENT, jurgen, "a6")}
    organisation = placed["organisation"]
    assert len(organisation.lines) == 2
    assert not organisation.below_minimum
    assert organisation.printed == LONG_ORGANISATION
    # On a card there is no room for it at the smallest size: it shrinks further, and says so.
    placed = {p.field: p for p in renderer.fitted_text(EVENT, jurgen, "cr80")}
    assert placed["organisation"].below_minimum
    assert placed["organisation"].size < placed["organisation"].min_size


@pytest.mark.parametrize("bold", [False, True])
def test_the_font_has_every_letter_of_europes_names(renderer: PdfBadges, bold: bool) -> None:
    for language, letters in ALPHABETS.items():
        assert renderer.missing_glyphs(letters, bold=bold) == "", language


def test_letters_the_font_lacks_are_found(renderer: PdfBadges) -> None:
    assert renderer.missing_glyphs("王小明 Wang") == "王小明"
    assert renderer.missing_glyphs("山田 太郎 山") == "山田太郎"
    # DejaVu draws Arabic and Hebrew letters, but reportlab would set them left to right
    # and unjoined: as wrong as a box.
    assert renderer.missing_glyphs("محمد") == "محد"  # each letter once
    assert renderer.missing_glyphs("דוד כהן") == "דוכהן"
    assert renderer.missing_glyphs("ნინო ბერიძე") == ""


def test_the_same_badges_make_the_same_bytes(renderer: PdfBadges) -> None:
    people = attendees(3)
    assert renderer.render(EVENT, people, "a6") == renderer.render(EVENT, people, "a6")


def test_progress_hears_of_every_badge(renderer: PdfBadges) -> None:
    heard: list[tuple[int, int, str]] = []
    renderer.render(EVENT, attendees(5), "a6-sheet", lambda *step: heard.append(step))
    assert [(done, total) for done, total, _ in heard] == [(n, 5) for n in range(1, 6)]


def test_the_band_shows_the_category_in_words(renderer: PdfBadges) -> None:
    pages = pdf_text(renderer.render(EVENT, attendees(), "a6"))
    words = ["SPEAKER", "PARTICIPANT", "ORGANISER", "PRESS", "STAFF", "EXHIBITOR", "SPONSOR",
             "VIP", "ÚČASTNÍK"]  # fmt: skip
    for page, word in zip(pages, words, strict=True):
        assert word in page.splitlines()


@pytest.fixture
def own_folder(tmp_path: Path) -> Path:
    """A copy of the shipped layouts, to add a logo or a broken layout to."""
    folder = tmp_path / "badges"
    shutil.copytree(PdfBadges().folder, folder)
    return folder


def test_a_logo_beside_the_layouts_is_drawn_once_per_document(own_folder: Path) -> None:
    Image.new("RGB", (300, 40), "#0B5394").save(own_folder / "logo.png")
    renderer = PdfBadges(own_folder)
    pdf = renderer.render(EVENT, attendees(4), "a6")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages[0].images) == 1
    assert pdf.count(b"/Subtype /Image") == 1  # one image, shared by every badge
    (image, *_) = pages_of(pdf)
    # The logo's blue is at the top of the badge, where the layout puts it.
    assert image.getpixel((image.width // 2, round(12 * 150 / 25.4))) == (11, 83, 148)


def test_a_logo_over_its_size_limit_is_refused_unread(own_folder: Path) -> None:
    with (own_folder / "logo.png").open("wb") as file:
        file.truncate(21 * 1024 * 1024)  # sparse: nothing is written, nor read
    with pytest.raises(FileFormatError, match=r"logo\.png: 21 MiB is over the 20 MiB limit"):
        PdfBadges(own_folder).render(EVENT, attendees(1), "a6")


def test_without_a_logo_its_box_stays_empty(renderer: PdfBadges) -> None:
    assert renderer.logo_path is None
    (image, *_) = pages_of(renderer.render(EVENT, attendees(1), "a6"))
    assert image.getpixel((image.width // 2, round(12 * 150 / 25.4))) == (255, 255, 255)


def test_a_broken_layout_file_is_named(own_folder: Path) -> None:
    (own_folder / "mine.json").write_text('{"page_mm": [100, 100], "text": [}', encoding="utf-8")
    renderer = PdfBadges(own_folder)
    assert "mine" in renderer.layouts()
    with pytest.raises(FileFormatError, match=r"mine\.json: not valid JSON"):
        renderer.page_size_mm("mine")


def test_a_new_layout_needs_no_code(own_folder: Path) -> None:
    spec = json.loads((own_folder / "a7.json").read_text(encoding="utf-8"))
    spec["page_mm"] = [210, 297]
    spec["badge_mm"] = [74, 105]
    spec["grid"] = [2, 2]
    (own_folder / "a7-sheet.json").write_text(json.dumps(spec), encoding="utf-8")
    renderer = PdfBadges(own_folder)
    pdf = renderer.render(EVENT, attendees(10), "a7-sheet")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3


def test_the_pdf_file_is_private_and_never_the_database(
    renderer: PdfBadges, tmp_path: Path
) -> None:
    database = tmp_path / "kiosk.sqlite3"
    database.write_bytes(b"SQLite format 3\x00" + bytes(100))
    out = renderer.write_pdf(tmp_path / "badges.pdf", b"%PDF-1.4 test", [database])
    assert out.read_bytes() == b"%PDF-1.4 test"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with pytest.raises(UnsafeOutputError):
        renderer.write_pdf(database, b"%PDF", [database])


def test_many_codes_decode_on_the_smallest_qr_code(renderer: PdfBadges) -> None:
    """The fixed mask (QR_MASK) reads on every kind of code, at the smallest module size."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["".join(alphabet[(i * 7 + j * 13) % len(alphabet)] for j in range(32))
             for i in range(12)]  # fmt: skip
    codes += [f"{i * 7919:012d}" for i in range(8)]  # numeric, leading zeros
    codes += [f"CMR-2023-{i:04d}" for i in range(6)] + ["x", "https://example.org/t?c=A1b2"]
    people = [Attendee(id=f"Q{i}", first_name="Q", last_name=str(i), code=code)
              for i, code in enumerate(codes)]  # fmt: skip
    found = [decoded(image) for image in pages_of(renderer.render(EVENT, people, "cr80"))]
    assert found == [{code} for code in codes]
