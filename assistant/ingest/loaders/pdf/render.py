"""A page as a PNG with a quote's characters highlighted: the citation's "real page" view.

The quote is found among the page's characters in reading order, compared as letters and digits
only (case-folded, ligatures expanded), so the spaces, line-end hyphens and ligatures that differ
between ``PdfText.text`` and the PDF do not matter. A quote that runs on to the next page is
highlighted as far as it goes on this one; a table row's "Header: cell" parts are found cell by cell.
"""

from __future__ import annotations

import io
from typing import Any

from .geometry import layout_page
from .model import Box, Line, PdfTextError, TableRow, Word
from .ocr import find_tesseract, ocr_page, page_has_images
from .pdfium_io import open_pdf, page_glyphs, page_rules, words_from_glyphs
from .textnorm import squash

HIGHLIGHT_RGBA = (255, 214, 0, 96)
OUTLINE_RGBA = (230, 150, 0, 200)
_MIN_PARTIAL = 12  # letters: a shorter piece of a quote found on a page is a coincidence, not a match


def _reading_order_words(items: list[Line | TableRow]) -> list[Word]:
    words: list[Word] = []
    for item in items:
        if isinstance(item, Line):
            words.extend(item.words)
        else:
            words.extend(item.words)  # cell by cell, as the row was read
    return words


def _index(words: list[Word]) -> tuple[str, list[Box]]:
    """The page's squashed letters and the glyph box each one came from."""
    letters: list[str] = []
    boxes: list[Box] = []
    for word in words:
        for box in word.boxes:
            for ch in squash(box.text):
                letters.append(ch)
                boxes.append(box)
    return "".join(letters), boxes


def _partial(words: list[str], haystack: str, start: int) -> tuple[int, int]:
    """The longer of the quote's longest whole-word prefix and suffix found in ``haystack``: (position, length).

    A quote that begins on the previous page or ends on the next one is on this page only in part.
    """
    best = (-1, 0)
    for prefix in (True, False):
        lo, hi = 1, len(words)
        while lo <= hi:  # a longer prefix (suffix) can only be found where a shorter one is
            mid = (lo + hi) // 2
            needle = "".join(words[:mid] if prefix else words[-mid:])
            pos = haystack.find(needle, start)
            if pos >= 0:
                if len(needle) > best[1]:
                    best = (pos, len(needle))
                lo = mid + 1
            else:
                hi = mid - 1
    return best if best[1] >= _MIN_PARTIAL else (-1, 0)


def _segments(quote: str) -> list[str]:
    """A table row quote ("Drug: X | Dose: 10 mg") is looked for cell by cell; anything else whole."""
    if " | " not in quote:
        return [quote]
    return [part.strip() for part in quote.split(" | ") if part.strip()]


def find_quote_boxes(words: list[Word], quote: str) -> list[Box]:
    """Glyph boxes of ``quote`` among ``words`` (reading order); ``[]`` when it is not on the page."""
    page, boxes = _index(words)
    found: list[Box] = []
    start = 0
    segments = _segments(quote)
    for segment in segments:
        candidates = [squash(segment)]
        if ": " in segment:  # "Header: cell": the header is printed above, not in the row
            candidates.append(squash(segment.split(": ", 1)[1]))
        hit = (-1, 0)
        for needle in filter(None, candidates):
            pos = page.find(needle, start)
            if pos >= 0:
                hit = (pos, len(needle))
                break
        if hit[0] < 0 and len(segments) == 1:
            hit = _partial([w for w in map(squash, segment.split()) if w], page, start)
        if hit[0] >= 0:
            found.extend(dict.fromkeys(boxes[hit[0]:hit[0] + hit[1]]))  # a ligature's box once
            start = hit[0] + hit[1]
    return found


def merge_line_boxes(boxes: list[Box]) -> list[tuple[float, float, float, float]]:
    """One rectangle per run of boxes on the same line: (x0, top, x1, bottom)."""
    rects: list[list[float]] = []
    for box in boxes:
        if rects:
            x0, top, x1, bottom = rects[-1]
            same_line = abs((box.top + box.bottom) / 2 - (top + bottom) / 2) < 0.5 * (bottom - top)
            if same_line and -2 <= box.x0 - x1 <= 0.6 * (bottom - top) * 3:
                rects[-1] = [x0, min(top, box.top), max(x1, box.x1), max(bottom, box.bottom)]
                continue
        rects.append([box.x0, box.top, box.x1, box.bottom])
    return [(a, b, c, d) for a, b, c, d in rects]


def _page_quote_boxes(pdf_page: Any, page: int, quote: str, ocr: bool | None) -> list[Box]:
    width, height = pdf_page.get_size()
    words = words_from_glyphs(page_glyphs(pdf_page))
    binary = find_tesseract() if ocr is not False else None
    if not words and binary is not None and page_has_images(pdf_page):
        words = ocr_page(pdf_page, binary)
    layout = layout_page(words, page_rules(pdf_page), page, width, height, set())
    return find_quote_boxes(_reading_order_words(layout.items), quote)


def quote_boxes(raw: bytes, page: int, quote: str, *, ocr: bool | None = None) -> list[Box]:
    """The glyph boxes (PDF points, top-left origin) of ``quote`` on physical ``page``; ``[]`` when not there."""
    with open_pdf(raw) as doc:
        if not 1 <= page <= len(doc):
            raise PdfTextError(f"page {page} is out of range (the PDF has {len(doc)} pages)")
        pdf_page = doc[page - 1]
        try:
            return _page_quote_boxes(pdf_page, page, quote, ocr)
        finally:
            pdf_page.close()


def render_page(raw: bytes, page: int, highlight_quote: str | None = None, width_px: int = 1000,
                *, ocr: bool | None = None) -> bytes:
    """PNG of physical ``page`` (1-based), ``width_px`` wide, with ``highlight_quote`` marked where found.

    A page without a text layer is OCRed for the highlight when tesseract is available (``ocr``
    as in ``extract``). Raises ``PdfTextError`` for a page number out of range.
    """
    from PIL import Image, ImageDraw

    if width_px < 50 or width_px > 6000:
        raise PdfTextError(f"width_px must be between 50 and 6000, got {width_px}")
    with open_pdf(raw) as doc:
        if not 1 <= page <= len(doc):
            raise PdfTextError(f"page {page} is out of range (the PDF has {len(doc)} pages)")
        pdf_page = doc[page - 1]
        try:
            width, height = pdf_page.get_size()
            scale = width_px / width
            image = pdf_page.render(scale=scale).to_pil().convert("RGB")
            rects: list[tuple[float, float, float, float]] = []
            if highlight_quote and highlight_quote.strip():
                rects = merge_line_boxes(_page_quote_boxes(pdf_page, page, highlight_quote, ocr))
        finally:
            pdf_page.close()
    if rects:
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        pad = 1.0 * scale
        for x0, top, x1, bottom in rects:
            draw.rectangle([x0 * scale - pad, top * scale - pad, x1 * scale + pad, bottom * scale + pad],
                           fill=HIGHLIGHT_RGBA, outline=OUTLINE_RGBA)
        image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)
    return out.getvalue()
