"""Small images kept as settings (the event's logo): PNG or JPEG, as a data: URI, size-capped."""

from __future__ import annotations

import base64
import binascii

# A logo rides in a journal entry to every kiosk: a few hundred kilobytes at most. A board
# logo needs no more than 512 x 512 pixels, which a PNG or JPEG holds well under this.
MAX_IMAGE_BYTES = 256 * 1024
_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def image_type(data: bytes) -> str | None:
    """The MIME type of PNG or JPEG `data` by its first bytes, else None."""
    return next((kind for magic, kind in _TYPES.items() if data.startswith(magic)), None)


def image_uri(data: bytes, source: str) -> str:
    """`data` (the bytes of the file `source`) as a data: URI; raises ValueError naming
    `source` when it is not a PNG or JPEG or is too big.
    """
    kind = image_type(data)
    if kind is None:
        raise ValueError(f"{source}: not a PNG or JPEG image")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValueError(
            f"{source}: {len(data) // 1024} KB, more than {MAX_IMAGE_BYTES // 1024} KB; "
            "save it smaller (512 x 512 pixels is plenty)"
        )
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def image_bytes(uri: str) -> bytes:
    """The image a data: URI from `image_uri` holds; raises ValueError for anything else."""
    head, comma, payload = uri.partition(",")
    if not comma or head not in {f"data:{kind};base64" for kind in _TYPES.values()}:
        raise ValueError("not a data: URI of a PNG or JPEG image")
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the image's base64 text is damaged") from None
    image_uri(data, "the image")  # the same rules as when it was set
    return data
