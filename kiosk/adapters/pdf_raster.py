"""A PDF page as a PNG picture (pdfium), for the desk's badge preview: the very PDF printed."""

from __future__ import annotations

import io

from kiosk.core.errors import FileFormatError

POINTS_PER_INCH = 72


class PdfRaster:
    """Renders one page of a PDF to PNG bytes at a given resolution."""

    def page_png(self, pdf: bytes, page: int = 0, dpi: float = 110) -> bytes:
        """Page `page` of `pdf` as a PNG image at `dpi`."""
        import pypdfium2  # noqa: PLC0415 (only when a preview is asked for)

        try:
            document = pypdfium2.PdfDocument(pdf)
            try:
                image = document[page].render(scale=dpi / POINTS_PER_INCH).to_pil()
            finally:
                document.close()
        except (pypdfium2.PdfiumError, IndexError) as error:
            raise FileFormatError(f"the badge PDF cannot be shown: {error}") from error
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
