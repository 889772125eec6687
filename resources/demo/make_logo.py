"""Draws the demo event's logo (logo.png): run it to make it again. Our own drawing, no licence
but ours: three linked circles (clusters) over a band (a region), in the demo's colours.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
NAVY = (21, 54, 94)
TEAL = (0, 150, 136)
AMBER = (255, 193, 7)
WHITE = (255, 255, 255)


def main() -> None:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, SIZE - 1, SIZE - 1), radius=44, fill=NAVY)
    draw.rectangle((0, 176, SIZE - 1, 208), fill=TEAL)  # the region
    centres = [(78, 104), (178, 84), (150, 160)]
    for (ax, ay), (bx, by) in zip(centres, centres[1:] + centres[:1], strict=True):
        draw.line((ax, ay, bx, by), fill=WHITE, width=10)
    for (x, y), colour in zip(centres, (AMBER, WHITE, AMBER), strict=True):
        draw.ellipse((x - 30, y - 30, x + 30, y + 30), fill=colour, outline=WHITE, width=6)
    image.save(Path(__file__).with_name("logo.png"), optimize=True)


if __name__ == "__main__":
    main()
